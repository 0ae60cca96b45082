//! Who is in each room, ordered by when they were last active, so `look` can name the
//! most recent few and count the rest without reading every player in a busy room.
//! Kept in step with the roster's node states by the roster alone.

use std::collections::{BTreeSet, HashMap};

use tokio::time::Instant;

#[derive(Debug, Default)]
pub(super) struct Rooms {
    rooms: HashMap<u64, BTreeSet<(Instant, u32)>>,
}

/// Whether an activity at `at` counts, given the earliest that does (`None`: the
/// window reaches back before the clock began, so every activity counts).
fn counts(at: Instant, from: Option<Instant>) -> bool {
    from.is_none_or(|f| at >= f)
}

impl Rooms {
    pub(super) fn insert(&mut self, node: u32, room: u64, at: Instant) {
        self.rooms.entry(room).or_default().insert((at, node));
    }

    pub(super) fn remove(&mut self, node: u32, room: u64, at: Instant) {
        if let Some(set) = self.rooms.get_mut(&room) {
            set.remove(&(at, node));
            if set.is_empty() {
                self.rooms.remove(&room);
            }
        }
    }

    /// Moves `node`'s entry from (`old`, `was`) to (`room`, `at`).
    pub(super) fn reindex(
        &mut self,
        node: u32,
        old: u64,
        was: Option<Instant>,
        room: u64,
        at: Instant,
    ) {
        if let Some(was) = was {
            self.remove(node, old, was);
        }
        self.insert(node, room, at);
    }

    /// Nodes in `room` active since `from`, oldest activity first.
    pub(super) fn active_in(
        &self,
        room: u64,
        from: Option<Instant>,
    ) -> impl Iterator<Item = u32> + '_ {
        self.rooms
            .get(&room)
            .into_iter()
            .flat_map(|set| set.iter())
            .skip_while(move |(at, _)| !counts(*at, from))
            .map(|(_, n)| *n)
    }

    /// At most `limit` nodes active in `room` since `from`, other than `except`, most
    /// recent first; and how many are active there in all (`except` included).
    pub(super) fn sample(
        &self,
        room: u64,
        from: Option<Instant>,
        except: u32,
        limit: usize,
    ) -> (Vec<u32>, usize) {
        let Some(set) = self.rooms.get(&room) else {
            return (Vec::new(), 0);
        };
        let quiet = from.map_or(0, |f| set.range(..(f, 0)).count());
        let nodes = set
            .iter()
            .rev()
            .take_while(|(at, _)| counts(*at, from))
            .filter(|(_, n)| *n != except)
            .take(limit)
            .map(|(_, n)| *n)
            .collect();
        (nodes, set.len() - quiet)
    }
}
