//! The federation task: one task for all peers, so the router only hands it DMs and
//! never waits. It owns what arrives (TC2 lines joined, meshmush frames gathered,
//! items applied, acks owed) and what leaves (each peer's outbox, sent in its dialect
//! through the delivery path as sync traffic: the link's one queue paces it within
//! sync's airtime share, below every reply and notice).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use meshmush_firmware_bridge::LinkHandle;
use meshmush_protocol::packets::{TextMessage, node_id};
use tokio::sync::{Notify, mpsc};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info, info_span, warn};

use super::boards::BoardMap;
use super::inbound::{Inbound, Taken};
use super::join::{Joined, Joiner};
use super::native::{self, Frame, Gather};
use super::route::Pending;
use super::tc2;

mod outbox;
mod routing;
use meshmush_core::commands::unix_now;
use meshmush_core::config::Config;
use meshmush_core::config::federation::{Dialect, Peer, PeerKey};
use meshmush_core::delivery::Delivery;
use meshmush_store::sync_item::SyncItem;
use meshmush_store::{PeerState, Pin, PinSource, Store, StoreError};

/// Items a meshmush peer may have sent and not yet acked.
pub const WINDOW: u64 = 4;
/// A meshmush receiver acks this long after the last item it took (one ack covers a
/// window's items).
pub const ACK_DELAY: Duration = Duration::from_secs(1);
/// A TC2 DM the radio has not reported on after this long counts as sent.
const REPORT_WAIT: Duration = Duration::from_secs(120);
/// How long sends wait when the link has no room for them.
const LINK_FULL_PAUSE: Duration = Duration::from_secs(5);
/// DMs from peers waiting for the task before new ones are shed (with a log line).
pub(super) const INBOX: usize = 64;

pub(super) enum Event {
    Text(TextMessage),
    Delivery {
        dest: u32,
        packet_id: u32,
        ok: bool,
        will_retry: bool,
    },
}

/// One peer as the task tracks it.
struct PeerRun {
    peer: Peer,
    /// Outbox items up to here have been handed to the link (back to `acked_upto`
    /// when a window goes unanswered, to send again).
    sent_upto: u64,
    /// The highest item ever handed to the link since start: a peer may ack up to
    /// here (an ack for a window we already went back on), never beyond.
    high_sent: u64,
    acked_upto: u64,
    /// TC2: the packet whose report we wait for before the next item, and until when.
    waiting: Option<(u32, Instant)>,
    /// TC2: packets handed to the link, for a resend if reported undelivered.
    in_flight: HashMap<u32, (u64, SyncItem)>,
    /// meshmush: resend from `acked_upto + 1` if no ack by then.
    ack_deadline: Option<Instant>,
    /// meshmush: no sends before then (backing off after unanswered windows).
    resume_at: Option<Instant>,
    backoff: Duration,
    gather: Gather,
    recv_upto: u64,
    ack_due: Option<Instant>,
}

impl PeerRun {
    /// Items up to `seq` are handed to the link (or skipped, or told skipped).
    fn handed_over(&mut self, seq: u64) {
        self.sent_upto = seq;
        self.high_sent = self.high_sent.max(seq);
    }
}

/// The task's state.
pub(super) struct Task {
    peers: Vec<PeerRun>,
    inbound: Inbound,
    joiner: Joiner,
    store: Store,
    /// For the packet size; packets leave through `delivery`.
    link: LinkHandle,
    delivery: Delivery,
    cfg: Arc<Config>,
    map: BoardMap,
    wake: Arc<Notify>,
    /// Sends wait until then (the link had no room).
    pause_until: Option<Instant>,
    ack_timeout: Duration,
    retry_max: Duration,
    /// Mails routed to one peer, waiting for its ack.
    routes: Pending,
    /// The store may hold new routes (something was queued).
    routes_stale: bool,
    /// How often meshmush peers get a heard summary (`None`: never), and when next.
    heard_every: Option<Duration>,
    heard_due: Option<Instant>,
    /// The nodes of the last summary sent, and when.
    heard_last: Option<(Vec<u32>, Instant)>,
}

impl Task {
    pub(super) async fn new(
        peers: Vec<Peer>,
        inbound: Inbound,
        link: LinkHandle,
        delivery: Delivery,
        wake: Arc<Notify>,
    ) -> Result<Self, StoreError> {
        let store = inbound.store.clone();
        let cfg = inbound.cfg.clone();
        let mut runs = Vec::new();
        for peer in peers {
            let st = store.peer_state(peer.node).await?;
            runs.push(PeerRun {
                peer,
                sent_upto: st.acked_upto,
                high_sent: st.acked_upto,
                acked_upto: st.acked_upto,
                waiting: None,
                in_flight: HashMap::new(),
                ack_deadline: None,
                resume_at: None,
                backoff: Duration::ZERO,
                gather: Gather::default(),
                recv_upto: st.recv_upto,
                ack_due: None,
            });
        }
        let fed = &cfg.federation;
        let heard_every = (fed.heard_every_mins > 0)
            .then(|| Duration::from_secs(fed.heard_every_mins.saturating_mul(60)));
        Ok(Self {
            routes: Pending::new(Duration::from_secs(fed.route_timeout_secs.max(1))),
            routes_stale: true,
            // The first soon after start, once the radio has told us its node database.
            heard_due: heard_every.map(|e| Instant::now() + e.min(routing::FIRST_SUMMARY)),
            heard_every,
            heard_last: None,
            peers: runs,
            joiner: Joiner::new(Duration::from_secs(fed.join_window_secs)),
            map: inbound.map.clone(),
            ack_timeout: Duration::from_secs(fed.ack_timeout_secs.max(1)),
            retry_max: Duration::from_secs(fed.retry_max_secs.max(1)),
            inbound,
            store,
            link,
            delivery,
            cfg,
            pause_until: None,
            wake,
        })
    }

    pub(super) async fn run(mut self, mut inbox: mpsc::Receiver<Event>, stop: CancellationToken) {
        info!(peers = self.peers.len(), "BBS network sync running");
        loop {
            let next = self
                .next_timer()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(30));
            tokio::select! {
                ev = inbox.recv() => match ev {
                    Some(Event::Text(t)) => {
                        let span = info_span!("sync", peer = %node_id(t.from));
                        self.on_text(t).instrument(span).await;
                    }
                    Some(Event::Delivery { dest, packet_id, ok, will_retry }) => {
                        self.on_delivery(dest, packet_id, ok, will_retry).await;
                    }
                    None => break,
                },
                () = self.wake.notified() => self.routes_stale = true,
                () = sleep_until(next) => {}
                () = stop.cancelled() => break,
            }
            self.timers().await;
            self.pump().await;
        }
    }

    fn next_timer(&self) -> Option<Instant> {
        let per_peer = self.peers.iter().flat_map(|p| {
            [
                p.waiting.map(|w| w.1),
                p.ack_deadline,
                p.resume_at,
                p.ack_due,
            ]
        });
        per_peer
            .chain([
                self.joiner.next_due(),
                self.pause_until,
                self.routes.next(),
                self.heard_due,
            ])
            .flatten()
            .min()
    }

    fn run_of(&mut self, node: u32) -> Option<&mut PeerRun> {
        self.peers.iter_mut().find(|p| p.peer.node == node)
    }

    async fn count(&self, node: u32, change: impl FnOnce(&mut PeerState) + Send + 'static) {
        if let Err(e) = self.store.update_peer(node, change).await {
            warn!(error = %e, peer = %node_id(node), "cannot record a peer's sync state");
        }
    }

    async fn on_text(&mut self, t: TextMessage) {
        let Some(run) = self.run_of(t.from) else {
            return;
        };
        let peer = run.peer.clone();
        if !self.proves_peer(&peer, &t).await {
            warn!(
                pki = t.pki_encrypted,
                "sync DM without the peer's pinned key; refused"
            );
            self.count(peer.node, |s| s.refused += 1).await;
            return;
        }
        let now = unix_now();
        self.count(peer.node, move |s| s.last_heard = now).await;
        match peer.dialect {
            Dialect::Tc2 => {
                for joined in self.joiner.push(peer.node, &t.text, Instant::now()) {
                    self.tc2_line(&peer, joined).await;
                }
            }
            Dialect::Meshmush => self.native_frame(&peer, &t.text).await,
        }
    }

    /// Whether `t` proves it comes from `peer`: a PKI DM (decrypted by the node, or by
    /// our MQTT node) with the peer's key, as configured or pinned on first sight.
    async fn proves_peer(&self, peer: &Peer, t: &TextMessage) -> bool {
        let proven = t.public_key.as_deref().filter(|_| t.pki_encrypted);
        match (&peer.key, proven) {
            (PeerKey::Insecure, _) => true,
            (PeerKey::Fixed(key), Some(k)) => k == key.as_slice(),
            (PeerKey::Tofu, Some(k)) => {
                let pin = Pin {
                    node: peer.node,
                    key: k.to_vec(),
                    source: PinSource::Packet,
                    pinned_at: unix_now(),
                    seen_pki: true,
                };
                match self.store.pin_if_new(pin).await {
                    Ok(now) => now.key == k,
                    Err(e) => {
                        warn!(error = %e, "cannot pin a peer's key; its DM is refused");
                        false
                    }
                }
            }
            (_, None) => false,
        }
    }

    async fn tc2_line(&self, peer: &Peer, joined: Joined) {
        let line = match joined {
            Joined::Line(l) => l,
            Joined::Orphan(_) => {
                warn!("refused a DM from a TC2 peer: no sync line to join it to");
                self.count(peer.node, |s| s.refused += 1).await;
                return;
            }
        };
        match tc2::parse(&line, self.cfg.bbs.post_max_bytes) {
            Ok(item) => self.take(peer, item).await.map_or((), |_| ()),
            Err(why) => {
                warn!(%why, "refused a TC2 sync line");
                self.count(peer.node, |s| s.refused += 1).await;
            }
        }
    }

    /// Applies an item and counts it; `None` if the store failed (nothing counted, so a
    /// meshmush peer sends it again).
    async fn take(&self, peer: &Peer, item: SyncItem) -> Option<Taken> {
        let kind = item.kind();
        match self.inbound.take(peer, item).await {
            Ok(Taken::Refused(why)) => {
                warn!(kind, %why, "refused a sync item");
                self.count(peer.node, |s| s.refused += 1).await;
                Some(Taken::Refused(why))
            }
            Ok(taken) => {
                if taken == Taken::Stored {
                    info!(kind, "sync item taken");
                    self.count(peer.node, |s| s.received += 1).await;
                } else {
                    debug!(kind, "sync item seen before; nothing stored");
                }
                Some(taken)
            }
            Err(e) => {
                warn!(error = %e, kind, "cannot store a sync item");
                None
            }
        }
    }

    async fn native_frame(&mut self, peer: &Peer, text: &str) {
        let frame = match native::parse_frame(text) {
            Ok(f) => f,
            Err(why) => {
                warn!(%why, "refused a DM from a meshmush peer");
                self.count(peer.node, |s| s.refused += 1).await;
                return;
            }
        };
        let now = Instant::now();
        match frame {
            Frame::Ack { upto } => self.on_ack(peer.node, upto).await,
            Frame::Skip { upto } => {
                let Some(run) = self.run_of(peer.node) else {
                    return;
                };
                if upto > run.recv_upto {
                    warn!(
                        upto,
                        had = run.recv_upto,
                        "the peer dropped items its outbox could not hold"
                    );
                    run.recv_upto = upto;
                    run.gather = Gather::default();
                    self.count(peer.node, move |s| s.recv_upto = s.recv_upto.max(upto))
                        .await;
                }
                if let Some(run) = self.run_of(peer.node) {
                    run.ack_due = Some(now + ACK_DELAY);
                }
            }
            Frame::Data {
                seq,
                part,
                parts,
                chunk,
            } => {
                let Some(run) = self.run_of(peer.node) else {
                    return;
                };
                // The peer is back: stop backing off.
                if run.resume_at.is_some() {
                    run.resume_at = Some(now);
                }
                if seq > run.recv_upto + WINDOW {
                    // No honest sender runs further ahead than its window of unacked
                    // items: a forged frame, which must not stall or skip the real ones.
                    warn!(
                        seq,
                        have = run.recv_upto,
                        "refused a data frame beyond the peer's window"
                    );
                    self.count(peer.node, |s| s.refused += 1).await;
                    return;
                }
                if seq != run.recv_upto + 1 {
                    // A repeat, or a gap: say what we have (one ack for a run of them).
                    run.ack_due.get_or_insert(now + ACK_DELAY);
                    return;
                }
                let Some(whole) = run.gather.take(seq, part, parts, chunk) else {
                    return;
                };
                let taken = match native::decode_item(&whole, self.cfg.bbs.post_max_bytes) {
                    Ok(item) => self.take(peer, item).await,
                    Err(why) => {
                        warn!(%why, "refused a meshmush sync item");
                        self.count(peer.node, |s| s.refused += 1).await;
                        Some(Taken::Refused(why.to_string()))
                    }
                };
                if taken.is_none() {
                    return;
                }
                self.count(peer.node, move |s| s.recv_upto = s.recv_upto.max(seq))
                    .await;
                if let Some(run) = self.run_of(peer.node) {
                    run.recv_upto = seq;
                    run.ack_due = Some(now + ACK_DELAY);
                }
            }
        }
    }

    async fn on_ack(&mut self, node: u32, upto: u64) {
        let ack_timeout = self.ack_timeout;
        let Some(run) = self.run_of(node) else {
            return;
        };
        let sent = run.high_sent.max(run.acked_upto);
        if upto > sent {
            // An ack for items never sent is forged (or from a peer whose outbox we
            // lost): it must not mark anything delivered.
            warn!(upto, sent, "refused an ack beyond what was sent");
            self.count(node, |s| s.refused += 1).await;
            return;
        }
        run.backoff = Duration::ZERO;
        run.resume_at = None;
        if upto <= run.acked_upto {
            return;
        }
        let newly = upto - run.acked_upto;
        run.acked_upto = upto;
        // An ack for a window we went back on: no need to send those again.
        run.sent_upto = run.sent_upto.max(upto);
        run.ack_deadline = (run.sent_upto > upto).then(|| Instant::now() + ack_timeout);
        debug!(upto, "acked");
        self.count(node, move |s| {
            s.acked_upto = s.acked_upto.max(upto);
            s.sent += newly;
        })
        .await;
        self.confirm_routes(node, upto).await;
    }

    async fn on_delivery(&mut self, dest: u32, packet_id: u32, ok: bool, will_retry: bool) {
        let Some(run) = self.run_of(dest) else {
            return;
        };
        if run.waiting.is_some_and(|w| w.0 == packet_id) && (ok || !will_retry) {
            run.waiting = None;
        }
        if ok || will_retry {
            run.in_flight.remove(&packet_id);
            return;
        }
        let Some((_, item)) = run.in_flight.remove(&packet_id) else {
            return;
        };
        // TC2 stores a repeat twice: resend only what the radio says did not arrive.
        warn!(to = %node_id(dest), kind = item.kind(), "sync DM undelivered; queued again");
        if let Err(e) = self.store.requeue(dest, item).await {
            warn!(error = %e, "cannot queue a sync item again");
        }
    }

    /// Joined lines whose window passed, acks owed, and meshmush windows unanswered.
    async fn timers(&mut self) {
        let now = Instant::now();
        for (node, joined) in self.joiner.due(now) {
            if let Some(run) = self.run_of(node) {
                let peer = run.peer.clone();
                self.tc2_line(&peer, joined).await;
            }
        }
        let (retry_max, ack_timeout) = (self.retry_max, self.ack_timeout);
        let mut acks = Vec::new();
        for run in &mut self.peers {
            if run.ack_due.is_some_and(|t| t <= now) {
                run.ack_due = None;
                acks.push((run.peer.node, run.recv_upto));
            }
            if run.waiting.is_some_and(|w| w.1 <= now) {
                run.waiting = None;
            }
            if run.ack_deadline.is_some_and(|t| t <= now) {
                // Go back: resend from the first unacked item, after a pause that
                // doubles while the peer stays silent (an outage), up to `retry_max`.
                run.ack_deadline = None;
                run.sent_upto = run.acked_upto;
                run.gather = Gather::default();
                run.backoff = (run.backoff * 2).clamp(ack_timeout, retry_max);
                run.resume_at = Some(now + run.backoff);
                info!(peer = %node_id(run.peer.node), backoff_s = run.backoff.as_secs(), "no ack; will resend");
            }
            if run.resume_at.is_some_and(|t| t <= now) {
                run.resume_at = None;
            }
        }
        for (node, upto) in acks {
            self.send(node, vec![native::ack(upto)]).await;
        }
        self.reroute(now).await;
        if self.heard_due.is_some_and(|t| t <= now) {
            self.heard_due = self.heard_every.map(|e| now + e);
            self.send_summary(now).await;
        }
    }
}
