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
//! The one exception is the API under `/api/v1/`, when it is on: POST too, with a
//! JSON body whose length is announced up front (411 without, 413 past
//! [`api::MAX_BODY_BYTES`](crate::api::MAX_BODY_BYTES)); its refusals are JSON. The
//! API's handler reads the body only after the token is checked, within
//! [`api::BODY_WAIT`](crate::api::BODY_WAIT).
//!
//! hyper has already refused what is not HTTP/1 at all (a bad or doubled
//! `Content-Length` is a 400 there); this only sees well-formed heads. The test,
//! raw bytes over TCP to the bounded server, is with that server's in `serve.rs`.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Response, StatusCode, header};
use axum::response::IntoResponse;

/// The largest body a request may announce (GET requests carry none; this leaves
/// room for a client that sends an empty form or similar by habit).
pub const MAX_BODY_BYTES: u64 = 1024;

/// The answer for a request the server does not take, or `None` to serve it; `api`:
/// the API is on.
pub fn refusal(
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    api: bool,
) -> Option<Response<Body>> {
    let under_api = path
        .strip_prefix(crate::api::PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if api && under_api {
        return api_refusal(method, headers);
    }
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

/// The API's bounds: GET, HEAD and POST; a body only of an announced length, small.
fn api_refusal(method: &Method, headers: &HeaderMap) -> Option<Response<Body>> {
    use crate::api::error::ApiError;
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Some(close(
            ApiError::MethodNotAllowed("GET, HEAD, POST").response(),
        ));
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Some(close(ApiError::LengthRequired.response()));
    }
    let announced = announced_length(headers);
    if announced > crate::api::MAX_BODY_BYTES {
        return Some(close(
            ApiError::TooLarge(format!(
                "a body of {} bytes at most",
                crate::api::MAX_BODY_BYTES
            ))
            .response(),
        ));
    }
    None
}

/// `response`, with the connection closed after it (its body is never read).
fn close(mut response: Response<Body>) -> Response<Body> {
    response.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
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
