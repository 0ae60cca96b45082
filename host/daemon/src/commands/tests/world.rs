//! The content at play against the starter town: dialogue with a choice, a quest from
//! start to reward, a shop, an achievement, a trigger, and `@reload` refusing bad
//! content without changing anything.

use super::*;
use meshmush_store::Place;

#[tokio::test]
async fn dialogue_starts_a_quest_and_the_quest_pays_out() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    call(
        &mut ann,
        "quests",
        "No quests yet. Talk to the townsfolk: talk NAME.",
    )
    .await;
    let inn = call_starts(&mut ann, "w", "The Rusty Relay:").await;
    assert!(
        inn.reply.contains("\nNPCs: Nell. (talk NAME)"),
        "{}",
        inn.reply
    );
    call(
        &mut ann,
        "look nell",
        "Nell the innkeeper polishes a mug that is already clean.",
    )
    .await;
    call(
        &mut ann,
        "talk nell",
        "Nell: Welcome to the Rusty Relay! I'm out of bread. Fetch me a loaf?\n1 Gladly\n2 Tell me about town\n3 Bye\n* Achievement: Hello There! Talked to someone of the town.",
    )
    .await;
    call(
        &mut ann,
        "2",
        "Nell: Mara runs the post, Pim the stall, Tom the harbour, Vic the radio shop.\n1 Back\n2 Bye",
    )
    .await;
    call_starts(&mut ann, "talk", "Nell: Mara runs the post").await;
    call(&mut ann, "7", "Answer 1 to 2.").await;
    call_starts(&mut ann, "1", "Nell: Welcome").await;
    call(
        &mut ann,
        "1",
        "Quest started: Nell's Supper. Type quests.\nNell: Pim knows the loaf I like. Ask at the market, then the bakery.",
    )
    .await;
    call(
        &mut ann,
        "1",
        "You are not talking to anyone. Try talk NAME.",
    )
    .await;
    call(
        &mut ann,
        "quests",
        "Nell's Supper (1/3): Ask Pim in the Market which loaf Nell likes.",
    )
    .await;
    call_starts(&mut ann, "e", "Town Square").await;
    call_starts(&mut ann, "e", "Market Street").await;
    call_starts(&mut ann, "talk pim", "Pim: Oil, apples").await;
    call(
        &mut ann,
        "quests",
        "Nell's Supper (2/3): Get a loaf from the Bakery.",
    )
    .await;
    call_starts(&mut ann, "s", "Bakery").await;
    call(&mut ann, "get loaf", "You take loaf.").await;
    call(
        &mut ann,
        "quests",
        "Nell's Supper (3/3): Bring the loaf to Nell at the inn.",
    )
    .await;
    call_starts(&mut ann, "n", "Market").await;
    call_starts(&mut ann, "w", "Town Square").await;
    call_starts(&mut ann, "w", "The Rusty Relay").await;
    call(
        &mut ann,
        "talk nell",
        "Nell: Perfect, still warm!\nQuest done: Nell's Supper! You get 4 coins.\nNell: Sit by the fire, friend. Supper's on the house.\n* Achievement: Helper! Finished a quest.",
    )
    .await;
    call(&mut ann, "money", "You have 14 coins.").await;
    call(&mut ann, "quests", "Done: Nell's Supper.").await;
    assert!(
        w.store
            .contents(Place::Player(ANN))
            .await
            .unwrap()
            .is_empty(),
        "the loaf was taken"
    );
    call(
        &mut ann,
        "achievements",
        "Achievements (2/11): Hello There, Helper.",
    )
    .await;
}

#[tokio::test]
async fn buying_and_selling_move_coins_between_purse_and_till() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    call(&mut ann, "list", "There is no shop here.").await;
    let market = call_starts(&mut ann, "e", "Market Street").await;
    assert!(
        market
            .reply
            .ends_with("Pim calls: Oil, apples, batteries! Type list to see the stall."),
        "{}",
        market.reply
    );
    call(
        &mut ann,
        "list",
        "Pim's stall: lamp oil 3c (3 left, buys 1); apple 2c (5 left, buys 1); battery 6c (2 left, buys 3). buy ITEM, sell ITEM.",
    )
    .await;
    call(
        &mut ann,
        "buy oil",
        "You buy lamp oil for 3 coins. You have 7.\n* Achievement: Customer! Bought something.",
    )
    .await;
    call(
        &mut ann,
        "buy battery",
        "You buy battery for 6 coins. You have 1.",
    )
    .await;
    call(
        &mut ann,
        "buy battery",
        "battery costs 6 coins; you have 1.",
    )
    .await;
    call(&mut ann, "get apple", "You take apple.").await;
    call(
        &mut ann,
        "sell apple",
        "You sell apple for 1 coin. You have 2.\n* Achievement: Merchant! Sold something.",
    )
    .await;
    call(
        &mut ann,
        "sell oil",
        "You sell lamp oil for 1 coin. You have 3.",
    )
    .await;
    call_starts(
        &mut ann,
        "list",
        "Pim's stall: lamp oil 3c (3 left, buys 1); apple 2c (6 left",
    )
    .await;
    let tills = w.store.tills().await.unwrap();
    assert_eq!(tills + 3, 50 + 10, "coins moved, none made or lost");
    let mut bob = w.player(BOB, "Bob").await;
    call_starts(&mut bob, "buy oil", "buy changes your account").await;
}

#[tokio::test]
async fn a_trigger_gives_a_coin_once_and_tells_the_room() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let _bob = w.player(BOB, "Bob").await;
    let out = call(
        &mut ann,
        "say I wish for rain",
        "You say, \"I wish for rain\"\nYou wish into the dry fountain. A coin glints at the bottom: yours.\n* Achievement: Wishful! Made a wish at the fountain.",
    )
    .await;
    assert!(
        out.notices
            .iter()
            .any(|n| n.text == "Ann makes a wish at the fountain."),
        "{:?}",
        out.notices
    );
    call(&mut ann, "money", "You have 11 coins.").await;
    call(&mut ann, "say wish again", "You say, \"wish again\"").await;
    call(&mut ann, "money", "You have 11 coins.").await;
}

#[tokio::test]
async fn a_bad_reload_changes_nothing_and_names_the_problem() {
    let w = TestWorld::new().await;
    let bad = include_str!("../../../../data/content/npcs.toml")
        .replace("room = \"inn\"", "room = \"pub\"");
    let mut files: Vec<(&str, &str)> = crate::content::STARTER.to_vec();
    for f in &mut files {
        if f.0 == "npcs.toml" {
            f.1 = &bad;
        }
    }
    let err = w
        .content
        .reload_from(&files, &w.store)
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "npcs.toml: npc \"nell\": room \"pub\" does not exist"
    );
    let mut ann = w.proven(ANN, "Ann").await;
    call_starts(&mut ann, "w", "The Rusty Relay").await;
    call_starts(&mut ann, "talk nell", "Nell: Welcome").await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    call(
        &mut wiz,
        "@reload",
        "Reloaded: 5 NPCs, 3 quests, 1 shops, 9 triggers.",
    )
    .await;
}

#[tokio::test]
async fn triggers_that_move_back_and_forth_stop_at_the_depth_bound() {
    let w = TestWorld::new().await;
    let ping_pong = r#"
[[triggers]]
key = "to_post"
on = "enter"
room = "market"
do = { message = "Whoosh north-west!", move = "post" }

[[triggers]]
key = "to_market"
on = "enter"
room = "post"
do = { message = "Whoosh back!", move = "market" }
"#;
    let mut files: Vec<(&str, &str)> = crate::content::STARTER.to_vec();
    for f in &mut files {
        if f.0 == "triggers.toml" {
            f.1 = ping_pong;
        }
    }
    w.content
        .reload_from(&files, &w.store)
        .await
        .expect("loads");
    let mut ann = w.proven(ANN, "Ann").await;
    let out = run(&mut ann, "e").await;
    let whooshes = out.reply.matches("Whoosh").count();
    assert_eq!(
        whooshes,
        usize::from(crate::commands::content_play::MAX_DEPTH) + 1,
        "{}",
        out.reply
    );
    assert!(out.reply.len() < 1200, "bounded: {}", out.reply);
}

#[tokio::test]
async fn a_trigger_move_fires_the_next_rooms_triggers() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    for way in ["e", "e", "ne"] {
        run(&mut ann, way).await;
    }
    call_starts(&mut ann, "look", "Repeater Hill").await;
    let out = call_starts(
        &mut ann,
        "say slide",
        "You say, \"slide\"\nWheee! You slide down the grassy slope.\nLantern Lane:",
    )
    .await;
    let lane = w.store.player_state(ANN).await.unwrap().location;
    assert_eq!(
        w.content.current().room_key(lane),
        Some("lane"),
        "{}",
        out.reply
    );
}

#[tokio::test]
async fn an_abandoned_house_is_reclaimed_and_its_things_go_back() {
    let mut cfg = Config::default();
    cfg.world.house_reclaim_days = 30;
    let w = TestWorld::with(cfg).await;
    let mut ann = w.proven(ANN, "Ann").await;
    let mut bob = w.proven(BOB, "Bob").await;
    w.store.give_coins(BOB, ANN, 10).await.unwrap();
    call(&mut ann, "get pebble", "You take pebble.").await;
    for way in ["e", "e"] {
        run(&mut ann, way).await;
        run(&mut bob, way).await;
    }
    call_starts(
        &mut ann,
        "@house claim rose",
        "Rose Cottage is yours for 20 coins.",
    )
    .await;
    call(&mut ann, "money", "You have 0 coins.").await;
    call_starts(&mut ann, "rose", "Rose Cottage").await;
    call(&mut ann, "drop pebble", "You drop pebble.").await;
    call(
        &mut bob,
        "@house",
        "Houses: Rose Cottage (taken). @house claim NAME",
    )
    .await;
    // Ann goes quiet for longer than the config allows.
    let mut away = ann.player.clone();
    away.last_seen = crate::commands::unix_now() - 31 * 86_400;
    w.store.update_player(away).await.unwrap();
    call(
        &mut bob,
        "@house",
        "Houses: Rose Cottage (20c). @house claim NAME",
    )
    .await;
    let held = w.store.contents(Place::Player(ANN)).await.unwrap();
    assert_eq!(
        held.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["pebble"]
    );
    assert!(w.store.houses().await.unwrap().is_empty());
}
