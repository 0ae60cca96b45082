//! What the store does when the disk fills up: refuse writes with
//! [`StoreError::Full`], keep serving reads, and write again once there is room,
//! without a restart.
//!
//! Why it needs more than the error: sled 0.34 keeps the first error a log write meets
//! (`set_global_error` in sled's `pagecache/iobuf.rs`) and refuses every later write
//! with it; only opening the database again clears it (`PageCache::start` calls
//! `reset_global_error`). Seen on a small tmpfs (`tests/full_disk.rs`): once a write
//! failed with ENOSPC, writes kept failing after the space came back, until a reopen;
//! reads went on; and sled's open itself may need to write, so it can fail while the
//! disk is still full. Hence:
//!
//! - the first call that fails with `Full` marks the store full (and is counted);
//! - while full, a call that would write is refused at once, without reaching sled,
//!   and counted; reads go on against the open database;
//! - before each call while full, the file system is asked for its free room (one
//!   `statvfs`); once there is [`REOPEN_ROOM`], the database is closed and opened
//!   again, which clears sled's error, and the store is no longer full. If that open
//!   fails, the next call tries again (and reads fail meanwhile).
//!
//! The write that met the full disk may still be in sled's memory until the reopen
//! (readers may see it), but it is not on disk and the reopen drops it; nothing that
//! was answered as saved is lost (with `flush_every_write`, the default).
//!
//! Refusals are counted for `/metrics` and logged at WARN once per doubling (1, 2, 4,
//! ...), never once per write.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Free bytes the file system must have before the store reopens sled after a full
/// disk: room for sled's snapshot and a few log segments (512 KiB each by default),
/// so the first writes after the reopen do not fill it again at once.
pub const REOPEN_ROOM: u64 = 4 << 20;

/// Whether the store is full now, and how many calls a full disk refused.
#[derive(Debug, Default)]
pub(super) struct DiskFull {
    full: AtomicBool,
    refusals: AtomicU64,
    failed_reopens: AtomicU64,
}

impl DiskFull {
    /// Whether writes are being refused.
    pub(super) fn is_full(&self) -> bool {
        self.full.load(Ordering::Acquire)
    }

    /// A call met the full disk, or was refused for it.
    pub(super) fn refused(&self) {
        self.full.store(true, Ordering::Release);
        let n = self.refusals.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_power_of_two() {
            tracing::warn!(
                refused = n,
                "disk full: the store refuses writes until space is freed; reads still work"
            );
        }
    }

    /// The store was opened again with room to write.
    pub(super) fn cleared(&self) {
        self.full.store(false, Ordering::Release);
        tracing::info!(
            refused = self.refusals(),
            "disk space is back: the store was reopened and takes writes again"
        );
    }

    /// Opening the database again failed; the next call tries again. Logged once
    /// per doubling too, as every call may try.
    pub(super) fn reopen_failed(&self, e: &super::error::StoreError) {
        let n = self.failed_reopens.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_power_of_two() {
            tracing::warn!(
                error = %e,
                failed = n,
                "the store did not reopen after a full disk; the next call tries again"
            );
        }
    }

    /// Calls refused for a full disk since the store was opened.
    pub(super) fn refusals(&self) -> u64 {
        self.refusals.load(Ordering::Relaxed)
    }
}

/// Whether the file system holding `dir` has [`REOPEN_ROOM`] free for this user.
pub(super) fn room_in(dir: &Path) -> bool {
    match fs2::available_space(dir) {
        Ok(free) => free >= REOPEN_ROOM,
        Err(e) => {
            tracing::debug!(error = %e, "cannot ask the file system for free space");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_count_and_the_flag_clears() {
        let d = DiskFull::default();
        assert!(!d.is_full());
        for _ in 0..5 {
            d.refused();
        }
        assert!(d.is_full());
        assert_eq!(d.refusals(), 5);
        d.cleared();
        assert!(!d.is_full());
        assert_eq!(
            d.refusals(),
            5,
            "the count is a total, kept across recoveries"
        );
    }
}
