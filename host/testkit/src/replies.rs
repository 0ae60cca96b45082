//! Reading whole replies off a scripted handset. A reply of several packets is
//! reassembled with `protocol`'s marker parser (the one place that knows the `(i/n)`
//! marker), a page that ends in ` [more]` is all there is until the player asks, and
//! every packet is held to the byte budget.
//!
//! [`collect`] reports what came (for suites that judge it themselves: the transcript
//! runner, the soak, the bench); [`ask`], [`recv`], [`next`], [`expect`] and [`silent`]
//! are assertions for integration tests, and panic with a message naming the
//! handset and what it was waiting for.

use std::time::Duration;

use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_protocol::chunking::{parse_marker, strip_marker};
use meshmush_protocol::packets::TextMessage;

use super::Kit;
use meshmush::delivery::MORE;

/// How long the assertions wait for a packet.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long silence must last to count as "nothing more".
pub const QUIET: Duration = Duration::from_millis(300);

/// The packets of one reply, in the order they came.
#[derive(Debug, Clone)]
pub struct Reply {
    pub packets: Vec<TextMessage>,
    /// False when a packet the first one's marker announced never came.
    pub complete: bool,
}

impl Reply {
    /// The reply's text: markers stripped, packets joined by a space (the chunker
    /// drops the whitespace at its cuts).
    pub fn text(&self) -> String {
        self.packets
            .iter()
            .map(|p| strip_marker(&p.text))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Packets longer than `budget` bytes.
    pub fn over_budget(&self, budget: usize) -> impl Iterator<Item = &TextMessage> {
        self.packets.iter().filter(move |p| p.text.len() > budget)
    }
}

/// The next direct text on `h` within `wait` that `skip` does not pass over.
async fn next_kept(
    h: &mut Handset,
    wait: Duration,
    skip: &impl Fn(&TextMessage) -> bool,
) -> Option<TextMessage> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let t = h.next_text(left).await?;
        if !skip(&t) {
            return Some(t);
        }
    }
}

/// The next reply on `h`: its first packet within `first_wait`, each further one
/// (as many as the first one's marker says, or up to a page's ` [more]`) within
/// `next_wait`. Packets `skip` passes over (notices that arrive unasked) are dropped.
/// `None` when no first packet came.
pub async fn collect(
    h: &mut Handset,
    first_wait: Duration,
    next_wait: Duration,
    skip: impl Fn(&TextMessage) -> bool,
) -> Option<Reply> {
    let first = next_kept(h, first_wait, &skip).await?;
    let total = parse_marker(&first.text).map_or(1, |(_, n, _)| n);
    let mut paged = first.text.ends_with(MORE);
    let mut reply = Reply {
        packets: vec![first],
        complete: true,
    };
    while reply.packets.len() < total && !paged {
        let Some(t) = next_kept(h, next_wait, &skip).await else {
            reply.complete = false;
            break;
        };
        paged = t.text.ends_with(MORE);
        reply.packets.push(t);
    }
    Some(reply)
}

/// Sends `text` from handset `k` and returns the reply, reassembled, after checking
/// each packet fits the budget.
pub async fn ask(kit: &mut Kit, k: usize, text: &str) -> String {
    let bbs = kit.bbs;
    kit.handsets[k]
        .send(bbs, text)
        .await
        .unwrap_or_else(|e| panic!("handset {k} cannot send {text:?}: {e}"));
    recv(kit, k, text).await
}

/// The next whole message (all its packets, or a page) on handset `k`; `what` names
/// what it answers, for the failure message.
pub async fn recv(kit: &mut Kit, k: usize, what: &str) -> String {
    let budget = kit.budget();
    let Some(reply) = collect(&mut kit.handsets[k], WAIT, WAIT, |_| false).await else {
        panic!("handset {k}: nothing after {what:?}");
    };
    if let Some(p) = reply.over_budget(budget).next() {
        panic!("packet of {} bytes: {:?}", p.text.len(), p.text);
    }
    assert!(
        reply.complete,
        "handset {k}: a packet is missing after {what:?}: {:?}",
        reply.packets
    );
    reply.text()
}

/// The next single packet on handset `k`, checked against the budget.
pub async fn next(kit: &mut Kit, k: usize, what: &str) -> String {
    let budget = kit.budget();
    let t = kit.handsets[k]
        .next_text(WAIT)
        .await
        .unwrap_or_else(|| panic!("handset {k}: nothing after {what:?}"));
    assert!(
        t.text.len() <= budget,
        "packet of {} bytes: {:?}",
        t.text.len(),
        t.text
    );
    t.text
}

/// Waits for a message on handset `k` containing `needle`.
pub async fn expect(kit: &mut Kit, k: usize, needle: &str) -> String {
    let got = recv(kit, k, needle).await;
    assert!(
        got.contains(needle),
        "handset {k} expected {needle:?}, got {got:?}"
    );
    got
}

/// Asserts handset `k` hears nothing more for [`QUIET`].
pub async fn silent(kit: &mut Kit, k: usize) {
    let extra = kit.handsets[k].texts_until_quiet(QUIET).await;
    let texts: Vec<&str> = extra.iter().map(|t| t.text.as_str()).collect();
    assert!(texts.is_empty(), "handset {k} heard {texts:?}");
}

impl Kit {
    /// Sends `text` from handset `k` and returns the reassembled reply ([`ask`]).
    pub async fn ask(&mut self, k: usize, text: &str) -> String {
        ask(self, k, text).await
    }
}
