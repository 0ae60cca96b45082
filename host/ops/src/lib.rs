//! The operator's view of a running daemon: Prometheus figures at `/metrics`, a status
//! page at `/` (served by [`http`], only when `[http] listen` is set), and what they
//! need kept as the daemon runs: the last commands (their names, never their text) and
//! the airtime spent in each ten minutes of the last day. With `[http] api` the same
//! server also carries the token-guarded API under `/api/v1/` ([`api`]), whose writes
//! run the radio's commands.
//!
//! [`Ops`] is off unless the status page is configured: then every hook is one branch
//! on a `None`, so the daemon's figures do not move (`meshmush-bench` measures both).
//! The hooks are few and outside the command code: the session reports each command
//! it ran, the store and the lag probe report their timings through observers.

pub mod api;
mod feeds;
mod gate;
pub mod http;
pub mod lagprobe;
mod metrics;
mod page;
mod serve;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::lagprobe::LagProbe;
pub use feeds::FeedStatus;
use meshmush_core::commands::registry::{Ran, UNKNOWN};
use meshmush_core::commands::text::unix_now;
use meshmush_store::Store;
pub use metrics::{Metrics, Snapshot};

/// Commands the status page lists.
pub const RECENT_KEPT: usize = 20;
/// The airtime chart's bars: ten minutes each, a day of them.
pub const AIRTIME_BUCKET_SECS: u64 = 600;
pub const AIRTIME_BUCKETS: usize = 144;

/// One command as the status page lists it: who and which command, never its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Recent {
    /// Unix seconds.
    pub at: u64,
    pub node: u32,
    pub player: String,
    /// The command's name (`post`, `look`), `exit` for a walk, `?` for no command.
    pub command: &'static str,
    pub took: Duration,
}

/// The operator's hooks and what they keep; cheap to clone. `Ops::default()` is off.
#[derive(Clone, Debug, Default)]
pub struct Ops {
    inner: Option<Arc<Inner>>,
}

#[derive(Debug)]
struct Inner {
    metrics: Metrics,
    recent: Mutex<VecDeque<Recent>>,
    airtime: Mutex<AirtimeHistory>,
    /// Each feed's latest state, by its index in the config.
    feeds: Mutex<Vec<FeedStatus>>,
}

impl Ops {
    /// Hooks that keep figures for the status page and `/metrics`.
    pub fn on() -> Self {
        Self {
            inner: Some(Arc::new(Inner {
                metrics: Metrics::new(),
                recent: Mutex::new(VecDeque::with_capacity(RECENT_KEPT)),
                airtime: Mutex::new(AirtimeHistory::default()),
                feeds: Mutex::new(Vec::new()),
            })),
        }
    }

    pub fn is_on(&self) -> bool {
        self.inner.is_some()
    }

    /// Times every store call and every lag-probe tick from now on.
    pub fn watch(&self, store: &Store, probe: &LagProbe) {
        let Some(inner) = &self.inner else { return };
        let i = inner.clone();
        store.observe_calls(Arc::new(move |took| i.metrics.store_call(took)));
        let i = inner.clone();
        probe.observe(Arc::new(move |late| i.metrics.lag(late)));
    }

    /// A session ran a line for `node` in `took`: counted by the family of the command
    /// that took it and kept as the newest of the recent commands (by name only).
    /// `ran` is what the dispatcher recorded (`Ctx::ran`); a line no command took is
    /// counted as `unknown`.
    pub fn command(&self, ran: Option<Ran>, node: u32, player: &str, took: Duration) {
        let Some(inner) = &self.inner else { return };
        let (family, command) = ran.unwrap_or(UNKNOWN);
        inner.metrics.command(family, took);
        if let Ok(mut recent) = inner.recent.lock() {
            if recent.len() == RECENT_KEPT {
                recent.pop_front();
            }
            recent.push_back(Recent {
                at: unix_now(),
                node,
                player: player.to_string(),
                command,
                took,
            });
        }
    }

    /// The last [`RECENT_KEPT`] commands, newest first.
    pub fn recent(&self) -> Vec<Recent> {
        let Some(inner) = &self.inner else {
            return Vec::new();
        };
        inner
            .recent
            .lock()
            .map(|r| r.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Records the link's airtime counter (milliseconds since it started) at `now`
    /// (Unix seconds): the rise since the last reading goes to now's ten minutes.
    pub fn sample_airtime(&self, total_ms: u64, now: u64) {
        let Some(inner) = &self.inner else { return };
        if let Ok(mut h) = inner.airtime.lock() {
            h.sample(total_ms, now);
        }
    }

    /// Airtime per ten minutes over the last day, oldest first: (bucket start in Unix
    /// seconds, airtime). Every bucket is there, empty ones as zero.
    pub fn airtime_day(&self, now: u64) -> Vec<(u64, Duration)> {
        let Some(inner) = &self.inner else {
            return Vec::new();
        };
        inner.airtime.lock().map(|h| h.day(now)).unwrap_or_default()
    }

    /// A feed's state after a poll (or before its first).
    pub fn feed(&self, status: FeedStatus) {
        let Some(inner) = &self.inner else { return };
        if let Ok(mut feeds) = inner.feeds.lock() {
            match feeds.iter_mut().find(|f| f.index == status.index) {
                Some(f) => *f = status,
                None => {
                    feeds.push(status);
                    feeds.sort_by_key(|f| f.index);
                }
            }
        }
    }

    /// Every feed's latest state, in config order.
    pub fn feeds(&self) -> Vec<FeedStatus> {
        let Some(inner) = &self.inner else {
            return Vec::new();
        };
        inner.feeds.lock().map(|f| f.clone()).unwrap_or_default()
    }

    fn metrics(&self) -> Option<&Metrics> {
        self.inner.as_ref().map(|i| &i.metrics)
    }
}

/// Airtime per ten-minute bucket, from readings of a counter that only rises (a new
/// link starts it again from zero).
#[derive(Debug, Default)]
struct AirtimeHistory {
    last_total_ms: u64,
    /// (bucket number = Unix seconds / 600, milliseconds), oldest first.
    buckets: VecDeque<(u64, u64)>,
}

impl AirtimeHistory {
    fn sample(&mut self, total_ms: u64, now: u64) {
        let rise = if total_ms >= self.last_total_ms {
            total_ms - self.last_total_ms
        } else {
            total_ms
        };
        self.last_total_ms = total_ms;
        let bucket = now / AIRTIME_BUCKET_SECS;
        match self.buckets.back_mut() {
            Some((b, ms)) if *b == bucket => *ms += rise,
            _ => self.buckets.push_back((bucket, rise)),
        }
        let oldest = bucket.saturating_sub(AIRTIME_BUCKETS as u64 - 1);
        while self.buckets.front().is_some_and(|(b, _)| *b < oldest) {
            self.buckets.pop_front();
        }
    }

    fn day(&self, now: u64) -> Vec<(u64, Duration)> {
        let last = now / AIRTIME_BUCKET_SECS;
        let first = last.saturating_sub(AIRTIME_BUCKETS as u64 - 1);
        (first..=last)
            .map(|b| {
                let ms = self
                    .buckets
                    .iter()
                    .find(|(at, _)| *at == b)
                    .map_or(0, |(_, ms)| *ms);
                (b * AIRTIME_BUCKET_SECS, Duration::from_millis(ms))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airtime_rises_land_in_their_ten_minutes_and_a_day_is_kept() {
        let mut h = AirtimeHistory::default();
        let t0 = 1_700_000_400; // a bucket start
        h.sample(1_000, t0);
        h.sample(1_500, t0 + 60);
        h.sample(4_000, t0 + 600);
        // The link restarted: its counter began again.
        h.sample(200, t0 + 1_200);
        let day = h.day(t0 + 1_200);
        assert_eq!(day.len(), AIRTIME_BUCKETS);
        let tail: Vec<u64> = day[AIRTIME_BUCKETS - 3..]
            .iter()
            .map(|(_, d)| d.as_millis() as u64)
            .collect();
        assert_eq!(tail, vec![1_500, 2_500, 200]);
        // A day later the old buckets are gone.
        h.sample(300, t0 + 86_400 + 1_200);
        assert_eq!(h.buckets.len(), 1);
        assert_eq!(
            h.day(t0 + 86_400 + 1_200)
                .last()
                .map(|(_, d)| d.as_millis()),
            Some(100)
        );
    }
}
