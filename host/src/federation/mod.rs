//! BBS-to-BBS sync: this BBS as a member of a network of BBS nodes that copy each
//! other's bulletins and mail over the radio, with other meshmush BBSes and with
//! TC2-BBS-mesh nodes (the most used Meshtastic BBS).
//!
//! - [`settings`]: `[federation]` in the config (peers, dialects, board mapping);
//! - [`item`]: what BBSes tell each other;
//! - [`tc2`]: TC2's `BULLETIN|...` lines, parsed and formatted; [`join`]: TC2's split
//!   lines put back together; [`boards`]: board names between systems.

pub mod boards;
pub mod item;
pub mod join;
pub mod settings;
pub mod tc2;

pub use item::{SyncItem, new_uid};
pub use settings::{Dialect, FederationSection, Peer, PeerConfig};
