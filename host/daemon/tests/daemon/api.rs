//! The HTTP API end to end, with real `curl` (Debian's) against a running daemon on
//! the software mesh, and a second meshmush BBS syncing with it: a token made with
//! the real `meshmush admin token create` posts; a handset at the BBS reads the post
//! with `read`, and the peer BBS holds it too; mail reaches a player; `@wall` reaches
//! the channel once per channel gap. Then the attacks, from outside: no token, a
//! garbage one, the wrong scope, a revoked one, a flood past the token's rate, bad
//! and oversized bodies, chunked and half-sent ones, unknown routes and methods. The
//! OpenAPI document describes exactly the routes the server answers.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use crate::common::peer::{ask, bbs_on_node, syncing_with};
use meshmush::app::App;
use meshmush::ops::api::routes::ROUTES;
use meshmush::store::{Store, StoreOptions};
use meshmush_firmware_bridge::sim::handset::Handset;
use meshmush_firmware_bridge::sim::{Mesh, SimConfig, SimNode};
use meshmush_protocol::packets::node_id;
use meshmush_testkit::packages::CURL;
use meshmush_testkit::replies::WAIT;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Requests one token may make at once (then one a minute: a flood meets 429).
const BURST: u32 = 20;

/// A BBS on sim node `node` syncing with `peer`; with the API on when `api`.
async fn bbs_on(node: &SimNode, peer: u32, dir: &Path, api: bool) -> App {
    let mut cfg = syncing_with(&[peer]);
    if api {
        cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        cfg.http.api = true;
        cfg.http.api_burst = BURST;
        cfg.http.api_per_minute = 1;
    }
    bbs_on_node(node, cfg, dir).await
}

/// `meshmush admin --data DIR ARGS...`, the real binary: its stdout, and whether it
/// exited 0.
async fn admin(dir: &Path, args: &[&str]) -> (String, bool) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshmush"))
        .arg("admin")
        .arg("--data")
        .arg(dir)
        .args(args)
        .output()
        .await
        .expect("meshmush admin runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    )
}

/// A new token named `name` with `scopes`, as the operator makes it.
async fn token(dir: &Path, name: &str, scopes: &str) -> String {
    let (out, ok) = admin(dir, &["token", "create", name, "--scopes", scopes]).await;
    assert!(ok, "{out}");
    let secret = out.lines().next().unwrap_or_default().to_string();
    assert!(secret.starts_with("mmapi_"), "{out}");
    secret
}

/// One answer as curl saw it.
#[derive(Debug)]
struct Answer {
    status: u16,
    /// The head, lowercased.
    head: String,
    body: Value,
}

/// One request with curl: `method` to `path` on `addr`, with `token` and `body`
/// (JSON text), plus any `extra` curl arguments.
async fn curl(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    extra: &[&str],
) -> Answer {
    let curl = CURL.ensure_async().await.expect("curl");
    let mut cmd = tokio::process::Command::new(curl);
    // -i: the head too; no `Expect: 100-continue`, so one head comes back.
    cmd.args([
        "-s",
        "-i",
        "--max-time",
        "30",
        "-H",
        "Expect:",
        "-X",
        method,
    ]);
    if let Some(t) = token {
        cmd.arg("-H").arg(format!("Authorization: Bearer {t}"));
    }
    if let Some(b) = body {
        cmd.args(["-H", "Content-Type: application/json", "--data-binary", b]);
    }
    cmd.args(extra).arg(format!("http://{addr}{path}"));
    let out = cmd.output().await.expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status from {method} {path}: {text:?}"));
    Answer {
        status,
        head: head.to_lowercase(),
        body: serde_json::from_str(body).unwrap_or(Value::String(body.to_string())),
    }
}

/// The error message of a JSON error answer (fails if it is not one).
fn error(a: &Answer) -> &str {
    a.body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("not a JSON error: {a:?}"))
}

/// Waits until `store`'s board `general` has a post by `author` with `text`.
async fn synced(store: &Store, author: &str, text: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let posts = store.newest_posts("general".into(), 20).await.unwrap();
        if posts
            .iter()
            .any(|p| p.author_name == author && p.text == text)
        {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never synced: {posts:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_by_api_is_read_on_the_radio_and_at_a_peer_and_bad_requests_are_refused() {
    let mesh = Mesh::start(SimConfig {
        handsets: 3,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (a, b) = (mesh.gateway().num, mesh.handsets()[0].num);
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let app_a = bbs_on(mesh.gateway(), b, da.path(), true).await;
    let app_b = bbs_on(&mesh.handsets()[0], a, db.path(), false).await;
    let addr = app_a.http_addr().expect("served");
    let mut alice = Handset::connect(&mesh.handsets()[1]).await.unwrap();
    assert!(ask(&mut alice, a, "ping").await.starts_with("Welcome, "));
    let alice_name = app_a
        .store()
        .player(alice.node.num)
        .await
        .unwrap()
        .unwrap()
        .name;
    let ci = token(da.path(), "ci", "read,post,mail").await;

    // A post by API: 201, in the token's name.
    let text = "Net tonight at 20:00 on 433.5";
    let r = curl(
        addr,
        "POST",
        "/api/v1/boards/general/posts",
        Some(&ci),
        Some(&json!({ "text": text }).to_string()),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["author"], "ci (api)");
    assert_eq!(r.body["num"], 1);
    assert!(r.head.contains("content-type: application/json"), "{r:?}");
    // A handset reads it over the radio...
    let read = ask(&mut alice, a, "read general").await;
    assert!(
        read.starts_with("general #1 ci (api)") && read.ends_with(text),
        "{read}"
    );
    // ... and the peer BBS holds it, synced as any post.
    synced(app_b.store(), "ci (api)", text).await;

    // Reading by API: the boards, the posts since a number, the nodes heard.
    let r = curl(addr, "GET", "/api/v1/boards", Some(&ci), None, &[]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let general = r.body["boards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "general")
        .cloned()
        .unwrap();
    assert_eq!(
        (general["last_post"].clone(), general["may_post"].clone()),
        (json!(1), json!(true))
    );
    let r = curl(
        addr,
        "GET",
        "/api/v1/boards/GENERAL/posts?since=0",
        Some(&ci),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["posts"][0]["text"], text);
    assert_eq!(r.body["posts"][0]["author"], "ci (api)");
    let r = curl(
        addr,
        "GET",
        "/api/v1/boards/general/posts?since=1",
        Some(&ci),
        None,
        &[],
    )
    .await;
    assert_eq!(r.body["posts"], json!([]), "{r:?}");
    let r = curl(addr, "GET", "/api/v1/nodes", Some(&ci), None, &[]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let ids: Vec<&str> = r.body["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert!(ids.contains(&node_id(alice.node.num).as_str()), "{ids:?}");

    // Mail by API to a player: the player hears of it and reads it.
    let r = curl(
        addr,
        "POST",
        "/api/v1/mail",
        Some(&ci),
        Some(&json!({ "to": alice_name, "text": "Your QSL card is here" }).to_string()),
        &[],
    )
    .await;
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.body["to"], node_id(alice.node.num));
    let notice = alice.next_text(WAIT).await.expect("a mail notice").text;
    assert!(notice.starts_with("New mail from ci (api)."), "{notice}");
    let letter = ask(&mut alice, a, "mail 1").await;
    assert!(letter.contains("Your QSL card is here"), "{letter}");

    // What a token holder may make the BBS keep is bounded: a board that exists, one
    // a player may post to, text within `post_max_bytes`, JSON this route takes.
    let post = |body: String, board: &'static str| {
        let ci = ci.clone();
        async move {
            let path = format!("/api/v1/boards/{board}/posts");
            curl(addr, "POST", &path, Some(&ci), Some(&body), &[]).await
        }
    };
    let r = post(json!({ "text": "hi" }).to_string(), "nowhere").await;
    assert_eq!(r.status, 404, "{r:?}");
    assert!(error(&r).contains("no board"), "{r:?}");
    let r = post(json!({ "text": "hi" }).to_string(), "news").await;
    assert_eq!(r.status, 403, "{r:?}");
    let r = post(json!({ "text": "x".repeat(1001) }).to_string(), "general").await;
    assert_eq!(r.status, 413, "{r:?}");
    assert!(error(&r).contains("limit is 1000"), "{r:?}");
    let r = post("{\"text\": \"unclosed".into(), "general").await;
    assert_eq!(r.status, 400, "{r:?}");
    assert!(error(&r).contains("not the JSON"), "{r:?}");
    let r = post(
        json!({ "text": "hi", "author": "Sysop" }).to_string(),
        "general",
    )
    .await;
    assert_eq!(r.status, 400, "{r:?}");
    let r = post(json!({ "text": "   " }).to_string(), "general").await;
    assert_eq!(r.status, 400, "{r:?}");
    // A body past 8 KiB is refused from its head: 413, never read.
    let r = post(json!({ "text": "y".repeat(9000) }).to_string(), "general").await;
    assert_eq!(r.status, 413, "{r:?}");
    assert!(r.head.contains("connection: close"), "{r:?}");
    // A body of no stated length (chunked): 411.
    let r = curl(
        addr,
        "POST",
        "/api/v1/boards/general/posts",
        Some(&ci),
        Some("{\"text\":\"chunked\"}"),
        &["-H", "Transfer-Encoding: chunked"],
    )
    .await;
    assert_eq!(r.status, 411, "{r:?}");
    // None of those made a post.
    let posts = app_a
        .store()
        .newest_posts("general".into(), 10)
        .await
        .unwrap();
    assert_eq!(posts.len(), 1, "{posts:?}");

    // Tokens: none, garbage, the wrong scope.
    let r = curl(addr, "GET", "/api/v1/boards", None, None, &[]).await;
    assert_eq!(r.status, 401, "{r:?}");
    assert!(r.head.contains("www-authenticate: bearer"), "{r:?}");
    let r = curl(
        addr,
        "GET",
        "/api/v1/boards",
        Some("mmapi_guess"),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, 401, "{r:?}");
    let r = curl(
        addr,
        "POST",
        "/api/v1/wall",
        Some(&ci),
        Some(r#"{"text":"hi"}"#),
        &[],
    )
    .await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(error(&r).contains("wall"), "{r:?}");

    // @wall by API: one channel packet, then the channel gap says wait (429).
    let siren = token(da.path(), "siren", "wall").await;
    let r = curl(
        addr,
        "POST",
        "/api/v1/wall",
        Some(&siren),
        Some(r#"{"text":"Net starts now"}"#),
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    let heard = alice.next_channel_text(WAIT).await.expect("the wall").text;
    assert_eq!(heard, "[wall] siren (api): Net starts now");
    let r = curl(
        addr,
        "POST",
        "/api/v1/wall",
        Some(&siren),
        Some(r#"{"text":"Again"}"#),
        &[],
    )
    .await;
    assert_eq!(r.status, 429, "{r:?}");
    assert!(r.head.contains("retry-after:"), "{r:?}");

    // Routes and methods: unknown ones get JSON errors; the status page stays
    // read-only.
    let r = curl(addr, "GET", "/api/v1/nope", Some(&ci), None, &[]).await;
    assert_eq!(r.status, 404, "{r:?}");
    assert!(error(&r).contains("openapi.json"), "{r:?}");
    let r = curl(addr, "PUT", "/api/v1/boards", Some(&ci), Some("{}"), &[]).await;
    assert_eq!(r.status, 405, "{r:?}");
    let r = curl(addr, "POST", "/", None, Some("{}"), &[]).await;
    assert_eq!(r.status, 405, "{r:?}");

    // A body announced and sent a byte at a time is cut off (408), and the server
    // still answers others meanwhile.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/boards/general/posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ci}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"te"
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let r = curl(addr, "GET", "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut answer))
        .await
        .expect("cut off after the body's wait")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // The OpenAPI document describes every route the server answers, and only those:
    // each described method answers (401 without a token, not 404 or 405), each
    // other method is 405.
    let doc = curl(addr, "GET", "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(doc.body["openapi"], "3.0.3");
    let paths = doc.body["paths"].as_object().expect("paths");
    let mut described = Vec::new();
    for (path, item) in paths {
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            let url = format!("/api/v1{}", path.replace("{board}", "general"));
            let r = curl(addr, method, &url, None, Some("{}"), &[]).await;
            if item.get(method.to_lowercase()).is_some() {
                described.push((method.to_string(), path.clone()));
                assert!(![404, 405].contains(&r.status), "{method} {path}: {r:?}");
            } else {
                assert_eq!(r.status, 405, "{method} {path}: {r:?}");
            }
        }
    }
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    routes.sort();
    described.sort();
    assert_eq!(described, routes);

    // A revoked token is refused from the next request on.
    let (out, ok) = admin(da.path(), &["token", "list"]).await;
    assert!(ok && out.contains("ci read,post,mail"), "{out}");
    assert!(!out.contains(&ci), "the list never shows a token: {out}");
    let (out, ok) = admin(da.path(), &["token", "revoke", "ci"]).await;
    assert!(ok, "{out}");
    let r = curl(addr, "GET", "/api/v1/boards", Some(&ci), None, &[]).await;
    assert_eq!(r.status, 401, "{r:?}");
    assert!(error(&r).contains("revoked"), "{r:?}");

    // A token over its rate: 429 with Retry-After, and another token is not held up.
    let flood = token(da.path(), "flood", "read").await;
    let mut statuses = Vec::new();
    for _ in 0..BURST + 3 {
        let r = curl(addr, "GET", "/api/v1/boards", Some(&flood), None, &[]).await;
        statuses.push(r.status);
        if r.status == 429 {
            assert!(r.head.contains("retry-after:"), "{r:?}");
            assert!(error(&r).contains("too many requests"), "{r:?}");
        }
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(ok, BURST as usize, "{statuses:?}");
    assert!(
        statuses[BURST as usize..].iter().all(|s| *s == 429),
        "{statuses:?}"
    );
    let other = token(da.path(), "other", "read").await;
    let r = curl(addr, "GET", "/api/v1/boards", Some(&other), None, &[]).await;
    assert_eq!(r.status, 200, "{r:?}");

    app_a.shutdown().await.unwrap();
    app_b.shutdown().await.unwrap();
}

/// With `[http] api` unset, the status page is as it was: nothing under `/api/v1/`,
/// and POST is refused there as anywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_is_off_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = crate::common::roomy();
    cfg.http.listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    let w = crate::common::world(1, cfg, dir.path(), StoreOptions::default()).await;
    let addr = w.app.http_addr().expect("served");
    let r = curl(addr, "GET", "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(r.status, 404, "{r:?}");
    let r = curl(
        addr,
        "POST",
        "/api/v1/boards/general/posts",
        None,
        Some("{}"),
        &[],
    )
    .await;
    assert_eq!(r.status, 405, "{r:?}");
    // A token can be made (and says the API is off), but nothing takes it.
    let (out, ok) = admin(
        dir.path(),
        &["token", "create", "early", "--scopes", "read"],
    )
    .await;
    assert!(ok && out.contains("the API is off"), "{out}");
    w.stop().await.unwrap();
}
