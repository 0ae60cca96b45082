//! The synchronous half of the store: every sled call in the program is in this file,
//! and it only ever runs on a blocking thread, handed over by
//! [`Store::blocking`](super::Store). Nothing here is `pub` outside `store`.

use std::path::Path;

use sled::transaction::{
    ConflictableTransactionError, ConflictableTransactionResult, TransactionError,
    TransactionalTree,
};
use sled::{Transactional, Tree};

use super::error::StoreError;
use super::records::{self, Level, Player, Versioned, node_key};
use super::{SCHEMA_VERSION, export, names};

/// The name index tree: lowercased name -> big-endian node number.
pub(super) const PLAYER_NAMES: &str = "player_names";
/// Data-set facts: the schema version.
pub(super) const META: &str = "meta";
/// The `meta` key holding the schema version (big-endian `u32`).
pub(super) const SCHEMA_KEY: &[u8] = b"schema_version";
/// How often sled's own background thread flushes, whatever `flush_every_write` says.
pub(super) const BACKGROUND_FLUSH_MS: u64 = 500;

/// The open database and one handle per tree.
pub(super) struct Trees {
    db: sled::Db,
    players: Tree,
    names: Tree,
    meta: Tree,
    flush_every_write: bool,
}

/// One migration step: rewrites every record from schema version `n` to `n + 1`.
type Step = fn(&Trees) -> Result<(), StoreError>;

impl Trees {
    /// Opens (or creates) the database in `dir` and brings its schema up to date.
    pub(super) fn open(
        dir: &Path,
        flush_every_write: bool,
        cache_bytes: u64,
    ) -> Result<Self, StoreError> {
        let db = open_waiting_for_lock(dir, cache_bytes)?;
        let trees = Self {
            players: db.open_tree(Player::TREE)?,
            names: db.open_tree(PLAYER_NAMES)?,
            meta: db.open_tree(META)?,
            db,
            flush_every_write,
        };
        trees.check_schema()?;
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

    /// A fresh, never-reused, increasing id (sled's monotonic counter).
    #[allow(
        dead_code,
        reason = "for record kinds that take sled's ids (mail, posts)"
    )]
    pub(super) fn next_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()?)
    }

    /// Makes the last write durable, per the flush policy. Every write path calls this
    /// before returning, so a reply that says "saved" is sent after the data is on disk.
    pub(super) fn flush_if_configured(&self) -> Result<(), StoreError> {
        if self.flush_every_write {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn player(&self, node: u32) -> Result<Option<Player>, StoreError> {
        get(&self.players, &node_key(node))
    }

    pub(super) fn create_player(
        &self,
        node: u32,
        wanted: &str,
        now: u64,
    ) -> Result<Player, StoreError> {
        let key = node_key(node);
        let base = names::base_name(wanted, node);
        let (player, created) = (&self.players, &self.names)
            .transaction(|(players, index)| {
                if let Some(existing) = tx_get::<Player>(players, &key)? {
                    return Ok((existing, false));
                }
                let player = Player {
                    node,
                    name: free_name(index, &base)?,
                    password_hash: None,
                    level: Level::Player,
                    created: now,
                    last_seen: now,
                    banned: false,
                };
                players.insert(&key[..], records::encode(&key, &player).map_err(abort)?)?;
                index.insert(names::index_key(&player.name), &key[..])?;
                Ok((player, true))
            })
            .map_err(from_tx)?;
        if created {
            self.flush_if_configured()?;
            tracing::info!(node = format_args!("!{node:08x}"), name = %player.name, "new player");
        }
        Ok(player)
    }

    pub(super) fn player_by_name(&self, name: &str) -> Result<Option<Player>, StoreError> {
        let name_key = names::index_key(name);
        // A transaction, so a concurrent rename is seen entirely or not at all.
        (&self.players, &self.names)
            .transaction(|(players, index)| {
                let Some(node) = index.get(&name_key)? else {
                    return Ok(None);
                };
                let dangling = |reason: String| StoreError::Corrupt {
                    tree: PLAYER_NAMES,
                    key: String::from_utf8_lossy(&name_key).into_owned(),
                    reason,
                };
                let node = <[u8; 4]>::try_from(&node[..]).map_err(|_| {
                    abort(dangling(format!(
                        "expected a 4-byte node, found {}",
                        node.len()
                    )))
                })?;
                match tx_get::<Player>(players, &node)? {
                    Some(player) => Ok(Some(player)),
                    None => Err(abort(dangling(format!(
                        "points at !{:08x}, which has no player",
                        u32::from_be_bytes(node)
                    )))),
                }
            })
            .map_err(from_tx)
    }

    pub(super) fn update_player(&self, player: &Player) -> Result<(), StoreError> {
        let key = node_key(player.node);
        let value = records::encode(&key, player)?;
        let new_name_key = names::index_key(&player.name);
        (&self.players, &self.names)
            .transaction(|(players, index)| {
                let Some(old) = tx_get::<Player>(players, &key)? else {
                    return Err(abort(StoreError::NoSuchPlayer(player.node)));
                };
                if old.name != player.name {
                    names::validate(&player.name).map_err(abort)?;
                }
                let old_name_key = names::index_key(&old.name);
                if old_name_key != new_name_key {
                    if let Some(holder) = index.get(&new_name_key)?
                        && holder != key[..]
                    {
                        return Err(abort(StoreError::NameTaken(player.name.clone())));
                    }
                    if index
                        .get(&old_name_key)?
                        .is_some_and(|holder| holder == key[..])
                    {
                        index.remove(old_name_key)?;
                    }
                    index.insert(new_name_key.clone(), &key[..])?;
                }
                players.insert(&key[..], value.clone())?;
                Ok(())
            })
            .map_err(from_tx)?;
        self.flush_if_configured()
    }

    /// Up to `n` names most like `word`, best first, from the name index (keys only,
    /// no record decoded but the winners'). A BBS of at most [`LIKE_SCAN`] players has
    /// all its names compared; a bigger one the [`LIKE_SCAN`] names around `word` in
    /// alphabetical order: decoding and comparing 100,000 players took ~220 ms of a
    /// store thread per mistyped name.
    pub(super) fn players_like(&self, word: &str, n: usize) -> Result<Vec<String>, StoreError> {
        let word = word.to_lowercase();
        let score = |scored: &mut Vec<(f64, sled::IVec)>,
                     item: sled::Result<(sled::IVec, sled::IVec)>| {
            let (name, node) = item?;
            if let Ok(name) = std::str::from_utf8(&name) {
                let s = strsim::normalized_damerau_levenshtein(&word, name);
                if s >= 0.5 {
                    scored.push((s, node));
                }
            }
            Ok::<_, StoreError>(())
        };
        let mut scored = Vec::new();
        let mut seen = 0;
        for item in self.names.iter().take(LIKE_SCAN + 1) {
            seen += 1;
            score(&mut scored, item)?;
        }
        if seen > LIKE_SCAN {
            // Too many to compare: the names next to `word` in the index, on both
            // sides, which share its beginning (a typo usually keeps that).
            scored.clear();
            let at = word.as_bytes();
            let after = self.names.range(at..).take(LIKE_SCAN / 2);
            let before = self.names.range(..at).rev().take(LIKE_SCAN / 2);
            for item in after.chain(before) {
                score(&mut scored, item)?;
            }
        }
        // Best first; among equals, the order compared.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out = Vec::with_capacity(n);
        for (_, node) in scored.into_iter().take(n) {
            if let Some(player) = get::<Player>(&self.players, &node)? {
                out.push(player.name);
            }
        }
        Ok(out)
    }

    pub(super) fn players_count(&self) -> usize {
        self.players.len()
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

/// Names compared, at most, for one "did you mean" (see [`Trees::players_like`]).
pub(super) const LIKE_SCAN: usize = 2_000;

/// How long [`Trees::open`] waits for the directory's lock.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens sled, waiting a little while the directory is still locked: after the last
/// handle of a previous open is dropped, sled's background threads may hold the lock
/// file for some milliseconds more, so a quick restart (or a test reopening the
/// directory) would otherwise fail. Another process holding it still fails, after
/// [`LOCK_WAIT`]. Runs on a blocking thread, so the short sleeps block nobody.
fn open_waiting_for_lock(dir: &Path, cache_bytes: u64) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match sled::Config::new()
            .path(dir)
            .flush_every_ms(Some(BACKGROUND_FLUSH_MS))
            .cache_capacity(cache_bytes)
            .open()
        {
            Err(sled::Error::Io(e))
                if e.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
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
pub(super) fn get<R: Versioned>(tree: &Tree, key: &[u8]) -> Result<Option<R>, StoreError> {
    tree.get(key)?
        .map(|bytes| records::decode(key, &bytes))
        .transpose()
}

/// [`get`] inside a transaction.
pub(super) fn tx_get<R: Versioned>(
    tree: &TransactionalTree,
    key: &[u8],
) -> ConflictableTransactionResult<Option<R>, StoreError> {
    tree.get(key)?
        .map(|bytes| records::decode(key, &bytes).map_err(abort))
        .transpose()
}

/// The first of `base`, `base-2`, `base-3`, ... that nobody holds.
fn free_name(
    index: &TransactionalTree,
    base: &str,
) -> ConflictableTransactionResult<String, StoreError> {
    let mut candidate = base.to_owned();
    for n in 2.. {
        if index.get(names::index_key(&candidate))?.is_none() {
            break;
        }
        candidate = names::with_suffix(base, n);
    }
    Ok(candidate)
}

pub(super) fn abort(error: StoreError) -> ConflictableTransactionError<StoreError> {
    ConflictableTransactionError::Abort(error)
}

pub(super) fn from_tx(error: TransactionError<StoreError>) -> StoreError {
    match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => error.into(),
    }
}
