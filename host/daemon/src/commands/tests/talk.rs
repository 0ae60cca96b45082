//! `say`, `pose`, `page`, `who`, `where`.

use super::*;
use crate::commands::talk::{Page, Whisper};
use crate::commands::{Audience, Notice, NoticeKind};
use meshmush_core::commands::registry::{Command, Usage};
use meshmush_lang::Lang;

/// Each notice as (to whom, what a reader of English reads, how it travels).
pub(super) fn told(notices: &[Notice]) -> Vec<(Audience, &str, NoticeKind)> {
    notices
        .iter()
        .map(|n| (n.to.clone(), n.text.as_str(), n.kind))
        .collect()
}

fn lang(code: &str) -> Lang {
    Lang::parse(code).expect("offered")
}

#[tokio::test(start_paused = true)]
async fn say_and_pose_reach_the_room_not_the_speaker() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let room = w.store.player_state(ANN).await.unwrap().location;
    let out = call(&mut ann, "say hello there", "You say, \"hello there\"").await;
    assert_eq!(
        told(&out.notices),
        [(
            Audience::Room { room, except: ANN },
            "Ann says, \"hello there\"",
            NoticeKind::Ambient
        )]
    );
    // Each listener reads the room's notice in their own language.
    assert_eq!(
        out.notices[0].text.in_lang(lang("de")),
        "Ann sagt: „hello there“"
    );
    assert_eq!(
        out.notices[0].text.in_lang(lang("es")),
        "Ann dice: «hello there»"
    );
    let out = call(&mut ann, ":waves", "Ann waves").await;
    assert_eq!(out.notices[0].text, "Ann waves");
    call(&mut ann, ":'s here", "Ann's here").await;
    call(&mut ann, "say", "Say what?").await;
    call(&mut ann, "pose", "Pose what? :waves").await;
}

#[tokio::test(start_paused = true)]
async fn page_reaches_one_player_anywhere() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    run(&mut bob, "n").await;
    let out = call(&mut ann, "page bob hi Bob", "You page Bob: hi Bob").await;
    assert_eq!(
        told(&out.notices),
        [(
            Audience::Player(BOB),
            "Ann pages: hi Bob",
            NoticeKind::Direct
        )]
    );
    call(&mut ann, "page nobody hi", "No player called \"nobody\".").await;
    call(&mut ann, "page", "Usage: page PLAYER TEXT").await;
    assert_eq!(
        Page::parse("Bob = hi there"),
        Ok(Page {
            to: "Bob".into(),
            text: "hi there".into()
        })
    );
    assert_eq!(Page::parse("Bob"), Err(Usage::show()));
}

#[tokio::test(start_paused = true)]
async fn who_and_where_list_the_players_about() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    run(&mut bob, "e").await;
    later(90).await;
    call(&mut ann, "who", "2 about: Ann 0s, Bob 1m.").await;
    call(
        &mut ann,
        "where",
        "Ann in Town Square; Bob in Market Street.",
    )
    .await;
}

#[test]
fn say_and_pose_need_words() {
    use crate::commands::talk::{Pose, Say};
    assert_eq!(Say::parse(""), Err(Usage::key("say-what", vec![])));
    assert_eq!(
        Say::parse("hi all"),
        Ok(Say {
            text: "hi all".into()
        })
    );
    assert_eq!(Pose::parse(""), Err(Usage::key("pose-what", vec![])));
}

#[tokio::test(start_paused = true)]
async fn semipose_puts_no_space_after_the_name() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let room = w.store.player_state(ANN).await.unwrap().location;
    let out = call(&mut ann, ";'s eyes light up", "Ann's eyes light up").await;
    assert_eq!(
        told(&out.notices),
        [(
            Audience::Room { room, except: ANN },
            "Ann's eyes light up",
            NoticeKind::Ambient
        )]
    );
    call(&mut ann, "semipose -ish", "Ann-ish").await;
    call(&mut ann, ";", "Pose what? ;'s eyes light up").await;
}

#[tokio::test(start_paused = true)]
async fn whisper_reaches_only_the_target_and_the_room_sees_it_happen() {
    let w = TestWorld::new().await;
    let mut ann = w.player(ANN, "Ann").await;
    let mut bob = w.player(BOB, "Bob").await;
    let mut cy = w.player(CY, "Cy").await;
    run(&mut bob, "look").await;
    run(&mut cy, "look").await;
    let out = call(
        &mut ann,
        "whisper bob=the key is under the mat",
        "You whisper to Bob: the key is under the mat",
    )
    .await;
    assert_eq!(
        told(&out.notices),
        [
            (
                Audience::Player(BOB),
                "Ann whispers: the key is under the mat",
                NoticeKind::Direct
            ),
            (
                Audience::Player(CY),
                "Ann whispers to Bob.",
                NoticeKind::Ambient
            ),
        ]
    );
    call(&mut ann, "whisper Bob psst", "You whisper to Bob: psst").await;
    run(&mut bob, "n").await;
    call(&mut ann, "whisper bob psst", "Bob is not here.").await;
    call(
        &mut ann,
        "whisper nobody psst",
        "No player called \"nobody\".",
    )
    .await;
    call(&mut ann, "whisper bob", "Usage: whisper PLAYER=TEXT").await;
    assert_eq!(
        Whisper::parse("Bob = hi there"),
        Ok(Whisper {
            to: "Bob".into(),
            text: "hi there".into()
        })
    );
}
