//! The `meshmush` binary: the daemon, and the software mesh on its own.

mod chat_cli;
mod cli;

use anyhow::{Context, Result};
use clap::Parser;

fn main() -> Result<()> {
    // Everything the daemon writes (the store, key files, the admin socket) is its
    // user's alone from the moment it is created: password hashes, mail, private keys.
    // SAFETY: umask only sets this process's file-creation mask; no memory involved.
    unsafe {
        libc::umask(0o077);
    }
    let args = cli::Cli::parse();
    // A person at `meshmush chat` wants the conversation, not the link's logs (what
    // goes wrong with the link, the chat says itself).
    let level = if args.is_interactive() {
        "error"
    } else {
        "info"
    };
    // RUST_LOG, when set to something; an empty one counts as unset.
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| tracing_subscriber::EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
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
