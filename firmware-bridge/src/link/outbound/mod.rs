//! The outbound queue: ready radio packets in, paced onto the node's queue.
//!
//! The host cuts a reply into packets once (its delivery module, with
//! `protocol::chunking`); the queue sends them as they are. Each packet gets its
//! packet id when it is queued, so a packet re-sent after a reconnect or a refusal
//! carries the same id and the receiving node's dedupe drops any second copy. Packets
//! leave
//! - only while the node reports free transmit-queue slots (`queueStatus.free`), less
//!   the frames it has not answered yet;
//! - within the airtime budget (a share of the region's duty cycle);
//! - by [`Class`], highest first, each class within its own airtime share, each
//!   packet marked with its class's priority so the node's own queue sends it in the
//!   same order, and the node's last transmit slots kept for known players' replies:
//!   nothing a stranger, a sync backlog or the beacon queues can hold a known
//!   player's reply back by more than the packet already on air (and the node's own
//!   acks, which the firmware sends first);
//! - within a class, round-robin across destinations, one packet in flight per
//!   destination until the destination acks it, so a long reply cannot starve other
//!   players and the packets of one reply arrive in order.
//!
//! The one time the queue cuts text itself is when the firmware refuses a packet as
//! `TOO_LARGE`: it goes again cut in smaller packets, under new ids.
//!
//! Refusals are retried by policy; a missing public key parks that destination until
//! the node learns its key. No fixed sleeps anywhere: every wait is computed.
//!
//! The queue is bounded (see [`caps`]): a cap per destination and in all refuses a
//! reply whole, a packet older than the age limit is dropped undelivered, and only so
//! many lanes may wait for a public key. A flood of players cannot grow it without end.
//!
//! Work per event is independent of the number of destinations: sendable lanes wait in
//! a ready queue, parked ones in a heap by wake time, and ack deadlines in send order,
//! so a thousand players with a reply in flight cost nothing while they wait.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::time::Duration;

use meshmush_protocol::hops::ReplyHops;
use meshmush_protocol::packets::{BROADCAST, ChannelLoad, PRIMARY_CHANNEL, PacketIds, TextOut};
use meshmush_protocol::proto::{config::lo_ra_config::ModemPreset, routing};
use tokio::time::Instant;

use super::budget::AirtimeBudget;
use super::error::SendError;

mod answers;
mod caps;
mod class;
mod flood_wait;
mod load;
mod relayed;
mod spent;
pub use caps::DropReason;
pub use class::{Class, ClassShares};
pub use load::{FRESH_FOR, MAX_CHANNEL_UTIL, POLITE_CHANNEL_UTIL};

/// How one reply's packets go, beyond their class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOpts {
    /// The packet they answer (`Data.reply_id` on each), if any.
    pub reply_to: Option<u32>,
    /// Their hop limit (and whether they want an ack), when the host chose one for
    /// the destination's distance; `None` sends at the configured hop limit. A DM
    /// below the configured limit that is not delivered goes once more at the
    /// configured limit, at once.
    pub hops: Option<ReplyHops>,
}

/// Transmit slots of the node kept free for [`Class::Known`] (when the node's queue
/// holds more than twice this): lower classes stop short of filling it, so a known
/// player's reply is written at once and the node sends it next (by its priority).
/// Four, because the node's own routing acks for the DMs it hears share its queue.
/// A node says nothing when a slot frees unless it had said it was full, so while a
/// class waits only for these, the link asks it about once a packet's airtime
/// ([`Wait::SlotsKept`]).
const KEPT_FOR_KNOWN: u32 = 4;

/// The window of the airtime budgets, in radio time (the duty cycle's).
const HOUR: Duration = Duration::from_secs(3600);

/// One radio packet waiting to go, or on its way.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub id: u32,
    pub out: TextOut,
    pub attempts: u32,
    /// When the host handed it over: past [`OutboundConfig::max_age`] it is dropped.
    pub queued_at: Instant,
    pub class: Class,
}

/// The settings the queue needs. (No byte budget: packets arrive cut to size.)
#[derive(Debug, Clone)]
pub struct OutboundConfig {
    pub hop_limit: u32,
    pub max_attempts: u32,
    pub ack_timeout: Duration,
    pub retry_delay: Duration,
    /// Multiplies modelled airtime (1.0 real; 0 disables the budget, for simulations).
    pub airtime_scale: f64,
    /// PKI DMs carry extra bytes on air.
    pub pki: bool,
    /// Packets one lane (a destination) may hold, queued and in flight.
    pub max_per_dest: usize,
    /// Packets the whole queue may hold, queued and in flight.
    pub max_total: usize,
    /// How long a packet may wait undelivered before it is dropped.
    pub max_age: Duration,
    /// Lanes that may wait for a public key at once; past this the oldest is dropped.
    pub max_key_parked: usize,
    /// Each class's ceiling, as a fraction of the whole airtime budget.
    pub shares: ClassShares,
    /// A reply to a request heard with hops left waits out the request's flood
    /// (see the `flood_wait` module).
    pub wait_out_floods: bool,
}

/// What became of a chunk, for the link's events.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Delivered {
        dest: u32,
        id: u32,
        /// The hop limit it went with.
        hop_limit: u32,
    },
    /// Given up (or parked, for a missing key); `final_` false means it will retry.
    Failed {
        dest: u32,
        id: u32,
        reason: routing::Error,
        will_retry: bool,
        /// The hop limit of the attempt that failed.
        hop_limit: u32,
    },
    /// Dropped undelivered by the queue's own bounds; never retried.
    Dropped {
        dest: u32,
        id: u32,
        reason: DropReason,
    },
}

/// A lane: a destination, for a broadcast the channel it goes out on, and the class.
/// Every DM of one class to a node shares one lane (DMs go on [`PRIMARY_CHANNEL`]), so
/// its packets keep order.
type Key = (u32, u32, Class);

fn lane_key(dest: u32, channel: u32, class: Class) -> Key {
    (
        dest,
        if dest == BROADCAST {
            channel
        } else {
            PRIMARY_CHANNEL
        },
        class,
    )
}

#[derive(Debug, Default)]
struct Lane {
    pending: VecDeque<Chunk>,
    in_flight: Option<(Chunk, Instant)>,
    parked_until: Option<Instant>,
    awaiting_key: bool,
    /// In the ready queue (so it is never there twice).
    queued: bool,
}

impl Lane {
    /// Could send its next chunk, but for the time it is parked until.
    fn idle_with_work(&self) -> bool {
        self.in_flight.is_none() && !self.awaiting_key && !self.pending.is_empty()
    }
}

/// The queue and its pacing state.
#[derive(Debug)]
pub struct Outbound {
    cfg: OutboundConfig,
    preset: ModemPreset,
    lanes: HashMap<Key, Lane>,
    /// Per class, lanes that may send now, in fair (round-robin) order. Entries may
    /// be stale; each is checked when it reaches the front.
    ready: [VecDeque<Key>; 5],
    /// Lanes waiting for a retry time (lazy: checked when popped).
    parked: BinaryHeap<Reverse<(Instant, Key)>>,
    /// Ack deadlines of chunks in flight, in send order (lazy).
    deadlines: VecDeque<(Instant, u32)>,
    /// Chunks queued or in flight, per class in [`Class::ALL`] order (kept as lanes
    /// change, so reading them costs nothing per destination).
    depths: [usize; 5],
    ids: PacketIds,
    /// The whole share, and each class's part of it.
    budget: AirtimeBudget,
    class_budgets: [AirtimeBudget; 5],
    /// Airtime each class has spent since start.
    class_spent: [Duration; 5],
    /// Slots the node last said were free, less frames it has not answered.
    credits: u32,
    /// The node's transmit queue length (`queueStatus.maxlen`), once it said.
    node_queue: u32,
    unanswered: VecDeque<u32>,
    /// Packet id -> lane, for acks and queue status.
    flying: HashMap<u32, Key>,
    /// When each reply pushed expires, and its lane, in push order (lazy).
    expiries: VecDeque<(Instant, Key)>,
    /// Lanes waiting for a public key, oldest first (lazy: see `awaiting`).
    key_parked: VecDeque<Key>,
    /// Lanes now waiting for a public key.
    awaiting: std::collections::HashSet<Key>,
    /// Packets dropped by the bounds, for the link to report.
    dropped: Vec<Outcome>,
    /// The node's latest channel load, which holds back the classes that can wait.
    load: Option<load::Reading>,
    /// DMs in flight a neighbour was heard relaying (our node's implicit ACK): the
    /// node has stopped its retries; the destination's ACK is awaited until the
    /// instant given (see the `relayed` module).
    relayed: HashMap<u32, Instant>,
    /// Those instants, earliest first (lazy: checked against `relayed`).
    relay_deadlines: BinaryHeap<Reverse<(Instant, u32)>>,
    /// Requests heard with hops left, whose replies wait out their flood.
    floods: flood_wait::Floods,
}

/// When the queue next wants attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Nothing to do until something arrives.
    Idle,
    /// Wake at this instant (budget, retry or ack timeout).
    Until(Instant),
    /// The node's queue is full: ask it for its status (a heartbeat) to learn more.
    NodeFull,
    /// Something could go but for the slots kept for known players: ask the node for
    /// its status about once a packet's airtime ([`Outbound::slot_poll`]), and wake
    /// by the instant given, if any, for the rest.
    SlotsKept(Option<Instant>),
}

impl Outbound {
    pub fn new(cfg: OutboundConfig, budget: AirtimeBudget, ids: PacketIds) -> Self {
        let window = budget.window();
        let class_budgets = Class::ALL
            .map(|c| AirtimeBudget::new(budget.limit().mul_f64(cfg.shares.get(c)), window));
        Self {
            cfg,
            preset: ModemPreset::LongFast,
            lanes: HashMap::new(),
            ready: Default::default(),
            parked: BinaryHeap::new(),
            deadlines: VecDeque::new(),
            depths: [0; 5],
            ids,
            budget,
            class_budgets,
            class_spent: [Duration::ZERO; 5],
            credits: 1,
            node_queue: 0,
            unanswered: VecDeque::new(),
            flying: HashMap::new(),
            expiries: VecDeque::new(),
            key_parked: VecDeque::new(),
            awaiting: std::collections::HashSet::new(),
            dropped: Vec::new(),
            load: None,
            relayed: HashMap::new(),
            relay_deadlines: BinaryHeap::new(),
            floods: Default::default(),
        }
    }

    /// The node reported its channel load (its device metrics).
    pub fn set_load(&mut self, load: ChannelLoad, now: Instant) {
        self.load = Some(load::Reading { load, at: now });
    }

    /// Whether `class` waits for a busy channel now (see the `load` module).
    pub fn held_by_load(&self, class: Class, now: Instant) -> bool {
        self.load.is_some_and(|r| r.holds(class, now))
    }

    /// The node's preset, and the BBS's airtime `limit` per hour of radio time. At an
    /// airtime scale other than 1 (a simulation running faster than the radio), the
    /// window and the limit scale as the costs do, so every share holds in radio time.
    pub fn set_radio(&mut self, preset: ModemPreset, limit: Duration) {
        self.preset = preset;
        let scale = self.cfg.airtime_scale;
        let (window, limit) = if scale > 0.0 {
            (HOUR.mul_f64(scale), limit.mul_f64(scale))
        } else {
            (HOUR, limit)
        };
        self.budget.set_window(window);
        self.budget.set_limit(limit);
        for c in Class::ALL {
            let b = &mut self.class_budgets[c.index()];
            b.set_window(window);
            b.set_limit(limit.mul_f64(self.cfg.shares.get(c)));
        }
    }

    /// Queues one reply's packets for `dest` (a node, or [`BROADCAST`] on `channel`),
    /// in order, behind what that lane already holds; each gets its packet id now.
    /// The packets go as they are, never cut again: the caller has cut them to size
    /// ([`LinkHandle::send_packets`](super::LinkHandle::send_packets) checks that).
    /// Returns the packet ids in sending order; or, when the lane or the whole queue
    /// has no room for all of them, refuses the reply and queues none of it.
    pub fn push(
        &mut self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        now: Instant,
    ) -> Result<Vec<u32>, SendError> {
        self.push_reply(dest, channel, class, packets, SendOpts::default(), now)
    }

    /// As [`push`](Self::push), each packet answering packet `opts.reply_to`
    /// (`Data.reply_id`, which its airtime counts), at `opts.hops` when given.
    pub fn push_reply(
        &mut self,
        dest: u32,
        channel: u32,
        class: Class,
        packets: Vec<String>,
        opts: SendOpts,
        now: Instant,
    ) -> Result<Vec<u32>, SendError> {
        if packets.is_empty() {
            return Ok(Vec::new());
        }
        let key = lane_key(dest, channel, class);
        self.check_room(key, packets.len())?;
        self.expiries.push_back((now + self.cfg.max_age, key));
        let mut ids = Vec::with_capacity(packets.len());
        let hops = match opts.hops {
            Some(h) if dest != BROADCAST => h,
            _ => ReplyHops {
                hop_limit: self.cfg.hop_limit,
                want_ack: dest != BROADCAST,
            },
        };
        let lane = self.lanes.entry(key).or_default();
        for (i, text) in packets.into_iter().enumerate() {
            let id = self.ids.next_id();
            ids.push(id);
            let out = TextOut {
                dest,
                channel,
                text,
                want_ack: hops.want_ack,
                hop_limit: hops.hop_limit,
                priority: if i == 0 {
                    class.first_priority()
                } else {
                    class.priority()
                },
                reply_id: opts.reply_to,
            };
            lane.pending.push_back(Chunk {
                id,
                out,
                attempts: 0,
                queued_at: now,
                class,
            });
        }
        count(&mut self.depths, key, ids.len() as isize);
        if let Some(until) = self.flood_hold(dest, opts.reply_to, now)
            && let Some(lane) = self.lanes.get_mut(&key)
        {
            let at = lane.parked_until.map_or(until, |p| p.max(until));
            lane.parked_until = Some(at);
            self.parked.push(Reverse((at, key)));
        }
        self.schedule(key);
        Ok(ids)
    }

    /// Puts a lane with work in the ready queue, or in the parked heap if it must wait.
    fn schedule(&mut self, key: Key) {
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        if lane.queued || !lane.idle_with_work() {
            return;
        }
        match lane.parked_until {
            Some(t) => self.parked.push(Reverse((t, key))),
            None => {
                lane.queued = true;
                self.ready[key.2.index()].push_back(key);
            }
        }
    }

    /// Moves lanes whose retry time has come into the ready queue.
    fn promote_parked(&mut self, now: Instant) {
        while let Some(&Reverse((t, key))) = self.parked.peek() {
            if t > now {
                break;
            }
            self.parked.pop();
            if let Some(lane) = self.lanes.get_mut(&key)
                && lane.parked_until.is_some_and(|p| p <= now)
            {
                lane.parked_until = None;
                self.schedule(key);
            }
        }
    }

    /// Drops stale keys from the front of `class`'s ready queue; its first sendable
    /// lane.
    fn ready_front(&mut self, class: Class) -> Option<Key> {
        let ready = &mut self.ready[class.index()];
        while let Some(&key) = ready.front() {
            match self.lanes.get_mut(&key) {
                Some(lane) if lane.idle_with_work() && lane.parked_until.is_none() => {
                    return Some(key);
                }
                Some(lane) => {
                    lane.queued = false;
                    ready.pop_front();
                }
                None => {
                    ready.pop_front();
                }
            }
        }
        None
    }

    /// Whether `class` may take one of the node's free transmit slots now: the last
    /// [`KEPT_FOR_KNOWN`] are for known players' replies, once the node has said how
    /// long its queue is (and it is long enough to keep some).
    fn may_take_slot(&self, class: Class) -> bool {
        let keep = if class == Class::Known || self.node_queue <= 2 * KEPT_FOR_KNOWN {
            0
        } else {
            KEPT_FOR_KNOWN
        };
        self.credits > keep
    }

    /// How long after one ask to ask the node for its queue again while a class waits
    /// only for the kept slots (the link asks no sooner than the last ask's answer):
    /// about one full packet's airtime, as a slot frees when a packet leaves the air
    /// (at least 20 ms, not to flood a real node's serial link). A node volunteers its
    /// status only when its queue was full (`MeshService::loop`, src/mesh/MeshService.cpp:
    /// it checks `lastQueueStatus.free == 0`), never at the kept slots, so the link
    /// must ask. With the airtime model off (`airtime_scale` 0: an instant software
    /// mesh) a packet leaves at once, so the next ask goes as soon as the last is
    /// answered: a timer there (1 ms, which Tokio's wheel makes 1-2 ms) let only one
    /// batch of strangers' replies out per tick and held figure 1 near 7,000 `look`/s.
    pub fn slot_poll(&self) -> Duration {
        if self.cfg.airtime_scale <= 0.0 {
            return Duration::ZERO;
        }
        let full = meshmush_protocol::airtime::text_airtime(self.preset, 200, self.cfg.pki);
        full.mul_f64(self.cfg.airtime_scale)
            .max(Duration::from_millis(20))
    }

    /// When the front packet of `class` may go by the airtime budgets (its class's
    /// and the whole share), with the lane and its cost; `None` when the class has
    /// nothing ready.
    fn class_ready_at(&mut self, class: Class, now: Instant) -> Option<(Key, Duration, Instant)> {
        let key = self.ready_front(class)?;
        let cost = self.front_cost(key);
        let at = self.class_budgets[class.index()]
            .ready_at(now, cost)
            .max(self.budget.ready_at(now, cost));
        Some((key, cost, at))
    }

    /// The next chunk that may be written now, with its airtime cost: from the highest
    /// class that has one ready within its share, in fair order within the class.
    pub fn next_ready(&mut self, now: Instant) -> Option<(Chunk, Duration)> {
        if self.credits == 0 {
            return None;
        }
        self.promote_parked(now);
        let (key, cost) = Class::ALL.into_iter().find_map(|class| {
            if !self.may_take_slot(class) || self.held_by_load(class, now) {
                return None;
            }
            let (key, cost, at) = self.class_ready_at(class, now)?;
            (at <= now).then_some((key, cost))
        })?;
        self.ready[key.2.index()].pop_front();
        let lane = self.lanes.get_mut(&key)?;
        lane.queued = false;
        let mut chunk = lane.pending.pop_front()?;
        chunk.attempts += 1;
        lane.in_flight = Some((chunk.clone(), now));
        self.flying.insert(chunk.id, key);
        self.deadlines
            .push_back((now + self.cfg.ack_timeout, chunk.id));
        self.budget.spend(now, cost);
        let class = key.2.index();
        self.class_budgets[class].spend(now, cost);
        self.class_spent[class] += cost;
        self.credits -= 1;
        self.unanswered.push_back(chunk.id);
        Some((chunk, cost))
    }

    /// True when the deadline entry still belongs to the chunk in flight.
    fn live_deadline(&self, deadline: Instant, id: u32) -> bool {
        self.flying
            .get(&id)
            .and_then(|key| self.lanes.get(key))
            .and_then(|l| l.in_flight.as_ref())
            .is_some_and(|(c, sent)| c.id == id && *sent + self.cfg.ack_timeout == deadline)
    }

    /// When the queue next needs attention.
    pub fn wait(&mut self, now: Instant) -> Wait {
        self.promote_parked(now);
        while let Some(&(deadline, id)) = self.deadlines.front() {
            if self.live_deadline(deadline, id) {
                break;
            }
            self.deadlines.pop_front();
        }
        let mut earliest = self.deadlines.front().map(|&(t, _)| t);
        let relay_deadline = self.next_relay_deadline();
        let mut consider = |t: Instant| earliest = Some(earliest.map_or(t, |e| e.min(t)));
        if let Some(&Reverse((t, _))) = self.parked.peek() {
            consider(t);
        }
        if let Some(t) = relay_deadline {
            consider(t);
        }
        if let Some(t) = self.next_expiry() {
            consider(t);
        }
        let mut kept = false;
        for class in Class::ALL {
            let Some((_, _, at)) = self.class_ready_at(class, now) else {
                continue;
            };
            if let Some(reading) = self.load.filter(|r| r.holds(class, now)) {
                // Waits for the channel: until the reading goes stale, or a new one.
                let stale = reading.stale_at();
                earliest = Some(earliest.map_or(stale, |e| e.min(stale)));
                continue;
            }
            if self.credits == 0 {
                return Wait::NodeFull;
            }
            if self.may_take_slot(class) {
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
            } else if at <= now {
                kept = true;
            }
        }
        if kept {
            return Wait::SlotsKept(earliest);
        }
        earliest.map_or(Wait::Idle, Wait::Until)
    }
}

/// `n` more (or fewer) packets queued or in flight in lane `key`, counted in its
/// class's depth.
fn count(depths: &mut [usize; 5], key: Key, n: isize) {
    let d = &mut depths[key.2.index()];
    *d = d.saturating_add_signed(n);
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_depths;
#[cfg(test)]
mod tests_hops;
