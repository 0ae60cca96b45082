//! The one delivery path: a command's [`Outcome`] in, radio packets out. It owns
//! - notices to others: resolving a room to the players active there, the per-minute
//!   cap and the busy-link skip for room chatter, and mail notices that ride on the
//!   recipient's next reply, or in one packet at once to an active recipient (either
//!   way once: the mail is marked announced when it has gone); pages held for a
//!   player in do-not-disturb, which ride on their next reply; `[Name] ` in
//!   front of room chatter for a recipient with `nospoof` on; and each recipient's
//!   language, for a notice a command rendered in every language
//!   ([`Words`](meshmush_lang::Words): the command does not know who is in the room);
//! - the pager: a reply longer than `pager_packets` packets sends one page, the last
//!   packet marked ` [more]`, and keeps the rest for `more`;
//! - chunking, done once here at the link's byte budget; the link sends the packets
//!   as they are;
//! - what a packet answers: every packet of a command's reply (and of the router's
//!   refusal of a command) carries that command's packet id as `Data.reply_id`, so a
//!   client tells the reply to what it sent from a notice that arrived meanwhile (the
//!   apps show it as a reply to the message; `meshmush chat` counts on it). It costs
//!   [`REPLY_ID_BYTES`] a packet, so a reply is cut at [`reply_text_budget`]; notices
//!   and unasked messages answer nothing and carry none;
//! - what a notice showed (a letter, a post): remembered with its packet ids in the
//!   roster, so that an emoji reaction to that packet marks it read;
//! - the hop limit of every DM: as [`Reach`] gives it for the destination's distance
//!   and the config's `replies.hop_rule` (broadcasts and sync go at the configured
//!   limit);
//! - the traffic class of every packet ([`Class`]): a reply goes as the session
//!   judged its player (known or stranger), notices as notices, channel notices,
//!   welcomes and the beacon as unasked traffic, sync as sync. The link's one queue
//!   serves classes in that order, each within its airtime share; this module is the
//!   only caller of its send ([`Delivery::sync`] is federation's door to it).
//!
//! Every byte costs the mesh airtime, so nobody gets a 20-packet reply they did not
//! ask for, and everything else gives way to known players' replies. A stranger whose
//! reply would wait past [`BUSY_AFTER`] (behind what is queued, or for the strangers'
//! share) is told so once per such wait instead: never silence, never a queue that
//! grows without end.
//!
//! [`REPLY_ID_BYTES`]: meshmush_protocol::airtime::REPLY_ID_BYTES

use std::collections::VecDeque;

use std::time::Duration;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_firmware_bridge::link::{Class, LinkClosed, SendError, SendOpts};
use meshmush_protocol::airtime::reply_text_budget;
use meshmush_protocol::chunking::chunk;
use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL, node_id};
use tracing::{debug, warn};

use crate::commands::outcome::{Audience, Notice, NoticeKind, Outcome, Shown};
use crate::reach::Reach;
use crate::roster::Roster;
use meshmush_lang::{Lang, Words, t};
use meshmush_store::Store;

/// A stranger's reply packet while strangers' replies queue up: on ShortFast about
/// 110 ms on air instead of 190 ms for a full one, which is what a known player's
/// reply may have to wait for behind it (figure 8).
pub const BUSY_PACKET_BYTES: usize = 100;

/// Appended to the last packet of a page when more is waiting.
pub const MORE: &str = " [more]";

/// A stranger's reply that would wait longer than this (behind what is queued, or for
/// the strangers' airtime share) is replaced by one short "busy" note (once per such
/// wait).
pub const BUSY_AFTER: Duration = Duration::from_secs(60);

/// The delivery path of one daemon; cheap to clone.
#[derive(Clone, Debug)]
pub struct Delivery {
    link: LinkHandle,
    roster: Roster,
    store: Store,
    byte_budget: usize,
    per_page: usize,
    reach: Reach,
    /// The BBS's language, for what the delivery itself adds to a notice (a player
    /// who picked one reads theirs).
    lang: Lang,
}

impl Delivery {
    /// `byte_budget` is the link's, from the one `LinkConfig` the config derives.
    /// Every DM goes at the hop limit `reach` gives its destination.
    pub fn new(
        link: LinkHandle,
        roster: Roster,
        store: Store,
        byte_budget: usize,
        per_page: usize,
        reach: Reach,
    ) -> Self {
        Self {
            link,
            roster,
            store,
            byte_budget,
            per_page: per_page.max(1),
            reach,
            lang: Lang::EN,
        }
    }

    /// The BBS's language (`[bbs] language`), for players who picked none.
    pub fn with_language(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// The language `node` reads.
    async fn language_of(&self, node: u32) -> Lang {
        match self.store.habits(node).await {
            Ok(h) => h.lang.as_deref().and_then(Lang::parse).unwrap_or(self.lang),
            Err(_) => self.lang,
        }
    }

    /// The language `node` reads as far as the roster knows it (a session said so),
    /// else the BBS's: no store read, for what is said on the way.
    fn known_language(&self, node: u32) -> Lang {
        self.roster.lang(node).unwrap_or(self.lang)
    }

    /// Delivers what `node`'s command (packet `command`) came to: notices to others
    /// first (as they happened during the command), then the reply, with any notices
    /// waiting for `node` in front of it, marked as the answer to `command`.
    /// `class` is how the session judged the player: [`Class::Known`] or
    /// [`Class::Stranger`].
    pub async fn deliver(
        &self,
        node: u32,
        class: Class,
        outcome: Outcome,
        command: Option<u32>,
    ) -> Result<(), LinkClosed> {
        for notice in outcome.notices {
            self.notice(node, notice).await?;
        }
        if class == Class::Stranger && self.busy(node, command).await? {
            return Ok(());
        }
        let waiting = self.roster.take_notices(node);
        let mut reply = outcome.reply;
        if !waiting.notices.is_empty() {
            reply = format!("{} {reply}", waiting.notices.join(" "));
        }
        self.reply(node, class, &reply, command).await?;
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

    /// Whether a stranger's reply gives way to "busy": when it would wait past
    /// [`BUSY_AFTER`], they are told once per such wait (true),
    /// and a reply in that wait that is not the first is dropped (true, counted in
    /// the log at debug). False: send the reply.
    async fn busy(&self, node: u32, command: Option<u32>) -> Result<bool, LinkClosed> {
        let wait = self.link.class_wait(Class::Stranger);
        if wait <= BUSY_AFTER {
            return Ok(false);
        }
        if !self.roster.tell_busy(node, wait) {
            debug!(to = %node_id(node), "stranger's reply dropped: told busy already");
            return Ok(true);
        }
        let mins = wait.as_secs().div_ceil(60);
        let text = t!(self.known_language(node), "busy-strangers", n = mins);
        self.answer(node, Class::Stranger, &text, command).await?;
        Ok(true)
    }

    /// Broadcasts `text` on the primary channel (a channel notice, the beacon) as
    /// unasked traffic, chunked like any reply; the number of packets queued (0: the
    /// link refused).
    pub async fn broadcast(&self, text: &str) -> Result<usize, LinkClosed> {
        Ok(self.broadcast_ids(text).await?.len())
    }

    /// As [`broadcast`](Self::broadcast), with the packets' ids (none: refused).
    async fn broadcast_ids(&self, text: &str) -> Result<Vec<u32>, LinkClosed> {
        let packets = self.chunked(text, 0);
        match self
            .link
            .send_packets(BROADCAST, PRIMARY_CHANNEL, Class::Unasked, packets)
            .await
        {
            Ok(ids) => Ok(ids),
            Err(SendError::Closed) => Err(LinkClosed),
            Err(e) => {
                warn!(error = %e, "the link refused a broadcast");
                Ok(Vec::new())
            }
        }
    }

    /// Sends the next page for `more` (packet `command`), in the player's `class`.
    pub async fn more(
        &self,
        node: u32,
        class: Class,
        command: Option<u32>,
    ) -> Result<(), LinkClosed> {
        match self.roster.next_page(node, self.per_page) {
            Some((page, more)) => self.send_page(node, class, page, more, command).await,
            None => {
                let text = t!(self.known_language(node), "more-none");
                self.answer(node, class, &text, command).await
            }
        }
    }

    /// Sends a short message that answers no command (a notice, a welcome) in
    /// `class`: chunked, not paged, and nothing waiting is dropped.
    pub async fn say(&self, node: u32, class: Class, text: &str) -> Result<(), LinkClosed> {
        self.answer(node, class, text, None).await
    }

    /// As [`say`](Self::say), with the packets' ids (none: the link refused them).
    async fn say_ids(&self, node: u32, class: Class, text: &str) -> Result<Vec<u32>, LinkClosed> {
        self.send(node, class, self.chunked(text, 0), None).await
    }

    /// Sends a short answer to packet `command` that is not the run command's reply
    /// (the router's refusal of it, a storage failure) in `class`: chunked, not
    /// paged, nothing waiting is dropped, and marked as the answer to `command`.
    pub async fn answer(
        &self,
        node: u32,
        class: Class,
        text: &str,
        command: Option<u32>,
    ) -> Result<(), LinkClosed> {
        let packets = self.chunked(text, self.reserve(command));
        self.send(node, class, packets, command).await.map(drop)
    }

    /// Federation's way out: ready-made sync packets for peer `node`, in the sync
    /// class (its share of the airtime, below every reply and notice). Their packet
    /// ids, for the peer's acks; or why the link took none of them.
    pub async fn sync(&self, node: u32, packets: Vec<String>) -> Result<Vec<u32>, SendError> {
        self.link
            .send_packets(node, PRIMARY_CHANNEL, Class::Sync, packets)
            .await
    }

    /// A reply to packet `command`, paged when it needs more than a page of packets.
    async fn reply(
        &self,
        node: u32,
        class: Class,
        reply: &str,
        command: Option<u32>,
    ) -> Result<(), LinkClosed> {
        let budget = self.packet_budget(class);
        let (mut packets, paged) = self.packets(reply, budget);
        if !paged {
            self.roster.drop_pages(node);
            return self.send(node, class, packets, command).await.map(drop);
        }
        let rest: VecDeque<String> = packets.split_off(self.per_page).into();
        self.roster.set_pages(node, rest);
        self.send_page(node, class, packets, true, command).await
    }

    /// Chunks `reply` once, with room for its `reply_id` (pages go out later, each
    /// answering a `more`): at the full budget when it fits on one page, else leaving
    /// room for [`MORE`] in every packet. The flag says whether it is paged.
    fn packets(&self, reply: &str, budget: usize) -> (Vec<String>, bool) {
        let answer = self.answer_reserve();
        let whole = chunk(reply, budget.saturating_sub(answer));
        if whole.len() <= self.per_page {
            return (whole, false);
        }
        (
            chunk(reply, budget.saturating_sub(answer + MORE.len())),
            true,
        )
    }

    /// The bytes a packet of a `class` reply may take now: the link's budget, but for
    /// a stranger's reply while strangers' replies queue (a flood), at most
    /// [`BUSY_PACKET_BYTES`], so none holds the air long while a known player waits.
    /// A page is still `pager_packets` packets: under a flood a stranger's page is
    /// shorter, and `more` brings the rest.
    fn packet_budget(&self, class: Class) -> usize {
        if class == Class::Stranger && !self.link.class_wait(Class::Stranger).is_zero() {
            self.byte_budget.min(BUSY_PACKET_BYTES)
        } else {
            self.byte_budget
        }
    }

    /// Bytes of the link's budget a packet answering `command` leaves to its
    /// `reply_id`; none for one that answers nothing.
    fn reserve(&self, command: Option<u32>) -> usize {
        match command {
            Some(_) => self.answer_reserve(),
            None => 0,
        }
    }

    /// Bytes of the link's budget an answer leaves to its `reply_id`: at most
    /// [`REPLY_ID_BYTES`], none where the budget has room for it already.
    fn answer_reserve(&self) -> usize {
        self.byte_budget - reply_text_budget(self.byte_budget)
    }

    /// The one place text becomes packets: at the link's budget less `reserve` bytes.
    fn chunked(&self, text: &str, reserve: usize) -> Vec<String> {
        chunk(text, self.byte_budget.saturating_sub(reserve))
    }

    async fn send_page(
        &self,
        node: u32,
        class: Class,
        mut page: Vec<String>,
        more: bool,
        command: Option<u32>,
    ) -> Result<(), LinkClosed> {
        if more && let Some(last) = page.last_mut() {
            last.push_str(MORE);
        }
        self.send(node, class, page, command).await.map(drop)
    }

    /// One notice from `from`'s command.
    async fn notice(&self, from: u32, notice: Notice) -> Result<(), LinkClosed> {
        let Notice {
            to,
            text,
            kind,
            shows,
        } = notice;
        let nodes = match to {
            Audience::Channel => {
                // One packet every listener reads: in the BBS's language.
                let ids = self.broadcast_ids(text.in_lang(self.lang)).await?;
                debug!(packets = ids.len(), "channel notice");
                if let Some(shown) = &shows {
                    self.roster.record_channel_shown(&ids, shown);
                }
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
                NoticeKind::Direct => {
                    let text = self.text_for(node, &text).await;
                    let ids = self.say_ids(node, Class::Notice, text).await?;
                    self.shown(node, &ids, shows.as_ref());
                }
                NoticeKind::Ambient => {
                    if self.roster.allow_room_notice(node) {
                        let text = self.unspoofed(from, node, &text).await;
                        self.say(node, Class::Notice, &text).await?;
                    } else {
                        debug!(to = %node_id(node), "notice skipped: enough this minute");
                    }
                }
                NoticeKind::Mail => {
                    if node != from && self.roster.is_active(node) {
                        // Told at once: that is the announcement, not repeated on
                        // their next reply.
                        let lang = self.language_of(node).await;
                        let hint = t!(lang, "mail-read-hint");
                        let told = format!("{} {hint}", text.in_lang(lang));
                        let ids = self.say_ids(node, Class::Notice, &told).await?;
                        self.shown(node, &ids, shows.as_ref());
                        if let Err(e) = self.store.mark_mail_announced(node).await {
                            warn!(error = %e, "cannot record that mail was announced");
                        }
                    } else {
                        let text = self.text_for(node, &text).await;
                        self.roster.queue_notice(node, text.to_string(), true);
                    }
                }
                NoticeKind::Held => {
                    let text = self.text_for(node, &text).await;
                    if !self.roster.hold_notice(node, text.to_string()) {
                        debug!(to = %node_id(node), "held notice dropped: enough waiting");
                    }
                }
            }
        }
        Ok(())
    }

    /// `words` as `node` reads them: their habits are read only when the words come
    /// in more than one language.
    async fn text_for<'w>(&self, node: u32, words: &'w Words) -> &'w str {
        if words.varies() {
            words.in_lang(self.language_of(node).await)
        } else {
            words.as_str()
        }
    }

    /// Room chatter `from` caused, as `to` reads it: in `to`'s language, with
    /// `[Name] ` in front when `to` has `nospoof` on and someone else caused it
    /// (PennMUSH's NOSPOOF). One read of `to`'s habits gives both.
    async fn unspoofed(&self, from: u32, to: u32, words: &Words) -> String {
        let habits = match self.store.habits(to).await {
            Ok(h) => h,
            Err(e) => {
                debug!(error = %e, "cannot read habits; sent as it is");
                Default::default()
            }
        };
        let lang = habits
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(self.lang);
        let text = words.in_lang(lang);
        match self.roster.get(from) {
            Some(seen) if habits.nospoof && from != to => format!("[{}] {text}", seen.name),
            _ => text.to_string(),
        }
    }

    /// About how long a full packet of `class` would wait now (see
    /// [`LinkHandle::class_wait`]).
    pub fn class_wait(&self, class: Class) -> Duration {
        self.link.class_wait(class)
    }

    /// Hands ready packets to the link, which sends them in order as they are, when
    /// their class's turn and share allow; each marked as the answer to `command`.
    async fn send(
        &self,
        node: u32,
        class: Class,
        packets: Vec<String>,
        command: Option<u32>,
    ) -> Result<Vec<u32>, LinkClosed> {
        if packets.is_empty() {
            // A reply with nothing to say (a line taken into a draft) costs no airtime.
            return Ok(Vec::new());
        }
        let opts = SendOpts {
            reply_to: command,
            hops: Some(self.reach.hops_for(node)),
        };
        match self
            .link
            .send_with(node, PRIMARY_CHANNEL, class, packets, opts)
            .await
        {
            Ok(ids) => Ok(ids),
            Err(SendError::Closed) => Err(LinkClosed),
            // Chunked here at the link's own budget: this is a bug, not the radio.
            Err(e) => {
                warn!(error = %e, to = %node_id(node), "the link refused a reply");
                Ok(Vec::new())
            }
        }
    }

    /// Remembers that packets `ids` to `node` showed `shows`, if they showed anything:
    /// a reaction to one of them marks it read.
    fn shown(&self, node: u32, ids: &[u32], shows: Option<&Shown>) {
        if let Some(shown) = shows {
            self.roster.record_shown(node, ids, shown);
        }
    }
}
