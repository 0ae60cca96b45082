//! The API writes by running the radio's own commands, as the admin console does for
//! the sysop: a command line built from checked parts goes through the registry's
//! `execute` for the API identity, and its notices and channel packets leave through
//! the delivery path. So a post from the API is the same store transaction (and
//! federation outbox entry) as one from a handset, under the same limits.
//!
//! The identity is a player that exists only for the call: node [`API_NODE`], named
//! `NAME (api)` after the token, so readers see where a post came from. It has no
//! record (nothing a command keeps for its author, such as a read marker, is worth
//! one) and is never a newcomer (the API has its own rate; new radio players' shared
//! allowance is theirs). It is a wizard only for `@wall`, whose scope stands in for
//! the wizard's right; everything else runs at player level, so a token cannot post to
//! a wizards-only board.

use std::time::Instant;

use meshmush_core::commands::text::unix_now;
use meshmush_core::commands::{Ctx, Event, execute};
use meshmush_core::identity::Sender;
use meshmush_lang::Lang;
use meshmush_store::{Level, Player};
use tracing::{info, warn};

use super::auth::Caller;
use super::error::ApiError;
use super::{API_NODE, Api};

/// The author name of what `caller` writes.
pub fn author(caller: &Caller) -> String {
    format!("{} (api)", caller.name)
}

/// What a command the API ran did: its reply and its events (`Posted`, `Mailed`).
#[derive(Debug)]
pub struct Done {
    pub reply: String,
    pub events: Vec<Event>,
}

/// Runs `line` as `caller` at `level`: what the command did, or its refusal.
pub async fn run(api: &Api, caller: &Caller, level: Level, line: &str) -> Result<Done, ApiError> {
    let name = author(caller);
    let player = Player {
        node: API_NODE,
        name: name.clone(),
        password_hash: None,
        level,
        // Long ago: never a newcomer.
        created: 0,
        last_seen: unix_now(),
        banned: false,
    };
    let mut ctx = Ctx {
        common: api.common.clone(),
        registry: api.registry.clone(),
        player,
        node: API_NODE,
        // A script matches on what it reads: the API speaks English, whatever the
        // BBS's players read.
        lang: Lang::EN,
        // The token proved it (and its scope was checked before this).
        sender: Sender::Proven,
        password_given: false,
        packet_key: None,
        is_admin_node: false,
        draft: None,
        ran: None,
    };
    let started = Instant::now();
    let outcome = execute(&mut ctx, line).await;
    api.ops.command(ctx.ran, API_NODE, &name, started.elapsed());
    let command = ctx.ran.map_or("?", |(_, c)| c);
    info!(token = %caller.name, command, refused = outcome.refused, "api");
    if api
        .delivery
        .notices(API_NODE, outcome.notices)
        .await
        .is_err()
    {
        warn!("link closed; the API command's notices were not sent");
        return Err(ApiError::Internal(
            "the link to the radio is closed: nothing went on the air (what was stored stays)"
                .into(),
        ));
    }
    if outcome.refused {
        return Err(ApiError::Refused(outcome.reply));
    }
    Ok(Done {
        reply: outcome.reply,
        events: outcome.events,
    })
}
