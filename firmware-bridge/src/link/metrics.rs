//! Counters and gauges the link exposes, readable at any time without locking the
//! link's task (atomics), so an operator's status command or a benchmark can watch it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

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
    per_dest_airtime: Mutex<HashMap<u32, Duration>>,
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
    pub airtime_per_dest: Vec<(u32, Duration)>,
}

pub(crate) fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn set(gauge: &AtomicU64, value: u64) {
    gauge.store(value, Ordering::Relaxed);
}

impl LinkMetrics {
    pub(crate) fn record_airtime(&self, dest: u32, cost: Duration) {
        self.airtime_total_ms
            .fetch_add(cost.as_millis() as u64, Ordering::Relaxed);
        if let Ok(mut map) = self.per_dest_airtime.lock() {
            *map.entry(dest).or_default() += cost;
        }
    }

    pub fn snapshot(&self) -> MetricsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut airtime_per_dest: Vec<_> = self
            .per_dest_airtime
            .lock()
            .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default();
        airtime_per_dest.sort_unstable();
        MetricsSnapshot {
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
            airtime_per_dest,
        }
    }
}
