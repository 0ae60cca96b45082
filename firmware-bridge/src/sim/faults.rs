//! Faults the software mesh can inject on demand, to prove the link survives what a
//! real mesh and a real USB cable do: lost, late and repeated packets on the air, a
//! full transmit queue, and damaged or dropped client streams.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

/// Damage done to the byte stream between a node and its API clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFault {
    /// Random bytes and debug console lines between frames.
    Garbage,
    /// A frame header announcing more bytes than follow (the rest is console text).
    Truncated,
    /// A header announcing more than 512 bytes, then junk.
    Oversize,
}

/// A node that stops serving its API clients (see [`Mesh::node_fault`](super::Mesh::node_fault)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeFault {
    /// The node sends nothing more to its current clients and answers nothing they
    /// send, with their connections left open (a hung firmware, a wedged USB bridge).
    /// Packets for them are kept, as for a disconnected phone. Lasts until
    /// [`Mesh::clear_silence`](super::Mesh::clear_silence) or until a client
    /// connects anew.
    Silent,
    /// The node resets and announces nothing: no `my_info`, no `rebooted`. Its
    /// transmit queue is lost, its reboot count goes up, and it hands its clients no
    /// packets until one asks with `want_config_id`; it still answers heartbeats, as
    /// firmware does in that state (`PhoneAPI::getFromRadio`, src/mesh/PhoneAPI.cpp).
    QuietReset,
}

/// Faults on the air and in the nodes, shared by the whole mesh. Probabilities are in
/// per-mille so they can live in atomics.
#[derive(Debug, Default)]
pub struct Faults {
    drop_permille: AtomicU32,
    dup_permille: AtomicU32,
    delay_ms: AtomicU32,
    no_pki: AtomicBool,
    full_queues: Mutex<HashSet<u32>>,
    unknown_keys: Mutex<HashSet<u32>>,
    placed: Mutex<HashMap<u32, Placed>>,
}

/// A handset placed some hops from everyone else without a multi-hop mesh: what it
/// sends arrives `heard_at` hops away (its `hop_limit` less that, `hop_start` kept, as
/// relays leave it), and a text to it arrives only with a `hop_limit` of at least
/// `reached_at` (fewer, and the last relay's copy never reaches it: no ack comes).
/// The two differ when the way back is longer than the way there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub heard_at: u32,
    pub reached_at: u32,
}

impl Faults {
    /// Loses this share (0..=1) of transmissions on the air.
    pub fn set_drop(&self, p: f64) {
        self.drop_permille.store(permille(p), Ordering::Relaxed);
    }

    /// Delivers this share (0..=1) of packets twice.
    pub fn set_duplicate(&self, p: f64) {
        self.dup_permille.store(permille(p), Ordering::Relaxed);
    }

    /// Delays every delivery by up to this much (uniformly), reordering packets.
    pub fn set_delay(&self, max: Duration) {
        self.delay_ms.store(
            max.as_millis().min(u128::from(u32::MAX)) as u32,
            Ordering::Relaxed,
        );
    }

    /// Sends direct messages without PKI (as firmware before 2.5, or a channel-key DM).
    pub fn set_pki(&self, on: bool) {
        self.no_pki.store(!on, Ordering::Relaxed);
    }

    /// Places `node` as [`Placed`] says; `None` puts it back beside everyone.
    pub fn place(&self, node: u32, placed: Option<Placed>) {
        if let Ok(mut map) = self.placed.lock() {
            match placed {
                Some(p) => map.insert(node, p),
                None => map.remove(&node),
            };
        }
    }

    /// Where `node` was placed, if anywhere.
    pub fn placed(&self, node: u32) -> Option<Placed> {
        self.placed.lock().ok()?.get(&node).copied()
    }

    /// Makes `node` refuse every packet from its clients, as with a full queue.
    pub fn set_queue_full(&self, node: u32, full: bool) {
        if let Ok(mut set) = self.full_queues.lock() {
            if full {
                set.insert(node);
            } else {
                set.remove(&node);
            }
        }
    }

    /// Makes every node act as if it had no public key for `node` (until `learn_key`).
    pub fn forget_key(&self, node: u32) {
        if let Ok(mut set) = self.unknown_keys.lock() {
            set.insert(node);
        }
    }

    pub(crate) fn learn_key(&self, node: u32) -> bool {
        self.unknown_keys
            .lock()
            .map(|mut s| s.remove(&node))
            .unwrap_or(false)
    }

    pub(crate) fn key_unknown(&self, node: u32) -> bool {
        self.unknown_keys
            .lock()
            .map(|s| s.contains(&node))
            .unwrap_or(false)
    }

    pub(crate) fn queue_full(&self, node: u32) -> bool {
        self.full_queues
            .lock()
            .map(|s| s.contains(&node))
            .unwrap_or(false)
    }

    pub(crate) fn pki(&self) -> bool {
        !self.no_pki.load(Ordering::Relaxed)
    }

    pub(crate) fn roll_drop(&self) -> bool {
        roll(self.drop_permille.load(Ordering::Relaxed))
    }

    pub(crate) fn roll_duplicate(&self) -> bool {
        roll(self.dup_permille.load(Ordering::Relaxed))
    }

    pub(crate) fn roll_delay(&self) -> Duration {
        let max = self.delay_ms.load(Ordering::Relaxed);
        if max == 0 {
            return Duration::ZERO;
        }
        Duration::from_millis(u64::from(rand::random_range(0..=max)))
    }
}

fn permille(p: f64) -> u32 {
    (p.clamp(0.0, 1.0) * 1000.0).round() as u32
}

fn roll(permille: u32) -> bool {
    permille > 0 && rand::random_range(0..1000) < permille
}

/// The bytes a stream fault writes.
pub(crate) fn stream_fault_bytes(fault: StreamFault) -> Vec<u8> {
    match fault {
        StreamFault::Garbage => {
            let mut bytes = b"DEBUG | ??:??:?? 42 [Router] sim garbage follows\r\n".to_vec();
            bytes.extend(
                (0..64)
                    .map(|_| rand::random_range(0u8..=255))
                    .filter(|&b| b != 0x94),
            );
            bytes.extend_from_slice(b"\r\nINFO  | sim garbage ends\r\n");
            bytes
        }
        StreamFault::Truncated => {
            let mut bytes = vec![0x94, 0xC3, 0x00, 0x64, 0x08, 0x01, 0x12];
            bytes.extend(std::iter::repeat_n(b'.', 97));
            bytes.push(b'\n');
            bytes
        }
        StreamFault::Oversize => {
            let mut bytes = vec![0x94, 0xC3, 0x02, 0x58];
            bytes.extend(std::iter::repeat_n(b'#', 600));
            bytes.push(b'\n');
            bytes
        }
    }
}
