//! Inbound dedupe: a packet repeated by the mesh (rebroadcasts, retransmits) must run
//! once. Remembers the last N `(from, id)` pairs in arrival order.

use std::collections::{HashSet, VecDeque};

/// A bounded window of recently seen `(from, packet id)` pairs.
#[derive(Debug)]
pub struct Dedupe {
    seen: HashSet<(u32, u32)>,
    order: VecDeque<(u32, u32)>,
    capacity: usize,
}

impl Dedupe {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            seen: HashSet::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    /// Records the pair; true when it is new, false for a repeat.
    pub fn first_time(&mut self, from: u32, id: u32) -> bool {
        if !self.seen.insert((from, id)) {
            return false;
        }
        self.order.push_back((from, id));
        if self.order.len() > self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.seen.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_caught_and_window_is_bounded() {
        let mut d = Dedupe::new(2);
        assert!(d.first_time(1, 10));
        assert!(!d.first_time(1, 10));
        assert!(d.first_time(2, 10), "same id from another node is new");
        assert!(d.first_time(1, 11));
        // (1,10) fell out of the window of two.
        assert!(d.first_time(1, 10));
        assert_eq!(d.seen.len(), 2);
    }
}
