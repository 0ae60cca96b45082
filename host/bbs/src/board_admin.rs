//! The wizards' `@board`: create, describe, lock, mark urgent and remove boards.

use super::boards::{default_boards, find_board};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::registry::{Command, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::{level_name, split_command, unix_now};
use meshmush_lang::{Arg, t};
use meshmush_store::Level;

pub fn register(r: &mut Registry) {
    r.add::<BoardAdmin>();
}

/// What `@board` does.
#[derive(Debug, PartialEq)]
pub enum BoardAdmin {
    Create {
        name: String,
        description: String,
    },
    Describe {
        name: String,
        description: String,
    },
    Lock {
        name: String,
        read: bool,
        level: Level,
    },
    Remove {
        name: String,
    },
    /// `@board urgent NAME [off]`: a new post there is announced on the channel.
    Urgent {
        name: String,
        on: bool,
    },
}

/// `@board urgent`'s own usage line.
const URGENT_USAGE: &str = "@board urgent NAME [off]";

/// "Usage: " and one verb's usage line, in the player's language.
fn usage(line: &'static str) -> Usage {
    Usage::key("usage", vec![("usage", Arg::from(line))])
}

fn parse_level(word: &str) -> Result<Level, Usage> {
    match word.to_lowercase().as_str() {
        "player" | "players" | "all" => Ok(Level::Player),
        "builder" | "builders" => Ok(Level::Builder),
        "wizard" | "wizards" => Ok(Level::Wizard),
        _ => Err(Usage::key("board-levels", Vec::new())),
    }
}

impl Command for BoardAdmin {
    const SPEC: Spec = Spec {
        name: "@board",
        aliases: &[],
        usage: "@board create|desc|lock|urgent|remove NAME ...",
        help: "manage boards: create NAME=DESC, desc NAME=DESC, lock NAME read|post LEVEL, urgent NAME [off], remove NAME",
        level: Level::Wizard,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        let (verb, rest) = split_command(args);
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n.trim().to_string(), v.trim().to_string()),
            None => (rest.trim().to_string(), String::new()),
        };
        match verb.to_lowercase().as_str() {
            "create" => {
                if name.is_empty()
                    || name.len() > 16
                    || !name.chars().all(|c| c.is_alphanumeric() || c == '-')
                {
                    return Err(Usage::key("board-name-rules", Vec::new()));
                }
                Ok(Self::Create {
                    name,
                    description: value,
                })
            }
            "desc" | "describe" => Ok(Self::Describe {
                name,
                description: value,
            }),
            "lock" => {
                let mut words = rest.split_whitespace();
                let (Some(name), Some(what), Some(level)) =
                    (words.next(), words.next(), words.next())
                else {
                    return Err(usage("@board lock NAME read|post LEVEL"));
                };
                let read = match what {
                    "read" => true,
                    "post" => false,
                    _ => return Err(Usage::key("board-lock-what", Vec::new())),
                };
                Ok(Self::Lock {
                    name: name.to_string(),
                    read,
                    level: parse_level(level)?,
                })
            }
            "remove" => Ok(Self::Remove { name }),
            "urgent" => {
                let mut words = rest.split_whitespace();
                let (Some(name), switch, None) = (words.next(), words.next(), words.next()) else {
                    return Err(usage(URGENT_USAGE));
                };
                let on = match switch.map(str::to_lowercase).as_deref() {
                    None | Some("on") => true,
                    Some("off") => false,
                    Some(_) => return Err(usage(URGENT_USAGE)),
                };
                Ok(Self::Urgent {
                    name: name.to_string(),
                    on,
                })
            }
            _ => Err(Usage::show()),
        }
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        match self {
            Self::Create { name, description } => {
                let exists = ctx
                    .store()
                    .boards()
                    .await?
                    .iter()
                    .any(|b| b.name.eq_ignore_ascii_case(&name));
                if exists {
                    return Err(user(t!(ctx.lang, "board-exists", board = &name)));
                }
                let mut board = default_boards(unix_now()).remove(0);
                board.name = name.clone();
                board.description = description;
                ctx.store().put_board(board).await?;
                Ok(t!(ctx.lang, "board-created", board = &name).into())
            }
            Self::Describe { name, description } => {
                let mut board = find_board(ctx, &name).await?;
                board.description = description;
                ctx.store().put_board(board.clone()).await?;
                Ok(t!(ctx.lang, "board-described", board = &board.name).into())
            }
            Self::Lock { name, read, level } => {
                let mut board = find_board(ctx, &name).await?;
                let what = if read {
                    board.read_level = level;
                    "read"
                } else {
                    board.post_level = level;
                    "post"
                };
                ctx.store().put_board(board.clone()).await?;
                Ok(t!(
                    ctx.lang,
                    "board-locked",
                    board = &board.name,
                    what = what,
                    level = level_name(level)
                )
                .into())
            }
            Self::Urgent { name, on } => {
                let mut board = find_board(ctx, &name).await?;
                board.urgent = on;
                ctx.store().put_board(board.clone()).await?;
                Ok(if on {
                    t!(
                        ctx.lang,
                        "board-urgent-on",
                        board = &board.name,
                        gap = ctx.cfg().bbs.channel_gap_mins
                    )
                } else {
                    t!(ctx.lang, "board-urgent-off", board = &board.name)
                }
                .into())
            }
            Self::Remove { name } => {
                let board = find_board(ctx, &name).await?;
                let n = ctx.store().remove_board(board.name.clone()).await?;
                Ok(t!(ctx.lang, "board-removed", board = &board.name, n = n).into())
            }
        }
    }
}
