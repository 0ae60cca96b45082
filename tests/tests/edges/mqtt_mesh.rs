//! The BBS with more than one radio, through the software mesh: handsets in radio
//! areas whose gateways uplink and downlink through a real mosquitto (started here),
//! and a daemon attached to nothing but the broker; and a daemon with two radios that
//! hear the same command.

use std::time::Duration;

use meshmush::config::Config;
use meshmush_firmware_bridge::mqtt::MqttNodeConfig;
use meshmush_firmware_bridge::sim::{SimConfig, SimMqtt};
use meshmush_testkit::mosquitto::Mosquitto;
use meshmush_testkit::{DaemonLinks, Kit};

const ROOT: &str = "msh/US";
const BBS: u32 = 0xbb5b_0001;

fn roomy() -> Config {
    let mut cfg = Config::default();
    cfg.limits.burst = 100;
    cfg.limits.strangers_burst = 10_000;
    cfg
}

fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handsets_in_areas_reached_only_through_mqtt_use_the_bbs_across_a_broker_restart() {
    init_logs();
    let mut broker = Mosquitto::start().await.expect("mosquitto");
    let mut node = MqttNodeConfig::new(broker.addr(), ROOT, BBS);
    node.backoff_max = Duration::from_millis(500);
    let sim = SimConfig {
        handsets: 2,
        areas: 2,
        mqtt: Some(SimMqtt {
            broker: broker.addr(),
            root: ROOT.into(),
        }),
        ..SimConfig::default()
    };
    let mut kit = Kit::builder(roomy())
        .sim(sim)
        .daemon_links(DaemonLinks::Mqtt(Box::new(node)))
        .start()
        .await
        .expect("mesh, broker-only daemon and handsets start");
    assert_eq!(
        kit.bbs, BBS,
        "the daemon is its virtual node, not a sim node"
    );
    let areas: Vec<usize> = kit
        .sim()
        .expect("sim")
        .handsets()
        .iter()
        .map(|h| h.area)
        .collect();
    assert_eq!(areas, vec![0, 1], "Alice in area 1, Bob in area 2");

    let hello = kit.ask(1, "ping").await;
    assert!(hello.starts_with("Welcome, "), "{hello}");
    let hello = kit.ask(0, "ping").await;
    assert!(hello.starts_with("Welcome, "), "{hello}");
    let look = kit.ask(1, "look").await;
    assert!(!look.is_empty() && !look.starts_with("Unknown"), "{look}");
    assert_eq!(
        kit.ask(1, "post general Hello from area 2").await,
        "Posted to general as #1."
    );
    assert_eq!(kit.ask(0, "mail Bob Lunch?").await, "Mail sent to Bob.");
    let notice = kit.handsets[1]
        .next_text(Duration::from_secs(20))
        .await
        .expect("notice");
    assert_eq!(notice.text, "New mail from Alice. Send mail to read it.");
    // The BBS learned Bob's key from his NodeInfo on the broker: its replies to him
    // go PKI-encrypted, and so do his commands (the mesh's handsets use PKI).
    assert_eq!(kit.ask(1, "mail").await, "Mail #1 Alice now:\nLunch?");

    // The broker goes away; Bob posts meanwhile; it comes back.
    broker.stop().await;
    let (reply, restarted) = tokio::join!(
        kit.ask(1, "post general While the broker was away"),
        async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            broker.restart().await
        }
    );
    restarted.expect("mosquitto restarts");
    assert_eq!(
        reply, "Posted to general as #2.",
        "posted once, answered once"
    );
    assert_eq!(
        kit.ask(1, "post general After").await,
        "Posted to general as #3."
    );
    let quiet = kit.handsets[1].next_text(Duration::from_millis(700)).await;
    assert!(quiet.is_none(), "nothing doubled: {quiet:?}");
    let list = kit.ask(0, "read general").await;
    assert!(
        list.contains("#3 Bob now:\nAfter") && list.contains("#2 While the broker was"),
        "{list}"
    );
    kit.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_radios_hear_the_same_command_and_one_reply_goes_out_through_one() {
    init_logs();
    let mut kit = Kit::builder(roomy())
        .handsets(1)
        .daemon_links(DaemonLinks::GatewayTwice)
        .start()
        .await
        .expect("mesh, two-radio daemon and handset start");
    // The kit waits for the daemon's first radio; both must hear the commands.
    for m in kit.app.link().links() {
        tokio::time::timeout(Duration::from_secs(10), m.handle.connected())
            .await
            .expect("each radio connects in time")
            .expect("each radio connects");
    }
    let hello = kit.ask(0, "ping").await;
    assert!(hello.starts_with("Welcome, "), "{hello}");
    assert_eq!(kit.ask(0, "ping").await, "pong");
    let quiet = kit.handsets[0].next_text(Duration::from_millis(700)).await;
    assert!(quiet.is_none(), "one reply, not one per radio: {quiet:?}");
    let links = kit.app.link().links();
    assert_eq!(links.len(), 2);
    let sent: Vec<u64> = links
        .iter()
        .map(|l| l.handle.metrics().chunks_sent)
        .collect();
    assert_eq!(
        sent.iter().sum::<u64>(),
        2,
        "two replies, each sent once: {sent:?}"
    );
    // The second radio's copy may be read after the reply went out: wait for it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while kit.app.link().metrics().duplicates < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        kit.app.link().metrics().duplicates >= 2,
        "each command was heard twice"
    );
    kit.stop().await.expect("stops");
}

/// A handset whose owner did not allow MQTT (`ok_to_mqtt` off) is not uplinked by its
/// gateway (firmware `MQTT::onSend`): a BBS on the broker never hears it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_without_ok_to_mqtt_is_not_uplinked() {
    init_logs();
    let broker = Mosquitto::start().await.expect("mosquitto");
    let sim = SimConfig {
        handsets: 1,
        ok_to_mqtt: false,
        mqtt: Some(SimMqtt {
            broker: broker.addr(),
            root: ROOT.into(),
        }),
        ..SimConfig::default()
    };
    let mut kit = Kit::builder(roomy())
        .sim(sim)
        .daemon_links(DaemonLinks::Mqtt(Box::new(MqttNodeConfig::new(
            broker.addr(),
            ROOT,
            BBS,
        ))))
        .start()
        .await
        .expect("mesh, broker-only daemon and handset start");
    kit.handsets[0].send(BBS, "ping").await.expect("sent");
    let heard = kit.handsets[0].next_text(Duration::from_secs(2)).await;
    assert!(
        heard.is_none(),
        "the BBS answered a packet that never went to MQTT: {heard:?}"
    );
    assert_eq!(kit.app.link().metrics().texts_in, 0);
    kit.stop().await.expect("stops");
}
