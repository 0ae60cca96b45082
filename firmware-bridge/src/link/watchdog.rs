//! A watchdog on the node, so the link notices a node that stopped serving it: one
//! that hung with its port open, or one that reset without saying so.
//!
//! A heartbeat's answer does not count as the node serving us. Firmware answers a
//! heartbeat with `queueStatus` in any state, even right after a reset, before any
//! client asked for its config (`PhoneAPI::getFromRadio` answers `heartbeatReceived`
//! before it looks at its state, src/mesh/PhoneAPI.cpp); but in that state
//! (`STATE_SEND_NOTHING`) it hands the client no packets. So when nothing but heartbeat
//! answers arrived for [`LinkConfig::idle_timeout`](super::LinkConfig::idle_timeout),
//! the link asks for the config again (`want_config_id`, config only: no node list, a
//! few dozen frames on the local port, no airtime). A node that answers is fine, or is
//! serving us again; its `my_info` tells whether it reset meanwhile (the link then sends
//! again what was on its way). A node that does not answer within the handshake timeout
//! is given up on, and the link reconnects (reopening a serial port).

use std::time::Duration;

use meshmush_protocol::packets::CONFIG_ONLY_NONCE;
use tokio::time::Instant;

/// What the watchdog wants done now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Due {
    Nothing,
    /// Send `want_config_id` with this nonce.
    Probe(u32),
    /// The node did not answer in time: drop the connection, for this reason.
    GiveUp(String),
}

#[derive(Debug)]
pub(crate) struct Watchdog {
    idle: Duration,
    answer: Duration,
    last_heard: Instant,
    /// The probe's deadline, while one is out.
    probe: Option<Instant>,
}

impl Watchdog {
    pub(crate) fn new(idle: Duration, answer: Duration, now: Instant) -> Self {
        Self {
            idle,
            answer,
            last_heard: now,
            probe: None,
        }
    }

    /// The node sent something that shows it serves us.
    pub(crate) fn heard(&mut self, now: Instant) {
        self.last_heard = now;
    }

    /// True while a probe awaits its answer (its `my_info` is expected, not news).
    pub(crate) fn probing(&self) -> bool {
        self.probe.is_some()
    }

    /// When [`poll`](Self::poll) next has something to do.
    pub(crate) fn wake_at(&self) -> Instant {
        self.probe.unwrap_or(self.last_heard + self.idle)
    }

    pub(crate) fn poll(&mut self, now: Instant) -> Due {
        match self.probe {
            Some(deadline) if now >= deadline => Due::GiveUp(format!(
                "the node stopped answering: nothing for {:?}, and no answer to want_config within {:?}",
                self.idle, self.answer
            )),
            Some(_) => Due::Nothing,
            None if now >= self.last_heard + self.idle => {
                self.probe = Some(now + self.answer);
                Due::Probe(CONFIG_ONLY_NONCE)
            }
            None => Due::Nothing,
        }
    }

    /// `config_complete_id` arrived: true when it answers our probe.
    pub(crate) fn answered(&mut self, nonce: u32, now: Instant) -> bool {
        if self.probe.is_some() && nonce == CONFIG_ONLY_NONCE {
            self.probe = None;
            self.last_heard = now;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Duration = Duration::from_secs(600);
    const ANSWER: Duration = Duration::from_secs(30);

    #[tokio::test(start_paused = true)]
    async fn a_quiet_node_is_asked_then_given_up_on() {
        let start = Instant::now();
        let mut dog = Watchdog::new(IDLE, ANSWER, start);
        assert_eq!(dog.poll(start + IDLE / 2), Due::Nothing);
        assert_eq!(dog.wake_at(), start + IDLE);
        tokio::time::sleep_until(dog.wake_at()).await;
        assert_eq!(dog.poll(Instant::now()), Due::Probe(CONFIG_ONLY_NONCE));
        assert!(dog.probing());
        assert_eq!(dog.poll(Instant::now()), Due::Nothing, "asked once");
        tokio::time::sleep_until(dog.wake_at()).await;
        let now = Instant::now();
        assert!(matches!(dog.poll(now), Due::GiveUp(_)));
        assert_eq!(now - start, IDLE + ANSWER);
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_or_any_frame_keeps_the_node_trusted() {
        let start = Instant::now();
        let mut dog = Watchdog::new(IDLE, ANSWER, start);
        dog.heard(start + IDLE / 2);
        assert_eq!(dog.poll(start + IDLE), Due::Nothing, "heard from meanwhile");
        let t = start + IDLE * 2;
        assert_eq!(dog.poll(t), Due::Probe(CONFIG_ONLY_NONCE));
        assert!(!dog.answered(12345, t), "another nonce is not our answer");
        assert!(dog.answered(CONFIG_ONLY_NONCE, t + ANSWER / 2));
        assert!(!dog.probing());
        assert_eq!(dog.poll(t + ANSWER * 2), Due::Nothing);
        assert_eq!(dog.wake_at(), t + ANSWER / 2 + IDLE);
    }
}
