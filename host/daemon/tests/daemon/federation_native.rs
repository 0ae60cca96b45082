//! A meshmush BBS with a meshmush-dialect peer that lies. The peer is a handset of the
//! software mesh sending `~mm|` frames byte for byte. What it sends is held to the
//! same field bounds as a TC2 line, to the sender's window of unacked items, and to
//! what we really sent: an ack for more is refused, so nothing is marked delivered
//! that was not, and a frame far ahead cannot make the real items look like repeats.

use std::time::Duration;

use crate::common::WAIT;
use crate::common::peer::{kit, peer_config, peer_sends, posts, three_handsets, until};
use meshmush::federation::Dialect;
use meshmush_firmware_bridge::sim::HANDSET_BASE;

/// The peer BBS: handset 0.
const PEER: u32 = HANDSET_BASE + 1;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meshmush_peer_is_held_to_field_bounds_its_window_and_what_was_sent() {
    let mut kit = kit(peer_config(PEER, Dialect::Meshmush, None), three_handsets()).await;
    let store = kit.app.store().clone();

    // Bob posts here: item 1 goes to the peer.
    let posted = kit.ask(1, "post general Market").await;
    assert!(posted.starts_with("Posted to general"), "{posted}");
    let frame = kit.handsets[0].next_text(WAIT).await.expect("item 1").text;
    assert!(frame.starts_with("~mm|D|1|1/1|B|general|"), "{frame}");

    // An ack for items never sent is refused: item 1 stays queued.
    peer_sends(&kit, &["~mm|A|999"]).await;
    until(&store, "the ack is refused", |s| async move {
        s.peer_state(PEER).await.unwrap().refused == 1
    })
    .await;
    let state = store.peer_state(PEER).await.unwrap();
    assert_eq!((state.acked_upto, state.queued()), (0, 1), "{state:?}");
    // The true ack is taken.
    peer_sends(&kit, &["~mm|A|1"]).await;
    until(&store, "item 1 is acked", |s| async move {
        s.peer_state(PEER).await.unwrap().acked_upto == 1
    })
    .await;

    // Item 1 from the peer, with a subject longer than any BBS allows: refused whole.
    let long_subject = "S".repeat(121);
    let oversize = format!("~mm|D|1|1/1|B|general|Mallory|{long_subject}|Body|uid-oversize");
    // A frame far past any sender's window: refused, the receive count untouched.
    let far = "~mm|D|40|1/1|B|general|Mallory|Far|Ahead|uid-far";
    // The real item 2 is taken after both.
    let real = "~mm|D|2|1/1|B|general|Alice|Real|Fine|uid-real";
    peer_sends(&kit, &[&oversize, far, real]).await;
    until(&store, "the real item is stored", |s| async move {
        posts(&s).await.iter().any(|p| p.1 == "Real")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let all = posts(&store).await;
    assert!(all.iter().all(|p| p.0 != "Mallory"), "{all:?}");
    let state = store.peer_state(PEER).await.unwrap();
    assert_eq!((state.refused, state.recv_upto), (3, 2), "{state:?}");
    kit.stop().await.unwrap();
}

/// A peer away for long does not make the outbox grow without bound: past
/// `outbox_max` the oldest items are dropped and counted, and when the peer answers
/// again it is told to skip them, then gets the rest in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_outbox_drops_its_oldest_items_and_the_peer_is_told_to_skip_them() {
    let mut cfg = peer_config(PEER, Dialect::Meshmush, None);
    cfg.federation.outbox_max = 2;
    cfg.federation.ack_timeout_secs = 1;
    cfg.federation.retry_max_secs = 2;
    cfg.bbs.posts_per_hour = 100;
    let mut kit = kit(cfg, three_handsets()).await;
    let store = kit.app.store().clone();
    for n in 1..=6 {
        let posted = kit.ask(1, &format!("post general Item {n}")).await;
        assert!(posted.starts_with("Posted to general"), "{posted}");
    }
    let state = store.peer_state(PEER).await.unwrap();
    assert_eq!(
        (state.queued(), state.dropped, state.floor),
        (2, 4, 4),
        "{state:?}"
    );
    // The peer heard nothing it acked: once the window times out the BBS goes back,
    // says items up to 4 are gone, and sends 5 and 6.
    let mut heard = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !heard.iter().any(|f: &String| f.starts_with("~mm|D|6|")) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never sent 6: {heard:?}"
        );
        if let Some(t) = kit.handsets[0].next_text(Duration::from_millis(200)).await {
            heard.push(t.text);
        }
    }
    let skip = heard
        .iter()
        .position(|f| f == "~mm|K|4")
        .expect("a skip frame");
    let five = heard
        .iter()
        .rposition(|f| f.starts_with("~mm|D|5|"))
        .expect("item 5");
    assert!(
        skip < five,
        "the skip comes before the items after it: {heard:?}"
    );
    peer_sends(&kit, &["~mm|A|6"]).await;
    until(&store, "everything acked", |s| async move {
        s.peer_state(PEER).await.unwrap().queued() == 0
    })
    .await;
    kit.stop().await.unwrap();
}
