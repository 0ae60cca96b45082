//! The router between the link and the sessions: it takes each direct message (already
//! deduped by the link), applies the size and rate limits, and hands it to that node's
//! session, starting one if needed. It never awaits storage, so a slow disk slows only
//! the sessions that use it.

use std::collections::HashMap;
use std::sync::Arc;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_firmware_bridge::link::{LinkEvent, LinkState};
use meshmush_protocol::packets::{TextMessage, node_id};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::config::Config;
use crate::ratelimit::{TokenBucket, Verdict};
use crate::session::{self, Incoming, SessionDeps};

/// Commands a session may have waiting before the router sheds new ones.
const INBOX: usize = 8;

struct Active {
    inbox: mpsc::Sender<Incoming>,
}

/// The running router.
pub struct Router {
    cfg: Arc<Config>,
    deps: SessionDeps,
    sessions: HashMap<u32, Active>,
    buckets: HashMap<u32, TokenBucket>,
    ended: mpsc::UnboundedReceiver<u32>,
}

impl Router {
    pub fn new(cfg: Arc<Config>, store: crate::store::Store, link: LinkHandle) -> Self {
        let (ended_tx, ended) = mpsc::unbounded_channel();
        let deps = SessionDeps {
            store,
            registry: Arc::new(crate::commands::Registry::standard()),
            link,
            cfg: cfg.clone(),
            vol: Arc::new(crate::volatile::Volatile::default()),
            admin_nodes: Arc::new(cfg.admin_nodes()),
            idle_timeout: cfg.idle_timeout(),
            presence: crate::presence::Presence::default(),
            notify_window: cfg.notify_window(),
            ended: ended_tx,
        };
        Self {
            cfg,
            deps,
            sessions: HashMap::new(),
            buckets: HashMap::new(),
            ended,
        }
    }

    /// Routes link events until the link stops or `shutdown` fires; then waits for
    /// in-flight commands to finish.
    pub async fn run(
        mut self,
        mut events: mpsc::Receiver<LinkEvent>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
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
                _ = shutdown.changed() => break,
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

    /// Drops per-node state that no longer says anything: rate-limit buckets that have
    /// refilled, and volatile entries past their windows. Runs when a session ends, so
    /// the maps hold the nodes heard lately, not every node ever heard.
    fn forget_idle(&mut self) {
        let now = Instant::now();
        self.buckets.retain(|_, b| !b.is_full(now));
        let sessions = &self.sessions;
        self.deps
            .vol
            .forget_idle(|node| sessions.contains_key(&node));
    }

    async fn on_event(&mut self, ev: LinkEvent) {
        match ev {
            LinkEvent::DirectText(t) => self.on_text(t, true).await,
            LinkEvent::ChannelText(t) => {
                let prefix = &self.cfg.replies.channel_prefix;
                if !prefix.is_empty()
                    && let Some(rest) = t.text.strip_prefix(prefix.as_str())
                {
                    let mut t = t.clone();
                    t.text = rest.trim().to_string();
                    self.on_text(t, false).await;
                }
            }
            LinkEvent::State(LinkState::Connected { my_node_num, nodes }) => {
                info!(node = %node_id(my_node_num), nodes, "BBS on the air");
            }
            LinkEvent::State(s) => debug!(state = ?s, "link state"),
            LinkEvent::Delivery { .. } | LinkEvent::NodeInfo(_) => {}
        }
    }

    async fn on_text(&mut self, t: TextMessage, direct: bool) {
        let span = info_span!("packet", from = %node_id(t.from), id = t.id);
        self.route(t, direct).instrument(span).await
    }

    async fn route(&mut self, t: TextMessage, direct: bool) {
        if self.deps.presence.is_banned(t.from) {
            debug!("banned node; ignored");
            return;
        }
        let now = Instant::now();
        let limits = &self.cfg.limits;
        let verdict = self
            .buckets
            .entry(t.from)
            .or_insert_with(|| TokenBucket::new(limits.burst, limits.per_minute, now))
            .check(now);
        match verdict {
            Verdict::Allow => {}
            Verdict::RefuseWithNotice => {
                let wait = self
                    .buckets
                    .get(&t.from)
                    .map(|b| b.retry_after().as_secs())
                    .unwrap_or(1);
                warn!("rate limited");
                self.reply(
                    t.from,
                    format!("Slow down: too many commands. Try again in {wait} s."),
                )
                .await;
                return;
            }
            Verdict::RefuseSilently => return,
        }
        if t.text.len() > self.cfg.limits.max_command_bytes {
            let max = self.cfg.limits.max_command_bytes;
            self.reply(
                t.from,
                format!(
                    "That is too long ({} bytes); keep commands under {max}.",
                    t.text.len()
                ),
            )
            .await;
            return;
        }
        let incoming = Incoming {
            text: t.text,
            trusted: direct && t.pki_encrypted,
        };
        let node = t.from;
        let session = self.sessions.entry(node).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(INBOX);
            tokio::spawn(session::run(node, rx, self.deps.clone()));
            Active { inbox: tx }
        });
        if let Err(e) = session.inbox.try_send(incoming) {
            match e {
                mpsc::error::TrySendError::Full(_) => {
                    warn!("session inbox full; command shed");
                    self.reply(
                        node,
                        "Still working on your last commands; send that again in a moment.".into(),
                    )
                    .await;
                }
                mpsc::error::TrySendError::Closed(msg) => {
                    // The session just ended; start a new one for this command.
                    self.sessions.remove(&node);
                    let (tx, rx) = mpsc::channel(INBOX);
                    let _ = tx.try_send(msg);
                    tokio::spawn(session::run(node, rx, self.deps.clone()));
                    self.sessions.insert(node, Active { inbox: tx });
                }
            }
        }
    }

    async fn reply(&self, node: u32, text: String) {
        if self.deps.link.send_text(node, 0, text).await.is_err() {
            warn!("link closed; reply lost");
        }
    }
}
