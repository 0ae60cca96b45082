//! The outbound queue's unit tests: pacing, fairness, refusals, retries, missing keys.

use meshmush_protocol::chunking::chunk;
use meshmush_protocol::proto::QueueStatus;

use super::*;
use crate::link::SendError;

/// Text cut as the host cuts a reply, at a 50-byte budget.
pub(super) fn reply(text: &str) -> Vec<String> {
    chunk(text, 50)
}

pub(super) fn queue() -> Outbound {
    queue_with(|_| {})
}

pub(super) fn queue_with(tweak: impl FnOnce(&mut OutboundConfig)) -> Outbound {
    let mut cfg = OutboundConfig {
        hop_limit: 3,
        max_attempts: 3,
        ack_timeout: Duration::from_secs(60),
        retry_delay: Duration::from_secs(5),
        airtime_scale: 1.0,
        pki: true,
        max_per_dest: OutboundConfig::DEFAULT_MAX_PER_DEST,
        max_total: OutboundConfig::DEFAULT_MAX_TOTAL,
        max_age: OutboundConfig::DEFAULT_MAX_AGE,
        max_key_parked: OutboundConfig::DEFAULT_MAX_KEY_PARKED,
        shares: ClassShares::default(),
        wait_out_floods: true,
    };
    tweak(&mut cfg);
    let budget = AirtimeBudget::new(Duration::from_secs(3600), Duration::from_secs(3600));
    Outbound::new(cfg, budget, PacketIds::starting_at(100))
}

pub(super) fn status(free: u32, id: u32) -> QueueStatus {
    QueueStatus {
        res: 0,
        free,
        maxlen: 16,
        mesh_packet_id: id,
    }
}

#[tokio::test(start_paused = true)]
async fn round_robin_across_destinations_one_in_flight_each() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let a = q
        .push(
            1,
            PRIMARY_CHANNEL,
            Class::Known,
            reply(&"a ".repeat(100)),
            Instant::now(),
        )
        .expect("room");
    let b = q
        .push(2, PRIMARY_CHANNEL, Class::Known, reply("b"), Instant::now())
        .expect("room");
    let (first, _) = q.next_ready(now).unwrap();
    let (second, _) = q.next_ready(now).unwrap();
    assert_eq!((first.id, second.id), (a[0], b[0]));
    assert!(q.next_ready(now).is_none(), "dest 1 waits for its ack");
    q.on_routing(a[0], None, now);
    assert_eq!(q.next_ready(now).unwrap().0.id, a[1]);
}

#[tokio::test(start_paused = true)]
async fn node_full_stops_sending() {
    let mut q = queue();
    let now = Instant::now();
    q.push(1, PRIMARY_CHANNEL, Class::Known, reply("x"), Instant::now())
        .expect("room");
    q.push(2, PRIMARY_CHANNEL, Class::Known, reply("y"), Instant::now())
        .expect("room");
    q.on_queue_status(&status(0, 0), now);
    assert!(q.next_ready(now).is_none());
    assert_eq!(q.wait(now), Wait::NodeFull);
    q.on_queue_status(&status(1, 0), now);
    assert!(q.next_ready(now).is_some());
    assert!(q.next_ready(now).is_none(), "one credit, used");
}

/// A queue whose one chunk (id returned) the node refused, saying `free` slots are left.
fn refused_with(free: u32, now: Instant) -> (Outbound, u32) {
    let mut q = queue();
    let ids = q
        .push(
            1,
            PRIMARY_CHANNEL,
            Class::Known,
            reply("hello"),
            Instant::now(),
        )
        .expect("room");
    let (c, _) = q.next_ready(now).unwrap();
    let refused = QueueStatus {
        res: 32,
        free,
        maxlen: 16,
        mesh_packet_id: c.id,
    };
    q.on_queue_status(&refused, now);
    (q, ids[0])
}

#[tokio::test(start_paused = true)]
async fn refused_chunk_is_retried_with_the_same_id() {
    let now = Instant::now();
    let (mut q, id) = refused_with(0, now);
    assert!(q.next_ready(now).is_none(), "the node is full");
    assert_eq!(q.wait(now), Wait::NodeFull);
    // A slot frees: the refused chunk goes at once, no fixed wait.
    q.on_queue_status(&status(1, 0), now);
    assert_eq!(q.next_ready(now).unwrap().0.id, id);
}

#[tokio::test(start_paused = true)]
async fn chunk_refused_with_room_left_waits_the_retry_delay() {
    let now = Instant::now();
    let (mut q, id) = refused_with(4, now);
    assert!(q.next_ready(now).is_none(), "parked for the retry delay");
    let later = now + Duration::from_secs(6);
    assert_eq!(q.next_ready(later).unwrap().0.id, id);
}

#[tokio::test(start_paused = true)]
async fn missing_key_parks_until_learned() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let ids = q
        .push(
            7,
            PRIMARY_CHANNEL,
            Class::Known,
            reply("secret"),
            Instant::now(),
        )
        .expect("room");
    q.next_ready(now);
    let out = q.on_routing(ids[0], Some(routing::Error::PkiSendFailPublicKey), now);
    assert!(matches!(
        out,
        Some(Outcome::Failed {
            will_retry: true,
            ..
        })
    ));
    assert!(q.next_ready(now + Duration::from_secs(999)).is_none());
    q.key_learned(7);
    assert_eq!(q.next_ready(now).unwrap().0.id, ids[0]);
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_attempts() {
    let mut q = queue();
    let mut now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let ids = q
        .push(
            3,
            PRIMARY_CHANNEL,
            Class::Known,
            reply("hi"),
            Instant::now(),
        )
        .expect("room");
    for attempt in 1..=3 {
        let (c, _) = q.next_ready(now).expect("sendable");
        assert_eq!(c.attempts, attempt);
        let out = q.on_routing(ids[0], Some(routing::Error::MaxRetransmit), now);
        let retry = attempt < 3;
        assert!(matches!(out, Some(Outcome::Failed { will_retry, .. }) if will_retry == retry));
        now += Duration::from_secs(60);
        q.on_queue_status(&status(16, 0), now);
    }
    assert_eq!(q.depth(), 0);
}

#[tokio::test(start_paused = true)]
async fn airtime_budget_defers_sending() {
    let mut q = queue();
    let now = Instant::now();
    q.set_radio(ModemPreset::LongFast, Duration::from_millis(1200));
    q.on_queue_status(&status(16, 0), now);
    q.push(
        1,
        PRIMARY_CHANNEL,
        Class::Known,
        reply(&"z".repeat(45)),
        Instant::now(),
    )
    .expect("room");
    q.push(
        2,
        PRIMARY_CHANNEL,
        Class::Known,
        reply(&"z".repeat(45)),
        Instant::now(),
    )
    .expect("room");
    assert!(q.next_ready(now).is_some());
    assert!(
        q.next_ready(now).is_none(),
        "second packet exceeds the 1.2 s budget"
    );
    assert!(matches!(q.wait(now), Wait::Until(t) if t > now));
}

#[tokio::test(start_paused = true)]
async fn disconnect_puts_in_flight_back_in_order() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let ids = q
        .push(
            1,
            PRIMARY_CHANNEL,
            Class::Known,
            reply(&"w ".repeat(60)),
            Instant::now(),
        )
        .expect("room");
    q.next_ready(now);
    q.on_disconnect();
    q.on_queue_status(&status(16, 0), now);
    assert_eq!(q.next_ready(now).unwrap().0.id, ids[0]);
    assert_eq!(q.depth(), ids.len());
}

#[tokio::test(start_paused = true)]
async fn a_lost_queue_status_costs_no_credit_for_good() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(3, 0), now);
    for dest in 1..=3 {
        q.push(
            dest,
            PRIMARY_CHANNEL,
            Class::Known,
            reply("x"),
            Instant::now(),
        )
        .expect("room");
    }
    let sent: Vec<u32> = (0..3).map(|_| q.next_ready(now).unwrap().0.id).collect();
    assert_eq!(q.credits(), 0);
    // The answers to the first two were lost on the stream; the third's arrives.
    q.on_queue_status(&status(16, sent[2]), now);
    assert_eq!(q.credits(), 16, "nothing is still waiting for an answer");
}

#[tokio::test(start_paused = true)]
async fn packets_keep_their_order_and_ids() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let packets: Vec<String> = ["(1/3) one", "(2/3) two", "(3/3) three"]
        .map(String::from)
        .into();
    let ids = q
        .push(
            4,
            PRIMARY_CHANNEL,
            Class::Known,
            packets.clone(),
            Instant::now(),
        )
        .expect("room");
    assert_eq!(ids, vec![100, 101, 102], "ids given in order as queued");
    assert_eq!(q.depth(), 3);
    for (id, text) in ids.iter().zip(&packets) {
        let (c, _) = q.next_ready(now).expect("sendable");
        assert_eq!((c.id, &c.out.text), (*id, text), "sent as given, in order");
        assert_eq!(c.out.channel, PRIMARY_CHANNEL);
        q.on_routing(c.id, None, now);
    }
    assert_eq!(q.depth(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_packet_is_never_cut_again() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    // Cut by the host at a 200-byte budget, this is one packet; the queue (whose tests
    // cut at 50) must not cut it again.
    let text = "x".repeat(150);
    let packet = chunk(&text, 200);
    assert_eq!(packet, vec![text]);
    let ids = q
        .push(
            5,
            PRIMARY_CHANNEL,
            Class::Known,
            packet.clone(),
            Instant::now(),
        )
        .expect("room");
    assert_eq!(ids.len(), 1);
    let (c, _) = q.next_ready(now).expect("sendable");
    assert_eq!(c.out.text, packet[0]);
}

#[tokio::test(start_paused = true)]
async fn an_empty_reply_queues_nothing() {
    let mut q = queue();
    assert!(
        q.push(6, PRIMARY_CHANNEL, Class::Known, Vec::new(), Instant::now())
            .expect("room")
            .is_empty()
    );
    assert_eq!(q.depth(), 0);
    assert_eq!(q.wait(Instant::now()), Wait::Idle);
}

/// A queue with `cfg` tweaked, told the node has 16 free slots.
fn open_queue(tweak: impl FnOnce(&mut OutboundConfig), now: Instant) -> Outbound {
    let mut q = queue_with(tweak);
    q.on_queue_status(&status(16, 0), now);
    q
}

#[tokio::test(start_paused = true)]
async fn a_full_destination_refuses_the_whole_reply() {
    let now = Instant::now();
    let mut q = open_queue(|c| c.max_per_dest = 4, now);
    q.push(1, PRIMARY_CHANNEL, Class::Known, strings(3), now)
        .expect("room");
    q.next_ready(now).expect("one in flight");
    // Three held (one in flight): two more would make five.
    let err = q.push(1, PRIMARY_CHANNEL, Class::Known, strings(2), now);
    assert_eq!(
        err,
        Err(SendError::DestinationFull {
            dest: 1,
            queued: 3,
            cap: 4
        })
    );
    assert_eq!(q.depth(), 3, "nothing of the refused reply was queued");
    q.push(1, PRIMARY_CHANNEL, Class::Known, strings(1), now)
        .expect("one more fits");
    q.push(2, PRIMARY_CHANNEL, Class::Known, strings(4), now)
        .expect("another destination has its own room");
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_refuses_any_destination() {
    let now = Instant::now();
    let mut q = open_queue(|c| c.max_total = 5, now);
    q.push(1, PRIMARY_CHANNEL, Class::Known, strings(3), now)
        .expect("room");
    q.push(2, PRIMARY_CHANNEL, Class::Known, strings(2), now)
        .expect("room");
    assert_eq!(
        q.push(3, PRIMARY_CHANNEL, Class::Known, strings(1), now),
        Err(SendError::QueueFull { queued: 5, cap: 5 })
    );
    assert_eq!(q.depth(), 5);
}

#[tokio::test(start_paused = true)]
async fn packets_past_their_age_are_dropped_and_reported() {
    let now = Instant::now();
    let max_age = Duration::from_secs(900);
    let mut q = open_queue(|c| c.max_age = max_age, now);
    // One in flight whose ack never comes in time, two queued behind it.
    let old = q
        .push(1, PRIMARY_CHANNEL, Class::Known, strings(3), now)
        .expect("room");
    q.next_ready(now).expect("sent");
    let later = now + Duration::from_secs(600);
    let young = q
        .push(2, PRIMARY_CHANNEL, Class::Known, strings(1), later)
        .expect("room");
    assert!(
        matches!(q.wait(now), Wait::Until(t) if t <= now + max_age),
        "the queue wakes by the time the oldest reply expires"
    );
    let at = now + max_age;
    let dropped: Vec<u32> = q
        .check_timeouts(at)
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Dropped {
                id,
                reason: DropReason::Expired,
                ..
            } => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(dropped, old, "all three, the one in flight too");
    assert_eq!(q.depth(), 1, "the younger reply stays");
    assert_eq!(q.next_ready(at).map(|(c, _)| c.id), Some(young[0]));
    assert!(
        q.on_routing(old[0], None, at).is_none(),
        "a late ack finds nothing"
    );
}

#[tokio::test(start_paused = true)]
async fn too_many_lanes_waiting_for_a_key_drop_the_oldest() {
    let now = Instant::now();
    let mut q = open_queue(|c| c.max_key_parked = 2, now);
    let mut ids = Vec::new();
    for dest in 1..=3 {
        let id = q
            .push(dest, PRIMARY_CHANNEL, Class::Known, strings(2), now)
            .expect("room");
        q.next_ready(now).expect("sent");
        q.on_routing(id[0], Some(routing::Error::PkiSendFailPublicKey), now);
        ids.push(id);
        assert!(q.key_parked_lanes() <= 2);
    }
    let dropped = q.take_dropped();
    assert_eq!(
        dropped,
        ids[0]
            .iter()
            .map(|&id| Outcome::Dropped {
                dest: 1,
                id,
                reason: DropReason::TooManyParked
            })
            .collect::<Vec<_>>(),
        "the lane parked first went, whole"
    );
    assert_eq!(q.depth(), 4);
    // The two still parked go when their keys are learned.
    q.key_learned(2);
    assert_eq!(q.next_ready(now).map(|(c, _)| c.id), Some(ids[1][0]));
    assert_eq!(q.key_parked_lanes(), 1);
}

fn strings(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("packet {i}")).collect()
}

/// Only the first packet of a known player's reply goes ahead of the node's acks
/// (MAX); the rest, and every other class's packets, wait behind them.
#[tokio::test(start_paused = true)]
async fn only_a_known_replys_first_packet_outranks_the_nodes_acks() {
    use meshmush_protocol::proto::mesh_packet::Priority;
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    q.push(1, PRIMARY_CHANNEL, Class::Known, strings(3), now)
        .expect("room");
    q.push(2, PRIMARY_CHANNEL, Class::Stranger, strings(2), now)
        .expect("room");
    // Each lane has one packet in flight: the next goes once the last is acked.
    let sent: Vec<(Class, i32)> = std::iter::from_fn(|| {
        let (c, _) = q.next_ready(now)?;
        q.on_routing(c.id, None, now);
        Some((c.class, c.out.priority as i32))
    })
    .collect();
    let ack = Priority::Ack as i32;
    assert_eq!(sent.len(), 5, "{sent:?}");
    assert!(sent[0].0 == Class::Known && sent[0].1 > ack, "{sent:?}");
    assert!(sent[1..].iter().all(|&(_, p)| p < ack), "{sent:?}");
}

/// The scheduler's classes: a known player's reply goes before anything queued ahead
/// of it in a lower class, and carries the priority that makes the node agree.
#[tokio::test(start_paused = true)]
async fn a_known_reply_overtakes_strangers_sync_and_the_beacon() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    for dest in 10..20 {
        q.push(dest, PRIMARY_CHANNEL, Class::Stranger, reply("busy?"), now)
            .expect("room");
    }
    q.push(30, PRIMARY_CHANNEL, Class::Sync, reply("~mm|D|1|x"), now)
        .expect("room");
    q.push(
        BROADCAST,
        PRIMARY_CHANNEL,
        Class::Unasked,
        reply("beacon"),
        now,
    )
    .expect("room");
    let known = q
        .push(1, PRIMARY_CHANNEL, Class::Known, reply("pong"), now)
        .expect("room");
    let (first, _) = q.next_ready(now).expect("something to send");
    assert_eq!(first.id, known[0], "the known reply goes first");
    assert_eq!(first.out.priority, Class::Known.first_priority());
    let order: Vec<Class> =
        std::iter::from_fn(|| q.next_ready(now).map(|(c, _)| c.class)).collect();
    // Sixteen slots: the known reply took one, eleven lower packets the rest but the
    // four kept for known players; the beacon, last in order, waits for them.
    assert_eq!(order.len(), 11, "{order:?}");
    assert!(order.is_sorted(), "classes in priority order: {order:?}");
}

#[tokio::test(start_paused = true)]
async fn a_class_over_its_share_waits_while_others_go() {
    // A whole share of 10 s an hour: strangers may have 40% of it, about 2 LongFast
    // packets of 200 bytes (1.75 s each).
    let mut q = queue();
    q.set_radio(ModemPreset::LongFast, Duration::from_secs(10));
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    for dest in 10..15 {
        q.push(
            dest,
            PRIMARY_CHANNEL,
            Class::Stranger,
            vec!["s".repeat(200)],
            now,
        )
        .expect("room");
    }
    let mut strangers = 0;
    while q.next_ready(now).is_some() {
        strangers += 1;
    }
    assert_eq!(strangers, 2, "strangers stop at their share");
    assert!(
        q.class_wait(Class::Stranger, 200, now) > Duration::from_secs(60),
        "past the window"
    );
    let known = q
        .push(1, PRIMARY_CHANNEL, Class::Known, vec!["k".repeat(200)], now)
        .expect("room");
    assert_eq!(q.next_ready(now).map(|(c, _)| c.id), Some(known[0]));
    let known_wait = q.class_wait(Class::Known, 200, now);
    assert!(
        known_wait < Duration::from_secs(3),
        "one packet in flight ahead: {known_wait:?}"
    );
    match q.wait(now) {
        Wait::Until(t) => assert!(t > now, "the strangers' next packet waits for the window"),
        other => panic!("strangers should wait for their share, not {other:?}"),
    }
    let spent = q.class_airtime()[Class::Stranger.index()];
    assert!(
        spent > Duration::from_secs(3) && spent <= Duration::from_secs(4),
        "{spent:?}"
    );
    assert_eq!(q.class_depths()[Class::Stranger.index()], 5);
}

#[tokio::test(start_paused = true)]
async fn the_last_node_slots_are_kept_for_known_players() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(4, 0), now);
    q.push(10, PRIMARY_CHANNEL, Class::Stranger, reply("s"), now)
        .expect("room");
    assert!(q.next_ready(now).is_none(), "four slots left: kept");
    assert!(
        matches!(q.wait(now), Wait::SlotsKept(_)),
        "the link asks the node again rather than waiting for a status it may not send"
    );
    let known = q
        .push(1, PRIMARY_CHANNEL, Class::Known, reply("k"), now)
        .expect("room");
    assert_eq!(q.next_ready(now).map(|(c, _)| c.id), Some(known[0]));
    // A node whose queue is too short to keep slots (or has not said) keeps none.
    let mut small = queue();
    small.on_queue_status(
        &QueueStatus {
            res: 0,
            free: 1,
            maxlen: 4,
            mesh_packet_id: 0,
        },
        now,
    );
    small
        .push(10, PRIMARY_CHANNEL, Class::Stranger, reply("s"), now)
        .expect("room");
    assert!(small.next_ready(now).is_some());
}

#[tokio::test(start_paused = true)]
async fn a_reply_names_the_packet_it_answers_and_pays_its_airtime() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    q.push_reply(
        1,
        PRIMARY_CHANNEL,
        Class::Known,
        reply("pong"),
        SendOpts {
            reply_to: Some(77),
            hops: None,
        },
        now,
    )
    .expect("room");
    q.push(2, PRIMARY_CHANNEL, Class::Known, reply("pong"), now)
        .expect("room");
    let (answer, _) = q.next_ready(now).unwrap();
    let (plain, _) = q.next_ready(now).unwrap();
    assert_eq!((answer.out.reply_id, plain.out.reply_id), (Some(77), None));
    assert!(
        q.cost(&answer) > q.cost(&plain),
        "its 5 bytes are on the air too"
    );
}
