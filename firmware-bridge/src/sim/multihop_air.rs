//! The multi-hop model as the software mesh's air (opt-in: `SimConfig::topology`).
//!
//! A node's transmitter hands each packet to the model instead of carrying it to
//! every node in its area; a driver task runs the model's events, paced to real time
//! by the time scale (or as fast as they come at scale 0), and hands what each node
//! decodes to that node's API clients, with the hop limit, hop start, relay node and
//! SNR it arrived with. ACKs, retries, implicit ACKs and `MAX_RETRANSMIT` come from
//! the model, as they come from the firmware's routers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use meshmush_protocol::Message;
use meshmush_protocol::airtime::{MESH_HEADER, PKI_OVERHEAD};
use meshmush_protocol::packets::{decoded, routing_packet};
use meshmush_protocol::proto::{
    self, DeviceMetrics, MeshPacket, Telemetry, mesh_packet, routing, telemetry,
};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::multihop::{Micros, NodeCounters, Output, Payload, RadioMesh, Send, Topology, TxRecord};

/// A packet a node decoded for its clients (to it or broadcast), first time heard, at
/// a virtual time: kept with [`SimConfig::trace`](super::SimConfig::trace) on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard {
    pub at: Micros,
    pub node: u32,
    pub from: u32,
    pub id: u32,
}

impl Payload for MeshPacket {
    fn ack(from: u32, to: u32, id: u32, request_id: u32) -> Self {
        routing_packet(from, to, id, request_id, routing::Error::None)
    }
}

/// The model, shared by the nodes' transmitters and the driver.
pub(crate) struct MultiHopAir {
    mesh: Mutex<RadioMesh<MeshPacket>>,
    wake: Notify,
    /// Real time per virtual time; 0 runs events as fast as they come.
    scale: f64,
    start: Instant,
    /// Virtual time skipped ([`MultiHopAir::skip`]), in microseconds.
    skipped: std::sync::atomic::AtomicU64,
    /// What nodes decoded, when tracing.
    heard: Option<Mutex<Vec<Heard>>>,
}

impl MultiHopAir {
    pub fn new(topology: Topology, nums: &[u32], seed: u64, scale: f64, trace: bool) -> Arc<Self> {
        let mesh = RadioMesh::new(topology, nums, seed);
        Arc::new(Self {
            mesh: Mutex::new(if trace { mesh } else { mesh.without_trace() }),
            wake: Notify::new(),
            scale: scale.max(0.0),
            start: Instant::now(),
            skipped: Default::default(),
            heard: trace.then(Mutex::default),
        })
    }

    fn skipped_us(&self) -> u64 {
        self.skipped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Virtual microseconds since the start, at a time scale above 0.
    fn virtual_now(&self) -> Option<u64> {
        (self.scale > 0.0).then(|| {
            (self.start.elapsed().as_secs_f64() / self.scale * 1e6) as u64 + self.skipped_us()
        })
    }

    /// The model's clock (virtual microseconds since the start).
    pub fn now(&self) -> Micros {
        self.mesh.lock().map_or(0, |m| m.now())
    }

    /// Moves the model's clock `d` ahead at once, running what falls due meanwhile:
    /// an hour of a quiet mesh in no wall time.
    pub fn skip(&self, d: Duration) {
        let d_us = d.as_micros() as u64;
        if let Ok(mut mesh) = self.mesh.lock() {
            let to = self.virtual_now().unwrap_or_else(|| mesh.now()) + d_us;
            mesh.run_until(to);
            self.skipped
                .fetch_add(d_us, std::sync::atomic::Ordering::Relaxed);
        }
        self.wake.notify_one();
    }

    /// No event is due: nothing queued, on air or awaiting a retry.
    pub fn idle(&self) -> bool {
        self.mesh.lock().is_ok_and(|m| m.next_event_at().is_none())
    }

    /// Every transmission so far (empty unless tracing).
    pub fn trace(&self) -> Vec<TxRecord> {
        self.mesh
            .lock()
            .map_or_else(|_| Vec::new(), |m| m.trace().to_vec())
    }

    /// Every packet nodes decoded for their clients so far (empty unless tracing).
    pub fn heard(&self) -> Vec<Heard> {
        self.heard
            .as_ref()
            .and_then(|h| h.lock().ok().map(|h| h.clone()))
            .unwrap_or_default()
    }

    /// Node `from`'s transmitter gives the model a packet of its own (or of its
    /// client's).
    pub fn send(&self, from: u32, packet: MeshPacket) {
        let data = decoded(&packet);
        let phy_len = MESH_HEADER
            + data.map_or(packet.encoded_len(), |d| d.encoded_len())
            + if packet.pki_encrypted {
                PKI_OVERHEAD
            } else {
                0
            };
        let send = Send {
            to: packet.to,
            id: packet.id,
            want_ack: packet.want_ack,
            hop_limit: packet.hop_limit.min(u32::from(u8::MAX)) as u8,
            request_id: data.map_or(0, |d| d.request_id),
            phy_len,
            payload: packet,
        };
        if let Ok(mut mesh) = self.mesh.lock() {
            if let Some(now) = self.virtual_now() {
                mesh.run_until(now);
            }
            mesh.send(from, send);
        }
        self.wake.notify_one();
    }

    /// What node `num` did on the air so far.
    pub fn counters(&self, num: u32) -> Option<NodeCounters> {
        self.mesh.lock().ok()?.counters(num)
    }

    /// Node `num`'s `DeviceMetrics`, from what the simulated channel carried.
    pub fn device_metrics(&self, num: u32) -> DeviceMetrics {
        let Ok(mesh) = self.mesh.lock() else {
            return DeviceMetrics::default();
        };
        DeviceMetrics {
            channel_utilization: Some(mesh.channel_utilization(num)),
            air_util_tx: Some(mesh.air_util_tx(num)),
            uptime_seconds: Some((mesh.now() / 1_000_000) as u32),
            ..Default::default()
        }
    }

    /// Radio hops between two nodes of the topology (a direct neighbour is 1).
    pub fn radio_hops(&self, a: u32, b: u32) -> Option<usize> {
        let mesh = self.mesh.lock().ok()?;
        let nums = mesh.nums();
        let (ia, ib) = (
            nums.iter().position(|&n| n == a)?,
            nums.iter().position(|&n| n == b)?,
        );
        mesh.topology()
            .radio_hops_from(ia)
            .get(ib)
            .copied()
            .flatten()
    }

    /// Takes a node off the air (or puts it back).
    pub fn set_down(&self, num: u32, down: bool) {
        if let Ok(mut mesh) = self.mesh.lock() {
            mesh.set_down(num, down);
        }
    }

    /// Runs the model, handing its outputs to `deliver` until that says the mesh is
    /// gone (false).
    pub async fn drive(self: Arc<Self>, deliver: impl Fn(Vec<Output<MeshPacket>>) -> bool) {
        loop {
            let next = self.mesh.lock().ok().and_then(|m| m.next_event_at());
            let Some(at) = next else {
                self.wake.notified().await;
                continue;
            };
            if self.scale > 0.0 {
                let real_us = at.saturating_sub(self.skipped_us());
                let due = self.start + Duration::from_micros(real_us).mul_f64(self.scale);
                tokio::select! {
                    _ = tokio::time::sleep_until(due) => {}
                    // A new packet may come before the next event: look again.
                    _ = self.wake.notified() => continue,
                }
            }
            let outputs = match self.mesh.lock() {
                Ok(mut mesh) => {
                    mesh.run_until(at);
                    mesh.take_outputs()
                }
                Err(_) => return,
            };
            if let Some(heard) = &self.heard
                && let Ok(mut heard) = heard.lock()
            {
                heard.extend(outputs.iter().filter_map(|o| match o {
                    Output::Delivered { node, frame, .. } => Some(Heard {
                        at,
                        node: *node,
                        from: frame.from,
                        id: frame.id,
                    }),
                    _ => None,
                }));
            }
            if !deliver(outputs) {
                return;
            }
            if self.scale == 0.0 {
                // Let the nodes' clients read while the model runs ahead.
                tokio::task::yield_now().await;
            }
        }
    }
}

/// The multi-hop model's clock and records, for figures (multi-hop mesh only).
/// A `DeviceMetrics` telemetry packet from `num` to its own clients, as the
/// firmware's DeviceTelemetryModule hands the phone.
pub(crate) fn telemetry_packet(num: u32, id: u32, metrics: DeviceMetrics) -> MeshPacket {
    let t = Telemetry {
        time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as u32),
        variant: Some(telemetry::Variant::DeviceMetrics(metrics)),
    };
    MeshPacket {
        from: num,
        to: num,
        id,
        payload_variant: Some(mesh_packet::PayloadVariant::Decoded(proto::Data {
            portnum: proto::PortNum::TelemetryApp as i32,
            payload: t.encode_to_vec(),
            ..Default::default()
        })),
        ..Default::default()
    }
}
