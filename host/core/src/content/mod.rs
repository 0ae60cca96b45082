//! The world's content as data: NPCs, dialogue, quests, shops, achievements, house
//! templates and triggers, read from TOML files (the starter set in
//! `host/data/content/` is built into the binary; `[world] content_dir` points at a
//! directory of the same files to use instead). Content is checked whole before it is
//! used ([`validate`]); a wizard's `@reload` reads the files again and swaps the new
//! content in only if every check passes, so a bad edit changes nothing.
//!
//! Content names rooms by their `world.toml` key. The seeded world's rooms got ids in
//! file order from `#1` (see `SyncStore::seed_world_if_empty`), so room *k* of the
//! seed is object `#k+1`; [`Library`] resolves keys to ids against the store when it
//! installs content, and a key whose room has gone is skipped with a warning.

pub mod schema;
#[cfg(test)]
mod tests;
pub mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use schema::{
    AchievementDef, AchievementsFile, DialogueFile, HouseDef, HousesFile, ItemDef, ItemsFile,
    NpcDef, NpcsFile, QuestDef, QuestsFile, ScreenDef, ShopDef, ShopsFile, TriggerDef,
    TriggersFile,
};
pub use validate::{ContentError, Problem};

use meshmush_store::seed::{WorldSeed, split_names};
use meshmush_store::{Object, ObjectKind, Store};

/// Bytes a single text (a line, a hint, a message) may take: one packet.
pub const MAX_TEXT: usize = 200;

/// The content files, in the order they are read.
pub const FILES: [&str; 8] = [
    "items.toml",
    "npcs.toml",
    "dialogue.toml",
    "quests.toml",
    "shops.toml",
    "achievements.toml",
    "houses.toml",
    "triggers.toml",
];

/// The starter content, built into the binary.
pub const STARTER: [(&str, &str); 8] = [
    (
        "items.toml",
        include_str!("../../../data/content/items.toml"),
    ),
    ("npcs.toml", include_str!("../../../data/content/npcs.toml")),
    (
        "dialogue.toml",
        include_str!("../../../data/content/dialogue.toml"),
    ),
    (
        "quests.toml",
        include_str!("../../../data/content/quests.toml"),
    ),
    (
        "shops.toml",
        include_str!("../../../data/content/shops.toml"),
    ),
    (
        "achievements.toml",
        include_str!("../../../data/content/achievements.toml"),
    ),
    (
        "houses.toml",
        include_str!("../../../data/content/houses.toml"),
    ),
    (
        "triggers.toml",
        include_str!("../../../data/content/triggers.toml"),
    ),
];

/// Every kind of content, checked, with room keys resolved to ids.
#[derive(Debug, Default)]
pub struct Content {
    pub items: Vec<ItemDef>,
    pub npcs: Vec<NpcDef>,
    pub screens: Vec<ScreenDef>,
    pub quests: Vec<QuestDef>,
    pub shops: Vec<ShopDef>,
    pub achievements: Vec<AchievementDef>,
    pub houses: Vec<HouseDef>,
    pub triggers: Vec<TriggerDef>,
    /// Rooms of `world.toml`, by key.
    room_ids: HashMap<String, u64>,
    room_keys: HashMap<u64, String>,
    /// How many rooms `world.toml` has (for "visit every room").
    pub seed_rooms: usize,
}

fn parse<T: serde::de::DeserializeOwned + Default>(
    files: &HashMap<&str, &str>,
    name: &str,
    problems: &mut Vec<Problem>,
) -> T {
    let Some(text) = files.get(name) else {
        return T::default();
    };
    match toml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(Problem {
                file: name.to_string(),
                entry: "-".to_string(),
                what: e.message().to_string(),
            });
            T::default()
        }
    }
}

impl Content {
    /// Parses and checks content given as (file name, text); a missing file is an
    /// empty one. Nothing is resolved against a store yet.
    pub fn parse(files: &[(&str, &str)], seed: &WorldSeed) -> Result<Self, ContentError> {
        let map: HashMap<&str, &str> = files.iter().copied().collect();
        let mut problems = Vec::new();
        let items: ItemsFile = parse(&map, "items.toml", &mut problems);
        let npcs: NpcsFile = parse(&map, "npcs.toml", &mut problems);
        let dialogue: DialogueFile = parse(&map, "dialogue.toml", &mut problems);
        let quests: QuestsFile = parse(&map, "quests.toml", &mut problems);
        let shops: ShopsFile = parse(&map, "shops.toml", &mut problems);
        let achievements: AchievementsFile = parse(&map, "achievements.toml", &mut problems);
        let houses: HousesFile = parse(&map, "houses.toml", &mut problems);
        let triggers: TriggersFile = parse(&map, "triggers.toml", &mut problems);
        let content = Self {
            items: items.items,
            npcs: npcs.npcs,
            screens: dialogue.dialogue,
            quests: quests.quests,
            shops: shops.shops,
            achievements: achievements.achievements,
            houses: houses.houses,
            triggers: triggers.triggers,
            seed_rooms: seed.rooms.len(),
            ..Self::default()
        };
        let mut checker = validate::Checker { seed, problems };
        validate::check(&content, &mut checker);
        if checker.problems.is_empty() {
            Ok(content)
        } else {
            Err(ContentError {
                problems: checker.problems,
            })
        }
    }

    /// The built-in starter content.
    pub fn starter(seed: &WorldSeed) -> Result<Self, ContentError> {
        Self::parse(&STARTER, seed)
    }

    pub fn item(&self, key: &str) -> Option<&ItemDef> {
        self.items.iter().find(|i| i.key == key)
    }

    pub fn npc(&self, key: &str) -> Option<&NpcDef> {
        self.npcs.iter().find(|n| n.key == key)
    }

    pub fn screen(&self, key: &str) -> Option<&ScreenDef> {
        self.screens.iter().find(|s| s.key == key)
    }

    pub fn quest(&self, key: &str) -> Option<&QuestDef> {
        self.quests.iter().find(|q| q.key == key)
    }

    pub fn shop(&self, key: &str) -> Option<&ShopDef> {
        self.shops.iter().find(|s| s.key == key)
    }

    /// The id of the room `world.toml` calls `key`, if it still exists.
    pub fn room_id(&self, key: &str) -> Option<u64> {
        self.room_ids.get(key).copied()
    }

    /// The `world.toml` key of room `id`, if it is one of the seed's.
    pub fn room_key(&self, id: u64) -> Option<&str> {
        self.room_keys.get(&id).map(String::as_str)
    }

    /// The NPCs standing in room `id`.
    pub fn npcs_in(&self, id: u64) -> impl Iterator<Item = &NpcDef> {
        let key = self.room_key(id);
        self.npcs
            .iter()
            .filter(move |n| Some(n.room.as_str()) == key)
    }

    /// The shop in room `id`, if any.
    pub fn shop_in(&self, id: u64) -> Option<&ShopDef> {
        let key = self.room_key(id)?;
        self.shops.iter().find(|s| s.room == key)
    }

    /// Whether `o` is a thing of item `key`: made from it (flag `item:KEY`), or a world
    /// thing that answers to the item's name.
    pub fn is_item(&self, o: &Object, key: &str) -> bool {
        if o.kind != ObjectKind::Thing {
            return false;
        }
        if o.flags.iter().any(|f| f.strip_prefix("item:") == Some(key)) {
            return true;
        }
        match self.item(key) {
            Some(def) => o.answers_to(&split_names(&def.name).0),
            None => o.answers_to(key),
        }
    }

    /// The item a thing is, if any.
    pub fn item_of(&self, o: &Object) -> Option<&ItemDef> {
        self.items.iter().find(|i| self.is_item(o, &i.key))
    }

    /// A new thing made from item `key`, owned by the system.
    pub fn make_item(&self, key: &str) -> Option<Object> {
        let def = self.item(key)?;
        let (name, aliases) = split_names(&def.name);
        let mut o = Object::new(ObjectKind::Thing, &name, 0);
        o.aliases = aliases;
        o.short_desc = def.short.clone();
        o.long_desc = def.long.clone();
        o.flags = vec![format!("item:{key}")];
        Some(o)
    }

    /// Resolves the seed's room keys against the store (room *k* is `#k+1`).
    async fn resolve(&mut self, seed: &WorldSeed, store: &Store) -> Result<(), ContentError> {
        for (i, room) in seed.rooms.iter().enumerate() {
            let id = i as u64 + 1;
            match store.object(id).await {
                Ok(Some(o)) if o.kind == ObjectKind::Room => {
                    self.room_ids.insert(room.key.clone(), id);
                    self.room_keys.insert(id, room.key.clone());
                }
                Ok(_) => tracing::warn!(room = %room.key, "seed room is gone; its content sleeps"),
                Err(e) => {
                    return Err(ContentError {
                        problems: vec![Problem {
                            file: "world.toml".into(),
                            entry: format!("room {:?}", room.key),
                            what: format!("cannot read it from the store: {e}"),
                        }],
                    });
                }
            }
        }
        Ok(())
    }
}

/// Reads the content files of `dir` (a missing file is an empty kind), off the
/// runtime's workers.
pub async fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, ContentError> {
    let mut out = Vec::new();
    for name in FILES {
        match tokio::fs::read_to_string(dir.join(name)).await {
            Ok(text) => out.push((name.to_string(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ContentError {
                    problems: vec![Problem {
                        file: name.to_string(),
                        entry: "-".into(),
                        what: format!("cannot read: {e}"),
                    }],
                });
            }
        }
    }
    Ok(out)
}

/// The content in force, shared by every session; swapped whole by `@reload`.
#[derive(Clone, Debug)]
pub struct Library {
    current: Arc<RwLock<Arc<Content>>>,
    /// Where `@reload` reads from; `None` = the built-in starter content.
    dir: Option<PathBuf>,
}

impl Library {
    /// Loads, checks and resolves content from `dir` (or the built-in set).
    pub async fn load(dir: Option<PathBuf>, store: &Store) -> Result<Self, ContentError> {
        let content = Self::read(dir.as_deref(), store).await?;
        Ok(Self {
            current: Arc::new(RwLock::new(Arc::new(content))),
            dir,
        })
    }

    /// Content already made (tests, bench).
    pub fn fixed(content: Content) -> Self {
        Self {
            current: Arc::new(RwLock::new(Arc::new(content))),
            dir: None,
        }
    }

    /// Resolves parsed content against `store` and wraps it.
    pub async fn with(mut content: Content, store: &Store) -> Result<Self, ContentError> {
        let seed = starter_seed()?;
        content.resolve(&seed, store).await?;
        Ok(Self::fixed(content))
    }

    async fn read(dir: Option<&Path>, store: &Store) -> Result<Content, ContentError> {
        let seed = starter_seed()?;
        let mut content = match dir {
            Some(dir) => {
                let files = read_dir(dir).await?;
                let borrowed: Vec<(&str, &str)> = files
                    .iter()
                    .map(|(n, t)| (n.as_str(), t.as_str()))
                    .collect();
                Content::parse(&borrowed, &seed)?
            }
            None => Content::starter(&seed)?,
        };
        content.resolve(&seed, store).await?;
        Ok(content)
    }

    /// The content in force now.
    pub fn current(&self) -> Arc<Content> {
        // Only ever replaced whole, so a poisoned lock still holds good content.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the files again; swaps them in only if all of it checks out.
    pub async fn reload(&self, store: &Store) -> Result<Arc<Content>, ContentError> {
        let fresh = Arc::new(Self::read(self.dir.as_deref(), store).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Replaces the content with `files` if they check out (tests of `@reload`).
    pub async fn reload_from(
        &self,
        files: &[(&str, &str)],
        store: &Store,
    ) -> Result<Arc<Content>, ContentError> {
        let seed = starter_seed()?;
        let mut content = Content::parse(files, &seed)?;
        content.resolve(&seed, store).await?;
        let fresh = Arc::new(content);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }
}

fn starter_seed() -> Result<WorldSeed, ContentError> {
    WorldSeed::starter().map_err(|e| ContentError {
        problems: vec![Problem {
            file: "world.toml".into(),
            entry: "-".into(),
            what: e.to_string(),
        }],
    })
}
