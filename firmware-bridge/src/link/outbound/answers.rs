//! What the node says back about the packets the queue wrote: its queue status (the
//! credits), its routing replies (delivered, or why not), the ack deadlines that pass
//! without either, a key it learned, and a lost connection. Each settles or re-queues
//! the packets in flight.

use meshmush_protocol::packets::{BROADCAST, PRIMARY_CHANNEL};
use meshmush_protocol::proto::{QueueStatus, routing};
use tokio::time::Instant;

use super::{Chunk, Class, Key, Outbound, Outcome, count, lane_key};

impl Outbound {
    /// The node answered a frame with its queue status.
    pub fn on_queue_status(&mut self, qs: &QueueStatus, now: Instant) -> Option<Outcome> {
        let mut outcome = None;
        if qs.mesh_packet_id != 0 {
            // The node answers packets in the order it got them: an answer for this
            // one means those sent before it were answered too, even if a damaged
            // stream lost their answers. Otherwise each lost answer would cost a
            // credit for as long as the connection lasts.
            if let Some(at) = self
                .unanswered
                .iter()
                .position(|&id| id == qs.mesh_packet_id)
            {
                self.unanswered.drain(..=at);
            }
            if let Some(&key) = self.flying.get(&qs.mesh_packet_id) {
                let (hop_limit, want_ack) = self
                    .in_flight_hops(key)
                    .unwrap_or((self.cfg.hop_limit, true));
                if qs.res != 0 {
                    // Refused: the same chunk goes again. Refused because the queue
                    // is full, as soon as the node says a slot is free (it says so
                    // unasked, or answers the full-queue poll); otherwise, after the
                    // retry delay.
                    let at = if qs.free == 0 {
                        now
                    } else {
                        now + self.cfg.retry_delay
                    };
                    self.requeue(key, at, false);
                    outcome = Some(Outcome::Failed {
                        dest: key.0,
                        id: qs.mesh_packet_id,
                        reason: routing::Error::NoInterface,
                        will_retry: true,
                        hop_limit,
                    });
                } else if key.0 == BROADCAST || !want_ack {
                    // No ack comes for a broadcast, nor for a zero-hop DM (sent
                    // without want_ack): queued is as good as it gets.
                    self.finish(key);
                    outcome = Some(Outcome::Delivered {
                        dest: key.0,
                        id: qs.mesh_packet_id,
                        hop_limit,
                    });
                }
            }
        }
        let waiting = self.unanswered.len() as u32;
        self.credits = qs.free.saturating_sub(waiting);
        if qs.maxlen > 0 {
            self.node_queue = qs.maxlen;
        }
        outcome
    }

    /// The destination of packet `id`, while it is on its way (awaiting its ack).
    pub fn in_flight_dest(&self, id: u32) -> Option<u32> {
        self.flying.get(&id).map(|key| key.0)
    }

    /// A routing reply (ack or nak) for one of our packets.
    pub fn on_routing(
        &mut self,
        request_id: u32,
        error: Option<routing::Error>,
        now: Instant,
    ) -> Option<Outcome> {
        let key = *self.flying.get(&request_id)?;
        let relayed = self.relayed.remove(&request_id).is_some();
        let dest = key.0;
        let (hop_limit, want_ack) = self.in_flight_hops(key)?;
        let Some(reason) = error else {
            self.finish(key);
            return Some(Outcome::Delivered {
                dest,
                id: request_id,
                hop_limit,
            });
        };
        let attempts = self.lanes.get(&key)?.in_flight.as_ref()?.0.attempts;
        use routing::Error as E;
        let below_cfg = want_ack && hop_limit < self.cfg.hop_limit;
        let will_retry = match reason {
            E::PkiSendFailPublicKey | E::PkiUnknownPubkey => {
                self.requeue(key, now, true);
                self.note_awaiting_key(key);
                true
            }
            E::TooLarge => {
                self.split_in_flight(key);
                true
            }
            E::DutyCycleLimit | E::RateLimitExceeded => {
                self.requeue(key, now + self.cfg.retry_delay * attempts.min(8), false);
                true
            }
            // Not delivered at a hop limit the host chose for the distance: the
            // node's own retries are spent (MAX_RETRANSMIT) or the ack is overdue, so
            // the limit was too low. Go again at once at the configured limit.
            E::MaxRetransmit | E::Timeout | E::NoResponse if below_cfg => {
                self.requeue(key, now, false);
                self.raise_requeued(key, relayed);
                true
            }
            // Relayed, yet no ACK from the destination by the deadline, at the
            // configured limit: the node has made its tries, and the same packet id
            // again would be dropped as a duplicate by every node that heard it (it
            // can only get as far as the first did). Not delivered; not repeated.
            E::Timeout if relayed => {
                self.finish(key);
                false
            }
            _ if attempts < self.cfg.max_attempts => {
                self.requeue(key, now + self.cfg.retry_delay * attempts, false);
                true
            }
            _ => {
                self.finish(key);
                false
            }
        };
        Some(Outcome::Failed {
            dest,
            id: request_id,
            reason,
            will_retry,
            hop_limit,
        })
    }

    /// The hop limit and want_ack of `key`'s packet in flight.
    fn in_flight_hops(&self, key: Key) -> Option<(u32, bool)> {
        let (chunk, _) = self.lanes.get(&key)?.in_flight.as_ref()?;
        Some((chunk.out.hop_limit, chunk.out.want_ack))
    }

    /// Sends `key`'s requeued packet (the front of its lane) at the configured hop
    /// limit. If a neighbour was heard relaying the short copy, under a new packet
    /// id: the nodes that heard it keep its (from, id) in their packet history and
    /// drop a repeat as a duplicate (FloodingRouter.cpp `shouldFilterReceived`: a
    /// copy with more hops left is taken only while the short one still waits in
    /// their transmit queue), so the same id would die where the first copy did.
    /// Never relayed (a direct neighbour, or nobody heard it), under the same id, so
    /// a destination that got the first copy and only lost its ACK drops the repeat
    /// and the player never reads the reply twice.
    fn raise_requeued(&mut self, key: Key, relayed: bool) {
        let cfg = self.cfg.hop_limit;
        let id = relayed.then(|| self.ids.next_id());
        if let Some(chunk) = self.lanes.get_mut(&key).and_then(|l| l.pending.front_mut()) {
            chunk.out.hop_limit = cfg;
            if let Some(id) = id {
                chunk.id = id;
            }
        }
    }

    /// Chunks whose ack never came: retried, or given up after the last attempt; and
    /// chunks past their age, dropped.
    pub fn check_timeouts(&mut self, now: Instant) -> Vec<Outcome> {
        self.expire(now);
        let mut out = self.take_dropped();
        while let Some(&(deadline, id)) = self.deadlines.front() {
            if deadline > now {
                break;
            }
            self.deadlines.pop_front();
            if self.live_deadline(deadline, id)
                && let Some(o) = self.on_routing(id, Some(routing::Error::Timeout), now)
            {
                out.push(o);
            }
        }
        for id in self.relay_deadlines_due(now) {
            if let Some(o) = self.on_routing(id, Some(routing::Error::Timeout), now) {
                out.push(o);
            }
        }
        out
    }

    /// The node learned `dest`'s key: its parked chunks may go again.
    pub fn key_learned(&mut self, dest: u32) {
        for class in Class::ALL {
            let key = lane_key(dest, PRIMARY_CHANNEL, class);
            if let Some(lane) = self.lanes.get_mut(&key) {
                lane.awaiting_key = false;
                lane.parked_until = None;
            }
            self.awaiting.remove(&key);
            self.schedule(key);
        }
    }

    /// The connection dropped: everything unacked goes back to the front of its lane,
    /// with its id, and the node's queue is unknown again.
    pub fn on_disconnect(&mut self) {
        for ready in &mut self.ready {
            ready.clear();
        }
        self.parked.clear();
        self.deadlines.clear();
        self.relayed.clear();
        self.relay_deadlines.clear();
        let keys: Vec<Key> = self.lanes.keys().copied().collect();
        for key in &keys {
            if let Some(lane) = self.lanes.get_mut(key) {
                if let Some((chunk, _)) = lane.in_flight.take() {
                    self.flying.remove(&chunk.id);
                    lane.pending.push_front(chunk);
                }
                lane.parked_until = None;
                lane.queued = false;
            }
        }
        for key in keys {
            self.schedule(key);
        }
        self.unanswered.clear();
        self.credits = 1;
    }

    fn finish(&mut self, key: Key) {
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        if let Some((chunk, _)) = lane.in_flight.take() {
            self.flying.remove(&chunk.id);
            self.relayed.remove(&chunk.id);
            count(&mut self.depths, key, -1);
        }
        if lane.pending.is_empty() && !lane.awaiting_key {
            self.lanes.remove(&key);
        } else {
            self.schedule(key);
        }
    }

    fn requeue(&mut self, key: Key, at: Instant, awaiting_key: bool) {
        if let Some(lane) = self.lanes.get_mut(&key)
            && let Some((chunk, _)) = lane.in_flight.take()
        {
            self.flying.remove(&chunk.id);
            self.relayed.remove(&chunk.id);
            lane.pending.push_front(chunk);
            lane.parked_until = Some(at);
            lane.awaiting_key |= awaiting_key;
            self.schedule(key);
        }
    }

    /// The node said the packet is too large: send its text as two smaller packets.
    fn split_in_flight(&mut self, key: Key) {
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        let Some((chunk, _)) = lane.in_flight.take() else {
            return;
        };
        self.flying.remove(&chunk.id);
        let half = (chunk.out.text.len() / 2).max(meshmush_protocol::chunking::MIN_BUDGET);
        let pieces = meshmush_protocol::chunking::chunk(&chunk.out.text, half);
        count(&mut self.depths, key, pieces.len() as isize - 1);
        for piece in pieces.into_iter().rev() {
            let id = self.ids.next_id();
            let mut out = chunk.out.clone();
            out.text = piece;
            lane.pending.push_front(Chunk {
                id,
                out,
                attempts: 0,
                queued_at: chunk.queued_at,
                class: chunk.class,
            });
        }
        self.schedule(key);
    }
}
