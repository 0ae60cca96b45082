//! The link: one task that owns the connection to a node and keeps it alive.
//!
//! The contract with the host:
//! - **Packets in.** The host cuts each reply into radio packets once, to the link's
//!   [`LinkConfig::byte_budget`], and hands them over with
//!   [`LinkHandle::send_packets`], which refuses a packet that would not fit before any
//!   of that reply is queued. ([`LinkHandle::send_text`] cuts plain text the same way,
//!   for callers that are not the host's reply path: handsets in tests, `hil-check`.)
//! - **The link delivers.** It gives each packet its id, paces packets by the node's
//!   `queueStatus` and the airtime budget, fair across destinations and in order for
//!   each; waits for acks and retries refusals and timeouts by policy; parks a
//!   destination whose public key the node lacks until the node learns it; and keeps
//!   what is queued across reconnects (see [`Outbound`]).
//! - **Events out.** Texts (repeats removed), delivery outcomes, node news and its
//!   connection state reach the host as [`LinkEvent`]s on a bounded channel.
//!
//! The task only ever waits on the node's stream, its own timers and its command
//! channel, never on the host: when the host falls behind, events are dropped with a
//! log line and a counter rather than stalling the radio.

mod budget;
mod dedupe;
mod group;
mod handshake;
mod metrics;
mod nodedb;
mod outbound;
mod task;
mod trust;
mod watchdog;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use meshmush_protocol::chunking::{MIN_BUDGET, chunk};
use meshmush_protocol::packets::{MAX_DATA_PAYLOAD, TextMessage};
use meshmush_protocol::proto::routing;
use tokio::sync::{mpsc, oneshot, watch};

pub use budget::AirtimeBudget;
pub use dedupe::Dedupe;
pub use group::spawn_all;
pub use handshake::NodeConfig;
pub use metrics::{LinkMetrics, MetricsSnapshot};
pub use nodedb::{NodeDb, NodeEntry};
pub use outbound::{
    Chunk, Class, ClassShares, DropReason, Outbound, OutboundConfig, Outcome, Wait,
};

use crate::transport::Transport;

/// How the link behaves. `Default` is what a real node wants.
#[derive(Debug, Clone)]
pub struct LinkConfig {
    pub transport: Transport,
    /// How long to wait for `config_complete_id` after `want_config_id`.
    pub handshake_timeout: Duration,
    /// Interval between heartbeats (nodes drop clients silent for 15 minutes).
    pub heartbeat_interval: Duration,
    /// How long the node may send nothing but heartbeat answers before the link asks
    /// for its config again; if that goes unanswered for `handshake_timeout`, the link
    /// reconnects (see the watchdog module). Default: two heartbeat intervals (10 min).
    pub idle_timeout: Duration,
    /// The longest one write to the node may take; a write that takes longer counts as
    /// a lost connection (a wedged USB port or a dead TCP peer). Default 10 s.
    pub write_timeout: Duration,
    /// First and largest wait between reconnect attempts.
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// The most bytes of text one packet may carry (the host's `replies.byte_budget`).
    /// See [`LinkConfig::max_packet_bytes`] for the limit the link enforces.
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
    /// Packets one destination may have queued and in flight (default 32); a reply
    /// that would pass it is refused with [`SendError::DestinationFull`].
    pub max_per_dest: usize,
    /// Packets the whole queue may hold (default 1024); past it a reply is refused
    /// with [`SendError::QueueFull`].
    pub max_queued: usize,
    /// How long a packet may wait undelivered before it is dropped, with a log line,
    /// a count ([`MetricsSnapshot::expired_chunks`]) and a failed
    /// [`LinkEvent::Delivery`] (default 15 minutes).
    pub max_age: Duration,
    /// Destinations that may wait for the node to learn their public key at once
    /// (default 64); past it the one waiting longest is dropped.
    pub max_key_parked: usize,
    /// Each traffic class's ceiling, as a fraction of `airtime_share` (see [`Class`]).
    pub shares: ClassShares,
}

impl LinkConfig {
    pub fn new(transport: Transport) -> Self {
        Self {
            transport,
            handshake_timeout: Duration::from_secs(30),
            heartbeat_interval: Duration::from_secs(300),
            idle_timeout: Duration::from_secs(600),
            write_timeout: Duration::from_secs(10),
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
            max_per_dest: OutboundConfig::DEFAULT_MAX_PER_DEST,
            max_queued: OutboundConfig::DEFAULT_MAX_TOTAL,
            max_age: OutboundConfig::DEFAULT_MAX_AGE,
            max_key_parked: OutboundConfig::DEFAULT_MAX_KEY_PARKED,
            shares: ClassShares::default(),
        }
    }

    /// The longest packet, in bytes, the link takes: the byte budget, kept within what
    /// the chunker can cut to ([`MIN_BUDGET`]) and what the firmware accepts
    /// ([`MAX_DATA_PAYLOAD`]).
    pub fn max_packet_bytes(&self) -> usize {
        self.byte_budget.clamp(MIN_BUDGET, MAX_DATA_PAYLOAD)
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

impl LinkEvent {
    /// The event's kind and sender, for logs: never a message's text.
    pub fn kind(&self) -> String {
        match self {
            Self::State(s) => format!("state {s:?}"),
            Self::DirectText(t) => format!("direct text from !{:08x}", t.from),
            Self::ChannelText(t) => format!("channel text from !{:08x}", t.from),
            Self::Delivery {
                dest, packet_id, ..
            } => {
                format!("delivery of {packet_id} to !{dest:08x}")
            }
            Self::NodeInfo(n) => format!("node info of !{:08x}", n.num),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Command {
    Send {
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        ids: oneshot::Sender<Result<Vec<u32>, SendError>>,
    },
    Shutdown,
}

/// The link is gone (shut down, or its task ended).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the radio link is closed")]
pub struct LinkClosed;

/// Why a reply was not queued. Nothing of a refused reply is queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// A packet is longer than the link takes ([`LinkConfig::max_packet_bytes`]).
    #[error("packet {index} of the reply is {len} bytes; this link takes at most {max}")]
    TooLarge {
        index: usize,
        len: usize,
        max: usize,
    },
    /// A packet has no text: it would cost airtime and say nothing.
    #[error("packet {index} of the reply is empty")]
    Empty { index: usize },
    /// The destination already has this many packets queued and in flight; the
    /// reply would pass [`LinkConfig::max_per_dest`].
    #[error("{queued} packets already wait for node {dest:#010x}; it may have at most {cap}")]
    DestinationFull {
        dest: u32,
        queued: usize,
        cap: usize,
    },
    /// The whole queue holds this many packets; the reply would pass
    /// [`LinkConfig::max_queued`].
    #[error("the outbound queue holds {queued} packets; it may hold at most {cap}")]
    QueueFull { queued: usize, cap: usize },
    /// The link is gone (shut down, or its task ended).
    #[error("the radio link is closed")]
    Closed,
}

impl From<LinkClosed> for SendError {
    fn from(_: LinkClosed) -> Self {
        Self::Closed
    }
}

/// A cheap, cloneable handle to a running link.
#[derive(Debug, Clone)]
pub struct LinkHandle {
    commands: mpsc::Sender<Command>,
    metrics: Arc<LinkMetrics>,
    nodes: Arc<RwLock<NodeDb>>,
    state: watch::Receiver<LinkState>,
    me: watch::Receiver<Option<NodeConfig>>,
    /// [`LinkConfig::max_packet_bytes`] of the link's config.
    max_packet: usize,
    /// For a group of links ([`spawn_all`]): each link, by name. Empty for one link.
    members: Arc<[Member]>,
    /// What logs and metrics call this link (its transport, or "group").
    name: Arc<str>,
}

/// One link of a group, with the name logs and metrics give it.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub handle: LinkHandle,
}

impl LinkHandle {
    /// Queues one reply's ready-made radio packets for `dest` (a node, or
    /// [`BROADCAST`](meshmush_protocol::packets::BROADCAST) on `channel`; a DM goes on
    /// [`PRIMARY_CHANNEL`](meshmush_protocol::packets::PRIMARY_CHANNEL)) in `class`.
    /// They are sent in order, as they are, each its own packet; the link paces them
    /// by class, acks and retries them. This is how the host's packets leave (through
    /// its delivery module, the one caller). Returns their packet ids, in order.
    ///
    /// Every packet is checked first: an empty one, or one longer than
    /// [`max_packet_bytes`](Self::max_packet_bytes), refuses the whole reply and
    /// nothing of it is queued; so does a destination or a queue without room for it
    /// ([`SendError::DestinationFull`], [`SendError::QueueFull`]).
    pub async fn send_packets(
        &self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
    ) -> Result<Vec<u32>, SendError> {
        check_packets(&packets, self.max_packet)?;
        self.queue(dest, channel, class, packets).await
    }

    /// Cuts plain text into packets with [`chunk`] at the link's byte budget and
    /// queues them as [`send_packets`](Self::send_packets) does. For callers that hold
    /// plain text (handsets in tests, `hil-check`); the host's replies are cut once by
    /// its delivery module and go through `send_packets`. Returns the packet ids.
    /// (The chunker's packets are never empty nor over the limit, so this fails only
    /// when the link is closed or the queue has no room.)
    pub async fn send_text(
        &self,
        dest: u32,
        channel: u32,
        text: impl Into<String>,
    ) -> Result<Vec<u32>, SendError> {
        let packets = chunk(&text.into(), self.max_packet);
        self.queue(dest, channel, Class::Known, packets).await
    }

    /// Hands checked packets to the link task and waits for their ids (or its refusal).
    async fn queue(
        &self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
    ) -> Result<Vec<u32>, SendError> {
        let (tx, rx) = oneshot::channel();
        let cmd = Command::Send {
            dest,
            channel,
            class,
            packets,
            ids: tx,
        };
        self.commands
            .send(cmd)
            .await
            .map_err(|_| SendError::Closed)?;
        rx.await.map_err(|_| SendError::Closed)?
    }

    /// About how long a full packet of `class` queued now would wait: for what its
    /// class and those above hold queued, or for its airtime share; for a group, the
    /// longest of its links'.
    pub fn class_wait(&self, class: Class) -> Duration {
        let own =
            self.metrics.class_wait_ms[class.index()].load(std::sync::atomic::Ordering::Relaxed);
        self.members
            .iter()
            .map(|m| m.handle.class_wait(class))
            .fold(Duration::from_millis(own), Duration::max)
    }

    /// The longest packet, in bytes, [`send_packets`](Self::send_packets) takes.
    pub fn max_packet_bytes(&self) -> usize {
        self.max_packet
    }

    /// Asks the link to say goodbye to the node and stop.
    pub async fn shutdown(&self) {
        let _ = self.commands.send(Command::Shutdown).await;
    }

    /// The link's figures; for a group, every link's added up (and the group's own
    /// count of repeats heard on two links). [`links`](Self::links) has them apart.
    pub fn metrics(&self) -> MetricsSnapshot {
        let mut total = self.metrics.snapshot();
        for m in self.members.iter() {
            total.add(&m.handle.metrics());
        }
        total
    }

    /// What logs and metrics call this link.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The links behind this handle, by name: itself alone, or a group's members.
    pub fn links(&self) -> Vec<Member> {
        if self.members.is_empty() {
            return vec![Member {
                name: self.name.to_string(),
                handle: self.clone(),
            }];
        }
        self.members.to_vec()
    }

    pub fn node(&self, num: u32) -> Option<NodeEntry> {
        if let Some(found) = self.members.iter().find_map(|m| m.handle.node(num)) {
            return Some(found);
        }
        self.nodes.read().ok()?.get(num).cloned()
    }

    /// Every node in the node database (of every link of a group, each once).
    pub fn nodes(&self) -> Vec<NodeEntry> {
        let mut all: Vec<NodeEntry> = self
            .nodes
            .read()
            .map(|db| db.iter().cloned().collect())
            .unwrap_or_default();
        for m in self.members.iter() {
            for n in m.handle.nodes() {
                if !all.iter().any(|a| a.num == n.num) {
                    all.push(n);
                }
            }
        }
        all
    }

    pub fn node_count(&self) -> usize {
        if self.members.is_empty() {
            return self.nodes.read().map(|db| db.len()).unwrap_or(0);
        }
        self.nodes().len()
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
        max_packet: cfg.max_packet_bytes(),
        members: Arc::from(Vec::new()),
        name: Arc::from(cfg.transport.to_string()),
    };
    let link_task = task::LinkTask::new(cfg, cmd_rx, event_tx, state_tx, me_tx, metrics, nodes);
    tokio::spawn(link_task.run());
    (handle, event_rx)
}

/// Refuses a reply with a packet the link would not send as it is.
fn check_packets(packets: &[String], max: usize) -> Result<(), SendError> {
    for (index, packet) in packets.iter().enumerate() {
        if packet.is_empty() {
            return Err(SendError::Empty { index });
        }
        if packet.len() > max {
            return Err(SendError::TooLarge {
                index,
                len: packet.len(),
                max,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
