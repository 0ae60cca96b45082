//! The primary channel is everyone's: every node in range hears a packet the BBS puts
//! there, and pays its airtime. So the BBS's own channel packets (an urgent board's
//! notice, a wizard's `@wall`, the beacon) share one gap, `bbs.channel_gap_mins`:
//! whoever asks within it is told how long to wait.

use std::time::Duration;

use tokio::time::Instant;

use super::Roster;

impl Roster {
    /// How long until the channel gap ends, without taking it (`None`: free now).
    pub fn channel_wait(&self) -> Option<Duration> {
        let now = Instant::now();
        let inner = self.lock();
        let since = now.saturating_duration_since(inner.channel_last?);
        self.limits
            .channel_gap
            .checked_sub(since)
            .filter(|w| !w.is_zero())
    }

    /// Takes the channel for one packet now, if the gap since the last has passed;
    /// otherwise the wait left, and nothing is taken.
    pub fn take_channel(&self) -> Result<(), Duration> {
        let now = Instant::now();
        let gap = self.limits.channel_gap;
        let mut inner = self.lock();
        if let Some(last) = inner.channel_last {
            let since = now.saturating_duration_since(last);
            if since < gap {
                return Err(gap - since);
            }
        }
        inner.channel_last = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::limits;
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn one_channel_packet_per_gap() {
        let r = Roster::new(limits(60));
        assert_eq!(r.take_channel(), Ok(()));
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(
            r.take_channel(),
            Err(Duration::from_secs(540)),
            "9 min left"
        );
        assert_eq!(
            r.take_channel(),
            Err(Duration::from_secs(540)),
            "a refusal takes nothing"
        );
        tokio::time::advance(Duration::from_secs(540)).await;
        assert_eq!(r.take_channel(), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_is_told_without_taking_the_channel() {
        let r = Roster::new(limits(60));
        assert_eq!(r.channel_wait(), None);
        assert_eq!(r.channel_wait(), None, "asking takes nothing");
        assert_eq!(r.take_channel(), Ok(()));
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(r.channel_wait(), Some(Duration::from_secs(540)));
        tokio::time::advance(Duration::from_secs(540)).await;
        assert_eq!(r.channel_wait(), None);
    }
}
