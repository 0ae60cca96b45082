//! The sim's node keys, made from each node's number so anything in the sim (the
//! nodes' handshakes, the MQTT gateways) can act for a handset. A leaf, so the nodes
//! and the gateways share it without importing each other or `sim/mod.rs`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use meshmush_protocol::crypto::KeyPair;

/// Key pairs made so far, by node. A real node derives its own public key once and
/// holds its peers' in its NodeDB; the sim does the same here rather than one X25519
/// base-point multiplication per packet (which, with a thousand virtual handsets,
/// took a fifth of the machine from the daemon the bench measures).
static MADE: LazyLock<Mutex<HashMap<u32, KeyPair>>> = LazyLock::new(Mutex::default);
/// Past this many nodes the kept pairs are forgotten and made again as needed.
const MADE_KEPT: usize = 1 << 16;

/// The private key of sim node `num`: made from its number, so anything in the sim
/// can act for a handset (see the module notes).
pub(crate) fn key_of(num: u32) -> KeyPair {
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pair) = made.get(&num) {
        return pair.clone();
    }
    let mut private = [0u8; 32];
    for (i, b) in num.to_le_bytes().iter().cycle().take(32).enumerate() {
        private[i] = b.wrapping_add(i as u8);
    }
    let pair = KeyPair::from_private(private);
    if made.len() >= MADE_KEPT {
        made.clear();
    }
    made.insert(num, pair.clone());
    pair
}

/// The public key of sim node (or virtual handset) `num`: a real X25519 key whose
/// private half is made from its number, so a test can tell whose key a packet
/// carries and the MQTT gateways can encrypt as the handset would.
pub fn public_key_of(num: u32) -> Vec<u8> {
    key_of(num).public().to_vec()
}
