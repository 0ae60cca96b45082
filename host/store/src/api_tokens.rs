//! The HTTP API's access tokens (`meshmush admin token create`): who holds one, what
//! it may do, and the hash of the token itself. The token is shown once when it is
//! made and never stored; a request's token is hashed and looked up here by that
//! hash, so the tree is keyed by it. Revoking a token deletes its record: from then on
//! its hash finds nothing.
//!
//! | tree         | key                            | value                            |
//! |--------------|--------------------------------|----------------------------------|
//! | `api_tokens` | the token's hash (32 bytes)    | postcard `ApiTokenRecord::V1`    |

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::handle::Store;
use super::records::versioned;

/// One token of the HTTP API, as kept: its name, its scopes and the hash of the
/// token (the caller decides the hash; the store only keys by it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// The holder's name: unique among tokens, shown as `NAME (api)` on what it posts.
    pub name: String,
    /// The token's hash, the record's key.
    pub hash: [u8; 32],
    /// What it may do (`read`, `post`, `mail`, `wall`), as the caller spells them.
    pub scopes: Vec<String>,
    /// When it was made, Unix seconds.
    pub created: u64,
}

/// The envelope an [`ApiToken`] is stored in. Only ever append variants.
#[derive(Serialize, Deserialize)]
pub(super) enum ApiTokenRecord {
    V1(ApiToken),
}

versioned!(ApiToken, ApiTokenRecord, "api_tokens");

/// Why a token was not added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// A token of that name exists (names compared without case).
    NameTaken,
}

impl Store {
    /// Adds `token` unless one of its name exists (checked and written in one
    /// transaction, so two creates of one name cannot both win).
    pub async fn add_api_token(
        &self,
        token: ApiToken,
    ) -> Result<Result<(), TokenRefusal>, StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree_of::<ApiToken>()?;
            let bytes = super::records::encode(&token.hash, &token)?;
            let want = token.name.to_lowercase();
            // Tokens are few (an operator makes each by hand): a scan is the index.
            for entry in tree.iter() {
                let (key, value) = entry?;
                let held: ApiToken = super::records::decode(&key, &value)?;
                if held.name.to_lowercase() == want {
                    return Ok(Err(TokenRefusal::NameTaken));
                }
            }
            let swapped = tree.compare_and_swap(token.hash, None as Option<&[u8]>, Some(bytes))?;
            if swapped.is_err() {
                // 256 random bits met an existing hash: not in this universe, but
                // never overwrite a holder's token.
                return Ok(Err(TokenRefusal::NameTaken));
            }
            Ok(Ok(()))
        })
        .await
    }

    /// The token whose hash is `hash`, if one is held (revoked ones are gone).
    pub async fn api_token(&self, hash: [u8; 32]) -> Result<Option<ApiToken>, StoreError> {
        self.blocking(move |db| {
            db.tree_of::<ApiToken>()?
                .get(hash)?
                .map(|v| super::records::decode(&hash, &v))
                .transpose()
        })
        .await
    }

    /// Every token held, by name.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let mut all = self.blocking(|db| db.all::<ApiToken>()).await?;
        all.sort_by_key(|t| t.name.to_lowercase());
        Ok(all)
    }

    /// Deletes the token named `name` (any case); false if there is none.
    pub async fn revoke_api_token(&self, name: String) -> Result<bool, StoreError> {
        self.blocking_write(move |db| {
            let tree = db.tree_of::<ApiToken>()?;
            let want = name.to_lowercase();
            for entry in tree.iter() {
                let (key, value) = entry?;
                let held: ApiToken = super::records::decode(&key, &value)?;
                if held.name.to_lowercase() == want {
                    tree.remove(key)?;
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    fn token(name: &str, fill: u8) -> ApiToken {
        ApiToken {
            name: name.into(),
            hash: [fill; 32],
            scopes: vec!["read".into(), "post".into()],
            created: 1_772_000_000,
        }
    }

    #[tokio::test]
    async fn a_token_is_found_by_its_hash_across_reopening_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.add_api_token(token("ci", 7)).await.unwrap(), Ok(()));
        // One name, one token, whatever its case.
        assert_eq!(
            store.add_api_token(token("CI", 8)).await.unwrap(),
            Err(TokenRefusal::NameTaken)
        );
        assert_eq!(
            store.add_api_token(token("alerts", 9)).await.unwrap(),
            Ok(())
        );
        store.close().await.unwrap();

        let store = Store::open(dir.path(), StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(
            store.api_token([7; 32]).await.unwrap(),
            Some(token("ci", 7))
        );
        assert_eq!(store.api_token([8; 32]).await.unwrap(), None);
        let names: Vec<String> = store
            .api_tokens()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["alerts", "ci"]);
        assert!(store.revoke_api_token("Ci".into()).await.unwrap());
        assert!(!store.revoke_api_token("ci".into()).await.unwrap());
        assert_eq!(store.api_token([7; 32]).await.unwrap(), None);
        store.close().await.unwrap();
    }
}
