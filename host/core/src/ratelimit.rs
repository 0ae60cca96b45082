//! The one limiter type: a token bucket, a burst then a steady rate. The roster keeps
//! one per node for commands (one polite refusal when a node runs dry, then silence
//! until it refills, so a flood costs one packet of airtime), for posts per hour and
//! for room notices per minute. It reads Tokio's clock, so tests reason about it with
//! paused time.

use std::time::Duration;

use tokio::time::Instant;

/// How the one refusal a node over its command limit hears begins.
pub const SLOW_DOWN: &str = "Slow down: too many commands.";

/// The refusal a node over its command limit hears, once per window (see
/// [`Verdict::RefuseWithNotice`]): "Slow down: too many commands. Try again in N s.",
/// the wait in whole seconds (at least one) in that fixed form, so a client can wait
/// it out and send the refused command again ([`slow_down_wait`] reads it back;
/// `meshmush chat` does so).
pub fn slow_down(wait_secs: u64) -> String {
    format!("{SLOW_DOWN} Try again in {} s.", wait_secs.max(1))
}

/// The wait a [`slow_down`] refusal asks for; `None` for any other text.
pub fn slow_down_wait(text: &str) -> Option<Duration> {
    let secs = text
        .trim()
        .strip_prefix(SLOW_DOWN)?
        .strip_prefix(" Try again in ")?
        .strip_suffix(" s.")?;
    secs.parse::<u64>().ok().map(Duration::from_secs)
}

/// What to do with one incoming command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Over the limit: tell the sender once.
    RefuseWithNotice,
    /// Over the limit and already told: say nothing.
    RefuseSilently,
}

#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_sec: f64,
    tokens: f64,
    updated: Instant,
    noticed: bool,
}

impl TokenBucket {
    /// `burst` at once, refilling at `per_minute`.
    pub fn new(burst: u32, per_minute: u32, now: Instant) -> Self {
        Self::with_rate(burst, f64::from(per_minute.max(1)) / 60.0, now)
    }

    /// `n` at once, refilling to `n` over an hour.
    pub fn per_hour(n: u32, now: Instant) -> Self {
        Self::with_rate(n, f64::from(n.max(1)) / 3600.0, now)
    }

    fn with_rate(burst: u32, per_sec: f64, now: Instant) -> Self {
        Self {
            capacity: f64::from(burst.max(1)),
            per_sec,
            tokens: f64::from(burst.max(1)),
            updated: now,
            noticed: false,
        }
    }

    pub fn check(&mut self, now: Instant) -> Verdict {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.capacity);
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.noticed = false;
            Verdict::Allow
        } else if !self.noticed {
            self.noticed = true;
            Verdict::RefuseWithNotice
        } else {
            Verdict::RefuseSilently
        }
    }

    /// True once the bucket has refilled to its burst: it then answers exactly as a new
    /// one would, so it can be forgotten (a node's bucket must not outlive its use,
    /// or the map grows with every node ever heard).
    pub fn is_full(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens + elapsed * self.per_sec >= self.capacity
    }

    /// How long until one command is allowed again.
    pub fn retry_after(&self) -> Duration {
        Duration::from_secs_f64(((1.0 - self.tokens).max(0.0) / self.per_sec).ceil())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_one_notice_then_silence_then_refill() {
        let now = Instant::now();
        let mut b = TokenBucket::new(3, 60, now);
        let verdicts: Vec<_> = (0..6).map(|_| b.check(now)).collect();
        assert_eq!(&verdicts[..3], &[Verdict::Allow; 3]);
        assert_eq!(verdicts[3], Verdict::RefuseWithNotice);
        assert_eq!(&verdicts[4..], &[Verdict::RefuseSilently; 2]);
        assert_eq!(b.retry_after(), Duration::from_secs(1));
        assert_eq!(b.check(now + Duration::from_secs(1)), Verdict::Allow);
    }

    #[test]
    fn the_slow_down_refusal_carries_its_wait_in_a_form_clients_read() {
        assert_eq!(
            slow_down(3),
            "Slow down: too many commands. Try again in 3 s."
        );
        assert_eq!(slow_down_wait(&slow_down(3)), Some(Duration::from_secs(3)));
        assert_eq!(
            slow_down(0),
            slow_down(1),
            "never 'try again in 0 s': that is a loop"
        );
        assert_eq!(slow_down_wait("Slow down: too many commands."), None);
        assert_eq!(slow_down_wait("Try again in 3 s."), None);
        assert_eq!(
            slow_down_wait("Busy: many new players at once. Try again in 2 min."),
            None,
            "a busy note is no refusal of the command: it ran"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn only_a_refilled_bucket_may_be_forgotten() {
        let now = Instant::now();
        let mut b = TokenBucket::new(2, 60, now);
        assert!(b.is_full(now), "a new bucket is full");
        b.check(now);
        b.check(now);
        assert_eq!(b.check(now), Verdict::RefuseWithNotice);
        // Still dry: forgetting it now would hand the node a fresh burst.
        assert!(!b.is_full(now + Duration::from_secs(1)));
        // Refilled: it answers as a new bucket would.
        let later = now + Duration::from_secs(2);
        assert!(b.is_full(later));
        let mut fresh = TokenBucket::new(2, 60, later);
        for _ in 0..4 {
            assert_eq!(b.check(later), fresh.check(later));
        }
    }
}
