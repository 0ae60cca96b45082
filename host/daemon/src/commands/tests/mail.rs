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

#[tokio::test(start_paused = true)]
async fn unannounced_mail_is_queued_once_and_not_after_reading() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    run(&mut ann, "mail Bob one").await;
    run(&mut ann, "mail Bob two").await;
    queue_unannounced(&w.store, &w.roster, BOB).await.unwrap();
    queue_unannounced(&w.store, &w.roster, BOB).await.unwrap();
    assert_eq!(
        w.roster.take_notices(BOB),
        Waiting {
            notices: vec!["2 new mail from Ann.".into()],
            mail: true
        }
    );
    run(&mut bob, "mail 1").await;
    run(&mut bob, "mail 2").await;
    queue_unannounced(&w.store, &w.roster, BOB).await.unwrap();
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
