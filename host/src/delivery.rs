//! The one delivery path: a command's [`Outcome`] in, radio packets out. It owns
//! - notices to others: resolving a room to the players active there, the per-minute
//!   cap and the busy-link skip for room chatter, and mail notices that ride on the
//!   recipient's next reply, or in one packet at once to an active recipient (either
//!   way once: the mail is marked announced when it has gone);
//! - the pager: a reply longer than `pager_packets` packets sends one page, the last
//!   packet marked ` [more]`, and keeps the rest for `more`;
//! - chunking, done once here at the link's byte budget; the link sends the packets
//!   as they are.
//!
//! Every byte costs the mesh airtime, so nobody gets a 20-packet reply they did not
//! ask for, and chatter gives way to replies when the link is backed up.

use std::collections::VecDeque;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_firmware_bridge::link::{LinkClosed, SendError};
use meshmush_protocol::chunking::chunk;
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL, node_id};
use tracing::{debug, warn};

use crate::commands::{Audience, Notice, NoticeKind, Outcome};
use crate::roster::Roster;
use crate::store::Store;

/// Appended to the last packet of a page when more is waiting.
pub const MORE: &str = " [more]";

/// Room chatter is skipped while the link holds more than this many packets waiting:
/// a busy mesh keeps its airtime for replies.
pub const MAX_PENDING_FOR_NOTICES: u64 = 12;

/// Added to a mail notice sent at once to an active recipient.
const READ_MAIL_HINT: &str = "Send mail to read it.";

/// The delivery path of one daemon; cheap to clone.
#[derive(Clone, Debug)]
pub struct Delivery {
    link: LinkHandle,
    roster: Roster,
    store: Store,
    byte_budget: usize,
    per_page: usize,
}

impl Delivery {
    /// `byte_budget` is the link's, from the one `LinkConfig` the config derives.
    pub fn new(
        link: LinkHandle,
        roster: Roster,
        store: Store,
        byte_budget: usize,
        per_page: usize,
    ) -> Self {
        Self {
            link,
            roster,
            store,
            byte_budget,
            per_page: per_page.max(1),
        }
    }

    /// Delivers what `node`'s command came to: notices to others first (as they
    /// happened during the command), then the reply, with any notices waiting for
    /// `node` in front of it.
    pub async fn deliver(&self, node: u32, outcome: Outcome) -> Result<(), LinkClosed> {
        for notice in outcome.notices {
            self.notice(node, notice).await?;
        }
        let waiting = self.roster.take_notices(node);
        let mut reply = outcome.reply;
        if !waiting.notices.is_empty() {
            reply = format!("{} {reply}", waiting.notices.join(" "));
        }
        self.reply(node, &reply).await?;
        if waiting.mail
            && let Err(e) = self.store.mark_mail_announced(node).await
        {
            warn!(error = %e, "cannot record that mail was announced");
        }
        Ok(())
    }

    /// Delivers only an outcome's notices, for a command whose reply goes elsewhere
    /// (the admin console's socket).
    pub async fn notices(&self, from: u32, notices: Vec<Notice>) -> Result<(), LinkClosed> {
        for notice in notices {
            self.notice(from, notice).await?;
        }
        Ok(())
    }

    /// Broadcasts `text` on the primary channel (a channel notice, the beacon),
    /// chunked like any reply; the number of packets queued (0: the link refused).
    pub async fn broadcast(&self, text: &str) -> Result<usize, LinkClosed> {
        let packets = self.chunked(text, 0);
        let n = packets.len();
        match self
            .link
            .send_packets(BROADCAST, PRIMARY_CHANNEL, packets)
            .await
        {
            Ok(_) => Ok(n),
            Err(SendError::Closed) => Err(LinkClosed),
            Err(e) => {
                warn!(error = %e, "the link refused a broadcast");
                Ok(0)
            }
        }
    }

    /// Sends the next page for `more`.
    pub async fn more(&self, node: u32) -> Result<(), LinkClosed> {
        match self.roster.next_page(node, self.per_page) {
            Some((page, more)) => self.send_page(node, page, more).await,
            None => self.say(node, "Nothing more to show.").await,
        }
    }

    /// Sends a short message that is no command's reply (a refusal by the router, a
    /// storage failure): chunked, not paged, and nothing waiting is dropped.
    pub async fn say(&self, node: u32, text: &str) -> Result<(), LinkClosed> {
        self.send(node, self.chunked(text, 0)).await
    }

    /// A reply, paged when it needs more than a page of packets.
    async fn reply(&self, node: u32, reply: &str) -> Result<(), LinkClosed> {
        let (mut packets, paged) = self.packets(reply);
        if !paged {
            self.roster.drop_pages(node);
            return self.send(node, packets).await;
        }
        let rest: VecDeque<String> = packets.split_off(self.per_page).into();
        self.roster.set_pages(node, rest);
        self.send_page(node, packets, true).await
    }

    /// Chunks `reply` once: at the full budget when it fits on one page, else leaving
    /// room for [`MORE`] in every packet. The flag says whether it is paged.
    fn packets(&self, reply: &str) -> (Vec<String>, bool) {
        let whole = self.chunked(reply, 0);
        if whole.len() <= self.per_page {
            return (whole, false);
        }
        (self.chunked(reply, MORE.len()), true)
    }

    /// The one place text becomes packets: at the link's budget less `reserve` bytes.
    fn chunked(&self, text: &str, reserve: usize) -> Vec<String> {
        chunk(text, self.byte_budget.saturating_sub(reserve))
    }

    async fn send_page(
        &self,
        node: u32,
        mut page: Vec<String>,
        more: bool,
    ) -> Result<(), LinkClosed> {
        if more && let Some(last) = page.last_mut() {
            last.push_str(MORE);
        }
        self.send(node, page).await
    }

    /// One notice from `from`'s command.
    async fn notice(&self, from: u32, notice: Notice) -> Result<(), LinkClosed> {
        let Notice { to, text, kind } = notice;
        let nodes = match to {
            Audience::Channel => {
                let sent = self.broadcast(&text).await?;
                debug!(packets = sent, "channel notice");
                return Ok(());
            }
            Audience::Player(node) => vec![node],
            Audience::Room { room, except } => self
                .roster
                .in_room(room)
                .into_iter()
                .map(|(n, _)| n)
                .filter(|n| *n != except)
                .collect(),
        };
        for node in nodes {
            match kind {
                NoticeKind::Direct => self.say(node, &text).await?,
                NoticeKind::Ambient => {
                    if self.chatter_allowed(node) {
                        self.say(node, &text).await?;
                    }
                }
                NoticeKind::Mail => {
                    if node != from && self.roster.is_active(node) {
                        // Told at once: that is the announcement, not repeated on
                        // their next reply.
                        self.say(node, &format!("{text} {READ_MAIL_HINT}")).await?;
                        if let Err(e) = self.store.mark_mail_announced(node).await {
                            warn!(error = %e, "cannot record that mail was announced");
                        }
                    } else {
                        self.roster.queue_notice(node, text.clone(), true);
                    }
                }
            }
        }
        Ok(())
    }

    /// Packets waiting in the link's queue.
    pub fn pending(&self) -> u64 {
        self.link.metrics().queue_depth
    }

    /// Whether room chatter may go to `node` now; counts it if so.
    fn chatter_allowed(&self, node: u32) -> bool {
        let pending = self.pending();
        if pending > MAX_PENDING_FOR_NOTICES {
            debug!(to = %node_id(node), pending, "notice skipped: link busy");
            return false;
        }
        if !self.roster.allow_room_notice(node) {
            debug!(to = %node_id(node), "notice skipped: enough this minute");
            return false;
        }
        true
    }

    /// Hands ready packets to the link, which sends them in order as they are.
    async fn send(&self, node: u32, packets: Vec<String>) -> Result<(), LinkClosed> {
        if packets.is_empty() {
            // A reply with nothing to say (a line taken into a draft) costs no airtime.
            return Ok(());
        }
        match self.link.send_packets(node, PRIMARY_CHANNEL, packets).await {
            Ok(_) => Ok(()),
            Err(SendError::Closed) => Err(LinkClosed),
            // Chunked here at the link's own budget: this is a bug, not the radio.
            Err(e) => {
                warn!(error = %e, to = %node_id(node), "the link refused a reply");
                Ok(())
            }
        }
    }
}
