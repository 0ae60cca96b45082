//! How a link behaves ([`LinkConfig`]). A leaf: the handle, the link task and a group
//! of links all read it without importing `link/mod.rs`, which declares them.

use std::time::Duration;

use meshmush_protocol::chunking::MIN_BUDGET;
use meshmush_protocol::packets::MAX_DATA_PAYLOAD;

use super::ledger::AirtimeLedger;
use super::outbound::{ClassShares, OutboundConfig};
use crate::mqtt::KeyBook;
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
    /// that would pass it is refused with
    /// [`SendError::DestinationFull`](super::SendError::DestinationFull).
    pub max_per_dest: usize,
    /// Packets the whole queue may hold (default 1024); past it a reply is refused
    /// with [`SendError::QueueFull`](super::SendError::QueueFull).
    pub max_queued: usize,
    /// How long a packet may wait undelivered before it is dropped, with a log line,
    /// a count ([`MetricsSnapshot::expired_chunks`](super::MetricsSnapshot::expired_chunks))
    /// and a failed [`LinkEvent::Delivery`](super::LinkEvent::Delivery) (default 15
    /// minutes).
    pub max_age: Duration,
    /// Destinations that may wait for the node to learn their public key at once
    /// (default 64); past it the one waiting longest is dropped.
    pub max_key_parked: usize,
    /// Each traffic class's ceiling, as a fraction of `airtime_share` (see
    /// [`Class`](super::Class)).
    pub shares: ClassShares,
    /// Whether the airtime budget (`airtime_share` of the duty cycle) paces the
    /// queue (default true). Off, the airtime model still times the link's waits: a
    /// benchmark of routing on a time-scaled mesh, whose players ask faster than a
    /// duty cycle allows, turns it off so that pacing is not what it measures.
    pub airtime_budget: bool,
    /// Whether a reply to a request heard with hops left waits, from the moment the
    /// request arrived, for the tail of its flood before its first packet goes
    /// (default false: the host's `replies.wait_out_floods`; only with an airtime
    /// model, `airtime_scale` above 0).
    pub wait_out_floods: bool,
    /// For a virtual node that does its own PKI (MQTT): the host's pinned keys, which
    /// the host fills and keeps current. `None` for a radio, whose firmware keeps its
    /// own NodeDB.
    pub key_book: Option<KeyBook>,
    /// What the node spent before this run, and where to report what it spends now
    /// (see [`AirtimeLedger`]); the default keeps no ledger.
    pub airtime_ledger: AirtimeLedger,
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
            airtime_budget: true,
            wait_out_floods: false,
            key_book: None,
            airtime_ledger: AirtimeLedger::default(),
        }
    }

    /// The longest packet, in bytes, the link takes: the byte budget, kept within what
    /// the chunker can cut to ([`MIN_BUDGET`]) and what the firmware accepts
    /// ([`MAX_DATA_PAYLOAD`]).
    pub fn max_packet_bytes(&self) -> usize {
        self.byte_budget.clamp(MIN_BUDGET, MAX_DATA_PAYLOAD)
    }
}
