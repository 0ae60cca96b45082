//! What can go wrong in the store, in words an operator can act on.
//!
//! The storage engine's own error type is boxed behind [`StoreError::Storage`] so that
//! no module outside `store` has to name (or import) sled. A full disk is the one
//! engine failure with a variant of its own, [`StoreError::Full`]: the daemon answers
//! it differently (reads go on, the player is told why nothing was saved), and the
//! store recovers from it by itself (see `full.rs`).

use std::error::Error as StdError;
use std::io;

/// A failed store call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine failed (an I/O error). Its words are in this error's
    /// message, not its `source`, so a report of the whole chain says them once.
    #[error("storage failure: {0}")]
    Storage(Box<dyn StdError + Send + Sync>),

    /// Another process has the store open (sled locks its directory).
    #[error("the store in {0} is in use by another process (is a daemon running on it?)")]
    Locked(std::path::PathBuf),

    /// The disk is full (ENOSPC): nothing can be written until space is freed. Reads
    /// still work, and writes work again once there is room, without a restart.
    #[error("the disk is full: nothing can be saved until space is freed (reads still work)")]
    Full,

    /// Bytes on disk could not be read back as a record. Never a panic: the caller
    /// decides whether to skip the record, report it, or stop.
    #[error("corrupt record in tree `{tree}` at key {key}: {reason}")]
    Corrupt {
        /// The tree the record lives in (`players`, `player_names`, `meta`, ...).
        tree: &'static str,
        /// The key, in a readable form (`!00001a2b` for a node number).
        key: String,
        /// What was wrong with it.
        reason: String,
    },

    /// The data directory was written by a newer meshmush.
    #[error(
        "the data directory has schema version {found}, but this meshmush only \
         understands schema versions up to {supported}: run a newer meshmush, or \
         restore a backup made by this version"
    )]
    SchemaTooNew {
        /// The version found on disk.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },

    /// A tool that reads or repairs a store found none where it looked (a daemon's
    /// first run makes one; `export` or `repin` never should).
    #[error("no meshmush store in {0} (`meshmush run` makes one there)")]
    NoStore(std::path::PathBuf),

    /// The data directory is older than this build, and no migration step is known.
    #[error("no migration from schema version {from} to {to}")]
    NoMigration {
        /// The version on disk.
        from: u32,
        /// The version we wanted to reach.
        to: u32,
    },

    /// Another player already holds this name (compared case-insensitively).
    #[error("the name {0:?} is already taken")]
    NameTaken(String),

    /// The name is empty, reserved, or not in its sanitised form.
    #[error("{0:?} is not a valid player name")]
    InvalidName(String),

    /// An update named a node that has no player record.
    #[error("no player for node !{0:08x}")]
    NoSuchPlayer(u32),

    /// A world change was refused (no such object, not enough coins, ...).
    #[error("{0}")]
    World(#[from] super::refusals::WorldRefusal),

    /// A deal (a purchase, a quest's reward, a dialogue's gift) was refused whole.
    #[error("{0}")]
    Deal(#[from] super::refusals::DealRefusal),

    /// A house claim was refused.
    #[error("{0}")]
    House(#[from] super::refusals::ClaimRefusal),

    /// The world seed file cannot be built.
    #[error("bad world seed: {0}")]
    BadSeed(String),

    /// A record could not be written as an export line.
    #[error("export failed: {0}")]
    Export(String),

    /// A bulk load was refused before anything was written (a node or name already
    /// taken, a board that does not exist).
    #[error("bulk load refused: {0}")]
    BulkLoad(String),

    /// The blocking thread running a store call panicked or was cancelled.
    #[error("a store worker thread failed: {0}")]
    Worker(String),

    /// The store was closed; no handle should be able to observe this.
    #[error("the store is closed")]
    Closed,
}

/// ENOSPC on Linux, the BSDs and macOS.
#[cfg(unix)]
const ENOSPC: i32 = 28;

/// Whether `e` says the disk is full. sled hands a write's error to later callers as
/// a copy that keeps only its kind (sled 0.34's `impl Clone for Error` in `result.rs`
/// rebuilds `Io` from `kind()` and a message), so the kind is what is checked; the raw
/// ENOSPC is checked too for an error straight from the OS.
pub(super) fn is_disk_full(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(ENOSPC) {
        return true;
    }
    e.kind() == io::ErrorKind::StorageFull
}

impl From<sled::Error> for StoreError {
    fn from(error: sled::Error) -> Self {
        match error {
            sled::Error::Io(e) if is_disk_full(&e) => Self::Full,
            error => Self::Storage(Box::new(error)),
        }
    }
}

impl From<io::Error> for StoreError {
    fn from(e: io::Error) -> Self {
        if is_disk_full(&e) {
            return Self::Full;
        }
        StoreError::Storage(Box::new(e))
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Worker(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_its_own_error_however_sled_reports_it() {
        // Straight from the OS, and as sled passes it on to later callers (kind only).
        #[cfg(unix)]
        let raw = io::Error::from_raw_os_error(ENOSPC);
        #[cfg(unix)]
        assert!(matches!(StoreError::from(raw), StoreError::Full));
        let copied = io::Error::new(io::ErrorKind::StorageFull, "Os { code: 28 }");
        assert!(matches!(
            StoreError::from(sled::Error::Io(copied)),
            StoreError::Full
        ));
        let tx: sled::transaction::TransactionError<StoreError> =
            sled::transaction::TransactionError::Storage(sled::Error::Io(io::Error::from(
                io::ErrorKind::StorageFull,
            )));
        assert!(matches!(crate::disk::from_tx(tx), StoreError::Full));
        // Other I/O trouble stays a storage failure.
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(matches!(
            StoreError::from(sled::Error::Io(denied)),
            StoreError::Storage(_)
        ));
    }
}
