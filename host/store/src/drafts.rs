//! Drafts: a post or mail being written over several messages (`post BOARD`, `mail
//! NAME` with no text). Each line is on disk as soon as it is taken, so a daemon
//! restart loses nothing of it; a draft left idle past `bbs.draft_idle_mins` is
//! dropped when its author is next heard.
//!
//! | tree     | key              | value                             |
//! |----------|------------------|-----------------------------------|
//! | `drafts` | node (`u32` BE)  | postcard `DraftRecord::V1(Draft)` |

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::{node_key, node_label, versioned};

/// What a draft becomes when it is finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftTarget {
    /// A post on this board.
    Post { board: String },
    /// Mail to this player.
    Mail { to: u32, to_name: String },
}

/// One player's unfinished post or mail (at most one each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub node: u32,
    pub target: DraftTarget,
    /// `None` while the subject is still being asked for.
    pub subject: Option<String>,
    /// The lines taken so far, joined by `\n`.
    pub body: String,
    /// Unix seconds: started, and last added to.
    pub started: u64,
    pub touched: u64,
}

/// The envelope a [`Draft`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum DraftRecord {
    V1(Draft),
}

versioned!(Draft, DraftRecord, "drafts", key_label = node_label);

impl Store {
    /// `node`'s draft, if they are writing one.
    pub async fn draft(&self, node: u32) -> Result<Option<Draft>, StoreError> {
        self.blocking(move |db| super::disk::get::<Draft>(&db.tree_of::<Draft>()?, &node_key(node)))
            .await
    }

    /// Saves `draft` (replacing the player's previous one), durably when the store
    /// flushes writes: a line the player was told was taken survives a crash.
    pub async fn put_draft(&self, draft: Draft) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let key = node_key(draft.node);
            db.tree_of::<Draft>()?
                .insert(key, super::records::encode(&key, &draft)?)?;
            db.flush_if_configured()
        })
        .await
    }

    /// Forgets `node`'s draft (posted, sent, cancelled or expired).
    pub async fn delete_draft(&self, node: u32) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.tree_of::<Draft>()?.remove(node_key(node))?;
            db.flush_if_configured()
        })
        .await
    }
}
