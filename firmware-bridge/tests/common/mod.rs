//! Helpers for the link-over-sim tests: a mesh, a link to its gateway, and scripted
//! handsets that are themselves links to handset nodes.
#![allow(dead_code)]

use std::time::Duration;

use meshmush_firmware_bridge::link::{LinkConfig, LinkEvent, LinkHandle, LinkState};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_firmware_bridge::{Transport, spawn};
use meshmush_protocol::packets::TextMessage;
use tokio::sync::mpsc;

pub const WAIT: Duration = Duration::from_secs(20);

pub fn fast_link(node: &SimNode) -> LinkConfig {
    let mut cfg = LinkConfig::new(Transport::Tcp(node.addr.to_string()));
    cfg.airtime_scale = 0.0;
    cfg.backoff_initial = Duration::from_millis(20);
    cfg.backoff_max = Duration::from_millis(200);
    cfg.retry_delay = Duration::from_millis(20);
    cfg.queue_poll = Duration::from_millis(20);
    cfg.ack_timeout = Duration::from_secs(2);
    cfg.handshake_timeout = Duration::from_secs(5);
    cfg
}

pub struct Client {
    pub link: LinkHandle,
    pub events: mpsc::Receiver<LinkEvent>,
}

impl Client {
    pub async fn connect(cfg: LinkConfig) -> Self {
        let (link, events) = spawn(cfg);
        tokio::time::timeout(WAIT, link.connected())
            .await
            .expect("connected in time")
            .expect("link alive");
        Self { link, events }
    }

    /// The next direct text, skipping other events.
    pub async fn next_text(&mut self) -> TextMessage {
        loop {
            let ev = tokio::time::timeout(WAIT, self.events.recv())
                .await
                .expect("a text in time")
                .expect("link alive");
            if let LinkEvent::DirectText(t) = ev {
                return t;
            }
        }
    }

    /// Texts until `quiet` passes without one.
    pub async fn texts_until_quiet(&mut self, quiet: Duration) -> Vec<TextMessage> {
        let mut out = Vec::new();
        while let Ok(Some(ev)) = tokio::time::timeout(quiet, self.events.recv()).await {
            if let LinkEvent::DirectText(t) = ev {
                out.push(t);
            }
        }
        out
    }

    /// Waits for the link to report it reconnected after a loss.
    pub async fn reconnected(&mut self) {
        let mut lost = false;
        loop {
            let ev = tokio::time::timeout(WAIT, self.events.recv())
                .await
                .expect("state change in time")
                .expect("link alive");
            match ev {
                LinkEvent::State(LinkState::Lost { .. }) => lost = true,
                LinkEvent::State(LinkState::Connected { .. }) if lost => return,
                _ => {}
            }
        }
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
