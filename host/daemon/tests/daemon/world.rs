//! The TinyMUSH world over the software mesh, as three people with handsets see it:
//! Alice (!4d4d1001), Bob (!4d4d1002) and Carol (!4d4d1003). Every reply packet any
//! handset receives is checked against the 200-byte radio budget (`common::replies`).

use crate::common::replies::{ask, expect, silent};
use crate::common::{roomy, world};
use meshmush::store::StoreOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_player_looks_around_and_walks_by_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, roomy(), dir.path(), StoreOptions::default()).await;
    let look = ask(&mut w, 0, "look").await;
    assert!(
        look.starts_with("Town Square: The heart of Meshton."),
        "{look}"
    );
    assert!(look.contains("Exits: north, east, west, south."), "{look}");
    assert!(look.contains("You see: pebble."), "{look}");
    let short = ask(&mut w, 0, "l").await;
    assert_eq!(short, look);
    let post = ask(&mut w, 0, "n").await;
    assert!(post.starts_with("Post Office: "), "{post}");
    assert!(ask(&mut w, 0, "look").await.contains("boards"));
    assert!(ask(&mut w, 0, "u").await.starts_with("Sorting Loft"));
    assert_eq!(ask(&mut w, 0, "n").await, "You can't go that way.");
    assert!(ask(&mut w, 0, "stairs").await.starts_with("Post Office"));
    assert!(ask(&mut w, 0, "out").await.starts_with("Town Square"));
    assert!(ask(&mut w, 0, "go east").await.starts_with("Market Street"));
    assert!(ask(&mut w, 0, "e").await.starts_with("Lantern Lane"));
    assert!(ask(&mut w, 0, "ne").await.starts_with("Repeater Hill"));
    let exits = ask(&mut w, 0, "exits").await;
    assert_eq!(exits, "Exits: southwest (sw) to Lantern Lane.");
    assert!(ask(&mut w, 0, "home").await.starts_with("Town Square"));
    assert_eq!(ask(&mut w, 0, "home").await, "You are home already.");
    assert_eq!(
        ask(&mut w, 0, "look n").await,
        "north leads to Post Office."
    );
    let unknown = ask(&mut w, 0, "xyzzy").await;
    assert!(unknown.starts_with("Unknown command"), "{unknown}");
    assert!(
        ask(&mut w, 0, "look pebble")
            .await
            .starts_with("Smooth, grey")
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn players_in_a_room_see_arrivals_speech_and_poses() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, roomy(), dir.path(), StoreOptions::default()).await;
    ask(&mut w, 0, "look").await;
    ask(&mut w, 1, "look").await;
    ask(&mut w, 2, "n").await;
    expect(&mut w, 0, "Carol leaves north.").await;
    expect(&mut w, 1, "Carol leaves north.").await;
    let look = ask(&mut w, 1, "look").await;
    assert!(look.contains("Here: Alice."), "{look}");
    assert_eq!(ask(&mut w, 1, "look alice").await, "Alice is here.");

    assert_eq!(
        ask(&mut w, 0, "say hello there").await,
        "You say, \"hello there\""
    );
    expect(&mut w, 1, "Alice says, \"hello there\"").await;
    assert_eq!(ask(&mut w, 1, "\"hi Alice").await, "You say, \"hi Alice\"");
    expect(&mut w, 0, "Bob says, \"hi Alice\"").await;
    assert_eq!(ask(&mut w, 0, ":waves").await, "Alice waves");
    expect(&mut w, 1, "Alice waves").await;
    assert_eq!(ask(&mut w, 1, "emote grins").await, "Bob grins");
    expect(&mut w, 0, "Bob grins").await;

    assert!(ask(&mut w, 1, "e").await.starts_with("Market Street"));
    expect(&mut w, 0, "Bob leaves east.").await;
    assert!(ask(&mut w, 0, "e").await.contains("Here: Bob."));
    expect(&mut w, 1, "Alice arrives.").await;
    // Carol is in the post office and heard none of it.
    silent(&mut w, 2).await;

    // Paging reaches someone elsewhere.
    assert_eq!(
        ask(&mut w, 2, "page alice meet me at the post").await,
        "You page Alice: meet me at the post"
    );
    expect(&mut w, 0, "Carol pages: meet me at the post").await;
    let who = ask(&mut w, 2, "who").await;
    assert!(
        who.starts_with("3 about: Alice ") && who.contains("Carol"),
        "{who}"
    );
    let where_ = ask(&mut w, 2, "where").await;
    assert!(
        where_.contains("Alice in Market Street") && where_.contains("Carol in Post Office"),
        "{where_}"
    );
    silent(&mut w, 1).await;
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn things_and_coins_change_hands_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, roomy(), dir.path(), StoreOptions::default()).await;
    ask(&mut w, 1, "look").await;
    assert_eq!(ask(&mut w, 0, "get peb").await, "You take pebble.");
    assert!(!ask(&mut w, 0, "look").await.contains("pebble"));
    assert_eq!(
        ask(&mut w, 0, "get pebble").await,
        "You see no \"pebble\" here."
    );
    assert_eq!(ask(&mut w, 0, "i").await, "You carry pebble. Coins: 10.");
    assert_eq!(
        ask(&mut w, 0, "get north").await,
        "You cannot pick up north."
    );
    assert_eq!(
        ask(&mut w, 0, "give bob pebble").await,
        "You give Bob pebble."
    );
    expect(&mut w, 1, "Alice gives you pebble.").await;
    assert_eq!(
        ask(&mut w, 0, "give Bob 3 coins").await,
        "You give Bob 3 coins."
    );
    expect(&mut w, 1, "Alice gives you 3 coins.").await;
    assert_eq!(
        ask(&mut w, 0, "give Bob 8 coins").await,
        "Not enough coins."
    );
    assert_eq!(
        ask(&mut w, 0, "give dave 1 coins").await,
        "No player called \"dave\"."
    );
    assert_eq!(
        ask(&mut w, 1, "inventory").await,
        "You carry pebble. Coins: 13."
    );
    assert!(ask(&mut w, 1, "e").await.starts_with("Market Street"));
    expect(&mut w, 0, "Bob leaves east.").await;
    assert_eq!(ask(&mut w, 1, "drop pebble").await, "You drop pebble.");
    assert_eq!(ask(&mut w, 0, "money").await, "You have 7 coins.");
    w.stop().await.expect("clean shutdown");

    let mut w = world(3, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(ask(&mut w, 0, "money").await, "You have 7 coins.");
    let market = ask(&mut w, 1, "look").await;
    assert!(
        market.starts_with("Market Street") && market.contains("pebble"),
        "{market}"
    );
    assert!(!ask(&mut w, 0, "look").await.contains("pebble"));
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowded_room_names_the_latest_six_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(9, roomy(), dir.path(), StoreOptions::default()).await;
    // Bob .. Ivan look around in turn (Ivan last); Alice arrives and looks.
    for k in 1..9 {
        ask(&mut w, k, "look").await;
    }
    let look = ask(&mut w, 0, "look").await;
    assert!(
        look.ends_with("\nHere: Ivan, Heidi, Grace, Frank, Erin, Dave and 2 more (8 in all)."),
        "{look}"
    );
    w.stop().await.expect("clean shutdown");
}
