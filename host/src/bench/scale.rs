//! Figure 4: latency at scale, and the footprint target. The daemon is started on a
//! copy of a populated store (100, 10,000 and 100,000 players with 1,000,000 posts;
//! see [`populate`]) and players already in it send `look`, `read general` and `mail`
//! a few at a time: the p99 of each, the store's open time, and the process's peak
//! RSS while serving. Latency, not throughput: four players at once, closed loop.

mod populate;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
use tokio::sync::{Mutex, mpsc};

use super::{Row, ms, percentile, row, rss_kib};
use crate::app::App;
use crate::config::Config;
use crate::store::{StoreError, StoreOptions};
use populate::FIRST_NODE;

/// The commands of figure 4: label, command, and what a right answer holds (so an
/// error reply is never what gets timed).
const COMMANDS: [(&str, &str, &str); 3] = [
    ("look", "look", ": "),
    ("read BOARD", "read general", "general:\n#"),
    ("mail", "mail", "Mail (* unread):\n"),
];
/// Players talking at once.
const CONCURRENCY: u32 = 4;
/// How long one command may take before it counts as lost (and as this long).
const TIMEOUT: Duration = Duration::from_secs(30);

/// One measured store size.
struct Size {
    players: u32,
    posts: u32,
}

impl Size {
    fn label(&self) -> String {
        format!(
            "{} players, {} posts",
            short(self.players),
            short(self.posts)
        )
    }
}

fn short(n: u32) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1000 && n % 1000 == 0 => format!("{}k", n / 1000),
        n => n.to_string(),
    }
}

/// What one run on one store measured.
struct Served {
    startup: Duration,
    /// Sorted latencies per command, in [`COMMANDS`] order.
    latencies: Vec<Vec<Duration>>,
    peak_rss_kib: u64,
}

/// Figure 4 rows (and the footprint row of figure 5). Quick mode measures one tiny
/// store built afresh in a temporary directory, not cached.
pub(super) async fn scale(quick: bool, rows: &mut Vec<Row>) -> Result<(), StoreError> {
    let designs = [("designed", false), ("naive", true)];
    if quick {
        let size = Size {
            players: 100,
            posts: 1000,
        };
        let tmp = tempfile::tempdir().map_err(|e| StoreError::Worker(e.to_string()))?;
        let took = populate::populate(tmp.path(), size.players, size.posts).await?;
        rows.push(row(
            &format!("4. {}: build the store", size.label()),
            "designed",
            took.as_secs_f64(),
            "s",
        ));
        for (design, naive) in designs {
            let served = serve(tmp.path(), &size, naive, 50, 4).await?;
            latency_rows(rows, &size, design, &served);
        }
        return Ok(());
    }
    // The footprint first, while this process has not yet held a big store.
    let footprint = Size {
        players: 10_000,
        posts: 100_000,
    };
    let mut p99 = HashMap::new();
    let sizes = [100, 10_000, 100_000].map(|players| Size {
        players,
        posts: 1_000_000,
    });
    for (k, size) in std::iter::once(&footprint).chain(&sizes).enumerate() {
        let (cache, took, built) = populate::cached(size.players, size.posts).await?;
        let how = if built { "built now" } else { "cached" };
        tracing::info!(dir = %cache.display(), "figure 4 store ({how})");
        rows.push(row(
            &format!("4. {}: build the store ({how})", size.label()),
            "designed",
            took.as_secs_f64(),
            "s",
        ));
        for (design, naive) in designs {
            let work = tempfile::tempdir().map_err(|e| StoreError::Worker(e.to_string()))?;
            let copied = Instant::now();
            populate::copy_tree(cache.clone(), work.path().join("data")).await?;
            tracing::info!(ms = ms(copied.elapsed()), "store copied");
            let served = serve(&work.path().join("data"), size, naive, 200, 10).await?;
            if k == 0 {
                rows.push(row(
                    &format!("5. peak RSS serving {} (target < 25)", size.label()),
                    design,
                    served.peak_rss_kib as f64 / 1024.0,
                    "MiB",
                ));
                continue;
            }
            latency_rows(rows, size, design, &served);
            for (i, (label, ..)) in COMMANDS.iter().enumerate() {
                p99.insert(
                    (size.players, design, *label),
                    percentile(&served.latencies[i], 0.99),
                );
            }
        }
    }
    for (design, _) in designs {
        for (label, ..) in COMMANDS {
            let (Some(big), Some(small)) = (
                p99.get(&(100_000, design, label)),
                p99.get(&(100, design, label)),
            ) else {
                continue;
            };
            rows.push(row(
                &format!("4. {label} p99 at 100k players / at 100 (target <= 2)"),
                design,
                big.as_secs_f64() / small.as_secs_f64().max(1e-9),
                "x",
            ));
        }
    }
    Ok(())
}

fn latency_rows(rows: &mut Vec<Row>, size: &Size, design: &str, served: &Served) {
    let label = size.label();
    rows.push(row(
        &format!("4. {label}: start-up to connected"),
        design,
        ms(served.startup),
        "ms",
    ));
    for (i, (cmd, ..)) in COMMANDS.iter().enumerate() {
        let lat = &served.latencies[i];
        for (p, name) in [(0.5, "p50"), (0.99, "p99")] {
            rows.push(row(
                &format!("4. {label}: {cmd} {name}"),
                design,
                ms(percentile(lat, p)),
                "ms",
            ));
        }
    }
    rows.push(row(
        &format!("4. {label}: peak RSS serving"),
        design,
        served.peak_rss_kib as f64 / 1024.0,
        "MiB",
    ));
}

/// Starts the daemon on the store in `dir` and has `sample` of its players (spread
/// over all of them) send each command `rounds` times, [`CONCURRENCY`] at once.
async fn serve(
    dir: &Path,
    size: &Size,
    naive: bool,
    sample: u32,
    rounds: u32,
) -> Result<Served, StoreError> {
    let opts = StoreOptions {
        naive_inline: naive,
        ..StoreOptions::default()
    };
    let (rig, startup) = ScaleRig::start(dir, opts).await?;
    let rig = Arc::new(rig);
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut peak = rss_kib().await;
            while sampling.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(10)).await;
                peak = peak.max(rss_kib().await);
            }
            peak
        })
    };
    let sample = sample.min(size.players).max(1);
    let nodes: Vec<u32> = (0..sample)
        .map(|k| FIRST_NODE + (u64::from(k) * u64::from(size.players) / u64::from(sample)) as u32)
        .collect();
    // Warm-up: each player's session is open (as for a player who is about).
    drive(&rig, &nodes, "ping", 1).await;
    let mut latencies = Vec::new();
    for (_, cmd, answer) in COMMANDS {
        let (_, reply) = rig.ask(nodes[0], cmd).await.unwrap_or_default();
        if !reply.contains(answer) {
            return Err(StoreError::Worker(format!("{cmd:?} answered {reply:?}")));
        }
        latencies.push(drive(&rig, &nodes, cmd, rounds).await);
    }
    sampling.store(false, Ordering::Relaxed);
    let peak_rss_kib = sampler.await.unwrap_or(0).max(rss_kib().await);
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok(Served {
        startup,
        latencies,
        peak_rss_kib,
    })
}

/// [`CONCURRENCY`] drivers share out `nodes`; each sends `cmd` from its players in
/// turn, `rounds` times over. The sorted latencies (a lost reply counts as
/// [`TIMEOUT`]).
async fn drive(rig: &Arc<ScaleRig>, nodes: &[u32], cmd: &str, rounds: u32) -> Vec<Duration> {
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..CONCURRENCY.min(nodes.len() as u32) {
        let mine: Vec<u32> = nodes
            .iter()
            .skip(w as usize)
            .step_by(CONCURRENCY as usize)
            .copied()
            .collect();
        let rig = rig.clone();
        let cmd = cmd.to_string();
        tasks.spawn(async move {
            let mut lat = Vec::new();
            for _ in 0..rounds {
                for &node in &mine {
                    lat.push(rig.ask(node, &cmd).await.map_or(TIMEOUT, |(d, _)| d));
                }
            }
            lat
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap_or_default());
    }
    all.sort_unstable();
    all
}

/// A daemon on a given data directory and a mesh of virtual handsets; one reply
/// waiter per node.
struct ScaleRig {
    mesh: Mesh,
    app: App,
    waiters: Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<(Instant, String)>>>>,
    next_id: AtomicU32,
}

impl ScaleRig {
    async fn start(dir: &Path, opts: StoreOptions) -> Result<(Self, Duration), StoreError> {
        let err = |e: String| StoreError::Worker(e);
        let mesh = Mesh::start(SimConfig {
            handsets: 0,
            virtual_handsets: true,
            ..SimConfig::default()
        })
        .await
        .map_err(|e| err(e.to_string()))?;
        let mut cfg = Config::default();
        cfg.limits.burst = 1_000_000;
        cfg.limits.per_minute = 1_000_000;
        // The stores hold more posts than the default keeps.
        cfg.bbs.posts_kept = 10_000_000;
        let mut link = meshmush_firmware_bridge::sim::handset::fast_link_config(mesh.gateway());
        link.ack_timeout = TIMEOUT;
        let started = Instant::now();
        let app = App::start(cfg, dir, link, opts).await?;
        app.link()
            .connected()
            .await
            .map_err(|e| err(e.to_string()))?;
        let startup = started.elapsed();
        let waiters: Arc<Mutex<HashMap<u32, mpsc::UnboundedSender<(Instant, String)>>>> =
            Arc::default();
        if let Some(mut replies) = mesh.take_virtual_replies() {
            let waiters = waiters.clone();
            tokio::spawn(async move {
                while let Some(r) = replies.recv().await {
                    // A player waits for the first packet of a reply.
                    if r.text.starts_with('(') && !r.text.starts_with("(1/") {
                        continue;
                    }
                    if let Some(tx) = waiters.lock().await.get(&r.to) {
                        let _ = tx.send((r.at.into_std(), r.text));
                    }
                }
            });
        }
        let rig = Self {
            mesh,
            app,
            waiters,
            next_id: AtomicU32::new(1),
        };
        Ok((rig, startup))
    }

    /// Sends `text` from `node` and waits for the first packet of the reply: how long
    /// it took, and the packet.
    async fn ask(&self, node: u32, text: &str) -> Option<(Duration, String)> {
        let (tx, mut rx) = mpsc::unbounded_channel();
        self.waiters.lock().await.insert(node, tx);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let sent = Instant::now();
        self.mesh.inject_text(node, id, text);
        let (at, reply) = tokio::time::timeout(TIMEOUT, rx.recv()).await.ok()??;
        Some((at.saturating_duration_since(sent), reply))
    }

    async fn stop(self) {
        let _ = self.app.shutdown().await;
        self.mesh.shutdown().await;
    }
}
