//! `meshmush chat`, the terminal handset, as a person uses it: commands on standard
//! input against the software mesh (a transcript), the interactive prompt in a real
//! terminal (tmux), and a node that cannot be reached.

use std::process::Stdio;
use std::time::Duration;

use crate::common::{roomy, world};
use meshmush::store::StoreOptions;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{ChildStdin, ChildStdout, Command};

const BIN: &str = env!("CARGO_BIN_EXE_meshmush");
const WAIT: Duration = Duration::from_secs(20);

/// Reads transcript lines until one satisfies `done`; returns them all.
async fn until(
    lines: &mut Lines<BufReader<ChildStdout>>,
    done: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(WAIT, lines.next_line()).await {
            Ok(Ok(Some(line))) => {
                let stop = done(&line);
                seen.push(line);
                if stop {
                    return seen;
                }
            }
            other => panic!("transcript ended or stalled ({other:?}) after {seen:#?}"),
        }
    }
}

/// The cost line that ends each reply.
fn is_cost(line: &str) -> bool {
    line.starts_with("  [") && line.ends_with(" s airtime]")
}

/// A chat run by a script: its standard input and its transcript.
struct Transcript {
    stdin: Option<ChildStdin>,
    out: Lines<BufReader<ChildStdout>>,
}

impl Transcript {
    /// Types `line` and returns the transcript up to its reply's cost line.
    async fn ask(&mut self, line: &str) -> Vec<String> {
        let stdin = self.stdin.as_mut().expect("input still open");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        let seen = until(&mut self.out, is_cost).await;
        assert_eq!(seen[0], format!("> {line}"), "{seen:#?}");
        seen
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_on_standard_input_make_a_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    // No --to: the chat finds the BBS by the name the node knows it by.
    let mut child = Command::new(BIN)
        .args(["chat", "--tcp", &alice.to_string(), "--timeout", "20"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("meshmush chat starts");
    let mut t = Transcript {
        stdin: Some(child.stdin.take().unwrap()),
        out: BufReader::new(child.stdout.take().unwrap()).lines(),
    };

    let look = t.ask("look").await;
    assert!(look[1].starts_with("Town Square:"), "{look:#?}");
    assert!(
        look.iter()
            .any(|l| l.contains("Exits: north, east, west, south")),
        "a two-packet room joined into one reply: {look:#?}"
    );
    assert!(
        look.last().unwrap().starts_with("  [2 packets, "),
        "{look:#?}"
    );

    let north = t.ask("n").await;
    assert!(north[1].starts_with("Post Office:"), "{north:#?}");
    assert!(
        north.last().unwrap().starts_with("  [1 packet, "),
        "{north:#?}"
    );

    let post = t.ask("post general Hello from the chat").await;
    assert!(post[1].contains("general"), "{post:#?}");
    let read = t.ask("read general 1").await;
    assert!(
        read.iter().any(|l| l.contains("Hello from the chat")),
        "{read:#?}"
    );

    // Back in the square, Bob's words arrive as a notice while Alice types nothing.
    t.ask("s").await;
    // Bob heard Alice come and go; what he says next is the test.
    let _ = w.handsets[1]
        .texts_until_quiet(Duration::from_millis(500))
        .await;
    let bob = w.ask(1, "say hello Alice").await;
    assert!(bob.contains("hello Alice"), "{bob}");
    let notice = until(&mut t.out, |l| l.starts_with("* ")).await;
    let notice = notice.last().unwrap();
    assert!(
        notice.contains("Bob") && notice.contains("hello Alice"),
        "{notice}"
    );

    t.stdin = None; // end of input: the chat leaves
    let status = tokio::time::timeout(WAIT, child.wait())
        .await
        .expect("chat ends with its input")
        .unwrap();
    assert!(status.success(), "{status}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_node_is_one_line_and_exit_status_one() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let out = Command::new(BIN)
        .args([
            "chat",
            "--tcp",
            &format!("127.0.0.1:{port}"),
            "--connect-timeout",
            "5",
        ])
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    assert!(
        lines[0].starts_with(&format!(
            "meshmush: cannot reach the node at tcp:127.0.0.1:{port}"
        )),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handset_the_mesh_lacks_is_named_with_the_ones_it_has() {
    use meshmush_firmware_bridge::sim::{Mesh, SimConfig};
    // A software mesh on a fixed port, as `meshmush run` starts one: handset k listens
    // on the gateway's port + k. Another program may hold a port: try a few.
    let mut mesh = None;
    for _ in 0..20 {
        let base = 20_000 + rand::random::<u16>() % 40_000;
        let cfg = SimConfig {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], base)),
            ..SimConfig::default()
        };
        if let Ok(m) = Mesh::start(cfg).await {
            mesh = Some(m);
            break;
        }
    }
    let mesh = mesh.expect("a software mesh on some free ports");
    let gateway = mesh.gateway().addr;
    let out = Command::new(BIN)
        .args([
            "chat",
            "--mesh",
            &gateway.to_string(),
            "--handset",
            "3",
            "--connect-timeout",
            "5",
        ])
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {err}");
    let third = gateway.port() + 3;
    assert!(
        lines[0].starts_with(&format!(
            "meshmush: cannot reach handset 3 of the software mesh at {gateway} \
             (tcp:127.0.0.1:{third}: "
        )),
        "{err}"
    );
    assert!(
        lines[0].ends_with(
            ": it has handsets 1 and 2 (--handset 1 or --handset 2). For more, start it \
             with --handsets 3 (meshmush run --handsets 3, or meshmush sim --handsets 3)"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    mesh.shutdown().await;
}

/// tmux, driven as a person would drive a terminal.
struct Tmux {
    session: String,
}

impl Tmux {
    /// `meshmush chat` on handset `alice`, in a detached tmux session (`name` and the
    /// test's process id) of 100 columns and `rows` rows.
    fn chat(name: &str, alice: std::net::SocketAddr, rows: u16) -> Self {
        let tmux = Tmux {
            session: format!("{name}{}", std::process::id()),
        };
        let cmd = format!("{BIN} chat --tcp {alice}");
        let rows = rows.to_string();
        let started = std::process::Command::new("tmux")
            .args(["new-session", "-d", "-x", "100", "-y", &rows, "-s"])
            .args([&tmux.session, &cmd])
            .status()
            .unwrap();
        assert!(started.success());
        tmux
    }

    fn run(args: &[&str]) -> String {
        let out = std::process::Command::new("tmux")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        Self::run(&["capture-pane", "-p", "-t", &self.session])
    }

    async fn wait_for(&self, what: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what:?} never showed; the screen:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        Self::run(&["kill-session", "-t", &self.session]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_takes_a_line_and_shows_the_reply() {
    meshmush_testkit::packages::TMUX
        .ensure_async()
        .await
        .expect("tmux for a real terminal");
    let dir = tempfile::tempdir().unwrap();
    let w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    let tmux = Tmux::chat("meshmush-chat-", alice, 30);
    let screen = tmux.wait_for("Ctrl-D to leave").await;
    assert!(
        screen.contains("Alice (!4d4d1001) -> meshmush BBS (!4d4d0001), LongFast"),
        "{screen}"
    );
    tmux.wait_for("> ").await;

    Tmux::run(&["send-keys", "-t", &tmux.session, "ping", "Enter"]);
    let screen = tmux.wait_for("pong").await;
    assert!(
        screen.contains("> ping"),
        "the line typed stays on screen:\n{screen}"
    );
    tmux.wait_for("1 packet, 4 B").await;

    // History: up-arrow brings the last line back.
    Tmux::run(&["send-keys", "-t", &tmux.session, "Up", "Enter"]);
    let deadline = tokio::time::Instant::now() + WAIT;
    while tmux.screen().matches("pong").count() < 2 {
        assert!(tokio::time::Instant::now() < deadline, "{}", tmux.screen());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Ctrl-D leaves.
    Tmux::run(&["send-keys", "-t", &tmux.session, "C-d"]);
    let deadline = tokio::time::Instant::now() + WAIT;
    while !Tmux::run(&["list-panes", "-t", &tmux.session]).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "chat did not leave on Ctrl-D"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_that_came_before_the_prompt_stay_on_their_own_lines() {
    meshmush_testkit::packages::TMUX
        .ensure_async()
        .await
        .expect("tmux for a real terminal");
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    // Alice's phone goes away; her node keeps what comes for her until one connects.
    let phone = w.handsets.remove(0);
    phone.link.shutdown().await;
    let delivered = w.app.link().metrics().chunks_delivered;
    let bob = w.ask(0, "page alice first news").await;
    assert!(bob.starts_with("You page Alice"), "{bob}");
    let bob = w.ask(0, "page alice second news").await;
    assert!(bob.starts_with("You page Alice"), "{bob}");
    // Both pages and both replies have reached their nodes (each node acks a DM).
    let deadline = tokio::time::Instant::now() + WAIT;
    while w.app.link().metrics().chunks_delivered < delivered + 4 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the pages never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let tmux = Tmux::chat("meshmush-chat-early-", alice, 30);
    tmux.wait_for("second news").await;
    Tmux::run(&["send-keys", "-t", &tmux.session, "ping", "Enter"]);
    tmux.wait_for("1 packet, 4 B").await;
    let screen = tmux.screen();
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| *l == text)
            .unwrap_or_else(|| panic!("no line {text:?} on the screen:\n{screen}"))
    };
    let banner = lines
        .iter()
        .position(|l| l.ends_with("; Ctrl-D to leave"))
        .unwrap_or_else(|| panic!("no banner:\n{screen}"));
    let first = at("* Bob pages: first news");
    let second = at("* Bob pages: second news");
    let typed = at("> ping");
    assert!(
        banner < first && first + 1 == second && second < typed,
        "each notice on its own line, none erased by the prompt:\n{screen}"
    );
    assert_eq!(lines[typed + 1], "pong", "{screen}");
    Tmux::run(&["send-keys", "-t", &tmux.session, "C-d"]);
    w.stop().await.expect("clean shutdown");
}

/// Runs `meshmush chat --tcp addr` with `input` on its standard input (then closed)
/// and `args` more; its output, and how long it took.
async fn chat_script(
    addr: std::net::SocketAddr,
    input: &str,
    args: &[&str],
) -> (std::process::Output, Duration) {
    let started = tokio::time::Instant::now();
    let mut child = Command::new(BIN)
        .args(["chat", "--tcp", &addr.to_string()])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("meshmush chat starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).await.unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("chat ends with its input")
        .unwrap();
    (out, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_comes_while_a_command_waits_is_a_notice_not_its_reply() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(1, roomy(), dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    // Paging herself: the daemon queues the page (a notice) and the reply to the
    // command at once, the page first; the reply's class may overtake it on the air.
    let (out, _) = chat_script(alice, "page alice hi\nping\n", &["--timeout", "20"]).await;
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "> page alice hi", "{text}");
    let reply = lines
        .iter()
        .position(|l| *l == "You page Alice: hi")
        .unwrap_or_else(|| panic!("the reply as a reply:\n{text}"));
    assert!(is_cost(lines[reply + 1]), "{text}");
    let notice = lines
        .iter()
        .position(|l| *l == "* Alice pages: hi")
        .unwrap_or_else(|| panic!("the page as a notice:\n{text}"));
    let ping = lines
        .iter()
        .position(|l| *l == "> ping")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(reply < ping, "{text}");
    // The page, wherever it came, is no command's reply: the next one is ping's.
    let pong = lines
        .iter()
        .position(|l| *l == "pong")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(ping < pong && is_cost(lines[pong + 1]), "{text}");
    assert_ne!(notice, reply + 1, "{text}");
    assert_eq!(lines.len(), 7, "nothing else: {text}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_writes_a_long_post_and_its_silent_lines_are_receipted() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(2, roomy(), dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    let (out, took) = chat_script(
        alice,
        "post general\nSubject\nA line\n.\n",
        &["--timeout", "20"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let at = |line: &str| {
        lines
            .iter()
            .position(|l| *l == line)
            .unwrap_or_else(|| panic!("no {line:?}:\n{text}"))
    };
    let silent = at("> A line");
    assert_eq!(lines[silent + 1], "  [delivered, no reply]", "{text}");
    let end = at("> .");
    assert!(
        lines[end + 1].starts_with("Posted to general as #1"),
        "{text}"
    );
    assert!(!text.contains("(no reply"), "{text}");
    assert!(
        took < Duration::from_secs(20),
        "no line waited out the timeout: {took:?}"
    );
    let read = w.ask(1, "read general 1").await;
    assert!(read.contains("A line"), "the post is saved: {read}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_quick_commands_all_get_their_replies_through_the_rate_limit() {
    let dir = tempfile::tempdir().unwrap();
    // The default burst of five, refilling one a second: each refusal asks for 1 s.
    let mut cfg = meshmush::config::Config::default();
    cfg.limits.per_minute = 60;
    let w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    let input: String = (1..=10).map(|k| format!("say c{k}\n")).collect();
    let (out, _) = chat_script(alice, &input, &["--timeout", "20"]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}\n{out:?}");
    assert!(
        text.contains("Slow down: too many commands. Try again in 1 s.")
            && text.contains("(sending it again in 1 s)"),
        "the limit was reached: {text}"
    );
    // Each command's own reply, before the next command.
    let lines: Vec<&str> = text.lines().collect();
    for k in 1..=10 {
        let asked = lines
            .iter()
            .position(|l| *l == format!("> say c{k}"))
            .unwrap_or_else(|| panic!("c{k} asked:\n{text}"));
        let next = lines[asked + 1..]
            .iter()
            .position(|l| l.starts_with("> "))
            .map_or(lines.len(), |n| asked + 1 + n);
        let reply = format!("You say, \"c{k}\"");
        assert!(
            lines[asked..next].contains(&reply.as_str()),
            "c{k} answered by its reply:\n{text}"
        );
    }
    assert!(!text.contains("(no reply"), "{text}");
    w.stop().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_prompt_commands_the_bbs_refused_are_sent_again_after_its_wait() {
    meshmush_testkit::packages::TMUX
        .ensure_async()
        .await
        .expect("tmux for a real terminal");
    let dir = tempfile::tempdir().unwrap();
    // A burst of two (the kit's first ping took one), then one a second.
    let mut cfg = meshmush::config::Config::default();
    cfg.limits.burst = 2;
    cfg.limits.per_minute = 60;
    let w = world(1, cfg, dir.path(), StoreOptions::default()).await;
    let alice = w.sim().unwrap().handsets()[0].addr;
    let tmux = Tmux::chat("meshmush-chat-slow-", alice, 40);
    tmux.wait_for("Ctrl-D to leave").await;
    tmux.wait_for("\n>\n").await; // the prompt is up
    // Typed faster than the BBS takes them. (One at a time: rustyline, built without
    // its `buffer-redux` feature, drops lines that reach it in one read.)
    for line in ["say one", "say two", "say three"] {
        Tmux::run(&["send-keys", "-t", &tmux.session, line, "Enter"]);
        tmux.wait_for(&format!("> {line}")).await;
    }
    tmux.wait_for("Slow down: too many commands. Try again in 1 s.")
        .await;
    for reply in ["You say, \"one\"", "You say, \"two\"", "You say, \"three\""] {
        tmux.wait_for(reply).await;
    }
    Tmux::run(&["send-keys", "-t", &tmux.session, "C-d"]);
    w.stop().await.expect("clean shutdown");
}
