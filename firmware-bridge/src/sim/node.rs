//! One simulated node: its identity, its transmit queue of 16, its duty-cycle tracker,
//! its dedupe of what it heard, and the API clients attached to it.
//!
//! A node's transmitter takes one packet at a time, spends its time on air (scaled),
//! refuses with `DUTY_CYCLE_LIMIT` when the region's budget is used up, and hands the
//! packet to the air; a unicast `want_ack` packet that the air loses is retransmitted
//! up to three times, then NAKed with `MAX_RETRANSMIT`, as the firmware does.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures::FutureExt;
use meshmush_protocol::Message;
use meshmush_protocol::airtime::{MESH_HEADER, PKI_OVERHEAD, time_on_air};
use meshmush_protocol::crypto::signing::{self, PacketSignature};
use meshmush_protocol::framing::Received;
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL, PacketIds, decoded, routing_packet};
use meshmush_protocol::proto::{
    FromRadio, MeshPacket, NodeInfo, QueueStatus, User, from_radio, routing,
};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use super::air::Air;
use crate::link::{AirtimeBudget, Dedupe};

/// Slots in a node's transmit queue, as in the firmware.
pub const TX_QUEUE_LEN: usize = 16;
/// Retransmissions of a unicast packet that wants an ack.
pub const MAX_RETRANSMIT: u32 = 3;
/// Packets a node keeps for its phone while no client is connected (the firmware's
/// to-phone queue); the oldest go first when it overflows.
pub const TO_PHONE_LEN: usize = 32;
/// `queueStatus.res` for a refused packet (the firmware's ERRNO_UNKNOWN).
pub const QUEUE_REFUSED: i32 = 32;

/// What a node writes to one API client.
#[derive(Debug, Clone)]
pub(crate) enum ClientMsg {
    Frame(Box<Received>),
    Raw(Vec<u8>),
    Close,
}

#[derive(Debug)]
pub(crate) struct Client {
    pub id: u64,
    pub tx: mpsc::Sender<ClientMsg>,
    /// Past the handshake: receives packets.
    pub active: bool,
    /// Under [`NodeFault::Silent`](super::NodeFault::Silent): gets nothing, is not answered.
    pub silent: bool,
}

pub(crate) struct Node {
    pub num: u32,
    /// The radio area it hears and is heard in.
    pub area: usize,
    pub user: User,
    air: Weak<Air>,
    queue: Mutex<VecDeque<MeshPacket>>,
    wake: Notify,
    seen: Mutex<Dedupe>,
    duty: Mutex<AirtimeBudget>,
    pub clients: Mutex<Vec<Client>>,
    to_phone: Mutex<VecDeque<Received>>,
    pub reboot_count: AtomicU32,
    from_radio_ids: AtomicU32,
    ids: Mutex<PacketIds>,
    /// The last `queueStatus` told the clients the queue was full: when a slot frees,
    /// they are told unasked, as the firmware's `MeshService::loop` does.
    reported_full: AtomicBool,
    /// Frames not written to a client whose queue was full (as firmware drops what its
    /// phone does not read in time).
    pub dropped: AtomicU64,
}

impl Node {
    pub fn new(
        num: u32,
        area: usize,
        user: User,
        air: Weak<Air>,
        duty: AirtimeBudget,
    ) -> Arc<Self> {
        Arc::new(Self {
            num,
            area,
            user,
            air,
            queue: Mutex::new(VecDeque::with_capacity(TX_QUEUE_LEN)),
            wake: Notify::new(),
            seen: Mutex::new(Dedupe::new(1024)),
            duty: Mutex::new(duty),
            clients: Mutex::new(Vec::new()),
            to_phone: Mutex::new(VecDeque::new()),
            reboot_count: AtomicU32::new(0),
            from_radio_ids: AtomicU32::new(1),
            ids: Mutex::new(PacketIds::new(&mut rand::rng())),
            reported_full: AtomicBool::new(false),
            dropped: AtomicU64::new(0),
        })
    }

    pub fn node_info(&self) -> NodeInfo {
        NodeInfo {
            num: self.num,
            user: Some(self.user.clone()),
            snr: 6.25,
            last_heard: epoch_secs(),
            hops_away: Some(0),
            ..Default::default()
        }
    }

    pub fn next_packet_id(&self) -> u32 {
        self.ids.lock().map(|mut ids| ids.next_id()).unwrap_or(1)
    }

    /// Wraps a payload in a `FromRadio` with the node's running id.
    pub fn frame(&self, v: from_radio::PayloadVariant) -> FromRadio {
        FromRadio {
            id: self.from_radio_ids.fetch_add(1, Ordering::Relaxed),
            payload_variant: Some(v),
        }
    }

    pub fn queue_status(&self, res: i32, mesh_packet_id: u32) -> FromRadio {
        let full = res != 0
            || self
                .air
                .upgrade()
                .is_some_and(|a| a.faults.queue_full(self.num));
        let len = if full {
            TX_QUEUE_LEN
        } else {
            self.queue.lock().map(|q| q.len()).unwrap_or(TX_QUEUE_LEN)
        };
        self.reported_full
            .store(len >= TX_QUEUE_LEN, Ordering::Relaxed);
        self.frame(from_radio::PayloadVariant::QueueStatus(QueueStatus {
            res,
            free: (TX_QUEUE_LEN - len.min(TX_QUEUE_LEN)) as u32,
            maxlen: TX_QUEUE_LEN as u32,
            mesh_packet_id,
        }))
    }

    /// Queues a packet for transmission; false when the queue is full. A routing ack
    /// (`ack`) is always queued, as the firmware's ack replaces a lower packet when the
    /// queue is full (src/mesh/MeshPacketQueue.cpp `replaceLowerPriorityPacket`).
    pub fn enqueue(&self, packet: MeshPacket, ack: bool) -> bool {
        let Ok(mut q) = self.queue.lock() else {
            return false;
        };
        if q.len() >= TX_QUEUE_LEN && !ack {
            return false;
        }
        // In priority order, in arrival order within one, as the firmware's
        // MeshPacketQueue does (`enqueue`: upper_bound by priority). An ack (ACK
        // priority) goes ahead of every reply but one a client marked MAX.
        let p = tx_priority(&packet);
        let at = q
            .iter()
            .rposition(|queued| tx_priority(queued) >= p)
            .map_or(0, |i| i + 1);
        q.insert(at, packet);
        drop(q);
        self.wake.notify_one();
        true
    }

    /// A reboot loses the transmit queue and what was kept for the phone.
    pub fn clear_queue(&self) {
        if let Ok(mut q) = self.queue.lock() {
            q.clear();
        }
        if let Ok(mut q) = self.to_phone.lock() {
            q.clear();
        }
    }

    /// Hands a received packet to the connected clients, or keeps it until one
    /// finishes its handshake.
    fn to_phone(&self, frame: Received) {
        let Ok(clients) = self.clients.lock() else {
            return;
        };
        if clients.iter().any(|c| c.active && !c.silent) {
            drop(clients);
            self.send_clients(ClientMsg::Frame(Box::new(frame)), false);
            return;
        }
        if let Ok(mut q) = self.to_phone.lock() {
            if q.len() >= TO_PHONE_LEN {
                q.pop_front();
            }
            q.push_back(frame);
        }
    }

    /// Marks client `id` as past its handshake and gives it what was kept meanwhile.
    pub fn activate(&self, id: u64) {
        let Ok(mut clients) = self.clients.lock() else {
            return;
        };
        let Some(c) = clients.iter_mut().find(|c| c.id == id) else {
            return;
        };
        c.active = true;
        let kept: Vec<Received> = self
            .to_phone
            .lock()
            .map(|mut q| q.drain(..).collect())
            .unwrap_or_default();
        for frame in kept {
            let _ = c.tx.try_send(ClientMsg::Frame(Box::new(frame)));
        }
    }

    /// True when client `id` is silenced: the node neither answers nor acts on it.
    pub fn is_silent(&self, id: u64) -> bool {
        self.clients
            .lock()
            .map(|c| c.iter().any(|c| c.id == id && c.silent))
            .unwrap_or(false)
    }

    /// Sends a frame to every client past its handshake (or to all, for `all`).
    pub fn to_clients(&self, msg: &FromRadio, all: bool) {
        self.send_clients(ClientMsg::Frame(Box::new(msg.clone().into())), all);
    }

    pub fn send_clients(&self, msg: ClientMsg, all: bool) {
        if let Ok(clients) = self.clients.lock() {
            for c in clients.iter().filter(|c| !c.silent && (all || c.active)) {
                if c.tx.try_send(msg.clone()).is_err() {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(
                        node = self.num,
                        client = c.id,
                        "sim client is slow; frame dropped"
                    );
                }
            }
        }
    }

    /// Tells this node's clients a packet of theirs failed with `reason`.
    pub fn nak_to_clients(&self, request_id: u32, reason: routing::Error) {
        let p = routing_packet(
            self.num,
            self.num,
            self.next_packet_id(),
            request_id,
            reason,
        );
        self.to_clients(&self.frame(from_radio::PayloadVariant::Packet(p)), false);
    }

    /// The transmitter: one packet at a time, paying airtime and duty cycle.
    pub async fn transmit_loop(
        self: Arc<Self>,
        time_scale: f64,
        preset: meshmush_protocol::proto::config::lo_ra_config::ModemPreset,
    ) {
        loop {
            let Some(packet) = self.next_to_send() else {
                self.wake.notified().await;
                continue;
            };
            let Some(air) = self.air.upgrade() else {
                return;
            };
            if let Some(radio) = &air.multihop {
                // The multi-hop model pays the airtime, waits, retries and acks.
                radio.send(self.num, packet);
                continue;
            }
            let pki = packet.pki_encrypted;
            let len = MESH_HEADER
                + decoded(&packet).map_or(0, |d| d.encoded_len())
                + if pki { PKI_OVERHEAD } else { 0 };
            let airtime = time_on_air(preset, len).mul_f64(time_scale.max(0.0));
            self.send(&air, &packet, airtime).await;
        }
    }

    /// Puts `packet` on the air, each try `airtime` long: a DM that wants an ack goes
    /// again until acked, up to the firmware's retransmissions, anything else once. A
    /// packet of this node's own that the duty cycle refuses or that every try loses is
    /// NAKed to the clients.
    async fn send(&self, air: &Air, packet: &MeshPacket, airtime: Duration) {
        let unicast_ack = packet.to != BROADCAST && packet.want_ack;
        let attempts = if unicast_ack { 1 + MAX_RETRANSMIT } else { 1 };
        let mut delivered = false;
        for _ in 0..attempts {
            if !self.duty_allows(airtime) {
                if packet.from == self.num {
                    self.nak_to_clients(packet.id, routing::Error::DutyCycleLimit);
                }
                delivered = true; // reported; nothing more to do
                break;
            }
            if !airtime.is_zero() {
                tokio::time::sleep(airtime).await;
            }
            if air.carry(self.num, packet) {
                delivered = true;
                break;
            }
        }
        if !delivered && packet.from == self.num {
            self.nak_to_clients(packet.id, routing::Error::MaxRetransmit);
        }
    }

    /// On an instant mesh, sends what is queued at once, in the caller's task: a radio
    /// whose packets take no time is never busy, so its queue empties as soon as it is
    /// handed a packet. Left to the transmit loop, a packet stayed queued until that
    /// task next ran, and the queue status told the client the slot was still taken:
    /// a stand-in for a busy radio that no real node has, which held the daemon's
    /// replies behind its kept slots. The client reader calls this after it has
    /// answered with the packet's queue status, so the client hears the status before
    /// the packet's ACK, as from a real node.
    pub fn transmit_queued_now(&self) {
        let Some(air) = self.air.upgrade() else {
            return;
        };
        if !air.instant {
            return;
        }
        while let Some(packet) = self.next_to_send() {
            // With no airtime to pay, sending never waits: done at its first poll.
            let sent = self.send(&air, &packet, Duration::ZERO).now_or_never();
            debug_assert!(sent.is_some(), "an instant send waited");
        }
    }

    /// The next queued packet, telling the clients unasked when this frees a slot of a
    /// queue they were told was full (as the firmware's `MeshService::loop` does).
    fn next_to_send(&self) -> Option<MeshPacket> {
        let packet = self.queue.lock().ok().and_then(|mut q| q.pop_front())?;
        if self.reported_full.load(Ordering::Relaxed) {
            self.to_clients(&self.queue_status(0, 0), false);
        }
        Some(packet)
    }

    fn duty_allows(&self, airtime: Duration) -> bool {
        let Ok(mut duty) = self.duty.lock() else {
            return true;
        };
        let now = Instant::now();
        if duty.limit().is_zero() || duty.used(now) + airtime <= duty.limit() {
            duty.spend(now, airtime);
            return true;
        }
        false
    }

    /// A packet heard on the air. Repeats are dropped, but a repeat of a DM that wants
    /// an ack is acked again (the first ack may have been lost).
    pub fn receive(&self, mut packet: MeshPacket, pki: bool) {
        // A handset placed some hops away (single-hop sim's faults): its hop fields.
        if !self.across_placed_hops(&mut packet) {
            return;
        }
        self.receive_with(packet, pki, None);
    }

    /// A packet the multi-hop model delivered, heard at `snr` dB and `rssi` dBm: the
    /// model has acked it already and set its hop fields.
    pub fn receive_heard(&self, packet: MeshPacket, pki: bool, snr: f32, rssi: i32) {
        self.receive_with(packet, pki, Some((snr, rssi)));
    }

    fn receive_with(&self, mut packet: MeshPacket, pki: bool, heard: Option<(f32, i32)>) {
        let first = self
            .seen
            .lock()
            .map(|mut s| s.first_time(packet.from, packet.id))
            .unwrap_or(true);
        let for_me = packet.to == self.num;
        if for_me && packet.want_ack && heard.is_none() {
            let ack = routing_packet(
                self.num,
                packet.from,
                self.next_packet_id(),
                packet.id,
                routing::Error::None,
            );
            self.enqueue(ack, true);
        }
        if !first || !(for_me || packet.to == BROADCAST) {
            return;
        }
        packet.rx_time = epoch_secs();
        (packet.rx_snr, packet.rx_rssi) = heard.unwrap_or((6.25, -71));
        packet.pki_encrypted = for_me && pki && decoded(&packet).is_some_and(|d| d.portnum == 1);
        // As the firmware's `Router::perhapsDecode` (src/mesh/Router.cpp) does: the key
        // field is cleared on every packet and set to the sender's key only when the
        // packet was PKI-decrypted with it.
        packet.public_key = if packet.pki_encrypted {
            super::keys::public_key_of(packet.from)
        } else {
            Vec::new()
        };
        if packet.channel != PRIMARY_CHANNEL && packet.to != BROADCAST {
            packet.channel = PRIMARY_CHANNEL;
        }
        let air = self.air.upgrade();
        let signature = air.as_ref().and_then(|a| a.signature_of(&packet));
        let signature = match signature {
            None => None,
            // As `Router.cpp` `checkXeddsaReceivePolicy`: checked against the key the
            // node holds for `from` (every sim node knows every sim key); a signature
            // that fails is dropped, one that verifies is marked `xeddsa_signed`.
            Some(sig) if verify_text(&packet, &sig) => Some(PacketSignature {
                signature: sig,
                node_verified: true,
            }),
            Some(_) => {
                tracing::debug!(node = self.num, from = packet.from, "bad signature dropped");
                return;
            }
        };
        let frame = Received {
            msg: self.frame(from_radio::PayloadVariant::Packet(packet)),
            signature,
        };
        // A repeat that slips past the node (as after a client reconnect) must be caught
        // by the client's own dedupe.
        if air.is_some_and(|a| a.faults.roll_duplicate()) {
            self.to_phone(frame.clone());
        }
        self.to_phone(frame);
    }
}

impl Node {
    /// Applies [`Placed`](super::faults::Placed): a packet from a placed sender arrives
    /// with its hops spent; a text to this node, when placed, is lost (false) unless its
    /// hop limit reaches this far.
    fn across_placed_hops(&self, packet: &mut MeshPacket) -> bool {
        let Some(air) = self.air.upgrade() else {
            return true;
        };
        if let Some(p) = air.faults.placed(packet.from) {
            packet.hop_limit = packet.hop_limit.saturating_sub(p.heard_at);
        }
        let text = decoded(packet).is_some_and(|d| d.portnum == 1);
        match air.faults.placed(self.num) {
            Some(p) if text && packet.to == self.num => packet.hop_limit >= p.reached_at,
            _ => true,
        }
    }
}

/// True when `sig` is the signature of the sim key of the packet's sender over it.
fn verify_text(packet: &MeshPacket, sig: &[u8]) -> bool {
    decoded(packet).is_some_and(|d| {
        signing::verify(
            &super::keys::key_of(packet.from).public(),
            packet.from,
            packet.id,
            d.portnum as u32,
            &d.payload,
            sig,
        )
    })
}

/// The priority a packet is queued at: its own, or for `UNSET` what the firmware gives
/// it (src/mesh/Router.cpp: RELIABLE with want_ack, else DEFAULT).
fn tx_priority(p: &MeshPacket) -> i32 {
    use meshmush_protocol::proto::mesh_packet::Priority;
    match p.priority {
        0 if p.want_ack => Priority::Reliable as i32,
        0 => Priority::Default as i32,
        n => n,
    }
}

pub(crate) fn epoch_secs() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(0)
}
