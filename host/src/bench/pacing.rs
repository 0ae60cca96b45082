//! Figure 7: pacing at the radio limit, real airtime.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::Message;
use meshmush_protocol::airtime::{MESH_HEADER, text_airtime, time_on_air};
use meshmush_protocol::packets::{decoded, routing_packet};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use meshmush_protocol::proto::routing;

use super::rig::{Handsets, daemon_and_handsets};
use crate::config::Config;
use crate::store::StoreError;

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
pub(super) async fn pacing(preset: &str, region: &str) -> Result<(Duration, Duration), StoreError> {
    let err = |e: String| StoreError::Worker(e);
    let preset =
        meshmush_protocol::airtime::parse_preset(preset).ok_or_else(|| err("preset".into()))?;
    let region =
        meshmush_protocol::airtime::parse_region(region).ok_or_else(|| err("region".into()))?;
    let mesh = Mesh::start(SimConfig {
        handsets: 10,
        time_scale: 1.0,
        preset,
        region,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| err(e.to_string()))?;
    let mut link = meshmush_firmware_bridge::sim::handset::fast_link_config(mesh.gateway());
    link.airtime_scale = 1.0;
    link.ack_timeout = Duration::from_secs(60);
    // A phone app leaves retransmission to its node and waits for the routing result;
    // resending after 2 s (fine when air is instant) would make the gateway ack every
    // duplicate, on air, ahead of the replies.
    let phone_app = |node: &_| {
        let mut cfg = meshmush_firmware_bridge::sim::handset::fast_link_config(node);
        cfg.ack_timeout = Duration::from_secs(60);
        cfg
    };
    let Handsets {
        app,
        mut handsets,
        dir: _dir,
    } = daemon_and_handsets(&mesh, Config::default(), link, phone_app).await?;
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
    let _ = app.shutdown().await;
    mesh.shutdown().await;
    Ok((last, airtime_bound(preset, "ping", "pong")))
}
