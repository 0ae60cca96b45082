//! What can go wrong taking or restoring a backup, in words an operator can act on.
//!
//! Each message says what happened and where; an underlying cause (an I/O error) is
//! the error's `source`, never repeated in its message, so a report that prints the
//! chain (`anyhow`'s `{:#}`, the admin console's answer) says each thing once.

use std::path::PathBuf;

use crate::error::StoreError;

/// A failed backup or restore.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// A backup goes into a new or empty directory only, never over another one.
    #[error("{0} is not empty: a backup goes into a new or empty directory")]
    TargetNotEmpty(PathBuf),

    /// A path that must be a directory is something else.
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),

    /// The directory to restore into holds a store already.
    #[error(
        "{0} already holds a meshmush store: restore only fills a new or empty data \
         directory (move the old one aside first)"
    )]
    HasStore(PathBuf),

    /// The directory to restore into holds something else.
    #[error("{0} is not empty: restore only fills a new or empty data directory")]
    DataNotEmpty(PathBuf),

    /// No manifest where a backup should be.
    #[error("no meshmush backup in {0} (it has no manifest.json)")]
    NoBackup(PathBuf),

    /// The manifest is not one this build can read.
    #[error("{path} is not a meshmush backup manifest: {reason}")]
    BadManifest { path: PathBuf, reason: String },

    /// The backup was written in a newer format.
    #[error(
        "the backup in {dir} has format version {found}; this meshmush reads up to \
         version {supported}: restore it with a newer meshmush"
    )]
    FormatTooNew {
        dir: PathBuf,
        found: u32,
        supported: u32,
    },

    /// The backup holds a store of a newer schema.
    #[error(
        "the backup in {dir} holds schema version {found}; this meshmush understands up \
         to {supported}: restore it with a newer meshmush"
    )]
    SchemaTooNew {
        dir: PathBuf,
        found: u32,
        supported: u32,
    },

    /// The records do not match the manifest (a cut-off copy, a flipped bit).
    #[error("the backup in {dir} is damaged: {what}")]
    Damaged { dir: PathBuf, what: String },

    /// Reading or writing a file failed.
    #[error("{doing} {path}")]
    Io {
        /// What was being done: "writing", "reading", "creating".
        doing: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The store failed (reading it for a backup, or writing the restored one).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sled::Error> for BackupError {
    fn from(error: sled::Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<tokio::task::JoinError> for BackupError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Store(error.into())
    }
}

/// A closure that wraps an I/O error with what was being done to `path`.
pub(super) fn io<'a>(
    doing: &'static str,
    path: &'a std::path::Path,
) -> impl FnOnce(std::io::Error) -> BackupError + 'a {
    move |source| BackupError::Io {
        doing,
        path: path.to_path_buf(),
        source,
    }
}
