//! Figure 13: BBS-to-BBS sync on LongFast/EU_868. Two meshmush BBSes on one software
//! mesh (one on the gateway, one on a handset node), a backlog of 100 one-packet posts
//! written at the first, drained to the second through the meshmush dialect under
//! sync's own airtime share (`[federation] airtime_share`, default 0.1 of EU_868's
//! 10%: 36 s of air an hour). The mesh, the link and the sync budget all run at the
//! same airtime scale, so an hour of radio time passes in a few seconds; times are
//! given in radio (modelled) time.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::airtime::{duty_cycle, text_airtime};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::figures::{BenchError, Row, row};
use meshmush::app::App;
use meshmush::config::Config;
use meshmush::federation::SyncItem;
use meshmush::federation::native::{self, data_packets, encode_item};
use meshmush::store::Post;
use meshmush_testkit::peers::{bbs_on_node, syncing_with};

/// Radio time passes this much faster than wall time.
const SCALE: f64 = 0.01;
const ITEMS: usize = 100;

async fn bbs(node: &SimNode, peer: u32, dir: &std::path::Path) -> Result<App, BenchError> {
    let mut cfg = syncing_with(&[peer]);
    cfg.federation.ack_timeout_secs = 2;
    Ok(bbs_on_node(node, cfg, dir, |mut link| {
        link.airtime_scale = SCALE;
        link
    })
    .await?)
}

/// A typical one-packet post: a subject and 150 bytes of text.
fn post(n: usize) -> Post {
    let text = format!(
        "Item {n:03}: {}",
        "the river road is open again after the storm. ".repeat(4)
    );
    Post {
        board: "general".into(),
        num: 0,
        author: 0x4d4d_1009,
        author_name: "Alice".into(),
        time: meshmush::commands::unix_now(),
        subject: format!("Road news {n}"),
        text: text[..150].to_string(),
        reply_to: None,
    }
}

pub(super) async fn sync_rows(rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        time_scale: SCALE,
        preset: ModemPreset::LongFast,
        region: RegionCode::Eu868,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| BenchError::Failed(e.to_string()))?;
    let (a, b) = (mesh.gateway().clone(), mesh.handsets()[0].clone());
    let (da, db) = (
        tempfile::tempdir().map_err(BenchError::io("temp dir"))?,
        tempfile::tempdir().map_err(BenchError::io("temp dir"))?,
    );
    let app_a = bbs(&a, b.num, da.path()).await?;
    let app_b = bbs(&b, a.num, db.path()).await?;
    let started = Instant::now();
    let mut airtime = Duration::ZERO;
    for n in 0..ITEMS {
        let p = app_a.store().add_post(post(n), 1_000).await?;
        let item = SyncItem::Bulletin {
            board: p.board,
            sender: p.author_name,
            subject: p.subject,
            content: p.text,
            uid: meshmush::federation::new_uid(),
        };
        let packets = data_packets(
            n as u64 + 1,
            &encode_item(&item),
            app_a.link().max_packet_bytes(),
        )
        .unwrap_or_default();
        airtime += packets
            .iter()
            .map(|t| text_airtime(ModemPreset::LongFast, t.len(), true))
            .sum::<Duration>();
    }
    // Twelve radio hours at most.
    let limit = Duration::from_secs_f64(12.0 * 3600.0 * SCALE);
    loop {
        let there = app_b
            .store()
            .newest_posts("general".into(), ITEMS + 1)
            .await?
            .len();
        if there >= ITEMS {
            break;
        }
        if started.elapsed() > limit {
            return Err(BenchError::Failed(format!(
                "only {there} of {ITEMS} items arrived"
            )));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained = started.elapsed().div_f64(SCALE);
    let (ma, mb) = (app_a.link().metrics(), app_b.link().metrics());
    let ack_air = text_airtime(ModemPreset::LongFast, native::ack(ITEMS as u64).len(), true);
    let acks = ack_air * u32::try_from(mb.chunks_sent).unwrap_or(u32::MAX);
    let resent = ma.chunk_retries;
    let dc = duty_cycle(RegionCode::Eu868);
    let share = app_a_share();
    let per_hour = dc.budget().mul_f64(share);
    // The soonest any sender held to the share could finish: what fits the first
    // hour goes at once, the rest at `per_hour` an hour.
    let bound = if airtime <= per_hour {
        airtime
    } else {
        Duration::from_secs(3600)
            .mul_f64((airtime - per_hour).as_secs_f64() / per_hour.as_secs_f64())
    };
    let items = ITEMS as f64;
    let fig = "13. sync LongFast/EU_868";
    rows.push(row(
        &format!("{fig}: airtime per item (data)"),
        "designed",
        airtime.as_secs_f64() / items,
        "s",
    ));
    rows.push(row(
        &format!("{fig}: airtime per item (acks)"),
        "designed",
        acks.as_secs_f64() / items,
        "s",
    ));
    rows.push(row(
        &format!("{fig}: packets per item (data + acks)"),
        "designed",
        (ma.chunks_sent + mb.chunks_sent) as f64 / items,
        "packets",
    ));
    rows.push(row(
        &format!("{fig}: packets resent"),
        "designed",
        resent as f64,
        "packets",
    ));
    rows.push(row(
        &format!("{fig}: 100-item backlog drained in"),
        "designed",
        drained.as_secs_f64() / 60.0,
        "min",
    ));
    rows.push(row(
        &format!("{fig}: bound at share {share} (36 s/h)"),
        "designed",
        bound.as_secs_f64() / 60.0,
        "min",
    ));
    app_a.shutdown().await?;
    app_b.shutdown().await?;
    mesh.shutdown().await;
    Ok(())
}

fn app_a_share() -> f64 {
    Config::default().federation.airtime_share
}
