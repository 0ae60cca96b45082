//! The software mesh on the multi-hop model: handsets several hops from the gateway
//! still talk to it through the ordinary client API, their DMs arrive with the hops
//! they took, the relays between did the work, and the nodes' channel utilization is
//! what the model carried.

use std::time::Duration;

use meshmush_firmware_bridge::link::LinkEvent;
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::multihop::{HopLadder, RadioParams};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig};

/// Wall time allowed for what the model (at time scale 0: events run as fast as
/// they come) does in milliseconds on an idle machine; generous for a loaded one.
const WAIT: Duration = Duration::from_secs(30);

/// Waits until the model has nothing due (the last exchange's ACKs and relays are
/// over), so the next packet meets a quiet mesh whatever the machine's load. At
/// time scale 0 a packet sent while the model still runs the last exchange lands in
/// its virtual time wherever the driver has got to, and may collide with a relay
/// that, on a less loaded machine, was long over.
async fn quiet(mesh: &Mesh) {
    let settled = tokio::time::timeout(WAIT, async {
        while !mesh.radio_idle() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(settled.is_ok(), "the model never went quiet");
}

/// A handset whose link waits [`WAIT`] for an ACK: the model acks in virtual time at
/// once, but the 2-s deadline of a fast link is wall time, which a loaded machine
/// can pass, and a timed-out packet is reported as a failed delivery.
async fn patient(node: &meshmush_firmware_bridge::sim::SimNode) -> Handset {
    let mut cfg = meshmush_firmware_bridge::sim::handset::fast_link_config(node);
    cfg.ack_timeout = WAIT;
    Handset::connect_with(node, cfg).await.expect("link")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_three_hops_out_talks_to_the_gateway_through_relays() {
    let topology = HopLadder::new(RadioParams::default())
        .handset("Alice", 3)
        .handset("Bob", 0)
        .build();
    let mesh = Mesh::start(SimConfig::multihop(topology))
        .await
        .expect("mesh");
    let gw_node = mesh.gateway().clone();
    let (alice_node, bob_node) = (mesh.handsets()[0].clone(), mesh.handsets()[1].clone());
    assert_eq!(mesh.radio_hops(gw_node.num, alice_node.num), Some(4));
    assert_eq!(mesh.radio_hops(gw_node.num, bob_node.num), Some(1));
    let mut gw = patient(&gw_node).await;
    let mut alice = patient(&alice_node).await;
    let bob = patient(&bob_node).await;

    alice
        .send(gw_node.num, "hello from afar")
        .await
        .expect("send");
    let heard = gw
        .next_text(WAIT)
        .await
        .expect("the DM crossed three relays");
    assert_eq!(heard.text, "hello from afar");
    assert_eq!(heard.from, alice_node.num);
    assert_eq!(heard.hops, Some(3), "hop_start - hop_limit");
    quiet(&mesh).await;
    bob.send(gw_node.num, "hello from next door")
        .await
        .expect("send");
    let heard = gw.next_text(WAIT).await.expect("a neighbour's DM");
    assert_eq!(heard.hops, Some(0));
    quiet(&mesh).await;

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
async fn a_dm_beyond_the_hop_limit_is_acked_only_implicitly_and_the_link_does_not_call_it_delivered()
 {
    // Five relays out, hop limit 3: the DM dies on the way. The gateway hears the
    // first relay pass it on, which the firmware counts as an implicit ACK
    // (ReliableRouter::shouldFilterReceived): it tells its client and does not retry.
    // Only the destination's own ACK proves delivery, so the link waits for that
    // and, when its ack deadline passes, reports the DM undelivered.
    let topology = HopLadder::new(RadioParams::default())
        .handset("Far", 5)
        .build();
    let mesh = Mesh::start(SimConfig::multihop(topology))
        .await
        .expect("mesh");
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
    assert_eq!(
        delivery,
        Some(Err(meshmush_protocol::proto::routing::Error::Timeout)),
        "the implicit ACK is not a delivery"
    );
    assert!(gw.link.metrics().implicit_acks >= 1);
    assert!(
        far_link
            .next_text(Duration::from_millis(500))
            .await
            .is_none()
    );
    let c = mesh.radio_counters(gw_node.num).expect("counters");
    assert_eq!(c.retransmissions, 0, "the node itself never retries: {c:?}");
    assert!(c.implicit_acks >= 1, "{c:?}");
    mesh.shutdown().await;
}

/// A raw API client of `node` (the official clients' framing, no link on top), past
/// its handshake: what the node hands its phone, frame by frame.
async fn raw_client(
    node: &meshmush_firmware_bridge::sim::SimNode,
) -> tokio_util::codec::Framed<tokio::net::TcpStream, meshmush_protocol::framing::HostCodec> {
    use futures::{SinkExt, StreamExt};
    use meshmush_protocol::framing::{Frame, HostCodec};
    use meshmush_protocol::proto::from_radio::PayloadVariant;
    let stream = tokio::net::TcpStream::connect(node.addr)
        .await
        .expect("connect");
    let mut framed = tokio_util::codec::Framed::new(stream, HostCodec::new());
    framed
        .send(meshmush_protocol::packets::want_config(77))
        .await
        .expect("want_config");
    loop {
        match tokio::time::timeout(WAIT, framed.next()).await {
            Ok(Some(Ok(Frame::Message(m))))
                if matches!(
                    m.payload_variant,
                    Some(PayloadVariant::ConfigCompleteId(77))
                ) =>
            {
                return framed;
            }
            Ok(Some(Ok(_))) => continue,
            other => panic!("handshake: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_report_the_channel_they_carried_as_device_metrics() {
    use futures::StreamExt;
    use meshmush_protocol::Message;
    use meshmush_protocol::framing::Frame;
    use meshmush_protocol::packets::decoded;
    use meshmush_protocol::proto::{PortNum, Telemetry, from_radio::PayloadVariant, telemetry};

    let topology = HopLadder::new(RadioParams::default())
        .handset("Alice", 1)
        .build();
    let mesh = Mesh::start(SimConfig {
        telemetry_every: Some(Duration::from_millis(300)),
        ..SimConfig::multihop(topology)
    })
    .await
    .expect("mesh");
    let gw_node = mesh.gateway().clone();
    let alice_node = mesh.handsets()[0].clone();
    let mut raw = raw_client(&gw_node).await;
    let alice = Handset::connect(&alice_node).await.expect("alice link");
    for k in 0..3 {
        alice
            .send(gw_node.num, &format!("busy {k}"))
            .await
            .expect("send");
    }
    // The next telemetry after the DMs: the gateway heard them (and a relay's
    // copies) and sent their ACKs.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let metrics = tokio::time::timeout(WAIT, async {
        while let Some(Ok(Frame::Message(m))) = raw.next().await {
            let Some(PayloadVariant::Packet(p)) = m.payload_variant else {
                continue;
            };
            let Some(d) = decoded(&p).filter(|d| d.portnum == PortNum::TelemetryApp as i32) else {
                continue;
            };
            if let Ok(Telemetry {
                variant: Some(telemetry::Variant::DeviceMetrics(dm)),
                ..
            }) = Telemetry::decode(d.payload.as_slice())
                && dm.air_util_tx.unwrap_or(0.0) > 0.0
            {
                assert_eq!(p.from, gw_node.num);
                return Some(dm);
            }
        }
        None
    })
    .await
    .ok()
    .flatten()
    .expect("a DeviceMetrics telemetry packet after the DMs");
    // LongFast: three DMs of ~1 s and their ACKs heard or sent within the minute:
    // several percent of it. `air_util_tx` is over an hour and counts only what the
    // gateway sent, so it is at most a 60th of that.
    let util = metrics.channel_utilization.unwrap_or(0.0);
    let tx = metrics.air_util_tx.unwrap_or(0.0);
    assert!(util > 2.0 && util < 50.0, "{metrics:?}");
    assert!(tx > 0.0 && tx <= util / 60.0 + 1e-3, "{metrics:?}");
    mesh.shutdown().await;
}
