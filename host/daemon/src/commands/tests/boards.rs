//! `boards`, `read`, `next`, `post`, `reply`, `delete`, `@board`.

use super::*;
use crate::commands::boards::Read;
use meshmush_core::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn post_list_and_read() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    call(
        &mut ann,
        "boards",
        "Boards (unread/total): general 0/0, help 0/0, news 0/0. read BOARD",
    )
    .await;
    call(
        &mut ann,
        "post general Hello all",
        "Posted to general as #1.",
    )
    .await;
    call(
        &mut bob,
        "boards",
        "Boards (unread/total): general 1/1, help 0/0, news 0/0. read BOARD",
    )
    .await;
    call(&mut bob, "next", "general #1 Ann now:\nHello all").await;
    call(&mut bob, "next", "No unread posts.").await;
    // The newest post in full: one command reads the news.
    call(&mut bob, "read gen", "general #1 Ann now:\nHello all").await;
    call(
        &mut bob,
        "reply general 1 Hi Ann",
        "Replied on general as #2.",
    )
    .await;
    call(
        &mut ann,
        "read general",
        "general #2 re #1 Bob now:\nHi Ann\n#1 Hello all - Ann now",
    )
    .await;
    call(
        &mut ann,
        "read general 2",
        "general #2 re #1 Bob now:\nHi Ann",
    )
    .await;
    call(&mut ann, "read general 9", "No post #9 on general.").await;
    call(
        &mut ann,
        "read nosuch",
        "No board \"nosuch\". Boards: general, help, news.",
    )
    .await;
    call(
        &mut ann,
        "read",
        "Usage: read BOARD [N]. boards lists them.",
    )
    .await;
    let refused = Read::parse("general x").expect_err("not a number");
    assert_eq!(
        refused.text(&Read::SPEC, meshmush_lang::Lang::EN),
        "\"x\" is not a post number."
    );
}

#[tokio::test(start_paused = true)]
async fn read_lists_what_does_not_fit_one_packet() {
    let mut cfg = Config::default();
    cfg.replies.byte_budget = 80;
    let w = TestWorld::with(cfg).await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "post general Ridge report: the trail is open").await;
    run(&mut ann, "post general Net tonight at seven").await;
    // The newest and one list line fit 80 bytes.
    call(
        &mut ann,
        "read general",
        "general #2 Ann now:\nNet tonight at seven\n#1 Ridge report: the trail… - Ann now",
    )
    .await;
    run(
        &mut ann,
        "post general A long post that will never fit in eighty bytes, not in one packet",
    )
    .await;
    call(
        &mut ann,
        "read general",
        "general:\n#3 A long post that will… - Ann now\n#2 Net tonight at seven - Ann now\n\
         #1 Ridge report: the trail… - Ann now\nread general N",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn limits_and_rights_on_posting() {
    let mut cfg = Config::default();
    cfg.bbs.posts_per_hour = 1;
    cfg.bbs.post_max_bytes = 10;
    let w = TestWorld::with(cfg).await;
    let mut ann = w.proven(ANN, "Ann").await;
    let mut bob = w.proven(BOB, "Bob").await;
    call(&mut ann, "post news hi", "Only wizards may post to news.").await;
    call(
        &mut ann,
        "post general this is too long",
        "Too long: 16 bytes, the limit is 10.",
    )
    .await;
    call(&mut ann, "post general hi", "Posted to general as #1.").await;
    call(
        &mut ann,
        "post general again",
        "You have posted 1 times this hour; try later.",
    )
    .await;
    later(3601).await;
    call(&mut ann, "post general again", "Posted to general as #2.").await;
    call(
        &mut bob,
        "delete general 1",
        "Only its author or a wizard may delete that.",
    )
    .await;
    call(&mut ann, "delete general 1", "Deleted general #1.").await;
    call(&mut ann, "post", "Usage: post BOARD [TEXT]").await;
}

#[tokio::test(start_paused = true)]
async fn wizards_manage_boards() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    call(
        &mut wiz,
        "@board create quiz=Puzzles",
        "Board quiz created.",
    )
    .await;
    call(
        &mut wiz,
        "@board create quiz=Again",
        "There is a board quiz already.",
    )
    .await;
    call(
        &mut wiz,
        "@board lock quiz post wizard",
        "quiz post is now for wizards.",
    )
    .await;
    call(
        &mut wiz,
        "@board remove quiz",
        "Board quiz removed with 0 posts.",
    )
    .await;
    call(
        &mut wiz,
        "@board create bad name!",
        "Board names are 1-16 letters, digits or dashes.",
    )
    .await;
}

#[test]
fn board_admin_words_parse_to_what_they_ask() {
    use crate::commands::board_admin::BoardAdmin;
    assert_eq!(
        BoardAdmin::parse("create quiz=Puzzles"),
        Ok(BoardAdmin::Create {
            name: "quiz".into(),
            description: "Puzzles".into()
        })
    );
    assert_eq!(
        BoardAdmin::parse("lock quiz read builders"),
        Ok(BoardAdmin::Lock {
            name: "quiz".into(),
            read: true,
            level: Level::Builder
        })
    );
    assert_eq!(
        BoardAdmin::parse("lock quiz write wizard"),
        Err(Usage::key("board-lock-what", Vec::new()))
    );
    assert_eq!(BoardAdmin::parse("frobnicate"), Err(Usage::show()));
}

/// Board replies in the player's language (ages: `text::age_in`'s own test).
#[tokio::test(start_paused = true)]
async fn board_replies_in_the_players_language() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    call(
        &mut bob,
        "post general Markt am Samstag",
        "Posted to general as #1.",
    )
    .await;
    speak(&mut ann, "de").await;
    call(
        &mut ann,
        "lies general",
        "general #1 Bob jetzt:\nMarkt am Samstag",
    )
    .await;
    call(&mut ann, "next", "Keine ungelesenen Beiträge.").await;
    call(
        &mut ann,
        "delete general 1",
        "Das darf nur der Verfasser oder ein Magier löschen.",
    )
    .await;
    speak(&mut ann, "es").await;
    call(
        &mut ann,
        "reply general 1 Vale",
        "Respuesta publicada en general como #2.",
    )
    .await;
    call(
        &mut ann,
        "delete general 2",
        "Borrado el mensaje #2 de general.",
    )
    .await;
}
