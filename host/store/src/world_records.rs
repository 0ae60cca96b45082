//! The world's record types (objects, places, locks, each player's place and purse)
//! and their keys. A leaf: the cache, the export and the synchronous store name
//! these types without importing the world's async calls (`world.rs`), which extend
//! the [`Store`](super::handle::Store) handle that holds the cache.

use serde::{Deserialize, Serialize};

use super::records::{node_key, node_label, versioned};

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
