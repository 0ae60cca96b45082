//! The records BBS-to-BBS sync keeps, as they are stored: where a unique id's item is
//! held ([`SyncId`]), each peer's marks and counts ([`PeerState`]), and their
//! versioned envelopes. What is done with them is in `federation.rs`.

use serde::{Deserialize, Serialize};

use super::records::versioned;
use crate::sync_item::SyncItem;

/// Where this BBS holds the item a unique id names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Held {
    Post {
        board: String,
        num: u64,
    },
    Mail {
        to: u32,
        id: u64,
    },
    /// Deleted here, or a deletion arrived before the item.
    Gone,
}

/// A unique id this BBS has seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncId {
    pub held: Held,
    /// The peer it came from; `None` if written here.
    pub origin: Option<u32>,
    pub time: u64,
}

/// One peer's marks (sequence numbers of its outbox) and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerState {
    /// The sequence number the next queued item gets (the first is 1).
    pub next_seq: u64,
    /// Items up to here are confirmed (a meshmush peer's ack; for a TC2 peer, handed
    /// to the radio and not reported undelivered): they leave the outbox.
    pub acked_upto: u64,
    /// A meshmush peer's items up to this sequence number are taken here.
    pub recv_upto: u64,
    pub sent: u64,
    pub received: u64,
    pub refused: u64,
    /// Unix seconds; 0: never.
    pub last_heard: u64,
    /// Items up to here were dropped unsent: the outbox was full (a peer away for
    /// long). A meshmush peer is told to skip them.
    pub floor: u64,
    /// Items dropped from a full outbox, in all.
    pub dropped: u64,
}

impl PeerState {
    /// Items queued and not yet confirmed (nor dropped).
    pub fn queued(&self) -> u64 {
        self.next_seq
            .saturating_sub(1)
            .saturating_sub(self.acked_upto.max(self.floor))
    }
}

/// [`PeerState`] before outboxes were capped. Frozen: never change it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PeerStateV1 {
    next_seq: u64,
    acked_upto: u64,
    recv_upto: u64,
    sent: u64,
    received: u64,
    refused: u64,
    last_heard: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum SyncIdRecord {
    V1(SyncId),
}
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum QueuedRecord {
    V1(SyncItem),
}
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum PeerStateRecord {
    V1(PeerStateV1),
    V2(PeerState),
}
versioned!(SyncId, SyncIdRecord, "sync_ids");
versioned!(SyncItem, QueuedRecord, "sync_out");

impl super::records::Versioned for PeerState {
    const TREE: &'static str = "sync_peers";
    type Envelope = PeerStateRecord;
    fn to_envelope(&self) -> PeerStateRecord {
        PeerStateRecord::V2(self.clone())
    }
    fn from_envelope(envelope: PeerStateRecord) -> Self {
        match envelope {
            PeerStateRecord::V1(v) => PeerState {
                next_seq: v.next_seq,
                acked_upto: v.acked_upto,
                recv_upto: v.recv_upto,
                sent: v.sent,
                received: v.received,
                refused: v.refused,
                last_heard: v.last_heard,
                floor: 0,
                dropped: 0,
            },
            PeerStateRecord::V2(st) => st,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::decode;

    #[test]
    fn peer_states_written_before_outbox_caps_still_read() {
        let v1 = postcard::to_stdvec(&PeerStateRecord::V1(PeerStateV1 {
            next_seq: 8,
            acked_upto: 4,
            recv_upto: 2,
            sent: 4,
            received: 2,
            refused: 1,
            last_heard: 100,
        }))
        .unwrap();
        let st: PeerState = decode(b"k", &v1).unwrap();
        assert_eq!((st.queued(), st.floor, st.dropped), (3, 0, 0));
        assert_eq!((st.recv_upto, st.refused, st.last_heard), (2, 1, 100));
    }
}
