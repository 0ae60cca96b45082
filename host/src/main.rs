//! The `meshmush` binary: the daemon, and the software mesh on its own.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;

/// Threads for store calls. A stuck disk parks at most this many; further store calls
/// queue (awaited, never blocking a worker), and memory stays bounded on a small board.
/// Measured on 2 cores: 8 threads serve 200 concurrent players ~2-3x faster than 64,
/// which spend their time contending inside sled and switching.
const MAX_BLOCKING_THREADS: usize = 8;

fn main() -> Result<()> {
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .context("starting the async runtime")?;
    // The report a person reads: the chain of causes, no backtrace.
    if let Err(e) = runtime.block_on(cli::dispatch(args)) {
        eprintln!("meshmush: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}
