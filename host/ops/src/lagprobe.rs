//! The event-loop lag probe: a task that asks to wake every 10 ms and records how late
//! it actually woke. If anything blocks a Tokio worker (a disk call on the wrong
//! thread), this is where it shows: p99 and max over the last minute, logged over 5 ms.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub const TICK: Duration = Duration::from_millis(10);
const WINDOW: usize = 6000; // one minute of ticks
const WARN: Duration = Duration::from_millis(5);

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
    /// Starts the probe as one of `tasks`; it ends when `stop` is cancelled.
    pub fn start(tasks: &TaskTracker, stop: CancellationToken) -> Self {
        let probe = Self::default();
        let samples = probe.samples.clone();
        let observer = probe.observer.clone();
        tasks.spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                let scheduled = tokio::select! {
                    t = tick.tick() => t,
                    _ = stop.cancelled() => break,
                };
                let late = Instant::now().saturating_duration_since(scheduled);
                if late > WARN {
                    tracing::warn!(late_ms = late.as_secs_f64() * 1e3, "event loop lag");
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
        let probe = LagProbe::start(&tasks, stop.clone());
        tokio::time::sleep(TICK * 5).await;
        assert!(probe.stats().samples >= 4, "{:?}", probe.stats());
        stop.cancel();
        tasks.close();
        tokio::time::timeout(TICK * 3, tasks.wait())
            .await
            .expect("the probe's task ends on cancel, not with the process");
    }
}
