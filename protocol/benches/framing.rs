//! Throughput of the stream framing codec for the frame that matters most: a text DM.
//!
//! - decode: the host reading `FromRadio` frames, each a received ~150-byte DM, from a
//!   buffer of 1000 back-to-back frames (as after a burst on a TCP link);
//! - encode: the host writing `ToRadio` frames, each a ~150-byte reply, 1000 per batch.
//!
//! - node_decode: the node side reading those `ToRadio` frames.
//!
//! Two groups measure the same work: `framing_frames` in frames/s, `framing_bytes`
//! in bytes/s of wire data.

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use meshmush_protocol::framing::{Frame, HostCodec, NodeCodec, encode_frame};
use meshmush_protocol::packets::TextOut;
use meshmush_protocol::proto::{FromRadio, ToRadio, from_radio};
use std::hint::black_box;
use tokio_util::codec::{Decoder, Encoder};

const FRAMES: usize = 1000;
const ME: u32 = 0x1000_0001;
const THEM: u32 = 0x2000_0002;

/// About 150 bytes of game text.
const TEXT: &str = "You are in the town square. A lantern swings above the crossroads; \
                    exits lead north to the city gate, east to the alley, and west to the old inn.";

/// A received DM as the node hands it to the host.
fn dm_from_radio(i: u32) -> FromRadio {
    let mut p = TextOut::direct(ME, TEXT).to_mesh_packet(THEM, 0x4000_0000 + i);
    p.rx_time = 1_750_000_000 + i;
    p.rx_snr = 6.25;
    p.rx_rssi = -87;
    p.hop_start = 3;
    p.hop_limit = 2;
    p.pki_encrypted = true;
    FromRadio {
        id: i + 1,
        payload_variant: Some(from_radio::PayloadVariant::Packet(p)),
    }
}

/// A reply the host sends.
fn reply_to_radio(i: u32) -> ToRadio {
    TextOut::direct(THEM, TEXT).to_radio(0x5000_0000 + i)
}

/// `FRAMES` DM frames back to back.
fn dm_stream() -> BytesMut {
    let mut buf = BytesMut::new();
    for i in 0..FRAMES as u32 {
        encode_frame(&dm_from_radio(i), &mut buf).unwrap();
    }
    buf
}

fn decode_all(codec: &mut HostCodec, buf: &mut BytesMut) -> usize {
    let mut n = 0;
    while let Some(frame) = codec.decode(buf).unwrap() {
        if let Frame::Message(m) = frame {
            black_box(&m);
            n += 1;
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    assert!((140..=160).contains(&TEXT.len()), "{} bytes", TEXT.len());
    let stream = dm_stream();
    let to_send: Vec<ToRadio> = (0..FRAMES as u32).map(reply_to_radio).collect();
    let sent = {
        let mut buf = BytesMut::new();
        for m in &to_send {
            encode_frame(m, &mut buf).unwrap();
        }
        buf
    };
    let sent_len = sent.len();
    // Sanity: everything decodes, and a node reads what the host writes.
    assert_eq!(
        decode_all(&mut HostCodec::new(), &mut stream.clone()),
        FRAMES
    );
    eprintln!(
        "decode: {FRAMES} FromRadio frames, {} bytes ({} per frame); \
         encode: {FRAMES} ToRadio frames, {sent_len} bytes ({} per frame)",
        stream.len(),
        stream.len() / FRAMES,
        sent_len / FRAMES
    );

    for (group_name, throughput_decode, throughput_encode) in [
        (
            "framing_frames",
            Throughput::Elements(FRAMES as u64),
            Throughput::Elements(FRAMES as u64),
        ),
        (
            "framing_bytes",
            Throughput::Bytes(stream.len() as u64),
            Throughput::Bytes(sent_len as u64),
        ),
    ] {
        let mut group = c.benchmark_group(group_name);

        group.throughput(throughput_decode);
        group.bench_function("decode_from_radio_dm", |b| {
            // The copy of the input is setup, not measured.
            b.iter_batched_ref(
                || (HostCodec::new(), stream.clone()),
                |(codec, buf)| {
                    let n = decode_all(codec, buf);
                    debug_assert_eq!(n, FRAMES);
                    n
                },
                BatchSize::SmallInput,
            )
        });

        group.throughput(throughput_encode);
        group.bench_function("encode_to_radio_text", |b| {
            let mut codec = HostCodec::new();
            let mut buf = BytesMut::with_capacity(sent_len);
            b.iter(|| {
                buf.clear();
                for m in &to_send {
                    codec.encode(m, &mut buf).unwrap();
                }
                black_box(buf.len())
            })
        });

        // The node side, for completeness: a node reading the host's replies.
        group.bench_function("node_decode_to_radio_text", |b| {
            b.iter_batched_ref(
                || (NodeCodec::new(), sent.clone()),
                |(codec, buf)| {
                    let mut n = 0;
                    while let Some(f) = codec.decode(buf).unwrap() {
                        black_box(&f);
                        n += 1;
                    }
                    n
                },
                BatchSize::SmallInput,
            )
        });

        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
