//! While strangers' replies queue (a flood of new ids), a stranger's reply goes in
//! packets of at most `BUSY_PACKET_BYTES`, so no stranger packet holds the air long
//! while a known player's reply waits behind it (figure 8); with nothing queued, the
//! same reply fills whole packets. On the software mesh at ShortFast's real airtime.

use std::time::Duration;

use meshmush::config::Config;
use meshmush::delivery::BUSY_PACKET_BYTES;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_protocol::chunking::strip_marker;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use meshmush_testkit::Kit;

/// Fresh ids whose `look` replies fill the strangers' queue for some seconds.
const FLOOD: u32 = 40;

async fn reply_packets(kit: &mut Kit, line: &str) -> Vec<String> {
    let bbs = kit.bbs;
    kit.handsets[0].send(bbs, line).await.expect("sent");
    let first = kit.handsets[0]
        .next_text(Duration::from_secs(30))
        .await
        .expect("a reply");
    let mut out = vec![first.text];
    let rest = kit.handsets[0]
        .texts_until_quiet(Duration::from_secs(2))
        .await;
    out.extend(rest.into_iter().map(|t| t.text));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_reply_comes_in_short_packets_while_strangers_queue() {
    let mut cfg = Config::default();
    cfg.limits.burst = 100;
    cfg.limits.strangers_burst = 10_000;
    cfg.limits.newcomers_burst = 10_000;
    let mut kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 1,
            time_scale: 1.0,
            preset: ModemPreset::ShortFast,
            region: RegionCode::Us,
            ..SimConfig::default()
        })
        .daemon_link(|mut link| {
            link.airtime_scale = 1.0;
            link
        })
        .start()
        .await
        .expect("kit starts");
    // Quiet: the reply fills whole packets.
    let _ = reply_packets(&mut kit, "ping").await;
    let quiet = reply_packets(&mut kit, "help all").await;
    assert!(
        quiet
            .iter()
            .any(|p| strip_marker(p).len() > BUSY_PACKET_BYTES),
        "{quiet:?}"
    );

    let mesh = kit.mesh().expect("software mesh");
    for n in 0..FLOOD {
        mesh.inject_text(0x7200_0000 + n, 0x4000_0001, "look");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let flooded = reply_packets(&mut kit, "help all").await;
    assert!(!flooded.is_empty());
    for p in &flooded {
        assert!(p.len() <= BUSY_PACKET_BYTES, "{} bytes: {p:?}", p.len());
    }
    kit.stop().await.expect("clean stop");
}
