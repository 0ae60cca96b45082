//! The starter world as data: `host/data/world.toml`, embedded in the binary and
//! parsed here. The store builds it on first run (see `Store::seed_world_if_empty`).

use serde::Deserialize;

/// The embedded starter world.
pub const STARTER_TOML: &str = include_str!("../../data/world.toml");

/// A world to build into an empty store. The first room is the start and default home.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldSeed {
    pub rooms: Vec<RoomSeed>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomSeed {
    /// How exits in this file name the room.
    pub key: String,
    pub name: String,
    pub short: String,
    pub long: String,
    #[serde(default)]
    pub exits: Vec<ExitSeed>,
    #[serde(default)]
    pub things: Vec<ThingSeed>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitSeed {
    /// `north;n`: the name, then aliases.
    pub name: String,
    /// The `key` of the room it leads to.
    pub to: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThingSeed {
    /// `lamp;lantern`: the name, then aliases.
    pub name: String,
    pub short: String,
    #[serde(default)]
    pub long: String,
}

/// A seed file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("world seed: {0}")]
    Parse(String),
    #[error("world seed: exit {exit:?} in room {room:?} leads to unknown room {to:?}")]
    UnknownRoom {
        room: String,
        exit: String,
        to: String,
    },
    #[error("world seed: it has no rooms")]
    Empty,
}

impl WorldSeed {
    /// Parses and checks a seed.
    pub fn from_toml(text: &str) -> Result<Self, SeedError> {
        let seed: WorldSeed = toml::from_str(text).map_err(|e| SeedError::Parse(e.to_string()))?;
        if seed.rooms.is_empty() {
            return Err(SeedError::Empty);
        }
        for room in &seed.rooms {
            for exit in &room.exits {
                if seed.room_index(&exit.to).is_none() {
                    return Err(SeedError::UnknownRoom {
                        room: room.key.clone(),
                        exit: exit.name.clone(),
                        to: exit.to.clone(),
                    });
                }
            }
        }
        Ok(seed)
    }

    /// The embedded starter world.
    pub fn starter() -> Result<Self, SeedError> {
        Self::from_toml(STARTER_TOML)
    }

    /// The position of the room called `key`.
    pub fn room_index(&self, key: &str) -> Option<usize> {
        self.rooms.iter().position(|r| r.key == key)
    }
}

/// Splits `north;n` into the name and its aliases, trimmed, empties dropped.
pub fn split_names(spec: &str) -> (String, Vec<String>) {
    let mut parts = spec
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let name = parts.next().unwrap_or_default();
    (name, parts.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_world_parses_and_its_exits_pair_up() {
        let seed = WorldSeed::starter().unwrap();
        assert!(seed.rooms.len() >= 10);
        for room in &seed.rooms {
            for exit in &room.exits {
                let to = &seed.rooms[seed.room_index(&exit.to).unwrap()];
                assert!(
                    to.exits.iter().any(|e| e.to == room.key),
                    "{} -> {} has no way back",
                    room.key,
                    to.key
                );
            }
            assert!(room.short.len() < 120, "{} short desc is long", room.key);
        }
    }

    #[test]
    fn names_split() {
        assert_eq!(split_names("north; n;"), ("north".into(), vec!["n".into()]));
    }
}
