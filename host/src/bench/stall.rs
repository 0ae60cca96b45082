//! Figure 3: radio-loop health while the store stalls.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::percentile;
use super::rig::Rig;
use crate::store::{StoreError, StoreOptions};

/// Figure 3: store latency injected, `busy` players hammering the store; the lag
/// probe and a store-free player's latency.
pub(super) async fn stall(
    store_latency: Duration,
    naive: bool,
    busy: u32,
    run: Duration,
) -> Result<(Duration, Duration, Duration), StoreError> {
    let opts = StoreOptions {
        latency: Some(store_latency),
        naive_inline: naive,
        ..StoreOptions::default()
    };
    let (rig, _) = Rig::start(opts).await?;
    let rig = Arc::new(rig);
    let mut quiet = rig.player(busy).await;
    rig.ask(busy, "ping", &mut quiet).await;
    rig.app.lag_probe().reset();
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
    while tasks.join_next().await.is_some() {}
    let lag = rig.app.lag();
    free.sort_unstable();
    // No answer at all within the run: not a latency, a stall (NaN, `null` in JSON).
    let p99_free = if free.is_empty() {
        Duration::MAX
    } else {
        percentile(&free, 0.99)
    };
    if let Ok(rig) = Arc::try_unwrap(rig) {
        rig.stop().await;
    }
    Ok((lag.p99, lag.max, p99_free))
}
