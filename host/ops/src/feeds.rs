//! Each feed's health as the status page shows it (`[[feed]]`, issue 30): when it
//! last worked, what went wrong since, and when it is polled next. The daemon's feed
//! tasks report here after every poll; nothing here fetches.

use maud::{Markup, html};

/// One feed's latest state. Never its URL (a token may ride in its query): its name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedStatus {
    /// The `[[feed]]` it is (0-based).
    pub index: usize,
    pub name: String,
    pub kind: &'static str,
    pub board: String,
    /// Unix seconds of the last poll that worked.
    pub last_ok: Option<u64>,
    /// Polls failed in a row, and the last one's error (one line, no body text).
    pub failures: u32,
    pub last_error: Option<String>,
    /// Unix seconds of the next poll.
    pub next_poll: u64,
    /// Posts made since the daemon started.
    pub posted: u64,
}

impl FeedStatus {
    pub fn healthy(&self) -> bool {
        self.failures == 0 && self.last_ok.is_some()
    }
}

/// The status page's feeds section (nothing when no feed is configured).
pub(super) fn section(feeds: &[FeedStatus], now: u64, ago: impl Fn(u64, u64) -> String) -> Markup {
    html! {
        @if !feeds.is_empty() {
            section id="feeds" {
                h2 { "Feeds" }
                table {
                    tr { th { "Feed" } th { "Board" } th { "State" } th { "Next poll" } th class="num" { "Posted" } }
                    @for f in feeds {
                        tr {
                            td { (f.name) " " small { (f.kind) } }
                            td { (f.board) }
                            @if f.healthy() {
                                td class="ok" { "ok, " (f.last_ok.map(|t| ago(now, t)).unwrap_or_default()) }
                            } @else if let Some(e) = &f.last_error {
                                td class="bad" {
                                    "failing (" (f.failures) " in a row): " (e)
                                    @if let Some(t) = f.last_ok { "; last ok " (ago(now, t)) }
                                }
                            } @else {
                                td { "not polled yet" }
                            }
                            td { "in " (f.next_poll.saturating_sub(now).div_ceil(60)) " min" }
                            td class="num" { (f.posted) }
                        }
                    }
                }
            }
        }
    }
}
