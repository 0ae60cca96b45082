//! The link: one task that owns the connection to a node and keeps it alive.
//!
//! The host talks to it through a [`LinkHandle`] (send a reply, read metrics, look up
//! a node) and hears from it through a bounded stream of [`LinkEvent`]s. The task only
//! ever waits on the node's stream, its own timers and its command channel, never on
//! the host: when the host falls behind, events are dropped with a log line and a
//! counter rather than stalling the radio.

mod budget;
mod dedupe;
mod handshake;
mod metrics;
mod nodedb;
mod outbound;
mod task;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use meshmush_protocol::packets::TextMessage;
use meshmush_protocol::proto::routing;
use tokio::sync::{mpsc, oneshot, watch};

pub use budget::AirtimeBudget;
pub use dedupe::Dedupe;
pub use handshake::NodeConfig;
pub use metrics::{LinkMetrics, MetricsSnapshot};
pub use nodedb::{NodeDb, NodeEntry};
pub use outbound::{Chunk, Outbound, OutboundConfig, Outcome, Wait};

use crate::transport::Transport;

/// How the link behaves. `Default` is what a real node wants.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    pub transport: Transport,
    /// How long to wait for `config_complete_id` after `want_config_id`.
    pub handshake_timeout: Duration,
    /// Interval between heartbeats (nodes drop clients silent for 15 minutes).
    pub heartbeat_interval: Duration,
    /// First and largest wait between reconnect attempts.
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// Bytes of text per packet.
    pub byte_budget: usize,
    pub hop_limit: u32,
    /// Share of the region's duty cycle the BBS may use (0..=1).
    pub airtime_share: f64,
    /// Multiplies modelled airtime; 0 turns the budget off (instant simulations).
    pub airtime_scale: f64,
    /// Attempts per chunk before it is given up (not counting missing-key parking).
    pub max_attempts: u32,
    pub ack_timeout: Duration,
    pub retry_delay: Duration,
    /// How often to ask a full node for its queue status.
    pub queue_poll: Duration,
    /// Remembered `(from, id)` pairs for inbound dedupe.
    pub dedupe_window: usize,
    /// Capacity of the event channel to the host.
    pub event_capacity: usize,
}

impl LinkConfig {
    pub fn new(transport: Transport) -> Self {
        Self {
            transport,
            handshake_timeout: Duration::from_secs(30),
            heartbeat_interval: Duration::from_secs(300),
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            byte_budget: meshmush_protocol::chunking::DEFAULT_BUDGET,
            hop_limit: meshmush_protocol::packets::DEFAULT_HOP_LIMIT,
            airtime_share: 0.5,
            airtime_scale: 1.0,
            max_attempts: 4,
            ack_timeout: Duration::from_secs(180),
            retry_delay: Duration::from_secs(5),
            queue_poll: Duration::from_secs(2),
            dedupe_window: 4096,
            event_capacity: 4096,
        }
    }
}

/// The link's connection state.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    Connecting { attempt: u32 },
    Connected { my_node_num: u32, nodes: usize },
    Lost { reason: String },
    Stopped,
}

/// What the link tells the host.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkEvent {
    State(LinkState),
    /// A direct message to our node (repeats already removed).
    DirectText(TextMessage),
    /// A broadcast text on a channel (repeats already removed).
    ChannelText(TextMessage),
    /// A packet we sent was delivered (acked), or failed with the firmware's reason.
    Delivery {
        dest: u32,
        packet_id: u32,
        result: Result<(), routing::Error>,
        will_retry: bool,
    },
    /// A node appeared or changed.
    NodeInfo(NodeEntry),
}

#[derive(Debug)]
pub(crate) enum Command {
    Send {
        dest: u32,
        channel: u32,
        text: String,
        ids: oneshot::Sender<Vec<u32>>,
    },
    Shutdown,
}

/// The link is gone (shut down, or its task ended).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the radio link is closed")]
pub struct LinkClosed;

/// A cheap, cloneable handle to a running link.
#[derive(Debug, Clone)]
pub struct LinkHandle {
    commands: mpsc::Sender<Command>,
    metrics: Arc<LinkMetrics>,
    nodes: Arc<RwLock<NodeDb>>,
    state: watch::Receiver<LinkState>,
    me: watch::Receiver<Option<NodeConfig>>,
}

impl LinkHandle {
    /// Queues a whole reply; the link chunks and paces it. Returns the packet ids of
    /// its chunks, in order.
    pub async fn send_text(
        &self,
        dest: u32,
        channel: u32,
        text: impl Into<String>,
    ) -> Result<Vec<u32>, LinkClosed> {
        let (tx, rx) = oneshot::channel();
        let cmd = Command::Send {
            dest,
            channel,
            text: text.into(),
            ids: tx,
        };
        self.commands.send(cmd).await.map_err(|_| LinkClosed)?;
        rx.await.map_err(|_| LinkClosed)
    }

    /// Asks the link to say goodbye to the node and stop.
    pub async fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown).await;
    }

    pub fn metrics(&self) -> MetricsSnapshot {
        self.metrics.snapshot()
    }

    pub fn node(&self, num: u32) -> Option<NodeEntry> {
        self.nodes.read().ok()?.get(num).cloned()
    }

    /// Every node in the node database.
    pub fn nodes(&self) -> Vec<NodeEntry> {
        self.nodes
            .read()
            .map(|db| db.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn node_count(&self) -> usize {
        self.nodes.read().map(|db| db.len()).unwrap_or(0)
    }

    pub fn state(&self) -> LinkState {
        self.state.borrow().clone()
    }

    /// Our node's number and radio settings, once connected.
    pub fn node_config(&self) -> Option<NodeConfig> {
        self.me.borrow().clone()
    }

    /// Waits until the link is connected, and returns our node number.
    pub async fn connected(&self) -> Result<u32, LinkClosed> {
        let mut state = self.state.clone();
        loop {
            match &*state.borrow_and_update() {
                LinkState::Connected { my_node_num, .. } => return Ok(*my_node_num),
                LinkState::Stopped => return Err(LinkClosed),
                _ => {}
            }
            state.changed().await.map_err(|_| LinkClosed)?;
        }
    }
}

/// Starts the link task. Events arrive on the returned receiver until the link stops.
pub fn spawn(cfg: LinkConfig) -> (LinkHandle, mpsc::Receiver<LinkEvent>) {
    let (cmd_tx, cmd_rx) = mpsc::channel(256);
    let (event_tx, event_rx) = mpsc::channel(cfg.event_capacity.max(1));
    let (state_tx, state_rx) = watch::channel(LinkState::Connecting { attempt: 0 });
    let (me_tx, me_rx) = watch::channel(None);
    let metrics = Arc::new(LinkMetrics::default());
    let nodes = Arc::new(RwLock::new(NodeDb::default()));
    let handle = LinkHandle {
        commands: cmd_tx,
        metrics: metrics.clone(),
        nodes: nodes.clone(),
        state: state_rx,
        me: me_rx,
    };
    let link_task = task::LinkTask::new(cfg, cmd_rx, event_tx, state_tx, me_tx, metrics, nodes);
    tokio::spawn(link_task.run());
    (handle, event_rx)
}
