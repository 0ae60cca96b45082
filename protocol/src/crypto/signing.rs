//! Packet signatures (XEdDSA, firmware 2.8+): a node signs its plain broadcasts with the
//! Ed25519 form of its X25519 key, so a channel message can prove its sender too.
//!
//! Facts from the Meshtastic firmware (github.com/meshtastic/firmware):
//! - `src/mesh/CryptoEngine.cpp`, `buildSigningBuffer`: the signed bytes are the sender's
//!   node number, the packet id and the port number, each a little-endian u32, then the
//!   `Data.payload` bytes: `[from | id | portnum | payload]`.
//! - `CryptoEngine::curve_to_ed_pub`: the Ed25519 public key is the birational map of the
//!   X25519 key (RFC 7748 §4.1) with the sign bit always 0; the signer negates its key
//!   pair when needed (XEdDSA), so verifying is plain Ed25519 against that key.
//! - `src/mesh/Router.cpp`, `checkXeddsaReceivePolicy`: the node first clears the
//!   packet's `xeddsa_signed` (an inbound flag is never trusted), then sets it only when
//!   the 64-byte `Data.xeddsa_signature` verifies against the key its NodeDB holds for
//!   `from`; a signature that fails against a known key drops the packet.
//! - `protobufs/meshtastic/mesh.proto`: `Data.xeddsa_signature = 10` (bytes) and
//!   `MeshPacket.xeddsa_signed = 22` (bool). The `meshtastic` crate's types (0.1.9)
//!   predate both, so this module reads and writes them beside the crate's types: a
//!   protobuf parser keeps the fields it knows, and two encoded messages concatenated
//!   decode as one merged message, so the extra fields travel next to the rest.

use curve25519_dalek::EdwardsPoint;
use curve25519_dalek::montgomery::MontgomeryPoint;
use curve25519_dalek::scalar::{Scalar, clamp_integer};
use ed25519_dalek::hazmat::{ExpandedSecretKey, raw_sign};
use ed25519_dalek::{Signature as EdSignature, VerifyingKey};
use prost::Message;
use sha2::Sha512;

/// Length of an XEdDSA signature.
pub const SIGNATURE_LEN: usize = 64;

/// A packet's signature as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketSignature {
    /// `Data.xeddsa_signature`: 64 bytes from an honest sender, anything from another.
    pub signature: Vec<u8>,
    /// `MeshPacket.xeddsa_signed`: the node that handed us the packet verified the
    /// signature against the key it holds for the sender. Only the node's own word
    /// counts; a sender cannot set it (the node clears it first).
    pub node_verified: bool,
}

/// The bytes a signature covers (`buildSigningBuffer`).
pub fn signed_bytes(from: u32, packet_id: u32, portnum: u32, payload: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(12 + payload.len());
    buf.extend_from_slice(&from.to_le_bytes());
    buf.extend_from_slice(&packet_id.to_le_bytes());
    buf.extend_from_slice(&portnum.to_le_bytes());
    buf.extend_from_slice(payload);
    buf
}

/// The Ed25519 key of an X25519 public key, with the sign bit XEdDSA fixes at 0; `None`
/// for a key that maps to no point (u = -1).
fn ed_public(x25519_public: &[u8; 32]) -> Option<VerifyingKey> {
    MontgomeryPoint(*x25519_public)
        .to_edwards(0)
        .map(VerifyingKey::from)
}

/// True when `signature` is the signature of the holder of `x25519_public` over packet
/// `packet_id` from node `from` on `portnum` with `payload`.
pub fn verify(
    x25519_public: &[u8],
    from: u32,
    packet_id: u32,
    portnum: u32,
    payload: &[u8],
    signature: &[u8],
) -> bool {
    let (Ok(public), Ok(sig)) = (
        <[u8; 32]>::try_from(x25519_public),
        <[u8; SIGNATURE_LEN]>::try_from(signature),
    ) else {
        return false;
    };
    let Some(key) = ed_public(&public) else {
        return false;
    };
    let message = signed_bytes(from, packet_id, portnum, payload);
    key.verify_strict(&message, &EdSignature::from_bytes(&sig))
        .is_ok()
}

/// Signs as the holder of the X25519 private key `x25519_private` (XEdDSA's
/// `calculate_key_pair`: the clamped scalar, negated when its Edwards point has the sign
/// bit set, so the public key is the one [`verify`] derives). `nonce_seed` stands in for
/// XEdDSA's random `Z`: any 32 bytes give a valid signature; fresh random ones keep two
/// signatures of one message apart.
pub fn sign(
    x25519_private: &[u8; 32],
    from: u32,
    packet_id: u32,
    portnum: u32,
    payload: &[u8],
    nonce_seed: [u8; 32],
) -> [u8; SIGNATURE_LEN] {
    let mut scalar = Scalar::from_bytes_mod_order(clamp_integer(*x25519_private));
    let point = EdwardsPoint::mul_base(&scalar);
    if point.compress().as_bytes()[31] & 0x80 != 0 {
        scalar = -scalar;
    }
    let public = VerifyingKey::from(EdwardsPoint::mul_base(&scalar));
    let esk = ExpandedSecretKey {
        scalar,
        hash_prefix: nonce_seed,
    };
    let message = signed_bytes(from, packet_id, portnum, payload);
    raw_sign::<Sha512>(&esk, &message, &public).to_bytes()
}

/// The signing fields of a `FromRadio` that carries a packet (tags from mesh.proto:
/// `FromRadio.packet = 2`, `MeshPacket.decoded = 4`).
#[derive(Clone, PartialEq, Message)]
struct FromRadioSigning {
    #[prost(message, optional, tag = "2")]
    packet: Option<MeshPacketSigning>,
}

/// The signing fields of a `MeshPacket`.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct MeshPacketSigning {
    #[prost(message, optional, tag = "4")]
    decoded: Option<DataSigning>,
    #[prost(bool, tag = "22")]
    xeddsa_signed: bool,
}

/// The signing field of a `Data`.
#[derive(Clone, PartialEq, Message)]
struct DataSigning {
    #[prost(bytes = "vec", tag = "10")]
    xeddsa_signature: Vec<u8>,
}

/// The signature of the packet in an encoded `FromRadio`, if it carries one. Only what
/// was present: an empty signature is none, whatever the flag says.
pub fn from_radio_signature(encoded: &[u8]) -> Option<PacketSignature> {
    let packet = FromRadioSigning::decode(encoded).ok()?.packet?;
    let signature = packet.decoded?.xeddsa_signature;
    (!signature.is_empty()).then_some(PacketSignature {
        signature,
        node_verified: packet.xeddsa_signed,
    })
}

/// The `xeddsa_signature` of an encoded `Data` (a decrypted payload), if any.
pub fn data_signature(encoded_data: &[u8]) -> Option<Vec<u8>> {
    let sig = DataSigning::decode(encoded_data).ok()?.xeddsa_signature;
    (!sig.is_empty()).then_some(sig)
}

/// Appends the signing fields to an encoded `FromRadio` that carries a decoded packet, as
/// a node that verified the signature hands it to its client.
pub fn append_to_from_radio(encoded: &mut Vec<u8>, sig: &PacketSignature) {
    FromRadioSigning {
        packet: Some(MeshPacketSigning {
            decoded: Some(DataSigning {
                xeddsa_signature: sig.signature.clone(),
            }),
            xeddsa_signed: sig.node_verified,
        }),
    }
    .encode(encoded)
    .unwrap_or_else(|_| unreachable!("a Vec grows as needed"));
}

/// Appends a signature to an encoded `Data`, as a signing sender does before encrypting.
pub fn append_to_data(encoded_data: &mut Vec<u8>, signature: &[u8; SIGNATURE_LEN]) {
    DataSigning {
        xeddsa_signature: signature.to_vec(),
    }
    .encode(encoded_data)
    .unwrap_or_else(|_| unreachable!("a Vec grows as needed"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KeyPair;
    use crate::proto::{Data, FromRadio, MeshPacket, PortNum, from_radio, mesh_packet};

    const FROM: u32 = 0x1234;
    const ID: u32 = 0xDEAD_BEEF;
    const TEXT: u32 = PortNum::TextMessageApp as u32;

    /// The firmware's own test, `test/test_crypto/test_main.cpp` `test_XEdDSA`: ten fresh
    /// keys; each signature verifies, and fails for another payload, sender, packet id or
    /// port; and `test_XEdDSA_cross_key_reject`: not under another or an all-zero key.
    #[test]
    fn signatures_verify_only_for_what_was_signed() {
        let msg = b"This is a test!\0";
        let other = b"This is a test.\0";
        for i in 0..10u8 {
            let pair = KeyPair::generate();
            let sig = sign(&pair.private(), FROM, ID, TEXT, msg, [i; 32]);
            let public = pair.public();
            assert!(verify(&public, FROM, ID, TEXT, msg, &sig));
            assert!(!verify(&public, FROM, ID, TEXT, other, &sig));
            assert!(!verify(&public, FROM + 1, ID, TEXT, msg, &sig));
            assert!(!verify(&public, FROM, ID + 1, TEXT, msg, &sig));
            assert!(!verify(&public, FROM, ID, TEXT + 1, msg, &sig));
            assert!(!verify(
                &KeyPair::generate().public(),
                FROM,
                ID,
                TEXT,
                msg,
                &sig
            ));
            assert!(!verify(&[0; 32], FROM, ID, TEXT, msg, &sig));
            assert!(!verify(&public, FROM, ID, TEXT, msg, &sig[..63]));
        }
    }

    /// The signed bytes are little-endian u32s, then the payload (`buildSigningBuffer`).
    #[test]
    fn the_signed_bytes_are_from_id_port_then_payload() {
        assert_eq!(
            signed_bytes(0x0102_0304, 0x0a0b_0c0d, 1, b"hi"),
            [4, 3, 2, 1, 0x0d, 0x0c, 0x0b, 0x0a, 1, 0, 0, 0, b'h', b'i']
        );
    }

    /// The extra fields ride beside the crate's types: the crate still decodes the frame,
    /// and we read the signature back.
    #[test]
    fn a_signature_appended_to_a_frame_is_read_back_and_the_frame_still_decodes() {
        let frame = FromRadio {
            id: 9,
            payload_variant: Some(from_radio::PayloadVariant::Packet(MeshPacket {
                from: FROM,
                id: ID,
                payload_variant: Some(mesh_packet::PayloadVariant::Decoded(Data {
                    portnum: TEXT as i32,
                    payload: b"look".to_vec(),
                    ..Default::default()
                })),
                ..Default::default()
            })),
        };
        let mut bytes = frame.encode_to_vec();
        assert_eq!(from_radio_signature(&bytes), None);
        let sig = PacketSignature {
            signature: vec![7; 64],
            node_verified: true,
        };
        append_to_from_radio(&mut bytes, &sig);
        assert_eq!(FromRadio::decode(bytes.as_slice()).ok(), Some(frame));
        assert_eq!(from_radio_signature(&bytes), Some(sig));

        let mut data = Data {
            portnum: TEXT as i32,
            payload: b"look".to_vec(),
            ..Default::default()
        }
        .encode_to_vec();
        append_to_data(&mut data, &[3; 64]);
        assert_eq!(data_signature(&data), Some(vec![3; 64]));
        assert_eq!(
            Data::decode(data.as_slice()).map(|d| d.payload).ok(),
            Some(b"look".to_vec())
        );
    }
}
