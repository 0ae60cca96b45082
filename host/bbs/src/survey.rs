//! Looking over the whole BBS: `stats` (what is here and how busy the air is) and
//! `search` (posts by words in their subject or text, bounded work).

use std::time::Duration;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage};
use meshmush_core::commands::text::{age_in, echo, unix_now};
use meshmush_lang::{Lang, t};
use meshmush_store::{Level, SEARCH_SCAN};

pub fn register(r: &mut Registry) {
    r.add::<Stats>();
    r.add::<Search>();
}

/// Hits `search` shows.
const HITS: usize = 5;

/// `3d 4h`, `5h 12m`, `7m`: a duration, tersely, in `lang`'s age units (`5 Std. 12 Min.`).
fn span(lang: Lang, d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, mins) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    match (days, hours) {
        (0, 0) => t!(lang, "age-minutes", n = mins),
        (0, h) => format!(
            "{} {}",
            t!(lang, "age-hours", n = h),
            t!(lang, "age-minutes", n = mins)
        ),
        (d, h) => format!(
            "{} {}",
            t!(lang, "age-days", n = d),
            t!(lang, "age-hours", n = h)
        ),
    }
}

/// `stats`.
#[derive(Debug, PartialEq)]
pub struct Stats;

impl Command for Stats {
    const SPEC: Spec = Spec {
        name: "stats",
        aliases: &["sysinfo"],
        usage: "stats",
        help: "players, posts, unread mail, nodes heard, airtime, uptime",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let counts = ctx.store().totals().await?;
        let day_ago = unix_now().saturating_sub(86_400);
        let me = ctx.mesh().me().map(|n| n.num);
        let heard = ctx
            .mesh()
            .nodes()
            .iter()
            .filter(|n| Some(n.num) != me && u64::from(n.last_heard) >= day_ago)
            .count();
        let air = ctx.mesh().airtime();
        let used = air.used_hour.as_secs();
        let airtime = match air.allowed_hour {
            Some(allowed) => t!(
                ctx.lang,
                "stats-airtime-of",
                n = used,
                max = allowed.as_secs()
            ),
            None => t!(ctx.lang, "stats-airtime", n = used),
        };
        Ok(t!(
            ctx.lang,
            "stats",
            players = counts.players,
            posts = counts.posts,
            unread = counts.mail_unread,
            heard = heard,
            airtime = airtime,
            up = span(ctx.lang, ctx.mesh().uptime())
        )
        .into())
    }
}

/// `search WORDS`.
#[derive(Debug, PartialEq)]
pub struct Search {
    pub words: Vec<String>,
}

impl Command for Search {
    const SPEC: Spec = Spec {
        name: "search",
        aliases: &["find"],
        usage: "search WORDS",
        help: "posts with all these words in subject or text, newest first",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let words: Vec<String> = args
            .split_whitespace()
            .take(4)
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() || words.iter().all(|w| w.chars().count() < 2) {
            return Err(Usage::key("search-what", Vec::new()));
        }
        Ok(Self { words })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let boards = super::boards::readable_boards(ctx).await?;
        let found = ctx
            .store()
            .search_posts(boards, self.words.clone(), HITS)
            .await?;
        let what = echo(&self.words.join(" "));
        let lang = ctx.lang;
        if found.posts.is_empty() {
            return Ok(if found.capped {
                t!(lang, "search-none-capped", word = what, n = SEARCH_SCAN)
            } else {
                t!(lang, "search-none", word = what)
            }
            .into());
        }
        let head = if found.capped {
            t!(lang, "search-found-capped", word = what, n = SEARCH_SCAN)
        } else {
            t!(lang, "search-found", word = what)
        };
        let now = unix_now();
        let lines: Vec<String> = found
            .posts
            .iter()
            .map(|p| {
                format!(
                    "{} #{} {} - {} {}",
                    p.board,
                    p.num,
                    super::compose::title(p),
                    p.author_name,
                    age_in(lang, now, p.time)
                )
            })
            .collect();
        let foot = t!(lang, "search-foot");
        Ok(format!("{head}\n{}\n{foot}", lines.join("\n")).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_tersely_in_each_languages_units() {
        let en = Lang::EN;
        assert_eq!(span(en, Duration::from_secs(420)), "7m");
        assert_eq!(span(en, Duration::from_secs(5 * 3600 + 12 * 60)), "5h 12m");
        assert_eq!(
            span(en, Duration::from_secs(3 * 86_400 + 4 * 3600 + 5)),
            "3d 4h"
        );
        let de = Lang::parse("de").expect("offered");
        assert_eq!(
            span(de, Duration::from_secs(5 * 3600 + 12 * 60)),
            "5 Std. 12 Min."
        );
        let es = Lang::parse("es").expect("offered");
        assert_eq!(
            span(es, Duration::from_secs(3 * 86_400 + 4 * 3600 + 5)),
            "3 d 4 h"
        );
    }

    #[test]
    fn search_needs_a_word() {
        assert!(Search::parse("").is_err());
        assert!(Search::parse("a").is_err());
        assert_eq!(
            Search::parse("Snow RIDGE").unwrap().words,
            vec!["snow", "ridge"]
        );
    }
}
