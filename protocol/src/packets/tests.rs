//! Classifying what a node sends and building what we send, field by field.
use super::*;

const ME: u32 = 0x1000_0001;
const THEM: u32 = 0x2000_0002;

fn from_radio_packet(p: MeshPacket) -> FromRadio {
    FromRadio {
        id: 9,
        payload_variant: Some(from_radio::PayloadVariant::Packet(p)),
    }
}

#[test]
fn direct_text_to_us_is_a_dm() {
    let mut p = TextOut::direct(ME, "look").to_mesh_packet(THEM, 77);
    p.pki_encrypted = true;
    p.hop_limit = 1;
    match classify(&from_radio_packet(p), ME) {
        Inbound::DirectText(t) => {
            assert_eq!((t.from, t.id, t.text.as_str()), (THEM, 77, "look"));
            assert!(t.pki_encrypted);
            assert_eq!(t.hops, Some(2));
        }
        other => panic!("expected a DM, got {other:?}"),
    }
}

#[test]
fn a_pki_dm_carries_the_senders_key_and_plaintext_never_does() {
    let key = vec![7u8; 32];
    let mut p = TextOut::direct(ME, "look").to_mesh_packet(THEM, 78);
    p.pki_encrypted = true;
    p.public_key = key.clone();
    match classify(&from_radio_packet(p.clone()), ME) {
        Inbound::DirectText(t) => assert_eq!(t.public_key, Some(key)),
        other => panic!("expected a DM, got {other:?}"),
    }
    // A key on a packet that was not PKI-encrypted proves nothing: not reported.
    p.pki_encrypted = false;
    match classify(&from_radio_packet(p), ME) {
        Inbound::DirectText(t) => assert_eq!(t.public_key, None),
        other => panic!("expected a DM, got {other:?}"),
    }
}

#[test]
fn broadcast_text_is_a_channel_message_with_its_index() {
    let mut out = TextOut::direct(BROADCAST, "hi all");
    out.channel = 2;
    let p = out.to_mesh_packet(THEM, 5);
    match classify(&from_radio_packet(p), ME) {
        Inbound::ChannelText(t) => assert_eq!((t.channel, t.text.as_str()), (2, "hi all")),
        other => panic!("expected channel text, got {other:?}"),
    }
}

#[test]
fn text_between_other_nodes_is_other() {
    let p = TextOut::direct(0x3000_0003, "not for us").to_mesh_packet(THEM, 5);
    assert_eq!(classify(&from_radio_packet(p), ME), Inbound::Other);
}

#[test]
fn invalid_utf8_text_is_decoded_lossily() {
    let mut p = TextOut::direct(ME, "").to_mesh_packet(THEM, 5);
    if let Some(mesh_packet::PayloadVariant::Decoded(d)) = &mut p.payload_variant {
        d.payload = vec![b'h', 0xFF, b'i'];
    }
    match classify(&from_radio_packet(p), ME) {
        Inbound::DirectText(t) => assert_eq!(t.text, "h\u{FFFD}i"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ack_and_nak_carry_request_id_and_reason() {
    let ack = routing_packet(THEM, ME, 1, 1234, routing::Error::None);
    assert_eq!(
        classify(&from_radio_packet(ack), ME),
        Inbound::Routing(RoutingResult {
            request_id: 1234,
            from: THEM,
            error: None
        })
    );
    let nak = routing_packet(ME, ME, 2, 99, routing::Error::PkiSendFailPublicKey);
    match classify(&from_radio_packet(nak), ME) {
        Inbound::Routing(r) => {
            assert!(!r.delivered());
            assert_eq!(r.error, Some(routing::Error::PkiSendFailPublicKey));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn outgoing_text_has_id_dest_and_clamped_hops() {
    let mut out = TextOut::direct(THEM, "reply");
    out.hop_limit = 12;
    let to = out.to_radio(42);
    let Some(to_radio::PayloadVariant::Packet(p)) = to.payload_variant else {
        panic!("not a packet")
    };
    assert_eq!(
        (p.to, p.id, p.hop_limit, p.want_ack),
        (THEM, 42, MAX_HOP_LIMIT, true)
    );
    assert_eq!(
        decoded(&p).map(|d| d.payload.as_slice()),
        Some(&b"reply"[..])
    );
}

#[test]
fn a_reply_names_the_packet_it_answers() {
    let mut out = TextOut::direct(ME, "pong");
    out.reply_id = Some(77);
    let p = out.to_mesh_packet(THEM, 78);
    match classify(&from_radio_packet(p), ME) {
        Inbound::DirectText(t) => assert_eq!((t.id, t.reply_id), (78, Some(77))),
        other => panic!("expected a DM, got {other:?}"),
    }
    let plain = TextOut::direct(ME, "hi").to_mesh_packet(THEM, 79);
    match classify(&from_radio_packet(plain), ME) {
        Inbound::DirectText(t) => assert_eq!(t.reply_id, None),
        other => panic!("expected a DM, got {other:?}"),
    }
}

#[test]
fn a_reaction_is_told_from_a_typed_text() {
    let mut p = TextOut::direct(ME, "\u{1f44d}").to_mesh_packet(THEM, 80);
    if let Some(mesh_packet::PayloadVariant::Decoded(d)) = p.payload_variant.as_mut() {
        d.reply_id = 77;
        d.emoji = 1;
    }
    match classify(&from_radio_packet(p), ME) {
        Inbound::DirectText(t) => assert_eq!((t.emoji, t.reply_id), (true, Some(77))),
        other => panic!("expected a DM, got {other:?}"),
    }
    let typed = TextOut::direct(ME, "\u{1f44d}").to_mesh_packet(THEM, 81);
    match classify(&from_radio_packet(typed), ME) {
        Inbound::DirectText(t) => assert!(!t.emoji),
        other => panic!("expected a DM, got {other:?}"),
    }
}

#[test]
fn our_nodes_device_metrics_are_its_channel_load_and_no_one_elses_are() {
    let load = ChannelLoad {
        channel_util: 31.5,
        air_util_tx: 2.0,
    };
    let ours = telemetry_packet(ME, 4, load);
    assert_eq!(classify(&from_radio_packet(ours), ME), Inbound::Load(load));
    // Another node's metrics say how busy its channel is, not ours.
    let theirs = telemetry_packet(THEM, 5, load);
    assert_eq!(classify(&from_radio_packet(theirs), ME), Inbound::Other);
}

#[test]
fn packet_ids_skip_zero() {
    let mut ids = PacketIds::starting_at(u32::MAX);
    assert_eq!(ids.next_id(), u32::MAX);
    assert_eq!(ids.next_id(), 1);
}

#[test]
fn node_ids_round_trip() {
    assert_eq!(node_id(0xDEADBEEF), "!deadbeef");
    assert_eq!(parse_node_id("!deadbeef"), Some(0xDEADBEEF));
    assert_eq!(parse_node_id("0x10"), Some(16));
    assert_eq!(parse_node_id("42"), Some(42));
    assert_eq!(parse_node_id("!zz"), None);
}

#[test]
fn config_nonce_is_never_special() {
    let mut rng = rand::rng();
    for _ in 0..1000 {
        let n = config_nonce(&mut rng);
        assert!(n != 0 && n != CONFIG_ONLY_NONCE);
    }
}
