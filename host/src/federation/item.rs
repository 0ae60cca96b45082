//! One thing BBSes tell each other: a bulletin, a mail, a deletion, or a channel
//! directory entry, as both dialects carry it.

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
        }
    }

    pub fn uid(&self) -> Option<&str> {
        match self {
            Self::Bulletin { uid, .. }
            | Self::Mail { uid, .. }
            | Self::DeleteBulletin { uid }
            | Self::DeleteMail { uid } => Some(uid),
            Self::Channel { .. } => None,
        }
    }
}

/// A fresh UUID4 string (`xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx`), as TC2 makes for
/// each item (Python's `uuid.uuid4()`).
pub fn new_uid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
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
    fn uids_look_like_uuid4() {
        let u = super::new_uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, super::new_uid());
    }
}
