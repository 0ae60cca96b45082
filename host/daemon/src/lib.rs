//! The meshmush daemon as a library. A packet's way through it:
//!
//! link (firmware-bridge) -> [`router`] (roster: bans, limits) -> [`session`] (one per
//! node, commands in order) -> [`commands`] (parse, then apply: an outcome) ->
//! [`delivery`] (notices, pager, chunking once) -> link.
//!
//! [`chat`] is the terminal handset (`meshmush chat`), a client of a node like the apps.
//!
//! [`app`] starts and stops all of it; [`roster`] is the per-node state; [`store`] is
//! sled behind one async API; [`config`] the TOML file.
//!
//! The test kit (software mesh + daemon + handsets) and the bench are crates of their
//! own, `meshmush-testkit` and `meshmush-bench`; the kit turns on this crate's `seams`
//! feature (the store's injected latency and inline calls), which the daemon never has.

pub mod admin;
pub mod app;
pub mod chat;
pub mod commands;
pub mod feeds;
pub mod hilcheck;
pub mod ledger;
pub mod links;
pub mod ports;
pub mod retention;
pub mod router;
pub mod schedule;
pub mod session;
pub mod shared;
pub mod unasked;

// The store is a crate of its own (the only one that reaches sled); its paths stay
// where the daemon's users knew them.
pub use meshmush_store::{self as store, seed, sync_item};
// The core's modules, where the daemon's users knew them.
pub use meshmush_core::{
    config, content, delivery, events, identity, meshview, passwords, ratelimit, reach, roster,
};
pub use meshmush_federation as federation;
pub use meshmush_ops::{self as ops, lagprobe};

/// Threads for store calls (Tokio's blocking pool) in the daemon. A stuck disk parks at
/// most this many; further store calls queue (awaited, never blocking a worker), and
/// memory stays bounded on a small board. Measured on 2 cores: 8 threads serve 200
/// concurrent players 2-3x faster than 64, which contend inside sled and switch.
pub const STORE_THREADS: usize = 8;

/// The daemon's Tokio runtime: one worker per core, at most [`STORE_THREADS`] blocking
/// threads for the store. Anything that measures the daemon (the soak, the benches)
/// runs on this shape: each extra blocking thread keeps its own allocator caches, so a
/// runtime with Tokio's default of 512 shows memory the daemon never uses.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    cap_allocator_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(STORE_THREADS)
        .build()
}

/// glibc gives each thread that allocates while another holds its arena a new arena,
/// up to 8 per core, and each keeps the memory freed into it. The daemon has about 20
/// threads (the runtime's workers, the store's blocking threads, sled's own), so the
/// arenas held 3.5 MiB more at figure 5's peak than one per core does (BENCHMARKS.md,
/// "Session 32"), with no change in throughput beyond noise: no more threads than cores
/// allocate at once. Called before the runtime starts its threads, as the cap only
/// applies to arenas made after it.
fn cap_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cap = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes the allocator's tuning; it takes no pointers.
        // It returns 0 when glibc refuses the value, which leaves the default: no harm.
        let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, cap) };
    }
}
