//! Figure 7: pacing at the radio limit, real airtime.

use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};

use crate::app::App;
use crate::config::Config;
use crate::store::{StoreError, StoreOptions};

/// Figure 7: ten handsets on real airtime send one command at the same moment; how
/// long until the last of them has the first packet of its reply.
pub(super) async fn pacing(preset: &str, region: &str) -> Result<Duration, StoreError> {
    use meshmush_firmware_bridge::sim::handset::Handset;
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
    let dir = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
    let mut link = meshmush_firmware_bridge::sim::handset::fast_link_config(mesh.gateway());
    link.airtime_scale = 1.0;
    link.ack_timeout = Duration::from_secs(60);
    let app = App::start(Config::default(), dir.path(), link, StoreOptions::default()).await?;
    app.link()
        .connected()
        .await
        .map_err(|e| err(e.to_string()))?;
    let mut handsets = Vec::new();
    for node in mesh.handsets() {
        handsets.push(
            Handset::connect(node)
                .await
                .map_err(|e| err(e.to_string()))?,
        );
    }
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
    Ok(last)
}
