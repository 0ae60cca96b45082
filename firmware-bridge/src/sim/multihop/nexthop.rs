//! What a node remembers of packets: the firmware's `PacketHistory` (who relayed what,
//! for duplicate suppression and next-hop learning), its next-hop table, and its
//! pending retransmissions (`NextHopRouter`, firmware v2.7.26).

use std::collections::{HashMap, VecDeque};

use super::flooding::Micros;

/// A packet by (from, id), as `GlobalPacketId`.
pub type PacketKey = (u32, u32);

/// Relayers the firmware keeps per packet (`NUM_RELAYERS`, src/mesh/PacketHistory.h).
const RELAYERS_KEPT: usize = 6;
/// Packets remembered; the oldest are forgotten first.
const HISTORY_LEN: usize = 4096;

/// One remembered packet.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Last bytes of the nodes heard relaying it (ourselves included once we sent it).
    pub relayers: Vec<u8>,
    /// It came with our last byte as `next_hop` the first time.
    pub we_were_next_hop: bool,
}

/// `PacketHistory` (src/mesh/PacketHistory.cpp): duplicates are recognised by
/// (from, id), and the relayers of each packet are kept for `wasRelayer`.
#[derive(Debug, Default)]
pub struct PacketHistory {
    order: VecDeque<PacketKey>,
    seen: HashMap<PacketKey, Seen>,
}

impl PacketHistory {
    /// Records a packet heard or sent; true when it was new.
    pub fn record(&mut self, key: PacketKey, relayer: u8, we_were_next_hop: bool) -> bool {
        if let Some(s) = self.seen.get_mut(&key) {
            if !s.relayers.contains(&relayer) && s.relayers.len() < RELAYERS_KEPT {
                s.relayers.push(relayer);
            }
            return false;
        }
        if self.order.len() >= HISTORY_LEN
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        self.order.push_back(key);
        self.seen.insert(
            key,
            Seen {
                relayers: vec![relayer],
                we_were_next_hop,
            },
        );
        true
    }

    pub fn get(&self, key: PacketKey) -> Option<&Seen> {
        self.seen.get(&key)
    }

    pub fn contains(&self, key: PacketKey) -> bool {
        self.seen.contains_key(&key)
    }
}

/// Retransmissions the originator of a packet wanting an ack makes: one send and two
/// more (`NUM_RELIABLE_RETX` = 3, src/mesh/NextHopRouter.h; `PendingPacket` counts
/// the first send).
pub const RELIABLE_RETRIES: u8 = 3 - 1;
/// Retransmissions a next-hop relay makes (`NUM_INTERMEDIATE_RETX` = 2).
pub const INTERMEDIATE_RETRIES: u8 = 2 - 1;

/// A packet awaiting an (implicit) ack: `PendingPacket`.
#[derive(Debug, Clone)]
pub struct Pending<F> {
    pub frame: F,
    /// Sends left; at 1 the next one floods, at 0 the send has failed
    /// (`NextHopRouter::doRetransmissions`).
    pub retries_left: u8,
    /// When it is due; a retry event for another time is stale.
    pub due: Micros,
    /// The SNR it was heard at, for a relay's wait.
    pub relay_snr: Option<f64>,
}
