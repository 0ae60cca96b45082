//! The host's integration tests run on the one test kit (`meshmush_testkit`): this
//! only keeps their short names for it.
#![allow(
    dead_code,
    unused_imports,
    reason = "each test file uses some of these"
)]

pub mod peer;
pub mod replies;

use std::path::Path;

use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_testkit::Kit;

pub use meshmush_testkit::replies::WAIT;

/// A daemon on the software mesh with scripted handsets.
pub type World = Kit;

/// Defaults, but with room for a scripted player who types faster than a person.
pub fn roomy() -> Config {
    let mut cfg = Config::default();
    cfg.limits.burst = 100;
    cfg.limits.strangers_burst = 10_000;
    cfg
}

/// A daemon configured by `cfg` with its data in `data`, on a software mesh of
/// `handsets` scripted handsets, all connected.
pub async fn world(handsets: usize, cfg: Config, data: &Path, store: StoreOptions) -> World {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let fresh = match tokio::fs::read_dir(data).await {
        Ok(mut dir) => matches!(dir.next_entry().await, Ok(None)),
        Err(_) => true,
    };
    let mut kit = Kit::builder(cfg)
        .handsets(handsets)
        .data(data)
        .store(store)
        .start()
        .await
        .expect("mesh, daemon and handsets start");
    // On a fresh data directory every handset makes first contact (and hears the
    // one-time welcome) here, so the tests read replies as a returning player does.
    // First contact itself is shown by the scenarios and by
    // `first_contact_is_welcomed_once` in daemon_sim.
    for k in (0..handsets).filter(|_| fresh) {
        let hello = kit.ask(k, "ping").await;
        assert!(hello.starts_with("Welcome, "), "{hello}");
    }
    kit
}
