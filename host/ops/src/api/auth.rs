//! Who is asking: `Authorization: Bearer TOKEN`, hashed and looked up in the store
//! (revoked tokens are gone from it), then the route's scope, then the token's rate.
//!
//! - No token, or one the store does not hold: 401. Requests with such tokens share
//!   one small allowance ([`REFUSED_BURST`], then [`REFUSED_PER_MINUTE`]); past it
//!   they are 429 without a store lookup, so garbage tokens cost a hash at most.
//! - A held token without the route's scope: 403.
//! - Past the token's `http.api_burst`, then `http.api_per_minute`: 429 with
//!   `Retry-After`. The rate is kept per token name in memory (a restart refills it);
//!   the table holds at most one bucket per token held.
//!
//! The token itself is never logged; its name is, at debug.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, header};
use meshmush_core::config::HttpSection;
use meshmush_core::ratelimit::{TokenBucket, Verdict};
use meshmush_store::ApiToken;
use tokio::time::Instant;
use tracing::debug;

use super::Api;
use super::error::ApiError;
use super::token::{self, Scope};

/// Requests with a missing or unknown token, at once, for everyone together.
pub const REFUSED_BURST: u32 = 30;
/// ... and per minute after that.
pub const REFUSED_PER_MINUTE: u32 = 60;

/// The longest `Authorization` value looked at (a token is 49 bytes).
const MAX_AUTH_BYTES: usize = 256;

/// The rates: one bucket per token name, and one for refused tokens.
pub struct Limits {
    burst: u32,
    per_minute: u32,
    tokens: Mutex<HashMap<String, TokenBucket>>,
    refused: Mutex<TokenBucket>,
}

impl Limits {
    pub fn new(http: &HttpSection) -> Self {
        Self {
            burst: http.api_burst,
            per_minute: http.api_per_minute,
            tokens: Mutex::new(HashMap::new()),
            refused: Mutex::new(TokenBucket::new(
                REFUSED_BURST,
                REFUSED_PER_MINUTE,
                Instant::now(),
            )),
        }
    }

    /// Counts one request by `name`; the wait if it is over its rate.
    fn take(&self, name: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = tokens
            .entry(name.to_lowercase())
            .or_insert_with(|| TokenBucket::new(self.burst, self.per_minute, now));
        match bucket.check(now) {
            Verdict::Allow => Ok(()),
            _ => Err(ApiError::TooMany(bucket.retry_after())),
        }
    }

    /// Counts one request with a bad token; the wait if they are too many.
    fn take_refused(&self) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut bucket = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        match bucket.check(now) {
            Verdict::Allow => Ok(()),
            _ => Err(ApiError::TooMany(bucket.retry_after())),
        }
    }

    /// Forgets the rate of tokens no longer held (called after a lookup finds the
    /// table larger than the tokens could make it).
    fn keep_only(&self, held: &[ApiToken]) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|name, _| held.iter().any(|t| t.name.to_lowercase() == *name));
    }

    fn tracked(&self) -> usize {
        self.tokens.lock().map(|t| t.len()).unwrap_or(0)
    }
}

/// The holder of a good token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub name: String,
    pub scopes: Vec<Scope>,
}

/// The caller of a request that needs `scope`, counted against its rate.
pub async fn authorise(api: &Api, headers: &HeaderMap, scope: Scope) -> Result<Caller, ApiError> {
    let secret = match bearer(headers) {
        Some(secret) => secret,
        None => {
            api.limits.take_refused()?;
            return Err(ApiError::Unauthorized(
                "send a token: Authorization: Bearer TOKEN",
            ));
        }
    };
    let held = match api.common.store.api_token(token::hash(secret)).await {
        Ok(held) => held,
        Err(e) => return Err(ApiError::Internal(format!("storage trouble: {e}"))),
    };
    let Some(held) = held else {
        api.limits.take_refused()?;
        debug!("api: a request with a token that is not held");
        return Err(ApiError::Unauthorized(
            "that token is not valid (or was revoked)",
        ));
    };
    let scopes: Vec<Scope> = held.scopes.iter().filter_map(|s| Scope::parse(s)).collect();
    if !scopes.contains(&scope) {
        debug!(token = %held.name, scope = scope.name(), "api: scope refused");
        return Err(ApiError::Forbidden(scope.name()));
    }
    api.limits.take(&held.name)?;
    if api.limits.tracked() > 64 {
        // More names than tokens are likely held: some were revoked. Tidy up.
        if let Ok(all) = api.common.store.api_tokens().await {
            api.limits.keep_only(&all);
        }
    }
    Ok(Caller {
        name: held.name,
        scopes,
    })
}

/// The token of `Authorization: Bearer TOKEN`, if that is what the header holds.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?;
    if value.len() > MAX_AUTH_BYTES {
        return None;
    }
    let value = value.to_str().ok()?.trim();
    let (scheme, secret) = value.split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty()).then_some(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_a_bearer_header_carries_a_token() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer  abc "),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer"));
        assert_eq!(bearer(&h), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_past_its_rate_waits_and_others_do_not() {
        let http = HttpSection {
            api_burst: 2,
            api_per_minute: 6,
            ..HttpSection::default()
        };
        let limits = Limits::new(&http);
        assert!(limits.take("ci").is_ok());
        assert!(limits.take("CI").is_ok());
        assert_eq!(
            limits.take("ci"),
            Err(ApiError::TooMany(std::time::Duration::from_secs(10)))
        );
        assert!(limits.take("alerts").is_ok());
        tokio::time::advance(std::time::Duration::from_secs(10)).await;
        assert!(limits.take("ci").is_ok());
    }
}
