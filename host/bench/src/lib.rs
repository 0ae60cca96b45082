//! `meshmush-bench`: the whole pipeline in one process (frame in, router, session,
//! commands, store, chunked reply, frame out) on the software mesh at time scale 0,
//! measured twice: as designed (store calls on the blocking pool) and as the naive
//! design (store calls on the async workers). Players are virtual handsets of the
//! mesh, so a thousand of them cost no sockets. Every daemon it measures is started by
//! the test kit ([`meshmush_testkit`]); this crate is never part of the daemon's build.

mod airtime;
mod flood;
mod gateways;
mod hops;
mod hostile;
mod meshtasticator;
mod messages;
mod ops;
mod pacing;
mod rig;
mod routing;
mod scale;
mod session;
mod stall;
mod sync;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use airtime::airtime;
pub use hops::{BoundFigures, HopsFigures, HopsOptions};
use meshmush::store::StoreOptions;
use meshmush_testkit::stats::percentile;
pub use meshtasticator::MeshtasticatorFigures;
use pacing::pacing;
use rig::{Rig, open_loop, throughput};
pub use session::SessionFigures;
use stall::stall;

mod figures;
pub use figures::{BenchError, Row, rss_kib};
use figures::{ms, row};

/// Everything the bench printed.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub cores: usize,
    pub memory_mib: u64,
    pub quick: bool,
    pub rows: Vec<Row>,
    /// Figure 9 errand by errand, when it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionFigures>,
    /// Figure 15 beside Meshtasticator's published numbers, when it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meshtasticator: Option<MeshtasticatorFigures>,
    /// Figure 16, the hop rules side by side, when it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hops: Option<HopsFigures>,
    /// Figure 16b, what a hop limit can save on the model alone, when it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hops_bound: Option<BoundFigures>,
}

impl BenchReport {
    pub fn table(&self) -> String {
        let mut out = format!(
            "meshmush bench ({} mode) on {} cores, {} MiB\n{:<66} {:>12} {:>12}  unit\n",
            if self.quick { "quick" } else { "full" },
            self.cores,
            self.memory_mib,
            "figure",
            "designed",
            "naive"
        );
        if let Some(s) = &self.session {
            out = format!("{}\n{out}", s.table());
        }
        if let Some(m) = &self.meshtasticator {
            out = format!("{}\n{out}", m.table());
        }
        if let Some(h) = &self.hops {
            out = format!("{}\n{out}", h.table());
        }
        if let Some(b) = &self.hops_bound {
            out = format!("{}\n{out}", b.table());
        }
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
                "{:<66} {:>12} {:>12}  {}\n",
                r.figure,
                get("designed"),
                get("naive"),
                r.unit
            ));
        }
        out
    }
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

/// Figure 6's rows: packet fill of the daemon's long replies, and what a full node
/// queue and a tight duty cycle cost.
async fn airtime_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let a = airtime(quick).await?;
    let f = "6. long replies";
    let budget = a.budget;
    rows.push(row(
        &format!("{f}: mean bytes per full packet (budget {budget})"),
        "designed",
        a.mean_full_bytes,
        "bytes",
    ));
    let f = "6. queue full + 0.1% duty cycle";
    rows.push(row(
        &format!("{f}: chunks sent"),
        "designed",
        a.chunks as f64,
        "chunks",
    ));
    rows.push(row(
        &format!("{f}: chunks resent"),
        "designed",
        a.resends as f64,
        "chunks",
    ));
    rows.push(row(
        &format!("{f}: chunks lost"),
        "designed",
        a.lost as f64,
        "chunks",
    ));
    rows.push(row(
        &format!("{f}: chunks doubled"),
        "designed",
        a.doubled as f64,
        "chunks",
    ));
    Ok(())
}

/// Figure 7's rows for one preset: the measurement, and the airtime bound it is
/// held against.
async fn pacing_rows(preset: &str, region: &str, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let (last, bound) = pacing(preset, region).await?;
    let f = format!("7. 10 handsets at once on {preset}/{region}");
    rows.push(row(
        &format!("{f}: last first reply"),
        "designed",
        ms(last),
        "ms",
    ));
    rows.push(row(
        &format!("{f}: airtime bound"),
        "designed",
        ms(bound),
        "ms",
    ));
    Ok(())
}

/// Only figure 7 (pacing at real airtime), which takes about half a minute.
pub async fn run_pacing() -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    for (preset, region) in [("ShortFast", "US"), ("LongFast", "EU_868")] {
        pacing_rows(preset, region, &mut rows).await?;
    }
    Ok(BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_mib: memory_mib().await,
        quick: false,
        rows,
        session: None,
        meshtasticator: None,
        hops: None,
        hops_bound: None,
    })
}

/// Figure 12 alone: 1, 2 and 4 radio areas, one gateway link each.
pub async fn run_gateways(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    gateways::gateways_rows(quick, &mut rows).await?;
    Ok(report(quick, rows).await)
}

/// Figure 10 alone: the daemon with the status page and `/metrics` off and on.
pub async fn run_ops(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    ops::ops_rows(quick, &mut rows).await?;
    Ok(report(quick, rows).await)
}

/// Figure 11 alone: `search` at a million posts, and what the BBS's unasked and
/// channel messages cost in airtime.
pub async fn run_messages(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    messages::messages_rows(quick, &mut rows).await?;
    Ok(report(quick, rows).await)
}

/// Figure 9 alone: the standard session's airtime, errand by errand.
pub async fn run_session() -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    let figures = session::session_rows(&mut rows).await?;
    let mut report = report(false, rows).await;
    report.session = Some(figures);
    Ok(report)
}

/// Figure 15 alone: the multi-hop model in Meshtasticator's published scenario, 100
/// runs (10 with `quick`) at each hop limit 1-7, in virtual time.
pub async fn run_meshtasticator(quick: bool) -> Result<BenchReport, BenchError> {
    let runs = if quick { 10 } else { 100 };
    let figures = tokio::task::spawn_blocking(move || meshtasticator::meshtasticator(runs))
        .await?
        .map_err(BenchError::Failed)?;
    let mut report = report(quick, Vec::new()).await;
    report.meshtasticator = Some(figures);
    Ok(report)
}

/// Figure 16 alone: the BBS on a 30-node random mesh answering ten players 0-4 hops
/// out, with the hop rules fixed:3, firmware and learned side by side (with `quick`:
/// three players, one session).
pub async fn run_hops(quick: bool, opts: HopsOptions) -> Result<BenchReport, BenchError> {
    let figures = hops::hops(quick, opts).await?;
    let mut report = report(quick, figures.rows()).await;
    report.hops = Some(figures);
    Ok(report)
}

/// Figure 16b alone: on the multi-hop model without the daemon, every player's
/// flooded reply priced at hop limits 1-7, the hop rules, and the best limit per
/// player (with `quick`: figure 16's topology only, fewer draws).
pub async fn run_hops_bound(quick: bool) -> Result<BenchReport, BenchError> {
    let figures = tokio::task::spawn_blocking(move || hops::bound(quick))
        .await
        .map_err(|e| BenchError::Failed(format!("the model's task: {e}")))??;
    let mut report = report(quick, figures.rows()).await;
    report.hops_bound = Some(figures);
    Ok(report)
}

/// Figure 13 alone: BBS-to-BBS sync's airtime per item and a 100-item backlog's
/// drain on LongFast/EU_868; 13b: mail routed against sent to all peers.
pub async fn run_sync() -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    sync::sync_rows(&mut rows).await?;
    routing::routing_rows(&mut rows).await?;
    Ok(report(false, rows).await)
}

/// Figure 14 alone: forged NodeInfos over MQTT, half-open HTTP connections, mail to
/// made-up node ids (with `quick`: a scaled-down run without the HTTP part);
/// `nodeinfos` forged NodeInfos instead of the mode's number.
pub async fn run_hostile(quick: bool, nodeinfos: Option<u32>) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    hostile::hostile_rows(quick, nodeinfos, &mut rows).await?;
    Ok(report(quick, rows).await)
}

/// The child side of figure 14's NodeInfo flood: the daemon on the config file
/// `config`, in a process of its own, until stdin closes (see `hostile/child.rs`).
pub async fn run_hostile_daemon(config: &std::path::Path) -> Result<(), BenchError> {
    hostile::serve_daemon(config).await
}

/// Figure 8 alone: known players' latency under a flood of fresh ids.
pub async fn run_flood(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    flood::flood_rows(quick, &mut rows).await?;
    Ok(report(quick, rows).await)
}

async fn report(quick: bool, rows: Vec<Row>) -> BenchReport {
    BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_mib: memory_mib().await,
        quick,
        rows,
        session: None,
        meshtasticator: None,
        hops: None,
        hops_bound: None,
    }
}

/// Figures 1, 2 and 5 (throughput, latency, footprint) for one design.
async fn throughput_rows(
    design: &str,
    naive: bool,
    quick: bool,
    rows: &mut Vec<Row>,
) -> Result<(), BenchError> {
    let span = if quick {
        Duration::from_millis(150)
    } else {
        Duration::from_secs(5)
    };
    let many = if quick { 200 } else { 1000 };
    let idle_before = rss_kib().await;
    let (rig, startup) = Rig::start(
        StoreOptions {
            naive_inline: naive,
            ..StoreOptions::default()
        },
        Duration::from_secs(300),
    )
    .await?;
    let rig = Arc::new(rig);
    rows.push(row("5. start-up to connected", design, ms(startup), "ms"));
    rows.push(row(
        "5. RSS idle (whole process)",
        design,
        rss_kib().await.max(idle_before) as f64 / 1024.0,
        "MiB",
    ));
    // Offered load for figure 2: for look, the throughput target (20,000/s); for post,
    // about half what the designed daemon carries here.
    let scale = if quick { 0.25 } else { 1.0 };
    for (label, cmd, offered) in [
        ("read (look)", "look", 20_000.0 * scale),
        ("write (post)", "post general bench post", 2000.0 * scale),
    ] {
        for players in [1, many] {
            let (rate, _, peak) = throughput(&rig, players, cmd, span).await;
            rows.push(row(
                &format!("1. {label}, {players} players"),
                design,
                rate,
                "commands/s",
            ));
            if players == many {
                // Latency at a load the daemon can carry: in a closed loop with every
                // player waiting, latency is only players / throughput.
                let lat = open_loop(&rig, players, cmd, offered, span).await;
                let name = format!("2. {label} latency, {players} players at {offered}/s");
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
    // A frame the mesh dropped is a command or an ack lost to the bench, not to the
    // daemon: the figures above only count if this is 0.
    rows.push(row(
        "1. frames the mesh dropped for a slow reader (must be 0)",
        design,
        rig.mesh().map_or(0, |m| m.frames_dropped()) as f64,
        "frames",
    ));
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok(())
}

/// Only figures 1, 2 and 5: throughput, latency and footprint, both designs.
pub async fn run_throughput(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    for (design, naive) in [("designed", false), ("naive", true)] {
        throughput_rows(design, naive, quick, &mut rows).await?;
    }
    Ok(report(quick, rows).await)
}

/// Figure 3 for one design: every store call stalled 50 ms (and 500 ms in full mode)
/// while busy players hammer the store, for 5 s a stall (0.5 s with `quick`).
async fn stall_rows(
    design: &str,
    naive: bool,
    quick: bool,
    rows: &mut Vec<Row>,
) -> Result<(), BenchError> {
    let (latencies, busy): (&[u64], u32) = if quick { (&[50], 10) } else { (&[50, 500], 50) };
    let run = if quick {
        Duration::from_millis(500)
    } else {
        Duration::from_secs(5)
    };
    for &latency in latencies {
        let s = stall(Duration::from_millis(latency), naive, busy, run).await?;
        let f = format!("3. store stalls {latency} ms, {busy} busy players");
        // No answer at all within the run: not a latency, a stall (NaN, `null`).
        let or_nan = |d: Option<Duration>| d.map_or(f64::NAN, ms);
        for (what, value) in [
            ("lag p99", or_nan(s.lag.map(|l| l.p99))),
            ("lag max", or_nan(s.lag.map(|l| l.max))),
            ("heartbeat delay mean", or_nan(s.heartbeat_mean)),
            ("heartbeat delay max", or_nan(s.heartbeat_max)),
            ("store-free player p99", or_nan(s.free_p99)),
        ] {
            rows.push(row(&format!("{f}: {what}"), design, value, "ms"));
        }
    }
    Ok(())
}

/// Only figure 3: the store stalled under busy players, both designs.
pub async fn run_stall(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    for (design, naive) in [("designed", false), ("naive", true)] {
        stall_rows(design, naive, quick, &mut rows).await?;
    }
    Ok(report(quick, rows).await)
}

/// Only figure 4 (latency at scale, and the footprint with 10,000 players); builds
/// and caches its stores on the first run.
pub async fn run_scale(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    scale::scale(quick, &mut rows).await?;
    Ok(report(quick, rows).await)
}

/// The child side of figure 5's footprint (see `scale/footprint.rs`): serves one
/// store, `DESIGN:PLAYERS:DIR`, and reports this process's peak RSS in KiB.
pub async fn run_footprint(spec: &str) -> Result<BenchReport, BenchError> {
    Ok(BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_mib: memory_mib().await,
        quick: false,
        rows: scale::footprint_child(spec).await?,
        session: None,
        meshtasticator: None,
        hops: None,
        hops_bound: None,
    })
}

/// A line for the person watching a long run.
fn progress(figures: &str, design: &str, started: std::time::Instant) {
    tracing::info!(
        figures,
        design,
        secs = format!("{:.1}", started.elapsed().as_secs_f64()),
        "bench figures measured"
    );
}

/// Runs every figure; `quick` keeps it to a few seconds.
pub async fn run(quick: bool) -> Result<BenchReport, BenchError> {
    let mut rows = Vec::new();
    for (design, naive) in [("designed", false), ("naive", true)] {
        let t = std::time::Instant::now();
        throughput_rows(design, naive, quick, &mut rows).await?;
        progress("figures 1, 2, 5", design, t);
        let t = std::time::Instant::now();
        stall_rows(design, naive, quick, &mut rows).await?;
        progress("figure 3", design, t);
    }
    let t = std::time::Instant::now();
    if !quick {
        for (preset, region) in [("ShortFast", "US"), ("LongFast", "EU_868")] {
            pacing_rows(preset, region, &mut rows).await?;
        }
        progress("figure 7", "designed", t);
    }
    let t = std::time::Instant::now();
    scale::scale(quick, &mut rows).await?;
    progress("figure 4", "both", t);
    let t = std::time::Instant::now();
    airtime_rows(quick, &mut rows).await?;
    progress("figure 6", "designed", t);
    let t = std::time::Instant::now();
    flood::flood_rows(quick, &mut rows).await?;
    progress("figure 8", "designed", t);
    let t = std::time::Instant::now();
    ops::ops_rows(quick, &mut rows).await?;
    progress("figure 10", "designed", t);
    let t = std::time::Instant::now();
    messages::messages_rows(quick, &mut rows).await?;
    progress("figure 11", "designed", t);
    if quick {
        // Figure 14 is not part of the full run (`--hostile`: a few minutes, most of
        // it waiting out HTTP timeouts); its scaled-down run is, so it cannot rot.
        let t = std::time::Instant::now();
        hostile::hostile_rows(true, None, &mut rows).await?;
        progress("figure 14 (scaled down)", "designed", t);
    }
    let t = std::time::Instant::now();
    let session = session::session_rows(&mut rows).await?;
    progress("figure 9", "designed", t);
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
        session: Some(session),
        meshtasticator: None,
        hops: None,
        hops_bound: None,
    })
}
