//! What the BBS keeps about nodes that have never used it: mail waiting for them
//! (mailed by node id or by the name in the node database), and which were greeted. The record says when the node was last told, so the
//! "you have mail" DM goes at most once a day per node, across restarts. The entry
//! goes when the node's player is made (its mail is then announced as any player's).
//!
//! | tree           | key              | value                              |
//! |----------------|------------------|------------------------------------|
//! | `mail_waiting` | node (`u32` BE)  | last told, Unix seconds (`u64` BE) |
//! | `greeted`      | node (`u32` BE)  | when greeted, Unix seconds (`u64` BE) |

use super::bbs_trees::read_count;
use super::disk::DiskStore;
use super::error::StoreError;
use super::handle::Store;
use super::records::node_key;

pub(super) const MAIL_WAITING: &str = "mail_waiting";
/// A node that never used the BBS is told of its waiting mail at most this often.
pub const MAIL_TOLD_EVERY_SECS: u64 = 86_400;
pub(super) const GREETED: &str = "greeted";

/// Records that `node` has mail waiting, unless it already had (never told yet: 0).
pub(super) fn mark_waiting(db: &DiskStore, node: u32) -> Result<(), StoreError> {
    let tree = db.tree(MAIL_WAITING)?;
    tree.compare_and_swap(node_key(node), None::<&[u8]>, Some(&0u64.to_be_bytes()[..]))?
        .ok();
    Ok(())
}

impl Store {
    /// Records that `node`, which has no player, has mail waiting.
    pub async fn mark_mail_waiting(&self, node: u32) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            mark_waiting(db, node)?;
            db.flush_if_configured()
        })
        .await
    }

    /// When `node` was last told of its waiting mail (`Some(0)`: never), or `None` if
    /// no mail waits for it.
    pub async fn mail_waiting(&self, node: u32) -> Result<Option<u64>, StoreError> {
        self.blocking(move |db| {
            let v = db.tree(MAIL_WAITING)?.get(node_key(node))?;
            Ok(v.map(|v| read_count(Some(v))))
        })
        .await
    }

    /// Records that `node` is told of its mail at `at`, unless it was told within
    /// [`MAIL_TOLD_EVERY_SECS`]; true when it was recorded (so the caller tells it).
    /// One read and write under the tree's compare-and-swap: of two callers at once,
    /// one tells.
    pub async fn claim_mail_told(&self, node: u32, at: u64) -> Result<bool, StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree(MAIL_WAITING)?;
            let key = node_key(node);
            let old = tree.get(key)?;
            let told = read_count(old.clone());
            if old.is_none() || (told != 0 && at.saturating_sub(told) < MAIL_TOLD_EVERY_SECS) {
                return Ok(false);
            }
            let claimed = tree
                .compare_and_swap(key, old, Some(&at.to_be_bytes()[..]))?
                .is_ok();
            db.flush_if_configured()?;
            Ok(claimed)
        })
        .await
    }

    /// Records that `node` was told of its mail at `at`.
    pub async fn mail_told(&self, node: u32, at: u64) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.tree(MAIL_WAITING)?
                .insert(node_key(node), &at.to_be_bytes()[..])?;
            db.flush_if_configured()
        })
        .await
    }

    /// Forgets that mail waits for `node` (its player exists now, or it has none).
    pub async fn clear_mail_waiting(&self, node: u32) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.tree(MAIL_WAITING)?.remove(node_key(node))?;
            Ok(())
        })
        .await
    }

    /// Records that `node` is greeted at `at`, unless it was before: true if this
    /// call recorded it (the one caller that may greet it). Durable before it
    /// returns, so a node is never greeted twice, even across a crash.
    pub async fn greet_once(&self, node: u32, at: u64) -> Result<bool, StoreError> {
        self.blocking_write(move |db| {
            let first = db
                .tree(GREETED)?
                .compare_and_swap(node_key(node), None::<&[u8]>, Some(&at.to_be_bytes()[..]))?
                .is_ok();
            if first {
                db.flush()?;
            }
            Ok(first)
        })
        .await
    }

    /// Whether `node` was greeted.
    pub async fn greeted(&self, node: u32) -> Result<bool, StoreError> {
        self.blocking(move |db| Ok(db.tree(GREETED)?.contains_key(node_key(node))?))
            .await
    }
}
