//! `whoami`, `name`, `password`, `pw`.

use super::*;
use meshmush_core::commands::account::{Name, Password, Pw};
use meshmush_core::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn whoami_and_renaming() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    call(&mut ann, "whoami", "Ann (!0a000001), player, PKI DM").await;
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
async fn without_pki_the_password_goes_on_each_command() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(
        &mut ann,
        "whoami",
        "Ann (!0a000001), player, unverified sender",
    )
    .await;
    call(&mut ann, "password short", "Use at least 6 characters.").await;
    call(
        &mut ann,
        "password secret1",
        "Password set. Use it as: pw PASS COMMAND, e.g. pw PASS name NEWNAME",
    )
    .await;
    call(
        &mut ann,
        "name Annie",
        "name changes your account: send it as a PKI DM, or pw PASS name ...",
    )
    .await;
    call(&mut ann, "pw wrong1 name Annie", "Wrong password.").await;
    call(&mut ann, "pw secret1 name Annie", "You are now Annie.").await;
    call(
        &mut ann,
        "name Ann",
        "name changes your account: send it as a PKI DM, or pw PASS name ...",
    )
    .await;
    call_starts(
        &mut ann,
        "password secret1",
        "A password unlocks one command at a time",
    )
    .await;
    call(&mut ann, "password secret1 secret2", "Password changed.").await;
    call(&mut ann, "pw secret1 ping", "Wrong password.").await;
    call(&mut ann, "pw secret2 ping", "pong").await;
    assert_eq!(Password::parse("a b c"), Err(Usage::show()));
    assert_eq!(Pw::parse("secret"), Err(Usage::show()));
}

#[tokio::test(start_paused = true)]
async fn an_impostor_changes_nothing() {
    let w = TestWorld::new().await;
    let mut fake = w.player(ANN, "Ann").await;
    fake.sender = crate::identity::Sender::Impostor;
    call(
        &mut fake,
        "name Mallory",
        "name refused: this does not look like your handset.",
    )
    .await;
    call(
        &mut fake,
        "password hijack1",
        "password refused: this does not look like your handset.",
    )
    .await;
    call(
        &mut fake,
        "pw any ping",
        "pw refused: this does not look like your handset.",
    )
    .await;
    call(
        &mut fake,
        "mail clear",
        "mail refused: this does not look like your handset.",
    )
    .await;
    call(&mut fake, "look me", "You are Ann.").await;
}
