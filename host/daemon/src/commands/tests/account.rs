//! `whoami`, `name`, `password`, `pw`, `repin`, and the brake on wrong passwords.

use super::*;
use meshmush_core::commands::account::{NO_KEY_TO_PIN, Name, Password, Pw, asks_repin};
use meshmush_core::commands::registry::{Command, Usage};
use meshmush_store::{Pin, PinSource};

#[tokio::test(start_paused = true)]
async fn whoami_and_renaming() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    call(&mut ann, "whoami", "Ann (!0a000001), player, proven sender").await;
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

/// Ann, with the password `secret1`, sending plain text.
async fn ann_with_password(w: &TestWorld) -> Ctx {
    let mut ann = w.player(ANN, "Ann").await;
    call_starts(&mut ann, "password secret1", "Password set.").await;
    ann
}

const LOCKED_30: &str = "Too many wrong passwords: try again in 30 s.";

#[tokio::test(start_paused = true)]
async fn wrong_passwords_lock_the_node_for_a_doubling_wait() {
    let w = TestWorld::new().await;
    let mut ann = ann_with_password(&w).await;
    call(&mut ann, "pw guess1 ping", "Wrong password.").await;
    call(&mut ann, "pw guess2 ping", "Wrong password.").await;
    call(
        &mut ann,
        "pw guess3 ping",
        &format!("Wrong password. {LOCKED_30}"),
    )
    .await;
    // Locked: even the right password is not looked at, by either command.
    call(&mut ann, "pw secret1 ping", LOCKED_30).await;
    call(&mut ann, "password secret1 secret2", LOCKED_30).await;
    later(20).await;
    call(
        &mut ann,
        "pw secret1 ping",
        "Too many wrong passwords: try again in 10 s.",
    )
    .await;
    later(10).await;
    // The next wrong one doubles the wait, with no free tries in between.
    call(
        &mut ann,
        "password guess4 secret2",
        "Wrong password. Too many wrong passwords: try again in 60 s.",
    )
    .await;
    later(60).await;
    call(&mut ann, "pw secret1 ping", "pong").await;
    // A right password starts the count over: three free failures again.
    call(&mut ann, "pw guess5 ping", "Wrong password.").await;
    call(&mut ann, "pw guess6 ping", "Wrong password.").await;
    call(&mut ann, "password secret1 secret2", "Password changed.").await;
    call(&mut ann, "pw guess7 ping", "Wrong password.").await;
    assert!(w.roster.pw_locks().iter().all(|l| l.wait.is_none()));
    // Another node is not locked by Ann's failures.
    let mut bob = w.player(BOB, "Bob").await;
    call_starts(&mut bob, "password hunter22", "Password set.").await;
    for _ in 0..3 {
        run(&mut ann, "pw guess ping").await;
    }
    call(&mut bob, "pw hunter22 ping", "pong").await;
}

#[tokio::test(start_paused = true)]
async fn a_wizard_sees_the_locks_and_can_lift_one() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    call(&mut wiz, "@pwlocks", "No wrong passwords counted.").await;
    let mut ann = ann_with_password(&w).await;
    for _ in 0..3 {
        run(&mut ann, "pw guess ping").await;
    }
    later(5).await;
    call(
        &mut wiz,
        "@pwlocks",
        "Wrong passwords (2):\n\
         node !0a000001 Ann: 3 wrong, locked 25 s\n\
         account !0a000001 Ann: 3 wrong, not locked",
    )
    .await;
    call(
        &mut wiz,
        "@pwlocks clear Ann",
        "Cleared Ann's wrong passwords.",
    )
    .await;
    call(
        &mut wiz,
        "@pwlocks clear Ann",
        "Ann has no wrong passwords counted.",
    )
    .await;
    call(&mut ann, "pw secret1 ping", "pong").await;
    call(
        &mut wiz,
        "@pwlocks open",
        "Usage: @pwlocks [clear PLAYER|!NODE]",
    )
    .await;
    call(
        &mut ann,
        "@pwlocks",
        "@pwlocks needs wizard rights: powers count only on a PKI-encrypted DM or with `pw PASS COMMAND`.",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_handset_with_a_new_key_repins_itself_with_the_password() {
    let w = TestWorld::new().await;
    let mut ann = ann_with_password(&w).await;
    let old = Pin {
        node: ANN,
        key: vec![1; 32],
        source: PinSource::Packet,
        pinned_at: 0,
        seen_pki: true,
    };
    w.store.set_pin(old).await.unwrap();
    // Ann's reflashed handset: a PKI DM with another key, so an impostor to the pin.
    ann.sender = crate::identity::Sender::Impostor;
    ann.packet_key = Some(vec![2; 32]);
    call(
        &mut ann,
        "repin",
        "repin needs your password: send pw PASS repin from the new handset.",
    )
    .await;
    call(
        &mut ann,
        "pw secret1 name Mallory",
        "pw refused: this does not look like your handset.",
    )
    .await;
    call(&mut ann, "pw guess1 repin", "Wrong password.").await;
    assert_eq!(
        w.store.pin(ANN).await.unwrap().map(|p| p.key),
        Some(vec![1; 32]),
        "nothing changed yet"
    );
    call(
        &mut ann,
        "pw secret1 repin",
        "Repinned: this handset's key is now the one your node is known by.",
    )
    .await;
    let pin = w.store.pin(ANN).await.unwrap().expect("pinned");
    assert_eq!(pin.key, vec![2; 32]);
    assert!(pin.seen_pki);
    assert!(w.roster.take_stale(ANN), "the session reloads the pin");
    assert_eq!(
        w.store.player(ANN).await.unwrap().map(|p| p.name),
        Some("Ann".into())
    );

    // From the pinned key there is nothing to repin; plain text has no key to pin.
    ann.sender = crate::identity::Sender::Proven;
    call(
        &mut ann,
        "repin",
        "This handset's key is the one pinned already: nothing to repin.",
    )
    .await;
    ann.sender = crate::identity::Sender::Unproven;
    ann.packet_key = None;
    call(&mut ann, "pw secret1 repin", NO_KEY_TO_PIN).await;
    call(&mut ann, "repin", NO_KEY_TO_PIN).await;
    call(&mut ann, "repin now", "Usage: pw PASS repin").await;
}

#[tokio::test(start_paused = true)]
async fn wrong_passwords_for_a_repin_count_towards_the_lock() {
    let w = TestWorld::new().await;
    let mut fake = ann_with_password(&w).await;
    fake.sender = crate::identity::Sender::Impostor;
    fake.packet_key = Some(vec![9; 32]);
    call(&mut fake, "pw guess1 repin", "Wrong password.").await;
    call(&mut fake, "pw guess2 repin", "Wrong password.").await;
    call(
        &mut fake,
        "pw guess3 repin",
        &format!("Wrong password. {LOCKED_30}"),
    )
    .await;
    call(&mut fake, "pw secret1 repin", LOCKED_30).await;
    assert_eq!(w.store.pin(ANN).await.unwrap(), None, "no key was pinned");
}

#[test]
fn only_repin_lines_pass_an_impostor() {
    for line in ["repin", "REPIN", "pw secret1 repin", "PW secret1   Repin "] {
        assert!(asks_repin(line), "{line:?}");
    }
    for line in [
        "pw secret1 repin now",
        "pw secret1 name Mallory",
        "pw repin",
        "repin x",
        "rep",
        "pw secret1 rep",
        "whoami",
    ] {
        assert!(!asks_repin(line), "{line:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn accounts_answer_in_the_players_language() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    speak(&mut ann, "de").await;
    call(
        &mut ann,
        "whoami",
        "Ann (!0a000001), Spieler, Absender bestätigt",
    )
    .await;
    call(&mut ann, "password abc", "Mindestens 6 Zeichen, bitte.").await;
    call(&mut ann, "name Annika", "Du heißt jetzt Annika.").await;
    speak(&mut ann, "es").await;
    call(&mut ann, "quit", "Adiós, Annika. Todo queda guardado.").await;
}
