//! Backoff on wrong passwords (`pw PASS ...`, `password OLD NEW`). A password is the
//! proof a plain packet can carry, and an argon2 check costs the host tens of
//! milliseconds: without a brake, anyone who can forge a node's `from` could grind
//! its password, one packet after another.
//!
//! Failures are counted per [`PwSubject`]: the node the packet names and the account
//! whose password was tried. Each has some free failures (3 for a node, 10 for an
//! account); the failure that uses the last of them locks the subject for
//! [`FIRST_WAIT`], each further one for twice as long as the one before, up to
//! [`MAX_WAIT`]. While either subject is locked, a password is refused without being
//! checked. A right password clears both counters; a subject nobody got wrong for
//! [`FORGOTTEN_AFTER`] is forgotten.
//!
//! A player's account is the record of one node number today, so both subjects of a
//! guess are usually the same number and the node's lock comes first; the account's
//! counter is the backstop should a password ever be tried for an account from
//! elsewhere. Either way the real owner waits out a lock an attacker caused: that is
//! the price of a lock, and the waits are short while a guesser gets a few dozen tries
//! a day.
//!
//! The table is bounded ([`MAX_TRACKED`]): a crowd of forged ids cannot grow it, and
//! when it is full the entry whose last failure is oldest goes first, an unlocked one
//! before a locked one. Time is passed in, so the arithmetic is tested on any clock;
//! the roster passes Tokio's.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// Wrong passwords a node may send before it is locked.
pub const NODE_FREE_FAILURES: u32 = 3;
/// Wrong passwords an account may take before it is locked.
pub const ACCOUNT_FREE_FAILURES: u32 = 10;
/// The first lock's length.
pub const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest lock.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);
/// A subject with no failure for this long is forgotten (its count starts over).
pub const FORGOTTEN_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Subjects tracked at most.
pub const MAX_TRACKED: usize = 4096;

/// Whose failures are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PwSubject {
    /// The node a packet names as its sender.
    Node(u32),
    /// The account (the player record, by its node number) whose password was tried.
    Account(u32),
}

impl PwSubject {
    /// Failures allowed before the first lock.
    pub fn free_failures(self) -> u32 {
        match self {
            Self::Node(_) => NODE_FREE_FAILURES,
            Self::Account(_) => ACCOUNT_FREE_FAILURES,
        }
    }

    /// The node number it names.
    pub fn number(self) -> u32 {
        match self {
            Self::Node(n) | Self::Account(n) => n,
        }
    }
}

/// How long a subject is locked after its `failures`-th failure: nothing before its
/// `free` failures are used, then [`FIRST_WAIT`], doubling with each further failure,
/// at most [`MAX_WAIT`].
pub fn lock_after(failures: u32, free: u32) -> Duration {
    let Some(beyond) = failures.checked_sub(free.max(1)) else {
        return Duration::ZERO;
    };
    // 2^7 × 30 s is past the cap already; a larger shift only risks overflow.
    let factor = 1u32 << beyond.min(16);
    FIRST_WAIT.saturating_mul(factor).min(MAX_WAIT)
}

/// One subject's record.
#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

impl Entry {
    fn wait(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .filter(|t| *t > now)
            .map(|t| t.saturating_duration_since(now))
    }
}

/// One subject as a wizard sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PwLock {
    pub subject: PwSubject,
    pub failures: u32,
    /// Time left on its lock; `None` when it is not locked now.
    pub wait: Option<Duration>,
}

/// The table of failures, bounded.
#[derive(Debug)]
pub struct PwLocks {
    entries: HashMap<PwSubject, Entry>,
    cap: usize,
}

impl Default for PwLocks {
    fn default() -> Self {
        Self::with_cap(MAX_TRACKED)
    }
}

impl PwLocks {
    /// A table tracking at most `cap` subjects.
    pub fn with_cap(cap: usize) -> Self {
        Self {
            entries: HashMap::new(),
            cap: cap.max(1),
        }
    }

    /// The longest time left on the locks of `subjects`, if any is locked.
    pub fn wait(&self, subjects: &[PwSubject], now: Instant) -> Option<Duration> {
        subjects
            .iter()
            .filter_map(|s| self.entries.get(s)?.wait(now))
            .max()
    }

    /// Counts a wrong password against each of `subjects`; the longest lock in force
    /// afterwards, if any.
    pub fn fail(&mut self, subjects: &[PwSubject], now: Instant) -> Option<Duration> {
        for &subject in subjects {
            self.forget_stale(subject, now);
            if !self.entries.contains_key(&subject) && self.entries.len() >= self.cap {
                self.evict(now);
            }
            let entry = self.entries.entry(subject).or_insert(Entry {
                failures: 0,
                last_failure: now,
                locked_until: None,
            });
            entry.failures = entry.failures.saturating_add(1);
            entry.last_failure = now;
            let lock = lock_after(entry.failures, subject.free_failures());
            if !lock.is_zero() {
                entry.locked_until = Some(now + lock);
            }
        }
        self.wait(subjects, now)
    }

    /// A right password: forgets `subjects`.
    pub fn succeed(&mut self, subjects: &[PwSubject]) {
        for s in subjects {
            self.entries.remove(s);
        }
    }

    /// Forgets every subject naming node `number` (a wizard lifting the lock); true if
    /// there was one.
    pub fn clear(&mut self, number: u32) -> bool {
        let before = self.entries.len();
        self.entries.retain(|s, _| s.number() != number);
        self.entries.len() != before
    }

    /// Forgets subjects with no failure for [`FORGOTTEN_AFTER`].
    pub fn forget_idle(&mut self, now: Instant) {
        self.entries
            .retain(|_, e| now.saturating_duration_since(e.last_failure) < FORGOTTEN_AFTER);
    }

    /// Every tracked subject: locked ones first (longest wait first), then by
    /// failures, most first.
    pub fn list(&self, now: Instant) -> Vec<PwLock> {
        let mut out: Vec<PwLock> = self
            .entries
            .iter()
            .filter(|(_, e)| now.saturating_duration_since(e.last_failure) < FORGOTTEN_AFTER)
            .map(|(s, e)| PwLock {
                subject: *s,
                failures: e.failures,
                wait: e.wait(now),
            })
            .collect();
        out.sort_by(|a, b| {
            b.wait
                .cmp(&a.wait)
                .then(b.failures.cmp(&a.failures))
                .then(a.subject.cmp(&b.subject))
        });
        out
    }

    /// Subjects tracked.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn forget_stale(&mut self, subject: PwSubject, now: Instant) {
        if self
            .entries
            .get(&subject)
            .is_some_and(|e| now.saturating_duration_since(e.last_failure) >= FORGOTTEN_AFTER)
        {
            self.entries.remove(&subject);
        }
    }

    /// Makes room for one: the unlocked subject whose last failure is oldest, else the
    /// locked one whose last failure is oldest.
    fn evict(&mut self, now: Instant) {
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(s, e)| (e.wait(now).is_some(), e.last_failure, **s))
            .map(|(s, _)| *s);
        if let Some(s) = oldest {
            self.entries.remove(&s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn three_free_failures_then_doubling_up_to_the_cap() {
        let waits: Vec<u64> = (1..=12)
            .map(|n| lock_after(n, NODE_FREE_FAILURES).as_secs())
            .collect();
        assert_eq!(
            waits,
            [0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        );
        assert_eq!(lock_after(9, ACCOUNT_FREE_FAILURES), Duration::ZERO);
        assert_eq!(lock_after(10, ACCOUNT_FREE_FAILURES), secs(30));
        assert_eq!(lock_after(u32::MAX, NODE_FREE_FAILURES), MAX_WAIT);
    }

    #[test]
    fn a_node_is_locked_after_its_third_failure_until_the_wait_is_over() {
        let t0 = Instant::now();
        let mut t = PwLocks::default();
        let who = [PwSubject::Node(7), PwSubject::Account(7)];
        assert_eq!(t.fail(&who, t0), None);
        assert_eq!(t.fail(&who, t0), None);
        assert_eq!(t.wait(&who, t0), None);
        assert_eq!(t.fail(&who, t0), Some(secs(30)), "the third locks");
        assert_eq!(t.wait(&who, t0 + secs(10)), Some(secs(20)));
        assert_eq!(t.wait(&who, t0 + secs(30)), None, "over at the end");
        assert_eq!(
            t.fail(&who, t0 + secs(30)),
            Some(secs(60)),
            "the fourth doubles it"
        );
        assert_eq!(t.wait(&[PwSubject::Node(8)], t0), None, "per node");
    }

    #[test]
    fn an_account_is_locked_after_ten_failures_whatever_the_nodes() {
        let t0 = Instant::now();
        let mut t = PwLocks::default();
        // Ten nodes each get one wrong password for account 7: no node is locked...
        for n in 0..9 {
            assert_eq!(
                t.fail(&[PwSubject::Node(100 + n), PwSubject::Account(7)], t0),
                None
            );
        }
        // ...but the account is, at the tenth, for a node that never failed too.
        assert_eq!(
            t.fail(&[PwSubject::Node(200), PwSubject::Account(7)], t0),
            Some(secs(30))
        );
        assert_eq!(
            t.wait(&[PwSubject::Node(300), PwSubject::Account(7)], t0),
            Some(secs(30))
        );
        assert_eq!(
            t.wait(&[PwSubject::Node(300), PwSubject::Account(8)], t0),
            None
        );
    }

    #[test]
    fn a_right_password_clears_the_node_and_the_account() {
        let t0 = Instant::now();
        let mut t = PwLocks::default();
        let who = [PwSubject::Node(7), PwSubject::Account(7)];
        for _ in 0..3 {
            t.fail(&who, t0);
        }
        let later = t0 + secs(31);
        assert_eq!(t.wait(&who, later), None);
        t.succeed(&who);
        assert!(t.is_empty());
        assert_eq!(t.fail(&who, later), None, "three free failures again");
        assert_eq!(t.fail(&who, later), None);
        assert_eq!(t.fail(&who, later), Some(secs(30)), "and the first wait");
    }

    #[test]
    fn a_quiet_day_forgets_the_count() {
        let t0 = Instant::now();
        let mut t = PwLocks::default();
        let who = [PwSubject::Node(7)];
        t.fail(&who, t0);
        t.fail(&who, t0);
        let next_day = t0 + FORGOTTEN_AFTER;
        assert_eq!(t.fail(&who, next_day), None, "the count started over");
        t.forget_idle(next_day + FORGOTTEN_AFTER);
        assert!(t.is_empty());
    }

    #[test]
    fn the_table_is_bounded_and_evicts_the_oldest_unlocked_first() {
        let t0 = Instant::now();
        let mut t = PwLocks::with_cap(4);
        let victim = [PwSubject::Node(1)];
        for _ in 0..3 {
            t.fail(&victim, t0);
        }
        for n in 2..=10u32 {
            t.fail(&[PwSubject::Node(n)], t0 + secs(u64::from(n)));
            assert!(t.len() <= 4);
        }
        assert_eq!(t.len(), 4);
        assert_eq!(
            t.wait(&victim, t0 + secs(10)),
            Some(secs(20)),
            "a crowd of forged ids does not lift a lock"
        );
        let listed: Vec<PwSubject> = t.list(t0 + secs(10)).iter().map(|l| l.subject).collect();
        assert_eq!(
            listed,
            [
                PwSubject::Node(1),
                PwSubject::Node(8),
                PwSubject::Node(9),
                PwSubject::Node(10)
            ],
            "the locked one first; the oldest unlocked ones were evicted"
        );
        // When every entry is locked, the oldest goes.
        let mut t = PwLocks::with_cap(2);
        for n in 1..=3u32 {
            for _ in 0..3 {
                t.fail(&[PwSubject::Node(n)], t0 + secs(u64::from(n)));
            }
        }
        assert_eq!(t.wait(&[PwSubject::Node(1)], t0 + secs(3)), None);
        assert!(t.wait(&[PwSubject::Node(3)], t0 + secs(3)).is_some());
    }

    #[test]
    fn a_wizard_clears_a_number() {
        let t0 = Instant::now();
        let mut t = PwLocks::default();
        let who = [PwSubject::Node(7), PwSubject::Account(7)];
        for _ in 0..3 {
            t.fail(&who, t0);
        }
        assert!(t.clear(7));
        assert_eq!(t.wait(&who, t0), None);
        assert!(!t.clear(7));
    }
}
