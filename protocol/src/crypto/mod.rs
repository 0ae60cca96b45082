//! Meshtastic's packet encryption, as pure functions over bytes.
//!
//! Packets that cross an MQTT broker are the radio's own encrypted packets, so a BBS
//! that joins the broker as a node has to do what the firmware's `CryptoEngine` does:
//! - [`channel`]: channel keys (the one-byte shorthand `AQ==` and friends), the
//!   one-byte channel hash a packet carries, and AES-CTR with the firmware's nonce;
//! - [`pki`]: direct messages between two nodes' X25519 keys: the shared key, and
//!   AES-CCM with the firmware's tag length and the extra nonce appended to the packet;
//! - [`signing`]: XEdDSA packet signatures (firmware 2.8+), which prove the sender of a
//!   plain broadcast.
//!
//! Every fact here was looked up in the Meshtastic firmware (the files are named where
//! each fact is used) and is checked against the firmware's own test vectors
//! (`test/test_crypto/test_main.cpp`) in this module's tests.

pub mod channel;
pub mod pki;
pub mod signing;

pub use channel::{ChannelKey, channel_hash};
pub use pki::{KeyPair, PKI_OVERHEAD};

/// Why a packet could not be encrypted or decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A channel key of a length AES does not take after the firmware's padding
    /// (longer than 32 bytes), or a key that is not valid base64.
    #[error("a channel key must be 0, 1, up to 16 or up to 32 bytes; this one is {0}")]
    BadKeyLength(usize),
    #[error("the channel key is not base64")]
    BadKeyText,
    /// A public key that is not 32 bytes, or one whose shared secret is all zeros
    /// (a low-order point: the firmware refuses these too).
    #[error("the public key is unusable")]
    BadPublicKey,
    /// A PKI packet too short to hold the tag and the extra nonce.
    #[error("the encrypted payload is too short ({0} bytes)")]
    TooShort(usize),
    /// The authentication tag did not match: wrong key, or the packet was changed.
    #[error("the packet does not authenticate")]
    NotAuthentic,
}

/// The 16-byte nonce the firmware builds for a packet
/// (`CryptoEngine::initNonce` in the firmware's `src/mesh/CryptoEngine.cpp`): the packet
/// id as a little-endian u64 in bytes 0..8, the sender's node number little-endian in
/// bytes 8..12, zeros after; a non-zero `extra` (PKI only) overwrites bytes 4..8.
pub fn packet_nonce(from: u32, packet_id: u32, extra: u32) -> [u8; 16] {
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&u64::from(packet_id).to_le_bytes());
    nonce[8..12].copy_from_slice(&from.to_le_bytes());
    if extra != 0 {
        nonce[4..8].copy_from_slice(&extra.to_le_bytes());
    }
    nonce
}

#[cfg(test)]
mod tests;
