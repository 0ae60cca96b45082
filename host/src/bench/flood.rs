//! Figure 8: a flood of fresh ids. Ten known players send `look` once a second (as
//! people do) while a hundred ids never heard before send `post` as fast as the mesh
//! carries them. It prints the known players' reply p99 without and with the flood,
//! the player records the flood got written, the outbound queue's peak, and whether a
//! known player's post is still on its board afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use meshmush_firmware_bridge::sim::SimConfig;

use super::figures::{BenchError, Row, ms, row};
use crate::config::Config;
use crate::testkit::stats::percentile;
use crate::testkit::{Kit, VirtualHandsets};

const KNOWN: u32 = 0x5100_0000;
const FRESH: u32 = 0x7100_0000;
const KNOWN_PLAYERS: u32 = 10;
const FRESH_IDS: u32 = 100;
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// Known players' latencies over `span`: each sends `look` once a second.
async fn known_latencies(
    kit: &Arc<Kit>,
    players: &Arc<VirtualHandsets>,
    span: Duration,
) -> Vec<Duration> {
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..KNOWN_PLAYERS {
        let (kit, players) = (kit.clone(), players.clone());
        tasks.spawn(async move {
            let mut out = Vec::new();
            let Some(mesh) = kit.mesh() else { return out };
            let end = tokio::time::Instant::now() + span;
            let phase = Duration::from_millis(u64::from(n) * 100);
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + phase,
                Duration::from_secs(1),
            );
            while tick.tick().await < end {
                match players
                    .ask_once(mesh, KNOWN + n, "look", REPLY_TIMEOUT)
                    .await
                {
                    Some((d, _)) => out.push(d),
                    None => out.push(REPLY_TIMEOUT),
                }
            }
            out
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap_or_default());
    }
    all.sort_unstable();
    all
}

/// Figure 8's rows.
pub(super) async fn flood_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let span = if quick {
        Duration::from_secs(3)
    } else {
        Duration::from_secs(20)
    };
    let mut cfg = Config::default();
    // People type slowly; the bench's known players send one command a second, which
    // the per-node default (20 a minute) would refuse. The flood's defences under
    // test are the shared ones: strangers' allowance, new players' slice.
    cfg.limits.burst = 1_000;
    cfg.limits.per_minute = 100_000;
    let kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 0,
            virtual_handsets: true,
            ..SimConfig::default()
        })
        .start()
        .await?;
    let players = Arc::new(kit.virtual_handsets()?);
    let kit = Arc::new(kit);
    let mesh = kit
        .mesh()
        .ok_or_else(|| BenchError::Failed("the flood needs the software mesh".into()))?;
    for n in 0..KNOWN_PLAYERS {
        players
            .ask_once(mesh, KNOWN + n, "ping", REPLY_TIMEOUT)
            .await;
    }
    players
        .ask_once(mesh, KNOWN, "post general the real news", REPLY_TIMEOUT)
        .await;
    let records_before = kit.app.store().players_count().await?;

    let quiet = known_latencies(&kit, &players, span).await;

    let flooding = Arc::new(AtomicBool::new(true));
    let sent = Arc::new(AtomicU64::new(0));
    let flood = {
        let (kit, flooding, sent) = (kit.clone(), flooding.clone(), sent.clone());
        tokio::spawn(async move {
            let Some(mesh) = kit.mesh() else { return };
            let mut id = 1u32;
            while flooding.load(Ordering::Relaxed) {
                for j in 0..FRESH_IDS {
                    id = id.wrapping_add(1);
                    mesh.inject_text(FRESH + j, 0x4000_0000 + id, "post general spam spam spam");
                    sent.fetch_add(1, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let peak = {
        let (kit, flooding) = (kit.clone(), flooding.clone());
        tokio::spawn(async move {
            let mut peak = 0;
            while flooding.load(Ordering::Relaxed) {
                peak = peak.max(kit.app.link().metrics().queue_depth);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            peak
        })
    };
    let flooded = known_latencies(&kit, &players, span).await;
    flooding.store(false, Ordering::Relaxed);
    let _ = flood.await;
    let peak = peak.await.unwrap_or(0);
    let records = kit
        .app
        .store()
        .players_count()
        .await?
        .saturating_sub(records_before);
    let kept = players
        .ask_once(mesh, KNOWN + 1, "read general 1", REPLY_TIMEOUT)
        .await
        .is_some_and(|(_, r)| r.contains("the real news"));

    let f = format!("8. {KNOWN_PLAYERS} known players, {FRESH_IDS} fresh ids flooding");
    let p99 = |v: &[Duration]| ms(percentile(v, 0.99));
    rows.push(row(
        &format!("{f}: known p99, no flood"),
        "designed",
        p99(&quiet),
        "ms",
    ));
    rows.push(row(
        &format!("{f}: known p99, flood"),
        "designed",
        p99(&flooded),
        "ms",
    ));
    rows.push(row(
        &format!("{f}: commands the flood sent"),
        "designed",
        sent.load(Ordering::Relaxed) as f64,
        "commands",
    ));
    rows.push(row(
        &format!("{f}: player records the flood wrote"),
        "designed",
        records as f64,
        "records",
    ));
    rows.push(row(
        &format!("{f}: outbound queue peak"),
        "designed",
        peak as f64,
        "packets",
    ));
    rows.push(row(
        &format!("{f}: real post still there (1 = yes)"),
        "designed",
        f64::from(u8::from(kept)),
        "bool",
    ));
    drop(players);
    if let Ok(kit) = Arc::try_unwrap(kit) {
        let _ = kit.stop().await;
    }
    Ok(())
}
