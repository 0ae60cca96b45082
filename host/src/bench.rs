//! `meshmush bench`: the whole pipeline in one process (frame in, router, session,
//! commands, store, chunked reply, frame out) on the software mesh at time scale 0,
//! measured twice: as designed (store calls on the blocking pool) and as the naive
//! design (store calls on the async workers). Players are virtual handsets of the
//! mesh, so a thousand of them cost no sockets.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use meshmush_protocol::chunking::chunk;
use serde::Serialize;
use tokio::sync::{Mutex, mpsc};

use crate::app::App;
use crate::config::Config;
use crate::store::{StoreError, StoreOptions};

const FIRST_PLAYER: u32 = 0x5000_0000;

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub figure: String,
    pub design: String,
    pub value: f64,
    pub unit: String,
}

/// Everything the bench printed.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub cores: usize,
    pub memory_mib: u64,
    pub quick: bool,
    pub rows: Vec<Row>,
}

impl BenchReport {
    pub fn table(&self) -> String {
        let mut out = format!(
            "meshmush bench ({} mode) on {} cores, {} MiB\n{:<58} {:>12} {:>12}  unit\n",
            if self.quick { "quick" } else { "full" },
            self.cores,
            self.memory_mib,
            "figure",
            "designed",
            "naive"
        );
        let mut seen = Vec::new();
        for r in &self.rows {
            if seen.contains(&r.figure) {
                continue;
            }
            seen.push(r.figure.clone());
            let get = |d: &str| {
                self.rows
                    .iter()
                    .find(|x| x.figure == r.figure && x.design == d)
                    .map_or("-".to_string(), |x| format!("{:.2}", x.value))
            };
            out.push_str(&format!(
                "{:<58} {:>12} {:>12}  {}\n",
                r.figure,
                get("designed"),
                get("naive"),
                r.unit
            ));
        }
        out
    }
}

fn row(figure: &str, design: &str, value: f64, unit: &str) -> Row {
    Row {
        figure: figure.into(),
        design: design.into(),
        value,
        unit: unit.into(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Resident memory of this process, in KiB (read through Tokio's fs, off the workers).
pub async fn rss_kib() -> u64 {
    tokio::fs::read_to_string("/proc/self/status")
        .await
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

async fn memory_mib() -> u64 {
    tokio::fs::read_to_string("/proc/meminfo")
        .await
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

/// A daemon on a mesh of virtual handsets, with a reply router per player.
struct Rig {
    mesh: Mesh,
    app: App,
    waiters: Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<Instant>>>>,
    next_id: std::sync::atomic::AtomicU32,
    _dir: tempfile::TempDir,
}

impl Rig {
    async fn start(store: StoreOptions) -> Result<(Self, Duration), StoreError> {
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
                while let Some(r) = replies.recv().await {
                    // The first packet of a reply is what a player waits for.
                    if r.text.starts_with('(') && !r.text.starts_with("(1/") {
                        continue;
                    }
                    if let Some(tx) = waiters.lock().await.get(&r.to) {
                        let _ = tx.send(r.at.into_std());
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

    async fn player(&self, n: u32) -> mpsc::UnboundedReceiver<Instant> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.waiters.lock().await.insert(FIRST_PLAYER + n, tx);
        rx
    }

    /// Sends `text` from player `n` and waits for the reply; the latency.
    async fn ask(
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

    async fn stop(self) {
        let _ = self.app.shutdown().await;
        self.mesh.shutdown().await;
    }
}

/// Closed loop: `players` each send `command` and wait, for `secs`. Returns
/// (commands per second, sorted latencies, peak RSS KiB).
async fn throughput(
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

/// Figure 3: store latency injected, `busy` players hammering the store; the lag
/// probe and a store-free player's latency.
async fn stall(
    store_latency: Duration,
    naive: bool,
    busy: u32,
    run: Duration,
) -> Result<(Duration, Duration, Duration), StoreError> {
    let opts = StoreOptions {
        latency: Some(store_latency),
        naive_inline: naive,
        ..StoreOptions::default()
    };
    let (rig, _) = Rig::start(opts).await?;
    let rig = Arc::new(rig);
    let mut quiet = rig.player(busy).await;
    rig.ask(busy, "ping", &mut quiet).await;
    rig.app.lag_probe().reset();
    let deadline = Instant::now() + run;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..busy {
        let rig = rig.clone();
        tasks.spawn(async move {
            let mut rx = rig.player(n).await;
            while Instant::now() < deadline {
                if rig.ask(n, "boards", &mut rx).await.is_none() {
                    break;
                }
            }
        });
    }
    let mut free = Vec::new();
    while Instant::now() < deadline {
        if let Some(d) = rig.ask(busy, "ping", &mut quiet).await {
            free.push(d);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while tasks.join_next().await.is_some() {}
    let lag = rig.app.lag();
    free.sort_unstable();
    // No answer at all within the run: not a latency, a stall (NaN, `null` in JSON).
    let p99_free = if free.is_empty() {
        Duration::MAX
    } else {
        percentile(&free, 0.99)
    };
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok((lag.p99, lag.max, p99_free))
}

/// Figure 7: ten handsets on real airtime send one command at the same moment; how
/// long until the last of them has the first packet of its reply.
async fn pacing(preset: &str, region: &str) -> Result<Duration, StoreError> {
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

/// Only figure 7 (pacing at real airtime), which takes about half a minute.
pub async fn run_pacing() -> Result<BenchReport, StoreError> {
    let mut rows = Vec::new();
    for (preset, region) in [("ShortFast", "US"), ("LongFast", "EU_868")] {
        let last = pacing(preset, region).await?;
        let f = format!("7. 10 handsets at once on {preset}/{region}: last first reply");
        rows.push(row(&f, "designed", ms(last), "ms"));
    }
    Ok(BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_mib: memory_mib().await,
        quick: false,
        rows,
    })
}

/// Runs every figure; `quick` keeps it to a few seconds.
pub async fn run(quick: bool) -> Result<BenchReport, StoreError> {
    let span = if quick {
        Duration::from_millis(700)
    } else {
        Duration::from_secs(5)
    };
    let many = if quick { 200 } else { 1000 };
    let mut rows = Vec::new();
    for (design, naive) in [("designed", false), ("naive", true)] {
        let idle_before = rss_kib().await;
        let (rig, startup) = Rig::start(StoreOptions {
            naive_inline: naive,
            ..StoreOptions::default()
        })
        .await?;
        let rig = Arc::new(rig);
        rows.push(row("5. start-up to connected", design, ms(startup), "ms"));
        rows.push(row(
            "5. RSS idle (whole process)",
            design,
            rss_kib().await.max(idle_before) as f64 / 1024.0,
            "MiB",
        ));
        for (label, cmd) in [
            ("read (boards)", "boards"),
            ("write (post)", "post general bench post"),
        ] {
            for players in [1, many] {
                let (rate, lat, peak) = throughput(&rig, players, cmd, span).await;
                rows.push(row(
                    &format!("1. {label}, {players} players"),
                    design,
                    rate,
                    "commands/s",
                ));
                if players == many {
                    let name = format!("2. {label} latency at {players} players");
                    rows.push(row(
                        &format!("{name}, p50"),
                        design,
                        ms(percentile(&lat, 0.5)),
                        "ms",
                    ));
                    rows.push(row(
                        &format!("{name}, p99"),
                        design,
                        ms(percentile(&lat, 0.99)),
                        "ms",
                    ));
                    rows.push(row(
                        &format!("{name}, max"),
                        design,
                        ms(lat.last().copied().unwrap_or_default()),
                        "ms",
                    ));
                    rows.push(row(
                        &format!("5. peak RSS, {label} x {players}"),
                        design,
                        peak as f64 / 1024.0,
                        "MiB",
                    ));
                }
            }
        }
        if let Ok(rig) = Arc::try_unwrap(rig) {
            rig.stop().await;
        }
        let (latencies, busy): (&[u64], u32) = if quick { (&[50], 10) } else { (&[50, 500], 50) };
        for &latency in latencies {
            let (p99, max, free) = stall(
                Duration::from_millis(latency),
                naive,
                busy,
                span.max(Duration::from_secs(2)),
            )
            .await?;
            let f = format!("3. store stalls {latency} ms, {busy} busy players");
            rows.push(row(&format!("{f}: lag p99"), design, ms(p99), "ms"));
            rows.push(row(&format!("{f}: lag max"), design, ms(max), "ms"));
            let free_ms = if free == Duration::MAX {
                f64::NAN
            } else {
                ms(free)
            };
            rows.push(row(
                &format!("{f}: store-free player p99"),
                design,
                free_ms,
                "ms",
            ));
        }
    }
    if !quick {
        for (preset, region) in [("ShortFast", "US"), ("LongFast", "EU_868")] {
            let last = pacing(preset, region).await?;
            let f = format!("7. 10 handsets at once on {preset}/{region}: last first reply");
            rows.push(row(&f, "designed", ms(last), "ms"));
        }
    }
    // 6. Airtime: how full long replies fill their packets.
    let prose = "The post office keeps the boards and your mail. Read a board with read, post with post, \
                 and mail anyone you have met on the mesh. Replies are short because every byte is airtime. "
        .repeat(8);
    let packets = chunk(&prose, 200);
    let full: Vec<usize> = packets[..packets.len() - 1]
        .iter()
        .map(|p| p.len())
        .collect();
    let mean = full.iter().sum::<usize>() as f64 / full.len().max(1) as f64;
    rows.push(row(
        "6. long reply: mean bytes per packet (budget 200)",
        "designed",
        mean,
        "bytes",
    ));
    if let Ok(exe) = std::env::current_exe()
        && let Ok(meta) = tokio::fs::metadata(exe).await
    {
        rows.push(row(
            "5. this binary's size",
            "designed",
            meta.len() as f64 / 1_048_576.0,
            "MiB",
        ));
    }
    Ok(BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_mib: memory_mib().await,
        quick,
        rows,
    })
}
