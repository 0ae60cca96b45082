//! `token create NAME --scopes read,post,mail,wall`, `token list` and `token revoke
//! NAME` in the admin console: the HTTP API's tokens. A new token is printed once, in
//! the console's answer, and only its hash is stored (see `ops::api::token` for why a
//! SHA-256 is enough); nothing logs it.

use meshmush_store::{ApiToken, Store, TokenRefusal};

use super::Answer;
use crate::commands::{split_command, unix_now};
use crate::ops::api::token::{MAX_NAME, mint, parse_scopes, valid_name};

/// The console's usage for `token`.
const USAGE: &str =
    "token create NAME --scopes read,post,mail,wall | token list | token revoke NAME";

/// Answers `token ...`; `api_on`: whether the config serves the API, so a new token
/// is not handed out without saying it cannot be used yet.
pub async fn answer(store: &Store, args: &str, api_on: bool) -> Answer {
    let (word, rest) = split_command(args);
    match word.to_lowercase().as_str() {
        "create" => create(store, rest, api_on).await,
        "list" if rest.is_empty() => list(store).await,
        "revoke" if !rest.is_empty() => revoke(store, rest.trim()).await,
        _ => Answer::refused(USAGE),
    }
}

/// `NAME --scopes LIST` (or `--scopes=LIST`), in either order.
fn create_args(args: &str) -> Result<(String, String), String> {
    let mut name = None;
    let mut scopes = None;
    let mut words = args.split_whitespace();
    while let Some(w) = words.next() {
        if let Some(list) = w.strip_prefix("--scopes=") {
            scopes = Some(list.to_string());
        } else if w == "--scopes" {
            scopes = Some(words.next().unwrap_or_default().to_string());
        } else if name.is_none() && !w.starts_with('-') {
            name = Some(w.to_string());
        } else {
            return Err(format!("unexpected {w:?}\n{USAGE}"));
        }
    }
    match (name, scopes) {
        (Some(n), Some(s)) => Ok((n, s)),
        _ => Err(USAGE.to_string()),
    }
}

async fn create(store: &Store, args: &str, api_on: bool) -> Answer {
    let (name, scopes) = match create_args(args) {
        Ok(parsed) => parsed,
        Err(usage) => return Answer::refused(usage),
    };
    if !valid_name(&name) {
        return Answer::refused(format!(
            "a token's name is 1 to {MAX_NAME} letters, digits, - or _ (it is shown as NAME (api))"
        ));
    }
    let scopes = match parse_scopes(&scopes) {
        Ok(s) => s,
        Err(why) => return Answer::refused(why),
    };
    let (secret, hash) = mint();
    let names: Vec<&str> = scopes.iter().map(|s| s.name()).collect();
    let token = ApiToken {
        name: name.clone(),
        hash,
        scopes: names.iter().map(|s| s.to_string()).collect(),
        created: unix_now(),
    };
    match store.add_api_token(token).await {
        Ok(Ok(())) => {}
        Ok(Err(TokenRefusal::NameTaken)) => {
            return Answer::refused(format!(
                "a token named {name} exists: revoke it first, or pick another name"
            ));
        }
        Err(e) => return Answer::refused(format!("storage trouble: {e}")),
    }
    let off = if api_on {
        ""
    } else {
        "\n(the API is off: set [http] listen and api = true, then restart)"
    };
    Answer::ok(format!(
        "{secret}\ntoken {name} ({}): shown this once, only its hash is kept{off}",
        names.join(", ")
    ))
}

async fn list(store: &Store) -> Answer {
    match store.api_tokens().await {
        Ok(all) if all.is_empty() => Answer::ok("no API tokens"),
        Ok(all) => Answer::ok(
            all.iter()
                .map(|t| {
                    format!(
                        "{} {} (made {})",
                        t.name,
                        t.scopes.join(","),
                        crate::commands::ago(unix_now(), t.created)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(e) => Answer::refused(format!("storage trouble: {e}")),
    }
}

async fn revoke(store: &Store, name: &str) -> Answer {
    match store.revoke_api_token(name.to_string()).await {
        Ok(true) => Answer::ok(format!("token {name} revoked: it is refused from now on")),
        Ok(false) => Answer::refused(format!("no token named {name}")),
        Err(e) => Answer::refused(format!("storage trouble: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_takes_a_name_and_scopes_in_either_order() {
        assert_eq!(
            create_args("ci --scopes read,post"),
            Ok(("ci".into(), "read,post".into()))
        );
        assert_eq!(
            create_args("--scopes=wall ci"),
            Ok(("ci".into(), "wall".into()))
        );
        assert!(create_args("ci").is_err());
        assert!(create_args("ci bob --scopes read").is_err());
    }
}
