//! The two faces of `meshmush chat`: an interactive prompt (line editing and history
//! by `rustyline`; replies and notices print above the prompt as they arrive), and a
//! script reader that takes commands from standard input, one per line, each waiting
//! for its reply or a timeout before the next.

use std::io::Write;
use std::time::Duration;

use rustyline::ExternalPrinter;
use rustyline::error::ReadlineError;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{Chat, ChatError, Heard, Message};
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

/// How a message reads on the terminal. A reply (`asked` is when its command left)
/// ends with what it cost; a notice is marked `*`.
pub fn render(heard: &Heard, asked: Option<Instant>) -> String {
    match heard {
        Heard::Bbs(m) => match asked {
            Some(at) => format!("{}\n  [{}]", m.text, cost(m, at)),
            None => format!("* {}", m.text),
        },
        Heard::Other { from, text } => format!("* {from}: {text}"),
        Heard::Lost(reason) => format!("(connection to the node lost: {reason}; reconnecting)"),
        Heard::Back => "(connected again)".to_string(),
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

/// What a script run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptSummary {
    pub sent: usize,
    /// Commands that got no reply within the timeout.
    pub unanswered: usize,
}

/// Runs the commands read from `input` in order, each waiting up to `timeout` for its
/// reply; writes the transcript to `out` (`> command`, the reply, its cost; notices
/// marked `*`). After the input ends, keeps listening for `linger`.
pub async fn script<R, W>(
    chat: &mut Chat,
    input: R,
    out: &mut W,
    timeout: Duration,
    linger: Duration,
) -> Result<ScriptSummary, ChatError>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let mut lines = input.lines();
    let mut summary = ScriptSummary::default();
    loop {
        let line = tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => line,
                _ => break,
            },
            heard = chat.next() => match heard {
                Some(h) => { show(out, &h, None); continue }
                None => break,
            },
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        show_line(out, &format!("> {line}"));
        let asked = Instant::now();
        chat.send(line).await?;
        summary.sent += 1;
        let deadline = asked + timeout;
        loop {
            match tokio::time::timeout_at(deadline, chat.next()).await {
                Ok(Some(h @ Heard::Bbs(_))) => {
                    show(out, &h, Some(asked));
                    break;
                }
                Ok(Some(h)) => show(out, &h, None),
                Ok(None) => return Ok(summary),
                Err(_) => {
                    summary.unanswered += 1;
                    show_line(out, &format!("(no reply within {} s)", timeout.as_secs()));
                    break;
                }
            }
        }
    }
    let end = Instant::now() + linger;
    while let Ok(Some(h)) = tokio::time::timeout_at(end, chat.next()).await {
        show(out, &h, None);
    }
    Ok(summary)
}

fn show<W: Write>(out: &mut W, heard: &Heard, asked: Option<Instant>) {
    show_line(out, &render(heard, asked));
}

/// A transcript line; a closed standard output (`| head`) is not an error here.
fn show_line<W: Write>(out: &mut W, text: &str) {
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// What the prompt thread hands the session.
enum Typed {
    Line(String),
    End,
    Failed(String),
}

/// The interactive prompt, until Ctrl-D (or Ctrl-C). Replies and notices print above
/// the prompt as they arrive; a reply shows its cost against the last command sent.
pub async fn interactive(chat: &mut Chat) -> Result<(), InteractiveError> {
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
    let mut asked: Option<Instant> = None;
    loop {
        tokio::select! {
            t = typed.recv() => match t {
                Some(Typed::Line(line)) => {
                    let line = line.trim().to_string();
                    if line.is_empty() { continue }
                    chat.send(&line).await?;
                    asked = Some(Instant::now());
                }
                Some(Typed::Failed(e)) => return Err(InteractiveError::Terminal(e)),
                Some(Typed::End) | None => return Ok(()),
            },
            heard = chat.next() => match heard {
                Some(h) => {
                    let is_reply = matches!(h, Heard::Bbs(_));
                    let text = render(&h, if is_reply { asked } else { None });
                    if is_reply { asked = None; }
                    printer
                        .print(printed(text))
                        .map_err(|e| InteractiveError::Terminal(e.to_string()))?;
                }
                None => return Ok(()),
            },
        }
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

    #[test]
    fn everything_printed_above_the_prompt_ends_its_line() {
        let notice = render(
            &Heard::Other {
                from: "!4d4d1002".into(),
                text: "hi".into(),
            },
            None,
        );
        assert_eq!(printed(notice), "* !4d4d1002: hi\n");
        assert_eq!(printed("two\nlines\n".into()), "two\nlines\n");
    }
}
