//! DMs a neighbour was heard relaying: the node's implicit ACK
//! (ReliableRouter.cpp:42-66). The node stops its tries and tells us, but only the
//! destination's ACK says the packet arrived, so the link waits for that ACK; not
//! for the whole ack deadline (180 s by default), which would hold the player's
//! lane (their next packets) that long when the ACK was lost. The node itself would
//! have given the destination [`ack_patience`]: its three tries' retry intervals
//! (RadioInterface.cpp:560-573 `getRetransmissionMsec`, NextHopRouter.h:91-93
//! `NUM_RELIABLE_RETX`) on the busiest channel, 52 s for a full LongFast packet. An
//! ACK that has not come by then, counted from the relay heard, will not come; the
//! packet is judged then as at the ack deadline (raised to the configured limit, or
//! given up: see `on_routing`).

use std::cmp::Reverse;

use meshmush_protocol::airtime::{reply_phy_len, time_on_air};
use meshmush_protocol::packets::BROADCAST;
use meshmush_protocol::relay_timing::ack_patience;
use tokio::time::Instant;

use super::Outbound;

impl Outbound {
    /// Our node heard a neighbour relay DM `id` and acked it to us implicitly: it
    /// sends it no more; its destination's ACK is awaited until the node's own
    /// patience has passed (or the ack deadline, if that is sooner).
    pub fn on_relayed(&mut self, id: u32, now: Instant) {
        let Some(key) = self.flying.get(&id) else {
            return;
        };
        let Some((chunk, sent)) = self.lanes.get(key).and_then(|l| l.in_flight.as_ref()) else {
            return;
        };
        if self.relayed.contains_key(&id) {
            return;
        }
        let out = &chunk.out;
        let pki = self.cfg.pki && out.dest != BROADCAST;
        let airtime = time_on_air(
            self.preset,
            reply_phy_len(out.text.len(), out.reply_id.is_some(), pki),
        );
        // In radio time; a simulation running faster than the radio scales it, and an
        // instant one (scale 0) keeps the ack deadline alone.
        let scale = self.cfg.airtime_scale;
        let patience = if scale > 0.0 {
            ack_patience(self.preset, airtime).mul_f64(scale)
        } else {
            self.cfg.ack_timeout
        };
        let deadline = (now + patience).min(*sent + self.cfg.ack_timeout);
        if self.relayed.len() >= 64 {
            let flying = &self.flying;
            self.relayed.retain(|id, _| flying.contains_key(id));
        }
        self.relayed.insert(id, deadline);
        self.relay_deadlines.push(Reverse((deadline, id)));
    }

    /// Relayed DMs whose ACK is overdue at `now` (each given once).
    pub(super) fn relay_deadlines_due(&mut self, now: Instant) -> Vec<u32> {
        let mut due = Vec::new();
        while let Some(&Reverse((deadline, id))) = self.relay_deadlines.peek() {
            if deadline > now {
                break;
            }
            self.relay_deadlines.pop();
            if self.relayed.get(&id) == Some(&deadline) && self.flying.contains_key(&id) {
                due.push(id);
            }
        }
        due
    }

    /// The next relayed DM's ACK deadline, stale entries dropped.
    pub(super) fn next_relay_deadline(&mut self) -> Option<Instant> {
        while let Some(&Reverse((deadline, id))) = self.relay_deadlines.peek() {
            if self.relayed.get(&id) == Some(&deadline) && self.flying.contains_key(&id) {
                return Some(deadline);
            }
            self.relay_deadlines.pop();
        }
        None
    }
}
