//! Gateways with an MQTT uplink and downlink, as firmware gateways with the MQTT module
//! on: what a gateway hears in its area goes to the broker, and what the broker gives
//! it goes on the air in its area.
//!
//! - **Uplink.** Every packet a gateway hears from its area (not its own) is published
//!   in a `ServiceEnvelope` on `ROOT/2/e/LongFast/!gateway`, encrypted as the handset
//!   sent it: with the channel key, or PKI to a node whose key the mesh has heard (the
//!   software mesh keeps packets in the clear on its air, so the gateway encrypts them
//!   with the sending handset's key, which the sim knows). A packet without the
//!   `ok_to_mqtt` bit is not uplinked (firmware `MQTT::onSend`). On connecting, each
//!   gateway also publishes the NodeInfo of the handsets of its area, as their periodic
//!   NodeInfo broadcasts would reach the broker.
//! - **Downlink.** Texts and routing replies from other gateways (or an MQTT node such
//!   as the BBS) are decrypted (PKI ones with the key of the handset they are for) and
//!   transmitted in the area, paying that gateway's airtime: broadcasts always, a DM
//!   only when its destination is a node of this area. (Firmware gateways may flood a
//!   DM into every area; the sim sends it where its destination lives, as next-hop
//!   routing settles to, so each area's airtime carries only its own players.)
//!   NodeInfos teach the gateway keys (the first key a node announces stays); one
//!   that asks for answers gets the area's handsets' NodeInfos back.

use std::collections::HashMap;
use std::sync::Arc;

use meshmush_protocol::Message;
use meshmush_protocol::crypto::ChannelKey;
use meshmush_protocol::mqtt::{
    Channel, OK_TO_MQTT, PKI_CHANNEL, envelope, ok_to_mqtt, open_channel, open_envelope, open_pki,
    parse_topic, seal_channel, seal_channel_signed, seal_pki, subscription, topic,
};
use meshmush_protocol::packets::{BROADCAST, decoded, node_id};
use meshmush_protocol::proto::{self, MeshPacket, PortNum, User, mesh_packet};
use tokio::sync::mpsc;
use tracing::{Instrument, debug, info_span};

use super::air::Air;
use super::keys::key_of;
use super::node::Node;
use crate::mqtt::broker::{self, BrokerConfig, BrokerEvent};

/// Where the software mesh's gateways meet: a broker and a topic root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimMqtt {
    /// `host:port` of the broker.
    pub broker: String,
    /// Topic root, such as `msh/US`.
    pub root: String,
}

fn longfast() -> Channel {
    Channel::new(
        "LongFast",
        ChannelKey::from_psk(&[1]).unwrap_or(ChannelKey::None),
    )
}

/// Starts the MQTT side of gateway `gw` (of area `area`); returns where the air hands
/// it what the gateway hears.
pub(crate) fn start(
    air: Arc<Air>,
    gw: Arc<Node>,
    area: usize,
    cfg: &SimMqtt,
) -> mpsc::UnboundedSender<MeshPacket> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut bcfg = BrokerConfig::new(
        cfg.broker.clone(),
        format!("meshmush-sim-{}", node_id(gw.num)),
    );
    bcfg.subscriptions = vec![
        subscription(&cfg.root, "LongFast"),
        subscription(&cfg.root, PKI_CHANNEL),
    ];
    bcfg.backoff_max = std::time::Duration::from_secs(2);
    let (broker, events) = broker::connect(bcfg);
    let bridge = Bridge {
        gw_id: node_id(gw.num),
        gw,
        air,
        area,
        root: cfg.root.clone(),
        broker,
        channel: longfast(),
        keys: HashMap::new(),
    };
    let span = info_span!("sim_gateway", gateway = %bridge.gw_id, area);
    tokio::spawn(bridge.run(rx, events).instrument(span));
    tx
}

struct Bridge {
    gw: Arc<Node>,
    gw_id: String,
    air: Arc<Air>,
    area: usize,
    root: String,
    broker: broker::Broker,
    channel: Channel,
    /// Public keys learned from NodeInfos on the broker.
    keys: HashMap<u32, Vec<u8>>,
}

impl Bridge {
    async fn run(
        mut self,
        mut heard: mpsc::UnboundedReceiver<MeshPacket>,
        mut events: mpsc::Receiver<BrokerEvent>,
    ) {
        loop {
            tokio::select! {
                packet = heard.recv() => match packet {
                    Some(p) => self.uplink(p),
                    None => break,
                },
                event = events.recv() => match event {
                    // As handsets booting onto a mesh: their NodeInfos ask for replies,
                    // so a node already on the broker (the BBS) sends its key back.
                    Some(BrokerEvent::Up) => self.announce_area(true),
                    Some(BrokerEvent::Message { topic, payload }) => self.downlink(&topic, &payload),
                    Some(BrokerEvent::Down(_)) => {}
                    None => break,
                },
            }
        }
    }

    fn publish(&self, packet: MeshPacket, channel: &str) {
        let t = topic(&self.root, channel, &self.gw_id);
        self.broker
            .publish(t, envelope(packet, channel, &self.gw_id));
    }

    fn uplink(&self, packet: MeshPacket) {
        if !ok_to_mqtt(&packet) && packet.from != self.gw.num {
            debug!(from = %node_id(packet.from), id = packet.id, "not uplinked: no ok_to_mqtt");
            return;
        }
        let pki_key = (packet.pki_encrypted && packet.to != BROADCAST)
            .then(|| self.keys.get(&packet.to))
            .flatten()
            .filter(|_| self.air.is_sim_node(packet.from));
        if let Some(their) = pki_key {
            match seal_pki(packet.clone(), &key_of(packet.from), their, rand::random()) {
                Ok(sealed) => return self.publish(sealed, PKI_CHANNEL),
                Err(e) => debug!(error = %e, "PKI sealing failed; sent on the channel"),
            }
        }
        // What the sender signed travels inside the encrypted Data, as on the radio.
        let signature = self
            .air
            .signature_of(&packet)
            .and_then(|s| <[u8; 64]>::try_from(s).ok());
        let sealed = seal_channel_signed(packet, &self.channel, signature.as_ref());
        self.publish(sealed, &self.channel.name);
    }

    /// The NodeInfo of every handset of this area, as if each had just broadcast it;
    /// `ask` sets `want_response`, as a node joining a mesh does.
    fn announce_area(&self, ask: bool) {
        for node in self.air.nodes_in_area(self.area) {
            if node.num == self.gw.num {
                continue;
            }
            let mut user = node.user.clone();
            user.public_key = key_of(node.num).public().to_vec();
            let packet = MeshPacket {
                from: node.num,
                to: BROADCAST,
                id: node.next_packet_id(),
                hop_limit: 3,
                hop_start: 3,
                payload_variant: Some(mesh_packet::PayloadVariant::Decoded(proto::Data {
                    portnum: PortNum::NodeinfoApp as i32,
                    payload: user.encode_to_vec(),
                    bitfield: Some(OK_TO_MQTT),
                    want_response: ask,
                    ..Default::default()
                })),
                ..Default::default()
            };
            self.publish(seal_channel(packet, &self.channel), &self.channel.name);
        }
    }

    fn downlink(&mut self, topic: &str, payload: &[u8]) {
        let Some((channel, _)) = parse_topic(&self.root, topic) else {
            return;
        };
        let Ok(env) = open_envelope(payload) else {
            return;
        };
        if env.gateway_id == self.gw_id {
            return;
        }
        let Some(packet) = env.packet else { return };
        let local = self.air.area_of(packet.to) == Some(self.area);
        let opened = if channel == PKI_CHANNEL {
            let Some(sender_key) = self.keys.get(&packet.from) else {
                debug!(from = %node_id(packet.from), "PKI downlink dropped: no NodeInfo from its sender yet");
                return;
            };
            if !local {
                return;
            }
            open_pki(&packet, packet.to, &key_of(packet.to), sender_key)
        } else {
            open_channel(&packet, std::slice::from_ref(&self.channel)).map(|(_, p)| p)
        };
        let Some(mut packet) = opened else { return };
        let Some(data) = decoded(&packet) else { return };
        match PortNum::try_from(data.portnum) {
            Ok(PortNum::NodeinfoApp) => {
                if let Ok(user) = User::decode(data.payload.as_slice())
                    && user.public_key.len() == 32
                {
                    let new = !self.keys.contains_key(&packet.from);
                    self.keys.entry(packet.from).or_insert(user.public_key);
                    // A node that asks hears our handsets' NodeInfos back, as each
                    // handset's NodeInfoModule would answer it.
                    if new && data.want_response {
                        self.announce_area(false);
                    }
                }
            }
            Ok(PortNum::TextMessageApp | PortNum::RoutingApp)
                if packet.to == BROADCAST || local =>
            {
                packet.via_mqtt = true;
                packet.channel = 0;
                let (to, id) = (packet.to, packet.id);
                if !self.gw.enqueue(packet, false) {
                    debug!(to = %node_id(to), id, "downlink dropped: the gateway's queue is full");
                }
            }
            _ => {}
        }
    }
}
