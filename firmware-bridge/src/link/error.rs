//! Why a reply was not queued ([`SendError`]) and the closed link ([`LinkClosed`]). A
//! leaf: the handle refuses with them and the outbound queue checks its caps with
//! them, without either importing `link/mod.rs`.

/// The link is gone (shut down, or its task ended).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the radio link is closed")]
pub struct LinkClosed;

/// Why a reply was not queued. Nothing of a refused reply is queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// A packet is longer than the link takes
    /// ([`LinkConfig::max_packet_bytes`](super::LinkConfig::max_packet_bytes)).
    #[error("packet {index} of the reply is {len} bytes; this link takes at most {max}")]
    TooLarge {
        index: usize,
        len: usize,
        max: usize,
    },
    /// A packet has no text: it would cost airtime and say nothing.
    #[error("packet {index} of the reply is empty")]
    Empty { index: usize },
    /// The destination already has this many packets queued and in flight; the
    /// reply would pass [`LinkConfig::max_per_dest`](super::LinkConfig::max_per_dest).
    #[error("{queued} packets already wait for node {dest:#010x}; it may have at most {cap}")]
    DestinationFull {
        dest: u32,
        queued: usize,
        cap: usize,
    },
    /// The whole queue holds this many packets; the reply would pass
    /// [`LinkConfig::max_queued`](super::LinkConfig::max_queued).
    #[error("the outbound queue holds {queued} packets; it may hold at most {cap}")]
    QueueFull { queued: usize, cap: usize },
    /// The link is gone (shut down, or its task ended).
    #[error("the radio link is closed")]
    Closed,
}

impl From<LinkClosed> for SendError {
    fn from(_: LinkClosed) -> Self {
        Self::Closed
    }
}
