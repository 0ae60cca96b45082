//! What commands say they did: each command that moves, speaks, takes, drops, uses,
//! buys, sells, talks, posts or mails returns the typed event with the ids it
//! resolved, and the content (triggers, achievement counts) follows those events.

use super::*;
use crate::commands::Event;
use meshmush_store::Place;

/// The id of the thing called `name` in `place`.
async fn id_in(w: &TestWorld, place: Place, name: &str) -> u64 {
    w.store
        .contents(place)
        .await
        .expect("contents")
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .unwrap_or_else(|| panic!("no {name} in {place:?}"))
}

async fn room_of(w: &TestWorld, node: u32) -> u64 {
    w.store.player_state(node).await.expect("state").location
}

#[tokio::test(start_paused = true)]
async fn get_and_drop_name_the_thing_they_moved() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let square = room_of(&w, ANN).await;
    let pebble = id_in(&w, Place::Object(square), "pebble").await;
    let out = call(&mut ann, "get stone", "You take pebble.").await;
    assert_eq!(out.events, [Event::Got { thing: pebble }]);
    let out = call(&mut ann, "drop peb", "You drop pebble.").await;
    assert_eq!(out.events, [Event::Dropped { thing: pebble }]);
    let out = call(&mut ann, "drop pebble", "You carry no \"pebble\".").await;
    assert_eq!(out.events, [], "a refused command did nothing");
}

#[tokio::test(start_paused = true)]
async fn every_way_of_moving_says_from_where_to_where() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let square = room_of(&w, ANN).await;
    let out = call_starts(&mut ann, "n", "Post Office").await;
    let post = room_of(&w, ANN).await;
    assert_ne!(post, square);
    assert_eq!(
        out.events,
        [Event::Moved {
            from: square,
            to: post
        }]
    );
    let out = call_starts(&mut ann, "go s", "Town Square").await;
    assert_eq!(
        out.events,
        [Event::Moved {
            from: post,
            to: square
        }]
    );
    call_starts(&mut ann, "n", "Post Office").await;
    let out = call_starts(&mut ann, "home", "Town Square").await;
    assert_eq!(
        out.events,
        [Event::Moved {
            from: post,
            to: square
        }]
    );
    let out = call(&mut ann, "home", "You are home already.").await;
    assert_eq!(out.events, []);
    let out = call(&mut ann, "look me", "You are Ann.").await;
    assert_eq!(out.events, [], "looking is no event");

    let mut cy = w.with_level(CY, "Cy", Level::Wizard).await;
    let out = call_starts(&mut cy, &format!("@tel #{post}"), "Post Office").await;
    assert_eq!(
        out.events,
        [Event::Moved {
            from: square,
            to: post
        }]
    );
}

#[tokio::test(start_paused = true)]
async fn say_and_its_quote_form_are_said_and_a_pose_is_not() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let room = room_of(&w, ANN).await;
    let said = |text: &str| Event::Said {
        room,
        text: text.into(),
    };
    let out = call(&mut ann, "say hi", "You say, \"hi\"").await;
    assert_eq!(out.events, [said("hi")]);
    let out = call(&mut ann, "\"hello there", "You say, \"hello there\"").await;
    assert_eq!(out.events, [said("hello there")]);
    let out = call(&mut ann, ":waves", "Ann waves").await;
    assert_eq!(
        out.events,
        [Event::Posed {
            room,
            text: "waves".into()
        }]
    );
}

#[tokio::test(start_paused = true)]
async fn achievements_count_events_not_command_names() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    for n in 1..=4 {
        call(&mut ann, &format!("say {n}"), &format!("You say, \"{n}\"")).await;
    }
    // Neither a pose nor a refused say counts as saying something.
    call(&mut ann, ":hums", "Ann hums").await;
    call(&mut ann, "say", "Say what?").await;
    call(
        &mut ann,
        "\"five",
        "You say, \"five\"\n* Achievement: Chatterbox! Said five things.",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn talking_buying_and_selling_name_the_npc_and_the_item() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    call_starts(&mut ann, "w", "The Rusty Relay").await;
    let out = call_starts(&mut ann, "talk nell", "Nell: Welcome").await;
    assert_eq!(out.events, [Event::TalkedTo { npc: "nell".into() }]);
    let out = call_starts(&mut ann, "2", "Nell: Mara runs the post").await;
    assert_eq!(out.events, [Event::TalkedTo { npc: "nell".into() }]);
    let out = call_starts(&mut ann, "talk", "Nell: Mara runs the post").await;
    assert_eq!(out.events, [], "showing the open screen again is no talk");

    run(&mut ann, "e").await;
    run(&mut ann, "e").await;
    let out = call_starts(&mut ann, "buy oil", "You buy lamp oil for 3 coins.").await;
    assert_eq!(
        out.events,
        [Event::Bought {
            item: "oil".into(),
            price: 3
        }]
    );
    let oil = id_in(&w, Place::Player(ANN), "lamp oil").await;
    let out = call_starts(&mut ann, "sell oil", "You sell lamp oil for 1 coin.").await;
    assert_eq!(
        out.events,
        [Event::Sold {
            thing: oil,
            item: "oil".into(),
            price: 1
        }]
    );
}

#[tokio::test(start_paused = true)]
async fn triggers_follow_the_events_once() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    run(&mut ann, "w").await;
    let inn = room_of(&w, ANN).await;
    let mug = id_in(&w, Place::Object(inn), "mug").await;
    let out = call(
        &mut ann,
        "get mug",
        "You take mug.\nIn the mug, a note: \"Ask Nell about supper. -Mara\"",
    )
    .await;
    assert_eq!(out.events, [Event::Got { thing: mug }]);

    run(&mut ann, "e").await;
    run(&mut ann, "e").await;
    run(&mut ann, "e").await;
    let lane = room_of(&w, ANN).await;
    let lantern = id_in(&w, Place::Object(lane), "lantern").await;
    // `use` fires its own triggers; the content after it only counts it (one line of
    // the trigger, not two).
    let out = call(
        &mut ann,
        "use lantern",
        "You raise the lantern; shadows leap up the walls.\n* Achievement: Tinkerer! Used something.",
    )
    .await;
    assert_eq!(out.events, [Event::Used { thing: lantern }]);
}

#[tokio::test(start_paused = true)]
async fn posts_and_mail_say_where_they_went() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    let out = call(
        &mut ann,
        "post general hello all",
        "Posted to general as #1.",
    )
    .await;
    assert_eq!(
        out.events,
        [Event::Posted {
            board: "general".into(),
            num: 1
        }]
    );
    let out = call(
        &mut ann,
        "reply general 1 and you",
        "Replied on general as #2.",
    )
    .await;
    assert_eq!(
        out.events,
        [Event::Posted {
            board: "general".into(),
            num: 2
        }]
    );
    let out = call(&mut ann, "mail Bob hi", "Mail sent to Bob.").await;
    assert_eq!(out.events, [Event::Mailed { to: BOB }]);

    // A long post is posted when its draft is sent, not when it is begun.
    let out = call_starts(&mut ann, "post general", "Writing a post to general.").await;
    assert_eq!(out.events, []);
    run(&mut ann, "News").await;
    run(&mut ann, "line one").await;
    let out = call_starts(&mut ann, ".", "Posted to general as #3").await;
    assert_eq!(
        out.events,
        [Event::Posted {
            board: "general".into(),
            num: 3
        }]
    );
}

/// Content follows events, so a command that reports none costs no store call for it:
/// with every store call slow and the store busy, a `ping` stays as quick as the
/// radio (figure 3; the content hook's reads once made it wait seconds).
#[tokio::test(start_paused = true)]
async fn a_command_that_did_nothing_reads_nothing_for_the_content() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    w.store.observe_calls(Arc::new(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    }));
    let out = call(&mut ann, "ping", "pong").await;
    assert_eq!(out.events, []);
    assert_eq!(calls.load(Ordering::Relaxed), 0, "store calls for a ping");
    // A command that did something is followed, and may read.
    let out = call_starts(&mut ann, "n", "Post Office").await;
    assert_eq!(out.events.len(), 1);
}
