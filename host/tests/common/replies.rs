//! Checked conversations with the daemon for the world suites: every packet a handset
//! receives is asserted against the radio byte budget, multi-packet replies and
//! notices are reassembled, and silence is checked with a bounded wait.

use super::{WAIT, World};

pub const BUDGET: usize = 200;

/// Sends `text` from handset `k` and returns the reply, reassembled from its packets,
/// after checking each packet fits the budget.
pub async fn ask(w: &mut World, k: usize, text: &str) -> String {
    let bbs = w.bbs;
    w.handsets[k].send(bbs, text).await.expect("send");
    recv(w, k, text).await
}

/// The next whole message (all its packets) on handset `k`.
pub async fn recv(w: &mut World, k: usize, what: &str) -> String {
    let first = next(w, k, what).await;
    let Some(total) = part_count(&first) else {
        return first;
    };
    let mut parts = vec![strip_marker(&first).to_string()];
    // A pager may hold the rest back behind `more`: its last packet says so.
    while parts.len() < total && !parts.last().is_some_and(|p| p.ends_with("[more]")) {
        let p = next(w, k, what).await;
        parts.push(strip_marker(&p).to_string());
    }
    parts.join(" ")
}

pub async fn next(w: &mut World, k: usize, what: &str) -> String {
    let t = w.handsets[k]
        .next_text(WAIT)
        .await
        .unwrap_or_else(|| panic!("handset {k}: nothing after {what:?}"));
    assert!(
        t.text.len() <= BUDGET,
        "packet of {} bytes: {:?}",
        t.text.len(),
        t.text
    );
    t.text
}

pub fn part_count(packet: &str) -> Option<usize> {
    let rest = packet.strip_prefix('(')?;
    let (head, _) = rest.split_once(") ")?;
    head.split_once('/')?.1.parse().ok()
}

pub fn strip_marker(packet: &str) -> &str {
    match part_count(packet) {
        Some(_) => packet.split_once(") ").map(|(_, r)| r).unwrap_or(packet),
        None => packet,
    }
}

/// Waits for a notice on handset `k` containing `needle`.
pub async fn expect(w: &mut World, k: usize, needle: &str) -> String {
    let got = recv(w, k, needle).await;
    assert!(
        got.contains(needle),
        "handset {k} expected {needle:?}, got {got:?}"
    );
    got
}

/// Asserts handset `k` hears nothing more for a moment.
pub async fn silent(w: &mut World, k: usize) {
    let extra = w.handsets[k]
        .texts_until_quiet(std::time::Duration::from_millis(300))
        .await;
    let texts: Vec<&str> = extra.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.is_empty(), "handset {k} heard {texts:?}");
}
