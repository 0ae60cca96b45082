//! The builders' commands.

use super::*;
use crate::commands::build::Dig;
use meshmush_core::commands::registry::{Command, Usage};

#[tokio::test(start_paused = true)]
async fn dig_a_room_and_walk_into_it() {
    let w = TestWorld::new().await;
    let mut b = w.with_level(BOB, "Bob", Level::Builder).await;
    let out = call_starts(&mut b, "@dig Workshop=in;i,out;o", "Dug Workshop #").await;
    assert!(out.reply.contains(" Opened in #"), "{}", out.reply);
    assert!(out.reply.contains(" Back: out #"), "{}", out.reply);
    call_starts(&mut b, "in", "Workshop #").await;
    call_starts(&mut b, "o", "Town Square").await;
    call(&mut b, "@dig here", "\"here\" is reserved.").await;
    assert_eq!(
        Dig::parse("Den=down,up"),
        Ok(Dig {
            room: "Den".into(),
            to: "down".into(),
            back: "up".into()
        })
    );
}

#[tokio::test(start_paused = true)]
async fn make_describe_flag_and_lock_a_thing() {
    let w = TestWorld::new().await;
    let mut b = w.with_level(BOB, "Bob", Level::Builder).await;
    call_starts(&mut b, "@create lamp;lantern", "Created lamp #").await;
    call(&mut b, "@describe lantern=A brass lamp.", "Described lamp.").await;
    call(&mut b, "look lamp", "A brass lamp.").await;
    call(&mut b, "@set lamp=shiny", "Flags: dark, fixed.").await;
    call(&mut b, "@set lamp=fixed", "lamp fixed set.").await;
    call(&mut b, "@set lamp=!fixed", "lamp fixed cleared.").await;
    call(&mut b, "@lock lamp=me", "Locked lamp to you.").await;
    call(&mut b, "@unlock lamp", "Unlocked lamp.").await;
    call(&mut b, "@name lamp=torch", "lamp is now torch.").await;
    call(&mut b, "@lock pebble=me", "You do not own pebble.").await;
    call(&mut b, "@open door=5", "Name the room as #N.").await;
    call(&mut b, "@describe lamp", "Usage: @describe THING=TEXT").await;
    let out = call_starts(&mut b, "@stats", "").await;
    assert!(
        out.reply.ends_with(" objects, 1 players, 1 about."),
        "{}",
        out.reply
    );
    use crate::commands::build::Set;
    let said = |u: Usage| u.text(&Set::SPEC, meshmush_lang::Lang::EN);
    assert_eq!(
        Set::parse("x=nope").map_err(said),
        Err("Flags: dark, fixed.".to_string())
    );
}

#[test]
fn link_and_open_name_rooms_by_id() {
    use crate::commands::build::{Link, Open, Target};
    assert_eq!(
        Link::parse("me=here"),
        Ok(Link {
            what: "me".into(),
            to: Target::Here
        })
    );
    assert_eq!(
        Link::parse("door=#12"),
        Ok(Link {
            what: "door".into(),
            to: Target::Room(12)
        })
    );
    let said = |u: Usage| u.text(&Link::SPEC, meshmush_lang::Lang::EN);
    assert_eq!(
        Link::parse("door=12").map_err(said),
        Err("Name the room as #N or here.".to_string())
    );
    assert_eq!(
        Open::parse("gate;g=#3"),
        Ok(Open {
            exit: "gate;g".into(),
            to: 3
        })
    );
    assert_eq!(Open::parse("gate"), Err(Usage::show()));
}

#[tokio::test(start_paused = true)]
async fn a_locked_exit_stops_others_but_not_its_owner() {
    let w = TestWorld::new().await;
    let mut b = w.with_level(BOB, "Bob", Level::Builder).await;
    run(&mut b, "@dig Den=den,out").await;
    call(&mut b, "@lock den=me", "Locked den to you.").await;
    let mut ann = w.player(ANN, "Ann").await;
    call(&mut ann, "den", "The way den is locked.").await;
    call_starts(&mut b, "den", "Den #").await;
}
