//! Figure 12: more radios, more replies. One radio carries a few packets a second,
//! so a BBS scales by serving several areas at once, each through its own gateway
//! with its own airtime. The software mesh splits handsets into 1, 2 and 4 areas of
//! ten (ShortFast, US, real airtime); the daemon has one link per area's gateway (a
//! link group) and each player talks to the node of their own area. Every handset
//! sends one ping at the same moment, as in figure 7: how long until the last handset
//! of each area has its reply, beside that area's airtime bound (figure 7's); then
//! every handset pings in a closed loop: replies per second over all areas.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{GATEWAY_NUM, SimConfig};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::figures::{BenchError, Row, row};
use super::pacing::airtime_bound;
use meshmush::config::Config;
use meshmush_testkit::{DaemonLinks, Kit};

/// Handsets per area.
const PER_AREA: usize = 10;

/// What one run measured.
struct Run {
    replies_per_sec: f64,
    /// Per area: when its last handset had its first reply.
    last_first: Vec<Duration>,
}

pub(super) async fn gateways_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let secs = if quick { 5 } else { 20 };
    let bound = airtime_bound(ModemPreset::ShortFast, "ping", "pong");
    let mut one = None;
    for areas in [1usize, 2, 4] {
        let run = run(areas, Duration::from_secs(secs)).await?;
        rows.push(row(
            &format!("12. gateways: {areas} area(s) x {PER_AREA}, ShortFast/US, replies/s"),
            "designed",
            run.replies_per_sec,
            "replies/s",
        ));
        let base = *one.get_or_insert(run.replies_per_sec);
        if areas > 1 {
            rows.push(row(
                &format!(
                    "12. gateways: {areas} areas / 1 area (target {:.1}x)",
                    areas as f64 * 0.9
                ),
                "designed",
                run.replies_per_sec / base.max(f64::MIN_POSITIVE),
                "x",
            ));
        }
        for (a, last) in run.last_first.iter().enumerate() {
            rows.push(row(
                &format!(
                    "12. gateways: {areas} area(s), area {} last first reply (bound {:.2} s)",
                    a + 1,
                    bound.as_secs_f64()
                ),
                "designed",
                last.as_secs_f64(),
                "s",
            ));
        }
    }
    Ok(())
}

async fn run(areas: usize, secs: Duration) -> Result<Run, BenchError> {
    let mut cfg = Config::default();
    // Players here ping as fast as the air lets them: no per-player limits.
    meshmush_testkit::lift_limits(&mut cfg);
    let mut kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: areas * PER_AREA,
            areas,
            time_scale: 1.0,
            preset: ModemPreset::ShortFast,
            region: RegionCode::Us,
            ..SimConfig::default()
        })
        .daemon_links(DaemonLinks::EveryGateway)
        .daemon_link(|mut link| {
            link.airtime_scale = 1.0;
            link.ack_timeout = Duration::from_secs(60);
            link
        })
        // As in figure 7: the phone leaves retransmission to its node.
        .handset_link(|_, mut link| {
            link.ack_timeout = Duration::from_secs(60);
            link
        })
        .start()
        .await?;
    let handsets = std::mem::take(&mut kit.handsets);
    // Each player talks to the node of their own area.
    let node_of = |area: usize| GATEWAY_NUM + area as u32;
    // Warm the sessions first (each player's record is made on first contact), all
    // areas at once.
    let mut warming = tokio::task::JoinSet::new();
    for mut h in handsets {
        warming.spawn(async move {
            h.ask(node_of(h.node.area), "ping", Duration::from_secs(60))
                .await;
            h
        });
    }
    let mut handsets = Vec::new();
    while let Some(h) = warming.join_next().await {
        handsets.push(h?);
    }
    // A first contact's welcome may still be on the air: let it go first.
    tokio::time::sleep(Duration::from_secs(3)).await;
    // One round as in figure 7: everyone at once, once; when each area's last player
    // has the first packet of the answer.
    let start = Instant::now();
    let mut round = tokio::task::JoinSet::new();
    for mut h in handsets {
        let (area, dest) = (h.node.area, node_of(h.node.area));
        round.spawn(async move {
            let _ = h.send(dest, "ping").await;
            let first = h
                .next_text(Duration::from_secs(30))
                .await
                .map_or(Duration::MAX, |_| start.elapsed());
            (h, area, first)
        });
    }
    let mut last_first = vec![Duration::ZERO; areas];
    let mut handsets = Vec::new();
    while let Some(r) = round.join_next().await {
        let (h, area, first) = r?;
        if let Some(slot) = last_first.get_mut(area) {
            *slot = (*slot).max(first);
        }
        handsets.push(h);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Then a closed loop: each player pings again as soon as answered.
    let start = Instant::now();
    let deadline = start + secs;
    let mut tasks = tokio::task::JoinSet::new();
    for mut h in handsets {
        let dest = node_of(h.node.area);
        tasks.spawn(async move {
            let mut replies = 0u64;
            while Instant::now() < deadline {
                if h.send(dest, "ping").await.is_err() {
                    break;
                }
                if h.next_text(Duration::from_secs(10)).await.is_none() {
                    break;
                }
                replies += 1;
            }
            replies
        });
    }
    let mut replies = 0;
    while let Some(r) = tasks.join_next().await {
        replies += r?;
    }
    let elapsed = start.elapsed();
    let _ = kit.stop().await;
    Ok(Run {
        replies_per_sec: replies as f64 / elapsed.as_secs_f64(),
        last_first,
    })
}
