//! The receive path of [`RadioMesh`]: what a node does with a packet it decoded,
//! and with a packet of its own that is due again (firmware v2.7.26: Router
//! `handleReceived` through ReliableRouter, NextHopRouter and FloodingRouter).

use rand::Rng;

use super::super::flooding::{Micros, cancels_on_duplicate, hops_away, relays, response_hop_limit};
use super::super::frame::{BROADCAST, Frame, Output, Payload};
use super::super::nexthop::{INTERMEDIATE_RETRIES, PacketKey};
use super::super::pathloss::snr_db;
use super::{ACK_PHY_LEN, Event, RadioMesh};

impl<P: Payload> RadioMesh<P> {
    /// A packet decoded by node `j`: the firmware's receive path (Router
    /// `handleReceived` through ReliableRouter, NextHopRouter and FloodingRouter).
    pub(super) fn received(&mut self, j: usize, frame: Frame<P>, rssi: f64) {
        let snr = snr_db(rssi);
        let key = frame.key();
        let (me, my_byte) = (self.nodes[j].num, self.nodes[j].byte);
        let hops = hops_away(frame.hop_start, frame.hop_limit);
        if frame.from == me {
            // ReliableRouter::shouldFilterReceived: someone relays our packet, which
            // acks it implicitly.
            self.nodes[j].history.record(key, frame.relay_node, false);
            if self.stop_retransmission(j, key) {
                self.nodes[j].counters.implicit_acks += 1;
                self.outputs.push(Output::ImplicitAck {
                    node: me,
                    id: frame.id,
                });
            }
            return;
        }
        let first = self.nodes[j]
            .history
            .record(key, frame.relay_node, frame.next_hop == my_byte);
        if !first {
            self.duplicate(j, &frame, snr, hops);
            return;
        }
        if frame.request_id != 0 {
            self.sniff_ack_or_reply(j, &frame, hops);
        }
        if frame.to == me {
            if frame.request_id != 0 {
                // An ACK or reply to our packet (ReliableRouter::sniffReceived).
                self.stop_retransmission(j, (me, frame.request_id));
            }
            if frame.want_ack {
                self.ack(j, &frame, hops);
            }
        }
        if frame.to == me || frame.to == BROADCAST {
            self.outputs.push(Output::Delivered {
                node: me,
                frame: frame.clone(),
                rssi,
                snr,
            });
        }
        self.perhaps_rebroadcast(j, &frame, snr);
    }

    /// A packet heard again (NextHopRouter::shouldFilterReceived).
    fn duplicate(&mut self, j: usize, frame: &Frame<P>, snr: f64, hops: Option<u8>) {
        let key = frame.key();
        self.stop_retransmission(j, key);
        let queued = self.nodes[j].queue.iter().any(|q| q.frame.key() == key);
        if hops == Some(0) {
            // The originator sent it again: relay again, or ack again.
            if !queued
                && !self.perhaps_rebroadcast(j, frame, snr)
                && frame.to == self.nodes[j].num
                && frame.want_ack
            {
                self.ack(j, frame, hops);
            }
            return;
        }
        let we_were_next_hop = self.nodes[j]
            .history
            .get(key)
            .is_some_and(|s| s.we_were_next_hop);
        // FloodingRouter::perhapsCancelDupe.
        if !we_were_next_hop
            && cancels_on_duplicate(self.nodes[j].role)
            && self.cancel_sending(j, key)
        {
            self.nodes[j].counters.relays_cancelled += 1;
        }
    }

    /// NextHopRouter::sniffReceived: learn the next hop towards the ACK's sender, and
    /// stop relaying the packet it acks.
    fn sniff_ack_or_reply(&mut self, j: usize, frame: &Frame<P>, hops: Option<u8>) {
        let original = (frame.to, frame.request_id);
        let n = &mut self.nodes[j];
        if let Some(seen) = n.history.get(original) {
            let was_already_relayer = seen.relayers.contains(&frame.relay_node);
            let we_were_relayer = seen.relayers.contains(&n.byte);
            let sole = we_were_relayer && seen.relayers.len() == 1;
            if (we_were_relayer && was_already_relayer) || (hops == Some(0) && sole) {
                n.next_hops.insert(frame.from, frame.relay_node);
            }
        }
        if frame.to != n.num {
            self.cancel_sending(j, original);
            self.stop_retransmission(j, original);
        }
    }

    /// The ACK a node sends for a packet to it that wants one
    /// (ReliableRouter::sniffReceived).
    fn ack(&mut self, j: usize, frame: &Frame<P>, hops: Option<u8>) {
        let cfg = self.topology.radio.hop_limit;
        let hop_limit = if frame.request_id == 0 {
            response_hop_limit(frame.hop_start, frame.hop_limit, cfg)
        } else if hops == Some(0) || frame.next_hop != 0 {
            0 // a reply: only a 0-hop ACK, to stop the last relayer
        } else {
            return;
        };
        let me = self.nodes[j].num;
        let id = self.rng.random::<u32>() | 1;
        let mut ack = Frame {
            from: me,
            to: frame.from,
            id,
            hop_limit,
            hop_start: hop_limit,
            want_ack: false,
            next_hop: 0,
            relay_node: self.nodes[j].byte,
            request_id: frame.id,
            phy_len: ACK_PHY_LEN,
            payload: P::ack(me, frame.from, id, frame.id),
        };
        let byte = self.nodes[j].byte;
        self.nodes[j].history.record(ack.key(), byte, false);
        ack.next_hop = self.lookup_next_hop(j, ack.to);
        let delay = self.own_delay(j);
        self.enqueue(j, ack, self.now + delay, None);
    }

    /// NextHopRouter::perhapsRebroadcast: relay a packet not to or from us with hops
    /// left, if our role relays and no other node was named next hop; with
    /// `hop_limit - 1`.
    fn perhaps_rebroadcast(&mut self, j: usize, frame: &Frame<P>, snr: f64) -> bool {
        let n = &self.nodes[j];
        if frame.to == n.num || frame.from == n.num || frame.hop_limit == 0 || frame.id == 0 {
            return false;
        }
        if !relays(n.role) || (frame.next_hop != 0 && frame.next_hop != n.byte) {
            return false;
        }
        let mut relay = frame.clone();
        relay.hop_limit -= 1;
        relay.relay_node = n.byte;
        let byte = n.byte;
        let role = n.role;
        self.nodes[j].history.record(relay.key(), byte, false);
        if frame.next_hop != 0 {
            // NextHopRouter::send: on towards our own next hop, retransmitted once.
            relay.next_hop = self.lookup_next_hop(j, relay.to);
            if relay.next_hop != 0 && (relay.hop_limit > 0 || relay.want_ack) {
                self.start_retransmission(j, relay.clone(), INTERMEDIATE_RETRIES, Some(snr));
            }
        }
        let delay = self.timing.relay_delay_us(role, snr, &mut self.rng);
        self.enqueue(j, relay, self.now + delay, Some(snr));
        true
    }

    /// NextHopRouter::doRetransmissions for one pending packet.
    pub(super) fn retry(&mut self, i: usize, key: PacketKey, at: Micros) {
        let Some(p) = self.nodes[i].pending.get(&key).cloned() else {
            return;
        };
        if p.due != at || self.nodes[i].down {
            return; // stale
        }
        if p.retries_left == 0 {
            self.nodes[i].pending.remove(&key);
            if key.0 == self.nodes[i].num {
                self.outputs.push(Output::Failed {
                    node: key.0,
                    id: key.1,
                });
            }
            return;
        }
        let mut frame = p.frame.clone();
        if frame.to != BROADCAST {
            if p.retries_left == 1 {
                // The last retry floods, and the next hop is forgotten.
                frame.next_hop = 0;
                self.nodes[i].next_hops.remove(&frame.to);
            } else {
                frame.next_hop = self.lookup_next_hop(i, frame.to);
            }
        }
        self.cancel_sending(i, key);
        self.nodes[i].counters.retransmissions += 1;
        let delay = match p.relay_snr {
            Some(snr) => {
                let role = self.nodes[i].role;
                self.timing.relay_delay_us(role, snr, &mut self.rng)
            }
            None => self.own_delay(i),
        };
        self.enqueue(i, frame.clone(), self.now + delay, p.relay_snr);
        let util = f64::from(self.channel_utilization(self.nodes[i].num));
        let due = self.now
            + self
                .timing
                .retransmission_us(self.airtime(frame.phy_len), util);
        if let Some(q) = self.nodes[i].pending.get_mut(&key) {
            q.retries_left -= 1;
            q.due = due;
        }
        self.schedule(due, Event::Retry(i, key));
    }
}
