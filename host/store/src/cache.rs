//! The world's hot records in memory: objects, what each place holds, and players'
//! states, and players' content progress. A `look` reads a room, its contents and the player's place; with these
//! cached it costs no trip to the blocking pool, and the disk is only touched to
//! write. sled stays the truth: the cache is filled from it and dropped around
//! every write.
//!
//! Coherence: each write clears what it may change and bumps a generation before it
//! starts and again when it ends (even if its caller gives up on it). A read that
//! missed fills the cache only if no write began or ended while it read, so a value
//! read from sled before a write committed is never kept after it.
//!
//! The lock is a plain mutex held for map operations only, never across an `.await`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::progress_records::Progress;
use super::world_records::{Object, Place, PlayerState};

/// Entries each map keeps before it sheds one to make room: a world with tens of
/// thousands of objects, or players, stays correct, only the extra ones are read
/// from disk.
const MAX_ENTRIES: usize = 8192;

#[derive(Default)]
pub(super) struct WorldCache {
    inner: Mutex<Maps>,
}

#[derive(Default)]
struct Maps {
    generation: u64,
    objects: HashMap<u64, Option<Object>>,
    contents: HashMap<Place, Arc<[Object]>>,
    states: HashMap<u32, PlayerState>,
}

/// What a write may change.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scope {
    /// Objects and contents (anything could have moved).
    World,
    /// One player's state.
    Player(u32),
    /// Two players' states.
    Players(u32, u32),
}

/// Proof that a read began at a generation; fills only count if it still holds.
#[derive(Clone, Copy)]
pub(super) struct Ticket(u64);

fn insert_bounded<K: std::hash::Hash + Eq + Copy, V>(map: &mut HashMap<K, V>, k: K, v: V) {
    if map.len() >= MAX_ENTRIES
        && !map.contains_key(&k)
        && let Some(old) = map.keys().next().copied()
    {
        map.remove(&old);
    }
    map.insert(k, v);
}

impl WorldCache {
    fn lock(&self) -> MutexGuard<'_, Maps> {
        // Maps are only changed whole-entry at a time, so a poisoned lock is usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    pub(super) fn object(&self, id: u64) -> Option<Option<Object>> {
        self.lock().objects.get(&id).cloned()
    }

    pub(super) fn fill_object(&self, t: Ticket, id: u64, o: &Option<Object>) {
        let mut m = self.lock();
        if m.generation == t.0 {
            insert_bounded(&mut m.objects, id, o.clone());
        }
    }

    pub(super) fn contents(&self, place: Place) -> Option<Arc<[Object]>> {
        self.lock().contents.get(&place).cloned()
    }

    pub(super) fn fill_contents(&self, t: Ticket, place: Place, v: Arc<[Object]>) {
        let mut m = self.lock();
        if m.generation == t.0 {
            insert_bounded(&mut m.contents, place, v);
        }
    }

    pub(super) fn state(&self, node: u32) -> Option<PlayerState> {
        self.lock().states.get(&node).cloned()
    }

    pub(super) fn fill_state(&self, t: Ticket, s: &PlayerState) {
        let mut m = self.lock();
        if m.generation == t.0 {
            insert_bounded(&mut m.states, s.node, s.clone());
        }
    }

    /// Drops everything and starts a new generation (the database was opened again).
    pub(super) fn clear(&self) {
        let mut m = self.lock();
        m.generation = m.generation.wrapping_add(1);
        m.objects.clear();
        m.contents.clear();
        m.states.clear();
    }

    /// Drops what `scope` covers and starts a new generation.
    pub(super) fn invalidate(&self, scope: Scope) {
        let mut m = self.lock();
        m.generation = m.generation.wrapping_add(1);
        match scope {
            Scope::World => {
                m.objects.clear();
                m.contents.clear();
            }
            Scope::Player(n) => {
                m.states.remove(&n);
            }
            Scope::Players(a, b) => {
                m.states.remove(&a);
                m.states.remove(&b);
            }
        }
    }
}

/// Held across a write: invalidates when the write starts and again when it ends,
/// however it ends (a cancelled caller still leaves the write running to its end,
/// and a stale fill in between is cleared here).
pub(super) struct WriteGuard<'a> {
    cache: &'a WorldCache,
    scope: Scope,
}

impl<'a> WriteGuard<'a> {
    pub(super) fn new(cache: &'a WorldCache, scope: Scope) -> Self {
        cache.invalidate(scope);
        Self { cache, scope }
    }
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        self.cache.invalidate(self.scope);
    }
}

/// Players' content progress, read on every command (see `progress.rs`): the entry
/// is dropped around every write.
#[derive(Default)]
pub(super) struct ProgressCache {
    map: Mutex<HashMap<u32, Progress>>,
}

const CACHED: usize = 8192;

impl ProgressCache {
    pub(super) fn get(&self, node: u32) -> Option<Progress> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&node)
            .cloned()
    }
    pub(super) fn put(&self, p: &Progress) {
        let mut m = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() >= CACHED
            && !m.contains_key(&p.node)
            && let Some(k) = m.keys().next().copied()
        {
            m.remove(&k);
        }
        m.insert(p.node, p.clone());
    }
    /// Drops everything (the database was opened again).
    pub(super) fn clear(&self) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    pub(super) fn drop_node(&self, node: u32) {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ObjectKind;

    #[test]
    fn a_read_that_overlaps_a_write_does_not_fill() {
        let c = WorldCache::default();
        let before = c.ticket();
        {
            let _w = WriteGuard::new(&c, Scope::World);
            // A read that started before the write ends while it runs.
            c.fill_object(before, 1, &Some(Object::new(ObjectKind::Thing, "old", 0)));
            assert!(c.object(1).is_none());
            let during = c.ticket();
            c.fill_object(during, 1, &Some(Object::new(ObjectKind::Thing, "old", 0)));
        }
        assert!(
            c.object(1).is_none(),
            "the write's end drops fills made during it"
        );
        let after = c.ticket();
        c.fill_object(after, 1, &None);
        assert_eq!(c.object(1), Some(None));
    }

    #[test]
    fn a_player_write_drops_only_that_player() {
        let c = WorldCache::default();
        let t = c.ticket();
        for node in [1, 2] {
            c.fill_state(
                t,
                &PlayerState {
                    node,
                    location: 1,
                    home: 1,
                    coins: 0,
                },
            );
        }
        c.invalidate(Scope::Player(1));
        assert!(c.state(1).is_none());
        assert!(c.state(2).is_some());
    }

    #[test]
    fn maps_stay_bounded() {
        let c = WorldCache::default();
        let t = c.ticket();
        for id in 0..(MAX_ENTRIES as u64 + 100) {
            c.fill_object(t, id, &None);
        }
        assert_eq!(c.lock().objects.len(), MAX_ENTRIES);
    }
}
