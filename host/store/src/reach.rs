//! How far each node is and how our replies to it fared: what the host learns from
//! the packets it hears and the acks its replies get, kept so a restart does not send
//! every reply at the configured hop limit again. One small record per node in a tree
//! of its own; the host holds the live copy and bounds how many there are (see
//! `meshmush_core::reach`).

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::{encode, node_key, node_label, versioned};

/// What the BBS knows of one node's distance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeReach {
    pub node: u32,
    /// Seconds since the epoch when a text from it last reached the BBS (0: never).
    pub last_heard: u64,
    /// Hops away of that text (`hop_start - hop_limit`), when it could be told.
    pub hops: Option<u8>,
    /// That text's `hop_start`.
    pub hop_start: u8,
    /// SNR at our node of that text, in dB (the last hop's, not the whole way's).
    pub snr: Option<f32>,
    /// The hop limit the learned rule sends at now (0: none learned yet).
    pub limit: u8,
    /// Deliveries in a row at `limit` since it last changed.
    pub streak: u8,
    /// Packets to it delivered, and not delivered at the hop limit they went with.
    pub delivered: u32,
    pub missed: u32,
    /// Seconds since the epoch when a DM of ours to it was last acked (0: never).
    pub last_acked: u64,
}

/// The envelope a [`NodeReach`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum NodeReachRecord {
    V1(NodeReach),
}

versioned!(NodeReach, NodeReachRecord, "reach", key_label = node_label);

impl Store {
    /// Every node's reach record, in node order.
    pub async fn reach_all(&self) -> Result<Vec<NodeReach>, StoreError> {
        self.blocking(|db| db.all::<NodeReach>()).await
    }

    /// Replaces `reach.node`'s record.
    pub async fn set_reach(&self, reach: NodeReach) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let key = node_key(reach.node);
            db.tree_of::<NodeReach>()?
                .insert(key, encode(&key, &reach)?)?;
            db.flush_if_configured()
        })
        .await
    }

    /// Forgets `node`'s record.
    pub async fn forget_reach(&self, node: u32) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.tree_of::<NodeReach>()?.remove(node_key(node))?;
            db.flush_if_configured()
        })
        .await
    }
}
