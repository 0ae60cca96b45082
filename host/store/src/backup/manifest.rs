//! A backup's `manifest.json`: what the backup holds, so a restore can tell a whole,
//! readable backup from a damaged or a newer one before it writes anything.
//!
//! ```json
//! {"format":"meshmush-backup","format_version":1,"schema_version":1,
//!  "created":1767225600,"meshmush":"0.1.0","next_id":41,
//!  "records_bytes":52311,"records_crc32":2864434397,
//!  "trees":[{"name":"mail","records":40},{"name":"players","records":12}]}
//! ```
//!
//! `next_id` is the store's next mail id when the backup was taken (see `mod.rs`);
//! `trees` lists the trees in the order the records file holds them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{BackupError, io};
use crate::disk::SCHEMA_VERSION;

/// The manifest's file name in a backup directory; written last.
pub(super) const MANIFEST: &str = "manifest.json";
/// The records file's name in a backup directory.
pub(super) const RECORDS: &str = "records";

const FORMAT: &str = "meshmush-backup";
/// The backup format this build writes and reads.
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Manifest {
    format: String,
    format_version: u32,
    pub(super) schema_version: u32,
    /// Unix seconds.
    pub(super) created: u64,
    /// The meshmush version that wrote it.
    meshmush: String,
    pub(super) next_id: u64,
    pub(super) records_bytes: u64,
    pub(super) records_crc32: u32,
    pub(super) trees: Vec<TreeCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct TreeCount {
    pub(super) name: String,
    pub(super) records: u64,
}

impl Manifest {
    pub(super) fn new(
        created: u64,
        next_id: u64,
        records_bytes: u64,
        records_crc32: u32,
        trees: Vec<TreeCount>,
    ) -> Self {
        Self {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            schema_version: SCHEMA_VERSION,
            created,
            meshmush: env!("CARGO_PKG_VERSION").into(),
            next_id,
            records_bytes,
            records_crc32,
            trees,
        }
    }

    /// Records in all trees.
    pub(super) fn records(&self) -> u64 {
        self.trees.iter().map(|t| t.records).sum()
    }

    pub(super) fn to_json(&self) -> Vec<u8> {
        // A struct of strings and numbers always serializes.
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Reads the manifest of the backup in `dir` and checks this build can restore
    /// it: the format, its version, and the store's schema version.
    pub(super) fn read(dir: &Path) -> Result<Self, BackupError> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BackupError::NoBackup(dir.to_path_buf()));
            }
            Err(e) => return Err(io("reading", &path)(e)),
        };
        // The format first, so a newer manifest is called newer, not unreadable.
        #[derive(Deserialize)]
        struct Head {
            format: String,
            format_version: u32,
        }
        let bad = |reason: String| BackupError::BadManifest {
            path: path.clone(),
            reason,
        };
        let head: Head = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
        if head.format != FORMAT {
            return Err(bad(format!("its format is {:?}", head.format)));
        }
        if head.format_version > FORMAT_VERSION {
            return Err(BackupError::FormatTooNew {
                dir: dir.to_path_buf(),
                found: head.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let manifest: Self = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
        if manifest.schema_version > SCHEMA_VERSION {
            return Err(BackupError::SchemaTooNew {
                dir: dir.to_path_buf(),
                found: manifest.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(manifest)
    }
}
