//! The router between the link and the sessions: it takes each text message for the
//! BBS (already deduped by the link), asks the roster whether the node may send one
//! more (bans, the command limit), checks the size, and hands it to that node's
//! session, starting one if needed. It never awaits storage, so a slow disk slows only
//! the sessions that use it; its refusals are in the language the roster remembers
//! for the node, else the BBS's.

use std::collections::HashMap;
use std::sync::Arc;

use meshmush_firmware_bridge::link::{Class, LinkEvent, LinkState, NodeEntry};
use meshmush_lang::{Lang, t};
use meshmush_protocol::packets::{TextMessage, node_id};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::admin::FIRST_REAL_NODE;
use crate::commands::Registry;
use crate::federation::Federation;
use crate::identity::{Evidence, SignedText};
use crate::roster::Admit;
use crate::session::{self, Incoming, SessionDeps};
use crate::shared::Shared;
use crate::unasked::Unasked;
use meshmush_store::{Pin, PinSource};

/// Commands a session may have waiting before the router sheds new ones.
const INBOX: usize = 8;

/// A session's inbox. Commands travel boxed: a Tokio channel allocates its slots 32 at a
/// time, whatever its capacity, so with the command itself in each slot every idle
/// session held 4.4 KB of inbox; boxed, 0.4 KB (BENCHMARKS.md, figure 5).
type Inbox = mpsc::Sender<Box<Incoming>>;

/// The running router.
pub struct Router {
    deps: SessionDeps,
    unasked: Unasked,
    sessions: HashMap<u32, Inbox>,
    /// BBS-to-BBS sync, when the config names peers: their DMs go there.
    federation: Option<Federation>,
    ended: mpsc::UnboundedReceiver<u32>,
    tasks: TaskTracker,
}

impl Router {
    /// A router over the daemon's `shared` parts, running `registry`'s commands in
    /// sessions on `tasks`; `shared.stop` is cancelled by a wizard's `@shutdown`.
    pub fn new(shared: Shared, registry: Arc<Registry>, tasks: TaskTracker) -> Self {
        let (ended_tx, ended) = mpsc::unbounded_channel();
        let unasked = Unasked::new(shared.clone(), tasks.clone());
        let deps = SessionDeps {
            shared,
            registry,
            ended: ended_tx,
        };
        Self {
            deps,
            unasked,
            sessions: HashMap::new(),
            federation: None,
            ended,
            tasks,
        }
    }

    /// Hands DMs from the configured sync peers (and the radio's reports on what was
    /// sent to them) to `federation`, before any command parsing.
    pub fn with_federation(mut self, federation: Option<Federation>) -> Self {
        self.federation = federation;
        self
    }

    /// Routes link events until the link stops or `stop` is cancelled; then closes the
    /// sessions' inboxes and waits for their in-flight commands to finish.
    pub async fn run(mut self, mut events: mpsc::Receiver<LinkEvent>, stop: CancellationToken) {
        self.unasked.start_beacon(stop.clone());
        loop {
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(ev) => self.on_event(ev).await,
                    None => break,
                },
                Some(node) = self.ended.recv() => {
                    self.sessions.remove(&node);
                    self.forget_idle();
                }
                _ = stop.cancelled() => break,
            }
        }
        let mut running = self.sessions.len();
        info!(
            sessions = running,
            "router stopping; finishing in-flight commands"
        );
        // Closing the inboxes lets each session finish what it holds, reply, and end.
        self.sessions.clear();
        let deadline = Instant::now() + std::time::Duration::from_secs(10);
        while running > 0 {
            match tokio::time::timeout_at(deadline, self.ended.recv()).await {
                Ok(Some(_)) => running -= 1,
                _ => break,
            }
        }
    }

    /// Drops per-node state that no longer says anything. Runs when a session ends,
    /// so the roster holds the nodes heard lately, not every node ever heard.
    fn forget_idle(&mut self) {
        let sessions = &self.sessions;
        self.deps
            .shared
            .roster()
            .forget_idle(|node| sessions.contains_key(&node));
    }

    async fn on_event(&mut self, ev: LinkEvent) {
        match ev {
            LinkEvent::DirectText(t) => match &self.federation {
                // A peer BBS's DMs are sync traffic, never commands.
                Some(fed) if fed.is_peer(t.from) => fed.offer(t),
                _ => {
                    let signed = signed_text(&t);
                    self.on_text(t, true, signed).await
                }
            },
            LinkEvent::ChannelText(t) => {
                if self.deps.shared.roster().is_banned(t.from) {
                    return;
                }
                self.unasked.heard(t.from);
                if t.emoji {
                    // A reaction on the channel (to an urgent post's announcement,
                    // say) is never a command nor a question for the unasked traffic.
                    let signed = signed_text(&t);
                    self.on_text(t, false, signed).await;
                    return;
                }
                if self.unasked.channel(&t) {
                    return;
                }
                let prefix = &self.deps.shared.cfg().replies.channel_prefix;
                if !prefix.is_empty()
                    && let Some(rest) = t.text.strip_prefix(prefix.as_str())
                {
                    // The signature covers the packet as sent, prefix and all.
                    let signed = signed_text(&t);
                    let mut t = t.clone();
                    t.text = rest.trim().to_string();
                    self.on_text(t, false, signed).await;
                }
            }
            LinkEvent::State(LinkState::Connected { my_node_num, nodes }) => {
                info!(node = %node_id(my_node_num), nodes, "BBS on the air");
            }
            LinkEvent::State(s) => debug!(state = ?s, "link state"),
            LinkEvent::NodeInfo(entry) => {
                self.unasked.heard(entry.num);
                self.adopt_announced_name(&entry);
                self.pin_announced(entry);
            }
            LinkEvent::Delivery {
                dest,
                packet_id,
                result,
                will_retry,
                hop_limit,
            } => {
                self.deps.shared.reach().outcome(dest, hop_limit, result);
                if let Some(fed) = &self.federation {
                    fed.delivery(dest, packet_id, result.is_ok(), will_retry);
                }
            }
        }
    }

    async fn on_text(&mut self, t: TextMessage, direct: bool, signed: Option<SignedText>) {
        let span = info_span!("packet", from = %node_id(t.from), id = t.id);
        self.route(t, direct, signed).instrument(span).await
    }

    async fn route(&mut self, t: TextMessage, direct: bool, signed: Option<SignedText>) {
        if t.from < FIRST_REAL_NODE {
            // No node has a reserved number; the admin console's sysop acts from one.
            warn!("text from a reserved node number; dropped");
            return;
        }
        // An emoji tapped on a packet: it marks what that packet showed read, and is
        // never run as a command nor answered. One on a packet that showed nothing
        // (any reply, anything older than the roster remembers) is dropped here.
        let reaction = if t.emoji {
            match t
                .reply_id
                .filter(|&p| self.deps.shared.roster().shown(t.from, p).is_some())
            {
                Some(packet) => Some(packet),
                None => {
                    debug!("reaction to nothing the BBS showed; ignored");
                    return;
                }
            }
        } else {
            None
        };
        match self.deps.shared.roster().admit(t.from) {
            // Its hops and SNR size our replies to it (and answer `seen`).
            Admit::Allow => self.deps.shared.reach().heard(&t),
            // Reactions are never answered, not even to say "slow down".
            _ if reaction.is_some() => return,
            Admit::Banned => {
                debug!("banned node; ignored");
                return;
            }
            Admit::Limited { retry_after_secs } => {
                warn!("rate limited");
                let refusal = crate::ratelimit::slow_down(self.lang(t.from), retry_after_secs);
                self.answer(t.from, &refusal, t.id).await;
                return;
            }
            Admit::Silent => return,
            Admit::Busy => {
                debug!("everyone's allowance is spent; ignored");
                return;
            }
        }
        let max = self.deps.shared.cfg().limits.max_command_bytes;
        if reaction.is_none() && t.text.len() > max {
            let msg = t!(
                self.lang(t.from),
                "command-too-long",
                len = t.text.len(),
                max = max
            );
            self.answer(t.from, &msg, t.id).await;
            return;
        }
        let pki = direct && t.pki_encrypted;
        let incoming = Incoming {
            id: t.id,
            text: t.text,
            reaction,
            evidence: Evidence {
                pki,
                public_key: t.public_key.filter(|_| pki),
                signed,
            },
        };
        self.hand_over(t.from, incoming).await;
    }

    /// Gives `incoming` to `node`'s session, starting one if it has none.
    async fn hand_over(&mut self, node: u32, incoming: Incoming) {
        let incoming_id = incoming.id;
        let inbox = match self.sessions.get(&node) {
            Some(inbox) if !inbox.is_closed() => inbox,
            _ if self.sessions.len() >= self.deps.shared.cfg().limits.max_sessions => {
                debug!(
                    sessions = self.sessions.len(),
                    "session cap reached; ignored"
                );
                return;
            }
            _ => {
                let (tx, rx) = mpsc::channel(INBOX);
                self.tasks.spawn(session::run(node, rx, self.deps.clone()));
                self.sessions.entry(node).insert_entry(tx).into_mut()
            }
        };
        match inbox.try_send(Box::new(incoming)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                warn!("session inbox full; command shed");
                let msg = t!(self.lang(node), "still-working");
                self.answer(node, &msg, incoming_id).await;
            }
            Err(mpsc::error::TrySendError::Closed(msg)) => {
                // The session ended between the check and the send: start a new one.
                self.sessions.remove(&node);
                let (tx, rx) = mpsc::channel(INBOX);
                let _ = tx.try_send(msg);
                self.tasks.spawn(session::run(node, rx, self.deps.clone()));
                self.sessions.insert(node, tx);
            }
        }
    }

    /// Names a player after their node's NodeInfo if they first spoke before it was
    /// heard (until then they carry their node id). Only a stand-in is replaced, so a
    /// forged NodeInfo renames no one who has a name. On a task of its own; a live
    /// session reloads the player before its next command.
    fn adopt_announced_name(&self, entry: &NodeEntry) {
        if entry.long_name.trim().is_empty() {
            return;
        }
        let (node, heard) = (entry.num, entry.long_name.clone());
        let shared = self.deps.shared.clone();
        self.tasks.spawn(async move {
            match shared.store().adopt_heard_name(node, &heard).await {
                Ok(Some(_)) => shared.roster().mark_stale(node),
                Ok(None) => {}
                Err(e) => warn!(node = %node_id(node), error = %e, "cannot name a player as their node announces"),
            }
        });
    }

    /// Pins a key a node announced in its NodeInfo, if none is pinned yet. On a task
    /// of its own: the router never waits for the store.
    fn pin_announced(&self, entry: NodeEntry) {
        let Some(key) = entry.public_key.filter(|k| !k.is_empty()) else {
            return;
        };
        let store = self.deps.shared.store().clone();
        let pin = Pin {
            node: entry.num,
            key,
            source: PinSource::NodeInfo,
            pinned_at: crate::commands::unix_now(),
            seen_pki: false,
        };
        let max = self.deps.shared.cfg().retention.announced_pins_max;
        self.tasks.spawn(async move {
            match store.pin_announced(pin.clone(), max).await {
                Ok(Some(now)) if now.key != pin.key => {
                    warn!(node = %node_id(pin.node), "NodeInfo announces a key other than the pinned one");
                }
                Ok(Some(_)) => {}
                Ok(None) => debug!(node = %node_id(pin.node), "announced key not pinned: the pins are full"),
                Err(e) => warn!(error = %e, "cannot pin an announced key"),
            }
        });
    }

    /// The language `node`'s refusals are in: its player's, if a session has loaded
    /// them lately (the roster keeps it), else the BBS's. The router never waits for
    /// the store, so a node not seen lately reads the BBS's language.
    fn lang(&self, node: u32) -> Lang {
        self.deps
            .shared
            .roster()
            .lang(node)
            .unwrap_or_else(|| self.deps.shared.cfg().bbs.language())
    }

    /// Answers packet `command` of `node` with a refusal.
    async fn answer(&self, node: u32, text: &str, command: u32) {
        // The router's refusals ("slow down") know no player yet: strangers' class.
        if self
            .deps
            .shared
            .delivery
            .answer(node, Class::Stranger, text, Some(command))
            .await
            .is_err()
        {
            warn!("link closed; reply lost");
        }
    }
}

/// The text's signature and the bytes it covers, as the packet arrived.
fn signed_text(t: &TextMessage) -> Option<SignedText> {
    let signature = t.signature.clone()?;
    Some(SignedText {
        packet_id: t.id,
        payload: t.text.as_bytes().to_vec(),
        signature,
    })
}
