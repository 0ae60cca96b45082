//! The synchronous half of the store: the open sled database, its schema check and
//! migrations, the flush policy, and the small helpers every sled call shares. The
//! async [`Store`](super::handle::Store) hands each call to a blocking thread and runs it
//! against a [`DiskStore`] there (see `Store::blocking`); nothing in this module may
//! run on a Tokio worker, and nothing here is `pub` outside `store`.
//!
//! By record kind:
//! - here: the database, the `meta` tree (schema version, id base), flushing, export;
//! - [`players`]: the `players` tree and the `player_names` index;
//! - [`world`]: objects, the contents index and player state (layout in
//!   [`store::world`](super::world));
//! - boards, posts, read markers and mail run their sled work in the closures of
//!   [`store::bbs`](super::bbs), bulk loads in [`store::bulk`](super::bulk), both on
//!   the trees this type opens.

mod deal;
mod houses;
mod players;
mod world;

use std::path::Path;

use sled::Tree;
use sled::transaction::{
    ConflictableTransactionError, ConflictableTransactionResult, TransactionError,
    TransactionalTree,
};

use super::error::StoreError;
use super::export;
use super::records::{self, Player, Versioned};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The name index tree: lowercased name -> big-endian node number.
pub(crate) const PLAYER_NAMES: &str = "player_names";
/// Data-set facts: the schema version.
pub(crate) const META: &str = "meta";
/// The `meta` key holding the schema version (big-endian `u32`).
pub(super) const SCHEMA_KEY: &[u8] = b"schema_version";
/// The `meta` key holding what is added to sled's id counter (big-endian `u64`),
/// written by a restore: the next id of the store the backup was taken from.
pub(crate) const ID_BASE_KEY: &[u8] = b"id_base";
/// How often sled's own background thread flushes, whatever `flush_every_write` says.
pub(super) const BACKGROUND_FLUSH_MS: u64 = 500;

/// The open database and one handle per tree.
pub(super) struct DiskStore {
    db: sled::Db,
    players: Tree,
    names: Tree,
    meta: Tree,
    flush_every_write: bool,
    /// Added to sled's id counter, which a restored database starts again at 0.
    id_base: u64,
}

/// One migration step: rewrites every record from schema version `n` to `n + 1`.
type Step = fn(&DiskStore) -> Result<(), StoreError>;

impl DiskStore {
    /// Opens (or creates) the database in `dir` and brings its schema up to date.
    pub(super) fn open(
        dir: &Path,
        flush_every_write: bool,
        cache_bytes: u64,
    ) -> Result<Self, StoreError> {
        private_dir(dir)?;
        let db = open_waiting_for_lock(dir, cache_bytes)?;
        let mut trees = Self {
            players: db.open_tree(Player::TREE)?,
            names: db.open_tree(PLAYER_NAMES)?,
            meta: db.open_tree(META)?,
            db,
            flush_every_write,
            id_base: 0,
        };
        trees.check_schema()?;
        trees.id_base = trees.read_id_base()?;
        Ok(trees)
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        match self.schema_version()? {
            None => {
                self.set_schema_version(SCHEMA_VERSION)?;
                tracing::info!(version = SCHEMA_VERSION, "new data directory");
            }
            Some(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::SchemaTooNew {
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            Some(found) if found < SCHEMA_VERSION => self.migrate(found, SCHEMA_VERSION)?,
            Some(_) => {}
        }
        Ok(())
    }

    fn schema_version(&self) -> Result<Option<u32>, StoreError> {
        let Some(bytes) = self.meta.get(SCHEMA_KEY)? else {
            return Ok(None);
        };
        let bytes = <[u8; 4]>::try_from(&bytes[..]).map_err(|_| StoreError::Corrupt {
            tree: META,
            key: String::from_utf8_lossy(SCHEMA_KEY).into_owned(),
            reason: format!("expected 4 bytes, found {}", bytes.len()),
        })?;
        Ok(Some(u32::from_be_bytes(bytes)))
    }

    fn read_id_base(&self) -> Result<u64, StoreError> {
        let Some(bytes) = self.meta.get(ID_BASE_KEY)? else {
            return Ok(0);
        };
        let bytes = <[u8; 8]>::try_from(&bytes[..]).map_err(|_| StoreError::Corrupt {
            tree: META,
            key: String::from_utf8_lossy(ID_BASE_KEY).into_owned(),
            reason: format!("expected 8 bytes, found {}", bytes.len()),
        })?;
        Ok(u64::from_be_bytes(bytes))
    }

    fn set_schema_version(&self, version: u32) -> Result<(), StoreError> {
        self.meta.insert(SCHEMA_KEY, &version.to_be_bytes()[..])?;
        self.db.flush()?;
        Ok(())
    }

    /// Runs the migration steps from `from` up to `to`, one version at a time. The
    /// version is recorded (and flushed) after each step, so a crash part-way resumes
    /// at the step that was interrupted: steps must be idempotent, or do their work in
    /// one transaction.
    fn migrate(&self, from: u32, to: u32) -> Result<(), StoreError> {
        for version in from..to {
            let step = migration_step(version).ok_or(StoreError::NoMigration { from, to })?;
            tracing::info!(from = version, to = version + 1, "migrating data directory");
            step(self)?;
            self.set_schema_version(version + 1)?;
        }
        Ok(())
    }

    pub(super) fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    /// The tree of a record kind (sled keeps one handle per name; this is cheap).
    pub(super) fn tree(&self, name: &str) -> Result<Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// The tree of record kind `R`.
    pub(super) fn tree_of<R: Versioned>(&self) -> Result<Tree, StoreError> {
        self.tree(R::TREE)
    }

    /// Every record of `R`'s tree, in key order.
    pub(super) fn all<R: Versioned>(&self) -> Result<Vec<R>, StoreError> {
        self.tree_of::<R>()?
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                super::records::decode(&k, &v)
            })
            .collect()
    }

    /// A fresh, never-reused, increasing id: sled's monotonic counter, above every
    /// id a restored backup holds (see `id_base`).
    pub(super) fn next_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()? + self.id_base)
    }

    /// The database itself, for a backup to walk every tree.
    pub(crate) fn raw(&self) -> &sled::Db {
        &self.db
    }

    /// Makes the last write durable, per the flush policy. Every write path calls this
    /// before returning, so a reply that says "saved" is sent after the data is on disk.
    pub(crate) fn flush_if_configured(&self) -> Result<(), StoreError> {
        if self.flush_every_write {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn export_jsonl(&self) -> Result<Vec<String>, StoreError> {
        let mut lines = vec![export::meta_line(SCHEMA_VERSION)?];
        for entry in &self.players {
            let (key, bytes) = entry?;
            let player: Player = records::decode(&key, &bytes)?;
            lines.push(export::player_line(&player)?);
        }
        lines.extend(self.world_export_lines()?);
        lines.extend(self.bbs_export_lines()?);
        Ok(lines)
    }
}

/// Makes `dir` (and any missing parents) private to the daemon's user: 0700, made so
/// (not changed afterwards) when it is new, tightened when it exists. It holds
/// password hashes and mail; the daemon's umask (0077, set by the binary) keeps the
/// files sled makes in it 0600 too.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// How long [`DiskStore::open`] waits for the directory's lock.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens sled, waiting a little while the directory is still locked: after the last
/// handle of a previous open is dropped, sled's background threads may hold the lock
/// file for some milliseconds more, so a quick restart (or a test reopening the
/// directory) would otherwise fail. Another process holding it still fails, after
/// [`LOCK_WAIT`], as [`StoreError::Locked`]. Runs on a blocking thread, so the short
/// sleeps block nobody.
pub(crate) fn open_waiting_for_lock(dir: &Path, cache_bytes: u64) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match sled::Config::new()
            .path(dir)
            .flush_every_ms(Some(BACKGROUND_FLUSH_MS))
            .cache_capacity(cache_bytes)
            .open()
        {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::Locked(dir.to_path_buf()));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

/// The migration step from schema version `from` to `from + 1`, if there is one.
///
/// Schema 1 is the first; there are no steps yet. When a record changes shape in a way
/// the version envelopes cannot absorb (a tree split, a key change), bump
/// `SCHEMA_VERSION` and add an arm here: `1 => Some(migrate_1_to_2)`.
fn migration_step(from: u32) -> Option<Step> {
    #[expect(
        clippy::match_single_binding,
        reason = "steps are added as arms here as the schema grows"
    )]
    match from {
        _ => None,
    }
}

/// Reads and decodes one record; `None` if the key is absent.
pub(crate) fn get<R: Versioned>(tree: &Tree, key: &[u8]) -> Result<Option<R>, StoreError> {
    tree.get(key)?
        .map(|bytes| records::decode(key, &bytes))
        .transpose()
}

/// [`get`] inside a transaction.
pub(crate) fn tx_get<R: Versioned>(
    tree: &TransactionalTree,
    key: &[u8],
) -> ConflictableTransactionResult<Option<R>, StoreError> {
    tree.get(key)?
        .map(|bytes| records::decode(key, &bytes).map_err(abort))
        .transpose()
}

pub(crate) fn abort(error: StoreError) -> ConflictableTransactionError<StoreError> {
    ConflictableTransactionError::Abort(error)
}

pub(crate) fn from_tx(error: TransactionError<StoreError>) -> StoreError {
    match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => error.into(),
    }
}
