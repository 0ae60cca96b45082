//! Boards, posts, read markers and mail: the BBS records and their async API.
//!
//! Keys are laid out so every command is a short prefix or range scan, never a scan of
//! a whole board: posts are `board \0 num_be`, so the newest N are a reverse scan and
//! "unread" is a range after the player's marker; mail is `to_node_be id_be`.

use sled::Tree;

use super::bbs_records::{Board, Mail, Post, ReadMarker};
use super::bbs_trees::{
    BOARD_COUNTS, board_key, mail_key, marker_key, post_key, post_prefix, read_count,
    remove_post_keys,
};
use super::disk::{DiskStore, get};
use super::error::StoreError;
use super::federation::{Held, SyncTx, SyncWrite, insert_mail, queue_deletion};
use super::handle::Store;
use super::handle::SyncPeers;
use super::records::{Versioned, decode, encode, node_key};
use crate::sync_item::SyncItem;

/// Unread posts are counted up to this many; the listing shows "99+" beyond.
pub const UNREAD_CAP: usize = 100;

fn decode_all<R: Versioned>(
    iter: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
) -> Result<Vec<R>, StoreError> {
    iter.map(|item| {
        let (k, v) = item?;
        decode::<R>(&k, &v)
    })
    .collect()
}

/// Stores a mail (the id is assigned here), queued for the sync `peers` when its
/// recipient has no player here: for the meshmush peer that heard the recipient most
/// recently alone if one did (see `routing.rs`), else for all; not flushed.
pub(super) fn store_mail(
    db: &DiskStore,
    mail: Mail,
    peers: &SyncPeers,
) -> Result<Mail, StoreError> {
    let away = !peers.all.is_empty() && db.player(mail.to)?.is_none();
    let sync = if away {
        let (to, via) = super::routing::route(db, peers, mail.to, mail.time)?;
        Some(SyncWrite {
            uid: crate::sync_item::new_uid(),
            origin: None,
            to,
            time: mail.time,
            cap: peers.cap,
            via,
        })
    } else {
        None
    };
    insert_mail(db, mail, sync.as_ref())?.ok_or_else(|| StoreError::Corrupt {
        tree: "sync_ids",
        key: String::new(),
        reason: "a fresh unique id was already taken".into(),
    })
}

fn marker(markers: &Tree, node: u32, board: &str) -> Result<ReadMarker, StoreError> {
    Ok(get(markers, &marker_key(node, board))?.unwrap_or_default())
}

/// Numbers of the posts after `m`'s high-water mark that `m` has not read, oldest first.
fn unread<'a>(
    posts: &Tree,
    board: &str,
    m: &'a ReadMarker,
) -> impl Iterator<Item = Result<u64, StoreError>> + 'a {
    posts_after(posts, board, m.upto)
        .keys()
        .map(|k| {
            let k = k?;
            let tail = k
                .len()
                .checked_sub(8)
                .and_then(|at| <[u8; 8]>::try_from(&k[at..]).ok());
            tail.map(u64::from_be_bytes)
                .ok_or_else(|| StoreError::Corrupt {
                    tree: "posts",
                    key: String::from_utf8_lossy(&k).into_owned(),
                    reason: "key without a post number".into(),
                })
        })
        .filter(move |n| n.as_ref().map_or(true, |n| !m.has_read(*n)))
}

/// Posts after number `after` on `board`, oldest first.
fn posts_after(posts: &Tree, board: &str, after: u64) -> sled::Iter {
    posts.range(post_key(board, after.saturating_add(1))..post_prefix_end(board))
}

fn post_prefix_end(board: &str) -> Vec<u8> {
    let mut k = board_key(board);
    k.push(1);
    k
}

impl DiskStore {
    /// Boards, posts, mail and read markers as export lines.
    pub(super) fn bbs_export_lines(&self) -> Result<Vec<String>, StoreError> {
        let mut lines = Vec::new();
        for b in decode_all::<Board>(self.tree_of::<Board>()?.iter())? {
            lines.push(super::export::board_line(&b)?);
        }
        for p in decode_all::<Post>(self.tree_of::<Post>()?.iter())? {
            lines.push(super::export::post_line(&p)?);
        }
        for m in decode_all::<Mail>(self.tree_of::<Mail>()?.iter())? {
            lines.push(super::export::mail_line(&m)?);
        }
        for item in self.tree_of::<ReadMarker>()?.iter() {
            let (k, v) = item?;
            let m: ReadMarker = decode(&k, &v)?;
            // The key is node (4 bytes) then board name.
            let board = k.get(4..).unwrap_or_default();
            let node = k
                .get(..4)
                .map(super::records::node_label)
                .unwrap_or_default();
            let label = format!("{node}/{}", String::from_utf8_lossy(board));
            lines.push(super::export::marker_line(label.as_bytes(), &m)?);
        }
        Ok(lines)
    }

    pub(super) fn put<R: Versioned>(&self, key: &[u8], record: &R) -> Result<(), StoreError> {
        self.tree_of::<R>()?.insert(key, encode(key, record)?)?;
        Ok(())
    }
}

/// A board with what one player has not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardSummary {
    pub board: Board,
    pub total: usize,
    /// Counted up to [`UNREAD_CAP`].
    pub unread: usize,
}

impl Store {
    /// Creates the boards in `defaults` that do not exist yet.
    pub async fn ensure_boards(&self, defaults: Vec<Board>) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let boards = db.tree_of::<Board>()?;
            for b in &defaults {
                let key = board_key(&b.name);
                if boards.get(&key)?.is_none() {
                    db.put(&key, b)?;
                }
            }
            db.flush_if_configured()
        })
        .await
    }

    /// Every board, by name.
    pub async fn boards(&self) -> Result<Vec<Board>, StoreError> {
        self.blocking(|db| decode_all(db.tree_of::<Board>()?.iter()))
            .await
    }

    /// Creates or replaces a board record.
    pub async fn put_board(&self, board: Board) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.put(&board_key(&board.name), &board)?;
            db.flush_if_configured()
        })
        .await
    }

    /// Removes a board and all its posts.
    pub async fn remove_board(&self, name: String) -> Result<usize, StoreError> {
        self.blocking_write(move |db| {
            let keys: Vec<sled::IVec> = db
                .tree_of::<Post>()?
                .scan_prefix(post_prefix(&name))
                .keys()
                .collect::<Result<_, _>>()?;
            let n = remove_post_keys(db, &name, &keys)?;
            db.tree_of::<Board>()?.remove(board_key(&name))?;
            db.tree(BOARD_COUNTS)?.remove(board_key(&name))?;
            db.flush_if_configured()?;
            Ok(n)
        })
        .await
    }

    /// Boards with total and unread counts for `node`.
    pub async fn board_summaries(&self, node: u32) -> Result<Vec<BoardSummary>, StoreError> {
        self.blocking(move |db| {
            let posts = db.tree_of::<Post>()?;
            let markers = db.tree_of::<ReadMarker>()?;
            let counts = db.tree(BOARD_COUNTS)?;
            let boards: Vec<Board> = decode_all(db.tree_of::<Board>()?.iter())?;
            boards
                .into_iter()
                .map(|board| {
                    let seen = marker(&markers, node, &board.name)?;
                    let total = read_count(counts.get(board_key(&board.name))?) as usize;
                    let unread = unread(&posts, &board.name, &seen)
                        .take(UNREAD_CAP)
                        .collect::<Result<Vec<_>, _>>()?
                        .len();
                    Ok(BoardSummary {
                        board,
                        total,
                        unread,
                    })
                })
                .collect()
        })
        .await
    }

    /// Adds a post under the board's next number and expires the oldest posts beyond
    /// `keep`. Durable before it returns. With sync peers set, it gets a unique id and
    /// is queued for them in the same transaction.
    pub async fn add_post(&self, post: Post, keep: usize) -> Result<Post, StoreError> {
        let peers = self.sync_peers();
        let sync = (!peers.is_empty()).then(|| SyncWrite {
            uid: crate::sync_item::new_uid(),
            origin: None,
            to: peers,
            time: post.time,
            cap: self.outbox_cap(),
            via: None,
        });
        let stored = self.put_post(post, keep, sync).await?;
        self.queued_for_sync();
        stored.ok_or_else(|| StoreError::Corrupt {
            tree: "sync_ids",
            key: String::new(),
            reason: "a fresh unique id was already taken".into(),
        })
    }

    pub(super) async fn put_post(
        &self,
        post: Post,
        keep: usize,
        sync: Option<SyncWrite>,
    ) -> Result<Option<Post>, StoreError> {
        self.blocking_write(move |db| {
            let posts = db.tree_of::<Post>()?;
            let bkey = board_key(&post.board);
            let Some(post) = insert_post(db, &bkey, &post, sync.as_ref())? else {
                return Ok(None);
            };
            // Keep the newest `keep` post numbers: what falls below expires. A range
            // from the board's start, so this touches only the expiring keys.
            let keep = keep.max(1) as u64;
            if post.num > keep {
                let expired: Vec<sled::IVec> = posts
                    .range(post_prefix(&post.board)..post_key(&post.board, post.num - keep + 1))
                    .keys()
                    .collect::<Result<_, _>>()?;
                remove_post_keys(db, &post.board, &expired)?;
            }
            db.flush_if_configured()?;
            Ok(Some(post))
        })
        .await
    }

    /// The newest `n` posts of a board, newest first.
    pub async fn newest_posts(&self, board: String, n: usize) -> Result<Vec<Post>, StoreError> {
        self.blocking(move |db| {
            decode_all(
                db.tree_of::<Post>()?
                    .scan_prefix(post_prefix(&board))
                    .rev()
                    .take(n),
            )
        })
        .await
    }

    /// At most `n` posts of a board numbered above `after`, oldest first (what a
    /// reader who has seen up to `after` has not).
    pub async fn posts_after(
        &self,
        board: String,
        after: u64,
        n: usize,
    ) -> Result<Vec<Post>, StoreError> {
        self.blocking(move |db| {
            if after == u64::MAX {
                return Ok(Vec::new());
            }
            decode_all(posts_after(&db.tree_of::<Post>()?, &board, after).take(n))
        })
        .await
    }

    pub async fn post(&self, board: String, num: u64) -> Result<Option<Post>, StoreError> {
        self.blocking(move |db| get(&db.tree_of::<Post>()?, &post_key(&board, num)))
            .await
    }

    /// Deletes a post; false if there was none. A post that took part in sync has
    /// its deletion queued for the sync peers first.
    pub async fn delete_post(&self, board: String, num: u64) -> Result<bool, StoreError> {
        let (peers, cap) = (self.sync_peers(), self.outbox_cap());
        let gone = self
            .blocking_write(move |db| {
                let local = super::federation::post_ref(&board, num);
                queue_deletion(db, &local, peers, cap, true)?;
                let gone = remove_post_keys(db, &board, &[post_key(&board, num).into()])? > 0;
                db.flush_if_configured()?;
                Ok(gone)
            })
            .await;
        self.queued_for_sync();
        gone
    }

    /// Records that `node` has read post `num` of `board`.
    pub async fn mark_read(&self, node: u32, board: String, num: u64) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let markers = db.tree_of::<ReadMarker>()?;
            let mut m = marker(&markers, node, &board)?;
            if m.mark(num) {
                db.put(&marker_key(node, &board), &m)?;
                db.flush_if_configured()?;
            }
            Ok(())
        })
        .await
    }

    /// The oldest unread post on any of `boards` for `node`.
    pub async fn next_unread(
        &self,
        node: u32,
        boards: Vec<String>,
    ) -> Result<Option<Post>, StoreError> {
        self.blocking(move |db| {
            let posts = db.tree_of::<Post>()?;
            let markers = db.tree_of::<ReadMarker>()?;
            let mut best: Option<Post> = None;
            for board in &boards {
                let seen = marker(&markers, node, board)?;
                if let Some(num) = unread(&posts, board, &seen).next() {
                    let key = post_key(board, num?);
                    let Some(post) = get::<Post>(&posts, &key)? else {
                        continue;
                    };
                    if best
                        .as_ref()
                        .is_none_or(|b| (post.time, post.num) < (b.time, b.num))
                    {
                        best = Some(post);
                    }
                }
            }
            Ok(best)
        })
        .await
    }

    /// Up to `n` player names most like `word` (for "did you mean"): only for a name
    /// that matched nobody, and bounded however many players there are (see
    /// `DiskStore::players_like`).
    pub async fn players_like(&self, word: String, n: usize) -> Result<Vec<String>, StoreError> {
        self.blocking(move |db| db.players_like(&word, n)).await
    }

    /// `node`'s mailbox, oldest first.
    pub async fn mailbox(&self, node: u32) -> Result<Vec<Mail>, StoreError> {
        self.blocking(move |db| decode_all(db.tree_of::<Mail>()?.scan_prefix(node_key(node))))
            .await
    }

    /// Delivers a mail (the id is assigned here). Durable before it returns. With
    /// sync peers set, mail to a node that has no player here is queued for them.
    pub async fn send_mail(&self, mail: Mail) -> Result<Mail, StoreError> {
        let peers = self.sync_setup();
        let sent = self
            .blocking_write(move |db| {
                let stored = store_mail(db, mail, &peers)?;
                db.flush_if_configured()?;
                Ok(stored)
            })
            .await;
        self.queued_for_sync();
        sent
    }

    /// Replaces a mail record (read and announced flags).
    pub async fn update_mail(&self, mail: Mail) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            db.put(&mail_key(mail.to, mail.id), &mail)?;
            db.flush_if_configured()
        })
        .await
    }

    /// Marks all of `node`'s mail as announced (its notice reached the player).
    pub async fn mark_mail_announced(&self, node: u32) -> Result<(), StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree_of::<Mail>()?;
            for mut m in decode_all::<Mail>(tree.scan_prefix(node_key(node)))? {
                if !m.announced {
                    m.announced = true;
                    db.put(&mail_key(m.to, m.id), &m)?;
                }
            }
            db.flush_if_configured()
        })
        .await
    }

    /// Deletes mail by id from `node`'s mailbox; returns how many went. Mail that took
    /// part in sync has its deletion queued for the sync peers first.
    pub async fn delete_mail(&self, node: u32, ids: Vec<u64>) -> Result<usize, StoreError> {
        let (peers, cap) = (self.sync_peers(), self.outbox_cap());
        let n = self
            .blocking_write(move |db| {
                let tree = db.tree_of::<Mail>()?;
                let mut n = 0;
                for id in ids {
                    queue_deletion(
                        db,
                        &super::federation::mail_ref(node, id),
                        peers.clone(),
                        cap,
                        false,
                    )?;
                    n += usize::from(tree.remove(mail_key(node, id))?.is_some());
                }
                db.flush_if_configured()?;
                Ok(n)
            })
            .await;
        self.queued_for_sync();
        n
    }
}

/// Allocates the board's next post number and writes the post, with its sync
/// records when `sync` is given, in one transaction: a crash leaves the post, the
/// counter and the sync records, or none of them. `None` (nothing written) if the
/// sync id has been seen here.
fn insert_post(
    db: &DiskStore,
    bkey: &[u8],
    post: &Post,
    sync: Option<&SyncWrite>,
) -> Result<Option<Post>, StoreError> {
    use sled::Transactional;
    use sled::transaction::ConflictableTransactionError as Tx;
    let (boards, posts, counts) = (
        db.tree_of::<Board>()?,
        db.tree_of::<Post>()?,
        db.tree(BOARD_COUNTS)?,
    );
    let t = db.sync_trees()?;
    let trees = (&boards, &posts, &counts, &t.ids, &t.uids, &t.out, &t.peers);
    let result = trees.transaction(|(boards, posts, counts, ids, uids, out, peers)| {
        let tx = SyncTx {
            ids,
            uids,
            out,
            peers,
        };
        if let Some(w) = sync
            && tx.known(&w.uid)?
        {
            return Ok(None);
        }
        let Some(bytes) = boards.get(bkey)? else {
            return Err(Tx::Abort(StoreError::Corrupt {
                tree: "boards",
                key: String::from_utf8_lossy(bkey).into_owned(),
                reason: "no such board".into(),
            }));
        };
        let mut board: Board = decode(bkey, &bytes).map_err(Tx::Abort)?;
        let mut stored = post.clone();
        stored.num = board.next_num.max(1);
        stored.board = board.name.clone();
        board.next_num = stored.num + 1;
        let pkey = post_key(&board.name, stored.num);
        posts.insert(pkey.as_slice(), encode(&pkey, &stored).map_err(Tx::Abort)?)?;
        boards.insert(bkey, encode(bkey, &board).map_err(Tx::Abort)?)?;
        let count = read_count(counts.get(bkey)?) + 1;
        counts.insert(bkey, &count.to_be_bytes())?;
        if let Some(w) = sync {
            let held = Held::Post {
                board: stored.board.clone(),
                num: stored.num,
            };
            tx.record(
                w,
                held,
                &super::federation::post_ref(&stored.board, stored.num),
            )?;
            let item = SyncItem::Bulletin {
                board: stored.board.clone(),
                sender: stored.author_name.clone(),
                subject: stored.subject.clone(),
                content: stored.text.clone(),
                uid: w.uid.clone(),
            };
            tx.queue(w, &item)?;
        }
        Ok(Some(stored))
    });
    result.map_err(super::disk::from_tx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bbs_records::MAX_ABOVE;

    #[test]
    fn read_markers_are_exact_out_of_order() {
        let mut m = ReadMarker::default();
        assert!(m.mark(3));
        assert!(!m.has_read(2) && m.has_read(3));
        assert!(m.mark(1));
        assert_eq!(m.upto, 1);
        assert!(m.mark(2));
        assert_eq!((m.upto, m.above.len()), (3, 0), "gaps drain into the mark");
        assert!(!m.mark(2));
    }

    #[test]
    fn read_markers_stay_small() {
        let mut m = ReadMarker::default();
        for n in (2..2000).step_by(2) {
            m.mark(n);
        }
        assert!(m.above.len() <= MAX_ABOVE);
        assert!(m.has_read(1998));
    }
}
