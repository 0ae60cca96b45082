//! The world in the synchronous store: objects, the contents index, each player's
//! place and purse (the layout is described in [`store::world`](crate::world)).
//! Runs only on a blocking thread, handed over by `Store::blocking`.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

use super::{DiskStore, META, abort, from_tx, get, tx_get};
use crate::error::StoreError;
use crate::records::{self, decode, encode};
use crate::refusals::WorldRefusal;
use crate::seed::{WorldSeed, split_names};
use crate::world_records::{NEW_PLAYER_COINS, Object, ObjectKind, Place, PlayerState, state_key};

/// The `meta` key of the next object id (`u64` BE).
const NEXT_OBJECT: &[u8] = b"next_object";
/// The `meta` key of the start room's id (`u64` BE).
const WORLD_START: &[u8] = b"world_start";
/// The contents index tree.
pub(crate) const CONTENTS: &str = "contents";

fn refuse(r: WorldRefusal) -> StoreError {
    StoreError::World(r)
}

fn read_u64(bytes: &[u8], key: &[u8]) -> Result<u64, StoreError> {
    <[u8; 8]>::try_from(bytes)
        .map(u64::from_be_bytes)
        .map_err(|_| StoreError::Corrupt {
            tree: META,
            key: String::from_utf8_lossy(key).into_owned(),
            reason: format!("expected 8 bytes, found {}", bytes.len()),
        })
}

/// Takes the next object id inside a transaction.
pub(crate) fn take_id(meta: &TransactionalTree) -> ConflictableTransactionResult<u64, StoreError> {
    let next = match meta.get(NEXT_OBJECT)? {
        Some(b) => read_u64(&b, NEXT_OBJECT).map_err(abort)?,
        None => 1,
    };
    meta.insert(NEXT_OBJECT, &(next + 1).to_be_bytes()[..])?;
    Ok(next)
}

pub(crate) fn tx_put(
    objects: &TransactionalTree,
    contents: &TransactionalTree,
    old: Option<&Object>,
    object: &Object,
) -> ConflictableTransactionResult<(), StoreError> {
    let key = object.id.to_be_bytes();
    if let Some(place) = old.and_then(|o| o.location)
        && Some(place) != object.location
    {
        contents.remove(&place.index_key(object.id)[..])?;
    }
    if let Some(place) = object.location {
        contents.insert(&place.index_key(object.id)[..], &[][..])?;
    }
    objects.insert(&key[..], encode(&key, object).map_err(abort)?)?;
    Ok(())
}

impl DiskStore {
    pub(crate) fn object(&self, id: u64) -> Result<Option<Object>, StoreError> {
        get(&self.tree_of::<Object>()?, &id.to_be_bytes())
    }

    pub(crate) fn objects_count(&self) -> Result<usize, StoreError> {
        Ok(self.tree_of::<Object>()?.len())
    }

    pub(crate) fn contents(&self, place: Place) -> Result<Vec<Object>, StoreError> {
        let objects = self.tree_of::<Object>()?;
        let mut out = Vec::new();
        for entry in self.tree(CONTENTS)?.scan_prefix(place.key_prefix()) {
            let (key, _) = entry?;
            let Some(id) = key.get(9..17).and_then(|b| <[u8; 8]>::try_from(b).ok()) else {
                continue;
            };
            match get::<Object>(&objects, &id)? {
                Some(o) => out.push(o),
                None => tracing::warn!(
                    id = u64::from_be_bytes(id),
                    "contents index points at nothing"
                ),
            }
        }
        Ok(out)
    }

    pub(crate) fn start_room(&self) -> Result<Option<u64>, StoreError> {
        self.tree(META)?
            .get(WORLD_START)?
            .map(|b| read_u64(&b, WORLD_START))
            .transpose()
    }

    pub(crate) fn player_state(&self, node: u32) -> Result<PlayerState, StoreError> {
        let tree = self.tree_of::<PlayerState>()?;
        let key = state_key(node);
        if let Some(state) = get(&tree, &key)? {
            return Ok(state);
        }
        let start = self.start_room()?.ok_or(refuse(WorldRefusal::NoWorld))?;
        let fresh = PlayerState {
            node,
            location: start,
            home: start,
            coins: NEW_PLAYER_COINS,
        };
        let value = encode(&key, &fresh)?;
        // Only the first caller creates it; a racing second call reads the winner's.
        let _ = tree.compare_and_swap(key, None as Option<&[u8]>, Some(value))?;
        self.flush_if_configured()?;
        get(&tree, &key)?.ok_or(StoreError::NoSuchPlayer(node))
    }

    pub(crate) fn set_player_state(&self, state: &PlayerState) -> Result<(), StoreError> {
        let key = state_key(state.node);
        self.tree_of::<PlayerState>()?
            .insert(key, encode(&key, state)?)?;
        self.flush_if_configured()
    }

    pub(crate) fn move_player(&self, node: u32, to: u64) -> Result<PlayerState, StoreError> {
        match self.object(to)? {
            Some(o) if o.kind == ObjectKind::Room => {}
            Some(_) => return Err(refuse(WorldRefusal::NotARoom(to))),
            None => return Err(refuse(WorldRefusal::NoSuchObject(to))),
        }
        let mut state = self.player_state(node)?;
        state.location = to;
        self.set_player_state(&state)?;
        Ok(state)
    }

    pub(crate) fn move_object(
        &self,
        id: u64,
        from: Option<Place>,
        to: Place,
    ) -> Result<Object, StoreError> {
        let (objects, contents) = (self.tree_of::<Object>()?, self.tree(CONTENTS)?);
        let key = id.to_be_bytes();
        let moved = (&objects, &contents)
            .transaction(|(objects, contents)| {
                let Some(old) = tx_get::<Object>(objects, &key)? else {
                    return Err(abort(refuse(WorldRefusal::NoSuchObject(id))));
                };
                if from.is_some() && old.location != from {
                    return Err(abort(refuse(WorldRefusal::Moved)));
                }
                let mut new = old.clone();
                new.location = Some(to);
                tx_put(objects, contents, Some(&old), &new)?;
                Ok(new)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()?;
        Ok(moved)
    }

    pub(crate) fn create_object(&self, object: Object) -> Result<Object, StoreError> {
        let trees = (
            self.tree_of::<Object>()?,
            self.tree(CONTENTS)?,
            self.tree(META)?,
        );
        let created = (&trees.0, &trees.1, &trees.2)
            .transaction(|(objects, contents, meta)| {
                let mut new = object.clone();
                new.id = take_id(meta)?;
                tx_put(objects, contents, None, &new)?;
                Ok(new)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()?;
        Ok(created)
    }

    pub(crate) fn update_object(&self, object: &Object) -> Result<(), StoreError> {
        let (objects, contents) = (self.tree_of::<Object>()?, self.tree(CONTENTS)?);
        let key = object.id.to_be_bytes();
        (&objects, &contents)
            .transaction(|(objects, contents)| {
                let Some(old) = tx_get::<Object>(objects, &key)? else {
                    return Err(abort(refuse(WorldRefusal::NoSuchObject(object.id))));
                };
                tx_put(objects, contents, Some(&old), object)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()
    }

    pub(crate) fn destroy_object(&self, id: u64) -> Result<Object, StoreError> {
        if self.start_room()? == Some(id) {
            return Err(refuse(WorldRefusal::StartRoom));
        }
        if !self.contents(Place::Object(id))?.is_empty() {
            return Err(refuse(WorldRefusal::NotEmpty));
        }
        let (objects, contents) = (self.tree_of::<Object>()?, self.tree(CONTENTS)?);
        let key = id.to_be_bytes();
        let gone = (&objects, &contents)
            .transaction(|(objects, contents)| {
                let Some(old) = tx_get::<Object>(objects, &key)? else {
                    return Err(abort(refuse(WorldRefusal::NoSuchObject(id))));
                };
                if let Some(place) = old.location {
                    contents.remove(&place.index_key(id)[..])?;
                }
                objects.remove(&key[..])?;
                Ok(old)
            })
            .map_err(from_tx)?;
        self.flush_if_configured()?;
        Ok(gone)
    }

    pub(crate) fn give_coins(&self, from: u32, to: u32, n: u64) -> Result<(), StoreError> {
        // Both purses exist before the transaction (creating one is its own write).
        self.player_state(from)?;
        self.player_state(to)?;
        let tree = self.tree_of::<PlayerState>()?;
        let (kf, kt) = (state_key(from), state_key(to));
        tree.transaction(|t| {
            let mut a = tx_get::<PlayerState>(t, &kf)?
                .ok_or_else(|| abort(StoreError::NoSuchPlayer(from)))?;
            let mut b = tx_get::<PlayerState>(t, &kt)?
                .ok_or_else(|| abort(StoreError::NoSuchPlayer(to)))?;
            if a.coins < n {
                return Err(abort(refuse(WorldRefusal::NotEnoughCoins)));
            }
            if from == to {
                return Ok(());
            }
            a.coins -= n;
            b.coins = b.coins.saturating_add(n);
            t.insert(&kf[..], encode(&kf, &a).map_err(abort)?)?;
            t.insert(&kt[..], encode(&kt, &b).map_err(abort)?)?;
            Ok(())
        })
        .map_err(from_tx)?;
        self.flush_if_configured()
    }

    pub(crate) fn seed_world_if_empty(&self, seed: &WorldSeed) -> Result<bool, StoreError> {
        let trees = (
            self.tree_of::<Object>()?,
            self.tree(CONTENTS)?,
            self.tree(META)?,
        );
        let seeded = (&trees.0, &trees.1, &trees.2)
            .transaction(|(objects, contents, meta)| {
                if meta.get(WORLD_START)?.is_some() {
                    return Ok(false);
                }
                let mut room_ids = Vec::with_capacity(seed.rooms.len());
                for room in &seed.rooms {
                    let mut o = Object::new(ObjectKind::Room, &room.name, 0);
                    o.id = take_id(meta)?;
                    o.short_desc = room.short.clone();
                    o.long_desc = room.long.clone();
                    tx_put(objects, contents, None, &o)?;
                    room_ids.push(o.id);
                }
                for (room, &room_id) in seed.rooms.iter().zip(&room_ids) {
                    for exit in &room.exits {
                        let (name, aliases) = split_names(&exit.name);
                        let mut o = Object::new(ObjectKind::Exit, &name, 0);
                        o.id = take_id(meta)?;
                        o.aliases = aliases;
                        o.location = Some(Place::Object(room_id));
                        o.destination = seed.room_index(&exit.to).map(|i| room_ids[i]);
                        tx_put(objects, contents, None, &o)?;
                    }
                    for thing in &room.things {
                        let (name, aliases) = split_names(&thing.name);
                        let mut o = Object::new(ObjectKind::Thing, &name, 0);
                        o.id = take_id(meta)?;
                        o.aliases = aliases;
                        o.short_desc = thing.short.clone();
                        o.long_desc = thing.long.clone();
                        o.location = Some(Place::Object(room_id));
                        tx_put(objects, contents, None, &o)?;
                    }
                }
                let Some(&start) = room_ids.first() else {
                    return Err(abort(refuse(WorldRefusal::NoWorld)));
                };
                meta.insert(WORLD_START, &start.to_be_bytes()[..])?;
                Ok(true)
            })
            .map_err(from_tx)?;
        if seeded {
            tracing::info!(rooms = seed.rooms.len(), "starter world built");
            self.flush_if_configured()?;
        }
        Ok(seeded)
    }

    /// Export lines for every object and player state.
    pub(crate) fn world_export_lines(&self) -> Result<Vec<String>, StoreError> {
        let mut lines = Vec::new();
        for entry in &self.tree_of::<Object>()? {
            let (key, bytes) = entry?;
            let o: Object = decode(&key, &bytes)?;
            lines.push(super::export::object_line(&o)?);
        }
        for entry in &self.tree_of::<PlayerState>()? {
            let (key, bytes) = entry?;
            let s: PlayerState = records::decode(&key, &bytes)?;
            lines.push(super::export::player_state_line(&s)?);
        }
        Ok(lines)
    }
}
