//! Who is about, and where: a small map shared by every session, so `say` can reach
//! the others in a room, `who` can list players, and notices go only to players who
//! have been active lately (a notice to someone who walked away costs airtime for
//! nothing). In memory only: after a restart, players reappear as they send commands.
//!
//! The lock is a plain mutex, held only for map operations, never across an `.await`.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// One player seen by a running session.
#[derive(Clone, Debug)]
pub struct Seen {
    pub name: String,
    /// The room they are in.
    pub room: u64,
    pub last_active: Instant,
}

/// The shared map; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Presence {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    seen: HashMap<u32, Seen>,
    /// Who is in each room (the same players as `seen`), by when they were last
    /// active: a look names the most recent few and counts the rest without reading
    /// every player in a busy room.
    rooms: HashMap<u64, BTreeSet<(Instant, u32)>>,
    /// Players whose stored record another session changed (a ban, new rights): their
    /// session reloads the record before its next command.
    stale: HashSet<u32>,
    /// Nodes known to be banned: the router sends them nothing, not even a notice.
    banned: HashSet<u32>,
    /// When each node was last sent room notices, for [`Presence::allow_notice`].
    notices: HashMap<u32, VecDeque<Instant>>,
}

/// Room notices one player may be sent in a minute; a busy room beyond that is not
/// worth the airtime, and the player can `look`.
pub const NOTICES_PER_MINUTE: usize = 8;

impl Presence {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that `node` did something, where it was last seen; false if it is not in
    /// the map (booted, or new), and must be [`touch`](Self::touch)ed with its room.
    pub fn active(&self, node: u32, name: &str) -> bool {
        let mut inner = self.lock();
        let Some(seen) = inner.seen.get_mut(&node) else {
            return false;
        };
        if seen.name != name {
            seen.name = name.to_string();
        }
        let room = seen.room;
        inner.refresh(node, room);
        true
    }

    /// Whether one more room notice may go to `node` now (at most
    /// [`NOTICES_PER_MINUTE`]); counts it if so.
    pub fn allow_notice(&self, node: u32) -> bool {
        let now = Instant::now();
        let mut inner = self.lock();
        let sent = inner.notices.entry(node).or_default();
        while sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            sent.pop_front();
        }
        if sent.len() >= NOTICES_PER_MINUTE {
            return false;
        }
        sent.push_back(now);
        true
    }

    /// Records whether `node` is banned.
    pub fn set_banned(&self, node: u32, banned: bool) {
        let mut inner = self.lock();
        if banned {
            inner.banned.insert(node);
            inner.forget(node);
        } else {
            inner.banned.remove(&node);
        }
    }

    /// Whether `node` is known to be banned.
    pub fn is_banned(&self, node: u32) -> bool {
        self.lock().banned.contains(&node)
    }

    /// Marks `node`'s stored player record as changed by someone else.
    pub fn mark_stale(&self, node: u32) {
        self.lock().stale.insert(node);
    }

    /// Whether `node`'s record changed since it was loaded; clears the mark.
    pub fn take_stale(&self, node: u32) -> bool {
        self.lock().stale.remove(&node)
    }

    /// Notes that `node` just did something in `room`.
    pub fn touch(&self, node: u32, name: &str, room: u64) {
        let mut inner = self.lock();
        let seen = inner.seen.entry(node).or_insert_with(|| Seen {
            name: name.to_string(),
            room,
            last_active: Instant::now(),
        });
        if seen.name != name {
            seen.name = name.to_string();
        }
        inner.refresh(node, room);
    }

    /// Moves `node` to `room` without counting it as activity (teleports).
    pub fn set_room(&self, node: u32, room: u64) {
        let mut inner = self.lock();
        if inner.seen.contains_key(&node) {
            inner.place(node, room);
        }
    }

    /// Forgets `node` (its session ended).
    pub fn leave(&self, node: u32) {
        let mut inner = self.lock();
        inner.forget(node);
        inner.notices.remove(&node);
    }

    pub fn get(&self, node: u32) -> Option<Seen> {
        self.lock().seen.get(&node).cloned()
    }

    /// Players in `room` active within `window`, by node.
    pub fn in_room(&self, room: u64, window: Duration) -> Vec<(u32, String)> {
        let now = Instant::now();
        let inner = self.lock();
        let mut out: Vec<(u32, String)> = inner
            .active_in(room, window, now)
            .map(|(n, s)| (n, s.name.clone()))
            .collect();
        out.sort();
        out
    }

    /// The names of at most `limit` players active in `room` within `window` other
    /// than `except`, the most recently active first, and how many there are in all.
    /// Costs `limit` plus the players who went quiet in the room, not everyone in it.
    pub fn sample_room(
        &self,
        room: u64,
        window: Duration,
        except: u32,
        limit: usize,
    ) -> (Vec<String>, usize) {
        let now = Instant::now();
        let inner = self.lock();
        let Some(set) = inner.rooms.get(&room) else {
            return (Vec::new(), 0);
        };
        let from = active_since(now, window);
        let quiet = from.map_or(0, |f| set.range(..(f, 0)).count());
        let asker_here = inner
            .seen
            .get(&except)
            .is_some_and(|s| s.room == room && counts(s.last_active, from));
        let names = set
            .iter()
            .rev()
            .take_while(|(at, _)| counts(*at, from))
            .filter(|(_, n)| *n != except)
            .take(limit)
            .filter_map(|(_, n)| inner.seen.get(n).map(|s| s.name.clone()))
            .collect();
        (names, set.len() - quiet - usize::from(asker_here))
    }

    /// Everyone with a running session, by node.
    pub fn everyone(&self) -> Vec<(u32, Seen)> {
        let mut out: Vec<(u32, Seen)> = self
            .lock()
            .seen
            .iter()
            .map(|(n, s)| (*n, s.clone()))
            .collect();
        out.sort_by_key(|(n, _)| *n);
        out
    }

    /// The node of the online player called `name` (case-insensitive), or the only one
    /// whose name starts with it.
    pub fn find(&self, name: &str) -> Option<(u32, String)> {
        let inner = self.lock();
        let map = &inner.seen;
        let lower = name.to_lowercase();
        if let Some((n, s)) = map.iter().find(|(_, s)| s.name.to_lowercase() == lower) {
            return Some((*n, s.name.clone()));
        }
        let mut hits = map
            .iter()
            .filter(|(_, s)| s.name.to_lowercase().starts_with(&lower));
        match (hits.next(), hits.next()) {
            (Some((n, s)), None) => Some((*n, s.name.clone())),
            _ => None,
        }
    }
}

/// The earliest last activity that still counts as active within `window` (`None`:
/// the window reaches back before the clock began, so every activity counts).
fn active_since(now: Instant, window: Duration) -> Option<Instant> {
    now.checked_sub(window)
}

/// Whether an activity at `at` counts, given [`active_since`].
fn counts(at: Instant, from: Option<Instant>) -> bool {
    from.is_none_or(|f| at >= f)
}

impl Inner {
    /// Marks `node` (already in `seen`) active now, in `room`, keeping the room index
    /// in step.
    fn refresh(&mut self, node: u32, room: u64) {
        let now = Instant::now();
        let Some(seen) = self.seen.get_mut(&node) else {
            return;
        };
        let was = (seen.room, seen.last_active);
        seen.room = room;
        seen.last_active = now;
        self.unindex(node, was.0, was.1);
        self.rooms.entry(room).or_default().insert((now, node));
    }

    /// Puts `node` (already in `seen`) in `room`, keeping its last activity.
    fn place(&mut self, node: u32, room: u64) {
        let Some(seen) = self.seen.get_mut(&node) else {
            return;
        };
        let old = std::mem::replace(&mut seen.room, room);
        let at = seen.last_active;
        self.unindex(node, old, at);
        self.rooms.entry(room).or_default().insert((at, node));
    }

    fn unindex(&mut self, node: u32, room: u64, at: Instant) {
        if let Some(set) = self.rooms.get_mut(&room) {
            set.remove(&(at, node));
            if set.is_empty() {
                self.rooms.remove(&room);
            }
        }
    }

    fn forget(&mut self, node: u32) {
        if let Some(seen) = self.seen.remove(&node) {
            self.unindex(node, seen.room, seen.last_active);
        }
    }

    /// Players in `room` active within `window` of `now`.
    fn active_in(
        &self,
        room: u64,
        window: Duration,
        now: Instant,
    ) -> impl Iterator<Item = (u32, &Seen)> {
        let from = active_since(now, window);
        self.rooms
            .get(&room)
            .into_iter()
            .flat_map(|set| set.iter())
            .skip_while(move |(at, _)| !counts(*at, from))
            .filter_map(|(_, n)| self.seen.get(n).map(|s| (*n, s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn only_recently_active_players_count_as_in_the_room() {
        let p = Presence::default();
        p.touch(1, "Ann", 5);
        tokio::time::advance(Duration::from_secs(120)).await;
        p.touch(2, "Bob", 5);
        p.touch(3, "Cy", 6);
        let names = |v: Vec<(u32, String)>| v.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        assert_eq!(names(p.in_room(5, Duration::from_secs(60))), ["Bob"]);
        assert_eq!(
            names(p.in_room(5, Duration::from_secs(600))),
            ["Ann", "Bob"]
        );
        assert_eq!(p.find("b").map(|f| f.0), Some(2));
        p.leave(2);
        assert!(p.find("bob").is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_room_sample_names_the_most_recent_and_counts_the_rest() {
        let p = Presence::default();
        let window = Duration::from_secs(600);
        for n in 1..=10u32 {
            p.touch(n, &format!("P{n}"), 5);
            tokio::time::advance(Duration::from_secs(1)).await;
        }
        p.touch(11, "Elsewhere", 6);
        let (names, total) = p.sample_room(5, window, 10, 3);
        assert_eq!(names, ["P9", "P8", "P7"]);
        assert_eq!(total, 9, "everyone in room 5 but the asker");
        // Moving out of the room takes a player out of its index.
        p.set_room(9, 6);
        p.leave(8);
        let (names, total) = p.sample_room(5, window, 10, 3);
        assert_eq!(names, ["P7", "P6", "P5"]);
        assert_eq!(total, 7);
        assert_eq!(p.in_room(6, window).len(), 2);
        p.set_banned(11, true);
        assert_eq!(p.in_room(6, window), [(9, "P9".to_string())]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_room_sample_leaves_out_players_gone_quiet() {
        let p = Presence::default();
        let window = Duration::from_secs(60);
        p.touch(1, "Quiet", 5);
        p.touch(4, "Asker", 5);
        tokio::time::advance(Duration::from_secs(120)).await;
        p.touch(2, "Ann", 5);
        p.touch(3, "Bo", 5);
        assert_eq!(p.sample_room(5, window, 3, 6), (vec!["Ann".into()], 1));
        // A quiet asker is not subtracted twice.
        assert_eq!(p.sample_room(5, window, 4, 6).1, 2);
        // Activity brings a player back into the count, at the front.
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(p.active(1, "Quiet"));
        assert_eq!(
            p.sample_room(5, window, 3, 6),
            (vec!["Quiet".into(), "Ann".into()], 2)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn room_notices_are_capped_per_minute() {
        let p = Presence::default();
        for _ in 0..NOTICES_PER_MINUTE {
            assert!(p.allow_notice(1));
        }
        assert!(!p.allow_notice(1));
        assert!(p.allow_notice(2), "per recipient");
        tokio::time::advance(Duration::from_secs(61)).await;
        assert!(p.allow_notice(1));
    }
}
