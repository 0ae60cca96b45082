//! `meshmush-bench`: the bench as a command (every figure of BENCHMARKS.md, or one with
//! its flag). A binary of its own, so the daemon's build carries neither the bench nor
//! the store's bench seams.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;

fn main() -> Result<()> {
    let args = BenchArgs::parse();
    // RUST_LOG, when set to something; an empty one counts as unset.
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| tracing_subscriber::EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    // The same runtime shape as the daemon's.
    let runtime = meshmush::runtime().context("starting the async runtime")?;
    // The report a person reads: the chain of causes, no backtrace.
    if let Err(e) = runtime.block_on(bench(args)) {
        eprintln!("meshmush-bench: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}

/// What the bench was asked for.
#[derive(Debug, Parser)]
#[command(
    name = "meshmush-bench",
    version,
    about = "Measure the meshmush pipeline, as designed and as the naive design, on the software mesh"
)]
struct BenchArgs {
    /// A few seconds instead of a few minutes.
    #[arg(long)]
    quick: bool,
    /// Only figure 7: ten handsets at once on real airtime.
    #[arg(long, conflicts_with = "quick")]
    pacing: bool,
    /// Only figures 1, 2 and 5: throughput, latency, footprint.
    #[arg(long, conflicts_with = "pacing")]
    throughput: bool,
    /// Only figure 3: every store call stalled 50 ms and 500 ms (with --quick: 50 ms)
    /// while 50 players hammer the store; the event loop's lag, the heartbeats' delay
    /// and a store-free player's latency.
    #[arg(long, conflicts_with_all = ["pacing", "throughput"])]
    stall: bool,
    /// Only figure 4: latency with 100 to 100,000 players and a million posts (with
    /// --quick: one tiny store). Builds its stores once, cached under
    /// target/bench-cache.
    #[arg(long, conflicts_with_all = ["pacing", "throughput"])]
    scale: bool,
    /// Only figure 8: a known player's ping, timed at the radio, while 40 newcomers
    /// and 100 fresh ids flood (ShortFast/US, real airtime).
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale"])]
    flood: bool,
    /// Only figure 10: the daemon with the status page and /metrics off and on.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "session"])]
    ops: bool,
    /// Only figure 9: the standard session's LongFast airtime, errand by errand.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood"])]
    session: bool,
    /// Only figure 11: search at a million posts (with --quick: a thousand), and the
    /// airtime of urgent notices, @wall, the beacon and the unasked DMs.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "ops", "session"])]
    messages: bool,
    /// Only figure 13: BBS-to-BBS sync on LongFast/EU_868 (airtime per item, a
    /// 100-item backlog's drain against sync's airtime share), and 13b: 100 mails
    /// routed to the peer that heard their node against sent to all of 4 peers.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "session", "ops", "messages"])]
    sync: bool,
    /// Only figure 12: 1, 2 and 4 radio areas of ten handsets (ShortFast/US, real
    /// airtime), the daemon with one link per area's gateway.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "ops", "session", "messages", "sync"])]
    gateways: bool,
    /// Only figure 14: a hostile mesh and network (issue 27): 20,000 forged NodeInfos
    /// on a real broker (mosquitto), 200 half-open connections to the status page,
    /// 10,000 mails to made-up node ids (with --quick: 500 NodeInfos and 1,000 mails,
    /// no HTTP).
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "ops", "session", "messages", "sync", "gateways"])]
    hostile: bool,
    /// Only figure 15: the multi-hop software mesh in Meshtasticator's published
    /// scenario (30 nodes, ShortFast, hop limits 1-7, 100 runs of 200 s in virtual
    /// time; with --quick 10 runs), beside the published reachability.
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "ops", "session", "messages", "sync", "gateways", "hostile"])]
    meshtasticator: bool,
    /// Only figure 16: the BBS on a fixed 30-node random mesh (LongFast, virtual
    /// time), ten players 0-4 hops out each playing the standard session twice, an
    /// hour apart, under the hop rules fixed:3, firmware and learned side by side
    /// (with --quick: three players 0-2 hops out, one session).
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "scale", "flood", "ops", "session", "messages", "sync", "gateways", "hostile", "meshtasticator"])]
    hops: bool,
    /// Only figure 16b: on the multi-hop model alone (no daemon), figure 16's
    /// players' flooded replies priced at hop limits 1-7, the three hop rules on
    /// chains of replies, and the best hop limit per player, on figure 16's topology
    /// and four like it (with --quick: figure 16's only, fewer draws).
    #[arg(long, conflicts_with_all = ["pacing", "throughput", "stall", "scale", "flood", "ops", "session", "messages", "sync", "gateways", "hostile", "meshtasticator", "hops"])]
    hops_bound: bool,
    /// With --hops: the seed of the model's own draws (relay waits, ACK ids;
    /// default 1), to repeat the figure on other draws of the same mesh.
    #[arg(long, requires = "hops", value_name = "N")]
    sim_seed: Option<u64>,
    /// With --hops: replies go as soon as they are ready, not after their request's
    /// flood (`replies.wait_out_floods` off, the daemon's default), to measure what
    /// the wait does.
    #[arg(long, requires = "hops")]
    no_flood_wait: bool,
    /// With --hostile: how many forged NodeInfos (default 20,000; 500 with --quick).
    #[arg(long, requires = "hostile", value_name = "N")]
    nodeinfos: Option<u32>,
    /// Internal: run the daemon on the config file CONFIG until stdin closes (figure
    /// 14's NodeInfo flood runs this in a process of its own).
    #[arg(long, hide = true)]
    hostile_daemon: Option<PathBuf>,
    /// Internal: serve one store, DESIGN:PLAYERS:DIR, and report peak RSS (the
    /// footprint figure runs this in a fresh process).
    #[arg(long, hide = true)]
    footprint: Option<String>,
    /// Where to write the figures as JSON.
    #[arg(long, default_value = "bench.json")]
    json: PathBuf,
}

/// Runs the bench, prints its table and writes its figures as JSON.
async fn bench(args: BenchArgs) -> Result<()> {
    if let Some(config) = args.hostile_daemon {
        return Ok(meshmush_bench::run_hostile_daemon(&config).await?);
    }
    let report = if let Some(spec) = args.footprint {
        meshmush_bench::run_footprint(&spec).await?
    } else if args.pacing {
        meshmush_bench::run_pacing().await?
    } else if args.throughput {
        meshmush_bench::run_throughput(args.quick).await?
    } else if args.stall {
        meshmush_bench::run_stall(args.quick).await?
    } else if args.scale {
        meshmush_bench::run_scale(args.quick).await?
    } else if args.flood {
        meshmush_bench::run_flood(args.quick).await?
    } else if args.ops {
        meshmush_bench::run_ops(args.quick).await?
    } else if args.session {
        meshmush_bench::run_session().await?
    } else if args.messages {
        meshmush_bench::run_messages(args.quick).await?
    } else if args.sync {
        meshmush_bench::run_sync().await?
    } else if args.hostile {
        meshmush_bench::run_hostile(args.quick, args.nodeinfos).await?
    } else if args.meshtasticator {
        meshmush_bench::run_meshtasticator(args.quick).await?
    } else if args.hops {
        let opts = meshmush_bench::HopsOptions {
            sim_seed: args
                .sim_seed
                .unwrap_or(meshmush_bench::HopsOptions::default().sim_seed),
            flood_wait: !args.no_flood_wait,
        };
        meshmush_bench::run_hops(args.quick, opts).await?
    } else if args.hops_bound {
        meshmush_bench::run_hops_bound(args.quick).await?
    } else if args.gateways {
        meshmush_bench::run_gateways(args.quick).await?
    } else {
        meshmush_bench::run(args.quick).await?
    };
    print!("{}", report.table());
    let text = serde_json::to_string_pretty(&report).context("encoding the figures")?;
    let json = args.json;
    tokio::fs::write(&json, text)
        .await
        .with_context(|| format!("writing {}", json.display()))?;
    println!("figures written to {}", json.display());
    Ok(())
}
