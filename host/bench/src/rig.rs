//! The bench's rig: a daemon on a mesh of virtual handsets (started by the test kit),
//! and the closed- and open-loop drivers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use tokio::sync::mpsc;

use super::figures::{BenchError, rss_kib};
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_testkit::virtual_handsets::Heard;
use meshmush_testkit::{Kit, VirtualHandsets};

const FIRST_PLAYER: u32 = 0x5000_0000;
/// How long a command may wait for its reply before the player gives up.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// A daemon on a mesh of virtual handsets, with a reply router per player.
pub(super) struct Rig {
    pub(super) kit: Kit,
    players: VirtualHandsets,
}

impl Rig {
    /// A daemon whose link sends a heartbeat every `heartbeat` (a real link: 5 min);
    /// also how long it took from start to a connected link.
    pub(super) async fn start(
        store: StoreOptions,
        heartbeat: Duration,
    ) -> Result<(Self, Duration), BenchError> {
        Self::start_with(Config::default(), store, heartbeat).await
    }

    /// As [`Rig::start`], with the daemon configured by `cfg` (limits still lifted).
    pub(super) async fn start_with(
        cfg: Config,
        store: StoreOptions,
        heartbeat: Duration,
    ) -> Result<(Self, Duration), BenchError> {
        let (kit, players, startup) = virtual_kit(cfg, None, store, move |link| {
            link.ack_timeout = REPLY_TIMEOUT;
            link.heartbeat_interval = heartbeat;
        })
        .await?;
        Ok((Self { kit, players }, startup))
    }

    /// The software mesh the rig runs on.
    pub(super) fn mesh(&self) -> Option<&Mesh> {
        self.kit.mesh()
    }

    pub(super) async fn player(&self, n: u32) -> mpsc::UnboundedReceiver<Heard> {
        self.players.listen(FIRST_PLAYER + n)
    }

    /// Sends `text` from player `n` and waits for the reply; the latency.
    pub(super) async fn ask(
        &self,
        n: u32,
        text: &str,
        replies: &mut mpsc::UnboundedReceiver<Heard>,
    ) -> Option<Duration> {
        let mesh = self.kit.mesh()?;
        self.players
            .ask(mesh, FIRST_PLAYER + n, text, replies, REPLY_TIMEOUT)
            .await
            .map(|(d, _)| d)
    }

    pub(super) async fn stop(self) {
        let _ = self.kit.stop().await;
    }
}

/// A daemon on a mesh of virtual handsets for a load test: every rate limit and queue
/// cap lifted (virtual players type far faster than people, on instant airtime), on
/// `data` (or a temporary directory), with `tweak` applied to the daemon's link. The
/// kit, its players, and how long the daemon took to connect.
pub(super) async fn virtual_kit(
    mut cfg: Config,
    data: Option<&std::path::Path>,
    store: StoreOptions,
    tweak: impl Fn(&mut meshmush_firmware_bridge::link::LinkConfig) + Send + 'static,
) -> Result<(Kit, VirtualHandsets, Duration), BenchError> {
    meshmush_testkit::lift_limits(&mut cfg);
    let mut builder = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 0,
            virtual_handsets: true,
            ..SimConfig::default()
        })
        .store(store)
        .daemon_link(move |mut link| {
            meshmush_testkit::lift_queue_caps(&mut link);
            tweak(&mut link);
            link
        });
    if let Some(dir) = data {
        builder = builder.data(dir);
    }
    let kit = builder.start().await?;
    let players = kit.virtual_handsets()?;
    let startup = kit.startup();
    Ok((kit, players, startup))
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
