//! Figure 11: what issue 15's messages cost.
//! - `search` at 1,000,000 posts: the store call a `search` command makes, p50 and p99,
//!   for a word no post holds (the whole capped scan, the worst case), a common word
//!   and two words. On figure 4's cached store of 100 players (1,000 posts in quick
//!   mode). Target: p99 < 50 ms.
//! - The airtime of what the BBS sends unasked or on the channel (an urgent board's
//!   notice, `@wall`, the beacon, the welcome, the mail-waiting DM, the discovery
//!   answer), one packet each on LongFast and ShortFast, and the most the channel
//!   packets can take in an hour at the default channel gap against the share.

use std::time::{Duration, Instant};

use meshmush_protocol::airtime::{PKI_TEXT_BUDGET, duty_cycle, text_airtime};
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};

use super::figures::{BenchError, Row, ms, row};
use super::scale::populate;
use meshmush::commands::channel::{urgent_text, wall_text};
use meshmush::config::Config;
use meshmush::store::{Post, Store, StoreOptions};
use meshmush_testkit::stats::percentile;

/// Searches timed per query.
const SAMPLES: usize = 200;

/// The searches: label and words.
const QUERIES: [(&str, &[&str]); 3] = [
    ("a word no post holds (whole capped scan)", &["zebra"]),
    ("a common word", &["market"]),
    ("two words", &["solar", "antenna"]),
];

pub(super) async fn messages_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    search_rows(quick, rows).await?;
    airtime_rows(rows);
    Ok(())
}

async fn search_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let (players, posts) = if quick {
        (100, 1_000)
    } else {
        (100, 1_000_000)
    };
    let tmp = tempfile::tempdir().map_err(BenchError::io("a temporary directory"))?;
    let dir = if quick {
        let dir = tmp.path().join("data");
        populate::populate(&dir, players, posts).await?;
        dir
    } else {
        // Read only: the cached store itself is opened, not a copy.
        populate::cached(players, posts).await?.0
    };
    let store = Store::open(&dir, StoreOptions::default()).await?;
    let boards: Vec<String> = store.boards().await?.into_iter().map(|b| b.name).collect();
    let label = if quick { "1k posts" } else { "1M posts" };
    for (what, words) in QUERIES {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let mut took = Vec::with_capacity(SAMPLES);
        let mut scanned = 0;
        for _ in 0..SAMPLES {
            let t = Instant::now();
            let found = store.search_posts(boards.clone(), words.clone(), 5).await?;
            took.push(t.elapsed());
            scanned = found.scanned;
        }
        took.sort_unstable();
        tracing::info!(what, scanned, "search measured");
        for (p, name) in [(0.5, "p50"), (0.99, "p99 (target < 50)")] {
            rows.push(row(
                &format!("11. search at {label}, {what}: {name}"),
                "designed",
                ms(percentile(&took, p)),
                "ms",
            ));
        }
    }
    store.close().await?;
    Ok(())
}

/// One packet's airtime on `preset`, in ms.
fn air(preset: ModemPreset, text: &str, pki: bool) -> f64 {
    ms(text_airtime(preset, text.len(), pki))
}

fn airtime_rows(rows: &mut Vec<Row>) {
    let cfg = Config::default();
    let post = Post {
        board: "urgent".into(),
        num: 42,
        author: 0,
        author_name: "Alice".into(),
        time: 0,
        subject: "Bridge on Mill Road closed after the storm".into(),
        text: String::new(),
        reply_to: None,
    };
    let name = "Hilltop BBS";
    // Channel packets are not PKI; DMs to a node whose key is known are.
    let sent: [(&str, String, bool); 6] = [
        (
            "urgent board notice",
            urgent_text(&post, PKI_TEXT_BUDGET),
            false,
        ),
        (
            "@wall, longest",
            wall_text("Sysop", &"x".repeat(200)),
            false,
        ),
        (
            "beacon",
            meshmush::unasked::beacon_text(name, &cfg.bbs.discovery_keyword),
            false,
        ),
        ("welcome DM", meshmush::unasked::welcome_text(name), true),
        (
            "mail-waiting DM",
            format!("You have 3 mail at {name}. Send mail to read it."),
            true,
        ),
        (
            "discovery answer DM",
            meshmush::unasked::discovery_answer(name),
            true,
        ),
    ];
    for (what, text, pki) in &sent {
        for (preset, label) in [
            (ModemPreset::LongFast, "LongFast"),
            (ModemPreset::ShortFast, "ShortFast"),
        ] {
            rows.push(row(
                &format!("11. airtime: {what} ({} B), {label}", text.len()),
                "designed",
                air(preset, text, *pki),
                "ms",
            ));
        }
    }
    // The channel gap bounds the channel packets: at most one per gap.
    let gap = Duration::from_secs(cfg.bbs.channel_gap_mins * 60);
    let per_hour = (3600 / gap.as_secs().max(1)) as f64;
    let worst = text_airtime(ModemPreset::LongFast, PKI_TEXT_BUDGET, false);
    let share = duty_cycle(RegionCode::Eu868)
        .budget()
        .mul_f64(cfg.replies.airtime_share);
    rows.push(row(
        &format!(
            "11. channel packets at most, LongFast/EU_868, {} min gap: share of the BBS's hour",
            cfg.bbs.channel_gap_mins
        ),
        "designed",
        100.0 * worst.as_secs_f64() * per_hour / share.as_secs_f64(),
        "%",
    ));
}
