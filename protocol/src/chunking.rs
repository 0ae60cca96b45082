//! Cutting a reply into radio-sized packets.
//!
//! A Meshtastic text packet carries at most 220 bytes of UTF-8 once headers, the
//! `Data` fields and PKI overhead are paid ([`crate::airtime::PKI_TEXT_BUDGET`]), and every packet costs the whole mesh airtime. So the chunker
//! fills packets close to the budget, never cuts inside a UTF-8 sequence or a grapheme
//! (a letter and its combining marks stay together), prefers to cut at a line break,
//! then at a space, and numbers the parts (`(1/3) `) only when there is more than one,
//! counting the marker inside the budget.

use unicode_segmentation::UnicodeSegmentation;

/// Default budget of text bytes per packet: the most a PKI direct message carries.
pub const DEFAULT_BUDGET: usize = crate::airtime::PKI_TEXT_BUDGET;
/// The smallest budget the chunker accepts: room for a marker and some text.
pub const MIN_BUDGET: usize = 16;

/// The most packets one reply may take; a longer reply is cut short with "…". (The
/// pager sends a few packets at a time, so this only bounds pathological output.)
pub const MAX_PARTS: usize = 999;
const ELLIPSIS: &str = "…";

/// Splits `text` into packets of at most `budget` bytes each (clamped to
/// [`MIN_BUDGET`]). Whitespace around the text is dropped. Returns no packets for text
/// that is empty or only whitespace.
pub fn chunk(text: &str, budget: usize) -> Vec<String> {
    let budget = budget.max(MIN_BUDGET);
    let text = trim_graphemes(text);
    if text.is_empty() {
        return Vec::new();
    }
    if text.len() <= budget {
        return vec![text.to_string()];
    }
    // The marker's width depends on the number of parts; grow it until it fits.
    for digits in 1..=3 {
        let parts = split(text, budget - marker_width(digits));
        if parts.len() < 10usize.pow(digits as u32) {
            return numbered(&parts);
        }
    }
    let room = budget - marker_width(3);
    let mut parts = split(text, room);
    parts.truncate(MAX_PARTS);
    if let Some(last) = parts.last_mut() {
        let keep = floor_grapheme(last, room - ELLIPSIS.len());
        *last = &last[..keep];
    }
    let mut packets = numbered(&parts);
    if let Some(last) = packets.last_mut() {
        last.push_str(ELLIPSIS);
    }
    packets
}

fn numbered(parts: &[&str]) -> Vec<String> {
    let total = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("({}/{total}) {p}", i + 1))
        .collect()
}

fn is_space(g: &str) -> bool {
    g.chars().all(char::is_whitespace)
}

/// Drops whitespace graphemes at both ends. A space carrying a combining mark is one
/// grapheme and not whitespace, so it stays whole.
fn trim_graphemes(s: &str) -> &str {
    if s.is_ascii() {
        // ASCII graphemes are single bytes (and CR LF, which is whitespace too).
        return s.trim_matches(|c: char| c.is_whitespace());
    }
    let start = s
        .grapheme_indices(true)
        .find(|(_, g)| !is_space(g))
        .map_or(s.len(), |(i, _)| i);
    let end = s
        .grapheme_indices(true)
        .rev()
        .find(|(_, g)| !is_space(g))
        .map_or(start, |(i, g)| i + g.len());
    &s[start..end.max(start)]
}

/// The largest grapheme boundary of `s` at or below `max` bytes.
fn floor_grapheme(s: &str, max: usize) -> usize {
    units(s)
        .map(|(i, g)| i + g.len())
        .take_while(|&end| end <= max)
        .last()
        .unwrap_or(0)
}

/// Removes a part marker added by [`chunk`], if any (see [`parse_marker`]).
pub fn strip_marker(packet: &str) -> &str {
    parse_marker(packet).map_or(packet, |(_, _, rest)| rest)
}

/// Reads the part marker [`chunk`] writes, `(i/n) `, at the start of `packet`: the
/// part `i` (from 1), the total `n`, and the text after the marker. Only markers
/// `chunk` can write count: digits without leading zeros, `2 <= n <=` [`MAX_PARTS`],
/// `1 <= i <= n`, and the one space after the parenthesis. Anything else (plain text
/// that happens to start with a parenthesis) is `None`.
///
/// This is the one place that knows the marker's shape; handsets, tests and the
/// bench reassemble replies with it.
pub fn parse_marker(packet: &str) -> Option<(usize, usize, &str)> {
    let rest = packet.strip_prefix('(')?;
    let (head, tail) = rest.split_once(") ")?;
    let (part, total) = head.split_once('/')?;
    let (part, total) = (marker_number(part)?, marker_number(total)?);
    ((2..=MAX_PARTS).contains(&total) && (1..=total).contains(&part)).then_some((part, total, tail))
}

/// A number as `chunk` writes it in a marker: 1 to 3 ASCII digits, no leading zero.
fn marker_number(digits: &str) -> Option<usize> {
    let ok = (1..=3).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    ok.then(|| digits.parse().ok()).flatten()
}

/// Bytes taken by a marker `(i/n) ` when `n` has `digits` digits.
fn marker_width(digits: usize) -> usize {
    4 + 2 * digits
}

/// The graphemes of `s` with their offsets. ASCII text, nearly every reply, takes a
/// fast path: each byte is a grapheme, except CR LF, which is one.
fn units(s: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if s.is_ascii() {
        Box::new(AsciiUnits { s, at: 0 })
    } else {
        Box::new(s.grapheme_indices(true))
    }
}

struct AsciiUnits<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Iterator for AsciiUnits<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.s.as_bytes();
        let at = self.at;
        let first = *bytes.get(at)?;
        let len = if first == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        self.at += len;
        self.s.get(at..at + len).map(|g| (at, g))
    }
}

/// Splits into pieces of at most `max` bytes, without markers.
fn split(text: &str, max: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= max {
            parts.push(rest);
            break;
        }
        let (piece, next) = cut(rest, max);
        if !piece.is_empty() {
            parts.push(piece);
        }
        rest = next;
    }
    parts
}

/// Cuts one piece of at most `max` bytes off the front of `text` (which is longer than
/// `max` and starts with a non-space). Returns the piece and the remainder, with the
/// whitespace at the cut dropped.
fn cut(text: &str, max: usize) -> (&str, &str) {
    // The last grapheme boundary that fits.
    let mut fit = 0;
    let mut last_newline = None;
    let mut last_space = None;
    for (at, g) in units(text) {
        if at + g.len() > max {
            break;
        }
        if g.contains('\n') {
            last_newline = Some(at);
        } else if g.chars().all(char::is_whitespace) {
            last_space = Some(at);
        }
        fit = at + g.len();
    }
    if fit == 0 {
        // One grapheme longer than the budget (a pile of combining marks): fall back
        // to the last char boundary so we still make progress without breaking UTF-8.
        fit = (1..=max)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        if fit == 0 {
            fit = text.chars().next().map_or(text.len(), char::len_utf8);
        }
        return (&text[..fit], trim_graphemes(&text[fit..]));
    }
    // A line break in the second half of the window wins; then the last space there.
    // A break in the first half would waste most of a packet's airtime, so a long word
    // is hard-split at a grapheme boundary instead.
    let at = match (last_newline, last_space) {
        (Some(nl), _) if nl >= max / 2 => Some(nl),
        (nl, sp) => sp.max(nl).filter(|&p| p >= max / 2),
    };
    match at {
        Some(p) => (trim_graphemes(&text[..p]), trim_graphemes(&text[p..])),
        None => (&text[..fit], trim_graphemes(&text[fit..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_units_match_graphemes_on_any_ascii(s in "[a-z \\t\\r\\n\\x00-\\x7f]{0,64}") {
            let fast: Vec<_> = AsciiUnits { s: &s, at: 0 }.collect();
            let slow: Vec<_> = s.grapheme_indices(true).collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn ascii_units_are_the_graphemes() {
        for s in ["", "a", "a\r\nb", "\r\r\n\n", "x \t\n\ry", "\r"] {
            let fast: Vec<_> = AsciiUnits { s, at: 0 }.collect();
            let slow: Vec<_> = s.grapheme_indices(true).collect();
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn short_text_is_one_packet_without_marker() {
        assert_eq!(
            chunk("You are in the town square.", 200),
            vec!["You are in the town square."]
        );
    }

    #[test]
    fn empty_and_blank_text_give_no_packets() {
        assert!(chunk("", 200).is_empty());
        assert!(chunk(" \n\t ", 200).is_empty());
    }

    #[test]
    fn long_text_gets_markers_and_fits() {
        let text = "word ".repeat(100);
        let parts = chunk(&text, 50);
        assert!(parts.len() > 1);
        let n = parts.len();
        for (i, p) in parts.iter().enumerate() {
            assert!(p.len() <= 50, "{p:?}");
            assert!(p.starts_with(&format!("({}/{n}) ", i + 1)));
            assert!(!strip_marker(p).starts_with(' ') && !strip_marker(p).ends_with(' '));
        }
    }

    #[test]
    fn prefers_line_breaks_in_the_second_half() {
        let text = format!("{}\n{}", "a".repeat(30), "b ".repeat(30));
        let parts = chunk(&text, 40);
        assert_eq!(strip_marker(&parts[0]), "a".repeat(30));
    }

    #[test]
    fn a_long_token_after_a_short_word_fills_the_packet() {
        let text = format!("see {}", "x".repeat(300));
        let parts = chunk(&text, 100);
        assert_eq!(parts[0].len(), 100, "{parts:?}");
    }

    #[test]
    fn hard_splits_a_long_word_on_char_boundaries() {
        let text = "é".repeat(100); // 200 bytes, 2 per char
        let parts = chunk(&text, 31);
        for p in &parts {
            assert!(p.len() <= 31);
        }
        let joined: String = parts.iter().map(|p| strip_marker(p)).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn keeps_combining_marks_with_their_letter() {
        // "e" + combining acute, repeated: each grapheme is 3 bytes.
        let text = "e\u{301}".repeat(40);
        for p in chunk(&text, 20) {
            assert!(!strip_marker(&p).starts_with('\u{301}'), "{p:?}");
        }
    }

    #[test]
    fn two_digit_part_counts_fit_the_budget() {
        let text = "x".repeat(2000);
        let parts = chunk(&text, 30);
        assert!(parts.len() >= 10);
        assert!(parts.iter().all(|p| p.len() <= 30));
        assert!(
            parts
                .last()
                .is_some_and(|p| p.starts_with(&format!("({0}/{0}) ", parts.len())))
        );
    }

    #[test]
    fn endless_output_is_cut_at_max_parts_within_budget() {
        let parts = chunk(&"x".repeat(1_000_001), 16);
        assert_eq!(parts.len(), MAX_PARTS);
        assert!(parts.iter().all(|p| p.len() <= 16));
        assert!(
            parts
                .last()
                .is_some_and(|p| p.starts_with("(999/999) ") && p.ends_with('…'))
        );
    }

    #[test]
    fn parse_marker_reads_what_chunk_writes() {
        let parts = chunk(&"word ".repeat(400), 40);
        let n = parts.len();
        assert!(n >= 10);
        for (i, p) in parts.iter().enumerate() {
            let (part, total, rest) = parse_marker(p).expect("a marker");
            assert_eq!((part, total), (i + 1, n));
            assert_eq!(rest, strip_marker(p));
            assert_eq!(format!("({part}/{total}) {rest}"), *p);
        }
        let last = chunk(&"x".repeat(1_000_001), 16).pop().unwrap();
        assert_eq!(parse_marker(&last).map(|m| (m.0, m.1)), Some((999, 999)));
    }

    #[test]
    fn parse_marker_refuses_what_chunk_never_writes() {
        for text in [
            "no marker",
            "(a/b) x",
            "(1/1) x",
            "(0/2) x",
            "(3/2) x",
            "(01/2) x",
            "(1/02) x",
            "(1/1000) x",
            "(1/2)x",
            "(1/2 ) x",
            "(/2) x",
            "(1/) x",
            "( 1/2) x",
            "(+1/2) x",
            "(1/2)",
            "",
        ] {
            assert_eq!(parse_marker(text), None, "{text:?}");
            assert_eq!(strip_marker(text), text);
        }
        assert_eq!(parse_marker("(1/2) "), Some((1, 2, "")));
        assert_eq!(
            parse_marker("(12/345) a (1/2) b"),
            Some((12, 345, "a (1/2) b"))
        );
    }

    #[test]
    fn strip_marker_leaves_plain_text_alone() {
        assert_eq!(strip_marker("(a/b) x"), "(a/b) x");
        assert_eq!(strip_marker("(1/2) x"), "x");
        assert_eq!(strip_marker("no marker"), "no marker");
    }
}
