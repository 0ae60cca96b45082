//! `quests`: active quests with the next step, and finished ones; `achievements`:
//! what the player has earned, of how many.

use super::engine::QuestAt;
use super::plan::{plan, push_line};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage};
use meshmush_lang::t;
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<Quests>();
    r.add::<Achievements>();
}

/// `quests`.
#[derive(Debug, PartialEq)]
pub struct Quests;

impl Command for Quests {
    const SPEC: Spec = Spec {
        name: "quests",
        aliases: &["journal"],
        usage: "quests",
        help: "your quests and the next step of each",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let c = ctx.content().current();
        let plan = plan(ctx).await?;
        let mut active = Vec::new();
        let mut done = Vec::new();
        for q in &c.quests {
            match plan.quest_at(q) {
                QuestAt::New => {}
                QuestAt::Done => done.push(q.name.as_str()),
                QuestAt::Step(n) => {
                    let hint = q.steps.get(n).map_or("", |s| s.hint.as_str());
                    active.push(format!("{} ({}/{}): {hint}", q.name, n + 1, q.steps.len()));
                }
            }
        }
        if active.is_empty() && done.is_empty() {
            return Ok(t!(ctx.lang, "quests-none").into());
        }
        let mut out = active.join("\n");
        if !done.is_empty() {
            push_line(
                &mut out,
                &t!(ctx.lang, "quests-done", list = done.join(", ")),
            );
        }
        if !plan.progress.titles.is_empty() {
            let titles = plan.progress.titles.join(", ");
            push_line(&mut out, &t!(ctx.lang, "finger-titles", list = titles));
        }
        Ok(out.into())
    }
}

/// `achievements`.
#[derive(Debug, PartialEq)]
pub struct Achievements;

impl Command for Achievements {
    const SPEC: Spec = Spec {
        name: "achievements",
        aliases: &["ach"],
        usage: "achievements",
        help: "what you have achieved",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let c = ctx.content().current();
        let p = ctx.store().progress(ctx.node).await?;
        let earned: Vec<&str> = c
            .achievements
            .iter()
            .filter(|a| p.achievements.contains_key(&a.key))
            .map(|a| a.name.as_str())
            .collect();
        let total = c.achievements.len();
        if earned.is_empty() {
            return Ok(t!(ctx.lang, "achievements-none", total = total).into());
        }
        let (n, list) = (earned.len(), earned.join(", "));
        Ok(t!(
            ctx.lang,
            "achievements-list",
            n = n,
            total = total,
            list = list
        )
        .into())
    }
}
