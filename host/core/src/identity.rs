//! Who sent a packet, as far as the packet itself can prove it. Anything in range can
//! transmit, and a packet that is not PKI-encrypted can carry any `from`; a PKI DM
//! proves its sender holds the private key of the key it carries. Each node's key is
//! pinned the first time it is seen (see [`meshmush_store::Pin`]); after that:
//!
//! | packet                                   | sender                  |
//! |------------------------------------------|-------------------------|
//! | PKI DM, pinned key (or none pinned yet)  | [`Sender::Proven`]      |
//! | PKI DM, another key                      | [`Sender::Impostor`]    |
//! | plain text, node seen using PKI          | [`Sender::Impostor`]    |
//! | plain text, otherwise                    | [`Sender::Unproven`]    |
//!
//! What each may do is decided by the commands (see `commands::Guard`). An impostor
//! runs nothing, but for `pw PASS repin` on a PKI DM: a handset that really changed its
//! key proves the account by its password, and its new key is pinned
//! (`commands::account::Repin`).

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
}

/// The verdict on one packet from `node`, given its pin; and the pin to store when the
/// packet pins a key (first PKI packet from the node, or the first with this key seen
/// over PKI).
pub fn judge(node: u32, pin: Option<&Pin>, ev: &Evidence, now: u64) -> (Sender, Option<Pin>) {
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
        Some(p) if p.seen_pki => (Sender::Proven, None),
        Some(p) => (
            Sender::Proven,
            Some(Pin {
                seen_pki: true,
                ..p.clone()
            }),
        ),
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

    fn pki(key: u8) -> Evidence {
        Evidence {
            pki: true,
            public_key: Some(vec![key; 32]),
        }
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
