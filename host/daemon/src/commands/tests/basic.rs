//! `help`, `ping`, `quit`, and what the dispatcher says to words it cannot place.

use super::*;
use crate::commands::End;
use meshmush_core::commands::basic::{Help, short_help};
use meshmush_core::commands::registry::Command;

#[tokio::test(start_paused = true)]
async fn ping_and_help() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "ping", "pong").await;
    // One short packet, pointing to the rest, and the languages offered.
    let short = short_help(meshmush_lang::Lang::EN);
    call(&mut ann, "help", &short).await;
    assert!(short.len() <= 140, "{}", short.len());
    assert!(short.ends_with("; lang en de es"), "{short}");
    let all = call_starts(&mut ann, "help all", "help lang ping quit seen whoami").await;
    assert!(
        all.reply
            .contains("say pose semipose whisper page who where dnd nospoof @doing finger inventory get drop give money")
            && all.reply.contains("stats search")
            && all.reply.contains("talk quests")
            && all.reply.ends_with(". help CMD explains one."),
        "{}",
        all.reply
    );
    assert!(
        !all.reply.contains("@dig"),
        "players are not shown builders' commands"
    );
    // Every command the short help names is one (n s e w are the square's exits).
    for word in [
        "boards", "read", "post", "next", "mail", "look", "say", "who", "i", "lang",
    ] {
        let named = short
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == word);
        assert!(named, "{word}");
        let out = run(&mut ann, &format!("help {word}")).await;
        assert!(
            !out.reply.starts_with("No command"),
            "{word}: {}",
            out.reply
        );
    }
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
    call(
        &mut ann,
        "wh",
        "wh? Did you mean: whoami, whisper, who, where",
    )
    .await;
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
