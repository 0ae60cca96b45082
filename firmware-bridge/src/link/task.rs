//! The link task: connect, handshake, serve, and on any failure reconnect with
//! exponential backoff. What was queued survives a reconnect; what arrives twice is
//! handed up once.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use meshmush_protocol::framing::{Frame, HostCodec, LinkCodec};
use meshmush_protocol::packets::{PacketIds, config_nonce, node_id};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::{Instrument, debug, info, info_span, warn};

use super::metrics::{inc, set};

/// Events taken in one round before the link writes again: enough to batch a burst,
/// few enough that a flood cannot starve the writer or the timers.
const BATCH: usize = 64;
use super::budget::AirtimeBudget;
use super::config::LinkConfig;
use super::dedupe::Dedupe;
use super::error::SendError;
use super::events::{Command, LinkEvent, LinkState};
use super::handshake::{self, NodeConfig};
use super::ledger::LedgerPort;
use super::metrics::LinkMetrics;
use super::nodedb::{NodeDb, NodeEntry};
use super::outbound::Wait;
use super::outbound::{Outbound, OutboundConfig};
use super::watchdog::Watchdog;
use crate::transport;

mod inbound;
mod wire;

/// Why a connection ended.
enum End {
    /// The host asked us to stop.
    Shutdown,
    /// The connection failed; try again.
    Lost(String),
}

pub(crate) struct LinkTask {
    cfg: LinkConfig,
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<LinkEvent>,
    state: watch::Sender<LinkState>,
    me: watch::Sender<Option<NodeConfig>>,
    metrics: Arc<LinkMetrics>,
    nodes: Arc<RwLock<NodeDb>>,
    outbound: Outbound,
    dedupe: Dedupe,
    heartbeat_nonce: u32,
    /// When the heartbeat now awaiting its `queueStatus` answer was due.
    heartbeat_sent: Option<Instant>,
    /// Watches the node for silence (set anew for each connection).
    watchdog: Watchdog,
    /// The node's reboot count as the handshake (or the last probe) reported it.
    reboot_count: u32,
    /// What each node spent before this run, and where spends are reported.
    ledger: LedgerPort,
}

impl LinkTask {
    pub(crate) fn new(
        cfg: LinkConfig,
        commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<LinkEvent>,
        state: watch::Sender<LinkState>,
        me: watch::Sender<Option<NodeConfig>>,
        metrics: Arc<LinkMetrics>,
        nodes: Arc<RwLock<NodeDb>>,
    ) -> Self {
        let out_cfg = OutboundConfig {
            hop_limit: cfg.hop_limit,
            max_attempts: cfg.max_attempts,
            ack_timeout: cfg.ack_timeout,
            retry_delay: cfg.retry_delay,
            airtime_scale: cfg.airtime_scale,
            pki: true,
            max_per_dest: cfg.max_per_dest,
            max_total: cfg.max_queued,
            max_age: cfg.max_age,
            max_key_parked: cfg.max_key_parked,
            shares: cfg.shares,
            wait_out_floods: cfg.wait_out_floods,
        };
        let hour = Duration::from_secs(3600);
        let outbound = Outbound::new(
            out_cfg,
            AirtimeBudget::new(hour, hour),
            PacketIds::new(&mut rand::rng()),
        );
        Self {
            ledger: LedgerPort::new(&cfg.airtime_ledger, Instant::now()),
            dedupe: Dedupe::new(cfg.dedupe_window),
            cfg,
            commands,
            events,
            state,
            me,
            metrics,
            nodes,
            outbound,
            heartbeat_nonce: 0,
            heartbeat_sent: None,
            watchdog: Watchdog::new(Duration::MAX, Duration::ZERO, Instant::now()),
            reboot_count: 0,
        }
    }

    pub(crate) async fn run(mut self) {
        let span = info_span!("link", node = %self.cfg.transport);
        async move {
            let mut backoff = self.cfg.backoff_initial;
            let mut attempt = 0u32;
            loop {
                attempt += 1;
                let _ = self.state.send(LinkState::Connecting { attempt });
                self.emit(LinkEvent::State(LinkState::Connecting { attempt }));
                let end =
                    match transport::open(&self.cfg.transport, self.cfg.handshake_timeout).await {
                        Ok(stream) => {
                            let (r, w) = tokio::io::split(stream);
                            let reader = FramedRead::new(r, LinkCodec::new());
                            let writer = FramedWrite::new(w, HostCodec::new());
                            self.serve(reader, writer, &mut backoff, &mut attempt).await
                        }
                        Err(e) => End::Lost(e.to_string()),
                    };
                self.outbound.on_disconnect();
                self.heartbeat_sent = None;
                let _ = self.me.send(None);
                match end {
                    End::Shutdown => break,
                    End::Lost(reason) => {
                        inc(&self.metrics.disconnects);
                        warn!(%reason, retry_in = ?backoff, "link lost");
                        let state = LinkState::Lost { reason };
                        let _ = self.state.send(state.clone());
                        self.emit(LinkEvent::State(state));
                        if self.wait_or_shutdown(backoff).await {
                            break;
                        }
                        backoff = (backoff * 2).min(self.cfg.backoff_max);
                    }
                }
            }
            let _ = self.state.send(LinkState::Stopped);
            self.emit(LinkEvent::State(LinkState::Stopped));
            info!("link stopped");
        }
        .instrument(span)
        .await
    }

    /// Sleeps for the backoff while still taking commands; true if told to shut down.
    async fn wait_or_shutdown(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            tokio::select! {
                _ = sleep_until(deadline) => return false,
                cmd = self.commands.recv() => match cmd {
                    None | Some(Command::Shutdown) => return true,
                    Some(cmd) => self.take_command(cmd),
                },
            }
        }
    }

    fn take_command(&mut self, cmd: Command) {
        if let Command::Send {
            dest,
            channel,
            class,
            packets,
            opts,
            ids,
        } = cmd
        {
            let n = packets.len();
            let assigned =
                self.outbound
                    .push_reply(dest, channel, class, packets, opts, Instant::now());
            match &assigned {
                Ok(ids) => debug!(dest = %node_id(dest), packets = ids.len(), "reply queued"),
                Err(e) => {
                    if matches!(e, SendError::DestinationFull { .. }) {
                        inc(&self.metrics.refused_dest_full);
                    } else {
                        inc(&self.metrics.refused_queue_full);
                    }
                    warn!(dest = %node_id(dest), packets = n, error = %e, "reply refused: no room");
                }
            }
            let _ = ids.send(assigned);
            self.publish_queue(Instant::now());
        }
    }

    /// Hands an event to the host without ever waiting for it.
    fn emit(&mut self, event: LinkEvent) {
        match self.events.try_send(event) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(ev)) => {
                inc(&self.metrics.dropped_events);
                // What kind and from whom, never the text: it may hold a password.
                warn!(event = ev.kind(), "host is not keeping up; event dropped");
            }
            // Nobody listens any more (the host is shutting down): queued replies still
            // go out; the link stops when its handles are dropped or told to.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    async fn serve<R, W>(
        &mut self,
        mut reader: FramedRead<R, LinkCodec>,
        mut writer: FramedWrite<W, HostCodec>,
        backoff: &mut Duration,
        attempt: &mut u32,
    ) -> End
    where
        R: tokio::io::AsyncRead + Unpin,
        W: tokio::io::AsyncWrite + Unpin,
    {
        let nonce = config_nonce(&mut rand::rng());
        let hs = match handshake::run(
            &mut reader,
            &mut writer,
            nonce,
            self.cfg.handshake_timeout,
            self.cfg.write_timeout,
        )
        .await
        {
            Ok(hs) => hs,
            Err(e) => {
                return End::Lost(format!("handshake with {} failed: {e}", self.cfg.transport));
            }
        };
        let me = hs.config.my_node_num;
        self.reboot_count = hs.config.reboot_count;
        self.watchdog = Watchdog::new(
            self.cfg.idle_timeout,
            self.cfg.handshake_timeout,
            Instant::now(),
        );
        let limit = if self.cfg.airtime_budget {
            hs.config
                .duty_cycle
                .budget()
                .mul_f64(self.cfg.airtime_share.clamp(0.0, 1.0))
        } else {
            // No pacing: more airtime than an hour can hold, a hundred thousand times.
            Duration::from_secs(1 << 32)
        };
        self.outbound.set_radio(hs.config.preset, limit);
        self.count_past_airtime(me);
        for info in &hs.nodes {
            self.learn_node(NodeEntry::from_info(info), false);
        }
        inc(&self.metrics.connects);
        *backoff = self.cfg.backoff_initial;
        *attempt = 0;
        info!(
            node = %meshmush_protocol::packets::node_id(me),
            preset = hs.config.preset.as_str_name(),
            region = hs.config.region.as_str_name(),
            firmware = %hs.config.firmware_version,
            nodes = hs.nodes.len(),
            airtime_limit = ?limit,
            "connected"
        );
        let _ = self.me.send(Some(hs.config.clone()));
        let state = LinkState::Connected {
            my_node_num: me,
            nodes: hs.nodes.len(),
        };
        let _ = self.state.send(state.clone());
        self.emit(LinkEvent::State(state));

        if let Err(e) = self.send_heartbeat(&mut writer, Instant::now()).await {
            return e;
        }
        for msg in hs.stashed {
            if let Some(end) = self.handle(msg, me) {
                return end;
            }
        }
        let mut next_heartbeat = Instant::now() + self.cfg.heartbeat_interval;
        let mut next_poll = Instant::now();
        loop {
            if let Err(end) = self.pump(&mut writer).await {
                return end;
            }
            if let Err(end) = self.watch(&mut writer).await {
                return end;
            }
            // Frames are buffered as they are made; one flush per round of work puts a
            // burst of replies on the wire in one write.
            if let Err(end) = self.flush(&mut writer).await {
                return end;
            }
            let now = Instant::now();
            let waiting = self.outbound.wait(now);
            tracing::trace!(
                ?waiting,
                credits = self.outbound.credits(),
                depth = self.outbound.depth(),
                "link idle"
            );
            let wake = match waiting {
                Wait::Idle => next_heartbeat.min(self.watchdog.wake_at()),
                Wait::Until(t) => t.min(next_heartbeat).min(self.watchdog.wake_at()),
                Wait::SlotsKept(until) => {
                    // One ask at a time: the next once the last is answered (its
                    // answer wakes this loop) and a slot's time has passed, or once
                    // the answer is a queue poll late (lost).
                    let mut poll_at =
                        kept_slot_ask_at(next_poll, self.heartbeat_sent, self.cfg.queue_poll);
                    if poll_at <= now {
                        // A lost answer's delay can't be measured: time the new ask.
                        self.heartbeat_sent = None;
                        next_poll = now + self.outbound.slot_poll().min(self.cfg.queue_poll);
                        poll_at = now + self.cfg.queue_poll;
                        if let Err(e) = self.send_heartbeat(&mut writer, now).await {
                            return e;
                        }
                        if let Err(end) = self.flush(&mut writer).await {
                            return end;
                        }
                    }
                    let wake = poll_at.min(next_heartbeat).min(self.watchdog.wake_at());
                    until.map_or(wake, |t| t.min(wake))
                }
                Wait::NodeFull => {
                    if next_poll <= now {
                        next_poll = now + self.cfg.queue_poll;
                        if let Err(e) = self.send_heartbeat(&mut writer, Instant::now()).await {
                            return e;
                        }
                        if let Err(end) = self.flush(&mut writer).await {
                            return end;
                        }
                    }
                    next_poll.min(next_heartbeat).min(self.watchdog.wake_at())
                }
            };
            tokio::select! {
                frame = reader.next() => match frame {
                    Some(Ok(Frame::Message(msg))) => {
                        inc(&self.metrics.frames_in);
                        if let Some(end) = self.handle(msg, me) {
                            return end;
                        }
                        // Take what else has already arrived before writing again, so
                        // a burst of acks frees a burst of sends.
                        for _ in 0..BATCH {
                            match reader.next().now_or_never() {
                                Some(Some(Ok(Frame::Message(msg)))) => {
                                    inc(&self.metrics.frames_in);
                                    if let Some(end) = self.handle(msg, me) {
                                        return end;
                                    }
                                }
                                Some(Some(Ok(Frame::DebugText(line)))) => {
                                    inc(&self.metrics.debug_lines);
                                    debug!(target: "meshmush::node_console", "{line}");
                                }
                                _ => break,
                            }
                        }
                    }
                    Some(Ok(Frame::DebugText(line))) => {
                        inc(&self.metrics.debug_lines);
                        debug!(target: "meshmush::node_console", "{line}");
                    }
                    Some(Err(e)) => return End::Lost(format!("read from {} failed: {e}", self.cfg.transport)),
                    None => return End::Lost(format!("{} closed the connection", self.cfg.transport)),
                },
                cmd = self.commands.recv() => match cmd {
                    None | Some(Command::Shutdown) => {
                        self.say_goodbye(&mut writer).await;
                        return End::Shutdown;
                    }
                    Some(cmd) => {
                        self.take_command(cmd);
                        for _ in 0..BATCH {
                            match self.commands.try_recv() {
                                Ok(Command::Shutdown) => {
                                    self.say_goodbye(&mut writer).await;
                                    return End::Shutdown;
                                }
                                Ok(cmd) => self.take_command(cmd),
                                Err(_) => break,
                            }
                        }
                    }
                },
                _ = sleep_until(wake) => {
                    let now = Instant::now();
                    if now >= next_heartbeat {
                        let due = next_heartbeat;
                        next_heartbeat = now + self.cfg.heartbeat_interval;
                        if let Err(e) = self.send_heartbeat(&mut writer, due).await {
                            return e;
                        }
                    }
                    for outcome in self.outbound.check_timeouts(now) {
                        self.report(outcome);
                    }
                }
            }
            let stats = reader.decoder().stats();
            set(&self.metrics.bad_frames, stats.bad_frames + stats.oversize);
        }
    }
}

impl LinkTask {
    /// Counts what node `me` spent before this run (from the ledger) against the
    /// budget, once per node: a restart mid-hour does not start the hour afresh.
    fn count_past_airtime(&mut self, me: u32) {
        let past = self.ledger.take_past(me);
        if past.is_empty() {
            return;
        }
        self.outbound.restore(&past);
        let used = self.outbound.airtime_used(Instant::now());
        set(&self.metrics.airtime_hour_ms, used.as_millis() as u64);
        info!(
            node = %node_id(me),
            airtime_hour = ?used,
            "airtime spent before the restart counts against this hour"
        );
    }
}

/// When the link may next ask the node for its queue while replies wait only for the
/// slots kept for known players: once `next_poll` has come (a slot's time after the
/// last ask) and the last ask, sent at `asked` and still unanswered, is answered; or
/// once that answer is `queue_poll` late (lost).
fn kept_slot_ask_at(next_poll: Instant, asked: Option<Instant>, queue_poll: Duration) -> Instant {
    asked.map_or(next_poll, |sent| next_poll.max(sent + queue_poll))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answered_ask_is_followed_by_the_next_once_a_slot_has_had_time_to_free() {
        let t = Instant::now();
        let poll = Duration::from_secs(2);
        // Instant mesh: a slot's time is nothing, so the next ask goes at once.
        assert_eq!(kept_slot_ask_at(t, None, poll), t);
        // Real airtime: not before a packet could have left the air.
        let slot = t + Duration::from_millis(300);
        assert_eq!(kept_slot_ask_at(slot, None, poll), slot);
    }

    #[test]
    fn an_unanswered_ask_is_not_repeated_until_its_answer_is_late() {
        let t = Instant::now();
        let poll = Duration::from_secs(2);
        assert_eq!(kept_slot_ask_at(t, Some(t), poll), t + poll);
        let later = t + Duration::from_secs(5);
        assert_eq!(kept_slot_ask_at(later, Some(t), poll), later);
    }
}
