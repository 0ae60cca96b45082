//! Per-player state that lives in memory only: when each player last did something,
//! notices waiting to ride on their next reply, their recent posts (for the hourly
//! limit), and the pages of long output waiting behind `more`. It outlives a session's
//! idle timeout (it is keyed by node, not held by the session) but not a restart, and
//! not [`KEPT_AFTER_LAST_SEEN`] of silence: a daemon that runs for months hears many
//! nodes once. Locks are held for a few map operations, never across an await.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How long a node without a session keeps its entries after its last command: longer
/// than any window asked of them (the hourly post limit, mail's "active lately").
/// Forgetting a notice loses nothing: a new session announces unannounced mail anew.
pub const KEPT_AFTER_LAST_SEEN: Duration = Duration::from_secs(3600);

#[derive(Debug, Default)]
struct Inner {
    last_seen: HashMap<u32, Instant>,
    notices: HashMap<u32, Vec<String>>,
    posts: HashMap<u32, VecDeque<Instant>>,
    pages: HashMap<u32, VecDeque<String>>,
}

/// Shared by every session.
#[derive(Debug, Default)]
pub struct Volatile {
    inner: Mutex<Inner>,
}

impl Volatile {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        match self.inner.lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Notes that `node` just sent a command.
    pub fn touch(&self, node: u32) {
        self.with(|i| i.last_seen.insert(node, Instant::now()));
    }

    /// True when `node` sent a command within `window`.
    pub fn active_within(&self, node: u32, window: Duration) -> bool {
        self.with(|i| {
            i.last_seen
                .get(&node)
                .is_some_and(|t| t.elapsed() <= window)
        })
    }

    /// Queues a notice for `node`'s next reply.
    pub fn notify(&self, node: u32, text: String) {
        self.with(|i| i.notices.entry(node).or_default().push(text));
    }

    /// True when notices wait for `node`'s next reply.
    pub fn has_notices(&self, node: u32) -> bool {
        self.with(|i| i.notices.get(&node).is_some_and(|n| !n.is_empty()))
    }

    /// Takes `node`'s pending notices.
    pub fn take_notices(&self, node: u32) -> Vec<String> {
        self.with(|i| i.notices.remove(&node).unwrap_or_default())
    }

    /// Records a post by `node` if fewer than `max` were made in the last hour.
    pub fn allow_post(&self, node: u32, max: u32) -> bool {
        self.with(|i| {
            let q = i.posts.entry(node).or_default();
            while q
                .front()
                .is_some_and(|t| t.elapsed() >= Duration::from_secs(3600))
            {
                q.pop_front();
            }
            if q.len() >= max as usize {
                return false;
            }
            q.push_back(Instant::now());
            true
        })
    }

    /// Replaces `node`'s waiting pages.
    pub fn set_pages(&self, node: u32, pages: VecDeque<String>) {
        self.with(|i| {
            if pages.is_empty() {
                i.pages.remove(&node);
            } else {
                i.pages.insert(node, pages);
            }
        });
    }

    /// Takes up to `n` waiting packets; the flag says whether more remain after them.
    pub fn next_page(&self, node: u32, n: usize) -> Option<(Vec<String>, bool)> {
        self.with(|i| {
            let q = i.pages.get_mut(&node)?;
            let take: Vec<String> = q.drain(..n.min(q.len())).collect();
            let more = !q.is_empty();
            if !more {
                i.pages.remove(&node);
            }
            (!take.is_empty()).then_some((take, more))
        })
    }

    /// Drops `node`'s waiting pages (any command other than `more` does).
    pub fn drop_pages(&self, node: u32) {
        self.with(|i| i.pages.remove(&node));
    }

    /// Forgets every node that has no session (per `has_session`) and sent nothing for
    /// [`KEPT_AFTER_LAST_SEEN`].
    pub fn forget_idle(&self, has_session: impl Fn(u32) -> bool) {
        self.with(|i| {
            let idle = |node: &u32| {
                !has_session(*node)
                    && i.last_seen
                        .get(node)
                        .is_none_or(|t| t.elapsed() >= KEPT_AFTER_LAST_SEEN)
            };
            let gone: Vec<u32> = (i.last_seen.keys())
                .chain(i.notices.keys())
                .chain(i.posts.keys())
                .chain(i.pages.keys())
                .copied()
                .filter(idle)
                .collect();
            for node in gone {
                i.last_seen.remove(&node);
                i.notices.remove(&node);
                i.posts.remove(&node);
                i.pages.remove(&node);
            }
        });
    }

    /// Nodes with any entry.
    pub fn nodes(&self) -> usize {
        self.with(|i| {
            let mut all: Vec<u32> = (i.last_seen.keys())
                .chain(i.notices.keys())
                .chain(i.posts.keys())
                .chain(i.pages.keys())
                .copied()
                .collect();
            all.sort_unstable();
            all.dedup();
            all.len()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn hourly_post_limit_refills() {
        let v = Volatile::default();
        assert!(v.allow_post(1, 2));
        assert!(v.allow_post(1, 2));
        assert!(!v.allow_post(1, 2));
        assert!(v.allow_post(2, 2), "per player");
        tokio::time::advance(Duration::from_secs(3601)).await;
        assert!(v.allow_post(1, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn silent_nodes_without_a_session_are_forgotten() {
        let v = Volatile::default();
        for node in 1..=3 {
            v.touch(node);
            assert!(v.allow_post(node, 1));
            v.notify(node, "New mail from Ann.".into());
            v.set_pages(node, ["more text".to_string()].into());
        }
        tokio::time::advance(Duration::from_secs(1800)).await;
        v.touch(2);
        v.forget_idle(|_| false);
        assert_eq!(v.nodes(), 3, "half an hour of silence keeps everything");
        assert_eq!(v.next_page(1, 1), Some((vec!["more text".into()], false)));

        tokio::time::advance(KEPT_AFTER_LAST_SEEN).await;
        v.forget_idle(|node| node == 3);
        // Node 1 is forgotten: no stale notice, a fresh post allowance.
        assert!(!v.has_notices(1));
        assert!(v.allow_post(1, 1));
        // Node 2 spoke later but not within the hour: forgotten too.
        assert!(!v.has_notices(2));
        assert!(v.next_page(2, 1).is_none());
        // Node 3 still has a session: kept.
        assert!(v.has_notices(3));
        assert_eq!(v.next_page(3, 1), Some((vec!["more text".into()], false)));
    }

    #[test]
    fn pages_drain_in_order() {
        let v = Volatile::default();
        v.set_pages(7, ["a", "b", "c"].map(String::from).into());
        assert_eq!(
            v.next_page(7, 2),
            Some((vec!["a".into(), "b".into()], true))
        );
        assert_eq!(v.next_page(7, 2), Some((vec!["c".into()], false)));
        assert_eq!(v.next_page(7, 2), None);
    }
}
