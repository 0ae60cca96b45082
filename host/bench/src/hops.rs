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

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use meshmush::config::{Config, HopRule};
use meshmush_firmware_bridge::sim::handset::{Handset, fast_link_config};
use meshmush_firmware_bridge::sim::multihop::{Micros, RadioParams, Topology, TxRecord};
use meshmush_firmware_bridge::sim::{Heard, Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::{PRIMARY_CHANNEL, TextMessage};
use meshmush_testkit::Kit;
use meshmush_testkit::stats::percentile;
use serde::Serialize;

use super::figures::{BenchError, Row, row};
use super::session::standard_commands;

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

/// A player: a node of the topology at a distance.
#[derive(Debug, Clone, Serialize)]
pub struct Player {
    /// Index in the topology (node 0 is the BBS's).
    pub node: usize,
    pub name: String,
    /// The firmware's hops away (radio hops less one).
    pub hops: usize,
}

/// Picks up to `per_hop` nodes at each of 0..=`max_hops` hops from node 0, in
/// topology order.
pub fn players(topology: &Topology, max_hops: usize, per_hop: usize) -> Vec<Player> {
    let radio = topology.radio_hops_from(0);
    let mut out = Vec::new();
    for h in 0..=max_hops {
        out.extend(
            radio
                .iter()
                .enumerate()
                .filter(|(k, r)| *k > 0 && **r == Some(h + 1))
                .take(per_hop)
                .map(|(k, _)| Player {
                    node: k,
                    name: topology.nodes[k].name.clone(),
                    hops: h,
                }),
        );
    }
    out
}

/// One rule at one hop distance (or all of them: `hops` None).
#[derive(Debug, Clone, Serialize, Default)]
pub struct HopRow {
    pub rule: String,
    pub hops: Option<usize>,
    pub commands: usize,
    pub answered: usize,
    pub latencies_s: Vec<f64>,
    pub flooded_sent: usize,
    pub flooded_delivered: usize,
    /// The packets' own transmissions (the BBS node's sends, every relay), s.
    pub flooded_airtime_s: f64,
    /// Their ACKs' transmissions on the way back, s.
    pub flooded_ack_airtime_s: f64,
    pub next_hop_sent: usize,
    pub next_hop_delivered: usize,
    pub next_hop_airtime_s: f64,
    pub next_hop_ack_airtime_s: f64,
}

impl HopRow {
    pub fn delivery_percent(&self) -> f64 {
        100.0 * self.answered as f64 / self.commands.max(1) as f64
    }

    fn latency(&self, p: f64) -> Option<f64> {
        let mut sorted: Vec<Duration> = self
            .latencies_s
            .iter()
            .map(|s| Duration::from_secs_f64(*s))
            .collect();
        sorted.sort();
        (!sorted.is_empty()).then(|| percentile(&sorted, p).as_secs_f64())
    }

    /// Mesh-wide airtime per delivered flooded packet (s).
    pub fn flooded_per_delivered(&self) -> Option<f64> {
        (self.flooded_delivered > 0).then(|| self.flooded_airtime_s / self.flooded_delivered as f64)
    }

    pub fn next_hop_per_delivered(&self) -> Option<f64> {
        (self.next_hop_delivered > 0)
            .then(|| self.next_hop_airtime_s / self.next_hop_delivered as f64)
    }

    pub fn overall_per_delivered(&self) -> Option<f64> {
        let d = self.flooded_delivered + self.next_hop_delivered;
        (d > 0).then(|| (self.flooded_airtime_s + self.next_hop_airtime_s) / d as f64)
    }

    /// The same, the ACKs' transmissions included.
    pub fn flooded_with_acks(&self) -> Option<f64> {
        (self.flooded_delivered > 0).then(|| {
            (self.flooded_airtime_s + self.flooded_ack_airtime_s) / self.flooded_delivered as f64
        })
    }

    pub fn overall_with_acks(&self) -> Option<f64> {
        let d = self.flooded_delivered + self.next_hop_delivered;
        (d > 0).then(|| {
            (self.flooded_airtime_s
                + self.next_hop_airtime_s
                + self.flooded_ack_airtime_s
                + self.next_hop_ack_airtime_s)
                / d as f64
        })
    }

    fn add(&mut self, o: &HopRow) {
        self.commands += o.commands;
        self.answered += o.answered;
        self.latencies_s.extend(&o.latencies_s);
        self.flooded_sent += o.flooded_sent;
        self.flooded_delivered += o.flooded_delivered;
        self.flooded_airtime_s += o.flooded_airtime_s;
        self.flooded_ack_airtime_s += o.flooded_ack_airtime_s;
        self.next_hop_sent += o.next_hop_sent;
        self.next_hop_delivered += o.next_hop_delivered;
        self.next_hop_airtime_s += o.next_hop_airtime_s;
        self.next_hop_ack_airtime_s += o.next_hop_ack_airtime_s;
    }
}

/// Figure 16.
#[derive(Debug, Clone, Serialize)]
pub struct HopsFigures {
    pub topology: String,
    pub sessions: usize,
    pub players: Vec<Player>,
    /// Per rule, per hop distance, then the rule's whole run.
    pub rows: Vec<HopRow>,
    /// Mesh-wide airtime of everything in each rule's run (requests too), s.
    pub mesh_airtime_s: Vec<(String, f64)>,
    /// The learned rule's saving against fixed:3, every player.
    pub saving: Savings,
    /// The same over the players 0-3 hops out, whom fixed:3 can reach.
    pub saving_within_3: Savings,
}

fn opt(v: Option<f64>, width: usize, prec: usize) -> String {
    v.map_or(format!("{:>width$}", "-"), |v| format!("{v:>width$.prec$}"))
}

fn saving(base: Option<f64>, new: Option<f64>) -> Option<f64> {
    let (b, n) = (base?, new?);
    (b > 0.0).then(|| 100.0 * (b - n) / b)
}

/// How much less mesh-wide airtime per delivered packet one rule spends than another,
/// in percent.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Savings {
    /// Flooded packets, their own transmissions.
    pub flooded: Option<f64>,
    /// Every packet.
    pub overall: Option<f64>,
    /// Flooded packets, with their ACKs' transmissions.
    pub flooded_with_acks: Option<f64>,
    pub overall_with_acks: Option<f64>,
}

impl Savings {
    fn of(base: &HopRow, new: &HopRow) -> Self {
        Self {
            flooded: saving(base.flooded_per_delivered(), new.flooded_per_delivered()),
            overall: saving(base.overall_per_delivered(), new.overall_per_delivered()),
            flooded_with_acks: saving(base.flooded_with_acks(), new.flooded_with_acks()),
            overall_with_acks: saving(base.overall_with_acks(), new.overall_with_acks()),
        }
    }

    fn line(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}%"));
        format!(
            "flooded replies {} less, overall {} less (with their ACKs: {}, {})",
            pct(self.flooded),
            pct(self.overall),
            pct(self.flooded_with_acks),
            pct(self.overall_with_acks)
        )
    }
}

impl HopsFigures {
    pub fn table(&self) -> String {
        let mut out = format!(
            "16. replies sized to the distance: {}, LongFast, {} session(s) per player\nplayers (name@hops away):",
            self.topology, self.sessions
        );
        for p in &self.players {
            out.push_str(&format!(" {}@{}", p.name, p.hops));
        }
        out.push_str(&format!(
            "\n{:<9} {:>4} {:>5} {:>7} {:>7} {:>7} | {:>13} {:>8} {:>8} | {:>13} {:>8} {:>8}\n",
            "rule",
            "hops",
            "cmds",
            "deliv%",
            "p50 s",
            "p99 s",
            "flooded d/s",
            "s/deliv",
            "+acks",
            "next-hop d/s",
            "s/deliv",
            "+acks",
        ));
        for r in &self.rows {
            let next_hop_acks = (r.next_hop_delivered > 0).then(|| {
                (r.next_hop_airtime_s + r.next_hop_ack_airtime_s) / r.next_hop_delivered as f64
            });
            out.push_str(&format!(
                "{:<9} {:>4} {:>5} {:>7.1} {} {} | {:>13} {} {} | {:>13} {} {}\n",
                r.rule,
                r.hops.map_or("all".to_string(), |h| h.to_string()),
                r.commands,
                r.delivery_percent(),
                opt(r.latency(0.5), 7, 1),
                opt(r.latency(0.99), 7, 1),
                format!("{}/{}", r.flooded_delivered, r.flooded_sent),
                opt(r.flooded_per_delivered(), 8, 2),
                opt(r.flooded_with_acks(), 8, 2),
                format!("{}/{}", r.next_hop_delivered, r.next_hop_sent),
                opt(r.next_hop_per_delivered(), 8, 2),
                opt(next_hop_acks, 8, 2),
            ));
        }
        for (rule, s) in &self.mesh_airtime_s {
            out.push_str(&format!("mesh airtime, everything ({rule}): {s:.0} s\n"));
        }
        out.push_str(&format!(
            "learned vs fixed:3, mesh-wide airtime per delivered packet: {}; players 0-3 hops out: {} (target: flooded >= 25% less at equal or better delivery)\n",
            self.saving.line(),
            self.saving_within_3.line(),
        ));
        out
    }

    fn whole(&self, rule: HopRule) -> Option<&HopRow> {
        let name = rule.to_string();
        self.rows
            .iter()
            .find(|r| r.rule == name && r.hops.is_none())
    }

    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let f = "16. hop rules, random:30 mesh";
        for rule in RULES {
            if let Some(r) = self.whole(rule) {
                rows.push(row(
                    &format!("{f}: {rule}: delivery"),
                    "designed",
                    r.delivery_percent(),
                    "%",
                ));
                if let Some(v) = r.flooded_per_delivered() {
                    rows.push(row(
                        &format!("{f}: {rule}: airtime per delivered flooded packet"),
                        "designed",
                        v,
                        "s",
                    ));
                }
                if let Some(v) = r.overall_per_delivered() {
                    rows.push(row(
                        &format!("{f}: {rule}: airtime per delivered packet"),
                        "designed",
                        v,
                        "s",
                    ));
                }
            }
        }
        if let Some(v) = self.saving.flooded {
            rows.push(row(
                &format!("{f}: learned saving, flooded (target >= 25)"),
                "designed",
                v,
                "%",
            ));
        }
        if let Some(v) = self.saving.overall {
            rows.push(row(
                &format!("{f}: learned saving, overall"),
                "designed",
                v,
                "%",
            ));
        }
        rows
    }
}

/// What one player's commands were and what came back.
struct Played {
    hops: usize,
    num: u32,
    /// The packet id of each command.
    commands: Vec<u32>,
    texts: Vec<TextMessage>,
}

/// Waits until the daemon has nothing queued or in flight and the mesh is quiet, up
/// to `limit` (wall).
async fn settle(kit: &Kit, mesh: &Mesh, limit: Duration) {
    let started = Instant::now();
    let mut quiet_since: Option<Instant> = None;
    while started.elapsed() < limit {
        let quiet = kit.app.link().metrics().queue_depth == 0 && mesh.radio_idle();
        match (quiet, quiet_since) {
            (true, Some(t)) if t.elapsed() >= Duration::from_millis(60) => return,
            (true, None) => quiet_since = Some(Instant::now()),
            (false, _) => quiet_since = None,
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One command: sent, its first reply awaited, the mesh let settle.
async fn step(
    kit: &Kit,
    mesh: &Mesh,
    h: &mut Handset,
    cmd: &str,
    played: &mut Played,
) -> Result<(), BenchError> {
    // What came meanwhile (another player's mail notice) is this player's too.
    played
        .texts
        .extend(h.texts_until_quiet(Duration::from_millis(1)).await);
    let ids = h
        .link
        .send_text(kit.bbs, PRIMARY_CHANNEL, cmd)
        .await
        .map_err(|e| BenchError::Failed(format!("sending {cmd:?}: {e}")))?;
    played.commands.extend(ids.first());
    if let Some(first) = h.next_text(wall(FIRST_WAIT)).await {
        played.texts.push(first);
    }
    settle(kit, mesh, wall(FIRST_WAIT)).await;
    played
        .texts
        .extend(h.texts_until_quiet(Duration::from_millis(20)).await);
    Ok(())
}

/// The BBS's DMs to the players, priced, and the players' commands timed.
fn account(
    rule: HopRule,
    bbs: u32,
    trace: &[TxRecord],
    heard: &[Heard],
    played: &[Played],
) -> Vec<HopRow> {
    let decoded: HashSet<(u32, u32, u32)> = heard.iter().map(|h| (h.node, h.from, h.id)).collect();
    let heard_at: HashMap<(u32, u32, u32), Micros> =
        heard.iter().fold(HashMap::new(), |mut m, h| {
            m.entry((h.node, h.from, h.id)).or_insert(h.at);
            m
        });
    let mut rows: Vec<HopRow> = (0..=MAX_HOPS)
        .map(|h| HopRow {
            rule: rule.to_string(),
            hops: Some(h),
            ..HopRow::default()
        })
        .collect();
    for p in played {
        let r = &mut rows[p.hops];
        // The BBS's packets to the player (not its ACKs to the player's commands).
        let mut packets: Vec<u32> = Vec::new();
        for t in trace {
            if t.from == bbs && t.to == p.num && t.request_id == 0 && !packets.contains(&t.id) {
                packets.push(t.id);
            }
        }
        for id in packets {
            let flooded = trace
                .iter()
                .find(|t| t.node == bbs && t.from == bbs && t.id == id)
                .is_none_or(|t| t.next_hop == 0);
            let air: Micros = trace
                .iter()
                .filter(|t| t.from == bbs && t.id == id)
                .map(|t| t.airtime)
                .sum();
            let acks: Micros = trace
                .iter()
                .filter(|t| t.from == p.num && t.to == bbs && t.request_id == id)
                .map(|t| t.airtime)
                .sum();
            let delivered = decoded.contains(&(p.num, bbs, id));
            if flooded {
                r.flooded_sent += 1;
                r.flooded_delivered += usize::from(delivered);
                r.flooded_airtime_s += secs(air);
                r.flooded_ack_airtime_s += secs(acks);
            } else {
                r.next_hop_sent += 1;
                r.next_hop_delivered += usize::from(delivered);
                r.next_hop_airtime_s += secs(air);
                r.next_hop_ack_airtime_s += secs(acks);
            }
        }
        for &cmd in &p.commands {
            r.commands += 1;
            let sent = trace
                .iter()
                .find(|t| t.from == p.num && t.id == cmd)
                .map(|t| t.at);
            let first = p
                .texts
                .iter()
                .filter(|t| t.reply_id == Some(cmd))
                .filter_map(|t| heard_at.get(&(p.num, bbs, t.id)).copied())
                .min();
            if let (Some(sent), Some(first)) = (sent, first) {
                r.answered += 1;
                r.latencies_s.push(secs(first.saturating_sub(sent)));
            }
        }
    }
    let mut all = HopRow {
        rule: rule.to_string(),
        hops: None,
        ..HopRow::default()
    };
    for r in &rows {
        all.add(r);
    }
    rows.push(all);
    rows
}

/// One rule's run on a fresh mesh and store: its rows, and the mesh's whole airtime.
async fn run_rule(
    rule: HopRule,
    topology: &Topology,
    players: &[Player],
    sessions: usize,
) -> Result<(Vec<HopRow>, f64), BenchError> {
    let mut cfg = Config::default();
    meshmush_testkit::lift_limits(&mut cfg);
    cfg.replies.hop_rule = rule;
    let sim = SimConfig {
        time_scale: SCALE,
        seed: SIM_SEED,
        trace: true,
        ..SimConfig::multihop(topology.clone())
    };
    let kit = Kit::builder(cfg)
        .sim(sim)
        .connect_handsets(false)
        .daemon_link(|mut l| {
            l.ack_timeout = wall(ACK_WAIT);
            l
        })
        .start()
        .await?;
    let result = play(&kit, players, sessions).await;
    let out = match (result, kit.mesh()) {
        (Ok(played), Some(mesh)) => {
            let trace = mesh.radio_trace();
            let rows = account(rule, kit.bbs, &trace, &mesh.radio_heard(), &played);
            let everything = secs(trace.iter().map(|t| t.airtime).sum());
            Ok((rows, everything))
        }
        (Ok(_), None) => Err(BenchError::Failed("no software mesh".into())),
        (Err(e), _) => Err(e),
    };
    let _ = kit.stop().await;
    out
}

async fn play(kit: &Kit, players: &[Player], sessions: usize) -> Result<Vec<Played>, BenchError> {
    let mesh = kit.sim()?;
    // Handset k of the mesh is topology node k + 1.
    let nodes: Vec<SimNode> = mesh.handsets().to_vec();
    let mut handsets = Vec::new();
    let mut played = Vec::new();
    for p in players {
        let node = nodes
            .get(p.node - 1)
            .ok_or_else(|| BenchError::Failed(format!("no node {}", p.node)))?;
        let mut link = fast_link_config(node);
        link.ack_timeout = wall(ACK_WAIT);
        // A player this far out has raised their node's hop limit to reach the BBS.
        link.hop_limit = link.hop_limit.max(p.hops as u32);
        let h = Handset::connect_with(node, link)
            .await
            .map_err(|e| BenchError::Failed(format!("handset {}: {e}", node.long_name)))?;
        handsets.push(h);
        played.push(Played {
            hops: p.hops,
            num: node.num,
            commands: Vec::new(),
            texts: Vec::new(),
        });
    }
    let names: Vec<String> = nodes_names(&nodes, players);
    for session in 0..sessions {
        if session > 0 {
            mesh.radio_skip(LATER);
        }
        for k in 0..players.len() {
            // Each mails the player before them (the first, the last).
            let peer = &names[(k + names.len() - 1) % names.len()];
            for cmd in standard_commands(peer) {
                step(kit, mesh, &mut handsets[k], &cmd, &mut played[k]).await?;
            }
        }
    }
    for (h, p) in handsets.iter_mut().zip(played.iter_mut()) {
        p.texts
            .extend(h.texts_until_quiet(Duration::from_millis(20)).await);
        h.link.shutdown().await;
    }
    Ok(played)
}

fn nodes_names(nodes: &[SimNode], players: &[Player]) -> Vec<String> {
    players
        .iter()
        .map(|p| {
            nodes
                .get(p.node - 1)
                .map_or_else(|| p.name.clone(), |n| n.long_name.clone())
        })
        .collect()
}

/// Figure 16: the three rules side by side (with `quick`: a player at each of 0-2
/// hops, one session).
pub async fn hops(quick: bool) -> Result<HopsFigures, BenchError> {
    let spec = format!("random:{NODES}:{TOPOLOGY_SEED}");
    let topology = Topology::parse(&spec, RadioParams::default())
        .map_err(|e| BenchError::Failed(format!("{spec}: {e}")))?;
    let (max_hops, per_hop, sessions) = if quick {
        (2, 1, 1)
    } else {
        (MAX_HOPS, PER_HOP, 2)
    };
    let players = players(&topology, max_hops, per_hop);
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
        let (r, everything) = run_rule(rule, &topology, &players, sessions).await?;
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
        sessions,
        players,
        rows,
        mesh_airtime_s,
        saving: Savings::of(&base, &learned),
        saving_within_3: Savings::of(&base3, &learned3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_topology_has_two_players_at_each_of_0_to_4_hops() {
        let t = Topology::parse(
            &format!("random:{NODES}:{TOPOLOGY_SEED}"),
            RadioParams::default(),
        )
        .expect("topology");
        let p = players(&t, MAX_HOPS, PER_HOP);
        for h in 0..=MAX_HOPS {
            assert_eq!(
                p.iter().filter(|p| p.hops == h).count(),
                PER_HOP,
                "at {h} hops: {p:?}"
            );
        }
    }

    #[test]
    #[ignore = "a search for TOPOLOGY_SEED: cargo test -p meshmush-bench -- --ignored seeds"]
    fn seeds() {
        for seed in 0..200 {
            let Ok(t) = Topology::parse(&format!("random:{NODES}:{seed}"), RadioParams::default())
            else {
                continue;
            };
            let p = players(&t, MAX_HOPS, PER_HOP);
            if (0..=MAX_HOPS).all(|h| p.iter().filter(|p| p.hops == h).count() == PER_HOP) {
                let radio = t.radio_hops_from(0);
                let far = radio.iter().flatten().max();
                println!("seed {seed}: farthest {far:?} radio hops");
            }
        }
    }
}
