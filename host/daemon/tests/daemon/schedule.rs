//! Scheduled notices over the software mesh, with the daemon's time of day injected
//! (`KitBuilder::clock`): started a second before Sunday 18:00, a weekly `[[schedule]]`
//! wall reaches the handsets on the channel once; restarted later in the same period it
//! sends nothing again (the firing is kept in the store); a week on it goes again. A
//! notice held up by the channel gap is not sent over it. (When a held notice goes, on
//! weeks of paused time: the schedule task's own tests, `schedule/tests.rs`.)

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use meshmush::config::ScheduleEntry;
use meshmush::schedule::TokioClock;
use meshmush_testkit::Kit;

use crate::common::{WAIT, roomy};

const NOTICE: &str = "The mesh moves to MediumFast on Sunday.";
/// Long enough for a due notice to reach the handsets, on a software node.
const LISTEN: Duration = Duration::from_secs(4);

fn at(day: u32, h: u32, m: u32, s: u32) -> Arc<TokioClock> {
    let t: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 12, day, h, m, s)
        .single()
        .unwrap();
    Arc::new(TokioClock::starting_at(t))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weekly_wall_goes_once_per_period_across_restarts_and_never_over_the_gap() {
    let mut cfg = roomy();
    cfg.schedule = vec![ScheduleEntry {
        cron: "0 18 * * SUN".into(),
        wall: Some(NOTICE.into()),
        ..ScheduleEntry::default()
    }];
    // Sunday 6 December 2026, a second before the notice is due.
    let mut kit = Kit::builder(cfg)
        .clock(at(6, 17, 59, 59))
        .start()
        .await
        .expect("kit starts");
    let heard = kit.handsets[0]
        .next_channel_text(WAIT)
        .await
        .expect("the notice on the channel");
    assert!(heard.text.ends_with(NOTICE), "{}", heard.text);
    assert!(heard.text.starts_with("[wall] "), "{}", heard.text);
    assert!(
        kit.handsets[0].next_channel_text(LISTEN).await.is_none(),
        "once"
    );

    // Restarted half a minute later, in the same period: nothing again.
    let mut kit = kit
        .restart_with_clock(at(6, 18, 0, 30))
        .await
        .expect("restart");
    assert!(kit.handsets[0].next_channel_text(LISTEN).await.is_none());

    // A week on, but something else has just taken the channel: held, not sent.
    let mut kit = kit
        .restart_with_clock(at(13, 17, 59, 56))
        .await
        .expect("restart");
    kit.app
        .roster()
        .take_channel()
        .expect("the channel is free");
    assert!(
        kit.handsets[0].next_channel_text(LISTEN).await.is_none(),
        "the channel gap holds it"
    );

    // The next week, with the channel free: it goes.
    let mut kit = kit
        .restart_with_clock(at(20, 17, 59, 59))
        .await
        .expect("restart");
    let heard = kit.handsets[1]
        .next_channel_text(WAIT)
        .await
        .expect("next week's notice");
    assert!(heard.text.ends_with(NOTICE), "{}", heard.text);
    kit.stop().await.expect("clean stop");
}
