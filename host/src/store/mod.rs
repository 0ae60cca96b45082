//! The store: every record the daemon keeps (players, the world's rooms, exits and
//! things, boards, posts, read markers and mail), behind one async API.
//!
//! # Why it exists
//!
//! sled is a blocking library: a lookup may read the disk, a flush waits for `fsync`.
//! Called from a Tokio worker thread, that stalls every task scheduled on the worker
//! (radio reader, heartbeat, other players' sessions). So sled is used here and nowhere
//! else, and [`Store`] exposes only `async` methods, each of which runs its sled work
//! on the blocking pool with [`tokio::task::spawn_blocking`] and awaits the result.
//! Even closing the database (sled joins its flusher thread and flushes on drop) is
//! moved off the workers: see [`Store::close`] and the `Drop` note there.
//!
//! # Layout
//!
//! One sled tree per record kind. Node keys are big-endian node numbers, so trees
//! iterate in node order. Where each tree is read and written:
//!
//! | tree           | key                          | value                       | described in     |
//! |----------------|------------------------------|-----------------------------|------------------|
//! | `players`      | node (`u32` BE)              | postcard `PlayerRecord::V1` | `sync/players.rs`|
//! | `player_names` | lowercased name (UTF-8)      | node (`u32` BE)             | `sync/players.rs`|
//! | `meta`         | `schema_version`             | [`SCHEMA_VERSION`] (`u32` BE)| `sync/mod.rs`   |
//! | `meta`         | `next_object`, `world_start` | `u64` BE                    | `world.rs`       |
//! | `objects`      | object id (`u64` BE)         | postcard `ObjectRecord::V1` | `world.rs`       |
//! | `contents`     | place ++ object id           | empty                       | `world.rs`       |
//! | `player_state` | node (`u32` BE)              | postcard `PlayerStateRecord`| `world.rs`       |
//! | `boards`       | board name                   | postcard `BoardRecord::V1`  | `bbs.rs`         |
//! | `posts`        | board `\0` post number (BE)  | postcard `PostRecord::V2`   | `bbs.rs`         |
//! | `board_counts` | board name                   | live posts (`u64` BE)       | `bbs.rs`         |
//! | `read_markers` | node (BE) ++ board           | postcard `ReadMarkerRecord` | `bbs.rs`         |
//! | `mail`         | recipient node (BE) ++ id    | postcard `MailRecord::V2`   | `bbs.rs`         |
//! | `pins`         | node (`u32` BE)              | postcard `PinRecord::V1`    | `pins.rs`        |
//! | `drafts`       | node (`u32` BE)              | postcard `DraftRecord::V1`  | `drafts.rs`      |
//! | `mail_waiting` | node (`u32` BE)              | last told (`u64` BE)        | `waiting.rs`     |
//! | `progress`     | node (`u32` BE)              | postcard `ProgressRecord`   | `progress.rs`    |
//! | `shops`        | shop key (UTF-8)             | postcard `ShopStateRecord`  | `progress.rs`    |
//! | `houses`       | house key (UTF-8)            | postcard `HouseRecord::V1`  | `houses.rs`      |
//! | `sync_ids`, `sync_uids`, `sync_out`, `sync_peers` | (BBS-to-BBS sync) | | `federation.rs` |
//!
//! The async API is split by record kind (`Store`'s player calls here, the world's in
//! `world.rs`, the BBS's in `bbs.rs`, bulk loads in `bulk.rs`); the synchronous sled
//! half they hand their work to is [`sync`](self::sync) (`SyncStore`), which runs only
//! on the blocking pool.
//!
//! Records are versioned (see [`records`](self::Player) and its envelope enums), so a
//! record can change shape without a migration. The data set as a whole carries
//! [`SCHEMA_VERSION`]: a directory written by a newer build is refused with
//! [`StoreError::SchemaTooNew`], an older one is migrated step by step on open.
//!
//! Changes that touch more than one record or tree (a player and the name index) run
//! in one sled transaction: after a crash both are there or neither is.
//!
//! # Flush and durability policy
//!
//! - With [`StoreOptions::flush_every_write`] (the default), every call that changes
//!   data flushes sled (write + `fsync`) before it returns. A write the caller saw
//!   succeed survives a crash or a power cut. This costs one `fsync` per write, which a
//!   BBS paced by LoRa airtime (a few messages a minute) never notices.
//! - Without it, sled's own background thread flushes every 500 ms: a crash may lose
//!   the writes of the last half second (never half a transaction, and never a write
//!   that was followed by a [`Store::flush`]).
//! - Reads never flush. [`Store::close`] flushes; so should a graceful shutdown.

mod bbs;
mod bbs_records;
mod bulk;
mod cache;
mod drafts;
mod error;
mod export;
mod federation;
mod houses;
mod names;
mod pins;
mod progress;
mod records;
#[cfg(feature = "seams")]
mod seams;
mod survey;
mod sync;
mod totals;
mod waiting;
mod world;

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub use bbs::{Board, BoardSummary, Mail, Post, UNREAD_CAP};
pub use bulk::BulkLoad;
pub use drafts::{Draft, DraftTarget};
pub use error::StoreError;
pub use federation::{Held, PeerState, Removed, SyncId};
pub use houses::{Claim, ClaimRefusal, House};
pub use names::{MAX_NAME_CHARS, RESERVED_NAMES, fallback_name, is_reserved_name, sanitise_name};
pub use pins::{Pin, PinSource};
pub use progress::{Deal, DealRefusal, Progress, QuestProgress, ShopSide, ShopState, ShopTerms};
pub use records::{Level, Player};
pub use survey::{Found, SEARCH_SCAN};
pub use totals::{PlayerLine, Totals};
pub use world::{Lock, NEW_PLAYER_COINS, Object, ObjectKind, Place, PlayerState, WorldRefusal};

use sync::SyncStore;

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// (async worker) thread, as the naive design does, so `meshmush-bench` can show
    /// what that costs.
    #[cfg(feature = "seams")]
    pub naive_inline: bool,
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
        }
    }
}

/// A handle to the open store. Cheap to clone; all clones share one database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    /// `None` only once closing has begun, when no handle can reach it any more.
    trees: Option<SyncStore>,
    #[cfg(feature = "seams")]
    seams: seams::Seams,
    /// Hot world records, so reads need not leave the async side.
    cache: cache::WorldCache,
    /// Told how long each call took, when the operator's metrics are on.
    on_call: OnceLock<CallObserver>,
    /// Players' content progress, read on every command.
    progress: progress::ProgressCache,
    /// The BBS-to-BBS sync peers local writes are queued for (see `federation.rs`).
    sync_peers: OnceLock<Vec<u32>>,
    /// Notified when something is queued for the sync peers.
    sync_wake: Arc<tokio::sync::Notify>,
}

/// Told the duration of every store call (the `/metrics` store latency histogram).
pub type CallObserver = Arc<dyn Fn(Duration) + Send + Sync>;

impl Store {
    /// Opens (creating if needed) the store in `dir`, checking or migrating its schema.
    ///
    /// Only one process, and one open `Store`, may use a directory at a time.
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
            SyncStore::open(&dir, flush_every_write, cache_bytes)
        })
        .await??;
        Ok(Self {
            inner: Arc::new(Inner {
                trees: Some(trees),
                #[cfg(feature = "seams")]
                seams,
                cache: cache::WorldCache::default(),
                on_call: OnceLock::new(),
                progress: progress::ProgressCache::default(),
                sync_peers: OnceLock::new(),
                sync_wake: Arc::default(),
            }),
        })
    }

    /// The player who talks from `node`, if any.
    pub async fn player(&self, node: u32) -> Result<Option<Player>, StoreError> {
        self.blocking(move |db| db.player(node)).await
    }

    /// The player for `node`, created if there is none yet.
    ///
    /// An existing player is returned unchanged. A new one gets `wanted`, sanitised
    /// (see [`sanitise_name`]); if that is empty or reserved, the node's
    /// [`fallback_name`]; if that is taken (ignoring case), the first free `-2`, `-3`,
    /// ... suffix. `now` is Unix seconds.
    pub async fn create_player(
        &self,
        node: u32,
        wanted: &str,
        now: u64,
    ) -> Result<Player, StoreError> {
        let wanted = wanted.to_owned();
        self.blocking(move |db| db.create_player(node, &wanted, now))
            .await
    }

    /// The player called `name`, compared case-insensitively.
    pub async fn player_by_name(&self, name: &str) -> Result<Option<Player>, StoreError> {
        let name = name.to_owned();
        self.blocking(move |db| db.player_by_name(&name)).await
    }

    /// Replaces a player's record.
    ///
    /// A new name must be in sanitised form and not reserved
    /// ([`StoreError::InvalidName`]), and free ([`StoreError::NameTaken`]); the name
    /// index changes in the same transaction. [`StoreError::NoSuchPlayer`] if the node
    /// has no player: players are made by [`Store::create_player`].
    pub async fn update_player(&self, player: Player) -> Result<(), StoreError> {
        self.blocking(move |db| db.update_player(&player)).await
    }

    /// Records that `node`'s player was heard now (their `last_seen`); when they had
    /// been heard before that, or `None` if there is no such player.
    pub async fn player_seen(&self, node: u32, now: u64) -> Result<Option<u64>, StoreError> {
        self.blocking(move |db| db.player_seen(node, now)).await
    }

    /// How many players there are.
    pub async fn players_count(&self) -> Result<usize, StoreError> {
        self.blocking(|db| Ok(db.players_count())).await
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
    async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&SyncStore) -> Result<T, StoreError> + Send + 'static,
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
        F: FnOnce(&SyncStore) -> Result<T, StoreError> + Send + 'static,
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
