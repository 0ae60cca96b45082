//! What the model carries and reports: a frame (the firmware's radio header around an
//! opaque payload), a send from a node's own client, what nodes hand up to their
//! clients, and the per-node counters.

use super::flooding::Micros;

/// Broadcast address.
pub const BROADCAST: u32 = 0xffff_ffff;

/// A payload the model carries without looking inside; it only has to make ACKs.
pub trait Payload: Clone {
    /// The payload of an ACK (`Routing`, error NONE) from `from` to `to` for
    /// `request_id`.
    fn ack(from: u32, to: u32, id: u32, request_id: u32) -> Self;
}

impl Payload for () {
    fn ack(_: u32, _: u32, _: u32, _: u32) -> Self {}
}

/// A packet on the air: the fields of the firmware's `PacketHeader`
/// (src/mesh/RadioInterface.h) and of `Data` that routing reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<P> {
    pub from: u32,
    pub to: u32,
    pub id: u32,
    pub hop_limit: u8,
    pub hop_start: u8,
    pub want_ack: bool,
    /// Last byte of the node asked to relay it; 0 = anyone (flooding).
    pub next_hop: u8,
    /// Last byte of the node that sent this copy.
    pub relay_node: u8,
    /// `Data.request_id`: non-zero on an ACK or a reply.
    pub request_id: u32,
    /// Bytes on air (header included).
    pub phy_len: usize,
    pub payload: P,
}

impl<P> Frame<P> {
    pub fn key(&self) -> (u32, u32) {
        (self.from, self.id)
    }

    /// Sent without a next hop: every node in range may relay it.
    pub fn floods(&self) -> bool {
        self.next_hop == 0
    }
}

/// A packet a node's own client sends.
#[derive(Debug, Clone)]
pub struct Send<P> {
    pub to: u32,
    pub id: u32,
    pub want_ack: bool,
    /// As the client asked (0 = the node's configured limit when `want_ack`).
    pub hop_limit: u8,
    pub request_id: u32,
    pub phy_len: usize,
    pub payload: P,
}

/// What the model hands up to a node's clients.
#[derive(Debug, Clone)]
pub enum Output<P> {
    /// A packet for the node (or broadcast), heard for the first time.
    Delivered {
        node: u32,
        frame: Frame<P>,
        rssi: f64,
        snr: f64,
    },
    /// The node heard its packet relayed: the firmware acks it to the client itself
    /// (ReliableRouter.cpp `shouldFilterReceived`).
    ImplicitAck { node: u32, id: u32 },
    /// The node's packet got no ack after every retry: `MAX_RETRANSMIT`.
    Failed { node: u32, id: u32 },
}

/// One transmission, for tests and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TxRecord {
    pub at: Micros,
    pub airtime: Micros,
    /// Who transmitted it.
    pub node: u32,
    pub from: u32,
    pub to: u32,
    pub id: u32,
    pub hop_limit: u8,
    pub next_hop: u8,
    pub request_id: u32,
}

/// What one node did on the air.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeCounters {
    /// Transmissions without a next hop (broadcasts and flooded DMs), and their
    /// airtime.
    pub tx_flooded: u64,
    pub airtime_flooded_us: u64,
    /// Transmissions to a learned next hop, and their airtime.
    pub tx_next_hop: u64,
    pub airtime_next_hop_us: u64,
    /// Of those, copies of other nodes' packets.
    pub relayed: u64,
    /// Relays given up on hearing another node's.
    pub relays_cancelled: u64,
    /// Retransmissions for want of an ack.
    pub retransmissions: u64,
    pub implicit_acks: u64,
    /// Packets decoded, and packets lost to collisions or to transmitting meanwhile.
    pub rx_ok: u64,
    pub rx_lost: u64,
}

impl NodeCounters {
    pub fn transmissions(&self) -> u64 {
        self.tx_flooded + self.tx_next_hop
    }

    pub fn airtime_us(&self) -> u64 {
        self.airtime_flooded_us + self.airtime_next_hop_us
    }
}
