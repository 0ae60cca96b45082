//! The multi-hop mesh: a model of how Meshtastic nodes relay each other's packets, as
//! firmware v2.7.26 (commit 54e0d8d) does it, on Meshtasticator's radio model.
//!
//! - [`topology`]: where nodes stand, their roles and antenna heights;
//! - [`pathloss`]: what each node hears of each other (3GPP suburban path loss);
//! - [`collision`]: what overlapping packets leave a receiver;
//! - [`flooding`]: managed flooding's relay rules and waits;
//! - [`nexthop`]: packet history, learned next hops and retransmissions;
//! - [`engine`]: all of it as a seeded discrete-event simulation in virtual time.
//!
//! The model is opt-in: the software mesh's single-hop air is unchanged unless a
//! topology is given (`SimConfig::topology`, `meshmush sim --topology`).

pub mod collision;
pub mod engine;
pub mod flooding;
pub mod frame;
pub mod nexthop;
pub mod pathloss;
pub mod topology;

pub use engine::RadioMesh;
pub use flooding::Micros;
pub use frame::{BROADCAST, Frame, NodeCounters, Output, Payload, Send, TxRecord};
pub use topology::{HopLadder, NodeSpec, RadioParams, Role, Topology, TopologyError};
