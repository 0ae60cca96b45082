//! The attacks of a public mesh, played through the software mesh with the ordinary
//! client API: a handset whose firmware lets it forge `from` (the sim's
//! `allow_spoofing`, as a modified firmware does), a crowd of fresh ids, a node that
//! goes silent, a link that dies. Each test asserts what the victim and the operator
//! see. Link-level forgeries (acks from a third node, text from node 0) are played
//! frame by frame in `firmware-bridge/tests/bridge/hostile_link.rs`.

use std::time::Duration;

use meshmush::app::Stopped;
use meshmush::config::Config;
use meshmush::store::{Pin, PinSource};
use meshmush_firmware_bridge::sim::attacker::send_spoofed;
use meshmush_firmware_bridge::sim::{NodeFault, SimConfig, public_key_of};
use meshmush_protocol::packets::{BROADCAST, node_id};
use meshmush_testkit::Kit;
use meshmush_testkit::replies::{recv, silent};

use meshmush::commands::account::NO_KEY_TO_PIN;
use meshmush::session::impostor_refusal;

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
        .sim(SimConfig::spoofing(handsets))
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
    assert!(
        kit.ask(0, "whoami")
            .await
            .ends_with("player, proven sender")
    );
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
    assert_eq!(
        forge(&mut kit, "password hijack1").await,
        impostor_refusal(Default::default())
    );
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
    assert_eq!(
        kit.ask(0, "whoami").await,
        impostor_refusal(Default::default())
    );
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
    assert!(
        kit.ask(0, "whoami")
            .await
            .ends_with("player, proven sender")
    );
    let pin = kit.app.store().pin(alice).await.unwrap().unwrap();
    assert_ne!(pin.key, vec![7; 32], "her real key is pinned now");
    assert_eq!(kit.ask(0, "name Alicia").await, "You are now Alicia.");
    kit.stop().await.expect("clean stop");
}

/// Guessing a password by forging its node's `from`: three wrong ones lock the node
/// (and so its account) for 30 s, doubling after; while locked, no password is even
/// checked. The lock is on the node and the account, not the radio that sent the
/// packet (a forged `from` cannot be told from the real one), so the real owner waits
/// too: the accepted price, and a wizard sees the lock (`@pwlocks`) and can lift it.
#[tokio::test]
async fn a_node_guessing_passwords_is_locked_out_and_the_owner_waits_too() {
    let mut cfg = roomy();
    let kit = spoofing_mesh(cfg.clone(), 3).await;
    let bob = kit.handsets[2].node.num;
    kit.stop().await.expect("stop");
    cfg.admin.nodes = vec![node_id(bob)];
    let mut kit = spoofing_mesh(cfg, 3).await;
    let alice = kit.handsets[0].node.num;
    // Handsets on firmware without PKI: plain DMs, which anyone can forge.
    kit.sim().expect("sim").faults().set_pki(false);
    assert!(
        kit.ask(0, "password secret1")
            .await
            .ends_with("Password set. Use it as: pw PASS COMMAND, e.g. pw PASS name NEWNAME")
    );

    assert_eq!(
        forge(&mut kit, "pw guess1 name Mallory").await,
        "Wrong password."
    );
    assert_eq!(
        forge(&mut kit, "pw guess2 name Mallory").await,
        "Wrong password."
    );
    assert_eq!(
        forge(&mut kit, "pw guess3 name Mallory").await,
        "Wrong password. Too many wrong passwords: try again in 30 s."
    );
    // Even the right password is not checked now, from whoever sends it.
    let refused = forge(&mut kit, "pw secret1 name Mallory").await;
    assert!(
        refused.starts_with("Too many wrong passwords: try again in "),
        "{refused}"
    );
    let refused = kit.ask(0, "pw secret1 ping").await;
    assert!(
        refused.starts_with("Too many wrong passwords: try again in "),
        "{refused}"
    );
    let record = kit.app.store().player(alice).await.unwrap().unwrap();
    assert_eq!(record.name, "Alice");

    // The operator's wizard sees it (on a PKI DM, as admin nodes must).
    kit.sim().expect("sim").faults().set_pki(true);
    let locks = kit.ask(2, "@pwlocks").await;
    assert!(
        locks.contains(&format!("node {} Alice: 3 wrong, locked ", node_id(alice)))
            && locks.contains(&format!(
                "account {} Alice: 3 wrong, not locked",
                node_id(alice)
            )),
        "{locks}"
    );
    assert!(
        kit.ask(2, &format!("@pwlocks clear {}", node_id(alice)))
            .await
            .ends_with("Cleared Alice's wrong passwords.")
    );
    kit.sim().expect("sim").faults().set_pki(false);
    assert_eq!(kit.ask(0, "pw secret1 ping").await, "pong");
    kit.stop().await.expect("clean stop");
}

/// A handset that really changed its key (a reflash) looks like an impostor to the
/// old pin; `pw PASS repin` from it, a PKI DM bringing the new key, proves the account
/// by the password and pins the new key. Without the password, or forged in plain
/// text, it is refused, and nothing else from the new key runs until then.
#[tokio::test]
async fn a_reflashed_handset_repins_itself_with_its_password() {
    let mut kit = spoofing_mesh(roomy(), 2).await;
    let alice = kit.handsets[0].node.num;
    assert!(
        kit.ask(0, "password secret1")
            .await
            .ends_with("Password set. Use it as: pw PASS COMMAND, e.g. pw PASS name NEWNAME")
    );
    // Her node was pinned with the key her handset had before the reflash.
    let old = Pin {
        node: alice,
        key: vec![7; 32],
        source: PinSource::Packet,
        pinned_at: 0,
        seen_pki: true,
    };
    kit.app.store().set_pin(old).await.unwrap();
    kit.app.roster().mark_stale(alice);

    assert_eq!(
        kit.ask(0, "whoami").await,
        impostor_refusal(Default::default())
    );
    kit.handsets[0]
        .link
        .send_text(
            kit.bbs,
            meshmush_protocol::packets::PRIMARY_CHANNEL,
            "pw secret1 name Alicia",
        )
        .await
        .expect("sent");
    silent(&mut kit, 0).await;
    // What waits for the node's owner does not ride on a reply to an unproven key.
    kit.app
        .roster()
        .queue_notice(alice, "New mail from Bob: hi".into(), true);
    assert_eq!(
        kit.ask(0, "repin").await,
        "repin needs your password: send pw PASS repin from the new handset."
    );
    assert!(kit.app.roster().has_notices(alice));
    assert_eq!(kit.ask(0, "pw wrong99 repin").await, "Wrong password.");
    // A forger who knows the password still has no key to pin: plain text carries none.
    assert_eq!(forge(&mut kit, "pw secret1 repin").await, NO_KEY_TO_PIN);
    assert_eq!(
        kit.app.store().pin(alice).await.unwrap().map(|p| p.key),
        Some(vec![7; 32]),
        "still the old key"
    );

    assert_eq!(
        kit.ask(0, "pw secret1 repin").await,
        "Repinned: this handset's key is now the one your node is known by."
    );
    let pin = kit.app.store().pin(alice).await.unwrap().expect("pinned");
    assert_eq!(pin.key, public_key_of(alice), "her handset's real key");
    assert!(
        kit.ask(0, "whoami")
            .await
            .ends_with("player, proven sender")
    );
    assert_eq!(kit.ask(0, "name Alicia").await, "You are now Alicia.");
    // And the pin holds again: forged plain text is an impostor (told once an hour,
    // and it was told already).
    send_forged(&kit, "pw secret1 name Mallory").await;
    silent(&mut kit, 0).await;
    assert_eq!(
        kit.app.store().player(alice).await.unwrap().unwrap().name,
        "Alicia"
    );
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

/// Firmware 2.8 signs plain broadcasts (XEdDSA; the sim's `signing`). Once Alice has
/// proved her key with a PKI DM, her signed channel command is hers: the signature is
/// checked against her pin. Mallory's forged broadcast as Alice can only carry
/// Mallory's own signature, so the node drops it and nothing of Alice's changes.
#[tokio::test]
async fn signed_channel_commands_prove_the_sender_and_forged_ones_are_dropped() {
    let mut cfg = roomy();
    cfg.replies.channel_prefix = "bbs".into();
    let sim = SimConfig {
        signing: true,
        ..SimConfig::spoofing(2)
    };
    let mut kit = Kit::builder(cfg)
        .sim(sim)
        .start()
        .await
        .expect("kit starts");
    let alice = kit.handsets[0].node.num;
    assert!(
        kit.ask(0, "whoami")
            .await
            .ends_with("player, proven sender")
    );

    kit.handsets[0]
        .send_channel("bbs whoami")
        .await
        .expect("channel text sent");
    let reply = recv(&mut kit, 0, "bbs whoami").await;
    assert!(
        reply.ends_with("player, proven sender"),
        "a signed channel command is Alice's: {reply:?}"
    );

    let mallory = kit.handsets[1].node.addr;
    send_spoofed(mallory, alice, BROADCAST, "bbs name Mallory")
        .await
        .expect("forged packet sent");
    silent(&mut kit, 0).await;
    let record = kit.app.store().player(alice).await.unwrap().unwrap();
    assert_eq!(record.name, "Alice");
    kit.stop().await.expect("clean stop");
}

/// Without signatures the same channel command from Alice's own handset proves
/// nothing: plain text from a node that uses PKI is taken for an impostor.
#[tokio::test]
async fn unsigned_channel_commands_from_a_pki_node_are_not_trusted() {
    let mut cfg = roomy();
    cfg.replies.channel_prefix = "bbs".into();
    let mut kit = spoofing_mesh(cfg, 2).await;
    assert!(
        kit.ask(0, "whoami")
            .await
            .ends_with("player, proven sender")
    );
    kit.handsets[0]
        .send_channel("bbs whoami")
        .await
        .expect("channel text sent");
    assert_eq!(
        recv(&mut kit, 0, "bbs whoami").await,
        impostor_refusal(Default::default())
    );
    kit.stop().await.expect("clean stop");
}
