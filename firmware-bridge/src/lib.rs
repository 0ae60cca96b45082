//! The bridge between meshmush and a Meshtastic node.
//!
//! - [`transport`]: serial and TCP byte streams to a node;
//! - [`link`]: the client side of the protocol (handshake, heartbeats, reconnect,
//!   dedupe, and the paced outbound queue) as one task behind a handle;
//! - [`mqtt`]: MQTT as a link: a virtual node of our own on a broker, reached by the
//!   link like a radio;
//! - [`sim`]: a software mesh whose nodes speak the device side of the same protocol,
//!   so everything above can be tested, demonstrated and benchmarked without radios.

pub mod link;
pub mod mqtt;
pub mod sim;
pub mod transport;

pub use link::{LinkConfig, LinkEvent, LinkHandle, LinkState, SendError, spawn};
pub use transport::Transport;
