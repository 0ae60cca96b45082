//! What figure 16's parts share: the mesh, the rules, the waits and the options.

use std::time::Duration;

use meshmush::config::HopRule;
use meshmush_firmware_bridge::sim::multihop::Micros;
use serde::Serialize;

/// The mesh: `random:30:TOPOLOGY_SEED` (a seed that puts at least two nodes at each
/// of 0-4 hops from node 0, the BBS's).
pub const TOPOLOGY_SEED: u64 = 218;
pub(super) const NODES: usize = 30;
/// The model's own draws (relay waits, ACK ids).
pub(super) const SIM_SEED: u64 = 1;
/// Real time per virtual time.
pub(super) const SCALE: f64 = 0.02;
/// Hops away the players are spread over, and how many at each.
pub(super) const MAX_HOPS: usize = 4;
pub(super) const PER_HOP: usize = 2;
/// The rule the saving is measured against, and the one measured.
pub(super) const BASELINE: HopRule = HopRule::Fixed(3);
pub(super) const RULES: [HopRule; 3] = [BASELINE, HopRule::Firmware, HopRule::Learned];
/// How long (virtual) a link waits for the destination's ACK before it calls a packet
/// undelivered: past the firmware's three tries (about 45 s on LongFast) and the
/// ACK's way back.
pub(super) const ACK_WAIT: Duration = Duration::from_secs(90);
/// How long (virtual) a player waits for the first packet of a reply.
pub(super) const FIRST_WAIT: Duration = Duration::from_secs(600);
/// Between the two sessions.
pub(super) const LATER: Duration = Duration::from_secs(3600);

pub(super) fn wall(virtual_time: Duration) -> Duration {
    virtual_time.mul_f64(SCALE)
}

pub(super) fn secs(us: Micros) -> f64 {
    us as f64 / 1e6
}

/// What may change between runs of figure 16.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct HopsOptions {
    /// The model's own draws (relay waits, ACK ids).
    pub sim_seed: u64,
    /// Whether the daemon's link waits out a request's flood before its reply.
    pub flood_wait: bool,
}

impl Default for HopsOptions {
    fn default() -> Self {
        Self {
            sim_seed: SIM_SEED,
            flood_wait: true,
        }
    }
}
