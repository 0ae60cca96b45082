//! The [`Store`] handle: the open database, the caches kept beside it, and the one
//! way a call reaches sled ([`Store::blocking`] to read, [`Store::blocking_write`] to
//! change something, [`Store::blocking_paused`] to read everything at one instant
//! while writes wait, all on the blocking pool). A module of its own so the per-kind
//! modules (`players.rs`, `world.rs`, `bbs.rs`, ...) extend it with `impl Store`
//! blocks without importing `store/mod.rs`, which declares and re-exports them.
//!
//! Every call passes [`Inner::run`], which keeps the full-disk rules of `full.rs`:
//! while the disk is full, writes are refused before they reach sled, and the
//! database is opened again once there is room.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use super::cache;
use super::disk::DiskStore;
use super::error::StoreError;
use super::full::{self, DiskFull};
use super::options::StoreOptions;
#[cfg(feature = "seams")]
use super::seams;

/// A handle to the open store. Cheap to clone; all clones share one database.
#[derive(Clone)]
pub struct Store {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    /// `None` once closing has begun (no handle can reach it then), or after a full
    /// disk while opening it again failed (the next call tries again). Calls hold it
    /// shared; only reopening after a full disk holds it alone.
    trees: RwLock<Option<DiskStore>>,
    /// How it was opened, to open it again after a full disk.
    opened: Opened,
    /// Whether a full disk refuses writes now, and how many it refused.
    full: DiskFull,
    /// The write gate: every write call holds it shared while it runs; a backup or
    /// an export holds it alone, so it reads the store at one instant (see
    /// `backup/mod.rs`). Taken before `trees`, never while holding it.
    writes: RwLock<()>,
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
    /// The BBS-to-BBS sync peers local writes are queued for, which of them mail
    /// may be routed to, and the most items each outbox holds (see `federation.rs`).
    pub(super) sync_peers: OnceLock<SyncPeers>,
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

/// The sync peers as the store knows them (set once, at start).
/// (Kept here, beside the handle that holds it, not in `federation.rs`.)
#[derive(Debug, Clone)]
pub(super) struct SyncPeers {
    pub all: Vec<u32>,
    /// The meshmush peers: mail may go to one of them alone.
    pub routable: Vec<u32>,
    pub cap: u64,
}

/// Told the duration of every store call (the `/metrics` store latency histogram).
pub type CallObserver = Arc<dyn Fn(Duration) + Send + Sync>;

/// Where and how the database was opened.
struct Opened {
    dir: PathBuf,
    flush_every_write: bool,
    cache_bytes: u64,
}

/// Whether a call only reads, or may change something (refused while the disk is
/// full), or reads with every write held back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Call {
    Read,
    Write,
    Paused,
}

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
        let opened = Opened {
            dir,
            flush_every_write,
            cache_bytes,
        };
        #[cfg(feature = "seams")]
        let latency = seams.clone();
        let (trees, opened) = tokio::task::spawn_blocking(move || {
            #[cfg(feature = "seams")]
            latency.pause();
            opened.open().map(|trees| (trees, opened))
        })
        .await??;
        Ok(Self {
            inner: Arc::new(Inner {
                trees: RwLock::new(Some(trees)),
                opened,
                full: DiskFull::default(),
                writes: RwLock::new(()),
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
    /// `meshmush export` to write wherever it is told. As of one instant: writes
    /// wait while the lines are made.
    pub async fn export_jsonl(&self) -> Result<Vec<String>, StoreError> {
        self.blocking_paused(|db| db.export_jsonl()).await
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
            let trees = inner.trees_mut().take();
            tokio::task::spawn_blocking(move || drop(trees)).await?;
        }
        flushed
    }

    /// From now on, tells `observer` how long each store call took (queueing for a
    /// blocking thread included). The first observer set stays.
    pub fn observe_calls(&self, observer: CallObserver) {
        let _ = self.inner.on_call.set(observer);
    }

    /// Whether a full disk refuses writes now (see `full.rs`).
    pub fn is_full(&self) -> bool {
        self.inner.full.is_full()
    }

    /// How many store calls a full disk refused since the store was opened (the
    /// `/metrics` counter).
    pub fn full_refusals(&self) -> u64 {
        self.inner.full.refusals()
    }

    /// Runs `work`, which only reads, on the blocking pool.
    pub(super) async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        self.timed(Call::Read, work).await
    }

    /// Runs `work`, which may change something, on the blocking pool; refused with
    /// [`StoreError::Full`] without running while the disk is full.
    pub(super) async fn blocking_write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        self.timed(Call::Write, work).await
    }

    /// Runs `work`, which only reads, on the blocking pool while no write runs: it
    /// waits for the writes running now, and writes that come meanwhile wait for it
    /// (reads go on). For backups, which must see every tree at one instant; keep
    /// `work` short.
    pub(super) async fn blocking_paused<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        self.timed(Call::Paused, work).await
    }

    /// Runs `work` on the blocking pool, timed when an observer is set.
    async fn timed<T, F>(&self, call: Call, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        let Some(observe) = self.inner.on_call.get().cloned() else {
            return self.untimed(call, work).await;
        };
        let started = Instant::now();
        let result = self.untimed(call, work).await;
        observe(started.elapsed());
        result
    }

    /// Runs `work` on the blocking pool (with the `seams` feature: after the
    /// injected latency if any, or inline if the naive design was asked for).
    async fn untimed<T, F>(&self, call: Call, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&DiskStore) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        #[cfg(feature = "seams")]
        if inner.seams.inline() {
            // The design this project replaces: the disk blocks the runtime worker.
            inner.seams.pause();
            return inner.run(call, work);
        }
        tokio::task::spawn_blocking(move || {
            #[cfg(feature = "seams")]
            inner.seams.pause();
            inner.run(call, work)
        })
        .await?
    }
}

impl Opened {
    /// Opens the database (on a blocking thread).
    fn open(&self) -> Result<DiskStore, StoreError> {
        DiskStore::open(&self.dir, self.flush_every_write, self.cache_bytes)
    }
}

impl Inner {
    fn trees_mut(&mut self) -> &mut Option<DiskStore> {
        self.trees.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one call against the database, on a blocking thread (or inline, for the
    /// naive design), keeping the full-disk rules (see `full.rs`).
    fn run<T>(
        &self,
        call: Call,
        work: impl FnOnce(&DiskStore) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.full.is_full() && self.room() {
            self.reopen();
        }
        if call == Call::Write && self.refuses_writes() {
            self.full.refused();
            return Err(StoreError::Full);
        }
        // The write gate, before `trees` (a reopen above takes `trees` alone without
        // it). Writes share it; a paused read waits for them and holds them back.
        let gate = || self.writes.read().unwrap_or_else(PoisonError::into_inner);
        let _shared = (call == Call::Write).then(gate);
        let _alone = (call == Call::Paused)
            .then(|| self.writes.write().unwrap_or_else(PoisonError::into_inner));
        // A panic in another call leaves the database as sled left it: still usable.
        let trees = self.trees.read().unwrap_or_else(PoisonError::into_inner);
        let result = match trees.as_ref() {
            Some(db) => work(db),
            // Not reopened after a full disk: the next call tries again.
            None if self.full.is_full() => Err(StoreError::Full),
            None => Err(StoreError::Closed),
        };
        if matches!(result, Err(StoreError::Full)) {
            self.full.refused();
        }
        result
    }

    /// Whether writes are refused now: the disk is full (or, with the `seams`
    /// feature, the test has filled it).
    fn refuses_writes(&self) -> bool {
        #[cfg(feature = "seams")]
        if self.seams.disk_full() {
            return true;
        }
        self.full.is_full()
    }

    /// Whether the file system has room to reopen the database and write again.
    fn room(&self) -> bool {
        #[cfg(feature = "seams")]
        if self.seams.disk_full() {
            return false;
        }
        full::room_in(&self.opened.dir)
    }

    /// Closes the database and opens it again, which clears sled's error from the
    /// full disk and drops what never reached the disk. Waits for the calls running
    /// now; another thread may have done it meanwhile.
    fn reopen(&self) {
        let mut trees = self.trees.write().unwrap_or_else(PoisonError::into_inner);
        if !self.full.is_full() {
            return;
        }
        // sled writes nothing more once its error is set, and lets go of the
        // directory's lock, which the open below waits for.
        drop(trees.take());
        match self.opened.open() {
            Ok(db) => {
                *trees = Some(db);
                // Hot records read from the old database may include the write
                // that never reached the disk.
                self.cache.clear();
                self.progress.clear();
                self.full.cleared();
            }
            Err(e) => self.full.reopen_failed(&e),
        }
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
        let Some(trees) = self.trees_mut().take() else {
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
