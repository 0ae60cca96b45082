//! What figure 16b holds: its draws, cells and totals, and the constants of its runs.

use meshmush_firmware_bridge::sim::multihop::Micros;
use serde::Serialize;

/// The configured hop limit (the firmware's default).
pub(super) const CFG: u8 = 3;
/// The hop limits the table prices.
pub(super) const LIMITS: std::ops::RangeInclusive<u8> = 1..=7;
/// Bytes on air: the request, and one reply packet (figure 9's replies are 100-230).
pub(super) const REQUEST_LEN: usize = 40;
pub(super) const REPLY_LEN: usize = 160;
/// After the request reached the BBS's node: its flood and the node's ACK are over.
pub(super) const QUIET: Micros = 60_000_000;
/// Long enough for the BBS node's three tries and every relay and ACK.
pub(super) const REPLY_RUN: Micros = 300_000_000;
/// Other topologies than figure 16's, for how general the bound is.
pub(super) const OTHER_TOPOLOGIES: usize = 4;

/// How many draws.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BoundDraws {
    /// Per player and hop limit, for the table.
    pub per_cell: u64,
    /// Chains of replies per player, and replies per chain, for each rule.
    pub chains: u64,
    pub replies: u64,
}

/// One player's replies at one hop limit.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Cell {
    pub limit: u8,
    /// Replies sent (draws whose request reached the BBS).
    pub sent: u64,
    pub delivered: u64,
    /// Mesh-wide airtime of them all, µs.
    pub airtime_us: u64,
    /// Replies the BBS's node gave up on below the configured limit, sent again at
    /// it (each a wait of the node's three tries for the player).
    pub sent_again: u64,
}

impl Cell {
    pub(super) fn add(&mut self, o: &Cell) {
        self.sent += o.sent;
        self.delivered += o.delivered;
        self.airtime_us += o.airtime_us;
        self.sent_again += o.sent_again;
    }

    /// Percent of replies delivered.
    pub fn delivery(&self) -> f64 {
        100.0 * self.delivered as f64 / self.sent.max(1) as f64
    }

    /// Seconds of mesh-wide airtime per delivered reply (`None`: none delivered).
    pub fn per_delivered(&self) -> Option<f64> {
        (self.delivered > 0).then(|| self.airtime_us as f64 / 1e6 / self.delivered as f64)
    }
}

/// One player's row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct PlayerCells {
    pub name: String,
    pub hops: usize,
    pub cells: Vec<Cell>,
}

/// A rule's (or the oracle's) totals, over every player and over those 0-3 hops out.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub name: String,
    pub all: Cell,
    pub within_3: Cell,
    /// The oracle's limit for each player, in table order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<u8>,
}

/// Figure 16b on one topology.
#[derive(Debug, Clone, Serialize)]
pub struct TopologyBound {
    pub topology: String,
    pub players: Vec<PlayerCells>,
    /// fixed:3, firmware, learned, then the oracle over all players and the oracle
    /// over those 0-3 hops out.
    pub choices: Vec<Choice>,
}

/// Figure 16b.
#[derive(Debug, Clone, Serialize)]
pub struct BoundFigures {
    pub draws: BoundDraws,
    pub topologies: Vec<TopologyBound>,
}
