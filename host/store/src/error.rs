//! What can go wrong in the store, in words an operator can act on.
//!
//! The storage engine's own error type is boxed behind [`StoreError::Storage`] so that
//! no module outside `store` has to name (or import) sled.

use std::error::Error as StdError;

/// A failed store call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine failed (I/O error, full disk, lock held by another process).
    #[error("storage failure: {0}")]
    Storage(#[source] Box<dyn StdError + Send + Sync>),

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

impl From<sled::Error> for StoreError {
    fn from(error: sled::Error) -> Self {
        Self::Storage(Box::new(error))
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Storage(Box::new(e))
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Worker(error.to_string())
    }
}
