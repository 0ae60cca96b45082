//! The link on a public mesh, where anyone in range can transmit: forged acks and
//! failures, texts from impossible senders, spoofed packets from a hostile handset,
//! and a node that goes silent or resets without saying so.
//!
//! Forged routing replies are played by a fake node (the test writes the firmware's
//! frames itself, so their order and senders are exact); spoofing and the watchdog run
//! over the software mesh.

use std::time::Duration;

use crate::common::{Client, WAIT, fast_link, init_tracing, mesh};
use futures::{SinkExt, StreamExt};
use meshmush_firmware_bridge::link::{Class, LinkConfig, LinkEvent, LinkHandle, LinkState};
use meshmush_firmware_bridge::sim::attacker::send_spoofed;
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, Mesh, NodeFault, SimConfig};
use meshmush_firmware_bridge::{Transport, spawn};
use meshmush_protocol::framing::{Frame, NodeCodec};
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL, TextOut, routing_packet};
use meshmush_protocol::proto::{
    FromRadio, MeshPacket, MyNodeInfo, QueueStatus, from_radio, routing, to_radio,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::codec::Framed;

const ME: u32 = 0x4d4d_0001;
const DEST: u32 = 0x4d4d_1001;
const STRANGER: u32 = 0x4d4d_1002;

/// The firmware side of one link connection, written by the test.
struct FakeNode {
    wire: Framed<TcpStream, NodeCodec>,
    next_id: u32,
}

impl FakeNode {
    async fn send(&mut self, v: from_radio::PayloadVariant) {
        self.next_id += 1;
        let frame = FromRadio {
            id: self.next_id,
            payload_variant: Some(v),
        };
        self.wire.send(frame).await.expect("write to the link");
    }

    async fn packet(&mut self, p: MeshPacket) {
        self.send(from_radio::PayloadVariant::Packet(p)).await;
    }

    /// The next packet the link sends, answered with a queueStatus as firmware does.
    async fn next_packet(&mut self) -> MeshPacket {
        loop {
            let frame = tokio::time::timeout(WAIT, self.wire.next())
                .await
                .expect("a frame in time")
                .expect("link connected")
                .expect("a good frame");
            let Frame::Message(msg) = frame else { continue };
            match msg.payload_variant {
                Some(to_radio::PayloadVariant::Packet(p)) => {
                    self.send(from_radio::PayloadVariant::QueueStatus(QueueStatus {
                        res: 0,
                        free: 15,
                        maxlen: 16,
                        mesh_packet_id: p.id,
                    }))
                    .await;
                    return p;
                }
                Some(to_radio::PayloadVariant::Heartbeat(_)) => {
                    self.send(from_radio::PayloadVariant::QueueStatus(QueueStatus {
                        res: 0,
                        free: 16,
                        maxlen: 16,
                        mesh_packet_id: 0,
                    }))
                    .await;
                }
                _ => {}
            }
        }
    }

    /// A text from `from` to us, as the node hands it up.
    async fn text_from(&mut self, from: u32, id: u32, text: &str) {
        self.packet(TextOut::direct(ME, text).to_mesh_packet(from, id))
            .await;
    }
}

/// A link connected to a fake node whose number is [`ME`].
async fn fake_link() -> (FakeNode, LinkHandle, mpsc::Receiver<LinkEvent>) {
    init_tracing();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut cfg = LinkConfig::new(Transport::Tcp(addr.to_string()));
    cfg.airtime_scale = 0.0;
    let (link, events) = spawn(cfg);
    let (stream, _) = listener.accept().await.expect("the link connects");
    let mut node = FakeNode {
        wire: Framed::new(stream, NodeCodec::new()),
        next_id: 0,
    };
    let nonce = loop {
        let frame = node.wire.next().await.expect("open").expect("frame");
        if let Frame::Message(msg) = frame
            && let Some(to_radio::PayloadVariant::WantConfigId(n)) = msg.payload_variant
        {
            break n;
        }
    };
    node.send(from_radio::PayloadVariant::MyInfo(MyNodeInfo {
        my_node_num: ME,
        ..Default::default()
    }))
    .await;
    node.send(from_radio::PayloadVariant::ConfigCompleteId(nonce))
        .await;
    tokio::time::timeout(WAIT, link.connected())
        .await
        .expect("connected in time")
        .expect("link alive");
    (node, link, events)
}

/// Events up to and including the next direct text, which must be `marker`.
async fn events_until_text(events: &mut mpsc::Receiver<LinkEvent>, marker: &str) -> Vec<LinkEvent> {
    let mut seen = Vec::new();
    loop {
        let ev = tokio::time::timeout(WAIT, events.recv())
            .await
            .expect("an event in time")
            .expect("link alive");
        if let LinkEvent::DirectText(t) = &ev {
            assert_eq!(t.text, marker, "an unexpected text reached the host");
            return seen;
        }
        seen.push(ev);
    }
}

fn deliveries(events: &[LinkEvent]) -> Vec<&LinkEvent> {
    events
        .iter()
        .filter(|e| matches!(e, LinkEvent::Delivery { .. }))
        .collect()
}

#[tokio::test]
async fn a_forged_ack_does_not_mark_a_packet_delivered_but_the_destinations_does() {
    let (mut node, link, mut events) = fake_link().await;
    let ids = link
        .send_packets(
            DEST,
            PRIMARY_CHANNEL,
            Class::Known,
            vec!["your mail".into()],
        )
        .await
        .expect("queued");
    let sent = node.next_packet().await;
    assert_eq!((sent.id, sent.to), (ids[0], DEST));

    // A stranger acks our packet; then a text, so we know the ack was read first.
    node.packet(routing_packet(
        STRANGER,
        ME,
        900,
        sent.id,
        routing::Error::None,
    ))
    .await;
    node.text_from(DEST, 901, "marker 1").await;
    let seen = events_until_text(&mut events, "marker 1").await;
    assert!(deliveries(&seen).is_empty(), "forged ack counted: {seen:?}");
    let m = link.metrics();
    assert_eq!((m.chunks_delivered, m.untrusted_routing), (0, 1));

    // The destination's own ack counts.
    node.packet(routing_packet(DEST, ME, 902, sent.id, routing::Error::None))
        .await;
    node.text_from(DEST, 903, "marker 2").await;
    let seen = events_until_text(&mut events, "marker 2").await;
    assert_eq!(
        deliveries(&seen),
        vec![&LinkEvent::Delivery {
            dest: DEST,
            packet_id: sent.id,
            result: Ok(()),
            will_retry: false,
            hop_limit: 3
        }]
    );
    assert_eq!(link.metrics().chunks_delivered, 1);
}

#[tokio::test]
async fn a_forged_missing_key_failure_does_not_park_the_lane() {
    let (mut node, link, mut events) = fake_link().await;
    let ids = link
        .send_packets(
            DEST,
            PRIMARY_CHANNEL,
            Class::Known,
            vec!["(1/2) first".into(), "(2/2) second".into()],
        )
        .await
        .expect("queued");
    let sent = node.next_packet().await;
    assert_eq!(sent.id, ids[0]);

    // A stranger, and then someone posing as the destination, claim the key is
    // missing: only our own node can raise that failure.
    for from in [STRANGER, DEST] {
        node.packet(routing_packet(
            from,
            ME,
            910,
            sent.id,
            routing::Error::PkiSendFailPublicKey,
        ))
        .await;
    }
    node.text_from(DEST, 911, "marker").await;
    let seen = events_until_text(&mut events, "marker").await;
    assert!(
        deliveries(&seen).is_empty(),
        "forged failure counted: {seen:?}"
    );
    let m = link.metrics();
    assert_eq!((m.pki_failures, m.untrusted_routing), (0, 2));

    // The lane is not parked: the real ack lets the second packet go at once.
    node.packet(routing_packet(DEST, ME, 912, sent.id, routing::Error::None))
        .await;
    assert_eq!(node.next_packet().await.id, ids[1]);
}

#[tokio::test]
async fn texts_from_nobody_everybody_or_ourselves_are_not_handed_up() {
    let (mut node, link, mut events) = fake_link().await;
    node.text_from(0, 1, "from nobody").await;
    node.text_from(BROADCAST, 2, "from everybody").await;
    node.text_from(ME, 3, "from ourselves").await;
    let mut channel = TextOut::direct(BROADCAST, "channel text from ourselves");
    channel.want_ack = false;
    node.packet(channel.to_mesh_packet(ME, 4)).await;
    node.text_from(DEST, 5, "from a real node").await;
    let seen = events_until_text(&mut events, "from a real node").await;
    assert!(
        !seen.iter().any(|e| matches!(e, LinkEvent::ChannelText(_))),
        "{seen:?}"
    );
    assert_eq!(link.metrics().bogus_senders, 4);
    assert_eq!(link.metrics().texts_in, 1);
}

async fn spoofing_mesh(allow_spoofing: bool) -> Mesh {
    Mesh::start(SimConfig {
        handsets: 2,
        allow_spoofing,
        ..SimConfig::default()
    })
    .await
    .expect("mesh starts")
}

#[tokio::test]
async fn a_spoofed_packet_arrives_as_the_victim_but_plain_and_keyless() {
    init_tracing();
    let mesh = spoofing_mesh(true).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let (victim, attacker) = (&mesh.handsets()[0], &mesh.handsets()[1]);
    let id = send_spoofed(attacker.addr, victim.num, GATEWAY_NUM, "password hunter2")
        .await
        .expect("the handset takes the packet");
    let t = gw.next_text().await;
    assert_eq!(
        (t.from, t.id, t.text.as_str()),
        (victim.num, id, "password hunter2")
    );
    assert!(!t.pki_encrypted, "a forger cannot PKI-encrypt");
    assert_eq!(t.public_key, None);
}

#[tokio::test]
async fn without_the_flag_a_handset_stamps_its_own_number() {
    init_tracing();
    let mesh = spoofing_mesh(false).await;
    let mut gw = Client::connect(fast_link(mesh.gateway())).await;
    let (victim, attacker) = (&mesh.handsets()[0], &mesh.handsets()[1]);
    send_spoofed(attacker.addr, victim.num, GATEWAY_NUM, "password hunter2")
        .await
        .expect("the handset takes the packet");
    let t = gw.next_text().await;
    assert_eq!(t.from, attacker.num, "from overwritten, as firmware does");
    assert!(t.pki_encrypted, "an honest handset's DM is PKI as usual");
}

/// A gateway link with a quick watchdog: `idle` of quiet, then `answer` for the probe.
fn watched_link(mesh: &Mesh, idle: Duration, answer: Duration) -> LinkConfig {
    let mut cfg = fast_link(mesh.gateway());
    cfg.heartbeat_interval = idle / 2;
    cfg.idle_timeout = idle;
    cfg.handshake_timeout = answer;
    cfg
}

#[tokio::test]
async fn a_silent_node_is_noticed_and_the_link_is_back_within_the_watchdog_time() {
    init_tracing();
    let mesh = mesh(1).await;
    let (idle, answer) = (Duration::from_millis(300), Duration::from_millis(500));
    let mut gw = Client::connect(watched_link(&mesh, idle, answer)).await;
    let start = Instant::now();
    mesh.node_fault(GATEWAY_NUM, NodeFault::Silent);
    let mut lost = None;
    loop {
        let ev = tokio::time::timeout(WAIT, gw.events.recv())
            .await
            .expect("the watchdog acts in time")
            .expect("link alive");
        match ev {
            LinkEvent::State(LinkState::Lost { reason }) => lost = Some(reason),
            LinkEvent::State(LinkState::Connected { .. }) if lost.is_some() => break,
            _ => {}
        }
    }
    let back = start.elapsed();
    let reason = lost.unwrap_or_default();
    assert!(reason.contains("stopped answering"), "reason: {reason}");
    // Backoff (20 ms) and a loopback handshake on top of the watchdog's own time.
    assert!(
        back <= idle + answer + Duration::from_millis(500),
        "back after {back:?}"
    );
    let m = gw.link.metrics();
    assert!(m.watchdog_probes >= 1 && m.watchdog_resets >= 1, "{m:?}");
    assert_eq!(m.connects, 2);

    // The new connection is served.
    let alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    alice
        .link
        .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, "hello again")
        .await
        .expect("queued");
    assert_eq!(gw.next_text().await.text, "hello again");
}

#[tokio::test]
async fn a_quiet_reset_is_noticed_by_the_watchdog_and_nothing_is_lost() {
    init_tracing();
    let mesh = mesh(1).await;
    let (idle, answer) = (Duration::from_millis(300), Duration::from_millis(500));
    let mut gw = Client::connect(watched_link(&mesh, idle, answer)).await;
    let alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    mesh.node_fault(GATEWAY_NUM, NodeFault::QuietReset);
    // The node takes this text from the air but, reset, hands it to no client until
    // one asks for its config.
    alice
        .link
        .send_text(GATEWAY_NUM, PRIMARY_CHANNEL, "anyone there?")
        .await
        .expect("queued");
    let t = gw.next_text().await;
    assert_eq!(t.text, "anyone there?");
    let m = gw.link.metrics();
    assert!(m.watchdog_probes >= 1, "{m:?}");
    assert_eq!(m.watchdog_resets, 1, "the reset was noticed: {m:?}");
    assert_eq!(
        m.connects, 1,
        "the probe alone brought the node back: {m:?}"
    );
}
