//! The client API the MQTT virtual node serves to the link: one connection at a time
//! over an in-memory stream, answering as a radio would (the handshake in the
//! firmware's order, `queueStatus` for heartbeats and packets), and the node's own
//! loop around it: broker events, NodeInfo timer, echo timeouts.

use futures::{SinkExt, StreamExt};
use meshmush_protocol::framing::{Frame, NodeCodec, Received};
use meshmush_protocol::packets::{CONFIG_ONLY_NONCE, node_id};
use meshmush_protocol::proto::{
    self, Channel, ChannelSettings, Config, DeviceMetadata, FromRadio, MyNodeInfo, ToRadio,
    channel, config, from_radio, to_radio,
};
use tokio::io::{DuplexStream, ReadHalf, WriteHalf};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::{Instrument, debug, info_span};

use super::MqttNodeConfig;
use super::broker::{self, BrokerConfig};
use super::node::VirtualNode;

type Reader = FramedRead<ReadHalf<DuplexStream>, NodeCodec>;
type Writer = FramedWrite<WriteHalf<DuplexStream>, NodeCodec>;

/// The link connected to the node, and whether it finished its handshake.
struct Client {
    reader: Reader,
    writer: Writer,
    active: bool,
}

pub(super) async fn run(cfg: MqttNodeConfig, mut connects: mpsc::Receiver<DuplexStream>) {
    let span = info_span!("mqtt_node", node = %node_id(cfg.node_num));
    async move {
        let mut bcfg = BrokerConfig::new(
            cfg.broker.clone(),
            format!("meshmush-{}", node_id(cfg.node_num)),
        );
        bcfg.username = cfg.username.clone();
        bcfg.password = cfg.password.clone();
        bcfg.backoff_initial = cfg.backoff_initial;
        bcfg.backoff_max = cfg.backoff_max;
        bcfg.subscriptions = cfg
            .channels
            .iter()
            .map(|c| c.name.as_str())
            .chain([meshmush_protocol::mqtt::PKI_CHANNEL])
            .map(|name| meshmush_protocol::mqtt::subscription(&cfg.root, name))
            .collect();
        let (broker, mut events) = broker::connect(bcfg);
        let mut node = VirtualNode::new(cfg, broker);
        let mut client: Option<Client> = None;
        let mut next_nodeinfo = Instant::now() + node.nodeinfo_interval();
        loop {
            let expiry = node
                .next_expiry()
                .unwrap_or(next_nodeinfo)
                .min(next_nodeinfo);
            tokio::select! {
                stream = connects.recv() => match stream {
                    Some(stream) => {
                        let (r, w) = tokio::io::split(stream);
                        client = Some(Client {
                            reader: FramedRead::new(r, NodeCodec::new()),
                            writer: FramedWrite::new(w, NodeCodec::new()),
                            active: false,
                        });
                        debug!("link connected to the virtual node");
                    }
                    None => break,
                },
                frame = next_frame(&mut client) => match frame {
                    Some(msg) => {
                        let (out, keep_open) = answer(&mut node, &mut client, msg);
                        if !write(&mut client, out).await || !keep_open {
                            client = None;
                        }
                    }
                    None => client = None,
                },
                event = events.recv() => match event {
                    Some(event) => {
                        let out = node.on_broker(event);
                        hand_over(&mut node, &mut client, out).await;
                    }
                    None => break,
                },
                _ = sleep_until(expiry) => {
                    let now = Instant::now();
                    if now >= next_nodeinfo {
                        next_nodeinfo = now + node.nodeinfo_interval();
                        node.publish_node_info(false);
                    }
                    let out = node.expire(now);
                    hand_over(&mut node, &mut client, out).await;
                }
            }
        }
        debug!("virtual node stopped");
    }
    .instrument(span)
    .await
}

/// Gives frames to the link if it is past its handshake; packets wait otherwise.
async fn hand_over(node: &mut VirtualNode, client: &mut Option<Client>, out: Vec<Received>) {
    if client.as_ref().is_some_and(|c| c.active) {
        if !write(client, out).await {
            *client = None;
        }
        return;
    }
    for frame in out {
        if matches!(
            frame.msg.payload_variant,
            Some(from_radio::PayloadVariant::Packet(_))
        ) {
            node.keep(frame);
        }
    }
}

async fn next_frame(client: &mut Option<Client>) -> Option<ToRadio> {
    let Some(c) = client else {
        return std::future::pending().await;
    };
    loop {
        match c.reader.next().await? {
            Ok(Frame::Message(msg)) => return Some(msg),
            Ok(Frame::DebugText(_)) => continue,
            Err(_) => return None,
        }
    }
}

async fn write(client: &mut Option<Client>, out: Vec<Received>) -> bool {
    let Some(c) = client else {
        return true;
    };
    for frame in out {
        if c.writer.feed(frame).await.is_err() {
            return false;
        }
    }
    SinkExt::<FromRadio>::flush(&mut c.writer).await.is_ok()
}

/// The node's answer to one frame from the link; false = close the connection.
fn answer(
    node: &mut VirtualNode,
    client: &mut Option<Client>,
    msg: ToRadio,
) -> (Vec<Received>, bool) {
    match msg.payload_variant {
        Some(to_radio::PayloadVariant::WantConfigId(nonce)) => {
            let mut out: Vec<Received> = config_dump(node, nonce)
                .into_iter()
                .map(Received::from)
                .collect();
            out.extend(node.take_kept());
            if let Some(c) = client {
                c.active = true;
            }
            (out, true)
        }
        Some(to_radio::PayloadVariant::Heartbeat(_)) => {
            (vec![node.queue_status(0, 0).into()], true)
        }
        Some(to_radio::PayloadVariant::Packet(p)) => (vec![node.send(p).into()], true),
        Some(to_radio::PayloadVariant::Disconnect(_)) => (Vec::new(), false),
        _ => (Vec::new(), true),
    }
}

/// The handshake answer, in the firmware's order (what the link reads of it).
fn config_dump(node: &mut VirtualNode, nonce: u32) -> Vec<FromRadio> {
    use from_radio::PayloadVariant as V;
    let me = node.me();
    let mut out = vec![
        V::MyInfo(MyNodeInfo {
            my_node_num: me,
            reboot_count: node.reboot_count,
            min_app_version: 30200,
            pio_env: "meshmush-mqtt".into(),
            ..Default::default()
        }),
        V::NodeInfo(proto::NodeInfo {
            num: me,
            user: Some(node.user()),
            hops_away: Some(0),
            ..Default::default()
        }),
        V::Metadata(DeviceMetadata {
            firmware_version: "2.6.11.meshmush-mqtt".into(),
            has_pkc: true,
            hw_model: proto::HardwareModel::Portduino as i32,
            ..Default::default()
        }),
    ];
    for index in 0..8 {
        let settings = node.channels().get(index).map(|c| ChannelSettings {
            name: c.name.clone(),
            psk: c.key.bytes().to_vec(),
            uplink_enabled: true,
            downlink_enabled: true,
            ..Default::default()
        });
        let role = match (index, &settings) {
            (0, Some(_)) => channel::Role::Primary,
            (_, Some(_)) => channel::Role::Secondary,
            _ => channel::Role::Disabled,
        };
        out.push(V::Channel(Channel {
            index: index as i32,
            settings: Some(settings.unwrap_or_default()),
            role: role as i32,
        }));
    }
    out.push(V::Config(Config {
        payload_variant: Some(config::PayloadVariant::Lora(config::LoRaConfig {
            use_preset: true,
            modem_preset: node.cfg.preset as i32,
            region: node.cfg.region as i32,
            hop_limit: 3,
            ..Default::default()
        })),
    }));
    if nonce != CONFIG_ONLY_NONCE {
        out.extend(node.known_nodes().into_iter().map(V::NodeInfo));
    }
    out.push(V::ConfigCompleteId(nonce));
    out.into_iter().map(|v| node.frame(v)).collect()
}
