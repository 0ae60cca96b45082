//! Bulletin boards: `boards`, `read`, `next`, `post`, `reply`, `delete` (the wizards'
//! `@board` is in `board_admin.rs`). Replies are terse (one line per post in listings); a post's full
//! text goes through the pager. A post is confirmed only after it is on disk.

use super::channel::announce_urgent;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::matching::{Match, find};
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{
    Command, CommandError, Guard, Registry, Reply, Spec, Usage, on_the_side, user,
};
use meshmush_core::commands::text::{
    age_in, echo, fill_packet, first_words, level_name, split_command, unix_now,
};
use meshmush_core::events::Event;
use meshmush_core::roster::Newcomer;
use meshmush_lang::{Arg, Lang, t};
use meshmush_store::{Board, DraftTarget, Level, Post, UNREAD_CAP};

/// Posts shown by `read BOARD`.
const LISTED: usize = 5;
/// Bytes of a post's first words that stand for its subject in a list.
const SUBJECT: usize = 24;

pub fn register(r: &mut Registry) {
    r.add::<Boards>();
    r.add::<Read>();
    r.add::<Next>();
    r.add::<PostCmd>();
    r.add::<ReplyCmd>();
    r.add::<Delete>();
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
        urgent: false,
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

const fn player(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        aliases,
        usage,
        help,
        level: Level::Player,
    }
}

/// The board `word` names (unambiguous prefix, any case) among those `ctx` may read.
pub(super) async fn find_board(ctx: &Ctx, word: &str) -> Result<Board, CommandError> {
    let level = ctx.level();
    let boards: Vec<Board> = ctx
        .store()
        .boards()
        .await?
        .into_iter()
        .filter(|b| b.read_level <= level)
        .collect();
    let word = word.to_lowercase();
    let names = |list: &[&Board]| {
        list.iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let lang = ctx.lang;
    match find(
        &boards,
        &word,
        |b, w| b.name.to_lowercase() == w,
        |b| &b.name,
    ) {
        Match::One(b) => Ok(b.clone()),
        Match::None => {
            let all = names(&boards.iter().collect::<Vec<_>>());
            Err(user(t!(
                lang,
                "board-none",
                word = echo(&word),
                boards = all
            )))
        }
        Match::Many(many) => Err(user(t!(
            lang,
            "ambiguous",
            word = echo(&word),
            names = names(&many)
        ))),
    }
}

/// The names of the boards `ctx`'s player may read.
pub(super) async fn readable_boards(ctx: &Ctx) -> Result<Vec<String>, CommandError> {
    let level = ctx.level();
    Ok(ctx
        .store()
        .boards()
        .await?
        .into_iter()
        .filter(|b| b.read_level <= level)
        .map(|b| b.name)
        .collect())
}

/// A post number, `N` or `#N`.
fn post_num(word: &str) -> Result<u64, Usage> {
    word.trim_start_matches('#')
        .parse()
        .map_err(|_| Usage::key("not-post-number", vec![("word", Arg::from(echo(word)))]))
}

/// A post in full: its heading, its subject when it has one of its own (a long post's,
/// or a TC2 peer's, whose subject is apart from its text), then its text. A subject
/// made of the text's first words is not said twice.
fn show(lang: Lang, post: &Post, now: u64) -> String {
    let subject = post.subject.trim();
    if subject.is_empty() || subject == super::compose::subject_of(&post.text) {
        format!("{}\n{}", heading(lang, post, now), post.text)
    } else {
        format!("{}\n{subject}\n{}", heading(lang, post, now), post.text)
    }
}

/// `boards`.
#[derive(Debug, PartialEq)]
pub struct Boards;

impl Command for Boards {
    const SPEC: Spec = player(
        "boards",
        &["bb"],
        "boards",
        "list boards with your unread counts",
    );

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let level = ctx.level();
        let list: Vec<String> = ctx
            .store()
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
            return Ok(t!(ctx.lang, "boards-none").into());
        }
        Ok(t!(ctx.lang, "boards-list", list = list.join(", ")).into())
    }
}

/// `read BOARD [N]`.
#[derive(Debug, PartialEq)]
pub struct Read {
    pub board: String,
    pub num: Option<u64>,
}

impl Command for Read {
    // English as `en.ftl` has it (`usage-read`, `help-read`).
    const SPEC: Spec = player(
        "read",
        &[],
        "read BOARD [N]",
        "a board's newest post and a list of the others, or post N",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let mut words = args.split_whitespace();
        let Some(board) = words.next() else {
            return Err(Usage::key("read-usage", Vec::new()));
        };
        Ok(Self {
            board: board.to_string(),
            num: words.next().map(post_num).transpose()?,
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let board = find_board(ctx, &self.board).await?;
        let now = unix_now();
        let lang = ctx.lang;
        if let Some(num) = self.num {
            let Some(post) = ctx.store().post(board.name.clone(), num).await? else {
                return Err(user(t!(lang, "post-none", num = num, board = &board.name)));
            };
            on_the_side(
                ctx.store()
                    .mark_read(ctx.node, board.name.clone(), num)
                    .await,
            )?;
            return Ok(show(lang, &post, now).into());
        }
        let posts = ctx.store().newest_posts(board.name.clone(), LISTED).await?;
        let name = &board.name;
        let Some((newest, older)) = posts.split_first() else {
            return Ok(t!(lang, "board-empty", board = name).into());
        };
        let lines: Vec<String> = older.iter().map(|p| list_line(lang, p, now)).collect();
        // The newest post in full, then as many older ones as fit in the same packet:
        // reading the latest news takes one command.
        let full = format!("{}\n{}", heading(lang, newest, now), newest.text.trim());
        if let Some(reply) = fill_packet(full, &lines, ctx.cfg().replies.byte_budget) {
            on_the_side(
                ctx.store()
                    .mark_read(ctx.node, board.name.clone(), newest.num)
                    .await,
            )?;
            return Ok(reply.into());
        }
        let all: Vec<String> = posts.iter().map(|p| list_line(lang, p, now)).collect();
        let foot = t!(lang, "board-list-foot", board = name);
        Ok(format!("{name}:\n{}\n{foot}", all.join("\n")).into())
    }
}

/// A post's heading: `general #3 Bob 2h:` (a reply: `general #4 re #3 Bob 2h:`).
fn heading(lang: Lang, post: &Post, now: u64) -> String {
    let re = post
        .reply_to
        .map(|n| format!(" re #{n}"))
        .unwrap_or_default();
    format!(
        "{} #{}{re} {} {}:",
        post.board,
        post.num,
        post.author_name,
        age_in(lang, now, post.time)
    )
}

/// One line of a board's list: `#3 Ridge report - Bob 2h`, the subject being the
/// post's first words.
fn list_line(lang: Lang, post: &Post, now: u64) -> String {
    format!(
        "#{} {} - {} {}",
        post.num,
        first_words(&super::compose::title(post), SUBJECT),
        post.author_name,
        age_in(lang, now, post.time)
    )
}

/// `next`.
#[derive(Debug, PartialEq)]
pub struct Next;

impl Command for Next {
    const SPEC: Spec = player(
        "next",
        &[],
        "next",
        "read the oldest post you have not read",
    );

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let readable = readable_boards(ctx).await?;
        match ctx.store().next_unread(ctx.node, readable).await? {
            Some(post) => {
                on_the_side(
                    ctx.store()
                        .mark_read(ctx.node, post.board.clone(), post.num)
                        .await,
                )?;
                Ok(show(ctx.lang, &post, unix_now()).into())
            }
            None => Ok(t!(ctx.lang, "next-none").into()),
        }
    }
}

/// Refuses a player who may not post to `board`.
pub(super) fn may_post(ctx: &Ctx, board: &Board) -> Result<(), CommandError> {
    if ctx.level() < board.post_level {
        return Err(user(t!(
            ctx.lang,
            "post-only-level",
            level = level_name(board.post_level),
            board = &board.name
        )));
    }
    Ok(())
}

/// Checks the limits and writes a post; the reply comes after it is durable. An empty
/// `subject` is taken from the text's first words.
pub(super) async fn write_post(
    ctx: &mut Ctx,
    board: &Board,
    subject: &str,
    text: &str,
    reply_to: Option<u64>,
) -> Result<Post, CommandError> {
    may_post(ctx, board)?;
    let max = ctx.cfg().bbs.post_max_bytes;
    if text.len() > max {
        return Err(user(t!(ctx.lang, "too-long", len = text.len(), max = max)));
    }
    if !ctx.roster().allow_post(ctx.node) {
        return Err(user(t!(
            ctx.lang,
            "post-rate",
            n = ctx.cfg().bbs.posts_per_hour
        )));
    }
    if !meshmush_core::commands::ctx::newcomer_allowed(ctx, Newcomer::Post) {
        return Err(user(t!(ctx.lang, "post-newcomers")));
    }
    let post = Post {
        board: board.name.clone(),
        num: 0,
        author: ctx.node,
        author_name: ctx.player.name.clone(),
        time: unix_now(),
        subject: if subject.is_empty() {
            super::compose::subject_of(text)
        } else {
            subject.to_string()
        },
        text: text.to_string(),
        reply_to,
    };
    let post = ctx.store().add_post(post, ctx.cfg().bbs.posts_kept).await?;
    on_the_side(
        ctx.store()
            .mark_read(ctx.node, post.board.clone(), post.num)
            .await,
    )?;
    Ok(post)
}

/// The reply to a post just written, and the [`Event::Posted`] that says so.
pub(super) fn posted(post: &Post, reply: String) -> Outcome {
    Outcome::reply(reply).with_event(Event::Posted {
        board: post.board.clone(),
        num: post.num,
    })
}

/// `post BOARD TEXT`, or `post BOARD` to write a longer post over several messages.
#[derive(Debug, PartialEq)]
pub struct PostCmd {
    pub board: String,
    /// `None`: compose it (a subject, then lines until `.`).
    pub text: Option<String>,
}

impl Command for PostCmd {
    const SPEC: Spec = player(
        "post",
        &[],
        "post BOARD [TEXT]",
        "post to a board; with no text, write a long post line by line",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let (board, text) = split_command(args);
        if board.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            board: board.to_string(),
            text: Some(text.trim().to_string()).filter(|t| !t.is_empty()),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let board = find_board(ctx, &self.board).await?;
        let Some(text) = self.text else {
            may_post(ctx, &board)?;
            return super::compose::start(ctx, DraftTarget::Post { board: board.name }).await;
        };
        let post = write_post(ctx, &board, "", &text, None).await?;
        let done = t!(ctx.lang, "posted", board = &post.board, num = post.num);
        Ok(announce_urgent(ctx, &board, &post, posted(&post, done)))
    }
}

/// `reply BOARD N TEXT`.
#[derive(Debug, PartialEq)]
pub struct ReplyCmd {
    pub board: String,
    pub num: u64,
    pub text: String,
}

impl Command for ReplyCmd {
    const SPEC: Spec = player("reply", &[], "reply BOARD N TEXT", "reply to post N");

    fn parse(args: &str) -> Result<Self, Usage> {
        let mut parts = args.splitn(3, char::is_whitespace);
        let (Some(board), Some(n), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Usage::show());
        };
        let text = text.trim();
        if text.is_empty() {
            return Err(Usage::show());
        }
        Ok(Self {
            board: board.to_string(),
            num: post_num(n)?,
            text: text.to_string(),
        })
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let board = find_board(ctx, &self.board).await?;
        let num = self.num;
        if ctx.store().post(board.name.clone(), num).await?.is_none() {
            return Err(user(t!(
                ctx.lang,
                "post-none",
                num = num,
                board = &board.name
            )));
        }
        let post = write_post(ctx, &board, "", &self.text, Some(num)).await?;
        let done = t!(ctx.lang, "replied", board = &post.board, num = post.num);
        Ok(announce_urgent(ctx, &board, &post, posted(&post, done)))
    }
}

/// `delete BOARD N`.
#[derive(Debug, PartialEq)]
pub struct Delete {
    pub board: String,
    pub num: u64,
}

impl Command for Delete {
    const SPEC: Spec = player(
        "delete",
        &[],
        "delete BOARD N",
        "delete your post (wizards: any)",
    );

    fn parse(args: &str) -> Result<Self, Usage> {
        let mut words = args.split_whitespace();
        let (Some(board), Some(n)) = (words.next(), words.next()) else {
            return Err(Usage::show());
        };
        Ok(Self {
            board: board.to_string(),
            num: post_num(n)?,
        })
    }

    fn guard(&self) -> Guard {
        Guard::Account
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let board = find_board(ctx, &self.board).await?;
        let num = self.num;
        let Some(post) = ctx.store().post(board.name.clone(), num).await? else {
            return Err(user(t!(
                ctx.lang,
                "post-none",
                num = num,
                board = &board.name
            )));
        };
        if post.author != ctx.node && ctx.level() < Level::Wizard {
            return Err(user(t!(ctx.lang, "delete-not-yours")));
        }
        ctx.store().delete_post(board.name.clone(), num).await?;
        Ok(t!(ctx.lang, "post-deleted", board = &board.name, num = num).into())
    }
}
