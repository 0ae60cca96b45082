//! Figure 16's table: per rule and distance, delivery, latency and mesh-wide airtime
//! per delivered packet; and the learned rule's saving against fixed:3.

use std::time::Duration;

use meshmush::config::HopRule;
use meshmush_testkit::stats::percentile;
use serde::Serialize;

use super::players::Player;
use super::setup::{HopsOptions, RULES};
use crate::figures::{Row, row};

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

    pub(super) fn add(&mut self, o: &HopRow) {
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
    pub options: HopsOptions,
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
    pub(super) fn of(base: &HopRow, new: &HopRow) -> Self {
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
            "16. replies sized to the distance: {}, LongFast, {} session(s) per player, model seed {}, replies {}\nplayers (name@hops away):",
            self.topology,
            self.sessions,
            self.options.sim_seed,
            if self.options.flood_wait {
                "wait out their request's flood"
            } else {
                "go at once"
            }
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
