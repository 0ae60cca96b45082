//! The nodes the MQTT virtual node heard a NodeInfo from, bounded: anyone can publish
//! on a public broker, so a flood of forged NodeInfos must neither grow memory without
//! end nor make us publish without end.
//!
//! - At most [`MAX_HEARD`] nodes. When full, the one heard longest ago that never
//!   proved its key (no PKI packet from it ever decrypted with that key) makes room;
//!   a node whose key was proven is evicted only when every node is proven. So a
//!   flood of forgeries evicts forgeries, not the keys of players who talk to us.
//! - A key the host pinned ([`KeyBook`]) wins over any a NodeInfo announces; else the
//!   first key a node announces stays (as the firmware's NodeDB keeps it). A
//!   different one later is refused.
//! - Our NodeInfo goes back to a node that asks at most once per
//!   [`REPLY_EVERY_NODE`], and to all nodes together at most [`REPLIES_PER_HOUR`]
//!   times an hour.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use meshmush_protocol::proto::User;
use tokio::time::Instant;

use super::keybook::KeyBook;

/// Nodes remembered at most.
pub(super) const MAX_HEARD: usize = 2048;
/// One NodeInfo answer per asking node this often.
pub(super) const REPLY_EVERY_NODE: Duration = Duration::from_secs(3 * 3600);
/// NodeInfo answers to all nodes together, per rolling hour.
pub(super) const REPLIES_PER_HOUR: usize = 30;
const HOUR: Duration = Duration::from_secs(3600);

struct Entry {
    user: User,
    heard: Instant,
    /// A PKI packet from this node decrypted with its key.
    proven: bool,
    replied: Option<Instant>,
}

/// What [`Heard::learn`] made of a NodeInfo.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Learned {
    /// New, or changed (name): tell the link.
    News(User),
    /// Nothing new.
    Same,
}

#[derive(Default)]
pub(super) struct Heard {
    /// The host's pins, which outrank announced keys.
    book: KeyBook,
    nodes: HashMap<u32, Entry>,
    replies: VecDeque<Instant>,
    /// NodeInfos refused for announcing a key other than the node's first.
    pub refused_keys: u64,
}

impl Heard {
    /// Nodes heard, with the host's pins in `book` over any announced key.
    pub fn new(book: KeyBook) -> Self {
        Self {
            book,
            ..Self::default()
        }
    }

    pub fn get(&self, num: u32) -> Option<&User> {
        self.nodes.get(&num).map(|e| &e.user)
    }

    /// The node's 32-byte public key: the one the host pinned, else the one it
    /// announced, if any.
    pub fn key(&self, num: u32) -> Option<Vec<u8>> {
        if let Some(pinned) = self.book.pinned(num) {
            return Some(pinned.to_vec());
        }
        self.get(num)
            .map(|u| u.public_key.clone())
            .filter(|k| k.len() == 32)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, &User)> {
        self.nodes.iter().map(|(&n, e)| (n, &e.user))
    }

    /// A NodeInfo from `num`: remembered (its first key kept), making room if full.
    pub fn learn(&mut self, num: u32, mut user: User, now: Instant) -> Learned {
        let pinned = self.book.pinned(num).map(|k| k.to_vec());
        if let Some(pinned) = pinned.filter(|k| user.public_key != *k) {
            self.refuse_key(num);
            user.public_key = pinned;
        }
        if let Some(e) = self.nodes.get_mut(&num) {
            e.heard = now;
            if e.user.public_key.len() == 32 && user.public_key != e.user.public_key {
                self.refused_keys += 1;
                Self::tell_refused(num, self.refused_keys);
                user.public_key = e.user.public_key.clone();
            }
            if e.user == user {
                return Learned::Same;
            }
            e.user = user.clone();
            return Learned::News(user);
        }
        if self.nodes.len() >= MAX_HEARD {
            self.evict();
        }
        self.nodes.insert(
            num,
            Entry {
                user: user.clone(),
                heard: now,
                proven: false,
                replied: None,
            },
        );
        Learned::News(user)
    }

    /// Counts a NodeInfo refused for announcing a key other than the node's own.
    fn refuse_key(&mut self, num: u32) {
        self.refused_keys += 1;
        Self::tell_refused(num, self.refused_keys);
    }

    /// One line per doubling: a forger's flood is a summary, not a flood.
    fn tell_refused(num: u32, refused: u64) {
        if refused.is_power_of_two() {
            tracing::warn!(
                node = %meshmush_protocol::packets::node_id(num),
                refused,
                "NodeInfo with a different public key refused"
            );
        }
    }

    /// A PKI packet from `num` decrypted with its key: keep it before unproven ones.
    pub fn proven(&mut self, num: u32) {
        if let Some(e) = self.nodes.get_mut(&num) {
            e.proven = true;
        }
    }

    fn evict(&mut self) {
        let victim = self
            .nodes
            .iter()
            .min_by_key(|(_, e)| (e.proven, e.heard))
            .map(|(&n, _)| n);
        if let Some(n) = victim {
            self.nodes.remove(&n);
        }
    }

    /// Whether `num`, which asked for our NodeInfo, may have it now; counts it if so.
    pub fn may_reply(&mut self, num: u32, now: Instant) -> bool {
        while self
            .replies
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= HOUR)
        {
            self.replies.pop_front();
        }
        if self.replies.len() >= REPLIES_PER_HOUR {
            return false;
        }
        let Some(e) = self.nodes.get_mut(&num) else {
            return false;
        };
        if e.replied
            .is_some_and(|t| now.saturating_duration_since(t) < REPLY_EVERY_NODE)
        {
            return false;
        }
        e.replied = Some(now);
        self.replies.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(key: u8) -> User {
        User {
            long_name: format!("n{key}"),
            public_key: vec![key; 32],
            ..Default::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_hosts_pin_outranks_a_key_announced_first() {
        let book = KeyBook::default();
        book.set(7, Some(&[7; 32]));
        let mut h = Heard::new(book.clone());
        // A forger announces node 7 first, with its own key: the pin stays.
        match h.learn(7, user(9), Instant::now()) {
            Learned::News(u) => assert_eq!(u.public_key, vec![7; 32]),
            other => panic!("{other:?}"),
        }
        assert_eq!((h.key(7), h.refused_keys), (Some(vec![7; 32]), 1));
        // The host unpins it (a wizard's repin): the next key announced is used.
        book.set(7, None);
        h.learn(8, user(8), Instant::now());
        assert_eq!(h.key(8), Some(vec![8; 32]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_flood_of_nodeinfos_is_bounded_and_evicts_forgeries_not_proven_keys() {
        let mut h = Heard::default();
        let now = Instant::now();
        h.learn(7, user(7), now);
        h.proven(7);
        for n in 100..(100 + 3 * MAX_HEARD as u32) {
            h.learn(
                n,
                user((n % 200) as u8),
                now + Duration::from_millis(u64::from(n)),
            );
        }
        assert_eq!(h.len(), MAX_HEARD);
        assert_eq!(h.key(7), Some(vec![7; 32]), "the proven key stays");
        // And its first key still wins: a new name is taken, a new key is not.
        match h.learn(7, user(9), now) {
            Learned::News(u) => {
                assert_eq!((u.long_name.as_str(), u.public_key), ("n9", vec![7; 32]))
            }
            Learned::Same => panic!("the new name is news"),
        }
        assert_eq!(h.key(7), Some(vec![7; 32]));
        assert_eq!(h.refused_keys, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn nodeinfo_answers_are_limited_per_node_and_in_all() {
        let mut h = Heard::default();
        let now = Instant::now();
        for n in 0..100 {
            h.learn(n, user(1), now);
        }
        assert!(h.may_reply(0, now));
        assert!(!h.may_reply(0, now), "once per node per period");
        let answered = (1..100).filter(|&n| h.may_reply(n, now)).count();
        assert_eq!(answered, REPLIES_PER_HOUR - 1, "and so many an hour in all");
        let later = now + HOUR;
        assert!(h.may_reply(50, later), "a new hour");
        assert!(
            !h.may_reply(12345, later),
            "never for a node we do not know"
        );
    }
}
