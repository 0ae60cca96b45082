//! A scripted handset: a link to one handset node, with helpers to send a command to
//! the BBS and collect what comes back. Tests, demos and benchmarks talk through it,
//! so they exercise the same link code the daemon uses.

use std::collections::VecDeque;
use std::time::Duration;

use meshmush_protocol::chunking::{parse_marker, strip_marker};
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL, TextMessage};
use tokio::sync::mpsc;

use super::SimNode;
use crate::link::{LinkClosed, LinkConfig, LinkEvent, LinkHandle, LinkState, SendError};
use crate::{Transport, spawn};

/// A link config for talking to a software node: no airtime budget, quick retries.
/// (A daemon's link takes its byte budget from its own config: pass that config's
/// link to [`fast_timings`] instead.)
pub fn fast_link_config(node: &SimNode) -> LinkConfig {
    fast_timings(LinkConfig::new(Transport::Tcp(node.addr.to_string())))
}

/// `cfg` with the timings shortened for a software node, whose air is instant and
/// whose answers come within milliseconds: no airtime budget, quick retries and
/// reconnects. The byte budget and everything else stay as given.
pub fn fast_timings(mut cfg: LinkConfig) -> LinkConfig {
    cfg.airtime_scale = 0.0;
    cfg.backoff_initial = Duration::from_millis(20);
    cfg.backoff_max = Duration::from_millis(200);
    cfg.retry_delay = Duration::from_millis(20);
    cfg.queue_poll = Duration::from_millis(20);
    cfg.ack_timeout = Duration::from_secs(2);
    cfg.handshake_timeout = Duration::from_secs(5);
    cfg
}

/// A handset in a script.
pub struct Handset {
    pub node: SimNode,
    pub link: LinkHandle,
    pub events: mpsc::Receiver<LinkEvent>,
    /// Direct texts that arrived while a channel text was awaited, and channel texts
    /// that arrived while a direct one was: kept for the next call that wants them.
    direct: VecDeque<TextMessage>,
    channel: VecDeque<TextMessage>,
}

/// Which texts a caller waits for.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Direct,
    Channel,
}

impl Handset {
    /// Connects to `node` with [`fast_link_config`] and waits for the handshake.
    pub async fn connect(node: &SimNode) -> Result<Self, LinkClosed> {
        Self::connect_with(node, fast_link_config(node)).await
    }

    pub async fn connect_with(node: &SimNode, cfg: LinkConfig) -> Result<Self, LinkClosed> {
        let (link, events) = spawn(cfg);
        link.connected().await?;
        Ok(Self {
            node: node.clone(),
            link,
            events,
            direct: VecDeque::new(),
            channel: VecDeque::new(),
        })
    }

    /// Sends a direct message.
    pub async fn send(&self, dest: u32, text: &str) -> Result<(), SendError> {
        self.link
            .send_text(dest, PRIMARY_CHANNEL, text)
            .await
            .map(|_| ())
    }

    /// Sends a text on the primary channel, as a person typing in the channel does.
    pub async fn send_channel(&self, text: &str) -> Result<(), SendError> {
        self.link
            .send_text(BROADCAST, PRIMARY_CHANNEL, text)
            .await
            .map(|_| ())
    }

    /// Taps `emoji` on packet `packet` from `dest`, as the apps send a reaction: a text
    /// whose payload is the emoji, with `Data.emoji = 1` and `reply_id` naming the
    /// packet (mesh.proto, `Data.emoji`/`reply_id`). It goes through a second API
    /// connection to this handset's node, as a phone app's would, since the link's
    /// queue sends typed text only.
    pub async fn react(&self, dest: u32, packet: u32, emoji: &str) -> std::io::Result<()> {
        use futures::SinkExt;
        use meshmush_protocol::framing::HostCodec;
        use meshmush_protocol::packets::TextOut;
        use meshmush_protocol::proto::{mesh_packet, to_radio};

        let mut out = TextOut::direct(dest, emoji);
        out.reply_id = Some(packet);
        let mut p = out.to_mesh_packet(0, 0);
        if let Some(mesh_packet::PayloadVariant::Decoded(d)) = p.payload_variant.as_mut() {
            d.emoji = 1;
        }
        let frame = meshmush_protocol::proto::ToRadio {
            payload_variant: Some(to_radio::PayloadVariant::Packet(p)),
        };
        let stream = tokio::net::TcpStream::connect(self.node.addr).await?;
        let mut w = tokio_util::codec::FramedWrite::new(stream, HostCodec::new());
        w.send(frame).await.map_err(std::io::Error::other)?;
        // Give the node a moment to take the frame before the connection closes.
        tokio::time::sleep(Duration::from_millis(50)).await;
        Ok(())
    }

    /// The next direct text, or `None` after `wait`.
    pub async fn next_text(&mut self, wait: Duration) -> Option<TextMessage> {
        self.next_of(Kind::Direct, wait).await
    }

    /// The next text heard on a channel, or `None` after `wait`.
    pub async fn next_channel_text(&mut self, wait: Duration) -> Option<TextMessage> {
        self.next_of(Kind::Channel, wait).await
    }

    async fn next_of(&mut self, kind: Kind, wait: Duration) -> Option<TextMessage> {
        let kept = match kind {
            Kind::Direct => &mut self.direct,
            Kind::Channel => &mut self.channel,
        };
        if let Some(t) = kept.pop_front() {
            return Some(t);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(LinkEvent::DirectText(t))) if kind == Kind::Direct => return Some(t),
                Ok(Some(LinkEvent::ChannelText(t))) if kind == Kind::Channel => return Some(t),
                Ok(Some(LinkEvent::DirectText(t))) => self.direct.push_back(t),
                Ok(Some(LinkEvent::ChannelText(t))) => self.channel.push_back(t),
                Ok(Some(_)) => continue,
                _ => return None,
            }
        }
    }

    /// Channel texts already heard and not yet taken (none are awaited).
    pub fn take_channel_texts(&mut self) -> Vec<TextMessage> {
        self.channel.drain(..).collect()
    }

    /// Every direct text until `quiet` passes without one.
    pub async fn texts_until_quiet(&mut self, quiet: Duration) -> Vec<TextMessage> {
        let mut out = Vec::new();
        while let Some(t) = self.next_text(quiet).await {
            out.push(t);
        }
        out
    }

    /// Sends `text` to `dest` and returns the reply: its first packet within `wait`,
    /// and the rest of a multi-packet reply, reassembled without part markers.
    pub async fn ask(&mut self, dest: u32, text: &str, wait: Duration) -> Option<String> {
        self.send(dest, text).await.ok()?;
        let first = self.next_text(wait).await?;
        let mut parts = vec![first.text];
        if let Some((_, total, _)) = parse_marker(&parts[0]) {
            while parts.len() < total {
                parts.push(self.next_text(wait).await?.text);
            }
            return Some(
                parts
                    .iter()
                    .map(|p| strip_marker(p))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        parts.pop()
    }

    /// Waits for the link to report a loss and then a new connection.
    pub async fn reconnected(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        let mut lost = false;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(LinkEvent::State(LinkState::Lost { .. }))) => lost = true,
                Ok(Some(LinkEvent::State(LinkState::Connected { .. }))) if lost => return true,
                Ok(Some(_)) => continue,
                _ => return false,
            }
        }
    }
}
