//! Reading a fetched document into [`Item`]s: RSS and Atom with `feed-rs`, CAP 1.2
//! alerts with `roxmltree` (no DTD, a node limit). At most `max` entries come out, the
//! document's first (feeds list their newest first). CPU work on up to
//! `feeds.max_body_kib` of text: the caller runs it on the blocking pool.

use thiserror::Error;

use super::shape::{Item, plain};
use crate::config::feed::{FeedKind, Severity, Urgency, UrgentRule};

/// The CAP 1.2 namespace (OASIS CAP 1.2, section 3.3.1, the `alert` element).
pub const CAP_NS: &str = "urn:oasis:names:tc:emergency:cap:1.2";

/// Elements a CAP document may have: 1 MiB of alerts has far fewer; more is an attack.
const CAP_NODES_MAX: u32 = 200_000;

/// Why a document was not read (for the status page: no document text).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    #[error("not an RSS or Atom feed: {0}")]
    Feed(String),
    #[error("not XML: {0}")]
    Xml(String),
    #[error("no CAP 1.2 alert in the document")]
    NoAlert,
}

/// The entries of a `kind` document, at most `max`.
pub fn items(
    kind: FeedKind,
    body: &[u8],
    rule: Option<UrgentRule>,
    max: usize,
) -> Result<Vec<Item>, ParseError> {
    match kind {
        FeedKind::Rss | FeedKind::Atom => feed_items(body, max),
        FeedKind::Cap => cap_items(body, rule, max),
    }
}

fn feed_items(body: &[u8], max: usize) -> Result<Vec<Item>, ParseError> {
    let feed = feed_rs::parser::parse(body).map_err(|e| ParseError::Feed(one_line(&e)))?;
    Ok(feed
        .entries
        .into_iter()
        .take(max)
        .map(|e| {
            let summary = e
                .summary
                .map(|t| t.content)
                .or_else(|| e.content.and_then(|c| c.body))
                .unwrap_or_default();
            // The entry's page: Atom's `alternate` link, else the first.
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.clone());
            Item {
                id: e.id,
                title: e.title.map(|t| plain(&t.content)).unwrap_or_default(),
                summary: plain(&summary),
                link,
                urgent: false,
            }
        })
        .collect())
}

fn one_line(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    let line = s.lines().next().unwrap_or_default();
    line.chars().take(120).collect()
}

/// Every CAP 1.2 `alert` in the document (the root, or inside an index), at most `max`.
/// Only `status` Actual alerts are items: Exercise, System, Test and Draft are for
/// their handlers only (CAP 1.2 section 3.2.1, `status`).
fn cap_items(body: &[u8], rule: Option<UrgentRule>, max: usize) -> Result<Vec<Item>, ParseError> {
    let text = std::str::from_utf8(body).map_err(|e| ParseError::Xml(e.to_string()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: CAP_NODES_MAX,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| ParseError::Xml(one_line(&e)))?;
    let alerts: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((CAP_NS, "alert")))
        .collect();
    if alerts.is_empty() {
        return Err(ParseError::NoAlert);
    }
    Ok(alerts
        .into_iter()
        .filter(|a| child_text(*a, "status").eq_ignore_ascii_case("actual"))
        .filter_map(|a| cap_item(a, rule))
        .take(max)
        .collect())
}

/// The trimmed text of `node`'s first CAP child named `name` ("" if none).
fn child_text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.children()
        .find(|c| c.has_tag_name((CAP_NS, name)))
        .and_then(|c| c.text())
        .map_or("", str::trim)
}

/// One alert as an item: its first `info` (the sender's first language) makes the
/// text; it is urgent if any `info` meets the rule. An alert with no identifier or
/// sender cannot be told apart from the next: none.
fn cap_item(alert: roxmltree::Node, rule: Option<UrgentRule>) -> Option<Item> {
    let (identifier, sender) = (child_text(alert, "identifier"), child_text(alert, "sender"));
    if identifier.is_empty() || sender.is_empty() {
        return None;
    }
    let infos: Vec<roxmltree::Node> = alert
        .children()
        .filter(|c| c.has_tag_name((CAP_NS, "info")))
        .collect();
    let urgent = rule.is_some_and(|r| {
        infos.iter().any(|i| {
            r.meets(
                Severity::from_cap(child_text(*i, "severity")),
                Urgency::from_cap(child_text(*i, "urgency")),
            )
        })
    });
    let info = infos.first();
    let field = |name| info.map_or("", |i| child_text(*i, name));
    let headline = [field("headline"), field("event")]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or(identifier);
    // An update or a cancel says so (CAP 1.2 section 3.2.1, `msgType`).
    let title = match child_text(alert, "msgType") {
        "" | "Alert" => headline.to_string(),
        kind => format!("{kind}: {headline}"),
    };
    let area = info
        .and_then(|i| {
            i.children()
                .find(|c| c.has_tag_name((CAP_NS, "area")))
                .map(|a| child_text(a, "areaDesc"))
        })
        .unwrap_or("");
    let mut summary = Vec::new();
    if !area.is_empty() {
        summary.push(format!("Area: {area}."));
    }
    summary.extend(
        [field("description"), field("instruction")]
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(String::from),
    );
    Some(Item {
        id: format!("{sender}\0{identifier}"),
        title: plain(&title),
        summary: plain(&summary.join(" ")),
        link: Some(field("web").to_string()).filter(|w| !w.is_empty()),
        urgent,
    })
}

#[cfg(test)]
mod tests;
