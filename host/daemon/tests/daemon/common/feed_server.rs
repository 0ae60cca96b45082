//! A small HTTP/1.1 server the feed tests start on loopback: it serves the shipped
//! fixtures, and misbehaves on demand as a hostile or broken feed server would (a
//! body that never ends, a server that never answers, a redirect loop), counting what
//! it was asked for and how many bytes it got out.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a path answers.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with this body (and its length).
    Doc(Vec<u8>),
    /// This status, empty body.
    Status(u16),
    /// 200, no length, and bytes until the client hangs up.
    Endless,
    /// 200 announcing this length, then bytes until the client hangs up.
    Claims(u64),
    /// Reads the request and never answers.
    Silent,
    /// 302 to this path.
    Redirect(String),
}

#[derive(Default)]
struct Inner {
    answers: Mutex<HashMap<String, Answer>>,
    hits: Mutex<HashMap<String, usize>>,
    /// Body bytes written by `Endless` and `Claims` answers.
    streamed: AtomicU64,
}

#[derive(Clone)]
pub struct FeedServer {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

/// A fixture's bytes, from `host/daemon/tests/fixtures/feeds/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl FeedServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("an address");
        let inner = Arc::new(Inner::default());
        let serving = inner.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, serving.clone()));
            }
        });
        Self { addr, inner }
    }

    pub fn set(&self, path: &str, answer: Answer) {
        self.inner
            .answers
            .lock()
            .unwrap()
            .insert(path.to_string(), answer);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests for `path` so far.
    pub fn hits(&self, path: &str) -> usize {
        self.inner
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Body bytes the endless answers got out before the client hung up.
    pub fn streamed(&self) -> u64 {
        self.inner.streamed.load(Ordering::Relaxed)
    }
}

async fn serve(mut stream: TcpStream, inner: Arc<Inner>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    *inner.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let answer = inner.answers.lock().unwrap().get(&path).cloned();
    let head = |status: &str, extra: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\n{extra}Connection: close\r\n\r\n"
        )
    };
    let _ = match answer {
        None => {
            stream
                .write_all(head("404 Not Found", "Content-Length: 0\r\n").as_bytes())
                .await
        }
        Some(Answer::Doc(body)) => {
            let h = head("200 OK", &format!("Content-Length: {}\r\n", body.len()));
            let _ = stream.write_all(h.as_bytes()).await;
            stream.write_all(&body).await
        }
        Some(Answer::Status(code)) => {
            let h = head(&format!("{code} Oops"), "Content-Length: 0\r\n");
            stream.write_all(h.as_bytes()).await
        }
        Some(Answer::Redirect(to)) => {
            let h = head(
                "302 Found",
                &format!("Location: {to}\r\nContent-Length: 0\r\n"),
            );
            stream.write_all(h.as_bytes()).await
        }
        Some(Answer::Silent) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        Some(answer @ (Answer::Endless | Answer::Claims(_))) => {
            let extra = match answer {
                Answer::Claims(n) => format!("Content-Length: {n}\r\n"),
                _ => String::new(),
            };
            let _ = stream.write_all(head("200 OK", &extra).as_bytes()).await;
            let chunk = vec![b'<'; 64 * 1024];
            while stream.write_all(&chunk).await.is_ok() {
                inner
                    .streamed
                    .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                // Hostile but finite: a test that goes wrong still ends.
                if inner.streamed.load(Ordering::Relaxed) > 1 << 30 {
                    break;
                }
            }
            Ok(())
        }
    };
}
