//! `replies.hop_rule`: how far the BBS's direct messages may travel. Spelled
//! `"learned"`, `"firmware"` or `"fixed:N"` in the config, so the bench can run the
//! three side by side.

use std::fmt;
use std::str::FromStr;

use meshmush_protocol::packets::MAX_HOP_LIMIT;
use serde::{Deserialize, Serialize};

/// The hop limit of a DM to a node (a reply, a notice), by rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum HopRule {
    /// Always this limit (TC2 and most bots send the node's default, 3).
    Fixed(u32),
    /// The firmware's rule for its own replies (RoutingModule.cpp:62-78): the
    /// request's hops + 2 when below the configured limit, else the configured limit.
    Firmware,
    /// Start a node at its hops + 1, raise when a reply at that limit is not
    /// delivered, lower again after deliveries succeed (see `crate::reach`).
    #[default]
    Learned,
}

impl FromStr for HopRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "learned" => Ok(Self::Learned),
            "firmware" => Ok(Self::Firmware),
            other => {
                let n = other
                    .strip_prefix("fixed:")
                    .and_then(|n| n.parse::<u32>().ok())
                    .ok_or_else(|| {
                        format!("{other:?} is not learned, firmware or fixed:N (N 0..=7)")
                    })?;
                if n > MAX_HOP_LIMIT {
                    return Err(format!("fixed:{n} is above the firmware's most, 7"));
                }
                Ok(Self::Fixed(n))
            }
        }
    }
}

impl TryFrom<String> for HopRule {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl fmt::Display for HopRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed(n) => write!(f, "fixed:{n}"),
            Self::Firmware => f.write_str("firmware"),
            Self::Learned => f.write_str("learned"),
        }
    }
}

impl From<HopRule> for String {
    fn from(r: HopRule) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_written_and_refuse_the_rest() {
        for (s, want) in [
            ("learned", HopRule::Learned),
            ("firmware", HopRule::Firmware),
            ("fixed:3", HopRule::Fixed(3)),
            ("fixed:0", HopRule::Fixed(0)),
        ] {
            assert_eq!(s.parse::<HopRule>(), Ok(want));
            assert_eq!(want.to_string(), s);
        }
        for bad in ["fixed:8", "fixed:", "fixed", "3", "learnt"] {
            assert!(bad.parse::<HopRule>().is_err(), "{bad}");
        }
    }
}
