//! Figure 3: radio-loop health while the store stalls.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::figures::BenchError;
use super::rig::Rig;
use meshmush::lagprobe::LagStats;
use meshmush::store::StoreOptions;
use meshmush_testkit::stats::percentile;

/// Heartbeats during the run: often enough to sample the link's promptness.
const HEARTBEAT: Duration = Duration::from_millis(100);

/// What figure 3 saw; `None` where nothing came back within the run.
pub(super) struct Stall {
    /// The event loop's lateness (`None`: the probe never woke).
    pub lag: Option<LagStats>,
    /// Heartbeat due to its `queueStatus` answer handled: the radio link's own pulse.
    pub heartbeat_mean: Option<Duration>,
    pub heartbeat_max: Option<Duration>,
    /// A player whose command needs no store call.
    pub free_p99: Option<Duration>,
}

/// Figure 3: store latency injected, `busy` players hammering the store; the lag
/// probe, the link's heartbeat delays, and a store-free player's latency.
pub(super) async fn stall(
    store_latency: Duration,
    naive: bool,
    busy: u32,
    run: Duration,
) -> Result<Stall, BenchError> {
    let opts = StoreOptions {
        latency: Some(store_latency),
        naive_inline: naive,
        ..StoreOptions::default()
    };
    let (rig, _) = Rig::start(opts, HEARTBEAT).await?;
    let rig = Arc::new(rig);
    let mut quiet = rig.player(busy).await;
    rig.ask(busy, "ping", &mut quiet).await;
    rig.kit.app.lag_probe().reset();
    let before = rig.kit.app.link().metrics();
    let deadline = Instant::now() + run;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..busy {
        let rig = rig.clone();
        tasks.spawn(async move {
            let mut rx = rig.player(n).await;
            while Instant::now() < deadline {
                if rig.ask(n, "boards", &mut rx).await.is_none() {
                    break;
                }
            }
        });
    }
    let mut free = Vec::new();
    while Instant::now() < deadline {
        if let Some(d) = rig.ask(busy, "ping", &mut quiet).await {
            free.push(d);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // After the busy players' last commands: in the naive design the event loop is
    // blocked until then, and the probe's and the heartbeats' late wakes land there.
    while tasks.join_next().await.is_some() {}
    let lag = rig.kit.app.lag();
    let after = rig.kit.app.link().metrics();
    free.sort_unstable();
    let answered = after.heartbeats_answered - before.heartbeats_answered;
    let stall = Stall {
        lag: (lag.samples > 0).then_some(lag),
        heartbeat_mean: (answered > 0).then(|| {
            (after.heartbeat_delay_total - before.heartbeat_delay_total) / answered as u32
        }),
        // The longest since start-up; the warm-up's are short, the run's are not.
        heartbeat_max: (answered > 0).then_some(after.heartbeat_delay_max),
        free_p99: (!free.is_empty()).then(|| percentile(&free, 0.99)),
    };
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok(stall)
}
