//! Fetching a feed's document, with what a feed server can make us do bounded: one
//! timeout from connecting to the last byte, a body cap (a longer document is refused
//! when its length is announced, and reading stops at the cap when it is not), at most
//! [`MAX_REDIRECTS`] redirects, no compression (so no decompression bomb), and only
//! `http`/`https`. reqwest over rustls; the client is shared by every feed.

use std::time::Duration;

use thiserror::Error;

/// Redirects followed before a fetch fails (a loop fails here).
pub const MAX_REDIRECTS: usize = 5;

/// Why a fetch failed, in words fit for the status page: never the body, and never
/// the URL (its query may hold a token).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FetchError {
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("the document is over {0} KiB")]
    TooLarge(u64),
    #[error("more than {MAX_REDIRECTS} redirects")]
    Redirects,
    #[error("cannot fetch: {0}")]
    Network(String),
}

/// The one HTTP client of the feed tasks, with the bounds of `[feeds]`.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
    max_body: u64,
}

impl Fetcher {
    pub fn new(timeout: Duration, max_body: u64) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .user_agent(concat!("meshmush/", env!("CARGO_PKG_VERSION"), " (feeds)"))
            .build()
            .map_err(|e| FetchError::Network(e.without_url().to_string()))?;
        Ok(Self {
            client,
            timeout,
            max_body,
        })
    }

    /// The document at `url`, at most the body cap long.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| self.error(e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let too_large = FetchError::TooLarge(self.max_body / 1024);
        if response.content_length().is_some_and(|n| n > self.max_body) {
            return Err(too_large);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(e))? {
            if (body.len() + chunk.len()) as u64 > self.max_body {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn error(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.timeout.as_secs())
        } else if e.is_redirect() {
            FetchError::Redirects
        } else {
            // The chain's innermost cause says what happened ("connection refused").
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            FetchError::Network(cause.to_string())
        }
    }
}
