//! The meshmush dialect on the wire: what two meshmush BBSes send each other. Pure.
//!
//! Each peer's outbox numbers its items 1, 2, 3, ... with no gaps. An item is encoded
//! as one text ([`encode_item`]: a kind letter and `|`-separated fields, with `\` and
//! `|` escaped, so any text is carried exactly), then cut into packets, each headed
//!
//! ```text
//! ~mm|D|<seq>|<part>/<parts>|<bytes of the encoded item>
//! ```
//!
//! The receiver takes item `seq` only when it has everything before it, and answers
//! `~mm|A|<upto>`: every item up to `upto` is here. A sender whose outbox overflowed
//! (the peer was away long) dropped its oldest items and says `~mm|K|<upto>`: items up
//! to `upto` will never come; the receiver counts them as had and acks. The sender resends from `upto + 1`
//! when no ack comes (go-back-N), so a lost packet, an outage or a restart on either
//! side costs a resend, never an item; a repeat is dropped by its unique id.

use meshmush_protocol::packets::{MAX_DATA_PAYLOAD, parse_node_id};

use meshmush_store::sync_item::{HeardNode, SyncItem};

use crate::bounds::{self, Refused};

/// Starts every meshmush-dialect DM.
pub const PREFIX: &str = "~mm|";

/// One meshmush-dialect DM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Data {
        seq: u64,
        part: u32,
        parts: u32,
        chunk: String,
    },
    Ack {
        upto: u64,
    },
    /// Items up to `upto` were dropped by the sender (its outbox was full).
    Skip {
        upto: u64,
    },
}

/// Why a DM or an item was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadFrame {
    #[error("not a meshmush sync frame")]
    NotFrame,
    #[error("malformed {0} frame")]
    Malformed(&'static str),
    #[error("malformed item: {0}")]
    Item(&'static str),
    #[error("{0}")]
    Bounds(#[from] Refused),
}

pub fn parse_frame(text: &str) -> Result<Frame, BadFrame> {
    let rest = text.strip_prefix(PREFIX).ok_or(BadFrame::NotFrame)?;
    if let Some(upto) = rest.strip_prefix("A|") {
        let upto = upto.parse().map_err(|_| BadFrame::Malformed("ack"))?;
        return Ok(Frame::Ack { upto });
    }
    if let Some(upto) = rest.strip_prefix("K|") {
        let upto = upto.parse().map_err(|_| BadFrame::Malformed("skip"))?;
        return Ok(Frame::Skip { upto });
    }
    let rest = rest.strip_prefix("D|").ok_or(BadFrame::NotFrame)?;
    let bad = || BadFrame::Malformed("data");
    let mut f = rest.splitn(3, '|');
    let seq: u64 = f.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let (part, parts) = f.next().and_then(|s| s.split_once('/')).ok_or_else(bad)?;
    let (part, parts): (u32, u32) = (
        part.parse().map_err(|_| bad())?,
        parts.parse().map_err(|_| bad())?,
    );
    let chunk = f.next().ok_or_else(bad)?.to_string();
    if seq == 0 || part == 0 || part > parts || parts > MAX_PARTS {
        return Err(bad());
    }
    Ok(Frame::Data {
        seq,
        part,
        parts,
        chunk,
    })
}

/// The most packets one item may take (a 1,000-byte post takes 6 at 220 bytes).
pub const MAX_PARTS: u32 = 16;

/// The longest encoded item any sender can make ([`MAX_PARTS`] whole packets): a
/// gathered item longer than this is forged.
pub const MAX_ITEM_BYTES: usize = MAX_PARTS as usize * MAX_DATA_PAYLOAD;

pub fn ack(upto: u64) -> String {
    format!("{PREFIX}A|{upto}")
}

/// Tells the peer items up to `upto` were dropped here and will never come.
pub fn skip(upto: u64) -> String {
    format!("{PREFIX}K|{upto}")
}

/// The packets carrying item `seq`, each at most `max` bytes; `None` if it needs more
/// than [`MAX_PARTS`].
pub fn data_packets(seq: u64, encoded: &str, max: usize) -> Option<Vec<String>> {
    // Room for the longest header this item can have.
    let header = format!("{PREFIX}D|{seq}|{MAX_PARTS}/{MAX_PARTS}|").len();
    let room = max.checked_sub(header).filter(|r| *r >= 8)?;
    let mut chunks = Vec::new();
    let mut rest = encoded;
    while !rest.is_empty() || chunks.is_empty() {
        let mut cut = room.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        chunks.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    let n = u32::try_from(chunks.len())
        .ok()
        .filter(|n| *n <= MAX_PARTS)?;
    Some(
        chunks
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{PREFIX}D|{seq}|{}/{n}|{c}", i + 1))
            .collect(),
    )
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\p")
}

fn unescape(s: &str) -> Result<String, BadFrame> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('p') => out.push('|'),
            _ => return Err(BadFrame::Item("bad escape")),
        }
    }
    Ok(out)
}

/// The letter the dialect names `item`'s kind by.
fn kind_letter(item: &SyncItem) -> &'static str {
    match item {
        SyncItem::Bulletin { .. } => "B",
        SyncItem::Mail { .. } => "M",
        SyncItem::DeleteBulletin { .. } => "XB",
        SyncItem::DeleteMail { .. } => "XM",
        SyncItem::Channel { .. } => "C",
        SyncItem::Heard { .. } => "H",
        SyncItem::Read { .. } => "R",
    }
}

/// An item as one text: a kind letter, then its fields (in TC2's order), escaped.
pub fn encode_item(item: &SyncItem) -> String {
    let fields: Vec<String> = item.fields().iter().map(|f| escape(f)).collect();
    format!("{}|{}", kind_letter(item), fields.join("|"))
}

/// The item `text` encodes, held to the same field bounds as a TC2 line
/// ([`bounds::check`]); `content_max` bounds bulletin and mail content (bytes).
pub fn decode_item(text: &str, content_max: usize) -> Result<SyncItem, BadFrame> {
    if text.len() > MAX_ITEM_BYTES {
        return Err(BadFrame::Item("longer than any item"));
    }
    let f: Vec<String> = text.split('|').map(unescape).collect::<Result<_, _>>()?;
    let node = |s: &str| parse_node_id(s).ok_or(BadFrame::Item("bad node id"));
    let item = match f.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["B", board, sender, subject, content, uid] => SyncItem::Bulletin {
            board: board.to_string(),
            sender: sender.to_string(),
            subject: subject.to_string(),
            content: content.to_string(),
            uid: uid.to_string(),
        },
        ["M", from, sender, to, subject, content, uid] => SyncItem::Mail {
            from: node(from)?,
            sender: sender.to_string(),
            to: node(to)?,
            subject: subject.to_string(),
            content: content.to_string(),
            uid: uid.to_string(),
        },
        ["XB", uid] => SyncItem::DeleteBulletin {
            uid: uid.to_string(),
        },
        ["XM", uid] => SyncItem::DeleteMail {
            uid: uid.to_string(),
        },
        ["C", name, url] => SyncItem::Channel {
            name: name.to_string(),
            url: url.to_string(),
        },
        ["H", entries @ ..] if entries.len() <= bounds::HEARD_MAX => SyncItem::Heard {
            nodes: entries
                .iter()
                .map(|e| HeardNode::parse(e).ok_or(BadFrame::Item("bad heard entry")))
                .collect::<Result<_, _>>()?,
        },
        ["H", ..] => return Err(BadFrame::Item("heard summary names too many nodes")),
        ["R", uid, reader, bbs] => SyncItem::Read {
            uid: uid.to_string(),
            reader: reader.to_string(),
            bbs: bbs.to_string(),
        },
        _ => return Err(BadFrame::Item("unknown kind or wrong field count")),
    };
    let kind = kind_letter(&item);
    Ok(bounds::check(item, kind, content_max)?)
}

/// Parts of the item a peer is sending, gathered until it is whole.
#[derive(Debug, Default)]
pub struct Gather {
    seq: u64,
    parts: Vec<Option<String>>,
}

impl Gather {
    /// Takes part `part` of `parts` of item `seq`; the whole encoded item once every
    /// part is here. A part of another item starts over.
    pub fn take(&mut self, seq: u64, part: u32, parts: u32, chunk: String) -> Option<String> {
        if seq != self.seq || self.parts.len() != parts as usize {
            self.seq = seq;
            self.parts = vec![None; parts as usize];
        }
        let slot = self.parts.get_mut(part.checked_sub(1)? as usize)?;
        *slot = Some(chunk);
        if self.parts.iter().all(Option::is_some) {
            let whole = self.parts.iter().flatten().map(String::as_str).collect();
            self.parts.clear();
            self.seq = 0;
            return Some(whole);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_post() -> SyncItem {
        SyncItem::Bulletin {
            board: "general".into(),
            sender: "Alice".into(),
            subject: "a | b \\ c".into(),
            content: "ü|x\\p ".repeat(150),
            uid: crate::new_uid(),
        }
    }

    #[test]
    fn items_round_trip_exactly_through_packets() {
        let items = [
            long_post(),
            SyncItem::Mail {
                from: 0x4d4d_1001,
                sender: "Al|ce".into(),
                to: 7,
                subject: String::new(),
                content: "line1\nline2".into(),
                uid: "u1".into(),
            },
            SyncItem::DeleteBulletin { uid: "u2".into() },
            SyncItem::DeleteMail { uid: "u3".into() },
            SyncItem::Channel {
                name: "n".into(),
                url: "https://x/#a|b".into(),
            },
            SyncItem::Heard {
                nodes: (0..bounds::HEARD_MAX as u32)
                    .map(|i| HeardNode {
                        node: 0x4d4d_1000 + i,
                        mins_ago: i * 30,
                    })
                    .collect(),
            },
            SyncItem::Read {
                uid: "u4".into(),
                reader: "B|ob".into(),
                bbs: "Valley BBS".into(),
            },
        ];
        for item in items {
            let enc = encode_item(&item);
            let packets = data_packets(42, &enc, 220).unwrap();
            let mut g = Gather::default();
            let mut whole = None;
            // Out of order within the item, with a repeat.
            let mut order: Vec<usize> = (0..packets.len()).rev().collect();
            order.push(0);
            for i in order {
                assert!(packets[i].len() <= 220);
                let Frame::Data {
                    seq,
                    part,
                    parts,
                    chunk,
                } = parse_frame(&packets[i]).unwrap()
                else {
                    panic!()
                };
                assert_eq!(seq, 42);
                if let Some(w) = g.take(seq, part, parts, chunk) {
                    whole = Some(w);
                }
            }
            assert_eq!(decode_item(&whole.unwrap(), 2000).unwrap(), item);
        }
    }

    #[test]
    fn frames_parse_and_hostile_ones_are_refused() {
        assert_eq!(parse_frame(&ack(17)), Ok(Frame::Ack { upto: 17 }));
        for bad in [
            "~mm|A|x",
            "~mm|D|1|0/1|x",
            "~mm|D|1|2/1|x",
            "~mm|D|0|1/1|x",
            "~mm|D|1|1/99|x",
            "~mm|D|1|1/1",
        ] {
            assert!(parse_frame(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_frame("look"), Err(BadFrame::NotFrame));
        assert!(decode_item("B|only|three", 1000).is_err());
        assert!(decode_item("XB|bad\\escape", 1000).is_err());
        assert!(
            data_packets(1, &"x".repeat(5000), 220).is_none(),
            "too many parts"
        );
        // A heard summary past its bound, or with an entry that is not one, is refused
        // whole: a peer cannot make us keep more than HEARD_MAX nodes for it.
        let many: Vec<String> = (0..=bounds::HEARD_MAX)
            .map(|i| format!("{:08x}:1", i))
            .collect();
        assert!(decode_item(&format!("H|{}", many.join("|")), 1000).is_err());
        for bad in ["H|zz:1", "H|4d4d1004", "H|4d4d1004:x", "H|4d4d10041:1"] {
            assert!(decode_item(bad, 1000).is_err(), "{bad}");
        }
        assert!(decode_item(&format!("R|u|{}|b", "x".repeat(100)), 1000).is_err());
        assert!(decode_item("R|u v|Bob|b", 1000).is_err());
    }
}
