//! Stress test of the framing decoders: random byte streams, random read sizes, no panics.
//!
//! ```text
//! cargo run --release -p meshmush-protocol --example decoder_stress -- [STREAMS] [SEED]
//! ```
//!
//! Each stream (0..2048 bytes) is a mix of pure noise, valid `ToRadio`/`FromRadio`
//! frames, headers announcing random lengths, truncated frames and wake-up runs. It is fed
//! to a fresh `NodeCodec` and a fresh `HostCodec` in random-sized pieces, then drained at
//! EOF. Every call runs under `catch_unwind`. Besides panics, the run counts decoder errors
//! (there should be none: garbage is never an error) and buffer-bound violations (the
//! decoder must never wait on more than one maximum-size frame). Exit code 1 if any.

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::Instant;

use bytes::BytesMut;
use meshmush_protocol::framing::{
    Frame, FrameCodec, HEADER_LEN, HostCodec, MAX_PAYLOAD, NodeCodec, START1, START2, frame_bytes,
};
use meshmush_protocol::packets::{self, TextOut};
use meshmush_protocol::proto::{FromRadio, from_radio};
use tokio_util::codec::Decoder;

/// xorshift64* — small, fast, good enough to make bytes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Spread the seed (splitmix64 step) so small seeds are as good as large ones.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        out.reserve(n);
        let mut left = n;
        while left > 0 {
            let bytes = self.next_u64().to_le_bytes();
            let k = left.min(8);
            out.extend_from_slice(&bytes[..k]);
            left -= k;
        }
    }
}

/// Some message text: ASCII, accented, or bytes around the start bytes ("Ô" is C3 94).
fn text(rng: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "look", "north", "the", "lantern", "Ô", "ô", "é", "😀", "一", "\n", " ", "(1/2)",
    ];
    let mut s = String::new();
    let target = rng.below(220);
    while s.len() < target {
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

fn valid_frame(rng: &mut Rng) -> BytesMut {
    let to = |m| frame_bytes(&m).expect("test messages fit a frame");
    match rng.below(7) {
        0 => to(packets::want_config(rng.next_u32())),
        1 => to(packets::heartbeat(rng.next_u32())),
        2 => to(TextOut::direct(rng.next_u32(), text(rng)).to_radio(rng.next_u32())),
        3 => frame_bytes(&FromRadio {
            id: rng.next_u32(),
            payload_variant: Some(from_radio::PayloadVariant::Packet(
                TextOut::direct(rng.next_u32(), text(rng))
                    .to_mesh_packet(rng.next_u32(), rng.next_u32()),
            )),
        })
        .expect("fits"),
        4 => frame_bytes(&FromRadio {
            id: rng.next_u32(),
            payload_variant: Some(from_radio::PayloadVariant::ConfigCompleteId(rng.next_u32())),
        })
        .expect("fits"),
        5 => frame_bytes(&FromRadio {
            id: rng.next_u32(),
            payload_variant: Some(from_radio::PayloadVariant::Packet(packets::routing_packet(
                rng.next_u32(),
                rng.next_u32(),
                rng.next_u32(),
                rng.next_u32(),
                meshmush_protocol::proto::routing::Error::None,
            ))),
        })
        .expect("fits"),
        _ => to(packets::disconnect()),
    }
}

/// A random length for a header: mostly plausible, sometimes oversize, sometimes anything.
fn header_len(rng: &mut Rng) -> u16 {
    match rng.below(4) {
        0 | 1 => rng.below(MAX_PAYLOAD + 1) as u16,
        2 => (MAX_PAYLOAD + 1 + rng.below(64)) as u16,
        _ => rng.next_u32() as u16,
    }
}

/// One random stream of at most `max` bytes.
fn stream(rng: &mut Rng, out: &mut Vec<u8>, max: usize) {
    out.clear();
    // Mostly mixed streams; some pure noise.
    let pure_noise = rng.chance(10);
    while out.len() < max {
        let room = max - out.len();
        match if pure_noise { 0 } else { rng.below(9) } {
            0 | 1 => {
                let n = rng.below(room.min(300) + 1);
                rng.fill(out, n);
            }
            2 | 3 => out.extend_from_slice(&valid_frame(rng)),
            4 => {
                let len = header_len(rng);
                let [hi, lo] = len.to_be_bytes();
                out.extend_from_slice(&[START1, START2, hi, lo]);
                // A body of random bytes, of about the announced length.
                let n = rng.below(usize::from(len).min(700) + 8);
                rng.fill(out, n);
            }
            5 => {
                let f = valid_frame(rng);
                let cut = rng.below(f.len());
                out.extend_from_slice(&f[..cut]);
            }
            6 => {
                let n = 1 + rng.below(40);
                out.resize(out.len() + n, START2);
            }
            7 => out.extend_from_slice(b"INFO  | 12:00:01 [Router] Received text msg\r\n"),
            _ => out.push(if rng.chance(50) { START1 } else { b'\n' }),
        }
    }
    out.truncate(max);
}

#[derive(Default)]
struct Totals {
    streams: u64,
    bytes: u64,
    frames: u64,
    debug_lines: u64,
    panics: u64,
    errors: u64,
    bound_violations: u64,
}

/// Feeds `bytes` to `codec` in random pieces, then drains it at EOF.
/// Returns (frames, debug lines, errors, bound violations).
fn run<D: prost::Message + Default, E>(
    codec: &mut FrameCodec<D, E>,
    bytes: &[u8],
    rng: &mut Rng,
) -> (u64, u64, u64, u64) {
    let (mut frames, mut lines, mut errors, mut violations) = (0, 0, 0, 0);
    let mut count = |f: Frame<D>| match f {
        Frame::Message(_) => frames += 1,
        Frame::DebugText(_) => lines += 1,
    };
    let mut buf = BytesMut::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        // Mostly small reads, like a serial port; sometimes a big one, like TCP.
        let size = if rng.chance(90) {
            1 + rng.below(64)
        } else {
            1 + rng.below(1024)
        };
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        buf.extend_from_slice(piece);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(f)) => count(f),
                Ok(None) => break,
                Err(_) => {
                    errors += 1;
                    break;
                }
            }
        }
        if buf.len() >= HEADER_LEN + MAX_PAYLOAD {
            violations += 1;
        }
    }
    loop {
        match codec.decode_eof(&mut buf) {
            Ok(Some(f)) => count(f),
            Ok(None) => break,
            Err(_) => {
                errors += 1;
                break;
            }
        }
    }
    if !buf.is_empty() {
        violations += 1;
    }
    (frames, lines, errors, violations)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let streams: u64 = match args.next().map(|a| a.replace('_', "").parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("usage: decoder_stress [STREAMS] [SEED]: bad STREAMS: {e}");
            return ExitCode::from(2);
        }
    };
    let seed: u64 = match args.next().map(|a| a.parse()) {
        None => 0x6D65_7368_6D75_7368, // "meshmush"
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("usage: decoder_stress [STREAMS] [SEED]: bad SEED: {e}");
            return ExitCode::from(2);
        }
    };

    // Report panics ourselves (with the stream that caused them), not via the hook.
    panic::set_hook(Box::new(|_| {}));

    let started = Instant::now();
    let mut t = Totals::default();
    let mut bytes = Vec::with_capacity(4096);
    for i in 0..streams {
        // One generator per stream, so any stream can be replayed from (seed, index).
        let mut rng = Rng::new(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let len = rng.below(2048);
        stream(&mut rng, &mut bytes, len);
        t.streams += 1;
        t.bytes += bytes.len() as u64;
        for side in ["node", "host"] {
            let result = panic::catch_unwind(AssertUnwindSafe(|| {
                if side == "node" {
                    run(&mut NodeCodec::new(), &bytes, &mut rng)
                } else {
                    run(&mut HostCodec::new(), &bytes, &mut rng)
                }
            }));
            match result {
                Ok((frames, lines, errors, violations)) => {
                    t.frames += frames;
                    t.debug_lines += lines;
                    t.errors += errors;
                    t.bound_violations += violations;
                    if errors + violations > 0 && t.errors + t.bound_violations <= 3 {
                        eprintln!(
                            "stream {i} ({side}, seed {seed}): {errors} errors, \
                             {violations} bound violations; bytes: {}",
                            hex(&bytes)
                        );
                    }
                }
                Err(payload) => {
                    t.panics += 1;
                    if t.panics <= 3 {
                        let msg = payload
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        eprintln!(
                            "PANIC in stream {i} ({side}, seed {seed}): {msg}; bytes: {}",
                            hex(&bytes)
                        );
                    }
                }
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "streams={} bytes={} ({:.1} MB, x2 decoders) frames_decoded={} debug_lines={} \
         panics={} errors={} bound_violations={} seed={} elapsed={:.2}s ({:.1} MB/s decoded incl. generation)",
        t.streams,
        t.bytes,
        t.bytes as f64 / 1e6,
        t.frames,
        t.debug_lines,
        t.panics,
        t.errors,
        t.bound_violations,
        seed,
        secs,
        2.0 * t.bytes as f64 / 1e6 / secs
    );
    if t.panics + t.errors + t.bound_violations > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
