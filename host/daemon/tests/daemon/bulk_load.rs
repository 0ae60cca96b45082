//! A bulk load leaves the store as the commands would have: names findable, posts
//! numbered in order with the board's counter and count in step, mail with distinct
//! ids; and a refused load writes nothing.

use meshmush::commands::default_boards;
use meshmush::store::{
    BulkLoad, Level, Mail, Player, PlayerState, Post, Store, StoreError, StoreOptions,
};

fn player(node: u32, name: &str) -> (Player, PlayerState) {
    let p = Player {
        node,
        name: name.into(),
        password_hash: None,
        level: Level::Player,
        created: 1,
        last_seen: 2,
        banned: false,
    };
    let s = PlayerState {
        node,
        location: 7,
        home: 7,
        coins: 10,
    };
    (p, s)
}

fn post(board: &str, author: u32, text: &str) -> Post {
    Post {
        board: board.into(),
        num: 0,
        author,
        author_name: format!("n{author}"),
        time: 3,
        subject: String::new(),
        text: text.into(),
        reply_to: None,
    }
}

fn mail(to: u32, from: u32) -> Mail {
    Mail {
        id: 0,
        to,
        from,
        from_name: format!("n{from}"),
        time: 4,
        subject: String::new(),
        text: "hello".into(),
        read: false,
        announced: true,
    }
}

async fn store(dir: &std::path::Path) -> Store {
    let store = Store::open(dir, StoreOptions::default())
        .await
        .expect("store opens");
    store
        .ensure_boards(default_boards(0))
        .await
        .expect("boards");
    store
}

#[tokio::test]
async fn loaded_records_read_back_as_the_commands_would_write_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    let mut load = BulkLoad {
        players: vec![player(1, "Ada Lovelace"), player(2, "Bob"), player(3, "Cy")],
        ..BulkLoad::default()
    };
    for i in 0..10 {
        load.posts
            .push(post("General", 1 + i % 3, &format!("post {i}")));
    }
    load.posts.push(post("help", 2, "how?"));
    load.mail = vec![mail(1, 2), mail(1, 3), mail(2, 1)];
    store.bulk_load(load).await.expect("loads");

    let ada = store.player_by_name("ada lovelace").await.expect("lookup");
    assert_eq!(ada.map(|p| p.node), Some(1));
    let state = store.player_state(2).await.expect("state");
    assert_eq!((state.location, state.coins), (7, 10));

    let newest = store
        .newest_posts("general".into(), 2)
        .await
        .expect("posts");
    let nums: Vec<u64> = newest.iter().map(|p| p.num).collect();
    assert_eq!(nums, [10, 9]);
    assert_eq!(newest[0].text, "post 9");
    assert_eq!(newest[0].board, "general", "the board's own spelling");
    let summaries = store.board_summaries(3).await.expect("summaries");
    let totals: Vec<(String, usize)> = summaries
        .iter()
        .map(|s| (s.board.name.clone(), s.total))
        .collect();
    assert!(totals.contains(&("general".into(), 10)), "{totals:?}");
    assert!(totals.contains(&("help".into(), 1)), "{totals:?}");
    let next = store
        .add_post(post("general", 3, "after"), 500)
        .await
        .expect("post");
    assert_eq!(next.num, 11, "the board's counter moved with the load");

    let inbox = store.mailbox(1).await.expect("mailbox");
    assert_eq!(inbox.len(), 2);
    assert_ne!(inbox[0].id, inbox[1].id);
    store.close().await.expect("closes");
}

#[tokio::test]
async fn a_refused_load_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    store
        .bulk_load(BulkLoad {
            players: vec![player(1, "Ada")],
            ..BulkLoad::default()
        })
        .await
        .expect("first load");
    let refused = [
        // A name someone holds, in another case.
        vec![player(2, "Bea"), player(3, "ADA")],
        // A node that has a player.
        vec![player(4, "Dee"), player(1, "Eve")],
        // The same name twice in one load.
        vec![player(5, "Fay"), player(6, "fay")],
    ];
    for players in refused {
        let load = BulkLoad {
            players,
            posts: vec![post("general", 1, "x")],
            mail: vec![mail(1, 1)],
        };
        let result = store.bulk_load(load).await;
        assert!(matches!(result, Err(StoreError::BulkLoad(_))), "{result:?}");
    }
    let no_board = BulkLoad {
        posts: vec![post("nowhere", 1, "x")],
        ..BulkLoad::default()
    };
    assert!(matches!(
        store.bulk_load(no_board).await,
        Err(StoreError::BulkLoad(_))
    ));
    assert_eq!(store.players_count().await.expect("count"), 1);
    for name in ["bea", "dee", "fay"] {
        assert!(store.player_by_name(name).await.expect("lookup").is_none());
    }
    assert!(
        store
            .newest_posts("general".into(), 1)
            .await
            .expect("posts")
            .is_empty()
    );
    assert!(store.mailbox(1).await.expect("mailbox").is_empty());
    store.close().await.expect("closes");
}

#[tokio::test]
async fn did_you_mean_finds_names_in_a_big_store_without_reading_them_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = store(dir.path()).await;
    store
        .bulk_load(BulkLoad {
            players: vec![player(1, "Bob")],
            ..BulkLoad::default()
        })
        .await
        .expect("one player");
    // A small BBS compares every name: a slip of the first letter is forgiven.
    let close = store.players_like("Vob".into(), 3).await.expect("like");
    assert_eq!(close, ["Bob"]);
    let many: Vec<_> = (0..3000u32)
        .map(|i| player(100 + i, &format!("Walker {i}")))
        .collect();
    store
        .bulk_load(BulkLoad {
            players: many,
            ..BulkLoad::default()
        })
        .await
        .expect("many players");
    let started = std::time::Instant::now();
    let close = store.players_like("Bbo".into(), 3).await.expect("like");
    assert_eq!(close, ["Bob"]);
    // Near the end of 3,000 names in order: what is compared is what is near the word.
    let close = store
        .players_like("walker 999x".into(), 3)
        .await
        .expect("like");
    assert_eq!(
        close.first().map(String::as_str),
        Some("Walker 999"),
        "{close:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    store.close().await.expect("closes");
}
