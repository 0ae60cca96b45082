//! The content files as written: one TOML file per kind under `host/data/content/`
//! (`items.toml`, `npcs.toml`, `dialogue.toml`, `quests.toml`, `shops.toml`,
//! `achievements.toml`, `houses.toml`, `triggers.toml`). Rooms are named by their
//! `key` in `world.toml`, things by an item `key` here. Nothing in this module checks
//! that a reference leads anywhere: [`validate`](super::validate) does, and names the
//! file and entry when it does not.

use serde::Deserialize;

/// `items.toml`: things content can give, sell or ask for.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsFile {
    #[serde(default)]
    pub items: Vec<ItemDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub key: String,
    /// `lamp oil;oil`: the name, then aliases.
    pub name: String,
    pub short: String,
    #[serde(default)]
    pub long: String,
}

/// `npcs.toml`: people who stand in rooms and talk.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpcsFile {
    #[serde(default)]
    pub npcs: Vec<NpcDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpcDef {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The room (a `world.toml` key) the NPC stands in.
    pub room: String,
    /// What `look NPC` says.
    pub desc: String,
    /// Dialogue screens tried in order when `talk NPC` opens: the first whose
    /// conditions hold is shown.
    pub greet: Vec<String>,
}

/// `dialogue.toml`: screens of a line and numbered options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogueFile {
    #[serde(default)]
    pub dialogue: Vec<ScreenDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenDef {
    /// Unique across all NPCs.
    pub key: String,
    pub npc: String,
    pub text: String,
    #[serde(default, rename = "if")]
    pub cond: Conditions,
    #[serde(default)]
    pub options: Vec<OptionDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub text: String,
    /// The next screen's key, or `end`.
    pub to: String,
    #[serde(default, rename = "if")]
    pub cond: Conditions,
    #[serde(default, rename = "do")]
    pub effects: Effects,
}

/// What must hold for a screen, option or trigger. Every given field must hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Carries a thing of this item.
    pub has_item: Option<String>,
    /// Carries no thing of this item.
    pub lacks_item: Option<String>,
    /// `quest:N`: the quest is at step N (1-based); `quest:done`, `quest:new` (never
    /// started), `quest:active`.
    pub quest: Option<String>,
    pub flag: Option<String>,
    pub not_flag: Option<String>,
    pub coins_at_least: Option<u64>,
    /// `[from, to)` hours of the day (UTC); `[22, 6]` wraps past midnight.
    pub hours: Option<[u8; 2]>,
}

/// What an option or trigger does. Applied in the order written here; a `take_*` the
/// player cannot pay refuses the whole choice.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Effects {
    /// Text for the player (triggers; an option's text is its next screen).
    pub message: Option<String>,
    /// Text for everyone else in the room (an ambient notice).
    pub room_message: Option<String>,
    pub take_coins: Option<u64>,
    pub give_coins: Option<u64>,
    pub take_item: Option<String>,
    pub give_item: Option<String>,
    pub set_flag: Option<String>,
    pub clear_flag: Option<String>,
    pub start_quest: Option<String>,
    /// Moves the quest one step on if it is at this step: `quest:N`.
    pub advance_quest: Option<String>,
    /// Moves the player to a room (a `world.toml` key).
    #[serde(rename = "move")]
    pub move_to: Option<String>,
}

/// `quests.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestsFile {
    #[serde(default)]
    pub quests: Vec<QuestDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestDef {
    pub key: String,
    pub name: String,
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub reward_coins: u64,
    #[serde(default)]
    pub reward_items: Vec<String>,
    pub reward_title: Option<String>,
}

/// One objective; exactly one of `visit`, `get`, `talk`, `deliver`, `pay`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    /// What `quests` shows as the next step.
    pub hint: String,
    /// Stand in this room.
    pub visit: Option<String>,
    /// Carry a thing of this item.
    pub get: Option<String>,
    /// `talk` to this NPC.
    pub talk: Option<String>,
    /// Bring this item to the step's `npc` (it is taken when you `talk` to them).
    pub deliver: Option<String>,
    /// Pay this many coins to the step's `npc` (taken when you `talk` to them).
    pub pay: Option<u64>,
    pub npc: Option<String>,
    /// What the NPC says when a deliver or pay step is done.
    pub done_text: Option<String>,
}

/// `shops.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopsFile {
    #[serde(default)]
    pub shops: Vec<ShopDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopDef {
    pub key: String,
    pub name: String,
    pub room: String,
    /// The coins the shop starts with; it pays for what it buys from them.
    pub till: u64,
    /// One of each item comes back this often, up to its `max`.
    pub restock_mins: u64,
    pub stock: Vec<StockDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockDef {
    pub item: String,
    /// What a player pays.
    pub price: u64,
    /// What the shop pays for one (0 = it does not buy them).
    #[serde(default)]
    pub buys_for: u64,
    pub max: u32,
}

/// `achievements.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementsFile {
    #[serde(default)]
    pub achievements: Vec<AchievementDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementDef {
    pub key: String,
    pub name: String,
    pub desc: String,
    /// Earned when the player has done `count` things of this kind: an event kind,
    /// as `commands::Event::kind` names it (`talk`, `say`, `buy`; the key keeps the
    /// name it had when commands were counted by name).
    pub command: Option<String>,
    #[serde(default = "one")]
    pub count: u32,
    /// Earned when this many quests are done.
    pub quests_done: Option<u32>,
    /// Earned when this many rooms (of `world.toml`) have been visited; 0 = all.
    pub rooms_visited: Option<u32>,
    /// Earned when this many different NPCs have been talked to.
    pub npcs_met: Option<u32>,
    /// Earned when this flag is set.
    pub flag: Option<String>,
}

fn one() -> u32 {
    1
}

/// `houses.toml`: claimable houses.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousesFile {
    #[serde(default)]
    pub houses: Vec<HouseDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseDef {
    pub key: String,
    pub name: String,
    /// The room (a `world.toml` key) whose exit leads in.
    pub street: String,
    /// The exit's name from the street (`blue door;door`).
    pub door: String,
    pub desc: String,
    pub price: u64,
}

/// `triggers.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggersFile {
    #[serde(default)]
    pub triggers: Vec<TriggerDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Enter,
    Leave,
    Say,
    Get,
    Drop,
    Use,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerDef {
    pub key: String,
    pub on: Event,
    /// The room it watches (every event), a `world.toml` key.
    pub room: Option<String>,
    /// The thing it watches (get, drop, use): an item key or a `world.toml` thing name.
    pub thing: Option<String>,
    /// For `say`: a word that must be in what is said.
    pub keyword: Option<String>,
    #[serde(default, rename = "if")]
    pub cond: Conditions,
    #[serde(rename = "do")]
    pub effects: Effects,
    /// Fire once per player (a flag `trigger:KEY` remembers it).
    #[serde(default)]
    pub once: bool,
}
