//! The few figures every measuring suite needs: a percentile of sorted latencies, and
//! this process's resident memory (now, and at its peak) from `/proc/self/status`,
//! read through Tokio's fs so a sampler never blocks a runtime worker.

use std::time::Duration;

/// The `p`-th quantile (0..=1, nearest rank) of `sorted`; zero for no samples.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// Resident memory of this process now, in KiB (Linux `VmRSS`).
pub async fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:").await
}

/// The highest resident memory of this process so far, in KiB (Linux `VmHWM`).
pub async fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:").await
}

async fn status_kib(field: &str) -> Option<u64> {
    let status = tokio::fs::read_to_string("/proc/self/status").await.ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_is_the_nearest_rank() {
        let ms: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&ms, 0.5), Duration::from_millis(50));
        assert_eq!(percentile(&ms, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&ms, 1.0), Duration::from_millis(100));
        assert_eq!(percentile(&ms, 0.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }

    #[tokio::test]
    async fn this_process_has_memory() {
        if cfg!(target_os = "linux") {
            let now = rss_kib().await.expect("VmRSS");
            let peak = peak_rss_kib().await.expect("VmHWM");
            assert!(now > 0 && peak >= now, "{now} {peak}");
        }
    }
}
