//! The API's tokens as the operator makes them and a request shows them: a name, the
//! scopes it grants, and the secret itself, which is shown once and kept only as a hash.
//!
//! Why SHA-256 and not a password hash (argon2): the secret is 256 random bits, not a
//! word a person chose, so nobody can guess it from its hash however fast the hash
//! is; a slow hash only protects secrets with little entropy. And every API request is
//! checked, so argon2's deliberate tens of milliseconds of CPU per check would let
//! anyone with the address make the daemon burn a core on garbage tokens. The store
//! is keyed by the hash, so a lookup never compares secrets byte by byte.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What every token begins with, so one pasted in the wrong place is recognisable.
pub const PREFIX: &str = "mmapi_";

/// The longest token name; it becomes `NAME (api)` as a post's author.
pub const MAX_NAME: usize = 24;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// List boards, read posts, list the nodes heard.
    Read,
    /// Post to a board.
    Post,
    /// Send mail to a player or any node.
    Mail,
    /// One packet on the primary channel (`@wall`).
    Wall,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Read, Scope::Post, Scope::Mail, Scope::Wall];

    pub fn name(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Post => "post",
            Scope::Mail => "mail",
            Scope::Wall => "wall",
        }
    }

    pub fn parse(word: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|s| s.name() == word.trim())
    }
}

/// Scopes written `read,post`: each known, none twice, at least one; sorted.
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for word in list.split(',').filter(|w| !w.trim().is_empty()) {
        let scope = Scope::parse(word).ok_or_else(|| {
            format!(
                "unknown scope {:?}: the scopes are read, post, mail, wall",
                word.trim()
            )
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err("name at least one scope: --scopes read,post,mail,wall".into());
    }
    scopes.sort();
    Ok(scopes)
}

/// Whether `name` may name a token: 1 to [`MAX_NAME`] ASCII letters, digits, `-`, `_`
/// (it is shown on the air as `NAME (api)`, and typed in `token revoke NAME`).
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new secret (256 random bits from `rand`'s thread generator, a CSPRNG the OS
/// seeds) and its hash.
pub fn mint() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    (secret, hash)
}

/// The hash a secret is kept and looked up by.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_sorted_and_once() {
        assert_eq!(
            parse_scopes("wall, read,read"),
            Ok(vec![Scope::Read, Scope::Wall])
        );
        assert!(parse_scopes("read,admin").unwrap_err().contains("admin"));
        assert!(parse_scopes(" , ").is_err());
    }

    #[test]
    fn minted_secrets_differ_and_hash_to_what_is_kept() {
        let (a, ha) = mint();
        let (b, hb) = mint();
        assert_ne!(a, b);
        assert_ne!(ha, hb);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 43, "{a}");
        assert_eq!(hash(&a), ha);
    }

    #[test]
    fn names_are_short_plain_words() {
        assert!(valid_name("weather-bot_2"));
        assert!(!valid_name(""));
        assert!(!valid_name("two words"));
        assert!(!valid_name("é"));
        assert!(!valid_name(&"x".repeat(MAX_NAME + 1)));
    }
}
