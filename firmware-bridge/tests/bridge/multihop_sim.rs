//! The software mesh on the multi-hop model: handsets several hops from the gateway
//! still talk to it through the ordinary client API, their DMs arrive with the hops
//! they took, the relays between did the work, and the nodes' channel utilization is
//! what the model carried.

use std::time::Duration;

use meshmush_firmware_bridge::link::LinkEvent;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::multihop::{HopLadder, RadioParams};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_three_hops_out_talks_to_the_gateway_through_relays() {
    let topology = HopLadder::new(RadioParams::default())
        .handset("Alice", 3)
        .handset("Bob", 0)
        .build();
    let mesh = Mesh::start(SimConfig::multihop(topology)).await.expect("mesh");
    let gw_node = mesh.gateway().clone();
    let (alice_node, bob_node) = (mesh.handsets()[0].clone(), mesh.handsets()[1].clone());
    assert_eq!(mesh.radio_hops(gw_node.num, alice_node.num), Some(4));
    assert_eq!(mesh.radio_hops(gw_node.num, bob_node.num), Some(1));
    let mut gw = Handset::connect(&gw_node).await.expect("gateway link");
    let mut alice = Handset::connect(&alice_node).await.expect("alice link");
    let bob = Handset::connect(&bob_node).await.expect("bob link");

    alice.send(gw_node.num, "hello from afar").await.expect("send");
    let heard = gw.next_text(WAIT).await.expect("the DM crossed three relays");
    assert_eq!(heard.text, "hello from afar");
    assert_eq!(heard.from, alice_node.num);
    assert_eq!(heard.hops, Some(3), "hop_start - hop_limit");
    bob.send(gw_node.num, "hello from next door").await.expect("send");
    let heard = gw.next_text(WAIT).await.expect("a neighbour's DM");
    assert_eq!(heard.hops, Some(0));

    gw.send(alice_node.num, "welcome").await.expect("reply");
    let back = alice.next_text(WAIT).await.expect("the reply came back");
    assert_eq!(back.text, "welcome");
    assert_eq!(back.hops, Some(3));
    // The gateway's link is told the reply was acked.
    let acked = tokio::time::timeout(WAIT, async {
        while let Some(ev) = gw.events.recv().await {
            if let LinkEvent::Delivery { dest, result, .. } = ev
                && dest == alice_node.num
            {
                return result.is_ok();
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(acked, "the ACK came back over three relays");

    // Every relay of the spine carried the DMs, and the gateway learned a next hop
    // from Alice's ACK, so the relays' later copies were next-hop packets.
    let spine: Vec<u32> = mesh.nodes()[3..].iter().map(|n| n.num).collect();
    assert_eq!(spine.len(), 3);
    for relay in &spine {
        let c = mesh.radio_counters(*relay).expect("counters");
        assert!(c.relayed >= 2, "relay {relay:x}: {c:?}");
    }
    let gw_counters = mesh.radio_counters(gw_node.num).expect("counters");
    assert!(gw_counters.transmissions() >= 2, "{gw_counters:?}");
    let m = mesh.device_metrics(gw_node.num).expect("metrics");
    assert!(m.channel_utilization.unwrap_or(0.0) > 0.0, "{m:?}");
    assert!(m.air_util_tx.unwrap_or(0.0) > 0.0, "{m:?}");
    // The single-hop mesh has no such figures.
    mesh.shutdown().await;
    let flat = Mesh::start(SimConfig::default()).await.expect("mesh");
    assert!(flat.radio_counters(flat.gateway().num).is_none());
    flat.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_beyond_the_hop_limit_is_acked_only_implicitly_and_never_arrives() {
    // Five relays out, hop limit 3: the DM dies on the way. The gateway hears the
    // first relay pass it on, which the firmware counts as an implicit ACK
    // (ReliableRouter::shouldFilterReceived): it reports success to its client and
    // does not retry. Only the destination's own ACK proves delivery.
    let topology = HopLadder::new(RadioParams::default())
        .handset("Far", 5)
        .build();
    let mesh = Mesh::start(SimConfig::multihop(topology)).await.expect("mesh");
    let gw_node = mesh.gateway().clone();
    let far = mesh.handsets()[0].clone();
    let mut gw = Handset::connect(&gw_node).await.expect("gateway link");
    let mut far_link = Handset::connect(&far).await.expect("far link");
    gw.send(far.num, "anyone there?").await.expect("send");
    let delivery = tokio::time::timeout(WAIT, async {
        while let Some(ev) = gw.events.recv().await {
            if let LinkEvent::Delivery { result, .. } = ev {
                return Some(result);
            }
        }
        None
    })
    .await
    .ok()
    .flatten();
    assert_eq!(delivery, Some(Ok(())), "the implicit ACK");
    assert!(far_link.next_text(Duration::from_millis(500)).await.is_none());
    let c = mesh.radio_counters(gw_node.num).expect("counters");
    assert_eq!((c.transmissions(), c.implicit_acks, c.retransmissions), (1, 1, 0));
    // The relays carried it as far as the hop limit allows: three relays, and the
    // fourth heard it with hop limit 0 and kept it.
    let relayed: u64 = mesh.nodes()[2..]
        .iter()
        .map(|n| mesh.radio_counters(n.num).map_or(0, |c| c.relayed))
        .sum();
    assert_eq!(relayed, 3);
    mesh.shutdown().await;
}
