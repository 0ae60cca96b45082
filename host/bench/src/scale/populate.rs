//! Builds the stores figure 4 measures: `players` players as the daemon makes them on
//! first contact (a player record, its name in the index, a place in the world and a
//! purse), `posts` posts (nine in ten on `general`, the rest on `help` and `news`), and
//! three mails per player. Written with [`Store::bulk_load`], and cached, because a
//! million posts take a while even in batches.
//!
//! The cache lives in `MESHMUSH_BENCH_CACHE`, else `$CARGO_TARGET_DIR/bench-cache`,
//! else `target/bench-cache`, one directory per size, schema and generator version. A
//! store is built under a `.tmp` name and renamed only once complete and flushed, so an
//! interrupted build is never mistaken for a finished one. Runs copy it, never open it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::figures::BenchError;
use meshmush::commands::default_boards;
use meshmush::commands::unix_now;
use meshmush::seed::WorldSeed;
use meshmush::store::{
    BulkLoad, Level, Mail, NEW_PLAYER_COINS, ObjectKind, Player, PlayerState, Post, SCHEMA_VERSION,
    Store, StoreError, StoreOptions,
};

/// The first populated player's node number; players are consecutive from here.
pub(crate) const FIRST_NODE: u32 = 0x6000_0000;
/// Bump when what [`populate`] writes changes, so cached stores are rebuilt.
const GENERATOR: u32 = 1;
/// Records per bulk-load call: bounds the memory of a build.
const CHUNK: u32 = 50_000;
/// Mails in each player's box.
const MAILS_EACH: u32 = 3;
/// The file that marks a cached store complete, with how long it took to build.
const DONE: &str = "populated.txt";

fn io(e: std::io::Error) -> BenchError {
    BenchError::Io {
        what: "the bench's store cache".into(),
        source: e,
    }
}

/// What a player's handset calls itself (sanitised, unique), like a Meshtastic long name.
pub(crate) fn name(i: u32) -> String {
    const FIRST: [&str; 16] = [
        "Ada", "Bram", "Cleo", "Dov", "Edda", "Finn", "Gala", "Hugo", "Ines", "Jon", "Kai", "Lea",
        "Milo", "Nora", "Otto", "Pia",
    ];
    format!("{} {i}", FIRST[(i % 16) as usize])
}

const WORDS: [&str; 24] = [
    "repeater", "on", "the", "hill", "is", "back", "up", "battery", "solar", "antenna", "anyone",
    "near", "the", "river", "signal", "good", "tonight", "meet", "at", "the", "market", "saturday",
    "73", "thanks",
];

/// A post or mail text of 20 to ~180 bytes, different for each `i`.
fn text(i: u32) -> String {
    let n = 4 + (i.wrapping_mul(2_654_435_761) >> 27) as usize; // 4..36 words
    let mut s = format!("#{i}");
    for k in 0..n {
        s.push(' ');
        s.push_str(WORDS[(i as usize + k * 7) % WORDS.len()]);
    }
    s
}

/// The cache directory of one size.
pub(crate) fn cache_dir(players: u32, posts: u32) -> PathBuf {
    let root = std::env::var_os("MESHMUSH_BENCH_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("bench-cache"))
        })
        .unwrap_or_else(|| PathBuf::from("target/bench-cache"));
    root.join(format!(
        "{players}p-{posts}posts-s{SCHEMA_VERSION}-g{GENERATOR}"
    ))
}

/// The cached store for this size, built first if missing: its directory, how long
/// building it took (now or when it was cached), and whether it was built just now.
pub(crate) async fn cached(
    players: u32,
    posts: u32,
) -> Result<(PathBuf, Duration, bool), BenchError> {
    let dir = cache_dir(players, posts);
    if let Ok(done) = tokio::fs::read_to_string(dir.join(DONE)).await {
        let secs = done
            .split_whitespace()
            .next()
            .and_then(|s| s.parse::<f64>().ok());
        return Ok((dir, Duration::from_secs_f64(secs.unwrap_or(0.0)), false));
    }
    let tmp = dir.with_extension("tmp");
    for stale in [&dir, &tmp] {
        if tokio::fs::try_exists(stale).await.unwrap_or(false) {
            tokio::fs::remove_dir_all(stale).await.map_err(io)?;
        }
    }
    tracing::info!(players, posts, dir = %dir.display(), "building a store for figure 4 (cached for later runs)");
    let took = populate(&tmp, players, posts).await?;
    tokio::fs::write(
        tmp.join(DONE),
        format!(
            "{:.3} seconds to build {players} players, {posts} posts\n",
            took.as_secs_f64()
        ),
    )
    .await
    .map_err(io)?;
    tokio::fs::rename(&tmp, &dir).await.map_err(io)?;
    tracing::info!(seconds = took.as_secs_f64(), "store built");
    Ok((dir, took, true))
}

/// Builds the store in `dir` (which must not hold one); how long it took.
pub(crate) async fn populate(dir: &Path, players: u32, posts: u32) -> Result<Duration, BenchError> {
    let started = Instant::now();
    let opts = StoreOptions {
        flush_every_write: false,
        ..StoreOptions::default()
    };
    let store = Store::open(dir, opts).await?;
    let now = unix_now();
    store.ensure_boards(default_boards(now)).await?;
    let seed = WorldSeed::starter().map_err(|e| StoreError::BadSeed(e.to_string()))?;
    store.seed_world_if_empty(seed).await?;
    // Players are spread over the rooms, as if they had walked about.
    let mut rooms = Vec::new();
    for id in 1..=store.objects_count().await? as u64 {
        if store
            .object(id)
            .await?
            .is_some_and(|o| o.kind == ObjectKind::Room)
        {
            rooms.push(id);
        }
    }
    let start = store.start_room().await?.unwrap_or(1);
    if rooms.is_empty() {
        rooms.push(start);
    }
    let players = players.max(1);
    for from in (0..players).step_by(CHUNK as usize) {
        let upto = (from + CHUNK).min(players);
        let mut load = BulkLoad::default();
        for i in from..upto {
            let node = FIRST_NODE + i;
            let joined = now.saturating_sub(u64::from(players - i) * 60);
            load.players.push((
                Player {
                    node,
                    name: name(i),
                    password_hash: None,
                    level: Level::Player,
                    created: joined,
                    last_seen: joined,
                    banned: false,
                },
                PlayerState {
                    node,
                    location: rooms[i as usize % rooms.len()],
                    home: start,
                    coins: NEW_PLAYER_COINS,
                },
            ));
            for k in 0..MAILS_EACH {
                let from_i = (i + 1 + k * 31) % players;
                load.mail.push(Mail {
                    id: 0,
                    to: node,
                    from: FIRST_NODE + from_i,
                    from_name: name(from_i),
                    time: joined + u64::from(k),
                    subject: String::new(),
                    text: text(i * MAILS_EACH + k),
                    read: k == 0,
                    announced: true,
                });
            }
        }
        store.bulk_load(load).await?;
    }
    for from in (0..posts).step_by(CHUNK as usize) {
        let upto = (from + CHUNK).min(posts);
        let mut load = BulkLoad::default();
        for i in from..upto {
            let board = match i % 20 {
                0 => "help",
                1 => "news",
                _ => "general",
            };
            let author = i.wrapping_mul(7919) % players;
            load.posts.push(Post {
                board: board.into(),
                num: 0,
                author: FIRST_NODE + author,
                author_name: name(author),
                time: now.saturating_sub(u64::from(posts - i)),
                subject: String::new(),
                text: text(i),
                reply_to: None,
            });
        }
        store.bulk_load(load).await?;
    }
    store.close().await?;
    Ok(started.elapsed())
}

/// Copies the directory tree `from` to `to` (a fresh run's working copy), on the
/// blocking pool.
pub(crate) async fn copy_tree(from: PathBuf, to: PathBuf) -> Result<(), BenchError> {
    fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy(&entry.path(), &target)?;
            } else {
                std::fs::copy(entry.path(), target)?;
            }
        }
        Ok(())
    }
    tokio::task::spawn_blocking(move || copy(&from, &to).map_err(io)).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sanitised_and_short() {
        let picks: Vec<u32> = (0..200_000).step_by(997).chain([99_999, 199_999]).collect();
        let mut seen = std::collections::HashSet::new();
        for &i in &picks {
            let n = name(i);
            assert_eq!(meshmush::store::sanitise_name(&n), n);
            assert!(n.chars().count() <= meshmush::store::MAX_NAME_CHARS);
            seen.insert(n.to_lowercase());
        }
        assert_eq!(seen.len(), picks.len());
    }

    #[test]
    fn texts_fit_a_post() {
        for i in 0..1000 {
            let t = text(i);
            assert!((10..=400).contains(&t.len()), "{t}");
        }
    }
}
