//! meshmush BBSes syncing with each other on one software mesh, for the suites and the
//! bench: any sim node can host a BBS (its link at the sim's fast timings), and each
//! lists the others as meshmush peers.

use std::path::Path;
use std::time::Duration;

use meshmush::app::App;
use meshmush::config::Config;
use meshmush::federation::{Dialect, PeerConfig};
use meshmush::store::StoreOptions;
use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::sim::SimNode;
use meshmush_firmware_bridge::sim::handset::fast_timings;
use meshmush_protocol::packets::node_id;

use super::{CONNECT_WAIT, KitError, lift_limits};

/// The config of a meshmush BBS syncing with the meshmush BBSes on `peers` (no keys:
/// listed as insecure), limits lifted, and acks and retries in seconds rather than
/// minutes so an outage in a test is short.
pub fn syncing_with(peers: &[u32]) -> Config {
    let mut cfg = Config::default();
    lift_limits(&mut cfg);
    cfg.federation.peers = peers
        .iter()
        .map(|p| PeerConfig {
            node: node_id(*p),
            dialect: Dialect::Meshmush,
            key: None,
            insecure: true,
        })
        .collect();
    cfg.federation.ack_timeout_secs = 3;
    cfg.federation.retry_max_secs = 4;
    cfg
}

/// A BBS configured by `cfg` on sim node `node`, its data in `dir`, started and
/// connected; `link` may change its link's config (the bench's airtime scale).
pub async fn bbs_on_node(
    node: &SimNode,
    cfg: Config,
    dir: &Path,
    link: impl FnOnce(LinkConfig) -> LinkConfig,
) -> Result<App, KitError> {
    let config = link(fast_timings(
        cfg.link_config(Transport::Tcp(node.addr.to_string())),
    ));
    let app = App::start(cfg, dir, vec![config], StoreOptions::default()).await?;
    let wait: Duration = CONNECT_WAIT;
    match tokio::time::timeout(wait, app.link().connected()).await {
        Ok(Ok(_)) => Ok(app),
        Ok(Err(source)) => Err(KitError::Link {
            what: format!("the BBS on {}", node.id()),
            source,
        }),
        Err(_) => Err(KitError::Timeout(
            format!("the BBS on {} did not connect", node.id()),
            wait,
        )),
    }
}
