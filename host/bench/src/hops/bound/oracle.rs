//! Figure 16b's oracle: the best hop limit per player, knowing the table.

use super::cells::{Cell, PlayerCells};

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
pub(super) fn oracle(
    players: &[PlayerCells],
    counts: impl Fn(&PlayerCells) -> bool,
    floor: f64,
) -> Vec<u8> {
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
