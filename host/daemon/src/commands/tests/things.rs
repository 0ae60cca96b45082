//! `inventory`, `get`, `drop`, `give`, `money`.

use super::*;
use crate::commands::things::{Gift, Give};
use crate::commands::{Audience, NoticeKind};
use meshmush_core::commands::registry::{Command, Usage};
use meshmush_store::NEW_PLAYER_COINS;

#[tokio::test(start_paused = true)]
async fn take_carry_and_drop_a_thing() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let coins = NEW_PLAYER_COINS;
    call(
        &mut ann,
        "i",
        &format!("You carry nothing. Coins: {coins}."),
    )
    .await;
    call(&mut ann, "get stone", "You take pebble.").await;
    call(
        &mut ann,
        "inventory",
        &format!("You carry pebble. Coins: {coins}."),
    )
    .await;
    call(&mut ann, "get pebble", "You see no \"pebble\" here.").await;
    call(&mut ann, "get north", "You cannot pick up north.").await;
    call(&mut ann, "drop peb", "You drop pebble.").await;
    call(&mut ann, "drop pebble", "You carry no \"pebble\".").await;
    call(&mut ann, "get", "Get what?").await;
}

#[tokio::test(start_paused = true)]
async fn give_moves_coins_and_things_and_tells_the_receiver() {
    let w = TestWorld::new().await;
    let mut ann = w.proven(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    let out = call(&mut ann, "give Bob 5 coins", "You give Bob 5 coins.").await;
    assert_eq!(out.notices[0].to, Audience::Player(BOB));
    assert_eq!(out.notices[0].kind, NoticeKind::Direct);
    assert_eq!(out.notices[0].text, "Ann gives you 5 coins.");
    let coins = NEW_PLAYER_COINS;
    call(&mut bob, "money", &format!("You have {} coins.", coins + 5)).await;
    run(&mut ann, "get pebble").await;
    let out = call(&mut ann, "give Bob=pebble", "You give Bob pebble.").await;
    assert_eq!(out.notices[0].text, "Ann gives you pebble.");
    call(&mut ann, "give Ann 1 coin", "You already have it.").await;
    call(&mut ann, "give Bob 0 coins", "Give at least one coin.").await;
    run(&mut bob, "e").await;
    call(&mut ann, "give Bob 1 coin", "Bob is not here.").await;
    assert_eq!(
        Give::parse("Bob 5 coins"),
        Ok(Give {
            to: "Bob".into(),
            gift: Gift::Coins(5)
        })
    );
    assert_eq!(
        Give::parse("Bob x coins"),
        Err(Usage::key(
            "give-not-coins",
            vec![("word", meshmush_lang::Arg::from("x"))]
        ))
    );
    assert_eq!(Give::parse("Bob"), Err(Usage::show()));
}

#[tokio::test(start_paused = true)]
async fn a_fixed_thing_will_not_budge() {
    let w = TestWorld::new().await;
    let mut b = w.with_level(BOB, "Bob", Level::Builder).await;
    run(&mut b, "@create anvil").await;
    run(&mut b, "drop anvil").await;
    call(&mut b, "@set anvil=fixed", "anvil fixed set.").await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "get anvil", "anvil will not budge.").await;
}
