//! Who sent a packet, as far as the packet itself can prove it. Anything in range can
//! transmit, and a packet that is not PKI-encrypted can carry any `from`; a PKI DM
//! proves its sender holds the private key of the key it carries, and so does an XEdDSA
//! signature (firmware 2.8+ signs plain broadcasts) once it verifies against the key we
//! pinned. Each node's key is pinned the first time it is seen (see
//! [`meshmush_store::Pin`]); after that:
//!
//! | packet                                              | sender               |
//! |-----------------------------------------------------|----------------------|
//! | PKI DM, pinned key (or none pinned yet)             | [`Sender::Proven`]   |
//! | PKI DM, another key                                 | [`Sender::Impostor`] |
//! | signed, verifies against the pinned key             | [`Sender::Proven`]   |
//! | signed, fails against the pinned key                | [`Sender::Impostor`] |
//! | signed, no pin, the node verified it (`xeddsa_signed`) | [`Sender::Proven`] |
//! | plain text, node seen proving itself                | [`Sender::Impostor`] |
//! | plain text (or signed, unchecked), otherwise        | [`Sender::Unproven`] |
//!
//! A signature is checked here, against our pin, and not taken on the word of the
//! packet: the node's `xeddsa_signed` counts only where we hold no key to check with
//! (the node checked against its own NodeDB, as `Router.cpp` `checkXeddsaReceivePolicy`
//! does in the firmware), and an MQTT packet never has it (our own virtual node sets
//! none).
//!
//! What each may do is decided by the commands (see `commands::Guard`). An impostor
//! runs nothing, but for `pw PASS repin` on a PKI DM: a handset that really changed its
//! key proves the account by its password, and its new key is pinned
//! (`commands::account::Repin`).

use meshmush_protocol::crypto::signing::{self, PacketSignature};
use meshmush_protocol::proto::PortNum;
use meshmush_store::{Pin, PinSource};

/// What a packet proves about its sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// A PKI-encrypted DM with the node's pinned key.
    Proven,
    /// Plain text from a node that never showed us PKI: anyone could have sent it.
    Unproven,
    /// Claims to be a node it cannot be: another key, or plain text from a node that
    /// uses PKI. Logged; gets no powers and cannot change the account.
    Impostor,
}

/// How a packet came.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// A PKI-encrypted direct message.
    pub pki: bool,
    /// The sender's public key as the packet carried it.
    pub public_key: Option<Vec<u8>>,
    /// The text's XEdDSA signature, if it came with one.
    pub signed: Option<SignedText>,
}

/// A text packet's signature and what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedText {
    pub packet_id: u32,
    /// The packet's payload as received.
    pub payload: Vec<u8>,
    pub signature: PacketSignature,
}

impl SignedText {
    /// True when the signature is `key`'s over this text from `node`.
    fn verifies(&self, node: u32, key: &[u8]) -> bool {
        signing::verify(
            key,
            node,
            self.packet_id,
            PortNum::TextMessageApp as u32,
            &self.payload,
            &self.signature.signature,
        )
    }
}

/// The pin after `node` proved it holds `pin`'s key, if that changes it.
fn proven_with(pin: &Pin) -> Option<Pin> {
    (!pin.seen_pki).then(|| Pin {
        seen_pki: true,
        ..pin.clone()
    })
}

/// The verdict on one packet from `node`, given its pin; and the pin to store when the
/// packet pins a key (first PKI packet from the node, or the first with this key seen
/// over PKI).
pub fn judge(node: u32, pin: Option<&Pin>, ev: &Evidence, now: u64) -> (Sender, Option<Pin>) {
    if !ev.pki
        && let Some(signed) = &ev.signed
    {
        return match pin {
            Some(p) if signed.verifies(node, &p.key) => (Sender::Proven, proven_with(p)),
            Some(_) => (Sender::Impostor, None),
            // The node checked it against the key it holds for `from`, but did not say
            // which: proven by the node, nothing to pin.
            None if signed.signature.node_verified => (Sender::Proven, None),
            None => (Sender::Unproven, None),
        };
    }
    if !ev.pki {
        let sender = match pin {
            Some(p) if p.seen_pki => Sender::Impostor,
            _ => Sender::Unproven,
        };
        return (sender, None);
    }
    let Some(key) = ev.public_key.as_ref().filter(|k| !k.is_empty()) else {
        // The node decrypted it with the key it holds for `from`, but did not tell us
        // which: proven by the node, nothing to pin.
        return (Sender::Proven, None);
    };
    match pin {
        Some(p) if &p.key != key => (Sender::Impostor, None),
        Some(p) => (Sender::Proven, proven_with(p)),
        None => (
            Sender::Proven,
            Some(Pin {
                node,
                key: key.clone(),
                source: PinSource::Packet,
                pinned_at: now,
                seen_pki: true,
            }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meshmush_protocol::crypto::KeyPair;

    fn pki(key: u8) -> Evidence {
        Evidence {
            pki: true,
            public_key: Some(vec![key; 32]),
            signed: None,
        }
    }

    fn signed_by(pair: &KeyPair, node: u32, text: &str, node_verified: bool) -> Evidence {
        let id = 77;
        let sig = signing::sign(&pair.private(), node, id, 1, text.as_bytes(), [5; 32]);
        Evidence {
            signed: Some(SignedText {
                packet_id: id,
                payload: text.as_bytes().to_vec(),
                signature: PacketSignature {
                    signature: sig.to_vec(),
                    node_verified,
                },
            }),
            ..Evidence::default()
        }
    }

    fn pinned(node: u32, key: [u8; 32], seen_pki: bool) -> Pin {
        Pin {
            node,
            key: key.to_vec(),
            source: PinSource::NodeInfo,
            pinned_at: 0,
            seen_pki,
        }
    }

    #[test]
    fn a_signature_proves_the_sender_only_against_the_pinned_key() {
        let owner = KeyPair::generate();
        let forger = KeyPair::generate();
        let pin = pinned(7, owner.public(), false);
        // The owner's signature proves it, and then plain text from it is an impostor.
        let (s, upgraded) = judge(7, Some(&pin), &signed_by(&owner, 7, "post", false), 0);
        assert_eq!(s, Sender::Proven);
        let upgraded = upgraded.expect("the node proved its key");
        assert!(upgraded.seen_pki);
        assert_eq!(
            judge(7, Some(&upgraded), &Evidence::default(), 0).0,
            Sender::Impostor
        );
        // A forger's own signature, or the owner's over another text or node, is not.
        for ev in [
            signed_by(&forger, 7, "post", true),
            signed_by(&owner, 8, "post", true),
        ] {
            assert_eq!(judge(7, Some(&pin), &ev, 0), (Sender::Impostor, None));
        }
        let mut changed = signed_by(&owner, 7, "post", true);
        if let Some(s) = changed.signed.as_mut() {
            s.payload = b"wall".to_vec();
        }
        assert_eq!(judge(7, Some(&pin), &changed, 0), (Sender::Impostor, None));
    }

    #[test]
    fn without_a_pin_only_the_nodes_own_check_counts() {
        let owner = KeyPair::generate();
        assert_eq!(
            judge(7, None, &signed_by(&owner, 7, "look", true), 0),
            (Sender::Proven, None)
        );
        assert_eq!(
            judge(7, None, &signed_by(&owner, 7, "look", false), 0),
            (Sender::Unproven, None)
        );
    }

    #[test]
    fn the_first_key_is_pinned_and_another_is_an_impostor() {
        let (s, pin) = judge(7, None, &pki(1), 100);
        assert_eq!(s, Sender::Proven);
        let pin = pin.expect("pinned on first sight");
        assert!(pin.seen_pki);
        assert_eq!(judge(7, Some(&pin), &pki(1), 200), (Sender::Proven, None));
        assert_eq!(judge(7, Some(&pin), &pki(2), 200), (Sender::Impostor, None));
        let plain = Evidence::default();
        assert_eq!(judge(7, Some(&pin), &plain, 200), (Sender::Impostor, None));
    }

    #[test]
    fn plain_text_is_unproven_until_the_node_uses_pki() {
        let plain = Evidence::default();
        assert_eq!(judge(7, None, &plain, 0), (Sender::Unproven, None));
        let announced = Pin {
            node: 7,
            key: vec![1; 32],
            source: PinSource::NodeInfo,
            pinned_at: 0,
            seen_pki: false,
        };
        assert_eq!(judge(7, Some(&announced), &plain, 0).0, Sender::Unproven);
        let (s, upgraded) = judge(7, Some(&announced), &pki(1), 5);
        assert_eq!(s, Sender::Proven);
        assert!(upgraded.is_some_and(|p| p.seen_pki && p.pinned_at == 0));
    }
}
