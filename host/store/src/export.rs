//! The JSON-lines export format behind `meshmush export`: one self-describing line per
//! record, tagged with its `record` kind, readable by `jq` and stable across storage changes.
//!
//! ```text
//! {"record":"meta","schema_version":1}
//! {"record":"player","node":6699,"name":"Alice","password_hash":null,"level":"player",...}
//! ```

use serde::Serialize;

use super::bbs_records::{Board, Mail, Post, ReadMarker};
use super::error::StoreError;
use super::records::Player;
use super::world_records::{Object, PlayerState};

/// One export line. New record kinds add a variant here.
#[derive(Serialize)]
#[serde(tag = "record", rename_all = "snake_case")]
enum Line<'a> {
    Meta {
        schema_version: u32,
    },
    Player(&'a Player),
    Object(&'a Object),
    PlayerState(&'a PlayerState),
    Board(&'a Board),
    Post(&'a Post),
    Mail(&'a Mail),
    ReadMarker {
        key: String,
        upto: u64,
        above: Vec<u64>,
    },
}

/// The line describing the data set as a whole; always the first line.
pub(super) fn meta_line(schema_version: u32) -> Result<String, StoreError> {
    to_line(&Line::Meta { schema_version })
}

/// The line for one player.
pub(super) fn player_line(player: &Player) -> Result<String, StoreError> {
    to_line(&Line::Player(player))
}

/// The line for one world object.
pub(super) fn object_line(object: &Object) -> Result<String, StoreError> {
    to_line(&Line::Object(object))
}

/// The line for one player's place and purse.
pub(super) fn player_state_line(state: &PlayerState) -> Result<String, StoreError> {
    to_line(&Line::PlayerState(state))
}

/// The lines for the BBS records.
pub(super) fn board_line(b: &Board) -> Result<String, StoreError> {
    to_line(&Line::Board(b))
}

pub(super) fn post_line(p: &Post) -> Result<String, StoreError> {
    to_line(&Line::Post(p))
}

pub(super) fn mail_line(m: &Mail) -> Result<String, StoreError> {
    to_line(&Line::Mail(m))
}

pub(super) fn marker_line(key: &[u8], m: &ReadMarker) -> Result<String, StoreError> {
    to_line(&Line::ReadMarker {
        key: String::from_utf8_lossy(key).into_owned(),
        upto: m.upto,
        above: m.above.iter().copied().collect(),
    })
}

fn to_line(line: &Line<'_>) -> Result<String, StoreError> {
    serde_json::to_string(line).map_err(|error| StoreError::Export(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Level;

    #[test]
    fn lines_are_tagged() {
        assert_eq!(
            meta_line(1).unwrap(),
            r#"{"record":"meta","schema_version":1}"#
        );
        let player = Player {
            node: 7,
            name: "Ann".into(),
            password_hash: None,
            level: Level::Wizard,
            created: 1,
            last_seen: 2,
            banned: false,
        };
        assert_eq!(
            player_line(&player).unwrap(),
            r#"{"record":"player","node":7,"name":"Ann","password_hash":null,"level":"wizard","created":1,"last_seen":2,"banned":false}"#
        );
    }
}
