//! Channel keys, the channel hash, and channel encryption (AES-CTR).
//!
//! Facts from the Meshtastic firmware:
//! - `src/mesh/Channels.cpp` (`Channels::getKey`): a one-byte PSK is shorthand: 0 means
//!   no encryption, `n` in 1..=255 means the default PSK with its last byte increased
//!   by `n - 1`; a shorter key is zero-padded to 16 bytes, one of 17..31 bytes to 32.
//!   The default PSK itself is in `src/mesh/Channels.h` (`defaultpsk`).
//! - `Channels::generateHash`: the hash byte a packet's `channel` field carries is the
//!   XOR of the channel name's bytes, XORed with the XOR of the expanded key's bytes.
//! - `src/mesh/CryptoEngine.cpp` (`encryptAESCtr`): AES-128 for a 16-byte key, AES-256
//!   otherwise, in CTR mode with the packet nonce as IV and a 4-byte big-endian counter
//!   at its end; encryption and decryption are the same operation.

use aes::{Aes128, Aes256};
use base64::Engine as _;
use ctr::cipher::{KeyIvInit, StreamCipher};

use super::{CryptoError, packet_nonce};

/// The firmware's default channel key (`defaultpsk` in `src/mesh/Channels.h`): the key
/// of the public `LongFast` channel, written `AQ==` (the one byte 1) in configs.
pub const DEFAULT_PSK: [u8; 16] = [
    0xd4, 0xf1, 0xbb, 0x3a, 0x20, 0x29, 0x07, 0x59, 0xf0, 0xbc, 0xff, 0xab, 0xcf, 0x4e, 0x69, 0x01,
];

/// A channel's expanded key: none (an unencrypted channel), AES-128 or AES-256.
#[derive(Clone, PartialEq, Eq)]
pub enum ChannelKey {
    None,
    Aes128([u8; 16]),
    Aes256([u8; 32]),
}

impl std::fmt::Debug for ChannelKey {
    /// Never prints the key bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("ChannelKey::None"),
            Self::Aes128(_) => f.write_str("ChannelKey::Aes128(..)"),
            Self::Aes256(_) => f.write_str("ChannelKey::Aes256(..)"),
        }
    }
}

impl ChannelKey {
    /// Expands a PSK as stored in a channel's settings (see the module notes).
    pub fn from_psk(psk: &[u8]) -> Result<Self, CryptoError> {
        match psk.len() {
            0 => Ok(Self::None),
            1 if psk[0] == 0 => Ok(Self::None),
            1 => {
                let mut key = DEFAULT_PSK;
                key[15] = key[15].wrapping_add(psk[0] - 1);
                Ok(Self::Aes128(key))
            }
            2..=16 => {
                let mut key = [0u8; 16];
                key[..psk.len()].copy_from_slice(psk);
                Ok(Self::Aes128(key))
            }
            17..=32 => {
                let mut key = [0u8; 32];
                key[..psk.len()].copy_from_slice(psk);
                Ok(Self::Aes256(key))
            }
            n => Err(CryptoError::BadKeyLength(n)),
        }
    }

    /// Expands a PSK written in base64, as configs and channel URLs write it (`AQ==`).
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let psk = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| CryptoError::BadKeyText)?;
        Self::from_psk(&psk)
    }

    /// The expanded key bytes (empty for an unencrypted channel).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::None => &[],
            Self::Aes128(k) => k,
            Self::Aes256(k) => k,
        }
    }

    /// Encrypts or decrypts (the same thing in CTR mode) a packet's payload in place,
    /// with the nonce of packet `packet_id` from node `from`. An unencrypted channel
    /// leaves the bytes as they are.
    pub fn apply(&self, from: u32, packet_id: u32, bytes: &mut [u8]) {
        self.apply_with_iv(&packet_nonce(from, packet_id, 0), bytes);
    }

    /// AES-CTR with a whole 16-byte IV whose last 4 bytes count blocks, big-endian.
    pub(super) fn apply_with_iv(&self, iv: &[u8; 16], bytes: &mut [u8]) {
        match self {
            Self::None => {}
            Self::Aes128(k) => {
                ctr::Ctr32BE::<Aes128>::new(k.into(), iv.into()).apply_keystream(bytes)
            }
            Self::Aes256(k) => {
                ctr::Ctr32BE::<Aes256>::new(k.into(), iv.into()).apply_keystream(bytes)
            }
        }
    }
}

/// The one-byte hash of a channel that a packet's `channel` field carries on the air
/// and over MQTT (see the module notes): the XOR of the name's bytes and the key's.
pub fn channel_hash(name: &str, key: &ChannelKey) -> u8 {
    name.bytes()
        .chain(key.bytes().iter().copied())
        .fold(0, |h, b| h ^ b)
}
