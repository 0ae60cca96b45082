//! Writing a long post or mail over several messages, as radio users do on other BBSes
//! (TC2 ends with `END`, meshbbs with `.`): `post BOARD` or `mail NAME` with no text
//! asks for a subject, then takes each message as the next line until a line that is
//! `.` alone (or `END`); `cancel` drops it.
//!
//! The draft is in the store (see `store::drafts`), written as each line is taken, so
//! a restart loses nothing; the session keeps a copy in [`Ctx::draft`] and hands every
//! line to [`feed`] while it is set. Lines are taken silently, the handset's delivery
//! tick is the receipt, and only the last fifth of the size limit is counted down, so
//! a six-line post costs six DMs and one reply, not twelve packets.

use tracing::warn;

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{CommandError, DraftHook, Fed, Registry, Reply, user};
use meshmush_core::commands::text::DIRECTIONS;
use meshmush_core::commands::text::{echo, first_words, unix_now};
use meshmush_lang::t;
use meshmush_store::{Draft, DraftTarget, StoreError};

/// The longest subject, in bytes.
pub const SUBJECT_MAX: usize = 60;

/// A subject made from a text's first words (one-line posts and mail).
pub fn subject_of(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    first_words(first_line, 40)
}

/// What a listing calls a post: its subject, or for posts from before subjects, the
/// first words of its text.
pub fn title(post: &meshmush_store::Post) -> String {
    if post.subject.is_empty() {
        subject_of(&post.text)
    } else {
        post.subject.clone()
    }
}

/// Starts a draft for `target` and asks for its subject.
pub async fn start(ctx: &mut Ctx, target: DraftTarget) -> Reply {
    let now = unix_now();
    let draft = Draft {
        node: ctx.node,
        target,
        subject: None,
        body: String::new(),
        started: now,
        touched: now,
    };
    let to = match &draft.target {
        DraftTarget::Post { board } => t!(ctx.lang, "compose-post", board = board),
        DraftTarget::Mail { to_name, .. } => t!(ctx.lang, "compose-mail", name = to_name),
    };
    ctx.store().put_draft(draft.clone()).await?;
    ctx.draft = Some(draft);
    Ok(to.into())
}

/// Makes drafts the dispatcher's: an open draft takes the player's lines.
pub fn register(r: &mut Registry) {
    r.set_draft_feed(DraftHook {
        family: "compose",
        name: "draft line",
        feed: |ctx, draft, line| Box::pin(feed(ctx, draft, line)),
    });
}

/// Takes one line for `draft`, the player's open draft. Leaves [`Ctx::draft`] set
/// while the draft stays open.
pub async fn feed(ctx: &mut Ctx, draft: Draft, line: &str) -> Fed {
    let idle = ctx.cfg().bbs.draft_idle_mins.saturating_mul(60);
    if unix_now().saturating_sub(draft.touched) > idle {
        drop_draft(ctx).await;
        return Fed::Expired(t!(
            ctx.lang,
            "compose-expired",
            kind = kind(&draft.target),
            mins = ctx.cfg().bbs.draft_idle_mins
        ));
    }
    let reply = match take(ctx, draft, line.trim()).await {
        Ok(outcome) => outcome,
        Err(CommandError::User(msg)) => msg.into(),
        Err(e @ CommandError::Store(StoreError::Full)) => e.text(ctx.lang).into(),
        Err(e) => {
            warn!(error = %e, "draft not saved");
            e.text(ctx.lang).into()
        }
    };
    Fed::Taken(reply)
}

/// `.` alone or `END` (as TC2 users type it) finishes a draft.
fn is_end(line: &str) -> bool {
    line == "." || line.eq_ignore_ascii_case("end")
}

/// A one-word line that is a command or a direction: surely not meant as text.
fn looks_like_command(ctx: &Ctx, line: &str) -> bool {
    !line.contains(char::is_whitespace)
        && (ctx.registry.is_command_name(line)
            || DIRECTIONS.contains(&line.to_lowercase().as_str()))
}

async fn take(ctx: &mut Ctx, mut draft: Draft, line: &str) -> Reply {
    if line.eq_ignore_ascii_case("cancel") {
        drop_draft(ctx).await;
        return Ok(t!(ctx.lang, "compose-dropped", kind = kind(&draft.target)).into());
    }
    if looks_like_command(ctx, line) {
        let what = kind(&draft.target);
        ctx.draft = Some(draft);
        return Err(user(t!(
            ctx.lang,
            "compose-not-added",
            kind = what,
            word = echo(line)
        )));
    }
    let Some(subject) = draft.subject.clone() else {
        if line.is_empty() || is_end(line) {
            ctx.draft = Some(draft);
            return Err(user(t!(ctx.lang, "compose-subject")));
        }
        let subject = first_words(line, SUBJECT_MAX);
        draft.subject = Some(subject.clone());
        save(ctx, draft).await?;
        return Ok(t!(
            ctx.lang,
            "compose-subject-set",
            subject = subject,
            max = ctx.cfg().bbs.post_max_bytes
        )
        .into());
    };
    if is_end(line) {
        return finish(ctx, draft, &subject).await;
    }
    let max = ctx.cfg().bbs.post_max_bytes;
    let sep = usize::from(!draft.body.is_empty());
    let len = draft.body.len() + sep + line.len();
    if len > max {
        let left = max.saturating_sub(draft.body.len() + sep);
        ctx.draft = Some(draft);
        return Err(user(t!(
            ctx.lang,
            "compose-line-too-long",
            len = line.len(),
            n = left,
            max = max
        )));
    }
    if sep == 1 {
        draft.body.push('\n');
    }
    draft.body.push_str(line);
    save(ctx, draft).await?;
    let left = max - len;
    if left * 5 < max {
        return Ok(t!(ctx.lang, "compose-bytes-left", n = left).into());
    }
    // Taken without a reply: the handset's delivery tick says it arrived.
    Ok(Outcome::default())
}

/// Posts or sends a finished draft; on a refusal (a limit, a full mailbox) the draft
/// stays, so nothing written is lost.
async fn finish(ctx: &mut Ctx, draft: Draft, subject: &str) -> Reply {
    if draft.body.is_empty() {
        ctx.draft = Some(draft);
        return Err(user(t!(ctx.lang, "compose-nothing")));
    }
    let sent = match &draft.target {
        DraftTarget::Post { board } => {
            let board = board.clone();
            post(ctx, &board, subject, &draft.body).await
        }
        DraftTarget::Mail { to, to_name } => {
            let (to, to_name) = (*to, to_name.clone());
            mail(ctx, to, &to_name, subject, &draft.body).await
        }
    };
    match sent {
        Ok(outcome) => {
            drop_draft(ctx).await;
            Ok(outcome)
        }
        Err(CommandError::User(why)) => {
            ctx.draft = Some(draft);
            Err(user(format!("{why} {}", t!(ctx.lang, "compose-kept"))))
        }
        Err(e) => {
            ctx.draft = Some(draft);
            Err(e)
        }
    }
}

async fn post(ctx: &mut Ctx, board: &str, subject: &str, body: &str) -> Reply {
    let board = super::boards::find_board(ctx, board).await?;
    let post = super::boards::write_post(ctx, &board, subject, body, None).await?;
    let done = t!(
        ctx.lang,
        "posted-long",
        board = &post.board,
        num = post.num,
        len = post.text.len()
    );
    let outcome = super::boards::posted(&post, done);
    Ok(super::channel::announce_urgent(ctx, &board, &post, outcome))
}

async fn mail(ctx: &mut Ctx, to: u32, to_name: &str, subject: &str, body: &str) -> Reply {
    let to = super::mail::Recipient {
        node: to,
        name: to_name.to_string(),
        is_player: ctx.store().player(to).await?.is_some(),
    };
    super::mail::deliver(ctx, &to, subject, body).await
}

/// Writes the draft and keeps it open.
async fn save(ctx: &mut Ctx, mut draft: Draft) -> Result<(), CommandError> {
    draft.touched = unix_now();
    ctx.store().put_draft(draft.clone()).await?;
    ctx.draft = Some(draft);
    Ok(())
}

/// Forgets the draft; a store failure leaves a stale record that expires.
async fn drop_draft(ctx: &mut Ctx) {
    ctx.draft = None;
    if let Err(e) = ctx.store().delete_draft(ctx.node).await {
        warn!(error = %e, "cannot delete a draft");
    }
}

fn kind(target: &DraftTarget) -> &'static str {
    match target {
        DraftTarget::Post { .. } => "post",
        DraftTarget::Mail { .. } => "mail",
    }
}
