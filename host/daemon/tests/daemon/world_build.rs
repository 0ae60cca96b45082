//! Building and running the world over the software mesh: builders dig, describe and
//! lock; wizards grant rights and ban; and no reply packet, for any command with the
//! longest input allowed, exceeds the radio budget.

use crate::common::replies::{BUDGET, ask, expect, next, recv, silent};
use crate::common::{roomy, world};
use meshmush::config::Config;
use meshmush::store::StoreOptions;
use meshmush_protocol::chunking::parse_marker;

fn wizard_alice() -> Config {
    let mut cfg = roomy();
    cfg.admin.nodes = vec!["!4d4d1001".into()];
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builders_dig_describe_and_lock_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    ask(&mut w, 0, "look").await;
    let refused = ask(&mut w, 2, "@dig Shed").await;
    assert_eq!(
        refused,
        "@dig needs builder rights: you do not have those rights."
    );
    assert_eq!(
        ask(&mut w, 1, "@builder Bob").await,
        "@builder needs wizard rights: you do not have those rights."
    );
    assert_eq!(ask(&mut w, 0, "@builder Bob").await, "Bob is a builder.");
    expect(&mut w, 1, "You may build now").await;

    let dug = ask(&mut w, 1, "@dig Workshop=down;d,up;u").await;
    assert!(
        dug.starts_with("Dug Workshop #")
            && dug.contains("Opened down #")
            && dug.contains("Back: up #"),
        "{dug}"
    );
    let id: u64 = dug["Dug Workshop #".len()..]
        .split('.')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        ask(&mut w, 1, "d")
            .await
            .starts_with(&format!("Workshop #{id}"))
    );
    expect(&mut w, 0, "Bob leaves down.").await;
    expect(&mut w, 2, "Bob leaves down.").await;
    assert_eq!(
        ask(
            &mut w,
            1,
            "@describe here=Benches, vices and a smell of flux."
        )
        .await,
        "Described Workshop."
    );
    assert_eq!(
        ask(&mut w, 1, "@sdesc here=Benches and tools.").await,
        "Short description of Workshop set."
    );
    assert_eq!(
        ask(&mut w, 1, "@create toolbox;box")
            .await
            .split(" #")
            .next(),
        Some("Created toolbox")
    );
    assert!(ask(&mut w, 1, "u").await.starts_with("Town Square"));
    expect(&mut w, 0, "Bob arrives.").await;
    expect(&mut w, 2, "Bob arrives.").await;
    assert_eq!(ask(&mut w, 1, "@lock down=me").await, "Locked down to you.");
    assert_eq!(ask(&mut w, 2, "d").await, "The way down is locked.");
    assert_eq!(
        ask(&mut w, 2, "@lock down=me").await,
        "@lock needs builder rights: you do not have those rights."
    );
    assert_eq!(
        ask(&mut w, 1, "@describe north=mine now").await,
        "You do not own north."
    );
    let look = ask(&mut w, 0, "d").await;
    assert!(
        look.starts_with(&format!("Workshop #{id}: Benches and tools.")),
        "wizards pass locks: {look}"
    );
    expect(&mut w, 1, "Alice leaves down.").await;
    expect(&mut w, 2, "Alice leaves down.").await;
    assert!(
        ask(&mut w, 0, "look")
            .await
            .starts_with(&format!("Workshop #{id}: Benches, vices"))
    );
    w.stop().await.expect("clean shutdown");

    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    assert!(
        ask(&mut w, 0, "look").await.starts_with("Workshop"),
        "Alice is still in the workshop"
    );
    assert_eq!(ask(&mut w, 2, "d").await, "The way down is locked.");
    assert!(ask(&mut w, 1, "i").await.starts_with("You carry toolbox."));
    assert!(
        ask(&mut w, 1, "examine down")
            .await
            .contains("locked to !4d4d1002")
    );
    assert!(
        ask(&mut w, 1, "d").await.starts_with("Workshop"),
        "Bob is still a builder and passes his lock"
    );
    expect(&mut w, 0, "Bob arrives.").await;
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banned_node_gets_no_reply_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    ask(&mut w, 2, "look").await;
    assert_eq!(
        ask(&mut w, 1, "@ban Carol").await,
        "@ban needs wizard rights: you do not have those rights."
    );
    assert_eq!(
        ask(&mut w, 0, "@ban !4d4d1003").await,
        "Banned Carol (!4d4d1003)."
    );
    let bbs = w.bbs;
    w.handsets[2].send(bbs, "look").await.unwrap();
    w.handsets[2].send(bbs, &"x".repeat(300)).await.unwrap();
    silent(&mut w, 2).await;
    w.stop().await.expect("clean shutdown");

    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    let bbs = w.bbs;
    w.handsets[2].send(bbs, "ping").await.unwrap();
    silent(&mut w, 2).await;
    assert_eq!(ask(&mut w, 0, "@unban carol").await, "Unbanned Carol.");
    assert_eq!(ask(&mut w, 2, "ping").await, "pong");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_packet_fits_the_budget_with_the_longest_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    let max = roomy().limits.max_command_bytes;
    // Fill a command up to the byte limit with a long word-ish tail.
    let fill = |cmd: &str| {
        let mut s = cmd.to_string();
        let words = ["antenna", "relay", "mesh", "ßüñ", "packet", "hop"];
        let mut i = 0;
        while s.len() + words[i % words.len()].len() < max {
            s.push(' ');
            s.push_str(words[i % words.len()]);
            i += 1;
        }
        s
    };
    ask(&mut w, 1, "look").await;
    ask(&mut w, 2, "look").await;
    ask(&mut w, 0, "@builder Bob").await;
    recv(&mut w, 1, "builder notice").await;
    let name32 = "N".repeat(32);
    let commands = [
        fill("help"),
        fill("look"),
        fill("examine"),
        fill("get"),
        fill("drop"),
        fill("give Bob"),
        fill("go"),
        format!("@dig {name32}=down;d,up;u"),
        fill("@dig"),
        fill("@describe here="),
        fill("@sdesc here="),
        format!("@create {name32}"),
        fill("@name here="),
        "look".to_string(),
        "examine here".to_string(),
        "exits".to_string(),
        "i".to_string(),
        "who".to_string(),
        "where".to_string(),
        "help".to_string(),
        fill("page Carol"),
        fill("say"),
        fill("pose"),
        fill("\""),
        fill(":"),
        fill("@teleport"),
        fill("@ban"),
        "@stats".to_string(),
        fill("@open"),
        fill("@open x=#1"),
        fill("@lock here="),
        fill("@unlock"),
        fill("@link me="),
        fill("@set here="),
        fill("@destroy"),
        fill("@boot"),
        fill("@unban"),
        fill("@builder"),
        fill("@teleport Bob="),
        fill("home"),
        fill("exits"),
        fill("money"),
        fill("whoami"),
        fill("who"),
        fill("where"),
        fill("inventory"),
        fill("n"),
    ];
    // Arriving anywhere in the starter world is one packet.
    for room in 1..=13 {
        let bbs = w.bbs;
        w.handsets[0]
            .send(bbs, &format!("@tel #{room}"))
            .await
            .unwrap();
        let view = next(&mut w, 0, "teleport").await;
        assert!(
            parse_marker(&view).is_none(),
            "#{room} takes more than a packet: {view}"
        );
    }
    ask(&mut w, 0, "@tel #1").await;
    for cmd in &commands {
        assert!(cmd.len() <= max, "{cmd}");
        let reply = ask(&mut w, 0, cmd).await;
        assert!(!reply.is_empty(), "{cmd}");
    }
    // Everything the others heard (pages, speech) was checked packet by packet too.
    for k in [1, 2] {
        for t in w.handsets[k]
            .texts_until_quiet(std::time::Duration::from_millis(500))
            .await
        {
            assert!(t.text.len() <= BUDGET, "{:?}", t.text);
        }
    }
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizards_teleport_and_boot() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(3, wizard_alice(), dir.path(), StoreOptions::default()).await;
    ask(&mut w, 1, "look").await;
    // The seed's rooms are #1 (the square) to #13, in file order: #8 is the hill.
    assert_eq!(
        ask(&mut w, 0, "@teleport Bob=#8").await,
        "Teleported Bob to #8."
    );
    expect(&mut w, 1, "Alice teleports you to #8.").await;
    assert!(ask(&mut w, 1, "look").await.starts_with("Repeater Hill"));
    assert!(ask(&mut w, 0, "@tel #12").await.starts_with("Harbour #12"));
    assert_eq!(
        ask(&mut w, 0, "@teleport #2000").await,
        "#2000 is not a room."
    );
    assert_eq!(ask(&mut w, 0, "@boot Bob").await, "Booted Bob.");
    expect(&mut w, 1, "booted home").await;
    assert!(ask(&mut w, 1, "look").await.starts_with("Town Square"));
    let where_ = ask(&mut w, 0, "where").await;
    assert!(
        where_.contains("Bob in Town Square"),
        "Bob is back about: {where_}"
    );
    // An exit into a room that has been destroyed leads nowhere.
    let dug = ask(&mut w, 0, "@dig Shed=in,out").await;
    let shed = dug["Dug Shed #".len()..]
        .split('.')
        .next()
        .unwrap()
        .to_string();
    assert!(ask(&mut w, 0, "in").await.starts_with("Shed"));
    assert!(
        ask(&mut w, 0, "@destroy out")
            .await
            .starts_with("Destroyed out #")
    );
    assert_eq!(
        ask(&mut w, 0, &format!("@destroy #{shed}")).await,
        "Step out of the room first."
    );
    assert!(ask(&mut w, 0, "@tel #12").await.starts_with("Harbour"));
    assert_eq!(
        ask(&mut w, 0, &format!("@destroy #{shed}")).await,
        format!("Destroyed Shed #{shed}.")
    );
    assert_eq!(ask(&mut w, 0, "in").await, "That way leads nowhere now.");
    assert_eq!(
        ask(&mut w, 0, "@destroy #1").await,
        "The starting room cannot be destroyed."
    );
    let stats = ask(&mut w, 0, "@stats").await;
    assert!(stats.ends_with(" objects, 3 players, 3 about."), "{stats}");
    // `@shutdown` stops the daemon cleanly (it used to only log the wish).
    assert_eq!(
        ask(&mut w, 0, "@shutdown").await,
        "Shutting down; everything is saved."
    );
    let why = tokio::time::timeout(crate::common::WAIT, w.app.stopped()).await;
    assert_eq!(why.ok(), Some(meshmush::app::Stopped::Asked));
    w.stop().await.expect("clean shutdown");
}
