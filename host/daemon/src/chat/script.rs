//! `meshmush chat` with commands on standard input, one per line: each is sent and
//! answered before the next, and the transcript (`> command`, the reply, its cost;
//! notices marked `*`) goes to standard output.
//!
//! A command is answered by its reply (see [`super::conversation`] for how a reply is
//! told from a notice), or, for a line the BBS takes without a word, by the node's
//! ack and a settle time with no reply (`[delivered, no reply]`). A slow-down refusal
//! (`ratelimit::slow_down`) is waited out and the command sent again, so a script of
//! quick commands runs at the pace the BBS allows instead of losing commands.

use std::io::Write;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::time::Instant;

use super::conversation::{Conversation, Seen};
use super::terminal::{render_seen, until};
use super::{ChatError, Message, Talk};
use crate::ratelimit::slow_down_wait;

/// Times one command is sent again after a slow-down before the script gives up on
/// it (each time after the wait the BBS asked for).
pub const MAX_RESENDS: usize = 5;

/// What a script run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptSummary {
    pub sent: usize,
    /// Commands that got no reply within the timeout (or were not delivered).
    pub unanswered: usize,
}

/// How one sending of a command ended.
enum Answer {
    /// Its reply (already shown).
    Reply(Box<Message>),
    /// Acked, and no reply within the settle time.
    Taken,
    Undelivered,
    /// Neither acked nor answered within the timeout.
    Nothing,
    /// The link stopped.
    Closed,
}

/// Runs the commands read from `input` in order, each waiting up to `timeout` for its
/// reply; writes the transcript to `out`. After the input ends, keeps listening for
/// `linger`.
pub async fn script<T, R, W>(
    chat: &mut T,
    input: R,
    out: &mut W,
    timeout: Duration,
    linger: Duration,
) -> Result<ScriptSummary, ChatError>
where
    T: Talk,
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let mut conv = Conversation::new(chat.preset());
    let mut lines = input.lines();
    let mut summary = ScriptSummary::default();
    loop {
        let line = tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => line,
                _ => break,
            },
            heard = chat.next() => match heard {
                Some(h) => {
                    show_all(out, &conv.hear(h, Instant::now()), None);
                    continue;
                }
                None => break,
            },
            _ = until(conv.held_until()) => {
                show_all(out, &conv.resolve(), None);
                continue;
            }
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        show_line(out, &format!("> {line}"));
        summary.sent += 1;
        if !run(chat, &mut conv, line, out, timeout).await? {
            summary.unanswered += 1;
        }
    }
    listen(chat, &mut conv, out, Instant::now() + linger).await;
    Ok(summary)
}

/// Sends `line` until it is answered (again after each slow-down, at most
/// [`MAX_RESENDS`] times); whether it was.
async fn run<T: Talk, W: Write>(
    chat: &mut T,
    conv: &mut Conversation,
    line: &str,
    out: &mut W,
    timeout: Duration,
) -> Result<bool, ChatError> {
    let mut resends = 0;
    loop {
        let ids = chat.send(line).await?;
        let seq = conv.sent(line, ids, Instant::now());
        match answer(chat, conv, seq, out, timeout).await {
            Answer::Reply(message) => {
                let Some(wait) = slow_down_wait(&message.text) else {
                    return Ok(true);
                };
                if resends >= MAX_RESENDS || wait > timeout {
                    show_line(out, "(still refused; giving up on it)");
                    return Ok(false);
                }
                resends += 1;
                show_line(out, &format!("(sending it again in {} s)", wait.as_secs()));
                listen(chat, conv, out, Instant::now() + wait).await;
            }
            Answer::Taken => {
                show_line(out, "  [delivered, no reply]");
                return Ok(true);
            }
            Answer::Nothing => {
                show_line(out, &format!("(no reply within {} s)", timeout.as_secs()));
                return Ok(false);
            }
            Answer::Undelivered | Answer::Closed => return Ok(false),
        }
    }
}

/// Waits for command `seq`'s answer, showing it and what else comes meanwhile.
async fn answer<T: Talk, W: Write>(
    chat: &mut T,
    conv: &mut Conversation,
    seq: u64,
    out: &mut W,
    timeout: Duration,
) -> Answer {
    let deadline = Instant::now() + timeout;
    loop {
        let acked = conv.get(seq).and_then(|s| s.acked);
        let taken_at = acked.map(|at| at + conv.settle());
        // A held message (see the conversation module) is settled first: it may be
        // this command's reply.
        let wake = match conv.held_until() {
            Some(held) => held.min(deadline),
            None => taken_at.map_or(deadline, |t| t.min(deadline)),
        };
        let seen = match tokio::time::timeout_at(wake, chat.next()).await {
            Ok(Some(h)) => conv.hear(h, Instant::now()),
            Ok(None) => return Answer::Closed,
            Err(_) => {
                let now = Instant::now();
                let due = now >= deadline || conv.held_until().is_some_and(|t| t <= now);
                let resolved = if due { conv.resolve() } else { Vec::new() };
                if !resolved.is_empty() {
                    resolved
                } else if now >= deadline {
                    return if acked.is_some() {
                        Answer::Taken
                    } else {
                        Answer::Nothing
                    };
                } else if taken_at.is_some_and(|t| t <= now) && conv.held_until().is_none() {
                    return Answer::Taken;
                } else {
                    continue;
                }
            }
        };
        let mut done = None;
        for s in &seen {
            show_seen(out, s, Some(seq));
            match s {
                Seen::Reply {
                    seq: got, message, ..
                } if *got == seq && done.is_none() => {
                    done = Some(Answer::Reply(Box::new(message.clone())));
                }
                Seen::Undelivered { seq: got, .. } if *got == seq && done.is_none() => {
                    done = Some(Answer::Undelivered);
                }
                _ => {}
            }
        }
        if let Some(done) = done {
            return done;
        }
    }
}

/// Shows what comes until `end`.
async fn listen<T: Talk, W: Write>(
    chat: &mut T,
    conv: &mut Conversation,
    out: &mut W,
    end: Instant,
) {
    loop {
        tokio::select! {
            heard = chat.next() => match heard {
                Some(h) => show_all(out, &conv.hear(h, Instant::now()), None),
                None => return,
            },
            _ = until(conv.held_until()) => show_all(out, &conv.resolve(), None),
            _ = tokio::time::sleep_until(end) => return,
        }
    }
}

fn show_all<W: Write>(out: &mut W, seen: &[Seen], current: Option<u64>) {
    for s in seen {
        show_seen(out, s, current);
    }
}

fn show_seen<W: Write>(out: &mut W, seen: &Seen, current: Option<u64>) {
    if let Some(text) = render_seen(seen, current) {
        show_line(out, &text);
    }
}

/// A transcript line; a closed standard output (`| head`) is not an error here.
fn show_line<W: Write>(out: &mut W, text: &str) {
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

#[cfg(test)]
mod tests;
