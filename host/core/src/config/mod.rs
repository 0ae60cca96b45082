//! The daemon's configuration: a TOML file (see `meshmush.example.toml`), defaults for
//! everything, and validation that names the file, the key and what is wrong.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use meshmush_firmware_bridge::Transport;
use meshmush_firmware_bridge::link::{Class, ClassShares, LinkConfig};
use meshmush_protocol::packets::parse_node_id;
use serde::{Deserialize, Serialize};

mod error;
pub mod federation;
pub mod feed;
mod hops;
mod keys;
pub mod links;
pub mod retention;
pub mod schedule;
mod validate;

pub use error::{ConfigError, ConfigErrors};
pub use feed::{FeedEntry, FeedsSection};
pub use hops::HopRule;
use keys::decode_key;
pub use links::{ChannelEntry, LinkSection, Links};
pub use retention::RetentionSection;
pub use schedule::{ScheduleEntry, SchedulesSection};

/// The sysop's name when `admin.sysop` gives none.
pub const DEFAULT_SYSOP: &str = "Sysop";

/// Everything the daemon can be told.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[link]` (one node) or `[[link]]` (several; see the links module).
    pub link: Links,
    /// Where the store lives.
    pub data_dir: PathBuf,
    pub replies: RepliesSection,
    pub scheduler: SchedulerSection,
    pub limits: LimitsSection,
    pub admin: AdminSection,
    pub sessions: SessionsSection,
    pub bbs: BbsSection,
    pub http: HttpSection,
    /// `[ops]`: how the daemon watches itself.
    pub ops: OpsSection,
    pub world: WorldSection,
    /// BBS-to-BBS sync (see `federation`).
    pub federation: federation::FederationSection,
    /// What expires, and how much mail may wait for nodes that never used the BBS.
    pub retention: RetentionSection,
    /// `[schedules]`: the time zone and lateness every `[[schedule]]` shares.
    pub schedules: SchedulesSection,
    /// `[[schedule]]`: notices sent at set times (see the schedule module).
    pub schedule: Vec<ScheduleEntry>,
    /// `[feeds]`: the bounds every `[[feed]]` shares.
    pub feeds: FeedsSection,
    /// `[[feed]]`: news feeds and alerts polled and posted (see the feed module).
    pub feed: Vec<FeedEntry>,
}

/// `[scheduler]`: how the BBS's airtime share is divided among what it sends. Every
/// packet leaves through one queue that serves these classes in this order, each at
/// most its share (a fraction of `replies.airtime_share`). Sync's share is
/// `federation.airtime_share`, a share of the duty cycle inside the same whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulerSection {
    /// Replies to known players (a record older than `bbs.newcomer_hours`, or rights).
    pub known_share: f64,
    /// Replies to strangers and new players; past their share they wait, and one who
    /// would wait over a minute is told "busy" once instead.
    pub stranger_share: f64,
    /// Notices: mail, room chatter, pages.
    pub notice_share: f64,
    /// Unasked traffic: beacon, welcomes, discovery answers, urgent notices, `@wall`.
    pub unasked_share: f64,
}

impl Default for SchedulerSection {
    fn default() -> Self {
        let d = ClassShares::default();
        Self {
            known_share: d.get(Class::Known),
            stranger_share: d.get(Class::Stranger),
            notice_share: d.get(Class::Notice),
            unasked_share: d.get(Class::Unasked),
        }
    }
}

/// The operator's status page and `/metrics` (off unless `listen` is set), and the
/// HTTP API under `/api/v1/` on the same server (off unless `api` is set too).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSection {
    /// Address to serve on, e.g. `"127.0.0.1:9600"`. Read-only, but it shows who
    /// uses the BBS: keep it on loopback or behind a proxy.
    pub listen: Option<std::net::SocketAddr>,
    /// Serve the token-guarded API (`/api/v1/`): posts, mail and `@wall` from
    /// scripts. Tokens are made with `meshmush admin token create`.
    pub api: bool,
    /// Requests one API token may make in a burst...
    pub api_burst: u32,
    /// ...and per minute after it; past that, 429 with `Retry-After`.
    pub api_per_minute: u32,
}

impl Default for HttpSection {
    fn default() -> Self {
        Self {
            listen: None,
            api: false,
            api_burst: 10,
            api_per_minute: 20,
        }
    }
}

/// `[ops]`: how the daemon watches itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OpsSection {
    /// The event-loop lag probe asks to wake every 10 ms; a wake later than this many
    /// milliseconds counts as late. At most one warning a minute sums the late wakes
    /// (how many, the worst); none in a minute without one. At least 10.
    pub lag_warn_ms: u64,
}

impl Default for OpsSection {
    fn default() -> Self {
        Self { lag_warn_ms: 250 }
    }
}

impl OpsSection {
    /// How late a lag-probe tick must be to count as late.
    pub fn lag_warn(&self) -> Duration {
        Duration::from_millis(self.lag_warn_ms)
    }
}

/// `[world]`: where content comes from and how houses are kept.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WorldSection {
    /// A directory of content files (`npcs.toml`, `quests.toml`, ...; see
    /// docs/content.md), read at start and by `@reload`. Unset: the built-in set.
    pub content_dir: Option<PathBuf>,
    /// Houses most players may own at once.
    pub houses_per_player: u32,
    /// A house whose owner has not been seen for this many days is reclaimed.
    pub house_reclaim_days: u64,
}

impl Default for WorldSection {
    fn default() -> Self {
        Self {
            content_dir: None,
            houses_per_player: 1,
            house_reclaim_days: 60,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RepliesSection {
    /// Bytes of UTF-8 text per radio packet.
    pub byte_budget: usize,
    /// Share of the region's duty cycle the BBS may use, 0 to 1.
    pub airtime_share: f64,
    /// Channel messages starting with this prefix are taken as commands ("" = never).
    pub channel_prefix: String,
    /// Packets sent at once for long output; the rest waits behind `more`.
    pub pager_packets: usize,
    /// The hop limit of what the BBS sends when no rule says less (the node's
    /// default, 3; at most 7), and the one a DM goes again at when it was not
    /// delivered at a lower one.
    pub hop_limit: u32,
    /// How far a DM to a node may travel: `learned` (from its distance and how our
    /// replies fared), `firmware` (the firmware's rule for its own replies) or
    /// `fixed:N`.
    pub hop_rule: HopRule,
    /// Whether a reply waits, from the moment its request arrived, for the floods the
    /// request set off around our node (its relays, our node's ACK's) to move out of
    /// its way: two relay generations, about 5.5 s on LongFast. Off by default: it
    /// costs every reply that long, and the evidence is the multi-hop model's
    /// (BENCHMARKS.md, figure 16), not a real mesh's yet.
    pub wait_out_floods: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BbsSection {
    /// Longest post or mail, in bytes.
    pub post_max_bytes: usize,
    /// Posts one player may make per hour.
    pub posts_per_hour: u32,
    /// Posts kept per board; the oldest expire.
    pub posts_kept: usize,
    /// Mails one mailbox holds.
    pub mailbox_max: usize,
    /// A player is new for this many hours after their record is made; new players
    /// all together may post and mail only so much, so a flood of fresh ids cannot
    /// push real posts off a board or fill someone's mailbox.
    pub newcomer_hours: u64,
    /// Posts per hour by all new players together.
    pub newcomer_posts_per_hour: u32,
    /// Mails per hour by all new players together.
    pub newcomer_mail_per_hour: u32,
    /// A post or mail being written line by line (`post BOARD` with no text) is
    /// dropped after this many minutes without a line.
    pub draft_idle_mins: u64,
    /// Mail can go to any node the BBS's node knows, even one that never used the
    /// BBS; when such a node is next heard, one DM tells it (at most once a day).
    pub mail_waiting_notice: bool,
    /// A channel message that is exactly this (any case) gets a one-DM answer saying
    /// what the BBS is and how to start ("" = off).
    pub discovery_keyword: String,
    /// Least time between two packets the BBS puts on the primary channel unasked or
    /// for one player (an urgent board's notice, `@wall`, the beacon), in minutes.
    pub channel_gap_mins: u64,
    /// Shown in front of a player's first reply of the (UTC) day; "" = none.
    pub motd: String,
    /// Send one DM to each node first heard (by its NodeInfo or a channel message)
    /// that has never used the BBS, saying what it is. Once per node; off by default.
    pub welcome_new_nodes: bool,
    /// Put one line on the primary channel this often, saying what the BBS is, in
    /// minutes: 0 = off, else at least 60. Skipped while the BBS has used more than
    /// half its airtime share in the last hour.
    pub beacon_mins: u64,
    /// The language players read until they pick one with `lang CODE` (one of
    /// `meshmush_lang::OFFERED`: "en", "de", "es").
    pub language: String,
}

impl BbsSection {
    /// The BBS's language ([`language`](Self::language)); English if the code is
    /// not offered (the config's checks refuse such a file before it runs).
    pub fn language(&self) -> meshmush_lang::Lang {
        meshmush_lang::Lang::parse(&self.language).unwrap_or_default()
    }
}

impl Default for BbsSection {
    fn default() -> Self {
        Self {
            post_max_bytes: 1000,
            posts_per_hour: 10,
            posts_kept: 500,
            mailbox_max: 50,
            newcomer_hours: 24,
            newcomer_posts_per_hour: 20,
            newcomer_mail_per_hour: 20,
            draft_idle_mins: 30,
            mail_waiting_notice: true,
            discovery_keyword: "bbs?".into(),
            channel_gap_mins: 10,
            motd: String::new(),
            welcome_new_nodes: false,
            beacon_mins: 0,
            language: "en".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsSection {
    /// Commands a node may send in a burst.
    pub burst: u32,
    /// Commands per minute a node may sustain.
    pub per_minute: u32,
    /// Longest command accepted, in bytes.
    pub max_command_bytes: usize,
    /// Commands from strangers (nodes whose player has not been loaded since start),
    /// all together: a burst, then this many per minute. A flood of fresh ids shares
    /// this; known players are held only to their own limit.
    pub strangers_burst: u32,
    pub strangers_per_minute: u32,
    /// Players with a running session at once; nodes beyond it are not answered
    /// until a session ends.
    pub max_sessions: usize,
    /// Brand-new players (no record yet) admitted per minute, all together, with this
    /// burst: fresh ids share a small slice of the store and the airtime.
    pub newcomers_burst: u32,
    pub newcomers_per_minute: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSection {
    /// Node ids (`!1234abcd`) whose players are wizards on PKI direct messages.
    pub nodes: Vec<String>,
    /// Admin nodes with their public keys (`"!1234abcd" = "base64 key"`): pinned from
    /// the start, so not even the first packet can be an impostor's. These nodes are
    /// admins too.
    pub keys: BTreeMap<String, String>,
    /// The name the admin console (`meshmush admin`) acts under: a wizard player on a
    /// node number no radio has. Default "Sysop".
    pub sysop: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsSection {
    /// Seconds of silence after which a player's session is put away.
    pub idle_timeout_secs: u64,
    /// Room notices (arrivals, `say`) go only to players active in the last this many
    /// minutes.
    pub notify_active_mins: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            link: Links::default(),
            data_dir: PathBuf::from("meshmush-data"),
            replies: RepliesSection::default(),
            scheduler: SchedulerSection::default(),
            limits: LimitsSection::default(),
            admin: AdminSection::default(),
            sessions: SessionsSection::default(),
            bbs: BbsSection::default(),
            http: HttpSection::default(),
            ops: OpsSection::default(),
            world: WorldSection::default(),
            federation: Default::default(),
            retention: RetentionSection::default(),
            schedules: SchedulesSection::default(),
            schedule: Vec::new(),
            feeds: FeedsSection::default(),
            feed: Vec::new(),
        }
    }
}

impl Default for RepliesSection {
    fn default() -> Self {
        Self {
            byte_budget: meshmush_protocol::chunking::DEFAULT_BUDGET,
            airtime_share: 0.5,
            channel_prefix: String::new(),
            pager_packets: 3,
            hop_limit: meshmush_protocol::packets::DEFAULT_HOP_LIMIT,
            hop_rule: HopRule::Learned,
            wait_out_floods: false,
        }
    }
}

impl Default for LimitsSection {
    fn default() -> Self {
        Self {
            burst: 5,
            per_minute: 20,
            max_command_bytes: 200,
            strangers_burst: 60,
            strangers_per_minute: 600,
            max_sessions: 500,
            newcomers_burst: 10,
            newcomers_per_minute: 6,
        }
    }
}

impl Default for SessionsSection {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 1800,
            notify_active_mins: 10,
        }
    }
}

impl Config {
    /// Admin node numbers (listed, or given with a key).
    pub fn admin_nodes(&self) -> Vec<u32> {
        let mut nodes: Vec<u32> = self
            .admin
            .nodes
            .iter()
            .chain(self.admin.keys.keys())
            .filter_map(|n| parse_node_id(n))
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// Admin nodes' public keys, to pin at start.
    pub fn admin_keys(&self) -> Vec<(u32, Vec<u8>)> {
        self.admin
            .keys
            .iter()
            .filter_map(|(n, k)| Some((parse_node_id(n)?, decode_key(k)?)))
            .collect()
    }

    /// The link settings this config asks for, on `transport`: the one place the
    /// reply byte budget and the airtime share reach the link. The delivery path reads
    /// the budget back from the same [`LinkConfig`], so replies are chunked to what
    /// the link sends. Timings (acks, retries, heartbeats) keep the link's defaults for
    /// a real node; tests and the bench shorten them on the value this returns.
    pub fn link_config(&self, transport: Transport) -> LinkConfig {
        let mut link = LinkConfig::new(transport);
        link.byte_budget = self.replies.byte_budget;
        link.airtime_share = self.replies.airtime_share;
        link.hop_limit = self.replies.hop_limit;
        link.wait_out_floods = self.replies.wait_out_floods;
        link.shares = self.class_shares(link.airtime_share);
        link
    }

    /// Each traffic class's part of a link whose whole share is `link_share`. Sync's
    /// is `federation.airtime_share` of the duty cycle, so its part of the whole is
    /// that over the link's share (all of it, if the link's is smaller).
    pub fn class_shares(&self, link_share: f64) -> ClassShares {
        let s = &self.scheduler;
        let mut shares = ClassShares::default();
        shares.set(Class::Known, s.known_share);
        shares.set(Class::Stranger, s.stranger_share);
        shares.set(Class::Notice, s.notice_share);
        shares.set(Class::Unasked, s.unasked_share);
        let sync = if link_share > 0.0 {
            (self.federation.airtime_share / link_share).min(1.0)
        } else {
            0.0
        };
        shares.set(Class::Sync, sync);
        shares
    }

    /// The name the sysop (the admin console, scheduled notices) acts under.
    pub fn sysop_name(&self) -> &str {
        self.admin.sysop.as_deref().unwrap_or(DEFAULT_SYSOP)
    }

    /// The `[[schedule]]`s that pass their checks (all of them, in a config that
    /// passed validation), in file order.
    pub fn schedules(&self) -> Vec<schedule::Schedule> {
        self.schedule
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.checked(i).ok())
            .collect()
    }

    /// The `[[feed]]`s that pass their checks (all of them, in a config that passed
    /// validation), in file order.
    pub fn feeds(&self) -> Vec<feed::Feed> {
        self.feed
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.checked(i).ok())
            .collect()
    }

    /// How recently a player must have been active to hear room notices.
    pub fn notify_window(&self) -> Duration {
        Duration::from_secs(self.sessions.notify_active_mins.saturating_mul(60))
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.sessions.idle_timeout_secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn example_file_parses() {
        let text = include_str!("../../../../meshmush.example.toml");
        let cfg = Config::from_toml(text, Path::new("meshmush.example.toml")).unwrap();
        assert_eq!(cfg.replies.byte_budget, 220);
        assert_eq!(cfg.admin_nodes(), vec![0x1234_abcd]);
        assert_eq!(cfg.federation, federation::FederationSection::default());
        // It runs as it is (on the software mesh): `check-config` and `run` agree.
        assert!(cfg.link.names_a_node());
    }

    #[test]
    fn federation_peers_parse_and_bad_ones_are_named() {
        let p = Path::new("x.toml");
        let key = "A".repeat(43) + "=";
        let text = format!(
            "[federation]\npeers = [\n  {{ node = \"!a1b2c3d4\", dialect = \"meshmush\", key = \"tofu\" }},\n  \
             {{ node = \"!0badcafe\", dialect = \"tc2\", key = \"{key}\" }},\n  \
             {{ node = \"!0ddba11a\", dialect = \"tc2\", insecure = true }},\n]\n"
        );
        let cfg = Config::from_toml(&text, p).unwrap();
        let peers = cfg.federation.peers();
        assert_eq!(peers.len(), 3);
        assert_eq!(
            (peers[0].node, &peers[0].key),
            (0xa1b2_c3d4, &federation::PeerKey::Tofu)
        );
        assert_eq!(peers[1].dialect, federation::Dialect::Tc2);
        assert_eq!(peers[1].key, federation::PeerKey::Fixed(vec![0; 32]));
        assert_eq!(peers[2].key, federation::PeerKey::Insecure);
        // A peer with no key and no `insecure` is refused, and the message says why.
        let e = Config::from_toml(
            "[federation]\npeers = [{ node = \"!0badcafe\", dialect = \"tc2\" }]\n",
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("federation.peers[0].key") && e.contains("anyone in range"),
            "{e}"
        );
        let e = Config::from_toml(
            "[federation]\npeers = [{ node = \"bob\", dialect = \"tc2\" }]\n",
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("federation.peers[0]"), "{e}");
        let e = Config::from_toml(
            "[federation]\npeers = [{ node = \"!1\", dialect = \"bbs\" }]\n",
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("bbs"), "{e}");
    }

    /// Every key the daemon takes is in the example file, which is its documentation.
    #[test]
    fn example_file_names_every_key() {
        let text = include_str!("../../../../meshmush.example.toml");
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        let mut missing = Vec::new();
        let Some(sections) = defaults.as_table() else {
            panic!("a config is a table")
        };
        for (section, keys) in sections {
            let Some(keys) = keys.as_table() else {
                continue;
            };
            if !text.contains(&format!("[{section}]")) {
                missing.push(format!("[{section}]"));
            }
            for key in keys.keys() {
                let named = [format!("{key} ="), format!("[{section}.{key}]")];
                if !named.iter().any(|n| text.contains(n.as_str())) {
                    missing.push(format!("{section}.{key}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in meshmush.example.toml: {missing:?}"
        );
    }

    #[test]
    fn the_container_config_parses() {
        let text = include_str!("../../../../deploy/meshmush.docker.toml");
        let cfg = Config::from_toml(text, Path::new("meshmush.docker.toml")).unwrap();
        assert_eq!(cfg.data_dir, PathBuf::from("/data"));
        assert_eq!(
            cfg.http.listen,
            Some(std::net::SocketAddr::from(([0, 0, 0, 0], 9600)))
        );
    }

    #[test]
    fn a_beacon_is_off_or_hourly_at_most() {
        let p = Path::new("x.toml");
        let e = Config::from_toml("[bbs]\nbeacon_mins = 30\n", p).unwrap_err();
        assert!(e.to_string().contains("bbs.beacon_mins"), "{e}");
        assert!(Config::from_toml("[bbs]\nbeacon_mins = 60\n", p).is_ok());
        assert!(Config::from_toml("[bbs]\nbeacon_mins = 0\n", p).is_ok());
    }

    #[test]
    fn errors_name_the_file_and_key() {
        let p = Path::new("x.toml");
        let e = Config::from_toml("[replies]\nbyte_budget = 999\n", p).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml: key `replies.byte_budget`: 999 is outside 16..=232 bytes"
        );
        let e = Config::from_toml("[replies]\nbyte_budgt = 1\n", p).unwrap_err();
        assert!(e.to_string().contains("byte_budgt"), "{e}");
        let e = Config::from_toml("[admin]\nnodes = [\"bob\"]\n", p).unwrap_err();
        assert!(e.to_string().contains("admin.nodes[0]"), "{e}");
        let e = Config::from_toml("[admin.keys]\n\"!00000001\" = \"short\"\n", p).unwrap_err();
        assert!(e.to_string().contains("admin.keys"), "{e}");
        let key = "A".repeat(43) + "=";
        let cfg =
            Config::from_toml(&format!("[admin.keys]\n\"!00000001\" = \"{key}\"\n"), p).unwrap();
        assert_eq!(cfg.admin_keys(), vec![(1, vec![0; 32])]);
        assert_eq!(cfg.admin_nodes(), vec![1]);
    }
}
