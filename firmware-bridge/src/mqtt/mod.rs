//! MQTT as a link: the BBS joins a broker as a node of its own.
//!
//! Gateway nodes in the field uplink what they hear to a broker and downlink what the
//! broker gives them (Meshtastic's MQTT module); a BBS that joins the same broker can
//! serve every area those gateways cover without a radio of its own. Here it does so as
//! a **virtual node**: a node number, a key pair and the channel keys, speaking the
//! firmware's MQTT format ([`meshmush_protocol::mqtt`]) on one side and the device side
//! of the client API on the other. The ordinary link ([`crate::link`]) connects to it
//! as it would to a radio ([`Transport::Virtual`]), so the host gets the same
//! [`LinkEvent`](crate::LinkEvent)s and the link's pacing, acks, retries and queue keep
//! working as they are.
//!
//! - [`broker`]: the connection to the broker (reconnect with backoff, resubscribe,
//!   publications kept while it is away);
//! - `node`: what the virtual node does with packets either way (decrypt what is ours,
//!   encrypt what we send, learn keys from NodeInfo, implicit acks);
//! - `api`: the client API it serves to the link.

mod api;
pub mod broker;
mod heard;
mod keybook;
mod node;

pub use keybook::KeyBook;

use std::time::Duration;

use meshmush_protocol::crypto::KeyPair;
use meshmush_protocol::mqtt::Channel;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use tokio::sync::mpsc;

use crate::transport::{Transport, VirtualPort};

/// The virtual node: who it is, which broker and channels, and the radio settings the
/// link paces by (those of the gateways' areas, where its packets go on air).
#[derive(Debug, Clone)]
pub struct MqttNodeConfig {
    /// `host:port` of the broker.
    pub broker: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Topic root, such as `msh/US`.
    pub root: String,
    pub node_num: u32,
    pub long_name: String,
    pub short_name: String,
    pub keys: KeyPair,
    /// Channels served; the first is the primary (NodeInfo and DMs without PKI).
    pub channels: Vec<Channel>,
    pub preset: ModemPreset,
    pub region: RegionCode,
    /// How often the node publishes its NodeInfo (also on every connection).
    pub nodeinfo_interval: Duration,
    /// How long a publication may wait to come back from the broker (the implicit
    /// ack) before its transmit slot is freed anyway.
    pub echo_timeout: Duration,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// The host's pinned keys: used before any key a NodeInfo announces.
    pub key_book: KeyBook,
}

impl MqttNodeConfig {
    pub fn new(broker: impl Into<String>, root: impl Into<String>, node_num: u32) -> Self {
        let channel = Channel::new(
            "LongFast",
            meshmush_protocol::crypto::ChannelKey::from_psk(&[1])
                .unwrap_or(meshmush_protocol::crypto::ChannelKey::None),
        );
        Self {
            broker: broker.into(),
            username: None,
            password: None,
            root: root.into(),
            node_num,
            long_name: "meshmush BBS".into(),
            short_name: "BBS".into(),
            keys: KeyPair::generate(),
            channels: vec![channel],
            preset: ModemPreset::LongFast,
            region: RegionCode::Us,
            nodeinfo_interval: Duration::from_secs(3 * 3600),
            echo_timeout: Duration::from_secs(20),
            backoff_initial: Duration::from_millis(250),
            backoff_max: Duration::from_secs(30),
            key_book: KeyBook::default(),
        }
    }
}

/// Starts the virtual node and returns the transport a link connects to it with. The
/// node lives until the transport (and every clone of it) is dropped.
pub fn start(cfg: MqttNodeConfig) -> Transport {
    let (tx, rx) = mpsc::channel(4);
    let name = format!(
        "mqtt:{}/{}",
        cfg.broker,
        meshmush_protocol::packets::node_id(cfg.node_num)
    );
    tokio::spawn(api::run(cfg, rx));
    Transport::Virtual(VirtualPort::new(name, tx))
}
