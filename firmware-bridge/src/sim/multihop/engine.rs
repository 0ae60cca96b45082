//! The mesh as a discrete-event simulation in virtual time: every node's transmit
//! queue, channel activity detection, the shared air with its collisions, managed
//! flooding, next-hop routing and retransmissions. Deterministic for a seed; it runs
//! as fast as the events can be processed, and a driver may pace it to real time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

use meshmush_protocol::airtime::{MESH_HEADER, time_on_air};
use rand::{SeedableRng, rngs::StdRng};

use super::collision::{Reception, arrive};
use super::flooding::{Micros, Timing, outgoing_hop_limit};
use super::frame::{BROADCAST, Frame, NodeCounters, Output, Payload, Send, TxRecord};
use super::nexthop::{PacketHistory, PacketKey, Pending, RELIABLE_RETRIES};
use super::topology::{Role, Topology};

mod receive;

/// Bytes on air of an ACK: the header and a `Data` with the Routing port, an empty
/// `Routing` and `request_id` (fixed32).
pub const ACK_PHY_LEN: usize = MESH_HEADER + 9;
/// The window of `channel_utilization` (the firmware's 6 periods of 10 s,
/// src/airtime.h `CHANNEL_UTILIZATION_PERIODS`) and of `air_util_tx` (an hour).
const UTIL_WINDOW_US: Micros = 60_000_000;
const TX_UTIL_WINDOW_US: Micros = 3_600_000_000;

/// One queued transmission.
#[derive(Debug, Clone)]
struct Queued<P> {
    frame: Frame<P>,
    tx_after: Micros,
    /// The SNR it was heard at, for a relay (its wait depends on it).
    relay_snr: Option<f64>,
}

struct NodeState<P> {
    num: u32,
    byte: u8,
    role: Role,
    down: bool,
    queue: VecDeque<Queued<P>>,
    /// The transmission on air, with its end.
    transmitting: Option<(u64, Micros)>,
    /// Packets arriving now.
    receptions: Vec<Reception>,
    history: PacketHistory,
    next_hops: HashMap<u32, u8>,
    pending: HashMap<PacketKey, Pending<Frame<P>>>,
    /// (start, length, own transmission) of what the radio was busy with.
    busy: VecDeque<(Micros, Micros, bool)>,
    counters: NodeCounters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// A node may transmit.
    Wake(usize),
    /// A transmission ends: its receivers decode it or not.
    TxEnd(u64),
    /// A pending packet is due again.
    Retry(usize, PacketKey),
}

struct OnAir<P> {
    sender: usize,
    frame: Frame<P>,
}

/// The simulated mesh.
pub struct RadioMesh<P> {
    now: Micros,
    rng: StdRng,
    timing: Timing,
    topology: Topology,
    /// `links[i][j]`: what j receives of i (dBm), when in range.
    links: Vec<Vec<Option<f64>>>,
    nodes: Vec<NodeState<P>>,
    index: HashMap<u32, usize>,
    events: BinaryHeap<Reverse<(Micros, u64, Event)>>,
    seq: u64,
    on_air: HashMap<u64, OnAir<P>>,
    outputs: Vec<Output<P>>,
    trace: Vec<TxRecord>,
    keep_trace: bool,
}

impl<P: Payload> RadioMesh<P> {
    /// Node k of `topology` gets number `nums[k]`.
    pub fn new(topology: Topology, nums: &[u32], seed: u64) -> Self {
        let links = topology.link_table();
        let nodes = topology
            .nodes
            .iter()
            .zip(nums)
            .map(|(spec, &num)| NodeState {
                num,
                // `NodeDB::getLastByteOfNodeNum`: 0 is reserved for "no preference".
                byte: match (num & 0xff) as u8 {
                    0 => 0xff,
                    b => b,
                },
                role: spec.role,
                down: false,
                queue: VecDeque::new(),
                transmitting: None,
                receptions: Vec::new(),
                history: PacketHistory::default(),
                next_hops: HashMap::new(),
                pending: HashMap::new(),
                busy: VecDeque::new(),
                counters: NodeCounters::default(),
            })
            .collect::<Vec<_>>();
        let index = nodes.iter().enumerate().map(|(i, n)| (n.num, i)).collect();
        Self {
            now: 0,
            rng: StdRng::seed_from_u64(seed),
            timing: Timing::of(topology.radio.preset),
            topology,
            links,
            nodes,
            index,
            events: BinaryHeap::new(),
            seq: 0,
            on_air: HashMap::new(),
            outputs: Vec::new(),
            trace: Vec::new(),
            keep_trace: true,
        }
    }

    /// Stops recording every transmission (long benchmark runs).
    pub fn without_trace(mut self) -> Self {
        self.keep_trace = false;
        self
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    pub fn now(&self) -> Micros {
        self.now
    }

    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// The node numbers, in topology order.
    pub fn nums(&self) -> Vec<u32> {
        self.nodes.iter().map(|n| n.num).collect()
    }

    pub fn counters(&self, num: u32) -> Option<NodeCounters> {
        self.index.get(&num).map(|&i| self.nodes[i].counters)
    }

    /// The last byte of the next hop `node` has learned towards `dest`.
    pub fn next_hop(&self, node: u32, dest: u32) -> Option<u8> {
        let n = &self.nodes[*self.index.get(&node)?];
        n.next_hops.get(&dest).copied()
    }

    /// Every transmission so far.
    pub fn trace(&self) -> &[TxRecord] {
        &self.trace
    }

    pub fn take_outputs(&mut self) -> Vec<Output<P>> {
        std::mem::take(&mut self.outputs)
    }

    /// A node that is down hears nothing and sends nothing (its queue is lost).
    pub fn set_down(&mut self, num: u32, down: bool) {
        if let Some(&i) = self.index.get(&num) {
            let n = &mut self.nodes[i];
            n.down = down;
            if down {
                n.queue.clear();
                n.pending.clear();
                n.receptions.clear();
            }
        }
    }

    /// `DeviceMetrics.channel_utilization` of `num`: the share (percent) of the last
    /// minute its radio heard or sent anything (src/airtime.cpp
    /// `channelUtilizationPercent`, which logs TX, RX and RX_ALL airtime).
    pub fn channel_utilization(&self, num: u32) -> f32 {
        self.utilization(num, UTIL_WINDOW_US, false)
    }

    /// `DeviceMetrics.air_util_tx`: the share (percent) of the last hour it sent
    /// (src/airtime.cpp `utilizationTXPercent`).
    pub fn air_util_tx(&self, num: u32) -> f32 {
        self.utilization(num, TX_UTIL_WINDOW_US, true)
    }

    fn utilization(&self, num: u32, window: Micros, tx_only: bool) -> f32 {
        let Some(&i) = self.index.get(&num) else {
            return 0.0;
        };
        let from = self.now.saturating_sub(window);
        let busy: Micros = self.nodes[i]
            .busy
            .iter()
            .filter(|(_, _, tx)| *tx || !tx_only)
            .map(|&(start, len, _)| (start + len).min(self.now).saturating_sub(start.max(from)))
            .sum();
        (busy as f64 * 100.0 / window as f64) as f32
    }

    /// The node's own client sends a packet now.
    pub fn send(&mut self, from: u32, send: Send<P>) {
        let Some(&i) = self.index.get(&from) else {
            return;
        };
        if self.nodes[i].down {
            return;
        }
        let cfg = self.topology.radio.hop_limit;
        let hop_limit = outgoing_hop_limit(send.hop_limit, send.want_ack, cfg);
        let n = &mut self.nodes[i];
        let mut frame = Frame {
            from,
            to: send.to,
            id: send.id,
            hop_limit,
            hop_start: hop_limit,
            want_ack: send.want_ack,
            next_hop: 0,
            relay_node: n.byte,
            request_id: send.request_id,
            phy_len: send.phy_len,
            payload: send.payload,
        };
        // `NextHopRouter::send`: we are the first relayer; the next hop if known.
        n.history.record(frame.key(), n.byte, false);
        frame.next_hop = self.lookup_next_hop(i, frame.to);
        if frame.want_ack {
            // `ReliableRouter::send`: retransmit until (implicitly) acked.
            self.start_retransmission(i, frame.clone(), RELIABLE_RETRIES, None);
        }
        let delay = self.own_delay(i);
        self.enqueue(i, frame, self.now + delay, None);
    }

    /// The time of the next event, if any.
    pub fn next_event_at(&self) -> Option<Micros> {
        self.events.peek().map(|Reverse((t, _, _))| *t)
    }

    /// Processes the next event; false when there is none.
    pub fn step(&mut self) -> bool {
        let Some(Reverse((t, _, event))) = self.events.pop() else {
            return false;
        };
        self.now = self.now.max(t);
        match event {
            Event::Wake(i) => self.wake(i),
            Event::TxEnd(tx) => self.tx_end(tx),
            Event::Retry(i, key) => self.retry(i, key, t),
        }
        true
    }

    /// Processes every event up to `t` and moves the clock there.
    pub fn run_until(&mut self, t: Micros) {
        while self.next_event_at().is_some_and(|e| e <= t) {
            self.step();
        }
        self.now = self.now.max(t);
    }

    fn schedule(&mut self, at: Micros, event: Event) {
        self.seq += 1;
        self.events.push(Reverse((at, self.seq, event)));
    }

    fn lookup_next_hop(&self, i: usize, to: u32) -> u8 {
        // `NextHopRouter::getNextHop`: none for broadcasts, never ourselves.
        if to == BROADCAST {
            return 0;
        }
        let n = &self.nodes[i];
        match n.next_hops.get(&to) {
            Some(&b) if b != n.byte => b,
            _ => 0,
        }
    }

    fn own_delay(&mut self, i: usize) -> Micros {
        let util = f64::from(self.channel_utilization(self.nodes[i].num));
        self.timing.own_delay_us(util, &mut self.rng)
    }

    fn airtime(&self, phy_len: usize) -> Micros {
        time_on_air(self.topology.radio.preset, phy_len).as_micros() as Micros
    }

    fn enqueue(&mut self, i: usize, frame: Frame<P>, tx_after: Micros, relay_snr: Option<f64>) {
        self.nodes[i].queue.push_back(Queued {
            frame,
            tx_after,
            relay_snr,
        });
        self.schedule(tx_after.max(self.now), Event::Wake(i));
    }

    /// `Router::cancelSending`: removes a queued copy of (from, id); true if one was.
    fn cancel_sending(&mut self, i: usize, key: PacketKey) -> bool {
        let q = &mut self.nodes[i].queue;
        let before = q.len();
        q.retain(|p| p.frame.key() != key);
        q.len() != before
    }

    fn start_retransmission(
        &mut self,
        i: usize,
        frame: Frame<P>,
        retries: u8,
        relay_snr: Option<f64>,
    ) {
        let util = f64::from(self.channel_utilization(self.nodes[i].num));
        let due = self.now
            + self
                .timing
                .retransmission_us(self.airtime(frame.phy_len), util);
        let key = frame.key();
        self.nodes[i].pending.insert(
            key,
            Pending {
                frame,
                retries_left: retries,
                due,
                relay_snr,
            },
        );
        self.schedule(due, Event::Retry(i, key));
    }

    fn stop_retransmission(&mut self, i: usize, key: PacketKey) -> bool {
        self.nodes[i].pending.remove(&key).is_some()
    }

    /// The radio hears a packet on air right now (CAD; src/mesh/RadioLibInterface.cpp
    /// `onNotify` `TRANSMIT_DELAY_COMPLETED`: `isChannelActive` puts the send off).
    fn channel_active(&self, i: usize) -> bool {
        !self.nodes[i].receptions.is_empty()
    }

    fn wake(&mut self, i: usize) {
        let n = &self.nodes[i];
        if n.down || n.transmitting.is_some() {
            return;
        }
        let Some(front) = n.queue.front() else { return };
        if front.tx_after > self.now {
            let at = front.tx_after;
            self.schedule(at, Event::Wake(i));
            return;
        }
        if self.channel_active(i) {
            // Busy: wait again (`setTransmitDelay`), as long as for a fresh send.
            let snr = front.relay_snr;
            let delay = match snr {
                Some(snr) => self.timing.relay_delay_us(n.role, snr, &mut self.rng),
                None => self.own_delay(i),
            };
            let at = self.now + delay.max(1);
            if let Some(f) = self.nodes[i].queue.front_mut() {
                f.tx_after = at;
            }
            self.schedule(at, Event::Wake(i));
            return;
        }
        let Some(q) = self.nodes[i].queue.pop_front() else {
            return;
        };
        self.start_tx(i, q.frame);
    }

    fn start_tx(&mut self, i: usize, frame: Frame<P>) {
        let airtime = self.airtime(frame.phy_len);
        let (start, end) = (self.now, self.now + airtime);
        self.seq += 1;
        let tx = self.seq;
        let symbol_us = self.timing.symbol_us;
        {
            let n = &mut self.nodes[i];
            n.transmitting = Some((tx, end));
            // Half duplex: what it was receiving is lost.
            for r in &mut n.receptions {
                r.lost = true;
            }
            n.busy.push_back((start, airtime, true));
            while n
                .busy
                .front()
                .is_some_and(|(s, _, _)| *s + TX_UTIL_WINDOW_US < start)
            {
                n.busy.pop_front();
            }
            let c = &mut n.counters;
            if frame.floods() {
                c.tx_flooded += 1;
                c.airtime_flooded_us += airtime;
            } else {
                c.tx_next_hop += 1;
                c.airtime_next_hop_us += airtime;
            }
            if frame.from != n.num {
                c.relayed += 1;
            }
        }
        for j in 0..self.nodes.len() {
            let Some(rssi) = self.links[i][j] else {
                continue;
            };
            let rx = &mut self.nodes[j];
            if rx.down || rx.transmitting.is_some() {
                continue;
            }
            let mut r = Reception {
                tx,
                start,
                end,
                rssi,
                lost: false,
            };
            arrive(&mut r, &mut rx.receptions, symbol_us);
            rx.receptions.push(r);
            rx.busy.push_back((start, airtime, false));
            while rx
                .busy
                .front()
                .is_some_and(|(s, _, _)| *s + TX_UTIL_WINDOW_US < start)
            {
                rx.busy.pop_front();
            }
        }
        if self.keep_trace {
            self.trace.push(TxRecord {
                at: start,
                airtime,
                node: self.nodes[i].num,
                from: frame.from,
                to: frame.to,
                id: frame.id,
                hop_limit: frame.hop_limit,
                next_hop: frame.next_hop,
                request_id: frame.request_id,
            });
        }
        self.on_air.insert(tx, OnAir { sender: i, frame });
        self.schedule(end, Event::TxEnd(tx));
    }

    fn tx_end(&mut self, tx: u64) {
        let Some(OnAir { sender, frame }) = self.on_air.remove(&tx) else {
            return;
        };
        if self.nodes[sender]
            .transmitting
            .is_some_and(|(t, _)| t == tx)
        {
            self.nodes[sender].transmitting = None;
        }
        for j in 0..self.nodes.len() {
            let n = &mut self.nodes[j];
            let Some(at) = n.receptions.iter().position(|r| r.tx == tx) else {
                continue;
            };
            let r = n.receptions.swap_remove(at);
            if r.lost {
                n.counters.rx_lost += 1;
                continue;
            }
            n.counters.rx_ok += 1;
            self.received(j, frame.clone(), r.rssi);
            // What waited for the channel to clear may go now.
            if !self.nodes[j].queue.is_empty() {
                self.schedule(self.now, Event::Wake(j));
            }
        }
        self.schedule(self.now, Event::Wake(sender));
    }
}
