//! Figure 16b's table and rows.

use meshmush::config::HopRule;

use super::super::setup::BASELINE;
use super::cells::{BoundFigures, Cell, Choice, ChoiceKind, LIMITS, TopologyBound, Totals};
use crate::figures::{Row, row};

impl Choice {
    fn saving(&self, base: &Choice, within_3: bool) -> Option<f64> {
        let (b, c) = if within_3 {
            (&base.within_3, &self.within_3)
        } else {
            (&base.all, &self.all)
        };
        Some(100.0 * (1.0 - c.per_delivered()? / b.per_delivered()?))
    }

    /// The limits per player, and the split one (`6:30%` beside a player's limit:
    /// 30 % of its replies at 6).
    fn limits_text(&self) -> String {
        let mut parts = Vec::new();
        for (k, l) in self.limits.iter().enumerate() {
            match self.mix {
                Some(m) if m.player == k => {
                    parts.push(format!("{l}+{}:{:.0}%", m.limit, 100.0 * m.share));
                }
                _ => parts.push(l.to_string()),
            }
        }
        parts.join(" ")
    }
}

impl TopologyBound {
    fn find(&self, kind: ChoiceKind, name: Option<&str>) -> Option<&Choice> {
        self.choices
            .iter()
            .find(|c| c.kind == kind && name.is_none_or(|n| c.name == n))
    }

    /// What a row's saving is measured against: a rule against fixed:3 on the rules'
    /// chains, the table's rows against limit 3 for all on the table's draws.
    fn baseline(&self, c: &Choice) -> Option<&Choice> {
        match c.kind {
            ChoiceKind::Rule => self.find(ChoiceKind::Rule, Some(&BASELINE.to_string())),
            _ => self.find(ChoiceKind::Table, None),
        }
    }

    fn saving(&self, c: Option<&Choice>, within_3: bool) -> Option<f64> {
        let c = c?;
        c.saving(self.baseline(c)?, within_3)
    }

    /// The learned rule's saving and the oracles', over all players and 0-3 hops out.
    pub fn savings(&self) -> [Option<f64>; 4] {
        let learned = self.find(ChoiceKind::Rule, Some(&HopRule::Learned.to_string()));
        [
            self.saving(learned, false),
            self.saving(learned, true),
            self.saving(self.find(ChoiceKind::Oracle, None), false),
            self.saving(self.find(ChoiceKind::OracleWithin3, None), true),
        ]
    }
}

fn cell_text(c: &Cell) -> String {
    let mut t = Totals::default();
    t.add(c, 1.0);
    totals_text(&t)
}

fn totals_text(t: &Totals) -> String {
    match t.per_delivered() {
        Some(s) => format!("{:>4.0}%/{:>5.2}", t.delivery(), s),
        None => format!("{:>4.0}%/{:>5}", t.delivery(), "-"),
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
            for c in &t.choices {
                out.push_str(&format!(
                    "{:<36} all: {} ({} less) | 0-3 hops out: {} ({} less){}\n",
                    c.name,
                    totals_text(&c.all),
                    pct(t.saving(Some(c), false)),
                    totals_text(&c.within_3),
                    pct(t.saving(Some(c), true)),
                    if c.limits.is_empty() {
                        String::new()
                    } else {
                        format!("  limits {}", c.limits_text())
                    }
                ));
            }
            out.push_str("sent again at the configured limit after a miss below it:");
            for c in t.choices.iter().filter(|c| c.kind == ChoiceKind::Rule) {
                out.push_str(&format!(
                    " {} {:.1}%",
                    c.name,
                    100.0 * c.all.sent_again / c.all.sent.max(1.0)
                ));
            }
            out.push('\n');
            let routed: u64 = t
                .players
                .iter()
                .flat_map(|p| &p.cells)
                .map(|c| c.routed)
                .sum();
            if routed > 0 {
                out.push_str(&format!(
                    "NOTE: {routed} of the table's sends went to a next hop (not flooded)\n"
                ));
            }
        }
        out.push_str("saving per delivered flooded reply against limit 3 (target 25%): topology: learned rule all / 0-3 (against fixed:3 on its chains) | best limits all / 0-3 (against limit 3 on the table's draws)\n");
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
