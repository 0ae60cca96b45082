//! What a request to the status page may be. The page is read-only (`/`, the chart,
//! `/metrics`), so only GET and HEAD, with no body worth the name; anything else is
//! answered from its head alone, before any of its body is read, and the connection is
//! closed after the answer (`Connection: close`), so no client can make the daemon
//! read, or wait for, an upload of any size.
//!
//! - A method other than GET or HEAD: 405, with `Allow: GET, HEAD`.
//! - A body announced with `Transfer-Encoding` (chunked: no size stated up front) or
//!   with a `Content-Length` over [`MAX_BODY_BYTES`]: 413.
//!
//! hyper has already refused what is not HTTP/1 at all (a bad or doubled
//! `Content-Length` is a 400 there); this only sees well-formed heads.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Response, StatusCode, header};
use axum::response::IntoResponse;

/// The largest body a request may announce (GET requests carry none; this leaves
/// room for a client that sends an empty form or similar by habit).
pub const MAX_BODY_BYTES: u64 = 1024;

/// The answer for a request the page does not take, or `None` to serve it.
pub fn refusal(method: &Method, headers: &HeaderMap) -> Option<Response<Body>> {
    if method != Method::GET && method != Method::HEAD {
        return Some(
            (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::ALLOW, "GET, HEAD"), (header::CONNECTION, "close")],
                "The status page is read-only: GET or HEAD only.\n",
            )
                .into_response(),
        );
    }
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    if chunked || announced_length(headers) > MAX_BODY_BYTES {
        return Some(
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                [(header::CONNECTION, "close")],
                "The status page takes no request body.\n",
            )
                .into_response(),
        );
    }
    None
}

/// The body length the head announces (0 if none; the most, if it says several; past
/// any limit, if it cannot be read as a number).
fn announced_length(headers: &HeaderMap) -> u64 {
    headers
        .get_all(header::CONTENT_LENGTH)
        .iter()
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or(u64::MAX)
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::Duration;

    use axum::Router;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio_util::sync::CancellationToken;

    /// The bounded server with one page, on a free port.
    async fn server() -> (SocketAddr, CancellationToken) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = Router::new().route("/", get(|| async { "the page" }));
        let stop = CancellationToken::new();
        tokio::spawn(crate::serve::serve(listener, app, stop.clone()));
        (addr, stop)
    }

    /// Writes `request` as raw bytes and reads until the server closes (within 2 s:
    /// a server waiting for the announced body would not).
    async fn exchange(addr: SocketAddr, request: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(request).await.expect("write");
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut answer))
            .await
            .expect("answered and closed without waiting for the body")
            .expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_or_a_method_that_writes_is_refused_and_the_connection_closed() {
        let (addr, stop) = server().await;
        // A huge body announced (and the first bytes of it sent): refused from the
        // head alone, on a connection that asked to be kept alive.
        let mut huge = b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n".to_vec();
        huge.extend_from_slice(&[b'a'; 512]);
        let answer = exchange(addr, &huge).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(
            answer.to_lowercase().contains("connection: close"),
            "{answer}"
        );

        let chunked =
            b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
        let answer = exchange(addr, chunked).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let req = format!("{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            let answer = exchange(addr, req.as_bytes()).await;
            assert!(answer.starts_with("HTTP/1.1 405"), "{method}: {answer}");
            assert!(
                answer.to_lowercase().contains("allow: get, head"),
                "{answer}"
            );
        }

        // The page itself is still served, as GET and HEAD, a small body tolerated.
        let answer = exchange(
            addr,
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("the page"), "{answer}");
        let answer = exchange(
            addr,
            b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let small =
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
        let answer = exchange(addr, small).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        stop.cancel();
    }
}
