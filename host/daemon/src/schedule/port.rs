//! The daemon's side of a schedule's task ([`Port`]): the kept firings in the store,
//! the channel gap and unasked share for wall and beacon lines, the delivery path for
//! them, and the admin console's sysop for posts. The trait is here too, so this
//! file needs nothing from `schedule/mod.rs`, which runs the tasks.

use std::time::Duration;

use chrono::{DateTime, Utc};
use meshmush_firmware_bridge::link::Class;
use tracing::{debug, warn};

use crate::admin::console::Console;
use crate::commands::text::wall_text;
use crate::config::schedule::Action;
use crate::delivery::BUSY_AFTER;
use meshmush_store::ScheduleFired;

/// Whether a due notice may go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// It may: for a channel action, the channel gap is taken.
    Go,
    /// Not now: try again after this long (the channel gap's rest, the unasked share).
    Later(Duration),
}

/// The link is gone: the daemon is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// What a schedule's task needs from the daemon: its kept firings and a way to send.
/// The daemon's is [`DaemonPort`]; the tests' keeps them in memory.
pub trait Port: Send + Sync + 'static {
    /// The due time the schedule `key` last fired for.
    fn fired(&self, key: &str) -> impl Future<Output = Option<DateTime<Utc>>> + Send;
    /// Keeps `due` as the schedule `key`'s last firing.
    fn set_fired(&self, key: &str, due: DateTime<Utc>) -> impl Future<Output = ()> + Send;
    /// Whether `action` may go now; for a channel action this takes the channel gap.
    fn claim(&self, action: &Action) -> Claim;
    /// Sends `action` (claimed just before). A refusal is logged, not retried.
    fn send(&self, action: &Action) -> impl Future<Output = Result<(), Closed>> + Send;
}

/// How soon to look again while the link is not up.
const OFF_AIR_RETRY: Duration = Duration::from_secs(60);

pub struct DaemonPort {
    console: Console,
}

impl DaemonPort {
    pub fn new(console: Console) -> Self {
        Self { console }
    }
}

impl Port for DaemonPort {
    async fn fired(&self, key: &str) -> Option<DateTime<Utc>> {
        match self.console.shared.store().schedule_fired(key.into()).await {
            Ok(f) => f.and_then(|f| DateTime::from_timestamp(f.due, 0)),
            Err(e) => {
                warn!(error = %e, "cannot read when a schedule last fired; counting from now");
                None
            }
        }
    }

    async fn set_fired(&self, key: &str, due: DateTime<Utc>) {
        let fired = ScheduleFired {
            due: due.timestamp(),
        };
        let store = self.console.shared.store();
        if let Err(e) = store.set_schedule_fired(key.into(), fired).await {
            warn!(error = %e, "cannot keep a schedule's firing; a restart may repeat it");
        }
    }

    fn claim(&self, action: &Action) -> Claim {
        if !action.on_channel() {
            return Claim::Go;
        }
        let shared = &self.console.shared;
        if shared.mesh().me().is_none() {
            debug!("scheduled channel notice waits: not on the air");
            return Claim::Later(OFF_AIR_RETRY);
        }
        let wait = shared.delivery.class_wait(Class::Unasked);
        if wait > BUSY_AFTER {
            return Claim::Later(wait);
        }
        match shared.roster().take_channel() {
            Ok(()) => Claim::Go,
            Err(wait) => Claim::Later(wait),
        }
    }

    async fn send(&self, action: &Action) -> Result<(), Closed> {
        let line = match action {
            Action::Post { board, text } => {
                let answer = self.console.run(&format!("post {board} {text}")).await;
                if !answer.ok {
                    // The refusal may quote what was sent: its size at warn, its words
                    // only at debug.
                    warn!(board = %board, answer_bytes = answer.text.len(), "scheduled post refused");
                    debug!(answer = %answer.text, "scheduled post's refusal");
                }
                return Ok(());
            }
            Action::Wall(text) => wall_text(&self.console.sysop_name, text),
            Action::Beacon(text) => text.clone(),
        };
        match self.console.shared.delivery.broadcast(&line).await {
            Ok(0) => warn!("the link refused a scheduled channel notice"),
            Ok(_) => {}
            Err(_) => return Err(Closed),
        }
        Ok(())
    }
}
