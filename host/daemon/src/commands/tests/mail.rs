//! `mail`, and the notice that announces it.

use super::*;
use crate::commands::mail::{Mail, queue_unannounced};
use crate::commands::{Audience, NoticeKind};
use crate::roster::Waiting;
use meshmush_core::commands::registry::Command;

#[tokio::test(start_paused = true)]
async fn send_list_read_and_clear() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.proven(BOB, "Bob").await;
    call(&mut bob, "mail", "No mail. mail PLAYER TEXT sends one.").await;
    let out = call(&mut ann, "mail bob hello Bob", "Mail sent to Bob.").await;
    assert_eq!(out.notices.len(), 1);
    assert_eq!(out.notices[0].to, Audience::Player(BOB));
    assert_eq!(out.notices[0].kind, NoticeKind::Mail);
    assert_eq!(out.notices[0].text, "New mail from Ann.");
    // New mail in full: one command reads it.
    call(&mut bob, "mail", "Mail #1 Ann now:\nhello Bob").await;
    call(
        &mut bob,
        "mail",
        "Mail (* unread):\n#1 hello Bob - Ann now\nmail N reads one",
    )
    .await;
    call(&mut bob, "mail 1", "Mail #1 Ann now:\nhello Bob").await;
    call(&mut bob, "mail 2", "No mail 2. mail lists yours.").await;
    call(&mut bob, "mail clear", "Deleted 1 read mail.").await;
    call(&mut ann, "mail Zed hi", "No player or node Zed.").await;
    // With no text, mail is written line by line (see compose.rs).
    call_starts(&mut ann, "mail Bob", "Writing mail to Bob.").await;
}

/// Anyone can make up node ids: mail for nodes that never used the BBS is capped per
/// sender per day and in all, and expires (see the store's retention sweep).
#[tokio::test(start_paused = true)]
async fn mail_to_nodes_that_never_used_the_bbs_is_capped() {
    let mut cfg = Config::default();
    cfg.retention.unheard_mail_per_sender_day = 2;
    cfg.retention.unheard_mail_total = 3;
    let w = TestWorld::with(cfg).await;
    let mut ann = w.proven(ANN, "Ann").await;
    let mut bob = w.proven(BOB, "Bob").await;
    let waits = "Mail for !4d4d2001 waits until that node is next heard.";
    call(&mut ann, "mail !4d4d2001 one", waits).await;
    call(&mut ann, "mail !4d4d2001 two", waits).await;
    call(
        &mut ann,
        "mail !4d4d2002 three",
        "You have left 2 mails today for nodes that never used the BBS, the day's limit. \
         Try again tomorrow.",
    )
    .await;
    // Mail to a player is not counted.
    call(&mut ann, "mail Bob hi", "Mail sent to Bob.").await;
    call(
        &mut bob,
        "mail !4d4d2003 hello",
        "Mail for !4d4d2003 waits until that node is next heard.",
    )
    .await;
    call(
        &mut bob,
        "mail !4d4d2004 hello",
        "Too much mail already waits for nodes that never used the BBS; try later.",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn unannounced_mail_is_queued_once_and_not_after_reading() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    run(&mut ann, "mail Bob one").await;
    run(&mut ann, "mail Bob two").await;
    queue_unannounced(&w.store, &w.roster, BOB, w.cfg.bbs.language())
        .await
        .unwrap();
    queue_unannounced(&w.store, &w.roster, BOB, w.cfg.bbs.language())
        .await
        .unwrap();
    assert_eq!(
        w.roster.take_notices(BOB),
        Waiting {
            notices: vec!["2 new mail from Ann.".into()],
            mail: true
        }
    );
    run(&mut bob, "mail 1").await;
    run(&mut bob, "mail 2").await;
    queue_unannounced(&w.store, &w.roster, BOB, w.cfg.bbs.language())
        .await
        .unwrap();
    assert!(!w.roster.has_notices(BOB), "read mail needs no announcing");
}

#[test]
fn mail_words_parse_to_what_they_ask() {
    assert_eq!(Mail::parse(""), Ok(Mail::List));
    assert_eq!(Mail::parse("3"), Ok(Mail::Read(3)));
    assert_eq!(Mail::parse("delete #2"), Ok(Mail::Delete(2)));
    assert_eq!(Mail::parse("clear"), Ok(Mail::Clear));
    assert_eq!(Mail::parse("Bob hi"), Ok(Mail::Send("Bob hi".into())));
}

/// Mail that took part in sync sets a receipt going when it is read: for mail from a
/// peer, a read event queued for that peer; for mail written here for a node away at
/// the time, a notice for its sender here, once. `receipts off` stops both.
#[tokio::test(start_paused = true)]
async fn reading_synced_mail_sets_its_receipt_going_unless_receipts_are_off() {
    use meshmush_store::sync_item::SyncItem;
    const PEER: u32 = 0x4d4d_0777;
    const CY: u32 = 0x7a00_0001;
    let w = TestWorld::new().await;
    w.store.set_sync_peers(vec![PEER], vec![PEER], 100);
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;

    // Mail from a peer's player to Bob: reading it queues the read event for the peer.
    let from_peer = meshmush_store::Mail {
        id: 0,
        to: BOB,
        from: 0x4d4d_1234,
        from_name: "Dee".into(),
        time: 0,
        subject: "Ridge".into(),
        text: "Ridge is clear".into(),
        read: false,
        announced: false,
    };
    w.store
        .receive_mail(from_peer.clone(), "uid-1".into(), PEER)
        .await
        .unwrap();
    let out = call_starts(&mut bob, "mail 1", "Mail #1 Dee").await;
    assert!(out.notices.is_empty(), "nobody here to tell");
    let queued = w.store.queued_items(PEER, 0, 10).await.unwrap();
    assert_eq!(
        queued.last().map(|q| &q.1),
        Some(&SyncItem::Read {
            uid: "uid-1".into(),
            reader: "Bob".into(),
            bbs: "this BBS".into(),
        })
    );
    // With receipts off, reading sends nothing.
    call(
        &mut bob,
        "receipts off",
        "Receipts off: nobody is told when you read their mail, nor you when yours is read.",
    )
    .await;
    call(&mut bob, "receipts", "Receipts are off.").await;
    w.store
        .receive_mail(from_peer, "uid-2".into(), PEER)
        .await
        .unwrap();
    call_starts(&mut bob, "mail 2", "Mail #2 Dee").await;
    assert_eq!(w.store.queued_items(PEER, 0, 10).await.unwrap(), queued);

    // Mail Ann wrote here for a node away then (so it went to the peer too), read
    // here once that node became a player: Ann is told here, once.
    call_starts(&mut ann, "mail !7a000001 Lunch at noon?", "Mail for").await;
    let mut cy = w.player(CY, "Cy").await;
    let out = call_starts(&mut cy, "mail 1", "Mail #1 Ann").await;
    assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
    assert_eq!(out.notices[0].to, Audience::Player(ANN));
    assert_eq!(out.notices[0].kind, NoticeKind::Held);
    assert_eq!(
        out.notices[0].text,
        "Cy read your mail 'Lunch at noon?' (at this BBS)"
    );
    let again = call_starts(&mut cy, "mail 1", "Mail #1 Ann").await;
    assert!(again.notices.is_empty(), "once");
    // The same read event arriving from the peer now tells nobody either.
    let copy = &w.store.mailbox(CY).await.unwrap()[0];
    let uid = w.store.mail_sync_id(CY, copy.id).await.unwrap().unwrap();
    assert!(w.store.claim_receipt(uid, 0).await.unwrap().is_none());
}
