//! What a retention sweep removes and what it keeps: a stranger's old pin, an old
//! greeting, an old tombstone and old mail for a node that never used the BBS go; a
//! player's pin and mail, and anything newer than its cutoff, stay.

use meshmush_store::{Cutoffs, Mail, Pin, PinSource, Removed, Store, StoreOptions};

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
