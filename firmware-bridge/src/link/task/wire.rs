//! The link task's writing side: every frame to the node goes through here, within the
//! write timeout, and so do the heartbeat and the watchdog's probe.

use futures::SinkExt;
use meshmush_protocol::framing::{FramingError, HostCodec};
use meshmush_protocol::packets::{disconnect, heartbeat, want_config};
use meshmush_protocol::proto::ToRadio;
use tokio::time::Instant;
use tokio_util::codec::FramedWrite;
use tracing::{debug, info};

use super::super::ledger::Spend;
use super::super::metrics::{inc, set};
use super::super::outbound::Class;
use super::super::watchdog::Due;
use super::{End, LinkTask};

impl LinkTask {
    /// A heartbeat keeps the node from dropping us, and is answered with queueStatus.
    /// `due` is when it should have gone: its delay is counted from then.
    pub(super) async fn send_heartbeat<W: tokio::io::AsyncWrite + Unpin>(
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

    /// Buffers one frame for the node (written at the next flush, or now if the buffer
    /// is full), within the write timeout.
    pub(super) async fn write<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        writer: &mut FramedWrite<W, HostCodec>,
        msg: ToRadio,
    ) -> Result<(), End> {
        self.timed(writer.feed(msg)).await?;
        inc(&self.metrics.frames_out);
        Ok(())
    }

    /// Puts what is buffered on the wire, within the write timeout.
    pub(super) async fn flush<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        writer: &mut FramedWrite<W, HostCodec>,
    ) -> Result<(), End> {
        self.timed(SinkExt::<&ToRadio>::flush(writer)).await
    }

    /// A write that fails, or takes longer than the write timeout, loses the connection.
    pub(super) async fn timed(
        &self,
        write: impl std::future::Future<Output = Result<(), FramingError>>,
    ) -> Result<(), End> {
        match tokio::time::timeout(self.cfg.write_timeout, write).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(End::Lost(format!(
                "write to {} failed: {e}",
                self.cfg.transport
            ))),
            Err(_) => {
                inc(&self.metrics.write_timeouts);
                Err(End::Lost(format!(
                    "write to {} took longer than {:?}",
                    self.cfg.transport, self.cfg.write_timeout
                )))
            }
        }
    }

    /// Tells the node we are leaving, if it will take the frame in time.
    pub(super) async fn say_goodbye<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        writer: &mut FramedWrite<W, HostCodec>,
    ) {
        let _ = self.timed(writer.send(disconnect())).await;
    }

    /// Asks a quiet node for its config, or gives up on one that did not answer.
    pub(super) async fn watch<W: tokio::io::AsyncWrite + Unpin>(
        &mut self,
        writer: &mut FramedWrite<W, HostCodec>,
    ) -> Result<(), End> {
        match self.watchdog.poll(Instant::now()) {
            Due::Nothing => Ok(()),
            Due::Probe(nonce) => {
                inc(&self.metrics.watchdog_probes);
                info!(idle = ?self.cfg.idle_timeout, "the node has been quiet; asking for its config again");
                self.write(writer, want_config(nonce)).await
            }
            Due::GiveUp(reason) => {
                inc(&self.metrics.watchdog_resets);
                Err(End::Lost(reason))
            }
        }
    }

    /// Writes every chunk the node and the budget allow right now.
    pub(super) async fn pump<W: tokio::io::AsyncWrite + Unpin>(
        &mut self,
        writer: &mut FramedWrite<W, HostCodec>,
    ) -> Result<(), End> {
        let now = Instant::now();
        while let Some((chunk, cost)) = self.outbound.next_ready(now) {
            if chunk.attempts > 1 {
                inc(&self.metrics.chunk_retries);
            }
            self.metrics.record_airtime(chunk.out.dest, cost);
            self.record_spend(now, cost, chunk.class);
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
        set(
            &self.metrics.node_queue_free,
            u64::from(self.outbound.credits()),
        );
        let used = self.outbound.airtime_used(now);
        set(&self.metrics.airtime_hour_ms, used.as_millis() as u64);
        self.publish_queue(now);
        Ok(())
    }

    /// Reports a transmission to the airtime ledger, never waiting for it.
    fn record_spend(&self, at: Instant, cost: std::time::Duration, class: Class) {
        let Some(node) = self.me.borrow().as_ref().map(|c| c.my_node_num) else {
            return;
        };
        if cost.is_zero() {
            return;
        }
        let spend = Spend {
            node,
            at,
            cost,
            class,
        };
        if !self.ledger.report(spend) {
            inc(&self.metrics.airtime_unrecorded);
            debug!("airtime ledger behind; a spend went unrecorded");
        }
    }

    /// The queue's depth, in all and per class, and each class's wait for its share.
    pub(super) fn publish_queue(&mut self, now: Instant) {
        set(&self.metrics.queue_depth, self.outbound.depth() as u64);
        let airtime = self.outbound.class_airtime();
        let depths = self.outbound.class_depths();
        let bytes = self.cfg.max_packet_bytes();
        for class in Class::ALL {
            let i = class.index();
            set(
                &self.metrics.class_airtime_ms[i],
                airtime[i].as_millis() as u64,
            );
            set(&self.metrics.class_depth[i], depths[i] as u64);
            let wait = self.outbound.class_wait(class, bytes, now);
            let ready = crate::link::metrics::clock_ms() + wait.as_millis() as u64;
            set(&self.metrics.class_ready_ms[i], ready);
        }
    }
}
