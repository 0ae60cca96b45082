//! The event-loop lag probe: a task that asks to wake every 10 ms and records how late
//! it actually woke. If anything blocks a Tokio worker (a disk call on the wrong
//! thread), this is where it shows: p99 and max over the last minute.
//!
//! The log gets at most one line a minute ([`LagSummary`]): how many ticks in that
//! minute were later than the threshold (`[ops] lag_warn_ms`) and the worst of them,
//! and nothing in a minute without one. On a loaded host the OS alone makes single
//! ticks tens of milliseconds late; a line per late tick (as there once was) drowned the
//! log in dozens of warnings that meant nothing.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub const TICK: Duration = Duration::from_millis(10);
const WINDOW: usize = 6000; // one minute of ticks
/// How long a summary gathers late ticks before it is logged.
pub const SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// The ticks later than the threshold in one summary's minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LagReport {
    /// Ticks later than the threshold.
    pub late_ticks: u64,
    /// The latest of them.
    pub worst: Duration,
}

/// Sums late ticks into at most one report a minute. A minute opens with the first
/// tick later than the threshold and is reported at the first sample after it ends
/// (the probe samples every [`TICK`], so that is on time), or when the probe stops.
#[derive(Debug, Clone)]
pub struct LagSummary {
    threshold: Duration,
    /// When the open minute began, if one is open.
    opened: Option<Instant>,
    late_ticks: u64,
    worst: Duration,
}

impl LagSummary {
    pub fn new(threshold: Duration) -> Self {
        Self {
            threshold,
            opened: None,
            late_ticks: 0,
            worst: Duration::ZERO,
        }
    }

    /// Takes one tick `late` by this much, measured at `now`; the report of the
    /// minute that ended, if one is due.
    pub fn sample(&mut self, late: Duration, now: Instant) -> Option<LagReport> {
        let due = match self.opened {
            Some(t) if now.saturating_duration_since(t) >= SUMMARY_EVERY => self.take(),
            _ => None,
        };
        if late > self.threshold {
            self.opened.get_or_insert(now);
            self.late_ticks += 1;
            self.worst = self.worst.max(late);
        }
        due
    }

    /// The report of the open minute, if it saw a late tick (the probe is stopping).
    pub fn take(&mut self) -> Option<LagReport> {
        self.opened = None;
        let report = (self.late_ticks > 0).then_some(LagReport {
            late_ticks: self.late_ticks,
            worst: self.worst,
        });
        self.late_ticks = 0;
        self.worst = Duration::ZERO;
        report
    }
}

fn log(report: LagReport, threshold: Duration) {
    tracing::warn!(
        late_ticks = report.late_ticks,
        worst_ms = report.worst.as_millis() as u64,
        threshold_ms = threshold.as_millis() as u64,
        "event loop lag in the last minute"
    );
}

/// Lateness figures over the last minute.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LagStats {
    pub samples: usize,
    pub p99: Duration,
    pub max: Duration,
}

/// Told every lateness the probe measures (the `/metrics` lag histogram).
pub type LagObserver = Arc<dyn Fn(Duration) + Send + Sync>;

#[derive(Clone, Default)]
pub struct LagProbe {
    samples: Arc<Mutex<VecDeque<Duration>>>,
    observer: Arc<OnceLock<LagObserver>>,
}

impl std::fmt::Debug for LagProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LagProbe").finish_non_exhaustive()
    }
}

impl LagProbe {
    /// Starts the probe as one of `tasks`; it ends when `stop` is cancelled. Ticks
    /// later than `warn_over` are summed into one warning a minute ([`LagSummary`]).
    pub fn start(tasks: &TaskTracker, stop: CancellationToken, warn_over: Duration) -> Self {
        let probe = Self::default();
        let samples = probe.samples.clone();
        let observer = probe.observer.clone();
        tasks.spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut summary = LagSummary::new(warn_over);
            loop {
                let scheduled = tokio::select! {
                    t = tick.tick() => t,
                    _ = stop.cancelled() => break,
                };
                let now = Instant::now();
                let late = now.saturating_duration_since(scheduled);
                if let Some(report) = summary.sample(late, now) {
                    log(report, warn_over);
                }
                if let Some(observe) = observer.get() {
                    observe(late);
                }
                if let Ok(mut s) = samples.lock() {
                    if s.len() == WINDOW {
                        s.pop_front();
                    }
                    s.push_back(late);
                }
            }
            if let Some(report) = summary.take() {
                log(report, warn_over);
            }
        });
        probe
    }

    /// From now on, tells `observer` each lateness measured; the first one set stays.
    pub fn observe(&self, observer: LagObserver) {
        let _ = self.observer.set(observer);
    }

    pub fn stats(&self) -> LagStats {
        let Ok(s) = self.samples.lock() else {
            return LagStats::default();
        };
        let mut v: Vec<Duration> = s.iter().copied().collect();
        drop(s);
        if v.is_empty() {
            return LagStats::default();
        }
        v.sort_unstable();
        let p99 = v[((v.len() * 99).div_ceil(100)).saturating_sub(1)];
        LagStats {
            samples: v.len(),
            p99,
            max: v[v.len() - 1],
        }
    }

    /// Forgets the samples so far (for a measurement that starts now).
    pub fn reset(&self) {
        if let Ok(mut s) = self.samples.lock() {
            s.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_probe_samples_and_ends_when_cancelled() {
        let tasks = TaskTracker::new();
        let stop = CancellationToken::new();
        let probe = LagProbe::start(&tasks, stop.clone(), Duration::from_millis(250));
        tokio::time::sleep(TICK * 5).await;
        assert!(probe.stats().samples >= 4, "{:?}", probe.stats());
        stop.cancel();
        tasks.close();
        tokio::time::timeout(TICK * 3, tasks.wait())
            .await
            .expect("the probe's task ends on cancel, not with the process");
    }

    /// 2.5 minutes of a loaded host: ticks a few ms late all the time, a handful over
    /// the threshold in the first minute, none in the second, two in the third.
    #[tokio::test(start_paused = true)]
    async fn late_ticks_make_at_most_one_summary_a_minute_and_none_when_quiet() {
        let ms = Duration::from_millis;
        let mut summary = LagSummary::new(ms(250));
        let mut reports = Vec::new();
        let start = Instant::now();
        let mut ticks = 0u64;
        while Instant::now() - start < Duration::from_secs(150) {
            tokio::time::advance(TICK).await;
            ticks += 1;
            let at = Instant::now() - start;
            let late = match at.as_millis() {
                5_000 | 20_000 | 40_000 => ms(300),
                30_000 => ms(1_200),
                130_000 => ms(400),
                140_000 => ms(260),
                // Late, but under the threshold: the OS's doing on a busy host.
                _ if ticks % 7 == 0 => ms(40),
                _ => ms(1),
            };
            if let Some(r) = summary.sample(late, Instant::now()) {
                reports.push((at, r));
            }
        }
        assert_eq!(
            reports,
            vec![(
                Duration::from_secs(65),
                LagReport {
                    late_ticks: 4,
                    worst: ms(1_200)
                }
            )],
            "one summary for the first minute, at its end; nothing for the quiet one"
        );
        // The third minute's, still open, is reported when the probe stops.
        assert_eq!(
            summary.take(),
            Some(LagReport {
                late_ticks: 2,
                worst: ms(400)
            })
        );
        assert_eq!(summary.take(), None, "and only once");
    }
}
