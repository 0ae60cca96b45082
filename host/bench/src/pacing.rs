//! Figure 7: pacing at the radio limit, real airtime.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_protocol::Message;
use meshmush_protocol::airtime::{MESH_HEADER, text_airtime, time_on_air};
use meshmush_protocol::packets::{decoded, routing_packet};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use meshmush_protocol::proto::routing;

use super::figures::BenchError;
use meshmush::config::Config;
use meshmush_testkit::Kit;

/// The least time the gateway's one transmitter needs for figure 7: the ten commands
/// arrive together (each handset has its own radio), then the gateway sends the
/// firmware's ten delivery acks and the ten replies one after another.
pub(super) fn airtime_bound(preset: ModemPreset, command: &str, reply: &str) -> Duration {
    let ack = routing_packet(1, 2, 3, 4, routing::Error::None);
    let ack_len = MESH_HEADER + decoded(&ack).map_or(0, |d| d.encoded_len());
    text_airtime(preset, command.len(), true)
        + (time_on_air(preset, ack_len) + text_airtime(preset, reply.len(), true)) * 10
}

/// Figure 7: ten handsets on real airtime send one command at the same moment; how
/// long until the last of them has the first packet of its reply.
pub(super) async fn pacing(preset: &str, region: &str) -> Result<(Duration, Duration), BenchError> {
    let bad = |what: &str| BenchError::Failed(format!("unknown {what}"));
    let preset = meshmush_protocol::airtime::parse_preset(preset).ok_or_else(|| bad("preset"))?;
    let region = meshmush_protocol::airtime::parse_region(region).ok_or_else(|| bad("region"))?;
    let mut kit = Kit::builder(Config::default())
        .sim(SimConfig {
            handsets: 10,
            time_scale: 1.0,
            preset,
            region,
            ..SimConfig::default()
        })
        .daemon_link(|mut link| {
            link.airtime_scale = 1.0;
            link.ack_timeout = Duration::from_secs(60);
            link
        })
        // A phone app leaves retransmission to its node and waits for the routing
        // result; resending after 2 s (fine when air is instant) would make the
        // gateway ack every duplicate, on air, ahead of the replies.
        .handset_link(|_, mut link| {
            link.ack_timeout = Duration::from_secs(60);
            link
        })
        .start()
        .await?;
    let mut handsets = std::mem::take(&mut kit.handsets);
    let mesh = kit.sim()?;
    // Warm the sessions first (each player's record is made on first contact).
    for h in &mut handsets {
        h.ask(mesh.gateway().num, "ping", Duration::from_secs(30))
            .await;
    }
    let gw = mesh.gateway().num;
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for mut h in handsets {
        tasks.spawn(async move {
            let _ = h.send(gw, "ping").await;
            h.next_text(Duration::from_secs(60))
                .await
                .map(|_| start.elapsed())
        });
    }
    let mut last = Duration::ZERO;
    while let Some(r) = tasks.join_next().await {
        last = last.max(r.ok().flatten().unwrap_or(Duration::MAX));
    }
    let _ = kit.stop().await;
    Ok((last, airtime_bound(preset, "ping", "pong")))
}
