//! Backups that work while the daemon runs (`meshmush backup`, `meshmush restore`).
//!
//! # What a backup is
//!
//! A directory (0700) with two files (0600; they hold password hashes and mail):
//!
//! - `records`: every key and value of every sled tree, as stored (records keep their
//!   versioned envelopes, so the restored store reads them with its own code); the
//!   framing is in `file.rs`.
//! - `manifest.json`, written last, so a directory without one is no backup: the
//!   format and its version, the store's schema version, when it was taken, the next
//!   mail id, the records file's length and CRC-32, and each tree's record count
//!   (`manifest.rs`).
//!
//! # One instant, across all trees
//!
//! Every call that changes data goes through `Store::blocking_write`, which holds the
//! store's write gate shared while it runs. A backup takes the gate alone
//! (`Store::blocking_paused`): it waits for the writes already running, writes that
//! arrive meanwhile wait for it, and reads go on. Holding it, the backup only copies
//! every tree into memory (sled's values are reference-counted, so the copy is little
//! more than the walk: milliseconds for a BBS's thousands of records); the files are
//! written after the gate is let go. So a backup is the store as it was at one instant:
//! a post and its board's count, a mail and its sync records are in it together or
//! not at all, and every write that was answered before the backup began is in it.
//! (Writes waiting for the gate each hold a blocking thread; reads queue behind them
//! only if the pool runs out, which the short copy makes unlikely.)
//!
//! # Mail ids
//!
//! Mail ids come from sled's id counter, which lives outside the trees and starts
//! again at 0 in a new database. The manifest keeps the next id at backup time; a
//! restore writes it as `id_base` in `meta`, and the store adds that to every id it
//! makes (`DiskStore::next_id`), so a restored store never reuses a mail's id.
//!
//! # Restore
//!
//! Only into a new or empty directory, never over a store. The backup is read whole
//! and checked (format, schema version, length, CRC-32, counts) before anything is
//! written; then the records are imported, each tree counted again in the new store,
//! and the store opened as the daemon opens it (an older schema is migrated). On any
//! failure what the restore made is removed. (That no daemon runs there is the
//! caller's check; the store's lock would refuse it anyway.)

mod error;
mod file;
mod manifest;
mod restore;
mod take;

use std::path::{Path, PathBuf};

pub use error::BackupError;
pub use restore::Restored;
pub use take::BackedUp;

use crate::handle::Store;
use crate::options::StoreOptions;

impl Store {
    /// Writes a backup of the whole store, as of one instant, into `dir` (new or
    /// empty; made 0700). Writes to the store wait while it is copied into memory
    /// ([`BackedUp::paused`]), not while the files are written; reads never wait.
    pub async fn backup(&self, dir: impl Into<PathBuf>) -> Result<BackedUp, BackupError> {
        let dir = dir.into();
        let ready = dir.clone();
        let made = tokio::task::spawn_blocking(move || take::prepare(&ready)).await??;
        let snap = match self.blocking_paused(take::snapshot).await {
            Ok(snap) => snap,
            Err(e) => {
                let gone = dir.clone();
                tokio::task::spawn_blocking(move || take::abandon(&gone, made)).await?;
                return Err(e.into());
            }
        };
        let done = tokio::task::spawn_blocking(move || take::write(&dir, made, snap)).await??;
        tracing::info!(
            dir = %done.dir.display(),
            trees = done.trees,
            records = done.records,
            paused_ms = done.paused.as_millis() as u64,
            "backup written"
        );
        Ok(done)
    }
}

/// Restores the backup in `backup` into the data directory `data`, which must be new
/// or empty (see the module docs). No store may be open on `data`.
pub async fn restore(backup: &Path, data: &Path) -> Result<Restored, BackupError> {
    let (backup, data) = (backup.to_path_buf(), data.to_path_buf());
    let cache = StoreOptions::default().cache_bytes;
    tokio::task::spawn_blocking(move || restore::restore(&backup, &data, cache)).await?
}
