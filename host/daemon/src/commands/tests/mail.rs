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
