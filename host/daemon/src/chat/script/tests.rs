//! The script reader against a scripted BBS, on Tokio's paused clock: transcripts
//! compared byte for byte, waits measured in virtual time.

use std::collections::VecDeque;
use std::future::Future;

use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use tokio::sync::mpsc;

use super::*;
use crate::chat::Heard;
use crate::ratelimit::{TokenBucket, Verdict, slow_down};
use meshmush_lang::Lang;

/// What the scripted BBS does after a line arrives, each a few milliseconds apart.
#[derive(Debug, Clone)]
enum Ev {
    /// The BBS's node acks the packet.
    Ack,
    /// A reply naming the line's packet.
    Reply(String),
    /// A notice (naming nothing).
    Notice(String),
    /// A reply from a BBS that marks nothing.
    Unmarked(String),
}

type Answers = Box<dyn FnMut(&str) -> Vec<Ev> + Send>;

/// A BBS that answers each line as `answers` says.
struct Bbs {
    next_id: u32,
    tx: mpsc::UnboundedSender<Heard>,
    rx: mpsc::UnboundedReceiver<Heard>,
    answers: Answers,
    /// The lines it received, in order.
    got: Vec<String>,
}

impl Bbs {
    fn new(answers: impl FnMut(&str) -> Vec<Ev> + Send + 'static) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            next_id: 100,
            tx,
            rx,
            answers: Box::new(answers),
            got: Vec::new(),
        }
    }
}

fn message(text: &str, reply_to: Option<u32>) -> Heard {
    let now = Instant::now();
    Heard::Bbs(Message {
        text: text.to_string(),
        reply_to,
        packets: 1,
        bytes: text.len(),
        airtime: Duration::ZERO,
        first: now,
        last: now,
        missing: 0,
    })
}

impl Talk for Bbs {
    fn send(&mut self, line: &str) -> impl Future<Output = Result<Vec<u32>, ChatError>> {
        let id = self.next_id;
        self.next_id += 1;
        self.got.push(line.to_string());
        for (k, ev) in (self.answers)(line).into_iter().enumerate() {
            let tx = self.tx.clone();
            let after = Duration::from_millis(10 * (k as u64 + 1));
            tokio::spawn(async move {
                tokio::time::sleep(after).await;
                let heard = match ev {
                    Ev::Ack => Heard::Delivered {
                        id,
                        result: Ok(()),
                        will_retry: false,
                    },
                    Ev::Reply(text) => message(&text, Some(id)),
                    Ev::Notice(text) | Ev::Unmarked(text) => message(&text, None),
                };
                let _ = tx.send(heard);
            });
        }
        std::future::ready(Ok(vec![id]))
    }

    fn next(&mut self) -> impl Future<Output = Option<Heard>> {
        self.rx.recv()
    }

    fn preset(&self) -> ModemPreset {
        ModemPreset::LongFast
    }
}

/// Runs `input` through the script reader (listening `linger` after it); the
/// transcript and the summary.
async fn run_script(bbs: &mut Bbs, input: &str, linger: Duration) -> (String, ScriptSummary) {
    let mut out = Vec::new();
    let summary = script(
        bbs,
        input.as_bytes(),
        &mut out,
        Duration::from_secs(60),
        linger,
    )
    .await
    .expect("the script runs");
    (String::from_utf8_lossy(&out).into_owned(), summary)
}

fn reply(text: &str) -> Vec<Ev> {
    vec![Ev::Ack, Ev::Reply(text.into())]
}

#[tokio::test(start_paused = true)]
async fn a_page_while_a_command_waits_is_a_notice_and_the_reply_is_the_reply() {
    let mut bbs = Bbs::new(|line| match line {
        "look" => vec![
            Ev::Ack,
            Ev::Notice("Bob pages: are you there?".into()),
            Ev::Reply("Town Square".into()),
        ],
        "n" => vec![
            Ev::Ack,
            Ev::Notice("Bob pages: hello?".into()),
            Ev::Reply("Post Office".into()),
            Ev::Notice("Bob arrives.".into()),
        ],
        _ => reply("?"),
    });
    let (transcript, summary) = run_script(&mut bbs, "look\nn\n", Duration::from_secs(1)).await;
    assert_eq!(
        transcript,
        "> look\n\
         * Bob pages: are you there?\n\
         Town Square\n  [1 packet, 11 B, 0.0 s, 0.0 s airtime]\n\
         > n\n\
         * Bob pages: hello?\n\
         Post Office\n  [1 packet, 11 B, 0.0 s, 0.0 s airtime]\n\
         * Bob arrives.\n"
    );
    assert_eq!(
        summary,
        ScriptSummary {
            sent: 2,
            unanswered: 0
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_line_taken_silently_is_answered_by_its_ack() {
    let mut bbs = Bbs::new(|line| match line {
        "post general" => reply("Writing a post to general. Subject? (cancel stops)"),
        "Subject" => reply("Subject: Subject. Now the text; . alone sends it."),
        "." => reply("Posted to general as #1 (6 bytes)."),
        _ => vec![Ev::Ack],
    });
    let started = Instant::now();
    let (transcript, summary) = run_script(
        &mut bbs,
        "post general\nSubject\nA line\n.\n",
        Duration::ZERO,
    )
    .await;
    assert_eq!(
        transcript,
        "> post general\n\
         Writing a post to general. Subject? (cancel stops)\n  [1 packet, 50 B, 0.0 s, 0.0 s airtime]\n\
         > Subject\n\
         Subject: Subject. Now the text; . alone sends it.\n  [1 packet, 49 B, 0.0 s, 0.0 s airtime]\n\
         > A line\n  [delivered, no reply]\n\
         > .\n\
         Posted to general as #1 (6 bytes).\n  [1 packet, 34 B, 0.0 s, 0.0 s airtime]\n"
    );
    assert_eq!(
        summary,
        ScriptSummary {
            sent: 4,
            unanswered: 0
        }
    );
    // The silent line waited its ack and the settle time, not the 60 s timeout.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn quick_commands_wait_out_each_slow_down_and_all_get_their_replies() {
    // The daemon's own limiter: a burst of five, then one every 3 s; one refusal
    // per window, then silence.
    let mut bucket = TokenBucket::new(5, 20, Instant::now());
    let mut bbs = Bbs::new(move |line| match bucket.check(Instant::now()) {
        Verdict::Allow => reply(&format!("ok {line}")),
        Verdict::RefuseWithNotice => reply(&slow_down(Lang::EN, bucket.retry_after().as_secs())),
        Verdict::RefuseSilently => vec![Ev::Ack],
    });
    let started = Instant::now();
    let input: String = (1..=10).map(|k| format!("c{k}\n")).collect();
    let (transcript, summary) = run_script(&mut bbs, &input, Duration::ZERO).await;
    assert_eq!(
        summary,
        ScriptSummary {
            sent: 10,
            unanswered: 0
        },
        "{transcript}"
    );
    let cost = "  [1 packet, 5 B, 0.0 s, 0.0 s airtime]";
    let refusal = "Slow down: too many commands. Try again in 3 s.\n  \
                   [1 packet, 47 B, 0.0 s, 0.0 s airtime]\n\
                   (sending it again in 3 s)\n";
    let mut expected = String::new();
    for k in 1..=10 {
        expected.push_str(&format!("> c{k}\n"));
        if k > 5 {
            expected.push_str(refusal);
        }
        let cost = if k == 10 {
            cost.replace("5 B", "6 B")
        } else {
            cost.into()
        };
        expected.push_str(&format!("ok c{k}\n{cost}\n"));
    }
    assert_eq!(transcript, expected);
    // Each refused command went again after its wait, and nothing was sent into a
    // window the BBS had closed.
    let sent: VecDeque<&str> = bbs.got.iter().map(String::as_str).collect();
    assert_eq!(
        sent,
        [
            "c1", "c2", "c3", "c4", "c5", "c6", "c6", "c7", "c7", "c8", "c8", "c9", "c9", "c10",
            "c10"
        ]
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(15) && waited < Duration::from_secs(16),
        "five waits of 3 s: {waited:?}"
    );
}

/// A player who reads German or Spanish gets the refusal in their language: chat
/// reads the wait from it all the same and sends the command again.
#[tokio::test(start_paused = true)]
async fn a_slow_down_in_german_or_spanish_is_waited_out_too() {
    for code in ["de", "es"] {
        let lang = Lang::parse(code).expect("offered");
        let mut refused = false;
        let mut bbs = Bbs::new(move |line| {
            if std::mem::replace(&mut refused, true) {
                reply(&format!("ok {line}"))
            } else {
                reply(&slow_down(lang, 4))
            }
        });
        let started = Instant::now();
        let (transcript, summary) = run_script(&mut bbs, "look\n", Duration::ZERO).await;
        assert_eq!(
            summary,
            ScriptSummary {
                sent: 1,
                unanswered: 0
            },
            "{transcript}"
        );
        assert!(
            transcript.contains("\n(sending it again in 4 s)\nok look\n"),
            "{transcript}"
        );
        assert_eq!(bbs.got, ["look", "look"]);
        assert!(started.elapsed() >= Duration::from_secs(4));
    }
}

#[tokio::test(start_paused = true)]
async fn a_command_neither_acked_nor_answered_times_out() {
    let mut bbs = Bbs::new(|_| Vec::new());
    let (transcript, summary) = run_script(&mut bbs, "look\n", Duration::ZERO).await;
    assert_eq!(transcript, "> look\n(no reply within 60 s)\n");
    assert_eq!(
        summary,
        ScriptSummary {
            sent: 1,
            unanswered: 1
        }
    );
}

#[tokio::test(start_paused = true)]
async fn a_bbs_that_marks_nothing_still_gets_its_replies() {
    let mut bbs = Bbs::new(|line| match line {
        "look" => vec![Ev::Ack, Ev::Unmarked("Town Square".into())],
        _ => vec![Ev::Ack, Ev::Unmarked("Post Office".into())],
    });
    let started = Instant::now();
    let (transcript, summary) = run_script(&mut bbs, "look\nn\n", Duration::ZERO).await;
    assert_eq!(
        transcript,
        "> look\n\
         Town Square\n  [1 packet, 11 B, 0.0 s, 0.0 s airtime]\n\
         > n\n\
         Post Office\n  [1 packet, 11 B, 0.0 s, 0.0 s airtime]\n"
    );
    assert_eq!(
        summary,
        ScriptSummary {
            sent: 2,
            unanswered: 0
        }
    );
    // The first reply waited to show the BBS marks nothing (two full LongFast
    // packets' airtime); the second came at once.
    let first_settle = Conversation::new(ModemPreset::LongFast).settle();
    let took = started.elapsed();
    assert!(
        took >= first_settle && took < first_settle + Duration::from_millis(100),
        "{took:?} (first settle {first_settle:?})"
    );
}
