//! The budget test: every message in every language, rendered with each variable at
//! its longest, must fit the packets it is sent in (one, unless English's catalogue
//! gives it `.packets = N`), and a message may not need more packets than in English
//! unless that language's catalogue marks it `.longer = allowed`.
//!
//! The budget is a reply packet's: the link's text budget for a PKI DM less the
//! bytes of `Data.reply_id` every reply packet carries (`protocol::airtime`), the
//! tighter of the two a message may travel in (a notice has no `reply_id`).

use meshmush_protocol::airtime::{PKI_TEXT_BUDGET, REPLY_ID_BYTES};
use meshmush_protocol::chunking::chunk;

use crate::catalogue::{Arg, Catalogue, catalogue};
use crate::lang::Lang;

/// Text bytes of one reply packet.
const REPLY_BUDGET: usize = PKI_TEXT_BUDGET - REPLY_ID_BYTES;

/// A name at its longest: 24 characters (the store's `MAX_NAME_CHARS`), each two
/// bytes (`ß`, `ñ`: names are any letters).
fn long_name() -> String {
    "ñ".repeat(24)
}

/// Each variable at its longest, by name (a variable of a new name must be added
/// here, or the test fails). `None`: the content of a list or a text whose own
/// length the pager deals with; the message is measured as the frame around it.
fn longest(var: &str) -> Option<Option<Arg>> {
    let text = |s: String| Some(Some(Arg::Text(s)));
    match var {
        "name" | "from" | "command" => text(long_name()),
        // A board name: at most 16 bytes (`@board create`).
        "board" => text("b".repeat(16)),
        // What a player typed and is echoed, cut by the caller to 32 bytes.
        "word" | "topic" | "thing" | "exit" | "room" => text("w".repeat(32)),
        // A node's long name as Meshtastic keeps it (39 bytes and its NUL).
        "bbs" => text("B".repeat(39)),
        "level" => text("Baumeister".into()),
        "code" => text("xx-XX".into()),
        "codes" => text("en de es".into()),
        "usage" => text("mail | mail N | mail PLAYER [TEXT] | mail delete N | mail clear".into()),
        "age" => text("9999 Tg.".into()),
        "ago" => text("gerade eben".into()),
        "ids" => text("!4d4d1001, !4d4d1002, !4d4d1003".into()),
        "error" => text("the disk is full or broken: 64 bytes of what the store said".into()),
        "n" | "num" | "count" | "more" | "total" | "len" | "max" => Some(Some(Arg::Num(9_999_999))),
        "list" | "names" | "close" | "boards" | "commands" | "help" => Some(None),
        // bbs
        // A draft's kind selects the sentence (post or mail); the rest fall back.
        "kind" => text("post".into()),
        "mins" | "gap" => Some(Some(Arg::Num(9_999_999))),
        // A subject (`compose::SUBJECT_MAX`).
        "subject" => text("s".repeat(60)),
        // A node as `seen` names it: a name and its id.
        "node" => text(format!("{} !4d4d1001", long_name())),
        "id" => text("!4d4d1001".into()),
        // `seen`'s parts: hops and SNR, and what it says of a DM route.
        "hops" => text("Hops unbekannt".into()),
        "snr" => text(", SNR -20.5dB".into()),
        "route" => text("DM-Route: keine, DMs kamen nicht an; sie werden geflutet.".into()),
        // `whoami`: the longest of its senders.
        "sender" => text("impostor".into()),
        // `receipts` selects on on/off; `@pwlocks` gives a rendered state.
        "state" => text("noch 9999999 s gesperrt".into()),
        "what" => text("post".into()),
        "players" | "posts" | "unread" | "heard" => Some(Some(Arg::Num(9_999_999))),
        // `stats`' airtime and uptime, as rendered.
        "airtime" => text("9999999 s von 9999999 s".into()),
        "up" => text("9999 Tg. 23 Std.".into()),
        // world
        // What a player wrote (said, whispered, paged, an away line): the frame.
        "text" => Some(None),
        // Whom a whisper went to: a player's name.
        "to" => text(long_name()),
        // Names the world's content gives: a shop, a quest, a title or achievement.
        "shop" | "quest" | "title" => text("w".repeat(32)),
        "price" | "left" => Some(Some(Arg::Num(9_999_999))),
        // What kind of object `examine` shows a builder (a room, an exit, a thing).
        "sort" => text("Ausgang".into()),
        _ => None,
    }
}

/// `key` in `lang`'s own catalogue (or English's), rendered at its longest.
fn render_longest(c: &Catalogue, lang: Lang, key: &str) -> Result<String, String> {
    let mut args = Vec::new();
    let vars = if c.has(lang, key) {
        c.variables(lang, key)
    } else {
        c.variables(Lang::EN, key)
    };
    for var in vars {
        match longest(&var) {
            None => return Err(format!("{lang} {key}: no longest value for ${var}")),
            Some(Some(arg)) => args.push((var, arg)),
            Some(None) => args.push((var, Arg::Text(String::new()))),
        }
    }
    let args: Vec<(&str, Arg)> = args.iter().map(|(v, a)| (v.as_str(), a.clone())).collect();
    Ok(c.text(lang, key, &args))
}

fn packets(text: &str) -> usize {
    chunk(text, REPLY_BUDGET).len()
}

/// Every message's problems with its budget.
fn over_budget(c: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    for key in c.keys(Lang::EN) {
        let Ok(english) = render_longest(c, Lang::EN, key).map_err(|e| problems.push(e)) else {
            continue;
        };
        for lang in Lang::all() {
            let text = match render_longest(c, lang, key) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let (here, en) = (packets(&text), packets(&english));
            let budget = c
                .attribute(Lang::EN, key, "packets")
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            if here > budget {
                problems.push(format!(
                    "{lang} {key}: {} bytes, {here} packets of {budget}",
                    text.len()
                ));
            }
            let allowed = c.attribute(lang, key, "longer").as_deref() == Some("allowed");
            if here > en && !allowed {
                problems.push(format!(
                    "{lang} {key}: {here} packets where English needs {en} ({} bytes)",
                    text.len()
                ));
            }
        }
    }
    problems
}

#[test]
fn every_message_fits_its_packet_in_every_language() {
    assert_eq!(over_budget(catalogue()), Vec::<String>::new());
}

#[test]
fn a_message_too_long_or_longer_than_english_is_caught() {
    let long = "x".repeat(120);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let en = leak(format!("a = {{ $name }} {long}\nb = short\n"));
    let de = leak(format!(
        "a = {{ $name }} {long} {long}\nb = {long} {long}\n"
    ));
    let c = Catalogue::from_sources(&[("en", en), ("de", de)]);
    let problems = over_budget(&c);
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].starts_with("de a: 290 bytes, 2 packets of 1"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("2 packets where English needs 1"),
        "{problems:?}"
    );
    assert!(problems[2].starts_with("de b: 241 bytes"), "{problems:?}");
    // A message English sends in two packets may take two elsewhere, if marked.
    let en = "a = x\nb = y\n    .packets = 2\n";
    let de = leak(format!("a = x\nb = {long} {long}\n"));
    let c = Catalogue::from_sources(&[("en", en), ("de", de)]);
    assert_eq!(
        over_budget(&c),
        vec!["de b: 2 packets where English needs 1 (241 bytes)".to_string()]
    );
    let de = leak(format!("a = x\nb = {long} {long}\n    .longer = allowed\n"));
    let c = Catalogue::from_sources(&[("en", en), ("de", de)]);
    assert_eq!(over_budget(&c), Vec::<String>::new());
}

#[test]
fn a_variable_without_a_longest_value_fails() {
    let c = Catalogue::from_sources(&[("en", "a = { $unheard }\n")]);
    assert_eq!(
        over_budget(&c),
        vec!["en a: no longest value for $unheard".to_string()]
    );
}
