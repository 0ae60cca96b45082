//! The link task: connect, handshake, serve, and on any failure reconnect with
//! exponential backoff. What was queued survives a reconnect; what arrives twice is
//! handed up once.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::{FutureExt, SinkExt, StreamExt};
use meshmush_protocol::framing::{Frame, HostCodec};
use meshmush_protocol::packets::{
    Inbound, PacketIds, classify, config_nonce, disconnect, heartbeat, node_id,
};
use meshmush_protocol::proto::{FromRadio, ToRadio};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::{Instrument, debug, info, info_span, warn};

use super::metrics::{inc, set};

/// Events taken in one round before the link writes again: enough to batch a burst,
/// few enough that a flood cannot starve the writer or the timers.
const BATCH: usize = 64;
use super::outbound::{DropReason, Outcome, Wait};
use super::{
    AirtimeBudget, Command, Dedupe, LinkConfig, LinkEvent, LinkMetrics, LinkState, NodeConfig,
    NodeDb, NodeEntry, Outbound, OutboundConfig, SendError, handshake, trust,
};
use crate::transport;

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
        };
        let hour = Duration::from_secs(3600);
        let outbound = Outbound::new(
            out_cfg,
            AirtimeBudget::new(hour, hour),
            PacketIds::new(&mut rand::rng()),
        );
        Self {
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
                            let reader = FramedRead::new(r, HostCodec::new());
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
            packets,
            ids,
        } = cmd
        {
            let n = packets.len();
            let assigned = self.outbound.push(dest, channel, packets, Instant::now());
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
            set(&self.metrics.queue_depth, self.outbound.depth() as u64);
        }
    }

    /// Hands an event to the host without ever waiting for it.
    fn emit(&mut self, event: LinkEvent) {
        match self.events.try_send(event) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(ev)) => {
                inc(&self.metrics.dropped_events);
                warn!(event = ?ev, "host is not keeping up; event dropped");
            }
            // Nobody listens any more (the host is shutting down): queued replies still
            // go out; the link stops when its handles are dropped or told to.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    async fn serve<R, W>(
        &mut self,
        mut reader: FramedRead<R, HostCodec>,
        mut writer: FramedWrite<W, HostCodec>,
        backoff: &mut Duration,
        attempt: &mut u32,
    ) -> End
    where
        R: tokio::io::AsyncRead + Unpin,
        W: tokio::io::AsyncWrite + Unpin,
    {
        let nonce = config_nonce(&mut rand::rng());
        let hs = match handshake::run(&mut reader, &mut writer, nonce, self.cfg.handshake_timeout)
            .await
        {
            Ok(hs) => hs,
            Err(e) => {
                return End::Lost(format!("handshake with {} failed: {e}", self.cfg.transport));
            }
        };
        let me = hs.config.my_node_num;
        let limit = hs
            .config
            .duty_cycle
            .budget()
            .mul_f64(self.cfg.airtime_share.clamp(0.0, 1.0));
        self.outbound.set_radio(hs.config.preset, limit);
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
            // Frames are buffered as they are made; one flush per round of work puts a
            // burst of replies on the wire in one write.
            if let Err(e) = SinkExt::<&ToRadio>::flush(&mut writer).await {
                return End::Lost(format!("write to {} failed: {e}", self.cfg.transport));
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
                Wait::Idle => next_heartbeat,
                Wait::Until(t) => t.min(next_heartbeat),
                Wait::NodeFull => {
                    if next_poll <= now {
                        next_poll = now + self.cfg.queue_poll;
                        if let Err(e) = self.send_heartbeat(&mut writer, Instant::now()).await {
                            return e;
                        }
                        if let Err(e) = SinkExt::<&ToRadio>::flush(&mut writer).await {
                            return End::Lost(format!(
                                "write to {} failed: {e}",
                                self.cfg.transport
                            ));
                        }
                    }
                    next_poll.min(next_heartbeat)
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
                        let _ = writer.send(disconnect()).await;
                        return End::Shutdown;
                    }
                    Some(cmd) => {
                        self.take_command(cmd);
                        for _ in 0..BATCH {
                            match self.commands.try_recv() {
                                Ok(Command::Shutdown) => {
                                    let _ = writer.send(disconnect()).await;
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

    /// A heartbeat keeps the node from dropping us, and is answered with queueStatus.
    /// `due` is when it should have gone: its delay is counted from then.
    async fn send_heartbeat<W: tokio::io::AsyncWrite + Unpin>(
        &mut self,
        writer: &mut FramedWrite<W, HostCodec>,
        due: Instant,
    ) -> Result<(), End> {
        // Nonce 1 is not a keepalive: firmware answers it by broadcasting its NodeInfo
        // (PhoneAPI::handleToRadio, src/mesh/PhoneAPI.cpp), which costs airtime. So the
        // count skips 0 and 1.
        self.heartbeat_nonce = self.heartbeat_nonce.wrapping_add(1).max(2);
        inc(&self.metrics.heartbeats);
        self.heartbeat_sent.get_or_insert(due);
        self.write(writer, heartbeat(self.heartbeat_nonce)).await
    }

    async fn write<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        writer: &mut FramedWrite<W, HostCodec>,
        msg: ToRadio,
    ) -> Result<(), End> {
        match writer.feed(msg).await {
            Ok(()) => {
                inc(&self.metrics.frames_out);
                Ok(())
            }
            Err(e) => Err(End::Lost(format!(
                "write to {} failed: {e}",
                self.cfg.transport
            ))),
        }
    }

    /// Writes every chunk the node and the budget allow right now.
    async fn pump<W: tokio::io::AsyncWrite + Unpin>(
        &mut self,
        writer: &mut FramedWrite<W, HostCodec>,
    ) -> Result<(), End> {
        let now = Instant::now();
        while let Some((chunk, cost)) = self.outbound.next_ready(now) {
            if chunk.attempts > 1 {
                inc(&self.metrics.chunk_retries);
            }
            self.metrics.record_airtime(chunk.out.dest, cost);
            debug!(
                dest = %meshmush_protocol::packets::node_id(chunk.out.dest),
                id = chunk.id,
                bytes = chunk.out.text.len(),
                attempt = chunk.attempts,
                "sending chunk"
            );
            self.write(writer, chunk.out.to_radio(chunk.id)).await?;
            inc(&self.metrics.chunks_sent);
        }
        set(&self.metrics.queue_depth, self.outbound.depth() as u64);
        set(
            &self.metrics.node_queue_free,
            u64::from(self.outbound.credits()),
        );
        let used = self.outbound.airtime_used(now);
        set(&self.metrics.airtime_hour_ms, used.as_millis() as u64);
        Ok(())
    }

    fn learn_node(&mut self, entry: NodeEntry, announce: bool) {
        let num = entry.num;
        let news = self
            .nodes
            .write()
            .map(|mut db| db.learn(entry.clone()))
            .unwrap_or(false);
        if entry.has_public_key {
            self.outbound.key_learned(num);
        }
        if news && announce {
            self.emit(LinkEvent::NodeInfo(entry));
        }
    }

    fn report(&mut self, outcome: Outcome) {
        let event = match outcome {
            Outcome::Dropped { dest, id, reason } => {
                use meshmush_protocol::proto::routing::Error as E;
                let reason = match reason {
                    DropReason::Expired => {
                        inc(&self.metrics.expired_chunks);
                        warn!(dest = %node_id(dest), id, max_age = ?self.cfg.max_age, "chunk dropped undelivered: too old");
                        E::Timeout
                    }
                    DropReason::TooManyParked => {
                        inc(&self.metrics.evicted_parked);
                        warn!(dest = %node_id(dest), id, cap = self.cfg.max_key_parked, "chunk dropped: too many destinations wait for a public key");
                        E::PkiSendFailPublicKey
                    }
                };
                inc(&self.metrics.send_failures);
                LinkEvent::Delivery {
                    dest,
                    packet_id: id,
                    result: Err(reason),
                    will_retry: false,
                }
            }
            Outcome::Delivered { dest, id } => {
                inc(&self.metrics.chunks_delivered);
                LinkEvent::Delivery {
                    dest,
                    packet_id: id,
                    result: Ok(()),
                    will_retry: false,
                }
            }
            Outcome::Failed {
                dest,
                id,
                reason,
                will_retry,
            } => {
                use meshmush_protocol::proto::routing::Error as E;
                if matches!(reason, E::PkiSendFailPublicKey | E::PkiUnknownPubkey) {
                    inc(&self.metrics.pki_failures);
                } else if reason == E::NoInterface {
                    inc(&self.metrics.queue_refusals);
                }
                if !will_retry {
                    inc(&self.metrics.send_failures);
                }
                warn!(
                    dest = %meshmush_protocol::packets::node_id(dest),
                    id,
                    reason = reason.as_str_name(),
                    will_retry,
                    "chunk not delivered"
                );
                LinkEvent::Delivery {
                    dest,
                    packet_id: id,
                    result: Err(reason),
                    will_retry,
                }
            }
        };
        self.emit(event);
    }

    /// Handles one frame from the node; `Some` ends the connection.
    fn handle(&mut self, msg: FromRadio, me: u32) -> Option<End> {
        let now = Instant::now();
        match classify(&msg, me) {
            Inbound::DirectText(t) | Inbound::ChannelText(t)
                if trust::impossible_sender(t.from, me) =>
            {
                inc(&self.metrics.bogus_senders);
                debug!(from = %node_id(t.from), id = t.id, "text from an impossible sender ignored");
            }
            Inbound::DirectText(t) | Inbound::ChannelText(t)
                if !self.dedupe.first_time(t.from, t.id) =>
            {
                inc(&self.metrics.duplicates);
                debug!(from = %meshmush_protocol::packets::node_id(t.from), id = t.id, "repeat dropped");
            }
            Inbound::DirectText(t) => {
                inc(&self.metrics.texts_in);
                self.emit(LinkEvent::DirectText(t));
            }
            Inbound::ChannelText(t) => {
                inc(&self.metrics.texts_in);
                self.emit(LinkEvent::ChannelText(t));
            }
            Inbound::Routing(r) => match self.outbound.in_flight_dest(r.request_id) {
                Some(dest) if !trust::routing_reply_trusted(dest, r.from, me, r.error) => {
                    inc(&self.metrics.untrusted_routing);
                    debug!(
                        from = %node_id(r.from),
                        dest = %node_id(dest),
                        id = r.request_id,
                        reason = r.error.map_or("NONE", |e| e.as_str_name()),
                        "routing reply from a node that could not have sent it ignored"
                    );
                }
                Some(_) => {
                    if let Some(outcome) = self.outbound.on_routing(r.request_id, r.error, now) {
                        self.report(outcome);
                    }
                    for outcome in self.outbound.take_dropped() {
                        self.report(outcome);
                    }
                }
                None => {}
            },
            Inbound::QueueStatus(qs) => {
                // The answer to a heartbeat names no packet. (So does the status a node
                // volunteers when its full queue frees a slot; while it is full we
                // send no heartbeat but the poll, which that status answers as well.)
                if qs.mesh_packet_id == 0
                    && let Some(sent) = self.heartbeat_sent.take()
                {
                    self.metrics
                        .record_heartbeat_delay(now.duration_since(sent));
                }
                if let Some(outcome) = self.outbound.on_queue_status(&qs, now) {
                    self.report(outcome);
                }
            }
            Inbound::NodeInfo(info) => self.learn_node(NodeEntry::from_info(&info), true),
            Inbound::MyInfo(_) | Inbound::Rebooted => {
                return Some(End::Lost("the node rebooted".into()));
            }
            Inbound::ConfigComplete(_) | Inbound::Other => {}
        }
        None
    }
}
