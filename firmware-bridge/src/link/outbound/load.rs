//! Pacing by the channel, not only by ourselves: the node's own reading of how busy
//! the channel is holds back the classes that can wait.
//!
//! The firmware's own periodic traffic (telemetry, position, node info) asks
//! `AirTime::isTxAllowedChannelUtil` (src/mesh/airtime.cpp:123-132, v2.7.26) before
//! it sends: it stays quiet while channel utilization is at or above
//! `polite_channel_util_percent` (25 %) for polite senders, or
//! `max_channel_util_percent` (40 %) for all (src/mesh/airtime.h:70-71). The BBS does
//! the same with its classes: at 25 % what nobody asked for (the beacon, welcomes,
//! `@wall`) and sync wait; at 40 % notices and strangers' replies wait too. A known
//! player's reply never waits for the channel: they asked, and the node's own channel
//! activity detection still keeps it off a busy channel (RadioLibInterface.cpp).
//!
//! The node sends its metrics to the phone every minute
//! (src/modules/Telemetry/DeviceTelemetry.h: `sendToPhoneIntervalMs`), so a reading
//! older than [`FRESH_FOR`] no longer holds anything back: a node that stops saying
//! must not silence the BBS.

use std::time::Duration;

use meshmush_protocol::packets::ChannelLoad;
use tokio::time::Instant;

use super::class::Class;

/// `polite_channel_util_percent` (src/mesh/airtime.h:71).
pub const POLITE_CHANNEL_UTIL: f32 = 25.0;
/// `max_channel_util_percent` (src/mesh/airtime.h:70).
pub const MAX_CHANNEL_UTIL: f32 = 40.0;
/// How long one reading counts: three of the node's one-minute reports.
pub const FRESH_FOR: Duration = Duration::from_secs(180);

/// The latest reading, and when it came.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reading {
    pub load: ChannelLoad,
    pub at: Instant,
}

impl Reading {
    /// When this reading stops counting.
    pub fn stale_at(&self) -> Instant {
        self.at + FRESH_FOR
    }

    /// Whether `class` waits for the channel now.
    pub fn holds(&self, class: Class, now: Instant) -> bool {
        if now >= self.stale_at() {
            return false;
        }
        let util = self.load.channel_util;
        match class {
            Class::Known => false,
            Class::Stranger | Class::Notice => util >= MAX_CHANNEL_UTIL,
            Class::Sync | Class::Unasked => util >= POLITE_CHANNEL_UTIL,
        }
    }
}
