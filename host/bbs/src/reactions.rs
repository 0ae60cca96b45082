//! Emoji reactions: a person who taps an emoji on the packet that showed them a letter
//! (a new-mail notice) or a post (an urgent post's announcement) has seen it, so the
//! BBS marks it read for them, as `read` would, without a command or a reply on the
//! air. The delivery path remembers what each packet showed (`Roster::shown`); a
//! reaction to any other packet does nothing. A letter read this way sets its read
//! receipt going as `mail N` would (see `receipts`).

use meshmush_core::commands::Shown;
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Notice;
use meshmush_core::commands::registry::CommandError;

/// What a reaction did.
#[derive(Debug, Default)]
pub struct Reacted {
    /// Something was marked read (false: it was read already, or is gone).
    pub marked: bool,
    /// The read receipt for the letter's sender here, to deliver.
    pub receipt: Option<Notice>,
}

/// Marks what `shown` names read for the player of `ctx`.
pub async fn mark_read(ctx: &Ctx, shown: Shown) -> Result<Reacted, CommandError> {
    let store = ctx.store();
    match shown {
        Shown::Letter(id) => {
            let letter = store
                .mailbox(ctx.node)
                .await?
                .into_iter()
                .find(|m| m.id == id && !m.read);
            let Some(letter) = letter else {
                return Ok(Reacted::default());
            };
            let receipt = super::receipts::mark_read(ctx, letter).await?;
            Ok(Reacted {
                marked: true,
                receipt,
            })
        }
        Shown::Post { board, num } => {
            if store.post(board.clone(), num).await?.is_none() {
                return Ok(Reacted::default());
            }
            store.mark_read(ctx.node, board, num).await?;
            Ok(Reacted {
                marked: true,
                receipt: None,
            })
        }
    }
}
