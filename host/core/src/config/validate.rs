//! Checking a config file: every problem it has, each naming the file, the key and
//! what is wrong, so an operator fixes them all in one go rather than one per run.
//!
//! [`Config::for_run`] is what `meshmush run` accepts; `meshmush check-config` calls
//! the same function (as `run` with no `--port`, `--tcp` or `--sim`), so the two never
//! disagree about a file. [`Config::from_toml`] is the same without the rule that the
//! file must name a node, for callers that supply their own link.
//!
//! A file that does not parse (bad TOML, an unknown key, a value of the wrong type)
//! has one problem reported, the parser's first: its values cannot be checked.

use std::path::Path;

use meshmush_protocol::packets::parse_node_id;

use super::Config;
use super::error::{ConfigError, ConfigErrors};
use super::keys::decode_key;

impl Config {
    /// Parses TOML text read from `path` (named in errors) and checks every value.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self, ConfigErrors> {
        let cfg = Self::parse(text, path)?;
        let problems = cfg.problems(path);
        refuse_if_any(cfg, problems)
    }

    /// What `meshmush run` accepts from the config file at `path`: [`from_toml`]'s
    /// checks, and a node to talk to unless `node_given` (the command line names one:
    /// `--port`, `--tcp` or `--sim`). Every problem is reported.
    ///
    /// [`from_toml`]: Self::from_toml
    pub fn for_run(text: &str, path: &Path, node_given: bool) -> Result<Self, ConfigErrors> {
        let cfg = Self::parse(text, path)?;
        let mut problems = cfg.problems(path);
        if !node_given && !cfg.link.names_a_node() {
            problems.push(ConfigError::NamesNoNode {
                path: path.to_path_buf(),
            });
        }
        refuse_if_any(cfg, problems)
    }

    fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Every value out of range, in the file's order of sections.
    pub fn problems(&self, path: &Path) -> Vec<ConfigError> {
        let mut out = Vec::new();
        let mut bad = |key: &str, message: String| {
            out.push(ConfigError::Invalid {
                path: path.to_path_buf(),
                key: key.into(),
                message,
            })
        };
        let budget = self.replies.byte_budget;
        // Above 232 even a channel text is TOO_LARGE for the firmware; above 220 a
        // PKI DM is (see `protocol::airtime`).
        let most = meshmush_protocol::airtime::max_text_bytes(false);
        if !(meshmush_protocol::chunking::MIN_BUDGET..=most).contains(&budget) {
            bad(
                "replies.byte_budget",
                format!("{budget} is outside 16..={most} bytes"),
            );
        }
        if !(0.0..=1.0).contains(&self.replies.airtime_share) {
            bad(
                "replies.airtime_share",
                format!("{} is not between 0 and 1", self.replies.airtime_share),
            );
        }
        if self.replies.pager_packets == 0 {
            bad("replies.pager_packets", "must be at least 1".into());
        }
        if self.http.api && self.http.listen.is_none() {
            bad(
                "http.api",
                "the API is served on `http.listen`: set that too".into(),
            );
        }
        if self.http.api_burst == 0 || self.http.api_per_minute == 0 {
            bad(
                "http",
                "api_burst and api_per_minute must be at least 1".into(),
            );
        }
        if !(1..=meshmush_protocol::packets::MAX_HOP_LIMIT).contains(&self.replies.hop_limit) {
            bad(
                "replies.hop_limit",
                format!("{} is outside 1..=7", self.replies.hop_limit),
            );
        }
        let s = &self.scheduler;
        for (key, share) in [
            ("scheduler.known_share", s.known_share),
            ("scheduler.stranger_share", s.stranger_share),
            ("scheduler.notice_share", s.notice_share),
            ("scheduler.unasked_share", s.unasked_share),
        ] {
            if !(0.0..=1.0).contains(&share) {
                bad(key, format!("{share} is not between 0 and 1"));
            }
        }
        let l = &self.limits;
        if [
            l.burst,
            l.per_minute,
            l.strangers_burst,
            l.strangers_per_minute,
        ]
        .into_iter()
        .chain([l.newcomers_burst, l.newcomers_per_minute])
        .any(|n| n == 0)
            || l.max_sessions == 0
        {
            bad(
                "limits",
                "every limit must be at least 1 (burst, per_minute, strangers_burst, \
                 strangers_per_minute, max_sessions, newcomers_burst, newcomers_per_minute)"
                    .into(),
            );
        }
        if self.bbs.posts_kept == 0 || self.bbs.mailbox_max == 0 || self.bbs.posts_per_hour == 0 {
            bad(
                "bbs",
                "posts_kept, mailbox_max and posts_per_hour must be at least 1".into(),
            );
        }
        if meshmush_lang::Lang::parse(&self.bbs.language).is_none() {
            bad(
                "bbs.language",
                format!(
                    "{:?} is not offered; pick one of: {}",
                    self.bbs.language,
                    meshmush_lang::codes()
                ),
            );
        }
        if self.bbs.newcomer_posts_per_hour == 0 || self.bbs.newcomer_mail_per_hour == 0 {
            bad(
                "bbs",
                "newcomer_posts_per_hour and newcomer_mail_per_hour must be at least 1".into(),
            );
        }
        if self.bbs.beacon_mins != 0 && self.bbs.beacon_mins < 60 {
            bad(
                "bbs.beacon_mins",
                "0 (off) or at least 60: a beacon more often costs everyone's airtime".into(),
            );
        }
        if self.ops.lag_warn_ms < 10 {
            bad(
                "ops.lag_warn_ms",
                format!(
                    "{} is below the lag probe's 10 ms tick: every wake would count as late",
                    self.ops.lag_warn_ms
                ),
            );
        }
        for (key, message) in self.retention.problems() {
            bad(key, message);
        }
        for (key, message) in self.link.problems() {
            bad(&key, message);
        }
        for (i, node) in self.admin.nodes.iter().enumerate() {
            if parse_node_id(node).is_none() {
                bad(
                    &format!("admin.nodes[{i}]"),
                    format!("{node:?} is not a node id like !1234abcd"),
                );
            }
        }
        for (node, key) in &self.admin.keys {
            let at = format!("admin.keys.{node:?}");
            if parse_node_id(node).is_none() {
                bad(&at, format!("{node:?} is not a node id like !1234abcd"));
            }
            if decode_key(key).is_none() {
                bad(
                    &at,
                    "not a base64 32-byte public key (as `meshtastic --info` prints it)".into(),
                );
            }
        }
        for (key, message) in self.federation.problems() {
            bad(&key, message);
        }
        let sysop = self.sysop_name();
        let fits = |action: &super::schedule::Action| {
            // A wall goes in the sysop's name, a beacon line as it is: one packet each.
            let packet = match action {
                super::schedule::Action::Wall(t) => crate::commands::text::wall_text(sysop, t),
                super::schedule::Action::Beacon(t) => t.clone(),
                super::schedule::Action::Post { .. } => return Ok(()),
            };
            if packet.len() > budget {
                Err(format!(
                    "the text is too long for one packet: {} bytes as sent, at most {budget}",
                    packet.len()
                ))
            } else {
                Ok(())
            }
        };
        for (key, message) in super::schedule::problems(&self.schedules, &self.schedule, fits) {
            bad(&key, message);
        }
        for (key, message) in super::feed::problems(&self.feeds, &self.feed) {
            bad(&key, message);
        }
        out
    }
}

fn refuse_if_any(cfg: Config, problems: Vec<ConfigError>) -> Result<Config, ConfigErrors> {
    if problems.is_empty() {
        Ok(cfg)
    } else {
        Err(ConfigErrors(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(e: ConfigErrors) -> Vec<String> {
        e.to_string().lines().map(str::to_string).collect()
    }

    #[test]
    fn every_value_out_of_range_is_reported_not_only_the_first() {
        let p = Path::new("x.toml");
        let text = "[link]\nsim = true\n\n[replies]\nbyte_budget = 999\nairtime_share = 2.0\n\n\
                    [ops]\nlag_warn_ms = 1\n\n[federation]\nairtime_share = 0.0\n";
        let said = lines(Config::from_toml(text, p).unwrap_err());
        assert_eq!(said.len(), 4, "{said:#?}");
        for key in [
            "replies.byte_budget",
            "replies.airtime_share",
            "ops.lag_warn_ms",
            "federation.airtime_share",
        ] {
            assert!(
                said.iter()
                    .any(|l| l.starts_with(&format!("x.toml: key `{key}`"))),
                "{key} not reported: {said:#?}"
            );
        }
    }

    #[test]
    fn the_bbs_language_must_be_one_offered() {
        let p = Path::new("x.toml");
        let said = lines(Config::from_toml("[bbs]\nlanguage = \"fr\"\n", p).unwrap_err());
        assert_eq!(
            said,
            vec![
                "x.toml: key `bbs.language`: \"fr\" is not offered; pick one of: en de es"
                    .to_string()
            ]
        );
        let cfg = Config::from_toml("[bbs]\nlanguage = \"de\"\n", p).expect("offered");
        assert_eq!(cfg.bbs.language().code(), "de");
    }

    #[test]
    fn run_also_needs_a_node_unless_the_command_line_names_one() {
        let p = Path::new("x.toml");
        let text = "[replies]\nbyte_budget = 999\n\n[link]\n";
        let said = lines(Config::for_run(text, p, false).unwrap_err());
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(said[0].contains("replies.byte_budget"), "{said:#?}");
        assert!(said[1].contains("names no node"), "{said:#?}");
        let said = lines(Config::for_run(text, p, true).unwrap_err());
        assert_eq!(said.len(), 1, "--tcp names the node: {said:#?}");
        assert!(Config::for_run("[link]\n", p, true).is_ok());
        assert!(Config::for_run("[link]\ntcp = \"10.0.0.2\"\n", p, false).is_ok());
    }

    #[test]
    fn a_file_that_does_not_parse_has_the_parsers_one_problem() {
        let p = Path::new("x.toml");
        let e = Config::for_run("[replies]\nbyte_budgt = 1\n", p, false).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert!(matches!(e.0[0], ConfigError::Parse { .. }), "{e}");
        assert!(e.to_string().contains("byte_budgt"), "{e}");
    }

    #[test]
    fn the_api_needs_the_http_server_and_a_rate() {
        let p = Path::new("x.toml");
        let said = lines(Config::from_toml("[http]\napi = true\napi_burst = 0\n", p).unwrap_err());
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(
            said[0].contains("http.api") && said[0].contains("http.listen"),
            "{said:#?}"
        );
        assert!(said[1].contains("api_burst"), "{said:#?}");
        let on = "[http]\nlisten = \"127.0.0.1:9600\"\napi = true\n";
        assert!(Config::from_toml(on, p).is_ok_and(|c| c.http.api));
    }

    #[test]
    fn several_bad_links_and_peers_are_each_named() {
        let p = Path::new("x.toml");
        let text = "[[link]]\nmqtt = \"h\"\ntls = true\n\n[[link]]\ntcp = \"a\"\nport = \"b\"\n\n\
                    [federation]\npeers = [{ node = \"bob\", dialect = \"tc2\" }, \
                    { node = \"!0badcafe\", dialect = \"tc2\" }]\n";
        let said = lines(Config::from_toml(text, p).unwrap_err());
        for key in [
            "link[0].tls",
            "link[0].node",
            "link[1]`",
            "federation.peers[0]`",
            "federation.peers[1].key",
        ] {
            assert!(
                said.iter().any(|l| l.contains(key)),
                "{key} not reported: {said:#?}"
            );
        }
    }
}
