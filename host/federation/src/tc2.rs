//! The TC2-BBS-mesh sync line: parse what a TC2 peer sends, format what we send it.
//! Pure: no I/O, no clock.
//!
//! The format, from TC2-BBS-mesh's source (`utils.py`: `send_bulletin_to_bbs_nodes`,
//! `send_mail_to_bbs_nodes`, `send_delete_*_to_bbs_nodes`, `send_channel_to_bbs_nodes`;
//! `message_processing.py`: `process_message`, which splits on `|` and reads fields by
//! position):
//!
//! ```text
//! BULLETIN|board|sender_short_name|subject|content|unique_id
//! MAIL|sender_id|sender_short_name|recipient_id|subject|content|unique_id
//! DELETE_BULLETIN|unique_id
//! DELETE_MAIL|unique_id
//! CHANNEL|name|url
//! ```
//!
//! TC2 escapes nothing, so a field holding `|` cannot be told from a field boundary: a
//! line with more fields than its kind has is refused whole, never stored half. Its
//! `send_message` cuts every line at 200 characters into separate DMs (see
//! [`join`](super::join) for putting them back together).
//!
//! Sending, we never let TC2 cut a line: a line over the packet budget has its content
//! cut at a word boundary and [`CUT_MARKER`] appended, so the whole line is one DM; a `|`
//! in any field is sent as [`BAR_STANDIN`].

use meshmush_protocol::packets::parse_node_id;

use meshmush_store::sync_item::SyncItem;

use crate::bounds;
pub use crate::bounds::Refused;

/// Ends a content cut to fit one packet for a TC2 peer.
pub const CUT_MARKER: &str = " [...]";
/// Stands in for `|` inside a field sent to a TC2 peer (TC2 cannot carry `|`).
pub const BAR_STANDIN: char = '¦';
/// Characters per DM in TC2's `send_message` (`max_payload_size = 200`, Python
/// characters, not bytes).
pub const TC2_SPLIT_CHARS: usize = 200;

/// The line prefixes TC2 treats as sync traffic.
pub const KINDS: [&str; 5] = [
    "BULLETIN|",
    "MAIL|",
    "DELETE_BULLETIN|",
    "DELETE_MAIL|",
    "CHANNEL|",
];

/// Whether `text` starts like a TC2 sync line.
pub fn is_sync_line(text: &str) -> bool {
    KINDS.iter().any(|k| text.starts_with(k))
}

/// Parses one whole sync line; `content_max` bounds bulletin and mail content (bytes).
pub fn parse(line: &str, content_max: usize) -> Result<SyncItem, Refused> {
    let (kind, want) = match line.split_once('|').map(|(k, _)| k) {
        Some("BULLETIN") => ("BULLETIN", 6),
        Some("MAIL") => ("MAIL", 7),
        Some("DELETE_BULLETIN") => ("DELETE_BULLETIN", 2),
        Some("DELETE_MAIL") => ("DELETE_MAIL", 2),
        Some("CHANNEL") => ("CHANNEL", 3),
        _ => return Err(Refused::NotSync),
    };
    let f: Vec<&str> = line.split('|').collect();
    if f.len() < want {
        return Err(Refused::TooFewFields {
            kind,
            got: f.len(),
            want,
        });
    }
    if f.len() > want {
        return Err(Refused::TooManyFields {
            kind,
            got: f.len(),
            want,
        });
    }
    let node = |field, v: &str| {
        // TC2 0.1.6 writes `!4d4d1001`; a bare decimal number is taken too.
        parse_node_id(v).ok_or(Refused::BadNode { kind, field })
    };
    let item = match kind {
        "BULLETIN" => SyncItem::Bulletin {
            board: f[1].into(),
            sender: f[2].into(),
            subject: f[3].into(),
            content: f[4].into(),
            uid: f[5].into(),
        },
        "MAIL" => SyncItem::Mail {
            from: node("sender_id", f[1])?,
            sender: f[2].into(),
            to: node("recipient_id", f[3])?,
            subject: f[4].into(),
            content: f[5].into(),
            uid: f[6].into(),
        },
        "DELETE_BULLETIN" => SyncItem::DeleteBulletin { uid: f[1].into() },
        "DELETE_MAIL" => SyncItem::DeleteMail { uid: f[1].into() },
        _ => SyncItem::Channel {
            name: f[1].into(),
            url: f[2].into(),
        },
    };
    bounds::check(item, kind, content_max)
}

/// The line as TC2 writes it, fields as they are.
pub fn format(item: &SyncItem) -> String {
    let kind = match item {
        SyncItem::Bulletin { .. } => "BULLETIN",
        SyncItem::Mail { .. } => "MAIL",
        SyncItem::DeleteBulletin { .. } => "DELETE_BULLETIN",
        SyncItem::DeleteMail { .. } => "DELETE_MAIL",
        SyncItem::Channel { .. } => "CHANNEL",
        // Never queued for a TC2 peer (TC2 has no such lines): named for logs only.
        SyncItem::Heard { .. } => "HEARD",
        SyncItem::Read { .. } => "READ",
    };
    format!("{kind}|{}", item.fields().join("|"))
}

/// Why an item cannot go to a TC2 peer in one packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {kind} line is {len} bytes without its content; one packet holds {max}")]
pub struct Unfit {
    pub kind: &'static str,
    pub len: usize,
    pub max: usize,
}

/// The one DM that carries `item` to a TC2 peer, at most `max` bytes: `|` in a field
/// becomes [`BAR_STANDIN`]; a line still too long has its content cut at the last
/// space (or character) that fits, followed by [`CUT_MARKER`]. An item too long even
/// with no content is refused.
pub fn fit(item: &SyncItem, max: usize) -> Result<String, Unfit> {
    let mut item = item.clone();
    for s in item.texts_mut() {
        if s.contains('|') {
            *s = s.replace('|', &BAR_STANDIN.to_string());
        }
    }
    let line = format(&item);
    if line.len() <= max {
        return Ok(line);
    }
    let kind = item.kind();
    let content = match &mut item {
        SyncItem::Bulletin { content, .. } | SyncItem::Mail { content, .. } => content,
        _ => {
            return Err(Unfit {
                kind,
                len: line.len(),
                max,
            });
        }
    };
    let without = line.len() - content.len();
    let Some(room) = max.checked_sub(without + CUT_MARKER.len()) else {
        return Err(Unfit {
            kind,
            len: without,
            max,
        });
    };
    let mut cut = room.min(content.len());
    while !content.is_char_boundary(cut) {
        cut -= 1;
    }
    // Prefer a word boundary in the last quarter of what fits.
    if let Some(space) = content[..cut].rfind(char::is_whitespace)
        && space >= cut - cut / 4
    {
        cut = space;
    }
    content.truncate(cut);
    let kept = content.trim_end().len();
    content.truncate(kept);
    content.push_str(CUT_MARKER);
    Ok(format(&item))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UID: &str = "0b6f5d8e-2c1a-4f3e-9d7c-1a2b3c4d5e6f";

    fn bulletin(content: &str) -> SyncItem {
        SyncItem::Bulletin {
            board: "General".into(),
            sender: "ALCE".into(),
            subject: "Hello".into(),
            content: content.into(),
            uid: UID.into(),
        }
    }

    #[test]
    fn each_kind_parses_and_formats_back_byte_for_byte() {
        let lines = [
            format!("BULLETIN|General|ALCE|Hello|Net tonight at 8|{UID}"),
            format!("MAIL|!4d4d1001|ALCE|!4d4d1004|Hi|See you there|{UID}"),
            format!("DELETE_BULLETIN|{UID}"),
            format!("DELETE_MAIL|{UID}"),
            "CHANNEL|Hikers|https://meshtastic.org/e/#abc".to_string(),
        ];
        for line in lines {
            let item = parse(&line, 1000).unwrap();
            assert_eq!(format(&item), line);
            assert_eq!(fit(&item, 220).unwrap(), line);
        }
        let mail = parse(&format!("MAIL|!4d4d1001|ALCE|!4d4d1004|Hi|x|{UID}"), 1000).unwrap();
        assert!(matches!(
            mail,
            SyncItem::Mail {
                from: 0x4d4d_1001,
                to: 0x4d4d_1004,
                ..
            }
        ));
    }

    #[test]
    fn a_bar_in_content_refuses_the_line() {
        let line = format!("BULLETIN|General|ALCE|Hello|a | b|{UID}");
        assert_eq!(
            parse(&line, 1000),
            Err(Refused::TooManyFields {
                kind: "BULLETIN",
                got: 7,
                want: 6
            })
        );
        // Sending, the bar is replaced, so TC2 reads the fields we meant.
        let sent = fit(&bulletin("a | b"), 220).unwrap();
        assert_eq!(sent, format!("BULLETIN|General|ALCE|Hello|a ¦ b|{UID}"));
        assert!(parse(&sent, 1000).is_ok());
    }

    #[test]
    fn too_few_fields_and_bad_fields_are_refused() {
        assert_eq!(
            parse("BULLETIN|General|ALCE|Hello|no uid", 1000),
            Err(Refused::TooFewFields {
                kind: "BULLETIN",
                got: 5,
                want: 6
            })
        );
        assert_eq!(
            parse("DELETE_MAIL", 1000),
            Err(Refused::NotSync),
            "no bar: not a sync line at all"
        );
        assert!(matches!(
            parse(&format!("MAIL|bob|ALCE|!4d4d1004|Hi|x|{UID}"), 1000),
            Err(Refused::BadNode {
                field: "sender_id",
                ..
            })
        ));
        assert!(matches!(
            parse("DELETE_BULLETIN|", 1000),
            Err(Refused::Empty {
                field: "unique_id",
                ..
            })
        ));
        assert!(matches!(
            parse("DELETE_BULLETIN|a b", 1000),
            Err(Refused::BadUid { .. })
        ));
        assert!(matches!(
            parse(
                &format!("BULLETIN|General|ALCE|Hello|{}|{UID}", "x".repeat(1001)),
                1000
            ),
            Err(Refused::Oversize {
                field: "content",
                len: 1001,
                max: 1000,
                ..
            })
        ));
        assert_eq!(parse("hello there", 1000), Err(Refused::NotSync));
    }

    #[test]
    fn content_of_200_bytes_is_cut_to_one_packet_with_a_marker() {
        let words = "word ".repeat(40);
        let content = words.trim_end();
        let content = format!("{content}!");
        assert_eq!(content.len(), 200);
        let item = bulletin(&content);
        let line = format(&item);
        assert!(line.len() > 220, "the whole line is {} bytes", line.len());
        let sent = fit(&item, 220).unwrap();
        assert!(sent.len() <= 220, "{}", sent.len());
        assert!(sent.ends_with(&format!("word{CUT_MARKER}|{UID}")), "{sent}");
        let back = parse(&sent, 1000).unwrap();
        let SyncItem::Bulletin { content: got, .. } = back else {
            panic!()
        };
        assert!(content.starts_with(got.trim_end_matches(CUT_MARKER)));
        // Multi-byte text is never cut inside a character.
        let sent = fit(&bulletin(&"é".repeat(150)), 220).unwrap();
        assert!(sent.len() <= 220 && sent.contains(CUT_MARKER));
    }

    #[test]
    fn an_item_that_cannot_fit_is_refused() {
        let item = SyncItem::Bulletin {
            board: "General".into(),
            sender: "ALCE".into(),
            subject: "s".repeat(200),
            content: "x".into(),
            uid: UID.into(),
        };
        assert!(fit(&item, 220).is_err());
        assert!(
            fit(
                &SyncItem::DeleteMail {
                    uid: "u".repeat(230)
                },
                220
            )
            .is_err()
        );
    }
}
