//! Checking content before it is used: every reference (a room, an item, an NPC, a
//! screen, a quest and its step) must lead somewhere, every entry's key must be
//! unique, and texts a player reads must fit a packet. Each problem names its file,
//! its entry and what is wrong; all problems are collected, not just the first, so a
//! builder fixes a file in one pass.

use std::collections::HashSet;
use std::fmt;

use super::schema::{Conditions, Effects, Event, StepDef};
use super::{Content, MAX_TEXT};
use meshmush_store::seed::{WorldSeed, split_names};

/// One thing wrong with one entry of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// `npc "mara"`, `quest "letters" step 2`, or `-` for the file as a whole.
    pub entry: String,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.entry, self.what)
    }
}

/// Content that cannot be used; nothing of it was installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ContentError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        write!(f, "{}", shown.join("; "))
    }
}

/// Collects problems as the checks run.
pub(super) struct Checker<'a> {
    pub seed: &'a WorldSeed,
    pub problems: Vec<Problem>,
}

impl Checker<'_> {
    pub fn fail(&mut self, file: &str, entry: &str, what: impl Into<String>) {
        self.problems.push(Problem {
            file: file.to_string(),
            entry: entry.to_string(),
            what: what.into(),
        });
    }
}

fn room_ok(seed: &WorldSeed, key: &str) -> bool {
    seed.room_index(key).is_some()
}

/// Whether `word` names a thing of `world.toml`.
fn seed_thing(seed: &WorldSeed, word: &str) -> bool {
    seed.rooms.iter().flat_map(|r| &r.things).any(|t| {
        let (name, aliases) = split_names(&t.name);
        name.eq_ignore_ascii_case(word) || aliases.iter().any(|a| a.eq_ignore_ascii_case(word))
    })
}

/// Runs every check over parsed content.
pub(super) fn check(c: &Content, k: &mut Checker<'_>) {
    unique(
        k,
        "items.toml",
        "item",
        c.items.iter().map(|i| i.key.as_str()),
    );
    unique(k, "npcs.toml", "npc", c.npcs.iter().map(|n| n.key.as_str()));
    unique(
        k,
        "dialogue.toml",
        "screen",
        c.screens.iter().map(|s| s.key.as_str()),
    );
    unique(
        k,
        "quests.toml",
        "quest",
        c.quests.iter().map(|q| q.key.as_str()),
    );
    unique(
        k,
        "shops.toml",
        "shop",
        c.shops.iter().map(|s| s.key.as_str()),
    );
    unique(
        k,
        "achievements.toml",
        "achievement",
        c.achievements.iter().map(|a| a.key.as_str()),
    );
    unique(
        k,
        "houses.toml",
        "house",
        c.houses.iter().map(|h| h.key.as_str()),
    );
    unique(
        k,
        "triggers.toml",
        "trigger",
        c.triggers.iter().map(|t| t.key.as_str()),
    );
    for i in &c.items {
        let e = format!("item {:?}", i.key);
        if split_names(&i.name).0.is_empty() {
            k.fail("items.toml", &e, "has no name");
        }
        text(k, "items.toml", &e, "short", &i.short);
    }
    for n in &c.npcs {
        let e = format!("npc {:?}", n.key);
        if !room_ok(k.seed, &n.room) {
            k.fail("npcs.toml", &e, format!("room {:?} does not exist", n.room));
        }
        text(k, "npcs.toml", &e, "desc", &n.desc);
        if n.greet.is_empty() {
            k.fail("npcs.toml", &e, "greet names no screen");
        }
        for g in &n.greet {
            match c.screen(g) {
                None => k.fail(
                    "npcs.toml",
                    &e,
                    format!("greet screen {g:?} does not exist"),
                ),
                Some(s) if s.npc != n.key => k.fail(
                    "npcs.toml",
                    &e,
                    format!("greet screen {g:?} belongs to {:?}", s.npc),
                ),
                Some(_) => {}
            }
        }
    }
    for s in &c.screens {
        let e = format!("screen {:?}", s.key);
        if c.npc(&s.npc).is_none() {
            k.fail(
                "dialogue.toml",
                &e,
                format!("npc {:?} does not exist", s.npc),
            );
        }
        text(k, "dialogue.toml", &e, "text", &s.text);
        conditions(c, k, "dialogue.toml", &e, &s.cond);
        if s.options.len() > 9 {
            k.fail("dialogue.toml", &e, "more than 9 options");
        }
        let screen_len = s.text.len() + s.options.iter().map(|o| o.text.len() + 4).sum::<usize>();
        if screen_len > MAX_TEXT {
            k.fail(
                "dialogue.toml",
                &e,
                format!("text and options take {screen_len} bytes, over one packet ({MAX_TEXT})"),
            );
        }
        for (n, o) in s.options.iter().enumerate() {
            let oe = format!("{e} option {}", n + 1);
            if o.to != "end" {
                match c.screen(&o.to) {
                    None => k.fail(
                        "dialogue.toml",
                        &oe,
                        format!("leads to screen {:?}, which does not exist", o.to),
                    ),
                    Some(next) if next.npc != s.npc => k.fail(
                        "dialogue.toml",
                        &oe,
                        format!("leads to {:?}, another NPC's screen", o.to),
                    ),
                    Some(_) => {}
                }
            }
            conditions(c, k, "dialogue.toml", &oe, &o.cond);
            effects(c, k, "dialogue.toml", &oe, &o.effects);
        }
    }
    for q in &c.quests {
        let e = format!("quest {:?}", q.key);
        if q.steps.is_empty() {
            k.fail("quests.toml", &e, "has no steps");
        }
        for item in &q.reward_items {
            item_ref(c, k, "quests.toml", &e, item);
        }
        for (n, s) in q.steps.iter().enumerate() {
            step(c, k, &format!("{e} step {}", n + 1), s);
        }
    }
    for s in &c.shops {
        let e = format!("shop {:?}", s.key);
        if !room_ok(k.seed, &s.room) {
            k.fail(
                "shops.toml",
                &e,
                format!("room {:?} does not exist", s.room),
            );
        }
        if s.restock_mins == 0 {
            k.fail("shops.toml", &e, "restock_mins must be at least 1");
        }
        for st in &s.stock {
            item_ref(c, k, "shops.toml", &e, &st.item);
            if st.buys_for > st.price {
                k.fail(
                    "shops.toml",
                    &e,
                    format!("buys {:?} for more than it sells it", st.item),
                );
            }
        }
    }
    for a in &c.achievements {
        let e = format!("achievement {:?}", a.key);
        let rules = [
            a.command.is_some(),
            a.quests_done.is_some(),
            a.rooms_visited.is_some(),
            a.npcs_met.is_some(),
            a.flag.is_some(),
        ];
        if rules.iter().filter(|r| **r).count() != 1 {
            k.fail(
                "achievements.toml",
                &e,
                "needs exactly one of command, quests_done, rooms_visited, npcs_met, flag",
            );
        }
        if let Some(kind) = &a.command
            && !crate::events::Event::KINDS.contains(&kind.as_str())
        {
            k.fail(
                "achievements.toml",
                &e,
                format!(
                    "command {kind:?} names no event; it may be one of: {}",
                    crate::events::Event::KINDS.join(", ")
                ),
            );
        }
        text(k, "achievements.toml", &e, "desc", &a.desc);
    }
    for h in &c.houses {
        let e = format!("house {:?}", h.key);
        if !room_ok(k.seed, &h.street) {
            k.fail(
                "houses.toml",
                &e,
                format!("street {:?} does not exist", h.street),
            );
        }
        text(k, "houses.toml", &e, "desc", &h.desc);
    }
    for t in &c.triggers {
        let e = format!("trigger {:?}", t.key);
        if let Some(r) = &t.room
            && !room_ok(k.seed, r)
        {
            k.fail("triggers.toml", &e, format!("room {r:?} does not exist"));
        }
        match t.on {
            Event::Enter | Event::Leave if t.room.is_none() => {
                k.fail("triggers.toml", &e, "enter and leave need a room")
            }
            Event::Say if t.keyword.is_none() => k.fail("triggers.toml", &e, "say needs a keyword"),
            Event::Get | Event::Drop | Event::Use => match &t.thing {
                None => k.fail("triggers.toml", &e, "get, drop and use need a thing"),
                Some(th) if c.item(th).is_none() && !seed_thing(k.seed, th) => k.fail(
                    "triggers.toml",
                    &e,
                    format!("thing {th:?} is neither an item nor a world thing"),
                ),
                Some(_) => {}
            },
            _ => {}
        }
        conditions(c, k, "triggers.toml", &e, &t.cond);
        effects(c, k, "triggers.toml", &e, &t.effects);
    }
}

fn unique<'a>(k: &mut Checker<'_>, file: &str, kind: &str, keys: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for key in keys {
        if key.is_empty() {
            k.fail(file, &format!("{kind} \"\""), "has an empty key");
        } else if !seen.insert(key) {
            k.fail(file, &format!("{kind} {key:?}"), "key is used twice");
        }
    }
}

fn text(k: &mut Checker<'_>, file: &str, entry: &str, field: &str, t: &str) {
    if t.trim().is_empty() {
        k.fail(file, entry, format!("{field} is empty"));
    } else if t.len() > MAX_TEXT {
        k.fail(
            file,
            entry,
            format!("{field} is {} bytes, over one packet ({MAX_TEXT})", t.len()),
        );
    }
}

fn item_ref(c: &Content, k: &mut Checker<'_>, file: &str, entry: &str, item: &str) {
    if c.item(item).is_none() {
        k.fail(file, entry, format!("item {item:?} does not exist"));
    }
}

fn npc_ref(c: &Content, k: &mut Checker<'_>, file: &str, entry: &str, npc: &str) {
    if c.npc(npc).is_none() {
        k.fail(file, entry, format!("npc {npc:?} does not exist"));
    }
}

/// `quest:N` (or `quest:done|new|active` when `states` is true) names a real quest and
/// step.
fn quest_ref(c: &Content, k: &mut Checker<'_>, file: &str, entry: &str, spec: &str, states: bool) {
    let (key, at) = spec.split_once(':').unwrap_or((spec, ""));
    let Some(q) = c.quest(key) else {
        k.fail(file, entry, format!("quest {key:?} does not exist"));
        return;
    };
    if states && matches!(at, "done" | "new" | "active") {
        return;
    }
    match at.parse::<usize>() {
        Ok(n) if (1..=q.steps.len()).contains(&n) => {}
        _ => k.fail(
            file,
            entry,
            format!(
                "{spec:?}: quest {key:?} has steps 1 to {}{}",
                q.steps.len(),
                if states {
                    " (or done, new, active)"
                } else {
                    ""
                }
            ),
        ),
    }
}

fn conditions(c: &Content, k: &mut Checker<'_>, file: &str, entry: &str, cond: &Conditions) {
    for item in [&cond.has_item, &cond.lacks_item].into_iter().flatten() {
        item_ref(c, k, file, entry, item);
    }
    if let Some(q) = &cond.quest {
        quest_ref(c, k, file, entry, q, true);
    }
    if let Some([from, to]) = cond.hours
        && (from > 23 || to > 24)
    {
        k.fail(file, entry, "hours are 0 to 24");
    }
}

fn effects(c: &Content, k: &mut Checker<'_>, file: &str, entry: &str, fx: &Effects) {
    for item in [&fx.give_item, &fx.take_item].into_iter().flatten() {
        item_ref(c, k, file, entry, item);
    }
    if let Some(q) = &fx.start_quest
        && c.quest(q).is_none()
    {
        k.fail(file, entry, format!("quest {q:?} does not exist"));
    }
    if let Some(q) = &fx.advance_quest {
        quest_ref(c, k, file, entry, q, false);
    }
    if let Some(r) = &fx.move_to
        && !room_ok(k.seed, r)
    {
        k.fail(
            file,
            entry,
            format!("moves to room {r:?}, which does not exist"),
        );
    }
    for (field, t) in [("message", &fx.message), ("room_message", &fx.room_message)] {
        if let Some(t) = t {
            text(k, file, entry, field, t);
        }
    }
}

fn step(c: &Content, k: &mut Checker<'_>, entry: &str, s: &StepDef) {
    let f = "quests.toml";
    let kinds = [
        s.visit.is_some(),
        s.get.is_some(),
        s.talk.is_some(),
        s.deliver.is_some(),
        s.pay.is_some(),
    ];
    if kinds.iter().filter(|x| **x).count() != 1 {
        k.fail(
            f,
            entry,
            "needs exactly one of visit, get, talk, deliver, pay",
        );
    }
    text(k, f, entry, "hint", &s.hint);
    if let Some(r) = &s.visit
        && !room_ok(k.seed, r)
    {
        k.fail(f, entry, format!("visits room {r:?}, which does not exist"));
    }
    for item in [&s.get, &s.deliver].into_iter().flatten() {
        item_ref(c, k, f, entry, item);
    }
    if let Some(n) = &s.talk {
        npc_ref(c, k, f, entry, n);
    }
    if s.deliver.is_some() || s.pay.is_some() {
        match &s.npc {
            Some(n) => npc_ref(c, k, f, entry, n),
            None => k.fail(f, entry, "deliver and pay need an npc"),
        }
    }
}
