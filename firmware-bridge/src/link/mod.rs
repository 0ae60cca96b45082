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
mod config;
mod dedupe;
mod error;
mod events;
mod group;
mod handle;
mod handshake;
mod ledger;
mod metrics;
mod nodedb;
mod outbound;
mod task;
mod trust;
mod watchdog;

pub use budget::AirtimeBudget;
pub use config::LinkConfig;
pub use dedupe::Dedupe;
pub use error::{LinkClosed, SendError};
pub use events::{LinkEvent, LinkState};
pub use group::spawn_all;
pub use handle::{LinkHandle, Member, spawn};
pub use handshake::NodeConfig;
pub use ledger::{AirtimeLedger, PastSpend, Spend};
pub use metrics::{LinkMetrics, MetricsSnapshot};
pub use nodedb::{NodeDb, NodeEntry};
pub use outbound::{
    Chunk, Class, ClassShares, DropReason, FRESH_FOR, MAX_CHANNEL_UTIL, Outbound, OutboundConfig,
    Outcome, POLITE_CHANNEL_UTIL, SendOpts, Wait,
};
