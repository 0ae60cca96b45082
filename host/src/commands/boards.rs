//! Bulletin boards: `boards`, `read`, `next`, `post`, `reply`, `delete`, and the
//! wizards' `@board`. Replies are terse (one line per post in listings); a post's full
//! text goes through the pager. A post is confirmed only after it is on disk.

use super::{CommandError, Entry, HandlerFuture, Registry, age, ago, first_words, level_name};
use crate::session::{Ctx, unix_now};
use crate::store::{Board, Level, Post, UNREAD_CAP};

/// Posts shown by `read BOARD`.
const LISTED: usize = 5;

pub fn register(r: &mut Registry) {
    r.add(Entry {
        name: "boards",
        aliases: &["bb"],
        usage: "boards",
        help: "list boards with your unread counts",
        level: Level::Player,
        handler: boards,
    });
    r.add(Entry {
        name: "read",
        aliases: &[],
        usage: "read BOARD [N]",
        help: "list a board's newest posts, or read post N",
        level: Level::Player,
        handler: read,
    });
    r.add(Entry {
        name: "next",
        aliases: &[],
        usage: "next",
        help: "read the oldest post you have not read",
        level: Level::Player,
        handler: next,
    });
    r.add(Entry {
        name: "post",
        aliases: &[],
        usage: "post BOARD TEXT",
        help: "post to a board",
        level: Level::Player,
        handler: post,
    });
    r.add(Entry {
        name: "reply",
        aliases: &[],
        usage: "reply BOARD N TEXT",
        help: "reply to post N",
        level: Level::Player,
        handler: reply,
    });
    r.add(Entry {
        name: "delete",
        aliases: &[],
        usage: "delete BOARD N",
        help: "delete your post (wizards: any)",
        level: Level::Player,
        handler: delete,
    });
    r.add(Entry {
        name: "@board",
        aliases: &[],
        usage: "@board create|desc|lock|remove NAME ...",
        help: "manage boards: create NAME=DESC, desc NAME=DESC, lock NAME read|post LEVEL, remove NAME",
        level: Level::Wizard,
        handler: admin,
    });
}

/// The boards shipped on first run.
pub fn default_boards(now: u64) -> Vec<Board> {
    let board = |name: &str, description: &str, post_level| Board {
        name: name.into(),
        description: description.into(),
        read_level: Level::Player,
        post_level,
        next_num: 1,
        created: now,
    };
    vec![
        board(
            "general",
            "Anything for everyone on the mesh",
            Level::Player,
        ),
        board("news", "Announcements from the wizards", Level::Wizard),
        board("help", "Ask how things work here", Level::Player),
    ]
}

fn user(msg: impl Into<String>) -> CommandError {
    CommandError::User(msg.into())
}

/// The board `word` names (unambiguous prefix, any case) among those `ctx` may read.
async fn find_board(ctx: &Ctx, word: &str) -> Result<Board, CommandError> {
    let level = ctx.level();
    let word = word.to_lowercase();
    let boards: Vec<Board> = ctx
        .store
        .boards()
        .await?
        .into_iter()
        .filter(|b| b.read_level <= level)
        .collect();
    if let Some(b) = boards.iter().find(|b| b.name.to_lowercase() == word) {
        return Ok(b.clone());
    }
    let matches: Vec<&Board> = boards
        .iter()
        .filter(|b| b.name.to_lowercase().starts_with(&word))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<&str> = boards.iter().map(|b| b.name.as_str()).collect();
            Err(user(format!(
                "No board {word:?}. Boards: {}.",
                names.join(", ")
            )))
        }
        many => Err(user(format!(
            "{word}? Did you mean: {}",
            many.iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn parse_num(word: &str) -> Result<u64, CommandError> {
    word.trim_start_matches('#')
        .parse()
        .map_err(|_| user(format!("{word:?} is not a post number.")))
}

fn show(post: &Post, now: u64) -> String {
    let re = post
        .reply_to
        .map(|n| format!(" re #{n}"))
        .unwrap_or_default();
    format!(
        "{} #{}{re} by {}, {}:\n{}",
        post.board,
        post.num,
        post.author_name,
        ago(now, post.time),
        post.text
    )
}

fn boards<'a>(ctx: &'a mut Ctx, _args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let level = ctx.level();
        let list: Vec<String> = ctx
            .store
            .board_summaries(ctx.node)
            .await?
            .into_iter()
            .filter(|s| s.board.read_level <= level)
            .map(|s| {
                let unread = if s.unread >= UNREAD_CAP {
                    "99+".to_string()
                } else {
                    s.unread.to_string()
                };
                format!("{} {unread}/{}", s.board.name, s.total)
            })
            .collect();
        if list.is_empty() {
            return Ok("No boards yet.".into());
        }
        Ok(format!(
            "Boards (unread/total): {}. read BOARD",
            list.join(", ")
        ))
    })
}

fn read<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let mut words = args.split_whitespace();
        let Some(name) = words.next() else {
            return Err(user("Usage: read BOARD [N]. boards lists them."));
        };
        let board = find_board(ctx, name).await?;
        let now = unix_now();
        if let Some(n) = words.next() {
            let num = parse_num(n)?;
            let Some(post) = ctx.store.post(board.name.clone(), num).await? else {
                return Err(user(format!("No post #{num} on {}.", board.name)));
            };
            ctx.store
                .mark_read(ctx.node, board.name.clone(), num)
                .await?;
            return Ok(show(&post, now));
        }
        let posts = ctx.store.newest_posts(board.name.clone(), LISTED).await?;
        if posts.is_empty() {
            return Ok(format!(
                "{}: no posts yet. post {} TEXT",
                board.name, board.name
            ));
        }
        let lines: Vec<String> = posts
            .iter()
            .map(|p| {
                format!(
                    "#{} {} {}: {}",
                    p.num,
                    p.author_name,
                    age(now, p.time),
                    first_words(&p.text, 40)
                )
            })
            .collect();
        Ok(format!(
            "{}:\n{}\nread {} N",
            board.name,
            lines.join("\n"),
            board.name
        ))
    })
}

fn next<'a>(ctx: &'a mut Ctx, _args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let level = ctx.level();
        let readable: Vec<String> = ctx
            .store
            .boards()
            .await?
            .into_iter()
            .filter(|b| b.read_level <= level)
            .map(|b| b.name)
            .collect();
        match ctx.store.next_unread(ctx.node, readable).await? {
            Some(post) => {
                ctx.store
                    .mark_read(ctx.node, post.board.clone(), post.num)
                    .await?;
                Ok(show(&post, unix_now()))
            }
            None => Ok("No unread posts.".into()),
        }
    })
}

/// Checks the limits and writes a post; the reply comes after it is durable.
async fn write_post(
    ctx: &mut Ctx,
    board: &Board,
    text: &str,
    reply_to: Option<u64>,
) -> Result<Post, CommandError> {
    if ctx.level() < board.post_level {
        return Err(user(format!(
            "Only {}s may post to {}.",
            level_name(board.post_level),
            board.name
        )));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(user("Post what? post BOARD TEXT"));
    }
    let max = ctx.cfg.bbs.post_max_bytes;
    if text.len() > max {
        return Err(user(format!(
            "Too long: {} bytes, the limit is {max}.",
            text.len()
        )));
    }
    if !ctx.vol.allow_post(ctx.node, ctx.cfg.bbs.posts_per_hour) {
        return Err(user(format!(
            "You have posted {} times this hour; try later.",
            ctx.cfg.bbs.posts_per_hour
        )));
    }
    let post = Post {
        board: board.name.clone(),
        num: 0,
        author: ctx.node,
        author_name: ctx.player.name.clone(),
        time: unix_now(),
        text: text.to_string(),
        reply_to,
    };
    let post = ctx.store.add_post(post, ctx.cfg.bbs.posts_kept).await?;
    ctx.store
        .mark_read(ctx.node, post.board.clone(), post.num)
        .await?;
    Ok(post)
}

fn post<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let Some((name, text)) = args.split_once(char::is_whitespace) else {
            return Err(user("Usage: post BOARD TEXT"));
        };
        let board = find_board(ctx, name).await?;
        let post = write_post(ctx, &board, text, None).await?;
        Ok(format!("Posted to {} as #{}.", post.board, post.num))
    })
}

fn reply<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let mut parts = args.splitn(3, char::is_whitespace);
        let (Some(name), Some(n), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(user("Usage: reply BOARD N TEXT"));
        };
        let board = find_board(ctx, name).await?;
        let num = parse_num(n)?;
        if ctx.store.post(board.name.clone(), num).await?.is_none() {
            return Err(user(format!("No post #{num} on {}.", board.name)));
        }
        let post = write_post(ctx, &board, text, Some(num)).await?;
        Ok(format!("Replied on {} as #{}.", post.board, post.num))
    })
}

fn delete<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let mut words = args.split_whitespace();
        let (Some(name), Some(n)) = (words.next(), words.next()) else {
            return Err(user("Usage: delete BOARD N"));
        };
        let board = find_board(ctx, name).await?;
        let num = parse_num(n)?;
        let Some(post) = ctx.store.post(board.name.clone(), num).await? else {
            return Err(user(format!("No post #{num} on {}.", board.name)));
        };
        if post.author != ctx.node && ctx.level() < Level::Wizard {
            return Err(user("Only its author or a wizard may delete that."));
        }
        ctx.store.delete_post(board.name.clone(), num).await?;
        Ok(format!("Deleted {} #{num}.", board.name))
    })
}

fn parse_level(word: &str) -> Result<Level, CommandError> {
    match word.to_lowercase().as_str() {
        "player" | "players" | "all" => Ok(Level::Player),
        "builder" | "builders" => Ok(Level::Builder),
        "wizard" | "wizards" => Ok(Level::Wizard),
        _ => Err(user("Levels are player, builder or wizard.")),
    }
}

fn admin<'a>(ctx: &'a mut Ctx, args: &'a str) -> HandlerFuture<'a> {
    Box::pin(async move {
        let (verb, rest) = super::split_command(args);
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n.trim(), v.trim()),
            None => (rest.trim(), ""),
        };
        match verb.to_lowercase().as_str() {
            "create" => {
                if name.is_empty()
                    || name.len() > 16
                    || !name.chars().all(|c| c.is_alphanumeric() || c == '-')
                {
                    return Err(user("Board names are 1-16 letters, digits or dashes."));
                }
                let exists = ctx
                    .store
                    .boards()
                    .await?
                    .iter()
                    .any(|b| b.name.eq_ignore_ascii_case(name));
                if exists {
                    return Err(user(format!("There is a board {name} already.")));
                }
                let mut board = default_boards(unix_now()).remove(0);
                board.name = name.to_string();
                board.description = value.to_string();
                ctx.store.put_board(board).await?;
                Ok(format!("Board {name} created."))
            }
            "desc" | "describe" => {
                let mut board = find_board(ctx, name).await?;
                board.description = value.to_string();
                ctx.store.put_board(board.clone()).await?;
                Ok(format!("{} described.", board.name))
            }
            "lock" => {
                let mut words = rest.split_whitespace();
                let (Some(name), Some(what), Some(level)) =
                    (words.next(), words.next(), words.next())
                else {
                    return Err(user("Usage: @board lock NAME read|post LEVEL"));
                };
                let mut board = find_board(ctx, name).await?;
                let level = parse_level(level)?;
                match what {
                    "read" => board.read_level = level,
                    "post" => board.post_level = level,
                    _ => return Err(user("Lock read or post.")),
                }
                ctx.store.put_board(board.clone()).await?;
                Ok(format!(
                    "{} {what} is now for {}s.",
                    board.name,
                    level_name(level)
                ))
            }
            "remove" => {
                let board = find_board(ctx, name).await?;
                let n = ctx.store.remove_board(board.name.clone()).await?;
                Ok(format!("Board {} removed with {n} posts.", board.name))
            }
            _ => Err(user("Usage: @board create|desc|lock|remove NAME ...")),
        }
    })
}
