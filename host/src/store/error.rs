//! What can go wrong in the store, in words an operator can act on.

/// A store call that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt record in tree `{tree}` at key {key}: {reason}")]
    Corrupt {
        tree: &'static str,
        key: String,
        reason: String,
    },
    #[error("the name {0:?} is taken")]
    NameTaken(String),
    #[error("no player for node {0:#010x}")]
    NoSuchPlayer(u32),
    #[error("the data was written by a newer meshmush (schema {found}; this one knows up to {known})")]
    SchemaTooNew { found: u32, known: u32 },
    #[error("the store task failed: {0}")]
    Task(String),
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
        }
    }
}
