//! A schedule's task on paused Tokio time with a wall clock that follows it, and an
//! in-memory [`Port`] whose channel has a gap: weeks of schedule in an instant.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use jiff::tz::TimeZone as Zone;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::*;
use crate::config::ScheduleEntry;

const GAP: Duration = Duration::from_secs(10 * 60);

#[derive(Default)]
struct Fake {
    fired: Mutex<HashMap<String, DateTime<Utc>>>,
    /// The wall-clock times notices went.
    sent: Mutex<Vec<DateTime<Utc>>>,
    /// The channel is free again at this instant.
    gap_until: Mutex<Option<Instant>>,
    clock: Mutex<Option<Arc<dyn WallClock>>>,
}

impl Fake {
    fn sent(&self) -> Vec<DateTime<Utc>> {
        self.sent.lock().unwrap().clone()
    }
    /// Something else (an `@wall`) took the channel now.
    fn take_channel(&self) {
        *self.gap_until.lock().unwrap() = Some(Instant::now() + GAP);
    }
}

impl Port for Fake {
    async fn fired(&self, key: &str) -> Option<DateTime<Utc>> {
        self.fired.lock().unwrap().get(key).copied()
    }
    async fn set_fired(&self, key: &str, due: DateTime<Utc>) {
        self.fired.lock().unwrap().insert(key.to_string(), due);
    }
    fn claim(&self, _: &Action) -> Claim {
        let mut until = self.gap_until.lock().unwrap();
        let now = Instant::now();
        match *until {
            Some(t) if t > now => Claim::Later(t - now),
            _ => {
                *until = Some(now + GAP);
                Claim::Go
            }
        }
    }
    async fn send(&self, _: &Action) -> Result<(), Closed> {
        let clock = self.clock.lock().unwrap().clone();
        let now = clock.map(|c| c.now()).unwrap_or_default();
        self.sent.lock().unwrap().push(now);
        Ok(())
    }
}

fn utc(d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, mi, s).unwrap()
}

fn weekly_wall() -> Schedule {
    ScheduleEntry {
        cron: "0 18 * * SUN".into(),
        wall: Some("Net tonight at 20:00.".into()),
        ..Default::default()
    }
    .checked(0)
    .unwrap()
}

const RULES: Rules = Rules {
    tz: Zone::UTC,
    late: Duration::from_secs(3600),
};

/// Runs the weekly wall on `port` from wall time `from` for `for_` of Tokio time.
async fn run_for(port: &Arc<Fake>, from: DateTime<Utc>, for_: Duration) {
    let clock: Arc<dyn WallClock> = Arc::new(TokioClock::starting_at(from));
    *port.clock.lock().unwrap() = Some(clock.clone());
    let stop = CancellationToken::new();
    let task = tokio::spawn(run(port.clone(), weekly_wall(), RULES, clock, stop.clone()));
    tokio::time::sleep(for_).await;
    stop.cancel();
    task.await.unwrap();
}

const DAY: Duration = Duration::from_secs(24 * 3600);

#[tokio::test(start_paused = true)]
async fn a_weekly_notice_fires_once_each_week() {
    let port = Arc::new(Fake::default());
    // Wednesday 4 March, noon: three Sundays follow in 21 days.
    run_for(&port, utc(4, 12, 0, 0), 21 * DAY).await;
    assert_eq!(
        port.sent(),
        [utc(8, 18, 0, 0), utc(15, 18, 0, 0), utc(22, 18, 0, 0)]
    );
}

#[tokio::test(start_paused = true)]
async fn a_notice_held_up_by_the_channel_gap_goes_when_the_gap_ends() {
    let port = Arc::new(Fake::default());
    let p = port.clone();
    // An @wall at 17:55 holds the channel until 18:05.
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(55 * 60)).await;
        p.take_channel();
    });
    run_for(&port, utc(8, 17, 0, 0), DAY).await;
    assert_eq!(
        port.sent(),
        [utc(8, 18, 5, 0)],
        "once, at the end of the gap"
    );
}

#[tokio::test(start_paused = true)]
async fn a_restart_in_the_same_minute_does_not_fire_again() {
    let port = Arc::new(Fake::default());
    run_for(&port, utc(8, 17, 59, 0), Duration::from_secs(90)).await;
    assert_eq!(port.sent(), [utc(8, 18, 0, 0)]);
    // The daemon starts again at 18:00:40 with the same store (and again with a
    // clock set back a minute, as a Pi's before NTP).
    run_for(&port, utc(8, 18, 0, 40), DAY).await;
    run_for(&port, utc(8, 17, 59, 30), DAY).await;
    assert_eq!(port.sent(), [utc(8, 18, 0, 0)], "not twice in one period");
}

#[tokio::test(start_paused = true)]
async fn periods_missed_while_down_are_not_replayed_in_a_burst() {
    let port = Arc::new(Fake::default());
    run_for(&port, utc(1, 17, 0, 0), DAY).await;
    assert_eq!(port.sent(), [utc(1, 18, 0, 0)]);
    // Down for three Sundays; back at 18:20 on the 22nd: only the latest goes, once.
    run_for(&port, utc(22, 18, 20, 0), Duration::from_secs(60)).await;
    assert_eq!(port.sent(), [utc(1, 18, 0, 0), utc(22, 18, 20, 0)]);
    // Back later than late_mins after one: none is sent, the next is next week's.
    let port = Arc::new(Fake::default());
    run_for(&port, utc(22, 20, 0, 0), 7 * DAY).await;
    assert_eq!(port.sent(), [utc(29, 18, 0, 0)]);
}

#[tokio::test(start_paused = true)]
async fn a_notice_held_up_past_late_mins_is_given_up_and_the_next_week_still_goes() {
    let port = Arc::new(Fake::default());
    let p = port.clone();
    // Something holds the channel all evening (every 10 min from 17:55 to 19:15).
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(55 * 60)).await;
        for _ in 0..9 {
            p.take_channel();
            tokio::time::sleep(GAP).await;
        }
    });
    run_for(&port, utc(8, 17, 0, 0), 8 * DAY).await;
    assert_eq!(port.sent(), [utc(15, 18, 0, 0)]);
    assert_eq!(
        port.fired
            .lock()
            .unwrap()
            .values()
            .copied()
            .collect::<Vec<_>>(),
        [utc(15, 18, 0, 0)]
    );
}
