//! The queue's unit tests for hop limits chosen by the host (and their retry at the
//! configured limit) and for pacing by the node's channel load.

use meshmush_protocol::hops::ReplyHops;
use meshmush_protocol::packets::{ChannelLoad, PRIMARY_CHANNEL};
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
    q.on_relayed(c.id);
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
    q.on_relayed(c.id);
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
