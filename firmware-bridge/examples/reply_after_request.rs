//! On the multi-hop model alone (`random:30:218`, figure 16's mesh): how often a DM
//! reply reaches a player when the BBS's node sends it 200 ms after the player's
//! request reached it, against a minute later on a quiet mesh. 40 seeds per player.
//! `cargo run --release -p meshmush-firmware-bridge --example reply_after_request`

use meshmush_firmware_bridge::sim::multihop::{Output, RadioMesh, RadioParams, Send, Topology};
fn main() {
    let t = Topology::parse("random:30:218", RadioParams::default()).unwrap();
    let nums: Vec<u32> = (0..30u32).map(|k| 0x4d4d_1000 + k + 1).collect();
    let bbs = nums[0];
    for (p, label) in [(1usize, "h0"), (2, "h1"), (3, "h2"), (5, "h2"), (4, "h3")] {
        for gap_ms in [200u64, 60_000] {
            let mut ok = 0;
            let mut req_ok = 0;
            let n = 40;
            for trial in 0..n {
                let mut m: RadioMesh<()> = RadioMesh::new(t.clone(), &nums, trial as u64 + 7);
                let pn = nums[p];
                m.send(
                    pn,
                    Send {
                        to: bbs,
                        id: 1,
                        want_ack: true,
                        hop_limit: 3,
                        request_id: 0,
                        phy_len: 40,
                        payload: (),
                    },
                );
                // until the BBS decodes the request
                let mut got = false;
                while m.step() {
                    if m.take_outputs()
                        .iter()
                        .any(|o| matches!(o, Output::Delivered{node, ..} if *node == bbs))
                    {
                        got = true;
                        break;
                    }
                }
                if !got {
                    continue;
                }
                req_ok += 1;
                let now = m.now();
                m.run_until(now + gap_ms * 1000);
                m.send(
                    bbs,
                    Send {
                        to: pn,
                        id: 2,
                        want_ack: true,
                        hop_limit: 3,
                        request_id: 0,
                        phy_len: 120,
                        payload: (),
                    },
                );
                let now = m.now();
                m.run_until(now + 300_000_000);
                if m.take_outputs().iter().any(|o| matches!(o, Output::Delivered{node, frame, ..} if *node == pn && frame.id == 2)) { ok += 1; }
            }
            println!(
                "{label} node {p}: reply {gap_ms} ms after the request arrived: request {req_ok}/{n}, reply delivered {ok}/{req_ok}"
            );
        }
    }
}
