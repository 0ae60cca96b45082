//! `look`, `examine`, `exits`, `go`, `home`, and exits typed as commands.

use super::talk::told;
use super::*;
use crate::commands::look::Go;
use crate::commands::{Audience, NoticeKind};
use meshmush_core::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn look_shows_the_room_and_who_is_here() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    let out = call_starts(&mut ann, "look", "Town Square: The heart of Meshton.").await;
    assert!(
        out.reply
            .ends_with("\nExits: north, east, west, south.\nYou see: pebble.\nHere: Bob."),
        "{:?}",
        out.reply
    );
    call(&mut ann, "look me", "You are Ann.").await;
    call(&mut ann, "l pebble", "Smooth, grey, pleasant to hold.").await;
    call(&mut ann, "look bob", "Bob is here.").await;
    call(&mut ann, "look unicorn", "You see no \"unicorn\" here.").await;
    call(
        &mut ann,
        "ex pebble",
        "pebble: Smooth, grey, pleasant to hold.",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn an_exit_typed_alone_walks_and_tells_both_rooms() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let square = w.store.player_state(ANN).await.unwrap().location;
    let out = call_starts(&mut ann, "n", "Post Office: Brass pigeonholes").await;
    let post = w.store.player_state(ANN).await.unwrap().location;
    assert_ne!(post, square);
    assert_eq!(
        told(&out.notices),
        [
            (
                Audience::Room {
                    room: square,
                    except: ANN
                },
                "Ann leaves north.",
                NoticeKind::Ambient
            ),
            (
                Audience::Room {
                    room: post,
                    except: ANN
                },
                "Ann arrives.",
                NoticeKind::Ambient
            ),
        ]
    );
    assert_eq!(w.roster.get(ANN).map(|s| s.room), Some(post));
    call(&mut ann, "ne", "You can't go that way.").await;
    call_starts(&mut ann, "go out", "Town Square").await;
    call(&mut ann, "home", "You are home already.").await;
}

#[tokio::test(start_paused = true)]
async fn go_and_exits_explain_themselves() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "go", "Go where? Try exits.").await;
    call(
        &mut ann,
        "go nowhere",
        "No exit \"nowhere\" here. Try exits.",
    )
    .await;
    call_starts(
        &mut ann,
        "exits",
        "Exits: north (n) to Post Office; east (e) to Market Street;",
    )
    .await;
    assert_eq!(Go::parse(""), Err(Usage::key("go-where", vec![])));
    assert_eq!(
        Go::parse("north"),
        Ok(Go {
            exit: "north".into()
        })
    );
}
