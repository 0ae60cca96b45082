//! A meshmush BBS with a TC2-BBS-mesh peer: the TC2 node is a handset of the software
//! mesh that sends and reads TC2's sync lines byte for byte (the format from TC2's
//! utils.py and message_processing.py), with its edge cases: `|` in content, a line
//! over 200 characters split in two DMs as TC2's `send_message` splits it, an unknown
//! board, a repeated unique_id, too few fields, a DM that is no sync line at all.

use std::time::Duration;

use crate::common::WAIT;
use crate::common::peer::{
    kit, peer_config, peer_sends as tc2_sends, posts, three_handsets, until,
};
use meshmush::config::Config;
use meshmush::federation::Dialect;
use meshmush_firmware_bridge::sim::{HANDSET_BASE, SimConfig};
use meshmush_protocol::packets::node_id;

const TC2: u32 = HANDSET_BASE + 1;
const BOB: u32 = HANDSET_BASE + 2;
const UID1: &str = "5b0c4c2e-8f57-4a43-9a56-1f2e3d4c5b6a";
const UID2: &str = "9d8c7b6a-5f4e-4d3c-8b2a-0f1e2d3c4b5a";
const UID3: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

fn tc2_config(key: Option<String>) -> Config {
    peer_config(TC2, Dialect::Tc2, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tc2_lines_in_are_stored_once_and_whole_or_not_at_all() {
    let mut kit = kit(tc2_config(None), three_handsets()).await;
    let store = kit.app.store().clone();
    let long = "Road closed at the bridge until Friday; use the north track. ".repeat(4);
    let long = &long[..200];
    let long_line = format!("BULLETIN|Info|ALCE|Roads|{long}|{UID2}");
    assert!(long_line.chars().count() > 200);
    let (first, rest) = long_line.split_at(200);
    tc2_sends(
        &kit,
        &[
            &format!("BULLETIN|General|ALCE|Net tonight|Net at 8 on 146.52|{UID1}"),
            // The same unique_id again (TC2 sends repeats; it would store two).
            &format!("BULLETIN|General|ALCE|Net tonight|Net at 8 on 146.52|{UID1}"),
            // A `|` inside the content: 7 fields, refused whole.
            &format!("BULLETIN|General|ALCE|Pipes|a | b|{UID3}"),
            // An unknown board (no mapping, create_boards = false).
            &format!("BULLETIN|Trading|ALCE|Radios|For sale|{UID3}"),
            // Too few fields.
            "BULLETIN|General|ALCE|No id",
            // Not a sync line: never run as a command, no reply.
            "help",
            // 200 bytes of content: TC2 splits the line at 200 characters.
            first,
            rest,
        ],
    )
    .await;
    until(&store, "the split bulletin is stored", |s| async move {
        posts(&s).await.len() == 2
    })
    .await;
    assert_eq!(
        posts(&store).await,
        vec![
            (
                "ALCE".into(),
                "Net tonight".into(),
                "Net at 8 on 146.52".into()
            ),
            ("ALCE".into(), "Roads".into(), long.to_string()),
        ],
        "once each, whole; Info maps to general"
    );
    let state = store.peer_state(TC2).await.unwrap();
    assert_eq!((state.received, state.refused), (2, 4), "{state:?}");
    assert!(state.last_heard > 0);
    // Nothing was said to the TC2 node: a BBS answering a BBS would never stop.
    assert!(
        kit.handsets[0]
            .next_text(Duration::from_millis(300))
            .await
            .is_none()
    );

    // Mail for a player here arrives as local mail does: Bob is told at once, in
    // the language he reads.
    assert_eq!(
        kit.ask(1, "lang de").await,
        "Ab jetzt antworte ich dir auf Deutsch."
    );
    tc2_sends(
        &kit,
        &[&format!(
            "MAIL|!4d4d1001|ALCE|{}|Hi Bob|Coffee at 9?|{UID3}",
            node_id(BOB)
        )],
    )
    .await;
    let notice = kit.handsets[1]
        .next_text(WAIT)
        .await
        .expect("a mail notice");
    assert_eq!(
        notice.text,
        "Neue Mail von ALCE. Schick mail, um sie zu lesen."
    );
    let read = kit.ask(1, "mail 1").await;
    assert!(read.contains("Coffee at 9?"), "{read}");

    // A deletion by unique_id, and its repeat.
    tc2_sends(
        &kit,
        &[
            &format!("DELETE_BULLETIN|{UID1}"),
            &format!("DELETE_BULLETIN|{UID1}"),
        ],
    )
    .await;
    until(&store, "the bulletin is deleted", |s| async move {
        posts(&s).await.len() == 1
    })
    .await;
    // A replay of the deleted item after a restart stores nothing.
    drop(store);
    let mut kit = kit.restart().await.expect("restart");
    let store = kit.app.store().clone();
    tc2_sends(
        &kit,
        &[
            &format!("BULLETIN|General|ALCE|Net tonight|Net at 8 on 146.52|{UID1}"),
            &format!("DELETE_MAIL|{UID3}"),
        ],
    )
    .await;
    until(&store, "Bob's synced mail is deleted", |s| async move {
        s.mailbox(BOB).await.unwrap().is_empty()
    })
    .await;
    assert_eq!(posts(&store).await.len(), 1, "the replay stored nothing");
    let _ = kit.handsets[0]
        .texts_until_quiet(Duration::from_millis(200))
        .await;
    kit.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_posts_mail_and_deletions_go_to_tc2_as_tc2_writes_them() {
    let mut kit = kit(tc2_config(None), three_handsets()).await;
    let bob = kit.app.store().player(BOB).await.unwrap().unwrap().name;
    assert_eq!(
        kit.ask(1, "post general Net at 8 tonight").await,
        "Posted to general as #1."
    );
    let line = kit.handsets[0]
        .next_text(WAIT)
        .await
        .expect("a bulletin")
        .text;
    let f: Vec<&str> = line.split('|').collect();
    assert_eq!(
        f[..5],
        [
            "BULLETIN",
            "General",
            bob.as_str(),
            "Net at 8 tonight",
            "Net at 8 tonight"
        ],
        "{line}"
    );
    let uid = f[5].to_string();
    assert_eq!(
        (f.len(), uid.len(), &uid[14..15]),
        (6, 36, "4"),
        "a UUID4: {line}"
    );

    // 200 bytes of content: one DM, cut at a word with a marker, never TC2's split.
    let words = "abcd ".repeat(40);
    let text = format!("{}.", &words[..199]);
    assert_eq!(
        kit.ask(1, &format!("post general {text}")).await,
        "Posted to general as #2."
    );
    let line = kit.handsets[0]
        .next_text(WAIT)
        .await
        .expect("a bulletin")
        .text;
    assert!(line.len() <= kit.budget(), "{} bytes", line.len());
    let f: Vec<&str> = line.split('|').collect();
    assert_eq!(f.len(), 6, "{line}");
    assert!(
        f[4].ends_with(" [...]") && text.starts_with(f[4].trim_end_matches(" [...]")),
        "{line}"
    );

    // Mail to a node with no player here goes to the network; mail to a player stays.
    let away = HANDSET_BASE + 9;
    let r = kit
        .ask(1, &format!("mail {} Meet at the hut", node_id(away)))
        .await;
    assert!(r.starts_with("Mail for"), "{r}");
    let line = kit.handsets[0].next_text(WAIT).await.expect("a mail").text;
    let f: Vec<&str> = line.split('|').collect();
    assert_eq!(
        f[..6],
        [
            "MAIL",
            &node_id(BOB),
            bob.as_str(),
            &node_id(away),
            "Meet at the hut",
            "Meet at the hut"
        ],
        "{line}"
    );
    // A post on a board TC2 has no name for is not sent to it.
    assert_eq!(
        kit.ask(1, "post help How do I read?").await,
        "Posted to help as #1."
    );
    // The author deletes the first post: TC2 is told by unique_id.
    assert_eq!(kit.ask(1, "delete general 1").await, "Deleted general #1.");
    let line = kit.handsets[0]
        .next_text(WAIT)
        .await
        .expect("a deletion")
        .text;
    assert_eq!(line, format!("DELETE_BULLETIN|{uid}"));
    assert!(
        kit.handsets[0]
            .next_text(Duration::from_millis(500))
            .await
            .is_none()
    );
    let state = kit.app.store().peer_state(TC2).await.unwrap();
    assert_eq!((state.sent, state.queued()), (4, 0), "{state:?}");
    kit.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_peer_key_refuses_forged_sync_lines() {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .encode(meshmush_firmware_bridge::sim::public_key_of(TC2));
    let sim = SimConfig::spoofing(3);
    let kit = kit(tc2_config(Some(key)), sim).await;
    let store = kit.app.store().clone();
    // Handset 2 forges the peer's number: plain text, no key. Refused.
    let forger = kit.mesh().unwrap().handsets()[2].addr;
    meshmush_firmware_bridge::sim::attacker::send_spoofed(
        forger,
        TC2,
        kit.bbs,
        &format!("BULLETIN|General|ALCE|Fake|Forged|{UID1}"),
    )
    .await
    .unwrap();
    // A node that is not a listed peer is a player typing, not a BBS: no sync.
    let mut kit = kit;
    let reply = kit
        .ask(1, &format!("BULLETIN|General|ALCE|Fake|Not a peer|{UID3}"))
        .await;
    assert!(!reply.is_empty());
    // The real peer's PKI DM is taken.
    tc2_sends(
        &kit,
        &[&format!("BULLETIN|General|ALCE|Real|Signed|{UID2}")],
    )
    .await;
    until(&store, "the real bulletin", |s| async move {
        !posts(&s).await.is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        posts(&store).await,
        vec![("ALCE".into(), "Real".into(), "Signed".into())]
    );
    assert_eq!(store.peer_state(TC2).await.unwrap().refused, 1);
    kit.stop().await.unwrap();
}
