//! Joining the packets of one reply back into the message the BBS wrote, and what it
//! cost: packets, bytes, airtime on the node's preset.
//!
//! A reply cut into several packets carries the chunker's `(i/n) ` markers
//! ([`parse_marker`]); a packet without one is a whole message.

use std::collections::BTreeMap;
use std::time::Duration;

use meshmush_protocol::airtime::text_airtime;
use meshmush_protocol::chunking::parse_marker;
use meshmush_protocol::proto::config::lo_ra_config::ModemPreset;
use tokio::time::Instant;

/// One message from the BBS, whole (or as much of it as arrived).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    /// The packet it answers (`Data.reply_id`), as the BBS marked it.
    pub reply_to: Option<u32>,
    pub packets: usize,
    /// Bytes of text on the air, markers included.
    pub bytes: usize,
    /// Modelled airtime of its packets on the node's preset.
    pub airtime: Duration,
    /// When its first and its last packet arrived.
    pub first: Instant,
    pub last: Instant,
    /// Parts that never arrived, when it was flushed incomplete.
    pub missing: usize,
}

#[derive(Debug)]
struct Partial {
    reply_to: Option<u32>,
    total: usize,
    parts: BTreeMap<usize, String>,
    bytes: usize,
    airtime: Duration,
    first: Instant,
    last: Instant,
}

impl Partial {
    fn finish(self) -> Message {
        let missing = self.total.saturating_sub(self.parts.len());
        let packets = self.parts.len();
        Message {
            text: self.parts.into_values().collect::<Vec<_>>().join(" "),
            reply_to: self.reply_to,
            packets,
            bytes: self.bytes,
            airtime: self.airtime,
            first: self.first,
            last: self.last,
            missing,
        }
    }
}

/// Joins numbered packets; one per conversation partner. Packets that answer
/// different packets (or none) are different messages, so a notice that arrives
/// between the parts of a reply does not cut it.
#[derive(Debug)]
pub struct Assembler {
    preset: ModemPreset,
    partials: Vec<Partial>,
}

impl Assembler {
    pub fn new(preset: ModemPreset) -> Self {
        Self {
            preset,
            partials: Vec::new(),
        }
    }

    /// Takes one packet (answering `reply_to`, if marked); returns the messages it
    /// completes (an interrupted numbered message is flushed, incomplete, before a new
    /// one with the same mark starts).
    pub fn push(
        &mut self,
        text: &str,
        pki: bool,
        reply_to: Option<u32>,
        at: Instant,
    ) -> Vec<Message> {
        let airtime = text_airtime(self.preset, text.len(), pki);
        let mut done = Vec::new();
        let Some((part, total, body)) = parse_marker(text) else {
            done.extend(self.flush_for(reply_to));
            done.push(Message {
                text: text.to_string(),
                reply_to,
                packets: 1,
                bytes: text.len(),
                airtime,
                first: at,
                last: at,
                missing: 0,
            });
            return done;
        };
        let fits = self
            .partials
            .iter()
            .find(|p| p.reply_to == reply_to)
            .is_some_and(|p| p.total == total && !p.parts.contains_key(&part));
        if !fits {
            done.extend(self.flush_for(reply_to));
            self.partials.push(Partial {
                reply_to,
                total,
                parts: BTreeMap::new(),
                bytes: 0,
                airtime: Duration::ZERO,
                first: at,
                last: at,
            });
        }
        let Some(p) = self.partials.iter_mut().find(|p| p.reply_to == reply_to) else {
            return done;
        };
        p.parts.insert(part, body.to_string());
        p.bytes += text.len();
        p.airtime += airtime;
        p.last = at;
        if p.parts.len() >= p.total {
            done.extend(self.flush_for(reply_to));
        }
        done
    }

    /// True while a numbered message waits for more parts.
    pub fn is_waiting(&self) -> bool {
        !self.partials.is_empty()
    }

    /// The numbered messages in progress, as far as they got.
    pub fn flush(&mut self) -> Vec<Message> {
        self.partials.drain(..).map(Partial::finish).collect()
    }

    fn flush_for(&mut self, reply_to: Option<u32>) -> Option<Message> {
        let i = self.partials.iter().position(|p| p.reply_to == reply_to)?;
        Some(self.partials.remove(i).finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meshmush_protocol::chunking::chunk;

    #[test]
    fn a_plain_packet_is_a_whole_message() {
        let mut a = Assembler::new(ModemPreset::LongFast);
        let at = Instant::now();
        let done = a.push("pong", true, None, at);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].text, "pong");
        assert_eq!(done[0].packets, 1);
        assert_eq!(
            done[0].airtime,
            text_airtime(ModemPreset::LongFast, 4, true)
        );
        assert!(!a.is_waiting());
    }

    #[test]
    fn numbered_packets_join_into_what_was_cut() {
        let text = "word ".repeat(90);
        let packets = chunk(text.trim(), 200);
        assert_eq!(packets.len(), 3);
        let mut a = Assembler::new(ModemPreset::LongFast);
        let at = Instant::now();
        assert!(a.push(&packets[0], true, None, at).is_empty());
        assert!(a.push(&packets[1], true, None, at).is_empty());
        let done = a.push(&packets[2], true, None, at);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].text, text.trim());
        assert_eq!(done[0].packets, 3);
        assert_eq!(
            done[0].bytes,
            packets.iter().map(String::len).sum::<usize>()
        );
        assert_eq!(done[0].missing, 0);
    }

    #[test]
    fn a_reply_cut_short_is_flushed_with_what_is_missing() {
        let packets = chunk("word ".repeat(90).trim(), 200);
        let mut a = Assembler::new(ModemPreset::LongFast);
        let at = Instant::now();
        assert!(a.push(&packets[0], true, None, at).is_empty());
        // The next reply starts before part 2 and 3 arrived.
        let done = a.push("pong", true, None, at);
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].missing, 2);
        assert_eq!(done[1].text, "pong");
    }

    #[test]
    fn a_notice_between_the_parts_of_a_reply_does_not_cut_it() {
        let packets = chunk("word ".repeat(90).trim(), 200);
        let mut a = Assembler::new(ModemPreset::LongFast);
        let at = Instant::now();
        assert!(a.push(&packets[0], true, Some(7), at).is_empty());
        let notice = a.push("Bob pages: hi", true, None, at);
        assert_eq!(notice.len(), 1);
        assert_eq!(
            (notice[0].text.as_str(), notice[0].reply_to),
            ("Bob pages: hi", None)
        );
        assert!(a.push(&packets[1], true, Some(7), at).is_empty());
        let done = a.push(&packets[2], true, Some(7), at);
        assert_eq!(done.len(), 1);
        assert_eq!(
            (done[0].packets, done[0].missing, done[0].reply_to),
            (3, 0, Some(7))
        );
        assert!(!a.is_waiting());
    }
}
