//! Figure 11: more radios, more replies. One radio carries a few packets a second,
//! so a BBS scales by serving several areas at once, each through its own gateway
//! with its own airtime. The software mesh splits handsets into 1, 2 and 4 areas of
//! ten (ShortFast, US, real airtime); the daemon has one link per area's gateway (a
//! link group) and each player talks to the node of their own area. Every handset
//! pings in a closed loop: replies per second over all areas, and, for the first
//! round (all handsets at once), how long until the last handset of each area has
//! its first reply, beside that area's airtime bound (figure 7's).

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{GATEWAY_NUM, SimConfig};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::pacing::airtime_bound;
use super::{BenchError, Row, row};
use crate::config::Config;
use crate::testkit::{DaemonLinks, Kit};

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
            &format!("11 gateways: {areas} area(s) x {PER_AREA}, ShortFast/US, replies/s"),
            "designed",
            run.replies_per_sec,
            "replies/s",
        ));
        let base = *one.get_or_insert(run.replies_per_sec);
        if areas > 1 {
            rows.push(row(
                &format!(
                    "11 gateways: {areas} areas / 1 area (target {:.1}x)",
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
                    "11 gateways: {areas} area(s), area {} last first reply (bound {:.2} s)",
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
    let mut kit = Kit::builder(Config::default())
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
    let mut handsets = std::mem::take(&mut kit.handsets);
    // Each player talks to the node of their own area.
    let node_of = |area: usize| GATEWAY_NUM + area as u32;
    for h in &mut handsets {
        h.ask(node_of(h.node.area), "ping", Duration::from_secs(30))
            .await;
    }
    let start = Instant::now();
    let deadline = start + secs;
    let mut tasks = tokio::task::JoinSet::new();
    for mut h in handsets {
        let (area, dest) = (h.node.area, node_of(h.node.area));
        tasks.spawn(async move {
            let mut first = None;
            let mut replies = 0u64;
            while Instant::now() < deadline {
                if h.send(dest, "ping").await.is_err() {
                    break;
                }
                if h.next_text(Duration::from_secs(30)).await.is_none() {
                    break;
                }
                first.get_or_insert(start.elapsed());
                replies += 1;
            }
            (area, first.unwrap_or(Duration::MAX), replies)
        });
    }
    let mut last_first = vec![Duration::ZERO; areas];
    let mut replies = 0;
    while let Some(r) = tasks.join_next().await {
        let (area, first, n) = r?;
        if let Some(slot) = last_first.get_mut(area) {
            *slot = (*slot).max(first);
        }
        replies += n;
    }
    let elapsed = start.elapsed();
    let _ = kit.stop().await;
    Ok(Run {
        replies_per_sec: replies as f64 / elapsed.as_secs_f64(),
        last_first,
    })
}
