//! The BBS's records as stored: boards, posts, mail and read markers, each in its
//! version envelope (see `records.rs` for the rule: frozen old shapes, appended
//! variants). Posts and mail gained subjects in V2; V1 records read with none.

use serde::{Deserialize, Serialize};

use super::records::{Level, Versioned, versioned};

/// A bulletin board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// As created; looked up case-insensitively.
    pub name: String,
    pub description: String,
    pub read_level: Level,
    pub post_level: Level,
    /// The number the next post gets (numbers are never reused).
    pub next_num: u64,
    pub created: u64,
    /// A new post here is announced in one packet on the primary channel (boards
    /// read before V2 are not urgent).
    pub urgent: bool,
}

/// [`Board`] as schema 1 wrote it, before urgent boards. Frozen: never change it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct BoardV1 {
    name: String,
    description: String,
    read_level: Level,
    post_level: Level,
    next_num: u64,
    created: u64,
}

/// One post on a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub board: String,
    pub num: u64,
    pub author: u32,
    pub author_name: String,
    pub time: u64,
    /// One line naming the post; empty for posts written before subjects existed
    /// (listings then show the body's first words).
    pub subject: String,
    pub text: String,
    pub reply_to: Option<u64>,
}

/// One private message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub id: u64,
    pub to: u32,
    pub from: u32,
    pub from_name: String,
    pub time: u64,
    /// As for [`Post::subject`]: empty when there is none.
    pub subject: String,
    pub text: String,
    pub read: bool,
    /// The recipient has been told about it.
    pub announced: bool,
}

/// [`Post`] as schema 1 wrote it, before subjects. Frozen: never change it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PostV1 {
    board: String,
    num: u64,
    author: u32,
    author_name: String,
    time: u64,
    text: String,
    reply_to: Option<u64>,
}

/// [`Mail`] before subjects. Frozen: never change it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct MailV1 {
    id: u64,
    to: u32,
    from: u32,
    from_name: String,
    time: u64,
    text: String,
    read: bool,
    announced: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum BoardRecord {
    V1(BoardV1),
    V2(Board),
}
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum PostRecord {
    V1(PostV1),
    V2(Post),
}
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum MailRecord {
    V1(MailV1),
    V2(Mail),
}

impl Versioned for Board {
    const TREE: &'static str = "boards";
    type Envelope = BoardRecord;
    fn to_envelope(&self) -> BoardRecord {
        BoardRecord::V2(self.clone())
    }
    fn from_envelope(envelope: BoardRecord) -> Self {
        match envelope {
            BoardRecord::V1(b) => Board {
                name: b.name,
                description: b.description,
                read_level: b.read_level,
                post_level: b.post_level,
                next_num: b.next_num,
                created: b.created,
                urgent: false,
            },
            BoardRecord::V2(b) => b,
        }
    }
}

impl Versioned for Post {
    const TREE: &'static str = "posts";
    type Envelope = PostRecord;
    fn to_envelope(&self) -> PostRecord {
        PostRecord::V2(self.clone())
    }
    fn from_envelope(envelope: PostRecord) -> Self {
        match envelope {
            PostRecord::V1(p) => Post {
                board: p.board,
                num: p.num,
                author: p.author,
                author_name: p.author_name,
                time: p.time,
                subject: String::new(),
                text: p.text,
                reply_to: p.reply_to,
            },
            PostRecord::V2(p) => p,
        }
    }
}

impl Versioned for Mail {
    const TREE: &'static str = "mail";
    type Envelope = MailRecord;
    fn to_envelope(&self) -> MailRecord {
        MailRecord::V2(self.clone())
    }
    fn from_envelope(envelope: MailRecord) -> Self {
        match envelope {
            MailRecord::V1(m) => Mail {
                id: m.id,
                to: m.to,
                from: m.from,
                from_name: m.from_name,
                time: m.time,
                subject: String::new(),
                text: m.text,
                read: m.read,
                announced: m.announced,
            },
            MailRecord::V2(m) => m,
        }
    }
}

/// What one player has read of one board: everything up to `upto`, and the posts in
/// `above` (read out of order). Exact, yet small: `above` drains into `upto` as the
/// gaps fill, and is capped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMarker {
    pub upto: u64,
    pub above: std::collections::BTreeSet<u64>,
}

/// Posts remembered as read above the high-water mark, at most.
pub(super) const MAX_ABOVE: usize = 512;

impl ReadMarker {
    pub fn has_read(&self, num: u64) -> bool {
        num <= self.upto || self.above.contains(&num)
    }

    /// Marks `num` read; true if that changed anything.
    pub fn mark(&mut self, num: u64) -> bool {
        if self.has_read(num) {
            return false;
        }
        self.above.insert(num);
        while self.above.remove(&(self.upto + 1)) {
            self.upto += 1;
        }
        while self.above.len() > MAX_ABOVE {
            // Forget the oldest gap: treat everything up to the lowest entry as read.
            if let Some(low) = self.above.pop_first() {
                self.upto = low;
            }
        }
        true
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) enum ReadMarkerRecord {
    V1(ReadMarker),
}

versioned!(ReadMarker, ReadMarkerRecord, "read_markers");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{decode, encode};

    #[test]
    fn posts_and_mail_written_before_subjects_still_read() {
        let v1 = postcard::to_stdvec(&PostRecord::V1(PostV1 {
            board: "general".into(),
            num: 7,
            author: 1,
            author_name: "Ann".into(),
            time: 100,
            text: "old post".into(),
            reply_to: Some(3),
        }))
        .unwrap();
        let post: Post = decode(b"k", &v1).unwrap();
        assert_eq!((post.num, post.subject.as_str()), (7, ""));
        assert_eq!((post.text.as_str(), post.reply_to), ("old post", Some(3)));
        let again: Post = decode(b"k", &encode(b"k", &post).unwrap()).unwrap();
        assert_eq!(again, post, "rewritten as V2");

        let v1 = postcard::to_stdvec(&MailRecord::V1(MailV1 {
            id: 9,
            to: 2,
            from: 1,
            from_name: "Ann".into(),
            time: 100,
            text: "old mail".into(),
            read: true,
            announced: true,
        }))
        .unwrap();
        let mail: Mail = decode(b"k", &v1).unwrap();
        assert_eq!((mail.id, mail.subject.as_str(), mail.read), (9, "", true));
    }

    #[test]
    fn boards_written_before_urgent_read_as_not_urgent() {
        let v1 = postcard::to_stdvec(&BoardRecord::V1(BoardV1 {
            name: "general".into(),
            description: "talk".into(),
            read_level: Level::Player,
            post_level: Level::Player,
            next_num: 4,
            created: 100,
        }))
        .unwrap();
        let board: Board = decode(b"k", &v1).unwrap();
        assert_eq!((board.name.as_str(), board.next_num), ("general", 4));
        assert!(!board.urgent);
        let again: Board = decode(b"k", &encode(b"k", &board).unwrap()).unwrap();
        assert_eq!(again, board, "rewritten as V2");
    }
}
