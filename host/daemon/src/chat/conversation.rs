//! Which command a message from the BBS answers, and when a command is answered.
//!
//! - **Replies by their mark.** A meshmush BBS marks every packet of a reply with the
//!   packet id of the command it answers (`Data.reply_id`; see the core's delivery
//!   module), and marks nothing else. So a message naming one of our commands is that
//!   command's reply, and one naming none is a notice (a page, someone arriving, new
//!   mail), in whatever order they arrive. A BBS that marks nothing (another BBS, an
//!   older meshmush) is read as before: the first message after a command is its
//!   reply. Which kind the BBS is shows with its first reply: until then an unmarked
//!   message that comes while a command waits is held back, and is a notice if a
//!   marked reply follows, or else, once [`Conversation::settle`] has passed, the
//!   reply of a BBS that marks nothing.
//! - **The ack is the receipt.** The node acks each packet the BBS's node received
//!   (a `ROUTING_APP` ack). A line the BBS takes without a word (a line of a post
//!   being written) gets only that. Whether a reply is still to come can only be
//!   judged by time: a line is taken once its ack is [`Conversation::settle`] old
//!   with no reply, twice the slowest gap between an ack and its reply seen so far
//!   (at least [`MIN_SETTLE`]). A reply that comes later still is shown as that
//!   line's, late, never as the next command's.
//! - **Slow down.** The BBS answers a command over its rate limit with one refusal
//!   that says how long to wait (`ratelimit::slow_down`), in the player's language;
//!   the front ends read the wait back in any offered language
//!   (`ratelimit::slow_down_wait`), wait that long and send the command again.

use std::collections::VecDeque;
use std::time::Duration;

use meshmush_protocol::airtime::{PKI_TEXT_BUDGET, text_airtime};
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use tokio::time::Instant;

use super::{Heard, Message};

/// The least time a line's ack waits for a reply before the line counts as taken
/// without one.
pub const MIN_SETTLE: Duration = Duration::from_secs(1);

/// Commands remembered, for replies that come late.
const REMEMBERED: usize = 32;

/// One command sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// Its number in this conversation, from 1.
    pub seq: u64,
    pub line: String,
    /// The ids of its packets.
    pub ids: Vec<u32>,
    pub asked: Instant,
    /// When the node acked it: it reached the BBS's node.
    pub acked: Option<Instant>,
    pub answered: bool,
}

/// What one thing heard means.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// The reply to command `seq`, sent at `asked`.
    Reply {
        seq: u64,
        line: String,
        asked: Instant,
        message: Message,
    },
    /// Something that answers no command of ours.
    Notice(Heard),
    /// Command `seq` reached the BBS's node.
    Receipt { seq: u64 },
    /// Command `seq` could not be delivered (the node's reason).
    Undelivered {
        seq: u64,
        line: String,
        reason: String,
    },
}

/// Whether the BBS marks its replies with the command they answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marks {
    /// No reply yet: unmarked messages are held until one shows.
    Unknown,
    Yes,
    No,
}

/// The commands of one conversation with the BBS and what answered them.
#[derive(Debug)]
pub struct Conversation {
    sent: VecDeque<Sent>,
    next_seq: u64,
    marks: Marks,
    /// Unmarked messages held while it is not known whether the BBS marks replies,
    /// and when the first came.
    held: Vec<Message>,
    held_at: Option<Instant>,
    /// The slowest gap seen between a command's ack and its reply.
    slowest: Option<Duration>,
    /// The settle time before any gap is seen.
    first_settle: Duration,
}

impl Conversation {
    /// A conversation over a node on `preset`: until a reply has been timed, a line
    /// waits for two full packets' airtime after its ack.
    pub fn new(preset: ModemPreset) -> Self {
        let full = text_airtime(preset, PKI_TEXT_BUDGET, true);
        Self::with_first_settle((full * 2).max(MIN_SETTLE))
    }

    pub fn with_first_settle(first_settle: Duration) -> Self {
        Self {
            sent: VecDeque::new(),
            next_seq: 1,
            marks: Marks::Unknown,
            held: Vec::new(),
            held_at: None,
            slowest: None,
            first_settle,
        }
    }

    /// Records command `line`, sent as packets `ids` at `at`; its number.
    pub fn sent(&mut self, line: &str, ids: Vec<u32>, at: Instant) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.sent.len() >= REMEMBERED {
            self.sent.pop_front();
        }
        self.sent.push_back(Sent {
            seq,
            line: line.to_string(),
            ids,
            asked: at,
            acked: None,
            answered: false,
        });
        seq
    }

    /// Command `seq`, while it is remembered.
    pub fn get(&self, seq: u64) -> Option<&Sent> {
        self.sent.iter().find(|s| s.seq == seq)
    }

    /// The commands sent after `seq` that nothing has answered yet, in order.
    pub fn unanswered_after(&self, seq: u64) -> Vec<(u64, String)> {
        self.sent
            .iter()
            .filter(|s| s.seq > seq && !s.answered)
            .map(|s| (s.seq, s.line.clone()))
            .collect()
    }

    /// How long an acked line waits for a reply before it counts as taken without
    /// one.
    pub fn settle(&self) -> Duration {
        match self.slowest {
            Some(gap) => (gap * 2).max(MIN_SETTLE),
            None => self.first_settle,
        }
    }

    /// What `heard`, heard at `now`, means: usually one thing; nothing while an
    /// unmarked message is held; what was held, too, once a marked reply shows.
    pub fn hear(&mut self, heard: Heard, now: Instant) -> Vec<Seen> {
        match heard {
            Heard::Bbs(message) => self.message(message, now),
            Heard::Delivered {
                id,
                result,
                will_retry,
            } => {
                let Some(s) = self.sent.iter_mut().find(|s| s.ids.contains(&id)) else {
                    return Vec::new();
                };
                match result {
                    Ok(()) => {
                        s.acked.get_or_insert(now);
                        vec![Seen::Receipt { seq: s.seq }]
                    }
                    Err(_) if will_retry => Vec::new(),
                    Err(reason) => vec![Seen::Undelivered {
                        seq: s.seq,
                        line: s.line.clone(),
                        reason,
                    }],
                }
            }
            other => vec![Seen::Notice(other)],
        }
    }

    /// Until when an unmarked message is held (see the module doc), if one is.
    pub fn held_until(&self) -> Option<Instant> {
        self.held_at.map(|at| at + self.settle())
    }

    /// Gives up waiting for a marked reply: the BBS marks nothing, the first message
    /// held is the reply to the latest command waiting, and the rest are notices.
    pub fn resolve(&mut self) -> Vec<Seen> {
        self.held_at = None;
        if self.held.is_empty() {
            return Vec::new();
        }
        self.marks = Marks::No;
        let held = std::mem::take(&mut self.held);
        let mut seen = Vec::new();
        let now = Instant::now();
        for message in held {
            seen.extend(self.message(message, now));
        }
        seen
    }

    fn message(&mut self, message: Message, now: Instant) -> Vec<Seen> {
        let mut seen = Vec::new();
        let sent = match (message.reply_to, self.marks) {
            (Some(id), _) => {
                if self.marks != Marks::Yes {
                    // What was held was notices after all.
                    self.marks = Marks::Yes;
                    self.held_at = None;
                    seen.extend(self.held.drain(..).map(|m| Seen::Notice(Heard::Bbs(m))));
                }
                self.sent.iter_mut().find(|s| s.ids.contains(&id))
            }
            // Unmarked from a BBS that marks its replies: a notice.
            (None, Marks::Yes) => None,
            // A BBS that marks nothing: the latest command still waiting.
            (None, Marks::No) => self.sent.iter_mut().rev().find(|s| !s.answered),
            // Not known yet: a command waits, so hold it until a reply shows which.
            (None, Marks::Unknown) => {
                if self.sent.iter().any(|s| !s.answered) {
                    self.held_at.get_or_insert(now);
                    self.held.push(message);
                    return seen;
                }
                None
            }
        };
        let Some(s) = sent else {
            seen.push(Seen::Notice(Heard::Bbs(message)));
            return seen;
        };
        if !s.answered {
            let gap = message
                .first
                .saturating_duration_since(s.acked.unwrap_or(s.asked));
            self.slowest = Some(self.slowest.map_or(gap, |g| g.max(gap)));
        }
        s.answered = true;
        seen.push(Seen::Reply {
            seq: s.seq,
            line: s.line.clone(),
            asked: s.asked,
            message,
        });
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str, reply_to: Option<u32>, at: Instant) -> Heard {
        Heard::Bbs(Message {
            text: text.into(),
            reply_to,
            packets: 1,
            bytes: text.len(),
            airtime: Duration::ZERO,
            first: at,
            last: at,
            missing: 0,
        })
    }

    fn ack(id: u32) -> Heard {
        Heard::Delivered {
            id,
            result: Ok(()),
            will_retry: false,
        }
    }

    fn one(mut seen: Vec<Seen>) -> Seen {
        assert_eq!(seen.len(), 1, "{seen:?}");
        seen.remove(0)
    }

    #[tokio::test(start_paused = true)]
    async fn a_marked_reply_is_its_commands_whatever_came_first() {
        let t = Instant::now();
        let mut c = Conversation::with_first_settle(Duration::from_secs(5));
        let look = c.sent("look", vec![10], t);
        assert_eq!(one(c.hear(ack(10), t)), Seen::Receipt { seq: look });
        // A page arrives before the first reply: held, as it may be the reply of a
        // BBS that marks nothing...
        assert_eq!(c.hear(msg("Bob pages: hi", None, t), t), vec![]);
        assert_eq!(c.held_until(), Some(t + Duration::from_secs(5)));
        // ...until the marked reply shows it was a notice.
        let later = t + Duration::from_millis(300);
        let seen = c.hear(msg("Town Square", Some(10), later), later);
        assert!(
            matches!(&seen[..], [Seen::Notice(Heard::Bbs(m)), Seen::Reply { seq, .. }]
                if m.text == "Bob pages: hi" && *seq == look),
            "{seen:?}"
        );
        assert_eq!(c.held_until(), None);
        // Timed: 300 ms from ack to reply, so a silent line waits the least.
        assert_eq!(c.settle(), MIN_SETTLE);
        // Now an unmarked message is a notice at once.
        let north = c.sent("n", vec![11], later);
        assert!(matches!(
            one(c.hear(msg("Alice arrives.", None, later), later)),
            Seen::Notice(_)
        ));
        // A reply to an earlier command is still that command's.
        match one(c.hear(msg("again", Some(10), later), later)) {
            Seen::Reply { seq, .. } => assert_eq!(seq, look),
            other => panic!("{other:?}"),
        }
        assert_eq!(c.get(north).map(|s| s.answered), Some(false));
    }

    #[tokio::test(start_paused = true)]
    async fn a_bbs_that_marks_nothing_is_read_as_before() {
        let t = Instant::now();
        let mut c = Conversation::with_first_settle(Duration::from_secs(5));
        assert!(
            matches!(one(c.hear(msg("hello", None, t), t)), Seen::Notice(_)),
            "no command waits"
        );
        let look = c.sent("look", vec![10], t);
        assert_eq!(c.hear(msg("Town Square", None, t), t), vec![]);
        assert_eq!(c.hear(msg("a notice", None, t), t), vec![]);
        // No marked reply within the settle time: the BBS marks nothing.
        let seen = c.resolve();
        assert!(
            matches!(&seen[..], [Seen::Reply { seq, message, .. }, Seen::Notice(_)]
                if *seq == look && message.text == "Town Square"),
            "{seen:?}"
        );
        // From now on the first message after a command is its reply, at once.
        let north = c.sent("n", vec![11], t);
        match one(c.hear(msg("Post Office", None, t), t)) {
            Seen::Reply { seq, .. } => assert_eq!(seq, north),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(one(c.hear(msg("more", None, t), t)), Seen::Notice(_)),
            "answered already"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_settle_time_follows_the_slowest_reply() {
        let t = Instant::now();
        let mut c = Conversation::with_first_settle(Duration::from_secs(7));
        assert_eq!(c.settle(), Duration::from_secs(7), "nothing timed yet");
        c.sent("look", vec![1], t);
        c.hear(ack(1), t);
        let at = t + Duration::from_secs(2);
        c.hear(msg("Town Square", Some(1), at), at);
        assert_eq!(c.settle(), Duration::from_secs(4));
        // A failure to be retried is nothing yet; a final one is the command's.
        let n = c.sent("n", vec![2], at);
        let failed = |will_retry| Heard::Delivered {
            id: 2,
            result: Err("MAX_RETRANSMIT".into()),
            will_retry,
        };
        assert_eq!(c.hear(failed(true), at), vec![]);
        assert_eq!(
            c.hear(failed(false), at),
            vec![Seen::Undelivered {
                seq: n,
                line: "n".into(),
                reason: "MAX_RETRANSMIT".into()
            }]
        );
        assert_eq!(c.hear(ack(99), at), vec![], "not ours");
    }
}
