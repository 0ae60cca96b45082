//! Helpers for the link-over-sim tests: a mesh, and scripted handsets (the sim's own
//! [`Handset`], a link to a node) with assertions that fail with a clear message.
#![allow(dead_code)]

use std::time::Duration;

use meshmush_firmware_bridge::link::LinkConfig;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::TextMessage;

pub const WAIT: Duration = Duration::from_secs(20);

pub fn fast_link(node: &SimNode) -> LinkConfig {
    meshmush_firmware_bridge::sim::handset::fast_link_config(node)
}

/// A handset whose waits panic with a message instead of returning `None`.
pub struct Client(pub Handset);

impl std::ops::Deref for Client {
    type Target = Handset;
    fn deref(&self) -> &Handset {
        &self.0
    }
}

impl std::ops::DerefMut for Client {
    fn deref_mut(&mut self) -> &mut Handset {
        &mut self.0
    }
}

impl Client {
    /// Connects a link with `cfg` to the node it names.
    pub async fn connect(cfg: LinkConfig) -> Self {
        let node = SimNode {
            num: 0,
            long_name: String::new(),
            short_name: String::new(),
            addr: "127.0.0.1:0".parse().expect("addr"),
            is_gateway: false,
            area: 0,
        };
        let h = tokio::time::timeout(WAIT, Handset::connect_with(&node, cfg))
            .await
            .expect("connected in time")
            .expect("link alive");
        Self(h)
    }

    pub async fn next_text(&mut self) -> TextMessage {
        self.0.next_text(WAIT).await.expect("a text in time")
    }

    pub async fn reconnected(&mut self) {
        assert!(self.0.reconnected(WAIT).await, "no reconnect in time");
    }
}

pub async fn mesh(handsets: usize) -> Mesh {
    Mesh::start(SimConfig {
        handsets,
        ..SimConfig::default()
    })
    .await
    .expect("mesh starts")
}

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
