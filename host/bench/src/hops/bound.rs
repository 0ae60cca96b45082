//! Figure 16b: what any hop limit can save on a flooded reply, on the multi-hop model
//! alone (no daemon, no wall clock, so thousands of draws in seconds where figure 16
//! gets a few dozen packets a cell).
//!
//! Each draw is a fresh mesh: the player's node asks the BBS's (at hop limit 3, or 4
//! from 4 hops out, as in figure 16), the mesh goes quiet, and the BBS's node sends
//! one reply with `want_ack` and no next hop known, so it floods. Its price is every
//! transmission of it anywhere (the BBS node's sends and retries, every relay).
//!
//! - The table prices each player's reply at each hop limit 1-7.
//! - The *best limit per player* is an oracle: it knows that table, and picks for
//!   every player the limit that makes airtime per delivered reply over all players
//!   smallest, at a delivery rate no worse than fixed:3's. A rule that learns each
//!   player's limit from outcomes can at best find those limits, and pays for the
//!   search in replies that miss and go again.
//! - The rules (fixed:3, the firmware's, the learned rule) run through the daemon's
//!   own [`Reach`], on chains of replies to each player; a reply the BBS's node gives
//!   up on below the configured limit goes again at once at that limit, as the
//!   daemon's link does (`answers.rs`, `raise_requeued`).
//!
//! [`cells`] holds what the figure is made of, [`draws`] runs the model, [`oracle`]
//! picks the best limits, [`table`] prints.

use meshmush_firmware_bridge::sim::multihop::{RadioParams, Topology};

mod cells;
mod draws;
mod oracle;
mod table;

use draws::{play_rule, price};
use oracle::oracle;

pub use cells::{BoundDraws, BoundFigures, Cell, Choice, PlayerCells, TopologyBound};
use cells::{CFG, OTHER_TOPOLOGIES};

use super::players::players;
use super::setup::{MAX_HOPS, NODES, PER_HOP, RULES, TOPOLOGY_SEED};
use crate::figures::BenchError;

/// Totals of one cell per player, over all players and over those 0-3 hops out.
fn totals(name: String, players: &[PlayerCells], per_player: &[Cell], limits: Vec<u8>) -> Choice {
    let (mut all, mut within_3) = (Cell::default(), Cell::default());
    for (p, c) in players.iter().zip(per_player) {
        all.add(c);
        if p.hops <= 3 {
            within_3.add(c);
        }
    }
    Choice {
        name,
        all,
        within_3,
        limits,
    }
}

/// Figure 16b on `random:NODES:seed`.
fn on_topology(seed: u64, draws: BoundDraws) -> Result<TopologyBound, BenchError> {
    let spec = format!("random:{NODES}:{seed}");
    let t = Topology::parse(&spec, RadioParams::default())
        .map_err(|e| BenchError::Failed(format!("{spec}: {e}")))?;
    let nums: Vec<u32> = (0..t.nodes.len() as u32)
        .map(|k| 0x4d4d_1000 + k + 1)
        .collect();
    let ps = players(&t, MAX_HOPS, PER_HOP);
    let table: Vec<PlayerCells> = ps
        .iter()
        .map(|p| price(&t, &nums, p, draws.per_cell))
        .collect();
    let mut choices = Vec::new();
    for rule in RULES {
        let cells = play_rule(rule, &t, &nums, &ps, draws);
        choices.push(totals(rule.to_string(), &table, &cells, Vec::new()));
    }
    let at = |limits: &[u8]| -> Vec<Cell> {
        table
            .iter()
            .zip(limits)
            .map(|(p, l)| p.cells[usize::from(l - 1)])
            .collect()
    };
    let fixed = at(&vec![CFG; table.len()]);
    let base = totals(String::new(), &table, &fixed, Vec::new());
    let all = oracle(&table, |_| true, base.all.delivery() / 100.0);
    choices.push(totals(
        "best limit per player".into(),
        &table,
        &at(&all),
        all,
    ));
    let within = oracle(&table, |p| p.hops <= 3, base.within_3.delivery() / 100.0);
    choices.push(totals(
        "best limit per player 0-3 hops out".into(),
        &table,
        &at(&within),
        within,
    ));
    Ok(TopologyBound {
        topology: spec,
        players: table,
        choices,
    })
}

/// Topology seeds with `PER_HOP` players at each of 0..=`MAX_HOPS` hops: figure 16's,
/// then the first `more` others.
fn seeds(more: usize) -> Vec<u64> {
    let mut out = vec![TOPOLOGY_SEED];
    for seed in 0.. {
        if out.len() > more || seed > 10_000 {
            break;
        }
        if seed == TOPOLOGY_SEED {
            continue;
        }
        let Ok(t) = Topology::parse(&format!("random:{NODES}:{seed}"), RadioParams::default())
        else {
            continue;
        };
        let p = players(&t, MAX_HOPS, PER_HOP);
        if (0..=MAX_HOPS).all(|h| p.iter().filter(|p| p.hops == h).count() == PER_HOP) {
            out.push(seed);
        }
    }
    out
}

/// Figure 16b: figure 16's topology (with `quick`, alone and with fewer draws), then
/// others like it.
pub fn bound(quick: bool) -> Result<BoundFigures, BenchError> {
    let draws = if quick {
        BoundDraws {
            per_cell: 40,
            chains: 8,
            replies: 12,
        }
    } else {
        BoundDraws {
            per_cell: 200,
            chains: 40,
            replies: 12,
        }
    };
    let topologies = seeds(if quick { 0 } else { OTHER_TOPOLOGIES })
        .into_iter()
        .map(|seed| on_topology(seed, draws))
        .collect::<Result<_, _>>()?;
    Ok(BoundFigures { draws, topologies })
}
