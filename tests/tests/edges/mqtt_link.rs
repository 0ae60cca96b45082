//! The MQTT link against a real broker (Debian's mosquitto, started here): the BBS's
//! virtual node hears a handset behind a remote gateway, on the channel and by PKI,
//! answers it PKI-encrypted, and loses nothing when the broker restarts.
//!
//! The far side is played with nothing of the link: a plain MQTT client publishing
//! and reading envelopes as a firmware gateway does, with the protocol crate's sealing
//! and a handset key pair of its own.

use std::collections::HashSet;
use std::time::Duration;

use meshmush_firmware_bridge::link::{self, LinkConfig, LinkEvent};
use meshmush_firmware_bridge::mqtt::broker::{self, BrokerConfig, BrokerEvent};
use meshmush_firmware_bridge::mqtt::{self, KeyBook, MqttNodeConfig};
use meshmush_firmware_bridge::sim::handset::fast_timings;
use meshmush_protocol::Message;
use meshmush_protocol::crypto::{ChannelKey, KeyPair, signing};
use meshmush_protocol::mqtt::{
    Channel, OK_TO_MQTT, PKI_CHANNEL, envelope, open_channel, open_envelope, open_pki, parse_topic,
    seal_channel, seal_channel_signed, seal_pki, subscription, topic,
};
use meshmush_protocol::packets::{BROADCAST, TextOut};
use meshmush_protocol::proto::{MeshPacket, PortNum, User, mesh_packet};
use meshmush_testkit::mosquitto::Mosquitto;
use tokio::sync::mpsc;

const ROOT: &str = "msh/US";
const BBS: u32 = 0xbb5b_0001;
const HANDSET: u32 = 0x4d4d_1000;
const GATEWAY: &str = "!4d4d0009";
const WAIT: Duration = Duration::from_secs(20);

fn longfast() -> Channel {
    Channel::new("LongFast", ChannelKey::from_base64("AQ==").expect("AQ=="))
}

/// A firmware gateway in the field with one handset behind it.
struct Field {
    broker: broker::Broker,
    events: mpsc::Receiver<BrokerEvent>,
    keys: KeyPair,
    next_id: u32,
    bbs_key: Option<Vec<u8>>,
}

impl Field {
    async fn join(addr: &str) -> Self {
        Self::join_as(addr, "field-gateway").await
    }

    /// A gateway with its own MQTT client id (a broker drops a client whose id
    /// another takes).
    async fn join_as(addr: &str, client_id: &str) -> Self {
        let mut cfg = BrokerConfig::new(addr, client_id);
        cfg.subscriptions = vec![
            subscription(ROOT, "LongFast"),
            subscription(ROOT, PKI_CHANNEL),
        ];
        cfg.backoff_max = Duration::from_millis(500);
        let (broker, mut events) = broker::connect(cfg);
        loop {
            match tokio::time::timeout(WAIT, events.recv()).await {
                Ok(Some(BrokerEvent::Up)) => break,
                Ok(Some(_)) => continue,
                _ => panic!("the field gateway never reached the broker"),
            }
        }
        Self {
            broker,
            events,
            keys: KeyPair::generate(),
            next_id: 100,
            bbs_key: None,
        }
    }

    fn packet(&mut self, to: u32, port: PortNum, payload: Vec<u8>) -> MeshPacket {
        self.next_id += 1;
        let mut p = TextOut::direct(to, "").to_mesh_packet(HANDSET, self.next_id);
        p.want_ack = to != BROADCAST;
        if let Some(mesh_packet::PayloadVariant::Decoded(d)) = &mut p.payload_variant {
            d.portnum = port as i32;
            d.payload = payload;
            d.bitfield = Some(OK_TO_MQTT);
        }
        p.rx_snr = 5.5;
        p
    }

    fn uplink(&self, packet: MeshPacket, channel: &str) {
        let t = topic(ROOT, channel, GATEWAY);
        self.broker.publish(t, envelope(packet, channel, GATEWAY));
    }

    fn announce(&mut self) {
        let user = User {
            id: "!4d4d1000".into(),
            long_name: "Alice".into(),
            short_name: "ALI".into(),
            public_key: self.keys.public().to_vec(),
            ..Default::default()
        };
        let p = self.packet(BROADCAST, PortNum::NodeinfoApp, user.encode_to_vec());
        self.uplink(seal_channel(p, &longfast()), "LongFast");
    }

    fn say_on_channel(&mut self, text: &str) -> u32 {
        let p = self.packet(BBS, PortNum::TextMessageApp, text.as_bytes().to_vec());
        let id = p.id;
        self.uplink(seal_channel(p, &longfast()), "LongFast");
        id
    }

    fn say_pki(&mut self, text: &str) -> u32 {
        let key = self.bbs_key.clone().expect("the BBS's key is known");
        let p = self.packet(BBS, PortNum::TextMessageApp, text.as_bytes().to_vec());
        let id = p.id;
        self.uplink(
            seal_pki(p, &self.keys, &key, rand::random()).expect("seal"),
            PKI_CHANNEL,
        );
        id
    }

    /// What the BBS published, opened as the handset would: (packet id, pki, text).
    /// Learns the BBS's key from its NodeInfo on the way.
    async fn heard_from_bbs(&mut self, quiet: Duration) -> Vec<(u32, bool, String)> {
        let mut out = Vec::new();
        while let Ok(Some(event)) = tokio::time::timeout(quiet, self.events.recv()).await {
            let BrokerEvent::Message { topic, payload } = event else {
                continue;
            };
            let Some((channel, _)) = parse_topic(ROOT, &topic) else {
                continue;
            };
            let Ok(env) = open_envelope(&payload) else {
                continue;
            };
            let Some(p) = env.packet else { continue };
            if p.from != BBS {
                continue;
            }
            let open = if channel == PKI_CHANNEL {
                let key = self
                    .bbs_key
                    .clone()
                    .expect("PKI from a BBS we have no key for");
                open_pki(&p, HANDSET, &self.keys, &key)
            } else {
                open_channel(&p, &[longfast()]).map(|(_, p)| p)
            };
            let Some(open) = open else {
                panic!("could not open a packet the BBS published on {topic}")
            };
            let Some(mesh_packet::PayloadVariant::Decoded(d)) = open.payload_variant else {
                continue;
            };
            if d.portnum == PortNum::NodeinfoApp as i32 {
                let user = User::decode(d.payload.as_slice()).expect("user");
                assert_eq!(user.id, "!bb5b0001");
                self.bbs_key = Some(user.public_key);
            } else if d.portnum == PortNum::TextMessageApp as i32 {
                out.push((
                    open.id,
                    open.pki_encrypted,
                    String::from_utf8_lossy(&d.payload).into_owned(),
                ));
            }
        }
        out
    }
}

async fn bbs_link(addr: &str) -> (link::LinkHandle, mpsc::Receiver<LinkEvent>) {
    bbs_link_with(addr, KeyBook::default()).await
}

/// The BBS's link through its MQTT node, which sees the host's pins in `book`.
async fn bbs_link_with(addr: &str, book: KeyBook) -> (link::LinkHandle, mpsc::Receiver<LinkEvent>) {
    let mut cfg = MqttNodeConfig::new(addr, ROOT, BBS);
    cfg.key_book = book;
    cfg.backoff_max = Duration::from_millis(500);
    let transport = mqtt::start(cfg);
    let (handle, events) = link::spawn(fast_timings(LinkConfig::new(transport)));
    tokio::time::timeout(WAIT, handle.connected())
        .await
        .expect("link connects to the virtual node")
        .expect("link open");
    (handle, events)
}

async fn next_text(
    events: &mut mpsc::Receiver<LinkEvent>,
) -> meshmush_protocol::packets::TextMessage {
    loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Some(LinkEvent::DirectText(t))) => return t,
            Ok(Some(_)) => continue,
            other => panic!("no direct text reached the BBS: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_behind_a_gateway_talks_to_the_bbs_through_mosquitto() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let mut broker = Mosquitto::start().await.expect("mosquitto");
    let mut field = Field::join(&broker.addr()).await;
    let (bbs, mut events) = bbs_link(&broker.addr()).await;

    // The BBS announces itself (with its public key) when it reaches the broker.
    field.heard_from_bbs(Duration::from_millis(800)).await;
    assert!(field.bbs_key.is_some(), "the BBS published its NodeInfo");

    // Before the BBS knows the handset's key: a DM on the channel key.
    let id = field.say_on_channel("look");
    let t = next_text(&mut events).await;
    assert_eq!(
        (t.from, t.id, t.text.as_str(), t.pki_encrypted),
        (HANDSET, id, "look", false)
    );

    // The handset announces its key; its PKI DM arrives, proven by that key.
    field.announce();
    let id = field.say_pki("post general hello");
    let t = next_text(&mut events).await;
    assert_eq!(
        (t.id, t.text.as_str(), t.pki_encrypted),
        (id, "post general hello", true)
    );
    assert_eq!(t.public_key, Some(field.keys.public().to_vec()));

    // A reply goes out PKI-encrypted to the handset, and counts as delivered once the
    // broker has it (the firmware's implicit ack).
    let ids = bbs.send_text(HANDSET, 0, "Posted.").await.expect("queued");
    let heard = field.heard_from_bbs(Duration::from_millis(800)).await;
    assert_eq!(heard, vec![(ids[0], true, "Posted.".to_string())]);
    loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Some(LinkEvent::Delivery {
                packet_id, result, ..
            })) if packet_id == ids[0] => {
                assert_eq!(result, Ok(()));
                break;
            }
            Ok(Some(_)) => continue,
            other => panic!("no delivery outcome: {other:?}"),
        }
    }

    // A packet for someone else, or under a key we do not hold, never reaches the host.
    let mut stranger = field.packet(
        0x1234_5678,
        PortNum::TextMessageApp,
        b"not for you".to_vec(),
    );
    stranger.to = 0x1234_5678;
    field.uplink(seal_channel(stranger, &longfast()), "LongFast");
    let other_key = Channel::new("LongFast", ChannelKey::from_psk(&[7; 16]).expect("key"));
    let p = field.packet(BBS, PortNum::TextMessageApp, b"wrong key".to_vec());
    field.uplink(seal_channel(p, &other_key), "LongFast");

    // The broker restarts while a reply and a command are on their way: both arrive,
    // once each.
    broker.stop().await;
    let away = bbs
        .send_text(HANDSET, 0, "Mail for you.")
        .await
        .expect("queued while away");
    let command = field.say_pki("mail");
    broker.restart().await.expect("mosquitto restarts");
    let t = next_text(&mut events).await;
    assert_eq!((t.id, t.text.as_str()), (command, "mail"));
    let heard = field.heard_from_bbs(Duration::from_secs(3)).await;
    let texts: Vec<&str> = heard.iter().map(|(_, _, t)| t.as_str()).collect();
    let unique: HashSet<u32> = heard.iter().map(|(id, _, _)| *id).collect();
    assert!(
        texts.contains(&"Mail for you."),
        "the reply queued while the broker was away arrived: {heard:?}"
    );
    assert_eq!(
        unique.len(),
        1,
        "one packet, whatever the repeats: {heard:?}"
    );
    assert_eq!(unique.into_iter().next(), Some(away[0]));
    let more = tokio::time::timeout(Duration::from_millis(500), async {
        loop {
            if let Some(LinkEvent::DirectText(t)) = events.recv().await {
                return t;
            }
        }
    })
    .await;
    assert!(more.is_err(), "nothing else reached the BBS: {more:?}");
    bbs.shutdown().await;
}

/// After a restart the MQTT node has heard no NodeInfo yet, but the host's pins are
/// there: a node that announces a player's id first, with its own key, neither reads
/// the replies to the player nor stops the player's PKI DMs from being read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_key_outranks_a_nodeinfo_announced_first() {
    let broker = Mosquitto::start().await.expect("mosquitto");
    let mut player = Field::join(&broker.addr()).await;
    let mut forger = Field::join_as(&broker.addr(), "forger-gateway").await;
    let book = KeyBook::default();
    book.set(HANDSET, Some(&player.keys.public()[..]));
    let (bbs, mut events) = bbs_link_with(&broker.addr(), book).await;
    player.heard_from_bbs(Duration::from_millis(800)).await;
    assert!(player.bbs_key.is_some(), "the BBS published its NodeInfo");
    forger.bbs_key = player.bbs_key.clone();

    // The forger announces the player's node with its own key, before the player.
    forger.announce();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The player's PKI DM is read, proven by the pinned key.
    let id = player.say_pki("mail");
    let t = next_text(&mut events).await;
    assert_eq!((t.id, t.pki_encrypted), (id, true));
    assert_eq!(t.public_key, Some(player.keys.public().to_vec()));
    // The forger's PKI DM, sealed with its own key, is not.
    forger.say_pki("mail");
    // The reply is sealed for the player's key: the player opens it, the forger not.
    let ids = bbs.send_text(HANDSET, 0, "No mail.").await.expect("queued");
    let heard = player.heard_from_bbs(Duration::from_millis(800)).await;
    assert_eq!(heard, vec![(ids[0], true, "No mail.".to_string())]);
    let mut sealed = Vec::new();
    while let Ok(Some(event)) =
        tokio::time::timeout(Duration::from_millis(300), forger.events.recv()).await
    {
        if let BrokerEvent::Message { payload, .. } = event
            && let Ok(env) = open_envelope(&payload)
            && let Some(p) = env.packet
            && p.from == BBS
            && p.id == ids[0]
        {
            sealed.push(p);
        }
    }
    let bbs_key = player.bbs_key.clone().expect("key");
    assert!(!sealed.is_empty(), "the forger saw the reply go by");
    assert!(
        sealed
            .iter()
            .all(|p| open_pki(p, HANDSET, &forger.keys, &bbs_key).is_none()),
        "the forger cannot open the player's reply"
    );
    let more = tokio::time::timeout(Duration::from_millis(500), async {
        loop {
            if let Some(LinkEvent::DirectText(t)) = events.recv().await {
                return t;
            }
        }
    })
    .await;
    assert!(
        more.is_err(),
        "the forger's DM never reached the BBS: {more:?}"
    );
    bbs.shutdown().await;
}

const INDEPENDENT_CHECK: &str = include_str!("../../scripts/mqtt_check.py");

/// Our crypto checked by code we did not write: a Python client built on the
/// `meshtastic` protobufs, paho-mqtt and `cryptography` decrypts the BBS's NodeInfo and
/// PKI reply, and sends the BBS a channel DM and a PKI DM that it must decrypt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_independent_python_client_reads_and_writes_what_meshmush_does() {
    let venv = meshmush_tests::python::Venv::ensure()
        .await
        .expect("python venv");
    venv.ensure_packages(
        "import paho.mqtt.client, cryptography, meshtastic.protobuf.mqtt_pb2",
        &["paho-mqtt>=2,<3", "cryptography"],
    )
    .await
    .expect("paho-mqtt and cryptography");
    let broker = Mosquitto::start().await.expect("mosquitto");
    let (bbs, mut events) = bbs_link(&broker.addr()).await;
    let port = broker.port.to_string();
    let bbs_num = BBS.to_string();
    let args = ["127.0.0.1", &port, ROOT, &bbs_num];
    let script = venv.script(INDEPENDENT_CHECK, &args, 60);
    let bbs_side = async {
        let mut texts = Vec::new();
        while texts.len() < 2 {
            let t = next_text(&mut events).await;
            if t.text == "look" {
                bbs.send_text(t.from, 0, "Hi from meshmush")
                    .await
                    .expect("reply queued");
            }
            texts.push((t.text, t.pki_encrypted, t.public_key.map(|k| k.len())));
        }
        texts
    };
    let (out, texts) = tokio::join!(script, bbs_side);
    let out = out.expect("the independent check ran");
    assert!(out.contains("NODEINFO !bb5b0001 32"), "{out}");
    assert!(out.contains("REPLY Hi from meshmush ok_to_mqtt=1"), "{out}");
    assert_eq!(
        texts,
        vec![
            ("who".to_string(), false, None),
            ("look".to_string(), true, Some(32))
        ]
    );
}

/// Issue 27 (1), played from outside our code: on a channel with no key, anyone on the
/// broker can publish a plain envelope that says `pki_encrypted` and carries an
/// admin's (public) key. Nothing was decrypted, so the BBS must hear plain text with no
/// key claim, which is what keeps a wizard's powers off it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_envelope_claiming_pki_reaches_the_bbs_with_no_key_claim() {
    let mut broker = Mosquitto::start().await.expect("mosquitto");
    let mut field = Field::join(&broker.addr()).await;
    let open = Channel::new("Open", ChannelKey::None);
    let mut cfg = MqttNodeConfig::new(broker.addr(), ROOT, BBS);
    cfg.backoff_max = Duration::from_millis(500);
    cfg.channels = vec![open.clone()];
    let (bbs, mut events) = link::spawn(fast_timings(LinkConfig::new(mqtt::start(cfg))));
    tokio::time::timeout(WAIT, bbs.connected())
        .await
        .expect("link connects to the virtual node")
        .expect("link open");
    // The BBS subscribes when its node comes up; give the broker a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let admin_key = KeyPair::generate().public().to_vec();
    let mut forged = field.packet(BBS, PortNum::TextMessageApp, b"@ban Bob".to_vec());
    forged.pki_encrypted = true;
    forged.public_key = admin_key;
    field.uplink(forged, "Open");
    let t = next_text(&mut events).await;
    assert_eq!(t.text, "@ban Bob");
    assert!(!t.pki_encrypted, "no decryption happened, so no PKI");
    assert_eq!(t.public_key, None, "and no key is claimed");
    // Control: a plain text on the open channel still arrives as one.
    let mut plain = field.packet(BBS, PortNum::TextMessageApp, b"look".to_vec());
    plain.channel = 0;
    field.uplink(plain, "Open");
    assert_eq!(next_text(&mut events).await.text, "look");
    bbs.shutdown().await;
    broker.stop().await;
}

/// A firmware 2.8 handset signs its broadcasts (XEdDSA), the signature inside the
/// channel-encrypted `Data`. The BBS's MQTT node hands it up as it came and never
/// vouches for it (no `xeddsa_signed`: the node checked nothing), so the daemon's judge
/// checks it against the key it pinned. The signature here is the handset's own, made
/// with the protocol crate's signing and verifiable with the key the handset announced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_broadcast_reaches_the_bbs_with_its_signature_unvouched() {
    let mut broker = Mosquitto::start().await.expect("mosquitto");
    let mut field = Field::join(&broker.addr()).await;
    let (_bbs, mut events) = bbs_link(&broker.addr()).await;
    field.heard_from_bbs(Duration::from_millis(800)).await;

    let text = "bbs whoami";
    let p = field.packet(BROADCAST, PortNum::TextMessageApp, text.as_bytes().to_vec());
    let (id, port) = (p.id, PortNum::TextMessageApp as u32);
    let sig = signing::sign(
        &field.keys.private(),
        HANDSET,
        id,
        port,
        text.as_bytes(),
        [9; 32],
    );
    field.uplink(seal_channel_signed(p, &longfast(), Some(&sig)), "LongFast");
    let t = loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Some(LinkEvent::ChannelText(t))) => break t,
            Ok(Some(_)) => continue,
            other => panic!("no channel text reached the BBS: {other:?}"),
        }
    };
    assert_eq!((t.id, t.text.as_str()), (id, text));
    let got = t.signature.expect("the signature came with the text");
    assert!(!got.node_verified, "our MQTT node vouches for nothing");
    assert!(signing::verify(
        &field.keys.public(),
        HANDSET,
        id,
        port,
        text.as_bytes(),
        &got.signature
    ));
    broker.stop().await;
}
