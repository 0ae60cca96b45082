//! The link task's reading side: what each frame from the node means, which of it the
//! host hears, and which of it is not believed (see the trust module).

use meshmush_protocol::framing::Received;
use meshmush_protocol::packets::{Inbound, classify_received, node_id};
use meshmush_protocol::proto::from_radio;
use tokio::time::Instant;
use tracing::{debug, warn};

use super::super::events::LinkEvent;
use super::super::metrics::inc;
use super::super::nodedb::NodeEntry;
use super::super::outbound::{DropReason, Outcome};
use super::super::trust;
use super::{End, LinkTask};

impl LinkTask {
    pub(super) fn learn_node(&mut self, entry: NodeEntry, announce: bool) {
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

    pub(super) fn report(&mut self, outcome: Outcome) {
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
                    hop_limit: self.cfg.hop_limit,
                }
            }
            Outcome::Delivered {
                dest,
                id,
                hop_limit,
            } => {
                inc(&self.metrics.chunks_delivered);
                LinkEvent::Delivery {
                    dest,
                    packet_id: id,
                    result: Ok(()),
                    will_retry: false,
                    hop_limit,
                }
            }
            Outcome::Failed {
                dest,
                id,
                reason,
                will_retry,
                hop_limit,
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
                    hop_limit,
                    "chunk not delivered"
                );
                LinkEvent::Delivery {
                    dest,
                    packet_id: id,
                    result: Err(reason),
                    will_retry,
                    hop_limit,
                }
            }
        };
        self.emit(event);
    }

    /// Handles one frame from the node; `Some` ends the connection.
    pub(super) fn handle(&mut self, received: Received, me: u32) -> Option<End> {
        let msg = &received.msg;
        let now = Instant::now();
        // Firmware answers heartbeats even when it serves us nothing else (see the
        // watchdog module): only other frames show the node is serving us.
        let heartbeat_answer = matches!(
            &msg.payload_variant,
            Some(from_radio::PayloadVariant::QueueStatus(qs)) if qs.mesh_packet_id == 0
        );
        if !heartbeat_answer {
            self.watchdog.heard(now);
        }
        match classify_received(&received, me) {
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
                self.outbound.on_request(&t, now);
                self.emit(LinkEvent::DirectText(t));
            }
            Inbound::ChannelText(t) => {
                inc(&self.metrics.texts_in);
                self.outbound.on_request(&t, now);
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
                // Not on the MQTT virtual node, whose "implicit ack" is the broker's
                // echo: no relay exists there, and the destination's ACK may never be
                // carried back.
                Some(dest)
                    if trust::implicit_ack(dest, r.from, me, r.error)
                        && !matches!(
                            self.cfg.transport,
                            crate::transport::Transport::Virtual(_)
                        ) =>
                {
                    // A neighbour relayed our DM: the node stops its retries, but only
                    // the destination's own ACK says it arrived (the packet may die
                    // further on, at a hop limit too low for the way). Wait for that
                    // ACK until the ack deadline.
                    inc(&self.metrics.implicit_acks);
                    self.outbound.on_relayed(r.request_id, now);
                    debug!(
                        dest = %node_id(dest),
                        id = r.request_id,
                        "relayed (implicit ack); waiting for the destination's ack"
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
            Inbound::Load(load) => {
                debug!(
                    channel_util = load.channel_util,
                    air_util_tx = load.air_util_tx,
                    "the node's channel load"
                );
                self.outbound.set_load(load, now);
            }
            Inbound::MyInfo(info) if self.watchdog.probing() => {
                if info.my_node_num != me {
                    inc(&self.metrics.watchdog_resets);
                    return Some(End::Lost(format!(
                        "the node answered the watchdog as {}, not {}",
                        node_id(info.my_node_num),
                        node_id(me)
                    )));
                }
                if info.reboot_count != self.reboot_count {
                    // It reset without saying so: what it had queued is gone. Our
                    // probe has it serving us again; send again what was on its way.
                    inc(&self.metrics.watchdog_resets);
                    warn!(
                        was = self.reboot_count,
                        now = info.reboot_count,
                        "the node reset without saying so; resending what was in flight"
                    );
                    self.reboot_count = info.reboot_count;
                    self.outbound.on_disconnect();
                    self.heartbeat_sent = None;
                }
            }
            Inbound::MyInfo(_) | Inbound::Rebooted => {
                return Some(End::Lost("the node rebooted".into()));
            }
            Inbound::ConfigComplete(nonce) => {
                if self.watchdog.answered(nonce, now) {
                    debug!("the node answered the watchdog");
                }
            }
            Inbound::Other => {}
        }
        None
    }
}
