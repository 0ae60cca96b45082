//! `help`, `ping`, `quit`, and what the dispatcher says to words it cannot place.

use super::*;
use crate::commands::End;
use crate::commands::basic::Help;
use crate::commands::registry::Command;

#[tokio::test(start_paused = true)]
async fn ping_and_help() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "ping", "pong").await;
    let help = call_starts(&mut ann, "help", "Commands: help ping quit whoami").await;
    assert!(help.reply.ends_with(". help CMD for more."));
    assert!(
        !help.reply.contains("@dig"),
        "players are not shown builders' commands"
    );
    call(
        &mut ann,
        "help look",
        "look [thing]: describe the room, or a thing or exit",
    )
    .await;
    call(&mut ann, "help xyzzy", "No command \"xyzzy\". Try help.").await;
    assert_eq!(Help::parse(""), Ok(Help { topic: None }));
}

#[tokio::test(start_paused = true)]
async fn quit_ends_the_session() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let out = call(&mut ann, "bye", "Bye, Ann. Everything is saved.").await;
    assert_eq!(out.end, Some(End::Quit));
}

#[tokio::test(start_paused = true)]
async fn unknown_ambiguous_and_forbidden_words() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "xyzzy", "Unknown command \"xyzzy\". Try help.").await;
    call(&mut ann, "wh", "wh? Did you mean: whoami, who, where").await;
    call(
        &mut ann,
        "@dig Den",
        "@dig needs builder rights: powers count only on a PKI-encrypted DM or with `pw PASS COMMAND`.",
    )
    .await;
    call(&mut ann, "   ", "Say something: try help.").await;
    call_starts(
        &mut ann,
        "lok",
        "Unknown command \"lok\". Did you mean look",
    )
    .await;
}
