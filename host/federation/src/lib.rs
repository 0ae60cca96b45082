//! BBS-to-BBS sync: this BBS as a member of a network of BBS nodes that copy each
//! other's bulletins and mail over the radio, with other meshmush BBSes and with
//! TC2-BBS-mesh nodes (the most used Meshtastic BBS).
//!
//! - `meshmush_core::config::federation`: `[federation]` in the config (peers, dialects,
//!   board mapping);
//! - [`SyncItem`] (in `meshmush_store::sync_item`, below the store): what BBSes tell each other;
//! - [`tc2`]: TC2's `BULLETIN|...` lines, parsed and formatted; [`join`]: TC2's split
//!   lines put back together; [`boards`]: board names between systems;
//! - [`native`]: the meshmush dialect (acked, resumable, items over several packets);
//! - [`inbound`]: a peer's item taken into the store, exactly once by its unique id;
//! - [`route`]: mail for a node with no player here sent to the meshmush peer that
//!   heard it most recently (from the heard summaries peers swap), and to every peer
//!   if that one does not ack it in time; read events back to the mail's BBS;
//! - `run`: the one task that receives, acks, and sends each peer's outbox.
//!
//! What is queued: the store queues every local post, reply, mail to a node with no
//! player here, and deletion of a synced item, per peer, in the same transaction as
//! the write (see `store/federation.rs`); mail that a meshmush peer's summary says it
//! heard goes to that peer (and the TC2 peers) only (see `store/routing.rs`). Items received from a peer are not passed
//! on to other peers: each BBS sends what was written on it, as TC2 does, so a ring
//! of BBSes cannot loop (and a repeat that arrives anyway is dropped by its id).
//!
//! Every DM from a configured peer comes here, never to the command parser: two BBSes
//! answering each other's lines would talk forever.

pub mod boards;
pub mod bounds;
pub mod inbound;
pub mod join;
pub mod native;
pub mod route;
mod run;
pub mod tc2;

use std::sync::Arc;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_protocol::packets::TextMessage;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::warn;

pub use meshmush_core::config::federation::{
    Dialect, FederationSection, Peer, PeerConfig, PeerKey,
};
pub use meshmush_store::sync_item::{SyncItem, new_uid};

use meshmush_core::config::Config;
use meshmush_core::delivery::Delivery;
use meshmush_store::{Store, StoreError};

/// The router's handle on the federation task; cheap to clone.
#[derive(Clone, Debug)]
pub struct Federation {
    peers: Arc<Vec<Peer>>,
    inbox: mpsc::Sender<run::Event>,
}

impl Federation {
    /// Starts the task if the config names peers (`None` otherwise), and tells the
    /// store to queue local writes for them. Sync leaves through `delivery`, in the
    /// link's sync class (its airtime share is set with the link's config).
    pub async fn start(
        cfg: Arc<Config>,
        store: Store,
        link: LinkHandle,
        delivery: Delivery,
        tasks: &TaskTracker,
        stop: CancellationToken,
    ) -> Result<Option<Self>, StoreError> {
        let peers = cfg.federation.peers();
        if peers.is_empty() {
            return Ok(None);
        }
        for p in peers.iter().filter(|p| p.key == PeerKey::Insecure) {
            warn!(
                peer = %meshmush_protocol::packets::node_id(p.node),
                "sync peer without a key (insecure = true): anyone in range can post, mail \
                 and delete as it"
            );
        }
        let meshmush: Vec<u32> = peers
            .iter()
            .filter(|p| p.dialect == Dialect::Meshmush)
            .map(|p| p.node)
            .collect();
        store.set_sync_peers(
            peers.iter().map(|p| p.node).collect(),
            meshmush,
            cfg.federation.outbox_max,
        );
        let inbound = inbound::Inbound {
            store: store.clone(),
            map: boards::BoardMap::from_config(&cfg.federation),
            cfg,
            delivery: Some(delivery.clone()),
        };
        let task =
            run::Task::new(peers.clone(), inbound, link, delivery, store.sync_wake()).await?;
        let (tx, rx) = mpsc::channel(run::INBOX);
        tasks.spawn(task.run(rx, stop));
        Ok(Some(Self {
            peers: Arc::new(peers),
            inbox: tx,
        }))
    }

    /// Whether `node` is a configured peer.
    pub fn is_peer(&self, node: u32) -> bool {
        self.peers.iter().any(|p| p.node == node)
    }

    /// A DM from a peer, for the task. Never waits: a full inbox sheds it with a log
    /// line (a meshmush peer sends it again).
    pub fn offer(&self, text: TextMessage) {
        if self.inbox.try_send(run::Event::Text(text)).is_err() {
            warn!("sync inbox full; a peer's DM was shed");
        }
    }

    /// The radio's report on a packet sent to `dest` (only peers' reports matter).
    pub fn delivery(&self, dest: u32, packet_id: u32, ok: bool, will_retry: bool) {
        if self.is_peer(dest) {
            let ev = run::Event::Delivery {
                dest,
                packet_id,
                ok,
                will_retry,
            };
            if self.inbox.try_send(ev).is_err() {
                warn!("sync inbox full; a delivery report was shed");
            }
        }
    }
}
