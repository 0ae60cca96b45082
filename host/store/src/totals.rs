//! Whole-store figures for the operator (the status page, `/metrics`, `meshmush admin
//! players`) and a player's `stats`: how many players, live posts and unread mails
//! there are, and the players in name order. Read-only; on no command's path but the
//! rare `stats`.

use super::bbs_records::Mail;
use super::bbs_trees::{BOARD_COUNTS, read_count};
use super::error::StoreError;
use super::handle::Store;
use super::records::{Level, Player, decode};

/// Counts over the whole store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub players: u64,
    /// Live posts on all boards (the kept counts, not a scan of the posts).
    pub posts: u64,
    /// Mails not yet read by their recipient.
    pub mail_unread: u64,
}

/// One player as the operator's list shows them: no password, no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerLine {
    pub node: u32,
    pub name: String,
    pub level: Level,
    pub banned: bool,
}

impl Store {
    /// Players, live posts and unread mail. Counting unread mail reads every mail
    /// record, so this is for a scrape every few seconds, not for every command.
    pub async fn totals(&self) -> Result<Totals, StoreError> {
        self.blocking(|db| {
            let players = db.players_count() as u64;
            let posts = db
                .tree(BOARD_COUNTS)?
                .iter()
                .values()
                .map(|v| v.map(|v| read_count(Some(v))))
                .sum::<Result<u64, _>>()?;
            let mut mail_unread = 0;
            for item in db.tree_of::<Mail>()?.iter() {
                let (k, v) = item?;
                if !decode::<Mail>(&k, &v)?.read {
                    mail_unread += 1;
                }
            }
            Ok(Totals {
                players,
                posts,
                mail_unread,
            })
        })
        .await
    }

    /// Up to `limit` players, in node order.
    pub async fn player_lines(&self, limit: usize) -> Result<Vec<PlayerLine>, StoreError> {
        self.blocking(move |db| {
            db.tree_of::<Player>()?
                .iter()
                .take(limit)
                .map(|item| {
                    let (k, v) = item?;
                    let p = decode::<Player>(&k, &v)?;
                    Ok(PlayerLine {
                        node: p.node,
                        name: p.name,
                        level: p.level,
                        banned: p.banned,
                    })
                })
                .collect()
        })
        .await
    }
}
