//! What the queue holds and has spent: its depth per class, the airtime each class
//! used, what a packet costs on air, and how long a packet of a class queued now
//! would wait (what the host reads to tell a stranger "busy, try in N min").

use std::time::Duration;

use meshmush_protocol::airtime::reply_phy_len;
use meshmush_protocol::packets::BROADCAST;
use tokio::time::Instant;

use super::{Chunk, Class, Key, Outbound};

impl Outbound {
    /// Chunks queued or in flight.
    pub fn depth(&self) -> usize {
        self.depths.iter().sum()
    }

    pub fn credits(&self) -> u32 {
        self.credits
    }

    /// Counts airtime spent before this run (restored from the ledger) against the
    /// whole budget and each class's, as if it had been spent at those instants.
    /// Not added to [`class_airtime`](Self::class_airtime), which counts this run.
    pub fn restore(&mut self, past: &[(Instant, Duration, Class)]) {
        for &(at, cost, class) in past {
            self.budget.restore(at, cost);
            self.class_budgets[class.index()].restore(at, cost);
        }
    }

    /// Airtime spent in the current window.
    pub fn airtime_used(&mut self, now: Instant) -> Duration {
        self.budget.used(now)
    }

    /// Airtime each class has spent since start, in [`Class::ALL`] order.
    pub fn class_airtime(&self) -> [Duration; 5] {
        self.class_spent
    }

    /// Packets each class holds, queued and in flight, in [`Class::ALL`] order.
    pub fn class_depths(&self) -> [usize; 5] {
        self.depths
    }

    /// About how long a packet of `class` (of `bytes`) queued now would wait: for the
    /// airtime its class and those above it already hold queued, or for its class's
    /// share, whichever is longer. Zero on a link without an airtime model.
    pub fn class_wait(&mut self, class: Class, bytes: usize, now: Instant) -> Duration {
        let scale = self.cfg.airtime_scale;
        if scale <= 0.0 {
            return Duration::ZERO;
        }
        let cost = meshmush_protocol::airtime::text_airtime(self.preset, bytes, self.cfg.pki)
            .mul_f64(scale);
        let share = self.class_budgets[class.index()]
            .ready_at(now, cost)
            .max(self.budget.ready_at(now, cost))
            .saturating_duration_since(now);
        let ahead: Duration = self
            .lanes
            .iter()
            .filter(|(key, _)| key.2 <= class)
            .flat_map(|(_, lane)| {
                lane.pending
                    .iter()
                    .chain(lane.in_flight.iter().map(|(c, _)| c))
            })
            .map(|c| self.cost(c))
            .sum();
        share.max(ahead)
    }

    pub(super) fn cost(&self, chunk: &Chunk) -> Duration {
        let scale = self.cfg.airtime_scale;
        if scale <= 0.0 {
            return Duration::ZERO;
        }
        let pki = self.cfg.pki && chunk.out.dest != BROADCAST;
        let out = &chunk.out;
        let len = reply_phy_len(out.text.len(), out.reply_id.is_some(), pki);
        meshmush_protocol::airtime::time_on_air(self.preset, len).mul_f64(scale)
    }

    pub(super) fn front_cost(&self, key: Key) -> Duration {
        self.lanes
            .get(&key)
            .and_then(|l| l.pending.front())
            .map_or(Duration::ZERO, |c| self.cost(c))
    }
}
