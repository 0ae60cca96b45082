//! Scenario transcripts: plain-text files that say which handset sends what and which
//! replies must come back, readable by someone who never saw the code.
//!
//! ```text
//! # A title line, then any comments.
//! handsets: 2                  (how many simulated handsets: alice, bob, carol, ...)
//! config: limits.burst = 100   (TOML lines for the daemon's config, any number)
//! hil: yes                     (also run it on real radios)
//!
//! alice> ping                  (alice sends "ping" and waits for the reply)
//! < pong                       (the reply, exactly; \n for a line break)
//! bob> help
//! <~ ^Commands: help           (the reply matches a regular expression)
//! alice> post general hi
//! <* Posted                    (the reply starts with this)
//! bob< New mail from Alice.    (the next text bob receives, unasked)
//! alice#> bbs?                 (alice sends "bbs?" on the primary channel)
//! bob#< URGENT on general: ... (the next text bob hears on the channel; #<* #<~ too)
//! alice> flood
//! <none                        (no reply within the quiet time)
//! ! duplicate 1.0              (a fault or an action; see `Action`)
//! ! restart                    (restart the daemon on the same data directory)
//! wait 500ms
//! ```
//!
//! A command's reply is the whole reply: a multi-packet reply is reassembled (part
//! markers dropped). Every packet any handset receives must fit the byte budget.

use std::path::Path;
use std::time::Duration;

/// What to check about one reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Exact(String),
    Prefix(String),
    Regex(String),
    Nothing,
}

/// A fault or an action on the mesh or the daemon.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `! drop-connection`: the gateway drops the daemon's connection.
    DropConnection,
    /// `! reboot`: the gateway node reboots.
    Reboot,
    /// `! garbage`, `! oversize`, `! truncated`: damage on the gateway's stream.
    Garbage,
    Oversize,
    Truncated,
    /// `! duplicate P`, `! drop P`: share of packets duplicated / lost on the air.
    Duplicate(f64),
    Drop(f64),
    /// `! pki on|off`: direct messages with or without PKI.
    Pki(bool),
    /// `! restart`: stop the daemon and start it again on the same data.
    Restart,
}

/// One line of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Send {
        handset: usize,
        text: String,
    },
    Reply {
        expect: Expect,
    },
    Unasked {
        handset: usize,
        expect: Expect,
    },
    /// `alice#> text`: a text on the primary channel.
    ChannelSend {
        handset: usize,
        text: String,
    },
    /// `bob#< text`: the next text the handset hears on a channel.
    ChannelHeard {
        handset: usize,
        expect: Expect,
    },
    Act(Action),
    Wait(Duration),
}

/// A parsed scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub handsets: usize,
    pub config: String,
    /// `hil: yes`: fit for real radios (one handset, no names that depend on the sim).
    pub hil: bool,
    /// Steps with their line numbers.
    pub steps: Vec<(usize, Step)>,
}

/// A line that cannot be understood.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Handset names in order: handset k answers to `NAMES[k]`, as in the software mesh.
pub const NAMES: [&str; 10] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
];

fn handset_index(name: &str) -> Option<usize> {
    NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name.trim()))
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

fn expect(rest: &str, marker: &str) -> Option<Expect> {
    let body = |s: &str| unescape(s.strip_prefix(' ').unwrap_or(s));
    match marker {
        "<none" => Some(Expect::Nothing),
        "<~" => Some(Expect::Regex(body(rest))),
        "<*" => Some(Expect::Prefix(body(rest))),
        "<" => Some(Expect::Exact(body(rest))),
        _ => None,
    }
}

/// Splits `<~ x`, `<* x`, `< x`, `<none` into marker and rest.
fn split_expect(s: &str) -> Option<(&str, &str)> {
    for m in ["<none", "<~", "<*", "<"] {
        if let Some(rest) = s.strip_prefix(m) {
            return Some((m, rest));
        }
    }
    None
}

fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if let Some(ms) = s.strip_suffix("ms") {
        return ms.trim().parse().ok().map(Duration::from_millis);
    }
    s.strip_suffix('s')?
        .trim()
        .parse::<f64>()
        .ok()
        .map(Duration::from_secs_f64)
}

fn parse_action(s: &str) -> Option<Action> {
    let mut words = s.split_whitespace();
    let verb = words.next()?;
    let arg = words.next();
    let share = || arg.and_then(|a| a.parse::<f64>().ok());
    Some(match verb {
        "drop-connection" => Action::DropConnection,
        "reboot" => Action::Reboot,
        "garbage" => Action::Garbage,
        "oversize" => Action::Oversize,
        "truncated" => Action::Truncated,
        "duplicate" => Action::Duplicate(share()?),
        "drop" => Action::Drop(share()?),
        "pki" => Action::Pki(match arg? {
            "on" => true,
            "off" => false,
            _ => return None,
        }),
        "restart" => Action::Restart,
        _ => return None,
    })
}

impl Scenario {
    /// Parses a scenario; `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Self, ParseError> {
        let mut sc = Scenario {
            name: name.to_string(),
            title: String::new(),
            handsets: 1,
            config: String::new(),
            hil: false,
            steps: Vec::new(),
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| ParseError {
                file: name.to_string(),
                line,
                message,
            };
            let t = raw.trim_end();
            if t.trim().is_empty() {
                continue;
            }
            if let Some(comment) = t.strip_prefix('#') {
                if sc.title.is_empty() {
                    sc.title = comment.trim().to_string();
                }
                continue;
            }
            if let Some(n) = t.strip_prefix("handsets:") {
                sc.handsets = n
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("bad handset count {n:?}")))?;
                if sc.handsets == 0 || sc.handsets > NAMES.len() {
                    return Err(err(format!("handsets must be 1..={}", NAMES.len())));
                }
                continue;
            }
            if let Some(v) = t.strip_prefix("hil:") {
                sc.hil = v.trim() == "yes";
                continue;
            }
            if let Some(cfg) = t.strip_prefix("config:") {
                sc.config.push_str(cfg.trim());
                sc.config.push('\n');
                continue;
            }
            if let Some(a) = t.strip_prefix('!') {
                let act =
                    parse_action(a).ok_or_else(|| err(format!("unknown action {:?}", a.trim())))?;
                sc.steps.push((line, Step::Act(act)));
                continue;
            }
            if let Some(d) = t.strip_prefix("wait ") {
                let d = parse_duration(d).ok_or_else(|| err(format!("bad duration {d:?}")))?;
                sc.steps.push((line, Step::Wait(d)));
                continue;
            }
            if let Some((m, rest)) = split_expect(t) {
                let e = expect(rest, m).ok_or_else(|| err("bad expectation".into()))?;
                sc.steps.push((line, Step::Reply { expect: e }));
                continue;
            }
            if let Some((who, rest)) = t.split_once("#>")
                && let Some(handset) = handset_index(who)
            {
                let text = rest.trim().to_string();
                sc.steps.push((line, Step::ChannelSend { handset, text }));
                continue;
            }
            if let Some(at) = t.find("#<")
                && let Some(handset) = handset_index(&t[..at])
                && let Some((m, rest)) = split_expect(&t[at + 1..])
            {
                let e = expect(rest, m).ok_or_else(|| err("bad expectation".into()))?;
                sc.steps
                    .push((line, Step::ChannelHeard { handset, expect: e }));
                continue;
            }
            if let Some((who, rest)) = t.split_once('>')
                && let Some(handset) = handset_index(who)
            {
                sc.steps.push((
                    line,
                    Step::Send {
                        handset,
                        text: rest.trim().to_string(),
                    },
                ));
                continue;
            }
            if let Some(at) = t.find('<')
                && let Some(handset) = handset_index(&t[..at])
                && let Some((m, rest)) = split_expect(&t[at..])
            {
                let e = expect(rest, m).ok_or_else(|| err("bad expectation".into()))?;
                sc.steps.push((line, Step::Unasked { handset, expect: e }));
                continue;
            }
            return Err(err(format!("cannot read {t:?}")));
        }
        for (line, step) in &sc.steps {
            let used = match step {
                Step::Send { handset, .. }
                | Step::Unasked { handset, .. }
                | Step::ChannelSend { handset, .. }
                | Step::ChannelHeard { handset, .. } => Some(*handset),
                _ => None,
            };
            if let Some(h) = used
                && h >= sc.handsets
            {
                return Err(ParseError {
                    file: name.to_string(),
                    line: *line,
                    message: format!("{} is not among the {} handsets", NAMES[h], sc.handsets),
                });
            }
        }
        Ok(sc)
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<Self, ParseError> {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let text = std::fs::read_to_string(path).map_err(|e| ParseError {
            file: name.clone(),
            line: 0,
            message: e.to_string(),
        })?;
        Self::parse(&name, &text)
    }
}

impl Expect {
    /// Checks a reply (`None`: nothing came).
    pub fn check(&self, got: Option<&str>) -> Result<(), String> {
        match (self, got) {
            (Expect::Nothing, None) => Ok(()),
            (Expect::Nothing, Some(g)) => Err(format!("expected no reply, got {g:?}")),
            (_, None) => Err(format!("expected {self:?}, got no reply")),
            (Expect::Exact(e), Some(g)) if e == g => Ok(()),
            (Expect::Prefix(e), Some(g)) if g.starts_with(e.as_str()) => Ok(()),
            (Expect::Regex(re), Some(g)) => match regex::Regex::new(re) {
                Ok(r) if r.is_match(g) => Ok(()),
                Ok(_) => Err(format!("expected /{re}/, got {g:?}")),
                Err(e) => Err(format!("bad regex /{re}/: {e}")),
            },
            (e, Some(g)) => Err(format!("expected {e:?}, got {g:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_line() {
        let text = "# Title here\nhandsets: 2\nconfig: limits.burst = 9\nalice> ping\n< pong\nbob> help\n<~ ^Commands\n<* Com\nbob< New mail\n<none\n! duplicate 0.5\n! restart\nwait 250ms\n";
        let sc = Scenario::parse("t", text).unwrap();
        assert_eq!(sc.title, "Title here");
        assert_eq!((sc.handsets, sc.config.as_str()), (2, "limits.burst = 9\n"));
        let steps: Vec<Step> = sc.steps.into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            steps[0],
            Step::Send {
                handset: 0,
                text: "ping".into()
            }
        );
        assert_eq!(
            steps[1],
            Step::Reply {
                expect: Expect::Exact("pong".into())
            }
        );
        assert_eq!(
            steps[3],
            Step::Reply {
                expect: Expect::Regex("^Commands".into())
            }
        );
        assert_eq!(
            steps[5],
            Step::Unasked {
                handset: 1,
                expect: Expect::Exact("New mail".into())
            }
        );
        assert_eq!(
            steps[6],
            Step::Reply {
                expect: Expect::Nothing
            }
        );
        assert_eq!(steps[7], Step::Act(Action::Duplicate(0.5)));
        assert_eq!(steps[9], Step::Wait(Duration::from_millis(250)));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Scenario::parse("x.txt", "alice> hi\nzed> hi\n").unwrap_err();
        assert_eq!(e.to_string(), "x.txt:2: cannot read \"zed> hi\"");
        let e = Scenario::parse("x.txt", "bob> hi\n").unwrap_err();
        assert!(
            e.to_string().contains("bob is not among the 1 handsets"),
            "{e}"
        );
    }

    #[test]
    fn expectations_check_replies() {
        assert!(Expect::Exact("a\nb".into()).check(Some("a\nb")).is_ok());
        assert!(Expect::Prefix("Post".into()).check(Some("Posted")).is_ok());
        assert!(Expect::Regex("^#\\d+".into()).check(Some("#12")).is_ok());
        assert!(Expect::Nothing.check(Some("x")).is_err());
        assert!(Expect::Exact("x".into()).check(None).is_err());
    }
}
