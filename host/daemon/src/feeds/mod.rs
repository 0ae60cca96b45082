//! Feeds and alerts (`[[feed]]`, issue 30): one task per feed polls its URL every
//! `every_mins` and posts each new entry on its board.
//!
//! - A post is written as any post is (the store's post transaction, which queues it
//!   for the sync peers in the same step, see `meshmush-store`'s `feeds.rs`), as
//!   `NAME (feed)`, fitted to `bbs.post_max_bytes` ([`shape`]). Its sync id is made
//!   from the entry's id, so a BBS that already holds it, from its own poll or from a
//!   peer carrying the same feed, writes nothing.
//! - Entries are remembered by id in the store (`feed_seen`) after their posts are
//!   written: a restart posts nothing again, and a crash between the two is caught by
//!   the sync id.
//! - A CAP alert meeting the feed's `urgent` rule goes to `urgent_board`; it, and any
//!   post on a board marked urgent (`@board urgent`), is announced on the channel as
//!   a player's post there is ([`meshmush_bbs::channel::urgent_text`]): one packet,
//!   taking the channel gap and going as unasked traffic through the delivery path. An
//!   announcement held up by the gap waits in the task (at most
//!   [`PENDING_MAX`], each up to [`ANNOUNCE_LATE`]) and is never sent twice.
//! - A poll that fails is retried after 1, 2, 4, ... minutes, at most the feed's
//!   interval or an hour, whichever is longer; the status page shows each feed's
//!   state. Fetching is bounded by `[feeds]` ([`fetch`]); parsing runs on the blocking
//!   pool; no feed waits on another, and nothing else waits on a feed.

mod fetch;
mod parse;
mod shape;

pub use fetch::{FetchError, Fetcher, MAX_REDIRECTS};
pub use parse::{ParseError, items};
pub use shape::{Item, post_text, uid};

use std::collections::VecDeque;
use std::time::Duration;

use meshmush_firmware_bridge::link::Class;
use meshmush_store::{Board, Post, StoreError};
use sha2::{Digest, Sha256};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::admin::SYSOP_NODE;
use crate::commands::channel::urgent_text_in;
use crate::commands::text::unix_now;
use crate::config::feed::Feed;
use crate::delivery::BUSY_AFTER;
use crate::ops::FeedStatus;
use crate::shared::Shared;

/// Announcements a feed holds while the channel gap keeps them back; past this the
/// oldest is given up (logged).
pub const PENDING_MAX: usize = 8;
/// An announcement not sent within this long is given up (logged): news that late is
/// no longer a warning.
pub const ANNOUNCE_LATE: Duration = Duration::from_secs(3600);
/// How soon to try an announcement again while the link is not up.
const OFF_AIR_RETRY: Duration = Duration::from_secs(60);

/// Why a poll failed.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("board {0:?} does not exist; make it with @board create")]
    NoBoard(String),
    #[error("the store: {0}")]
    Store(#[from] StoreError),
}

/// What one poll did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Polled {
    /// Entries in the document (at most `feeds.max_entries`).
    pub entries: usize,
    /// Posts written, oldest first.
    pub posted: Vec<Post>,
    /// Of those, the ones to announce: urgent alerts, and posts on an urgent board.
    pub announce: Vec<Post>,
    /// New entries not posted: beyond `feeds.max_posts`, or already here by sync.
    pub skipped: usize,
}

/// The wait before retry number `failures` (1 for the first) of a feed polled every
/// `every`: 1, 2, 4, ... minutes, at most `every` or an hour, whichever is longer.
pub fn retry_after(failures: u32, every: Duration) -> Duration {
    let cap = every.max(Duration::from_secs(3600));
    let doubled = 60u64.saturating_mul(1u64 << failures.saturating_sub(1).min(20));
    Duration::from_secs(doubled).min(cap)
}

/// The feed's key in the store's `feed_seen`: its URL's hash, so an edited URL is a
/// new feed and two feeds never share entries.
fn tag(feed: &Feed) -> [u8; 8] {
    let d = Sha256::digest(feed.url.as_bytes());
    let mut t = [0u8; 8];
    t.copy_from_slice(&d[..8]);
    t
}

/// Starts one task per configured feed, on `tasks` until `stop`.
pub fn start(shared: Shared, tasks: &TaskTracker, stop: CancellationToken) {
    let cfg = shared.cfg().clone();
    let feeds = cfg.feeds();
    if feeds.is_empty() {
        return;
    }
    let section = &cfg.feeds;
    let fetcher = match Fetcher::new(
        Duration::from_secs(section.timeout_secs),
        section.max_body_kib.saturating_mul(1024),
    ) {
        Ok(f) => f,
        Err(e) => {
            warn!(error = %e, "cannot make the feeds' HTTP client; feeds are off");
            return;
        }
    };
    info!(feeds = feeds.len(), "feeds on");
    for feed in feeds {
        let span = info_span!("feed", index = feed.index, name = %feed.name);
        tasks.spawn(run(shared.clone(), feed, fetcher.clone(), stop.clone()).instrument(span));
    }
}

/// An urgent post waiting for the channel.
struct Pending {
    post: Post,
    since: Instant,
}

/// One feed's task: polls, posts, announces, until `stop`.
async fn run(shared: Shared, feed: Feed, fetcher: Fetcher, stop: CancellationToken) {
    let every = Duration::from_secs(feed.every_mins.saturating_mul(60));
    let mut status = FeedStatus {
        index: feed.index,
        name: feed.name.clone(),
        kind: feed.kind.name(),
        board: feed.board.clone(),
        next_poll: unix_now(),
        ..Default::default()
    };
    shared.ops.feed(status.clone());
    let mut pending: VecDeque<Pending> = VecDeque::new();
    let mut next_poll = Instant::now();
    loop {
        let retry = announce(&shared, &mut pending).await;
        let wake = retry.map_or(next_poll, |r| next_poll.min(Instant::now() + r));
        tokio::select! {
            _ = tokio::time::sleep_until(wake) => {}
            _ = stop.cancelled() => return,
        }
        if Instant::now() < next_poll {
            continue;
        }
        // A fetch may take `feeds.timeout_secs`: a stop does not wait for it.
        let polled = tokio::select! {
            polled = poll(&shared, &feed, &fetcher) => polled,
            _ = stop.cancelled() => return,
        };
        let wait = match polled {
            Ok(done) => {
                if done.posted.is_empty() {
                    debug!(
                        entries = done.entries,
                        skipped = done.skipped,
                        "feed polled"
                    );
                } else {
                    info!(
                        entries = done.entries,
                        posted = done.posted.len(),
                        skipped = done.skipped,
                        "feed polled"
                    );
                }
                status.failures = 0;
                status.last_error = None;
                status.last_ok = Some(unix_now());
                status.posted += done.posted.len() as u64;
                for post in done.announce {
                    if pending.len() == PENDING_MAX {
                        warn!("too many feed announcements waiting; the oldest is given up");
                        pending.pop_front();
                    }
                    pending.push_back(Pending {
                        post,
                        since: Instant::now(),
                    });
                }
                every
            }
            Err(e) => {
                status.failures = status.failures.saturating_add(1);
                status.last_error = Some(e.to_string());
                let wait = retry_after(status.failures, every);
                warn!(
                    error = %e,
                    failures = status.failures,
                    retry_secs = wait.as_secs(),
                    "feed poll failed; retrying later"
                );
                wait
            }
        };
        next_poll = Instant::now() + wait;
        status.next_poll = unix_now() + wait.as_secs();
        shared.ops.feed(status.clone());
    }
}

/// Polls `feed` once: fetch, parse, post what is new, remember it.
pub async fn poll(shared: &Shared, feed: &Feed, fetcher: &Fetcher) -> Result<Polled, PollError> {
    let body = fetcher.get(&feed.url).await?;
    let (kind, rule, max) = (feed.kind, feed.urgent, shared.cfg().feeds.max_entries);
    let items = tokio::task::spawn_blocking(move || items(kind, &body, rule, max))
        .await
        .map_err(|e| ParseError::Xml(format!("the parser stopped: {e}")))??;
    let store = shared.store();
    let uids: Vec<String> = items.iter().map(|i| uid(feed, i)).collect();
    let unseen = store.feed_unseen(tag(feed), uids.clone()).await?;
    let fresh: Vec<(&Item, &String)> = items
        .iter()
        .zip(&uids)
        .filter(|(_, u)| unseen.contains(u))
        .collect();
    let max_posts = shared.cfg().feeds.max_posts;
    let mut done = Polled {
        entries: items.len(),
        skipped: fresh.len().saturating_sub(max_posts),
        ..Default::default()
    };
    if !fresh.is_empty() {
        let boards = store.boards().await?;
        let find = |name: &str| {
            boards
                .iter()
                .find(|b| b.name.eq_ignore_ascii_case(name))
                .cloned()
                .ok_or_else(|| PollError::NoBoard(name.to_string()))
        };
        // The newest `max_posts`, written oldest first so the board reads in order.
        for (item, uid) in fresh.into_iter().take(max_posts).rev() {
            let board = find(if item.urgent {
                &feed.urgent_board
            } else {
                &feed.board
            })?;
            match write(shared, feed, &board, item, uid.clone()).await? {
                Some(post) => {
                    if item.urgent || board.urgent {
                        done.announce.push(post.clone());
                    }
                    done.posted.push(post);
                }
                None => done.skipped += 1,
            }
        }
    }
    store.mark_feed_seen(tag(feed), uids, unix_now()).await?;
    Ok(done)
}

/// Writes `item` on `board`; `None` if its sync id is here already.
async fn write(
    shared: &Shared,
    feed: &Feed,
    board: &Board,
    item: &Item,
    uid: String,
) -> Result<Option<Post>, StoreError> {
    let cfg = shared.cfg();
    let (subject, text) = post_text(item, cfg.bbs.post_max_bytes);
    let post = Post {
        board: board.name.clone(),
        num: 0,
        author: SYSOP_NODE,
        author_name: feed.author(),
        time: unix_now(),
        subject,
        text,
        reply_to: None,
    };
    let stored = shared
        .store()
        .add_feed_post(post, cfg.bbs.posts_kept, uid)
        .await?;
    if stored.is_none() {
        debug!(board = %board.name, "feed entry held here already (synced)");
    }
    Ok(stored)
}

/// Sends the first waiting announcement if the channel allows; the wait before the
/// next try, or `None` when nothing waits.
async fn announce(shared: &Shared, pending: &mut VecDeque<Pending>) -> Option<Duration> {
    while pending
        .front()
        .is_some_and(|p| p.since.elapsed() > ANNOUNCE_LATE)
    {
        warn!("a feed announcement waited over an hour for the channel; given up");
        pending.pop_front();
    }
    let first = pending.front()?;
    if shared.mesh().me().is_none() {
        return Some(OFF_AIR_RETRY);
    }
    let wait = shared.delivery.class_wait(Class::Unasked);
    if wait > BUSY_AFTER {
        return Some(wait);
    }
    if let Err(wait) = shared.roster().take_channel() {
        return Some(wait.max(Duration::from_secs(1)));
    }
    let cfg = shared.cfg();
    let text = urgent_text_in(cfg.bbs.language(), &first.post, cfg.replies.byte_budget);
    match shared.delivery.broadcast(&text).await {
        Ok(0) => warn!("the link refused a feed announcement"),
        Ok(_) => info!(board = %first.post.board, num = first.post.num, "feed entry announced"),
        Err(_) => return None,
    }
    pending.pop_front();
    (!pending.is_empty()).then_some(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_a_minute_to_the_cap() {
        let every = Duration::from_secs(5 * 60);
        let waits: Vec<u64> = (1..=9)
            .map(|n| retry_after(n, every).as_secs() / 60)
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        let daily = Duration::from_secs(24 * 3600);
        assert_eq!(retry_after(11, daily).as_secs() / 60, 1024);
        assert_eq!(retry_after(12, daily), daily);
        assert_eq!(retry_after(u32::MAX, every), Duration::from_secs(3600));
    }
}
