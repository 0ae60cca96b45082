//! One thing BBSes tell each other: a bulletin, a mail, a deletion, or a channel
//! directory entry, as both dialects carry it; and, between meshmush BBSes only, a
//! summary of the nodes a BBS heard lately (so mail goes where its reader is) and a
//! mail's read event (so its sender gets a receipt).
//!
//! A leaf below both of its users: the store queues these per peer in the same
//! transaction as the write, and `federation` speaks them on the air. Living in
//! neither keeps the store from importing federation (which imports the store).

use meshmush_protocol::packets::node_id;
use serde::{Deserialize, Serialize};

/// An item of sync traffic. `uid` is the item's network-wide identity (TC2 makes a
/// UUID4 where the item is written; so do we).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncItem {
    Bulletin {
        board: String,
        sender: String,
        subject: String,
        content: String,
        uid: String,
    },
    Mail {
        from: u32,
        sender: String,
        to: u32,
        subject: String,
        content: String,
        uid: String,
    },
    DeleteBulletin {
        uid: String,
    },
    DeleteMail {
        uid: String,
    },
    Channel {
        name: String,
        url: String,
    },
    /// The nodes the sending BBS heard lately, most recent first (meshmush only).
    Heard {
        nodes: Vec<HeardNode>,
    },
    /// Mail `uid` was read by `reader` at BBS `bbs` (meshmush only): sent to the BBS
    /// the mail came from, which tells its sender once.
    Read {
        uid: String,
        reader: String,
        bbs: String,
    },
}

/// One entry of a [`SyncItem::Heard`] summary: a node and how long ago it was heard
/// (minutes, relative, so the two BBSes' clocks need not agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeardNode {
    pub node: u32,
    pub mins_ago: u32,
}

impl HeardNode {
    /// `4d4d1004:37`: the node in hex and the minutes since it was heard.
    pub fn field(&self) -> String {
        format!("{:08x}:{}", self.node, self.mins_ago)
    }

    /// The entry [`Self::field`] wrote; `None` if it is not one.
    pub fn parse(field: &str) -> Option<Self> {
        let (node, mins) = field.split_once(':')?;
        if node.len() != 8 || mins.is_empty() || mins.len() > 9 {
            return None;
        }
        Some(Self {
            node: u32::from_str_radix(node, 16).ok()?,
            mins_ago: mins.parse().ok()?,
        })
    }
}

impl SyncItem {
    /// The item's kind, for logs (never its text).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Bulletin { .. } => "bulletin",
            Self::Mail { .. } => "mail",
            Self::DeleteBulletin { .. } => "bulletin deletion",
            Self::DeleteMail { .. } => "mail deletion",
            Self::Channel { .. } => "channel",
            Self::Heard { .. } => "heard summary",
            Self::Read { .. } => "read receipt",
        }
    }

    /// The fields in wire order (both dialects keep TC2's), node ids as `!4d4d1001`.
    pub fn fields(&self) -> Vec<String> {
        if let Self::Heard { nodes } = self {
            return nodes.iter().map(HeardNode::field).collect();
        }
        let mut item = self.clone();
        let ids = match &item {
            Self::Mail { from, to, .. } => Some((node_id(*from), node_id(*to))),
            _ => None,
        };
        let mut texts: Vec<String> = item.texts_mut().into_iter().map(std::mem::take).collect();
        if let Some((from, to)) = ids {
            // Mail: from, sender, to, subject, content, uid.
            texts.insert(0, from);
            texts.insert(2, to);
        }
        texts
    }

    /// The text fields, in wire order, to rewrite in place.
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        match self {
            Self::Bulletin {
                board,
                sender,
                subject,
                content,
                uid,
            } => vec![board, sender, subject, content, uid],
            Self::Mail {
                sender,
                subject,
                content,
                uid,
                ..
            } => vec![sender, subject, content, uid],
            Self::DeleteBulletin { uid } | Self::DeleteMail { uid } => vec![uid],
            Self::Channel { name, url } => vec![name, url],
            Self::Heard { .. } => Vec::new(),
            Self::Read { uid, reader, bbs } => vec![uid, reader, bbs],
        }
    }

    pub fn uid(&self) -> Option<&str> {
        match self {
            Self::Bulletin { uid, .. }
            | Self::Mail { uid, .. }
            | Self::DeleteBulletin { uid }
            | Self::DeleteMail { uid } => Some(uid),
            Self::Channel { .. } | Self::Heard { .. } | Self::Read { .. } => None,
        }
    }
}

/// A fresh UUID4 string (`xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx`), as TC2 makes for
/// each item (Python's `uuid.uuid4()`).
pub fn new_uid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid_text(&b)
}

/// A UUID-shaped id made from `name` (`xxxxxxxx-xxxx-8xxx-Yxxx-xxxxxxxxxxxx`, RFC
/// 9562's version 8, "custom"): the first 16 bytes of SHA-256 over a fixed prefix
/// and `name`. Every BBS makes the same id from the same name, so an item that two
/// BBSes write on their own (a feed entry both poll) syncs as one: each takes the
/// other's copy as one it holds. The shape is TC2's, so both dialects carry it.
pub fn derived_uid(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"meshmush sync uid\0")
        .chain_update(name.as_bytes())
        .finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid_text(&b)
}

fn uuid_text(b: &[u8; 16]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn derived_uids_are_stable_and_apart() {
        let a = super::derived_uid("cap\0KSTO@NWS.NOAA.GOV\0KSTO1055887203");
        assert_eq!(
            a,
            super::derived_uid("cap\0KSTO@NWS.NOAA.GOV\0KSTO1055887203")
        );
        assert_ne!(
            a,
            super::derived_uid("cap\0KSTO@NWS.NOAA.GOV\0KSTO1055887204")
        );
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    #[test]
    fn uids_look_like_uuid4() {
        let u = super::new_uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, super::new_uid());
    }
}
