//! The records the store keeps, each behind a version envelope so that a later
//! meshmush can read what an earlier one wrote (and migrate it).

use serde::{Deserialize, Serialize};

use super::StoreError;

/// Rights of a player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub enum Level {
    #[default]
    Player,
    Builder,
    Wizard,
}

/// A player: one per node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub node: u32,
    pub name: String,
    /// argon2 PHC string.
    pub password_hash: Option<String>,
    pub level: Level,
    /// Seconds since the epoch.
    pub created: u64,
    pub last_seen: u64,
    pub banned: bool,
}

/// The on-disk form of a player, by version.
#[derive(Debug, Serialize, Deserialize)]
enum PlayerRecord {
    V1(Player),
}

pub(crate) fn encode_player(p: &Player) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(&PlayerRecord::V1(p.clone())).map_err(|e| StoreError::Corrupt {
        tree: "players",
        key: format!("{:#010x}", p.node),
        reason: format!("cannot encode: {e}"),
    })
}

pub(crate) fn decode_player(key: &[u8], bytes: &[u8]) -> Result<Player, StoreError> {
    match postcard::from_bytes::<PlayerRecord>(bytes) {
        Ok(PlayerRecord::V1(p)) => Ok(p),
        Err(e) => Err(StoreError::Corrupt {
            tree: "players",
            key: hex(key),
            reason: e.to_string(),
        }),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Words no player may be called (they mean something in commands).
const RESERVED: &[&str] = &["here", "me", "home", "all", "everyone", "wizard", "admin", "you", "nobody"];

/// True for names reserved by the game, case-insensitively.
pub fn is_reserved_name(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    RESERVED.contains(&lower.as_str())
}

/// Longest player name, in characters.
pub const MAX_NAME_CHARS: usize = 24;

/// A usable name from what a node calls itself: control characters dropped, inner
/// whitespace collapsed, at most [`MAX_NAME_CHARS`]; reserved or empty names become
/// `Node` and the node's last four hex digits.
pub fn sanitise_name(wanted: &str, node: u32) -> String {
    let cleaned: String = wanted
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || is_reserved_name(&cleaned) {
        format!("Node{:04x}", node & 0xFFFF)
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(sanitise_name("  Ada   Lovelace ", 1), "Ada Lovelace");
        assert_eq!(sanitise_name("me", 0x1a2b), "Node1a2b");
        assert_eq!(sanitise_name("\u{7}", 0xbeef), "Nodebeef");
        assert_eq!(sanitise_name(&"x".repeat(40), 1).chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let e = decode_player(&[0, 0, 0, 1], &[0xFF, 0xFF, 0xFF]).unwrap_err();
        assert!(matches!(e, StoreError::Corrupt { tree: "players", .. }), "{e}");
    }
}
