//! Figure 8: a flood, timed where the player feels it. On the software mesh at real
//! airtime (ShortFast, US), a known player pings once a second while 40 newcomers,
//! each inside the per-node limits, send `look` every 4 s and 100 ids never heard
//! before each send `look` once. The figure is the known player's wait from sending
//! `ping` to the first packet of the reply arriving at their handset: quiet, flooded,
//! and flooded with every player in one class (the queue as it was before it had
//! classes: the "naive" column). It also prints the airtime each class used during the flood, the
//! strangers' class beside its share, and what became of the flood's commands.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use meshmush_firmware_bridge::link::Class;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::figures::{BenchError, Row, row};
use meshmush::commands::unix_now;
use meshmush::config::Config;
use meshmush_testkit::stats::percentile;
use meshmush_testkit::{Kit, VirtualHandsets};

const KNOWN: u32 = 0x5100_0000;
const FLOODER: u32 = 0x6100_0000;
const FRESH: u32 = 0x7100_0000;
const FLOODERS: u32 = 40;
const FRESH_IDS: u32 = 100;
const FLOODER_EVERY: Duration = Duration::from_secs(4);
const PING_EVERY: Duration = Duration::from_secs(1);
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// What one flooded run measured.
struct Run {
    quiet: Vec<Duration>,
    flooded: Vec<Duration>,
    unanswered: usize,
    /// Airtime per class during the flood, in [`Class::ALL`] order.
    class_air: [Duration; 5],
    flood_sent: u64,
    /// Player records the fresh ids got (the newcomers' slice bounds it).
    fresh_records: u64,
    /// The strangers' class ceiling per hour.
    stranger_cap: Duration,
    span: Duration,
}

/// Figure 8's rows.
pub(super) async fn flood_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let span = if quick {
        Duration::from_secs(8)
    } else {
        Duration::from_secs(40)
    };
    let classes = run(span, Mode::Classes).await?;
    let one_class = run(span, Mode::OneClass).await?;
    let floor = run(span, Mode::StrangersSilent).await?;
    let f = "8. flood at the radio (ShortFast/US, real airtime): known player's ping";
    let q = |v: &[Duration], p: f64| percentile(v, p).as_secs_f64();
    for (label, r) in [("designed", &classes), ("naive", &one_class)] {
        rows.push(row(
            &format!("{f} p50, no flood"),
            label,
            q(&r.quiet, 0.5),
            "s",
        ));
        rows.push(row(
            &format!("{f} p99, no flood"),
            label,
            q(&r.quiet, 0.99),
            "s",
        ));
        rows.push(row(
            &format!("{f} p50, {FLOODERS} flooding + {FRESH_IDS} fresh ids"),
            label,
            q(&r.flooded, 0.5),
            "s",
        ));
        rows.push(row(
            &format!("{f} p99, {FLOODERS} flooding + {FRESH_IDS} fresh ids (target <= 0.5 s and <= 3x unflooded)"),
            label,
            q(&r.flooded, 0.99),
            "s",
        ));
        rows.push(row(
            &format!("{f}s unanswered in {REPLY_TIMEOUT:?}"),
            label,
            r.unanswered as f64,
            "pings",
        ));
    }
    rows.push(row(
        &format!(
            "{f} p50 if strangers got no airtime at all (the floor the flood's own packets and the node's acks set)"
        ),
        "designed",
        q(&floor.flooded, 0.5),
        "s",
    ));
    rows.push(row(
        &format!("{f} p99 if strangers got no airtime at all"),
        "designed",
        q(&floor.flooded, 0.99),
        "s",
    ));
    let r = &classes;
    let total: Duration = r.class_air.iter().sum();
    for class in Class::ALL {
        let air = r.class_air[class.index()];
        rows.push(row(
            &format!(
                "8. flood: airtime of class {} during {} s ({:.0}% of what was sent)",
                class.name(),
                r.span.as_secs(),
                100.0 * air.as_secs_f64() / total.as_secs_f64().max(f64::MIN_POSITIVE)
            ),
            "designed",
            air.as_secs_f64(),
            "s",
        ));
    }
    let stranger = r.class_air[Class::Stranger.index()];
    rows.push(row(
        &format!(
            "8. flood: strangers' airtime per hour at this rate, against their share ({:.0} s/h)",
            r.stranger_cap.as_secs_f64()
        ),
        "designed",
        stranger.as_secs_f64() * 3600.0 / r.span.as_secs_f64().max(f64::MIN_POSITIVE),
        "s/h",
    ));
    rows.push(row(
        "8. flood: commands the flood sent",
        "designed",
        r.flood_sent as f64,
        "commands",
    ));
    rows.push(row(
        &format!("8. flood: player records the {FRESH_IDS} fresh ids got (the newcomers' slice)"),
        "designed",
        r.fresh_records as f64,
        "records",
    ));
    Ok(())
}

/// How a run's daemon serves the flood.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// As designed: the flood is strangers, below the known player's class.
    Classes,
    /// Every player is known (no newcomer hours), so the whole flood shares the known
    /// player's class: the queue as it was before classes.
    OneClass,
    /// Strangers' share is 0: the BBS answers none of the flood. What the known
    /// player still waits for is the floor no scheduler of ours can go below.
    StrangersSilent,
}

/// One run: quiet, then flooded.
async fn run(span: Duration, mode: Mode) -> Result<Run, BenchError> {
    let mut cfg = Config::default();
    // The known player pings once a second, more than a person types: their own
    // limit is raised; the flood stays inside the default per-node limit (20 a
    // minute: one `look` every 4 s is 15).
    cfg.limits.burst = 10;
    cfg.limits.per_minute = 60;
    match mode {
        Mode::Classes => {}
        Mode::OneClass => cfg.bbs.newcomer_hours = 0,
        Mode::StrangersSilent => cfg.scheduler.stranger_share = 0.0,
    }
    let kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 0,
            virtual_handsets: true,
            time_scale: 1.0,
            preset: ModemPreset::ShortFast,
            region: RegionCode::Us,
            ..SimConfig::default()
        })
        .daemon_link(|mut link| {
            link.airtime_scale = 1.0;
            link.ack_timeout = Duration::from_secs(60);
            link
        })
        .start()
        .await?;
    let store = kit.app.store();
    let now = unix_now();
    store
        .create_player(KNOWN, "Regular", now.saturating_sub(7 * 86_400))
        .await?;
    for n in 0..FLOODERS {
        store
            .create_player(FLOODER + n, &format!("Newbie{n}"), now)
            .await?;
    }
    let records_before = store.players_count().await?;
    let stranger_cap = kit.link_config().shares.get(Class::Stranger);
    let players = Arc::new(kit.virtual_handsets()?);
    let kit = Arc::new(kit);
    let mesh = kit
        .mesh()
        .ok_or_else(|| BenchError::Failed("the flood needs the software mesh".into()))?;
    // Warm the known player's session.
    players.ask_once(mesh, KNOWN, "ping", REPLY_TIMEOUT).await;
    let quiet = pings(&kit, &players, span).await;

    let before = kit.app.link().metrics().class_airtime;
    let flooding = Arc::new(AtomicBool::new(true));
    let sent = Arc::new(AtomicU64::new(0));
    let mut flood = tokio::task::JoinSet::new();
    for n in 0..FLOODERS {
        let (kit, flooding, sent) = (kit.clone(), flooding.clone(), sent.clone());
        flood.spawn(async move {
            let Some(mesh) = kit.mesh() else { return };
            // Spread evenly over the period, as handsets out of step are.
            let phase = FLOODER_EVERY.mul_f64(f64::from(n) / f64::from(FLOODERS));
            let start = tokio::time::Instant::now() + phase;
            let mut tick = tokio::time::interval_at(start, FLOODER_EVERY);
            let mut id = 0x4000_0000u32;
            while flooding.load(Ordering::Relaxed) {
                tick.tick().await;
                id = id.wrapping_add(1);
                mesh.inject_text(FLOODER + n, id, "look");
                sent.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    // The fresh ids, once each, spread over the warm-up and the timed span.
    {
        let (kit, sent) = (kit.clone(), sent.clone());
        let gap = (span + FLOODER_EVERY).div_f64(f64::from(FRESH_IDS));
        flood.spawn(async move {
            let Some(mesh) = kit.mesh() else { return };
            for n in 0..FRESH_IDS {
                mesh.inject_text(FRESH + n, 0x4000_0001, "look");
                sent.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(gap).await;
            }
        });
    }
    // Let the flood fill the queue before timing.
    tokio::time::sleep(FLOODER_EVERY).await;
    let flooded = pings(&kit, &players, span).await;
    flooding.store(false, Ordering::Relaxed);
    flood.abort_all();
    let after = kit.app.link().metrics().class_airtime;
    let class_air = std::array::from_fn(|i| after[i].saturating_sub(before[i]));
    let unanswered = flooded.iter().filter(|d| **d >= REPLY_TIMEOUT).count();
    let hour_budget = Duration::from_secs(3600).mul_f64(kit.link_config().airtime_share);
    let fresh_records = kit
        .app
        .store()
        .players_count()
        .await?
        .saturating_sub(records_before) as u64;
    drop(players);
    if let Ok(kit) = Arc::try_unwrap(kit) {
        let _ = kit.stop().await;
    }
    Ok(Run {
        quiet,
        flooded,
        unanswered,
        class_air,
        flood_sent: sent.load(Ordering::Relaxed),
        fresh_records,
        stranger_cap: hour_budget.mul_f64(stranger_cap),
        span: span + FLOODER_EVERY,
    })
}

/// The known player's ping times over `span`, one a second; a ping with no reply in
/// [`REPLY_TIMEOUT`] counts as that long.
async fn pings(kit: &Arc<Kit>, players: &Arc<VirtualHandsets>, span: Duration) -> Vec<Duration> {
    let mut out = Vec::new();
    let Some(mesh) = kit.mesh() else { return out };
    let end = tokio::time::Instant::now() + span;
    let mut tick = tokio::time::interval(PING_EVERY);
    // A ping that waited past its second is not made up for with a burst.
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while tick.tick().await < end {
        match players.ask_once(mesh, KNOWN, "ping", REPLY_TIMEOUT).await {
            Some((d, _)) => out.push(d),
            None => out.push(REPLY_TIMEOUT),
        }
    }
    out.sort_unstable();
    out
}
