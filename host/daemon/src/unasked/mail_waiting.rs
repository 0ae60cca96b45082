//! "You have N mail at BBSNAME": the one DM a node that never used the BBS gets when
//! it is heard with mail waiting, at most once a day (`bbs.mail_waiting_notice`).

use meshmush_firmware_bridge::link::Class;
use meshmush_protocol::packets::node_id;
use tracing::{info, warn};

use crate::commands::unix_now;
use crate::shared::Shared;
use crate::store::MAIL_TOLD_EVERY_SECS;
use meshmush_lang::t;

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
    if told != 0 && now.saturating_sub(told) < MAIL_TOLD_EVERY_SECS {
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
    let lang = super::parts::lang_of(&shared, node).await;
    let text = t!(lang, "mail-waiting", n = waiting, bbs = shared.bbs_name());
    // Claimed before it is sent: two packets heard close together (each handled on a
    // task of its own), or a `mail` to the node just now, must not both tell it. Told
    // is announced: its first command is not preceded by the same news.
    let recorded = match store.claim_mail_told(node, now).await {
        Ok(true) => store.mark_mail_announced(node).await.map(|()| true),
        other => other,
    };
    match recorded {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            warn!(error = %e, "cannot record that a node was told of its mail; not told");
            return;
        }
    }
    if delivery.say(node, Class::Unasked, &text).await.is_err() {
        return;
    }
    info!(node = %node_id(node), waiting, "told a node of its waiting mail");
}
