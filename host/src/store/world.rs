//! The TinyMUSH world as stored: objects (rooms, exits, things) with ids `#N`, the
//! contents index that makes "what is in room X" a prefix scan, and each player's
//! place in the world and purse, kept beside (not inside) the `Player` record.
//!
//! | tree           | key                                  | value                               |
//! |----------------|--------------------------------------|-------------------------------------|
//! | `objects`      | id (`u64` BE)                        | postcard `ObjectRecord::V1(Object)` |
//! | `contents`     | place tag (1) ++ place (8) ++ id (8) | empty                               |
//! | `player_state` | node (`u32` BE)                      | postcard `PlayerStateRecord::V1`    |
//! | `meta`         | `next_object`, `world_start`         | `u64` BE                            |
//!
//! Exits live in the contents of their source room. Every change that touches an
//! object and the index (or two players' purses) is one sled transaction.

use serde::{Deserialize, Serialize};

use super::cache::{Scope, WorldCache, WriteGuard};
use super::records::{node_key, node_label, versioned};
use super::sync::SyncStore;
use super::{Store, StoreError};
use crate::seed::WorldSeed;

/// Coins a new player starts with.
pub const NEW_PLAYER_COINS: u64 = 10;

/// What an object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Room,
    Exit,
    Thing,
}

/// Where an object is: in (or, for an exit, leading out of) another object, or held
/// by a player.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    Object(u64),
    Player(u32),
}

impl Place {
    /// The index key prefix of everything in this place.
    pub(super) fn key_prefix(self) -> [u8; 9] {
        let mut k = [0u8; 9];
        match self {
            Place::Object(id) => k[1..].copy_from_slice(&id.to_be_bytes()),
            Place::Player(node) => {
                k[0] = 1;
                k[1..].copy_from_slice(&u64::from(node).to_be_bytes());
            }
        }
        k
    }

    /// The index key of object `id` in this place.
    pub(super) fn index_key(self, id: u64) -> [u8; 17] {
        let mut k = [0u8; 17];
        k[..9].copy_from_slice(&self.key_prefix());
        k[9..].copy_from_slice(&id.to_be_bytes());
        k
    }
}

/// Who may pass an exit or pick up a thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lock {
    /// Only the owner.
    Owner,
    /// Only this player.
    Player(u32),
    /// Whoever carries this thing.
    Key(u64),
}

/// One MUSH object. Only append fields through a new record version (see `records`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    /// `#N`; assigned by the store, never reused.
    pub id: u64,
    pub kind: ObjectKind,
    pub name: String,
    /// Other words that match it (`n` for `north`).
    pub aliases: Vec<String>,
    /// The owner's node; 0 for the system (seeded world).
    pub owner: u32,
    pub short_desc: String,
    pub long_desc: String,
    pub flags: Vec<String>,
    /// Room or holder of a thing, source room of an exit, `None` for rooms.
    pub location: Option<Place>,
    /// Where an exit leads.
    pub destination: Option<u64>,
    pub lock: Option<Lock>,
}

impl Object {
    /// A new object of `kind` called `name`, owned by `owner`, nowhere yet.
    pub fn new(kind: ObjectKind, name: &str, owner: u32) -> Self {
        Self {
            id: 0,
            kind,
            name: name.to_string(),
            aliases: Vec::new(),
            owner,
            short_desc: String::new(),
            long_desc: String::new(),
            flags: Vec::new(),
            location: None,
            destination: None,
            lock: None,
        }
    }

    /// True if `word` is its name or an alias, ignoring case.
    pub fn answers_to(&self, word: &str) -> bool {
        self.name.eq_ignore_ascii_case(word)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(word))
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
}

/// A player's place in the world and purse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerState {
    pub node: u32,
    /// The room the player is in.
    pub location: u64,
    /// Where `home` takes them.
    pub home: u64,
    pub coins: u64,
}

/// The envelope an [`Object`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum ObjectRecord {
    V1(Object),
}

/// The envelope a [`PlayerState`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum PlayerStateRecord {
    V1(PlayerState),
}

versioned!(Object, ObjectRecord, "objects", key_label = object_label);
versioned!(
    PlayerState,
    PlayerStateRecord,
    "player_state",
    key_label = node_label
);

/// An object key as MUSH ids are written (`#12`).
fn object_label(key: &[u8]) -> String {
    match <[u8; 8]>::try_from(key) {
        Ok(b) => format!("#{}", u64::from_be_bytes(b)),
        Err(_) => format!("{key:02x?}"),
    }
}

/// The key of a player's state.
pub(super) fn state_key(node: u32) -> [u8; 4] {
    node_key(node)
}

/// Why a world change was refused; the caller words it for the player.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldRefusal {
    #[error("there is no object #{0}")]
    NoSuchObject(u64),
    #[error("#{0} is not a room")]
    NotARoom(u64),
    #[error("not enough coins")]
    NotEnoughCoins,
    #[error("that is not there any more")]
    Moved,
    #[error("that room still holds things or exits")]
    NotEmpty,
    #[error("the starting room cannot be destroyed")]
    StartRoom,
    #[error("the world has no rooms yet")]
    NoWorld,
}

impl Store {
    fn cache(&self) -> &WorldCache {
        &self.inner.cache
    }

    /// Runs a write that may change `scope`, keeping the cache coherent.
    async fn write<T, F>(&self, scope: Scope, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&SyncStore) -> Result<T, StoreError> + Send + 'static,
    {
        let _guard = WriteGuard::new(self.cache(), scope);
        self.blocking(work).await
    }

    /// Object `#id`, if it exists.
    pub async fn object(&self, id: u64) -> Result<Option<Object>, StoreError> {
        if let Some(hit) = self.cache().object(id) {
            return Ok(hit);
        }
        let ticket = self.cache().ticket();
        let found = self.blocking(move |db| db.object(id)).await?;
        self.cache().fill_object(ticket, id, &found);
        Ok(found)
    }

    /// Everything in `place` (a room's things and exits, a player's inventory), by id.
    pub async fn contents(&self, place: Place) -> Result<Vec<Object>, StoreError> {
        if let Some(hit) = self.cache().contents(place) {
            return Ok(hit.to_vec());
        }
        let ticket = self.cache().ticket();
        let found = self.blocking(move |db| db.contents(place)).await?;
        self.cache()
            .fill_contents(ticket, place, found.as_slice().into());
        Ok(found)
    }

    /// The exits leading out of `room`.
    pub async fn exits(&self, room: u64) -> Result<Vec<Object>, StoreError> {
        let all = self.contents(Place::Object(room)).await?;
        Ok(all
            .into_iter()
            .filter(|o| o.kind == ObjectKind::Exit)
            .collect())
    }

    /// How many objects there are.
    pub async fn objects_count(&self) -> Result<usize, StoreError> {
        self.blocking(|db| db.objects_count()).await
    }

    /// The room new players start in (and their first home).
    pub async fn start_room(&self) -> Result<Option<u64>, StoreError> {
        self.blocking(|db| db.start_room()).await
    }

    /// The player's place and purse; a player seen for the first time is put in the
    /// start room with [`NEW_PLAYER_COINS`].
    pub async fn player_state(&self, node: u32) -> Result<PlayerState, StoreError> {
        if let Some(hit) = self.cache().state(node) {
            return Ok(hit);
        }
        let ticket = self.cache().ticket();
        let state = self.blocking(move |db| db.player_state(node)).await?;
        self.cache().fill_state(ticket, &state);
        Ok(state)
    }

    /// Replaces a player's state (for `@link me` homes and the like).
    pub async fn set_player_state(&self, state: PlayerState) -> Result<(), StoreError> {
        self.write(Scope::Player(state.node), move |db| {
            db.set_player_state(&state)
        })
        .await
    }

    /// Moves a player into room `to`; refused unless `to` is a room.
    pub async fn move_player(&self, node: u32, to: u64) -> Result<PlayerState, StoreError> {
        self.write(Scope::Player(node), move |db| db.move_player(node, to))
            .await
    }

    /// Moves object `id` to `to`, if it is still in `from` (when given): the object and
    /// the index change together.
    pub async fn move_object(
        &self,
        id: u64,
        from: Option<Place>,
        to: Place,
    ) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.move_object(id, from, to))
            .await
    }

    /// Stores a new object, giving it the next id; returns it with its id.
    pub async fn create_object(&self, object: Object) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.create_object(object))
            .await
    }

    /// Replaces an existing object (its index entry follows a changed location).
    pub async fn update_object(&self, object: Object) -> Result<(), StoreError> {
        self.write(Scope::World, move |db| db.update_object(&object))
            .await
    }

    /// Removes an object. A room must be empty (no things, no exits out of it) and not
    /// the start room; a destroyed thing's contents are left to dangle nowhere.
    pub async fn destroy_object(&self, id: u64) -> Result<Object, StoreError> {
        self.write(Scope::World, move |db| db.destroy_object(id))
            .await
    }

    /// Moves `n` coins from one purse to another, all or nothing.
    pub async fn give_coins(&self, from: u32, to: u32, n: u64) -> Result<(), StoreError> {
        self.write(Scope::Players(from, to), move |db| {
            db.give_coins(from, to, n)
        })
        .await
    }

    /// Builds the seed world if there are no objects yet; true if it did.
    pub async fn seed_world_if_empty(&self, seed: WorldSeed) -> Result<bool, StoreError> {
        self.write(Scope::World, move |db| db.seed_world_if_empty(&seed))
            .await
    }
}
