//! Content checks: the starter set passes, and each kind of broken file is refused
//! with its file and entry named.

use super::*;

fn seed() -> WorldSeed {
    WorldSeed::starter().expect("seed")
}

/// The starter files with `file` replaced by `text`.
fn with(file: &str, text: &str) -> Result<Content, ContentError> {
    let files: Vec<(&str, &str)> = STARTER
        .iter()
        .map(|(n, t)| if *n == file { (*n, text) } else { (*n, *t) })
        .collect();
    Content::parse(&files, &seed())
}

/// Asserts `text` as `file` is refused with a problem naming `entry` and saying
/// something containing `what`.
fn refused(file: &str, text: &str, entry: &str, what: &str) {
    let err = with(file, text).expect_err("should be refused");
    assert!(
        err.problems
            .iter()
            .any(|p| p.file == file && p.entry == entry && p.what.contains(what)),
        "expected {file}: {entry}: ...{what}..., got {err}"
    );
}

#[test]
fn the_starter_content_passes_and_has_what_the_town_needs() {
    let c = Content::starter(&seed()).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.npcs.len() >= 4);
    assert!(c.quests.len() >= 3);
    assert!(c.achievements.len() >= 10);
    assert!(c.shops.iter().any(|s| s.room == "market"));
    assert!(!c.houses.is_empty());
    assert!(!c.triggers.is_empty());
    let beacon = c.quest("beacon").expect("beacon");
    assert!(beacon.steps.len() >= 5);
}

#[test]
fn a_broken_toml_file_is_named() {
    refused("npcs.toml", "[[npcs]\nkey = ", "-", "");
}

#[test]
fn an_npc_in_a_missing_room_is_refused() {
    let npcs = r#"
[[npcs]]
key = "ghost"
name = "Ghost"
room = "attic"
desc = "A ghost."
greet = ["ghost_hi"]
"#;
    refused(
        "npcs.toml",
        npcs,
        "npc \"ghost\"",
        "room \"attic\" does not exist",
    );
}

#[test]
fn a_dialogue_option_that_leads_nowhere_is_refused() {
    let bad = include_str!("../../../data/content/dialogue.toml")
        .replace("to = \"mara_thanks\"", "to = \"mara_nowhere\"");
    refused(
        "dialogue.toml",
        &bad,
        "screen \"mara_hello\" option 1",
        "leads to screen \"mara_nowhere\", which does not exist",
    );
}

#[test]
fn a_quest_step_with_a_missing_item_is_refused() {
    let bad = include_str!("../../../data/content/quests.toml")
        .replace("get = \"loaf\"", "get = \"cake\"");
    refused(
        "quests.toml",
        &bad,
        "quest \"supper\" step 2",
        "item \"cake\" does not exist",
    );
}

#[test]
fn a_shop_selling_a_missing_item_or_in_a_missing_room_is_refused() {
    let bad = include_str!("../../../data/content/shops.toml")
        .replace("item = \"oil\"", "item = \"gold\"")
        .replace("room = \"market\"", "room = \"mall\"");
    refused(
        "shops.toml",
        &bad,
        "shop \"stall\"",
        "item \"gold\" does not exist",
    );
    refused(
        "shops.toml",
        &bad,
        "shop \"stall\"",
        "room \"mall\" does not exist",
    );
}

#[test]
fn an_achievement_without_exactly_one_rule_is_refused() {
    let bad = "[[achievements]]\nkey = \"x\"\nname = \"X\"\ndesc = \"x\"\n";
    refused("achievements.toml", bad, "achievement \"x\"", "exactly one");
}

#[test]
fn an_achievement_counting_a_kind_no_event_has_is_refused() {
    // `look` is a command, but looking is no event: it could never be earned.
    let bad = "[[achievements]]\nkey = \"x\"\nname = \"X\"\ndesc = \"x\"\ncommand = \"look\"\n";
    refused(
        "achievements.toml",
        bad,
        "achievement \"x\"",
        "command \"look\" names no event; it may be one of: go, say",
    );
    let good = "[[achievements]]\nkey = \"x\"\nname = \"X\"\ndesc = \"x\"\ncommand = \"post\"\n";
    assert!(with("achievements.toml", good).is_ok());
}

#[test]
fn a_house_on_a_missing_street_is_refused() {
    let bad = "[[houses]]\nkey = \"h\"\nname = \"H\"\nstreet = \"moon\"\ndoor = \"d\"\ndesc = \"d\"\nprice = 1\n";
    refused(
        "houses.toml",
        bad,
        "house \"h\"",
        "street \"moon\" does not exist",
    );
}

#[test]
fn a_trigger_with_a_missing_quest_or_room_is_refused() {
    let bad = r#"
[[triggers]]
key = "t"
on = "enter"
room = "square"
if = { quest = "dragon:1" }
do = { message = "Hi", move = "moon" }
"#;
    refused(
        "triggers.toml",
        bad,
        "trigger \"t\"",
        "quest \"dragon\" does not exist",
    );
    refused(
        "triggers.toml",
        bad,
        "trigger \"t\"",
        "room \"moon\", which does not exist",
    );
}

#[test]
fn texts_over_one_packet_and_duplicate_keys_are_refused() {
    let long = "x".repeat(MAX_TEXT + 1);
    let items = format!(
        "[[items]]\nkey = \"a\"\nname = \"a\"\nshort = \"{long}\"\n[[items]]\nkey = \"a\"\nname = \"b\"\nshort = \"b\"\n"
    );
    let err = with("items.toml", &items).expect_err("refused");
    let shown = err.to_string();
    assert!(
        shown.contains("items.toml: item \"a\": short is 201 bytes"),
        "{shown}"
    );
    assert!(
        shown.contains("items.toml: item \"a\": key is used twice"),
        "{shown}"
    );
}
