//! The roster: everything the daemon keeps in memory about each node, in one place with
//! one clock. A reader asking "is this player active, limited, banned, paging?" finds
//! the answer here and nowhere else.
//!
//! Per node: when it last had a command accepted (the one activity clock), its command,
//! post and room-notice limits (one [`TokenBucket`] type for all three), the notices
//! waiting to ride on its next reply, the pages waiting behind `more`, and, while its
//! session runs, its name and room; and the language its player reads, as a session
//! last loaded it, for what is said to the node without its player at hand (the
//! router's refusals, which never wait for the store). Bans and "record changed by a
//! wizard" marks are kept beside them, and the wrong passwords per node and per
//! account (`pwlock.rs`).
//!
//! "Active" means a command within one window, `sessions.notify_active_mins` of the
//! config: room notices, mail notices and `look`'s list of people all use it.
//!
//! The state is in memory only. It outlives a session's idle timeout (it is keyed by
//! node, not held by the session) but not a restart, and not [`KEPT_AFTER_LAST_SEEN`]
//! of silence: a daemon that runs for months hears many nodes once. The lock is a plain
//! mutex held for a few map operations, never across an `.await`.

mod channel;
mod presence;
mod pwlock;
mod rooms;
mod shown;
mod waiting;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use crate::commands::outcome::Shown;
use crate::config::Config;
use crate::ratelimit::{TokenBucket, Verdict};
use meshmush_lang::Lang;
use pwlock::PwLocks;
pub use pwlock::{
    ACCOUNT_FREE_FAILURES, FIRST_WAIT, MAX_TRACKED, MAX_WAIT, NODE_FREE_FAILURES, PwLock,
    PwSubject, lock_after,
};
use rooms::Rooms;
pub use shown::{SHOWN_ON_CHANNEL, SHOWN_PER_NODE};
pub use waiting::Waiting;

/// How long a node without a session keeps its entry after its last command: longer
/// than any window asked of it (the hourly post limit, the active window). Forgetting a
/// notice loses nothing: a new session announces unannounced mail anew.
pub const KEPT_AFTER_LAST_SEEN: Duration = Duration::from_secs(3600);

/// Notices (pages held for a player in do-not-disturb) one node may have waiting.
pub const HELD_MAX: usize = 8;

/// Room notices one player may be sent in a minute; a busy room beyond that is not
/// worth the airtime, and the player can `look`.
pub const NOTICES_PER_MINUTE: u32 = 8;

/// The limits the roster enforces, from the config.
#[derive(Debug, Clone, Copy)]
pub struct RosterLimits {
    /// Commands a node may send in a burst, and sustain per minute.
    pub burst: u32,
    pub per_minute: u32,
    /// Posts a player may make in an hour.
    pub posts_per_hour: u32,
    /// A node counts as active this long after its last command.
    pub active_window: Duration,
    /// Strangers all together: commands in a burst and per minute.
    pub strangers_burst: u32,
    pub strangers_per_minute: u32,
    /// Brand-new players, all together: a burst and per minute.
    pub newcomers_burst: u32,
    pub newcomers_per_minute: u32,
    /// Posts and mails per hour by all new players together.
    pub newcomer_posts_per_hour: u32,
    pub newcomer_mail_per_hour: u32,
    /// Least time between two packets the BBS puts on the channel (see `channel.rs`).
    pub channel_gap: Duration,
}

impl RosterLimits {
    pub fn from_config(cfg: &Config) -> Self {
        Self {
            burst: cfg.limits.burst,
            per_minute: cfg.limits.per_minute,
            posts_per_hour: cfg.bbs.posts_per_hour,
            active_window: cfg.notify_window(),
            strangers_burst: cfg.limits.strangers_burst,
            strangers_per_minute: cfg.limits.strangers_per_minute,
            newcomers_burst: cfg.limits.newcomers_burst,
            newcomers_per_minute: cfg.limits.newcomers_per_minute,
            newcomer_posts_per_hour: cfg.bbs.newcomer_posts_per_hour,
            newcomer_mail_per_hour: cfg.bbs.newcomer_mail_per_hour,
            channel_gap: Duration::from_secs(cfg.bbs.channel_gap_mins.saturating_mul(60)),
        }
    }
}

/// Limits shared by every node: what a crowd of fresh ids can take from the others.
#[derive(Debug)]
struct Shared {
    commands: TokenBucket,
    newcomers: TokenBucket,
    newcomer_posts: TokenBucket,
    newcomer_mail: TokenBucket,
}

impl Shared {
    fn new(l: &RosterLimits, now: Instant) -> Self {
        Self {
            commands: TokenBucket::new(l.strangers_burst, l.strangers_per_minute, now),
            newcomers: TokenBucket::new(l.newcomers_burst, l.newcomers_per_minute, now),
            newcomer_posts: TokenBucket::per_hour(l.newcomer_posts_per_hour, now),
            newcomer_mail: TokenBucket::per_hour(l.newcomer_mail_per_hour, now),
        }
    }
}

/// A shared allowance a new player's action draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newcomer {
    /// A first command from a node with no player record.
    Arrival,
    Post,
    Mail,
}

/// What the router does with one incoming command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    Allow,
    /// Known to be banned: no reply at all.
    Banned,
    /// Over the command limit: tell the sender once, with the wait in seconds.
    Limited {
        retry_after_secs: u64,
    },
    /// Over the limit and already told: say nothing.
    Silent,
    /// Strangers together are over their shared limit: say nothing (a flood is on).
    Busy,
}

/// A player a running session has placed in a room.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub name: String,
    pub room: u64,
    pub last_active: Instant,
}

/// One node's state.
#[derive(Debug)]
struct NodeState {
    /// The last accepted command: the one activity clock.
    last_active: Option<Instant>,
    commands: TokenBucket,
    posts: Option<TokenBucket>,
    room_notices: Option<TokenBucket>,
    /// Name and room, while a session runs.
    place: Option<(String, u64)>,
    /// The language its player reads, as their session last knew it (`presence.rs`).
    lang: Option<Lang>,
    /// Notices to ride on the next reply; `mail` when one of them announces mail.
    notices: Vec<String>,
    mail_notice: bool,
    /// How many of `notices` are held pages (see [`Roster::hold_notice`]).
    held: usize,
    /// Packets waiting behind `more`.
    pages: VecDeque<String>,
    /// Its player was loaded by a session since start: no longer a stranger.
    known: bool,
    /// Until when it was told the BBS is busy for strangers (told once per wait).
    busy_until: Option<Instant>,
    /// When a packet judged an impostor last got its one refusal.
    impostor_told: Option<Instant>,
    /// What the last packets sent to it showed (see `shown.rs`).
    shown: VecDeque<(u32, Shown)>,
}

impl NodeState {
    fn new(limits: &RosterLimits, now: Instant) -> Self {
        Self {
            last_active: None,
            commands: TokenBucket::new(limits.burst, limits.per_minute, now),
            posts: None,
            room_notices: None,
            place: None,
            lang: None,
            notices: Vec::new(),
            mail_notice: false,
            held: 0,
            pages: VecDeque::new(),
            known: false,
            busy_until: None,
            impostor_told: None,
            shown: VecDeque::new(),
        }
    }

    fn active_within(&self, window: Duration, now: Instant) -> bool {
        self.last_active
            .is_some_and(|t| now.saturating_duration_since(t) <= window)
    }
}

#[derive(Debug)]
struct Inner {
    shared: Shared,
    nodes: HashMap<u32, NodeState>,
    rooms: Rooms,
    /// Nodes known to be banned: the router sends them nothing, not even a notice.
    banned: HashSet<u32>,
    /// Players whose stored record another session changed (a ban, new rights): their
    /// session reloads the record before its next command.
    stale: HashSet<u32>,
    /// When the BBS last put a packet on the channel of its own accord.
    channel_last: Option<Instant>,
    /// Wrong passwords per node and per account, bounded.
    pw: PwLocks,
    /// What the last channel packets showed everyone (see `shown.rs`).
    channel_shown: VecDeque<(u32, Shown)>,
}

/// The shared roster; cheap to clone.
#[derive(Clone, Debug)]
pub struct Roster {
    inner: Arc<Mutex<Inner>>,
    limits: RosterLimits,
}

impl Roster {
    pub fn new(limits: RosterLimits) -> Self {
        let inner = Inner {
            shared: Shared::new(&limits, Instant::now()),
            nodes: HashMap::new(),
            rooms: Rooms::default(),
            banned: HashSet::new(),
            stale: HashSet::new(),
            channel_last: None,
            pw: PwLocks::default(),
            channel_shown: VecDeque::new(),
        };
        Self {
            inner: Arc::new(Mutex::new(inner)),
            limits,
        }
    }

    pub fn from_config(cfg: &Config) -> Self {
        Self::new(RosterLimits::from_config(cfg))
    }

    /// The window within which a node counts as active.
    pub fn active_window(&self) -> Duration {
        self.limits.active_window
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn with_node<T>(&self, node: u32, f: impl FnOnce(&mut NodeState, Instant) -> T) -> T {
        let now = Instant::now();
        let limits = self.limits;
        let mut inner = self.lock();
        let state = inner
            .nodes
            .entry(node)
            .or_insert_with(|| NodeState::new(&limits, now));
        f(state, now)
    }

    /// Decides on one command from `node` and, if it is allowed, counts it as activity.
    pub fn admit(&self, node: u32) -> Admit {
        let now = Instant::now();
        let limits = self.limits;
        let mut guard = self.lock();
        let inner = &mut *guard;
        if inner.banned.contains(&node) {
            return Admit::Banned;
        }
        let state = inner
            .nodes
            .entry(node)
            .or_insert_with(|| NodeState::new(&limits, now));
        match state.commands.check(now) {
            Verdict::Allow => {}
            Verdict::RefuseWithNotice => {
                return Admit::Limited {
                    retry_after_secs: state.commands.retry_after().as_secs(),
                };
            }
            Verdict::RefuseSilently => return Admit::Silent,
        }
        if !state.known && inner.shared.commands.check(now) != Verdict::Allow {
            return Admit::Busy;
        }
        let Some(state) = inner.nodes.get_mut(&node) else {
            return Admit::Allow;
        };
        let was = state.last_active.replace(now);
        if let Some((_, room)) = &state.place {
            inner.rooms.reindex(node, *room, was, *room, now);
        }
        Admit::Allow
    }

    /// Whether `node` had a command accepted within the active window.
    pub fn is_active(&self, node: u32) -> bool {
        let now = Instant::now();
        self.lock()
            .nodes
            .get(&node)
            .is_some_and(|s| s.active_within(self.limits.active_window, now))
    }

    /// Records a post by `node` if its hourly allowance has room.
    pub fn allow_post(&self, node: u32) -> bool {
        let per_hour = self.limits.posts_per_hour;
        self.with_node(node, |s, now| {
            let bucket = s
                .posts
                .get_or_insert_with(|| TokenBucket::per_hour(per_hour, now));
            bucket.check(now) == Verdict::Allow
        })
    }

    /// Marks `node` as known: its player is loaded, so its commands no longer draw on
    /// the strangers' shared allowance.
    pub fn mark_known(&self, node: u32) {
        self.with_node(node, |s, _| s.known = true);
    }

    /// Whether a new player may do `what` now, drawing on the allowance all new
    /// players share; counts it if so.
    pub fn allow_newcomer(&self, what: Newcomer) -> bool {
        let now = Instant::now();
        let mut inner = self.lock();
        let shared = &mut inner.shared;
        let bucket = match what {
            Newcomer::Arrival => &mut shared.newcomers,
            Newcomer::Post => &mut shared.newcomer_posts,
            Newcomer::Mail => &mut shared.newcomer_mail,
        };
        bucket.check(now) == Verdict::Allow
    }

    /// Whether one more room notice may go to `node` now (at most
    /// [`NOTICES_PER_MINUTE`]); counts it if so.
    /// Whether `node` should be told the BBS is busy for strangers, for a wait of
    /// `wait`: once, then not again until that wait has passed.
    pub fn tell_busy(&self, node: u32, wait: Duration) -> bool {
        self.with_node(node, |s, now| {
            if s.busy_until.is_some_and(|t| now < t) {
                return false;
            }
            s.busy_until = Some(now + wait);
            true
        })
    }

    /// Whether a packet judged an impostor for `node` gets the one short refusal: at
    /// most once an hour per node, else silence.
    pub fn tell_impostor(&self, node: u32) -> bool {
        const EVERY: Duration = Duration::from_secs(3600);
        self.with_node(node, |s, now| {
            if s.impostor_told
                .is_some_and(|t| now.saturating_duration_since(t) < EVERY)
            {
                return false;
            }
            s.impostor_told = Some(now);
            true
        })
    }

    pub fn allow_room_notice(&self, node: u32) -> bool {
        self.with_node(node, |s, now| {
            let bucket = s.room_notices.get_or_insert_with(|| {
                TokenBucket::new(NOTICES_PER_MINUTE, NOTICES_PER_MINUTE, now)
            });
            bucket.check(now) == Verdict::Allow
        })
    }

    // --- bans and stale records ---

    /// Records whether `node` is banned; a banned node leaves the rooms.
    pub fn set_banned(&self, node: u32, banned: bool) {
        if banned {
            self.leave(node);
            self.lock().banned.insert(node);
        } else {
            self.lock().banned.remove(&node);
        }
    }

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

    // --- wrong passwords ---

    /// Whose failures a password tried by `node` for the account of player `account`
    /// counts against.
    fn pw_subjects(node: u32, account: u32) -> [PwSubject; 2] {
        [PwSubject::Node(node), PwSubject::Account(account)]
    }

    /// How long a password from `node` for `account` must wait before it is checked
    /// at all; `None` when it may be checked now.
    pub fn pw_wait(&self, node: u32, account: u32) -> Option<Duration> {
        let now = Instant::now();
        self.lock().pw.wait(&Self::pw_subjects(node, account), now)
    }

    /// Counts a wrong password from `node` for `account`; the lock in force after it.
    pub fn pw_failed(&self, node: u32, account: u32) -> Option<Duration> {
        let now = Instant::now();
        self.lock().pw.fail(&Self::pw_subjects(node, account), now)
    }

    /// A right password from `node` for `account`: both counts start over.
    pub fn pw_succeeded(&self, node: u32, account: u32) {
        self.lock().pw.succeed(&Self::pw_subjects(node, account));
    }

    /// Every node and account with wrong passwords counted: locked ones first.
    pub fn pw_locks(&self) -> Vec<PwLock> {
        let now = Instant::now();
        self.lock().pw.list(now)
    }

    /// Lifts the locks and counts of node (and account) `number`; true if there were any.
    pub fn pw_clear(&self, number: u32) -> bool {
        self.lock().pw.clear(number)
    }

    // --- forgetting ---

    /// Forgets every node that has no session (per `has_session`), no held pages
    /// waiting, whose command allowance has refilled, and that sent nothing for
    /// [`KEPT_AFTER_LAST_SEEN`];
    /// and wrong passwords no one repeated for a day.
    pub fn forget_idle(&self, has_session: impl Fn(u32) -> bool) {
        let now = Instant::now();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let gone: Vec<u32> = inner
            .nodes
            .iter()
            .filter(|(node, s)| {
                !has_session(**node)
                    && s.held == 0
                    && s.commands.is_full(now)
                    && s.last_active
                        .is_none_or(|t| now.saturating_duration_since(t) >= KEPT_AFTER_LAST_SEEN)
            })
            .map(|(n, _)| *n)
            .collect();
        for node in gone {
            if let Some(s) = inner.nodes.remove(&node)
                && let (Some((_, room)), Some(at)) = (s.place, s.last_active)
            {
                inner.rooms.remove(node, room, at);
            }
        }
        inner.pw.forget_idle(now);
    }

    /// Nodes with an entry.
    pub fn nodes(&self) -> usize {
        self.lock().nodes.len()
    }
}

#[cfg(test)]
mod tests;
