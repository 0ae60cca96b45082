//! Emoji reactions: a person who taps an emoji on the packet that showed them a letter
//! (a new-mail notice) or a post (an urgent post's announcement) has seen it, so the
//! BBS marks it read for them, as `read` would, without a command or a reply on the
//! air. The delivery path remembers what each packet showed (`Roster::shown`); a
//! reaction to any other packet does nothing.

use meshmush_core::commands::Shown;
use meshmush_store::{Store, StoreError};

/// Marks what `shown` names read for `node`; whether anything changed (false: it
/// was read already, or is gone).
pub async fn mark_read(store: &Store, node: u32, shown: Shown) -> Result<bool, StoreError> {
    match shown {
        Shown::Letter(id) => {
            let letter = store
                .mailbox(node)
                .await?
                .into_iter()
                .find(|m| m.id == id && !m.read);
            let Some(mut letter) = letter else {
                return Ok(false);
            };
            letter.read = true;
            store.update_mail(letter).await?;
            Ok(true)
        }
        Shown::Post { board, num } => {
            if store.post(board.clone(), num).await?.is_none() {
                return Ok(false);
            }
            store.mark_read(node, board, num).await?;
            Ok(true)
        }
    }
}
