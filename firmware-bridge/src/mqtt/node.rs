//! What the MQTT virtual node does with packets, either way. No I/O here but the
//! broker handle: the `api` module feeds it frames and broker events and writes out
//! what it returns.
//!
//! Towards the broker (a packet from the link): stamped with our node number and the
//! `ok_to_mqtt` bit, PKI-encrypted when it is a text for a node whose key we know,
//! else encrypted with the channel key, and published as a gateway would publish it.
//! It holds one of [`TX_SLOTS`] transmit slots until it comes back from the broker on
//! our own subscription, which is the firmware's implicit ack (`MQTT.cpp`,
//! `onReceiveProto`: "we get our own packet back"): a DM that wanted an ack gets one
//! from our own node then. After a reconnect, what had not come back is published
//! again; receivers drop the repeat by sender and packet id.
//!
//! From the broker: envelopes of other gateways; channel packets are decrypted with
//! the key whose hash they carry, PKI packets addressed to us with the sender's key
//! from its NodeInfo. Texts and routing replies for us (or broadcast) go to the link as
//! `FromRadio` packets; NodeInfos teach us keys. As the firmware's NodeDB does, the
//! first key a node announces stays: a different one later is refused. What we
//! remember, and how often we answer NodeInfos, is bounded (see [`heard`](super::heard)).
//! A packet too long for a client frame is dropped here, with a count, rather than
//! handed to the link (which would take it for a corrupt stream).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use meshmush_protocol::Message;
use meshmush_protocol::crypto::signing::PacketSignature;
use meshmush_protocol::framing::{MAX_PAYLOAD, Received};
use meshmush_protocol::mqtt::{
    self as wire, Channel, OK_TO_MQTT, PKI_CHANNEL, open_channel_signed, open_envelope, open_pki,
    parse_topic, seal_channel, seal_pki,
};
use meshmush_protocol::packets::{BROADCAST, node_id, routing_packet};
use meshmush_protocol::proto::{
    self, FromRadio, MeshPacket, NodeInfo, PortNum, QueueStatus, User, from_radio, mesh_packet,
    routing,
};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::MqttNodeConfig;
use super::broker::{Broker, BrokerEvent};
use super::heard::{Heard, Learned};

/// Transmit slots, as a radio's queue has (the firmware's 16).
pub(super) const TX_SLOTS: usize = 16;
/// `queueStatus.res` for a refused packet (the firmware's ERRNO_UNKNOWN).
const REFUSED: i32 = 32;
/// Packets kept for the link while it is not connected.
const KEPT_FOR_LINK: usize = 64;

/// A publication waiting to come back from the broker.
struct InFlight {
    topic: String,
    envelope: Vec<u8>,
    dest: u32,
    want_ack: bool,
    since: Instant,
}

pub(super) struct VirtualNode {
    pub cfg: MqttNodeConfig,
    my_id: String,
    broker: Broker,
    /// Users we heard a NodeInfo from (with the first key each announced), bounded.
    users: Heard,
    /// Packets from the broker dropped as too long for a client frame.
    pub oversize_dropped: u64,
    in_flight: HashMap<u32, InFlight>,
    /// Order of `in_flight`, for resending in order.
    sent_order: VecDeque<u32>,
    /// The link was told the queue is full: tell it when a slot frees.
    reported_full: bool,
    /// Packets for the link that arrived while none was connected.
    kept: VecDeque<Received>,
    from_radio_ids: u32,
    next_own_id: u32,
    pub reboot_count: u32,
}

impl VirtualNode {
    pub fn new(cfg: MqttNodeConfig, broker: Broker) -> Self {
        Self {
            my_id: node_id(cfg.node_num),
            users: Heard::new(cfg.key_book.clone()),
            cfg,
            broker,
            oversize_dropped: 0,
            in_flight: HashMap::new(),
            sent_order: VecDeque::new(),
            reported_full: false,
            kept: VecDeque::new(),
            from_radio_ids: 1,
            next_own_id: rand::random::<u32>() | 1,
            reboot_count: 0,
        }
    }

    pub fn me(&self) -> u32 {
        self.cfg.node_num
    }

    pub fn user(&self) -> User {
        User {
            id: self.my_id.clone(),
            long_name: self.cfg.long_name.clone(),
            short_name: self.cfg.short_name.clone(),
            hw_model: proto::HardwareModel::Portduino as i32,
            public_key: self.cfg.keys.public().to_vec(),
            ..Default::default()
        }
    }

    /// Every node we know, as the link's handshake lists them.
    pub fn known_nodes(&self) -> Vec<NodeInfo> {
        self.users
            .iter()
            .map(|(num, user)| NodeInfo {
                num,
                user: Some(user.clone()),
                via_mqtt: true,
                ..Default::default()
            })
            .collect()
    }

    pub fn frame(&mut self, v: from_radio::PayloadVariant) -> FromRadio {
        let id = self.from_radio_ids;
        self.from_radio_ids = self.from_radio_ids.wrapping_add(1).max(1);
        FromRadio {
            id,
            payload_variant: Some(v),
        }
    }

    pub fn queue_status(&mut self, res: i32, mesh_packet_id: u32) -> FromRadio {
        let used = self.in_flight.len().min(TX_SLOTS);
        self.reported_full = used >= TX_SLOTS || res != 0;
        self.frame(from_radio::PayloadVariant::QueueStatus(QueueStatus {
            res,
            free: (TX_SLOTS - used) as u32,
            maxlen: TX_SLOTS as u32,
            mesh_packet_id,
        }))
    }

    /// Takes a packet from the link: publishes it, or refuses it when every slot is
    /// taken. Returns the `queueStatus` answer.
    pub fn send(&mut self, mut p: MeshPacket) -> FromRadio {
        if self.in_flight.len() >= TX_SLOTS {
            return self.queue_status(REFUSED, p.id);
        }
        p.from = self.me();
        p.public_key.clear();
        p.via_mqtt = false;
        if p.id == 0 {
            p.id = self.own_id();
        }
        if p.hop_start == 0 {
            p.hop_start = p.hop_limit;
        }
        let Some(mesh_packet::PayloadVariant::Decoded(data)) = &mut p.payload_variant else {
            return self.queue_status(REFUSED, p.id);
        };
        data.bitfield = Some(data.bitfield.unwrap_or(0) | OK_TO_MQTT);
        let is_text = data.portnum == PortNum::TextMessageApp as i32;
        let (id, dest, want_ack) = (p.id, p.to, p.want_ack);
        let their_key = self.users.key(p.to);
        let (channel_id, packet) = match their_key {
            Some(key) if p.to != BROADCAST && is_text => {
                match seal_pki(p.clone(), &self.cfg.keys, &key, rand::random()) {
                    Ok(sealed) => (PKI_CHANNEL.to_string(), sealed),
                    Err(e) => {
                        warn!(dest = %node_id(dest), error = %e, "PKI encryption failed; using the channel key");
                        self.seal_on_channel(p)
                    }
                }
            }
            _ => self.seal_on_channel(p),
        };
        let topic = wire::topic(&self.cfg.root, &channel_id, &self.my_id);
        let envelope = wire::envelope(packet, &channel_id, &self.my_id);
        self.broker.publish(topic.clone(), envelope.clone());
        self.in_flight.insert(
            id,
            InFlight {
                topic,
                envelope,
                dest,
                want_ack,
                since: Instant::now(),
            },
        );
        self.sent_order.push_back(id);
        debug!(dest = %node_id(dest), id, channel = %channel_id, "published");
        self.queue_status(0, id)
    }

    fn seal_on_channel(&self, mut p: MeshPacket) -> (String, MeshPacket) {
        let index = (p.channel as usize).min(self.cfg.channels.len().saturating_sub(1));
        let Some(channel) = self.cfg.channels.get(index) else {
            return (String::new(), p);
        };
        p.pki_encrypted = false;
        (channel.name.clone(), seal_channel(p, channel))
    }

    fn own_id(&mut self) -> u32 {
        self.next_own_id = self.next_own_id.wrapping_add(1).max(1);
        self.next_own_id
    }

    /// Publishes our NodeInfo on the primary channel, so gateways' areas and other
    /// MQTT nodes learn our name and public key; `ask` asks them for theirs back (as a
    /// node does on joining a mesh), so we learn the keys of handsets that spoke
    /// before we were listening.
    pub fn publish_node_info(&mut self, ask: bool) {
        let Some(primary) = self.cfg.channels.first().cloned() else {
            return;
        };
        let packet = MeshPacket {
            from: self.me(),
            to: BROADCAST,
            id: self.own_id(),
            hop_limit: 3,
            hop_start: 3,
            payload_variant: Some(mesh_packet::PayloadVariant::Decoded(proto::Data {
                portnum: PortNum::NodeinfoApp as i32,
                payload: self.user().encode_to_vec(),
                bitfield: Some(OK_TO_MQTT),
                want_response: ask,
                ..Default::default()
            })),
            ..Default::default()
        };
        let sealed = seal_channel(packet, &primary);
        let topic = wire::topic(&self.cfg.root, &primary.name, &self.my_id);
        self.broker
            .publish(topic, wire::envelope(sealed, &primary.name, &self.my_id));
        debug!("node info published");
    }

    /// What a broker event means for the link: frames to hand it.
    pub fn on_broker(&mut self, event: BrokerEvent) -> Vec<Received> {
        match event {
            BrokerEvent::Up => {
                self.publish_node_info(true);
                // What never came back may have died with the old connection.
                let resend: Vec<(String, Vec<u8>)> = self
                    .sent_order
                    .iter()
                    .filter_map(|id| self.in_flight.get(id))
                    .map(|f| (f.topic.clone(), f.envelope.clone()))
                    .collect();
                if !resend.is_empty() {
                    info!(
                        packets = resend.len(),
                        "publishing again what the broker had not echoed"
                    );
                }
                for (topic, envelope) in resend {
                    self.broker.publish(topic, envelope);
                }
                Vec::new()
            }
            BrokerEvent::Down(_) => Vec::new(),
            BrokerEvent::Message { topic, payload } => self.on_message(&topic, &payload),
        }
    }

    fn on_message(&mut self, topic: &str, payload: &[u8]) -> Vec<Received> {
        let Some((channel_id, _gateway)) = parse_topic(&self.cfg.root, topic) else {
            return Vec::new();
        };
        let Ok(env) = open_envelope(payload) else {
            debug!(%topic, "malformed envelope ignored");
            return Vec::new();
        };
        let Some(packet) = env.packet else {
            return Vec::new();
        };
        if packet.from == self.me() {
            return self.echoed(packet.id);
        }
        if env.gateway_id == self.my_id {
            return Vec::new();
        }
        let opened = if channel_id == PKI_CHANNEL {
            self.open_pki(&packet).map(|p| (p, None))
        } else {
            open_channel_signed(&packet, &self.cfg.channels).map(|(_, p, sig)| (p, sig))
        };
        let Some((mut packet, signature)) = opened else {
            return Vec::new();
        };
        packet.via_mqtt = true;
        if packet.rx_time == 0 {
            packet.rx_time = epoch_secs();
        }
        self.deliver(packet, signature)
    }

    fn open_pki(&mut self, packet: &MeshPacket) -> Option<MeshPacket> {
        if packet.to != self.me() {
            return None;
        }
        let Some(key) = self.users.key(packet.from) else {
            debug!(from = %node_id(packet.from), "PKI packet from a node whose key we lack");
            return None;
        };
        let open = open_pki(packet, self.me(), &self.cfg.keys, &key);
        match open {
            Some(_) => self.users.proven(packet.from),
            None => {
                debug!(from = %node_id(packet.from), id = packet.id, "PKI packet did not decrypt");
            }
        }
        open
    }

    /// Acks a DM that asked for it, as its destination must (the firmware's
    /// `ReliableRouter`): a routing reply on the primary channel.
    fn ack(&mut self, packet: &MeshPacket) {
        let Some(primary) = self.cfg.channels.first().cloned() else {
            return;
        };
        let mut ack = routing_packet(
            self.me(),
            packet.from,
            self.own_id(),
            packet.id,
            routing::Error::None,
        );
        ack.hop_limit = 3;
        ack.hop_start = 3;
        if let Some(mesh_packet::PayloadVariant::Decoded(d)) = &mut ack.payload_variant {
            d.bitfield = Some(OK_TO_MQTT);
        }
        let sealed = seal_channel(ack, &primary);
        let topic = wire::topic(&self.cfg.root, &primary.name, &self.my_id);
        self.broker
            .publish(topic, wire::envelope(sealed, &primary.name, &self.my_id));
    }

    /// A decoded packet from another node.
    fn deliver(&mut self, packet: MeshPacket, signature: Option<Vec<u8>>) -> Vec<Received> {
        let Some(mesh_packet::PayloadVariant::Decoded(data)) = &packet.payload_variant else {
            return Vec::new();
        };
        let for_us = packet.to == self.me() || packet.to == BROADCAST;
        match PortNum::try_from(data.portnum) {
            Ok(PortNum::NodeinfoApp) => {
                let Ok(user) = User::decode(data.payload.as_slice()) else {
                    return Vec::new();
                };
                let asked = data.want_response;
                let news = self.learn(packet.from, user, packet.rx_snr);
                // As the firmware's NodeInfoModule answers a node that asks: ours back,
                // within the limits (a forged flood of asks gets a few answers).
                if asked && self.users.may_reply(packet.from, Instant::now()) {
                    self.publish_node_info(false);
                }
                news
            }
            Ok(PortNum::TextMessageApp | PortNum::RoutingApp) if for_us => {
                if packet.want_ack && packet.to == self.me() {
                    self.ack(&packet);
                }
                let frame = self.frame(from_radio::PayloadVariant::Packet(packet));
                if frame.encoded_len() > MAX_PAYLOAD {
                    self.oversize_dropped += 1;
                    if self.oversize_dropped.is_power_of_two() {
                        warn!(
                            bytes = frame.encoded_len(),
                            dropped = self.oversize_dropped,
                            "packets from the broker too long for a client frame dropped"
                        );
                    }
                    return Vec::new();
                }
                // A signature goes up as the packet carried it, unverified: we are no
                // firmware vouching for it (`xeddsa_signed` stays false); the daemon's
                // judge checks it against the key it pinned.
                let signature = signature.map(|signature| PacketSignature {
                    signature,
                    node_verified: false,
                });
                vec![Received {
                    msg: frame,
                    signature,
                }]
            }
            _ => Vec::new(),
        }
    }

    fn learn(&mut self, num: u32, user: User, snr: f32) -> Vec<Received> {
        if num == self.me() || num == BROADCAST || num == 0 {
            return Vec::new();
        }
        let Learned::News(user) = self.users.learn(num, user, Instant::now()) else {
            return Vec::new();
        };
        let info = NodeInfo {
            num,
            user: Some(user),
            snr,
            last_heard: epoch_secs(),
            via_mqtt: true,
            ..Default::default()
        };
        vec![
            self.frame(from_radio::PayloadVariant::NodeInfo(info))
                .into(),
        ]
    }

    /// Our own packet came back from the broker: its slot frees, and a DM that wanted
    /// an ack gets the implicit one.
    fn echoed(&mut self, id: u32) -> Vec<Received> {
        let Some(f) = self.in_flight.remove(&id) else {
            return Vec::new();
        };
        self.sent_order.retain(|&x| x != id);
        let mut out = Vec::new();
        if f.want_ack && f.dest != BROADCAST {
            let ack = routing_packet(
                self.me(),
                self.me(),
                self.own_id(),
                id,
                routing::Error::None,
            );
            out.push(self.frame(from_radio::PayloadVariant::Packet(ack)).into());
        }
        if self.reported_full {
            out.push(self.queue_status(0, 0).into());
        }
        out
    }

    /// Frees the slots of publications that never came back within the echo timeout;
    /// returns a `queueStatus` for the link when that freed a full queue.
    pub fn expire(&mut self, now: Instant) -> Vec<Received> {
        let timeout = self.cfg.echo_timeout;
        let before = self.in_flight.len();
        self.in_flight
            .retain(|_, f| now.saturating_duration_since(f.since) < timeout);
        let freed = before - self.in_flight.len();
        if freed == 0 {
            return Vec::new();
        }
        let in_flight = &self.in_flight;
        self.sent_order.retain(|id| in_flight.contains_key(id));
        warn!(
            packets = freed,
            ?timeout,
            "publications never came back from the broker; slots freed"
        );
        if self.reported_full {
            vec![self.queue_status(0, 0).into()]
        } else {
            Vec::new()
        }
    }

    /// When the oldest publication's echo wait runs out.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.in_flight
            .values()
            .map(|f| f.since + self.cfg.echo_timeout)
            .min()
    }

    /// Keeps a packet for a link that is not connected (the oldest goes first).
    pub fn keep(&mut self, frame: Received) {
        if self.kept.len() >= KEPT_FOR_LINK {
            self.kept.pop_front();
        }
        self.kept.push_back(frame);
    }

    pub fn take_kept(&mut self) -> Vec<Received> {
        self.kept.drain(..).collect()
    }

    pub fn channels(&self) -> &[Channel] {
        &self.cfg.channels
    }

    pub fn nodeinfo_interval(&self) -> Duration {
        self.cfg.nodeinfo_interval
    }
}

pub(super) fn epoch_secs() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(0)
}
