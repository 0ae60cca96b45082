//! Direct messages between two nodes' keys (PKI, firmware 2.5+).
//!
//! Facts from the Meshtastic firmware's `src/mesh/CryptoEngine.cpp`
//! (`encryptCurve25519`, `decryptCurve25519`, `setDHPublicKey`, `hash`):
//! - the key is X25519 of our private key and their public key, and the 32-byte shared
//!   secret is then hashed once with SHA-256; a low-order public key (an all-zero
//!   shared secret) is refused;
//! - the cipher is AES-256-CCM with an 8-byte tag, no associated data, and the first
//!   13 bytes of the packet nonce ([`packet_nonce`]) whose bytes 4..8 hold a random
//!   32-bit "extra nonce";
//! - on the wire the payload is ciphertext, then the 8-byte tag, then the extra nonce
//!   (little-endian): 12 bytes more than the plaintext ([`PKI_OVERHEAD`]).
//!
//! Node keys are X25519 keys as `x25519-dalek` makes them (the firmware uses the same
//! clamping, `Curve25519::dh1`/`dh2`).

use aes::Aes256;
use ccm::Ccm;
use ccm::aead::{AeadInPlace, KeyInit};
use ccm::consts::{U8, U13};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

use super::{CryptoError, packet_nonce};

/// Bytes a PKI payload carries beyond its plaintext: an 8-byte tag and a 4-byte nonce.
pub const PKI_OVERHEAD: usize = TAG_LEN + 4;
const TAG_LEN: usize = 8;

type PkiCipher = Ccm<Aes256, U8, U13>;

/// A node's X25519 key pair.
#[derive(Clone)]
pub struct KeyPair {
    secret: StaticSecret,
    public: PublicKey,
}

impl std::fmt::Debug for KeyPair {
    /// Shows the public key only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyPair {{ public: {:02x?} }}", self.public.as_bytes())
    }
}

impl KeyPair {
    /// A fresh key pair from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        Self::from_private(bytes)
    }

    /// The key pair of a stored private key.
    pub fn from_private(private: [u8; 32]) -> Self {
        let secret = StaticSecret::from(private);
        let public = PublicKey::from(&secret);
        Self { secret, public }
    }

    pub fn public(&self) -> [u8; 32] {
        *self.public.as_bytes()
    }

    pub fn private(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }

    /// The AES key shared with the holder of `their_public`: SHA-256 of the X25519
    /// shared secret.
    pub fn shared_key(&self, their_public: &[u8]) -> Result<[u8; 32], CryptoError> {
        let shared = self.raw_shared(their_public)?;
        Ok(Sha256::digest(shared).into())
    }

    /// The X25519 shared secret before hashing; refuses a low-order public key.
    fn raw_shared(&self, their_public: &[u8]) -> Result<[u8; 32], CryptoError> {
        let bytes: [u8; 32] = their_public
            .try_into()
            .map_err(|_| CryptoError::BadPublicKey)?;
        let shared = self.secret.diffie_hellman(&PublicKey::from(bytes));
        if !shared.was_contributory() {
            return Err(CryptoError::BadPublicKey);
        }
        Ok(*shared.as_bytes())
    }

    /// Encrypts `plain` (an encoded `Data`) for `their_public`, as packet `packet_id`
    /// sent by node `from`, with the given extra nonce (random per packet). Returns
    /// ciphertext, tag and extra nonce, ready for the packet's `encrypted` field.
    pub fn encrypt(
        &self,
        their_public: &[u8],
        from: u32,
        packet_id: u32,
        extra_nonce: u32,
        plain: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let key = self.shared_key(their_public)?;
        let nonce = packet_nonce(from, packet_id, extra_nonce);
        let cipher = PkiCipher::new((&key).into());
        let mut out = plain.to_vec();
        let tag = cipher
            .encrypt_in_place_detached(nonce[..13].into(), &[], &mut out)
            .map_err(|_| CryptoError::TooShort(plain.len()))?;
        out.extend_from_slice(&tag);
        out.extend_from_slice(&extra_nonce.to_le_bytes());
        Ok(out)
    }

    /// Decrypts a PKI payload sent to us by the holder of `their_public` (node `from`)
    /// as packet `packet_id`. Fails unless it authenticates.
    pub fn decrypt(
        &self,
        their_public: &[u8],
        from: u32,
        packet_id: u32,
        wire: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        if wire.len() < PKI_OVERHEAD {
            return Err(CryptoError::TooShort(wire.len()));
        }
        let (body, trailer) = wire.split_at(wire.len() - PKI_OVERHEAD);
        let (tag, extra) = trailer.split_at(TAG_LEN);
        let extra = u32::from_le_bytes([extra[0], extra[1], extra[2], extra[3]]);
        let key = self.shared_key(their_public)?;
        let nonce = packet_nonce(from, packet_id, extra);
        let cipher = PkiCipher::new((&key).into());
        let mut out = body.to_vec();
        cipher
            .decrypt_in_place_detached(nonce[..13].into(), &[], &mut out, tag.into())
            .map_err(|_| CryptoError::NotAuthentic)?;
        Ok(out)
    }
}

#[cfg(test)]
pub(super) fn raw_shared_for_test(
    pair: &KeyPair,
    their_public: &[u8],
) -> Result<[u8; 32], CryptoError> {
    pair.raw_shared(their_public)
}
