//! The queue's bounds, so that no sender (a flood of fresh node ids, one chatty player,
//! a node that never learns a key) can grow it without end:
//! - a cap per lane (destination) and in all: a reply that does not fit is refused
//!   whole, before any of it is queued;
//! - an age: a packet that has waited [`OutboundConfig::max_age`] undelivered is
//!   dropped (a reply that late answers a question nobody is waiting on);
//! - a cap on lanes parked for a missing public key: past it, the lane parked longest
//!   is dropped.
//!
//! Every drop is reported as [`Outcome::Dropped`] so the link logs and counts it.

use super::*;

/// Why the queue dropped a packet undelivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// It waited longer than [`OutboundConfig::max_age`].
    Expired,
    /// Its lane waited for a public key, and too many lanes did.
    TooManyParked,
}

impl OutboundConfig {
    /// The bounds a link uses unless told otherwise (see [`super::super::LinkConfig`]).
    pub const DEFAULT_MAX_PER_DEST: usize = 32;
    pub const DEFAULT_MAX_TOTAL: usize = 1024;
    pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(15 * 60);
    pub const DEFAULT_MAX_KEY_PARKED: usize = 64;
}

impl Lane {
    /// Packets queued and in flight.
    pub(super) fn len(&self) -> usize {
        self.pending.len() + usize::from(self.in_flight.is_some())
    }
}

impl Outbound {
    /// Refuses `n` more packets for lane `key` when the lane or the queue is full.
    pub(super) fn check_room(&mut self, key: Key, n: usize) -> Result<(), SendError> {
        let queued = self.lanes.get(&key).map_or(0, Lane::len);
        let cap = self.cfg.max_per_dest;
        if queued + n > cap {
            return Err(SendError::DestinationFull {
                dest: key.0,
                queued,
                cap,
            });
        }
        let cap = self.cfg.max_total;
        if self.depth() + n > cap {
            return Err(SendError::QueueFull {
                queued: self.depth(),
                cap,
            });
        }
        Ok(())
    }

    /// Lanes waiting for a public key now.
    pub fn key_parked_lanes(&self) -> usize {
        self.awaiting.len()
    }

    /// Packets dropped by the bounds since the last call, to report.
    pub fn take_dropped(&mut self) -> Vec<Outcome> {
        std::mem::take(&mut self.dropped)
    }

    /// Lane `key` now waits for a key; past the cap, the lane parked longest goes.
    pub(super) fn note_awaiting_key(&mut self, key: Key) {
        if self.awaiting.insert(key) {
            self.key_parked.push_back(key);
        }
        while self.awaiting.len() > self.cfg.max_key_parked {
            let Some(oldest) = self.key_parked.pop_front() else {
                break;
            };
            if self.awaiting.remove(&oldest) {
                self.drop_lane(oldest, DropReason::TooManyParked);
            }
        }
        // Forget entries of lanes that stopped waiting, so the list stays short.
        while let Some(front) = self.key_parked.front() {
            if self.awaiting.contains(front) {
                break;
            }
            self.key_parked.pop_front();
        }
    }

    /// Drops every packet of lane `key`, queued or in flight.
    fn drop_lane(&mut self, key: Key, reason: DropReason) {
        let Some(mut lane) = self.lanes.remove(&key) else {
            return;
        };
        self.awaiting.remove(&key);
        if let Some((chunk, _)) = lane.in_flight.take() {
            self.flying.remove(&chunk.id);
            lane.pending.push_front(chunk);
        }
        count(&mut self.depths, key, -(lane.pending.len() as isize));
        for chunk in lane.pending {
            self.dropped.push(Outcome::Dropped {
                dest: key.0,
                id: chunk.id,
                reason,
            });
        }
    }

    /// When the oldest reply still queued expires (stale entries are skipped).
    pub(super) fn next_expiry(&mut self) -> Option<Instant> {
        while let Some(&(t, key)) = self.expiries.front() {
            if self.lanes.contains_key(&key) {
                return Some(t);
            }
            self.expiries.pop_front();
        }
        None
    }

    /// Drops every packet that has waited past its age.
    pub(super) fn expire(&mut self, now: Instant) {
        let max_age = self.cfg.max_age;
        let old = |c: &Chunk| c.queued_at + max_age <= now;
        while let Some(&(t, key)) = self.expiries.front() {
            if t > now {
                break;
            }
            self.expiries.pop_front();
            let Some(lane) = self.lanes.get_mut(&key) else {
                continue;
            };
            let mut gone = Vec::new();
            if lane.in_flight.as_ref().is_some_and(|(c, _)| old(c))
                && let Some((chunk, _)) = lane.in_flight.take()
            {
                self.flying.remove(&chunk.id);
                gone.push(chunk.id);
            }
            lane.pending.retain(|c| {
                if old(c) {
                    gone.push(c.id);
                    false
                } else {
                    true
                }
            });
            let empty = lane.len() == 0;
            let gone_n = gone.len() as isize;
            count(&mut self.depths, key, -gone_n);
            self.dropped
                .extend(gone.into_iter().map(|id| Outcome::Dropped {
                    dest: key.0,
                    id,
                    reason: DropReason::Expired,
                }));
            if empty {
                self.lanes.remove(&key);
                self.awaiting.remove(&key);
            } else {
                self.schedule(key);
            }
        }
    }
}
