//! A reply waits out its request's flood. A player's DM reaches our node while other
//! nodes around it are still relaying it (managed flooding: every node that heard it
//! with hops left relays it after its own wait, FloodingRouter.cpp:155-159), and our
//! node's ACK goes out at once and floods too. A reply sent straight away meets those
//! relays at the hidden nodes around the player, where CAD at our node cannot hear
//! them: on the multi-hop model of figure 16, a reply sent 200 ms after the request
//! arrived reached a player 0-1 hops out about half the time, one sent a minute later
//! nearly always (`firmware-bridge/examples/reply_after_request.rs`).
//!
//! Our node's ACK to the request floods too (at the firmware's response hop limit,
//! RoutingModule.cpp:62-78), even when the request had no hops left: on the model a
//! reply to a player 3 hops out (no hops left) sent 2 s after the request arrived
//! got there 3 times in 50, sent 200 ms after 21, 6 s after 34.
//!
//! So the first packet of a reply waits, from the moment the request reached us,
//! for both floods to move out of its way
//! ([`flood_wait`](meshmush_protocol::relay_timing::flood_wait): two relay
//! generations, about 5.5 s for a short request on LongFast, where delivery on the
//! model stops improving). A zero-hop request (no relays, its ACK goes nowhere) and
//! one whose hops are unknown are answered at once.

use std::collections::{HashMap, VecDeque};

use meshmush_protocol::airtime::{text_phy_len, time_on_air};
use meshmush_protocol::hops::firmware_reply_hops;
use meshmush_protocol::packets::TextMessage;
use meshmush_protocol::relay_timing::flood_wait;
use tokio::time::Instant;

use super::Outbound;

/// Requests remembered for their replies; past it the oldest is forgotten.
const REQUESTS_KEPT: usize = 256;

/// Requests heard with hops left, and until when their floods go on.
#[derive(Debug, Default)]
pub(super) struct Floods {
    until: HashMap<(u32, u32), Instant>,
    order: VecDeque<(u32, u32)>,
}

impl Outbound {
    /// Text `t` reached our node at `now`: a reply to it waits out the floods it
    /// set off.
    pub fn on_request(&mut self, t: &TextMessage, now: Instant) {
        let scale = self.cfg.airtime_scale;
        if !self.cfg.wait_out_floods || scale <= 0.0 {
            return;
        }
        let Some(hops) = t.hops else {
            return;
        };
        // Its relays go on while it has hops left; our node's ACK floods at the
        // firmware's response hop limit (0 for a zero-hop request).
        let hops_left = t.hop_start.saturating_sub(hops);
        let ack_hops = if t.want_ack {
            firmware_reply_hops(Some(hops), t.hop_start, self.cfg.hop_limit).hop_limit
        } else {
            0
        };
        let flood_hops = hops_left.max(ack_hops);
        if flood_hops == 0 {
            return;
        }
        let airtime = time_on_air(self.preset, text_phy_len(t.text.len(), t.pki_encrypted));
        let until = now + flood_wait(self.preset, airtime, flood_hops).mul_f64(scale);
        let key = (t.from, t.id);
        let floods = &mut self.floods;
        if floods.until.insert(key, until).is_none() {
            floods.order.push_back(key);
        }
        while floods.order.len() > REQUESTS_KEPT {
            if let Some(old) = floods.order.pop_front() {
                floods.until.remove(&old);
            }
        }
    }

    /// Until when a reply to `dest`'s request `reply_to` waits, if it must.
    pub(super) fn flood_hold(
        &self,
        dest: u32,
        reply_to: Option<u32>,
        now: Instant,
    ) -> Option<Instant> {
        let until = *self.floods.until.get(&(dest, reply_to?))?;
        (until > now).then_some(until)
    }
}
