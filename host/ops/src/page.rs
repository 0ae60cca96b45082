//! The status page and its airtime chart, rendered on the server with `maud` (which
//! escapes every value it is given: a node calling itself `<script>` shows as text).
//! No JavaScript: the page refreshes itself every 30 s with a meta tag, and its one
//! column of tables reads on a phone.

use std::time::Duration;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use meshmush_firmware_bridge::link::{LinkState, NodeEntry};
use meshmush_protocol::packets::node_id;

use super::http::View;
use super::{AIRTIME_BUCKET_SECS, Ops, Snapshot};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;\
padding:.5rem 1rem;color:#1b1b1b;background:#fafafa}h1{font-size:1.4rem}\
h2{font-size:1.1rem;margin-top:1.5rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .4rem;\
border-bottom:1px solid #eee;vertical-align:top}th{font-weight:600}\
.ok{color:#17692b}.bad{color:#a3170f}svg{width:100%;height:auto;max-height:14rem}\
.num{text-align:right;font-variant-numeric:tabular-nums}footer{margin:2rem 0;color:#666}";

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn state_text(s: &LinkState) -> (String, bool) {
    match s {
        LinkState::Connecting { attempt } => (format!("connecting (attempt {attempt})"), false),
        LinkState::Connected { my_node_num, nodes } => (
            format!(
                "connected to {} ({nodes} nodes known)",
                node_id(*my_node_num)
            ),
            true,
        ),
        LinkState::Lost { reason } => (format!("lost: {reason}"), false),
        LinkState::Stopped => ("stopped".into(), false),
    }
}

/// How long ago `then` was, from `now` (Unix seconds), in words.
fn ago(now: u64, then: u64) -> String {
    let s = now.saturating_sub(then);
    match s {
        0..60 => format!("{s} s ago"),
        60..3600 => format!("{} min ago", s / 60),
        _ => format!("{} h ago", s / 3600),
    }
}

/// An uptime in words: `3 d 4 h`, `2 h 5 min`, `40 s`.
fn uptime(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The whole page.
pub fn status(view: &View, s: &Snapshot, heard: &[NodeEntry], now: u64) -> Markup {
    let (state, up) = state_text(&s.link_state);
    let node = view.link.node_config();
    let mesh = view.common.mesh();
    let bbs = mesh.me().map(|n| n.display_name());
    let l = &s.link;
    let recent = view.ops.recent();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content="30";
                title { "meshmush status" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (bbs.as_deref().unwrap_or("meshmush")) }
                section id="node" {
                    h2 { "Node and links" }
                    table {
                        tr { th { "BBS" } td { (bbs.as_deref().unwrap_or("not yet known")) } }
                        tr { th { "meshmush" } td { "version " (env!("CARGO_PKG_VERSION")) ", up " (uptime(mesh.uptime())) } }
                        tr { th { "Node" } td { (node.as_ref().map(|c| node_id(c.my_node_num)).unwrap_or_else(|| "not yet known".into())) } }
                        @if let Some(c) = &node {
                            tr { th { "Firmware" } td { (c.firmware_version) } }
                            tr { th { "Radio" } td { (c.region.as_str_name()) " " (c.preset.as_str_name()) } }
                        }
                        tr {
                            th { "Link " (s.link_name) }
                            td class=(if up { "ok" } else { "bad" }) { (state) }
                        }
                        tr { th { "Connects" } td { (l.connects) " (" (l.disconnects) " lost)" } }
                        tr { th { "Sessions active" } td { (s.sessions_active) } }
                        @if let Some(t) = s.totals {
                            tr { th { "Players" } td { (t.players) } }
                            tr { th { "Posts" } td { (t.posts) } }
                            tr { th { "Unread mail" } td { (t.mail_unread) } }
                        }
                    }
                }
                section id="airtime" {
                    h2 { "Airtime" }
                    p {
                        "Used in the last hour: " (seconds(Duration::from_millis(l.airtime_hour_ms)))
                        @if let Some(a) = s.airtime_allowed { " of " (seconds(a)) " allowed" }
                        ". Last 24 hours, per 10 minutes:"
                    }
                    (airtime_chart(&view.ops, s, now))
                }
                section id="queue" {
                    h2 { "Queue" }
                    table {
                        tr { th { "Packets waiting" } td class="num" { (l.queue_depth) } }
                        tr { th { "Node queue free" } td class="num" { (l.node_queue_free) } }
                        tr { th { "Packets sent" } td class="num" { (l.chunks_sent) } }
                        tr { th { "Packets delivered" } td class="num" { (l.chunks_delivered) } }
                        tr { th { "Retries" } td class="num" { (l.chunk_retries) } }
                    }
                }
                section id="heard" {
                    h2 { "Nodes heard in the last hour (" (heard.len()) ")" }
                    @if heard.is_empty() { p { "None." } } @else {
                        table {
                            tr { th { "Node" } th { "Name" } th { "Heard" } }
                            @for n in heard {
                                tr { td { (node_id(n.num)) } td { (n.display_name()) } td { (ago(now, u64::from(n.last_heard))) } }
                            }
                        }
                    }
                }
                section id="commands" {
                    h2 { "Last commands" }
                    @if recent.is_empty() { p { "None yet." } } @else {
                        table {
                            tr { th { "When" } th { "Player" } th { "Command" } th class="num" { "ms" } }
                            @for r in &recent {
                                tr {
                                    td { (ago(now, r.at)) }
                                    td { (r.player) " " small { (node_id(r.node)) } }
                                    td { (r.command) }
                                    td class="num" { (format!("{:.1}", r.took.as_secs_f64() * 1e3)) }
                                }
                            }
                        }
                    }
                }
                (super::feeds::section(&view.ops.feeds(), now, ago))
                section id="errors" {
                    h2 { "Errors" }
                    table {
                        tr { th { "Packets failed" } td class="num" { (l.send_failures) } }
                        tr { th { "Packets expired" } td class="num" { (l.expired_chunks) } }
                        tr { th { "Replies refused (queue full)" } td class="num" { (l.queue_refusals) } }
                        tr { th { "No key for PKI" } td class="num" { (l.pki_failures) } }
                        tr { th { "Corrupt frames" } td class="num" { (l.bad_frames) } }
                        tr { th { "Watchdog resets" } td class="num" { (l.watchdog_resets) } }
                        tr { th { "Write timeouts" } td class="num" { (l.write_timeouts) } }
                        tr { th { "Store" } td { @if s.totals.is_some() { "readable" } @else { span class="bad" { "cannot be read" } } } }
                        tr { th { "Event loop lag p99" } td class="num" { (format!("{:.1} ms", s.lag.p99.as_secs_f64() * 1e3)) } }
                    }
                }
                footer { "Read-only. Prometheus figures at " a href="metrics" { "/metrics" } "." }
            }
        }
    }
}

/// The chart's width in its own units. A phone 390 px wide draws the page's 100%
/// width at about 358 px (1 rem of padding each side), so a unit is about a pixel there
/// and the labels' [`CHART_FONT`] is their size in pixels; wider screens draw it larger.
pub const CHART_WIDTH: f64 = 360.0;
/// The labels' font size, in the chart's units.
pub const CHART_FONT: f64 = 11.0;

/// The last day's airtime as bars, one per ten minutes, with the allowed share per
/// ten minutes as a dashed line when the node has said its region.
pub fn airtime_chart(ops: &Ops, s: &Snapshot, now: u64) -> Markup {
    const W: f64 = CHART_WIDTH;
    const H: f64 = 120.0;
    const F: f64 = CHART_FONT;
    let day = ops.airtime_day(now);
    let share = s
        .airtime_allowed
        .map(|a| a.as_secs_f64() * AIRTIME_BUCKET_SECS as f64 / 3600.0);
    let peak = day
        .iter()
        .map(|(_, d)| d.as_secs_f64())
        .fold(share.unwrap_or(0.0), f64::max)
        .max(1.0);
    let bar = W / day.len().max(1) as f64;
    let y = |secs: f64| H - secs / peak * (H - 10.0);
    let total: f64 = day.iter().map(|(_, d)| d.as_secs_f64()).sum();
    html! {
        svg id="airtime-chart" xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {W} {}", H + F + 6.0)) role="img" {
            title { (format!("Airtime per 10 minutes over 24 h: {total:.1} s in all")) }
            rect x="0" y="0" width=(W) height=(H) fill="#fff" stroke="#ccc" {}
            @for (i, (_, d)) in day.iter().enumerate() {
                @let secs = d.as_secs_f64();
                @if secs > 0.0 {
                    rect class="bar" x=(format!("{:.2}", i as f64 * bar)) y=(format!("{:.2}", y(secs)))
                        width=(format!("{:.2}", (bar - 1.0).max(1.0))) height=(format!("{:.2}", H - y(secs))) fill="#2b6cb0" {}
                }
            }
            @if let Some(share) = share {
                line x1="0" x2=(W) y1=(format!("{:.2}", y(share))) y2=(format!("{:.2}", y(share)))
                    stroke="#a3170f" stroke-dasharray="6 4" {}
                // Above the line, or under it when the line is at the top.
                @let at = if y(share) > F + 4.0 { y(share) - 3.0 } else { y(share) + F + 1.0 };
                text class="share" x=(W - 3.0) y=(format!("{at:.2}")) font-size=(F) text-anchor="end" fill="#a3170f" {
                    (format!("share {share:.1} s"))
                }
            }
            text x="0" y=(H + F + 2.0) font-size=(F) { "-24 h" }
            text x=(W / 2.0) y=(H + F + 2.0) font-size=(F) text-anchor="middle" { "-12 h" }
            text x=(W) y=(H + F + 2.0) font-size=(F) text-anchor="end" { "now" }
            // The scale's top, unless the share line is there and says it.
            @if share.is_none_or(|s| peak > s * 1.05) {
                text x="3" y=(F + 1.0) font-size=(F) { (format!("top {peak:.1} s")) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use meshmush_firmware_bridge::link::{LinkState, MetricsSnapshot};

    use super::*;
    use crate::lagprobe::LagStats;

    fn snapshot(allowed: Option<Duration>) -> Snapshot {
        Snapshot {
            link_name: "tcp",
            link_state: LinkState::Stopped,
            link: MetricsSnapshot::default(),
            airtime_allowed: allowed,
            nodes_heard_hour: 0,
            sessions_active: 0,
            totals: None,
            lag: LagStats::default(),
            links: Vec::new(),
            peers: Vec::new(),
            store_full: 0,
        }
    }

    /// At 390 px, the chart's labels are at least 10 px tall.
    #[test]
    fn the_labels_are_readable_on_a_phone() {
        let drawn_px = 390.0 - 2.0 * 16.0;
        assert!(CHART_FONT * drawn_px / CHART_WIDTH >= 10.0);
    }

    #[test]
    fn the_chart_draws_a_bar_for_each_busy_ten_minutes_and_the_share_line() {
        let ops = Ops::on();
        let now = 1_700_000_000 - 1_700_000_000 % AIRTIME_BUCKET_SECS;
        ops.sample_airtime(0, now - 7_200);
        ops.sample_airtime(30_000, now - 7_100);
        ops.sample_airtime(60_000, now);
        // 180 s an hour allowed: 30 s per ten minutes, the line at the peak.
        let svg = airtime_chart(&ops, &snapshot(Some(Duration::from_secs(180))), now).into_string();
        assert_eq!(svg.matches("class=\"bar\"").count(), 2, "{svg}");
        assert!(svg.contains("stroke-dasharray"), "{svg}");
        assert!(svg.contains("60.0 s in all"), "{svg}");
        // The dashed line is the share (30 s per ten minutes), and says so.
        assert!(svg.contains("share 30.0 s"), "{svg}");
        assert!(!svg.contains("peak"), "{svg}");
        let none = airtime_chart(&ops, &snapshot(None), now).into_string();
        assert!(!none.contains("stroke-dasharray"), "{none}");
    }
}
