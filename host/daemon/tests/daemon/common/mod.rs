//! The host's integration tests run on the one test kit (`meshmush_testkit`): this
//! only keeps their short names for it.
#![allow(
    dead_code,
    unused_imports,
    reason = "each test file uses some of these"
)]

pub mod feed_server;
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

/// `meshmush run` (the real binary) on the software mesh's `gateway`, with `config`
/// as its config file and `data` as its data directory: a process the test can kill.
pub fn run_daemon(gateway: &str, data: &Path, config: &str) -> tokio::process::Child {
    let file = data.with_extension("toml");
    std::fs::write(&file, config).expect("config written");
    tokio::process::Command::new(env!("CARGO_BIN_EXE_meshmush"))
        .args(["run", "--tcp", gateway, "--config"])
        .arg(&file)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("daemon starts")
}
