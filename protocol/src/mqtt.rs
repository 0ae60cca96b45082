//! Meshtastic's MQTT format: where packets go on a broker and how they are wrapped.
//!
//! Facts from the Meshtastic firmware's `src/mqtt/MQTT.cpp` and `protobufs/mqtt.proto`:
//! - a gateway publishes each packet it hears as a `ServiceEnvelope { packet,
//!   channel_id, gateway_id }` on `ROOT/2/e/CHANNEL/!gatewayid` (`cryptTopic`, ROOT
//!   such as `msh/US`); a PKI-encrypted direct message goes on the channel name `PKI`;
//! - a downlink gateway subscribes to `ROOT/2/e/CHANNEL/+` and `ROOT/2/e/PKI/+`, drops
//!   envelopes it published itself (`gateway_id` = its own id; a packet of its own
//!   coming back counts as an implicit ack), and transmits the rest;
//! - the packet inside is the radio packet, still encrypted: its `channel` field is the
//!   channel hash ([`crate::crypto::channel_hash`]), 0 for a PKI packet.
//!
//! `Router::perhapsDecode` (`src/mesh/Router.cpp`) says how a receiver opens one: a
//! packet on channel 0, addressed to us, longer than the PKI overhead, from a node whose
//! key we know, is tried as PKI first; otherwise each channel whose hash matches is
//! tried, and the first whose plaintext parses as `Data` with a port other than
//! `UNKNOWN_APP` wins.

use prost::Message;

use crate::crypto::{ChannelKey, KeyPair, PKI_OVERHEAD, channel_hash};
use crate::proto::{Data, MeshPacket, PortNum, ServiceEnvelope, mesh_packet};

/// The channel name PKI direct messages are published under.
pub const PKI_CHANNEL: &str = "PKI";
/// `Data.bitfield` bit 0: the sender lets gateways uplink this packet to MQTT
/// (`BITFIELD_OK_TO_MQTT_MASK` in the firmware's `src/mesh/MeshTypes.h`).
pub const OK_TO_MQTT: u32 = 1;

/// The topic a gateway publishes a packet of `channel` on: `ROOT/2/e/CHANNEL/!gw`.
pub fn topic(root: &str, channel: &str, gateway_id: &str) -> String {
    format!("{}/2/e/{channel}/{gateway_id}", root.trim_end_matches('/'))
}

/// The subscription that hears every gateway on `channel`: `ROOT/2/e/CHANNEL/+`.
pub fn subscription(root: &str, channel: &str) -> String {
    format!("{}/2/e/{channel}/+", root.trim_end_matches('/'))
}

/// The channel and gateway a topic names, if it is an encrypted-packet topic under
/// `root`.
pub fn parse_topic<'a>(root: &str, topic: &'a str) -> Option<(&'a str, &'a str)> {
    let rest = topic
        .strip_prefix(root.trim_end_matches('/'))?
        .strip_prefix("/2/e/")?;
    let (channel, gateway) = rest.split_once('/')?;
    (!channel.is_empty() && !gateway.is_empty() && !gateway.contains('/'))
        .then_some((channel, gateway))
}

/// Wraps a packet for publishing.
pub fn envelope(packet: MeshPacket, channel_id: &str, gateway_id: &str) -> Vec<u8> {
    ServiceEnvelope {
        packet: Some(packet),
        channel_id: channel_id.to_string(),
        gateway_id: gateway_id.to_string(),
    }
    .encode_to_vec()
}

/// Why an envelope from the broker was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("not a ServiceEnvelope")]
    Malformed,
    #[error("the envelope has no packet, channel or gateway")]
    Incomplete,
}

/// Unwraps a published envelope; it must name its packet, channel and gateway (as
/// `MQTT.cpp`'s `onReceiveProto` requires).
pub fn open_envelope(bytes: &[u8]) -> Result<ServiceEnvelope, EnvelopeError> {
    let env = ServiceEnvelope::decode(bytes).map_err(|_| EnvelopeError::Malformed)?;
    if env.packet.is_none() || env.channel_id.is_empty() || env.gateway_id.is_empty() {
        return Err(EnvelopeError::Incomplete);
    }
    Ok(env)
}

/// One channel a node serves: its name (as in topics) and key, and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    pub key: ChannelKey,
    pub hash: u8,
}

impl Channel {
    pub fn new(name: impl Into<String>, key: ChannelKey) -> Self {
        let name = name.into();
        let hash = channel_hash(&name, &key);
        Self { name, key, hash }
    }
}

fn take_data(packet: &MeshPacket) -> Option<&Data> {
    match &packet.payload_variant {
        Some(mesh_packet::PayloadVariant::Decoded(d)) => Some(d),
        _ => None,
    }
}

fn encrypted_bytes(packet: &MeshPacket) -> Option<&[u8]> {
    match &packet.payload_variant {
        Some(mesh_packet::PayloadVariant::Encrypted(e)) => Some(e),
        _ => None,
    }
}

/// Parses decrypted bytes as `Data`, refusing what the firmware refuses.
fn parse_data(plain: &[u8]) -> Option<Data> {
    Data::decode(plain)
        .ok()
        .filter(|d| d.portnum != PortNum::UnknownApp as i32)
}

/// Encrypts a decoded packet for `channel`: the payload becomes the encrypted `Data`
/// and `channel` the channel's hash. A packet that is already encrypted is returned as
/// it is.
pub fn seal_channel(packet: MeshPacket, channel: &Channel) -> MeshPacket {
    seal_channel_signed(packet, channel, None)
}

/// [`seal_channel`], with the sender's XEdDSA signature in the `Data` (as firmware 2.8
/// signs a plain broadcast before encrypting it: `Router::perhapsEncode`).
pub fn seal_channel_signed(
    mut packet: MeshPacket,
    channel: &Channel,
    signature: Option<&[u8; crate::crypto::signing::SIGNATURE_LEN]>,
) -> MeshPacket {
    let Some(data) = take_data(&packet) else {
        return packet;
    };
    let mut bytes = data.encode_to_vec();
    if let Some(sig) = signature {
        crate::crypto::signing::append_to_data(&mut bytes, sig);
    }
    channel.key.apply(packet.from, packet.id, &mut bytes);
    packet.channel = u32::from(channel.hash);
    packet.pki_encrypted = false;
    packet.payload_variant = Some(mesh_packet::PayloadVariant::Encrypted(bytes));
    packet
}

/// Decrypts a channel packet with the first of `channels` whose hash it carries and
/// whose key yields a `Data`; returns that channel's index and the decoded packet
/// (`channel` set to the index, as a node hands it to its client).
pub fn open_channel(packet: &MeshPacket, channels: &[Channel]) -> Option<(usize, MeshPacket)> {
    open_channel_signed(packet, channels).map(|(index, open, _)| (index, open))
}

/// [`open_channel`], and the `Data.xeddsa_signature` the decrypted payload carried, if
/// any (the `meshtastic` crate's `Data` has no such field: see
/// [`crate::crypto::signing`]). Only an encrypted packet's signature can be read; a
/// packet the envelope carried decoded has lost it to the crate's types.
pub fn open_channel_signed(
    packet: &MeshPacket,
    channels: &[Channel],
) -> Option<(usize, MeshPacket, Option<Vec<u8>>)> {
    if let Some(data) = take_data(packet) {
        // Sent in the clear (a gateway with MQTT encryption off): only an unencrypted
        // channel of ours would have carried it.
        let index = channels.iter().position(|c| c.key == ChannelKey::None)?;
        let mut open = packet.clone();
        open.channel = index as u32;
        // Nothing was decrypted here: whatever PKI claim the publisher wrote into the
        // envelope is theirs, not evidence (a firmware node stamps these only after
        // its own PKI decryption: src/mesh/Router.cpp, perhapsDecode).
        open.pki_encrypted = false;
        open.public_key.clear();
        open.payload_variant = Some(mesh_packet::PayloadVariant::Decoded(data.clone()));
        return Some((index, open, None));
    }
    let wire = encrypted_bytes(packet)?;
    channels
        .iter()
        .enumerate()
        .filter(|(_, c)| u32::from(c.hash) == packet.channel)
        .find_map(|(index, c)| {
            let mut plain = wire.to_vec();
            c.key.apply(packet.from, packet.id, &mut plain);
            let data = parse_data(&plain)?;
            let signature = crate::crypto::signing::data_signature(&plain);
            let mut open = packet.clone();
            open.channel = index as u32;
            open.pki_encrypted = false;
            open.public_key.clear();
            open.payload_variant = Some(mesh_packet::PayloadVariant::Decoded(data));
            Some((index, open, signature))
        })
}

/// Why a PKI packet could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the packet has no decoded payload")]
    NotDecoded,
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
}

/// Encrypts a decoded direct message with PKI from `ours` to the holder of
/// `their_public` (`extra_nonce` random per packet): channel 0, `pki_encrypted` set.
pub fn seal_pki(
    mut packet: MeshPacket,
    ours: &KeyPair,
    their_public: &[u8],
    extra_nonce: u32,
) -> Result<MeshPacket, SealError> {
    let data = take_data(&packet).ok_or(SealError::NotDecoded)?;
    let wire = ours.encrypt(
        their_public,
        packet.from,
        packet.id,
        extra_nonce,
        &data.encode_to_vec(),
    )?;
    packet.channel = 0;
    packet.pki_encrypted = true;
    packet.public_key.clear();
    packet.payload_variant = Some(mesh_packet::PayloadVariant::Encrypted(wire));
    Ok(packet)
}

/// Decrypts a PKI direct message addressed to `me` from the holder of `their_public`.
/// The decoded packet carries `pki_encrypted` and the sender's key, as a node stamps
/// them only after the decryption succeeded.
pub fn open_pki(
    packet: &MeshPacket,
    me: u32,
    ours: &KeyPair,
    their_public: &[u8],
) -> Option<MeshPacket> {
    let wire = encrypted_bytes(packet)?;
    if packet.channel != 0 || packet.to != me || wire.len() <= PKI_OVERHEAD {
        return None;
    }
    let plain = ours
        .decrypt(their_public, packet.from, packet.id, wire)
        .ok()?;
    let data = parse_data(&plain)?;
    let mut open = packet.clone();
    open.pki_encrypted = true;
    open.public_key = their_public.to_vec();
    open.payload_variant = Some(mesh_packet::PayloadVariant::Decoded(data));
    Some(open)
}

/// Whether a decoded packet's sender let it go to MQTT (see [`OK_TO_MQTT`]).
pub fn ok_to_mqtt(packet: &MeshPacket) -> bool {
    take_data(packet).is_some_and(|d| d.bitfield.is_some_and(|b| b & OK_TO_MQTT != 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packets::TextOut;

    fn text(from: u32, to: u32, id: u32, body: &str) -> MeshPacket {
        let mut p = TextOut::direct(to, body).to_mesh_packet(from, id);
        if let Some(mesh_packet::PayloadVariant::Decoded(d)) = &mut p.payload_variant {
            d.bitfield = Some(OK_TO_MQTT);
        }
        p
    }

    #[test]
    fn topics_name_root_channel_and_gateway() {
        assert_eq!(
            topic("msh/US", "LongFast", "!4d4d0001"),
            "msh/US/2/e/LongFast/!4d4d0001"
        );
        assert_eq!(subscription("msh/US/", "PKI"), "msh/US/2/e/PKI/+");
        assert_eq!(
            parse_topic("msh/US", "msh/US/2/e/LongFast/!4d4d0001"),
            Some(("LongFast", "!4d4d0001"))
        );
        assert_eq!(parse_topic("msh/US", "msh/US/2/json/LongFast/!1"), None);
        assert_eq!(parse_topic("msh/US", "msh/EU/2/e/LongFast/!1"), None);
        assert_eq!(parse_topic("msh/US", "msh/US/2/e/LongFast/!1/x"), None);
    }

    #[test]
    fn a_plaintext_packet_carries_no_pki_claim_whatever_its_publisher_wrote() {
        let open_ch = Channel::new("Open", ChannelKey::None);
        let mut forged = text(0x1111, 0x4d4d_0001, 7, "@ban Bob");
        forged.pki_encrypted = true;
        forged.public_key = vec![0xAB; 32];
        let (_, opened) = open_channel(&forged, &[open_ch]).expect("an open channel carries it");
        assert!(!opened.pki_encrypted, "no decryption happened");
        assert!(opened.public_key.is_empty(), "no key was proven");
        match crate::packets::classify_packet(&opened, 0x4d4d_0001) {
            crate::packets::Inbound::DirectText(t) => {
                assert!(!t.pki_encrypted);
                assert_eq!(t.public_key, None);
            }
            other => panic!("a DM, not {other:?}"),
        }
    }

    #[test]
    fn a_channel_packet_round_trips_and_carries_the_hash() {
        let lf = Channel::new("LongFast", ChannelKey::from_base64("AQ==").unwrap());
        let other = Channel::new("Other", ChannelKey::from_psk(&[9; 16]).unwrap());
        let p = text(0x1111, 0xFFFF_FFFF, 5, "hello all");
        let sealed = seal_channel(p.clone(), &lf);
        assert_eq!(sealed.channel, 8);
        assert!(take_data(&sealed).is_none());
        let bytes = envelope(sealed, "LongFast", "!00001111");
        let env = open_envelope(&bytes).unwrap();
        let (index, open) = open_channel(env.packet.as_ref().unwrap(), &[other, lf]).unwrap();
        assert_eq!(index, 1);
        assert_eq!(take_data(&open), take_data(&p));
        assert!(ok_to_mqtt(&open));
    }

    #[test]
    fn a_channel_packet_under_another_key_is_not_opened() {
        let lf = Channel::new("LongFast", ChannelKey::from_base64("AQ==").unwrap());
        let mut same_hash = Channel::new("LongFast", ChannelKey::from_psk(&[2]).unwrap());
        same_hash.hash = lf.hash;
        let sealed = seal_channel(text(1, 2, 3, "secret"), &same_hash);
        assert_eq!(open_channel(&sealed, &[lf]), None);
    }

    #[test]
    fn a_signature_sealed_into_a_channel_packet_is_read_back_when_opened() {
        let lf = Channel::new("LongFast", ChannelKey::from_base64("AQ==").unwrap());
        let p = text(7, crate::packets::BROADCAST, 9, "hello");
        let sealed = seal_channel_signed(p.clone(), &lf, Some(&[4; 64]));
        let (_, open, sig) = open_channel_signed(&sealed, std::slice::from_ref(&lf)).unwrap();
        assert_eq!(sig, Some(vec![4; 64]));
        assert_eq!(take_data(&open), take_data(&p));
        let unsigned = seal_channel(p, &lf);
        assert_eq!(
            open_channel_signed(&unsigned, &[lf]).map(|o| o.2),
            Some(None)
        );
    }

    #[test]
    fn a_pki_packet_opens_only_for_its_addressee_with_the_senders_key() {
        let handset = KeyPair::generate();
        let bbs = KeyPair::generate();
        let p = text(0x1000, 0x2000, 77, "look");
        let sealed = seal_pki(p.clone(), &handset, &bbs.public(), 0x0102_0304).unwrap();
        assert!(sealed.pki_encrypted);
        assert_eq!(sealed.channel, 0);
        let open = open_pki(&sealed, 0x2000, &bbs, &handset.public()).unwrap();
        assert_eq!(take_data(&open), take_data(&p));
        assert_eq!(open.public_key, handset.public().to_vec());
        assert_eq!(open_pki(&sealed, 0x2001, &bbs, &handset.public()), None);
        let impostor = KeyPair::generate();
        assert_eq!(open_pki(&sealed, 0x2000, &bbs, &impostor.public()), None);
    }

    #[test]
    fn envelopes_without_a_packet_are_refused() {
        assert_eq!(open_envelope(b"\xff\xff"), Err(EnvelopeError::Malformed));
        let empty = ServiceEnvelope::default().encode_to_vec();
        assert_eq!(open_envelope(&empty), Err(EnvelopeError::Incomplete));
    }
}
