//! The attacks of a public mesh, played through the software mesh with the ordinary
//! client API: a handset whose firmware lets it forge `from` (the sim's
//! `allow_spoofing`, as a modified firmware does), a crowd of fresh ids, a node that
//! goes silent, a link that dies. Each test asserts what the victim and the operator
//! see. Link-level forgeries (acks from a third node, text from node 0) are played
//! frame by frame in `firmware-bridge/tests/hostile_link.rs`.

use std::time::Duration;

use meshmush::app::Stopped;
use meshmush::config::Config;
use meshmush::store::{Pin, PinSource};
use meshmush_firmware_bridge::sim::attacker::send_spoofed;
use meshmush_firmware_bridge::sim::{NodeFault, SimConfig};
use meshmush_protocol::packets::{BROADCAST, node_id};
use meshmush_testkit::Kit;
use meshmush_testkit::replies::{recv, silent};

use meshmush::session::IMPOSTOR_REFUSAL;

fn roomy() -> Config {
    let mut cfg = Config::default();
    cfg.limits.burst = 100;
    cfg
}

async fn spoofing_mesh(cfg: Config, handsets: usize) -> Kit {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    Kit::builder(cfg)
        .sim(SimConfig {
            handsets,
            allow_spoofing: true,
            ..SimConfig::default()
        })
        .start()
        .await
        .expect("kit starts")
}

/// Mallory (handset 1) forges `line` as Alice (handset 0); any reply goes to Alice.
async fn send_forged(kit: &Kit, line: &str) {
    let alice = kit.handsets[0].node.num;
    let mallory = kit.handsets[1].node.addr;
    send_spoofed(mallory, alice, kit.bbs, line)
        .await
        .expect("forged packet sent");
}

/// [`send_forged`], and the reply Alice's handset gets.
async fn forge(kit: &mut Kit, line: &str) -> String {
    send_forged(kit, line).await;
    recv(kit, 0, line).await
}

#[tokio::test]
async fn forged_account_changes_are_refused_and_the_victim_is_unaffected() {
    let mut kit = spoofing_mesh(roomy(), 2).await;
    let alice = kit.handsets[0].node.num;
    assert!(kit.ask(0, "whoami").await.ends_with("player, PKI DM"));
    assert_eq!(
        kit.ask(0, "post general mine").await,
        "Posted to general as #1."
    );
    let coins = kit.ask(0, "money").await;
    assert_eq!(
        kit.ask(1, "ping").await,
        "Welcome, Bob! Send help for commands. pong"
    );

    // The first forgery is told, once; nothing after it runs or answers.
    assert_eq!(forge(&mut kit, "password hijack1").await, IMPOSTOR_REFUSAL);
    for line in [
        "pw hijack1 name Mallory",
        "name Mallory",
        "delete general 1",
        "give Bob 5 coins",
        "mail clear",
        "drop coins",
        "whoami",
    ] {
        send_forged(&kit, line).await;
    }
    silent(&mut kit, 0).await;

    // Alice, on her own handset, finds everything as she left it.
    assert!(kit.ask(0, "whoami").await.starts_with("Alice ("));
    assert_eq!(kit.ask(0, "money").await, coins);
    assert!(
        kit.ask(0, "read general 1")
            .await
            .starts_with("general #1 Alice")
    );
    let record = kit.app.store().player(alice).await.unwrap().unwrap();
    assert_eq!(record.password_hash, None, "no password was set for her");
    assert_eq!(record.name, "Alice");
    silent(&mut kit, 0).await;
    kit.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_node_with_another_key_is_flagged_until_a_wizard_repins_it() {
    let mut cfg = roomy();
    let kit = spoofing_mesh(cfg.clone(), 2).await;
    let alice = kit.handsets[0].node.num;
    let bob = kit.handsets[1].node.num;
    kit.stop().await.expect("stop");
    // Bob is the operator's admin node; Alice's key was pinned as some other key.
    cfg.admin.nodes = vec![node_id(bob)];
    let mut kit = spoofing_mesh(cfg, 2).await;
    let other = Pin {
        node: alice,
        key: vec![7; 32],
        source: PinSource::Packet,
        pinned_at: 0,
        seen_pki: true,
    };
    kit.app.store().set_pin(other).await.unwrap();
    assert_eq!(kit.ask(0, "whoami").await, IMPOSTOR_REFUSAL);
    kit.handsets[0]
        .link
        .send_text(
            kit.bbs,
            meshmush_protocol::packets::PRIMARY_CHANNEL,
            "name Alicia",
        )
        .await
        .expect("sent");
    silent(&mut kit, 0).await;
    assert_eq!(
        kit.app.store().player(alice).await.unwrap().unwrap().name,
        "Alice",
        "an impostor renames nobody"
    );
    assert_eq!(
        kit.ask(1, &format!("@repin {}", node_id(alice))).await,
        "Welcome, Bob! Send help for commands. Unpinned Alice: the next key it uses is pinned."
    );
    assert!(kit.ask(0, "whoami").await.ends_with("player, PKI DM"));
    let pin = kit.app.store().pin(alice).await.unwrap().unwrap();
    assert_ne!(pin.key, vec![7; 32], "her real key is pinned now");
    assert_eq!(kit.ask(0, "name Alicia").await, "You are now Alicia.");
    kit.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_flood_of_fresh_ids_gets_a_small_slice_and_no_real_post_expires() {
    let mut cfg = roomy();
    cfg.bbs.posts_kept = 5;
    cfg.limits.newcomers_burst = 4;
    cfg.bbs.newcomer_posts_per_hour = 2;
    let mut kit = spoofing_mesh(cfg, 2).await;
    // Alice has been around for days.
    assert_eq!(
        kit.ask(0, "ping").await,
        "Welcome, Alice! Send help for commands. pong"
    );
    let alice = kit.handsets[0].node.num;
    let mut old = kit.app.store().player(alice).await.unwrap().unwrap();
    old.created = old.created.saturating_sub(7 * 86_400);
    kit.app.store().update_player(old).await.unwrap();
    assert_eq!(
        kit.ask(0, "post general real news").await,
        "Posted to general as #1."
    );

    let mallory = kit.handsets[1].node.addr;
    for i in 0..100u32 {
        let fresh = 0x7000_0000 + i;
        send_spoofed(mallory, fresh, kit.bbs, &format!("post general spam {i}"))
            .await
            .expect("forged packet sent");
    }
    // Known players keep being answered during and after the flood.
    assert_eq!(kit.ask(0, "ping").await, "pong");
    let players = kit.app.store().players_count().await.unwrap();
    assert!(
        players <= 2 + 4,
        "{players} player records: fresh ids share a slice"
    );
    assert!(kit.ask(0, "read general 1").await.ends_with("real news"));
    let listing = kit.ask(0, "read general").await;
    let spam = listing.matches("spam").count();
    assert!(
        spam <= 2,
        "new players all together post 2 an hour: {listing}"
    );
    kit.stop().await.expect("clean stop");
}

/// The welcome for newly heard nodes is sent to whatever `from` a channel packet
/// carries: a flood of forged senders draws the shared hourly allowance, no more.
#[tokio::test]
async fn forged_channel_senders_draw_at_most_the_hourly_welcomes() {
    let mut cfg = roomy();
    cfg.bbs.welcome_new_nodes = true;
    let mut kit = spoofing_mesh(cfg, 2).await;
    let mallory = kit.handsets[1].node.addr;
    let fresh = |i: u32| 0x7100_0000 + i;
    for i in 0..60u32 {
        send_spoofed(mallory, fresh(i), BROADCAST, "hello all")
            .await
            .expect("forged packet sent");
    }
    // Alice is answered during and after it.
    assert_eq!(
        kit.ask(0, "ping").await,
        "Welcome, Alice! Send help for commands. pong"
    );
    // Give every forged sender's greeting time to be decided.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let store = kit.app.store();
    let mut greeted = 0;
    for i in 0..60u32 {
        if store.greeted(fresh(i)).await.unwrap() {
            greeted += 1;
        }
    }
    assert!(
        greeted == 20,
        "{greeted} forged senders greeted: the first 20, then none this hour"
    );
    assert_eq!(store.players_count().await.unwrap(), 1, "no player made");
    kit.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_silent_node_is_noticed_and_the_link_comes_back() {
    let mut kit = Kit::builder(roomy())
        .sim(SimConfig {
            handsets: 1,
            ..SimConfig::default()
        })
        .daemon_link(|mut l| {
            l.idle_timeout = Duration::from_millis(400);
            l.handshake_timeout = Duration::from_millis(400);
            l.heartbeat_interval = Duration::from_secs(3600);
            l
        })
        .start()
        .await
        .expect("kit starts");
    assert_eq!(
        kit.ask(0, "ping").await,
        "Welcome, Alice! Send help for commands. pong"
    );
    let gateway = kit.sim().expect("sim").gateway().num;
    kit.sim()
        .expect("sim")
        .node_fault(gateway, NodeFault::Silent);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while kit.app.link().metrics().watchdog_resets == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "silence never noticed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    kit.app.link().connected().await.expect("reconnected");
    assert_eq!(
        kit.ask(0, "ping").await,
        "pong",
        "answered again after the reconnect"
    );
    kit.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_dead_link_stops_the_daemon_as_a_failure() {
    let kit = Kit::builder(roomy()).start().await.expect("kit starts");
    kit.app.link().shutdown().await;
    let why = tokio::time::timeout(Duration::from_secs(10), kit.app.stopped()).await;
    let why = why.expect("the daemon notices");
    assert_eq!(why, Stopped::LinkEnded);
    assert!(
        why.is_failure(),
        "so `meshmush run` exits non-zero and systemd restarts it"
    );
    kit.stop().await.expect("clean stop");
}
