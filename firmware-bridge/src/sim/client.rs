//! The device side of the client API for one connection: answer `want_config_id` with
//! the full config dump in the firmware's order, answer heartbeats and packets with
//! `queueStatus`, take packets into the node's transmit queue, honour `disconnect`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::{SinkExt, StreamExt};
use meshmush_protocol::crypto::signing;
use meshmush_protocol::framing::{Frame, NodeCodec};
use meshmush_protocol::packets::{BROADCAST, CONFIG_ONLY_NONCE, decoded};
use meshmush_protocol::proto::{
    self, Channel, ChannelSettings, Config, DeviceMetadata, DeviceUiConfig, MeshPacket,
    ModuleConfig, MyNodeInfo, ToRadio, channel, config, from_radio, module_config, routing,
    to_radio,
};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::debug;

use super::air::Air;
use super::keys::key_of;
use super::node::{Client, ClientMsg, Node, QUEUE_REFUSED};

/// `want_config_id` nonce asking for the node database only (firmware 2.6+).
const NODES_ONLY_NONCE: u32 = 69421;
static NEXT_CLIENT: AtomicU64 = AtomicU64::new(1);
/// Frames a node holds for a client that has not read them yet; past this, new ones
/// are dropped and counted ([`super::Mesh::frames_dropped`]). Generous, so a thousand
/// virtual handsets speaking at once do not lose frames; slots cost nothing unused.
const CLIENT_QUEUE: usize = 8192;

/// Serves one API client until it disconnects or the node drops it.
pub(crate) async fn serve(node: Arc<Node>, air: Arc<Air>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let id = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed);
    let (r, w) = stream.into_split();
    let mut reader = FramedRead::new(r, NodeCodec::new());
    let (tx, mut rx) = mpsc::channel::<ClientMsg>(CLIENT_QUEUE);
    if let Ok(mut clients) = node.clients.lock() {
        clients.push(Client {
            id,
            tx: tx.clone(),
            active: false,
            silent: false,
        });
    }
    let writer = tokio::spawn(async move {
        let mut w = FramedWrite::new(w, NodeCodec::new());
        'writing: while let Some(msg) = rx.recv().await {
            // Everything already queued goes out in one write, as firmware does with
            // a burst of packets for its phone.
            let mut next = Some(msg);
            while let Some(msg) = next.take() {
                let ok = match msg {
                    ClientMsg::Frame(f) => w.feed(*f).await.is_ok(),
                    ClientMsg::Raw(bytes) => {
                        SinkExt::<meshmush_protocol::proto::FromRadio>::flush(&mut w)
                            .await
                            .is_ok()
                            && w.get_mut().write_all(&bytes).await.is_ok()
                    }
                    ClientMsg::Close => false,
                };
                if !ok {
                    break 'writing;
                }
                next = rx.try_recv().ok();
            }
            if SinkExt::<meshmush_protocol::proto::FromRadio>::flush(&mut w)
                .await
                .is_err()
            {
                break;
            }
        }
        let _ = w.get_mut().shutdown().await;
    });
    debug!(node = node.num, client = id, "sim client connected");
    while let Some(Ok(frame)) = reader.next().await {
        let Frame::Message(msg) = frame else { continue };
        if node.is_silent(id) {
            continue;
        }
        if !handle(&node, &air, id, &tx, msg).await {
            break;
        }
        if writer.is_finished() {
            break;
        }
    }
    if let Ok(mut clients) = node.clients.lock() {
        clients.retain(|c| c.id != id);
    }
    let _ = tx.send(ClientMsg::Close).await;
    let _ = writer.await;
    debug!(node = node.num, client = id, "sim client gone");
}

async fn handle(
    node: &Arc<Node>,
    air: &Arc<Air>,
    id: u64,
    tx: &mpsc::Sender<ClientMsg>,
    msg: ToRadio,
) -> bool {
    let send = |f: proto::FromRadio| tx.send(ClientMsg::Frame(Box::new(f.into())));
    match msg.payload_variant {
        Some(to_radio::PayloadVariant::WantConfigId(nonce)) => {
            for frame in config_dump(node, air, nonce) {
                if send(frame).await.is_err() {
                    return false;
                }
            }
            node.activate(id);
        }
        Some(to_radio::PayloadVariant::Heartbeat(_)) => {
            let _ = send(node.queue_status(0, 0)).await;
        }
        Some(to_radio::PayloadVariant::Packet(p)) => {
            let status = take_packet(node, air, p);
            let _ = send(status).await;
            node.transmit_queued_now();
        }
        Some(to_radio::PayloadVariant::Disconnect(_)) => return false,
        _ => {}
    }
    true
}

/// A packet from a client: stamp it, refuse it (full queue, unknown key), or queue it.
fn take_packet(node: &Arc<Node>, air: &Arc<Air>, mut p: MeshPacket) -> proto::FromRadio {
    // Firmware does not let a client pick `from`: `MeshService::handleToRadio`
    // (src/mesh/MeshService.cpp) sets it to 0, and `Router::send` (src/mesh/Router.cpp)
    // stamps the node's own number before the packet goes on air. A handset of a mesh
    // that allows spoofing keeps the client's `from`, as a modified firmware would.
    let spoofed =
        air.allow_spoofing && node.num != air.gateway && p.from != 0 && p.from != node.num;
    if !spoofed {
        p.from = node.num;
    }
    // Whatever the client put there: the receiver sets these itself.
    p.public_key.clear();
    if p.id == 0 {
        p.id = node.next_packet_id();
    }
    if p.hop_start == 0 {
        p.hop_start = p.hop_limit;
    }
    // As a handset whose owner allows MQTT (`config_ok_to_mqtt`) marks its packets.
    if air.ok_to_mqtt
        && let Some(proto::mesh_packet::PayloadVariant::Decoded(d)) = &mut p.payload_variant
    {
        d.bitfield = Some(d.bitfield.unwrap_or(0) | meshmush_protocol::mqtt::OK_TO_MQTT);
    }
    if air.faults.queue_full(node.num) {
        return node.queue_status(QUEUE_REFUSED, p.id);
    }
    let is_text = decoded(&p).is_some_and(|d| d.portnum == proto::PortNum::TextMessageApp as i32);
    if spoofed {
        // The forger has no private key for `from`: it can only send in the clear.
        p.pki_encrypted = false;
        tracing::debug!(
            node = node.num,
            from = p.from,
            to = p.to,
            "sim handset sends a spoofed packet"
        );
    } else if p.to != BROADCAST && is_text {
        if air.faults.key_unknown(p.to) {
            // Firmware 2.5+ refuses a DM it cannot encrypt, at once.
            node.nak_to_clients(p.id, routing::Error::PkiSendFailPublicKey);
            return node.queue_status(0, p.id);
        }
        p.pki_encrypted = air.faults.pki();
    }
    if air.signing
        && p.to == BROADCAST
        && let Some(d) = decoded(&p)
        && d.portnum == proto::PortNum::TextMessageApp as i32
    {
        // Firmware 2.8 signs a plain broadcast (`Router::perhapsEncode`); a forger can
        // only sign with its own key.
        let signer = key_of(if spoofed { node.num } else { p.from });
        let sig = signing::sign(
            &signer.private(),
            p.from,
            p.id,
            d.portnum as u32,
            &d.payload,
            rand::random(),
        );
        air.sign(p.from, p.id, sig.to_vec());
    }
    if p.to == node.num {
        // Addressed to ourselves: delivered locally, no airtime.
        node.receive(p.clone(), false);
        return node.queue_status(0, p.id);
    }
    let id = p.id;
    if node.enqueue(p, false) {
        node.queue_status(0, id)
    } else {
        node.queue_status(QUEUE_REFUSED, id)
    }
}

/// The handshake answer, in the firmware's order.
fn config_dump(node: &Node, air: &Air, nonce: u32) -> Vec<proto::FromRadio> {
    use from_radio::PayloadVariant as V;
    let mut out = Vec::new();
    let others = air.node_infos(node.num);
    if nonce != NODES_ONLY_NONCE {
        out.push(V::MyInfo(MyNodeInfo {
            my_node_num: node.num,
            reboot_count: node.reboot_count.load(Ordering::Relaxed),
            min_app_version: 30200,
            device_id: node.num.to_be_bytes().repeat(4),
            pio_env: "meshmush-sim".into(),
            nodedb_count: others.len() as u32 + 1,
            ..Default::default()
        }));
        out.push(V::DeviceuiConfig(DeviceUiConfig::default()));
    }
    out.push(V::NodeInfo(node.node_info()));
    if nonce != NODES_ONLY_NONCE {
        out.push(V::Metadata(DeviceMetadata {
            firmware_version: "2.6.11.meshmush-sim".into(),
            device_state_version: 24,
            can_shutdown: true,
            has_wifi: true,
            has_pkc: true,
            hw_model: proto::HardwareModel::Portduino as i32,
            ..Default::default()
        }));
        for index in 0..8 {
            out.push(V::Channel(channel_at(index)));
        }
        for c in configs(air) {
            out.push(V::Config(Config {
                payload_variant: Some(c),
            }));
        }
        for m in module_configs() {
            out.push(V::ModuleConfig(ModuleConfig {
                payload_variant: Some(m),
            }));
        }
    }
    if nonce != CONFIG_ONLY_NONCE {
        out.extend(others.into_iter().map(V::NodeInfo));
    }
    out.push(V::ConfigCompleteId(nonce));
    out.into_iter().map(|v| node.frame(v)).collect()
}

fn channel_at(index: i32) -> Channel {
    if index == 0 {
        Channel {
            index,
            settings: Some(ChannelSettings {
                psk: vec![1],
                ..Default::default()
            }),
            role: channel::Role::Primary as i32,
        }
    } else {
        Channel {
            index,
            settings: Some(ChannelSettings::default()),
            role: channel::Role::Disabled as i32,
        }
    }
}

fn configs(air: &Air) -> Vec<config::PayloadVariant> {
    use config::PayloadVariant as C;
    vec![
        C::Device(config::DeviceConfig::default()),
        C::Position(config::PositionConfig::default()),
        C::Power(config::PowerConfig::default()),
        C::Network(config::NetworkConfig::default()),
        C::Display(config::DisplayConfig::default()),
        C::Lora(config::LoRaConfig {
            use_preset: true,
            modem_preset: air.preset as i32,
            region: air.region as i32,
            hop_limit: 3,
            tx_enabled: true,
            tx_power: 27,
            ..Default::default()
        }),
        C::Bluetooth(config::BluetoothConfig::default()),
        C::Security(config::SecurityConfig::default()),
        C::Sessionkey(config::SessionkeyConfig::default()),
    ]
}

fn module_configs() -> Vec<module_config::PayloadVariant> {
    use module_config::PayloadVariant as M;
    vec![
        M::Mqtt(Default::default()),
        M::Serial(Default::default()),
        M::ExternalNotification(Default::default()),
        M::StoreForward(Default::default()),
        M::RangeTest(Default::default()),
        M::Telemetry(Default::default()),
        M::CannedMessage(Default::default()),
        M::Audio(Default::default()),
        M::RemoteHardware(Default::default()),
        M::NeighborInfo(Default::default()),
        M::AmbientLighting(Default::default()),
        M::DetectionSensor(Default::default()),
        M::Paxcounter(Default::default()),
    ]
}
