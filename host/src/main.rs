//! The `meshmush` binary: the daemon, and the software mesh on its own.

mod cli;

use anyhow::{Context, Result};
use clap::Parser;

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
    let runtime = meshmush::runtime().context("starting the async runtime")?;
    // The report a person reads: the chain of causes, no backtrace.
    if let Err(e) = runtime.block_on(cli::dispatch(args)) {
        eprintln!("meshmush: {e:#}");
        std::process::exit(1);
    }
    Ok(())
}
