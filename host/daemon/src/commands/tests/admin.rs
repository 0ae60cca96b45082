//! The wizards' `@teleport`, `@boot`, `@ban`, `@unban`, `@builder`, `@shutdown`.

use super::*;
use crate::commands::{Audience, End, NoticeKind};

async fn post_office(w: &TestWorld) -> u64 {
    let start = w.store.start_room().await.unwrap().unwrap();
    let exits = w.store.exits(start).await.unwrap();
    exits
        .iter()
        .find(|e| e.name == "north")
        .and_then(|e| e.destination)
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn wizards_move_and_boot_players() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    let _bob = w.player(BOB, "Bob").await;
    let post = post_office(&w).await;
    let out = call(
        &mut wiz,
        &format!("@tel Bob=#{post}"),
        &format!("Teleported Bob to #{post}."),
    )
    .await;
    assert_eq!(out.notices[0].to, Audience::Player(BOB));
    assert_eq!(out.notices[0].kind, NoticeKind::Direct);
    assert_eq!(w.roster.get(BOB).map(|s| s.room), Some(post));
    assert_eq!(w.store.player_state(BOB).await.unwrap().location, post);
    call(&mut wiz, "@teleport Bob=#99999", "#99999 is not a room.").await;
    call(&mut wiz, "@teleport Bob", "Usage: @teleport [PLAYER=]#ROOM").await;
    call(&mut wiz, "@boot Bob", "Booted Bob.").await;
    assert!(
        w.roster.get(BOB).is_none(),
        "booted players leave the rooms"
    );
}

#[tokio::test(start_paused = true)]
async fn bans_and_rights_take_effect_at_once() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    let _bob = w.player(BOB, "Bob").await;
    call(&mut wiz, "@ban Bob", "Banned Bob (!0b000002).").await;
    assert!(w.roster.is_banned(BOB));
    assert!(w.store.player(BOB).await.unwrap().unwrap().banned);
    assert!(w.roster.take_stale(BOB), "Bob's session reloads his record");
    call(&mut wiz, "@unban Bob", "Unbanned Bob.").await;
    assert!(!w.roster.is_banned(BOB));
    call(&mut wiz, "@ban Cy", "Not yourself.").await;
    call(&mut wiz, "@ban !0d000004", "Banned Node0004 (!0d000004).").await;
    call(&mut wiz, "@builder Bob", "Bob is a builder.").await;
    call(&mut wiz, "@builder Bob", "Bob can build already.").await;
    call(&mut wiz, "@ban Nobody", "No player called \"Nobody\".").await;
}

#[tokio::test(start_paused = true)]
async fn shutdown_needs_a_proven_wizard_and_stops_the_daemon() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let out = run(&mut ann, "@shutdown").await;
    assert_eq!(out.end, None);
    assert!(out.reply.starts_with("@shutdown needs wizard rights"));
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    let out = call(&mut wiz, "@shutdown", "Shutting down; everything is saved.").await;
    assert_eq!(out.end, Some(End::Shutdown));
    wiz.sender = crate::identity::Sender::Unproven;
    let out = run(&mut wiz, "@shutdown").await;
    assert_eq!(out.end, None, "stored powers need a PKI DM or the password");
}

#[test]
fn teleport_parses_who_and_where() {
    use crate::commands::wizard_moves::Teleport;
    use meshmush_core::commands::registry::{Command, Usage};
    assert_eq!(Teleport::parse("#5"), Ok(Teleport { who: None, to: 5 }));
    assert_eq!(Teleport::parse("me=#5"), Ok(Teleport { who: None, to: 5 }));
    assert_eq!(
        Teleport::parse("Bob = #7"),
        Ok(Teleport {
            who: Some("Bob".into()),
            to: 7
        })
    );
    assert_eq!(Teleport::parse("Bob"), Err(Usage::show()));
}

#[tokio::test(start_paused = true)]
async fn wizards_see_the_bbs_network() {
    use crate::federation::{Dialect, PeerConfig};
    let mut cfg = Config::default();
    let mut wiz = TestWorld::new()
        .await
        .with_level(CY, "Cy", Level::Wizard)
        .await;
    call(
        &mut wiz,
        "@peers",
        "No BBS peers configured ([federation] peers).",
    )
    .await;
    cfg.federation.peers = vec![
        PeerConfig {
            node: "!a1b2c3d4".into(),
            dialect: Dialect::Meshmush,
            key: None,
            insecure: true,
        },
        PeerConfig {
            node: "!0badcafe".into(),
            dialect: Dialect::Tc2,
            key: None,
            insecure: true,
        },
    ];
    let w = TestWorld::with(cfg).await;
    let now = crate::commands::unix_now();
    w.store
        .update_peer(0x0bad_cafe, move |s| {
            s.next_seq = 10;
            s.acked_upto = 7;
            s.sent = 7;
            s.received = 3;
            s.refused = 1;
            s.last_heard = now - 120;
        })
        .await
        .unwrap();
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    call(
        &mut wiz,
        "@peers",
        "Peers (heard, queued/sent/received/refused):\n\
         !a1b2c3d4 meshmush never, 0/0/0/0\n\
         !0badcafe tc2 2m ago, 2/7/3/1",
    )
    .await;
    let mut bob = w.player(BOB, "Bob").await;
    let out = run(&mut bob, "@peers").await;
    assert!(!out.reply.contains("!0badcafe"), "{}", out.reply);
}

/// The wizard reads their replies in their language, the new builder the notice in
/// theirs.
#[tokio::test(start_paused = true)]
async fn a_new_builder_is_told_in_their_language() {
    let w = TestWorld::new().await;
    let mut wiz = w.with_level(CY, "Cy", Level::Wizard).await;
    let mut bob = w.player(BOB, "Bob").await;
    speak(&mut bob, "es").await;
    let out = call(&mut wiz, "@builder Bob", "Bob is a builder.").await;
    assert_eq!(out.notices[0].text, "Ya puedes construir: ayuda @dig.");
    speak(&mut wiz, "de").await;
    call(&mut wiz, "@builder Bob", "Bob darf schon bauen.").await;
    call(&mut wiz, "@ban Nobody", "Kein Spieler namens \"Nobody\".").await;
}
