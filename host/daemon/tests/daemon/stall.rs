//! The stall test: with every store call taking 500 ms and 50 players sending commands,
//! the radio side never waits. The event-loop lag probe stays low, the link keeps
//! reading frames, and a player whose command needs no store call is answered at once.
//! (Exact figures are for the benchmark; this asserts generous bounds.)

use std::time::{Duration, Instant};

use meshmush::config::Config;
use meshmush::store::StoreOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_store_does_not_stall_the_radio() {
    let dir = tempfile::tempdir().unwrap();
    let store = StoreOptions {
        latency: Some(Duration::from_millis(500)),
        ..StoreOptions::default()
    };
    // Fifty new players (more than the newcomer slice lets in) make first contact on a
    // quick disk, one after another; the slow disk comes with the restart, where all
    // fifty ask at once. (First contact on the slow disk took four minutes of setup.)
    let mut cfg = Config::default();
    cfg.limits.newcomers_burst = 100;
    let quick = crate::common::world(50, cfg.clone(), dir.path(), StoreOptions::default()).await;
    quick.stop().await.expect("clean shutdown");
    let mut w = crate::common::world(50, cfg, dir.path(), store).await;
    let bbs = w.bbs;
    // Player 0 has a session already: `ping` needs no store call from now on.
    assert_eq!(w.ask(0, "ping").await, "pong");

    w.app.lag_probe().reset();
    let frames_before = w.app.link().metrics().frames_in;
    for h in &w.handsets[1..] {
        h.send(bbs, "whoami").await.unwrap();
    }
    let t = Instant::now();
    assert_eq!(w.ask(0, "ping").await, "pong");
    let quick = t.elapsed();
    for h in &mut w.handsets[1..] {
        let r = h
            .next_text(Duration::from_secs(30))
            .await
            .expect("every player answered");
        assert!(r.text.contains("(!4d4d1"), "{}", r.text);
    }
    let lag = w.app.lag();
    let frames = w.app.link().metrics().frames_in - frames_before;
    eprintln!("stall: store-free ping {quick:?}; lag probe {lag:?}; {frames} frames read");
    assert!(
        quick < Duration::from_millis(400),
        "ping waited {quick:?} behind store calls"
    );
    assert!(lag.samples > 50, "{lag:?}");
    assert!(
        lag.p99 < Duration::from_millis(20),
        "event loop lag {lag:?}"
    );
    assert!(frames >= 50, "the link kept reading: {frames} frames");
    w.stop().await.expect("clean shutdown");
}
