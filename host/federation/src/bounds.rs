//! The bounds every dialect holds a peer's items to, whatever carried them: the
//! longest field of each kind, no empty names, unique ids without spaces or control
//! characters. TC2 lines and meshmush-dialect items pass the same check, so neither
//! dialect is the easier way to make us store something large.

use meshmush_store::sync_item::SyncItem;

/// Longest board name, sender name, subject, unique id, channel name and URL accepted.
pub const BOARD_MAX: usize = 32;
pub const SENDER_MAX: usize = 40;
pub const SUBJECT_MAX: usize = 120;
pub const UID_MAX: usize = 64;
pub const URL_MAX: usize = 300;
/// The most nodes a heard summary may name (the store keeps no more per peer).
pub const HEARD_MAX: usize = meshmush_store::HEARD_MAX;

/// Why a line was not taken. Nothing of a refused line is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not a sync line")]
    NotSync,
    #[error("{kind}: {got} fields, {want} expected")]
    TooFewFields {
        kind: &'static str,
        got: usize,
        want: usize,
    },
    #[error("{kind}: {got} fields, {want} expected (a field holds '|')")]
    TooManyFields {
        kind: &'static str,
        got: usize,
        want: usize,
    },
    #[error("{kind}: {field} is not a node id")]
    BadNode {
        kind: &'static str,
        field: &'static str,
    },
    #[error("{kind}: {field} is {len} bytes, at most {max}")]
    Oversize {
        kind: &'static str,
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{kind}: {field} is empty")]
    Empty {
        kind: &'static str,
        field: &'static str,
    },
    #[error("{kind}: the unique id holds a space or control character")]
    BadUid { kind: &'static str },
}

/// `item` if every field is within its bounds; `kind` names it in the refusal (the
/// dialect's own word for it), `content_max` bounds bulletin and mail content (bytes).
pub fn check(item: SyncItem, kind: &'static str, content_max: usize) -> Result<SyncItem, Refused> {
    let c = Check { kind };
    match &item {
        SyncItem::Bulletin {
            board,
            sender,
            subject,
            content,
            uid,
        } => {
            c.text("board", board, BOARD_MAX, false)?;
            c.text("sender", sender, SENDER_MAX, true)?;
            c.text("subject", subject, SUBJECT_MAX, true)?;
            c.text("content", content, content_max, true)?;
            c.uid(uid)?;
        }
        SyncItem::Mail {
            sender,
            subject,
            content,
            uid,
            ..
        } => {
            c.text("sender", sender, SENDER_MAX, true)?;
            c.text("subject", subject, SUBJECT_MAX, true)?;
            c.text("content", content, content_max, true)?;
            c.uid(uid)?;
        }
        SyncItem::DeleteBulletin { uid } | SyncItem::DeleteMail { uid } => c.uid(uid)?,
        SyncItem::Channel { name, url } => {
            c.text("name", name, BOARD_MAX, false)?;
            c.text("url", url, URL_MAX, false)?;
        }
        SyncItem::Heard { nodes } => {
            if nodes.len() > HEARD_MAX {
                return Err(Refused::Oversize {
                    kind,
                    field: "nodes",
                    len: nodes.len(),
                    max: HEARD_MAX,
                });
            }
        }
        SyncItem::Read { uid, reader, bbs } => {
            c.uid(uid)?;
            c.text("reader", reader, SENDER_MAX, false)?;
            c.text("bbs", bbs, SENDER_MAX, false)?;
        }
    }
    Ok(item)
}

struct Check {
    kind: &'static str,
}

impl Check {
    fn text(
        &self,
        field: &'static str,
        v: &str,
        max: usize,
        empty_ok: bool,
    ) -> Result<(), Refused> {
        if v.len() > max {
            return Err(Refused::Oversize {
                kind: self.kind,
                field,
                len: v.len(),
                max,
            });
        }
        if !empty_ok && v.trim().is_empty() {
            return Err(Refused::Empty {
                kind: self.kind,
                field,
            });
        }
        Ok(())
    }

    fn uid(&self, v: &str) -> Result<(), Refused> {
        self.text("unique_id", v, UID_MAX, false)?;
        if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Refused::BadUid { kind: self.kind });
        }
        Ok(())
    }
}
