//! A player's MUSH habits, kept apart from the account record so that [`Player`]'s
//! stored shape never has to change for them: do-not-disturb and its away message,
//! `nospoof`, the `@doing` line, and the language the player reads (`lang CODE`).
//! One small record per node in a tree of its own; a node with none has the defaults
//! (everything off, the BBS's language).
//!
//! [`Player`]: super::records::Player

use serde::{Deserialize, Serialize};

use super::disk::get;
use super::error::StoreError;
use super::handle::Store;
use super::records::{Versioned, encode, node_key, node_label};

/// What a player has switched on for themself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Habits {
    pub node: u32,
    /// Do not disturb: pages are kept for later, and the pager gets this message
    /// (empty: no message of their own).
    pub dnd: Option<String>,
    /// Room chatter caused by another player arrives with `[Name] ` in front.
    pub nospoof: bool,
    /// What `finger` shows they are doing (`@doing TEXT`).
    pub doing: Option<String>,
    /// The code of the language they picked (`lang de`); `None`: the BBS's default.
    /// A code, not an index, so a language dropped from a later build reads as none.
    pub lang: Option<String>,
}

/// [`Habits`] as first stored, before players picked a language.
#[derive(Serialize, Deserialize)]
pub(super) struct HabitsV1 {
    node: u32,
    dnd: Option<String>,
    nospoof: bool,
    doing: Option<String>,
}

/// The envelope a [`Habits`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum HabitsRecord {
    V1(HabitsV1),
    V2(Habits),
}

impl Versioned for Habits {
    const TREE: &'static str = "habits";
    type Envelope = HabitsRecord;
    fn to_envelope(&self) -> HabitsRecord {
        HabitsRecord::V2(self.clone())
    }
    fn from_envelope(envelope: HabitsRecord) -> Self {
        match envelope {
            HabitsRecord::V1(h) => Habits {
                node: h.node,
                dnd: h.dnd,
                nospoof: h.nospoof,
                doing: h.doing,
                lang: None,
            },
            HabitsRecord::V2(h) => h,
        }
    }
    fn key_label(key: &[u8]) -> String {
        node_label(key)
    }
}

impl Store {
    /// `node`'s habits; the defaults when they set none.
    pub async fn habits(&self, node: u32) -> Result<Habits, StoreError> {
        self.blocking(move |db| {
            let tree = db.tree_of::<Habits>()?;
            Ok(get(&tree, &node_key(node))?.unwrap_or(Habits {
                node,
                ..Habits::default()
            }))
        })
        .await
    }

    /// Replaces `habits.node`'s habits.
    pub async fn set_habits(&self, habits: Habits) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let key = node_key(habits.node);
            db.tree_of::<Habits>()?
                .insert(key, encode(&key, &habits)?)?;
            db.flush_if_configured()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    #[tokio::test]
    async fn habits_default_off_and_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .expect("store");
        let none = store.habits(7).await.expect("read");
        assert_eq!(
            none,
            Habits {
                node: 7,
                ..Habits::default()
            }
        );
        let set = Habits {
            node: 7,
            dnd: Some("back at six".into()),
            nospoof: true,
            doing: Some("fishing".into()),
            lang: Some("de".into()),
        };
        store.set_habits(set.clone()).await.expect("write");
        assert_eq!(store.habits(7).await.expect("read"), set);
        assert_eq!(store.habits(8).await.expect("read").dnd, None);
    }

    #[test]
    fn habits_stored_before_languages_read_with_none() {
        let v1 = HabitsRecord::V1(HabitsV1 {
            node: 7,
            dnd: None,
            nospoof: true,
            doing: Some("fishing".into()),
        });
        let bytes = postcard::to_stdvec(&v1).expect("encode");
        let read: Habits = crate::records::decode(&node_key(7), &bytes).expect("decode");
        assert_eq!(read.lang, None);
        assert!(read.nospoof);
        assert_eq!(read.doing.as_deref(), Some("fishing"));
    }
}
