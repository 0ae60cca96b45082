//! The bench's rig: a daemon on a mesh of virtual handsets, and the closed-loop driver.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use std::sync::Mutex;

use tokio::sync::mpsc;

use super::rss_kib;
use crate::app::App;
use crate::config::Config;
use crate::store::{StoreError, StoreOptions};

const FIRST_PLAYER: u32 = 0x5000_0000;

/// A daemon on a mesh of virtual handsets, with a reply router per player.
pub(super) struct Rig {
    pub(super) mesh: Mesh,
    pub(super) app: App,
    waiters: Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<Instant>>>>,
    next_id: std::sync::atomic::AtomicU32,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// A daemon whose link sends a heartbeat every `heartbeat` (a real link: 5 min).
    pub(super) async fn start(
        store: StoreOptions,
        heartbeat: Duration,
    ) -> Result<(Self, Duration), StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Worker(e.to_string()))?;
        let mesh = Mesh::start(SimConfig {
            handsets: 0,
            virtual_handsets: true,
            ..SimConfig::default()
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?;
        let mut cfg = Config::default();
        cfg.limits.burst = 1_000_000;
        cfg.limits.per_minute = 1_000_000;
        cfg.bbs.posts_per_hour = 1_000_000;
        let mut link = meshmush_firmware_bridge::sim::handset::fast_link_config(mesh.gateway());
        link.ack_timeout = Duration::from_secs(30);
        link.heartbeat_interval = heartbeat;
        let started = Instant::now();
        let app = App::start(cfg, dir.path(), link, store).await?;
        app.link()
            .connected()
            .await
            .map_err(|e| StoreError::Worker(e.to_string()))?;
        let startup = started.elapsed();
        let waiters: Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<Instant>>>> = Arc::default();
        if let Some(mut replies) = mesh.take_virtual_replies() {
            let waiters = waiters.clone();
            tokio::spawn(async move {
                // In batches, one lock each: the bench's own bookkeeping should cost
                // as little of the two cores as it can.
                let mut batch = Vec::with_capacity(256);
                while replies.recv_many(&mut batch, 256).await > 0 {
                    let waiters = waiters.lock().unwrap_or_else(|e| e.into_inner());
                    for r in batch.drain(..) {
                        // The first packet of a reply is what a player waits for.
                        if r.text.starts_with('(') && !r.text.starts_with("(1/") {
                            continue;
                        }
                        if let Some(tx) = waiters.get(&r.to) {
                            let _ = tx.send(r.at.into_std());
                        }
                    }
                }
            });
        }
        let rig = Self {
            mesh,
            app,
            waiters,
            next_id: std::sync::atomic::AtomicU32::new(1),
            _dir: dir,
        };
        Ok((rig, startup))
    }

    pub(super) async fn player(&self, n: u32) -> mpsc::UnboundedReceiver<Instant> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.waiters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(FIRST_PLAYER + n, tx);
        rx
    }

    /// Sends `text` from player `n` and waits for the reply; the latency.
    pub(super) async fn ask(
        &self,
        n: u32,
        text: &str,
        replies: &mut mpsc::UnboundedReceiver<Instant>,
    ) -> Option<Duration> {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let sent = Instant::now();
        self.mesh.inject_text(FIRST_PLAYER + n, id, text);
        let at = tokio::time::timeout(Duration::from_secs(30), replies.recv())
            .await
            .ok()??;
        Some(at.saturating_duration_since(sent))
    }

    pub(super) async fn stop(self) {
        let _ = self.app.shutdown().await;
        self.mesh.shutdown().await;
    }
}

/// Closed loop: `players` each send `command` and wait, for `secs`. Returns
/// (commands per second, sorted latencies, peak RSS KiB).
pub(super) async fn throughput(
    rig: &Arc<Rig>,
    players: u32,
    command: &str,
    run: Duration,
) -> (f64, Vec<Duration>, u64) {
    let mut tasks = tokio::task::JoinSet::new();
    let deadline = Instant::now() + run;
    let start = Instant::now();
    for n in 0..players {
        let rig = rig.clone();
        let command = command.to_string();
        tasks.spawn(async move {
            let mut rx = rig.player(n).await;
            // Warm-up: the player's session and record exist before timing.
            let _ = rig.ask(n, "ping", &mut rx).await;
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                match rig.ask(n, &command, &mut rx).await {
                    Some(d) => lat.push(d),
                    None => break,
                }
            }
            lat
        });
    }
    let mut peak = rss_kib().await;
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        peak = peak.max(rss_kib().await);
        if let Ok(lat) = r {
            all.extend(lat);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    (all.len() as f64 / elapsed.max(1e-9), all, peak)
}

/// Open loop: `players` each send `command` once every `players / rate` seconds, their
/// starts spread over one period, for `run`; the sorted latencies. A player whose
/// reply is late sends its next command late (it has one command out at a time, as
/// a person with a handset does), so an overloaded daemon shows as fewer samples
/// and long tails rather than a queue the bench itself builds.
pub(super) async fn open_loop(
    rig: &Arc<Rig>,
    players: u32,
    command: &str,
    rate: f64,
    run: Duration,
) -> Vec<Duration> {
    let period = Duration::from_secs_f64(f64::from(players) / rate.max(1e-3));
    let mut tasks = tokio::task::JoinSet::new();
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let deadline = start + run;
    for n in 0..players {
        let rig = rig.clone();
        let command = command.to_string();
        tasks.spawn(async move {
            let mut rx = rig.player(n).await;
            let _ = rig.ask(n, "ping", &mut rx).await;
            let phase = period.mul_f64(f64::from(n) / f64::from(players));
            let mut tick = tokio::time::interval_at(start + phase, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut lat = Vec::new();
            loop {
                if tick.tick().await >= deadline {
                    break;
                }
                match rig.ask(n, &command, &mut rx).await {
                    Some(d) => lat.push(d),
                    None => break,
                }
            }
            lat
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok(lat) = r {
            all.extend(lat);
        }
    }
    all.sort_unstable();
    all
}

/// A daemon on `mesh`'s gateway with `cfg` and `link`, and a scripted handset on each
/// handset node with the link config `handset` gives it: figures 6 and 7.
pub(super) struct Handsets {
    pub app: App,
    pub handsets: Vec<meshmush_firmware_bridge::sim::handset::Handset>,
    /// The store's directory: bind it for as long as the daemon runs.
    pub dir: tempfile::TempDir,
}

pub(super) async fn daemon_and_handsets(
    mesh: &Mesh,
    cfg: Config,
    link: meshmush_firmware_bridge::link::LinkConfig,
    handset: impl Fn(
        &meshmush_firmware_bridge::sim::SimNode,
    ) -> meshmush_firmware_bridge::link::LinkConfig,
) -> Result<Handsets, StoreError> {
    use meshmush_firmware_bridge::sim::handset::Handset;
    let err = |e: String| StoreError::Worker(e);
    let dir = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
    let app = App::start(cfg, dir.path(), link, StoreOptions::default()).await?;
    app.link()
        .connected()
        .await
        .map_err(|e| err(e.to_string()))?;
    let mut handsets = Vec::new();
    for node in mesh.handsets() {
        handsets.push(
            Handset::connect_with(node, handset(node))
                .await
                .map_err(|e| err(e.to_string()))?,
        );
    }
    Ok(Handsets { app, handsets, dir })
}
