//! How `meshmush chat` reads on a terminal: the banner, replies with their cost, notices
//! marked `*`; and the interactive prompt (line editing and history by `rustyline`;
//! replies and notices print above the prompt as they arrive). The script reader,
//! for commands on standard input, is [`super::script`].

use std::collections::VecDeque;
use std::time::Duration;

use rustyline::ExternalPrinter;
use rustyline::error::ReadlineError;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::conversation::{Conversation, Seen};
use super::{Chat, ChatError, Heard, Message, Talk};
use crate::ratelimit::slow_down_wait;
use meshmush_protocol::airtime::preset_label;

/// A line that introduces the session: who talks to whom, on what preset.
pub fn banner(chat: &Chat) -> String {
    format!(
        "{} ({}) -> {} ({}), {}",
        chat.me.display_name(),
        meshmush_protocol::packets::node_id(chat.me.num),
        chat.bbs.display_name(),
        meshmush_protocol::packets::node_id(chat.bbs.num),
        preset_label(chat.preset),
    )
}

/// How a reply reads: its text, and what it cost against its command, sent at
/// `asked`.
pub fn render_reply(m: &Message, asked: Instant) -> String {
    format!("{}\n  [{}]", m.text, cost(m, asked))
}

/// How something that answers no command reads: marked `*` (notices), or in
/// parentheses (the connection); `None` for what is not shown (acks).
pub fn render_notice(heard: &Heard) -> Option<String> {
    Some(match heard {
        Heard::Bbs(m) => format!("* {}", m.text),
        Heard::Other { from, text } => format!("* {from}: {text}"),
        Heard::Lost(reason) => format!("(connection to the node lost: {reason}; reconnecting)"),
        Heard::Back => "(connected again)".to_string(),
        Heard::Delivered { .. } => return None,
    })
}

/// How what was heard reads, when command `current` is the one awaited: its reply
/// plainly, a late reply to an earlier command with that command named, a notice as
/// [`render_notice`]; receipts show nothing.
pub fn render_seen(seen: &Seen, current: Option<u64>) -> Option<String> {
    match seen {
        Seen::Reply {
            seq,
            line,
            asked,
            message,
        } => {
            let reply = render_reply(message, *asked);
            Some(if Some(*seq) == current {
                reply
            } else {
                format!("(late reply to > {line})\n{reply}")
            })
        }
        Seen::Notice(heard) => render_notice(heard),
        Seen::Receipt { .. } => None,
        Seen::Undelivered { line, reason, .. } => {
            Some(format!("(> {line} was not delivered: {reason})"))
        }
    }
}

/// `2 packets, 312 B, 3.4 s, 2.9 s airtime`: what the reply cost, and how long after
/// the command its last packet came.
fn cost(m: &Message, asked: Instant) -> String {
    let packets = if m.packets == 1 { "packet" } else { "packets" };
    let missing = if m.missing > 0 {
        format!(", {} missing", m.missing)
    } else {
        String::new()
    };
    format!(
        "{} {packets}{missing}, {} B, {:.1} s, {:.1} s airtime",
        m.packets,
        m.bytes,
        m.last.saturating_duration_since(asked).as_secs_f64(),
        m.airtime.as_secs_f64(),
    )
}

/// Sleeps until `at`, or forever without one (a `select!` branch that is off).
pub(super) async fn until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What the prompt thread hands the session.
enum Typed {
    Line(String),
    End,
    Failed(String),
}

/// How long the interactive prompt waits for the node to fall quiet after the
/// handshake, and at most, before it starts (see [`interactive`]).
const EARLY_QUIET: Duration = Duration::from_millis(300);
const EARLY_MOST: Duration = Duration::from_secs(2);

/// The interactive prompt, until Ctrl-D (or Ctrl-C). Replies and notices print above
/// the prompt as they arrive; a reply shows its cost against its command. When the
/// BBS says to slow down, commands are held ([`Held`]) and sent when it takes
/// commands again.
pub async fn interactive<T: Talk>(chat: &mut T) -> Result<(), InteractiveError> {
    let mut conv = Conversation::new(chat.preset());
    // What the node kept for us comes right after the handshake: it is printed as
    // plain lines before the prompt starts. (While the prompt starts, rustyline's
    // printer writes straight to the terminal, racing the prompt's first redraw.)
    let quiet_until = Instant::now() + EARLY_MOST;
    while let Ok(Some(h)) = tokio::time::timeout(EARLY_QUIET, chat.next()).await {
        for s in conv.hear(h, Instant::now()) {
            if let Some(text) = render_seen(&s, None) {
                println!("{text}");
            }
        }
        if Instant::now() >= quiet_until {
            break;
        }
    }
    let (typed_tx, mut typed) = mpsc::channel::<Typed>(16);
    let (printer_tx, printer_rx) = tokio::sync::oneshot::channel();
    // rustyline blocks on the terminal: it gets a thread of its own.
    std::thread::Builder::new()
        .name("chat-prompt".into())
        .spawn(move || prompt(typed_tx, printer_tx))
        .map_err(|e| InteractiveError::Terminal(e.to_string()))?;
    let mut printer = printer_rx
        .await
        .map_err(|_| InteractiveError::Terminal("the prompt did not start".into()))?
        .map_err(InteractiveError::Terminal)?;
    let mut print = |text: String| {
        printer
            .print(printed(text))
            .map_err(|e| InteractiveError::Terminal(e.to_string()))
    };
    let mut latest: Option<u64> = None;
    let mut held = Held::default();
    loop {
        let mut seen = Vec::new();
        tokio::select! {
            t = typed.recv() => match t {
                Some(Typed::Line(line)) => {
                    let line = line.trim().to_string();
                    if line.is_empty() { continue }
                    if let Some(left) = held.hold(&line, Instant::now()) {
                        let secs = left.as_secs_f64().ceil();
                        print(format!("(held: the BBS takes commands again in {secs:.0} s)"))?;
                        continue;
                    }
                    let ids = chat.send(&line).await?;
                    latest = Some(conv.sent(&line, ids, Instant::now()));
                }
                Some(Typed::Failed(e)) => return Err(InteractiveError::Terminal(e)),
                Some(Typed::End) | None => return Ok(()),
            },
            heard = chat.next() => match heard {
                Some(h) => seen = conv.hear(h, Instant::now()),
                None => return Ok(()),
            },
            _ = until(conv.held_until()) => seen = conv.resolve(),
            _ = until(held.resume_at) => {
                if let Some(line) = held.next(Instant::now()) {
                    let ids = chat.send(&line).await?;
                    latest = Some(conv.sent(&line, ids, Instant::now()));
                }
            }
        }
        for s in seen {
            let text = render_seen(&s, latest);
            if let Seen::Reply { seq, message, .. } = &s {
                held.answered(*seq);
                if let Some(wait) = slow_down_wait(&message.text) {
                    let again = held.refused(*seq, wait, &conv, Instant::now());
                    let note = format!("(sending {again} again in {} s)", wait.as_secs());
                    print(text.map_or(note.clone(), |t| format!("{t}\n{note}")))?;
                    continue;
                }
            }
            if let Some(text) = text {
                print(text)?;
            }
        }
    }
}

/// Commands held while the BBS asks us to wait: the one it refused, those sent after
/// it that nothing answered (the BBS refuses the rest of a window without a word),
/// and the lines typed meanwhile. They go when it takes commands again, one per wait
/// it asked for, so none meets a closed window.
#[derive(Debug, Default)]
struct Held {
    /// Lines to send, in order, with the command each was sent as, if it was.
    lines: VecDeque<(String, Option<u64>)>,
    resume_at: Option<Instant>,
    wait: Duration,
}

impl Held {
    /// Holds `line` if the BBS asked us to wait: how much longer.
    fn hold(&mut self, line: &str, now: Instant) -> Option<Duration> {
        let at = self.resume_at?;
        self.lines.push_back((line.to_string(), None));
        Some(at.saturating_duration_since(now))
    }

    /// Command `seq` was refused with `wait`: holds it and the unanswered commands
    /// sent after it; what it says it will send again ("it", "3 commands").
    fn refused(&mut self, seq: u64, wait: Duration, conv: &Conversation, now: Instant) -> String {
        let mut again: Vec<(String, Option<u64>)> = conv
            .get(seq)
            .map(|s| (s.line.clone(), Some(seq)))
            .into_iter()
            .collect();
        again.extend(
            conv.unanswered_after(seq)
                .into_iter()
                .map(|(seq, line)| (line, Some(seq))),
        );
        self.lines
            .retain(|(_, s)| s.is_none_or(|s| again.iter().all(|(_, a)| *a != Some(s))));
        let n = again.len();
        for line in again.into_iter().rev() {
            self.lines.push_front(line);
        }
        self.wait = wait;
        self.resume_at = Some(now + wait);
        if n == 1 {
            "it".into()
        } else {
            format!("{n} commands")
        }
    }

    /// Command `seq` was answered after all: it is not sent again.
    fn answered(&mut self, seq: u64) {
        self.lines.retain(|(_, s)| *s != Some(seq));
    }

    /// The wait is over: the next line to send (the next one waits another wait).
    fn next(&mut self, now: Instant) -> Option<String> {
        let next = self.lines.pop_front().map(|(line, _)| line);
        self.resume_at = (!self.lines.is_empty()).then(|| now + self.wait);
        next
    }
}

type Printer = Box<dyn ExternalPrinter + Send>;

/// What goes to the prompt's printer: the text and its newline. Until the prompt is
/// up (messages the node kept for us arrive right after the handshake), the printer
/// writes the text to the terminal as it is, and the prompt then redraws its line:
/// without the newline the message would be that line, and be erased.
fn printed(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The prompt thread: reads lines with editing and history until end of input.
fn prompt(
    typed: mpsc::Sender<Typed>,
    printer: tokio::sync::oneshot::Sender<Result<Printer, String>>,
) {
    let mut rl = match rustyline::DefaultEditor::new() {
        Ok(rl) => rl,
        Err(e) => {
            let _ = printer.send(Err(e.to_string()));
            return;
        }
    };
    match rl.create_external_printer() {
        Ok(p) => {
            let _ = printer.send(Ok(Box::new(p)));
        }
        Err(e) => {
            let _ = printer.send(Err(e.to_string()));
            return;
        }
    }
    loop {
        let msg = match rl.readline("> ") {
            Ok(line) => {
                let _ = rl.add_history_entry(line.as_str());
                Typed::Line(line)
            }
            Err(ReadlineError::Eof | ReadlineError::Interrupted) => Typed::End,
            Err(e) => Typed::Failed(e.to_string()),
        };
        let last = !matches!(msg, Typed::Line(_));
        if typed.blocking_send(msg).is_err() || last {
            return;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InteractiveError {
    #[error("the terminal: {0}")]
    Terminal(String),
    #[error(transparent)]
    Chat(#[from] ChatError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_refusal_holds_its_command_and_those_sent_after_it_one_wait_apart() {
        let t = Instant::now();
        let mut conv = Conversation::with_first_settle(Duration::from_secs(1));
        let mut held = Held::default();
        assert_eq!(held.hold("look", t), None, "nothing asked us to wait");
        let a = conv.sent("say a", vec![1], t);
        let b = conv.sent("say b", vec![2], t);
        let c = conv.sent("say c", vec![3], t);
        let wait = Duration::from_secs(3);
        // b is refused; c, sent before the refusal came, met the same closed window.
        assert_eq!(held.refused(b, wait, &conv, t), "2 commands");
        assert_eq!(held.hold("say d", t), Some(wait));
        held.answered(a);
        assert_eq!(held.resume_at, Some(t + wait));
        let later = t + wait;
        assert_eq!(held.next(later).as_deref(), Some("say b"));
        assert_eq!(held.resume_at, Some(later + wait), "one per wait");
        // c was answered after all (the window had reopened): not sent twice.
        held.answered(c);
        assert_eq!(held.next(later + wait).as_deref(), Some("say d"));
        assert_eq!(held.resume_at, None);
        assert_eq!(held.next(later + wait), None);
    }

    #[test]
    fn everything_printed_above_the_prompt_ends_its_line() {
        let notice = render_notice(&Heard::Other {
            from: "!4d4d1002".into(),
            text: "hi".into(),
        });
        assert_eq!(printed(notice.unwrap_or_default()), "* !4d4d1002: hi\n");
        assert_eq!(printed("two\nlines\n".into()), "two\nlines\n");
    }
}
