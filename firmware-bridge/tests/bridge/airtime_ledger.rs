//! The airtime ledger's seam, over the software mesh: a link given what its node spent
//! before counts it against the hour (and the budget holds replies back for it), leaves
//! out what is older than the hour, and reports every packet it puts on air.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{Client, WAIT, fast_link, init_tracing, mesh};
use meshmush_firmware_bridge::link::{AirtimeLedger, Class, LinkConfig, PastSpend};
use meshmush_firmware_bridge::sim::{GATEWAY_NUM, SimNode};
use meshmush_protocol::packets::PRIMARY_CHANNEL;
use tokio::sync::mpsc;

/// The gateway's link on real airtime (LongFast, EU_868: 180 s at the default share),
/// with `past` as what the gateway spent before; and the channel its spends come on.
fn ledger_link(
    node: &SimNode,
    past: Vec<PastSpend>,
) -> (
    LinkConfig,
    mpsc::Receiver<meshmush_firmware_bridge::link::Spend>,
) {
    let (tx, rx) = mpsc::channel(64);
    let mut cfg = fast_link(node);
    cfg.airtime_scale = 1.0;
    cfg.airtime_ledger = AirtimeLedger {
        past: Arc::new(HashMap::from([(GATEWAY_NUM, past)])),
        spends: Some(tx),
    };
    (cfg, rx)
}

fn spent(ago_secs: u64, cost_secs: u64) -> PastSpend {
    PastSpend {
        ago: Duration::from_secs(ago_secs),
        cost: Duration::from_secs(cost_secs),
        class: Class::Known,
    }
}

#[tokio::test]
async fn the_hour_before_the_start_counts_and_each_packet_is_reported() {
    init_tracing();
    let mesh = mesh(1).await;
    // 40 s ten minutes ago counts; 90 s two hours ago does not.
    let (cfg, mut spends) = ledger_link(mesh.gateway(), vec![spent(600, 40), spent(7200, 90)]);
    let gw = Client::connect(cfg).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    assert_eq!(gw.link.metrics().airtime_hour_ms, 40_000);

    gw.link
        .send_text(
            mesh.handsets()[0].num,
            PRIMARY_CHANNEL,
            "hello from the BBS",
        )
        .await
        .unwrap();
    assert_eq!(alice.next_text().await.text, "hello from the BBS");
    let spend = tokio::time::timeout(WAIT, spends.recv())
        .await
        .expect("reported in time")
        .expect("the link is alive");
    assert_eq!((spend.node, spend.class), (GATEWAY_NUM, Class::Known));
    assert!(
        spend.cost > Duration::from_millis(300) && spend.cost < Duration::from_secs(2),
        "LongFast airtime of a short DM: {:?}",
        spend.cost
    );
    let hour = gw.link.metrics().airtime_hour_ms;
    assert_eq!(hour, 40_000 + spend.cost.as_millis() as u64);
}

#[tokio::test]
async fn a_share_spent_before_the_restart_holds_replies_until_it_leaves_the_hour() {
    init_tracing();
    let mesh = mesh(1).await;
    // The whole share (180 s), spent an hour ago less three seconds.
    let (cfg, _spends) = ledger_link(mesh.gateway(), vec![spent(3597, 180)]);
    let gw = Client::connect(cfg).await;
    let mut alice = Client::connect(fast_link(&mesh.handsets()[0])).await;
    let sent = tokio::time::Instant::now();
    gw.link
        .send_text(mesh.handsets()[0].num, PRIMARY_CHANNEL, "held back")
        .await
        .unwrap();
    assert!(
        alice.0.next_text(Duration::from_secs(1)).await.is_none(),
        "the budget is spent: nothing goes at once"
    );
    assert_eq!(alice.next_text().await.text, "held back");
    assert!(
        sent.elapsed() >= Duration::from_secs(2),
        "went when the old spending left the hour: {:?}",
        sent.elapsed()
    );
}
