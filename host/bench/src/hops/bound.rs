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
//! - The *best limits per player* are an oracle: knowing that table, the limits (one
//!   player's replies possibly split between two) with the least airtime per
//!   delivered reply, at a delivery rate no worse than limit 3 for every player on
//!   the same draws. Any rule that sets a player's limit reply by reply does, on
//!   average, some such split, so none can do better on these draws; a rule that
//!   learns from outcomes pays for its search besides.
//! - The rules (fixed:3, the firmware's, the learned rule) run through the daemon's
//!   own [`Reach`](meshmush::reach::Reach) (hearing each request with the hops its first copy came), on
//!   chains of replies to each player; a reply not acked below the configured limit
//!   goes again at once at the configured limit under a new id, as the daemon's link
//!   does (`answers.rs`, `raise_requeued`).
//!
//! [`cells`] holds what the figure is made of, [`draws`] runs the model, [`oracle`]
//! picks the best limits, [`table`] prints.

use meshmush_firmware_bridge::sim::multihop::{RadioParams, Topology};

mod cells;
mod draws;
mod oracle;
mod table;

use draws::{node_nums, play_rule, price};
use oracle::{Pick, oracle};

pub use cells::{
    BoundDraws, BoundFigures, Cell, Choice, ChoiceKind, PlayerCells, TopologyBound, Totals,
};
use cells::{CFG, OTHER_TOPOLOGIES};

use super::players::{every_distance, players};
use super::setup::{MAX_HOPS, NODES, PER_HOP, RULES, TOPOLOGY_SEED};
use crate::figures::BenchError;

/// Totals over all players and over those 0-3 hops out, each player's replies split
/// by `shares` (a cell and the share of its replies at it).
fn totals<'a>(
    players: &[PlayerCells],
    shares: impl Fn(usize) -> Vec<(&'a Cell, f64)>,
) -> (Totals, Totals) {
    let (mut all, mut within_3) = (Totals::default(), Totals::default());
    for (k, p) in players.iter().enumerate() {
        for (c, share) in shares(k) {
            all.add(c, share);
            if p.hops <= 3 {
                within_3.add(c, share);
            }
        }
    }
    (all, within_3)
}

/// A rule's row from its cells, one per player.
fn rule_row(name: String, players: &[PlayerCells], cells: &[Cell]) -> Choice {
    let (all, within_3) = totals(players, |k| vec![(&cells[k], 1.0)]);
    Choice {
        name,
        kind: ChoiceKind::Rule,
        all,
        within_3,
        limits: Vec::new(),
        mix: None,
    }
}

/// The row of `pick` on the table.
fn picked(name: &str, kind: ChoiceKind, table: &[PlayerCells], pick: Pick) -> Choice {
    let at = |k: usize, limit: u8| &table[k].cells[usize::from(limit - 1)];
    let (all, within_3) = totals(table, |k| {
        let limit = pick.limits[k];
        match pick.mix {
            Some(m) if m.player == k => {
                vec![(at(k, limit), 1.0 - m.share), (at(k, m.limit), m.share)]
            }
            _ => vec![(at(k, limit), 1.0)],
        }
    });
    Choice {
        name: name.into(),
        kind,
        all,
        within_3,
        limits: pick.limits,
        mix: pick.mix,
    }
}

/// Figure 16b on `random:NODES:seed`.
fn on_topology(seed: u64, draws: BoundDraws) -> Result<TopologyBound, BenchError> {
    let spec = format!("random:{NODES}:{seed}");
    let t = Topology::parse(&spec, RadioParams::default())
        .map_err(|e| BenchError::Failed(format!("{spec}: {e}")))?;
    let nums = node_nums(&t);
    let ps = players(&t, MAX_HOPS, PER_HOP);
    let table: Vec<PlayerCells> = ps
        .iter()
        .map(|p| price(&t, &nums, p, draws.per_cell))
        .collect();
    let mut choices = Vec::new();
    for rule in RULES {
        let cells = play_rule(rule, &t, &nums, &ps, draws);
        choices.push(rule_row(rule.to_string(), &table, &cells));
    }
    // The oracles' baseline: limit 3 for every player, on the same draws as theirs.
    let at_cfg = |within_3: bool| {
        let mut sum = Cell::default();
        for p in table.iter().filter(|p| !within_3 || p.hops <= 3) {
            sum.add(&p.cells[usize::from(CFG - 1)]);
        }
        (sum.delivered, sum.sent)
    };
    let fixed = Pick {
        limits: vec![CFG; table.len()],
        mix: None,
    };
    choices.push(picked(TABLE_ROW, ChoiceKind::Table, &table, fixed));
    if let Some(pick) = oracle(&table, |_| true, at_cfg(false), CFG) {
        choices.push(picked(ORACLE_ROW, ChoiceKind::Oracle, &table, pick));
    }
    if let Some(pick) = oracle(&table, |p| p.hops <= 3, at_cfg(true), CFG) {
        choices.push(picked(
            ORACLE_WITHIN_3_ROW,
            ChoiceKind::OracleWithin3,
            &table,
            pick,
        ));
    }
    Ok(TopologyBound {
        topology: spec,
        players: table,
        choices,
    })
}

/// The rows' names.
const TABLE_ROW: &str = "limit 3 for all (the table's draws)";
const ORACLE_ROW: &str = "best limits per player";
const ORACLE_WITHIN_3_ROW: &str = "best limits per player 0-3 hops out";

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
        if every_distance(&players(&t, MAX_HOPS, PER_HOP), MAX_HOPS, PER_HOP) {
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
