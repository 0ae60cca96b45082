//! The sim's node keys, made from each node's number so anything in the sim (the
//! nodes' handshakes, the MQTT gateways) can act for a handset. A leaf, so the nodes
//! and the gateways share it without importing each other or `sim/mod.rs`.

use meshmush_protocol::crypto::KeyPair;

/// The private key of sim node `num`: made from its number, so anything in the sim
/// can act for a handset (see the module notes).
pub(crate) fn key_of(num: u32) -> KeyPair {
    let mut private = [0u8; 32];
    for (i, b) in num.to_le_bytes().iter().cycle().take(32).enumerate() {
        private[i] = b.wrapping_add(i as u8);
    }
    KeyPair::from_private(private)
}

/// The public key of sim node (or virtual handset) `num`: a real X25519 key whose
/// private half is made from its number, so a test can tell whose key a packet
/// carries and the MQTT gateways can encrypt as the handset would.
pub fn public_key_of(num: u32) -> Vec<u8> {
    key_of(num).public().to_vec()
}
