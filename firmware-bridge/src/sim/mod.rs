//! A software mesh: nodes that speak the device side of the Meshtastic client API.
//!
//! One **gateway** node (the one the daemon connects to) and N **handset** nodes, each
//! with its own node number, names and TCP API port, so any Meshtastic client (the
//! official Python one included) can use a handset as if it were a radio in a hand.
//! Between nodes the "air" carries packets with the airtime of the configured preset,
//! each node keeps its region's duty cycle, and faults can be injected on demand. A
//! time scale of 1.0 is real time; 0 makes the air instant, and then a node's radio is
//! never busy: it sends what a client gives it at once, so its queue never fills
//! (unless a fault says so).

mod air;
pub mod attacker;
mod client;
mod faults;
mod gateway;
pub mod handset;
mod keys;
mod mesh_trace;
pub mod multihop;
mod multihop_air;
mod node;
mod virtual_nodes;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use meshmush_protocol::airtime::duty_cycle;
use meshmush_protocol::packets::node_id;
use meshmush_protocol::proto::config::lo_ra_config::{ModemPreset, RegionCode};
use meshmush_protocol::proto::{self, User, from_radio};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tracing::{info, warn};

use air::Air;
pub use air::VirtualReply;
pub use faults::{Faults, NodeFault, Placed, StreamFault};
pub use gateway::SimMqtt;
pub use keys::public_key_of;
use multihop::{NodeCounters, Topology};
pub use multihop_air::Heard;
use multihop_air::MultiHopAir;
use node::{ClientMsg, Node};

use crate::link::AirtimeBudget;

/// Names given to handsets, in order; more handsets are called "Handset N".
const NAMES: [&str; 10] = [
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
];
/// The name handset k (from 0) gets on a mesh without a topology: Alice, Bob, ...
pub fn handset_name(k: usize) -> String {
    NAMES
        .get(k)
        .map_or_else(|| format!("Handset {}", k + 1), |n| n.to_string())
}

/// Node number of the gateway; handset k is `HANDSET_BASE + k`.
pub const GATEWAY_NUM: u32 = 0x4d4d_0001;
pub const HANDSET_BASE: u32 = 0x4d4d_1000;

/// How to build the mesh.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address of the gateway's API. Handset k listens on port + k, or on a free port
    /// of its own when the port is 0.
    pub listen: SocketAddr,
    pub handsets: usize,
    /// 1.0 = real airtime; 0 = instant.
    pub time_scale: f64,
    pub preset: ModemPreset,
    pub region: RegionCode,
    /// Overrides the region's duty cycle (percent), to make it tight in tests.
    pub duty_cycle_percent: Option<f64>,
    pub gateway_name: String,
    /// Treat every unknown destination as a virtual handset that acks at once and
    /// reports what it received (see [`Mesh::take_virtual_replies`]): thousands of
    /// players without thousands of sockets, for benchmarks.
    pub virtual_handsets: bool,
    /// Lets a client of a handset node send a packet with any `from` (as a modified
    /// firmware can), to play an attacker through the ordinary client API; see
    /// [`attacker::send_spoofed`]. Such a packet always goes out as a plain one,
    /// never PKI-encrypted and without a public key: the forger has no private key.
    /// Off (the default), a node overwrites `from` with its own number, as firmware
    /// does. The gateway never spoofs.
    pub allow_spoofing: bool,
    /// Radio areas (default 1): handsets are split into this many areas in order, each
    /// with its own gateway node and its own airtime; a packet is heard only in its
    /// area. Gateway of area a is `GATEWAY_NUM + a`.
    pub areas: usize,
    /// Gateways uplink and downlink through this broker, as firmware gateways do (see
    /// the gateway module), so a BBS on the broker reaches every area.
    pub mqtt: Option<SimMqtt>,
    /// Handsets mark their packets `ok_to_mqtt` (default yes).
    pub ok_to_mqtt: bool,
    /// Handsets sign their text broadcasts with XEdDSA, as firmware 2.8+ does
    /// (default no). A forged broadcast is signed with the forger's own key, and the
    /// receiving node drops it; see `node::Node::receive`.
    pub signing: bool,
    /// A multi-hop mesh (issue 28): node 0 of the topology is the gateway, the others
    /// are handsets (`handsets` and `areas` are then taken from it), and packets are
    /// carried by the multi-hop model (`sim::multihop`): relays, next hops, retries,
    /// collisions, paced by `time_scale`. Faults, MQTT, virtual handsets and the duty
    /// cycle do not apply. None (the default): every node hears every other in its
    /// area, as before.
    pub topology: Option<Topology>,
    /// Seed of the multi-hop model's random draws (relay waits, ACK ids).
    pub seed: u64,
    /// With a topology: every node hands its clients its `DeviceMetrics` telemetry
    /// (channel utilization and `air_util_tx` from what the model carried) this often,
    /// as the firmware's device telemetry does.
    pub telemetry_every: Option<Duration>,
    /// With a topology: keep every transmission and every packet decoded, for a
    /// figure's accounting ([`Mesh::radio_trace`], [`Mesh::radio_heard`]).
    pub trace: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            handsets: 2,
            time_scale: 0.0,
            preset: ModemPreset::LongFast,
            region: RegionCode::Eu868,
            duty_cycle_percent: None,
            gateway_name: "meshmush BBS".into(),
            virtual_handsets: false,
            allow_spoofing: false,
            areas: 1,
            mqtt: None,
            ok_to_mqtt: true,
            signing: false,
            topology: None,
            seed: 1,
            telemetry_every: None,
            trace: false,
        }
    }
}

impl SimConfig {
    /// `handsets` handsets on a mesh that lets them forge any `from` (the attacker's
    /// radio: see `sim::attacker`).
    pub fn spoofing(handsets: usize) -> Self {
        Self {
            handsets,
            allow_spoofing: true,
            ..Self::default()
        }
    }

    /// A multi-hop mesh on `topology` (node 0 the gateway).
    pub fn multihop(topology: Topology) -> Self {
        Self {
            handsets: topology.nodes.len().saturating_sub(1),
            topology: Some(topology),
            ..Self::default()
        }
    }
}

/// Why the mesh could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A node as the outside world sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimNode {
    pub num: u32,
    pub long_name: String,
    pub short_name: String,
    pub addr: SocketAddr,
    pub is_gateway: bool,
    /// The radio area the node is in (see [`SimConfig::areas`]).
    pub area: usize,
}

impl SimNode {
    /// `!xxxxxxxx`
    pub fn id(&self) -> String {
        node_id(self.num)
    }
}

/// A running software mesh. Dropping it stops every node.
pub struct Mesh {
    air: Arc<Air>,
    virtual_replies: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<VirtualReply>>>,
    nodes: Vec<SimNode>,
    handset_count: usize,
    tasks: JoinSet<()>,
}

impl Mesh {
    /// Binds every node's API port and starts the nodes.
    pub async fn start(cfg: SimConfig) -> Result<Self, SimError> {
        let (areas, handsets) = match &cfg.topology {
            Some(t) => (1, t.nodes.len().saturating_sub(1)),
            None => (cfg.areas.max(1), cfg.handsets),
        };
        let mut specs = vec![(
            GATEWAY_NUM,
            cfg.gateway_name.clone(),
            "BBS".to_string(),
            true,
            0,
        )];
        for k in 0..handsets {
            let named = cfg.topology.as_ref().and_then(|t| t.nodes.get(k + 1));
            let (long, short) = match (named, NAMES.get(k)) {
                (Some(n), _) => (n.name.clone(), n.name.chars().take(4).collect::<String>()),
                (None, Some(name)) => (name.to_string(), name.chars().take(4).collect()),
                (None, None) => (format!("Handset {}", k + 1), format!("H{}", k + 1)),
            };
            let area = k * areas / handsets.max(1);
            specs.push((HANDSET_BASE + k as u32 + 1, long, short, false, area));
        }
        // The other areas' gateways come last, so handset k keeps port + k.
        for a in 1..areas {
            let num = GATEWAY_NUM + a as u32;
            specs.push((
                num,
                format!("Gateway {}", a + 1),
                format!("GW{}", a + 1),
                true,
                a,
            ));
        }
        let mut listeners = Vec::new();
        for (k, _) in specs.iter().enumerate() {
            let mut addr = cfg.listen;
            if addr.port() != 0 {
                addr.set_port(addr.port() + k as u16);
            }
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|source| SimError::Bind { addr, source })?;
            let bound = listener
                .local_addr()
                .map_err(|source| SimError::Bind { addr, source })?;
            listeners.push((listener, bound));
        }
        let faults = Arc::new(Faults::default());
        let scale = cfg.time_scale.max(0.0);
        let mut dc = duty_cycle(cfg.region);
        if let Some(p) = cfg.duty_cycle_percent {
            dc.percent = p;
        }
        let (limit, window) = if dc.is_limited() && scale > 0.0 {
            (dc.budget().mul_f64(scale), dc.window.mul_f64(scale))
        } else {
            (Duration::ZERO, Duration::from_secs(1))
        };
        let mut nodes_out = Vec::new();
        let (sink, virtual_rx) = if cfg.virtual_handsets {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let multihop = cfg.topology.clone().map(|t| {
            let nums: Vec<u32> = specs.iter().map(|s| s.0).collect();
            MultiHopAir::new(t, &nums, cfg.seed, scale, cfg.trace)
        });
        let air = Arc::new_cyclic(|weak: &Weak<Air>| {
            let mut nodes = BTreeMap::new();
            for ((num, long, short, gw, area), (_, addr)) in specs.iter().zip(&listeners) {
                let user = User {
                    id: node_id(*num),
                    long_name: long.clone(),
                    short_name: short.clone(),
                    hw_model: proto::HardwareModel::Portduino as i32,
                    public_key: public_key_of(*num),
                    ..Default::default()
                };
                nodes.insert(
                    *num,
                    Node::new(
                        *num,
                        *area,
                        user,
                        weak.clone(),
                        AirtimeBudget::new(limit, window),
                    ),
                );
                nodes_out.push(SimNode {
                    num: *num,
                    long_name: long.clone(),
                    short_name: short.clone(),
                    addr: *addr,
                    is_gateway: *gw,
                    area: *area,
                });
            }
            Air {
                nodes,
                faults,
                preset: cfg.preset,
                region: cfg.region,
                allow_spoofing: cfg.allow_spoofing,
                gateway: GATEWAY_NUM,
                gateways: (0..areas).map(|a| GATEWAY_NUM + a as u32).collect(),
                uplinks: std::sync::OnceLock::new(),
                ok_to_mqtt: cfg.ok_to_mqtt,
                sink,
                signing: cfg.signing,
                signatures: Default::default(),
                instant: scale == 0.0 && multihop.is_none(),
                multihop: multihop.clone(),
            }
        });
        if let Some(mqtt) = &cfg.mqtt {
            let uplinks = (0..areas)
                .filter_map(|a| {
                    let gw = air.nodes.get(&(GATEWAY_NUM + a as u32))?.clone();
                    Some(gateway::start(air.clone(), gw, a, mqtt))
                })
                .collect();
            let _ = air.uplinks.set(uplinks);
        }
        let mut tasks = JoinSet::new();
        if let Some(radio) = &multihop {
            let weak = Arc::downgrade(&air);
            tasks.spawn(radio.clone().drive(move |outputs| {
                let Some(air) = weak.upgrade() else {
                    return false;
                };
                outputs.into_iter().for_each(|o| air.deliver_heard(o));
                true
            }));
            if let Some(every) = cfg.telemetry_every {
                tasks.spawn(telemetry_loop(air.clone(), every));
            }
        }
        for ((listener, _), sim) in listeners.into_iter().zip(&nodes_out) {
            let Some(node) = air.nodes.get(&sim.num).cloned() else {
                continue;
            };
            tasks.spawn(node.clone().transmit_loop(scale, cfg.preset));
            tasks.spawn(accept_loop(listener, node, air.clone()));
        }
        for n in &nodes_out {
            info!(node = %n.id(), name = %n.long_name, addr = %n.addr, gateway = n.is_gateway, "sim node up");
        }
        Ok(Self {
            air,
            virtual_replies: std::sync::Mutex::new(virtual_rx),
            nodes: nodes_out,
            handset_count: handsets,
            tasks,
        })
    }

    /// The node the daemon connects to (area 0's gateway).
    pub fn gateway(&self) -> &SimNode {
        &self.nodes[0]
    }

    /// Every area's gateway, by area.
    pub fn gateways(&self) -> Vec<&SimNode> {
        let mut gws: Vec<&SimNode> = self.nodes.iter().filter(|n| n.is_gateway).collect();
        gws.sort_by_key(|n| n.area);
        gws
    }

    pub fn handsets(&self) -> &[SimNode] {
        &self.nodes[1..1 + self.handset_count]
    }

    pub fn nodes(&self) -> &[SimNode] {
        &self.nodes
    }

    pub fn faults(&self) -> &Faults {
        &self.air.faults
    }

    /// `node` tells its clients its channel load, as the firmware's
    /// `DeviceTelemetryModule` does every minute (its own device metrics, to the phone
    /// only).
    pub fn report_load(&self, node: u32, load: meshmush_protocol::packets::ChannelLoad) {
        if let Some(n) = self.node(node) {
            let p = meshmush_protocol::packets::telemetry_packet(n.num, n.next_packet_id(), load);
            n.to_clients(&n.frame(from_radio::PayloadVariant::Packet(p)), false);
        }
    }

    /// Frames any node dropped because its client did not read them in time.
    pub fn frames_dropped(&self) -> u64 {
        self.air
            .nodes
            .values()
            .map(|n| n.dropped.load(std::sync::atomic::Ordering::Relaxed))
            .sum()
    }

    /// The faults, to change them later from another task.
    pub fn faults_handle(&self) -> Arc<Faults> {
        self.air.faults.clone()
    }

    fn node(&self, num: u32) -> Option<&Arc<Node>> {
        self.air.nodes.get(&num)
    }

    /// Damages the byte stream from `node` to its clients.
    pub fn inject(&self, node: u32, fault: StreamFault) {
        if let Some(n) = self.node(node) {
            n.send_clients(ClientMsg::Raw(faults::stream_fault_bytes(fault)), true);
        }
    }

    /// Closes every client connection of `node`. What arrives for them from now on is
    /// kept for the next client, as the firmware does.
    pub fn drop_clients(&self, node: u32) {
        if let Some(n) = self.node(node) {
            n.send_clients(ClientMsg::Close, true);
            if let Ok(mut clients) = n.clients.lock() {
                clients.clear();
            }
        }
    }

    /// Reboots `node`: its transmit queue is lost, and its clients see a new `my_info`
    /// on the stream, after which they must handshake again.
    pub fn reboot(&self, node: u32) {
        let Some(n) = self.node(node) else { return };
        n.clear_queue();
        let count = n
            .reboot_count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let info = proto::MyNodeInfo {
            my_node_num: n.num,
            reboot_count: count,
            min_app_version: 30200,
            ..Default::default()
        };
        n.send_clients(
            ClientMsg::Raw(b"INFO  | Booting meshmush-sim\r\n".to_vec()),
            true,
        );
        n.to_clients(&n.frame(from_radio::PayloadVariant::MyInfo(info)), true);
        if let Ok(mut clients) = n.clients.lock() {
            clients.iter_mut().for_each(|c| c.active = false);
        }
    }

    /// Makes `node` fail its API clients as `fault` says.
    pub fn node_fault(&self, node: u32, fault: NodeFault) {
        let Some(n) = self.node(node) else { return };
        match fault {
            NodeFault::Silent => {
                if let Ok(mut clients) = n.clients.lock() {
                    clients.iter_mut().for_each(|c| c.silent = true);
                }
            }
            NodeFault::QuietReset => {
                n.clear_queue();
                n.reboot_count
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Ok(mut clients) = n.clients.lock() {
                    clients.iter_mut().for_each(|c| c.active = false);
                }
            }
        }
    }

    /// Ends [`NodeFault::Silent`] on `node`: its clients are served again.
    pub fn clear_silence(&self, node: u32) {
        if let Some(n) = self.node(node)
            && let Ok(mut clients) = n.clients.lock()
        {
            clients.iter_mut().for_each(|c| c.silent = false);
        }
    }

    /// Lets every node learn `num`'s public key again after [`Faults::forget_key`], and
    /// tells their clients (as a fresh `node_info`).
    pub fn learn_key(&self, num: u32) {
        if !self.air.faults.learn_key(num) {
            return;
        }
        let Some(info) = self.node(num).map(|n| n.node_info()) else {
            return;
        };
        for n in self.air.nodes.values().filter(|n| n.num != num) {
            n.to_clients(
                &n.frame(from_radio::PayloadVariant::NodeInfo(info.clone())),
                false,
            );
        }
    }

    /// What node `num` did on the air (multi-hop mesh only): transmissions split into
    /// flooded and next-hop, their airtime, relays, cancellations, retries.
    pub fn radio_counters(&self, num: u32) -> Option<NodeCounters> {
        self.air.multihop.as_ref()?.counters(num)
    }

    /// Node `num`'s `DeviceMetrics` from what the simulated channel carried
    /// (multi-hop mesh only).
    pub fn device_metrics(&self, num: u32) -> Option<proto::DeviceMetrics> {
        Some(self.air.multihop.as_ref()?.device_metrics(num))
    }

    /// Hands node `num`'s clients its `DeviceMetrics` telemetry now.
    pub fn report_telemetry(&self, num: u32) {
        report_telemetry(&self.air, num);
    }

    /// Radio hops between nodes `a` and `b` (multi-hop mesh only; a direct neighbour
    /// is 1, the firmware's hops away 0).
    pub fn radio_hops(&self, a: u32, b: u32) -> Option<usize> {
        self.air.multihop.as_ref()?.radio_hops(a, b)
    }

    /// Takes node `num` off the air, or puts it back (multi-hop mesh only): it hears
    /// nothing, sends nothing, and loses its queue.
    pub fn set_off_air(&self, num: u32, off: bool) {
        if let Some(m) = &self.air.multihop {
            m.set_down(num, off);
        }
    }

    /// Stops every node and closes their ports.
    pub async fn shutdown(mut self) {
        self.tasks.shutdown().await;
        for n in self.air.nodes.values() {
            n.send_clients(ClientMsg::Close, true);
        }
    }
}

fn report_telemetry(air: &Air, num: u32) {
    let (Some(radio), Some(node)) = (&air.multihop, air.nodes.get(&num)) else {
        return;
    };
    let packet =
        multihop_air::telemetry_packet(num, node.next_packet_id(), radio.device_metrics(num));
    node.to_clients(
        &node.frame(from_radio::PayloadVariant::Packet(packet)),
        false,
    );
}

async fn telemetry_loop(air: Arc<Air>, every: Duration) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
    tick.tick().await;
    loop {
        tick.tick().await;
        for &num in air.nodes.keys() {
            report_telemetry(&air, num);
        }
    }
}

async fn accept_loop(listener: TcpListener, node: Arc<Node>, air: Arc<Air>) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                tracing::debug!(node = node.num, %peer, "sim API client");
                tokio::spawn(client::serve(node.clone(), air.clone(), stream));
            }
            Err(e) => {
                warn!(node = node.num, error = %e, "sim accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}
