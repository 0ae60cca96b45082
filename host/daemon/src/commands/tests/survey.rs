//! `stats` and `search`.

use std::sync::Arc;
use std::time::Duration;

use meshmush_firmware_bridge::link::NodeEntry;

use super::*;
use crate::commands::unix_now;
use crate::meshview::{Airtime, FixedMesh};

fn node(num: u32, name: &str, heard_ago: u64) -> NodeEntry {
    NodeEntry {
        num,
        long_name: name.into(),
        short_name: name.chars().take(4).collect(),
        has_public_key: true,
        public_key: Some(vec![1; 32]),
        last_heard: u32::try_from(unix_now() - heard_ago).unwrap(),
    }
}

#[tokio::test(start_paused = true)]
async fn stats_counts_what_is_here_and_the_air() {
    let mut w = TestWorld::new().await;
    w.mesh = Arc::new(FixedMesh {
        nodes: vec![
            node(1, "BBS", 0),
            node(2, "Ann", 60),
            node(3, "Old", 3 * 86_400),
            node(4, "Dee", 3600),
        ],
        me: Some(node(1, "BBS", 0)),
        airtime: Airtime {
            used_hour: Duration::from_secs(41),
            allowed_hour: Some(Duration::from_secs(180)),
        },
        uptime: Duration::from_secs(3 * 86_400 + 4 * 3600),
    });
    let mut ann = w.player(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    run(&mut ann, "post general one").await;
    run(&mut ann, "post help two").await;
    run(&mut ann, "mail Bob hi").await;
    call(
        &mut ann,
        "stats",
        "2 players, 2 posts, 1 unread mail, 2 nodes heard in 24h. Airtime 41s of 180s this hour. Up 3d 4h.",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn search_finds_subject_or_text_newest_first() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general Snow on the ridge above the hut").await;
    run(&mut ann, "post help How do I read mail").await;
    run(&mut ann, "post general").await;
    run(&mut ann, "Ridge report").await;
    run(&mut ann, "Trail open, no snow.").await;
    run(&mut ann, ".").await;
    call(
        &mut ann,
        "search SNOW",
        "snow:\ngeneral #2 Ridge report - Ann now\ngeneral #1 Snow on the ridge above the hut - Ann now\nread BOARD N",
    )
    .await;
    call(
        &mut ann,
        "search ridge report",
        "ridge report:\ngeneral #2 Ridge report - Ann now\nread BOARD N",
    )
    .await;
    call(&mut ann, "search avalanche", "No posts with avalanche.").await;
    call(&mut ann, "search", "Search for what? search WORDS").await;
}

#[tokio::test(start_paused = true)]
async fn search_reads_at_most_its_cap_and_says_so() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let posts: Vec<meshmush_store::Post> = (0..meshmush_store::SEARCH_SCAN + 10)
        .map(|i| meshmush_store::Post {
            board: "general".into(),
            num: 0,
            author: ANN,
            author_name: "Ann".into(),
            time: 1,
            subject: String::new(),
            text: if i == 0 {
                "needle".into()
            } else {
                format!("hay {i}")
            },
            reply_to: None,
        })
        .collect();
    w.store
        .bulk_load(meshmush_store::BulkLoad {
            posts,
            ..Default::default()
        })
        .await
        .expect("load");
    call(
        &mut ann,
        "search needle",
        &format!(
            "No posts with needle in the newest {}.",
            meshmush_store::SEARCH_SCAN
        ),
    )
    .await;
}
