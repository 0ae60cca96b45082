//! `meshmush chat`: a terminal handset. It attaches to a node's client API as the
//! Meshtastic apps do (TCP, or USB serial), sends each line typed as a direct message
//! to the BBS node, and shows what comes back: replies joined from their packets, with
//! the time they took and the airtime they used, and notices from other players as
//! they arrive.
//!
//! [`Chat`] is the connection; [`conversation`] tells a command's reply from a notice
//! (by the command a meshmush BBS names on its reply) and a line taken silently from
//! one still waiting (by the node's ack); [`terminal`] is the interactive prompt and
//! [`script`] the reader of commands from standard input.

pub mod assemble;
pub mod conversation;
pub mod script;
pub mod terminal;

use std::future::Future;

use std::time::Duration;

use meshmush_firmware_bridge::link::{
    LinkConfig, LinkEvent, LinkHandle, LinkState, NodeEntry, SendError,
};
use meshmush_firmware_bridge::{Transport, spawn};
use meshmush_protocol::packets::{PRIMARY_CHANNEL, node_id};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::debug;

pub use assemble::{Assembler, Message};

/// The short name the software mesh's gateway carries, and that BBS nodes commonly
/// use: with no `--to`, the BBS is the node known by it.
pub const BBS_SHORT_NAME: &str = "BBS";

/// How to reach the node and the BBS.
#[derive(Debug, Clone)]
pub struct ChatConfig {
    pub transport: Transport,
    /// The BBS node; `None`: the one node the handset knows by [`BBS_SHORT_NAME`].
    pub to: Option<u32>,
    /// How long to wait for the node's handshake.
    pub connect_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("cannot reach the node at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error(
        "no node named {BBS_SHORT_NAME} among the {known} this node knows; name the BBS with --to !1234abcd"
    )]
    NoBbs { known: usize },
    #[error("{count} nodes are named {BBS_SHORT_NAME} ({ids}); pick one with --to")]
    SeveralBbs { count: usize, ids: String },
    #[error("sending to the BBS failed: {0}")]
    Send(#[from] SendError),
}

/// What the handset hears, in the order it hears it.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// A whole message from the BBS.
    Bbs(Message),
    /// A direct message from another node.
    Other { from: String, text: String },
    /// The node's word on a packet we sent the BBS: acked by the BBS's node (`Ok`),
    /// or not delivered, with the node's reason (and whether the link tries again).
    Delivered {
        id: u32,
        result: Result<(), String>,
        will_retry: bool,
    },
    /// The connection to the node dropped; the link reconnects by itself.
    Lost(String),
    /// Connected again.
    Back,
}

/// A handset attached to a node, talking to one BBS.
pub struct Chat {
    link: LinkHandle,
    pub me: NodeEntry,
    pub bbs: NodeEntry,
    pub preset: ModemPreset,
    heard: mpsc::Receiver<Heard>,
}

impl Chat {
    /// Connects, waits for the node's handshake, and finds the BBS.
    pub async fn connect(cfg: ChatConfig) -> Result<Self, ChatError> {
        let target = cfg.transport.to_string();
        let mut link_cfg = LinkConfig::new(cfg.transport);
        link_cfg.handshake_timeout = cfg.connect_timeout;
        let (link, mut events) = spawn(link_cfg);
        // The link's reasons name the node already ("cannot connect to tcp:..: ...").
        let unreachable = |reason: String| ChatError::Unreachable {
            reason: reason
                .strip_prefix(&format!("cannot connect to {target}: "))
                .unwrap_or(&reason)
                .to_string(),
            target: target.clone(),
        };
        let connected = tokio::time::timeout(cfg.connect_timeout, async {
            while let Some(ev) = events.recv().await {
                match ev {
                    LinkEvent::State(LinkState::Connected { my_node_num, .. }) => {
                        return Ok(my_node_num);
                    }
                    LinkEvent::State(LinkState::Lost { reason }) => return Err(reason),
                    _ => {}
                }
            }
            Err("the link stopped".to_string())
        })
        .await;
        let my_num = match connected {
            Ok(Ok(num)) => num,
            Ok(Err(reason)) => {
                link.shutdown().await;
                return Err(unreachable(reason));
            }
            Err(_) => {
                link.shutdown().await;
                return Err(unreachable(format!(
                    "no answer within {} s",
                    cfg.connect_timeout.as_secs()
                )));
            }
        };
        let nodes = link.nodes();
        let bbs = match find_bbs(&nodes, my_num, cfg.to) {
            Ok(bbs) => bbs,
            Err(e) => {
                link.shutdown().await;
                return Err(e);
            }
        };
        let me = link.node(my_num).unwrap_or_else(|| unnamed(my_num));
        let preset = link
            .node_config()
            .map_or(ModemPreset::LongFast, |c| c.preset);
        let (tx, heard) = mpsc::channel(256);
        tokio::spawn(listen(events, bbs.num, preset, tx));
        Ok(Self {
            link,
            me,
            bbs,
            preset,
            heard,
        })
    }

    /// Sends one line to the BBS as a direct message; the ids of its packets.
    pub async fn send(&self, line: &str) -> Result<Vec<u32>, ChatError> {
        Ok(self
            .link
            .send_text(self.bbs.num, PRIMARY_CHANNEL, line)
            .await?)
    }

    /// The next thing heard; `None` once the link has stopped.
    pub async fn next(&mut self) -> Option<Heard> {
        self.heard.recv().await
    }

    /// Says goodbye to the node.
    pub async fn close(self) {
        self.link.shutdown().await;
    }
}

/// What the front ends need of a connection: send a line, hear what comes. [`Chat`] is
/// the real one; their tests talk to a scripted BBS instead.
pub trait Talk {
    /// Sends `line` to the BBS; the ids of its packets.
    fn send(&mut self, line: &str) -> impl Future<Output = Result<Vec<u32>, ChatError>>;
    /// The next thing heard; `None` once the link has stopped.
    fn next(&mut self) -> impl Future<Output = Option<Heard>>;
    /// The node's modem preset.
    fn preset(&self) -> ModemPreset;
}

impl Talk for Chat {
    fn send(&mut self, line: &str) -> impl Future<Output = Result<Vec<u32>, ChatError>> {
        Chat::send(self, line)
    }

    fn next(&mut self) -> impl Future<Output = Option<Heard>> {
        Chat::next(self)
    }

    fn preset(&self) -> ModemPreset {
        self.preset
    }
}

/// The BBS: the node asked for (known or not), or the one known by the BBS short name.
fn find_bbs(nodes: &[NodeEntry], me: u32, to: Option<u32>) -> Result<NodeEntry, ChatError> {
    if let Some(num) = to {
        return Ok(nodes
            .iter()
            .find(|n| n.num == num)
            .cloned()
            .unwrap_or_else(|| unnamed(num)));
    }
    let named: Vec<&NodeEntry> = nodes
        .iter()
        .filter(|n| n.num != me && n.short_name.eq_ignore_ascii_case(BBS_SHORT_NAME))
        .collect();
    match named.as_slice() {
        [] => Err(ChatError::NoBbs { known: nodes.len() }),
        [one] => Ok((*one).clone()),
        many => Err(ChatError::SeveralBbs {
            count: many.len(),
            ids: many
                .iter()
                .map(|n| node_id(n.num))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn unnamed(num: u32) -> NodeEntry {
    NodeEntry {
        num,
        long_name: node_id(num),
        short_name: String::new(),
        has_public_key: false,
        public_key: None,
        last_heard: 0,
    }
}

/// How long a numbered reply may wait for its next part before what arrived is shown.
const PART_WAIT: Duration = Duration::from_secs(60);

/// Turns the link's events into what the person hears.
async fn listen(
    mut events: mpsc::Receiver<LinkEvent>,
    bbs: u32,
    preset: ModemPreset,
    out: mpsc::Sender<Heard>,
) {
    let mut assembler = Assembler::new(preset);
    loop {
        let ev = if assembler.is_waiting() {
            match tokio::time::timeout(PART_WAIT, events.recv()).await {
                Ok(ev) => ev,
                Err(_) => {
                    for m in assembler.flush() {
                        if out.send(Heard::Bbs(m)).await.is_err() {
                            return;
                        }
                    }
                    continue;
                }
            }
        } else {
            events.recv().await
        };
        let Some(ev) = ev else { break };
        debug!(event = %ev.kind(), "chat heard");
        let heard = match ev {
            LinkEvent::DirectText(t) if t.from == bbs => assembler
                .push(&t.text, t.pki_encrypted, t.reply_id, Instant::now())
                .into_iter()
                .map(Heard::Bbs)
                .collect(),
            LinkEvent::Delivery {
                dest,
                packet_id,
                result,
                will_retry,
                ..
            } if dest == bbs => vec![Heard::Delivered {
                id: packet_id,
                result: result.map_err(|e| e.as_str_name().to_string()),
                will_retry,
            }],
            LinkEvent::DirectText(t) => vec![Heard::Other {
                from: node_id(t.from),
                text: t.text,
            }],
            LinkEvent::State(LinkState::Lost { reason }) => vec![Heard::Lost(reason)],
            LinkEvent::State(LinkState::Connected { .. }) => vec![Heard::Back],
            _ => Vec::new(),
        };
        for h in heard {
            if out.send(h).await.is_err() {
                return;
            }
        }
    }
    for m in assembler.flush() {
        let _ = out.send(Heard::Bbs(m)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(num: u32, short: &str) -> NodeEntry {
        NodeEntry {
            short_name: short.into(),
            ..unnamed(num)
        }
    }

    #[test]
    fn the_bbs_is_the_node_named_bbs_or_the_one_asked_for() {
        let nodes = [node(1, "Alic"), node(2, "BBS"), node(3, "Bob")];
        assert_eq!(find_bbs(&nodes, 1, None).map(|n| n.num).ok(), Some(2));
        assert_eq!(find_bbs(&nodes, 1, Some(3)).map(|n| n.num).ok(), Some(3));
        assert_eq!(
            find_bbs(&nodes, 1, Some(9)).map(|n| n.num).ok(),
            Some(9),
            "a node not yet heard can still be written to"
        );
        assert!(matches!(
            find_bbs(&nodes[..1], 1, None),
            Err(ChatError::NoBbs { known: 1 })
        ));
        let two = [node(2, "BBS"), node(4, "bbs")];
        assert!(matches!(
            find_bbs(&two, 1, None),
            Err(ChatError::SeveralBbs { count: 2, .. })
        ));
    }
}
