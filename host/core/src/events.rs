//! What a command did, typed: the command that moved the player, took a thing or sold
//! it says so in its [`Outcome`](crate::commands::Outcome) at the place it did it, with the ids
//! it resolved. The world's content (triggers, achievements) follows these events
//! after the command (see `world::after`), as Evennia's hooks get `at_after_move`
//! rather than reading the command line again: nothing decides what happened from a
//! command's name or re-parses its words.

/// One thing a command did for its player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The player went from one room to another (an exit, `go`, `home`, a teleport).
    Moved { from: u64, to: u64 },
    /// The player spoke aloud in `room` (`say`, `"`).
    Said { room: u64, text: String },
    /// The player acted in `room` (`pose`, `:`): seen, not spoken.
    Posed { room: u64, text: String },
    /// The player picked up `thing`.
    Got { thing: u64 },
    /// The player put `thing` down where they stand.
    Dropped { thing: u64 },
    /// The player used `thing` (its triggers ran with the command).
    Used { thing: u64 },
    /// The player bought a thing of content item `item` for `price` coins.
    Bought { item: String, price: u64 },
    /// The player sold `thing`, a content item `item`, for `price` coins.
    Sold {
        thing: u64,
        item: String,
        price: u64,
    },
    /// The player talked to the NPC `npc` (its content key), opening or answering.
    TalkedTo { npc: String },
    /// The player posted `num` to `board` (a post or a reply).
    Posted { board: String, num: u64 },
    /// The player sent mail to node `to`.
    Mailed { to: u32 },
}

impl Event {
    /// Every kind an event can be, as [`Event::kind`] names them: what an
    /// achievement's `command = "..."` may count.
    pub const KINDS: &'static [&'static str] = &[
        "go", "say", "pose", "get", "drop", "use", "buy", "sell", "talk", "post", "mail",
    ];

    /// The kind of event, as achievements count it (`command = "talk"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Moved { .. } => "go",
            Self::Said { .. } => "say",
            Self::Posed { .. } => "pose",
            Self::Got { .. } => "get",
            Self::Dropped { .. } => "drop",
            Self::Used { .. } => "use",
            Self::Bought { .. } => "buy",
            Self::Sold { .. } => "sell",
            Self::TalkedTo { .. } => "talk",
            Self::Posted { .. } => "post",
            Self::Mailed { .. } => "mail",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_every_listed_kind_has_an_event() {
        let one_of_each = [
            Event::Moved { from: 1, to: 2 },
            Event::Said {
                room: 1,
                text: "hi".into(),
            },
            Event::Posed {
                room: 1,
                text: "waves".into(),
            },
            Event::Got { thing: 3 },
            Event::Dropped { thing: 3 },
            Event::Used { thing: 3 },
            Event::Bought {
                item: "apple".into(),
                price: 2,
            },
            Event::Sold {
                thing: 3,
                item: "apple".into(),
                price: 1,
            },
            Event::TalkedTo { npc: "nell".into() },
            Event::Posted {
                board: "general".into(),
                num: 1,
            },
            Event::Mailed { to: 7 },
        ];
        let kinds: Vec<&str> = one_of_each.iter().map(Event::kind).collect();
        assert_eq!(
            kinds,
            Event::KINDS,
            "KINDS lists each event's kind, in order"
        );
    }
}
