//! How to open the store. A leaf: the handle that opens it and the test seams that
//! read its seam settings both import it, and neither imports the other.

#[cfg(feature = "seams")]
use std::sync::Arc;
#[cfg(feature = "seams")]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(feature = "seams")]
use std::time::Duration;

/// How to open the store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Test and bench seam (`seams` feature only): every store call sleeps this long
    /// on its blocking thread (never on a runtime worker), to show the daemon stays
    /// responsive over a slow disk. Off by default.
    #[cfg(feature = "seams")]
    pub latency: Option<Duration>,
    /// Flush to disk before every write call returns (see the module docs). Default
    /// `true`.
    pub flush_every_write: bool,
    /// Bytes of pages sled keeps in memory (a Pi has little to spare). Default 8 MiB.
    pub cache_bytes: u64,
    /// Bench seam (`seams` feature only): run every call inline on the calling
    /// (async worker) thread, as the naive design does, so `meshmush bench` can show
    /// what that costs.
    #[cfg(feature = "seams")]
    pub naive_inline: bool,
    /// Test seam (`seams` feature only): a disk the test fills and frees (see
    /// [`FullDisk`]). Never full unless the test says so.
    #[cfg(feature = "seams")]
    pub full_disk: FullDisk,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            cache_bytes: 8 << 20,
            flush_every_write: true,
            #[cfg(feature = "seams")]
            latency: None,
            #[cfg(feature = "seams")]
            naive_inline: false,
            #[cfg(feature = "seams")]
            full_disk: FullDisk::default(),
        }
    }
}

/// A test's hand on the disk (`seams` feature only): while [`FullDisk::fill`] holds,
/// the store behaves as on a full disk (every write is refused as ENOSPC would be, and
/// the file system reports no room), until [`FullDisk::free`]. Clones share one disk.
///
/// Writes are refused before they reach sled, as sled refuses every write after its
/// first ENOSPC; what sled does with that first one (keeps it in memory until the
/// store reopens) only a real full file system shows (`tests/full_disk.rs`).
#[cfg(feature = "seams")]
#[derive(Clone, Debug, Default)]
pub struct FullDisk(Arc<AtomicBool>);

#[cfg(feature = "seams")]
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
