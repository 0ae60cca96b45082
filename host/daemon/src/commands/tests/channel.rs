//! `@wall`, `@board urgent` and the channel notice an urgent post sends: one packet
//! each, within the channel gap that all of them share.

use super::*;
use crate::commands::{Audience, Notice, NoticeKind};
use meshmush_core::commands::Shown;

fn channel(text: &str) -> Vec<Notice> {
    vec![Notice {
        to: Audience::Channel,
        text: text.into(),
        kind: NoticeKind::Direct,
        shows: None,
    }]
}

#[tokio::test(start_paused = true)]
async fn wall_is_one_channel_packet_per_gap() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(ANN, "Ann", Level::Wizard).await;
    let mut bob = w.player(BOB, "Bob").await;
    call_starts(&mut bob, "@wall hi", "@wall needs wizard rights").await;
    call(&mut wiz, "@wall", "Usage: @wall TEXT").await;
    let out = call(&mut wiz, "@wall Net check at 8pm", "Sent on the channel.").await;
    assert_eq!(out.notices, channel("[wall] Ann: Net check at 8pm"));
    later(60).await;
    let out = call(
        &mut wiz,
        "@wall again",
        "The BBS spoke on the channel lately; wait 9 min (one packet per 10 min).",
    )
    .await;
    assert!(out.notices.is_empty(), "refused: nothing on the channel");
    let long = "x".repeat(220);
    later(600).await;
    call_starts(
        &mut wiz,
        &format!("@wall {long}"),
        "Too long for one packet: 232 bytes",
    )
    .await;
    let out = call(&mut wiz, "@wall later", "Sent on the channel.").await;
    assert_eq!(out.notices.len(), 1, "a too-long wall did not take the gap");
}

#[tokio::test(start_paused = true)]
async fn a_post_on_an_urgent_board_is_announced_on_the_channel() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(ANN, "Ann", Level::Wizard).await;
    let mut bob = w.player(BOB, "Bob").await;
    call_starts(
        &mut bob,
        "@board urgent general",
        "@board needs wizard rights",
    )
    .await;
    call(
        &mut wiz,
        "@board urgent gen",
        "general is urgent: each new post is announced on the channel (one notice per 10 min at most).",
    )
    .await;
    let out = call(
        &mut bob,
        "post general Bridge on Mill Road is closed",
        "Posted to general as #1. Announced on the channel.",
    )
    .await;
    let mut urgent =
        channel("URGENT on general: Bridge on Mill Road is closed - Bob. DM me: read general 1");
    // A reaction to it marks the post read (see delivery's `Shown`).
    urgent[0].shows = Some(Shown::Post {
        board: "general".into(),
        num: 1,
    });
    assert_eq!(out.notices, urgent);
    // Within the gap the post stands, and its author is told it was not announced.
    later(120).await;
    let out = call(
        &mut bob,
        "reply general 1 Open again",
        "Replied on general as #2. Not announced: the BBS spoke on the channel lately (again in 8 min).",
    )
    .await;
    assert!(out.notices.is_empty());
    call(
        &mut bob,
        "read general 2",
        "general #2 re #1 Bob now:\nOpen again",
    )
    .await;
    call(
        &mut wiz,
        "@board urgent general off",
        "general is no longer urgent.",
    )
    .await;
    later(600).await;
    let out = call(&mut bob, "post general calm", "Posted to general as #3.").await;
    assert!(out.notices.is_empty(), "not urgent: no channel notice");
    call(
        &mut wiz,
        "@board urgent general sideways",
        "Usage: @board urgent NAME [off]",
    )
    .await;
}

#[test]
fn an_urgent_notice_fits_one_packet_whatever_the_subject() {
    let post = meshmush_store::Post {
        board: "urgent".into(),
        num: 12345,
        author: 1,
        author_name: "Somebody Long".into(),
        time: 0,
        subject: "word ".repeat(100),
        text: String::new(),
        reply_to: None,
    };
    let text = crate::commands::channel::urgent_text(&post, 220);
    assert!(text.len() <= 220, "{} bytes: {text}", text.len());
    assert!(text.starts_with("URGENT on urgent: word word"), "{text}");
    assert!(
        text.ends_with("… - Somebody Long. DM me: read urgent 12345"),
        "{text}"
    );
}

/// The author reads their replies in their language; the channel hears the BBS's
/// (`[bbs] language`), which every node in range shares.
#[tokio::test(start_paused = true)]
async fn an_urgent_notice_is_in_the_bbs_language_and_the_reply_in_the_authors() {
    let mut cfg = Config::default();
    cfg.bbs.language = "es".into();
    let w = TestWorld::with(cfg).await;
    let mut wiz = w.with_level(ANN, "Ann", Level::Wizard).await;
    let mut bob = w.player(BOB, "Bob").await;
    call(
        &mut wiz,
        "@board urgent general",
        "general es urgente: cada mensaje nuevo se anuncia en el canal (como mucho un aviso \
         cada 10 min).",
    )
    .await;
    speak(&mut bob, "de").await;
    let out = call(
        &mut bob,
        "post general Brücke gesperrt",
        "Auf general als #1 gepostet. Auf dem Kanal angekündigt.",
    )
    .await;
    assert_eq!(
        out.notices[0].text,
        "URGENTE en general: Brücke gesperrt - Bob. Escríbeme: leer general 1"
    );
    later(120).await;
    call(
        &mut bob,
        "reply general 1 Wieder offen",
        "Antwort auf general als #2 gepostet. Nicht angekündigt: Das BBS hat gerade erst auf \
         dem Kanal gesendet (wieder in 8 Min.).",
    )
    .await;
    call(
        &mut wiz,
        "@wall Prueba",
        "El BBS acaba de hablar en el canal; espera 8 min (un paquete cada 10 min).",
    )
    .await;
}
