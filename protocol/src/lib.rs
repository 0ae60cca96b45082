//! Wire facts of the Meshtastic client protocol, and nothing else.
//!
//! This crate has no I/O and no runtime: it is the part of meshmush that can be
//! tested exhaustively. It holds
//! - [`proto`]: the Meshtastic protobuf types, re-exported from the `meshtastic` crate
//!   (prost types only, never regenerated here);
//! - [`framing`]: the `0x94 0xC3 <len> <protobuf>` stream codec used over serial and TCP;
//! - [`packets`]: what an incoming `FromRadio` means to the host, and how to build the
//!   `ToRadio` frames the host sends;
//! - [`hops`]: hops away of a sender, and the firmware's hop limit for a reply;
//! - [`chunking`]: cutting a reply into radio-sized, UTF-8-safe packets;
//! - [`crypto`]: channel (AES-CTR) and direct-message (X25519 + AES-CCM) encryption as
//!   the firmware does it, for packets that cross an MQTT broker;
//! - [`mqtt`]: Meshtastic's MQTT topics and `ServiceEnvelope`s, and sealing and opening
//!   the packets inside;
//! - [`airtime`]: LoRa time on air per modem preset, and region duty cycles;
//! - [`relay_timing`]: the firmware's waits before a relay and between an
//!   originator's tries.

pub mod airtime;
pub mod chunking;
pub mod crypto;
pub mod framing;
pub mod hops;
pub mod mqtt;
pub mod packets;
pub mod relay_timing;

/// The Meshtastic protobuf types (`FromRadio`, `ToRadio`, `MeshPacket`, ...).
pub use meshtastic::protobufs as proto;
pub use prost::Message;
