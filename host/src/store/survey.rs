//! Questions about the whole BBS rather than one record: the counts `stats` shows, and
//! `search` over posts. Both are bounded: counts read key lists (no post is decoded),
//! and a search reads at most [`SEARCH_SCAN`] posts, newest first, whatever the
//! number of posts stored.

use super::bbs::{BOARD_COUNTS, post_prefix, read_count};
use super::records::decode;
use super::{Mail, Player, Post, Store, StoreError};

/// Posts a search reads at most, across the boards searched.
pub const SEARCH_SCAN: usize = 5_000;

/// What `stats` counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub players: u64,
    pub posts: u64,
    /// Mail not yet read by its recipient.
    pub mail_unread: u64,
}

/// A search's finds, newest first, and whether it stopped at [`SEARCH_SCAN`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub posts: Vec<Post>,
    pub scanned: usize,
    pub capped: bool,
}

/// True if every one of `words` (lowercase) is in the post's subject or text.
fn matches(post: &Post, words: &[String]) -> bool {
    let subject = post.subject.to_lowercase();
    let text = post.text.to_lowercase();
    words
        .iter()
        .all(|w| subject.contains(w.as_str()) || text.contains(w.as_str()))
}

impl Store {
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        self.blocking(|db| {
            let players = db.tree_of::<Player>()?.len() as u64;
            let mut posts = 0;
            for entry in db.tree(BOARD_COUNTS)?.iter() {
                posts += read_count(Some(entry?.1));
            }
            let mut mail_unread = 0;
            for entry in db.tree_of::<Mail>()?.iter() {
                let (k, v) = entry?;
                if !decode::<Mail>(&k, &v)?.read {
                    mail_unread += 1;
                }
            }
            Ok(Counts {
                players,
                posts,
                mail_unread,
            })
        })
        .await
    }

    /// The newest posts on `boards` whose subject or text holds every one of `words`
    /// (any case), at most `limit`, reading at most [`SEARCH_SCAN`] posts: each board
    /// gets an equal share of the scan, newest posts first.
    pub async fn search_posts(
        &self,
        boards: Vec<String>,
        words: Vec<String>,
        limit: usize,
    ) -> Result<Found, StoreError> {
        self.blocking(move |db| {
            let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let tree = db.tree_of::<Post>()?;
            let share = SEARCH_SCAN / boards.len().max(1);
            let mut found = Found::default();
            for board in &boards {
                let mut read = 0;
                for entry in tree.scan_prefix(post_prefix(board)).rev() {
                    if read == share {
                        found.capped = true;
                        break;
                    }
                    read += 1;
                    let (k, v) = entry?;
                    let post: Post = decode(&k, &v)?;
                    if matches(&post, &words) {
                        found.posts.push(post);
                    }
                }
                found.scanned += read;
            }
            found
                .posts
                .sort_by(|a, b| b.time.cmp(&a.time).then(b.num.cmp(&a.num)));
            found.posts.truncate(limit);
            Ok(found)
        })
        .await
    }
}
