//! Read receipts for mail that took part in sync: the read event a BBS queues for
//! the peer a mail came from, the once-only claim of a receipt by the BBS the mail
//! was written on, and who asked for none (`receipts off`).
//!
//! | tree           | key                   | value                                    |
//! |----------------|-----------------------|------------------------------------------|
//! | `receipts`     | mail unique id (UTF-8)| when its sender was told, Unix seconds (`u64` BE) |
//! | `receipts_off` | node (`u32` BE)       | empty                                    |
//!
//! A receipt is claimed only for a mail written here (its id in `sync_ids` with no
//! origin), once per id: a peer can make us keep no more entries than we wrote mails.

use super::bbs_records::Mail;
use super::bbs_trees::mail_key;
use super::disk::get;
use super::error::StoreError;
use super::federation::{Held, SYNC_UIDS, SyncId, SyncTx, SyncWrite, mail_ref};
use super::handle::Store;
use super::records::node_key;
use crate::sync_item::SyncItem;

const RECEIPTS: &str = "receipts";
const RECEIPTS_OFF: &str = "receipts_off";

/// What reading a mail set going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEvent {
    /// The mail took no part in sync, or the reader wants no receipts sent.
    Nothing,
    /// The read event was queued for the peer the mail came from.
    Queued { peer: u32 },
    /// The mail was written here (for a node away then): its sender is to be told,
    /// and that is claimed now, once.
    Local { from: u32, subject: String },
}

impl Store {
    /// Marks `mail` read by `reader` (a player at this BBS, `bbs`). A mail that took
    /// part in sync sets a receipt going when `tell` (the reader has receipts on):
    /// its read event is queued for the peer it came from, or, if it was written
    /// here, its receipt is claimed here (see [`ReadEvent`]).
    pub async fn read_mail(
        &self,
        mut mail: Mail,
        reader: String,
        bbs: String,
        tell: bool,
    ) -> Result<ReadEvent, StoreError> {
        let peers = self.sync_setup();
        let event = self
            .blocking_write(move |db| {
                use sled::Transactional;
                mail.read = true;
                let local = mail_ref(mail.to, mail.id);
                let uid = db.tree(SYNC_UIDS)?.get(&local)?;
                let id: Option<SyncId> = match &uid {
                    Some(u) => get(&db.tree_of::<SyncId>()?, u)?,
                    None => None,
                };
                let mut event = ReadEvent::Nothing;
                if let (true, Some(uid), Some(id)) = (tell, uid, id) {
                    let uid = String::from_utf8_lossy(&uid).into_owned();
                    match id.origin {
                        Some(peer) if peers.routable.contains(&peer) => {
                            let t = db.sync_trees()?;
                            let w = SyncWrite {
                                uid: uid.clone(),
                                origin: None,
                                to: vec![peer],
                                time: mail.time,
                                cap: peers.cap,
                                via: None,
                            };
                            let item = SyncItem::Read { uid, reader, bbs };
                            (&t.ids, &t.uids, &t.out, &t.peers)
                                .transaction(|(ids, uids, out, st)| {
                                    SyncTx {
                                        ids,
                                        uids,
                                        out,
                                        peers: st,
                                    }
                                    .queue(&w, &item)
                                    .map(drop)
                                })
                                .map_err(super::disk::from_tx)?;
                            event = ReadEvent::Queued { peer };
                        }
                        Some(_) => {}
                        None => {
                            if claim(db, &uid, mail.time)? {
                                event = ReadEvent::Local {
                                    from: mail.from,
                                    subject: mail.subject.clone(),
                                };
                            }
                        }
                    }
                }
                db.put(&mail_key(mail.to, mail.id), &mail)?;
                db.flush_if_configured()?;
                Ok(event)
            })
            .await?;
        if matches!(event, ReadEvent::Queued { .. }) {
            self.queued_for_sync();
        }
        Ok(event)
    }

    /// A peer says mail `uid` was read: the mail, if it was written here and its
    /// sender has not been told yet (claimed now, so a repeat of the event, or the
    /// same mail read at a second BBS, tells nobody again). The copy here is marked
    /// read too. `None`: not ours, gone, or told already.
    pub async fn claim_receipt(&self, uid: String, now: u64) -> Result<Option<Mail>, StoreError> {
        self.blocking_write(move |db| {
            let id: Option<SyncId> = get(&db.tree_of::<SyncId>()?, uid.as_bytes())?;
            let Some(SyncId {
                held: Held::Mail { to, id },
                origin: None,
                ..
            }) = id
            else {
                return Ok(None);
            };
            let key = mail_key(to, id);
            let Some(mut mail) = get::<Mail>(&db.tree_of::<Mail>()?, &key)? else {
                return Ok(None);
            };
            if !claim(db, &uid, now)? {
                return Ok(None);
            }
            mail.read = true;
            mail.announced = true;
            db.put(&key, &mail)?;
            db.flush_if_configured()?;
            Ok(Some(mail))
        })
        .await
    }

    /// Turns `node`'s receipts on or off (on unless turned off).
    pub async fn set_receipts(&self, node: u32, on: bool) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree(RECEIPTS_OFF)?;
            if on {
                tree.remove(node_key(node))?;
            } else {
                tree.insert(node_key(node), &[][..])?;
            }
            db.flush_if_configured()
        })
        .await
    }

    /// Whether `node` has receipts on.
    pub async fn receipts_on(&self, node: u32) -> Result<bool, StoreError> {
        self.blocking(move |db| Ok(db.tree(RECEIPTS_OFF)?.get(node_key(node))?.is_none()))
            .await
    }
}

/// Records that the sender of mail `uid` is told; false if it already was.
fn claim(db: &super::disk::DiskStore, uid: &str, now: u64) -> Result<bool, StoreError> {
    let claimed = db
        .tree(RECEIPTS)?
        .compare_and_swap(uid.as_bytes(), None::<&[u8]>, Some(&now.to_be_bytes()[..]))?
        .is_ok();
    Ok(claimed)
}
