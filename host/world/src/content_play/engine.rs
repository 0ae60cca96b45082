//! The rules content runs on, shared by dialogue, quests, shops and triggers: whether
//! conditions hold, what effects do, how a quest moves on and pays out, and which
//! achievements a player has just earned. Everything here works on a [`Plan`]: a
//! snapshot of the player (progress, what they carry, their coins) and the
//! [`Deal`] that will change it, applied by the store in one transaction when the
//! command is done. Nothing here touches the store.

use meshmush_core::content::Content;
use meshmush_core::content::schema::{Conditions, Effects, QuestDef};
use meshmush_lang::{Lang, t};
use meshmush_store::{Deal, Object, Progress, QuestProgress};

/// A player's state as content sees it, and what is about to change.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    /// The language the player reads the plan's lines in.
    pub lang: Lang,
    pub progress: Progress,
    /// What the player carries now (things to be taken are removed, gifts added).
    pub held: Vec<Object>,
    pub coins: u64,
    pub deal: Deal,
    /// Lines for the player, in order.
    pub lines: Vec<String>,
    /// Lines for the others in the room.
    pub room_lines: Vec<String>,
    /// Where an effect moves the player (a room id), if anywhere.
    pub move_to: Option<u64>,
    /// The progress changed (it must be written).
    pub dirty: bool,
}

/// Where a quest is for a player.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestAt {
    New,
    /// At this step (0-based).
    Step(usize),
    Done,
}

impl Plan {
    pub fn new(
        node: u32,
        name: &str,
        lang: Lang,
        progress: Progress,
        held: Vec<Object>,
        coins: u64,
    ) -> Self {
        Self {
            name: name.to_string(),
            lang,
            progress,
            held,
            coins,
            deal: Deal {
                node,
                ..Deal::default()
            },
            lines: Vec::new(),
            room_lines: Vec::new(),
            move_to: None,
            dirty: false,
        }
    }

    /// Coins the player will have once the deal is done.
    pub fn purse(&self) -> u64 {
        (self.coins + self.deal.coins_in).saturating_sub(self.deal.coins_out)
    }

    pub fn quest_at(&self, q: &QuestDef) -> QuestAt {
        match self.progress.quests.get(&q.key) {
            None => QuestAt::New,
            Some(p) if p.done => QuestAt::Done,
            Some(p) => QuestAt::Step(p.step as usize),
        }
    }

    /// Whether the player carries a thing of `item`.
    pub fn holds(&self, c: &Content, item: &str) -> Option<u64> {
        self.held.iter().find(|o| c.is_item(o, item)).map(|o| o.id)
    }

    /// Whether every condition holds.
    pub fn check(&self, c: &Content, cond: &Conditions, hour: u8) -> bool {
        if let Some(i) = &cond.has_item
            && self.holds(c, i).is_none()
        {
            return false;
        }
        if let Some(i) = &cond.lacks_item
            && self.holds(c, i).is_some()
        {
            return false;
        }
        if let Some(f) = &cond.flag
            && !self.progress.flags.contains(f)
        {
            return false;
        }
        if let Some(f) = &cond.not_flag
            && self.progress.flags.contains(f)
        {
            return false;
        }
        if let Some(n) = cond.coins_at_least
            && self.purse() < n
        {
            return false;
        }
        if let Some([from, to]) = cond.hours {
            let inside = if from <= to {
                (from..to).contains(&hour)
            } else {
                hour >= from || hour < to
            };
            if !inside {
                return false;
            }
        }
        if let Some(spec) = &cond.quest {
            let (key, at) = spec.split_once(':').unwrap_or((spec, ""));
            let Some(q) = c.quest(key) else { return false };
            let now = self.quest_at(q);
            let ok = match at {
                "new" => now == QuestAt::New,
                "done" => now == QuestAt::Done,
                "active" => matches!(now, QuestAt::Step(_)),
                n => n
                    .parse::<usize>()
                    .is_ok_and(|n| now == QuestAt::Step(n - 1)),
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// Applies effects; `Err` with a reason when the player cannot pay what they ask
    /// (nothing of them is applied then).
    pub fn apply(&mut self, c: &Content, fx: &Effects) -> Result<(), String> {
        if let Some(n) = fx.take_coins
            && self.purse() < n
        {
            return Err(t!(self.lang, "need-coins", n = n));
        }
        let taken = match &fx.take_item {
            Some(i) => match self.holds(c, i) {
                Some(id) => Some(id),
                None => {
                    let name = c.item(i).map_or(i.as_str(), |d| d.short.as_str());
                    return Err(t!(self.lang, "need-thing", thing = name));
                }
            },
            None => None,
        };
        if let Some(t) = &fx.message {
            self.lines.push(t.clone());
        }
        if let Some(t) = &fx.room_message {
            self.room_lines.push(t.replace("{name}", &self.name));
        }
        if let Some(n) = fx.take_coins {
            self.deal.coins_out += n;
        }
        if let Some(n) = fx.give_coins {
            self.deal.coins_in += n;
        }
        if let Some(id) = taken {
            self.take(id);
        }
        if let Some(i) = &fx.give_item {
            self.give(c, i);
        }
        if let Some(f) = &fx.set_flag {
            self.dirty |= self.progress.flags.insert(f.clone());
        }
        if let Some(f) = &fx.clear_flag {
            self.dirty |= self.progress.flags.remove(f);
        }
        if let Some(q) = &fx.start_quest {
            self.start(c, q);
        }
        if let Some(spec) = &fx.advance_quest {
            let (key, at) = spec.split_once(':').unwrap_or((spec, ""));
            if let (Some(q), Ok(n)) = (c.quest(key), at.parse::<usize>())
                && self.quest_at(q) == QuestAt::Step(n - 1)
            {
                self.advance(c, q);
            }
        }
        if let Some(r) = &fx.move_to {
            self.move_to = c.room_id(r);
        }
        Ok(())
    }

    pub fn take(&mut self, id: u64) {
        self.held.retain(|o| o.id != id);
        if let Some(pos) = self.deal.give.iter().position(|o| o.id == id) {
            // A gift of this same command, not yet stored: it just is not made.
            self.deal.give.remove(pos);
        } else {
            self.deal.take.push(id);
        }
    }

    pub fn give(&mut self, c: &Content, item: &str) {
        if let Some(mut o) = c.make_item(item) {
            // A provisional id (never a real one: ids start at 1) so a later effect
            // of the same command can find and take it back.
            o.id = u64::MAX - self.deal.give.len() as u64;
            self.held.push(o.clone());
            self.deal.give.push(o);
        }
    }

    /// Starts `key` if the player has never had it.
    pub fn start(&mut self, c: &Content, key: &str) {
        let Some(q) = c.quest(key) else { return };
        if self.quest_at(q) == QuestAt::New {
            self.progress
                .quests
                .insert(q.key.clone(), QuestProgress::default());
            let line = t!(self.lang, "quest-started", quest = &q.name);
            self.lines.push(line);
            self.dirty = true;
        }
    }

    /// Moves a quest one step on, paying its rewards when that was the last.
    pub fn advance(&mut self, c: &Content, q: &QuestDef) {
        let Some(p) = self.progress.quests.get_mut(&q.key) else {
            return;
        };
        if p.done {
            return;
        }
        p.step += 1;
        self.dirty = true;
        if (p.step as usize) < q.steps.len() {
            return;
        }
        p.done = true;
        let mut got = Vec::new();
        if q.reward_coins > 0 {
            self.deal.coins_in += q.reward_coins;
            got.push(t!(self.lang, "reward-coins", n = q.reward_coins));
        }
        for item in &q.reward_items {
            self.give(c, item);
            got.push(c.item(item).map_or(item.clone(), |d| d.short.clone()));
        }
        if let Some(t) = &q.reward_title {
            self.progress.titles.push(t.clone());
            got.push(t!(self.lang, "reward-title", title = t));
        }
        let line = if got.is_empty() {
            t!(self.lang, "quest-done", quest = &q.name)
        } else {
            let list = got.join(", ");
            t!(self.lang, "quest-done-reward", quest = &q.name, list = list)
        };
        self.lines.push(line);
    }

    /// Moves on every active quest whose next step is to stand in `room` or carry an
    /// item, as often as that holds (a gift can finish two steps at once).
    pub fn settle_quests(&mut self, c: &Content, room: Option<&str>) {
        for q in &c.quests {
            while let QuestAt::Step(n) = self.quest_at(q) {
                let Some(step) = q.steps.get(n) else { break };
                let done = match (&step.visit, &step.get) {
                    (Some(r), _) => Some(r.as_str()) == room,
                    (_, Some(i)) => self.holds(c, i).is_some(),
                    _ => false,
                };
                if !done {
                    break;
                }
                self.advance(c, q);
            }
        }
    }

    /// The steps done by talking to `npc`: a talk step, a delivery (the item is
    /// taken), a payment (the coins are taken, if the player has them).
    pub fn talk_steps(&mut self, c: &Content, npc: &str) {
        for q in &c.quests {
            while let QuestAt::Step(n) = self.quest_at(q) {
                let Some(step) = q.steps.get(n) else { break };
                if step.talk.as_deref() == Some(npc) {
                    self.advance(c, q);
                    continue;
                }
                if step.npc.as_deref() != Some(npc) {
                    break;
                }
                if let Some(item) = &step.deliver {
                    let Some(id) = self.holds(c, item) else { break };
                    self.take(id);
                } else if let Some(n) = step.pay {
                    if self.purse() < n {
                        let line = t!(self.lang, "quest-pay", quest = &q.name, n = n);
                        self.lines.push(line);
                        break;
                    }
                    self.deal.coins_out += n;
                } else {
                    break;
                }
                if let Some(t) = &step.done_text {
                    self.lines.push(t.clone());
                }
                self.advance(c, q);
            }
        }
    }

    /// Achievements earned by now and not had before: recorded, and announced.
    pub fn earn(&mut self, c: &Content, now: u64) {
        let quests_done = self.progress.quests.values().filter(|q| q.done).count() as u32;
        let seed_visited = self
            .progress
            .visited
            .iter()
            .filter(|id| c.room_key(**id).is_some())
            .count() as u32;
        for a in &c.achievements {
            if self.progress.achievements.contains_key(&a.key) {
                continue;
            }
            let earned = if let Some(cmd) = &a.command {
                self.progress.counts.get(cmd).copied().unwrap_or(0) >= a.count
            } else if let Some(n) = a.quests_done {
                quests_done >= n
            } else if let Some(n) = a.rooms_visited {
                let all = u32::try_from(c.seed_rooms).unwrap_or(u32::MAX);
                seed_visited >= if n == 0 { all } else { n }
            } else if let Some(n) = a.npcs_met {
                self.progress.met.len() as u32 >= n
            } else if let Some(f) = &a.flag {
                self.progress.flags.contains(f)
            } else {
                false
            };
            if earned {
                self.progress.achievements.insert(a.key.clone(), now);
                let line = t!(self.lang, "achievement", title = &a.name, text = &a.desc);
                self.lines.push(line);
                self.dirty = true;
            }
        }
    }

    /// Whether there is anything to store.
    pub fn changes(&self) -> bool {
        self.dirty
            || self.deal.coins_in > 0
            || self.deal.coins_out > 0
            || !self.deal.give.is_empty()
            || !self.deal.take.is_empty()
            || self.deal.shop.is_some()
    }

    /// The deal to store: progress included if it changed, provisional ids cleared.
    pub fn into_deal(mut self) -> (Deal, Vec<String>, Vec<String>, Option<u64>) {
        if self.dirty {
            self.deal.progress = Some(self.progress);
        }
        for o in &mut self.deal.give {
            o.id = 0;
        }
        (self.deal, self.lines, self.room_lines, self.move_to)
    }
}
