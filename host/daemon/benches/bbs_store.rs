//! How the BBS store scales: a board with 10,000 posts, and the per-command store work
//! of `read BOARD`, `read BOARD N`, `boards` (unread counts) and `next`. Prints a table
//! of p50/p99/max per operation. Run: `cargo bench -p meshmush --bench bbs_store`.

use std::time::Instant;

use meshmush::commands::default_boards;
use meshmush::store::{Board, Level, Post, Store, StoreOptions};
use meshmush_testkit::stats::percentile;

const POSTS: u64 = 10_000;
const ROUNDS: usize = 300;

async fn measure<F, Fut>(name: &str, mut op: F)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let t = Instant::now();
        op(i).await;
        times.push(t.elapsed());
    }
    times.sort_unstable();
    println!(
        "{name:<34} {:>9.3} {:>9.3} {:>9.3}",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = StoreOptions {
        flush_every_write: false,
        ..StoreOptions::default()
    };
    let store = Store::open(dir.path(), opts).await.expect("store");
    let mut boards = default_boards(0);
    boards.push(Board {
        name: "big".into(),
        description: "10,000 posts".into(),
        read_level: Level::Player,
        post_level: Level::Player,
        next_num: 1,
        created: 0,
        urgent: false,
    });
    store.ensure_boards(boards).await.expect("boards");
    let t = Instant::now();
    for i in 0..POSTS {
        let post = Post {
            board: "big".into(),
            num: 0,
            author: 1 + (i % 50) as u32,
            author_name: format!("Player{}", i % 50),
            time: i,
            subject: String::new(),
            text: format!("post {i}: the quick brown fox jumps over the lazy dog near the square"),
            reply_to: None,
        };
        store.add_post(post, POSTS as usize).await.expect("post");
    }
    store.flush().await.expect("flush");
    println!(
        "populated {POSTS} posts in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // A reader who has read half the board, with a few gaps.
    for n in (1..=POSTS / 2).chain([6000, 7000, 8000]) {
        store.mark_read(7, "big".into(), n).await.expect("mark");
    }
    println!(
        "{:<34} {:>9} {:>9} {:>9}",
        "store work per command (ms)", "p50", "p99", "max"
    );
    measure("read big (newest 5)", |_| async {
        store.newest_posts("big".into(), 5).await.expect("list");
    })
    .await;
    measure("read big N (one post)", |i| {
        let store = store.clone();
        async move {
            store
                .post("big".into(), 1 + (i as u64 * 37) % POSTS)
                .await
                .expect("post");
        }
    })
    .await;
    measure("boards (unread counts, 5,000 unread)", |_| async {
        store.board_summaries(7).await.expect("summaries");
    })
    .await;
    measure("next (oldest unread anywhere)", |_| async {
        let names = vec!["general".into(), "news".into(), "help".into(), "big".into()];
        store.next_unread(7, names).await.expect("next");
    })
    .await;
    measure("post (durable: add + flush)", |i| {
        let store = store.clone();
        async move {
            let post = Post {
                board: "big".into(),
                num: 0,
                author: 9,
                author_name: "Bench".into(),
                time: i as u64,
                subject: String::new(),
                text: "one more".into(),
                reply_to: None,
            };
            store.add_post(post, POSTS as usize).await.expect("post");
            store.flush().await.expect("flush");
        }
    })
    .await;
}
