//! Pinned identities: the public key each node was first seen with (trust on first
//! use, as SSH does). A packet claiming a pinned node with another key, or in plain
//! text from a node seen using PKI, is an impostor until a wizard or the operator
//! re-pins the node, or the player does with their password from the new handset
//! (`pw PASS repin`). Pins are records on disk, so a restart does not reopen the
//! window an attacker would wait for.
//!
//! Pin writes are not flushed one by one: a crash may lose pins of the last half
//! second (sled's background flush), and those nodes are pinned again when next seen.
//! A thousand handsets heard at once must not cost a thousand `fsync`s in front of
//! their first replies.
//!
//! | tree   | key              | value                         |
//! |--------|------------------|-------------------------------|
//! | `pins` | node (`u32` BE)  | postcard `PinRecord::V1(Pin)` |

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::{node_key, node_label, versioned};

/// Where a pin came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PinSource {
    /// A PKI-encrypted packet from the node carried the key.
    Packet,
    /// The node's NodeInfo announced the key.
    NodeInfo,
    /// The operator's config names the key (admin nodes).
    Config,
}

/// One node's pinned key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub node: u32,
    /// The node's X25519 public key (32 bytes).
    pub key: Vec<u8>,
    pub source: PinSource,
    /// Unix seconds.
    pub pinned_at: u64,
    /// The node has sent us a PKI-encrypted packet with this key: plain text from it
    /// is not the node.
    pub seen_pki: bool,
}

/// The envelope a [`Pin`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum PinRecord {
    V1(Pin),
}

versioned!(Pin, PinRecord, "pins", key_label = node_label);

/// What writing a first pin did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PinChange {
    New,
    SeenPki,
    Same,
}

/// Told of every pin change: the node, and its key now (`None`: no pin).
pub type PinWatcher = std::sync::Arc<dyn Fn(u32, Option<&[u8]>) + Send + Sync>;

impl Store {
    /// From now on, `watcher` is told of every change to a pin (a view of the pins
    /// kept elsewhere, such as the MQTT node's, stays current). Set once.
    pub fn watch_pins(&self, watcher: PinWatcher) {
        let _ = self.inner.pin_watch.set(watcher);
    }

    pub(super) fn pin_changed(&self, node: u32, key: Option<&[u8]>) {
        if let Some(watch) = self.inner.pin_watch.get() {
            watch(node, key);
        }
    }

    /// Every pin, in node order.
    pub async fn pins(&self) -> Result<Vec<Pin>, StoreError> {
        self.blocking(|db| db.all::<Pin>()).await
    }

    /// The key pinned for `node`, if any.
    pub async fn pin(&self, node: u32) -> Result<Option<Pin>, StoreError> {
        self.blocking(move |db| super::disk::get::<Pin>(&db.tree_of::<Pin>()?, &node_key(node)))
            .await
    }

    /// Pins `pin.key` for its node unless a key is pinned already; returns the pin in
    /// force afterwards (the old one if there was one). Marks an existing pin with the
    /// same key as seen over PKI when `pin.seen_pki` says so.
    pub async fn pin_if_new(&self, pin: Pin) -> Result<Pin, StoreError> {
        Ok(self.pin_first(pin).await?.0)
    }

    /// Pins a key a NodeInfo announced unless a key is pinned already or `max` pins
    /// are held: anyone can announce any number of made-up nodes, and each pin costs
    /// memory and disk until it expires. Past the cap a node is pinned by its first
    /// PKI DM instead (which needs its private key). `None`: not pinned, over the cap.
    pub async fn pin_announced(&self, pin: Pin, max: usize) -> Result<Option<Pin>, StoreError> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let count = match self.inner.pin_count.get() {
            Some(c) => c,
            None => {
                let n = self.blocking(|db| Ok(db.tree_of::<Pin>()?.len())).await?;
                self.inner.pin_count.get_or_init(|| AtomicUsize::new(n))
            }
        };
        if count.load(Ordering::Relaxed) >= max && self.pin(pin.node).await?.is_none() {
            return Ok(None);
        }
        let (now, change) = self.pin_first(pin).await?;
        if change == PinChange::New {
            count.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Some(now))
    }

    /// The one way a first pin is written (see [`Store::pin_if_new`]); tells the pin
    /// watcher only when something changed.
    async fn pin_first(&self, pin: Pin) -> Result<(Pin, PinChange), StoreError> {
        let (now, change) = self
            .blocking_write(move |db| {
                let tree = db.tree_of::<Pin>()?;
                let key = node_key(pin.node);
                let (now, change) = match super::disk::get::<Pin>(&tree, &key)? {
                    Some(mut old) if old.key == pin.key && pin.seen_pki && !old.seen_pki => {
                        old.seen_pki = true;
                        (old, PinChange::SeenPki)
                    }
                    Some(old) => return Ok((old, PinChange::Same)),
                    None => (pin, PinChange::New),
                };
                tree.insert(key, super::records::encode(&key, &now)?)?;
                Ok((now, change))
            })
            .await?;
        if change == PinChange::New {
            self.pin_changed(now.node, Some(&now.key));
        }
        Ok((now, change))
    }

    /// Counts the pins again (after a sweep removed some, or other paths added some).
    pub(super) async fn recount_pins(&self) -> Result<(), StoreError> {
        if let Some(count) = self.inner.pin_count.get() {
            let n = self.blocking(|db| Ok(db.tree_of::<Pin>()?.len())).await?;
            count.store(n, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    /// Pins `pin` whatever was pinned before (the config's admin keys).
    pub async fn set_pin(&self, pin: Pin) -> Result<(), StoreError> {
        let (node, key) = (pin.node, pin.key.clone());
        self.blocking_write(move |db| {
            let key = node_key(pin.node);
            let tree = db.tree_of::<Pin>()?;
            tree.insert(key, super::records::encode(&key, &pin)?)?;
            db.flush_if_configured()
        })
        .await?;
        self.pin_changed(node, Some(&key));
        Ok(())
    }

    /// Forgets `node`'s pin, so the next key it is seen with is pinned (a handset that
    /// really changed). True if there was one.
    pub async fn unpin(&self, node: u32) -> Result<bool, StoreError> {
        let gone = self
            .blocking_write(move |db| {
                let gone = db.tree_of::<Pin>()?.remove(node_key(node))?.is_some();
                db.flush_if_configured()?;
                Ok(gone)
            })
            .await?;
        self.pin_changed(node, None);
        Ok(gone)
    }
}
