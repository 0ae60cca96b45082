//! The outbound queue's unit tests: pacing, fairness, refusals, retries, missing keys.

use meshmush_protocol::chunking::chunk;

use super::*;

/// Text cut as the host cuts a reply, at a 50-byte budget.
fn reply(text: &str) -> Vec<String> {
    chunk(text, 50)
}

fn queue() -> Outbound {
    let cfg = OutboundConfig {
        hop_limit: 3,
        max_attempts: 3,
        ack_timeout: Duration::from_secs(60),
        retry_delay: Duration::from_secs(5),
        airtime_scale: 1.0,
        pki: true,
    };
    let budget = AirtimeBudget::new(Duration::from_secs(3600), Duration::from_secs(3600));
    Outbound::new(cfg, budget, PacketIds::starting_at(100))
}

fn status(free: u32, id: u32) -> QueueStatus {
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
    let a = q.push(1, PRIMARY_CHANNEL, reply(&"a ".repeat(100)));
    let b = q.push(2, PRIMARY_CHANNEL, reply("b"));
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
    q.push(1, PRIMARY_CHANNEL, reply("x"));
    q.push(2, PRIMARY_CHANNEL, reply("y"));
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
    let ids = q.push(1, PRIMARY_CHANNEL, reply("hello"));
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
    let ids = q.push(7, PRIMARY_CHANNEL, reply("secret"));
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
    let ids = q.push(3, PRIMARY_CHANNEL, reply("hi"));
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
    q.push(1, PRIMARY_CHANNEL, reply(&"z".repeat(45)));
    q.push(2, PRIMARY_CHANNEL, reply(&"z".repeat(45)));
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
    let ids = q.push(1, PRIMARY_CHANNEL, reply(&"w ".repeat(60)));
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
        q.push(dest, PRIMARY_CHANNEL, reply("x"));
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
    let ids = q.push(4, PRIMARY_CHANNEL, packets.clone());
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
    let ids = q.push(5, PRIMARY_CHANNEL, packet.clone());
    assert_eq!(ids.len(), 1);
    let (c, _) = q.next_ready(now).expect("sendable");
    assert_eq!(c.out.text, packet[0]);
}

#[tokio::test(start_paused = true)]
async fn an_empty_reply_queues_nothing() {
    let mut q = queue();
    assert!(q.push(6, PRIMARY_CHANNEL, Vec::new()).is_empty());
    assert_eq!(q.depth(), 0);
    assert_eq!(q.wait(Instant::now()), Wait::Idle);
}
