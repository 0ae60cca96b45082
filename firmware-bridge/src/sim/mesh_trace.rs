//! What the multi-hop model recorded, as the bench and tests read it off a running
//! [`Mesh`]: every transmission, every packet a node decoded, and the model's clock
//! (which the bench moves an hour ahead in no wall time).

use std::time::Duration;

use super::Mesh;
use super::multihop::{Micros, TxRecord};
use super::multihop_air::Heard;

impl Mesh {
    /// Every transmission so far, with [`SimConfig::trace`](super::SimConfig::trace).
    pub fn radio_trace(&self) -> Vec<TxRecord> {
        self.air
            .multihop
            .as_ref()
            .map_or_else(Vec::new, |m| m.trace())
    }

    /// Every packet a node decoded for its clients so far, with
    /// [`SimConfig::trace`](super::SimConfig::trace).
    pub fn radio_heard(&self) -> Vec<Heard> {
        self.air
            .multihop
            .as_ref()
            .map_or_else(Vec::new, |m| m.heard())
    }

    /// The model's clock, in virtual microseconds since the mesh started.
    pub fn radio_now(&self) -> Option<Micros> {
        Some(self.air.multihop.as_ref()?.now())
    }

    /// Moves the model's clock `d` ahead at once (an hour later, in no wall time).
    pub fn radio_skip(&self, d: Duration) {
        if let Some(m) = &self.air.multihop {
            m.skip(d);
        }
    }

    /// The model has nothing due: no packet queued, on air or awaiting a retry.
    pub fn radio_idle(&self) -> bool {
        self.air.multihop.as_ref().is_none_or(|m| m.idle())
    }
}
