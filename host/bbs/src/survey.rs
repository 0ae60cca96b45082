//! Looking over the whole BBS: `stats` (what is here and how busy the air is) and
//! `search` (posts by words in their subject or text, bounded work).

use std::time::Duration;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage};
use meshmush_core::commands::text::{age_in, echo, unix_now};
use meshmush_lang::t;
use meshmush_store::{Level, SEARCH_SCAN};

pub fn register(r: &mut Registry) {
    r.add::<Stats>();
    r.add::<Search>();
}

/// Hits `search` shows.
const HITS: usize = 5;

/// `3d4h`, `5h12m`, `7m`: a duration, tersely.
fn span(d: Duration) -> String {
    let s = d.as_secs();
    let (days, hours, mins) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    match (days, hours) {
        (0, 0) => format!("{mins}m"),
        (0, h) => format!("{h}h{mins}m"),
        (d, h) => format!("{d}d{h}h"),
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
            up = span(ctx.mesh().uptime())
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
    fn spans_read_tersely() {
        assert_eq!(span(Duration::from_secs(420)), "7m");
        assert_eq!(span(Duration::from_secs(5 * 3600 + 12 * 60)), "5h12m");
        assert_eq!(span(Duration::from_secs(3 * 86_400 + 4 * 3600 + 5)), "3d4h");
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
