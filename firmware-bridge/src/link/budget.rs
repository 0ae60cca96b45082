//! The airtime budget: how much time on air the BBS may still spend this hour.
//!
//! A rolling window of what we transmitted, measured with Tokio's clock so tests can
//! pause time. The limit is a share of the region's duty cycle (EU_868: 10% of an
//! hour), so the BBS leaves air for everyone else on the mesh.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct AirtimeBudget {
    window: Duration,
    limit: Duration,
    spent: VecDeque<(Instant, Duration)>,
    total: Duration,
}

impl AirtimeBudget {
    /// `limit` of airtime per rolling `window`.
    pub fn new(limit: Duration, window: Duration) -> Self {
        Self {
            window,
            limit,
            spent: VecDeque::new(),
            total: Duration::ZERO,
        }
    }

    pub fn set_limit(&mut self, limit: Duration) {
        self.limit = limit;
    }

    pub fn set_window(&mut self, window: Duration) {
        self.window = window;
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    fn expire(&mut self, now: Instant) {
        while let Some(&(at, d)) = self.spent.front() {
            if now.saturating_duration_since(at) < self.window {
                break;
            }
            self.spent.pop_front();
            self.total = self.total.saturating_sub(d);
        }
    }

    /// Airtime spent in the current window.
    pub fn used(&mut self, now: Instant) -> Duration {
        self.expire(now);
        self.total
    }

    /// When a packet of `cost` may go: now, or when enough old spending leaves the
    /// window. A single packet larger than the whole limit may go once the window is
    /// empty, so nothing waits forever.
    pub fn ready_at(&mut self, now: Instant, cost: Duration) -> Instant {
        self.expire(now);
        if self.total + cost <= self.limit || self.spent.is_empty() {
            return now;
        }
        let mut total = self.total;
        for &(at, d) in &self.spent {
            total = total.saturating_sub(d);
            if total + cost <= self.limit {
                return at + self.window;
            }
        }
        self.spent.back().map_or(now, |&(at, _)| at + self.window)
    }

    /// Counts a transmission of `cost` made at `at`, which may be before transmissions
    /// already counted (a previous run's, restored from the ledger). Expired entries
    /// leave at the next call that looks at the window.
    pub fn restore(&mut self, at: Instant, cost: Duration) {
        if cost.is_zero() {
            return;
        }
        let i = self.spent.partition_point(|&(t, _)| t <= at);
        self.spent.insert(i, (at, cost));
        self.total += cost;
    }

    /// Records a transmission of `cost`. (Who it went to is the metrics' business:
    /// the budget keeps only its window, so it is as small as the hour's traffic.)
    pub fn spend(&mut self, now: Instant, cost: Duration) {
        self.expire(now);
        if cost.is_zero() {
            // Nothing to remember (an instant simulation): keep the window empty.
            return;
        }
        self.spent.push_back((now, cost));
        self.total += cost;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_until_old_spending_leaves_the_window() {
        let mut b = AirtimeBudget::new(Duration::from_secs(3), Duration::from_secs(60));
        let t0 = Instant::now();
        b.spend(t0, Duration::from_secs(2));
        assert_eq!(b.ready_at(t0, Duration::from_secs(1)), t0);
        b.spend(t0 + Duration::from_secs(10), Duration::from_secs(1));
        let t = t0 + Duration::from_secs(11);
        assert_eq!(
            b.ready_at(t, Duration::from_secs(1)),
            t0 + Duration::from_secs(60)
        );
        assert_eq!(b.used(t0 + Duration::from_secs(61)), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn restored_spending_counts_until_it_leaves_the_window() {
        let mut b = AirtimeBudget::new(Duration::from_secs(10), Duration::from_secs(60));
        tokio::time::advance(Duration::from_secs(120)).await;
        let t0 = Instant::now();
        b.spend(t0, Duration::from_secs(1));
        // Restored after a spend of this run, and out of order: kept in time order.
        b.restore(t0 - Duration::from_secs(10), Duration::from_secs(4));
        b.restore(t0 - Duration::from_secs(50), Duration::from_secs(3));
        b.restore(t0 - Duration::from_secs(90), Duration::from_secs(5));
        assert_eq!(
            b.used(t0),
            Duration::from_secs(8),
            "the 90 s old one is out"
        );
        assert_eq!(
            b.ready_at(t0, Duration::from_secs(4)),
            t0 + Duration::from_secs(10),
            "waits for the 50 s old spend to leave"
        );
        tokio::time::advance(Duration::from_secs(11)).await;
        assert_eq!(b.used(Instant::now()), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn an_oversized_packet_goes_when_the_window_is_empty() {
        let mut b = AirtimeBudget::new(Duration::from_secs(1), Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(b.ready_at(t0, Duration::from_secs(5)), t0);
    }
}
