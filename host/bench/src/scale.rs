//! Figure 4: latency at scale, and the footprint target. The daemon is started on a
//! copy of a populated store (100, 10,000 and 100,000 players with 1,000,000 posts;
//! see [`populate`]) and players already in it send `look`, `read general` and `mail`
//! a few at a time: the p99 of each, and the store's open time. Latency, not
//! throughput: four players at once, closed loop. The footprint is measured in a
//! fresh process (see [`footprint`]): this one has built stores and run other figures.

mod footprint;
pub(super) mod populate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::figures::{BenchError, Row, ms, row};
pub(super) use footprint::child as footprint_child;
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_testkit::stats::percentile;
use meshmush_testkit::{Kit, VirtualHandsets};
use populate::FIRST_NODE;

/// The commands of figure 4: label, command, and what a right answer holds (so an
/// error reply is never what gets timed).
const COMMANDS: [(&str, &str, &str); 3] = [
    ("look", "look", ": "),
    // Since issue 20 both lead with the newest post / oldest unread letter in full
    // when it fits one packet (marking it read), else list.
    ("read BOARD", "read general", "general"),
    ("mail", "mail", "Mail "),
];
/// Both designs: store calls on the blocking pool, and inline on the workers.
const DESIGNS: [(&str, bool); 2] = [("designed", false), ("naive", true)];
/// Players talking at once.
const CONCURRENCY: u32 = 4;
/// Players of a store who send commands in figure 4, spread over all its players.
/// The same number for every store: `look` lists the players about in the room, so
/// more players about would be a longer reply, not a bigger store. (With 2,000 about,
/// `look`'s p50 triples, at any store size.)
const DISTINCT: u32 = 200;
/// Commands timed per command and store.
const SAMPLES: u32 = 5000;
/// Commands one daemon runs before the next takes its turn: short, so a burst of
/// load from elsewhere on the machine falls on every store, not on one.
const TURN: usize = 20;
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
}

/// One daemon to measure: its data directory, how many players it holds, the design.
struct Target {
    dir: PathBuf,
    players: u32,
    naive: bool,
}

/// Figure 4 rows, and figure 5's footprint with 10,000 players. Quick mode measures
/// one tiny store, built afresh in a temporary directory (not cached).
pub(super) async fn scale(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    if quick {
        let size = Size {
            players: 100,
            posts: 1000,
        };
        let tmp = tempfile::tempdir().map_err(BenchError::io("a temporary directory"))?;
        let mut targets = Vec::new();
        for (design, naive) in DESIGNS {
            let dir = tmp.path().join(design);
            let took = populate::populate(&dir, size.players, size.posts).await?;
            if !naive {
                rows.push(row(
                    &format!("4. {}: build the store", size.label()),
                    "designed",
                    took.as_secs_f64(),
                    "s",
                ));
            }
            let players = size.players;
            targets.push(Target {
                dir,
                players,
                naive,
            });
        }
        let served = serve(&targets, 50, 200).await?;
        for ((design, _), served) in DESIGNS.iter().zip(&served) {
            latency_rows(rows, &size, design, served);
        }
        // The footprint's fresh process too, at this size, so it cannot rot.
        if let Some(kib) = footprint::measure(&targets[0].dir, size.players, false).await? {
            rows.push(row(
                &format!("5. peak RSS, fresh daemon serving {}", size.label()),
                "designed",
                kib as f64 / 1024.0,
                "MiB",
            ));
        }
        return Ok(());
    }
    // Every size and design at once, measured a round each in turn: whatever else
    // the machine is doing (other builds, other benches) falls on all of them alike,
    // so the ratios compare stores, not moments.
    let sizes = [100, 10_000, 100_000].map(|players| Size {
        players,
        posts: 1_000_000,
    });
    let mut copies = Vec::new();
    let mut targets = Vec::new();
    for size in &sizes {
        let cache = cached(rows, size).await?;
        for (_, naive) in DESIGNS {
            let work = working_copy(&cache).await?;
            targets.push(Target {
                dir: work.path().join("data"),
                players: size.players,
                naive,
            });
            copies.push(work);
        }
    }
    let served = serve(&targets, DISTINCT, SAMPLES).await?;
    let mut p99 = HashMap::new();
    for (target, served) in targets.iter().zip(&served) {
        let design = if target.naive { "naive" } else { "designed" };
        let Some(size) = sizes.iter().find(|s| s.players == target.players) else {
            continue;
        };
        latency_rows(rows, size, design, served);
        for (i, (label, ..)) in COMMANDS.iter().enumerate() {
            p99.insert(
                (size.players, design, *label),
                percentile(&served.latencies[i], 0.99),
            );
        }
    }
    drop(copies);
    for (design, _) in DESIGNS {
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
    // Footprint: each in a process of its own, which has held nothing else.
    for (players, posts, target) in [
        (10_000, 100_000, " (target < 25)"),
        (100_000, 1_000_000, ""),
    ] {
        let size = Size { players, posts };
        let cache = cached(rows, &size).await?;
        for (design, naive) in DESIGNS {
            let work = working_copy(&cache).await?;
            let Some(kib) = footprint::measure(&work.path().join("data"), players, naive).await?
            else {
                tracing::warn!("not run as the meshmush binary: no footprint figure");
                return Ok(());
            };
            rows.push(row(
                &format!("5. peak RSS, fresh daemon serving {}{target}", size.label()),
                design,
                kib as f64 / 1024.0,
                "MiB",
            ));
        }
    }
    Ok(())
}

/// The cached store of `size`, built first if need be; adds the build-time row.
async fn cached(rows: &mut Vec<Row>, size: &Size) -> Result<PathBuf, BenchError> {
    let (cache, took, built) = populate::cached(size.players, size.posts).await?;
    let how = if built { "built now" } else { "cached" };
    tracing::info!(dir = %cache.display(), "figure 4 store ({how})");
    rows.push(row(
        &format!("4. {}: build the store ({how})", size.label()),
        "designed",
        took.as_secs_f64(),
        "s",
    ));
    Ok(cache)
}

/// A fresh copy of a cached store, as `data` in a temporary directory: runs change it.
async fn working_copy(cache: &Path) -> Result<tempfile::TempDir, BenchError> {
    let work = tempfile::tempdir().map_err(BenchError::io("a temporary directory"))?;
    let copied = Instant::now();
    populate::copy_tree(cache.to_path_buf(), work.path().join("data")).await?;
    tracing::info!(ms = ms(copied.elapsed()), "store copied");
    Ok(work)
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
}

/// Starts a daemon on each target's store and has up to `distinct` of its players
/// (spread over all of them) send each command, `samples` times in all, in turn and
/// [`CONCURRENCY`] at once. The daemons take turns, [`TURN`] commands each.
async fn serve(targets: &[Target], distinct: u32, samples: u32) -> Result<Vec<Served>, BenchError> {
    let mut rigs = Vec::new();
    let mut served = Vec::new();
    for t in targets {
        let opts = StoreOptions {
            naive_inline: t.naive,
            ..StoreOptions::default()
        };
        let (rig, startup) = ScaleRig::start(&t.dir, opts).await?;
        let n = distinct.min(t.players).max(1);
        let nodes: Vec<u32> = (0..n)
            .map(|k| FIRST_NODE + (u64::from(k) * u64::from(t.players) / u64::from(n)) as u32)
            .collect();
        let rig = Arc::new(rig);
        // Warm-up: each player's session is open (as for a player who is about).
        for chunk in nodes.chunks(TURN) {
            drive(&rig, chunk, "ping").await;
        }
        rigs.push((rig, nodes));
        served.push(Served {
            startup,
            latencies: Vec::new(),
        });
    }
    for (_, cmd, answer) in COMMANDS {
        for (rig, nodes) in &rigs {
            let (_, reply) = rig.ask(nodes[0], cmd).await.unwrap_or_default();
            if !reply.contains(answer) {
                return Err(BenchError::Failed(format!("{cmd:?} answered {reply:?}")));
            }
        }
        // Each daemon's players in turn, over and over: a turn never holds a player
        // twice (two commands of one player at once would share a reply waiter).
        let turns: Vec<Vec<u32>> = rigs
            .iter()
            .map(|(_, nodes)| {
                nodes
                    .iter()
                    .copied()
                    .cycle()
                    .take(samples as usize)
                    .collect()
            })
            .collect();
        let mut all = vec![Vec::new(); rigs.len()];
        for at in (0..samples as usize).step_by(TURN) {
            for (((rig, nodes), turn), lat) in rigs.iter().zip(&turns).zip(&mut all) {
                let size = TURN.min(nodes.len());
                let end = (at + size).min(turn.len());
                if let Some(chunk) = turn.get(at..end) {
                    lat.extend(drive(rig, chunk, cmd).await);
                }
            }
        }
        for (s, mut lat) in served.iter_mut().zip(all) {
            lat.sort_unstable();
            s.latencies.push(lat);
        }
    }
    for (rig, _) in rigs {
        if let Ok(rig) = Arc::try_unwrap(rig) {
            rig.stop().await;
        }
    }
    Ok(served)
}

/// [`CONCURRENCY`] drivers share out `nodes`; each sends `cmd` from its players in
/// turn. The sorted latencies (a lost reply counts as [`TIMEOUT`]).
async fn drive(rig: &Arc<ScaleRig>, nodes: &[u32], cmd: &str) -> Vec<Duration> {
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
            for node in mine {
                lat.push(rig.ask(node, &cmd).await.map_or(TIMEOUT, |(d, _)| d));
            }
            lat
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap_or_default());
    }
    all
}

/// A daemon on a given data directory and a mesh of virtual handsets.
struct ScaleRig {
    kit: Kit,
    players: VirtualHandsets,
}

impl ScaleRig {
    async fn start(dir: &Path, opts: StoreOptions) -> Result<(Self, Duration), BenchError> {
        let mut cfg = Config::default();
        // The stores hold more posts than the default keeps.
        cfg.bbs.posts_kept = 10_000_000;
        let (kit, players, startup) =
            super::rig::virtual_kit(cfg, Some(dir), opts, |link| link.ack_timeout = TIMEOUT)
                .await?;
        Ok((Self { kit, players }, startup))
    }

    /// Sends `text` from `node` and waits for the first packet of the reply: how long
    /// it took, and the packet.
    async fn ask(&self, node: u32, text: &str) -> Option<(Duration, String)> {
        let mesh = self.kit.mesh()?;
        self.players.ask_once(mesh, node, text, TIMEOUT).await
    }

    async fn stop(self) {
        let _ = self.kit.stop().await;
    }
}
