//! Figure 14: trust at every edge (issue 27), measured against a running daemon.
//!
//! - [`nodeinfo`]: 20,000 forged NodeInfos on a real broker (mosquitto), half asking
//!   for an answer, to a daemon in a process of its own whose only link is the MQTT
//!   virtual node: its RSS growth, its data directory's growth, and what the BBS
//!   published in reply (counted by a second client on the topic root);
//! - [`http`]: 200 half-open connections to the status page, from one address and from
//!   200, while an ordinary client fetches `/` every second: how many the daemon still
//!   holds after 35 s, and whether every ordinary fetch was answered;
//! - [`mail`]: 10,000 mails to random node ids from 1,000 made-up senders through the
//!   command path: how many the BBS keeps, against `[retention] unheard_mail_total`.
//!
//! Quick mode floods 500 NodeInfos and sends 1,000 mails from 100 senders, and skips
//! the HTTP part (its timeout is fixed at 10 s, so it cannot be made quick).

mod child;
mod http;
mod mail;
mod nodeinfo;

use std::time::Duration;

use crate::figures::{BenchError, Row, ms, row};
pub(crate) use child::serve as serve_daemon;
use meshmush_testkit::mosquitto::{BrokerError, Mosquitto};

const MIB: f64 = 1_048_576.0;

/// Figure 14's rows; `nodeinfos` forged NodeInfos instead of the mode's number.
pub(crate) async fn hostile_rows(
    quick: bool,
    nodeinfos: Option<u32>,
    rows: &mut Vec<Row>,
) -> Result<(), BenchError> {
    let t = std::time::Instant::now();
    let (forged, linger) = if quick {
        (500, Duration::from_secs(2))
    } else {
        (20_000, Duration::from_secs(5))
    };
    let forged = nodeinfos.unwrap_or(forged);
    let broker = match Mosquitto::start().await {
        Ok(broker) => Some(broker),
        // CI installs the broker; a quick run by hand, without root, may not be able to.
        Err(BrokerError::Missing(e)) if quick => {
            tracing::warn!(error = %e, "no mosquitto: no NodeInfo flood in quick mode");
            None
        }
        Err(e) => return Err(BenchError::Failed(e.to_string())),
    };
    if let Some(broker) = broker {
        match nodeinfo::flood(&broker, forged, linger).await? {
            Some(f) => nodeinfo_rows(&f, rows),
            None => tracing::warn!("not run as the meshmush-bench binary: no NodeInfo flood"),
        }
    }
    done("NodeInfo flood", t);
    if !quick {
        for sources in [http::Sources::One, http::Sources::Many] {
            let t = std::time::Instant::now();
            let h = http::half_open(sources).await?;
            http_rows(sources, &h, rows);
            done("half-open HTTP", t);
        }
    }
    let t = std::time::Instant::now();
    let m = mail::forged_mail(if quick { 100 } else { 1_000 }).await?;
    mail_rows(&m, rows);
    done("forged mail", t);
    Ok(())
}

/// A line for the person watching a long run.
fn done(part: &str, started: std::time::Instant) {
    tracing::info!(
        part,
        secs = format!("{:.1}", started.elapsed().as_secs_f64()),
        "figure 14 part measured"
    );
}

fn nodeinfo_rows(f: &nodeinfo::Flood, rows: &mut Vec<Row>) {
    let n = f.forged;
    let p = format!("14. {n} forged NodeInfos");
    let kib = |k: u64| k as f64 / 1024.0;
    let r = &f.replies;
    for (what, value, unit) in [
        ("published, acked by the broker", f.published as f64, "msgs"),
        ("flood took", f.secs, "s"),
        (
            "link frames read (~1 per NodeInfo)",
            f.taken_in as f64,
            "frames",
        ),
        ("link node DB after (bound 1024)", f.nodes as f64, "nodes"),
        ("daemon RSS idle before", kib(f.before.rss), "MiB"),
        (
            "daemon RSS growth (target < 30)",
            kib(f.after.rss) - kib(f.before.rss),
            "MiB",
        ),
        (
            "daemon peak RSS growth",
            kib(f.after.peak) - kib(f.before.rss),
            "MiB",
        ),
        (
            "data dir growth",
            (f.disk_after as f64 - f.disk_before as f64) / MIB,
            "MiB",
        ),
        ("keys pinned for forged ids", f.pinned as f64, "keys"),
        (
            "BBS packets published (target <= 100)",
            r.total() as f64,
            "packets",
        ),
        ("... its NodeInfo", r.nodeinfo as f64, "packets"),
        ("... DMs, PKI", r.pki as f64, "packets"),
        ("... DMs, channel key", r.text as f64, "packets"),
        ("... routing", r.routing as f64, "packets"),
        ("... other", r.other as f64, "packets"),
        ("envelopes heard on the root", f.heard as f64, "msgs"),
    ] {
        rows.push(row(&format!("{p}: {what}"), "designed", value, unit));
    }
}

fn http_rows(sources: http::Sources, h: &http::HalfOpen, rows: &mut Vec<Row>) {
    let from = match sources {
        http::Sources::One => "1 addr".to_string(),
        http::Sources::Many => format!("{} addrs", http::ATTACKERS),
    };
    let p = format!("14. {} half-open HTTP from {from}", http::ATTACKERS);
    let hold = http::HOLD.as_secs();
    for (what, value, unit) in [
        (
            format!("open after {hold} s (target 0)"),
            f64::from(h.still_open),
            "conns",
        ),
        (
            "closed within 1 s".into(),
            f64::from(h.closed_at_once),
            "conns",
        ),
        ("longest held".into(), h.longest_held.as_secs_f64(), "s"),
        (
            "fetches of /, 1 a second".into(),
            f64::from(h.fetches),
            "fetches",
        ),
        (
            "fetches answered (target all)".into(),
            f64::from(h.answered),
            "fetches",
        ),
        ("worst fetch".into(), ms(h.worst), "ms"),
        (
            "last unanswered fetch at".into(),
            h.unanswered_at.last().map_or(0.0, |d| d.as_secs_f64()),
            "s",
        ),
    ] {
        rows.push(row(&format!("{p}: {what}"), "designed", value, unit));
    }
}

fn mail_rows(m: &mail::Forged, rows: &mut Vec<Row>) {
    let p = format!("14. {} mails to random ids, {} senders", m.tried, m.senders);
    let stored = format!("stored (target <= {})", m.cap);
    for (what, value, unit) in [
        ("took", m.secs, "s"),
        ("accepted", f64::from(m.accepted), "mails"),
        ("refused: total cap", f64::from(m.refused_total), "mails"),
        (
            "refused: sender's day",
            f64::from(m.refused_sender),
            "mails",
        ),
        ("other replies", f64::from(m.other), "mails"),
        ("unanswered", f64::from(m.unanswered), "mails"),
        (stored.as_str(), m.stored as f64, "mails"),
        ("in the ids' mailboxes", m.in_mailboxes as f64, "mails"),
        (
            "data dir growth",
            (m.disk_after as f64 - m.disk_before as f64) / MIB,
            "MiB",
        ),
    ] {
        rows.push(row(&format!("{p}: {what}"), "designed", value, unit));
    }
}
