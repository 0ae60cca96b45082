//! What a `FromRadio` means to the host, and the `ToRadio` frames the host sends.
//!
//! The link and the software node both speak in these terms, so the rules of the
//! protocol (a DM is `to == my_node_num`, a channel text is `to == BROADCAST`, an ack
//! is a `ROUTING_APP` packet whose `request_id` names our packet) live in one place.

use prost::Message;
use rand::Rng;

use crate::crypto::signing::PacketSignature;
use crate::framing::Received;
use crate::proto::{
    self, Data, FromRadio, Heartbeat, MeshPacket, MyNodeInfo, NodeInfo, PortNum, QueueStatus,
    Routing, ToRadio, from_radio, mesh_packet, routing, to_radio,
};

/// Destination meaning "everyone on the channel".
pub const BROADCAST: u32 = 0xFFFF_FFFF;
/// The channel index a direct message is sent on. Firmware uses the primary
/// channel's local index (0) for DMs, so every DM we send, and every DM the software
/// node hands up, carries this index; only a broadcast names another channel.
pub const PRIMARY_CHANNEL: u32 = 0;
/// `want_config_id` nonce asking for config only, without the node database.
pub const CONFIG_ONLY_NONCE: u32 = 69420;
/// Default hop limit for packets we originate.
pub const DEFAULT_HOP_LIMIT: u32 = 3;
/// The most hops the firmware allows.
pub use crate::hops::MAX_HOP_LIMIT;
/// The largest `Data.payload` the firmware accepts.
pub const MAX_DATA_PAYLOAD: usize = 233;

/// A text message received from the mesh.
#[derive(Debug, Clone, PartialEq)]
pub struct TextMessage {
    pub from: u32,
    pub to: u32,
    /// Local channel index the packet arrived on.
    pub channel: u32,
    pub id: u32,
    pub text: String,
    /// Seconds since the epoch as stamped by the receiving node (0 if unknown).
    pub rx_time: u32,
    pub rx_snr: Option<f32>,
    pub rx_rssi: Option<i32>,
    /// Hops the packet took, when known (see [`crate::hops::hops_away`]).
    pub hops: Option<u32>,
    /// The hop limit the sender started it with (`hop_start`; 0 from firmware before
    /// 2.3, or for a zero-hop packet).
    pub hop_start: u32,
    /// True for a PKI-encrypted direct message: the sender id cannot be forged.
    pub pki_encrypted: bool,
    /// The sender's public key (32 bytes), present only on a PKI-encrypted packet.
    ///
    /// The node that decrypted the packet puts the key it decrypted with here: the
    /// firmware's `Router::perhapsDecode` (src/mesh/Router.cpp) first clears
    /// `pki_encrypted` and `public_key` on every packet it decodes, and sets them again
    /// (`pki_encrypted = true`, `public_key` = the sender's 32-byte key from its NodeDB)
    /// only after the AES-CCM decryption with that key succeeded. So a key here proves
    /// the sender held the matching private key; a plaintext packet never carries one
    /// (whatever a forger put in the field is dropped).
    pub public_key: Option<Vec<u8>>,
    /// The packet's XEdDSA signature, when it had one (firmware 2.8+ signs plain
    /// broadcasts); see [`crate::crypto::signing`]. It proves the sender only once
    /// checked against the sender's key.
    pub signature: Option<PacketSignature>,
    pub want_ack: bool,
    /// The packet this one answers (`Data.reply_id`): a meshmush BBS names the command
    /// a reply is for, so a client tells its replies from notices.
    pub reply_id: Option<u32>,
    /// A reaction (`Data.emoji` set): the text is an emoji the person tapped on the
    /// message `reply_id` names, not something they typed. mesh.proto: "If true,
    /// then what is in the payload should be treated as an emoji like giving a
    /// message a heart or poop emoji" (`fixed32 emoji = 8`; the apps set it to 1).
    pub emoji: bool,
}

/// The delivery outcome of a packet we sent, from a `ROUTING_APP` reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingResult {
    /// The id of our original packet.
    pub request_id: u32,
    /// The node that answered (the destination for an ack).
    pub from: u32,
    /// `None` when delivered; otherwise the firmware's reason.
    pub error: Option<routing::Error>,
}

impl RoutingResult {
    pub fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// What an incoming `FromRadio` is, from the host's point of view.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// A text addressed to our node.
    DirectText(TextMessage),
    /// A text broadcast on a channel (`channel` holds the local index).
    ChannelText(TextMessage),
    /// An ack or nak for one of our packets.
    Routing(RoutingResult),
    /// The node's own identity (first in a handshake, or after a reboot).
    MyInfo(MyNodeInfo),
    NodeInfo(Box<NodeInfo>),
    QueueStatus(QueueStatus),
    /// End of the handshake for the given nonce.
    ConfigComplete(u32),
    /// The node says it rebooted.
    Rebooted,
    /// The node's own device metrics (its `DeviceTelemetryModule` sends them to the
    /// phone every minute): how busy the channel is.
    Load(ChannelLoad),
    /// Anything else (config, channels, telemetry, texts between other nodes, ...).
    Other,
}

/// How busy the node finds the channel, from its `DeviceMetrics` telemetry: percent
/// of the last minute the channel was busy (`channel_utilization`, every packet heard
/// or sent, noise included) and percent of the last hour the node itself transmitted
/// (`air_util_tx`). The firmware fills both from its AirTime module
/// (src/modules/Telemetry/DeviceTelemetry.cpp, `getDeviceTelemetry`) and sends them to
/// the phone every minute (DeviceTelemetry.h: `sendToPhoneIntervalMs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelLoad {
    pub channel_util: f32,
    pub air_util_tx: f32,
}

/// Classifies an incoming frame for a host whose node number is `my_node_num`.
pub fn classify(msg: &FromRadio, my_node_num: u32) -> Inbound {
    use from_radio::PayloadVariant as V;
    match &msg.payload_variant {
        Some(V::Packet(p)) => classify_packet(p, my_node_num),
        Some(V::MyInfo(i)) => Inbound::MyInfo(i.clone()),
        Some(V::NodeInfo(n)) => Inbound::NodeInfo(Box::new(n.clone())),
        Some(V::QueueStatus(q)) => Inbound::QueueStatus(*q),
        Some(V::ConfigCompleteId(id)) => Inbound::ConfigComplete(*id),
        Some(V::Rebooted(_)) => Inbound::Rebooted,
        _ => Inbound::Other,
    }
}

/// Classifies a frame as the link reads it: a text keeps its packet's signature.
pub fn classify_received(received: &Received, my_node_num: u32) -> Inbound {
    let mut inbound = classify(&received.msg, my_node_num);
    if let Inbound::DirectText(t) | Inbound::ChannelText(t) = &mut inbound {
        t.signature.clone_from(&received.signature);
    }
    inbound
}

/// Classifies a mesh packet as seen by node `my_node_num`.
pub fn classify_packet(p: &MeshPacket, my_node_num: u32) -> Inbound {
    let Some(data) = decoded(p) else {
        return Inbound::Other;
    };
    match PortNum::try_from(data.portnum) {
        Ok(PortNum::TextMessageApp) => {
            let msg = text_message(p, data);
            if p.to == my_node_num {
                Inbound::DirectText(msg)
            } else if p.to == BROADCAST {
                Inbound::ChannelText(msg)
            } else {
                Inbound::Other
            }
        }
        // Our node's own metrics: `from` is the node (or 0, "this node"), to everyone.
        Ok(PortNum::TelemetryApp) if p.from == my_node_num || p.from == 0 => {
            channel_load(&data.payload).map_or(Inbound::Other, Inbound::Load)
        }
        Ok(PortNum::RoutingApp) if data.request_id != 0 && p.to == my_node_num => {
            match Routing::decode(data.payload.as_slice()) {
                Ok(Routing {
                    variant: Some(routing::Variant::ErrorReason(code)),
                }) => Inbound::Routing(RoutingResult {
                    request_id: data.request_id,
                    from: p.from,
                    error: match routing::Error::try_from(code) {
                        Ok(routing::Error::None) => None,
                        Ok(e) => Some(e),
                        Err(_) => Some(routing::Error::BadRequest),
                    },
                }),
                _ => Inbound::Other,
            }
        }
        _ => Inbound::Other,
    }
}

/// The channel load in a `Telemetry` payload, when it holds device metrics with
/// `channel_utilization`.
fn channel_load(payload: &[u8]) -> Option<ChannelLoad> {
    use proto::telemetry::Variant;
    let t = proto::Telemetry::decode(payload).ok()?;
    let Some(Variant::DeviceMetrics(m)) = t.variant else {
        return None;
    };
    Some(ChannelLoad {
        channel_util: m.channel_utilization?,
        air_util_tx: m.air_util_tx.unwrap_or(0.0),
    })
}

/// A `TELEMETRY_APP` packet from `from` to everyone with device metrics showing this
/// channel load, as the firmware's `DeviceTelemetryModule::sendTelemetry` builds it
/// (BACKGROUND priority).
pub fn telemetry_packet(from: u32, id: u32, load: ChannelLoad) -> MeshPacket {
    let t = proto::Telemetry {
        variant: Some(proto::telemetry::Variant::DeviceMetrics(
            proto::DeviceMetrics {
                channel_utilization: Some(load.channel_util),
                air_util_tx: Some(load.air_util_tx),
                ..Default::default()
            },
        )),
        ..Default::default()
    };
    MeshPacket {
        from,
        to: BROADCAST,
        id,
        priority: mesh_packet::Priority::Background as i32,
        payload_variant: Some(mesh_packet::PayloadVariant::Decoded(Data {
            portnum: PortNum::TelemetryApp as i32,
            payload: t.encode_to_vec(),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// The decoded payload of a packet, if it was not left encrypted.
pub fn decoded(p: &MeshPacket) -> Option<&Data> {
    match &p.payload_variant {
        Some(mesh_packet::PayloadVariant::Decoded(d)) => Some(d),
        _ => None,
    }
}

fn text_message(p: &MeshPacket, data: &Data) -> TextMessage {
    TextMessage {
        from: p.from,
        to: p.to,
        channel: p.channel,
        id: p.id,
        text: String::from_utf8_lossy(&data.payload).into_owned(),
        rx_time: p.rx_time,
        rx_snr: (p.rx_snr != 0.0).then_some(p.rx_snr),
        rx_rssi: (p.rx_rssi != 0).then_some(p.rx_rssi),
        hops: crate::hops::hops_away(p.hop_start, p.hop_limit, data.bitfield.is_some()),
        hop_start: p.hop_start,
        pki_encrypted: p.pki_encrypted,
        public_key: (p.pki_encrypted && !p.public_key.is_empty()).then(|| p.public_key.clone()),
        signature: None,
        want_ack: p.want_ack,
        reply_id: (data.reply_id != 0).then_some(data.reply_id),
        emoji: data.emoji != 0,
    }
}

/// An outgoing text, before it gets a packet id.
#[derive(Debug, Clone, PartialEq)]
pub struct TextOut {
    pub dest: u32,
    pub channel: u32,
    pub text: String,
    pub want_ack: bool,
    pub hop_limit: u32,
    /// `MeshPacket.priority`: where the node's transmit queue puts it. The firmware's
    /// `MeshPacketQueue` (src/mesh/MeshPacketQueue.cpp, `CompareMeshPacketFunc`) sends
    /// a higher priority first and keeps order within one; `UNSET` lets the firmware
    /// choose (src/mesh/Router.cpp: RELIABLE for want_ack, else DEFAULT).
    pub priority: mesh_packet::Priority,
    /// The packet this text answers, sent as `Data.reply_id` (5 bytes more on the
    /// air: `airtime::reply_phy_len`). The apps show such a text as a reply to that
    /// message; `meshmush chat` tells a command's reply from a notice by it.
    pub reply_id: Option<u32>,
}

impl TextOut {
    /// A direct message with an ack requested and the default hop limit.
    pub fn direct(dest: u32, text: impl Into<String>) -> Self {
        Self {
            dest,
            channel: PRIMARY_CHANNEL,
            text: text.into(),
            want_ack: true,
            hop_limit: DEFAULT_HOP_LIMIT,
            priority: mesh_packet::Priority::Unset,
            reply_id: None,
        }
    }

    /// The mesh packet for this text with packet id `id` (from `from`, 0 = "this node").
    pub fn to_mesh_packet(&self, from: u32, id: u32) -> MeshPacket {
        MeshPacket {
            from,
            to: self.dest,
            channel: self.channel,
            id,
            hop_limit: self.hop_limit.min(MAX_HOP_LIMIT),
            hop_start: self.hop_limit.min(MAX_HOP_LIMIT),
            want_ack: self.want_ack,
            priority: self.priority as i32,
            payload_variant: Some(mesh_packet::PayloadVariant::Decoded(Data {
                portnum: PortNum::TextMessageApp as i32,
                payload: self.text.as_bytes().to_vec(),
                reply_id: self.reply_id.unwrap_or(0),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    /// The `ToRadio` frame sending this text as packet `id`.
    pub fn to_radio(&self, id: u32) -> ToRadio {
        ToRadio {
            payload_variant: Some(to_radio::PayloadVariant::Packet(self.to_mesh_packet(0, id))),
        }
    }
}

/// A routing reply (`error == None` is an ack) from `from` to `to` about `request_id`.
pub fn routing_packet(
    from: u32,
    to: u32,
    id: u32,
    request_id: u32,
    error: routing::Error,
) -> MeshPacket {
    let routing = Routing {
        variant: Some(routing::Variant::ErrorReason(error as i32)),
    };
    MeshPacket {
        from,
        to,
        id,
        priority: mesh_packet::Priority::Ack as i32,
        payload_variant: Some(mesh_packet::PayloadVariant::Decoded(Data {
            portnum: PortNum::RoutingApp as i32,
            payload: routing.encode_to_vec(),
            request_id,
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// `ToRadio.want_config_id = nonce`.
pub fn want_config(nonce: u32) -> ToRadio {
    ToRadio {
        payload_variant: Some(to_radio::PayloadVariant::WantConfigId(nonce)),
    }
}

/// `ToRadio.heartbeat`.
pub fn heartbeat(nonce: u32) -> ToRadio {
    ToRadio {
        payload_variant: Some(to_radio::PayloadVariant::Heartbeat(Heartbeat { nonce })),
    }
}

/// `ToRadio.disconnect`: the client is leaving.
pub fn disconnect() -> ToRadio {
    ToRadio {
        payload_variant: Some(to_radio::PayloadVariant::Disconnect(true)),
    }
}

/// A random handshake nonce that is neither 0 nor the config-only value.
pub fn config_nonce(rng: &mut impl Rng) -> u32 {
    loop {
        let n: u32 = rng.random();
        if n != 0 && n != CONFIG_ONLY_NONCE {
            return n;
        }
    }
}

/// Hands out fresh, non-zero packet ids: a random start, then counting up, as the
/// firmware does, so ids stay unique for the dedupe window of every node.
#[derive(Debug, Clone)]
pub struct PacketIds {
    next: u32,
}

impl PacketIds {
    pub fn new(rng: &mut impl Rng) -> Self {
        Self { next: rng.random() }
    }

    pub fn starting_at(next: u32) -> Self {
        Self { next }
    }

    pub fn next_id(&mut self) -> u32 {
        loop {
            let id = self.next;
            self.next = self.next.wrapping_add(1);
            if id != 0 {
                return id;
            }
        }
    }
}

/// The node id as Meshtastic prints it: `!` and eight lowercase hex digits.
pub fn node_id(num: u32) -> String {
    format!("!{num:08x}")
}

/// Parses `!1234abcd`, `0x1234abcd` or a decimal node number.
pub fn parse_node_id(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('!').or_else(|| s.strip_prefix("0x")) {
        u32::from_str_radix(hex, 16).ok()
    } else {
        s.parse().ok()
    }
}

/// Reads `proto::config::lo_ra_config::ModemPreset` from an `i32` field, if known.
pub fn modem_preset(value: i32) -> Option<proto::config::lo_ra_config::ModemPreset> {
    proto::config::lo_ra_config::ModemPreset::try_from(value).ok()
}

#[cfg(test)]
mod tests;
