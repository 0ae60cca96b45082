//! What the BBS's recent packets showed each player (a new-mail notice shows a letter,
//! an urgent post's announcement shows the post), so that an emoji reaction to one
//! of those packets marks its letter or post read. Remembered in memory only and
//! bounded: the last [`SHOWN_PER_NODE`] per node, the last [`SHOWN_ON_CHANNEL`] on
//! the channel. A reaction to anything older, or to anything else, does nothing.

use std::collections::VecDeque;

use super::Roster;
use crate::commands::outcome::Shown;

/// Packets remembered per node.
pub const SHOWN_PER_NODE: usize = 8;
/// Channel packets remembered (an urgent post's announcement reaches everyone).
pub const SHOWN_ON_CHANNEL: usize = 16;

/// Packet ids and what they showed, oldest first, at most `cap`.
pub(super) fn remember(list: &mut VecDeque<(u32, Shown)>, ids: &[u32], shown: &Shown, cap: usize) {
    for &id in ids {
        if list.len() >= cap {
            list.pop_front();
        }
        list.push_back((id, shown.clone()));
    }
}

fn find(list: &VecDeque<(u32, Shown)>, packet: u32) -> Option<Shown> {
    list.iter()
        .rev()
        .find(|(id, _)| *id == packet)
        .map(|(_, s)| s.clone())
}

impl Roster {
    /// Records that packets `ids`, sent to `node`, showed `shown`.
    pub fn record_shown(&self, node: u32, ids: &[u32], shown: &Shown) {
        self.with_node(node, |s, _| {
            remember(&mut s.shown, ids, shown, SHOWN_PER_NODE)
        });
    }

    /// Records that channel packets `ids` showed `shown` to everyone.
    pub fn record_channel_shown(&self, ids: &[u32], shown: &Shown) {
        remember(&mut self.lock().channel_shown, ids, shown, SHOWN_ON_CHANNEL);
    }

    /// What packet `packet` showed `node`: one sent to it, or one on the channel.
    pub fn shown(&self, node: u32, packet: u32) -> Option<Shown> {
        let inner = self.lock();
        inner
            .nodes
            .get(&node)
            .and_then(|s| find(&s.shown, packet))
            .or_else(|| find(&inner.channel_shown, packet))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::tests::limits;

    fn roster() -> Roster {
        Roster::new(limits(60))
    }

    #[test]
    fn a_node_finds_what_its_packets_and_the_channel_showed_and_no_more() {
        let r = roster();
        r.record_shown(7, &[100, 101], &Shown::Letter(3));
        let post = Shown::Post {
            board: "urgent".into(),
            num: 2,
        };
        r.record_channel_shown(&[200], &post);
        assert_eq!(r.shown(7, 101), Some(Shown::Letter(3)));
        assert_eq!(r.shown(7, 200), Some(post.clone()));
        assert_eq!(r.shown(8, 200), Some(post));
        // Another node's packet shows this one nothing.
        assert_eq!(r.shown(8, 100), None);
        assert_eq!(r.shown(7, 999), None);
    }

    #[test]
    fn only_the_last_few_packets_are_remembered() {
        let r = roster();
        let ids: Vec<u32> = (1..=SHOWN_PER_NODE as u32 + 2).collect();
        for id in &ids {
            r.record_shown(7, &[*id], &Shown::Letter(u64::from(*id)));
        }
        assert_eq!(r.shown(7, 1), None);
        assert_eq!(r.shown(7, 2), None);
        assert_eq!(r.shown(7, 3), Some(Shown::Letter(3)));
    }
}
