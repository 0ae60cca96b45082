//! `[[feed]]` and `[feeds]`: news feeds and emergency alerts the BBS polls over the
//! internet and posts on a board (issue 30):
//!
//! ```toml
//! [feeds]
//! timeout_secs = 20       # one fetch, connect to last byte
//! max_body_kib = 1024     # a longer document is refused, not read
//! max_entries = 50        # entries looked at per poll
//! max_posts = 5           # new posts per poll per feed
//!
//! [[feed]]
//! url = "https://example.org/news.rss"
//! kind = "rss"            # "rss", "atom" or "cap"
//! board = "news"
//! every_mins = 30
//!
//! [[feed]]
//! name = "NWS"            # the posts' author is "NWS (feed)"; default: the URL's host
//! url = "https://alerts.example.org/cap.xml"
//! kind = "cap"
//! board = "alerts"
//! every_mins = 5
//! urgent_board = "urgent" # alerts meeting `urgent` go here and are announced
//! urgent = { severity = "severe", urgency = "expected" }
//! ```
//!
//! This module parses and checks them; the daemon's `feeds` task polls and posts.

use serde::{Deserialize, Serialize};

/// `[feeds]`: the bounds every `[[feed]]` shares: what a feed server, hostile or
/// broken, can make the BBS wait for, read and store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsSection {
    /// One fetch, from connecting to the last byte, in seconds (1 to 300).
    pub timeout_secs: u64,
    /// The longest document read, in KiB (1 to 16384); a longer one is refused.
    pub max_body_kib: u64,
    /// Entries looked at per poll, newest first (1 to 1000); the rest are ignored.
    pub max_entries: usize,
    /// New entries posted per poll of one feed (1 to 100); newer ones first, older
    /// new ones are marked seen without a post, so a feed first polled with a long
    /// history does not fill the board.
    pub max_posts: usize,
}

impl Default for FeedsSection {
    fn default() -> Self {
        Self {
            timeout_secs: 20,
            max_body_kib: 1024,
            max_entries: 50,
            max_posts: 5,
        }
    }
}

/// What a feed's document is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    #[default]
    Rss,
    Atom,
    /// OASIS Common Alerting Protocol 1.2: one `<alert>`, or a document holding
    /// several (an Atom or RSS index with the alerts inside).
    Cap,
}

impl FeedKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Atom => "atom",
            Self::Cap => "cap",
        }
    }
}

/// CAP 1.2 `severity` (section 3.2.2), lowest first, so `>=` is "at least as severe".
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    Minor,
    Moderate,
    Severe,
    Extreme,
}

impl Severity {
    /// The spec's word (case as the spec spells it, matched without case); anything
    /// else is `Unknown`.
    pub fn from_cap(word: &str) -> Self {
        match word.trim().to_ascii_lowercase().as_str() {
            "extreme" => Self::Extreme,
            "severe" => Self::Severe,
            "moderate" => Self::Moderate,
            "minor" => Self::Minor,
            _ => Self::Unknown,
        }
    }
}

/// CAP 1.2 `urgency` (section 3.2.2), least urgent first.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Unknown,
    Past,
    Future,
    Expected,
    Immediate,
}

impl Urgency {
    pub fn from_cap(word: &str) -> Self {
        match word.trim().to_ascii_lowercase().as_str() {
            "immediate" => Self::Immediate,
            "expected" => Self::Expected,
            "future" => Self::Future,
            "past" => Self::Past,
            _ => Self::Unknown,
        }
    }
}

/// `urgent = { severity = "severe", urgency = "expected" }`: a CAP alert is urgent
/// when it is at least this severe *and* at least this urgent.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UrgentRule {
    pub severity: Severity,
    pub urgency: Urgency,
}

impl UrgentRule {
    pub fn meets(&self, severity: Severity, urgency: Urgency) -> bool {
        severity >= self.severity && urgency >= self.urgency
    }
}

/// One `[[feed]]` as written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct FeedEntry {
    /// Shown as the posts' author (`NAME (feed)`) and on the status page; default the
    /// URL's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `http://` or `https://`.
    pub url: String,
    #[serde(default)]
    pub kind: FeedKind,
    /// The board each new entry is posted on.
    pub board: String,
    /// Minutes between polls (at least 1).
    pub every_mins: u64,
    /// CAP: the board alerts meeting `urgent` go to instead (announced on the channel
    /// as a post on an urgent board is). Default: `board`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_board: Option<String>,
    /// CAP: which alerts are urgent. None: no alert is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent: Option<UrgentRule>,
}

/// The longest feed name: its posts' author is `NAME (feed)`, which must fit the
/// 40 bytes sync takes for a sender.
pub const NAME_MAX: usize = 32;
/// The longest board name sync takes.
const BOARD_MAX: usize = 32;

/// A checked feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// Which `[[feed]]` it is (0-based), for logs.
    pub index: usize,
    pub name: String,
    pub url: String,
    pub kind: FeedKind,
    pub board: String,
    pub urgent_board: String,
    pub every_mins: u64,
    pub urgent: Option<UrgentRule>,
}

impl Feed {
    /// The author name its posts carry.
    pub fn author(&self) -> String {
        format!("{} (feed)", self.name)
    }
}

/// The host part of an `http(s)://` URL, or why it is not one.
fn url_host(url: &str) -> Result<&str, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("url {url:?} is not an http:// or https:// URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("url {url:?} has no host"));
    }
    Ok(host)
}

impl FeedEntry {
    /// The checked feed, or every problem with it.
    pub fn checked(&self, index: usize) -> Result<Feed, Vec<String>> {
        let mut problems = Vec::new();
        let url = self.url.trim().to_string();
        let host = url_host(&url).map_err(|e| problems.push(e)).unwrap_or("");
        let name = match &self.name {
            Some(n) => n.trim().to_string(),
            None => host.chars().take(NAME_MAX).collect(),
        };
        if self.name.is_some() && name.is_empty() {
            problems.push("name is empty".into());
        }
        if name.len() > NAME_MAX {
            problems.push(format!(
                "name is {} bytes; at most {NAME_MAX} (it is the posts' author)",
                name.len()
            ));
        }
        let board = self.board.trim().to_string();
        let urgent_board = self
            .urgent_board
            .as_deref()
            .map_or(board.clone(), |b| b.trim().to_string());
        let mut named = vec![("board", &board)];
        if self.urgent_board.is_some() {
            named.push(("urgent_board", &urgent_board));
        }
        for (key, b) in named {
            if b.is_empty() {
                problems.push(format!("{key} is empty"));
            } else if b.len() > BOARD_MAX || b.contains(char::is_whitespace) {
                problems.push(format!(
                    "{key} {b:?} is not a board name (one word, at most {BOARD_MAX} bytes)"
                ));
            }
        }
        if self.every_mins == 0 {
            problems.push("every_mins must be at least 1".into());
        }
        if self.kind != FeedKind::Cap {
            if self.urgent.is_some() {
                problems.push(format!(
                    "urgent (severity and urgency) is for kind = \"cap\"; this feed is {:?}",
                    self.kind.name()
                ));
            }
            if self.urgent_board.is_some() {
                problems.push(format!(
                    "urgent_board is for kind = \"cap\"; this feed is {:?}",
                    self.kind.name()
                ));
            }
        } else if self.urgent_board.is_some() && self.urgent.is_none() {
            problems
                .push("urgent_board is set but no urgent rule says which alerts go there".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Feed {
            index,
            name,
            url,
            kind: self.kind,
            board,
            urgent_board,
            every_mins: self.every_mins,
            urgent: self.urgent,
        })
    }
}

/// Every problem with `[feeds]` and the `[[feed]]`s, as (key, message).
pub fn problems(section: &FeedsSection, entries: &[FeedEntry]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut range = |key: &str, v: u64, lo: u64, hi: u64| {
        if !(lo..=hi).contains(&v) {
            out.push((
                format!("feeds.{key}"),
                format!("{v} is out of range: {lo} to {hi}"),
            ));
        }
    };
    range("timeout_secs", section.timeout_secs, 1, 300);
    range("max_body_kib", section.max_body_kib, 1, 16_384);
    range("max_entries", section.max_entries as u64, 1, 1000);
    range("max_posts", section.max_posts as u64, 1, 100);
    let mut urls = std::collections::BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let key = format!("feed[{i}]");
        match entry.checked(i) {
            Ok(f) => {
                if !urls.insert(f.url.clone()) {
                    out.push((key, format!("url {:?} is polled twice", f.url)));
                }
            }
            Err(problems) => out.extend(problems.into_iter().map(|p| (key.clone(), p))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    #[test]
    fn a_cap_feed_with_a_rule_parses() {
        let text = "[feeds]\nmax_posts = 3\n\n\
                    [[feed]]\nurl = \"https://alerts.example.org/cap.xml\"\nkind = \"cap\"\n\
                    board = \"alerts\"\nevery_mins = 5\nurgent_board = \"urgent\"\n\
                    urgent = { severity = \"severe\", urgency = \"expected\" }\n\n\
                    [[feed]]\nname = \"Valley news\"\nurl = \"http://127.0.0.1:8080/n.rss\"\n\
                    board = \"news\"\nevery_mins = 30\n";
        let cfg = Config::from_toml(text, Path::new("x.toml")).unwrap();
        let feeds = cfg.feeds();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].name, "alerts.example.org");
        assert_eq!(feeds[0].urgent_board, "urgent");
        assert_eq!(feeds[0].author(), "alerts.example.org (feed)");
        assert_eq!(feeds[1].kind, FeedKind::Rss);
        assert_eq!(feeds[1].urgent_board, "news");
        let rule = feeds[0].urgent.unwrap();
        assert!(rule.meets(Severity::Severe, Urgency::Immediate));
        assert!(rule.meets(Severity::Extreme, Urgency::Expected));
        assert!(!rule.meets(Severity::Moderate, Urgency::Immediate));
        assert!(!rule.meets(Severity::Extreme, Urgency::Future));
        assert_eq!(cfg.feeds.max_posts, 3);
    }

    #[test]
    fn every_problem_of_every_feed_is_named() {
        let text = "[feeds]\ntimeout_secs = 0\n\n\
                    [[feed]]\nurl = \"ftp://x\"\nboard = \"\"\nevery_mins = 0\n\n\
                    [[feed]]\nurl = \"https://a.example/f\"\nkind = \"atom\"\nboard = \"news\"\n\
                    every_mins = 5\nurgent = { severity = \"severe\", urgency = \"past\" }\n\n\
                    [[feed]]\nurl = \"https://a.example/f\"\nboard = \"two words\"\nevery_mins = 5\n";
        let e = Config::from_toml(text, Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 6, "{e}");
        assert!(lines[0].contains("feeds.timeout_secs"), "{e}");
        assert!(
            lines[1].contains("feed[0]") && lines[1].contains("http"),
            "{e}"
        );
        assert!(lines[2].contains("board is empty"), "{e}");
        assert!(lines[3].contains("every_mins"), "{e}");
        assert!(
            lines[4].contains("feed[1]") && lines[4].contains("cap"),
            "{e}"
        );
        assert!(
            lines[5].contains("feed[2]") && lines[5].contains("not a board"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_kind_or_severity_is_the_parsers_problem_named() {
        let p = Path::new("x.toml");
        let e = Config::from_toml(
            "[[feed]]\nurl = \"https://a/\"\nkind = \"json\"\nboard = \"b\"\nevery_mins = 5\n",
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("json"), "{e}");
        let e = Config::from_toml(
            "[[feed]]\nurl = \"https://a/\"\nkind = \"cap\"\nboard = \"b\"\nevery_mins = 5\n\
             urgent = { severity = \"awful\", urgency = \"immediate\" }\n",
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("awful"), "{e}");
    }

    #[test]
    fn a_duplicate_url_is_named() {
        let entry = FeedEntry {
            url: "https://a.example/f".into(),
            board: "news".into(),
            every_mins: 5,
            ..Default::default()
        };
        let said = problems(&FeedsSection::default(), &[entry.clone(), entry]);
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].0, "feed[1]");
    }
}
