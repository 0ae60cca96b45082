//! The beacon (`bbs.beacon_mins`, off by default, at least an hour apart): one line on
//! the primary channel saying what the BBS is. It takes the channel gap like any
//! channel packet, goes as unasked traffic (the lowest class of the link's one queue),
//! and is skipped while it would wait long in that queue: it is worth less than any
//! reply.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{debug, info};

use meshmush_firmware_bridge::link::Class;
use meshmush_lang::{Lang, t};

use crate::delivery::BUSY_AFTER;
use crate::shared::Shared;

/// The first beacon goes this long after start, once the link is up.
const FIRST_AFTER: Duration = Duration::from_secs(60);

/// The beacon's line.
pub fn text(lang: Lang, bbs_name: &str, keyword: &str) -> String {
    if keyword.trim().is_empty() {
        t!(lang, "beacon", bbs = bbs_name)
    } else {
        t!(
            lang,
            "beacon-keyword",
            bbs = bbs_name,
            word = keyword.trim()
        )
    }
}

/// Why a beacon is skipped now, when unasked traffic would wait `wait` (behind what
/// is queued, or for its airtime share): past [`BUSY_AFTER`] it is worth less than
/// everything ahead of it, so it goes at the next turn instead of queueing.
fn skip_reason(wait: Duration) -> Option<String> {
    (wait > BUSY_AFTER).then(|| format!("it would wait {} s to go", wait.as_secs()))
}

pub(super) async fn run(shared: Shared, stop: CancellationToken) {
    let every = Duration::from_secs(shared.cfg().bbs.beacon_mins.saturating_mul(60));
    let mut next = tokio::time::Instant::now() + FIRST_AFTER;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            _ = stop.cancelled() => return,
        }
        next += every;
        if shared.mesh().me().is_none() {
            debug!("beacon skipped: not on the air");
            continue;
        }
        if let Some(why) = skip_reason(shared.delivery.class_wait(Class::Unasked)) {
            info!(why, "beacon skipped");
            continue;
        }
        if let Err(wait) = shared.roster().take_channel() {
            debug!(?wait, "beacon skipped: the channel gap");
            continue;
        }
        let cfg = shared.cfg();
        let line = text(
            cfg.bbs.language(),
            &shared.bbs_name(),
            &cfg.bbs.discovery_keyword,
        );
        match shared.delivery.broadcast(&line).await {
            Ok(n) if n > 0 => info!("beacon sent"),
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beacon_gives_way_when_it_would_wait_long() {
        assert_eq!(skip_reason(Duration::ZERO), None);
        assert_eq!(skip_reason(BUSY_AFTER), None);
        assert_eq!(
            skip_reason(Duration::from_secs(91)).as_deref(),
            Some("it would wait 91 s to go")
        );
    }

    #[test]
    fn the_beacon_names_the_keyword_when_there_is_one() {
        assert_eq!(
            text(Lang::EN, "Hilltop BBS", "bbs?"),
            "Hilltop BBS: BBS and text world. DM me help to start, or send bbs? here."
        );
        assert_eq!(
            text(Lang::EN, "Hilltop BBS", ""),
            "Hilltop BBS: BBS and text world. DM me help to start."
        );
        // A broadcast: in the BBS's language, whoever hears it.
        let de = Lang::parse("de").expect("offered");
        assert_eq!(
            text(de, "Hilltop BBS", "bbs?"),
            "Hilltop BBS: BBS und Textwelt. Schick mir hilfe als DM zum Start oder bbs? hier \
             im Kanal."
        );
    }
}
