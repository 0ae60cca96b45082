//! Putting TC2's split lines back together. TC2's `send_message` (utils.py) cuts every
//! line into 200-character DMs, about 2 s apart, and only the first carries the
//! `BULLETIN|` prefix; a TC2 receiver stores the first part and drops the rest. Here a
//! prefixed line of exactly 200 characters is held for a short window: unprefixed
//! DMs from the same peer within it are joined on, until a part shorter than 200
//! characters ends the line. Pure: the caller passes the time.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use super::tc2::{TC2_SPLIT_CHARS, is_sync_line};

/// The longest line put together (a hostile peer could send 200-character parts
/// forever); past it, the held line and the part are refused.
pub const MAX_JOINED: usize = 4096;

/// What a DM from a TC2 peer came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// A whole line, ready to parse.
    Line(String),
    /// An unprefixed DM with nothing to join it to: refused.
    Orphan(String),
}

struct Held {
    text: String,
    last: Instant,
}

/// Held first parts, one per peer.
pub struct Joiner {
    window: Duration,
    held: HashMap<u32, Held>,
}

impl Joiner {
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            held: HashMap::new(),
        }
    }

    /// A DM from `peer` at `now`: the lines it completes, in order.
    pub fn push(&mut self, peer: u32, text: &str, now: Instant) -> Vec<Joined> {
        let mut out = Vec::new();
        if let Some(h) = self.held.get(&peer)
            && now.saturating_duration_since(h.last) > self.window
            && let Some(h) = self.held.remove(&peer)
        {
            out.push(Joined::Line(h.text));
        }
        let full_part = text.chars().count() == TC2_SPLIT_CHARS;
        if is_sync_line(text) {
            if let Some(h) = self.held.remove(&peer) {
                out.push(Joined::Line(h.text));
            }
            if full_part {
                self.held.insert(
                    peer,
                    Held {
                        text: text.to_string(),
                        last: now,
                    },
                );
            } else {
                out.push(Joined::Line(text.to_string()));
            }
            return out;
        }
        match self.held.remove(&peer) {
            Some(h) if h.text.len() + text.len() > MAX_JOINED => {
                out.push(Joined::Orphan(h.text));
                out.push(Joined::Orphan(text.to_string()));
            }
            Some(mut h) => {
                h.text.push_str(text);
                if full_part {
                    h.last = now;
                    self.held.insert(peer, h);
                } else {
                    out.push(Joined::Line(h.text));
                }
            }
            None => out.push(Joined::Orphan(text.to_string())),
        }
        out
    }

    /// Lines whose window has passed by `now` (a 200-character line that was whole).
    pub fn due(&mut self, now: Instant) -> Vec<(u32, Joined)> {
        let window = self.window;
        let due: Vec<u32> = self
            .held
            .iter()
            .filter(|(_, h)| now.saturating_duration_since(h.last) > window)
            .map(|(p, _)| *p)
            .collect();
        due.into_iter()
            .filter_map(|p| Some((p, Joined::Line(self.held.remove(&p)?.text))))
            .collect()
    }

    /// When the next held line falls due, if any.
    pub fn next_due(&self) -> Option<Instant> {
        self.held
            .values()
            .map(|h| h.last + self.window + Duration::from_millis(1))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UID: &str = "0b6f5d8e-2c1a-4f3e-9d7c-1a2b3c4d5e6f";

    /// A line cut as TC2's `send_message` cuts it: every 200 characters.
    fn tc2_parts(line: &str) -> Vec<String> {
        let chars: Vec<char> = line.chars().collect();
        chars
            .chunks(TC2_SPLIT_CHARS)
            .map(|c| c.iter().collect())
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_split_line_is_joined_within_the_window() {
        let line = format!("BULLETIN|General|ALCE|Long|{}|{UID}", "ü".repeat(200));
        let parts = tc2_parts(&line);
        assert_eq!(parts.len(), 2);
        let mut j = Joiner::new(Duration::from_secs(30));
        let t = Instant::now();
        assert_eq!(j.push(7, &parts[0], t), vec![]);
        // Another peer's line in between is its own.
        let other = format!("DELETE_MAIL|{UID}");
        assert_eq!(j.push(8, &other, t), vec![Joined::Line(other.clone())]);
        let t = t + Duration::from_secs(2);
        assert_eq!(j.push(7, &parts[1], t), vec![Joined::Line(line)]);
        assert_eq!(j.next_due(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn three_parts_and_a_late_part() {
        let line = format!("BULLETIN|General|ALCE|Long|{}|{UID}", "x".repeat(400));
        let parts = tc2_parts(&line);
        assert_eq!(parts.len(), 3);
        let mut j = Joiner::new(Duration::from_secs(30));
        let t = Instant::now();
        assert!(j.push(7, &parts[0], t).is_empty());
        assert!(j.push(7, &parts[1], t + Duration::from_secs(2)).is_empty());
        assert_eq!(
            j.push(7, &parts[2], t + Duration::from_secs(4)),
            vec![Joined::Line(line)]
        );
        // Past the window the first part stands alone (and fails to parse later),
        // and the late part is an orphan.
        assert!(j.push(7, &parts[0], t).is_empty());
        assert_eq!(j.due(t + Duration::from_secs(10)), vec![]);
        let late = t + Duration::from_secs(31);
        assert_eq!(j.due(late), vec![(7, Joined::Line(parts[0].clone()))]);
        assert_eq!(
            j.push(7, &parts[1], late),
            vec![Joined::Orphan(parts[1].clone())]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn endless_parts_are_refused_not_kept() {
        let mut j = Joiner::new(Duration::from_secs(30));
        let t = Instant::now();
        let head = format!("BULLETIN|{}", "h".repeat(TC2_SPLIT_CHARS - 9));
        assert!(j.push(7, &head, t).is_empty());
        let part = "p".repeat(TC2_SPLIT_CHARS);
        let mut refused = 0;
        for _ in 0..100 {
            refused += j
                .push(7, &part, t)
                .iter()
                .filter(|x| matches!(x, Joined::Orphan(_)))
                .count();
        }
        assert!(refused > 0, "a flood of parts is refused");
        assert!(j.held.values().all(|h| h.text.len() <= MAX_JOINED));
    }

    #[tokio::test(start_paused = true)]
    async fn a_whole_line_of_exactly_200_characters_is_released_by_the_next_line() {
        let head = "BULLETIN|General|ALCE|Even|";
        let content = "y".repeat(TC2_SPLIT_CHARS - head.len() - UID.len() - 1);
        let line = format!("{head}{content}|{UID}");
        assert_eq!(line.chars().count(), TC2_SPLIT_CHARS);
        let mut j = Joiner::new(Duration::from_secs(30));
        let t = Instant::now();
        assert!(j.push(7, &line, t).is_empty());
        let next = format!("DELETE_BULLETIN|{UID}");
        assert_eq!(
            j.push(7, &next, t),
            vec![Joined::Line(line), Joined::Line(next)]
        );
    }
}
