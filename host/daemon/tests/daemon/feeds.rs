//! Feeds and alerts against a running daemon on the software mesh, fed by a local
//! HTTP server serving the shipped fixtures (the OASIS CAP 1.2 examples, an RSS 2.0
//! and an Atom document): a Severe alert lands on the urgent board and a handset hears
//! it announced once; a restart polls again and posts nothing; two BBSes carrying the
//! same feed hold one copy each after sync; a failing feed shows on the status page
//! while the BBS goes on answering; and a hostile server cannot make the fetcher read,
//! wait or follow without bound.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use crate::common::feed_server::{Answer, FeedServer, fixture};
use crate::common::peer::{bbs_on_node, syncing_with};
use crate::common::roomy;
use meshmush::app::App;
use meshmush::config::feed::{FeedEntry, FeedKind, Severity, Urgency, UrgentRule};
use meshmush::feeds::{FetchError, Fetcher, MAX_REDIRECTS};
use meshmush::store::{Board, Level, Store, StoreOptions};
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_testkit::Kit;
use meshmush_testkit::replies::WAIT;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn cap_feed(url: String) -> FeedEntry {
    FeedEntry {
        name: Some("NWS".into()),
        url,
        kind: FeedKind::Cap,
        board: "alerts".into(),
        every_mins: 60,
        urgent_board: Some("urgent".into()),
        urgent: Some(UrgentRule {
            severity: Severity::Severe,
            urgency: Urgency::Expected,
        }),
    }
}

/// Makes boards in the store at `dir` before a daemon opens it, so the first poll
/// (at start) finds them.
async fn make_boards(dir: &Path, boards: &[(&str, bool)]) {
    let store = Store::open(dir, StoreOptions::default()).await.unwrap();
    for (name, urgent) in boards {
        store
            .put_board(Board {
                name: name.to_string(),
                description: format!("{name} from feeds"),
                read_level: Level::Player,
                post_level: Level::Wizard,
                next_num: 1,
                created: 0,
                urgent: *urgent,
            })
            .await
            .unwrap();
    }
    store.close().await.unwrap();
}

/// (author, text) of the posts on `board`, oldest first.
async fn posts(store: &Store, board: &str) -> Vec<(String, String)> {
    let mut p = store.newest_posts(board.into(), 100).await.unwrap();
    p.reverse();
    p.into_iter().map(|p| (p.author_name, p.text)).collect()
}

async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT * 2;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One plain HTTP/1.1 GET of the status page's `path`: its body.
async fn page(addr: SocketAddr) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8(raw).expect("utf-8");
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_severe_alert_is_announced_once_and_a_restart_posts_nothing_new() {
    let server = FeedServer::start().await;
    server.set("/cap.xml", Answer::Doc(fixture("cap-thunderstorm.xml")));
    let dir = tempfile::tempdir().unwrap();
    make_boards(dir.path(), &[("alerts", false), ("urgent", true)]).await;
    let mut cfg = roomy();
    cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    cfg.feed = vec![cap_feed(server.url("/cap.xml"))];
    let mut w = Kit::builder(cfg)
        .handsets(1)
        .data(dir.path())
        .start()
        .await
        .expect("mesh, daemon and handset start");

    let store = w.app.store().clone();
    until("the alert is on the urgent board", || async {
        !posts(&store, "urgent").await.is_empty()
    })
    .await;
    let heard = w.handsets[0]
        .next_channel_text(WAIT)
        .await
        .expect("the announcement on the channel");
    assert_eq!(
        heard.text,
        "URGENT on urgent: SEVERE THUNDERSTORM WARNING - NWS (feed). DM me: read urgent 1"
    );
    assert!(
        posts(&store, "alerts").await.is_empty(),
        "urgent alerts go to the urgent board"
    );
    // The post as a player reads it: title, summary, link-less (the alert has no web).
    assert!(w.ask(0, "ping").await.starts_with("Welcome, "));
    let read = w.ask(0, "read urgent 1").await;
    assert!(
        read.starts_with("urgent #1 NWS (feed) ")
            && read
                .contains(":\nSEVERE THUNDERSTORM WARNING\nArea: EXTREME NORTH CENTRAL TUOLUMNE"),
        "{read}"
    );
    let body = page(w.app.http_addr().expect("the page")).await;
    assert!(body.contains("id=\"feeds\""), "{body}");
    assert!(
        body.contains("NWS") && body.contains("class=\"ok\">ok, "),
        "{body}"
    );

    // Restart: the first poll of the new run finds the alert already seen. (Our
    // handle on the store goes first: it would keep the database open.)
    drop(store);
    let mut w = w.restart().await.expect("restarts");
    until("a second poll", || async { server.hits("/cap.xml") >= 2 }).await;
    until("the second poll is done", || async {
        w.app
            .ops()
            .feeds()
            .first()
            .is_some_and(|f| f.last_ok.is_some())
    })
    .await;
    let store = w.app.store().clone();
    assert_eq!(posts(&store, "urgent").await.len(), 1, "nothing new posted");
    assert_eq!(w.app.ops().feeds()[0].posted, 0);
    let again = w.handsets[0]
        .next_channel_text(Duration::from_secs(2))
        .await;
    assert!(again.is_none(), "announced again: {again:?}");
    w.stop().await.unwrap();
}

/// A BBS on sim node `node`, syncing with `peers`, polling `feed`.
async fn bbs_on(node: &SimNode, peers: &[u32], feed: FeedEntry, dir: &Path) -> App {
    let mut cfg = syncing_with(peers);
    cfg.feed = vec![feed];
    bbs_on_node(node, cfg, dir).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bbses_carrying_the_same_feed_hold_one_copy_each_after_sync() {
    let server = FeedServer::start().await;
    server.set("/news.rss", Answer::Doc(fixture("rss2-sample.xml")));
    server.set("/cap.xml", Answer::Doc(fixture("cap-hsas.xml")));
    let mesh = Mesh::start(SimConfig {
        handsets: 1,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (a, b) = (mesh.gateway().num, mesh.handsets()[0].num);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let rss = FeedEntry {
        url: server.url("/news.rss"),
        board: "general".into(),
        every_mins: 60,
        ..Default::default()
    };
    let app_a = bbs_on(mesh.gateway(), &[b], rss.clone(), da.path()).await;
    let app_b = bbs_on(&mesh.handsets()[0], &[a], rss, db.path()).await;
    for app in [&app_a, &app_b] {
        let store = app.store().clone();
        until("four posts", || async {
            posts(&store, "general").await.len() >= 4
        })
        .await;
    }
    // Sync settles: each side's outbox acknowledged.
    for (app, peer) in [(&app_a, b), (&app_b, a)] {
        let store = app.store().clone();
        until("the outbox drains", || async {
            store.peer_state(peer).await.unwrap().queued() == 0
        })
        .await;
    }
    let want: Vec<&str> = vec![
        "Astronauts' Dirty Laundry",
        "The Engine That Does More",
        "Sky watchers in Europe",
        "Star City",
    ];
    for app in [&app_a, &app_b] {
        let got = posts(app.store(), "general").await;
        assert_eq!(got.len(), 4, "{got:#?}");
        for ((author, text), title) in got.iter().zip(&want) {
            assert_eq!(author, "127.0.0.1 (feed)");
            assert!(text.starts_with(title), "{text}");
        }
    }
    // Each side sent its four to the other, and took the other's as ones it holds.
    let sent = |app: &App, peer| {
        let store = app.store().clone();
        async move { store.peer_state(peer).await.unwrap().sent }
    };
    assert!(sent(&app_a, b).await + sent(&app_b, a).await >= 4);
    app_a.shutdown().await.unwrap();
    app_b.shutdown().await.unwrap();
    mesh.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_feeds_show_on_the_status_page_and_a_flood_is_capped() {
    let server = FeedServer::start().await;
    server.set(
        "/garbage",
        Answer::Doc(b"<html><body>502 Bad Gateway</body>".to_vec()),
    );
    server.set("/loop", Answer::Redirect("/loop".into()));
    server.set("/silent", Answer::Silent);
    let mut flood =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
    for n in 0..5000 {
        flood.push_str(&format!(
            "<item><title>n{n}</title><guid>g{n}</guid></item>"
        ));
    }
    flood.push_str("</channel></rss>");
    server.set("/flood", Answer::Doc(flood.into_bytes()));
    let mut cfg = roomy();
    cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    cfg.feeds.max_posts = 3;
    cfg.feeds.max_entries = 20;
    cfg.feeds.timeout_secs = 300;
    let feed = |name: &str, path: &str| FeedEntry {
        name: Some(name.into()),
        url: server.url(path),
        board: "general".into(),
        every_mins: 60,
        ..Default::default()
    };
    cfg.feed = vec![
        feed("garbage", "/garbage"),
        feed("loop", "/loop"),
        feed("flood", "/flood"),
        feed("silent", "/silent"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut w = crate::common::world(1, cfg, dir.path(), StoreOptions::default()).await;
    until("three feeds polled", || async {
        let f = w.app.ops().feeds();
        f.len() == 4 && f[0].failures > 0 && f[1].failures > 0 && f[2].last_ok.is_some()
    })
    .await;
    // The flood: three posts, the newest three, oldest first.
    let got = posts(w.app.store(), "general").await;
    let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["n2", "n1", "n0"]);
    let f = w.app.ops().feeds();
    assert_eq!(f[2].posted, 3);
    assert!(
        f[3].last_ok.is_none() && f[3].failures == 0,
        "the silent one is still waiting"
    );
    // The BBS answers while a feed hangs.
    assert_eq!(w.ask(0, "ping").await, "pong");
    let body = page(w.app.http_addr().expect("the page")).await;
    assert!(
        body.contains("failing (1 in a row): not an RSS or Atom feed"),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "failing (1 in a row): more than {MAX_REDIRECTS} redirects"
        )),
        "{body}"
    );
    assert!(body.contains("not polled yet"), "{body}");
    assert!(
        !body.contains("/garbage") && !body.contains("127.0.0.1:"),
        "no URL on the page"
    );
    w.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_server_cannot_make_the_fetcher_read_wait_or_follow_without_bound() {
    let server = FeedServer::start().await;
    server.set("/endless", Answer::Endless);
    server.set("/claims", Answer::Claims(1 << 40));
    server.set("/silent", Answer::Silent);
    server.set("/loop", Answer::Redirect("/loop".into()));
    server.set("/down", Answer::Status(503));
    server.set("/ok", Answer::Doc(fixture("atom-sample.xml")));
    let fetcher = Fetcher::new(Duration::from_secs(2), 64 * 1024).unwrap();

    assert_eq!(
        fetcher.get(&server.url("/ok")).await.unwrap(),
        fixture("atom-sample.xml")
    );
    // A body that never ends: refused at the cap, and the server soon cannot write.
    assert_eq!(
        fetcher.get(&server.url("/endless")).await,
        Err(FetchError::TooLarge(64))
    );
    // A length over the cap: refused before reading.
    assert_eq!(
        fetcher.get(&server.url("/claims")).await,
        Err(FetchError::TooLarge(64))
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let streamed = server.streamed();
    assert!(
        streamed < 32 << 20,
        "the server wrote {streamed} bytes into a 64 KiB cap"
    );
    // A server that never answers: the timeout.
    assert_eq!(
        fetcher.get(&server.url("/silent")).await,
        Err(FetchError::Timeout(2))
    );
    // A redirect loop: followed MAX_REDIRECTS times, then refused.
    assert_eq!(
        fetcher.get(&server.url("/loop")).await,
        Err(FetchError::Redirects)
    );
    assert_eq!(server.hits("/loop"), MAX_REDIRECTS + 1);
    assert_eq!(
        fetcher.get(&server.url("/down")).await,
        Err(FetchError::Status(503))
    );
    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}/x", closed.local_addr().unwrap());
    drop(closed);
    assert!(matches!(
        fetcher.get(&gone).await,
        Err(FetchError::Network(_))
    ));
}
