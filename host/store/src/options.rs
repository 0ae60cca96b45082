//! How to open the store. A leaf: the handle that opens it and the test seams that
//! read its seam settings both import it, and neither imports the other.

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
    /// [`FullDisk`](crate::FullDisk)). Never full unless the test says so.
    #[cfg(feature = "seams")]
    pub full_disk: crate::FullDisk,
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
            full_disk: crate::FullDisk::default(),
        }
    }
}
