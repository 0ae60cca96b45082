//! Figure 6: airtime. Long replies from the daemon itself, sent to five handsets
//! through a gateway whose transmit queue is full at first and whose duty cycle is
//! tight (the node refuses with DUTY_CYCLE_LIMIT): how full the packets are, and
//! how many chunks never arrived or arrived twice.

use std::collections::HashSet;
use std::time::Duration;

use meshmush_firmware_bridge::sim::SimConfig;
use meshmush_protocol::chunking::parse_marker;

use super::figures::BenchError;
use meshmush::config::Config;
use meshmush_testkit::{Kit, replies};

/// What figure 6 measured.
pub(super) struct AirtimeFigures {
    /// Mean bytes of the packets of multi-packet replies, last packets left out.
    pub mean_full_bytes: f64,
    pub budget: usize,
    /// Chunks the daemon queued.
    pub chunks: u64,
    /// Chunks no handset received.
    pub lost: u64,
    /// Chunks a handset received more than once.
    pub doubled: u64,
    /// Chunks the daemon sent again after the node refused them (queue full, duty
    /// cycle) or no ack came.
    pub resends: u64,
}

/// Commands with long answers, one set per handset (`help all` since `help` alone
/// became one short packet).
const LONG: &[&str] = &["help all", "look", "boards", "help mail", "help @board"];

/// `quick`: one command a handset instead of five.
pub(super) async fn airtime(quick: bool) -> Result<AirtimeFigures, BenchError> {
    let per_handset = if quick { 1 } else { LONG.len() };
    let mut cfg = Config::default();
    cfg.replies.pager_packets = 50;
    cfg.limits.burst = 1_000;
    let budget = cfg.replies.byte_budget;
    // 0.1% duty cycle at a 1/10,000 time scale: a few LongFast packets per scaled
    // window, so the node keeps refusing and the link must wait and resend.
    // The gateway's acks for the commands are refused by its duty cycle too (as
    // firmware's are), so the handsets resend a command after 2 s without one; the
    // daemon's dedupe drops the repeat.
    let mut kit = Kit::builder(cfg)
        .sim(SimConfig {
            handsets: 5,
            time_scale: 0.0001,
            duty_cycle_percent: Some(0.1),
            ..SimConfig::default()
        })
        .daemon_link(|mut link| {
            link.retry_delay = Duration::from_millis(50);
            link.ack_timeout = Duration::from_secs(5);
            link
        })
        .start()
        .await?;
    let handsets = std::mem::take(&mut kit.handsets);
    let mesh = kit.sim()?;
    let app = &kit.app;
    let gw = mesh.gateway().num;
    let before = app.link().metrics();
    mesh.faults().set_queue_full(gw, true);
    let mut tasks = tokio::task::JoinSet::new();
    for (k, mut h) in handsets.into_iter().enumerate() {
        tasks.spawn(async move {
            let mut got = Vec::new();
            for cmd in LONG.iter().cycle().skip(k).take(per_handset) {
                if h.send(gw, cmd).await.is_err() {
                    break;
                }
                // The whole reply: its first packet says how many follow.
                let wait = Duration::from_secs(30);
                match replies::collect(&mut h, wait, wait, |_| false).await {
                    Some(reply) => got.extend(reply.packets),
                    None => break,
                }
            }
            // The handset's link drops a packet it has seen (as its node would) and
            // counts it: a chunk sent twice on air.
            (got, h.link.metrics().duplicates)
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    mesh.faults().set_queue_full(gw, false);
    let mut received = Vec::new();
    let mut doubled = 0;
    while let Some(r) = tasks.join_next().await {
        if let Ok((got, dups)) = r {
            received.extend(got);
            doubled += dups;
        }
    }
    let after = app.link().metrics();
    let _ = kit.stop().await;

    let first_sends = (after.chunks_sent - before.chunks_sent)
        .saturating_sub(after.chunk_retries - before.chunk_retries);
    let mut seen = HashSet::new();
    let mut full = Vec::new();
    for t in &received {
        if !seen.insert((t.to, t.id)) {
            doubled += 1;
            continue;
        }
        // Inner packets of a multi-packet reply: "(i/n) " with i < n.
        if let Some((i, n, _)) = parse_marker(&t.text)
            && i < n
        {
            full.push(t.text.len());
        }
    }
    let distinct = seen.len() as u64;
    Ok(AirtimeFigures {
        mean_full_bytes: full.iter().sum::<usize>() as f64 / full.len().max(1) as f64,
        budget,
        chunks: first_sends,
        lost: first_sends.saturating_sub(distinct),
        doubled,
        resends: after.chunk_retries - before.chunk_retries,
    })
}
