//! Figure 16b's oracle: the best hop limits per player, knowing the table.

use super::cells::{Cell, Mix, PlayerCells};

/// What the oracle picked: a limit per player, and at most one player who splits its
/// replies between that limit and another.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pick {
    pub limits: Vec<u8>,
    pub mix: Option<Mix>,
}

/// The oracle over the players `counts` picks: the limits with the least airtime per
/// delivered reply over those players, at a delivery rate no lower than
/// `floor` = (delivered, sent) of the baseline. A player may split its replies
/// between two limits, as any rule that varies a player's limit from reply to reply
/// does on average. Players not counted get limit `others`. `None`: no choice keeps
/// the delivery rate.
///
/// Exact, without trying all 7^10 choices:
/// - A player's cell that delivers no more than another of its cells, for no less
///   airtime, is never in a best choice: swapping it for the other lowers the airtime
///   and raises the deliveries. Every cell of a player has the same replies sent (the
///   same draws), which makes that swap exact. So only the cells no other beats are
///   tried.
/// - Minimising a ratio of sums under one linear constraint is a linear-fractional
///   programme: a best split has at most one player between two limits, at the share
///   where the delivery rate is exactly the floor (the ratio is monotone in that
///   share, so an optimum sits at an end of its feasible range).
pub(super) fn oracle(
    players: &[PlayerCells],
    counts: impl Fn(&PlayerCells) -> bool,
    floor: (u64, u64),
    others: u8,
) -> Option<Pick> {
    let candidates: Vec<Vec<usize>> = players
        .iter()
        .map(|p| {
            if !counts(p) {
                return vec![p.cells.iter().position(|c| c.limit == others).unwrap_or(0)];
            }
            (0..p.cells.len())
                .filter(|&i| !dominated(&p.cells, i))
                .collect()
        })
        .collect();
    let (base_delivered, base_sent) = (u128::from(floor.0), u128::from(floor.1));
    let target = |sent: u64| floor.0 as f64 / floor.1.max(1) as f64 * sent as f64;
    let total: usize = candidates.iter().map(Vec::len).product();
    // (airtime per delivery, deliveries, pick)
    let mut best: Option<(f64, f64, Pick)> = None;
    let mut consider = |cost: f64, delivered: f64, pick: &dyn Fn() -> Pick| {
        let better = best
            .as_ref()
            .is_none_or(|(c, d, _)| cost < *c || (cost == *c && delivered > *d));
        if better {
            best = Some((cost, delivered, pick()));
        }
    };
    let mut slots = vec![0usize; players.len()];
    for mut code in 0..total {
        for (slot, cands) in slots.iter_mut().zip(&candidates) {
            *slot = cands[code % cands.len()];
            code /= cands.len();
        }
        let mut sum = Cell::default();
        for (p, &i) in players.iter().zip(&slots) {
            if counts(p) {
                sum.add(&p.cells[i]);
            }
        }
        let limits = || -> Vec<u8> {
            slots
                .iter()
                .zip(players)
                .map(|(&i, p)| p.cells[i].limit)
                .collect()
        };
        let (d, a) = (sum.delivered as f64, sum.airtime_us as f64);
        if u128::from(sum.delivered) * base_sent >= base_delivered * u128::from(sum.sent)
            && sum.delivered > 0
        {
            consider(a / d, d, &|| Pick {
                limits: limits(),
                mix: None,
            });
        }
        // One player's replies split with another of its cells, at the share that
        // puts the delivery rate on the floor.
        let need = target(sum.sent);
        for (k, (p, cands)) in players.iter().zip(&candidates).enumerate() {
            if !counts(p) {
                continue;
            }
            let now = &p.cells[slots[k]];
            for &j in cands {
                let other = &p.cells[j];
                let dd = other.delivered as f64 - now.delivered as f64;
                if dd == 0.0 {
                    continue;
                }
                let share = (need - d) / dd;
                if share <= 0.0 || share >= 1.0 {
                    continue;
                }
                let delivered = d + share * dd;
                let airtime = a + share * (other.airtime_us as f64 - now.airtime_us as f64);
                consider(airtime / delivered, delivered, &|| Pick {
                    limits: limits(),
                    mix: Some(Mix {
                        player: k,
                        limit: other.limit,
                        share,
                    }),
                });
            }
        }
    }
    best.map(|(_, _, pick)| pick)
}

/// Whether another of `cells` beats cell `i`: as many deliveries or more for no more
/// airtime, from the same replies (of two equal cells, the lower limit stays).
fn dominated(cells: &[Cell], i: usize) -> bool {
    let c = &cells[i];
    cells.iter().enumerate().any(|(j, o)| {
        j != i
            && o.sent == c.sent
            && o.delivered >= c.delivered
            && o.airtime_us <= c.airtime_us
            && (o.delivered > c.delivered || o.airtime_us < c.airtime_us || j < i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hops::bound::cells::Totals;

    fn cell(limit: u8, sent: u64, delivered: u64, airtime_s: u64) -> Cell {
        Cell {
            limit,
            sent,
            delivered,
            airtime_us: airtime_s * 1_000_000,
            sent_again: 0,
            routed: 0,
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

    /// The totals of `pick` over `table`.
    fn totals(table: &[PlayerCells], pick: &Pick) -> Totals {
        let mut t = Totals::default();
        for (k, (p, &l)) in table.iter().zip(&pick.limits).enumerate() {
            let at = |l: u8| &p.cells[usize::from(l - 1)];
            match pick.mix {
                Some(m) if m.player == k => {
                    t.add(at(l), 1.0 - m.share);
                    t.add(at(m.limit), m.share);
                }
                _ => t.add(at(l), 1.0),
            }
        }
        t
    }

    // A near player: every limit delivers, limit 1 is cheapest. A far one: only
    // limits 4 and 5 deliver, 5 more often and cheaper per delivery.
    fn table() -> [PlayerCells; 2] {
        [
            player(0, [(10, 20), (10, 30), (10, 40), (10, 50), (10, 60)]),
            player(4, [(0, 30), (0, 40), (0, 50), (5, 100), (10, 120)]),
        ]
    }

    #[test]
    fn the_oracle_picks_the_cheapest_limits_that_keep_delivery() {
        let table = table();
        let free = oracle(&table, |_| true, (0, 1), 3).expect("a pick");
        assert_eq!(free.limits, [1, 1], "giving up is cheapest");
        // Every reply delivered: only limit 5 for the far player will do.
        let all = oracle(&table, |_| true, (1, 1), 3).expect("a pick");
        assert_eq!((all.limits.as_slice(), all.mix), ([1, 5].as_slice(), None));
        let within = oracle(&table, |p| p.hops <= 3, (1, 1), 3).expect("a pick");
        assert_eq!(within.limits, [1, 3], "a player not counted gets `others`");
        assert_eq!(
            oracle(&table, |_| true, (11, 10), 3),
            None,
            "nothing keeps a rate above 100 %"
        );
    }

    #[test]
    fn a_split_between_two_limits_beats_any_single_limit_when_the_floor_binds() {
        // 75 % delivered: pure limits need the far player at 5 (140 s for 20
        // deliveries, 7.0 s each); half its replies at 5 and half at 1 deliver 15 for
        // 20 + 60 + 15 = 95 s, 6.33 s each.
        let table = table();
        let pick = oracle(&table, |_| true, (3, 4), 3).expect("a pick");
        let t = totals(&table, &pick);
        assert!(pick.mix.is_some(), "{pick:?}");
        assert!((t.delivery() - 75.0).abs() < 1e-9, "{t:?}");
        let cost = t.per_delivered().expect("delivered");
        assert!((cost - 95.0 / 15.0).abs() < 1e-9, "{cost}");
    }
}
