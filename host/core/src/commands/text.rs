//! Words and numbers every command family shares: how a level, an age, a list are
//! put into a reply packet, how a line splits into command and arguments, and the
//! clock. A leaf: it imports nothing from the command files, so they can all use it
//! without importing `commands/mod.rs` (which names every one of them).

use meshmush_lang::{Lang, t};
use meshmush_store::Level;

/// A level as players read it, in `lang`.
pub fn level_word(lang: Lang, level: Level) -> String {
    match level {
        Level::Player => t!(lang, "level-player"),
        Level::Builder => t!(lang, "level-builder"),
        Level::Wizard => t!(lang, "level-wizard"),
    }
}

/// What a player typed, as a reply quotes it back: at most 32 bytes (cut at a
/// character with "…"), so an echo never costs a packet of its own.
pub fn echo(typed: &str) -> String {
    const MOST: usize = 32;
    if typed.len() <= MOST {
        return typed.to_string();
    }
    let mut cut = MOST - '…'.len_utf8();
    while !typed.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &typed[..cut])
}

/// [`age`] in `lang`: `now`, `5m`, `3h`, `2d` in its words (`5 Min.`, `3 h`).
pub fn age_in(lang: Lang, now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => t!(lang, "age-now"),
        60..3600 => t!(lang, "age-minutes", n = s / 60),
        3600..86_400 => t!(lang, "age-hours", n = s / 3600),
        _ => t!(lang, "age-days", n = s / 86_400),
    }
}

/// `just now` or `5m ago`, for a sentence, in `lang`.
pub fn ago_in(lang: Lang, now: u64, then: u64) -> String {
    if now.saturating_sub(then) < 60 {
        return t!(lang, "ago-now");
    }
    t!(lang, "ago", age = age_in(lang, now, then))
}

/// A level as players read it (English; [`level_word`] in a player's language).
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

/// `first`, then as many of `lines` as fit with it in one packet of `budget` bytes;
/// `None` when `first` alone does not fit. A list that leads with its newest item in
/// full answers "what is new" in one command and one packet.
pub fn fill_packet(first: String, lines: &[String], budget: usize) -> Option<String> {
    if first.len() > budget {
        return None;
    }
    let mut out = first;
    for line in lines {
        if out.len() + 1 + line.len() > budget {
            break;
        }
        out.push('\n');
        out.push_str(line);
    }
    Some(out)
}

/// Unix seconds now.
/// What a channel packet from `@wall` (or a scheduled wall) looks like.
pub fn wall_text(name: &str, text: &str) -> String {
    format!("[wall] {name}: {text}")
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Splits a command line into its first word and the rest. A leading `"`, `:` or `;`
/// is a word of its own (`"hello` is `say hello`, `:waves` is `pose waves`, `;'s here`
/// is `semipose 's here`).
pub fn split_command(line: &str) -> (&str, &str) {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix(['"', ':', ';']) {
        return (&line[..1], rest.trim());
    }
    match line.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (line, ""),
    }
}

/// Direction words: typed with no exit that way, they say so instead of running the
/// command they happen to prefix (`n` is not `name`).
pub const DIRECTIONS: &[&str] = &[
    "n",
    "s",
    "e",
    "w",
    "ne",
    "nw",
    "se",
    "sw",
    "u",
    "d",
    "up",
    "down",
    "out",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// What a mail's sender is told when the mail is read, wherever, in `lang` (the
/// sender's): `Bob read your mail 'Lunch?' (at Valley BBS)`.
pub fn read_receipt_in(lang: Lang, reader: &str, subject: &str, bbs: &str) -> String {
    t!(
        lang,
        "receipt-notice",
        name = reader,
        subject = subject,
        bbs = bbs
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_each_languages_units() {
        let now = 10 * 86_400;
        let lang = |code| Lang::parse(code).expect("offered");
        let cases = [
            (lang("en"), ["now", "5m", "2h", "3d"], "5m ago"),
            (
                lang("de"),
                ["jetzt", "5 Min.", "2 Std.", "3 Tg."],
                "vor 5 Min.",
            ),
            (lang("es"), ["ahora", "5 min", "2 h", "3 d"], "hace 5 min"),
        ];
        for (l, ages, ago) in cases {
            let then = [now - 59, now - 300, now - 7300, now - 3 * 86_400];
            let read: Vec<String> = then.iter().map(|t| age_in(l, now, *t)).collect();
            assert_eq!(read, ages, "{l}");
            assert_eq!(ago_in(l, now, now - 300), ago, "{l}");
        }
        assert_eq!(ago_in(lang("de"), now, now), "gerade eben");
    }

    #[test]
    fn quote_colon_and_semicolon_are_words_of_their_own() {
        assert_eq!(split_command("  look  here "), ("look", "here"));
        assert_eq!(split_command("\"hello there"), ("\"", "hello there"));
        assert_eq!(split_command("\" hello"), ("\"", "hello"));
        assert_eq!(split_command(":waves"), (":", "waves"));
        assert_eq!(split_command(":"), (":", ""));
        assert_eq!(split_command(";'s eyes"), (";", "'s eyes"));
    }
}
