//! Scheduled notices (`[[schedule]]`, issue 30): one task per schedule sends its post,
//! wall or beacon line when its cron expression is due, read in `[schedules]
//! timezone`.
//!
//! - A post runs as the sysop's `post BOARD TEXT` through the admin console's path
//!   (the same command, store transaction, federation outbox and notices as a radio
//!   player's post).
//! - A wall or beacon line is one packet on the primary channel: it takes the channel
//!   gap (`bbs.channel_gap_mins`, shared with `@wall`, urgent notices and the beacon)
//!   and goes as unasked traffic. Held up (the gap, the unasked share, the link not
//!   up), it is logged and tried again when the gap ends, never dropped in silence;
//!   only past `[schedules] late_mins` is it given up, with a warning.
//! - Once per period, across restarts: when a schedule fires (or is given up) for a
//!   due time, that time is kept in the store *before* the packet goes, so a restart
//!   never sends it twice (at most once: a crash between the two loses that one).
//!   The next due time is counted from the later of the kept one and now, so a wall
//!   clock set back (a Pi without a battery clock, before NTP) does not repeat it.
//! - A period missed while the daemon was down is not replayed in a burst: on start,
//!   only the latest due time is sent, and only if it is under `late_mins` old and
//!   after the kept one.
//!
//! The wall clock is injected ([`WallClock`]) and the waiting is Tokio's, so the
//! tests run weeks of schedule on paused time; sleeps are at most a minute long, so
//! a wall clock that jumps (NTP) is followed within a minute.

mod port;
#[cfg(test)]
mod tests;

pub use port::{Claim, Closed, DaemonPort, Port};

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiff::tz::TimeZone;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::admin::console::Console;
use crate::config::schedule::{Action, Schedule};

/// The longest single sleep: a wall clock that jumps is noticed within this.
const MAX_NAP: Duration = Duration::from_secs(60);

/// Where the time of day comes from.
pub trait WallClock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A wall clock that starts at `base` and runs with Tokio's clock (paused in tests,
/// so weeks pass in an instant; real elsewhere, e.g. a test daemon started a second
/// before a schedule is due).
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    base: DateTime<Utc>,
    start: tokio::time::Instant,
}

impl TokioClock {
    pub fn starting_at(base: DateTime<Utc>) -> Self {
        Self {
            base,
            start: tokio::time::Instant::now(),
        }
    }
}

impl WallClock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        let run = chrono::Duration::from_std(self.start.elapsed()).unwrap_or_default();
        self.base + run
    }
}

/// The rules a schedule's task keeps.
#[derive(Debug, Clone)]
pub struct Rules {
    pub tz: TimeZone,
    /// How late a notice may still go.
    pub late: Duration,
}

/// Starts one task per configured schedule, on `tasks` until `stop`, and warns of
/// post schedules whose board does not exist now (they will be refused when due).
pub async fn start(
    console: Console,
    clock: Arc<dyn WallClock>,
    tasks: &TaskTracker,
    stop: CancellationToken,
) {
    let cfg = console.shared.common.cfg.clone();
    let schedules = cfg.schedules();
    if schedules.is_empty() {
        return;
    }
    let rules = Rules {
        tz: cfg.schedules.tz(),
        late: Duration::from_secs(cfg.schedules.late_mins.saturating_mul(60)),
    };
    warn_of_missing_boards(&console, &schedules).await;
    info!(
        schedules = schedules.len(),
        timezone = cfg.schedules.timezone.trim(),
        "scheduled notices on"
    );
    let port = Arc::new(DaemonPort::new(console));
    for schedule in schedules {
        tasks.spawn(run(
            port.clone(),
            schedule,
            rules.clone(),
            clock.clone(),
            stop.clone(),
        ));
    }
}

async fn warn_of_missing_boards(console: &Console, schedules: &[Schedule]) {
    let boards = match console.shared.store().boards().await {
        Ok(b) => b,
        Err(e) => {
            warn!(error = %e, "cannot read the boards to check the schedules' posts");
            return;
        }
    };
    for s in schedules {
        if let Action::Post { board, .. } = &s.action
            && !boards.iter().any(|b| b.name.eq_ignore_ascii_case(board))
        {
            warn!(
                schedule = s.index,
                board = %board,
                "a scheduled post names a board that does not exist; it will be refused \
                 when due unless the board is made"
            );
        }
    }
}

/// Sleeps until `clock` reads `target` (in naps of at most [`MAX_NAP`]); false if
/// stopped first.
async fn sleep_until(
    clock: &dyn WallClock,
    target: DateTime<Utc>,
    stop: &CancellationToken,
) -> bool {
    loop {
        let left = (target - clock.now()).to_std().unwrap_or(Duration::ZERO);
        if left.is_zero() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(left.min(MAX_NAP)) => {}
            _ = stop.cancelled() => return false,
        }
    }
}

/// Sleeps `wait`; false if stopped first.
async fn nap(wait: Duration, stop: &CancellationToken) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(wait) => true,
        _ = stop.cancelled() => false,
    }
}

/// One schedule's task: waits for each due time and sends it, once.
pub async fn run<P: Port>(
    port: Arc<P>,
    schedule: Schedule,
    rules: Rules,
    clock: Arc<dyn WallClock>,
    stop: CancellationToken,
) {
    let key = schedule.key();
    let (index, kind) = (schedule.index, schedule.action.kind());
    let last = port.fired(&key).await;
    let now = clock.now();
    // On start, at most the latest due time missed, if it is recent enough.
    let mut due = schedule
        .latest_at_or_before(now, &rules.tz)
        .filter(|t| last.is_none_or(|l| *t > l))
        .filter(|t| (now - *t).to_std().unwrap_or_default() <= rules.late);
    if let Some(t) = due {
        info!(schedule = index, kind, due = %t, "sending the notice missed while down");
    }
    // Due times are counted from here on: never again one already fired.
    let mut cursor = last.map_or(now, |l| l.max(now));
    loop {
        let target = match due.take() {
            Some(t) => t,
            None => match schedule.next_after(cursor, &rules.tz) {
                Some(t) => t,
                None => {
                    info!(schedule = index, "the schedule is never due again");
                    return;
                }
            },
        };
        debug!(schedule = index, kind, due = %target, "next scheduled notice");
        if !sleep_until(clock.as_ref(), target, &stop).await {
            return;
        }
        cursor = target;
        loop {
            let late = (clock.now() - target).to_std().unwrap_or_default();
            if late > rules.late {
                warn!(
                    schedule = index,
                    kind,
                    late_mins = late.as_secs() / 60,
                    "scheduled notice given up: later than schedules.late_mins"
                );
                port.set_fired(&key, target).await;
                break;
            }
            match port.claim(&schedule.action) {
                Claim::Go => {
                    // Kept before it goes: a restart never sends it twice.
                    port.set_fired(&key, target).await;
                    if port.send(&schedule.action).await.is_err() {
                        return;
                    }
                    info!(schedule = index, kind, "scheduled notice sent");
                    break;
                }
                Claim::Later(wait) => {
                    info!(
                        schedule = index,
                        kind,
                        wait_secs = wait.as_secs(),
                        "scheduled notice held up; trying again when the channel allows"
                    );
                    if !nap(wait.max(Duration::from_secs(1)), &stop).await {
                        return;
                    }
                }
            }
        }
    }
}
