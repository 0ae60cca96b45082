//! The keys the host has pinned, as the MQTT virtual node sees them. The host's pin
//! store is the one table of who holds which key (persisted, trust on first use,
//! bounded by its retention); this is its view, filled by the host at start and kept
//! current as pins change. The virtual node encrypts to and decrypts with a pinned
//! key before any key a NodeInfo announces, and refuses a NodeInfo announcing another:
//! after a restart, a node that announces first cannot take a player's PKI replies.
//!
//! Read on every PKI packet, written when a pin changes: a map behind a lock held for
//! a lookup or an insert, never across an await.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// A shared view of the host's pinned keys; cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct KeyBook(Arc<RwLock<HashMap<u32, [u8; 32]>>>);

impl KeyBook {
    /// The key pinned for `node`, if any.
    pub fn pinned(&self, node: u32) -> Option<[u8; 32]> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&node)
            .copied()
    }

    /// `node`'s pin is now `key` (`None`: it has none). A key that is not 32 bytes
    /// pins nothing.
    pub fn set(&self, node: u32, key: Option<&[u8]>) {
        let mut map = self.0.write().unwrap_or_else(PoisonError::into_inner);
        match key.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
            Some(k) => {
                map.insert(node, k);
            }
            None => {
                map.remove(&node);
            }
        }
    }

    /// How many keys are pinned.
    pub fn len(&self) -> usize {
        self.0.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_seen_by_every_clone_and_can_be_forgotten() {
        let book = KeyBook::default();
        let view = book.clone();
        book.set(7, Some(&[1; 32]));
        assert_eq!(view.pinned(7), Some([1; 32]));
        book.set(7, Some(&[1; 5]));
        assert_eq!(view.pinned(7), None, "a malformed key pins nothing");
        book.set(8, Some(&[2; 32]));
        book.set(8, None);
        assert!(view.is_empty());
    }
}
