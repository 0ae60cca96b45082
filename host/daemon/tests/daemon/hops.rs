//! Replies sized to the sender's distance, on the software mesh with a handset placed
//! some hops away (the sim's `Placed` fault: its packets arrive with hops spent, and a
//! text reaches it only with a hop limit that goes that far). What the handset reads
//! is the reply's `hop_start`, the hop limit the BBS's node sent it with.

use meshmush::config::{Config, HopRule};
use meshmush_firmware_bridge::sim::Placed;
use meshmush_testkit::Kit;
use meshmush_testkit::replies::{QUIET, collect};

use crate::common::{WAIT, roomy};

/// A kit of one handset, placed as `placed` before it first speaks.
async fn kit(cfg: Config, data: &std::path::Path, placed: Placed) -> Kit {
    let kit = Kit::builder(cfg)
        .handsets(1)
        .data(data)
        .start()
        .await
        .expect("mesh, daemon and handset start");
    let node = kit.handsets[0].node.num;
    kit.sim().expect("sim").faults().place(node, Some(placed));
    kit
}

/// Sends `text` and returns the reply's text and the hop_start of each packet.
async fn ask(kit: &mut Kit, text: &str) -> (String, Vec<u32>) {
    let bbs = kit.bbs;
    kit.handsets[0].send(bbs, text).await.expect("sent");
    let reply = collect(&mut kit.handsets[0], WAIT, QUIET * 10, |_| false)
        .await
        .unwrap_or_else(|| panic!("no reply to {text:?}"));
    let hops = reply.packets.iter().map(|p| p.hop_start).collect();
    (reply.text(), hops)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_rule_sizes_a_first_contact_reply_and_the_learned_one_stays_low() {
    // Two hops away both ways, the node's limit 5: the learned rule starts at
    // h + 1 = 3, the firmware's rule gives h + 2 = 4, fixed:5 is 5.
    let both = Placed {
        heard_at: 2,
        reached_at: 2,
    };
    for (rule, first) in [
        (HopRule::Learned, 3),
        (HopRule::Firmware, 4),
        (HopRule::Fixed(5), 5),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cfg = roomy();
        cfg.replies.hop_limit = 5;
        cfg.replies.hop_rule = rule;
        let mut kit = kit(cfg, dir.path(), both).await;
        let (text, hops) = ask(&mut kit, "ping").await;
        assert!(text.starts_with("Welcome, "), "{text}");
        assert!(hops.iter().all(|h| *h == first), "{rule}: {hops:?}");
        if rule == HopRule::Learned {
            // Every reply is delivered at 3: it stays there (never below h + 1).
            for _ in 0..6 {
                let (text, hops) = ask(&mut kit, "ping").await;
                assert_eq!((text.as_str(), hops), ("pong", vec![3]));
            }
            // `seen` tells the player what the BBS heard of them.
            let num = kit.handsets[0].node.num;
            let (seen, _) = ask(&mut kit, &format!("seen !{num:08x}")).await;
            assert!(
                seen.starts_with(&format!("!{num:08x}: heard just now, 2 hops, SNR 6."))
                    && seen.ends_with("dB. DM route: likely, acked just now."),
                "{seen}"
            );
        }
        kit.stop().await.expect("clean shutdown");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_too_short_for_the_way_back_goes_again_at_the_limit_and_is_remembered() {
    // Heard as a neighbour, but the way back takes two hops.
    let dir = tempfile::tempdir().expect("tempdir");
    let uneven = Placed {
        heard_at: 0,
        reached_at: 2,
    };
    let mut kit = kit(roomy(), dir.path(), uneven).await;
    // First contact goes at h + 1 = 1, is not delivered, and goes again at once at
    // the configured 3: the player reads it once, from the second sending.
    let (text, hops) = ask(&mut kit, "ping").await;
    assert!(text.starts_with("Welcome, "), "{text}");
    assert!(hops.iter().all(|h| *h == 3), "{hops:?}");
    // The limit rose to 2, which reaches.
    assert_eq!(ask(&mut kit, "ping").await, ("pong".to_string(), vec![2]));
    // A restart keeps it: not 1 again (as a first contact at h + 1 would be).
    let mut kit = kit.restart().await.expect("restart");
    assert_eq!(ask(&mut kit, "ping").await, ("pong".to_string(), vec![2]));
    kit.stop().await.expect("clean shutdown");
}
