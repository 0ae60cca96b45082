//! `[[schedule]]` and `[schedules]`: notices the BBS sends at set times (issue 30),
//! each a standard 5-field cron expression (`minute hour day-of-month month
//! day-of-week`, names like `SUN` and `JAN` allowed, no seconds field) with one action:
//!
//! ```toml
//! [schedules]
//! timezone = "Europe/Berlin"   # the cron's clock; default "UTC"
//! late_mins = 60               # a notice later than this is given up (logged)
//!
//! [[schedule]]
//! cron = "0 18 * * SUN"
//! post = { board = "general", text = "Weekly net tonight at 20:00." }
//!
//! [[schedule]]
//! cron = "0 8 * * MON-FRI"
//! wall = "Repeater maintenance today 9-12."   # one packet, as @wall
//!
//! [[schedule]]
//! cron = "30 19 * * SUN"
//! beacon = "Net in 30 min on this channel."  # one line, as the beacon
//! ```
//!
//! This module parses and checks them and computes when each is next due
//! ([`Schedule::next_after`]); the daemon's `schedule` task sends them.

use chrono::{DateTime, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

/// `[schedules]`: what every `[[schedule]]` shares.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SchedulesSection {
    /// The time zone the cron expressions are read in (an IANA name such as
    /// `"Europe/Berlin"`; daylight saving is followed). Default `"UTC"`.
    pub timezone: String,
    /// A notice that could not go at its time (the channel gap, the unasked share, the
    /// daemon was down) is still sent up to this many minutes late, once; later, it is
    /// given up with a log line. A notice missed while the daemon was down is sent on
    /// start only if it is this recent, and only the latest one: never a burst.
    pub late_mins: u64,
}

impl Default for SchedulesSection {
    fn default() -> Self {
        Self {
            timezone: "UTC".into(),
            late_mins: 60,
        }
    }
}

impl SchedulesSection {
    /// The configured zone; UTC when the name is not one (validation reports that).
    pub fn tz(&self) -> TimeZone {
        zone(&self.timezone).unwrap_or(TimeZone::UTC)
    }
}

/// The IANA time zone `name` (any case, e.g. `"Europe/Berlin"`), from the copy of the
/// tz database built into the daemon: no file is read, so it may be asked anywhere.
pub fn zone(name: &str) -> Option<TimeZone> {
    TimeZoneDatabase::bundled().get(name.trim()).ok()
}

/// One `[[schedule]]` as written: a cron expression and exactly one action.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEntry {
    /// Standard 5-field cron: `minute hour day-of-month month day-of-week`.
    pub cron: String,
    /// A post on a board, as the sysop (`post BOARD TEXT` on the admin console).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<PostAction>,
    /// One packet on the primary channel, as `@wall` (in the sysop's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall: Option<String>,
    /// One line on the primary channel as it is, as the beacon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beacon: Option<String>,
}

/// `post = { board = "general", text = "..." }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PostAction {
    pub board: String,
    pub text: String,
}

/// What a schedule does when it is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Post { board: String, text: String },
    Wall(String),
    Beacon(String),
}

impl Action {
    /// A short name for logs (never the text).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Post { .. } => "post",
            Self::Wall(_) => "wall",
            Self::Beacon(_) => "beacon",
        }
    }

    /// Whether it puts a packet on the channel (and so waits for the channel gap).
    pub fn on_channel(&self) -> bool {
        !matches!(self, Self::Post { .. })
    }
}

/// A checked schedule, ready to compute its times.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Which `[[schedule]]` it is (0-based), for logs.
    pub index: usize,
    /// The cron expression as written (trimmed).
    pub cron_text: String,
    cron: Cron,
    pub action: Action,
}

/// Parses a standard 5-field cron expression (no seconds, no year).
pub fn parse_cron(text: &str) -> Result<Cron, String> {
    let fields = text.split_whitespace().count();
    if fields != 5 {
        return Err(format!(
            "{text:?} has {fields} fields; a cron expression has 5: \
             minute hour day-of-month month day-of-week"
        ));
    }
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .build()
        .parse(text)
        .map_err(|e| format!("{text:?} is not a cron expression: {e}"))
}

impl ScheduleEntry {
    /// The one action, or why there is not exactly one non-empty one.
    pub fn action(&self) -> Result<Action, String> {
        let mut actions = Vec::new();
        if let Some(p) = &self.post {
            actions.push(Action::Post {
                board: p.board.trim().to_string(),
                text: p.text.trim().to_string(),
            });
        }
        if let Some(t) = &self.wall {
            actions.push(Action::Wall(t.trim().to_string()));
        }
        if let Some(t) = &self.beacon {
            actions.push(Action::Beacon(t.trim().to_string()));
        }
        let action = match actions.len() {
            1 => actions.remove(0),
            0 => return Err("needs one action: post, wall or beacon".into()),
            _ => return Err("has more than one action: give post, wall or beacon".into()),
        };
        match &action {
            Action::Post { board, .. } if board.is_empty() => Err("post.board is empty".into()),
            Action::Post { text, .. } if text.is_empty() => Err("post.text is empty".into()),
            Action::Wall(t) | Action::Beacon(t) if t.is_empty() => {
                Err(format!("{} text is empty", action.kind()))
            }
            _ => Ok(action),
        }
    }

    /// The checked schedule, or every problem with it.
    pub fn checked(&self, index: usize) -> Result<Schedule, Vec<String>> {
        let cron = parse_cron(self.cron.trim());
        let action = self.action();
        match (cron, action) {
            (Ok(cron), Ok(action)) => Ok(Schedule {
                index,
                cron_text: self.cron.trim().to_string(),
                cron,
                action,
            }),
            (cron, action) => Err(cron.err().into_iter().chain(action.err()).collect()),
        }
    }
}

impl Schedule {
    /// The first time strictly after `after` at which it is due, read in `tz`;
    /// `None` if the expression never matches again (e.g. `0 0 30 2 *`).
    pub fn next_after(&self, after: DateTime<Utc>, tz: &TimeZone) -> Option<DateTime<Utc>> {
        self.occurrence(after, tz, |cron, t| cron.find_next_occurrence(t, false))
    }

    /// The latest time at or before `at` at which it was due, read in `tz`.
    pub fn latest_at_or_before(&self, at: DateTime<Utc>, tz: &TimeZone) -> Option<DateTime<Utc>> {
        self.occurrence(at, tz, |cron, t| cron.find_previous_occurrence(t, true))
    }

    /// `find` from `at` on the wall clock of `tz`, as an instant again.
    fn occurrence(
        &self,
        at: DateTime<Utc>,
        tz: &TimeZone,
        find: impl FnOnce(&Cron, &Zoned) -> Result<Zoned, croner::errors::CronError>,
    ) -> Option<DateTime<Utc>> {
        utc_of(&find(&self.cron, &zoned(at, tz)?).ok()?)
    }

    /// A key naming this schedule across restarts (where its last firing is kept):
    /// its cron and action, so editing either makes it a new schedule, and moving
    /// it in the file does not.
    pub fn key(&self) -> String {
        let what = match &self.action {
            Action::Post { board, text } => format!("post\0{board}\0{text}"),
            Action::Wall(t) => format!("wall\0{t}"),
            Action::Beacon(t) => format!("beacon\0{t}"),
        };
        format!("{}\0{what}", self.cron_text)
    }
}

/// `at` on the wall clock of `tz`; `None` outside jiff's range (years -9999 to 9999).
fn zoned(at: DateTime<Utc>, tz: &TimeZone) -> Option<Zoned> {
    let t = Timestamp::new(
        at.timestamp(),
        i32::try_from(at.timestamp_subsec_nanos()).ok()?,
    )
    .ok()?;
    Some(t.to_zoned(tz.clone()))
}

/// The instant `z` names, as the daemon's clock reads it.
fn utc_of(z: &Zoned) -> Option<DateTime<Utc>> {
    let t = z.timestamp();
    DateTime::from_timestamp(t.as_second(), u32::try_from(t.subsec_nanosecond()).ok()?)
}

/// Every problem with `[schedules]` and the `[[schedule]]`s, as (key, message);
/// `fits` says whether a well-formed action's packet fits one packet.
pub fn problems(
    section: &SchedulesSection,
    entries: &[ScheduleEntry],
    fits: impl Fn(&Action) -> Result<(), String>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if zone(&section.timezone).is_none() {
        out.push((
            "schedules.timezone".to_string(),
            format!(
                "{:?} is not a time zone name like \"UTC\" or \"Europe/Berlin\"",
                section.timezone
            ),
        ));
    }
    if section.late_mins == 0 {
        out.push((
            "schedules.late_mins".to_string(),
            "must be at least 1: a notice held up by the channel gap would never go".into(),
        ));
    }
    for (i, entry) in entries.iter().enumerate() {
        let key = format!("schedule[{i}]");
        match entry.checked(i) {
            Ok(s) => {
                if let Err(why) = fits(&s.action) {
                    out.push((key, why));
                }
            }
            Err(problems) => out.extend(problems.into_iter().map(|p| (key.clone(), p))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn weekly() -> Schedule {
        ScheduleEntry {
            cron: "0 18 * * SUN".into(),
            wall: Some("net tonight".into()),
            ..Default::default()
        }
        .checked(0)
        .unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn a_weekly_notice_is_next_due_on_sunday_evening() {
        let s = weekly();
        // Wednesday 2026-03-04 -> Sunday 2026-03-08 18:00 UTC.
        let next = s.next_after(utc(2026, 3, 4, 12, 0, 0), &TimeZone::UTC);
        assert_eq!(next, Some(utc(2026, 3, 8, 18, 0, 0)));
        // At its own time, the next is a week on: it never fires twice in a minute.
        let after = s.next_after(utc(2026, 3, 8, 18, 0, 0), &TimeZone::UTC);
        assert_eq!(after, Some(utc(2026, 3, 15, 18, 0, 0)));
        let after = s.next_after(utc(2026, 3, 8, 18, 0, 30), &TimeZone::UTC);
        assert_eq!(after, Some(utc(2026, 3, 15, 18, 0, 0)));
        assert_eq!(
            s.latest_at_or_before(utc(2026, 3, 9, 1, 0, 0), &TimeZone::UTC),
            Some(utc(2026, 3, 8, 18, 0, 0))
        );
    }

    #[test]
    fn a_named_zone_follows_its_daylight_saving() {
        let s = weekly();
        let berlin = zone("Europe/Berlin").unwrap();
        // 18:00 in Berlin is 17:00 UTC in winter (CET) ...
        assert_eq!(
            s.next_after(utc(2026, 3, 4, 0, 0, 0), &berlin),
            Some(utc(2026, 3, 8, 17, 0, 0))
        );
        // ... and 16:00 UTC after the clocks go forward (CEST, 29 March 2026).
        assert_eq!(
            s.next_after(utc(2026, 3, 30, 0, 0, 0), &berlin),
            Some(utc(2026, 4, 5, 16, 0, 0))
        );
    }

    #[test]
    fn zone_names_are_found_in_any_case_and_nothing_else_is() {
        let berlin = zone(" europe/BERLIN ").expect("a zone in any case");
        assert_eq!(berlin.iana_name(), Some("Europe/Berlin"));
        assert_eq!(zone("UTC"), Some(TimeZone::UTC));
        // Names only: no path reaches a file, and no abbreviation stands for a zone.
        for bad in [
            "",
            "Mars/Olympus",
            "../../etc/passwd",
            "/usr/share/zoneinfo/UTC",
            "CEST",
        ] {
            assert_eq!(zone(bad), None, "{bad:?} was taken");
        }
    }

    #[test]
    fn only_five_field_cron_is_taken() {
        assert!(parse_cron("0 18 * * SUN").is_ok());
        assert!(parse_cron("*/15 8-17 * * MON-FRI").is_ok());
        for bad in [
            "0 0 18 * * SUN",
            "0 18 * *",
            "61 * * * *",
            "0 18 * * FUNDAY",
            "",
        ] {
            assert!(parse_cron(bad).is_err(), "{bad:?} was taken");
        }
    }

    #[test]
    fn every_problem_of_every_schedule_is_named() {
        let entries = vec![
            ScheduleEntry {
                cron: "0 18 * * SUN".into(),
                post: Some(PostAction {
                    board: "general".into(),
                    text: "ok".into(),
                }),
                ..Default::default()
            },
            ScheduleEntry {
                cron: "every sunday".into(),
                wall: Some("  ".into()),
                ..Default::default()
            },
            ScheduleEntry {
                cron: "0 * * * *".into(),
                ..Default::default()
            },
            ScheduleEntry {
                cron: "0 * * * *".into(),
                wall: Some("a".into()),
                beacon: Some("b".into()),
                ..Default::default()
            },
            ScheduleEntry {
                cron: "0 * * * *".into(),
                beacon: Some("far too long".into()),
                ..Default::default()
            },
        ];
        let section = SchedulesSection {
            timezone: "Mars/Olympus".into(),
            late_mins: 0,
        };
        let fits = |a: &Action| {
            if matches!(a, Action::Beacon(t) if t.len() > 5) {
                Err("too long".to_string())
            } else {
                Ok(())
            }
        };
        let said = problems(&section, &entries, fits);
        let keys: Vec<&str> = said.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "schedules.timezone",
                "schedules.late_mins",
                "schedule[1]",
                "schedule[1]",
                "schedule[2]",
                "schedule[3]",
                "schedule[4]"
            ],
            "{said:#?}"
        );
        assert!(said[3].1.contains("wall text is empty"), "{said:#?}");
    }

    #[test]
    fn the_toml_shape_parses_and_the_file_check_names_each_problem() {
        use crate::config::Config;
        let p = std::path::Path::new("x.toml");
        let text = "[schedules]\ntimezone = \"Europe/Berlin\"\n\n\
                    [[schedule]]\ncron = \"0 18 * * SUN\"\n\
                    post = { board = \"general\", text = \"Net tonight.\" }\n\n\
                    [[schedule]]\ncron = \"30 19 * * SUN\"\nwall = \"Net soon.\"\n";
        let cfg = Config::from_toml(text, p).unwrap();
        let s = cfg.schedules();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].action, Action::Wall("Net soon.".into()));
        assert_eq!(cfg.schedules.tz().iana_name(), Some("Europe/Berlin"));
        let long = "x".repeat(300);
        let text = format!(
            "[[schedule]]\ncron = \"0 18 * * SUN\"\nwall = \"{long}\"\n\n\
             [[schedule]]\ncron = \"0 25 * * *\"\npost = {{ board = \"general\", text = \"\" }}\n"
        );
        let e = Config::from_toml(&text, p).unwrap_err().to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 3, "{e}");
        assert!(
            lines[0].contains("schedule[0]") && lines[0].contains("one packet"),
            "{e}"
        );
        assert!(
            lines[1].contains("schedule[1]") && lines[1].contains("cron"),
            "{e}"
        );
        assert!(lines[2].contains("post.text is empty"), "{e}");
        // An unknown action is the parser's problem, named.
        let e = Config::from_toml("[[schedule]]\ncron = \"0 * * * *\"\nshout = \"x\"\n", p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("shout"), "{e}");
    }

    #[test]
    fn the_key_follows_the_schedule_not_its_place() {
        let a = weekly();
        let mut b = ScheduleEntry {
            cron: " 0 18 * * SUN ".into(),
            wall: Some("net tonight".into()),
            ..Default::default()
        }
        .checked(7)
        .unwrap();
        assert_eq!(a.key(), b.key());
        b.action = Action::Wall("other".into());
        assert_ne!(a.key(), b.key());
    }
}
