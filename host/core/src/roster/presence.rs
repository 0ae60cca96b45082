//! Where players are while their session runs: placing, moving and leaving, who is in
//! a room (most recently active first), finding a player by name, and the language
//! each reads.

use meshmush_lang::Lang;
use tokio::time::Instant;

use super::{Inner, NodeState, Roster, Seen};

impl Roster {
    /// Places `node`'s player, called `name`, in `room`.
    pub fn place(&self, node: u32, name: &str, room: u64) {
        let now = Instant::now();
        let limits = self.limits;
        let mut guard = self.lock();
        let inner = &mut *guard;
        let state = inner
            .nodes
            .entry(node)
            .or_insert_with(|| NodeState::new(&limits, now));
        let at = *state.last_active.get_or_insert(now);
        match state.place.replace((name.to_string(), room)) {
            Some((_, old)) => inner.rooms.reindex(node, old, Some(at), room, at),
            None => inner.rooms.insert(node, room, at),
        }
    }

    /// Records that `node`'s player reads `lang` (their session loaded their habits,
    /// or they picked one with `lang CODE`).
    pub fn set_lang(&self, node: u32, lang: Lang) {
        self.with_node(node, |s, _| s.lang = Some(lang));
    }

    /// The language `node`'s player reads, if a session has said so since `node` was
    /// last forgotten; no store is read (the router asks, and never waits for it).
    pub fn lang(&self, node: u32) -> Option<Lang> {
        self.lock().nodes.get(&node).and_then(|s| s.lang)
    }

    /// True when `node` is placed; brings its name up to date.
    pub fn is_placed(&self, node: u32, name: &str) -> bool {
        let mut inner = self.lock();
        let Some((placed, _)) = inner.nodes.get_mut(&node).and_then(|s| s.place.as_mut()) else {
            return false;
        };
        if placed != name {
            *placed = name.to_string();
        }
        true
    }

    /// Moves a placed `node` to `room` (a teleport), keeping its activity.
    pub fn set_room(&self, node: u32, room: u64) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Some(state) = inner.nodes.get_mut(&node) else {
            return;
        };
        let at = state.last_active;
        if let Some((_, old)) = state.place.as_mut() {
            let was = std::mem::replace(old, room);
            if let Some(at) = at {
                inner.rooms.reindex(node, was, Some(at), room, at);
            }
        }
    }

    /// Takes `node` out of the rooms (its session ended, or it was booted).
    pub fn leave(&self, node: u32) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        if let Some(state) = inner.nodes.get_mut(&node) {
            state.room_notices = None;
            if let (Some((_, room)), Some(at)) = (state.place.take(), state.last_active) {
                inner.rooms.remove(node, room, at);
            }
        }
    }

    /// The placed player of `node`.
    pub fn get(&self, node: u32) -> Option<Seen> {
        let inner = self.lock();
        let s = inner.nodes.get(&node)?;
        let (name, room) = s.place.clone()?;
        Some(Seen {
            name,
            room,
            last_active: s.last_active?,
        })
    }

    /// Players in `room` active within the window, by node.
    pub fn in_room(&self, room: u64) -> Vec<(u32, String)> {
        let now = Instant::now();
        let inner = self.lock();
        let from = now.checked_sub(self.limits.active_window);
        let mut out: Vec<(u32, String)> = inner
            .rooms
            .active_in(room, from)
            .filter_map(|n| Some((n, inner.placed_name(n)?)))
            .collect();
        out.sort();
        out
    }

    /// The names of at most `limit` players active in `room` other than `except`, the
    /// most recently active first, and how many there are in all. Costs `limit` plus
    /// the players who went quiet in the room, not everyone in it.
    pub fn sample_room(&self, room: u64, except: u32, limit: usize) -> (Vec<String>, usize) {
        let now = Instant::now();
        let inner = self.lock();
        let from = now.checked_sub(self.limits.active_window);
        let asker_here = inner.nodes.get(&except).is_some_and(|s| {
            s.place.as_ref().is_some_and(|(_, r)| *r == room)
                && s.last_active.is_some_and(|t| from.is_none_or(|f| t >= f))
        });
        let (nodes, total) = inner.rooms.sample(room, from, except, limit);
        let names = nodes
            .into_iter()
            .filter_map(|n| inner.placed_name(n))
            .collect();
        (names, total - usize::from(asker_here))
    }

    /// Everyone placed, by node.
    pub fn everyone(&self) -> Vec<(u32, Seen)> {
        let inner = self.lock();
        let mut out: Vec<(u32, Seen)> = inner
            .nodes
            .iter()
            .filter_map(|(n, s)| {
                let (name, room) = s.place.clone()?;
                Some((
                    *n,
                    Seen {
                        name,
                        room,
                        last_active: s.last_active?,
                    },
                ))
            })
            .collect();
        out.sort_by_key(|(n, _)| *n);
        out
    }

    /// The node of the placed player called `name` (case-insensitive), or the only one
    /// whose name starts with it.
    pub fn find(&self, name: &str) -> Option<(u32, String)> {
        let people: Vec<(u32, String)> = self
            .everyone()
            .into_iter()
            .map(|(n, s)| (n, s.name))
            .collect();
        crate::commands::matching::exact_or_unique_prefix(&people, name, |(_, s)| s.as_str())
            .cloned()
    }
}

impl Inner {
    fn placed_name(&self, node: u32) -> Option<String> {
        self.nodes
            .get(&node)?
            .place
            .as_ref()
            .map(|(n, _)| n.clone())
    }
}
