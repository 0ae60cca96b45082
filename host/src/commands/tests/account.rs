//! `whoami`, `name`, `password`.

use super::*;
use crate::commands::account::{Name, Password};
use crate::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn whoami_and_renaming() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    call(
        &mut ann,
        "whoami",
        "Ann (!0a000001), player, unverified sender",
    )
    .await;
    call(&mut ann, "name Annie  Oakley", "You are now Annie Oakley.").await;
    call(&mut ann, "name Bob", "Bob is taken.").await;
    call(
        &mut ann,
        "name look",
        "\"look\" is reserved; pick another name.",
    )
    .await;
    call(&mut ann, "name", "Usage: name NEWNAME").await;
    assert_eq!(
        w.store.player(ANN).await.unwrap().map(|p| p.name),
        Some("Annie Oakley".into())
    );
    assert!(Name::parse(&"x".repeat(30)).is_err());
}

#[tokio::test]
async fn a_password_guards_the_name_and_unlocks_for_the_session() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "password short", "Use at least 6 characters.").await;
    call(
        &mut ann,
        "password secret1",
        "Password set. Send `password PASS` to unlock your powers.",
    )
    .await;
    call(
        &mut ann,
        "name Annie",
        "Give your password first: password PASS",
    )
    .await;
    call(&mut ann, "password wrong1", "Wrong password.").await;
    assert!(!ann.elevated);
    call(
        &mut ann,
        "password secret1",
        "Password accepted for this session.",
    )
    .await;
    assert!(ann.elevated);
    call(&mut ann, "name Annie", "You are now Annie.").await;
    assert_eq!(Password::parse("a b c"), Err(Usage::show()));
}
