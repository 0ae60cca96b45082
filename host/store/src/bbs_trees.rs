//! Where the BBS's records live in sled: the keys of boards, posts, read markers and
//! mail, each board's live-post count, and removing posts together with that count. A
//! leaf below the BBS calls (`bbs.rs`), federation (which removes synced posts), bulk
//! loads and the totals, so none of them imports another for a key.

use super::bbs_records::Post;
use super::disk::{DiskStore, from_tx};
use super::error::StoreError;
use super::records::node_key;

/// Live posts per board (key: board), kept in step with the posts tree inside the
/// same transactions, so `boards` need not count a whole board.
pub(super) const BOARD_COUNTS: &str = "board_counts";
pub(super) fn read_count(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
        .map_or(0, u64::from_be_bytes)
}

/// Removes posts (by key) of one board and lowers its count, in one transaction.
pub(super) fn remove_post_keys(
    db: &DiskStore,
    board: &str,
    keys: &[sled::IVec],
) -> Result<usize, StoreError> {
    use sled::Transactional;
    if keys.is_empty() {
        return Ok(0);
    }
    let posts = db.tree_of::<Post>()?;
    let counts = db.tree(BOARD_COUNTS)?;
    let bkey = board_key(board);
    let result = (&posts, &counts).transaction(|(posts, counts)| {
        let mut gone = 0u64;
        for key in keys {
            gone += u64::from(posts.remove(key.as_ref())?.is_some());
        }
        let left = read_count(counts.get(&bkey)?).saturating_sub(gone);
        counts.insert(bkey.as_slice(), &left.to_be_bytes())?;
        Ok(gone as usize)
    });
    result.map_err(from_tx)
}

pub(super) fn board_key(name: &str) -> Vec<u8> {
    name.to_lowercase().into_bytes()
}

pub(super) fn post_prefix(board: &str) -> Vec<u8> {
    let mut k = board_key(board);
    k.push(0);
    k
}

pub(super) fn post_key(board: &str, num: u64) -> Vec<u8> {
    let mut k = post_prefix(board);
    k.extend_from_slice(&num.to_be_bytes());
    k
}

pub(super) fn marker_key(node: u32, board: &str) -> Vec<u8> {
    let mut k = node_key(node).to_vec();
    k.extend_from_slice(&board_key(board));
    k
}

pub(super) fn mail_key(to: u32, id: u64) -> Vec<u8> {
    let mut k = node_key(to).to_vec();
    k.extend_from_slice(&id.to_be_bytes());
    k
}
