//! The API's routes: the table ([`ROUTES`]) the router is built from and the OpenAPI
//! document is checked against, and one handler each. A handler checks the token
//! first (so nobody without one makes the daemon read a body), then reads and checks
//! the body, then runs the radio's command (see [`acting`](super::acting)).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Response, StatusCode};
use axum::routing::{MethodRouter, get, post};
use meshmush_core::commands::Event;
use meshmush_core::commands::text::wall_text;
use meshmush_protocol::packets::node_id;
use meshmush_store::{Board, Level, Post};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::acting::{self, author};
use super::auth::authorise;
use super::error::ApiError;
use super::token::Scope;
use super::{Api, BODY_WAIT, MAX_BODY_BYTES, json};

/// One route: its method, its path under `/api/v1`, and the scope it needs (`None`:
/// no token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub scope: Option<Scope>,
}

const fn route(method: &'static str, path: &'static str, scope: Option<Scope>) -> Route {
    Route {
        method,
        path,
        scope,
    }
}

/// Every route the API answers.
pub const ROUTES: &[Route] = &[
    route("GET", "/openapi.json", None),
    route("GET", "/boards", Some(Scope::Read)),
    route("GET", "/boards/{board}/posts", Some(Scope::Read)),
    route("POST", "/boards/{board}/posts", Some(Scope::Post)),
    route("POST", "/mail", Some(Scope::Mail)),
    route("POST", "/wall", Some(Scope::Wall)),
    route("GET", "/nodes", Some(Scope::Read)),
];

/// Posts one read returns at most.
pub const MAX_READ: usize = 50;
/// Nodes `/nodes` lists at most.
pub const MAX_NODES: usize = 500;
/// The longest `to` of a mail.
const MAX_TO_BYTES: usize = 64;

/// The handler of one route of [`ROUTES`].
fn endpoint(r: &Route) -> Option<MethodRouter<Arc<Api>>> {
    Some(match (r.method, r.path) {
        ("GET", "/openapi.json") => get(openapi_doc),
        ("GET", "/boards") => get(list_boards),
        ("GET", "/boards/{board}/posts") => get(read_posts),
        ("POST", "/boards/{board}/posts") => post(new_post),
        ("POST", "/mail") => post(send_mail),
        ("POST", "/wall") => post(wall),
        ("GET", "/nodes") => get(nodes),
        _ => return None,
    })
}

/// Whether every route of the table has its handler (a test holds it).
pub fn every_route_handled() -> bool {
    ROUTES.iter().all(|r| endpoint(r).is_some())
}

/// The API's router, to be nested at `/api/v1`: anything else under it is a JSON 404,
/// a known path with another method a JSON 405.
pub fn router(api: Arc<Api>) -> Router {
    let mut router = Router::new();
    let mut paths: Vec<&str> = ROUTES.iter().map(|r| r.path).collect();
    paths.dedup();
    for path in paths {
        let methods = ROUTES
            .iter()
            .filter(|r| r.path == path)
            .filter_map(endpoint)
            .fold(MethodRouter::new(), MethodRouter::merge);
        router = router.route(path, methods);
    }
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(api)
}

async fn unknown_route() -> ApiError {
    ApiError::NotFound("no such route: see /api/v1/openapi.json".into())
}

async fn wrong_method() -> ApiError {
    ApiError::MethodNotAllowed("GET, HEAD, POST")
}

async fn openapi_doc() -> Response<Body> {
    json(StatusCode::OK, &super::openapi::document())
}

#[derive(Serialize)]
struct BoardOut {
    name: String,
    description: String,
    urgent: bool,
    /// The number of the newest post ever made (0: none); read posts since a number.
    last_post: u64,
    /// Whether a token with `post` may post here (wizards-only boards it may not).
    may_post: bool,
}

async fn list_boards(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> Result<Response<Body>, ApiError> {
    authorise(&api, &headers, Scope::Read).await?;
    let boards: Vec<BoardOut> = readable(&api)
        .await?
        .into_iter()
        .map(|b| BoardOut {
            last_post: b.next_num.saturating_sub(1),
            may_post: b.post_level == Level::Player,
            name: b.name,
            description: b.description,
            urgent: b.urgent,
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "boards": boards }),
    ))
}

/// The boards a player may read.
async fn readable(api: &Api) -> Result<Vec<Board>, ApiError> {
    Ok(api
        .common
        .store
        .boards()
        .await
        .map_err(storage)?
        .into_iter()
        .filter(|b| b.read_level == Level::Player)
        .collect())
}

/// The readable board named `name` (any case, whole name).
async fn board(api: &Api, name: Result<Path<String>, PathRejection>) -> Result<Board, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    readable(api)
        .await?
        .into_iter()
        .find(|b| b.name.eq_ignore_ascii_case(&name) && !b.name.contains(char::is_whitespace))
        .ok_or_else(|| {
            ApiError::NotFound(format!("no board {name:?}: GET /api/v1/boards lists them"))
        })
}

fn storage(e: meshmush_store::StoreError) -> ApiError {
    ApiError::Internal(format!("storage trouble: {e}"))
}

#[derive(Serialize)]
struct PostOut {
    num: u64,
    author: String,
    /// Unix seconds.
    time: u64,
    subject: String,
    text: String,
    reply_to: Option<u64>,
}

impl From<Post> for PostOut {
    fn from(p: Post) -> Self {
        Self {
            num: p.num,
            author: p.author_name,
            time: p.time,
            subject: p.subject,
            text: p.text,
            reply_to: p.reply_to,
        }
    }
}

/// `since` and `limit` from a query string.
fn read_query(query: Option<&str>) -> Result<(u64, usize), ApiError> {
    let (mut since, mut limit) = (0u64, MAX_READ);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = || {
            value.parse::<u64>().map_err(|_| {
                ApiError::BadRequest(format!("{key} must be a whole number, not {value:?}"))
            })
        };
        match key {
            "since" => since = number()?,
            "limit" => {
                limit = usize::try_from(number()?)
                    .unwrap_or(MAX_READ)
                    .clamp(1, MAX_READ)
            }
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "unknown parameter {key:?}: since, limit"
                )));
            }
        }
    }
    Ok((since, limit))
}

async fn read_posts(
    State(api): State<Arc<Api>>,
    name: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response<Body>, ApiError> {
    authorise(&api, &headers, Scope::Read).await?;
    let (since, limit) = read_query(query.as_deref())?;
    let board = board(&api, name).await?;
    let posts = api
        .common
        .store
        .posts_after(board.name.clone(), since, limit)
        .await
        .map_err(storage)?;
    let posts: Vec<PostOut> = posts.into_iter().map(PostOut::from).collect();
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "board": board.name, "posts": posts }),
    ))
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`] within [`BODY_WAIT`].
async fn read_json<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let limit = usize::try_from(MAX_BODY_BYTES).unwrap_or(usize::MAX);
    let bytes = match tokio::time::timeout(BODY_WAIT, axum::body::to_bytes(body, limit)).await {
        Err(_) => return Err(ApiError::Timeout),
        Ok(Err(_)) => {
            return Err(ApiError::TooLarge(format!(
                "the body was over {MAX_BODY_BYTES} bytes, or cut off"
            )));
        }
        Ok(Ok(bytes)) => bytes,
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::BadRequest(format!("the body is not the JSON this route takes: {e}"))
    })
}

/// A post's or mail's text: not blank, no control characters but newlines and tabs,
/// at most `bbs.post_max_bytes`.
fn checked_text(api: &Api, text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::BadRequest("text is empty".into()));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ApiError::BadRequest(
            "text may hold no control characters but newlines and tabs".into(),
        ));
    }
    let max = api.common.cfg.bbs.post_max_bytes;
    if text.len() > max {
        return Err(ApiError::TooLarge(format!(
            "text is {} bytes, the limit is {max}",
            text.len()
        )));
    }
    Ok(text.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPost {
    text: String,
}

async fn new_post(
    State(api): State<Arc<Api>>,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response<Body>, ApiError> {
    let caller = authorise(&api, &headers, Scope::Post).await?;
    let NewPost { text } = read_json(body).await?;
    let board = board(&api, name).await?;
    if board.post_level != Level::Player {
        return Err(ApiError::Forbidden(
            "post (this board takes posts from wizards only)",
        ));
    }
    let text = checked_text(&api, &text)?;
    let done = acting::run(
        &api,
        &caller,
        Level::Player,
        &format!("post {} {text}", board.name),
    )
    .await?;
    let num = done.events.iter().find_map(|e| match e {
        Event::Posted { num, .. } => Some(*num),
        _ => None,
    });
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({
            "board": board.name,
            "num": num,
            "author": author(&caller),
            "reply": done.reply,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMail {
    to: String,
    text: String,
}

/// Words that would make `mail TO TEXT` another mail command.
const NOT_RECIPIENTS: [&str; 3] = ["delete", "del", "clear"];

async fn send_mail(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response<Body>, ApiError> {
    let caller = authorise(&api, &headers, Scope::Mail).await?;
    let NewMail { to, text } = read_json(body).await?;
    let to = to.trim().to_string();
    if to.is_empty()
        || to.len() > MAX_TO_BYTES
        || to.chars().any(|c| c.is_whitespace() || c.is_control())
        || NOT_RECIPIENTS.contains(&to.to_lowercase().as_str())
    {
        return Err(ApiError::BadRequest(
            "to is a player's name or a node id like !4d4d1004 (one word)".into(),
        ));
    }
    let text = checked_text(&api, &text)?;
    let done = acting::run(&api, &caller, Level::Player, &format!("mail {to} {text}")).await?;
    let node = done.events.iter().find_map(|e| match e {
        Event::Mailed { to } => Some(node_id(*to)),
        _ => None,
    });
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({ "to": node, "reply": done.reply }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWall {
    text: String,
}

async fn wall(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response<Body>, ApiError> {
    let caller = authorise(&api, &headers, Scope::Wall).await?;
    let NewWall { text } = read_json(body).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(
            "text is one line, not empty, with no control characters".into(),
        ));
    }
    let packet = wall_text(&author(&caller), text);
    let budget = api.common.cfg.replies.byte_budget;
    if packet.len() > budget {
        return Err(ApiError::TooLarge(format!(
            "one packet holds {budget} bytes; with the name this is {}",
            packet.len()
        )));
    }
    if let Some(wait) = api.common.roster.channel_wait() {
        return Err(ApiError::TooMany(wait));
    }
    // The `wall` scope stands in for the wizard's right `@wall` needs.
    let done = acting::run(&api, &caller, Level::Wizard, &format!("@wall {text}")).await?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "reply": done.reply }),
    ))
}

#[derive(Serialize)]
struct NodeOut {
    id: String,
    num: u32,
    short_name: String,
    long_name: String,
    /// Unix seconds, as the radio last heard it.
    last_heard: u32,
}

async fn nodes(
    State(api): State<Arc<Api>>,
    headers: HeaderMap,
) -> Result<Response<Body>, ApiError> {
    authorise(&api, &headers, Scope::Read).await?;
    let mut heard: Vec<NodeOut> = api
        .link
        .nodes()
        .into_iter()
        .filter(|n| n.last_heard != 0)
        .map(|n| NodeOut {
            id: node_id(n.num),
            num: n.num,
            short_name: n.short_name,
            long_name: n.long_name,
            last_heard: n.last_heard,
        })
        .collect();
    heard.sort_by_key(|n| std::cmp::Reverse(n.last_heard));
    heard.truncate(MAX_NODES);
    Ok(json(StatusCode::OK, &serde_json::json!({ "nodes": heard })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_in_the_table_has_a_handler() {
        assert!(every_route_handled());
    }

    #[test]
    fn read_queries_parse_and_bad_ones_are_named() {
        assert_eq!(read_query(None), Ok((0, MAX_READ)));
        assert_eq!(read_query(Some("since=4&limit=3")), Ok((4, 3)));
        assert_eq!(read_query(Some("limit=999")), Ok((0, MAX_READ)));
        assert!(
            matches!(read_query(Some("since=x")), Err(ApiError::BadRequest(m)) if m.contains("since"))
        );
        assert!(matches!(
            read_query(Some("page=2")),
            Err(ApiError::BadRequest(_))
        ));
    }
}
