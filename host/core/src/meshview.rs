//! What commands may know of the mesh around the BBS, read-only: the nodes the radio
//! has heard (names for mail to any node, counts for `stats`), this BBS's own node,
//! its airtime, and how long the daemon has run. A command reads it through
//! [`Ctx::mesh`](crate::commands::Ctx); nothing here sends.

use std::sync::Arc;
use std::time::Duration;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_firmware_bridge::link::NodeEntry;
use tokio::time::Instant;

/// Airtime this BBS used in the last hour, and what its share allows per hour
/// (`None` where the region has no duty-cycle limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Airtime {
    pub used_hour: Duration,
    pub allowed_hour: Option<Duration>,
}

/// The mesh as commands see it.
pub trait MeshView: Send + Sync {
    /// Every node in the node database.
    fn nodes(&self) -> Vec<NodeEntry>;
    /// The BBS's own node, once connected.
    fn me(&self) -> Option<NodeEntry>;
    fn airtime(&self) -> Airtime;
    /// Since the daemon started.
    fn uptime(&self) -> Duration;
}

/// The view through the daemon's link.
pub struct LinkView {
    link: LinkHandle,
    /// The config's `replies.airtime_share`.
    share: f64,
    started: Instant,
}

impl LinkView {
    pub fn shared(link: LinkHandle, share: f64) -> Arc<dyn MeshView> {
        Arc::new(Self {
            link,
            share,
            started: Instant::now(),
        })
    }
}

impl MeshView for LinkView {
    fn nodes(&self) -> Vec<NodeEntry> {
        self.link.nodes()
    }

    fn me(&self) -> Option<NodeEntry> {
        let me = self.link.node_config()?.my_node_num;
        self.link.node(me)
    }

    fn airtime(&self) -> Airtime {
        let allowed_hour = self.link.node_config().and_then(|c| {
            c.duty_cycle
                .is_limited()
                .then(|| c.duty_cycle.budget().mul_f64(self.share))
        });
        Airtime {
            used_hour: Duration::from_millis(self.link.metrics().airtime_hour_ms),
            allowed_hour,
        }
    }

    fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
}

/// A fixed mesh, for tests of commands: these nodes, this airtime.
#[derive(Debug, Clone, Default)]
pub struct FixedMesh {
    pub nodes: Vec<NodeEntry>,
    pub me: Option<NodeEntry>,
    pub airtime: Airtime,
    pub uptime: Duration,
}

impl MeshView for FixedMesh {
    fn nodes(&self) -> Vec<NodeEntry> {
        self.nodes.clone()
    }

    fn me(&self) -> Option<NodeEntry> {
        self.me.clone()
    }

    fn airtime(&self) -> Airtime {
        self.airtime
    }

    fn uptime(&self) -> Duration {
        self.uptime
    }
}
