//! Writing a long post or mail line by line: `post BOARD` / `mail NAME` with no text.

use super::*;
use crate::commands::{NoticeKind, unix_now};
use meshmush_store::DraftTarget;

/// Six lines of about 150 bytes: 900 bytes with the line breaks.
fn lines() -> Vec<String> {
    (1..=6)
        .map(|i| {
            format!(
                "{i}: {}",
                "ridge trail report, snow above the hut, ".repeat(4)
            )[..149]
                .to_string()
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_long_post_over_six_messages_is_stored_whole() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(
        &mut ann,
        "post general",
        "Writing a post to general. Subject? (cancel stops)",
    )
    .await;
    call(
        &mut ann,
        "Ridge report",
        "Subject: Ridge report. Now the text, one message per line; . alone sends it, up to 1000 bytes.",
    )
    .await;
    let lines = lines();
    let body = lines.join("\n");
    assert_eq!(body.len(), 899);
    for (i, line) in lines.iter().enumerate() {
        let out = run(&mut ann, line).await;
        let expect = if i == 5 { "101 bytes left." } else { "" };
        assert_eq!(
            out.reply, expect,
            "line {i}: taken quietly until near the limit"
        );
    }
    call(&mut ann, ".", "Posted to general as #1 (899 bytes).").await;
    let post = w
        .store
        .post("general".into(), 1)
        .await
        .unwrap()
        .expect("posted");
    assert_eq!(post.text.as_bytes(), body.as_bytes(), "byte for byte");
    assert_eq!(post.subject, "Ridge report");
    assert_eq!(w.store.draft(ANN).await.unwrap(), None, "draft gone");
    assert!(ann.draft.is_none());
    call_starts(&mut ann, "look", "Town Square").await;
    // Read in full, the post says its subject, which is not its text's first line.
    call_starts(
        &mut ann,
        "read general 1",
        &format!("general #1 Ann now:\nRidge report\n{}", lines[0]),
    )
    .await;
    // A short post's subject is its first words: not said twice.
    run(&mut ann, "post general Hello there").await;
    call(
        &mut ann,
        "read general 2",
        "general #2 Ann now:\nHello there",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn end_as_tc2_users_type_it_finishes_too() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general").await;
    run(&mut ann, "Lost dog").await;
    assert_eq!(run(&mut ann, "Brown, answers to Rex.").await.reply, "");
    call(&mut ann, "END", "Posted to general as #1 (22 bytes).").await;
}

#[tokio::test(start_paused = true)]
async fn cancel_drops_the_draft_and_commands_are_refused_meanwhile() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general").await;
    call(
        &mut ann,
        "look",
        "You are writing a post: \"look\" was not added. . sends it, cancel drops it.",
    )
    .await;
    call(&mut ann, ".", "Subject? (cancel stops)").await;
    run(&mut ann, "Hello").await;
    call(
        &mut ann,
        "n",
        "You are writing a post: \"n\" was not added. . sends it, cancel drops it.",
    )
    .await;
    call(
        &mut ann,
        ".",
        "Nothing written yet. Send the text, or cancel.",
    )
    .await;
    assert!(w.store.draft(ANN).await.unwrap().is_some());
    call(&mut ann, "CANCEL", "Your post is dropped.").await;
    assert_eq!(w.store.draft(ANN).await.unwrap(), None);
    call_starts(&mut ann, "look", "Town Square").await;
    assert_eq!(
        w.store.newest_posts("general".into(), 5).await.unwrap(),
        vec![]
    );
}

#[tokio::test(start_paused = true)]
async fn a_line_past_the_limit_is_refused_and_the_rest_kept() {
    let mut cfg = Config::default();
    cfg.bbs.post_max_bytes = 100;
    let w = TestWorld::with(cfg).await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general").await;
    run(&mut ann, "Sizes").await;
    assert_eq!(run(&mut ann, &"a".repeat(60)).await.reply, "");
    call(
        &mut ann,
        &"b".repeat(50),
        "That line is 50 bytes; 39 are left of 100. Send less, or . to send it.",
    )
    .await;
    call(&mut ann, &"c".repeat(30), "9 bytes left.").await;
    call(&mut ann, ".", "Posted to general as #1 (91 bytes).").await;
}

#[tokio::test(start_paused = true)]
async fn a_draft_idle_too_long_expires_and_the_line_is_a_command() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general").await;
    let mut stale = w.store.draft(ANN).await.unwrap().expect("draft");
    stale.touched = unix_now() - 31 * 60;
    w.store.put_draft(stale.clone()).await.unwrap();
    ann.draft = Some(stale);
    call_starts(
        &mut ann,
        "look",
        "(Your unfinished post expired after 30 idle minutes.) Town Square",
    )
    .await;
    assert_eq!(w.store.draft(ANN).await.unwrap(), None);
}

#[tokio::test(start_paused = true)]
async fn long_mail_is_written_the_same_way() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    call(
        &mut ann,
        "mail Bob",
        "Writing mail to Bob. Subject? (cancel stops)",
    )
    .await;
    assert_eq!(
        ann.draft.as_ref().map(|d| d.target.clone()),
        Some(DraftTarget::Mail {
            to: BOB,
            to_name: "Bob".into()
        })
    );
    run(&mut ann, "Meet at the inn").await;
    run(&mut ann, "Six tonight.").await;
    run(&mut ann, "Bring the map.").await;
    let out = call(&mut ann, ".", "Mail sent to Bob.").await;
    assert_eq!(out.notices.len(), 1);
    assert_eq!(out.notices[0].kind, NoticeKind::Mail);
    let mail = w.store.mailbox(BOB).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Meet at the inn");
    assert_eq!(mail[0].text, "Six tonight.\nBring the map.");
}

#[tokio::test(start_paused = true)]
async fn who_may_not_post_is_told_before_writing() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "post news", "Only wizards may post to news.").await;
    assert!(ann.draft.is_none());
    assert_eq!(w.store.draft(ANN).await.unwrap(), None);
}
