//! The [`LinkHandle`] the host holds, and [`spawn`], which starts a link task behind
//! one. A module of its own so a group of links (`group.rs`) builds its handle from
//! the same parts without importing `link/mod.rs`, which declares and re-exports both.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use meshmush_protocol::chunking::chunk;
use tokio::sync::{mpsc, oneshot, watch};

use super::config::LinkConfig;
use super::error::{LinkClosed, SendError};
use super::events::{Command, LinkEvent, LinkState};
use super::handshake::NodeConfig;
use super::metrics::{LinkMetrics, MetricsSnapshot};
use super::nodedb::{NodeDb, NodeEntry};
use super::outbound::{Class, SendOpts};
use super::task;

/// A cheap, cloneable handle to a running link.
#[derive(Debug, Clone)]
pub struct LinkHandle {
    pub(super) commands: mpsc::Sender<Command>,
    pub(super) metrics: Arc<LinkMetrics>,
    pub(super) nodes: Arc<RwLock<NodeDb>>,
    pub(super) state: watch::Receiver<LinkState>,
    pub(super) me: watch::Receiver<Option<NodeConfig>>,
    /// [`LinkConfig::max_packet_bytes`] of the link's config.
    pub(super) max_packet: usize,
    /// For a group of links ([`spawn_all`]): each link, by name. Empty for one link.
    pub(super) members: Arc<[Member]>,
    /// What logs and metrics call this link (its transport, or "group").
    pub(super) name: Arc<str>,
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
        self.send_reply(dest, channel, class, packets, None).await
    }

    /// As [`send_packets`](Self::send_packets), each packet marked as the answer to
    /// packet `reply_to` (`Data.reply_id`, 5 bytes more on the air: the packets must
    /// leave room for it, see `airtime::reply_text_budget`). A client tells a reply to
    /// its command from anything else the BBS sends it by this mark.
    pub async fn send_reply(
        &self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        reply_to: Option<u32>,
    ) -> Result<Vec<u32>, SendError> {
        let opts = SendOpts {
            reply_to,
            hops: None,
        };
        self.send_with(dest, channel, class, packets, opts).await
    }

    /// As [`send_reply`](Self::send_reply), with the hop limit (and want_ack) of
    /// `opts.hops` when given: the host sizes a reply to its destination's distance.
    pub async fn send_with(
        &self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        opts: SendOpts,
    ) -> Result<Vec<u32>, SendError> {
        check_packets(&packets, self.max_packet)?;
        self.queue(dest, channel, class, packets, opts).await
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
        self.queue(dest, channel, Class::Known, packets, SendOpts::default())
            .await
    }

    /// Hands checked packets to the link task and waits for their ids (or its refusal).
    async fn queue(
        &self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        opts: SendOpts,
    ) -> Result<Vec<u32>, SendError> {
        let (tx, rx) = oneshot::channel();
        let cmd = Command::Send {
            dest,
            channel,
            class,
            packets,
            opts,
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
            self.metrics.class_ready_ms[class.index()].load(std::sync::atomic::Ordering::Relaxed);
        let own = own.saturating_sub(super::metrics::clock_ms());
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
