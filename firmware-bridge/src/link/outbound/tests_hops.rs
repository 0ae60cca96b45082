//! The queue's unit tests for hop limits chosen by the host (and their retry at the
//! configured limit) and for pacing by the node's channel load.

use meshmush_protocol::airtime::reply_phy_len;
use meshmush_protocol::hops::ReplyHops;
use meshmush_protocol::packets::{ChannelLoad, PRIMARY_CHANNEL, TextMessage};
use meshmush_protocol::proto::routing;
use tokio::time::Instant;

use super::tests::{queue, reply, status};
use super::*;

fn at(hop_limit: u32) -> SendOpts {
    SendOpts {
        reply_to: Some(9),
        hops: Some(ReplyHops::at(hop_limit)),
    }
}

#[tokio::test(start_paused = true)]
async fn a_reply_too_short_for_its_way_goes_again_at_once_at_the_configured_limit() {
    for reason in [routing::Error::MaxRetransmit, routing::Error::Timeout] {
        let mut q = queue();
        let now = Instant::now();
        q.on_queue_status(&status(16, 0), now);
        let ids = q
            .push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(1), now)
            .expect("room");
        let (first, _) = q.next_ready(now).expect("goes");
        assert_eq!((first.out.hop_limit, first.out.want_ack), (1, true));
        q.on_queue_status(&status(15, first.id), now);
        assert_eq!(
            q.on_routing(first.id, Some(reason), now),
            Some(Outcome::Failed {
                dest: 7,
                id: ids[0],
                reason,
                will_retry: true,
                hop_limit: 1
            })
        );
        // At once (no retry delay), at the configured 3, under the same packet id:
        // nobody relayed the short copy, so only a destination that already has it
        // (and lost its ACK) would drop the repeat, as it should.
        let (again, _) = q.next_ready(now).expect("goes again at once");
        assert_eq!(again.out.hop_limit, 3);
        assert_eq!(again.id, ids[0], "the same packet id");
        assert_eq!(
            q.on_routing(again.id, None, now),
            Some(Outcome::Delivered {
                dest: 7,
                id: again.id,
                hop_limit: 3
            })
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_relayed_dm_with_no_ack_from_its_destination_is_undelivered_and_raised_only_below_cfg() {
    // At the configured limit: the node's implicit ACK (a neighbour relayed it) is no
    // delivery; with no ACK from the destination by the deadline it is given up, not
    // sent again under the same id that the relays already dropped.
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    let ids = q
        .push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(3), now)
        .expect("room");
    let (c, _) = q.next_ready(now).expect("goes");
    q.on_queue_status(&status(15, c.id), now);
    q.on_relayed(c.id, now);
    assert_eq!(
        q.in_flight_dest(c.id),
        Some(7),
        "still awaiting the real ACK"
    );
    let late = now + q.cfg.ack_timeout;
    assert_eq!(
        q.check_timeouts(late),
        vec![Outcome::Failed {
            dest: 7,
            id: ids[0],
            reason: routing::Error::Timeout,
            will_retry: false,
            hop_limit: 3
        }]
    );
    assert_eq!(q.depth(), 0);

    // Below it: the limit was too low; it goes again at once at 3, under a new id.
    let mut q = queue();
    q.on_queue_status(&status(16, 0), now);
    q.push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(1), now)
        .expect("room");
    let (c, _) = q.next_ready(now).expect("goes");
    q.on_queue_status(&status(15, c.id), now);
    q.on_relayed(c.id, now);
    let outcomes = q.check_timeouts(late);
    assert!(
        matches!(
            outcomes.as_slice(),
            [Outcome::Failed {
                will_retry: true,
                hop_limit: 1,
                ..
            }]
        ),
        "{outcomes:?}"
    );
    let (again, _) = q.next_ready(late).expect("goes again at once");
    assert_eq!(again.out.hop_limit, 3);
    assert_ne!(again.id, c.id);
}

/// A queue that waits the default 180 s for an ACK.
fn patient_queue() -> Outbound {
    super::tests::queue_with(|c| c.ack_timeout = Duration::from_secs(180))
}

/// The node's own patience for a packet of `text` (a reply at 3 hops): its three tries'
/// retry intervals at CWmax (RadioInterface.cpp `getRetransmissionMsec`).
fn patience_for(text: &str) -> Duration {
    let airtime = meshmush_protocol::airtime::time_on_air(
        ModemPreset::LongFast,
        reply_phy_len(text.len(), true, true),
    );
    meshmush_protocol::relay_timing::ack_patience(ModemPreset::LongFast, airtime)
}

#[tokio::test(start_paused = true)]
async fn after_an_implicit_ack_a_lost_destination_ack_holds_the_lane_only_for_the_nodes_patience() {
    // A two-packet reply at the configured limit: the first is relayed (the node's
    // implicit ACK), the destination's ACK never comes.
    let mut q = patient_queue();
    let t0 = Instant::now();
    q.on_queue_status(&status(16, 0), t0);
    let text = "a ".repeat(40);
    let ids = q
        .push_reply(7, PRIMARY_CHANNEL, Class::Known, reply(&text), at(3), t0)
        .expect("room");
    assert_eq!(ids.len(), 2);
    let (first, _) = q.next_ready(t0).expect("goes");
    q.on_queue_status(&status(15, first.id), t0);
    let heard = t0 + Duration::from_secs(3);
    q.on_relayed(first.id, heard);
    assert!(q.next_ready(heard).is_none(), "the lane waits for the ACK");
    let patience = patience_for(&first.out.text);
    // About 40 s for this 50-byte packet on LongFast, far under the 180 s deadline.
    assert!(
        (Duration::from_secs(30)..Duration::from_secs(60)).contains(&patience),
        "{patience:?}"
    );
    let judged = heard + patience;
    assert_eq!(q.wait(heard), Wait::Until(judged), "the queue wakes for it");
    assert!(
        q.check_timeouts(judged - Duration::from_millis(1))
            .is_empty()
    );
    assert_eq!(
        q.check_timeouts(judged),
        vec![Outcome::Failed {
            dest: 7,
            id: ids[0],
            reason: routing::Error::Timeout,
            will_retry: false,
            hop_limit: 3
        }]
    );
    // The player's next packet goes then, not 180 s after the first.
    let (second, _) = q.next_ready(judged).expect("the lane moves on");
    assert_eq!(second.id, ids[1]);
    // Its 180-s deadline, when it comes, finds nothing of the first to judge.
    q.on_queue_status(&status(15, second.id), judged);
    assert_eq!(
        q.on_routing(second.id, None, judged)
            .map(|o| matches!(o, Outcome::Delivered { .. })),
        Some(true)
    );
    assert!(q.check_timeouts(t0 + Duration::from_secs(180)).is_empty());
}

#[tokio::test(start_paused = true)]
async fn below_the_configured_limit_a_relayed_reply_without_an_ack_is_raised_after_the_patience() {
    let mut q = patient_queue();
    let t0 = Instant::now();
    q.on_queue_status(&status(16, 0), t0);
    q.push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(1), t0)
        .expect("room");
    let (c, _) = q.next_ready(t0).expect("goes");
    q.on_queue_status(&status(15, c.id), t0);
    q.on_relayed(c.id, t0);
    let judged = t0 + patience_for("pong");
    let outcomes = q.check_timeouts(judged);
    assert!(
        matches!(
            outcomes.as_slice(),
            [Outcome::Failed {
                will_retry: true,
                hop_limit: 1,
                reason: routing::Error::Timeout,
                ..
            }]
        ),
        "{outcomes:?}"
    );
    let (again, _) = q.next_ready(judged).expect("raised at once");
    assert_eq!(again.out.hop_limit, 3);
    assert_ne!(
        again.id, c.id,
        "a new id: the relays dropped the first as a duplicate"
    );
}

#[tokio::test(start_paused = true)]
async fn a_destination_ack_after_the_implicit_one_delivers_and_nothing_is_judged_later() {
    let mut q = patient_queue();
    let t0 = Instant::now();
    q.on_queue_status(&status(16, 0), t0);
    let ids = q
        .push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(3), t0)
        .expect("room");
    let (c, _) = q.next_ready(t0).expect("goes");
    q.on_queue_status(&status(15, c.id), t0);
    q.on_relayed(c.id, t0);
    // A second implicit ACK (another neighbour) moves nothing.
    q.on_relayed(c.id, t0 + Duration::from_secs(5));
    let acked = t0 + Duration::from_secs(20);
    assert_eq!(
        q.on_routing(c.id, None, acked),
        Some(Outcome::Delivered {
            dest: 7,
            id: ids[0],
            hop_limit: 3
        })
    );
    assert!(q.check_timeouts(t0 + Duration::from_secs(200)).is_empty());
    assert!(
        !matches!(q.wait(acked), Wait::Until(t) if t < t0 + Duration::from_secs(180)),
        "no deadline left for it"
    );
}

/// Request 9, "look", from `from`, heard `hops` away of `hop_start`.
fn request(from: u32, hops: Option<u32>, hop_start: u32, want_ack: bool) -> TextMessage {
    TextMessage {
        from,
        to: 1,
        channel: PRIMARY_CHANNEL,
        id: 9,
        text: "look".into(),
        rx_time: 0,
        rx_snr: None,
        rx_rssi: None,
        hops,
        hop_start,
        pki_encrypted: true,
        public_key: None,
        signature: None,
        want_ack,
        reply_id: None,
        emoji: false,
    }
}

#[tokio::test(start_paused = true)]
async fn a_reply_waits_out_the_floods_its_request_set_off() {
    let airtime = meshmush_protocol::airtime::time_on_air(
        ModemPreset::LongFast,
        meshmush_protocol::airtime::text_phy_len(4, true),
    );
    // Two relay generations (80 slots and the request's airtime each), about 5 s:
    // the request's own relays, or our node's ACK's, which flood at the firmware's
    // response hop limit even when the request had no hops left.
    let two = meshmush_protocol::relay_timing::flood_wait(ModemPreset::LongFast, airtime, 3);
    assert!(
        (Duration::from_secs(5)..Duration::from_secs(6)).contains(&two),
        "{two:?}"
    );
    let cases = [
        (
            request(7, Some(0), 3, true),
            Some(two),
            "a neighbour, 3 hops left",
        ),
        (
            request(7, Some(3), 3, true),
            Some(two),
            "no hops left, but our ACK floods",
        ),
        (
            request(7, Some(3), 3, false),
            None,
            "no hops left and no ACK",
        ),
        (request(7, Some(0), 0, true), None, "a zero-hop request"),
        (request(7, None, 0, true), None, "hops unknown"),
    ];
    for (req, wait, what) in cases {
        let mut q = queue();
        let t0 = Instant::now();
        q.on_queue_status(&status(16, 0), t0);
        q.on_request(&req, t0);
        let ready = t0 + Duration::from_millis(200);
        q.push_reply(
            7,
            PRIMARY_CHANNEL,
            Class::Known,
            reply("pong"),
            at(3),
            ready,
        )
        .expect("room");
        let Some(wait) = wait else {
            assert!(q.next_ready(ready).is_some(), "{what}: at once");
            continue;
        };
        assert!(
            q.next_ready(ready).is_none(),
            "{what}: the floods are on air"
        );
        assert_eq!(q.wait(ready), Wait::Until(t0 + wait), "{what}");
        let (c, _) = q.next_ready(t0 + wait).expect("goes once they have passed");
        assert_eq!(c.out.reply_id, Some(9));
        // Only the reply to that request from that node waits.
        q.on_queue_status(&status(15, c.id), t0 + wait);
        q.on_request(&request(8, Some(0), 3, true), t0 + wait);
        for dest in [8, 5] {
            q.push_reply(
                dest,
                PRIMARY_CHANNEL,
                Class::Known,
                reply("pong"),
                at(3),
                t0 + wait,
            )
            .expect("room");
        }
        let (other, _) = q.next_ready(t0 + wait).expect("not held");
        assert_eq!(other.out.dest, 5);
        assert!(
            q.next_ready(t0 + wait).is_none(),
            "8's reply waits for its own"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_zero_hop_reply_wants_no_ack_and_is_done_once_the_node_queued_it() {
    let mut q = queue();
    let now = Instant::now();
    q.on_queue_status(&status(16, 0), now);
    q.push_reply(7, PRIMARY_CHANNEL, Class::Known, reply("pong"), at(0), now)
        .expect("room");
    let (c, _) = q.next_ready(now).expect("goes");
    // With want_ack the node would raise 0 to its configured limit (Router.cpp:271-276).
    assert_eq!((c.out.hop_limit, c.out.want_ack), (0, false));
    assert_eq!(
        q.on_queue_status(&status(15, c.id), now),
        Some(Outcome::Delivered {
            dest: 7,
            id: c.id,
            hop_limit: 0
        })
    );
    assert_eq!(q.depth(), 0);
}

fn load(channel_util: f32) -> ChannelLoad {
    ChannelLoad {
        channel_util,
        air_util_tx: 1.0,
    }
}

/// Queues one packet of every class to its own destination.
fn one_of_each(q: &mut Outbound, now: Instant) {
    for (i, class) in Class::ALL.into_iter().enumerate() {
        q.push(10 + i as u32, PRIMARY_CHANNEL, class, reply("x"), now)
            .expect("room");
    }
}

fn classes_sent(q: &mut Outbound, now: Instant) -> Vec<Class> {
    let mut sent = Vec::new();
    while let Some((c, _)) = q.next_ready(now) {
        sent.push(c.class);
    }
    sent
}

#[tokio::test(start_paused = true)]
async fn a_busy_channel_holds_unasked_and_sync_first_then_strangers_never_known_players() {
    let table = [
        (10.0, Class::ALL.to_vec()),
        // At polite_channel_util_percent (25) unasked traffic and sync wait.
        (
            POLITE_CHANNEL_UTIL,
            vec![Class::Known, Class::Stranger, Class::Notice],
        ),
        // At max_channel_util_percent (40) notices and strangers too.
        (MAX_CHANNEL_UTIL, vec![Class::Known]),
        (95.0, vec![Class::Known]),
    ];
    for (util, want) in table {
        let mut q = queue();
        let now = Instant::now();
        q.on_queue_status(&status(16, 0), now);
        q.set_load(load(util), now);
        one_of_each(&mut q, now);
        assert_eq!(classes_sent(&mut q, now), want, "at {util}%");
    }
}

#[tokio::test(start_paused = true)]
async fn held_traffic_goes_when_the_channel_quietens_or_the_reading_goes_stale() {
    let mut q = queue();
    let t0 = Instant::now();
    q.on_queue_status(&status(16, 0), t0);
    q.set_load(load(50.0), t0);
    one_of_each(&mut q, t0);
    assert_eq!(classes_sent(&mut q, t0), vec![Class::Known]);
    // The queue wakes when the reading would go stale (no other deadline is nearer
    // than the known reply's ack, which is a minute off).
    let held_until = t0 + FRESH_FOR;
    assert!(matches!(q.wait(t0), Wait::Until(t) if t <= held_until));
    // A quieter reading lets the polite classes' betters go first...
    let t1 = t0 + Duration::from_secs(60);
    q.set_load(load(30.0), t1);
    assert_eq!(
        classes_sent(&mut q, t1),
        vec![Class::Stranger, Class::Notice]
    );
    // ...and a reading nobody renewed holds nothing back.
    let t2 = t1 + FRESH_FOR;
    assert_eq!(classes_sent(&mut q, t2), vec![Class::Sync, Class::Unasked]);
}
