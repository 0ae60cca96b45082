//! Mail that finds its reader: which meshmush peer heard which node lately (from the
//! summaries peers send), and the mails sent to that one peer alone, each waiting for
//! the peer's confirmation (its ack) or else going to every peer.
//!
//! | tree          | key                       | value                                  |
//! |---------------|---------------------------|----------------------------------------|
//! | `sync_heard`  | peer (BE) ++ node (BE)    | heard at, Unix seconds (`u64` BE)      |
//! | `sync_routes` | mail unique id (UTF-8)    | postcard `RouteRecord` (peer, seq, item) |
//!
//! A hostile peer cannot make us keep much: each summary replaces that peer's last
//! one, so `sync_heard` holds at most [`HEARD_MAX`] entries per configured peer; a
//! route is written only for mail written here, and leaves when confirmed or sent on.

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

use super::disk::{DiskStore, abort, get};
use super::error::StoreError;
use super::federation::{SyncTrees, SyncTx, SyncWrite};
use super::handle::Store;
use super::handle::SyncPeers;
use super::records::{encode, node_key, versioned};
use crate::sync_item::{HeardNode, SyncItem};

/// The most nodes one heard summary names (and one peer's entries kept here).
pub const HEARD_MAX: usize = 40;
/// Nodes heard longer ago than this are not in a summary, nor routed by one.
pub const HEARD_WITHIN_SECS: u64 = 24 * 3600;

const SYNC_HEARD: &str = "sync_heard";

/// A mail sent to one peer alone, until that peer acks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The mail's unique id.
    pub uid: String,
    pub peer: u32,
    /// Its sequence number in that peer's outbox: an ack up to here confirms it.
    pub seq: u64,
    /// The mail, to send to every other peer if it is not confirmed in time.
    pub item: SyncItem,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum RouteRecord {
    V1(Route),
}
versioned!(Route, RouteRecord, "sync_routes");

fn heard_key(peer: u32, node: u32) -> [u8; 8] {
    let mut k = [0; 8];
    k[..4].copy_from_slice(&node_key(peer));
    k[4..].copy_from_slice(&node_key(node));
    k
}

/// Where mail for `to` goes: the peers to queue it for, and the one meshmush peer it
/// is routed to (if any heard `to` within [`HEARD_WITHIN_SECS`] of `now`). TC2 peers
/// get it either way: they keep TC2's way, every mail to every peer.
pub(super) fn route(
    db: &DiskStore,
    peers: &SyncPeers,
    to: u32,
    now: u64,
) -> Result<(Vec<u32>, Option<u32>), StoreError> {
    let heard = db.tree(SYNC_HEARD)?;
    let mut best: Option<(u64, u32)> = None;
    for &peer in &peers.routable {
        let Some(v) = heard.get(heard_key(peer, to))? else {
            continue;
        };
        let at = super::bbs_trees::read_count(Some(v));
        if now.saturating_sub(at) <= HEARD_WITHIN_SECS && best.is_none_or(|b| at > b.0) {
            best = Some((at, peer));
        }
    }
    let Some((_, via)) = best else {
        return Ok((peers.all.clone(), None));
    };
    let to: Vec<u32> = peers
        .all
        .iter()
        .copied()
        .filter(|p| *p == via || !peers.routable.contains(p))
        .collect();
    Ok((to, Some(via)))
}

/// Records, inside the mail's transaction, that it went to `via` alone.
pub(super) fn record_route(
    routes: &TransactionalTree,
    w: &SyncWrite,
    via: u32,
    queued: &[(u32, u64)],
    item: SyncItem,
) -> ConflictableTransactionResult<(), StoreError> {
    let Some(&(_, seq)) = queued.iter().find(|(p, _)| *p == via) else {
        return Ok(());
    };
    let route = Route {
        uid: w.uid.clone(),
        peer: via,
        seq,
        item,
    };
    let key = w.uid.as_bytes();
    routes.insert(key, encode(key, &route).map_err(abort)?)?;
    Ok(())
}

impl Store {
    /// Takes `peer`'s summary of the nodes it heard, in place of its last one; an
    /// entry is kept as heard at `now` less its age. At most [`HEARD_MAX`] entries
    /// are kept (the first ones: a summary lists the most recent first); entries older
    /// than [`HEARD_WITHIN_SECS`] are dropped. Returns how many were kept.
    pub async fn put_heard(
        &self,
        peer: u32,
        nodes: Vec<HeardNode>,
        now: u64,
    ) -> Result<usize, StoreError> {
        self.blocking_write(move |db| {
            let heard = db.tree(SYNC_HEARD)?;
            let mut batch = sled::Batch::default();
            for k in heard.scan_prefix(node_key(peer)).keys() {
                batch.remove(k?);
            }
            let mut kept = 0;
            for n in nodes.iter().take(HEARD_MAX) {
                let ago = u64::from(n.mins_ago) * 60;
                if ago > HEARD_WITHIN_SECS {
                    continue;
                }
                let at = now.saturating_sub(ago);
                batch.insert(&heard_key(peer, n.node)[..], &at.to_be_bytes()[..]);
                kept += 1;
            }
            heard.apply_batch(batch)?;
            db.flush_if_configured()?;
            Ok(kept)
        })
        .await
    }

    /// The peers whose last summary named `node`, with when they heard it.
    pub async fn heard_by(&self, node: u32) -> Result<Vec<(u32, u64)>, StoreError> {
        let peers = self.sync_setup().all;
        self.blocking(move |db| {
            let heard = db.tree(SYNC_HEARD)?;
            let mut found = Vec::new();
            for p in peers {
                if let Some(v) = heard.get(heard_key(p, node))? {
                    found.push((p, super::bbs_trees::read_count(Some(v))));
                }
            }
            Ok(found)
        })
        .await
    }

    /// Every mail routed to one peer and not yet confirmed.
    pub async fn routes(&self) -> Result<Vec<Route>, StoreError> {
        self.blocking(move |db| {
            db.tree_of::<Route>()?
                .iter()
                .map(|kv| {
                    let (k, v) = kv?;
                    super::records::decode(&k, &v)
                })
                .collect()
        })
        .await
    }

    /// `peer` acked its items up to `upto`: the mails routed to it among them are
    /// confirmed. Returns their unique ids.
    pub async fn confirm_routes(&self, peer: u32, upto: u64) -> Result<Vec<String>, StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree_of::<Route>()?;
            let mut done = Vec::new();
            for kv in tree.iter() {
                let (k, v) = kv?;
                let r: Route = super::records::decode(&k, &v)?;
                if r.peer == peer && r.seq <= upto {
                    tree.remove(&k)?;
                    done.push(r.uid);
                }
            }
            if !done.is_empty() {
                db.flush_if_configured()?;
            }
            Ok(done)
        })
        .await
    }

    /// The mail routed as `uid` was not confirmed in time: it is queued for every
    /// other peer it did not go to, and its route is forgotten, in one transaction.
    /// False if no such route is held (confirmed meanwhile).
    pub async fn route_to_all(&self, uid: String) -> Result<bool, StoreError> {
        let peers = self.sync_setup();
        let sent = self
            .blocking_write(move |db| {
                use sled::Transactional;
                let routes = db.tree_of::<Route>()?;
                let Some(route) = get::<Route>(&routes, uid.as_bytes())? else {
                    return Ok(false);
                };
                let SyncTrees {
                    ids,
                    uids,
                    out,
                    peers: states,
                } = db.sync_trees()?;
                let w = SyncWrite {
                    uid: uid.clone(),
                    origin: None,
                    to: peers
                        .routable
                        .iter()
                        .copied()
                        .filter(|p| *p != route.peer)
                        .collect(),
                    time: 0,
                    cap: peers.cap,
                    via: None,
                };
                (&routes, &ids, &uids, &out, &states)
                    .transaction(|(routes, ids, uids, out, states)| {
                        routes.remove(uid.as_bytes())?;
                        SyncTx {
                            ids,
                            uids,
                            out,
                            peers: states,
                        }
                        .queue(&w, &route.item)?;
                        Ok(())
                    })
                    .map_err(super::disk::from_tx)?;
                db.flush_if_configured()?;
                Ok(true)
            })
            .await?;
        if sent {
            self.queued_for_sync();
        }
        Ok(sent)
    }
}
