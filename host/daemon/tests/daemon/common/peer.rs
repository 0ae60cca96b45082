//! A BBS with one sync peer that is a handset of the software mesh, speaking either
//! dialect byte for byte: the peer's config, its DMs sent exactly as given, and waits
//! on what the store then holds.

use std::time::Duration;

use meshmush::config::Config;
use meshmush::federation::{Dialect, PeerConfig};
use meshmush::store::Store;
use meshmush_firmware_bridge::link::Class;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_protocol::packets::{PRIMARY_CHANNEL, node_id};
use meshmush_testkit::Kit;

use super::{WAIT, roomy};

/// The config of a BBS whose one peer is `node`, speaking `dialect`, keyed by `key`
/// (base64) or listed as insecure without one.
pub fn peer_config(node: u32, dialect: Dialect, key: Option<String>) -> Config {
    let mut cfg = roomy();
    // Room for a 200-byte post typed in one DM.
    cfg.limits.max_command_bytes = 220;
    cfg.federation.peers = vec![PeerConfig {
        node: node_id(node),
        dialect,
        insecure: key.is_none(),
        key,
    }];
    cfg
}

/// The daemon on the mesh; handset 0 is the peer, handset 1 (Bob) a player here.
pub async fn kit(cfg: Config, sim: SimConfig) -> Kit {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let mut kit = Kit::builder(cfg)
        .sim(sim)
        .start()
        .await
        .expect("mesh, daemon and handsets start");
    let hello = kit.ask(1, "ping").await;
    assert!(hello.starts_with("Welcome, "), "{hello}");
    kit
}

/// The peer, Bob, and one more handset.
pub fn three_handsets() -> SimConfig {
    SimConfig {
        handsets: 3,
        ..SimConfig::default()
    }
}

/// Waits (up to WAIT) until `check` holds of the store.
pub async fn until<F, Fut>(store: &Store, what: &str, check: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    until_within(store, what, WAIT, check).await
}

/// Waits (up to `within`) until `check` holds of the store.
pub async fn until_within<F, Fut>(store: &Store, what: &str, within: Duration, check: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !check(store.clone()).await {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A player on handset `k` of `mesh`, welcomed by the BBS `bbs` (its first `ping`).
pub async fn player(mesh: &meshmush_firmware_bridge::sim::Mesh, k: usize, bbs: u32) -> Handset {
    let mut h = Handset::connect(&mesh.handsets()[k])
        .await
        .expect("handset");
    let hello = h.ask(bbs, "ping", WAIT).await.expect("a welcome");
    assert!(hello.starts_with("Welcome, "), "{hello}");
    h
}

/// `h`'s reply from `bbs` to `text` (the test fails without one).
pub async fn ask(h: &mut Handset, bbs: u32, text: &str) -> String {
    h.ask(bbs, text, WAIT)
        .await
        .unwrap_or_else(|| panic!("no reply to {text:?}"))
}

/// Every post on the default boards: (author, subject, text), sorted.
pub async fn posts(store: &Store) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for b in ["general", "news", "help"] {
        for p in store.newest_posts(b.into(), 50).await.unwrap() {
            all.push((p.author_name, p.subject, p.text));
        }
    }
    all.sort();
    all
}

/// Sends lines from the peer (handset 0), each its own DM exactly as given (not
/// trimmed or cut as a handset's typed text is), in order.
pub async fn peer_sends(kit: &Kit, lines: &[&str]) {
    for line in lines {
        kit.handsets[0]
            .link
            .send_packets(
                kit.bbs,
                PRIMARY_CHANNEL,
                Class::Known,
                vec![line.to_string()],
            )
            .await
            .unwrap();
    }
}

pub use meshmush_testkit::peers::syncing_with;

/// A BBS configured by `cfg` on sim node `node`, its data in `dir`, connected.
pub async fn bbs_on_node(
    node: &meshmush_firmware_bridge::sim::SimNode,
    cfg: Config,
    dir: &std::path::Path,
) -> meshmush::app::App {
    meshmush_testkit::peers::bbs_on_node(node, cfg, dir, |link| link)
        .await
        .expect("a BBS starts and connects")
}
