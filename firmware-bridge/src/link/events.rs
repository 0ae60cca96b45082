//! What passes between a link's handle and its task: [`Command`]s in, [`LinkEvent`]s
//! and the [`LinkState`] out. A leaf, so the handle, the task and a group of links
//! share them without importing one another or `link/mod.rs`.

use meshmush_protocol::packets::TextMessage;
use meshmush_protocol::proto::routing;
use tokio::sync::oneshot;

use super::error::SendError;
use super::nodedb::NodeEntry;
use super::outbound::{Class, SendOpts};

/// The link's connection state.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    Connecting { attempt: u32 },
    Connected { my_node_num: u32, nodes: usize },
    Lost { reason: String },
    Stopped,
}

/// What the link tells the host.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkEvent {
    State(LinkState),
    /// A direct message to our node (repeats already removed).
    DirectText(TextMessage),
    /// A broadcast text on a channel (repeats already removed).
    ChannelText(TextMessage),
    /// A packet we sent was delivered (acked), or failed with the firmware's reason.
    Delivery {
        dest: u32,
        packet_id: u32,
        result: Result<(), routing::Error>,
        will_retry: bool,
        /// The hop limit the packet went with (on this attempt).
        hop_limit: u32,
    },
    /// A node appeared or changed.
    NodeInfo(NodeEntry),
}

impl LinkEvent {
    /// The event's kind and sender, for logs: never a message's text.
    pub fn kind(&self) -> String {
        match self {
            Self::State(s) => format!("state {s:?}"),
            Self::DirectText(t) => format!("direct text from !{:08x}", t.from),
            Self::ChannelText(t) => format!("channel text from !{:08x}", t.from),
            Self::Delivery {
                dest, packet_id, ..
            } => {
                format!("delivery of {packet_id} to !{dest:08x}")
            }
            Self::NodeInfo(n) => format!("node info of !{:08x}", n.num),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Command {
    Send {
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        /// What they answer, and their hop limit.
        opts: SendOpts,
        ids: oneshot::Sender<Result<Vec<u32>, SendError>>,
    },
    Shutdown,
}
