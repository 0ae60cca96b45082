//! What the store forgets, and when: records an attacker could make us keep forever
//! (a deletion for an id never seen, a key pinned for a node that never used the BBS,
//! a greeting, mail to a node id nobody owns) expire on the schedule the config sets,
//! and mail to nodes that never used the BBS is counted so the mail command can cap
//! it per sender and in all ([`Store::send_unheard_mail`] counts and stores under one
//! lock). Nothing here touches a player's own records.
//!
//! No tree of its own: it reads `sync_ids` (tombstones: [`Held::Gone`]), `pins`,
//! `greeted`, `mail_waiting` (the nodes without a player that have mail) and those
//! nodes' mailboxes.

use std::sync::Arc;

use super::bbs::store_mail;
use super::bbs_records::Mail;
use super::bbs_trees::mail_key;
use super::disk::{DiskStore, get};
use super::error::StoreError;
use super::federation::{Held, SYNC_UIDS, SyncId, mail_ref};
use super::handle::Store;
use super::pins::Pin;
use super::records::{decode, encode, node_key};
use super::waiting::{GREETED, MAIL_WAITING, mark_waiting};

/// Unix seconds before which each kind of record goes (0: keep all of that kind).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cutoffs {
    /// Deletions remembered ([`Held::Gone`]), so a late copy is not taken again.
    pub tombstones: u64,
    /// Keys pinned for nodes that have no player here.
    pub stranger_pins: u64,
    /// Greetings: a node greeted before this may be greeted again.
    pub greeted: u64,
    /// Mail waiting for a node that never used the BBS.
    pub unheard_mail: u64,
}

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub tombstones: usize,
    pub pins: usize,
    pub greeted: usize,
    pub mail: usize,
}

impl Swept {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Mail waiting for nodes that never used the BBS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnheardMail {
    /// Sent by the sender asked about, since the moment asked about.
    pub by_sender: usize,
    /// In all.
    pub total: usize,
}

/// How much mail may wait for nodes that never used the BBS (`[retention]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnheardCaps {
    /// Mail one sender may have left since `since` (Unix seconds).
    pub per_sender: usize,
    pub since: u64,
    /// Mail that may wait in all.
    pub total: usize,
}

/// Why [`Store::send_unheard_mail`] did not store a mail: what already waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnheardRefusal {
    /// The sender's own, since the caps' `since`: at its cap.
    Sender(usize),
    /// All of it: at the total cap.
    Total(usize),
}

impl Store {
    /// Removes every record older than its cutoff; see [`Cutoffs`].
    pub async fn sweep(&self, before: Cutoffs) -> Result<Swept, StoreError> {
        let (swept, unpinned) = self
            .blocking_write(move |db| {
                let unpinned = sweep_pins(db, before.stranger_pins)?;
                let swept = Swept {
                    tombstones: sweep_tombstones(db, before.tombstones)?,
                    pins: unpinned.len(),
                    greeted: sweep_greeted(db, before.greeted)?,
                    mail: sweep_unheard_mail(db, before.unheard_mail)?,
                };
                db.flush_if_configured()?;
                Ok((swept, unpinned))
            })
            .await?;
        for node in unpinned {
            self.pin_changed(node, None);
        }
        self.recount_pins().await?;
        Ok(swept)
    }

    /// How much mail waits for nodes that never used the BBS: from `sender` since
    /// `since` (Unix seconds), and in all.
    pub async fn unheard_mail(&self, sender: u32, since: u64) -> Result<UnheardMail, StoreError> {
        self.blocking(move |db| count_unheard_mail(db, sender, since))
            .await
    }
}

impl Store {
    /// Stores `mail` for a node that never used the BBS and records that mail waits
    /// for it, unless the sender or everyone together is at a cap of `caps`. The
    /// count and the write happen under one lock: checked apart (count, then store),
    /// 1,000 senders at once left 997 mails against a cap of 500 (BENCHMARKS.md,
    /// figure 14), each having seen room for one more.
    pub async fn send_unheard_mail(
        &self,
        mail: Mail,
        caps: UnheardCaps,
    ) -> Result<Result<Mail, UnheardRefusal>, StoreError> {
        let peers = self.sync_setup();
        let lock = Arc::clone(&self.inner.unheard_mail);
        let sent = self
            .blocking_write(move |db| {
                // Nothing inside panics while holding it, and it guards no data: a
                // poisoned lock is as good as a clean one.
                let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
                let waiting = count_unheard_mail(db, mail.from, caps.since)?;
                if waiting.by_sender >= caps.per_sender {
                    return Ok(Err(UnheardRefusal::Sender(waiting.by_sender)));
                }
                if waiting.total >= caps.total {
                    return Ok(Err(UnheardRefusal::Total(waiting.total)));
                }
                let to = mail.to;
                let stored = store_mail(db, mail, &peers)?;
                mark_waiting(db, to)?;
                db.flush_if_configured()?;
                Ok(Ok(stored))
            })
            .await;
        self.queued_for_sync();
        sent
    }
}

/// Mail waiting for nodes that have no player: from `sender` since `since`, and in all.
fn count_unheard_mail(db: &DiskStore, sender: u32, since: u64) -> Result<UnheardMail, StoreError> {
    let mut count = UnheardMail::default();
    for_unheard_mail(db, |m| {
        count.total += 1;
        if m.from == sender && m.time >= since {
            count.by_sender += 1;
        }
    })?;
    Ok(count)
}

/// Calls `each` with every mail waiting for a node that has no player.
fn for_unheard_mail(db: &DiskStore, mut each: impl FnMut(&Mail)) -> Result<(), StoreError> {
    let mails = db.tree_of::<Mail>()?;
    for entry in db.tree(MAIL_WAITING)?.iter() {
        let (node, _) = entry?;
        let Ok(node) = <[u8; 4]>::try_from(node.as_ref()).map(u32::from_be_bytes) else {
            continue;
        };
        if db.player(node)?.is_some() {
            continue;
        }
        for item in mails.scan_prefix(node_key(node)) {
            let (k, v) = item?;
            each(&decode::<Mail>(&k, &v)?);
        }
    }
    Ok(())
}

fn sweep_tombstones(db: &DiskStore, before: u64) -> Result<usize, StoreError> {
    let ids = db.tree_of::<SyncId>()?;
    let mut gone = Vec::new();
    for entry in ids.iter() {
        let (k, v) = entry?;
        let id: SyncId = decode(&k, &v)?;
        if id.held == Held::Gone && id.time < before {
            gone.push(k);
        }
    }
    for k in &gone {
        ids.remove(k)?;
    }
    Ok(gone.len())
}

/// Removes the pins of nodes without a player pinned before `before`; their nodes.
fn sweep_pins(db: &DiskStore, before: u64) -> Result<Vec<u32>, StoreError> {
    let pins = db.tree_of::<Pin>()?;
    let mut gone = Vec::new();
    for entry in pins.iter() {
        let (k, v) = entry?;
        let pin: Pin = decode(&k, &v)?;
        if pin.pinned_at < before && db.player(pin.node)?.is_none() {
            gone.push(pin.node);
        }
    }
    for &node in &gone {
        pins.remove(node_key(node))?;
    }
    Ok(gone)
}

fn sweep_greeted(db: &DiskStore, before: u64) -> Result<usize, StoreError> {
    let greeted = db.tree(GREETED)?;
    let mut gone = Vec::new();
    for entry in greeted.iter() {
        let (k, v) = entry?;
        let at = <[u8; 8]>::try_from(v.as_ref()).map_or(0, u64::from_be_bytes);
        if at < before {
            gone.push(k);
        }
    }
    for k in &gone {
        greeted.remove(k)?;
    }
    Ok(gone.len())
}

/// Removes mail older than `before` waiting for nodes without a player; a synced
/// mail's id is remembered as gone (so a late copy is not taken again) and expires
/// as any tombstone. A node left with no mail is no longer "waiting".
fn sweep_unheard_mail(db: &DiskStore, before: u64) -> Result<usize, StoreError> {
    let mut old = Vec::new();
    for_unheard_mail(db, |m| {
        if m.time < before {
            old.push((m.to, m.id));
        }
    })?;
    let (mails, uids, ids) = (
        db.tree_of::<Mail>()?,
        db.tree(SYNC_UIDS)?,
        db.tree_of::<SyncId>()?,
    );
    for &(to, id) in &old {
        mails.remove(mail_key(to, id))?;
        if let Some(uid) = uids.remove(mail_ref(to, id))? {
            let was: Option<SyncId> = get(&ids, &uid)?;
            let gone = SyncId {
                held: Held::Gone,
                origin: was.and_then(|w| w.origin),
                time: before,
            };
            ids.insert(&uid, encode(&uid, &gone)?)?;
        }
        if mails.scan_prefix(node_key(to)).next().is_none() {
            db.tree(MAIL_WAITING)?.remove(node_key(to))?;
        }
    }
    Ok(old.len())
}
