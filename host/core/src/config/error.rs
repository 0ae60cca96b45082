//! What is wrong with a config file, as errors: one [`ConfigError`] per problem, and
//! [`ConfigErrors`], all of a file's, one a line. A leaf: the checks (`validate.rs`)
//! and the config module both name them without importing each other.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error(
        "{path} names no node: `meshmush run --config` would refuse it. Set `port`, `tcp` \
         or `mqtt` under [link], or `sim = true` (or give --port, --tcp or --sim to run)"
    )]
    NamesNoNode { path: PathBuf },
}

/// Everything wrong with a config file (never empty), one problem a line.
#[derive(Debug, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        Self(vec![e])
    }
}
