//! The daemon over the software mesh: what a person with a handset sees.

use std::time::{Duration, Instant};

use crate::common::{WAIT, roomy, world};
use meshmush::config::Config;
use meshmush::store::StoreOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_help_and_unknown_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(w.ask(0, "ping").await, "pong");
    let help = w.ask(0, "help").await;
    assert!(
        help.starts_with("BBS: boards read post next mail.")
            && help.ends_with("; lang en de es")
            && help.len() <= 140,
        "one short packet: {help}"
    );
    let all = w.ask(0, "help all").await;
    assert!(
        all.starts_with("help lang ping quit seen whoami name password"),
        "{all}"
    );
    assert_eq!(
        w.ask(0, "help ping").await,
        "ping: check the BBS is listening"
    );
    assert_eq!(w.ask(0, "PI").await, "pong", "unambiguous prefix, any case");
    let unknown = w.ask(0, "pnig").await;
    assert!(unknown.contains("Did you mean ping"), "{unknown}");
    assert_eq!(w.ask(0, "quit").await, "Bye, Alice. Everything is saved.");
    assert_eq!(w.ask(0, "ping").await, "pong", "a new session after quit");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_contact_is_welcomed_once() {
    let mut w = meshmush_testkit::Kit::builder(roomy())
        .handsets(1)
        .start()
        .await
        .expect("kit");
    assert_eq!(
        w.ask(0, "ping").await,
        "Welcome, Alice! Send help for commands. pong"
    );
    assert_eq!(w.ask(0, "ping").await, "pong");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_handsets_get_their_own_players() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, Config::default(), dir.path(), StoreOptions::default()).await;
    let alice = w.ask(0, "whoami").await;
    let bob = w.ask(1, "whoami").await;
    assert!(
        alice.starts_with("Alice (!4d4d1001), player, proven sender"),
        "{alice}"
    );
    assert!(bob.starts_with("Bob (!4d4d1002)"), "{bob}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_gets_one_notice_and_does_not_slow_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, Config::default(), dir.path(), StoreOptions::default()).await;
    let baseline = {
        let t = Instant::now();
        w.ask(1, "ping").await;
        t.elapsed()
    };
    let bbs = w.bbs;
    for i in 0..200 {
        w.handsets[0].send(bbs, &format!("ping {i}")).await.unwrap();
    }
    let during = {
        let t = Instant::now();
        assert_eq!(w.ask(1, "ping").await, "pong");
        t.elapsed()
    };
    let replies = w.handsets[0]
        .texts_until_quiet(Duration::from_secs(2))
        .await;
    let texts: Vec<&str> = replies.iter().map(|t| t.text.as_str()).collect();
    // Alice's first contact was the kit's greeting: her burst is four more.
    let notices = texts.iter().filter(|t| t.starts_with("Slow down")).count();
    assert_eq!(notices, 1, "{texts:?}");
    assert_eq!(
        texts.iter().filter(|t| **t == "pong").count(),
        4,
        "the burst of five: {texts:?}"
    );
    assert_eq!(texts.len(), 5, "{texts:?}");
    assert!(
        during < baseline + Duration::from_millis(500),
        "Bob waited {during:?} (baseline {baseline:?})"
    );
    assert!(during < WAIT);
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_command_is_refused_politely() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    cfg.limits.max_command_bytes = 20;
    let mut w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    let reply = w.ask(0, &"x".repeat(30)).await;
    assert_eq!(
        reply,
        "That is too long (30 bytes); keep commands under 20."
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_powers_need_a_pki_dm() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    cfg.admin.nodes = vec!["!4d4d1001".into()];
    let mut w = world(2, cfg, dir.path(), StoreOptions::default()).await;
    assert!(
        w.ask(0, "whoami")
            .await
            .starts_with("Alice (!4d4d1001), wizard, proven sender")
    );
    assert!(
        w.ask(1, "whoami").await.contains(", player, "),
        "Bob is no admin"
    );
    // Plain text from a node seen using PKI is not that node: nothing runs for it,
    // not even `whoami`, and it is told so (once an hour).
    w.mesh().expect("software mesh").faults().set_pki(false);
    let forged = w.ask(0, "whoami").await;
    assert_eq!(
        forged,
        meshmush::session::impostor_refusal(Default::default())
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_proves_one_command_across_restarts() {
    // A handset that never sends PKI DMs (older firmware): its password is its proof.
    let dir = tempfile::tempdir().unwrap();
    let mut w = meshmush_testkit::Kit::builder(roomy())
        .handsets(1)
        .data(dir.path())
        .start()
        .await
        .expect("kit");
    w.sim().expect("sim").faults().set_pki(false);
    let set = w.ask(0, "password hunter22").await;
    assert!(
        set.starts_with("Welcome, Alice! Send help for commands. Password set."),
        "{set}"
    );
    assert_eq!(w.ask(0, "pw hunter22 name Ada").await, "You are now Ada.");
    w.stop().await.expect("clean shutdown");

    let mut w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    w.sim().expect("sim").faults().set_pki(false);
    assert!(
        w.ask(0, "whoami").await.starts_with("Ada ("),
        "the name survived a restart"
    );
    assert_eq!(
        w.ask(0, "name Eve").await,
        "name changes your account: send it as a PKI DM, or pw PASS name ..."
    );
    assert_eq!(w.ask(0, "pw wrong name Eve").await, "Wrong password.");
    assert_eq!(w.ask(0, "pw hunter22 name Eve").await, "You are now Eve.");
    assert_eq!(
        w.ask(0, "name Mallory").await,
        "name changes your account: send it as a PKI DM, or pw PASS name ...",
        "the password proved one command, not the session"
    );
    assert_eq!(
        w.ask(0, "pw hunter22 name me").await,
        "\"me\" is reserved; pick another name."
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hil_check_passes_against_the_software_gateway() {
    let mesh =
        meshmush_firmware_bridge::sim::Mesh::start(meshmush_firmware_bridge::sim::SimConfig {
            handsets: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let cfg = meshmush_firmware_bridge::link::LinkConfig::new(
        meshmush_firmware_bridge::Transport::tcp(&mesh.gateway().addr.to_string()),
    );
    let report = meshmush::hilcheck::run(cfg, None, Duration::from_secs(10)).await;
    let text = report.text();
    assert!(report.passed, "{text}");
    assert!(text.contains("ok   connected to !4d4d0001"), "{text}");
    assert!(text.contains("preset LONG_FAST, region EU_868"), "{text}");
    assert!(
        text.contains("ok   direct message to !4d4d1001 acknowledged"),
        "{text}"
    );
    assert!(text.ends_with("VERDICT: PASS\n"), "{text}");
    // Nothing listening: a clear failure, not a hang.
    let dead = meshmush_firmware_bridge::link::LinkConfig::new(
        meshmush_firmware_bridge::Transport::tcp("127.0.0.1:9"),
    );
    let report = meshmush::hilcheck::run(dead, None, Duration::from_secs(3)).await;
    assert!(!report.passed);
    assert!(report.text().contains("FAIL"), "{}", report.text());
    mesh.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_names_the_command_it_answers_and_a_notice_names_none() {
    use meshmush_protocol::packets::PRIMARY_CHANNEL;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.limits.burst = 2;
    let mut w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    // Paging herself: the notice goes out first, then the reply to the command.
    let sent = w.handsets[0]
        .link
        .send_text(w.bbs, PRIMARY_CHANNEL, "page alice hi")
        .await
        .expect("sent");
    let heard = w.handsets[0]
        .texts_until_quiet(Duration::from_millis(500))
        .await;
    let seen: Vec<(&str, Option<u32>)> = heard
        .iter()
        .map(|t| (t.text.as_str(), t.reply_id))
        .collect();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.contains(&("Alice pages: hi", None)), "{seen:?}");
    assert!(
        seen.contains(&("You page Alice: hi", Some(sent[0]))),
        "{seen:?}"
    );
    // The router's refusal answers the refused command too (the welcome's ping and
    // the page spent the burst of two).
    let refused = w.handsets[0]
        .link
        .send_text(w.bbs, PRIMARY_CHANNEL, "look")
        .await
        .expect("sent");
    let heard = w.handsets[0].next_text(WAIT).await.expect("a refusal");
    assert_eq!(heard.reply_id, Some(refused[0]), "{heard:?}");
    assert!(
        meshmush::ratelimit::slow_down_wait(&heard.text).is_some(),
        "{heard:?}"
    );
    w.stop().await.expect("clean shutdown");
}
