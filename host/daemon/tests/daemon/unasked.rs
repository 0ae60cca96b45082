//! What the BBS sends unasked: the one DM that tells a node which never used the BBS
//! it has mail waiting, and the answer to `bbs?` on the channel; both at most once per
//! node per period, and the discovery answers capped overall against spoofed senders.

use std::time::Duration;

use crate::common::{roomy, world};
use meshmush::store::StoreOptions;
use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_firmware_bridge::sim::attacker::send_spoofed;
use meshmush_protocol::packets::BROADCAST;

const QUIET: Duration = Duration::from_secs(2);

/// Bob's handset is right there (his node was heard at the radio's handshake) but has
/// never used the BBS: he is told of Alice's mail at once, and being heard again the
/// same day does not tell him twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recently_heard_node_that_never_used_the_bbs_is_told_of_its_mail_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = meshmush_testkit::Kit::builder(roomy())
        .handsets(2)
        .data(dir.path())
        .start()
        .await
        .expect("kit");
    assert_eq!(
        w.ask(0, "mail Bob Meet at the inn").await,
        "Welcome, Alice! Send help for commands. Mail for Bob (!4d4d1002) left; that node was heard just now and is told now."
    );
    let told = w.handsets[1]
        .next_text(Duration::from_secs(10))
        .await
        .expect("told");
    assert_eq!(
        told.text,
        "You have mail at meshmush BBS from Alice. Send mail to read it."
    );
    assert_eq!(told.from, w.bbs);
    // Bob says something on the channel: heard again the same day, not told twice.
    w.handsets[1]
        .link
        .send_text(BROADCAST, 0, "anyone on?")
        .await
        .unwrap();
    let again = w.handsets[1].texts_until_quiet(QUIET).await;
    assert!(again.is_empty(), "{again:?}");
    // When he does write, his mailbox has it, and the news is not repeated.
    assert_eq!(
        w.ask(1, "mail 1").await,
        "Welcome, Bob! Send help for commands. Mail #1 Alice now:\nMeet at the inn"
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bbs_question_on_the_channel_gets_one_dm_an_hour() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    w.handsets[0]
        .link
        .send_text(BROADCAST, 0, "BBS?")
        .await
        .unwrap();
    let answer = w.handsets[0]
        .next_text(Duration::from_secs(10))
        .await
        .expect("answer");
    assert_eq!(
        answer.text,
        "meshmush BBS is a BBS and text world. DM me help to start, or look to look around."
    );
    assert_eq!(answer.to, w.handsets[0].node.num, "a DM, not the channel");
    w.handsets[0]
        .link
        .send_text(BROADCAST, 0, "bbs?")
        .await
        .unwrap();
    let again = w.handsets[0].texts_until_quiet(QUIET).await;
    assert!(again.is_empty(), "{again:?}");
    // Other channel chatter is not for the BBS.
    w.handsets[0]
        .link
        .send_text(BROADCAST, 0, "is there a bbs here")
        .await
        .unwrap();
    assert!(w.handsets[0].texts_until_quiet(QUIET).await.is_empty());
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoofed_discovery_cannot_make_the_bbs_dm_every_invented_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = meshmush_testkit::Kit::builder(roomy())
        .sim(SimConfig::spoofing(1))
        .data(dir.path())
        .start()
        .await
        .expect("kit");
    let attacker = w.sim().unwrap().handsets()[0].addr;
    for i in 0..60u32 {
        send_spoofed(attacker, 0x5000_0000 + i, BROADCAST, "bbs?")
            .await
            .expect("spoofed packet");
    }
    tokio::time::sleep(QUIET).await;
    // Each answer is tried up to max_attempts times (an invented id never acks).
    let sent = w.app.link().metrics().chunks_sent;
    let most = 20 * u64::from(w.link_config().max_attempts);
    assert!(
        sent <= most,
        "{sent} packets for 60 invented ids; 20 answers are at most {most}"
    );
    assert!(sent >= 1, "the first ones are answered");
    let _ = w.handsets[0]
        .texts_until_quiet(Duration::from_millis(100))
        .await;
    w.stop().await.expect("clean shutdown");
}
