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
//! | `players`      | node (`u32` BE)              | postcard `PlayerRecord::V1` | `disk/players.rs`  |
//! | `player_names` | lowercased name (UTF-8)      | node (`u32` BE)             | `disk/players.rs`  |
//! | `meta`         | `schema_version`             | [`SCHEMA_VERSION`] (`u32` BE)| `disk/mod.rs`   |
//! | `meta`         | `next_object`, `world_start` | `u64` BE                    | `world.rs`       |
//! | `meta`         | `id_base`                    | `u64` BE (set by a restore) | `backup/mod.rs`  |
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
//! | `airtime`      | node (`u32` BE)              | postcard `AirtimeLedgerRecord::V1` | `airtime.rs` |
//! | `schedules`    | a schedule's key (UTF-8)     | postcard `ScheduleFiredRecord::V1` | `schedules.rs` |
//! | `api_tokens`   | a token's SHA-256 (32 bytes) | postcard `ApiTokenRecord::V1` | `api_tokens.rs` |
//! | `feed_seen`    | feed tag ++ entry uid        | last shown (`u64` BE)       | `feeds.rs`       |
//!
//! The async API is a handle ([`Store`], in `handle.rs`: the database, its caches and
//! the one way a call reaches the blocking pool) extended by one module per record
//! kind with `impl Store` blocks (players in `players.rs`, the world's calls in
//! `world.rs`, the BBS's in `bbs.rs`, bulk loads in `bulk.rs`, ...). Record types sit
//! in leaves of their own (`records.rs`, `world_records.rs`, `bbs_records.rs`,
//! `progress_records.rs`, with the refusals in `refusals.rs`), so the caches, the
//! export and the synchronous half can name them without importing the calls. The
//! synchronous sled half the calls hand their work to is [`disk`](self::disk)
//! (`DiskStore`), which runs only on the blocking pool. This file only declares the
//! modules and re-exports what the rest of the daemon uses.
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
//!
//! # Backups
//!
//! [`Store::backup`] copies every tree at one instant (writes wait for the copy,
//! reads do not) into a directory with a manifest; [`restore`] puts one into a new or
//! empty data directory after checking it whole: `backup/mod.rs` says how.
//!
//! # A full disk
//!
//! Writes are refused with [`StoreError::Full`], reads go on, and writes work again
//! once space is freed, without a restart: `full.rs` says how (sled itself needs the
//! database opened again).

mod airtime;
mod api_tokens;
mod backup;
mod bbs;
mod bbs_records;
mod bbs_trees;
mod bulk;
mod cache;
mod disk;
mod drafts;
mod error;
mod export;
mod federation;
mod federation_records;
mod feeds;
mod full;
mod habits;
mod handle;
mod houses;
mod names;
mod options;
mod pins;
mod players;
mod progress;
mod progress_records;
mod reach;
mod receipts;
mod records;
mod refusals;
mod retention;
mod routing;
mod schedules;
#[cfg(feature = "seams")]
mod seams;
mod survey;
mod totals;
mod waiting;
mod world;
mod world_records;

pub mod seed;
pub mod sync_item;

pub use airtime::{AirtimeLedger, AirtimeMinute};
pub use api_tokens::{ApiToken, TokenRefusal};
pub use backup::{BackedUp, BackupError, Restored, restore};
pub use bbs::{BoardSummary, UNREAD_CAP};
pub use bbs_records::{Board, Mail, Post};
pub use bulk::BulkLoad;
pub use disk::SCHEMA_VERSION;
pub use drafts::{Draft, DraftTarget};
pub use error::StoreError;
pub use federation::{Held, PeerState, Removed, SyncId};
pub use feeds::SEEN_PER_FEED;
pub use full::REOPEN_ROOM;
pub use habits::Habits;
pub use handle::{CallObserver, Store};
pub use houses::{Claim, House};
pub use names::{MAX_NAME_CHARS, RESERVED_NAMES, fallback_name, is_reserved_name, sanitise_name};
#[cfg(feature = "seams")]
pub use options::FullDisk;
pub use options::StoreOptions;
pub use pins::{Pin, PinSource, PinWatcher};
pub use progress_records::{Deal, Progress, QuestProgress, ShopSide, ShopState, ShopTerms};
pub use reach::NodeReach;
pub use receipts::ReadEvent;
pub use records::{Level, Player};
pub use refusals::{ClaimRefusal, DealRefusal, WorldRefusal};
pub use retention::{Cutoffs, Swept, UnheardCaps, UnheardMail, UnheardRefusal};
pub use routing::{HEARD_MAX, HEARD_WITHIN_SECS, Route};
pub use schedules::ScheduleFired;
pub use survey::{Found, SEARCH_SCAN};
pub use totals::{PlayerLine, Totals};
pub use waiting::MAIL_TOLD_EVERY_SECS;
pub use world_records::{Lock, NEW_PLAYER_COINS, Object, ObjectKind, Place, PlayerState};
