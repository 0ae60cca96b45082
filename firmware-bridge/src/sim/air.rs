//! The shared medium ([`Air`]): every node, the radio settings and the faults, and how
//! a packet is carried from one node to others. A module of its own so the nodes, their
//! API clients and the gateways carry packets without importing `sim/mod.rs`, which
//! starts the mesh.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use meshmush_protocol::packets::BROADCAST;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use meshmush_protocol::proto::{self, MeshPacket, NodeInfo};

use super::faults::Faults;
use super::multihop::Output;
use super::multihop_air::MultiHopAir;
use super::node::Node;

/// A text that reached a virtual handset.
#[derive(Debug, Clone)]
pub struct VirtualReply {
    pub to: u32,
    pub text: String,
    pub at: tokio::time::Instant,
}

/// The shared medium: every node, the radio settings and the faults.
pub(crate) struct Air {
    pub(super) nodes: BTreeMap<u32, Arc<Node>>,
    pub faults: Arc<Faults>,
    pub preset: ModemPreset,
    pub region: RegionCode,
    /// [`SimConfig::allow_spoofing`].
    pub allow_spoofing: bool,
    /// The gateway's node number (which never spoofs).
    pub gateway: u32,
    /// Each area's gateway, by area.
    pub(super) gateways: Vec<u32>,
    /// Where each area's gateway hears its area for the broker (with MQTT on).
    pub(super) uplinks: std::sync::OnceLock<Vec<tokio::sync::mpsc::UnboundedSender<MeshPacket>>>,
    /// [`SimConfig::ok_to_mqtt`].
    pub ok_to_mqtt: bool,
    pub(super) sink: Option<tokio::sync::mpsc::UnboundedSender<VirtualReply>>,
    /// [`SimConfig::signing`].
    pub signing: bool,
    /// The signatures of packets on the air (see [`Signatures`]).
    pub(super) signatures: Mutex<Signatures>,
    /// The multi-hop model, when the mesh has a topology: it carries every packet
    /// instead of [`Air::carry`].
    pub(super) multihop: Option<Arc<MultiHopAir>>,
    /// Time scale 0 and no multi-hop model: a packet takes no time on the air, so a
    /// radio is never busy and its queue holds nothing for long (see
    /// [`Node::transmit_queued_now`](super::node::Node::transmit_queued_now)).
    pub(super) instant: bool,
}

/// Signatures riding beside their packets. The software air carries the `meshtastic`
/// crate's `MeshPacket`, which predates `Data.xeddsa_signature`, so what a sender
/// attached is kept here by (from, id) for the receivers and the gateways to read, as
/// if it were in the packet. Bounded: the oldest go first.
#[derive(Default)]
pub(crate) struct Signatures {
    order: VecDeque<(u32, u32)>,
    by_packet: HashMap<(u32, u32), Vec<u8>>,
}

/// Signatures kept at once: far more than can be on the air at a time.
const SIGNATURES_KEPT: usize = 4096;

impl Air {
    /// Attaches a signature to packet (`from`, `id`).
    pub fn sign(&self, from: u32, id: u32, signature: Vec<u8>) {
        let Ok(mut s) = self.signatures.lock() else {
            return;
        };
        if s.order.len() >= SIGNATURES_KEPT
            && let Some(old) = s.order.pop_front()
        {
            s.by_packet.remove(&old);
        }
        s.order.push_back((from, id));
        s.by_packet.insert((from, id), signature);
    }

    /// The signature the packet carries, if any.
    pub fn signature_of(&self, packet: &MeshPacket) -> Option<Vec<u8>> {
        self.signatures
            .lock()
            .ok()?
            .by_packet
            .get(&(packet.from, packet.id))
            .cloned()
    }
}

impl Air {
    /// A packet for a virtual handset: record a text, ack what wants an ack.
    fn to_virtual(&self, from: u32, packet: &MeshPacket) -> bool {
        let Some(sink) = &self.sink else { return false };
        if let Some(d) = meshmush_protocol::packets::decoded(packet)
            && d.portnum == proto::PortNum::TextMessageApp as i32
        {
            let _ = sink.send(VirtualReply {
                to: packet.to,
                text: String::from_utf8_lossy(&d.payload).into_owned(),
                at: tokio::time::Instant::now(),
            });
        }
        if packet.want_ack
            && let Some(sender) = self.nodes.get(&from)
        {
            let ack = meshmush_protocol::packets::routing_packet(
                packet.to,
                from,
                packet.id ^ 0x5a5a_5a5a,
                packet.id,
                proto::routing::Error::None,
            );
            sender.receive(ack, false);
        }
        true
    }

    /// Carries a packet from `from` to its destination(s); false when it was lost.
    pub fn carry(&self, from: u32, packet: &MeshPacket) -> bool {
        let area = self.area_of(from).unwrap_or(0);
        // The area's gateway hears everything said in its area (but its own sending).
        let uplinked = self.gateways.get(area) != Some(&from)
            && self
                .uplinks
                .get()
                .and_then(|u| u.get(area))
                .is_some_and(|tx| tx.send(packet.clone()).is_ok());
        let targets: Vec<&Arc<Node>> = if packet.to == BROADCAST {
            self.nodes
                .values()
                .filter(|n| n.num != from && n.area == area)
                .collect()
        } else {
            match self.nodes.get(&packet.to) {
                Some(n) if n.area == area => vec![n],
                // Out of range: only the broker can carry it there.
                Some(_) => return uplinked,
                None if uplinked => return true,
                None => return self.to_virtual(from, packet),
            }
        };
        if self.faults.roll_drop() {
            return false;
        }
        let pki = packet.pki_encrypted;
        for target in targets {
            let copies = if self.faults.roll_duplicate() { 2 } else { 1 };
            for _ in 0..copies {
                let delay = self.faults.roll_delay();
                let (node, packet) = (target.clone(), packet.clone());
                if delay.is_zero() {
                    node.receive(packet, pki);
                } else {
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        node.receive(packet, pki);
                    });
                }
            }
        }
        true
    }

    /// Hands one of the multi-hop model's outputs to the node's clients: a packet it
    /// decoded (with the hop fields and SNR it arrived with), or the firmware's
    /// implicit ACK or `MAX_RETRANSMIT` for a packet of its own.
    pub fn deliver_heard(&self, out: Output<MeshPacket>) {
        match out {
            Output::Delivered {
                node,
                frame,
                snr,
                rssi,
                ..
            } => {
                let Some(n) = self.nodes.get(&node) else {
                    return;
                };
                let mut packet = frame.payload;
                packet.hop_limit = u32::from(frame.hop_limit);
                packet.hop_start = u32::from(frame.hop_start);
                packet.relay_node = u32::from(frame.relay_node);
                packet.next_hop = u32::from(frame.next_hop);
                packet.want_ack = frame.want_ack;
                let pki = packet.pki_encrypted;
                n.receive_heard(packet, pki, snr as f32, rssi.round() as i32);
            }
            Output::ImplicitAck { node, id } => {
                if let Some(n) = self.nodes.get(&node) {
                    n.nak_to_clients(id, proto::routing::Error::None);
                }
            }
            Output::Failed { node, id } => {
                if let Some(n) = self.nodes.get(&node) {
                    n.nak_to_clients(id, proto::routing::Error::MaxRetransmit);
                }
            }
        }
    }

    /// The area of sim node `num`.
    pub fn area_of(&self, num: u32) -> Option<usize> {
        self.nodes.get(&num).map(|n| n.area)
    }

    pub fn is_sim_node(&self, num: u32) -> bool {
        self.nodes.contains_key(&num)
    }

    pub(super) fn nodes_in_area(&self, area: usize) -> impl Iterator<Item = &Arc<Node>> {
        self.nodes.values().filter(move |n| n.area == area)
    }

    /// Every node's info but `except`'s, for a handshake.
    pub fn node_infos(&self, except: u32) -> Vec<NodeInfo> {
        self.nodes
            .values()
            .filter(|n| n.num != except)
            .map(|n| {
                let mut info = n.node_info();
                if self.faults.key_unknown(n.num)
                    && let Some(u) = info.user.as_mut()
                {
                    u.public_key.clear();
                }
                info
            })
            .collect()
    }
}
