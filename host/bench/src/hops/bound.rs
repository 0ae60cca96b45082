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

use meshmush::config::HopRule;
use meshmush::reach::Reach;
use meshmush_firmware_bridge::sim::multihop::{
    Micros, Output, RadioMesh, RadioParams, Send, Topology,
};
use meshmush_protocol::packets::TextMessage;
use meshmush_protocol::proto::routing;
use serde::Serialize;

use super::players::{Player, players};
use super::setup::{BASELINE, MAX_HOPS, NODES, PER_HOP, RULES, TOPOLOGY_SEED};
use crate::figures::{BenchError, Row, row};

/// The configured hop limit (the firmware's default).
const CFG: u8 = 3;
/// The hop limits the table prices.
const LIMITS: std::ops::RangeInclusive<u8> = 1..=7;
/// Bytes on air: the request, and one reply packet (figure 9's replies are 100-230).
const REQUEST_LEN: usize = 40;
const REPLY_LEN: usize = 160;
/// After the request reached the BBS's node: its flood and the node's ACK are over.
const QUIET: Micros = 60_000_000;
/// Long enough for the BBS node's three tries and every relay and ACK.
const REPLY_RUN: Micros = 300_000_000;
/// Other topologies than figure 16's, for how general the bound is.
const OTHER_TOPOLOGIES: usize = 4;

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
    fn add(&mut self, o: &Cell) {
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

fn send(to: u32, id: u32, hop_limit: u8, want_ack: bool, phy_len: usize) -> Send<()> {
    Send {
        to,
        id,
        want_ack,
        hop_limit,
        request_id: 0,
        phy_len,
        payload: (),
    }
}

/// The hop limit a player `h` hops out asks with: 3, or as many hops as it needs.
fn request_limit(h: usize) -> u8 {
    CFG.max(h as u8)
}

/// A fresh mesh (draw `seed`) after `player`'s request reached the BBS's node and
/// the mesh went quiet; `None` when the request never reached it.
fn asked(t: &Topology, nums: &[u32], player: &Player, seed: u64) -> Option<RadioMesh<()>> {
    let (bbs, pn) = (nums[0], nums[player.node]);
    let mut m: RadioMesh<()> = RadioMesh::new(t.clone(), nums, seed);
    m.send(
        pn,
        send(bbs, 1, request_limit(player.hops), true, REQUEST_LEN),
    );
    let mut reached = None;
    while reached.is_none() && m.step() {
        if m.take_outputs().iter().any(
            |o| matches!(o, Output::Delivered { node, frame, .. } if *node == bbs && frame.id == 1),
        ) {
            reached = Some(m.now());
        }
    }
    m.run_until(reached? + QUIET);
    m.take_outputs();
    Some(m)
}

/// What became of one reply.
struct Sent {
    delivered: bool,
    /// The BBS's node got the destination's ACK.
    acked: bool,
    airtime_us: u64,
}

/// The BBS's node sends reply `id` to the player's node at `hop_limit`.
fn reply(m: &mut RadioMesh<()>, bbs: u32, pn: u32, id: u32, hop_limit: u8, want_ack: bool) -> Sent {
    m.send(bbs, send(pn, id, hop_limit, want_ack, REPLY_LEN));
    let now = m.now();
    m.run_until(now + REPLY_RUN);
    let outs = m.take_outputs();
    let delivered = outs.iter().any(
        |o| matches!(o, Output::Delivered { node, frame, .. } if *node == pn && frame.id == id),
    );
    let acked = outs.iter().any(|o| {
        matches!(o, Output::Delivered { node, frame, .. } if *node == bbs && frame.request_id == id)
    });
    let airtime_us = m
        .trace()
        .iter()
        .filter(|r| r.from == bbs && r.id == id)
        .map(|r| r.airtime)
        .sum();
    Sent {
        delivered,
        acked,
        airtime_us,
    }
}

/// The player's row: its reply priced at each hop limit.
fn price(t: &Topology, nums: &[u32], player: &Player, draws: u64) -> PlayerCells {
    let (bbs, pn) = (nums[0], nums[player.node]);
    let cells = LIMITS
        .map(|limit| {
            let mut c = Cell {
                limit,
                ..Cell::default()
            };
            for draw in 0..draws {
                let Some(mut m) = asked(t, nums, player, draw + 7) else {
                    continue;
                };
                let s = reply(&mut m, bbs, pn, 2, limit, true);
                c.sent += 1;
                c.delivered += u64::from(s.delivered);
                c.airtime_us += s.airtime_us;
            }
            c
        })
        .collect();
    PlayerCells {
        name: player.name.clone(),
        hops: player.hops,
        cells,
    }
}

/// The request as the daemon's router sees it: from `pn`, `h` hops away.
fn request(pn: u32, bbs: u32, h: usize) -> TextMessage {
    TextMessage {
        from: pn,
        to: bbs,
        channel: 0,
        id: 1,
        text: String::new(),
        rx_time: 0,
        rx_snr: None,
        rx_rssi: None,
        hops: Some(h as u32),
        hop_start: u32::from(request_limit(h)),
        pki_encrypted: true,
        public_key: None,
        signature: None,
        want_ack: true,
        reply_id: None,
        emoji: false,
    }
}

/// `rule` on chains of replies to each player, through the daemon's [`Reach`].
fn play_rule(
    rule: HopRule,
    t: &Topology,
    nums: &[u32],
    players: &[Player],
    draws: BoundDraws,
) -> Vec<Cell> {
    let bbs = nums[0];
    players
        .iter()
        .map(|player| {
            let pn = nums[player.node];
            let mut c = Cell::default();
            for chain in 0..draws.chains {
                let reach = Reach::unsaved(rule, CFG.into());
                for k in 0..draws.replies {
                    let Some(mut m) = asked(t, nums, player, 1_000_000 + chain * 1000 + k) else {
                        continue;
                    };
                    reach.heard(&request(pn, bbs, player.hops));
                    let hops = reach.hops_for(pn);
                    let limit = hops.hop_limit.min(7) as u8;
                    let mut s = reply(&mut m, bbs, pn, 2, limit, hops.want_ack);
                    reach.outcome(pn, limit.into(), outcome(&s));
                    if !s.acked && limit < CFG && hops.want_ack {
                        let again = reply(&mut m, bbs, pn, 3, CFG, true);
                        reach.outcome(pn, CFG.into(), outcome(&again));
                        s.delivered |= again.delivered;
                        s.airtime_us += again.airtime_us;
                        c.sent_again += 1;
                    }
                    c.sent += 1;
                    c.delivered += u64::from(s.delivered);
                    c.airtime_us += s.airtime_us;
                }
            }
            c
        })
        .collect()
}

fn outcome(s: &Sent) -> Result<(), routing::Error> {
    if s.acked {
        Ok(())
    } else {
        Err(routing::Error::MaxRetransmit)
    }
}

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

/// The oracle over the players `counts` picks: of every choice of one limit per
/// player, the one with the least airtime per delivered reply at a delivery rate no
/// lower than `floor` (a fraction). Players not counted get limit 1 (they do not
/// matter to the sum).
///
/// Exact, without trying all 7^10 choices: a player's cell that delivers no more
/// than another of its cells, for no less airtime, is never in a best choice
/// (swapping it for the other lowers the airtime and raises the deliveries), so only
/// the cells no other beats are tried. Every cell of a player has the same replies
/// sent (the same draws), which makes that swap exact.
fn oracle(players: &[PlayerCells], counts: impl Fn(&PlayerCells) -> bool, floor: f64) -> Vec<u8> {
    let candidates: Vec<Vec<usize>> = players
        .iter()
        .map(|p| {
            if !counts(p) {
                return vec![0];
            }
            (0..p.cells.len())
                .filter(|&i| {
                    let c = &p.cells[i];
                    !p.cells.iter().enumerate().any(|(j, o)| {
                        j != i
                            && o.sent == c.sent
                            && o.delivered >= c.delivered
                            && o.airtime_us <= c.airtime_us
                            && (o.delivered > c.delivered || o.airtime_us < c.airtime_us || j < i)
                    })
                })
                .collect()
        })
        .collect();
    let total: usize = candidates.iter().map(Vec::len).product();
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut pick = vec![0usize; players.len()];
    for mut code in 0..total {
        let mut sum = Cell::default();
        for ((slot, cands), p) in pick.iter_mut().zip(&candidates).zip(players) {
            *slot = cands[code % cands.len()];
            code /= cands.len();
            if counts(p) {
                sum.add(&p.cells[*slot]);
            }
        }
        if (sum.delivered as f64) < floor * sum.sent as f64 {
            continue;
        }
        if let Some(cost) = sum.per_delivered()
            && best.as_ref().is_none_or(|(b, _)| cost < *b)
        {
            best = Some((cost, pick.clone()));
        }
    }
    let pick = best.map_or_else(|| vec![0; players.len()], |(_, p)| p);
    pick.iter()
        .zip(players)
        .map(|(&i, p)| p.cells[i].limit)
        .collect()
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

impl Choice {
    fn saving(&self, base: &Choice, within_3: bool) -> Option<f64> {
        let (b, c) = if within_3 {
            (&base.within_3, &self.within_3)
        } else {
            (&base.all, &self.all)
        };
        Some(100.0 * (1.0 - c.per_delivered()? / b.per_delivered()?))
    }
}

impl TopologyBound {
    fn baseline(&self) -> Option<&Choice> {
        let name = BASELINE.to_string();
        self.choices.iter().find(|c| c.name == name)
    }

    /// The learned rule's saving and the oracle's, over all players and 0-3 hops out.
    pub fn savings(&self) -> [Option<f64>; 4] {
        let Some(base) = self.baseline() else {
            return [None; 4];
        };
        let find = |n: &str| self.choices.iter().find(|c| c.name == n);
        let learned = find(&HopRule::Learned.to_string());
        [
            learned.and_then(|c| c.saving(base, false)),
            learned.and_then(|c| c.saving(base, true)),
            find("best limit per player").and_then(|c| c.saving(base, false)),
            find("best limit per player 0-3 hops out").and_then(|c| c.saving(base, true)),
        ]
    }
}

fn cell_text(c: &Cell) -> String {
    match c.per_delivered() {
        Some(s) => format!("{:>4.0}%/{:>5.2}", c.delivery(), s),
        None => format!("{:>4.0}%/{:>5}", c.delivery(), "-"),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}%"))
}

impl BoundFigures {
    pub fn table(&self) -> String {
        let mut out = format!(
            "16b. what a hop limit can save on a flooded reply, model only (LongFast, {} draws a cell, rules on {} chains of {} replies a player)\n",
            self.draws.per_cell, self.draws.chains, self.draws.replies
        );
        for t in &self.topologies {
            out.push_str(&format!(
                "{}: delivered% / s mesh-wide airtime per delivered reply\nplayer  hops |",
                t.topology
            ));
            for l in LIMITS {
                out.push_str(&format!("   at limit {l} "));
            }
            out.push('\n');
            for p in &t.players {
                out.push_str(&format!("{:<7} {:>4} |", p.name, p.hops));
                for c in &p.cells {
                    out.push_str(&format!(" {}", cell_text(c)));
                }
                out.push('\n');
            }
            let base = t.baseline();
            for c in &t.choices {
                out.push_str(&format!(
                    "{:<36} all: {} ({} less) | 0-3 hops out: {} ({} less){}\n",
                    c.name,
                    cell_text(&c.all),
                    pct(base.and_then(|b| c.saving(b, false))),
                    cell_text(&c.within_3),
                    pct(base.and_then(|b| c.saving(b, true))),
                    if c.limits.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "  limits {}",
                            c.limits
                                .iter()
                                .map(u8::to_string)
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    }
                ));
            }
            out.push_str("sent again at the configured limit after a miss below it:");
            for c in t.choices.iter().filter(|c| c.limits.is_empty()) {
                out.push_str(&format!(
                    " {} {:.1}%",
                    c.name,
                    100.0 * c.all.sent_again as f64 / c.all.sent.max(1) as f64
                ));
            }
            out.push('\n');
        }
        out.push_str("saving per delivered flooded reply against fixed:3 (target 25%): topology: learned all / 0-3 | best limits all / 0-3\n");
        for t in &self.topologies {
            let [l, l3, o, o3] = t.savings();
            out.push_str(&format!(
                "{}: {} / {} | {} / {}\n",
                t.topology,
                pct(l),
                pct(l3),
                pct(o),
                pct(o3)
            ));
        }
        out
    }

    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for t in &self.topologies {
            let [l, l3, o, o3] = t.savings();
            for (what, v) in [
                ("learned saving, all", l),
                ("learned saving, 0-3 hops", l3),
                ("best limits' saving, all", o),
                ("best limits' saving, 0-3 hops", o3),
            ] {
                if let Some(v) = v {
                    rows.push(row(
                        &format!("16b. {}: {what}", t.topology),
                        "designed",
                        v,
                        "%",
                    ));
                }
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(limit: u8, sent: u64, delivered: u64, airtime_s: u64) -> Cell {
        Cell {
            limit,
            sent,
            delivered,
            airtime_us: airtime_s * 1_000_000,
            sent_again: 0,
        }
    }

    fn player(hops: usize, cells: [(u64, u64); 5]) -> PlayerCells {
        PlayerCells {
            name: format!("p{hops}"),
            hops,
            cells: cells
                .iter()
                .zip(1u8..)
                .map(|(&(d, a), l)| cell(l, 10, d, a))
                .collect(),
        }
    }

    #[test]
    fn a_flood_to_a_direct_neighbour_costs_the_mesh_less_at_limit_1_and_still_arrives() {
        let t = Topology::parse(
            &format!("random:{NODES}:{TOPOLOGY_SEED}"),
            RadioParams::default(),
        )
        .expect("topology");
        let nums: Vec<u32> = (0..t.nodes.len() as u32)
            .map(|k| 0x4d4d_1000 + k + 1)
            .collect();
        // The second player 0 hops out (n6): some of the BBS's neighbours do not hear
        // its ACK in time, and relay.
        let ps = players(&t, MAX_HOPS, PER_HOP);
        let p = price(&t, &nums, &ps[1], 20);
        assert_eq!(ps[1].hops, 0);
        let (at1, at3) = (p.cells[0], p.cells[2]);
        assert_eq!(
            (at1.delivered, at3.delivered),
            (at1.sent, at3.sent),
            "{p:?}"
        );
        let (c1, c3) = (
            at1.per_delivered().expect("delivered"),
            at3.per_delivered().expect("delivered"),
        );
        assert!(
            c1 < 0.6 * c3,
            "limit 1: {c1:.2} s, limit 3: {c3:.2} s a delivered reply"
        );
    }

    #[test]
    fn the_oracle_picks_the_cheapest_limits_that_keep_delivery() {
        // A near player: every limit delivers, limit 1 is cheapest. A far one: only
        // limits 4 and 5 deliver, 5 more often and cheaper per delivery.
        let near = player(0, [(10, 20), (10, 30), (10, 40), (10, 50), (10, 60)]);
        let far = player(4, [(0, 30), (0, 40), (0, 50), (5, 100), (10, 120)]);
        let table = [near, far];
        assert_eq!(
            oracle(&table, |_| true, 0.0),
            [1, 1],
            "giving up is cheapest"
        );
        assert_eq!(oracle(&table, |_| true, 0.75), [1, 5]);
        assert_eq!(
            oracle(&table, |p| p.hops <= 3, 1.0),
            [1, 1],
            "a player not counted gets limit 1"
        );
    }
}
