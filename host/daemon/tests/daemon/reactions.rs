//! Emoji reactions, as a handset's app sends them (`Data.emoji = 1`, `reply_id` naming
//! the packet tapped): a tap on the notice that showed a letter or an urgent post marks
//! it read; a tap on anything else, or by anyone else, changes nothing. No reaction is
//! ever answered: a tap costs the mesh one packet, not two.

use std::time::Duration;

use crate::common::{WAIT, roomy, world};
use meshmush::store::StoreOptions;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_protocol::packets::BROADCAST;
use meshmush_testkit::Kit;

const QUIET: Duration = Duration::from_millis(800);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tap_on_the_new_mail_notice_marks_that_letter_read_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    let (alice, bob) = (w.handsets[0].node.num, w.handsets[1].node.num);
    w.handsets[1].send(w.bbs, "ping").await.unwrap();
    let pong = w.handsets[1].next_text(WAIT).await.expect("pong");
    assert_eq!(pong.text, "pong");
    assert_eq!(
        w.ask(0, "mail Bob Lunch at the square?").await,
        "Mail sent to Bob."
    );
    let notice = w.handsets[1].next_text(WAIT).await.expect("notice");
    assert_eq!(notice.text, "New mail from Alice. Send mail to read it.");
    let unread = |w: &crate::common::World| {
        let store = w.app.store().clone();
        async move {
            store
                .mailbox(bob)
                .await
                .unwrap()
                .iter()
                .filter(|m| !m.read)
                .count()
        }
    };

    // Taps that show nothing: Bob's on the pong reply, Alice's on Bob's notice.
    w.handsets[1]
        .react(w.bbs, pong.id, "\u{1f44d}")
        .await
        .unwrap();
    w.handsets[0]
        .react(w.bbs, notice.id, "\u{1f44d}")
        .await
        .unwrap();
    assert!(w.handsets[0].texts_until_quiet(QUIET).await.is_empty());
    assert!(
        w.handsets[1].texts_until_quiet(QUIET).await.is_empty(),
        "a reaction is never answered (not \"Huh?\")"
    );
    assert_eq!(unread(&w).await, 1, "still unread");

    // Bob taps the notice: the letter is read, and nothing is sent.
    w.handsets[1]
        .react(w.bbs, notice.id, "\u{1f44d}")
        .await
        .unwrap();
    assert!(w.handsets[1].texts_until_quiet(QUIET).await.is_empty());
    assert_eq!(unread(&w).await, 0);
    assert_eq!(
        w.ask(1, "mail").await,
        "Mail (* unread):\n#1 Lunch at the square? - Alice now\nmail N reads one",
        "no star: read"
    );
    assert_ne!(alice, bob);
    w.stop().await.expect("clean shutdown");
}

/// On the channel a packet proves its sender only when signed (firmware 2.8 signs
/// broadcasts; the sim's `signing`): an unsigned tap from a node whose key is proven is
/// judged an impostor's and marks nothing, as any unsigned channel command would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_tap_on_an_urgent_announcement_marks_the_post_read_for_the_tapper_only() {
    let sim = SimConfig {
        signing: true,
        handsets: 3,
        ..SimConfig::default()
    };
    let mut w = Kit::builder(roomy())
        .sim(sim)
        .start()
        .await
        .expect("kit starts");
    for k in 0..3 {
        assert!(w.ask(k, "ping").await.starts_with("Welcome, "));
    }
    let store = w.app.store().clone();
    let mut general = store
        .boards()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == "general")
        .expect("general");
    general.urgent = true;
    store.put_board(general).await.unwrap();
    let posted = w.ask(0, "post general Bridge out on route 9").await;
    assert!(posted.ends_with("Announced on the channel."), "{posted}");
    let heard = w.handsets[1]
        .next_channel_text(WAIT)
        .await
        .expect("announcement");
    assert!(
        heard.text.starts_with("URGENT on general:"),
        "{}",
        heard.text
    );

    // Bob taps it on the channel, as the apps send a reaction to a channel message.
    w.handsets[1]
        .react(BROADCAST, heard.id, "\u{1f44d}")
        .await
        .unwrap();
    assert!(w.handsets[1].texts_until_quiet(QUIET).await.is_empty());
    assert_eq!(w.ask(1, "next").await, "No unread posts.");
    // Carol did not tap: the post waits for her.
    assert!(
        w.ask(2, "next").await.contains("Bridge out on route 9"),
        "Carol's post is unread"
    );
    w.stop().await.expect("clean shutdown");
}
