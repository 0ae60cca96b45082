//! Property tests of reply chunking: cutting text into radio-sized packets.
//!
//! For any text and any budget from 16 to 240 bytes:
//! - every packet fits the budget, and none is empty;
//! - packets carry `(i/n) ` markers exactly when there is more than one, numbered 1..n;
//! - with the markers stripped, the packets are the input in order, losing nothing but
//!   whitespace at the cuts;
//! - no cut falls inside a grapheme (so no packet starts with a stray combining mark),
//!   unless that grapheme alone is longer than a packet;
//! - ordinary prose fills packets to at least 90% of the budget.

mod common;
use common::config;
use meshmush_protocol::chunking::{DEFAULT_BUDGET, MAX_PARTS, MIN_BUDGET, chunk, strip_marker};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use unicode_segmentation::UnicodeSegmentation;

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

fn combining_mark() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('\u{0300}', '\u{036F}'),
        prop::char::range('\u{1AB0}', '\u{1ABE}'),
        prop::char::range('\u{20D0}', '\u{20F0}'),
        Just('\u{FE0F}'),
        Just('\u{200D}'),
    ]
}

/// A letter carrying 1..=4 combining marks (one grapheme).
fn accented() -> impl Strategy<Value = String> {
    (
        "[a-zA-Zα-ω]",
        prop::collection::vec(combining_mark(), 1..=4),
    )
        .prop_map(|(base, marks)| base.chars().chain(marks).collect())
}

/// A letter buried under so many marks that the grapheme is longer than any packet.
fn zalgo() -> impl Strategy<Value = String> {
    ("[a-z]", prop::collection::vec(combining_mark(), 60..160))
        .prop_map(|(base, marks)| base.chars().chain(marks).collect())
}

fn emoji() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "😀",
        "🙂",
        "👍🏽",   // skin tone
        "👩‍👩‍👧‍👦",   // ZWJ family, 25 bytes
        "🇫🇷",   // flag: two regional indicators
        "🇩🇪🇯🇵", // two flags in a row
        "❤️",   // with VS16
        "🏳️‍🌈",
        "1️⃣", // keycap
    ])
    .prop_map(str::to_string)
}

/// Whitespace of every kind the chunker must treat as a cut: spaces, runs, newlines,
/// CRLF, tabs, blank lines, non-ASCII spaces.
fn whitespace() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(" ".to_string()),
        1 => " {2,6}",
        1 => " {10,60}",
        2 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\t".to_string()),
        1 => prop::sample::select(vec!["\u{00A0}", "\u{2003}", "\u{3000}", "\u{2028}"])
            .prop_map(str::to_string),
    ]
}

/// A token of text. `stray_marks` adds combining marks with no letter of their own, which
/// then follow whatever came before (a space, a newline, the start of the text).
fn token(stray_marks: bool) -> BoxedStrategy<String> {
    let mut options: Vec<(u32, BoxedStrategy<String>)> = vec![
        (8, "[a-zA-Z]{1,12}".boxed()),
        (2, "[a-z]{1,4}[.,;:!?]".boxed()),
        (1, "[a-z]{20,300}".boxed()),
        (3, accented().boxed()),
        (1, zalgo().boxed()),
        (2, emoji().boxed()),
        (2, "[\u{4E00}-\u{9FFF}]{1,30}".boxed()),
        (1, "[а-яё]{1,12}".boxed()),
        (1, "[\u{0915}-\u{0939}][\u{093E}-\u{094C}]?".boxed()), // Devanagari + vowel sign
        (10, whitespace().boxed()),
        // Text that looks like a marker must survive as text.
        (1, Just("(1/2) ".to_string()).boxed()),
    ];
    if stray_marks {
        options.push((
            2,
            prop::collection::vec(combining_mark(), 1..3)
                .prop_map(|m| m.into_iter().collect())
                .boxed(),
        ));
        options.push((2, any::<char>().prop_map(String::from).boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

fn text_from(stray_marks: bool) -> impl Strategy<Value = String> {
    prop_oneof![
        1 => prop::collection::vec(token(stray_marks), 0..12),
        3 => prop::collection::vec(token(stray_marks), 0..160),
    ]
    .prop_map(|t| t.concat())
}

/// Short text padded with whitespace: the text alone fits a packet, the padding does not.
fn padded_text() -> impl Strategy<Value = String> {
    ("[ \n]{0,120}", text_from(true), "[ \n\r]{0,120}")
        .prop_map(|(a, t, b)| format!("{a}{}{b}", truncate(&t, 260)))
}

/// Cuts `s` to at most `max` bytes on a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut at = max.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[..at]
}

/// Arbitrary text, stray combining marks and any `char` included.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => text_from(true).boxed(),
        2 => padded_text().boxed(),
        1 => "(?s).{0,600}".boxed(),
        1 => any::<String>().boxed(),
    ]
}

/// Text whose combining marks always sit on a letter.
fn well_formed_text() -> impl Strategy<Value = String> {
    text_from(false)
}

fn budget() -> impl Strategy<Value = usize> {
    prop_oneof![
        MIN_BUDGET..=24usize,
        MIN_BUDGET..=240usize,
        Just(DEFAULT_BUDGET),
    ]
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The marker `chunk` puts on part `i` (0-based) of `n`.
fn marker(i: usize, n: usize) -> String {
    format!("({}/{n}) ", i + 1)
}

/// A packet's text without its marker, checking the marker is the expected one.
fn body(packets: &[String], i: usize) -> Result<&str, TestCaseError> {
    let n = packets.len();
    let p = &packets[i];
    if n == 1 {
        // Whether a lone packet may carry a marker is `markers_iff_more_than_one_packet`'s
        // business; here only where its text came from matters.
        return Ok(p.strip_prefix("(1/1) ").unwrap_or(p));
    }
    let m = marker(i, n);
    prop_assert!(p.starts_with(&m), "packet {i} lacks marker {m:?}: {p:?}");
    prop_assert_eq!(strip_marker(p), &p[m.len()..]);
    Ok(&p[m.len()..])
}

/// Where each packet's text sits in `text`: byte ranges, in order, with only whitespace
/// around them. Fails if a packet is not found that way.
fn locate(text: &str, packets: &[String]) -> Result<Vec<(usize, usize)>, TestCaseError> {
    let mut spans = Vec::new();
    let mut pos = 0;
    // A reply cut short at MAX_PARTS ends in "…" and drops the rest of the text.
    let truncated = packets.len() == MAX_PARTS;
    for i in 0..packets.len() {
        let mut b = body(packets, i)?;
        if truncated && i + 1 == packets.len() {
            b = b.strip_suffix('…').unwrap_or(b);
        }
        let found = text[pos..].find(b);
        let Some(off) = found else {
            return Err(TestCaseError::fail(format!(
                "packet {i} {b:?} not found after byte {pos} of the text"
            )));
        };
        let gap = &text[pos..pos + off];
        prop_assert!(
            gap.chars().all(char::is_whitespace),
            "non-whitespace {gap:?} dropped before packet {i} {b:?}"
        );
        spans.push((pos + off, pos + off + b.len()));
        pos += off + b.len();
    }
    let tail = &text[pos..];
    prop_assert!(
        truncated || tail.chars().all(char::is_whitespace),
        "non-whitespace {tail:?} dropped after the last packet"
    );
    Ok(spans)
}

/// `text` without whitespace graphemes at either end: what the chunker sends (a space
/// carrying a combining mark is one grapheme, not whitespace).
fn gtrim(text: &str) -> &str {
    let space = |g: &str| g.chars().all(char::is_whitespace);
    let start = text
        .grapheme_indices(true)
        .find(|(_, g)| !space(g))
        .map_or(text.len(), |(i, _)| i);
    let end = text
        .grapheme_indices(true)
        .rev()
        .find(|(_, g)| !space(g))
        .map_or(start, |(i, g)| i + g.len());
    &text[start..end.max(start)]
}

/// The grapheme of `text` containing byte `at`, as (start, len), if `at` is inside one
/// rather than on a boundary.
fn inside_grapheme(text: &str, at: usize) -> Option<(usize, usize)> {
    text.grapheme_indices(true)
        .map(|(s, g)| (s, g.len()))
        .find(|&(s, l)| s < at && at < s + l)
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1024))]

    /// Every packet fits the budget and none is empty (or only whitespace).
    #[test]
    fn packets_fit_and_are_not_empty(text in any_text(), budget in budget()) {
        let packets = chunk(&text, budget);
        prop_assert_eq!(packets.is_empty(), gtrim(&text).is_empty());
        for (i, p) in packets.iter().enumerate() {
            prop_assert!(p.len() <= budget, "packet {i} is {} > {budget} bytes: {p:?}", p.len());
            prop_assert!(!strip_marker(p).trim().is_empty() || packets.len() == 1,
                "packet {i} carries no text: {p:?}");
            prop_assert!(!p.is_empty());
        }
    }

    /// Markers `(i/n) ` are there exactly when there is more than one packet, numbered
    /// 1..n; a single packet is the text as given.
    #[test]
    fn markers_iff_more_than_one_packet(text in any_text(), budget in budget()) {
        check_markers(&text, budget)?;
    }

    /// The same for text without surrounding whitespace (which the bug above needs).
    #[test]
    fn markers_number_the_parts_of_trimmed_text(text in any_text(), budget in budget()) {
        check_markers(gtrim(&text), budget)?;
    }

    /// Text that fits the budget once trimmed goes out as one packet: a reply ending in a
    /// newline must not cost a second packet (and a second slot of airtime).
    #[test]
    fn text_that_fits_once_trimmed_is_one_packet(
        text in any_text(),
        budget in budget(),
        pad in "[ \n\r\t]{0,40}",
    ) {
        // The first graphemes of the text that fit the budget, padded with whitespace.
        let core = gtrim(&text);
        let fit = core
            .grapheme_indices(true)
            .map(|(i, g)| i + g.len())
            .take_while(|&end| end <= budget)
            .last()
            .unwrap_or(0);
        let core = gtrim(&core[..fit]);
        prop_assume!(!core.is_empty());
        // (A leading pad ends in a line break, which no combining mark can attach to.)
        let padded = format!("{pad}\n{core}{pad}");
        // A trailing pad after a Prepend character (U+0D4E MALAYALAM LETTER DOT REPH,
        // say) is no padding: it joins that character into one grapheme (UAX #29,
        // GB9b), which the chunker keeps whole.
        prop_assume!(gtrim(&padded) == core);
        let packets = chunk(&padded, budget);
        prop_assert_eq!(packets.len(), 1, "{:?}", packets);
        prop_assert_eq!(packets[0].as_str(), core);
    }
}

fn check_markers(text: &str, budget: usize) -> Result<(), TestCaseError> {
    let packets = chunk(text, budget);
    match packets.len() {
        0 => {}
        1 => prop_assert!(
            packets[0] == gtrim(text),
            "a single packet {:?} is not the text {text:?}",
            packets[0]
        ),
        n => {
            for i in 0..n {
                body(&packets, i)?;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1024))]

    /// Stripped of markers, the packets are the text in order, minus whitespace at cuts.
    #[test]
    fn packets_are_the_text_modulo_whitespace_at_cuts(text in any_text(), budget in budget()) {
        let packets = chunk(&text, budget);
        locate(&text, &packets)?;
        // And only whitespace is lost.
        let kept: usize = (0..packets.len()).map(|i| body(&packets, i).map(str::len)).sum::<Result<_, _>>()?;
        let non_ws: usize = text.chars().filter(|c| !c.is_whitespace()).map(char::len_utf8).sum();
        prop_assert!(kept >= non_ws);
    }

    /// No cut inside a grapheme, for text whose combining marks sit on letters: no packet
    /// starts with a mark torn from its letter, unless the grapheme is bigger than a packet.
    #[test]
    fn cuts_fall_on_grapheme_boundaries(text in well_formed_text(), budget in budget()) {
        check_grapheme_cuts(&text, budget)?;
    }

    /// The same over arbitrary text, including marks that follow a space.
    #[test]
    fn cuts_fall_on_grapheme_boundaries_for_any_text(text in any_text(), budget in budget()) {
        check_grapheme_cuts(&text, budget)?;
    }
}

fn check_grapheme_cuts(text: &str, budget: usize) -> Result<(), TestCaseError> {
    let packets = chunk(text, budget);
    let spans = locate(text, &packets)?;
    for (i, &(start, end)) in spans.iter().enumerate() {
        // Room for text in a packet: an oversize grapheme may be hard-split. The chunker
        // reserves the widest marker of the set, `(nn/nn) `, in every packet.
        let room = match packets.len() {
            1 => budget,
            n => budget - marker(n - 1, n).len(),
        };
        for at in [start, end] {
            if let Some((g, len)) = inside_grapheme(text, at) {
                prop_assert!(
                    len > room,
                    "packet {i} {:?} cuts at byte {at} inside grapheme {:?} ({len} bytes, room {room})",
                    packets[i],
                    &text[g..g + len]
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Examples and fill rate
// ---------------------------------------------------------------------------------------

const PROSE: &str = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud \
exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor \
in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur \
sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est \
laborum. The lantern swings above the crossroads while the innkeeper counts her coins and \
mutters about the weather; somewhere to the north a wolf howls, and the travellers pull \
their cloaks tighter. You see a narrow alley to the east, a shuttered bakery to the west, \
and the old well in the middle of the square, its rope frayed and its bucket missing. ";

/// About 2000 bytes of ordinary English prose, one paragraph.
fn prose(len: usize) -> String {
    let mut s = String::new();
    while s.len() < len {
        s.push_str(PROSE);
    }
    let cut = s[..len].rfind(' ').unwrap_or(len);
    s.truncate(cut);
    s
}

#[test]
fn prose_fills_packets_to_ninety_percent() {
    let text = prose(2000);
    assert!(text.len() > 1950);
    let budget = DEFAULT_BUDGET;
    let packets = chunk(&text, budget);
    assert!(packets.len() > 1);
    let full = &packets[..packets.len() - 1];
    let avg = full.iter().map(String::len).sum::<usize>() as f64 / full.len() as f64;
    let fill = avg / budget as f64;
    assert!(
        fill >= 0.90,
        "average fill {fill:.3} ({avg:.1} of {budget} bytes over {} packets): {packets:#?}",
        full.len()
    );
    // Nothing but the part count is wasted: the text needs no more packets than
    // a perfect packer with these markers would use, plus one.
    let per_packet = budget - "(10/10) ".len();
    assert!(packets.len() <= text.len().div_ceil(per_packet) + 1);
}

proptest! {
    #![proptest_config(config(256))]

    /// The fill rate holds for prose of any length and any budget, not just 2000 / 200.
    #[test]
    fn prose_fills_packets_for_any_length_and_budget(
        len in 300usize..4000,
        budget in 60usize..=240,
    ) {
        let text = prose(len);
        let packets = chunk(&text, budget);
        prop_assume!(packets.len() > 2);
        let full = &packets[..packets.len() - 1];
        let avg = full.iter().map(String::len).sum::<usize>() as f64 / full.len() as f64;
        // Words in the prose are at most 14 bytes: that is all a cut may waste.
        prop_assert!(avg >= budget as f64 - 15.0, "avg {avg:.1} of {budget}: {packets:#?}");
    }
}

// ---------------------------------------------------------------------------------------
// Minimal examples of bugs these properties once found
// ---------------------------------------------------------------------------------------

#[test]
fn whitespace_padding_gets_no_marker() {
    assert_eq!(chunk(&format!("a{}", " ".repeat(16)), 16), vec!["a"]);
}

#[test]
fn trailing_newline_costs_no_extra_packet() {
    let text = format!("{}\n", "x".repeat(200));
    assert_eq!(chunk(&text, 200), vec!["x".repeat(200)]);
}

#[test]
fn space_with_combining_mark_is_not_torn_at_a_cut() {
    let text = format!("{} \u{301}b", "a".repeat(20));
    for p in chunk(&text, 16) {
        assert!(!strip_marker(&p).starts_with('\u{301}'), "{p:?}");
    }
}

#[test]
fn leading_space_with_combining_mark_is_not_torn() {
    let text = format!(" \u{301}{}", "a".repeat(20));
    for p in chunk(&text, 16) {
        assert!(!strip_marker(&p).starts_with('\u{301}'), "{p:?}");
    }
}

#[test]
fn ten_thousand_parts_still_fit_the_budget() {
    let packets = chunk(&"😀".repeat(12_000), 16);
    let over: Vec<_> = packets.iter().filter(|p| p.len() > 16).take(3).collect();
    assert!(over.is_empty(), "{} packets, e.g. {over:?}", packets.len());
}

/// The case proptest found: a space after a Prepend character is part of its
/// grapheme, so it is sent, not trimmed; a space after any other letter is trimmed.
#[test]
fn a_space_after_a_prepend_character_is_kept_with_it() {
    assert_eq!(chunk(" \nൎ ", 16), ["ൎ "]);
    assert_eq!(chunk(" \nക ", 16), ["ക"]);
}
