//! Taking a peer's item into this BBS: board mapping, exactly-once by unique id (the
//! store refuses an id it has seen, in the same transaction as the write), and mail
//! for a player here announced as local mail is.

use std::sync::Arc;

use tracing::{debug, info};

use super::boards::{BoardMap, Target};
use meshmush_core::commands::text::read_receipt_in;
use meshmush_core::commands::{Audience, Notice, NoticeKind, Shown, unix_now};
use meshmush_core::config::Config;
use meshmush_core::config::federation::Peer;
use meshmush_core::delivery::Delivery;
use meshmush_lang::{Words, words};
use meshmush_store::sync_item::SyncItem;
use meshmush_store::{Board, Level, Mail, Post, Removed, Store, StoreError};

/// What an item did here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// Stored (a bulletin or mail), or deleted what it named.
    Stored,
    /// Seen before (a repeat, a replay or a loop): nothing new stored.
    Repeat,
    /// Not taken, and why (for the log).
    Refused(String),
}

/// Applies items from peers.
#[derive(Clone)]
pub struct Inbound {
    pub store: Store,
    pub cfg: Arc<Config>,
    pub map: BoardMap,
    /// `None` in tests that look only at the store.
    pub delivery: Option<Delivery>,
}

impl Inbound {
    pub async fn take(&self, peer: &Peer, item: SyncItem) -> Result<Taken, StoreError> {
        let kind = item.kind();
        let taken = match item {
            SyncItem::Bulletin {
                board,
                sender,
                subject,
                content,
                uid,
            } => {
                let Some(board) = self.board(&board, peer).await? else {
                    return Ok(Taken::Refused(format!("no board here for {board:?}")));
                };
                let post = Post {
                    board,
                    num: 0,
                    author: peer.node,
                    author_name: sender,
                    time: unix_now(),
                    subject,
                    text: content,
                    reply_to: None,
                };
                let keep = self.cfg.bbs.posts_kept;
                match self.store.receive_post(post, keep, uid, peer.node).await? {
                    Some(_) => Taken::Stored,
                    None => Taken::Repeat,
                }
            }
            SyncItem::Mail {
                from,
                sender,
                to,
                subject,
                content,
                uid,
            } => {
                self.mail(peer, from, sender, to, subject, content, uid)
                    .await?
            }
            SyncItem::DeleteBulletin { uid } => self.remove(uid, true, peer).await?,
            SyncItem::DeleteMail { uid } => self.remove(uid, false, peer).await?,
            SyncItem::Channel { .. } => {
                Taken::Refused("this BBS keeps no channel directory".into())
            }
            SyncItem::Heard { nodes } => {
                let n = self.store.put_heard(peer.node, nodes, unix_now()).await?;
                debug!(nodes = n, "heard summary taken");
                Taken::Stored
            }
            SyncItem::Read { uid, reader, bbs } => self.read(uid, reader, bbs).await?,
        };
        debug!(kind, ?taken, "sync item");
        Ok(taken)
    }

    /// The local board for `remote`, created if the config says so.
    async fn board(&self, remote: &str, peer: &Peer) -> Result<Option<String>, StoreError> {
        let names: Vec<String> = self
            .store
            .boards()
            .await?
            .into_iter()
            .map(|b| b.name)
            .collect();
        let fed = &self.cfg.federation;
        match self
            .map
            .incoming(remote, peer.dialect, &names, fed.create_boards)
        {
            Target::Board(b) => Ok(Some(b)),
            Target::Create(name) => {
                info!(board = %name, "board made for the BBS network");
                self.store
                    .put_board(Board {
                        name: name.clone(),
                        description: "From the BBS network".into(),
                        read_level: Level::Player,
                        post_level: Level::Player,
                        next_num: 1,
                        created: unix_now(),
                        // Its origin announced it on its own channel, if anywhere.
                        urgent: false,
                    })
                    .await?;
                Ok(Some(name))
            }
            Target::Unknown => Ok(None),
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the mail item's fields, unpacked once"
    )]
    async fn mail(
        &self,
        peer: &Peer,
        from: u32,
        sender: String,
        to: u32,
        subject: String,
        content: String,
        uid: String,
    ) -> Result<Taken, StoreError> {
        if self.store.sync_id(uid.clone()).await?.is_some() {
            return Ok(Taken::Repeat);
        }
        if self.store.mailbox(to).await?.len() >= self.cfg.bbs.mailbox_max {
            return Ok(Taken::Refused("the recipient's mailbox is full".into()));
        }
        let mail = Mail {
            id: 0,
            to,
            from,
            from_name: sender.clone(),
            time: unix_now(),
            subject,
            text: content,
            read: false,
            announced: false,
        };
        let Some(stored) = self.store.receive_mail(mail, uid, peer.node).await? else {
            return Ok(Taken::Repeat);
        };
        if self.store.player(to).await?.is_some() {
            if let Some(delivery) = &self.delivery {
                let notice = Notice {
                    to: Audience::Player(to),
                    // In the recipient's language: the delivery reads their habits.
                    text: words!("mail-notice", name = &sender),
                    kind: NoticeKind::Mail,
                    shows: Some(Shown::Letter(stored.id)),
                };
                // The link closing ends the daemon; the mail is stored either way.
                let _ = delivery.notices(peer.node, vec![notice]).await;
            }
        } else {
            self.store.mark_mail_waiting(to).await?;
        }
        Ok(Taken::Stored)
    }

    /// A mail written here was read at a peer: its sender is told once (if they
    /// have receipts on), however many times the event arrives.
    async fn read(&self, uid: String, reader: String, bbs: String) -> Result<Taken, StoreError> {
        let Some(mail) = self.store.claim_receipt(uid, unix_now()).await? else {
            return Ok(Taken::Repeat);
        };
        if self.store.player(mail.from).await?.is_some()
            && self.store.receipts_on(mail.from).await?
            && let Some(delivery) = &self.delivery
        {
            let notice = Notice {
                to: Audience::Player(mail.from),
                // In the sender's language, which the delivery reads.
                text: Words::each(|lang| read_receipt_in(lang, &reader, &mail.subject, &bbs)),
                // Rides in front of the sender's next reply: no airtime of its own.
                kind: NoticeKind::Held,
                shows: None,
            };
            let _ = delivery.notices(mail.from, vec![notice]).await;
        }
        Ok(Taken::Stored)
    }

    async fn remove(&self, uid: String, post: bool, peer: &Peer) -> Result<Taken, StoreError> {
        Ok(
            match self
                .store
                .remove_synced(uid, post, peer.node, unix_now())
                .await?
            {
                Removed::Deleted => Taken::Stored,
                Removed::AlreadyGone => Taken::Repeat,
                Removed::Unknown => Taken::Refused("deletion of an item never seen here".into()),
                Removed::WrongKind => Taken::Refused("the id names the other kind of item".into()),
                Removed::NotTheirs => {
                    Taken::Refused("a deletion of an item that did not come from this peer".into())
                }
            },
        )
    }
}
