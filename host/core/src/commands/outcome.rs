//! What a command returns: the reply to its sender, notices for other players, what
//! it did (typed [`Event`]s, for the world's content to follow), and whether the
//! session (or the daemon) ends. Only the delivery path turns an outcome into radio
//! packets; a command never touches the link.

use std::fmt;

use crate::events::Event;
use meshmush_lang::Words;

/// Who a notice is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// One player.
    Player(u32),
    /// Everyone active in a room, as the delivery finds them, but `except`.
    Room { room: u64, except: u32 },
    /// Every node on the primary channel: one packet, which the command has already
    /// cleared with the roster's channel gap.
    Channel,
}

/// How a notice travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Room chatter (arrivals, `say`): skipped when the link is busy or the recipient
    /// has had their share this minute; the player can always `look`.
    Ambient,
    /// Something a player did to another (a page, a gift, a teleport): sent now.
    Direct,
    /// New mail: rides in front of the recipient's next reply (once sent, the mail
    /// counts as announced), and goes at once as well when they are active.
    Mail,
    /// Kept for the recipient (a page while they are in do-not-disturb): rides in
    /// front of their next reply, never sent on its own.
    Held,
}

/// A message to a player other than the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub to: Audience,
    /// One text, or a catalogue message in every language: each recipient reads
    /// theirs (see [`Words`]).
    pub text: Words,
    pub kind: NoticeKind,
    /// The letter or post this notice shows, when it shows one: a reaction the
    /// recipient taps on its packet marks that read (see [`Shown`]).
    pub shows: Option<Shown>,
}

/// What a packet the BBS sent showed a player, so that an emoji reaction to that
/// packet (`Data.emoji` with `reply_id` naming it) can mark it read: a tap instead of
/// a command and its reply, on the air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// The recipient's letter with this store id (a new-mail notice).
    Letter(u64),
    /// Post `num` of `board` (an urgent post's announcement).
    Post { board: String, num: u64 },
}

/// How a command ends the conversation, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The player's session ends (everything is saved).
    Quit,
    /// A wizard asked the daemon to stop: it shuts down cleanly after this reply.
    Shutdown,
}

/// The result of one command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub reply: String,
    pub notices: Vec<Notice>,
    /// What the command did, in order (see [`Event`]).
    pub events: Vec<Event>,
    pub end: Option<End>,
    /// The command was refused (its reply says why): a player reads it as any reply;
    /// the operator's console exits non-zero on it.
    pub refused: bool,
}

impl Outcome {
    pub fn reply(text: impl Into<String>) -> Self {
        Self {
            reply: text.into(),
            ..Self::default()
        }
    }

    /// Adds a notice to everyone active in `room` but `except`: the world's own words,
    /// or `words!("key", ...)`, which each listener reads in their language.
    pub fn to_room(mut self, room: u64, except: u32, text: impl Into<Words>) -> Self {
        self.notices.push(Notice {
            to: Audience::Room { room, except },
            text: text.into(),
            kind: NoticeKind::Ambient,
            shows: None,
        });
        self
    }

    /// Adds a notice of `kind` to one player.
    pub fn to_player(mut self, node: u32, kind: NoticeKind, text: impl Into<Words>) -> Self {
        self.notices.push(Notice {
            to: Audience::Player(node),
            text: text.into(),
            kind,
            shows: None,
        });
        self
    }

    /// Adds one packet on the primary channel.
    pub fn to_channel(mut self, text: impl Into<Words>) -> Self {
        self.notices.push(Notice {
            to: Audience::Channel,
            text: text.into(),
            kind: NoticeKind::Direct,
            shows: None,
        });
        self
    }

    /// Marks the notice added last as showing `shown`.
    pub fn showing(mut self, shown: Shown) -> Self {
        if let Some(n) = self.notices.last_mut() {
            n.shows = Some(shown);
        }
        self
    }

    /// Records something the command did.
    pub fn with_event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }

    pub fn ending(mut self, end: End) -> Self {
        self.end = Some(end);
        self
    }
}

impl From<String> for Outcome {
    fn from(reply: String) -> Self {
        Self::reply(reply)
    }
}

impl From<&str> for Outcome {
    fn from(reply: &str) -> Self {
        Self::reply(reply)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reply)
    }
}
