//! `dnd`, `nospoof`, `@doing`, `finger`/`last`, and `page` to a player in dnd.

use super::talk::told;
use super::*;
use crate::commands::habits::{Dnd, Doing, Nospoof};
use crate::commands::{Audience, NoticeKind};
use meshmush_core::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn a_page_to_a_player_in_dnd_is_held_and_answered_with_their_message() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    call(&mut bob, "dnd", "Do not disturb is off.").await;
    call(
        &mut bob,
        "dnd on back at six",
        "Do not disturb on: pages wait for you. dnd off ends it.",
    )
    .await;
    call(&mut bob, "dnd", "Do not disturb is on: back at six").await;
    let out = call(
        &mut ann,
        "page bob are you there?",
        "Bob is not to be disturbed: back at six (your page waits for them)",
    )
    .await;
    assert_eq!(
        told(&out.notices),
        [(
            Audience::Player(BOB),
            "Ann pages: are you there?",
            NoticeKind::Held
        )]
    );
    call(&mut bob, "dnd off", "Do not disturb off.").await;
    call(&mut ann, "page bob hi", "You page Bob: hi").await;
    call(
        &mut bob,
        "dnd on",
        "Do not disturb on: pages wait for you. dnd off ends it.",
    )
    .await;
    call(
        &mut ann,
        "page bob hi",
        "Bob is not to be disturbed; your page waits for them.",
    )
    .await;
    assert_eq!(Dnd::parse("maybe"), Err(Usage::show()));
    assert_eq!(Dnd::parse("off now"), Err(Usage::show()));
    assert_eq!(Dnd::parse("ON  gone"), Ok(Dnd::On("gone".into())));
}

#[test]
fn held_notices_wait_for_the_next_reply_and_are_capped() {
    let roster = Roster::from_config(&Config::default());
    for i in 0..crate::roster::HELD_MAX {
        assert!(roster.hold_notice(BOB, format!("page {i}")));
    }
    assert!(!roster.hold_notice(BOB, "one too many".into()));
    let waiting = roster.take_notices(BOB);
    assert_eq!(waiting.notices.len(), crate::roster::HELD_MAX);
    assert!(!waiting.mail);
}

#[tokio::test(start_paused = true)]
async fn nospoof_and_doing_are_kept() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "nospoof", "nospoof is off.").await;
    call(
        &mut ann,
        "nospoof on",
        "nospoof on: room chatter shows who caused it.",
    )
    .await;
    assert!(w.store.habits(ANN).await.unwrap().nospoof);
    call(&mut ann, "nospoof off", "nospoof off.").await;
    assert_eq!(Nospoof::parse("sideways"), Err(Usage::show()));
    call(
        &mut ann,
        "@doing fishing by the pier",
        "Doing: fishing by the pier",
    )
    .await;
    assert_eq!(
        w.store.habits(ANN).await.unwrap().doing.as_deref(),
        Some("fishing by the pier")
    );
    call(&mut ann, "@doing", "Doing cleared.").await;
    assert_eq!(w.store.habits(ANN).await.unwrap().doing, None);
    let long = "x ".repeat(100);
    let Doing { text: Some(t) } = Doing::parse(&long).unwrap() else {
        panic!("a line");
    };
    assert!(t.len() <= crate::commands::habits::LINE_MAX + 3, "{t}");
}

#[tokio::test(start_paused = true)]
async fn finger_says_when_seen_and_what_they_are_doing() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    run(&mut bob, "@doing mapping the caves").await;
    let total = w.content.current().achievements.len();
    call(
        &mut ann,
        "finger bob",
        &format!("Bob: about now. Achievements 0/{total}. Doing: mapping the caves"),
    )
    .await;
    call(&mut ann, "last nobody", "No player called \"nobody\".").await;
    call(&mut ann, "finger", "Usage: finger PLAYER").await;
    // Gone quiet past the active window: the store's last_seen speaks.
    later(3 * 3600).await;
    let out = run(&mut ann, "last bob").await;
    assert!(out.reply.starts_with("Bob: last seen "), "{}", out.reply);
}
