//! What the feed poller (`[[feed]]` in the config) keeps: the entries each feed has
//! shown, so a restart posts nothing twice, and the feed's posts themselves, written
//! with a sync id made from the entry's id so two BBSes carrying the same feed hold
//! one copy each.
//!
//! | tree        | key                                   | value                          |
//! |-------------|---------------------------------------|--------------------------------|
//! | `feed_seen` | feed tag (8 bytes) ++ entry uid (UTF-8) | last poll that showed it (`u64` BE, Unix s) |
//!
//! Bounded: a poll marks at most the entries it looked at (the config's
//! `feeds.max_entries`), and a feed keeps at most [`SEEN_PER_FEED`] records, the ones
//! shown longest ago going first. Entries still in the feed are refreshed by every
//! poll, so they are never the ones that go.

use super::bbs_records::Post;
use super::disk::DiskStore;
use super::error::StoreError;
use super::federation::SyncWrite;
use super::handle::Store;

pub(super) const FEED_SEEN: &str = "feed_seen";

/// The most entries remembered per feed; a hostile feed that shows fresh ids every
/// poll makes us keep this many, no more.
pub const SEEN_PER_FEED: usize = 2000;

fn seen_key(tag: &[u8; 8], uid: &str) -> Vec<u8> {
    let mut k = tag.to_vec();
    k.extend_from_slice(uid.as_bytes());
    k
}

impl Store {
    /// Of `uids` (entries of the feed `tag`), those it has not shown before, in order.
    pub async fn feed_unseen(
        &self,
        tag: [u8; 8],
        uids: Vec<String>,
    ) -> Result<Vec<String>, StoreError> {
        self.blocking(move |db| {
            let seen = db.tree(FEED_SEEN)?;
            let mut out = Vec::new();
            for uid in uids {
                if !seen.contains_key(seen_key(&tag, &uid))? {
                    out.push(uid);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Marks `uids` as shown by the feed `tag` at `now` (Unix seconds), and forgets
    /// that feed's entries shown longest ago beyond [`SEEN_PER_FEED`].
    pub async fn mark_feed_seen(
        &self,
        tag: [u8; 8],
        uids: Vec<String>,
        now: u64,
    ) -> Result<(), StoreError> {
        self.blocking_write(move |db| mark_seen(db, &tag, &uids, now, SEEN_PER_FEED))
            .await
    }

    /// Posts `post` (a feed's entry) under the sync id `uid`, queued for the sync peers
    /// in the same transaction as any post; `None` (nothing written) if `uid` is held
    /// here already: posted by an earlier poll, or synced from a peer carrying the
    /// same feed.
    pub async fn add_feed_post(
        &self,
        post: Post,
        keep: usize,
        uid: String,
    ) -> Result<Option<Post>, StoreError> {
        let sync = SyncWrite {
            uid,
            origin: None,
            to: self.sync_peers(),
            time: post.time,
            cap: self.outbox_cap(),
            via: None,
        };
        let stored = self.put_post(post, keep, Some(sync)).await?;
        if stored.is_some() {
            self.queued_for_sync();
        }
        Ok(stored)
    }
}

fn mark_seen(
    db: &DiskStore,
    tag: &[u8; 8],
    uids: &[String],
    now: u64,
    cap: usize,
) -> Result<(), StoreError> {
    let seen = db.tree(FEED_SEEN)?;
    let mut batch = sled::Batch::default();
    for uid in uids {
        batch.insert(seen_key(tag, uid), &now.to_be_bytes());
    }
    seen.apply_batch(batch)?;
    let mut all: Vec<(u64, sled::IVec)> = Vec::new();
    for item in seen.scan_prefix(tag) {
        let (k, v) = item?;
        let at = <[u8; 8]>::try_from(v.as_ref()).map_or(0, u64::from_be_bytes);
        all.push((at, k));
    }
    if all.len() > cap {
        all.sort();
        let mut batch = sled::Batch::default();
        for (_, k) in &all[..all.len() - cap] {
            batch.remove(k.clone());
        }
        seen.apply_batch(batch)?;
    }
    db.flush_if_configured()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    fn uids(r: std::ops::Range<u32>) -> Vec<String> {
        r.map(|n| format!("entry-{n}")).collect()
    }

    #[tokio::test]
    async fn seen_entries_survive_reopening_and_feeds_are_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        let (a, b) = (*b"feed-a..", *b"feed-b..");
        assert_eq!(store.feed_unseen(a, uids(0..3)).await.unwrap(), uids(0..3));
        store.mark_feed_seen(a, uids(0..2), 100).await.unwrap();
        store.close().await.unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.feed_unseen(a, uids(0..3)).await.unwrap(), uids(2..3));
        assert_eq!(store.feed_unseen(b, uids(0..3)).await.unwrap(), uids(0..3));
    }

    #[tokio::test]
    async fn a_feed_keeps_at_most_its_cap_and_forgets_the_longest_unshown() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        let tag = *b"feed-a..";
        let (u1, u2) = (uids(0..5), uids(5..10));
        store
            .blocking_write(move |db| {
                mark_seen(db, &tag, &u1, 100, 6)?;
                // Entry 0 is still in the feed a poll later: refreshed, so kept.
                mark_seen(db, &tag, &["entry-0".to_string()], 200, 6)?;
                mark_seen(db, &tag, &u2, 300, 6)
            })
            .await
            .unwrap();
        let unseen = store.feed_unseen(tag, uids(0..10)).await.unwrap();
        assert_eq!(unseen, uids(1..5), "the four shown longest ago went");
    }
}
