//! Test and bench seams in the store, compiled only with the `seams` feature (which
//! only the test kit, `meshmush-testkit`, turns on): an injected latency per store
//! call (a slow disk, to show the daemon stays responsive), running store calls
//! inline on the async worker (the naive design `meshmush-bench` compares against),
//! and a disk a test can fill and free ([`FullDisk`]). The daemon's own build has
//! none of them, so its hot path carries no check for them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::options::StoreOptions;

/// A test's hand on the disk (`seams` feature only): while [`FullDisk::fill`] holds,
/// the store behaves as on a full disk (every write is refused as ENOSPC would be, and
/// the file system reports no room), until [`FullDisk::free`]. Clones share one disk.
///
/// Writes are refused before they reach sled, as sled refuses every write after its
/// first ENOSPC; what sled does with that first one (keeps it in memory until the
/// store reopens) only a real full file system shows (`tests/full_disk.rs`).
#[derive(Clone, Debug, Default)]
pub struct FullDisk(Arc<AtomicBool>);

impl FullDisk {
    /// The disk is full from now on.
    pub fn fill(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Space is back.
    pub fn free(&self) {
        self.0.store(false, Ordering::Release);
    }

    pub fn is_full(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

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
