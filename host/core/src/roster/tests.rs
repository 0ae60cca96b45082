//! The roster's windows and limits, on Tokio's paused clock.

use super::*;

pub(super) fn limits(window_secs: u64) -> RosterLimits {
    RosterLimits {
        burst: 3,
        per_minute: 60,
        posts_per_hour: 2,
        active_window: Duration::from_secs(window_secs),
        strangers_burst: 1000,
        strangers_per_minute: 1000,
        newcomers_burst: 2,
        newcomers_per_minute: 1,
        newcomer_posts_per_hour: 1,
        newcomer_mail_per_hour: 1,
        channel_gap: Duration::from_secs(600),
    }
}

fn roster(window_secs: u64) -> Roster {
    Roster::new(limits(window_secs))
}

/// A node that sent a command and stands in `room`.
fn arrive(r: &Roster, node: u32, name: &str, room: u64) {
    assert_eq!(r.admit(node), Admit::Allow);
    r.place(node, name, room);
}

#[tokio::test(start_paused = true)]
async fn burst_then_one_notice_then_silence_then_refill() {
    let r = roster(600);
    let verdicts: Vec<Admit> = (0..5).map(|_| r.admit(1)).collect();
    assert_eq!(&verdicts[..3], &[Admit::Allow; 3]);
    assert_eq!(
        verdicts[3],
        Admit::Limited {
            retry_after_secs: 1
        }
    );
    assert_eq!(verdicts[4], Admit::Silent);
    assert_eq!(r.admit(2), Admit::Allow, "per node");
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(r.admit(1), Admit::Allow);
}

#[tokio::test(start_paused = true)]
async fn a_banned_node_is_refused_before_its_limit_is_touched() {
    let r = roster(600);
    arrive(&r, 1, "Ann", 5);
    r.set_banned(1, true);
    assert_eq!(r.admit(1), Admit::Banned);
    assert!(
        r.in_room(5).is_empty(),
        "a ban takes the player out of the room"
    );
    r.set_banned(1, false);
    assert_eq!(r.admit(1), Admit::Allow);
}

#[tokio::test(start_paused = true)]
async fn hourly_post_limit_refills() {
    let r = roster(600);
    assert!(r.allow_post(1));
    assert!(r.allow_post(1));
    assert!(!r.allow_post(1));
    assert!(r.allow_post(2), "per player");
    tokio::time::advance(Duration::from_secs(3601)).await;
    assert!(r.allow_post(1));
}

#[tokio::test(start_paused = true)]
async fn one_window_decides_who_is_active() {
    let r = roster(60);
    arrive(&r, 1, "Ann", 5);
    assert!(r.is_active(1));
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(!r.is_active(1));
    assert!(r.in_room(5).is_empty(), "room notices use the same window");
    assert_eq!(r.sample_room(5, 9, 6), (vec![], 0), "and so does look");
}

#[tokio::test(start_paused = true)]
async fn only_recently_active_players_count_as_in_the_room() {
    let r = roster(60);
    arrive(&r, 1, "Ann", 5);
    tokio::time::advance(Duration::from_secs(120)).await;
    arrive(&r, 2, "Bob", 5);
    arrive(&r, 3, "Cy", 6);
    let names = |v: Vec<(u32, String)>| v.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert_eq!(names(r.in_room(5)), ["Bob"]);
    assert_eq!(r.find("b").map(|f| f.0), Some(2));
    r.leave(2);
    assert!(r.find("bob").is_none());
}

#[tokio::test(start_paused = true)]
async fn a_room_sample_names_the_most_recent_and_counts_the_rest() {
    let r = roster(600);
    for n in 1..=10u32 {
        arrive(&r, n, &format!("P{n}"), 5);
        tokio::time::advance(Duration::from_secs(1)).await;
    }
    arrive(&r, 11, "Elsewhere", 6);
    let (names, total) = r.sample_room(5, 10, 3);
    assert_eq!(names, ["P9", "P8", "P7"]);
    assert_eq!(total, 9, "everyone in room 5 but the asker");
    r.set_room(9, 6);
    r.leave(8);
    let (names, total) = r.sample_room(5, 10, 3);
    assert_eq!(names, ["P7", "P6", "P5"]);
    assert_eq!(total, 7);
    assert_eq!(r.in_room(6).len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_room_sample_leaves_out_players_gone_quiet() {
    let r = roster(60);
    arrive(&r, 1, "Quiet", 5);
    arrive(&r, 4, "Asker", 5);
    tokio::time::advance(Duration::from_secs(120)).await;
    arrive(&r, 2, "Ann", 5);
    arrive(&r, 3, "Bo", 5);
    assert_eq!(r.sample_room(5, 3, 6), (vec!["Ann".into()], 1));
    assert_eq!(
        r.sample_room(5, 4, 6).1,
        2,
        "a quiet asker is not subtracted"
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(r.admit(1), Admit::Allow);
    assert_eq!(
        r.sample_room(5, 3, 6),
        (vec!["Quiet".into(), "Ann".into()], 2),
        "a command brings a player back into the count, at the front"
    );
}

#[tokio::test(start_paused = true)]
async fn room_notices_are_capped_per_minute() {
    let r = roster(600);
    for _ in 0..NOTICES_PER_MINUTE {
        assert!(r.allow_room_notice(1));
    }
    assert!(!r.allow_room_notice(1));
    assert!(r.allow_room_notice(2), "per recipient");
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(r.allow_room_notice(1));
}

#[tokio::test(start_paused = true)]
async fn silent_nodes_without_a_session_are_forgotten() {
    let r = roster(600);
    for node in 1..=3 {
        arrive(&r, node, &format!("P{node}"), 5);
        assert!(r.allow_post(node));
        r.queue_notice(node, "New mail from Ann.".into(), true);
        r.set_pages(node, ["more text".to_string()].into());
    }
    tokio::time::advance(Duration::from_secs(1800)).await;
    assert_eq!(r.admit(2), Admit::Allow);
    r.forget_idle(|_| false);
    assert_eq!(r.nodes(), 3, "half an hour of silence keeps everything");
    assert_eq!(r.next_page(1, 1), Some((vec!["more text".into()], false)));

    tokio::time::advance(KEPT_AFTER_LAST_SEEN).await;
    r.forget_idle(|node| node == 3);
    assert!(!r.has_notices(1), "node 1 is forgotten");
    assert!(
        r.next_page(2, 1).is_none(),
        "node 2 spoke, but not within the hour"
    );
    assert!(r.has_notices(3), "node 3 still has a session");
    assert_eq!(
        r.take_notices(3),
        Waiting {
            notices: vec!["New mail from Ann.".into()],
            mail: true
        }
    );
    assert!(r.in_room(5).iter().all(|(n, _)| *n == 3));
}

#[tokio::test(start_paused = true)]
async fn a_dry_limit_is_not_forgotten() {
    let r = roster(600);
    while r.admit(7) == Admit::Allow {}
    tokio::time::advance(KEPT_AFTER_LAST_SEEN).await;
    r.forget_idle(|_| false);
    assert_eq!(r.nodes(), 0, "refilled after an hour: forgotten");
    let r = Roster::new(RosterLimits {
        burst: 1,
        per_minute: 1,
        ..limits(60)
    });
    assert_eq!(r.admit(7), Admit::Allow);
    assert!(matches!(r.admit(7), Admit::Limited { .. }));
    r.forget_idle(|_| false);
    assert_eq!(
        r.nodes(),
        1,
        "still dry: forgetting it would hand it a fresh burst"
    );
}

#[test]
fn pages_drain_in_order() {
    let r = roster(600);
    r.set_pages(7, ["a", "b", "c"].map(String::from).into());
    assert_eq!(
        r.next_page(7, 2),
        Some((vec!["a".into(), "b".into()], true))
    );
    assert_eq!(r.next_page(7, 2), Some((vec!["c".into()], false)));
    assert_eq!(r.next_page(7, 2), None);
}

#[tokio::test(start_paused = true)]
async fn a_crowd_of_strangers_shares_one_allowance_and_known_players_keep_theirs() {
    let r = Roster::new(RosterLimits {
        strangers_burst: 10,
        strangers_per_minute: 60,
        ..limits(600)
    });
    r.mark_known(1);
    let allowed = (0..100u32)
        .filter(|n| r.admit(1000 + n) == Admit::Allow)
        .count();
    assert_eq!(
        allowed, 10,
        "a hundred fresh ids get the strangers' burst, no more"
    );
    assert_eq!(r.admit(2), Admit::Busy, "another stranger waits");
    assert_eq!(r.admit(1), Admit::Allow, "a known player does not");
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(r.admit(2), Admit::Allow, "the allowance refills");
}

#[tokio::test(start_paused = true)]
async fn new_players_share_a_small_slice() {
    let r = roster(600);
    assert!(r.allow_newcomer(Newcomer::Arrival));
    assert!(r.allow_newcomer(Newcomer::Arrival));
    assert!(
        !r.allow_newcomer(Newcomer::Arrival),
        "burst of 2 across all new ids"
    );
    assert!(r.allow_newcomer(Newcomer::Post));
    assert!(!r.allow_newcomer(Newcomer::Post));
    assert!(
        r.allow_newcomer(Newcomer::Mail),
        "mail has its own allowance"
    );
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(r.allow_newcomer(Newcomer::Arrival));
}

#[tokio::test(start_paused = true)]
async fn wrong_passwords_lock_a_node_on_the_roster_clock() {
    let r = roster(600);
    assert_eq!(r.pw_failed(7, 7), None);
    assert_eq!(r.pw_failed(7, 7), None);
    assert_eq!(r.pw_failed(7, 7), Some(FIRST_WAIT), "the third locks");
    tokio::time::advance(Duration::from_secs(20)).await;
    assert_eq!(r.pw_wait(7, 7), Some(Duration::from_secs(10)));
    assert_eq!(r.pw_wait(8, 8), None, "another node is free");
    let listed = r.pw_locks();
    assert_eq!(
        listed.first(),
        Some(&PwLock {
            subject: PwSubject::Node(7),
            failures: 3,
            wait: Some(Duration::from_secs(10)),
        })
    );
    tokio::time::advance(Duration::from_secs(10)).await;
    assert_eq!(r.pw_wait(7, 7), None);
    assert_eq!(
        r.pw_failed(7, 7),
        Some(FIRST_WAIT * 2),
        "then twice as long"
    );
    assert!(r.pw_clear(7), "a wizard lifts it");
    assert_eq!(r.pw_wait(7, 7), None);
    r.pw_failed(7, 7);
    r.pw_succeeded(7, 7);
    assert!(r.pw_locks().is_empty(), "a right password forgets both");
    r.pw_failed(9, 9);
    tokio::time::advance(Duration::from_secs(24 * 3600)).await;
    r.forget_idle(|_| false);
    assert!(
        r.pw_locks().is_empty(),
        "a day without a failure forgets it"
    );
}

#[tokio::test(start_paused = true)]
async fn held_pages_outlive_an_idle_hour_and_are_capped() {
    let r = roster(600);
    arrive(&r, 1, "P1", 5);
    for i in 0..super::HELD_MAX {
        assert!(r.hold_notice(1, format!("page {i}")));
    }
    assert!(!r.hold_notice(1, "one too many".into()));
    tokio::time::advance(KEPT_AFTER_LAST_SEEN * 2).await;
    r.forget_idle(|_| false);
    let waiting = r.take_notices(1);
    assert_eq!(waiting.notices.len(), super::HELD_MAX);
    assert!(!waiting.mail);
    assert!(
        r.hold_notice(1, "room again".into()),
        "taking them makes room"
    );
}
