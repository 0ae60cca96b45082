//! Figure 16b's table and rows.

use meshmush::config::HopRule;

use super::super::setup::BASELINE;
use super::cells::{BoundFigures, Cell, Choice, LIMITS, TopologyBound};
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
