//! The [`Store`] handle: the open database, the caches kept beside it, and the one
//! way a call reaches sled ([`Store::blocking`], on the blocking pool). A module of its
//! own so the per-kind modules (`players.rs`, `world.rs`, `bbs.rs`, ...) extend it with
//! `impl Store` blocks without importing `store/mod.rs`, which declares and
//! re-exports them.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::cache;
use super::disk::DiskStore;
use super::error::StoreError;
use super::options::StoreOptions;
#[cfg(feature = "seams")]
use super::seams;

/// A handle to the open store. Cheap to clone; all clones share one database.
#[derive(Clone)]
pub struct Store {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    /// `None` only once closing has begun, when no handle can reach it any more.
    pub(super) trees: Option<DiskStore>,
    #[cfg(feature = "seams")]
    pub(super) seams: seams::Seams,
    /// Hot world records, so reads need not leave the async side.
    pub(super) cache: cache::WorldCache,
    /// Told how long each call took, when the operator's metrics are on.
    pub(super) on_call: OnceLock<CallObserver>,
    /// Told of every change to a pin (see `pins.rs`).
    pub(super) pin_watch: OnceLock<super::pins::PinWatcher>,
    /// Players' content progress, read on every command.
    pub(super) progress: cache::ProgressCache,
    /// The BBS-to-BBS sync peers local writes are queued for, and the most items each
    /// outbox holds (see `federation.rs`).
    pub(super) sync_peers: OnceLock<(Vec<u32>, u64)>,
    /// Notified when something is queued for the sync peers.
    pub(super) sync_wake: Arc<tokio::sync::Notify>,
    /// Held while mail for a node that never used the BBS is counted against its caps
    /// and stored (see `retention.rs`), so concurrent senders cannot each find room
    /// for the last one.
    pub(super) unheard_mail: Arc<std::sync::Mutex<()>>,
    /// How many pins are held, counted once on first need and kept since (see
    /// `Store::pin_announced`); recounted by every retention sweep.
    pub(super) pin_count: OnceLock<std::sync::atomic::AtomicUsize>,
}

/// Told the duration of every store call (the `/metrics` store latency histogram).
pub type CallObserver = Arc<dyn Fn(Duration) + Send + Sync>;

impl Store {
    /// Opens (creating if needed) the store in `dir`, checking or migrating its schema.
    ///
    /// Only one process, and one open `Store`, may use a directory at a time.
    /// Opens the store in `dir` only if one is there: for the operator's tools, which
    /// must not leave an empty store behind in a mistyped directory.
    pub async fn open_existing(
        dir: impl AsRef<Path>,
        opts: StoreOptions,
    ) -> Result<Self, StoreError> {
        let dir = dir.as_ref();
        // sled keeps its pages in `db` inside the directory.
        if !tokio::fs::try_exists(dir.join("db")).await.unwrap_or(false) {
            return Err(StoreError::NoStore(dir.to_path_buf()));
        }
        Self::open(dir, opts).await
    }

    pub async fn open(dir: impl AsRef<Path>, opts: StoreOptions) -> Result<Self, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        #[cfg(feature = "seams")]
        let seams = seams::Seams::from_options(&opts);
        let StoreOptions {
            flush_every_write,
            cache_bytes,
            ..
        } = opts;
        let trees = tokio::task::spawn_blocking(move || {
            #[cfg(feature = "seams")]
            seams.pause();
            DiskStore::open(&dir, flush_every_write, cache_bytes)
        })
        .await??;
        Ok(Self {
            inner: Arc::new(Inner {
                trees: Some(trees),
                #[cfg(feature = "seams")]
                seams,
                cache: cache::WorldCache::default(),
                on_call: OnceLock::new(),
                pin_watch: OnceLock::new(),
                progress: cache::ProgressCache::default(),
                sync_peers: OnceLock::new(),
                sync_wake: Arc::default(),
                unheard_mail: Arc::default(),
                pin_count: OnceLock::new(),
            }),
        })
    }

    /// Makes every write so far durable.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.blocking(|db| db.flush()).await
    }

    /// Every record as one JSON line, a `{"record":"meta",...}` line first, for
    /// `meshmush export` to write wherever it is told.
    pub async fn export_jsonl(&self) -> Result<Vec<String>, StoreError> {
        self.blocking(|db| db.export_jsonl()).await
    }

    /// Flushes, and if this is the last handle, closes the database on a blocking
    /// thread and waits until it is closed, so the directory can be opened again at
    /// once.
    ///
    /// Dropping the last handle instead also closes the database off the runtime
    /// workers (on the blocking pool when a runtime is running), but does not wait:
    /// reopening the same directory straight after a drop may find it still locked.
    pub async fn close(self) -> Result<(), StoreError> {
        let flushed = self.flush().await;
        if let Ok(mut inner) = Arc::try_unwrap(self.inner) {
            let trees = inner.trees.take();
            tokio::task::spawn_blocking(move || drop(trees)).await?;
        }
        flushed
    }

    /// From now on, tells `observer` how long each store call took (queueing for a
    /// blocking thread included). The first observer set stays.
    pub fn observe_calls(&self, observer: CallObserver) {
        let _ = self.inner.on_call.set(observer);
    }

    /// Runs `work` on the blocking pool, timed when an observer is set.
    pub(super) async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        let Some(observe) = self.inner.on_call.get().cloned() else {
            return self.blocking_untimed(work).await;
        };
        let started = Instant::now();
        let result = self.blocking_untimed(work).await;
        observe(started.elapsed());
        result
    }

    /// Runs `work` on the blocking pool (with the `seams` feature: after the
    /// injected latency if any, or inline if the naive design was asked for).
    async fn blocking_untimed<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        #[cfg(feature = "seams")]
        if inner.seams.inline() {
            // The design this project replaces: the disk blocks the runtime worker.
            inner.seams.pause();
            return work(inner.trees.as_ref().ok_or(StoreError::Closed)?);
        }
        tokio::task::spawn_blocking(move || {
            #[cfg(feature = "seams")]
            inner.seams.pause();
            work(inner.trees.as_ref().ok_or(StoreError::Closed)?)
        })
        .await?
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Store");
        #[cfg(feature = "seams")]
        d.field("latency", &self.inner.seams.latency());
        d.finish_non_exhaustive()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let Some(trees) = self.trees.take() else {
            return;
        };
        // sled flushes and joins its flusher thread on drop: keep that off the workers.
        // If the runtime is shutting down, the closure is dropped unrun, right here.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let _detached = runtime.spawn_blocking(move || drop(trees));
            }
            Err(_) => drop(trees),
        }
    }
}
