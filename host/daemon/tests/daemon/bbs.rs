//! Boards, mail and the pager, as two people with handsets see them.

use std::time::Duration;

use crate::common::{WAIT, roomy, world};
use meshmush::store::StoreOptions;
use meshmush_protocol::chunking::strip_marker;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_list_read_reply_and_next_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(
        w.ask(0, "boards").await,
        "Boards (unread/total): general 0/0, help 0/0, news 0/0. read BOARD"
    );
    assert_eq!(
        w.ask(0, "post general Hello mesh, anyone on?").await,
        "Posted to general as #1."
    );
    assert_eq!(
        w.ask(0, "post gen Second post").await,
        "Posted to general as #2.",
        "prefix"
    );
    assert_eq!(
        w.ask(1, "boards").await,
        "Boards (unread/total): general 2/2, help 0/0, news 0/0. read BOARD"
    );
    let list = w.ask(1, "read general").await;
    assert!(
        list.starts_with(
            "general #2 Alice now:\nSecond post\n#1 Hello mesh, anyone on? - Alice now"
        ),
        "{list}"
    );
    assert_eq!(
        w.ask(1, "next").await,
        "general #1 Alice now:\nHello mesh, anyone on?"
    );
    assert_eq!(
        w.ask(1, "reply general 1 Bob here!").await,
        "Replied on general as #3."
    );
    assert_eq!(
        w.ask(1, "next").await,
        "No unread posts.",
        "read general showed #2 whole, and his own reply counts as read"
    );
    assert_eq!(
        w.ask(0, "next").await,
        "general #3 re #1 Bob now:\nBob here!"
    );
    // Only wizards post news; only authors delete.
    assert_eq!(
        w.ask(0, "post news hi").await,
        "Only wizards may post to news."
    );
    assert_eq!(
        w.ask(0, "delete general 3").await,
        "Only its author or a wizard may delete that."
    );
    assert_eq!(w.ask(1, "delete general 3").await, "Deleted general #3.");
    assert_eq!(w.ask(1, "read general 3").await, "No post #3 on general.");
    assert_eq!(
        w.ask(1, "read nowhere").await,
        "No board \"nowhere\". Boards: general, help, news."
    );
    // `meshmush export` carries the BBS too.
    let lines = w.app.store().export_jsonl().await.unwrap();
    let has = |kind: &str, text: &str| {
        lines
            .iter()
            .any(|l| l.contains(&format!(r#""record":"{kind}""#)) && l.contains(text))
    };
    assert!(has("post", "Second post"), "{lines:?}");
    assert!(has("read_marker", "!4d4d1002/general"), "{lines:?}");
    assert!(has("board", r#""name":"news""#), "{lines:?}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_send_announce_read_delete_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    assert_eq!(w.ask(1, "ping").await, "pong", "Bob exists and is active");
    assert_eq!(
        w.ask(0, "mail Bob Lunch at the square?").await,
        "Mail sent to Bob."
    );
    // Bob is active: one notice packet at once...
    let notice = w.handsets[1].next_text(WAIT).await.expect("notice");
    assert_eq!(notice.text, "New mail from Alice. Send mail to read it.");
    // ...and that was the announcement: his next reply carries no repeat of it.
    assert_eq!(w.ask(1, "ping").await, "pong");
    // `mail` leads with the oldest unread letter, whole (and so reads it).
    assert_eq!(
        w.ask(1, "mail").await,
        "Mail #1 Alice now:\nLunch at the square?"
    );
    assert_eq!(
        w.ask(1, "mail 1").await,
        "Mail #1 Alice now:\nLunch at the square?"
    );
    assert_eq!(
        w.ask(0, "mail bob Second one").await,
        "Mail sent to Bob.",
        "names in any case"
    );
    w.handsets[1].next_text(WAIT).await.expect("second notice");
    let list = w.ask(1, "mail").await;
    assert_eq!(
        list, "Mail #2 Alice now:\nSecond one\n#1 Lunch at the square? - Alice now",
        "the notice went at once, so nothing rides on this reply"
    );
    assert_eq!(
        w.ask(1, "mail delete 1").await,
        "Deleted mail 1 from Alice."
    );
    assert_eq!(w.ask(1, "mail clear").await, "Deleted 1 read mail.");
    assert_eq!(
        w.ask(1, "mail").await,
        "No mail. mail PLAYER TEXT sends one."
    );
    assert_eq!(
        w.ask(0, "mail Bbo hi").await,
        "No player Bbo. Did you mean Bob?"
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_and_mailbox_limits_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.bbs.post_max_bytes = 20;
    cfg.bbs.posts_per_hour = 2;
    cfg.bbs.mailbox_max = 1;
    cfg.bbs.posts_kept = 2;
    let mut w = world(2, cfg, dir.path(), StoreOptions::default()).await;
    assert_eq!(
        w.ask(0, "post general this is far too long to post").await,
        "Too long: 28 bytes, the limit is 20."
    );
    assert_eq!(
        w.ask(0, "post general one").await,
        "Posted to general as #1."
    );
    assert_eq!(
        w.ask(0, "post general two").await,
        "Posted to general as #2."
    );
    assert_eq!(
        w.ask(0, "post general three").await,
        "You have posted 2 times this hour; try later."
    );
    assert_eq!(
        w.ask(1, "post general bob1").await,
        "Posted to general as #3."
    );
    // Only two posts are kept: #1 expired.
    assert_eq!(w.ask(1, "read general 1").await, "No post #1 on general.");
    let boards = w.ask(1, "boards").await;
    assert!(
        boards.contains("general 1/2"),
        "#2 unread, #3 his own: {boards}"
    );
    assert_eq!(w.ask(0, "mail Bob first").await, "Mail sent to Bob.");
    assert_eq!(
        w.ask(0, "mail Bob second").await,
        "Bob's mailbox is full; try later."
    );
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_post_pages_behind_more_and_reads_back_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.replies.pager_packets = 1;
    let mut w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    // Two lines written in compose mode: more than one packet carries.
    let line = |n| -> String {
        ('!'..='~')
            .filter(|c| *c != '#' && *c != '.')
            .cycle()
            .take(n)
            .collect()
    };
    // The heading, the subject and the first line fill the first packet.
    let (one, two) = (line(170), line(120));
    let text = format!("{one}\n{two}");
    assert!(w.ask(0, "post general").await.starts_with("Writing a post"));
    assert!(w.ask(0, "Long").await.starts_with("Subject: Long."));
    for l in [&one, &two] {
        w.handsets[0].send(w.bbs, l).await.unwrap();
    }
    assert_eq!(w.ask(0, ".").await, "Posted to general as #1 (291 bytes).");
    let bbs = w.bbs;
    let h = &mut w.handsets[0];
    h.send(bbs, "read general 1").await.unwrap();
    let first = h.next_text(WAIT).await.expect("page 1").text;
    assert!(
        first.starts_with("(1/2) ") && first.ends_with(" [more]"),
        "{first}"
    );
    assert!(
        h.texts_until_quiet(Duration::from_millis(300))
            .await
            .is_empty(),
        "one packet per page"
    );
    h.send(bbs, "more").await.unwrap();
    let second = h.next_text(WAIT).await.expect("page 2").text;
    assert!(
        second.starts_with("(2/2) ") && !second.ends_with(" [more]"),
        "{second}"
    );
    // The chunker cut at the line break, which a cut drops.
    let whole = format!(
        "{}\n{}",
        strip_marker(first.trim_end_matches(" [more]")),
        strip_marker(&second)
    );
    let (header, body) = whole.split_once('\n').expect("header line");
    assert_eq!(header, "general #1 Alice now:");
    // The post says its subject, then its text.
    assert_eq!(
        body,
        format!("Long\n{text}"),
        "byte-identical after reassembly"
    );
    assert_eq!(w.ask(0, "more").await, "Nothing more to show.");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_other_command_drops_the_waiting_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.replies.pager_packets = 1;
    let mut w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    let text = "word ".repeat(36);
    assert_eq!(
        w.ask(0, &format!("post general {}", text.trim())).await,
        "Posted to general as #1."
    );
    let bbs = w.bbs;
    w.handsets[0].send(bbs, "read general 1").await.unwrap();
    w.handsets[0].next_text(WAIT).await.expect("page 1");
    assert_eq!(w.ask(0, "ping").await, "pong");
    assert_eq!(w.ask(0, "more").await, "Nothing more to show.");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_markers_and_mail_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    w.ask(0, "post general one").await;
    w.ask(0, "post general two").await;
    w.ask(1, "read general 1").await;
    w.ask(0, "mail Bob see you").await;
    w.stop().await.expect("clean shutdown");

    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    let boards = w.ask(1, "boards").await;
    assert!(boards.contains("general 1/2"), "{boards}");
    let mail = w.ask(1, "mail").await;
    assert!(mail.starts_with("Mail #1 Alice now:\nsee you"), "{mail}");
    assert_eq!(w.ask(1, "next").await, "general #2 Alice now:\ntwo");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizards_manage_boards() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = roomy();
    cfg.admin.nodes = vec!["!4d4d1001".into()];
    let mut w = world(2, cfg, dir.path(), StoreOptions::default()).await;
    assert_eq!(
        w.ask(1, "@board create x=y").await,
        "@board needs wizard rights: you do not have those rights."
    );
    assert_eq!(
        w.ask(0, "@board create trades=Swap and sell").await,
        "Board trades created."
    );
    assert_eq!(
        w.ask(0, "@board create trades=again").await,
        "There is a board trades already."
    );
    assert_eq!(
        w.ask(1, "post tr Selling a T-Beam").await,
        "Posted to trades as #1."
    );
    assert_eq!(
        w.ask(0, "@board lock trades read wizard").await,
        "trades read is now for wizards."
    );
    assert!(
        !w.ask(1, "boards").await.contains("trades"),
        "hidden from players now"
    );
    assert_eq!(
        w.ask(1, "read trades").await,
        "No board \"trades\". Boards: general, help, news."
    );
    assert_eq!(
        w.ask(0, "post news Welcome!").await,
        "Posted to news as #1.",
        "wizards post news"
    );
    assert_eq!(
        w.ask(0, "@board remove trades").await,
        "Board trades removed with 1 posts."
    );
    w.stop().await.expect("clean shutdown");
}

/// A handset that speaks before the BBS has heard its NodeInfo is a player named by
/// node id; once its NodeInfo is heard, others find and mail it by the name it
/// announced. A second NodeInfo (a forged one, say) renames no one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_player_who_spoke_before_their_nodeinfo_takes_its_name_when_heard() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    let mesh = w.mesh().expect("software mesh");
    let early = 0x7300_0001;
    mesh.inject_text(early, 0x4000_0001, "ping");
    let mut named = String::new();
    for _ in 0..50 {
        named = w.ask(0, "finger !73000001").await;
        if named.contains("!73000001") && !named.starts_with("No ") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        named.starts_with("!73000001"),
        "a player by node id: {named}"
    );
    assert!(
        w.ask(0, "mail Vera hi").await.starts_with("No "),
        "no Vera yet"
    );

    w.mesh().expect("mesh").announce_virtual(early, "Vera");
    let mut sent = String::new();
    for _ in 0..50 {
        sent = w.ask(0, "finger Vera").await;
        if sent.starts_with("Vera") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(sent.starts_with("Vera"), "{sent}");
    assert_eq!(w.ask(0, "mail Vera hi").await, "Mail sent to Vera.");

    w.mesh().expect("mesh").announce_virtual(early, "Mallory");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(w.ask(0, "finger Vera").await.starts_with("Vera"));
    assert!(w.ask(0, "finger Mallory").await.starts_with("No "));
    w.stop().await.expect("clean shutdown");
}
