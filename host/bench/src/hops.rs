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
//! Figure 16b ([`bound`]) prices flooded replies on the model alone, at every hop
//! limit, and what the best limit per player could save.
//!
//! The modules: [`players`] places the players on the topology, [`run`] plays each
//! rule's sessions through the daemon, [`account`] prices what the BBS sent from the
//! model's trace, and [`report`] is the table and the savings; [`setup`] holds what they share.

mod account;
mod bound;
mod players;
mod report;
mod run;
mod setup;

use meshmush::config::HopRule;
use meshmush_firmware_bridge::sim::multihop::{RadioParams, Topology};

use super::figures::BenchError;
pub use bound::{BoundFigures, bound};
pub use report::{HopRow, HopsFigures, Savings};
use setup::{BASELINE, MAX_HOPS, NODES, PER_HOP, RULES};
pub use setup::{HopsOptions, TOPOLOGY_SEED};

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
