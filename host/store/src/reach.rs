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

    /// Applies what the BBS learned of nodes' reach since the last call, in one
    /// batch: `Some` replaces a node's record, `None` forgets it. Not flushed on its
    /// own: a record is a hint the host relearns from the next packet, so a crash
    /// may lose the last half second of them (sled's background flush) but the
    /// BBS pays no disk sync per packet heard or acked.
    pub async fn keep_reach(
        &self,
        changes: Vec<(u32, Option<NodeReach>)>,
    ) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let mut batch = sled::Batch::default();
            for (node, reach) in &changes {
                let key = node_key(*node);
                match reach {
                    Some(r) => batch.insert(&key[..], encode(&key, r)?),
                    None => batch.remove(&key[..]),
                }
            }
            db.tree_of::<NodeReach>()?.apply_batch(batch)?;
            Ok(())
        })
        .await
    }
}
