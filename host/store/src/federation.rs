//! What BBS-to-BBS sync keeps: which network-wide ids (`unique_id`) this BBS holds and
//! where, the per-peer outboxes, and each peer's marks and counts. Every change that
//! goes with a post or a mail (the record, its id, the outbox entries) is written in
//! the same sled transaction, so after a crash all of it is there or none.
//!
//! | tree         | key                      | value                                |
//! |--------------|--------------------------|--------------------------------------|
//! | `sync_ids`   | unique id (UTF-8)        | postcard `SyncIdRecord` (where held) |
//! | `sync_uids`  | `p` post key / `m` mail key | unique id (UTF-8)                 |
//! | `sync_out`   | peer (BE) ++ seq (BE)    | postcard `QueuedRecord` (a `SyncItem`)|
//! | `sync_peers` | peer (BE)                | postcard `PeerStateRecord`           |
//!
//! A unique id stays in `sync_ids` after its item is deleted (as `Gone`), so a repeat,
//! a replay or a loop through a third BBS never brings it back.

use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

use super::bbs_records::{Mail, Post};
use super::bbs_trees::{mail_key, post_key, remove_post_keys};
use super::disk::{DiskStore, abort, get, tx_get};
use super::error::StoreError;
use super::handle::{Store, SyncPeers};
use super::records::{encode, node_key};
use crate::sync_item::SyncItem;

pub use super::federation_records::{Held, PeerState, SyncId};

pub(super) const SYNC_UIDS: &str = "sync_uids";

/// The local key a unique id is found under, for deleting by local record.
pub(super) fn post_ref(board: &str, num: u64) -> Vec<u8> {
    let mut k = b"p".to_vec();
    k.extend_from_slice(&post_key(board, num));
    k
}

pub(super) fn mail_ref(to: u32, id: u64) -> Vec<u8> {
    let mut k = b"m".to_vec();
    k.extend_from_slice(&mail_key(to, id));
    k
}

fn out_key(peer: u32, seq: u64) -> Vec<u8> {
    let mut k = node_key(peer).to_vec();
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// The sync trees, opened for one transaction.
pub(super) struct SyncTrees {
    pub ids: sled::Tree,
    pub uids: sled::Tree,
    pub out: sled::Tree,
    pub peers: sled::Tree,
}

impl DiskStore {
    pub(super) fn sync_trees(&self) -> Result<SyncTrees, StoreError> {
        Ok(SyncTrees {
            ids: self.tree_of::<SyncId>()?,
            uids: self.tree(SYNC_UIDS)?,
            out: self.tree_of::<SyncItem>()?,
            peers: self.tree_of::<PeerState>()?,
        })
    }
}

/// What a write does for sync, inside its transaction.
#[derive(Debug, Clone)]
pub(super) struct SyncWrite {
    pub uid: String,
    /// The peer it came from (`None`: written here).
    pub origin: Option<u32>,
    /// Peers to queue it for.
    pub to: Vec<u32>,
    pub time: u64,
    /// The most items a peer's outbox holds; past it the oldest unsent one goes.
    pub cap: u64,
    /// Mail routed to this one peer alone: a route is recorded, so the mail goes to
    /// every peer if that one does not confirm it (see `routing.rs`).
    pub via: Option<u32>,
}

/// The sync trees' views inside one transaction.
pub(super) struct SyncTx<'a> {
    pub ids: &'a TransactionalTree,
    pub uids: &'a TransactionalTree,
    pub out: &'a TransactionalTree,
    pub peers: &'a TransactionalTree,
}

impl SyncTx<'_> {
    /// Whether `uid` has been seen here.
    pub fn known(&self, uid: &str) -> ConflictableTransactionResult<bool, StoreError> {
        Ok(self.ids.get(uid.as_bytes())?.is_some())
    }

    /// Records `uid` as held at `held` under local key `local`.
    pub fn record(
        &self,
        w: &SyncWrite,
        held: Held,
        local: &[u8],
    ) -> ConflictableTransactionResult<(), StoreError> {
        let id = SyncId {
            held,
            origin: w.origin,
            time: w.time,
        };
        let key = w.uid.as_bytes();
        self.ids.insert(key, encode(key, &id).map_err(abort)?)?;
        self.uids.insert(local, key)?;
        Ok(())
    }

    /// Puts `item` in the outbox of every peer `w` names but the one it came from;
    /// each peer with the sequence number the item got there.
    pub fn queue(
        &self,
        w: &SyncWrite,
        item: &SyncItem,
    ) -> ConflictableTransactionResult<Vec<(u32, u64)>, StoreError> {
        let mut queued = Vec::new();
        for &peer in w.to.iter().filter(|p| Some(**p) != w.origin) {
            let pkey = node_key(peer);
            let mut st: PeerState = tx_get(self.peers, &pkey)?.unwrap_or_default();
            st.next_seq = st.next_seq.max(1);
            let key = out_key(peer, st.next_seq);
            self.out
                .insert(key.as_slice(), encode(&key, item).map_err(abort)?)?;
            queued.push((peer, st.next_seq));
            st.next_seq += 1;
            if st.queued() > w.cap {
                // A peer away for long: its oldest unsent item goes, and it will be
                // told to skip it.
                let oldest = st.acked_upto.max(st.floor) + 1;
                self.out.remove(out_key(peer, oldest))?;
                st.floor = oldest;
                st.dropped += 1;
            }
            self.peers
                .insert(&pkey[..], encode(&pkey, &st).map_err(abort)?)?;
        }
        Ok(queued)
    }

    /// The unique id of the local record under `local`, marked gone; `None` if the
    /// record never took part in sync.
    pub fn forget(
        &self,
        local: &[u8],
    ) -> ConflictableTransactionResult<Option<String>, StoreError> {
        let Some(uid) = self.uids.remove(local)? else {
            return Ok(None);
        };
        let Some(mut id) = tx_get::<SyncId>(self.ids, &uid)? else {
            return Ok(None);
        };
        id.held = Held::Gone;
        self.ids.insert(&uid, encode(&uid, &id).map_err(abort)?)?;
        Ok(Some(String::from_utf8_lossy(&uid).into_owned()))
    }
}

/// What an incoming deletion did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    /// The item was here and is gone now.
    Deleted,
    /// Already deleted (a repeat).
    AlreadyGone,
    /// Never seen: remembered, so the item is not taken if it arrives later.
    Unknown,
    /// The id names the other kind (a mail id in a bulletin deletion).
    WrongKind,
    /// The item did not come from the peer asking (a local post, or another peer's):
    /// a peer deletes only what it sent us.
    NotTheirs,
}

impl Store {
    /// Stores a post that came from peer `origin` as `uid`, unless that id has been
    /// seen here (then `None`, and nothing is written). Not queued for anyone.
    pub async fn receive_post(
        &self,
        post: Post,
        keep: usize,
        uid: String,
        origin: u32,
    ) -> Result<Option<Post>, StoreError> {
        let sync = SyncWrite {
            uid,
            origin: Some(origin),
            to: Vec::new(),
            time: post.time,
            cap: u64::MAX,
            via: None,
        };
        self.put_post(post, keep, Some(sync)).await
    }

    /// Stores a mail that came from peer `origin` as `uid`, unless that id has been
    /// seen here (then `None`, and nothing is written).
    pub async fn receive_mail(
        &self,
        mail: Mail,
        uid: String,
        origin: u32,
    ) -> Result<Option<Mail>, StoreError> {
        self.blocking_write(move |db| {
            let sync = SyncWrite {
                uid,
                origin: Some(origin),
                to: Vec::new(),
                time: mail.time,
                cap: u64::MAX,
                via: None,
            };
            let stored = insert_mail(db, mail, Some(&sync))?;
            db.flush_if_configured()?;
            Ok(stored)
        })
        .await
    }

    /// From now on, every post, reply, mail to a node with no player here, and
    /// deletion of a synced item is queued for these peers (set once, at start), each
    /// outbox holding at most `outbox_max` items: past it the oldest unsent one is
    /// dropped (counted in [`PeerState::dropped`]). Mail may be routed to one of
    /// `routable` (the meshmush peers) instead of all (see `routing.rs`).
    pub fn set_sync_peers(&self, peers: Vec<u32>, routable: Vec<u32>, outbox_max: u64) {
        let _ = self.inner.sync_peers.set(SyncPeers {
            all: peers,
            routable,
            cap: outbox_max.max(1),
        });
    }

    /// The sync peers, as set at start (none if never set).
    pub(super) fn sync_setup(&self) -> SyncPeers {
        self.inner.sync_peers.get().cloned().unwrap_or(SyncPeers {
            all: Vec::new(),
            routable: Vec::new(),
            cap: u64::MAX,
        })
    }

    /// The most items a peer's outbox holds.
    pub(super) fn outbox_cap(&self) -> u64 {
        self.inner.sync_peers.get().map_or(u64::MAX, |p| p.cap)
    }

    /// The peers local writes are queued for.
    pub(super) fn sync_peers(&self) -> Vec<u32> {
        self.inner
            .sync_peers
            .get()
            .map(|p| p.all.clone())
            .unwrap_or_default()
    }

    /// Notified whenever something is queued for the sync peers.
    pub fn sync_wake(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.inner.sync_wake.clone()
    }

    /// Wakes the sync task (after a write that may have queued something).
    pub(super) fn queued_for_sync(&self) {
        if self
            .inner
            .sync_peers
            .get()
            .is_some_and(|p| !p.all.is_empty())
        {
            self.inner.sync_wake.notify_one();
        }
    }

    /// Where `uid` is held here, if it has been seen.
    pub async fn sync_id(&self, uid: String) -> Result<Option<SyncId>, StoreError> {
        self.blocking(move |db| get(&db.tree_of::<SyncId>()?, uid.as_bytes()))
            .await
    }

    /// The unique id of mail `id` in `to`'s mailbox, if it took part in sync.
    pub async fn mail_sync_id(&self, to: u32, id: u64) -> Result<Option<String>, StoreError> {
        self.blocking(move |db| {
            let uid = db.tree(SYNC_UIDS)?.get(mail_ref(to, id))?;
            Ok(uid.map(|u| String::from_utf8_lossy(&u).into_owned()))
        })
        .await
    }

    /// A peer's marks and counts (all zero for a peer never seen).
    pub async fn peer_state(&self, peer: u32) -> Result<PeerState, StoreError> {
        self.blocking(move |db| {
            let st: Option<PeerState> = get(&db.tree_of::<PeerState>()?, &node_key(peer))?;
            Ok(st.unwrap_or_default())
        })
        .await
    }

    /// Every sync peer's marks and counts, by node, for the operator's figures.
    pub async fn peer_states(&self) -> Result<Vec<(u32, PeerState)>, StoreError> {
        let peers = self.sync_peers();
        self.blocking(move |db| {
            let tree = db.tree_of::<PeerState>()?;
            peers
                .into_iter()
                .map(|p| Ok((p, get(&tree, &node_key(p))?.unwrap_or_default())))
                .collect()
        })
        .await
    }

    /// Changes a peer's marks and counts; items up to its `acked_upto` leave its
    /// outbox. Returns the new state.
    pub async fn update_peer<F>(&self, peer: u32, change: F) -> Result<PeerState, StoreError>
    where
        F: FnOnce(&mut PeerState) + Send + 'static,
    {
        self.blocking_write(move |db| {
            let tree = db.tree_of::<PeerState>()?;
            let key = node_key(peer);
            let mut st: PeerState = get(&tree, &key)?.unwrap_or_default();
            change(&mut st);
            st.next_seq = st.next_seq.max(1);
            tree.insert(key, encode(&key, &st)?)?;
            let out = db.tree_of::<SyncItem>()?;
            let done: Vec<sled::IVec> = out
                .range(out_key(peer, 0)..out_key(peer, st.acked_upto.saturating_add(1)))
                .keys()
                .collect::<Result<_, _>>()?;
            for k in done {
                out.remove(k)?;
            }
            db.flush_if_configured()?;
            Ok(st)
        })
        .await
    }

    /// Up to `n` items of `peer`'s outbox after sequence number `after`, in order.
    pub async fn queued_items(
        &self,
        peer: u32,
        after: u64,
        n: usize,
    ) -> Result<Vec<(u64, SyncItem)>, StoreError> {
        self.blocking(move |db| {
            let out = db.tree_of::<SyncItem>()?;
            out.range(out_key(peer, after.saturating_add(1))..out_key(peer, u64::MAX))
                .take(n)
                .map(|kv| {
                    let (k, v) = kv?;
                    let seq = k
                        .get(4..12)
                        .and_then(|s| <[u8; 8]>::try_from(s).ok())
                        .map_or(0, u64::from_be_bytes);
                    Ok((seq, super::records::decode(&k, &v)?))
                })
                .collect()
        })
        .await
    }

    /// Queues `item` again for `peer` at the end of its outbox (a TC2 peer's DM the
    /// radio reported undelivered).
    pub async fn requeue(&self, peer: u32, item: SyncItem) -> Result<(), StoreError> {
        self.queue_item(vec![peer], item).await
    }

    /// Queues `item` at the end of each of `peers`' outboxes (a heard summary, a
    /// mail routed to all after its first peer did not confirm it).
    pub async fn queue_item(&self, peers: Vec<u32>, item: SyncItem) -> Result<(), StoreError> {
        let cap = self.outbox_cap();
        self.blocking_write(move |db| {
            use sled::Transactional;
            let t = db.sync_trees()?;
            let w = SyncWrite {
                uid: String::new(),
                origin: None,
                to: peers,
                time: 0,
                cap,
                via: None,
            };
            (&t.ids, &t.uids, &t.out, &t.peers)
                .transaction(|(ids, uids, out, peers)| {
                    SyncTx {
                        ids,
                        uids,
                        out,
                        peers,
                    }
                    .queue(&w, &item)
                    .map(drop)
                })
                .map_err(super::disk::from_tx)?;
            db.flush_if_configured()
        })
        .await?;
        self.queued_for_sync();
        Ok(())
    }

    /// Deletes the item `uid` names, if it is a `post` (true) or mail (false) held
    /// here that came from peer `origin`; remembers the id as gone either way (but
    /// for an item that is not the peer's, which stays as it is).
    pub async fn remove_synced(
        &self,
        uid: String,
        post: bool,
        origin: u32,
        now: u64,
    ) -> Result<Removed, StoreError> {
        self.blocking_write(move |db| {
            let ids = db.tree_of::<SyncId>()?;
            let key = uid.as_bytes();
            let found: Option<SyncId> = get(&ids, key)?;
            let theirs = found.as_ref().is_some_and(|f| f.origin == Some(origin));
            let removed = match found.as_ref().map(|f| &f.held) {
                None => Removed::Unknown,
                Some(Held::Gone) => Removed::AlreadyGone,
                Some(Held::Post { .. } | Held::Mail { .. }) if !theirs => Removed::NotTheirs,
                Some(Held::Post { board, num }) if post => {
                    remove_post_keys(db, board, &[post_key(board, *num).into()])?;
                    db.tree(SYNC_UIDS)?.remove(post_ref(board, *num))?;
                    Removed::Deleted
                }
                Some(Held::Mail { to, id }) if !post => {
                    db.tree_of::<Mail>()?.remove(mail_key(*to, *id))?;
                    db.tree(SYNC_UIDS)?.remove(mail_ref(*to, *id))?;
                    Removed::Deleted
                }
                Some(_) => Removed::WrongKind,
            };
            if !matches!(removed, Removed::WrongKind | Removed::NotTheirs) {
                let gone = SyncId {
                    held: Held::Gone,
                    origin: found.map_or(Some(origin), |f| f.origin),
                    time: now,
                };
                ids.insert(key, encode(key, &gone)?)?;
            }
            db.flush_if_configured()?;
            Ok(removed)
        })
        .await
    }
}

/// Marks the unique id of the local record `local` gone and queues its deletion for
/// `peers`, in one transaction; nothing if the record never took part in sync.
pub(super) fn queue_deletion(
    db: &DiskStore,
    local: &[u8],
    peers: Vec<u32>,
    cap: u64,
    post: bool,
) -> Result<(), StoreError> {
    use sled::Transactional;
    let t = db.sync_trees()?;
    let result = (&t.ids, &t.uids, &t.out, &t.peers).transaction(|(ids, uids, out, st)| {
        let tx = SyncTx {
            ids,
            uids,
            out,
            peers: st,
        };
        if let Some(uid) = tx.forget(local)? {
            let w = SyncWrite {
                uid: uid.clone(),
                origin: None,
                to: peers.clone(),
                time: 0,
                cap,
                via: None,
            };
            let item = if post {
                SyncItem::DeleteBulletin { uid }
            } else {
                SyncItem::DeleteMail { uid }
            };
            tx.queue(&w, &item)?;
        }
        Ok(())
    });
    result.map_err(super::disk::from_tx)
}

/// Writes a mail under a fresh id, with its sync records when `sync` is given; `None`
/// (nothing written) if the sync id has been seen here.
pub(super) fn insert_mail(
    db: &DiskStore,
    mut mail: Mail,
    sync: Option<&SyncWrite>,
) -> Result<Option<Mail>, StoreError> {
    use sled::Transactional;
    use sled::transaction::ConflictableTransactionError as Tx;
    mail.id = db.next_id()?;
    let mails = db.tree_of::<Mail>()?;
    let routes = db.tree_of::<super::routing::Route>()?;
    let t = db.sync_trees()?;
    let result = (&mails, &t.ids, &t.uids, &t.out, &t.peers, &routes).transaction(
        |(mails, ids, uids, out, peers, routes)| {
            let key = mail_key(mail.to, mail.id);
            if let Some(w) = sync {
                let tx = SyncTx {
                    ids,
                    uids,
                    out,
                    peers,
                };
                if tx.known(&w.uid)? {
                    return Ok(None);
                }
                let held = Held::Mail {
                    to: mail.to,
                    id: mail.id,
                };
                tx.record(w, held, &super::federation::mail_ref(mail.to, mail.id))?;
                let item = SyncItem::Mail {
                    from: mail.from,
                    sender: mail.from_name.clone(),
                    to: mail.to,
                    subject: mail.subject.clone(),
                    content: mail.text.clone(),
                    uid: w.uid.clone(),
                };
                let queued = tx.queue(w, &item)?;
                if let Some(via) = w.via {
                    super::routing::record_route(routes, w, via, &queued, item)?;
                }
            }
            mails.insert(key.as_slice(), encode(&key, &mail).map_err(Tx::Abort)?)?;
            Ok(Some(mail.clone()))
        },
    );
    result.map_err(super::disk::from_tx)
}
