//! Figure 16: replies sized to the sender's distance (issue 28). The real daemon, on
//! one node of a fixed 30-node random mesh (`random:30:SEED`, LongFast, hop limit 3,
//! the multi-hop model of `sim::multihop`), answers ten players, two at each of 0-4
//! hops away. Each plays the standard session (figure 9's errands) as a first
//! contact, then again an hour later (the model's clock skips the hour), one player
//! after another. The same run is made three times, each on a fresh store and a fresh
//! mesh with the same seeds: the hop rule TC2 has (`fixed:3`), the firmware's rule
//! for its own replies, and the learned rule (`host/core/src/reach.rs`).
//!
//! What the BBS sent each player is priced from the model's trace: every
//! transmission of the packet anywhere in the mesh (the BBS node's sends and
//! retries, every relay), divided by the packets the player's node decoded; beside
//! it, the same with its ACKs' transmissions on their way back (whose hop limit the
//! player's node sets from the hops the packet came, not the BBS). A packet is *flooded* when the BBS node sent it with no
//! next hop (first contact, a fallback, a node with no route), *next-hop* otherwise.
//! Latency is virtual time from the command's first transmission to the first packet
//! of its reply decoded at the player's node. The mesh runs at time scale
//! [`SCALE`] (a LongFast second is 20 ms), the daemon in real time: its thinking is in
//! the figure at 50 times its length, which it can afford (milliseconds).
//!
//! The modules: [`players`] places the players on the topology, [`run`] plays each
//! rule's sessions through the daemon, [`account`] prices what the BBS sent from the
//! model's trace, and [`report`] is the table and the savings.

mod account;
mod players;
mod report;
mod run;

use std::time::Duration;

use meshmush::config::HopRule;
use meshmush_firmware_bridge::sim::multihop::{Micros, RadioParams, Topology};

use serde::Serialize;

use super::figures::BenchError;
pub use players::Player;
pub use report::{HopRow, HopsFigures, Savings};

/// The mesh: `random:30:TOPOLOGY_SEED` (a seed that puts at least two nodes at each
/// of 0-4 hops from node 0, the BBS's).
pub const TOPOLOGY_SEED: u64 = 218;
const NODES: usize = 30;
/// The model's own draws (relay waits, ACK ids).
const SIM_SEED: u64 = 1;
/// Real time per virtual time.
const SCALE: f64 = 0.02;
/// Hops away the players are spread over, and how many at each.
const MAX_HOPS: usize = 4;
const PER_HOP: usize = 2;
/// The rule the saving is measured against, and the one measured.
const BASELINE: HopRule = HopRule::Fixed(3);
const RULES: [HopRule; 3] = [BASELINE, HopRule::Firmware, HopRule::Learned];
/// How long (virtual) a link waits for the destination's ACK before it calls a packet
/// undelivered: past the firmware's three tries (about 45 s on LongFast) and the
/// ACK's way back.
const ACK_WAIT: Duration = Duration::from_secs(90);
/// How long (virtual) a player waits for the first packet of a reply.
const FIRST_WAIT: Duration = Duration::from_secs(600);
/// Between the two sessions.
const LATER: Duration = Duration::from_secs(3600);

fn wall(virtual_time: Duration) -> Duration {
    virtual_time.mul_f64(SCALE)
}

fn secs(us: Micros) -> f64 {
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

/// Figure 16: the three rules side by side (with `quick`: a player at each of 0-2
/// hops, one session).
pub async fn hops(quick: bool, opts: HopsOptions) -> Result<HopsFigures, BenchError> {
    let spec = format!("random:{NODES}:{TOPOLOGY_SEED}");
    let topology = Topology::parse(&spec, RadioParams::default())
        .map_err(|e| BenchError::Failed(format!("{spec}: {e}")))?;
    let (max_hops, per_hop, sessions) = if quick {
        (2, 1, 1)
    } else {
        (MAX_HOPS, PER_HOP, 2)
    };
    let players = players::players(&topology, max_hops, per_hop);
    for h in 0..=max_hops {
        let n = players.iter().filter(|p| p.hops == h).count();
        if n < per_hop {
            tracing::warn!(
                hops = h,
                found = n,
                "the topology has fewer players at this distance"
            );
        }
    }
    let mut rows = Vec::new();
    let mut mesh_airtime_s = Vec::new();
    for rule in RULES {
        let (r, everything) = run::run_rule(rule, &topology, &players, sessions, opts).await?;
        rows.extend(r);
        mesh_airtime_s.push((rule.to_string(), everything));
    }
    let pick = |rule: HopRule, within: usize| {
        let name = rule.to_string();
        let mut sum = HopRow::default();
        for r in rows
            .iter()
            .filter(|r| r.rule == name && r.hops.is_some_and(|h| h <= within))
        {
            sum.add(r);
        }
        sum
    };
    let (base, learned) = (pick(BASELINE, MAX_HOPS), pick(HopRule::Learned, MAX_HOPS));
    let (base3, learned3) = (pick(BASELINE, 3), pick(HopRule::Learned, 3));
    Ok(HopsFigures {
        topology: spec,
        options: opts,
        sessions,
        players,
        rows,
        mesh_airtime_s,
        saving: Savings::of(&base, &learned),
        saving_within_3: Savings::of(&base3, &learned3),
    })
}
