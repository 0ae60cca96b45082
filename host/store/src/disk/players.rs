//! The players of the synchronous store: the `players` tree (node -> `Player`) and the
//! `player_names` index (lowercased name -> node), changed together in one sled
//! transaction so a crash never leaves a name pointing nowhere. Runs only on a
//! blocking thread.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

use super::{DiskStore, PLAYER_NAMES, abort, from_tx, get, tx_get};
use crate::error::StoreError;
use crate::names;
use crate::records::{self, Level, Player, node_key};

impl DiskStore {
    pub(crate) fn player(&self, node: u32) -> Result<Option<Player>, StoreError> {
        get(&self.players, &node_key(node))
    }

    pub(crate) fn create_player(
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

    /// Gives `node`'s player the name its node now announces, if they still carry a
    /// stand-in (`!4d4d1002` or `Node1002`: they first spoke before the BBS heard
    /// their NodeInfo). The new player if renamed; `None` if there is no player, the
    /// name is their own already, or `heard` cleans up to a stand-in too.
    pub(crate) fn adopt_heard_name(
        &self,
        node: u32,
        heard: &str,
    ) -> Result<Option<Player>, StoreError> {
        let key = node_key(node);
        let base = names::base_name(heard, node);
        if names::is_stand_in(&base, node) {
            return Ok(None);
        }
        let renamed = (&self.players, &self.names)
            .transaction(|(players, index)| {
                let Some(mut player) = tx_get::<Player>(players, &key)? else {
                    return Ok(None);
                };
                if !names::is_stand_in(&player.name, node) {
                    return Ok(None);
                }
                let old_name_key = names::index_key(&player.name);
                player.name = free_name(index, &base)?;
                if index
                    .get(&old_name_key)?
                    .is_some_and(|holder| holder == key[..])
                {
                    index.remove(old_name_key)?;
                }
                index.insert(names::index_key(&player.name), &key[..])?;
                players.insert(&key[..], records::encode(&key, &player).map_err(abort)?)?;
                Ok(Some(player))
            })
            .map_err(from_tx)?;
        if let Some(player) = &renamed {
            self.flush_if_configured()?;
            tracing::info!(node = format_args!("!{node:08x}"), name = %player.name, "player named as their node announces");
        }
        Ok(renamed)
    }

    pub(crate) fn player_by_name(&self, name: &str) -> Result<Option<Player>, StoreError> {
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

    pub(crate) fn update_player(&self, player: &Player) -> Result<(), StoreError> {
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

    /// Records that `node`'s player was heard at `now`; the time they were last heard
    /// before, or `None` when there is no such player. Only `last_seen` changes, in a
    /// transaction, so a wizard's change made meanwhile is kept.
    pub(crate) fn player_seen(&self, node: u32, now: u64) -> Result<Option<u64>, StoreError> {
        let key = node_key(node);
        self.players
            .transaction(|players| {
                let Some(mut player) = tx_get::<Player>(players, &key)? else {
                    return Ok(None);
                };
                let before = player.last_seen;
                if now > before {
                    player.last_seen = now;
                    let value = records::encode(&key, &player).map_err(abort)?;
                    players.insert(&key[..], value)?;
                }
                Ok(Some(before))
            })
            .map_err(from_tx)
    }

    /// Up to `n` names most like `word`, best first, from the name index (keys only,
    /// no record decoded but the winners'). A BBS of at most [`LIKE_SCAN`] players has
    /// all its names compared; a bigger one the [`LIKE_SCAN`] names around `word` in
    /// alphabetical order: decoding and comparing 100,000 players took ~220 ms of a
    /// store thread per mistyped name.
    pub(crate) fn players_like(&self, word: &str, n: usize) -> Result<Vec<String>, StoreError> {
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

    pub(crate) fn players_count(&self) -> usize {
        self.players.len()
    }
}

/// Names compared, at most, for one "did you mean" (see [`DiskStore::players_like`]).
pub(crate) const LIKE_SCAN: usize = 2_000;

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
