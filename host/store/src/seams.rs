//! Test and bench seams in the store, compiled only with the `seams` feature (which
//! only the test kit, `meshmush-testkit`, turns on): an injected latency per store
//! call (a slow disk, to show the daemon stays responsive), running store calls
//! inline on the async worker (the naive design `meshmush-bench` compares against),
//! and a disk a test can fill and free (`FullDisk`, kept in the leaf `options.rs`).
//! The daemon's own build has none of them, so its hot path carries no check for
//! them.

use std::time::Duration;

use super::options::{FullDisk, StoreOptions};

/// The seams an open store was asked for.
#[derive(Clone, Debug, Default)]
pub(super) struct Seams {
    latency: Option<Duration>,
    naive_inline: bool,
    full_disk: FullDisk,
}

impl Seams {
    pub(super) fn from_options(opts: &StoreOptions) -> Self {
        Self {
            latency: opts.latency,
            naive_inline: opts.naive_inline,
            full_disk: opts.full_disk.clone(),
        }
    }

    /// The test has filled the disk.
    pub(super) fn disk_full(&self) -> bool {
        self.full_disk.is_full()
    }

    /// Store calls run on the calling (async worker) thread, as the naive design's do.
    pub(super) fn inline(&self) -> bool {
        self.naive_inline
    }

    pub(super) fn latency(&self) -> Option<Duration> {
        self.latency
    }

    /// The injected latency. Called where the store's work runs: on a blocking
    /// thread, or (naive design) on the worker, which is the point of that design.
    pub(super) fn pause(&self) {
        if let Some(latency) = self.latency {
            std::thread::sleep(latency);
        }
    }
}
