//! On the multi-hop model alone (`random:30:218`, figure 16's mesh): how often a DM
//! reply reaches a player when the BBS's node sends it some time after the player's
//! request reached it (from 200 ms to a minute), and how long the request's own flood
//! (its relays, and the BBS node's ACK with its relays) goes on after the request
//! reached the BBS. 100 seeds per player; request and reply at hop limit 3.
//! `cargo run --release -p meshmush-firmware-bridge --example reply_after_request`

use meshmush_firmware_bridge::sim::multihop::{Output, RadioMesh, RadioParams, Send, Topology};

const TRIALS: u64 = 100;
const GAPS_MS: [u64; 10] = [
    200, 1_000, 2_000, 3_000, 3_500, 4_000, 5_000, 6_000, 8_000, 60_000,
];

fn send(to: u32, id: u32, phy_len: usize) -> Send<()> {
    Send {
        to,
        id,
        want_ack: true,
        hop_limit: 3,
        request_id: 0,
        phy_len,
        payload: (),
    }
}

/// Runs `m` until `node` decodes packet `id`; its decode time.
fn until_decoded(m: &mut RadioMesh<()>, node: u32, id: u32) -> Option<u64> {
    while m.step() {
        if m.take_outputs().iter().any(
            |o| matches!(o, Output::Delivered { node: n, frame, .. } if *n == node && frame.id == id),
        ) {
            return Some(m.now());
        }
    }
    None
}

fn main() {
    let t = Topology::parse("random:30:218", RadioParams::default()).expect("topology");
    let nums: Vec<u32> = (0..30u32).map(|k| 0x4d4d_1000 + k + 1).collect();
    let bbs = nums[0];
    for (p, label) in [(1usize, "h0"), (2, "h1"), (3, "h2"), (5, "h2"), (4, "h3")] {
        let pn = nums[p];
        // How long the request's flood and the BBS node's ACK stay on air after the
        // request reached the BBS, on an otherwise quiet mesh.
        let mut tails = Vec::new();
        for trial in 0..TRIALS {
            let mut m: RadioMesh<()> = RadioMesh::new(t.clone(), &nums, trial + 7);
            m.send(pn, send(bbs, 1, 40));
            let Some(at) = until_decoded(&mut m, bbs, 1) else {
                continue;
            };
            m.run_until(at + 120_000_000);
            let end = m
                .trace()
                .iter()
                .filter(|r| (r.from == pn && r.id == 1) || r.request_id == 1)
                .map(|r| r.at + r.airtime)
                .max()
                .unwrap_or(at);
            tails.push(end.saturating_sub(at) as f64 / 1e6);
        }
        tails.sort_by(f64::total_cmp);
        let q = |f: f64| {
            tails
                .get(((tails.len() as f64 - 1.0) * f) as usize)
                .copied()
        };
        println!(
            "{label} node {p}: the request's flood and ACK end after it reached the BBS: p50 {:.1} s, p90 {:.1} s, max {:.1} s ({} runs)",
            q(0.5).unwrap_or(0.0),
            q(0.9).unwrap_or(0.0),
            q(1.0).unwrap_or(0.0),
            tails.len()
        );
        for gap_ms in GAPS_MS {
            let (mut ok, mut req_ok) = (0, 0);
            for trial in 0..TRIALS {
                let mut m: RadioMesh<()> = RadioMesh::new(t.clone(), &nums, trial + 7);
                m.send(pn, send(bbs, 1, 40));
                let Some(at) = until_decoded(&mut m, bbs, 1) else {
                    continue;
                };
                req_ok += 1;
                m.run_until(at + gap_ms * 1000);
                m.send(bbs, send(pn, 2, 120));
                let now = m.now();
                m.run_until(now + 300_000_000);
                if m.take_outputs().iter().any(|o| {
                    matches!(o, Output::Delivered { node, frame, .. } if *node == pn && frame.id == 2)
                }) {
                    ok += 1;
                }
            }
            println!(
                "{label} node {p}: reply {gap_ms} ms after the request arrived: request {req_ok}/{TRIALS}, reply delivered {ok}/{req_ok}"
            );
        }
    }
}
