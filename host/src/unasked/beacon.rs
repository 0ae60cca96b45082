//! The beacon (`bbs.beacon_mins`, off by default, at least an hour apart): one line on
//! the primary channel saying what the BBS is. It takes the channel gap like any
//! channel packet, and is skipped while the BBS has used more than half its airtime
//! share this hour (or, where the region sets no limit, while its queue is backed
//! up): it is worth less than any reply.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{debug, info};

use super::Parts;
use crate::delivery::MAX_PENDING_FOR_NOTICES;
use crate::meshview::Airtime;

/// The first beacon goes this long after start, once the link is up.
const FIRST_AFTER: Duration = Duration::from_secs(60);

/// The beacon's line.
pub fn text(bbs_name: &str, keyword: &str) -> String {
    if keyword.trim().is_empty() {
        format!("{bbs_name}: BBS and text world. DM me help to start.")
    } else {
        format!(
            "{bbs_name}: BBS and text world. DM me help to start, or send {} here.",
            keyword.trim()
        )
    }
}

/// Why a beacon is skipped now, with `air` used and `pending` packets queued, if it is.
fn skip_reason(air: Airtime, pending: u64) -> Option<String> {
    match air.allowed_hour {
        Some(allowed) if air.used_hour > allowed / 2 => Some(format!(
            "airtime: {:.0} s of {:.0} s used this hour",
            air.used_hour.as_secs_f64(),
            allowed.as_secs_f64()
        )),
        _ if pending > MAX_PENDING_FOR_NOTICES => Some("the link is backed up".into()),
        _ => None,
    }
}

pub(super) async fn run(parts: Parts, stop: CancellationToken) {
    let every = Duration::from_secs(parts.cfg.bbs.beacon_mins.saturating_mul(60));
    let mut next = tokio::time::Instant::now() + FIRST_AFTER;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            _ = stop.cancelled() => return,
        }
        next += every;
        if parts.mesh.me().is_none() {
            debug!("beacon skipped: not on the air");
            continue;
        }
        if let Some(why) = skip_reason(parts.mesh.airtime(), parts.delivery.pending()) {
            info!(why, "beacon skipped");
            continue;
        }
        if let Err(wait) = parts.roster.take_channel() {
            debug!(?wait, "beacon skipped: the channel gap");
            continue;
        }
        let line = text(&parts.bbs_name(), &parts.cfg.bbs.discovery_keyword);
        match parts.delivery.broadcast(&line).await {
            Ok(n) if n > 0 => info!("beacon sent"),
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn air(used: u64, allowed: Option<u64>) -> Airtime {
        Airtime {
            used_hour: Duration::from_secs(used),
            allowed_hour: allowed.map(Duration::from_secs),
        }
    }

    #[test]
    fn the_beacon_gives_way_to_replies() {
        assert_eq!(skip_reason(air(80, Some(180)), 0), None);
        assert_eq!(
            skip_reason(air(91, Some(180)), 0).as_deref(),
            Some("airtime: 91 s of 180 s used this hour")
        );
        assert_eq!(skip_reason(air(500, None), 0), None, "no duty-cycle limit");
        assert!(skip_reason(air(0, None), MAX_PENDING_FOR_NOTICES + 1).is_some());
    }

    #[test]
    fn the_beacon_names_the_keyword_when_there_is_one() {
        assert_eq!(
            text("Hilltop BBS", "bbs?"),
            "Hilltop BBS: BBS and text world. DM me help to start, or send bbs? here."
        );
        assert_eq!(
            text("Hilltop BBS", ""),
            "Hilltop BBS: BBS and text world. DM me help to start."
        );
    }
}
