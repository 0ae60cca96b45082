//! What waits for a node: notices that ride in front of its next reply (mail news,
//! pages kept while it is in do-not-disturb) and the pages of a long reply behind
//! `more`.

use std::collections::VecDeque;

use super::{HELD_MAX, Roster};

/// Notices waiting for a node's next reply.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Waiting {
    pub notices: Vec<String>,
    /// One of them announces mail: once it is sent, the mail counts as announced.
    pub mail: bool,
}

impl Roster {
    /// Queues a notice for `node`'s next reply; `mail` when it announces mail.
    pub fn queue_notice(&self, node: u32, text: String, mail: bool) {
        self.with_node(node, |s, _| {
            s.notices.push(text);
            s.mail_notice |= mail;
        });
    }

    /// Keeps `text` (a page to a player in do-not-disturb) for `node`'s next reply,
    /// unless [`HELD_MAX`] wait already; whether it was kept. A node with held pages
    /// waiting is not forgotten while idle (see [`Roster::forget_idle`]); a mail
    /// notice may be, as the mail is announced again from the store.
    pub fn hold_notice(&self, node: u32, text: String) -> bool {
        self.with_node(node, |s, _| {
            if s.held >= HELD_MAX {
                return false;
            }
            s.notices.push(text);
            s.held += 1;
            true
        })
    }

    pub fn has_notices(&self, node: u32) -> bool {
        self.lock()
            .nodes
            .get(&node)
            .is_some_and(|s| !s.notices.is_empty())
    }

    /// Takes `node`'s waiting notices.
    pub fn take_notices(&self, node: u32) -> Waiting {
        let mut inner = self.lock();
        let Some(s) = inner.nodes.get_mut(&node) else {
            return Waiting::default();
        };
        s.held = 0;
        Waiting {
            notices: std::mem::take(&mut s.notices),
            mail: std::mem::take(&mut s.mail_notice),
        }
    }

    /// Replaces `node`'s waiting pages.
    pub fn set_pages(&self, node: u32, pages: VecDeque<String>) {
        self.with_node(node, |s, _| s.pages = pages);
    }

    /// Takes up to `n` waiting packets; the flag says whether more remain after them.
    pub fn next_page(&self, node: u32, n: usize) -> Option<(Vec<String>, bool)> {
        let mut inner = self.lock();
        let q = &mut inner.nodes.get_mut(&node)?.pages;
        let take: Vec<String> = q.drain(..n.min(q.len())).collect();
        (!take.is_empty()).then_some((take, !q.is_empty()))
    }

    /// Drops `node`'s waiting pages (any command other than `more` does).
    pub fn drop_pages(&self, node: u32) {
        if let Some(s) = self.lock().nodes.get_mut(&node) {
            s.pages.clear();
        }
    }
}
