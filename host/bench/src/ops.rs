//! Figure 10: does the operator's view cost the daemon anything? The same closed-loop
//! and open-loop `look` load, on one mesh shape, with the status page and `/metrics`
//! off and on (on: scraped and the page rendered every 250 ms meanwhile, far more
//! often than Prometheus's usual 15-30 s), in one run, alternating off/on, twice after
//! an uncounted warm-up: the two "off" runs' difference is the noise the on/off
//! difference is read against.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

use super::figures::{BenchError, Row, ms, row};
use super::rig::{Rig, open_loop, throughput};
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_testkit::stats::percentile;

/// How often the scraper asks while the page is on.
const SCRAPE_EVERY: Duration = Duration::from_millis(250);

/// One GET; whether it answered 200.
async fn get(addr: SocketAddr, path: &str) -> bool {
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return false;
    };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return false;
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw).await;
    raw.starts_with(b"HTTP/1.1 200")
}

/// Scrapes `/metrics` and renders `/` every [`SCRAPE_EVERY`] until `stop`.
fn scraper(addr: SocketAddr, stop: CancellationToken, served: Arc<AtomicU64>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SCRAPE_EVERY);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.cancelled() => break,
            }
            for path in ["/metrics", "/"] {
                if get(addr, path).await {
                    served.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
}

/// One daemon's closed-loop rate and open-loop p99 for `look`.
async fn measure(
    on: bool,
    players: u32,
    offered: f64,
    span: Duration,
    served: &Arc<AtomicU64>,
) -> Result<(f64, Duration), BenchError> {
    let mut cfg = Config::default();
    if on {
        cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    }
    let (rig, _) = Rig::start_with(cfg, StoreOptions::default(), Duration::from_secs(300)).await?;
    let stop = CancellationToken::new();
    if let Some(addr) = rig.kit.app.http_addr() {
        scraper(addr, stop.clone(), served.clone());
    }
    let rig = Arc::new(rig);
    let (rate, _, _) = throughput(&rig, players, "look", span).await;
    let lat = open_loop(&rig, players, "look", offered, span).await;
    stop.cancel();
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok((rate, percentile(&lat, 0.99)))
}

/// Rounds of (off, on) measured, alternating, after the warm-up.
const ROUNDS: usize = 5;

/// The median of `v` (not empty).
fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// How far the "off" runs spread: half their range. An on/off difference inside it
/// is not told apart from running "off" again.
fn noise(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::MIN, f64::max);
    let min = v.iter().copied().fold(f64::MAX, f64::min);
    (max - min) / 2.0
}

/// Figure 10's rows: the same load [`ROUNDS`] times with the page off and on, paired
/// (off, then on) so a slow spell of the machine falls on both of a pair. The figures
/// are medians; the verdict compares the median paired difference with the noise.
pub(super) async fn ops_rows(quick: bool, rows: &mut Vec<Row>) -> Result<(), BenchError> {
    let (span, players, offered, rounds) = if quick {
        (Duration::from_millis(300), 200, 5_000.0, 2)
    } else {
        (Duration::from_secs(3), 1000, 20_000.0, ROUNDS)
    };
    let served = Arc::new(AtomicU64::new(0));
    let mut rate = [Vec::new(), Vec::new()];
    let mut p99 = [Vec::new(), Vec::new()];
    // A first daemon in a fresh process runs cold (allocator, page cache): not counted.
    measure(false, players, offered, span / 2, &served).await?;
    for _round in 0..rounds {
        for on in [false, true] {
            let (r, p) = measure(on, players, offered, span, &served).await?;
            rate[usize::from(on)].push(r);
            p99[usize::from(on)].push(ms(p));
        }
    }
    let look = format!("10. look x {players}");
    for (what, unit, v) in [
        (format!("{look}, closed loop"), "commands/s", &rate),
        (format!("{look} at {offered}/s, p99"), "ms", &p99),
    ] {
        let diffs: Vec<f64> = v[1].iter().zip(&v[0]).map(|(on, off)| on - off).collect();
        let (diff, noise) = (median(&diffs), noise(&v[0]));
        for (label, value) in [
            (
                format!("{what}, page and /metrics off (median of {rounds})"),
                median(&v[0]),
            ),
            (
                format!("{what}, page and /metrics on, scraped (median of {rounds})"),
                median(&v[1]),
            ),
            (
                format!("{what}: noise (half the range of the off runs)"),
                noise,
            ),
            (format!("{what}: on minus off (median of the pairs)"), diff),
        ] {
            rows.push(row(&label, "designed", value, unit));
        }
        rows.push(row(
            &format!("{what}: on minus off within the noise (1 = yes)"),
            "designed",
            f64::from(u8::from(diff.abs() <= noise)),
            "",
        ));
    }
    rows.push(row(
        "10. scrapes and page renders served during the on runs",
        "designed",
        served.load(Ordering::Relaxed) as f64,
        "requests",
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_noise() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(noise(&[10.0, 14.0, 12.0]), 2.0);
    }
}
