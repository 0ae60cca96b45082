//! `search` over posts: bounded work, whatever the number of posts stored, since it
//! reads at most [`SEARCH_SCAN`] of them, newest first. (The counts `stats` shows are
//! the operator's [`Totals`](super::Totals).)

use super::bbs_records::Post;
use super::bbs_trees::post_prefix;
use super::error::StoreError;
use super::handle::Store;
use super::records::decode;

/// Posts a search reads at most, across the boards searched.
pub const SEARCH_SCAN: usize = 5_000;

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
                let (mut read, mut hits) = (0, 0);
                for entry in tree.scan_prefix(post_prefix(board)).rev() {
                    if hits == limit {
                        // This board's newest `limit` finds are in hand: older ones
                        // would be cut below.
                        break;
                    }
                    if read == share {
                        found.capped = true;
                        break;
                    }
                    read += 1;
                    let (k, v) = entry?;
                    let post: Post = decode(&k, &v)?;
                    if matches(&post, &words) {
                        found.posts.push(post);
                        hits += 1;
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
