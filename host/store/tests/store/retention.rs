//! What a retention sweep removes and what it keeps: a stranger's old pin, an old
//! greeting, an old tombstone and old mail for a node that never used the BBS go; a
//! player's pin and mail, and anything newer than its cutoff, stay.

use meshmush_store::{
    Cutoffs, Mail, Pin, PinSource, Removed, Store, StoreOptions, UnheardCaps, UnheardRefusal,
};

const DAY: u64 = 24 * 3600;
const NOW: u64 = 1_000 * DAY;
const PLAYER: u32 = 0x4d4d_1001;
const STRANGER: u32 = 0x4d4d_2001;
const FRESH: u32 = 0x4d4d_2002;

fn pin(node: u32, at: u64) -> Pin {
    Pin {
        node,
        key: vec![node as u8; 32],
        source: PinSource::NodeInfo,
        pinned_at: at,
        seen_pki: false,
    }
}

fn mail(to: u32, from: u32, time: u64) -> Mail {
    Mail {
        id: 0,
        to,
        from,
        from_name: "Ann".into(),
        time,
        subject: "hi".into(),
        text: "hello".into(),
        read: false,
        announced: false,
    }
}

#[tokio::test]
async fn a_sweep_forgets_what_strangers_left_and_keeps_what_players_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), StoreOptions::default())
        .await
        .unwrap();
    store
        .create_player(PLAYER, "Ann", NOW - 400 * DAY)
        .await
        .unwrap();
    // Pins: a player's (old), a stranger's (old), a stranger's (fresh).
    for (node, at) in [
        (PLAYER, NOW - 400 * DAY),
        (STRANGER, NOW - 40 * DAY),
        (FRESH, NOW - DAY),
    ] {
        store.pin_if_new(pin(node, at)).await.unwrap();
    }
    // Greetings: one old, one fresh.
    assert!(store.greet_once(STRANGER, NOW - 400 * DAY).await.unwrap());
    assert!(store.greet_once(FRESH, NOW - DAY).await.unwrap());
    // Tombstones: deletions of ids never seen, one old and one fresh.
    let old = store
        .remove_synced("old-uid".into(), true, 7, NOW - 100 * DAY)
        .await
        .unwrap();
    assert_eq!(old, Removed::Unknown);
    store
        .remove_synced("fresh-uid".into(), true, 7, NOW - DAY)
        .await
        .unwrap();
    // Mail: old and fresh for the stranger, old for the player.
    for m in [
        mail(STRANGER, PLAYER, NOW - 40 * DAY),
        mail(STRANGER, PLAYER, NOW - DAY),
        mail(PLAYER, STRANGER, NOW - 40 * DAY),
    ] {
        let to = m.to;
        store.send_mail(m).await.unwrap();
        if to == STRANGER {
            store.mark_mail_waiting(to).await.unwrap();
        }
    }
    let counted = store.unheard_mail(PLAYER, NOW - 2 * DAY).await.unwrap();
    assert_eq!((counted.by_sender, counted.total), (1, 2));

    let cutoffs = Cutoffs {
        tombstones: NOW - 90 * DAY,
        stranger_pins: NOW - 30 * DAY,
        greeted: NOW - 365 * DAY,
        unheard_mail: NOW - 30 * DAY,
    };
    let swept = store.sweep(cutoffs).await.unwrap();
    assert_eq!(
        (swept.tombstones, swept.pins, swept.greeted, swept.mail),
        (1, 1, 1, 1)
    );
    assert!(
        store.pin(PLAYER).await.unwrap().is_some(),
        "a player's pin stays"
    );
    assert!(store.pin(STRANGER).await.unwrap().is_none());
    assert!(store.pin(FRESH).await.unwrap().is_some());
    assert!(!store.greeted(STRANGER).await.unwrap());
    assert!(store.greeted(FRESH).await.unwrap());
    assert!(store.sync_id("old-uid".into()).await.unwrap().is_none());
    assert!(store.sync_id("fresh-uid".into()).await.unwrap().is_some());
    let left: Vec<u64> = store
        .mailbox(STRANGER)
        .await
        .unwrap()
        .iter()
        .map(|m| m.time)
        .collect();
    assert_eq!(left, vec![NOW - DAY]);
    assert_eq!(
        store.mailbox(PLAYER).await.unwrap().len(),
        1,
        "a player's mail stays"
    );
    assert!(store.mail_waiting(STRANGER).await.unwrap().is_some());
    // A second sweep finds nothing; the last of the stranger's mail, once old, goes
    // with its "waiting" mark.
    assert!(store.sweep(cutoffs).await.unwrap().is_empty());
    let later = Cutoffs {
        unheard_mail: NOW,
        ..cutoffs
    };
    assert_eq!(store.sweep(later).await.unwrap().mail, 1);
    assert!(store.mail_waiting(STRANGER).await.unwrap().is_none());
}

/// Mail for nodes that never used the BBS is counted against its caps and stored in
/// one step: many senders at once cannot together pass the total (counted apart, 1,000
/// senders at once left 997 mails against a cap of 500), nor one sender its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn senders_at_once_cannot_pass_the_caps_on_unheard_mail() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), StoreOptions::default())
        .await
        .unwrap();
    let caps = UnheardCaps {
        per_sender: 3,
        since: NOW - DAY,
        total: 40,
    };
    let mut senders = tokio::task::JoinSet::new();
    for s in 0..50u32 {
        let store = store.clone();
        senders.spawn(async move {
            let mut refusals = Vec::new();
            for k in 0..5 {
                let m = mail(0x0100_0000 + s * 10 + k, 0x5000_0000 + s, NOW);
                if let Err(r) = store.send_unheard_mail(m, caps).await.unwrap() {
                    refusals.push(r);
                }
            }
            refusals
        });
    }
    let (mut by_sender, mut by_total) = (0, 0);
    while let Some(refusals) = senders.join_next().await {
        for r in refusals.unwrap() {
            match r {
                UnheardRefusal::Sender(n) => {
                    assert_eq!(n, 3);
                    by_sender += 1;
                }
                UnheardRefusal::Total(n) => {
                    assert_eq!(n, 40);
                    by_total += 1;
                }
            }
        }
    }
    let waiting = store.unheard_mail(0, 0).await.unwrap();
    assert_eq!(waiting.total, 40, "exactly the cap, not past it");
    assert_eq!(by_sender + by_total, 250 - 40);
    assert!(by_total > 0, "the total cap refused none");
    for s in 0..50u32 {
        let own = store
            .unheard_mail(0x5000_0000 + s, NOW - DAY)
            .await
            .unwrap();
        assert!(own.by_sender <= 3, "sender {s} left {}", own.by_sender);
    }
    // Each stored one is marked waiting, so the count (and the sweep) sees it.
    let mut marked = 0;
    for s in 0..50u32 {
        for k in 0..5 {
            if store
                .mail_waiting(0x0100_0000 + s * 10 + k)
                .await
                .unwrap()
                .is_some()
            {
                marked += 1;
            }
        }
    }
    assert_eq!(marked, 40);
}

/// Keys announced in NodeInfos are pinned only while fewer than the cap are held: a
/// flood of made-up nodes cannot grow the pins without end. A key proven by a PKI DM
/// is still pinned past the cap, and a sweep that frees room lets NodeInfos pin again.
#[tokio::test]
async fn announced_keys_stop_being_pinned_at_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), StoreOptions::default())
        .await
        .unwrap();
    for node in [STRANGER, FRESH] {
        assert!(
            store
                .pin_announced(pin(node, NOW - 40 * DAY), 2)
                .await
                .unwrap()
                .is_some()
        );
    }
    let over = store.pin_announced(pin(0x4d4d_3001, NOW), 2).await.unwrap();
    assert!(over.is_none(), "the third announced key is not pinned");
    assert!(store.pin(0x4d4d_3001).await.unwrap().is_none());
    // A node already pinned keeps its pin (and is told which it is).
    let again = store.pin_announced(pin(STRANGER, NOW), 2).await.unwrap();
    assert_eq!(again.map(|p| p.pinned_at), Some(NOW - 40 * DAY));
    // A PKI DM's key is pinned whatever the cap.
    let mut proven = pin(0x4d4d_3002, NOW);
    proven.source = PinSource::Packet;
    proven.seen_pki = true;
    store.pin_if_new(proven).await.unwrap();
    assert!(store.pin(0x4d4d_3002).await.unwrap().is_some());
    // The sweep forgets the old strangers' pins and counts again: room for one more.
    let swept = store
        .sweep(Cutoffs {
            stranger_pins: NOW - 30 * DAY,
            ..Cutoffs::default()
        })
        .await
        .unwrap();
    assert_eq!(swept.pins, 2);
    assert!(
        store
            .pin_announced(pin(0x4d4d_3001, NOW), 2)
            .await
            .unwrap()
            .is_some()
    );
}
