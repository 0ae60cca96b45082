//! Records as they are stored: plain serde structs, each written inside a version
//! envelope so the on-disk format can grow without a flag day.
//!
//! Encoding is postcard, which is compact but not self-describing: the bytes carry no
//! field names, so a struct that has been written to disk must never change shape.
//! To change [`Player`], freeze today's struct as `PlayerV1`, add the new shape, add a
//! `PlayerRecord::V2` variant *at the end* (postcard numbers variants by position), and
//! convert old variants in [`Versioned::from_envelope`]. Old data then reads as the new
//! type, and is rewritten in the new version the next time it is saved. The same rule
//! holds for [`Level`]: new levels go at the end.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::StoreError;

/// One player, keyed by the Meshtastic node number they talk from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    /// The node number (`!1a2b3c4d` in Meshtastic's notation).
    pub node: u32,
    /// Display name; unique across players, compared case-insensitively.
    pub name: String,
    /// Password hash (PHC string), if the player set a password.
    pub password_hash: Option<String>,
    /// What the player may do.
    pub level: Level,
    /// When the player was created, in Unix seconds.
    pub created: u64,
    /// When the player was last heard from, in Unix seconds.
    pub last_seen: u64,
    /// Banned players are ignored.
    pub banned: bool,
}

/// A player's rights, in increasing order: `Level::Player < Level::Wizard`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Plays, talks, reads and posts.
    #[default]
    Player,
    /// May also build rooms, exits and objects.
    Builder,
    /// May also administer players and the world.
    Wizard,
}

/// The envelope a [`Player`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum PlayerRecord {
    V1(Player),
}

/// A record kind with a tree of its own and a version envelope around it.
///
/// New record kinds (rooms, mail, posts) implement this and get [`encode`], [`decode`]
/// and the store's generic `get` for free.
pub(super) trait Versioned: Sized {
    /// The sled tree this kind lives in.
    const TREE: &'static str;
    /// The enum of every version ever written.
    type Envelope: Serialize + DeserializeOwned;
    /// Wraps the record in the current version.
    fn to_envelope(&self) -> Self::Envelope;
    /// Unwraps (and upgrades) any version.
    fn from_envelope(envelope: Self::Envelope) -> Self;
    /// A readable form of a key, for error messages.
    fn key_label(key: &[u8]) -> String {
        hex(key)
    }
}

/// Implements [`Versioned`] for a record whose envelope enum has had one version
/// (`V1`) so far; `key_label` optionally names a function that prints keys.
macro_rules! versioned {
    ($ty:ty, $env:ident, $tree:literal $(, key_label = $label:path)?) => {
        impl $crate::records::Versioned for $ty {
            const TREE: &'static str = $tree;
            type Envelope = $env;
            fn to_envelope(&self) -> $env {
                $env::V1(self.clone())
            }
            fn from_envelope(envelope: $env) -> Self {
                match envelope {
                    $env::V1(record) => record,
                }
            }
            $(
                fn key_label(key: &[u8]) -> String {
                    $label(key)
                }
            )?
        }
    };
}
pub(super) use versioned;

versioned!(Player, PlayerRecord, "players", key_label = node_label);

/// A node key as Meshtastic prints node ids (`!1234abcd`).
pub(super) fn node_label(key: &[u8]) -> String {
    match <[u8; 4]>::try_from(key) {
        Ok(bytes) => format!("!{:08x}", u32::from_be_bytes(bytes)),
        Err(_) => hex(key),
    }
}

/// The key of a node's record: big-endian, so trees iterate in node order.
pub(super) fn node_key(node: u32) -> [u8; 4] {
    node.to_be_bytes()
}

/// Encodes `record` in its current version envelope.
pub(super) fn encode<R: Versioned>(key: &[u8], record: &R) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(&record.to_envelope()).map_err(|error| StoreError::Corrupt {
        tree: R::TREE,
        key: R::key_label(key),
        reason: format!("cannot encode: {error}"),
    })
}

/// Decodes bytes read from disk. Anything that is not exactly one envelope (unknown
/// version, truncated, trailing bytes, invalid UTF-8) is [`StoreError::Corrupt`].
pub(super) fn decode<R: Versioned>(key: &[u8], bytes: &[u8]) -> Result<R, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        tree: R::TREE,
        key: R::key_label(key),
        reason,
    };
    let (envelope, rest) =
        postcard::take_from_bytes::<R::Envelope>(bytes).map_err(|e| corrupt(e.to_string()))?;
    if !rest.is_empty() {
        return Err(corrupt(format!("{} unexpected trailing bytes", rest.len())));
    }
    Ok(R::from_envelope(envelope))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> Player {
        Player {
            node: 0x1a2b,
            name: "Alice".into(),
            password_hash: None,
            level: Level::Builder,
            created: 10,
            last_seen: 20,
            banned: false,
        }
    }

    #[test]
    fn round_trips() {
        let key = node_key(0x1a2b);
        let bytes = encode(&key, &alice()).unwrap();
        assert_eq!(decode::<Player>(&key, &bytes).unwrap(), alice());
    }

    #[test]
    fn the_envelope_tag_comes_first() {
        let bytes = encode(&node_key(1), &alice()).unwrap();
        assert_eq!(bytes[0], 0, "V1 is variant 0");
    }

    #[test]
    fn garbage_and_trailing_bytes_are_corrupt() {
        let key = node_key(0x1a2b);
        let mut bytes = encode(&key, &alice()).unwrap();
        bytes.push(0);
        for bad in [&bytes[..], &[0xff, 0xff, 0xff][..], &[][..]] {
            match decode::<Player>(&key, bad) {
                Err(StoreError::Corrupt { tree, key, .. }) => {
                    assert_eq!((tree, key.as_str()), ("players", "!00001a2b"));
                }
                other => panic!("expected Corrupt, got {other:?}"),
            }
        }
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::Player < Level::Builder && Level::Builder < Level::Wizard);
    }
}
