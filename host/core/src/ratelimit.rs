//! The one limiter type: a token bucket, a burst then a steady rate. The roster keeps
//! one per node for commands (one polite refusal when a node runs dry, then silence
//! until it refills, so a flood costs one packet of airtime), for posts per hour and
//! for room notices per minute. It reads Tokio's clock, so tests reason about it with
//! paused time.

use std::time::Duration;

use meshmush_lang::{Lang, t};
use tokio::time::Instant;

/// The refusal a node over its command limit hears, once per window (see
/// [`Verdict::RefuseWithNotice`]), in `lang`: "Slow down: too many commands. Try
/// again in N s.", the wait in whole seconds (at least one), so a client can wait it
/// out and send the refused command again ([`slow_down_wait`] reads it back, in any
/// language; `meshmush chat` does so).
pub fn slow_down(lang: Lang, wait_secs: u64) -> String {
    t!(lang, "slow-down", n = wait_secs.max(1))
}

/// The wait a [`slow_down`] refusal asks for, in whichever offered language it came;
/// `None` for any other text. Each language's `slow-down` message is rendered with a
/// marker number, and the text must be that message with digits where the marker is:
/// the number of seconds is the part no language changes.
pub fn slow_down_wait(text: &str) -> Option<Duration> {
    const MARK: u64 = 7_654_321;
    let text = text.trim();
    Lang::all().find_map(|lang| {
        let template = t!(lang, "slow-down", n = MARK);
        let (head, tail) = template.split_once(&MARK.to_string())?;
        let secs = text.strip_prefix(head)?.strip_suffix(tail)?;
        if secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        secs.parse::<u64>().ok().map(Duration::from_secs)
    })
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
            slow_down(Lang::EN, 3),
            "Slow down: too many commands. Try again in 3 s."
        );
        assert_eq!(
            slow_down_wait(&slow_down(Lang::EN, 3)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            slow_down(Lang::EN, 0),
            slow_down(Lang::EN, 1),
            "never 'try again in 0 s': that is a loop"
        );
        assert_eq!(slow_down_wait("Slow down: too many commands."), None);
        assert_eq!(slow_down_wait("Try again in 3 s."), None);
        assert_eq!(
            slow_down_wait("Slow down: too many commands. Try again in x s."),
            None
        );
        assert_eq!(
            slow_down_wait("Busy: many new players at once. Try again in 2 min."),
            None,
            "a busy note is no refusal of the command: it ran"
        );
    }

    #[test]
    fn a_client_reads_the_wait_in_every_language() {
        let de = Lang::parse("de").expect("offered");
        let es = Lang::parse("es").expect("offered");
        assert_eq!(
            slow_down(de, 12),
            "Langsam: zu viele Befehle. Versuch es in 12 s wieder."
        );
        assert_eq!(
            slow_down(es, 12),
            "Más despacio: demasiados comandos. Vuelve a intentarlo en 12 s."
        );
        for lang in Lang::all() {
            assert_eq!(
                slow_down_wait(&slow_down(lang, 12)),
                Some(Duration::from_secs(12)),
                "{lang}"
            );
        }
        let busy = t!(de, "busy-strangers", n = 2);
        assert_eq!(slow_down_wait(&busy), None, "{busy}");
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
