//! What a feed entry becomes as a post: a subject (its title, cut), and a text of the
//! title, a short summary and the link, fitted to `bbs.post_max_bytes`; and the
//! entry's sync id, the same at every BBS that carries the feed.

use crate::commands::text::first_words;
use crate::config::feed::{Feed, FeedKind};
use meshmush_store::sync_item::derived_uid;

/// One entry of a feed, as the parsers give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its id in the feed: RSS `guid`, Atom `id`, CAP `sender` and `identifier`.
    pub id: String,
    pub title: String,
    /// Plain text, tags taken out.
    pub summary: String,
    pub link: Option<String>,
    /// A CAP alert that meets the feed's urgent rule.
    pub urgent: bool,
}

/// The longest subject kept (the BBS's own subjects stop at 60 bytes; `first_words`
/// may add a 3-byte "…").
const SUBJECT_MAX: usize = 56;
/// Links longer than this are left out: sync carries at most 300 bytes of URL, and a
/// link that eats the post says nothing.
const LINK_MAX: usize = 300;

/// The entry's network-wide sync id. A CAP alert is named by its `sender` and
/// `identifier` (CAP 1.2 section 3.2.1: unique per sender), wherever it was fetched;
/// an RSS or Atom entry by the feed's URL and its id (a guid need only be unique in
/// its feed).
pub fn uid(feed: &Feed, item: &Item) -> String {
    match feed.kind {
        FeedKind::Cap => derived_uid(&format!("cap\0{}", item.id)),
        FeedKind::Rss | FeedKind::Atom => derived_uid(&format!("feed\0{}\0{}", feed.url, item.id)),
    }
}

/// The post's subject and text for `item`, the text at most `max` bytes.
pub fn post_text(item: &Item, max: usize) -> (String, String) {
    let has_title = !item.title.trim().is_empty();
    let title = if has_title {
        first_words(&item.title, SUBJECT_MAX * 2)
    } else {
        String::new()
    };
    let subject = first_words(if has_title { &title } else { &item.summary }, SUBJECT_MAX);
    let link = item
        .link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.len() <= LINK_MAX);
    let mut tail = String::new();
    if let Some(link) = link {
        tail = format!("\n{link}");
    }
    // Title, then as much summary as fits before the link; the link goes only if the
    // title and it fit at all.
    let mut head = first_words(&title, max);
    if head.len() + tail.len() > max {
        tail.clear();
    }
    let newline = usize::from(!head.is_empty());
    let room = max.saturating_sub(head.len() + tail.len() + newline + '…'.len_utf8());
    let summary = item.summary.trim();
    if !summary.is_empty() && room > 0 {
        let cut = first_words(summary, room);
        if !cut.is_empty() && cut != "…" {
            head = if head.is_empty() {
                cut
            } else {
                format!("{head}\n{cut}")
            };
        }
    }
    let mut text = format!("{head}{tail}");
    while text.len() > max {
        // Only a title over `max` on its own gets here: cut it hard.
        let mut at = max;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
    (subject, text)
}

/// Text with HTML tags taken out and the common entities read, whitespace collapsed.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => {
                in_tag = false;
                out.push(' ');
            }
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, summary: &str, link: Option<&str>) -> Item {
        Item {
            id: "x".into(),
            title: title.into(),
            summary: summary.into(),
            link: link.map(Into::into),
            urgent: false,
        }
    }

    #[test]
    fn a_short_entry_is_title_summary_and_link() {
        let (subject, text) = post_text(
            &item(
                "Star City",
                "How do Americans get ready?",
                Some("http://x.example/a"),
            ),
            1000,
        );
        assert_eq!(subject, "Star City");
        assert_eq!(
            text,
            "Star City\nHow do Americans get ready?\nhttp://x.example/a"
        );
    }

    #[test]
    fn a_long_summary_is_cut_and_the_link_kept_within_the_bytes() {
        let long = "word ".repeat(400);
        for max in [60, 100, 200, 1000] {
            let (_, text) = post_text(&item("Title", &long, Some("http://x.example/a")), max);
            assert!(text.len() <= max, "{max}: {} bytes", text.len());
            assert!(text.starts_with("Title\nword"), "{text}");
            assert!(text.ends_with("…\nhttp://x.example/a"), "{text}");
        }
        // Too small for title and link: the title alone, cut.
        let (_, text) = post_text(
            &item(&"T".repeat(50), &long, Some("http://x.example/a")),
            30,
        );
        assert!(text.len() <= 30 && !text.contains("http"), "{text}");
    }

    #[test]
    fn an_entry_without_a_title_takes_its_summary_first_words() {
        let (subject, text) =
            post_text(&item("", "Sky watchers in Europe will see it", None), 1000);
        assert_eq!(subject, "Sky watchers in Europe will see it");
        assert_eq!(text, "Sky watchers in Europe will see it");
    }

    #[test]
    fn html_is_read_as_text() {
        assert_eq!(
            plain("at Russia's <a href=\"x\">Star City</a>.&nbsp;Q&amp;A &lt;ok&gt;"),
            "at Russia's Star City . Q&A <ok>"
        );
    }
}
