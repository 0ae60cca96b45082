//! Every answer the API gives that is not a success: a status code and a JSON body
//! `{"error": "..."}` that says why in words a script's author can act on.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use serde::Serialize;

/// A refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: bad JSON, a missing field, a bad value.
    #[error("{0}")]
    BadRequest(String),
    /// No token, or one that is not (or no longer) held.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The token is good but lacks the scope this route needs.
    #[error("this token lacks the {0:?} scope")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(&'static str),
    /// The body did not arrive in time.
    #[error("the request body did not arrive in time")]
    Timeout,
    /// A body without `Content-Length` (chunked: its size unknown up front).
    #[error("announce the body's length with Content-Length (chunked bodies are not taken)")]
    LengthRequired,
    #[error("{0}")]
    TooLarge(String),
    /// The BBS refused what was asked (its words, as a radio player reads them).
    #[error("{0}")]
    Refused(String),
    /// Over the token's rate, or the BBS's shared allowance: try again after this.
    #[error("too many requests: try again in {} s", .0.as_secs().max(1))]
    TooMany(Duration),
    /// Storage trouble or a closed link: not the caller's fault.
    #[error("{0}")]
    Internal(String),
}

#[derive(Serialize)]
struct Body_<'a> {
    error: &'a str,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::LengthRequired => StatusCode::LENGTH_REQUIRED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The answer: the status, the JSON body, and the headers the status calls for.
    pub fn response(&self) -> Response<Body> {
        let text = self.to_string();
        let mut response = super::json::json(self.status(), &Body_ { error: &text });
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::TooMany(wait) => {
                let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    headers.insert(header::RETRY_AFTER, v);
                }
            }
            ApiError::MethodNotAllowed(allow) => {
                headers.insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            // The connection may hold the rest of a body we will not read.
            ApiError::Timeout | ApiError::LengthRequired | ApiError::TooLarge(_) => {
                headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            _ => {}
        }
        response
    }
}

impl axum::response::IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        self.response()
    }
}
