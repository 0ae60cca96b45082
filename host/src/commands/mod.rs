//! The command registry: every command is an entry with a name, aliases, one line of
//! help, a permission level and a handler. The parser and `help` are driven by it, and
//! each command family lives in its own file that registers its entries here, so
//! adding a command touches one file.

/// Wraps an `async fn(&mut Ctx, &str) -> Reply` as a registry [`Handler`].
macro_rules! handler {
    ($f:path) => {{
        fn wrapped<'a>(
            ctx: &'a mut $crate::session::Ctx,
            args: &'a str,
        ) -> $crate::commands::HandlerFuture<'a> {
            Box::pin($f(ctx, args))
        }
        wrapped
    }};
}

/// Registers one async command at a level:
/// `entry!(r, Level::Builder, "@dig", &[], "usage", "help", dig)`.
macro_rules! entry {
    ($r:expr, $level:expr, $name:literal, $aliases:expr, $usage:literal, $help:literal, $f:path) => {
        $r.add($crate::commands::Entry {
            name: $name,
            aliases: $aliases,
            usage: $usage,
            help: $help,
            level: $level,
            handler: handler!($f),
        })
    };
}

mod account;
mod admin;
mod basic;
mod boards;
pub mod mail;

pub use boards::default_boards;
mod build;
mod look;
mod talk;
mod things;
mod world;

pub use look::walk_by_exit;

use std::future::Future;
use std::pin::Pin;

use crate::session::Ctx;
use crate::store::Level;

/// What a handler returns: the reply text (possibly long; the link chunks it).
pub type Reply = Result<String, CommandError>;
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Reply> + Send + 'a>>;
/// A command's code: the session context and the text after the command word.
pub type Handler = for<'a> fn(&'a mut Ctx, &'a str) -> HandlerFuture<'a>;

/// A command failed in a way the player should hear about.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    User(String),
    #[error("storage trouble, try again: {0}")]
    Store(#[from] crate::store::StoreError),
}

/// One command.
pub struct Entry {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub help: &'static str,
    pub level: Level,
    pub handler: Handler,
}

/// The result of looking up a command word.
pub enum Lookup<'a> {
    Found(&'a Entry),
    Ambiguous(Vec<&'static str>),
    Unknown(Vec<&'static str>),
}

#[derive(Default)]
pub struct Registry {
    entries: Vec<Entry>,
}

impl Registry {
    /// Every command meshmush knows.
    pub fn standard() -> Self {
        let mut r = Self::default();
        basic::register(&mut r);
        account::register(&mut r);
        boards::register(&mut r);
        mail::register(&mut r);
        look::register(&mut r);
        talk::register(&mut r);
        things::register(&mut r);
        build::register(&mut r);
        admin::register(&mut r);
        r
    }

    pub fn add(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Commands a player at `level` may use, in registration order.
    pub fn available(&self, level: Level) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.level <= level)
    }

    /// True when `word` is a command's name or alias (players may not take it).
    pub fn is_command_name(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        self.entries
            .iter()
            .any(|e| e.name == word || e.aliases.contains(&word.as_str()))
    }

    /// Whether `word` is exactly a name or alias of a command `level` may use.
    pub fn is_exact(&self, word: &str, level: Level) -> bool {
        let word = word.to_lowercase();
        self.available(level)
            .any(|e| e.name == word || e.aliases.contains(&word.as_str()))
    }

    /// Finds a command by name, alias, or unambiguous prefix of a name, among those
    /// `level` may use.
    pub fn lookup(&self, word: &str, level: Level) -> Lookup<'_> {
        let word = word.to_lowercase();
        let usable = || self.available(level);
        if let Some(e) = usable().find(|e| e.name == word || e.aliases.contains(&word.as_str())) {
            return Lookup::Found(e);
        }
        let prefixed: Vec<&Entry> = usable().filter(|e| e.name.starts_with(&word)).collect();
        match prefixed.as_slice() {
            [one] => Lookup::Found(one),
            [] => {
                let mut scored: Vec<(f64, &'static str)> = usable()
                    .map(|e| (strsim::jaro_winkler(&word, e.name), e.name))
                    .filter(|(s, _)| *s >= 0.7)
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                Lookup::Unknown(scored.into_iter().take(3).map(|(_, n)| n).collect())
            }
            many => Lookup::Ambiguous(many.iter().map(|e| e.name).collect()),
        }
    }
}

/// A level as players read it.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Player => "player",
        Level::Builder => "builder",
        Level::Wizard => "wizard",
    }
}

/// How long ago `then` was, tersely: `now` (under a minute), `5m`, `3h`, `2d`.
pub fn age(now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => "now".to_string(),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// `just now` or `5m ago`, for a sentence.
pub fn ago(now: u64, then: u64) -> String {
    match age(now, then).as_str() {
        "now" => "just now".to_string(),
        a => format!("{a} ago"),
    }
}

/// The start of `text` on one line, at most `max` bytes, cut at a word with "…".
pub fn first_words(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.len() <= max {
        return line;
    }
    let mut cut = max;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &line[..cut];
    let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
    format!("{head}…")
}

/// Splits a command line into its first word and the rest. A leading `"` or `:` is a
/// word of its own (`"hello` is `say hello`, `:waves` is `pose waves`).
pub fn split_command(line: &str) -> (&str, &str) {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix(['"', ':']) {
        return (&line[..1], rest.trim());
    }
    match line.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (line, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_and_colon_are_words_of_their_own() {
        assert_eq!(split_command("  look  here "), ("look", "here"));
        assert_eq!(split_command("\"hello there"), ("\"", "hello there"));
        assert_eq!(split_command("\" hello"), ("\"", "hello"));
        assert_eq!(split_command(":waves"), (":", "waves"));
        assert_eq!(split_command(":"), (":", ""));
    }

    #[test]
    fn exact_names_and_aliases_only() {
        let r = Registry::standard();
        assert!(r.is_exact("L", Level::Player));
        assert!(r.is_exact("\"", Level::Player));
        assert!(
            !r.is_exact("n", Level::Player),
            "n is an exit, not a prefix of name"
        );
        assert!(!r.is_exact("@dig", Level::Player));
        assert!(r.is_exact("@dig", Level::Builder));
    }
}
