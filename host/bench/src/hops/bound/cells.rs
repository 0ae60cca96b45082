//! What figure 16b holds: its draws, cells and totals, and the constants of its runs.

use meshmush_firmware_bridge::sim::multihop::Micros;
use serde::Serialize;

/// The configured hop limit (the firmware's default).
pub(super) const CFG: u8 = 3;
/// The hop limits the table prices.
pub(super) const LIMITS: std::ops::RangeInclusive<u8> = 1..=7;
/// Bytes on air of the player's request (a short command).
pub(super) const REQUEST_LEN: usize = 40;
/// Bytes on air of one reply packet (figure 9's are 100-230).
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
    /// Replies not acked at a limit below the configured one, sent again at it (the
    /// player waits out the node's three tries for each).
    pub sent_again: u64,
    /// The BBS node's sends of the table's replies that went to a next hop: 0, as
    /// no route is known on a fresh mesh (every reply floods).
    pub routed: u64,
}

impl Cell {
    pub(super) fn add(&mut self, o: &Cell) {
        self.sent += o.sent;
        self.delivered += o.delivered;
        self.airtime_us += o.airtime_us;
        self.sent_again += o.sent_again;
        self.routed += o.routed;
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

/// A total over players, with shares of replies as fractions (a mix of limits).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    pub sent: f64,
    pub delivered: f64,
    /// Seconds of mesh-wide airtime.
    pub airtime_s: f64,
    pub sent_again: f64,
}

impl Totals {
    /// `share` of `c`'s replies.
    pub(super) fn add(&mut self, c: &Cell, share: f64) {
        self.sent += share * c.sent as f64;
        self.delivered += share * c.delivered as f64;
        self.airtime_s += share * c.airtime_us as f64 / 1e6;
        self.sent_again += share * c.sent_again as f64;
    }

    /// Percent of replies delivered.
    pub fn delivery(&self) -> f64 {
        100.0 * self.delivered / self.sent.max(1.0)
    }

    /// Seconds of mesh-wide airtime per delivered reply (`None`: none delivered).
    pub fn per_delivered(&self) -> Option<f64> {
        (self.delivered > 0.0).then(|| self.airtime_s / self.delivered)
    }
}

/// Where a row of totals comes from, and what its saving is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    /// A hop rule on its chains of replies: against fixed:3's chains.
    Rule,
    /// Limit 3 for every player on the table's draws: the oracles' baseline.
    Table,
    /// The best limits over every player, on the table's draws.
    Oracle,
    /// The best limits over the players 0-3 hops out (the others at 3).
    OracleWithin3,
}

/// One player who splits its replies between two limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mix {
    /// The player's index in the table.
    pub player: usize,
    /// The other limit, and the share of the player's replies sent at it.
    pub limit: u8,
    pub share: f64,
}

/// A rule's, the table's or an oracle's totals, over every player and over those 0-3
/// hops out.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub name: String,
    pub kind: ChoiceKind,
    pub all: Totals,
    pub within_3: Totals,
    /// The limit for each player, in table order (the table's and oracles' rows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mix: Option<Mix>,
}

/// Figure 16b on one topology.
#[derive(Debug, Clone, Serialize)]
pub struct TopologyBound {
    pub topology: String,
    pub players: Vec<PlayerCells>,
    /// fixed:3, firmware and learned on their chains, then limit 3 for everyone on
    /// the table's draws, and the oracles over all players and over those 0-3 hops
    /// out.
    pub choices: Vec<Choice>,
}

/// Figure 16b.
#[derive(Debug, Clone, Serialize)]
pub struct BoundFigures {
    pub draws: BoundDraws,
    pub topologies: Vec<TopologyBound>,
}
