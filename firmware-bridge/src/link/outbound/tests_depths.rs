//! The per-class depths the link publishes are kept as lanes change (not counted over
//! every lane per packet): whatever happens to the queue, they equal a recount.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::tests::{queue, reply, status};
use super::*;

/// Packets queued or in flight per class, counted lane by lane.
fn recount(q: &Outbound) -> [usize; 5] {
    let mut depths = [0; 5];
    for (key, lane) in &q.lanes {
        depths[key.2.index()] += lane.len();
    }
    depths
}

#[tokio::test(start_paused = true)]
async fn class_depths_equal_a_recount_through_sends_acks_failures_splits_expiry_and_reconnects() {
    let mut rng = StdRng::seed_from_u64(26);
    let mut q = queue();
    let mut now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let mut flying: Vec<u32> = Vec::new();
    for step in 0..4000 {
        match rng.random_range(0..100) {
            0..30 => {
                let class = Class::ALL[rng.random_range(0..Class::ALL.len())];
                let dest = rng.random_range(1..20);
                let text = "x ".repeat(rng.random_range(1..120));
                let _ = q.push(dest, PRIMARY_CHANNEL, class, reply(&text), now);
            }
            30..55 => {
                if let Some((chunk, _)) = q.next_ready(now) {
                    flying.push(chunk.id);
                }
            }
            55..85 if !flying.is_empty() => {
                let id = flying.swap_remove(rng.random_range(0..flying.len()));
                let error = match rng.random_range(0..5) {
                    0 => Some(routing::Error::MaxRetransmit),
                    1 => Some(routing::Error::TooLarge),
                    2 => Some(routing::Error::PkiSendFailPublicKey),
                    _ => None,
                };
                let _ = q.on_routing(id, error, now);
                q.on_queue_status(&status(16, id), now);
            }
            85..92 => {
                now += Duration::from_secs(rng.random_range(1..400));
                let _ = q.check_timeouts(now);
                let _ = q.wait(now);
            }
            92..94 => {
                q.on_disconnect();
                flying.clear();
                q.on_queue_status(&status(16, 0), now);
            }
            94..96 => q.key_learned(rng.random_range(1..20)),
            _ => {}
        }
        let _ = q.take_dropped();
        assert_eq!(q.class_depths(), recount(&q), "after step {step}");
        assert_eq!(q.depth(), recount(&q).iter().sum::<usize>());
    }
}
