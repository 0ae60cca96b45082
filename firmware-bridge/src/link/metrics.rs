//! Counters and gauges the link exposes, readable at any time without locking the
//! link's task (atomics), so an operator's status command or a benchmark can watch it.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Destinations whose airtime is broken out; past this many, the one with the least
/// airtime is dropped from the breakdown (its airtime stays in the total). A daemon
/// that runs for months sends to more nodes than anyone needs listed.
pub const AIRTIME_DESTS_KEPT: usize = 256;

/// Live figures of one link.
#[derive(Debug, Default)]
pub struct LinkMetrics {
    pub connects: AtomicU64,
    pub disconnects: AtomicU64,
    pub frames_in: AtomicU64,
    pub frames_out: AtomicU64,
    pub bad_frames: AtomicU64,
    pub debug_lines: AtomicU64,
    pub texts_in: AtomicU64,
    pub duplicates: AtomicU64,
    pub dropped_events: AtomicU64,
    pub chunks_sent: AtomicU64,
    pub chunks_delivered: AtomicU64,
    pub chunk_retries: AtomicU64,
    pub send_failures: AtomicU64,
    pub pki_failures: AtomicU64,
    pub queue_refusals: AtomicU64,
    pub queue_depth: AtomicU64,
    pub node_queue_free: AtomicU64,
    pub airtime_hour_ms: AtomicU64,
    pub airtime_total_ms: AtomicU64,
    pub heartbeats: AtomicU64,
    /// Heartbeats answered by the node's `queueStatus`, and their delays, from when each
    /// was due to when its answer was handled (the task's lateness, the write, the
    /// node, the read): how promptly the link serves the node.
    pub heartbeats_answered: AtomicU64,
    pub heartbeat_delay_total_us: AtomicU64,
    pub heartbeat_delay_max_us: AtomicU64,
    /// Routing replies (acks, failures) ignored because they came from neither the packet's destination nor our own node: forged, or at best misrouted.
    pub untrusted_routing: AtomicU64,
    /// Our node's implicit ACKs for DMs (a neighbour relayed one): not counted as
    /// delivered; the destination's own ACK is awaited.
    pub implicit_acks: AtomicU64,
    /// Texts ignored because they claimed to come from node 0, the broadcast address, or our own node.
    pub bogus_senders: AtomicU64,
    /// Replies refused because their destination's lane was full ([`SendError::DestinationFull`](super::SendError::DestinationFull)).
    pub refused_dest_full: AtomicU64,
    /// Replies refused because the whole queue was full ([`SendError::QueueFull`](super::SendError::QueueFull)).
    pub refused_queue_full: AtomicU64,
    /// Packets dropped undelivered because they waited longer than [`LinkConfig::max_age`](super::LinkConfig::max_age).
    pub expired_chunks: AtomicU64,
    /// Packets dropped with their lane because too many lanes waited for a public key (the oldest went).
    pub evicted_parked: AtomicU64,
    /// Times the watchdog asked a quiet node for its config again.
    pub watchdog_probes: AtomicU64,
    /// Connections the watchdog gave up on: the node did not answer the probe in time, or had reset without saying so.
    pub watchdog_resets: AtomicU64,
    /// Writes to the node that did not finish within [`LinkConfig::write_timeout`](super::LinkConfig::write_timeout).
    pub write_timeouts: AtomicU64,
    /// Transmissions the airtime ledger did not get because its keeper was behind
    /// (see [`AirtimeLedger`](super::AirtimeLedger)): a restart would not count them.
    pub airtime_unrecorded: AtomicU64,
    /// Per traffic class, in [`Class::ALL`](super::Class::ALL) order: airtime spent
    /// since start (ms), packets held now, and about how long a full packet queued now
    /// would wait, kept as the moment it could go (`clock_ms` + the wait, so a
    /// reader long after the last update sees the wait shrink; see
    /// [`Outbound::class_wait`](super::Outbound::class_wait)).
    pub class_airtime_ms: [AtomicU64; 5],
    pub class_depth: [AtomicU64; 5],
    pub class_ready_ms: [AtomicU64; 5],
    per_dest_airtime: Mutex<Busiest>,
}

/// A copy of the figures at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricsSnapshot {
    pub connects: u64,
    pub disconnects: u64,
    pub frames_in: u64,
    pub frames_out: u64,
    pub bad_frames: u64,
    pub debug_lines: u64,
    pub texts_in: u64,
    pub duplicates: u64,
    pub dropped_events: u64,
    pub chunks_sent: u64,
    pub chunks_delivered: u64,
    pub chunk_retries: u64,
    pub send_failures: u64,
    pub pki_failures: u64,
    pub queue_refusals: u64,
    pub queue_depth: u64,
    pub node_queue_free: u64,
    pub airtime_hour_ms: u64,
    pub airtime_total_ms: u64,
    pub heartbeats: u64,
    pub heartbeats_answered: u64,
    /// All heartbeat delays added up, and the longest (see
    /// [`LinkMetrics::heartbeats_answered`]).
    pub heartbeat_delay_total: Duration,
    pub heartbeat_delay_max: Duration,
    pub untrusted_routing: u64,
    pub implicit_acks: u64,
    pub bogus_senders: u64,
    pub refused_dest_full: u64,
    pub refused_queue_full: u64,
    pub expired_chunks: u64,
    pub evicted_parked: u64,
    pub watchdog_probes: u64,
    pub watchdog_resets: u64,
    pub write_timeouts: u64,
    pub airtime_unrecorded: u64,
    /// Airtime per destination since the link started, for at most
    /// `AIRTIME_DESTS_KEPT` destinations (the busiest).
    pub airtime_per_dest: Vec<(u32, Duration)>,
    /// Per traffic class (see [`LinkMetrics::class_airtime_ms`]).
    pub class_airtime: [Duration; 5],
    pub class_depth: [u64; 5],
    pub class_wait: [Duration; 5],
}

impl MetricsSnapshot {
    /// Adds another link's figures to these (the longest heartbeat delay is kept, the
    /// rest summed): the figures of several links as one.
    pub fn add(&mut self, other: &MetricsSnapshot) {
        self.connects += other.connects;
        self.disconnects += other.disconnects;
        self.frames_in += other.frames_in;
        self.frames_out += other.frames_out;
        self.bad_frames += other.bad_frames;
        self.debug_lines += other.debug_lines;
        self.texts_in += other.texts_in;
        self.duplicates += other.duplicates;
        self.dropped_events += other.dropped_events;
        self.chunks_sent += other.chunks_sent;
        self.chunks_delivered += other.chunks_delivered;
        self.chunk_retries += other.chunk_retries;
        self.send_failures += other.send_failures;
        self.pki_failures += other.pki_failures;
        self.queue_refusals += other.queue_refusals;
        self.queue_depth += other.queue_depth;
        self.node_queue_free += other.node_queue_free;
        self.airtime_hour_ms += other.airtime_hour_ms;
        self.airtime_total_ms += other.airtime_total_ms;
        self.heartbeats += other.heartbeats;
        self.heartbeats_answered += other.heartbeats_answered;
        self.heartbeat_delay_total += other.heartbeat_delay_total;
        self.heartbeat_delay_max = self.heartbeat_delay_max.max(other.heartbeat_delay_max);
        self.untrusted_routing += other.untrusted_routing;
        self.implicit_acks += other.implicit_acks;
        self.bogus_senders += other.bogus_senders;
        self.refused_dest_full += other.refused_dest_full;
        self.refused_queue_full += other.refused_queue_full;
        self.expired_chunks += other.expired_chunks;
        self.evicted_parked += other.evicted_parked;
        self.watchdog_probes += other.watchdog_probes;
        self.watchdog_resets += other.watchdog_resets;
        self.write_timeouts += other.write_timeouts;
        self.airtime_unrecorded += other.airtime_unrecorded;
        for (dest, cost) in &other.airtime_per_dest {
            match self.airtime_per_dest.iter_mut().find(|(d, _)| d == dest) {
                Some((_, c)) => *c += *cost,
                None => self.airtime_per_dest.push((*dest, *cost)),
            }
        }
        self.airtime_per_dest.sort_unstable();
        for i in 0..5 {
            self.class_airtime[i] += other.class_airtime[i];
            self.class_depth[i] += other.class_depth[i];
            self.class_wait[i] = self.class_wait[i].max(other.class_wait[i]);
        }
    }
}

/// Milliseconds on a process-wide monotonic clock, for moments kept in atomics.
pub fn clock_ms() -> u64 {
    static BASE: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    BASE.get_or_init(std::time::Instant::now)
        .elapsed()
        .as_millis() as u64
}

pub(crate) fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn set(gauge: &AtomicU64, value: u64) {
    gauge.store(value, Ordering::Relaxed);
}

impl LinkMetrics {
    pub(crate) fn record_heartbeat_delay(&self, delay: Duration) {
        let us = delay.as_micros() as u64;
        inc(&self.heartbeats_answered);
        self.heartbeat_delay_total_us
            .fetch_add(us, Ordering::Relaxed);
        self.heartbeat_delay_max_us.fetch_max(us, Ordering::Relaxed);
    }

    pub(crate) fn record_airtime(&self, dest: u32, cost: Duration) {
        self.airtime_total_ms
            .fetch_add(cost.as_millis() as u64, Ordering::Relaxed);
        if let Ok(mut busiest) = self.per_dest_airtime.lock() {
            busiest.add(dest, cost);
        }
    }

    pub fn snapshot(&self) -> MetricsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut airtime_per_dest: Vec<_> = self
            .per_dest_airtime
            .lock()
            .map(|m| m.by_dest.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default();
        airtime_per_dest.sort_unstable();
        let ms = |c: &AtomicU64| Duration::from_millis(get(c));
        MetricsSnapshot {
            class_airtime: self.class_airtime_ms.each_ref().map(ms),
            class_depth: self.class_depth.each_ref().map(get),
            class_wait: self
                .class_ready_ms
                .each_ref()
                .map(|r| Duration::from_millis(get(r).saturating_sub(clock_ms()))),
            connects: get(&self.connects),
            disconnects: get(&self.disconnects),
            frames_in: get(&self.frames_in),
            frames_out: get(&self.frames_out),
            bad_frames: get(&self.bad_frames),
            debug_lines: get(&self.debug_lines),
            texts_in: get(&self.texts_in),
            duplicates: get(&self.duplicates),
            dropped_events: get(&self.dropped_events),
            chunks_sent: get(&self.chunks_sent),
            chunks_delivered: get(&self.chunks_delivered),
            chunk_retries: get(&self.chunk_retries),
            send_failures: get(&self.send_failures),
            pki_failures: get(&self.pki_failures),
            queue_refusals: get(&self.queue_refusals),
            queue_depth: get(&self.queue_depth),
            node_queue_free: get(&self.node_queue_free),
            airtime_hour_ms: get(&self.airtime_hour_ms),
            airtime_total_ms: get(&self.airtime_total_ms),
            heartbeats: get(&self.heartbeats),
            heartbeats_answered: get(&self.heartbeats_answered),
            heartbeat_delay_total: Duration::from_micros(get(&self.heartbeat_delay_total_us)),
            heartbeat_delay_max: Duration::from_micros(get(&self.heartbeat_delay_max_us)),
            untrusted_routing: get(&self.untrusted_routing),
            implicit_acks: get(&self.implicit_acks),
            bogus_senders: get(&self.bogus_senders),
            refused_dest_full: get(&self.refused_dest_full),
            refused_queue_full: get(&self.refused_queue_full),
            expired_chunks: get(&self.expired_chunks),
            evicted_parked: get(&self.evicted_parked),
            watchdog_probes: get(&self.watchdog_probes),
            watchdog_resets: get(&self.watchdog_resets),
            write_timeouts: get(&self.write_timeouts),
            airtime_unrecorded: get(&self.airtime_unrecorded),
            airtime_per_dest,
        }
    }
}

/// Airtime per destination for the [`AIRTIME_DESTS_KEPT`] busiest, also ordered by
/// airtime so the quietest is found without a scan: a packet costs the same with a
/// thousand destinations as with ten.
#[derive(Debug, Default)]
struct Busiest {
    by_dest: HashMap<u32, Duration>,
    by_cost: BTreeSet<(Duration, u32)>,
}

impl Busiest {
    fn add(&mut self, dest: u32, cost: Duration) {
        let before = match self.by_dest.get(&dest) {
            Some(&had) => {
                self.by_cost.remove(&(had, dest));
                had
            }
            None => {
                if self.by_dest.len() >= AIRTIME_DESTS_KEPT
                    && let Some((_, least)) = self.by_cost.pop_first()
                {
                    self.by_dest.remove(&least);
                }
                Duration::ZERO
            }
        };
        let now = before + cost;
        self.by_dest.insert(dest, now);
        self.by_cost.insert((now, dest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_airtime_breakdown_keeps_the_busiest_destinations() {
        let m = LinkMetrics::default();
        let ms = Duration::from_millis;
        for dest in 0..AIRTIME_DESTS_KEPT as u32 {
            m.record_airtime(dest, ms(100 + u64::from(dest)));
        }
        // One more destination: the quietest (0) leaves the breakdown, not the total.
        m.record_airtime(9999, ms(500));
        let s = m.snapshot();
        assert_eq!(s.airtime_per_dest.len(), AIRTIME_DESTS_KEPT);
        assert!(s.airtime_per_dest.iter().all(|(d, _)| *d != 0));
        assert!(s.airtime_per_dest.contains(&(9999, ms(500))));
        let sum: u64 = (0..AIRTIME_DESTS_KEPT as u64).map(|d| 100 + d).sum::<u64>() + 500;
        assert_eq!(s.airtime_total_ms, sum);
        // A kept destination adds up; the next newcomer pushes out the quietest now (1).
        m.record_airtime(1, ms(1000));
        m.record_airtime(3, ms(5));
        m.record_airtime(7777, ms(50));
        let s = m.snapshot();
        assert_eq!(s.airtime_per_dest.len(), AIRTIME_DESTS_KEPT);
        assert!(s.airtime_per_dest.contains(&(1, ms(1101))));
        assert!(s.airtime_per_dest.contains(&(7777, ms(50))));
        assert!(
            s.airtime_per_dest.iter().all(|(d, _)| *d != 2),
            "102 ms, the quietest"
        );
    }
}
