//! Property tests of the stream framing codec (`0x94 0xC3 <len> <protobuf>`).
//!
//! The decoder reads whatever a USB cable or a TCP socket delivers, so these properties
//! hold for every input, not just for the frames an honest node sends:
//! - valid frames round-trip, whatever the split of the stream into reads;
//! - valid frames hidden in debug-console noise all come out, in order;
//! - arbitrary bytes never panic, never error, and never make the buffer grow past one
//!   maximum-size frame plus the read that was just appended;
//! - a corrupt (oversize) length never costs the frame that follows it.

mod common;
use bytes::BytesMut;
use common::config;
use meshmush_protocol::framing::{
    DecodeStats, Frame, FrameCodec, HEADER_LEN, HostCodec, MAX_DEBUG_LINE, MAX_PAYLOAD, NodeCodec,
    START1, START2, encode_frame, frame_bytes,
};
use meshmush_protocol::packets::{self, TextOut};
use meshmush_protocol::proto::{
    FromRadio, MeshPacket, MyNodeInfo, QueueStatus, ToRadio, from_radio, mesh_packet, routing,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use prost::Message;
use tokio_util::codec::{Decoder, Encoder};

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// Cuts `s` to at most `max` bytes on a char boundary.
fn truncate_bytes(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// Message text of up to 200 bytes: printable ASCII, or any unicode incl. newlines.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,200}",
        "(?s).{0,200}".prop_map(|s| truncate_bytes(s, 200)),
        // Text full of the frame start bytes' UTF-8 neighbours: "Ô" is C3 94.
        "[Ôô\u{94}\u{C3} a]{0,100}".prop_map(|s| truncate_bytes(s, 200)),
    ]
}

fn text_out() -> impl Strategy<Value = TextOut> {
    let priorities = prop::sample::select(vec![
        mesh_packet::Priority::Unset,
        mesh_packet::Priority::Background,
        mesh_packet::Priority::Reliable,
        mesh_packet::Priority::High,
    ]);
    (
        any::<u32>(),
        0u32..8,
        text(),
        any::<bool>(),
        0u32..10,
        priorities,
    )
        .prop_map(
            |(dest, channel, text, want_ack, hop_limit, priority)| TextOut {
                dest,
                channel,
                reply_id: (dest % 3 == 0).then_some(dest),
                text,
                want_ack,
                hop_limit,
                priority,
            },
        )
}

/// What a host sends: texts, handshakes, heartbeats, goodbyes, and the empty message.
fn to_radio() -> impl Strategy<Value = ToRadio> {
    prop_oneof![
        4 => (text_out(), any::<u32>()).prop_map(|(t, id)| t.to_radio(id)),
        1 => any::<u32>().prop_map(packets::want_config),
        1 => any::<u32>().prop_map(packets::heartbeat),
        1 => Just(packets::disconnect()),
        1 => Just(ToRadio::default()),
    ]
}

fn routing_error() -> impl Strategy<Value = routing::Error> {
    prop::sample::select(vec![
        routing::Error::None,
        routing::Error::NoRoute,
        routing::Error::MaxRetransmit,
        routing::Error::Timeout,
        routing::Error::PkiSendFailPublicKey,
    ])
}

/// A received text packet as the node hands it up, with the rx metadata filled in.
fn rx_text_packet() -> impl Strategy<Value = MeshPacket> {
    (
        text_out(),
        any::<u32>(),
        any::<u32>(),
        (
            any::<u32>(),
            -30.0f32..20.0,
            -140i32..0,
            0u32..8,
            any::<bool>(),
        ),
    )
        .prop_map(
            |(t, from, id, (rx_time, rx_snr, rx_rssi, hop_start, pki))| {
                let mut p = t.to_mesh_packet(from, id);
                p.rx_time = rx_time;
                p.rx_snr = rx_snr;
                p.rx_rssi = rx_rssi;
                p.hop_start = hop_start;
                p.pki_encrypted = pki;
                p
            },
        )
}

/// What a node sends: texts, acks, handshake pieces, queue status, reboots.
fn from_radio() -> impl Strategy<Value = FromRadio> {
    use from_radio::PayloadVariant as V;
    let variant = prop_oneof![
        4 => rx_text_packet().prop_map(V::Packet),
        1 => (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>(), routing_error())
            .prop_map(|(f, t, id, req, e)| V::Packet(packets::routing_packet(f, t, id, req, e))),
        1 => any::<u32>().prop_map(V::ConfigCompleteId),
        1 => any::<bool>().prop_map(V::Rebooted),
        1 => (any::<i32>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(
            |(res, free, maxlen, mesh_packet_id)| V::QueueStatus(QueueStatus {
                res,
                free,
                maxlen,
                mesh_packet_id,
            })
        ),
        1 => (any::<u32>(), any::<u32>(), "[a-z0-9_]{0,20}").prop_map(
            |(my_node_num, reboot_count, pio_env)| V::MyInfo(MyNodeInfo {
                my_node_num,
                reboot_count,
                pio_env,
                ..Default::default()
            })
        ),
    ];
    (any::<u32>(), prop::option::weighted(0.95, variant)).prop_map(|(id, payload_variant)| {
        FromRadio {
            id,
            payload_variant,
        }
    })
}

/// Debug-console noise that cannot fake a header: no `0x94` anywhere. Newlines, CR,
/// runs of `0xC3` (the wake-up byte, also the header's second byte), log-like text
/// and random bytes.
fn noise() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => "[ -~]{0,60}".prop_map(String::into_bytes),
        2 => prop::collection::vec(any::<u8>().prop_map(|b| if b == START1 { b'?' } else { b }), 0..40),
        1 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => (1usize..40).prop_map(|n| vec![START2; n]),
        1 => Just("INFO  | 12:00:00 1 [Router] Rx: ä ö ü\r\n".as_bytes().to_vec()),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

/// Read sizes: the stream arrives in pieces of 1..64 bytes, cycled.
fn read_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=64, 1..24)
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Feeds `stream` to `codec` in pieces of the cycled `sizes`, draining the decoder after
/// each piece, then drains it at EOF. Checks on the way, for every input:
/// no error, a bounded buffer, bounded debug lines, and that every call either makes
/// progress or stops.
fn feed<D: Message + Default>(
    codec: &mut FrameCodec<D, impl Sized>,
    stream: &[u8],
    sizes: &[usize],
) -> Result<Vec<Frame<D>>, TestCaseError> {
    let mut out = Vec::new();
    let mut buf = BytesMut::new();
    let mut rest = stream;
    // Each returned frame consumes at least one byte or the pending line, so there are
    // never more results than bytes (plus the line at EOF).
    let limit = stream.len() + 2;
    let mut max_piece = 0;
    for &size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        max_piece = max_piece.max(piece.len());
        buf.extend_from_slice(piece);
        loop {
            prop_assert!(
                buf.len() <= HEADER_LEN + MAX_PAYLOAD + piece.len(),
                "buffer holds {} bytes after a read of {}",
                buf.len(),
                piece.len()
            );
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => {
                    check_frame(&frame)?;
                    out.push(frame);
                    prop_assert!(out.len() <= limit, "decoder does not make progress");
                }
                Ok(None) => break,
                Err(e) => return Err(TestCaseError::fail(format!("decode erred: {e}"))),
            }
        }
        prop_assert!(
            buf.len() < HEADER_LEN + MAX_PAYLOAD,
            "decoder waits on {} bytes, more than one maximum frame",
            buf.len()
        );
        // Capacity, not just length: the decoder's `reserve` must not balloon memory.
        prop_assert!(
            buf.capacity() <= 4 * (HEADER_LEN + MAX_PAYLOAD + max_piece),
            "buffer capacity grew to {}",
            buf.capacity()
        );
    }
    loop {
        match codec.decode_eof(&mut buf) {
            Ok(Some(frame)) => {
                check_frame(&frame)?;
                out.push(frame);
                prop_assert!(out.len() <= limit, "decode_eof does not make progress");
            }
            Ok(None) => break,
            Err(e) => return Err(TestCaseError::fail(format!("decode_eof erred: {e}"))),
        }
    }
    prop_assert!(buf.is_empty(), "decode_eof left {} bytes", buf.len());
    Ok(out)
}

fn check_frame<D>(frame: &Frame<D>) -> Result<(), TestCaseError> {
    if let Frame::DebugText(line) = frame {
        // Lossy UTF-8 never turns one byte into more than one char.
        prop_assert!(
            line.chars().count() <= MAX_DEBUG_LINE,
            "debug line of {} chars",
            line.chars().count()
        );
        prop_assert!(!line.contains('\n'), "debug line holds a newline: {line:?}");
    }
    Ok(())
}

fn messages<D>(frames: Vec<Frame<D>>) -> Vec<D> {
    frames
        .into_iter()
        .filter_map(|f| match f {
            Frame::Message(m) => Some(m),
            Frame::DebugText(_) => None,
        })
        .collect()
}

fn clean_stats(stats: DecodeStats, frames: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(stats.frames, frames as u64);
    prop_assert_eq!(stats.bad_frames, 0);
    prop_assert_eq!(stats.oversize, 0);
    prop_assert_eq!(stats.stray_start, 0);
    Ok(())
}

/// Header of an oversize (corrupt) frame.
fn oversize_header(len: u16) -> [u8; 4] {
    let [hi, lo] = len.to_be_bytes();
    [START1, START2, hi, lo]
}

// ---------------------------------------------------------------------------------------
// (a) Round trip
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// Host → node: `ToRadio` encoded by the host codec decodes to itself on the node.
    #[test]
    fn to_radio_round_trips(
        msgs in prop::collection::vec(to_radio(), 1..12),
        sizes in read_sizes(),
    ) {
        let mut host = HostCodec::new();
        let mut stream = BytesMut::new();
        for m in &msgs {
            host.encode(m, &mut stream).unwrap();
        }
        let mut node = NodeCodec::new();
        let got = feed(&mut node, &stream, &sizes)?;
        prop_assert!(got.iter().all(|f| matches!(f, Frame::Message(_))), "{got:?}");
        prop_assert_eq!(messages(got), msgs.clone());
        clean_stats(node.stats(), msgs.len())?;
    }

    /// Node → host: `FromRadio` encoded by the node codec decodes to itself on the host.
    #[test]
    fn from_radio_round_trips(
        msgs in prop::collection::vec(from_radio(), 1..12),
        sizes in read_sizes(),
    ) {
        let mut node = NodeCodec::new();
        let mut stream = BytesMut::new();
        for m in msgs.iter().cloned() {
            node.encode(m, &mut stream).unwrap();
        }
        let mut host = HostCodec::new();
        let got = feed(&mut host, &stream, &sizes)?;
        prop_assert!(got.iter().all(|f| matches!(f, Frame::Message(_))), "{got:?}");
        prop_assert_eq!(messages(got), msgs.clone());
        clean_stats(host.stats(), msgs.len())?;
    }

    /// The three ways to encode agree, and the header is `94 C3 <len BE>`.
    #[test]
    fn encoders_agree_and_header_is_exact(msg in to_radio()) {
        let a = frame_bytes(&msg).unwrap();
        let mut b = BytesMut::from(&b"prefix"[..]);
        encode_frame(&msg, &mut b).unwrap();
        let mut c = BytesMut::new();
        HostCodec::new().encode(msg.clone(), &mut c).unwrap();
        prop_assert_eq!(&a[..], &b[6..]);
        prop_assert_eq!(&a[..], &c[..]);
        prop_assert_eq!(&a[..2], &[START1, START2][..]);
        let len = usize::from(u16::from_be_bytes([a[2], a[3]]));
        prop_assert_eq!(len, msg.encoded_len());
        prop_assert_eq!(a.len(), HEADER_LEN + len);
        prop_assert_eq!(ToRadio::decode(&a[HEADER_LEN..]).unwrap(), msg);
    }

    /// A message too big for a frame is refused and leaves the destination untouched;
    /// anything that fits is accepted.
    #[test]
    fn encoder_refuses_exactly_the_oversize(
        dest in any::<u32>(),
        text in "[ -~]{0,300}",
        repeat in 1usize..4,
    ) {
        let msg = TextOut::direct(dest, text.repeat(repeat)).to_radio(1);
        let mut dst = BytesMut::from(&b"keep"[..]);
        let res = encode_frame(&msg, &mut dst);
        if msg.encoded_len() > MAX_PAYLOAD {
            prop_assert!(res.is_err());
            prop_assert_eq!(&dst[..], b"keep");
        } else {
            prop_assert!(res.is_ok());
            prop_assert_eq!(dst.len(), 4 + HEADER_LEN + msg.encoded_len());
        }
    }
}

// ---------------------------------------------------------------------------------------
// (b) Frames in noise
// ---------------------------------------------------------------------------------------

/// `noise[0] frame[0] noise[1] frame[1] ... noise[n]`.
fn interleave(frames: &[BytesMut], noise: &[Vec<u8>]) -> Vec<u8> {
    let mut stream = Vec::new();
    for (i, n) in noise.iter().enumerate() {
        stream.extend_from_slice(n);
        if let Some(f) = frames.get(i) {
            stream.extend_from_slice(f);
        }
    }
    stream
}

proptest! {
    #![proptest_config(config(512))]

    /// Every valid frame hidden in debug-console noise comes out, all of them, in order,
    /// and the noise never turns into a message.
    #[test]
    fn node_recovers_every_frame_from_noise(
        (msgs, noise) in prop::collection::vec(to_radio(), 0..10).prop_flat_map(|m| {
            let n = m.len() + 1;
            (Just(m), prop::collection::vec(noise(), n))
        }),
        sizes in read_sizes(),
    ) {
        let frames: Vec<_> = msgs.iter().map(|m| frame_bytes(m).unwrap()).collect();
        let stream = interleave(&frames, &noise);
        let mut node = NodeCodec::new();
        let got = messages(feed(&mut node, &stream, &sizes)?);
        prop_assert_eq!(got, msgs.clone());
        clean_stats(node.stats(), msgs.len())?;
        let noise_len: usize = noise.iter().map(Vec::len).sum();
        prop_assert_eq!(node.stats().debug_bytes, noise_len as u64);
    }

    #[test]
    fn host_recovers_every_frame_from_noise(
        (msgs, noise) in prop::collection::vec(from_radio(), 0..10).prop_flat_map(|m| {
            let n = m.len() + 1;
            (Just(m), prop::collection::vec(noise(), n))
        }),
        sizes in read_sizes(),
    ) {
        let frames: Vec<_> = msgs.iter().map(|m| frame_bytes(m).unwrap()).collect();
        let stream = interleave(&frames, &noise);
        let mut host = HostCodec::new();
        let got = messages(feed(&mut host, &stream, &sizes)?);
        prop_assert_eq!(got, msgs.clone());
        clean_stats(host.stats(), msgs.len())?;
    }
}

// ---------------------------------------------------------------------------------------
// (c) Byte soup
// ---------------------------------------------------------------------------------------

/// Any bytes, weighted towards the ones that matter: start bytes, headers announcing
/// random lengths (in and out of range), bodies of random bytes, valid and truncated
/// frames, newlines and wake-up runs.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let len = prop_oneof![
        3 => 0u16..=(MAX_PAYLOAD as u16),
        1 => (MAX_PAYLOAD as u16 + 1)..=(MAX_PAYLOAD as u16 + 64),
        1 => any::<u16>(),
    ];
    let piece = prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..200),
        2 => prop::collection::vec(
            prop::sample::select(vec![START1, START2, b'\n', b'\r', 0x00, 0x02, b'a']),
            0..16,
        ),
        3 => (len, prop::collection::vec(any::<u8>(), 0..600)).prop_map(|(len, body)| {
            let [hi, lo] = len.to_be_bytes();
            let mut v = vec![START1, START2, hi, lo];
            // Sometimes the whole announced body, sometimes less, sometimes more.
            v.extend_from_slice(&body[..body.len().min(usize::from(len))]);
            v
        }),
        2 => to_radio().prop_map(|m| frame_bytes(&m).unwrap().to_vec()),
        2 => from_radio().prop_map(|m| frame_bytes(&m).unwrap().to_vec()),
        2 => (to_radio(), any::<prop::sample::Index>()).prop_map(|(m, cut)| {
            let f = frame_bytes(&m).unwrap();
            f[..cut.index(f.len())].to_vec()
        }),
        1 => Just(vec![START1]),
        1 => Just(vec![START1, START2]),
        1 => (1usize..300).prop_map(|n| vec![START2; n]),
        1 => (1usize..600).prop_map(|n| vec![b'x'; n]),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(1024))]

    /// Arbitrary bytes: no panic, no error, bounded buffer and lines (checked in `feed`),
    /// and the counters agree with what came out.
    #[test]
    fn node_survives_byte_soup(stream in soup(), sizes in read_sizes()) {
        let mut node = NodeCodec::new();
        let got = feed(&mut node, &stream, &sizes)?;
        let n = got.iter().filter(|f| matches!(f, Frame::Message(_))).count();
        prop_assert_eq!(node.stats().frames, n as u64);
    }

    #[test]
    fn host_survives_byte_soup(stream in soup(), sizes in read_sizes()) {
        let mut host = HostCodec::new();
        let got = feed(&mut host, &stream, &sizes)?;
        let n = got.iter().filter(|f| matches!(f, Frame::Message(_))).count();
        prop_assert_eq!(host.stats().frames, n as u64);
    }

    /// Fully random bytes, no structure at all.
    #[test]
    fn decoders_survive_uniform_bytes(
        stream in prop::collection::vec(any::<u8>(), 0..4096),
        sizes in read_sizes(),
    ) {
        feed(&mut NodeCodec::new(), &stream, &sizes)?;
        feed(&mut HostCodec::new(), &stream, &sizes)?;
    }

    /// The split of the stream into reads does not change what is decoded (messages and
    /// debug lines alike).
    #[test]
    fn split_does_not_change_messages(
        stream in soup(),
        sizes in read_sizes(),
    ) {
        let whole = feed(&mut HostCodec::new(), &stream, &[usize::MAX])?;
        let pieces = feed(&mut HostCodec::new(), &stream, &sizes)?;
        prop_assert_eq!(whole, pieces);
    }
}

// ---------------------------------------------------------------------------------------
// (d) Oversize lengths
// ---------------------------------------------------------------------------------------

fn oversize_len() -> impl Strategy<Value = u16> {
    prop_oneof![
        (MAX_PAYLOAD as u16 + 1)..=(MAX_PAYLOAD as u16 + 16),
        (MAX_PAYLOAD as u16 + 1)..=u16::MAX,
        // Lengths whose bytes are themselves start bytes.
        Just(0x94C3),
        Just(0x9494),
        Just(0xC394),
        Just(0x0294),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// One or more corrupt headers back to back, then valid frames: every valid frame
    /// is recovered.
    #[test]
    fn oversize_headers_then_frames_are_recovered(
        lead in noise(),
        bad in prop::collection::vec(oversize_len(), 1..4),
        msgs in prop::collection::vec(to_radio(), 1..4),
        sizes in read_sizes(),
    ) {
        let mut stream = lead;
        for &len in &bad {
            stream.extend_from_slice(&oversize_header(len));
        }
        for m in &msgs {
            stream.extend_from_slice(&frame_bytes(m).unwrap());
        }
        let mut node = NodeCodec::new();
        let got = messages(feed(&mut node, &stream, &sizes)?);
        prop_assert_eq!(got, msgs.clone());
        prop_assert!(node.stats().oversize >= 1);
        prop_assert_eq!(node.stats().bad_frames, 0);
    }

    /// A corrupt header, then noise (which cannot fake a header), then a valid frame.
    #[test]
    fn oversize_header_noise_then_frame_is_recovered(
        len in oversize_len().prop_map(|l| {
            // Length bytes without a start byte: 0x94 0x95 is still > 512.
            let [hi, lo] = l.to_be_bytes().map(|b| if b == START1 { 0x95 } else { b });
            u16::from_be_bytes([hi, lo])
        }),
        gap in noise(),
        msg in from_radio(),
        sizes in read_sizes(),
    ) {
        let mut stream = oversize_header(len).to_vec();
        stream.extend_from_slice(&gap);
        stream.extend_from_slice(&frame_bytes(&msg).unwrap());
        let mut host = HostCodec::new();
        let got = messages(feed(&mut host, &stream, &sizes)?);
        prop_assert_eq!(got, vec![msg]);
        prop_assert_eq!(host.stats().oversize, 1);
    }
}

// ---------------------------------------------------------------------------------------
// The size limit itself
// ---------------------------------------------------------------------------------------

/// A text `ToRadio` whose encoding is exactly `len` bytes.
fn to_radio_of_len(len: usize) -> ToRadio {
    let base = TextOut::direct(0x1234_5678, "").to_radio(42).encoded_len();
    // The text's length prefix grows from one byte to two at 128, so search.
    (0..len)
        .map(|n| TextOut::direct(0x1234_5678, "m".repeat(n)).to_radio(42))
        .find(|m| m.encoded_len() == len)
        .unwrap_or_else(|| panic!("no text gives {len} bytes (empty gives {base})"))
}

#[test]
fn largest_frame_round_trips_and_one_more_byte_is_refused() {
    let max = to_radio_of_len(MAX_PAYLOAD);
    let bytes = frame_bytes(&max).unwrap();
    assert_eq!(bytes.len(), HEADER_LEN + MAX_PAYLOAD);
    for size in [1, 7, 64, bytes.len()] {
        let mut node = NodeCodec::new();
        let got = messages(feed(&mut node, &bytes, &[size]).unwrap());
        assert_eq!(got, vec![max.clone()], "read size {size}");
    }
    assert!(frame_bytes(&to_radio_of_len(MAX_PAYLOAD + 1)).is_err());
}

proptest! {
    #![proptest_config(config(256))]

    /// Frames near the limit survive noise and splitting like small ones.
    #[test]
    fn large_frames_round_trip(
        lens in prop::collection::vec((MAX_PAYLOAD - 40)..=MAX_PAYLOAD, 1..4),
        noise in noise(),
        sizes in read_sizes(),
    ) {
        let msgs: Vec<_> = lens.into_iter().map(to_radio_of_len).collect();
        let mut stream = noise;
        for m in &msgs {
            stream.extend_from_slice(&frame_bytes(m).unwrap());
        }
        let mut node = NodeCodec::new();
        let got = messages(feed(&mut node, &stream, &sizes)?);
        prop_assert_eq!(got, msgs);
    }
}
