//! "You have N mail at BBSNAME": the one DM a node that never used the BBS gets when
//! it is heard with mail waiting, at most once a day (`bbs.mail_waiting_notice`).

use meshmush_firmware_bridge::link::Class;
use meshmush_protocol::packets::node_id;
use tracing::{info, warn};

use super::parts::bbs_name;
use crate::commands::unix_now;
use crate::shared::Shared;

/// A node is told of its waiting mail at most this often.
const TOLD_EVERY: u64 = 86_400;

/// Tells `node` of its waiting mail, if any waits and it was not told today.
pub(super) async fn tell(shared: Shared, node: u32) {
    let (store, delivery) = (shared.store(), &shared.delivery);
    let now = unix_now();
    let told = match store.mail_waiting(node).await {
        Ok(Some(told)) => told,
        Ok(None) => return,
        Err(e) => {
            warn!(error = %e, "cannot read waiting mail");
            return;
        }
    };
    if told != 0 && now.saturating_sub(told) < TOLD_EVERY {
        return;
    }
    let waiting = match store.mailbox(node).await {
        Ok(mail) => mail.iter().filter(|m| !m.read).count(),
        Err(e) => {
            warn!(error = %e, "cannot read waiting mail");
            return;
        }
    };
    if waiting == 0 {
        let _ = store.clear_mail_waiting(node).await;
        return;
    }
    let text = format!(
        "You have {waiting} mail at {}. Send mail to read it.",
        bbs_name(&shared)
    );
    // Recorded before it is sent: two packets heard close together must not both
    // find it untold (each is handled on a task of its own). Told is announced: its
    // first command is not preceded by the same news.
    let recorded = match store.mail_told(node, now).await {
        Ok(()) => store.mark_mail_announced(node).await,
        Err(e) => Err(e),
    };
    if let Err(e) = recorded {
        warn!(error = %e, "cannot record that a node was told of its mail; not told");
        return;
    }
    if delivery.say(node, Class::Unasked, &text).await.is_err() {
        return;
    }
    info!(node = %node_id(node), waiting, "told a node of its waiting mail");
}
