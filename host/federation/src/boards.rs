//! Board names between systems. TC2-BBS-mesh has four boards, General, Info, News and
//! Urgent (its `bulletin_menu_handlers` in message_processing.py); a meshmush BBS has
//! whatever its wizards made. `[federation] boards` maps TC2 names to local boards;
//! meshmush peers use the same names on both sides.

use meshmush_core::config::federation::{Dialect, FederationSection};

/// The mapping, from the config.
#[derive(Debug, Clone, Default)]
pub struct BoardMap {
    /// (TC2 name, local board), as configured.
    table: Vec<(String, String)>,
}

/// Where an incoming bulletin goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An existing local board (its name as stored).
    Board(String),
    /// No board here; create this one (`create_boards = true`).
    Create(String),
    /// No board here, and none may be made: refuse.
    Unknown,
}

impl BoardMap {
    pub fn from_config(cfg: &FederationSection) -> Self {
        Self {
            table: cfg
                .boards
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// The local board for a bulletin a `dialect` peer put on `remote`, given the
    /// boards that exist here.
    pub fn incoming(
        &self,
        remote: &str,
        dialect: Dialect,
        local: &[String],
        create: bool,
    ) -> Target {
        let existing = |name: &str| local.iter().find(|b| b.eq_ignore_ascii_case(name)).cloned();
        let wanted = match dialect {
            Dialect::Tc2 => self
                .table
                .iter()
                .find(|(tc2, _)| tc2.eq_ignore_ascii_case(remote))
                .map_or(remote, |(_, here)| here.as_str()),
            Dialect::Meshmush => remote,
        };
        match existing(wanted) {
            Some(b) => Target::Board(b),
            None if create => Target::Create(wanted.to_lowercase()),
            None => Target::Unknown,
        }
    }

    /// The board name a TC2 peer is told for local board `local`: the entry spelled
    /// like it, else the first entry that maps to it; none if no entry maps to it.
    pub fn outgoing_tc2(&self, local: &str) -> Option<String> {
        let to_it = || {
            self.table
                .iter()
                .filter(|(_, here)| here.eq_ignore_ascii_case(local))
        };
        to_it()
            .find(|(tc2, _)| tc2.eq_ignore_ascii_case(local))
            .or_else(|| to_it().next())
            .map(|(tc2, _)| tc2.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tc2_boards_map_both_ways() {
        let map = BoardMap::from_config(&FederationSection::default());
        let local = vec!["general".to_string(), "news".into(), "help".into()];
        let tc2 = |b: &str| map.incoming(b, Dialect::Tc2, &local, false);
        assert_eq!(tc2("General"), Target::Board("general".into()));
        assert_eq!(tc2("urgent"), Target::Board("general".into()));
        assert_eq!(tc2("News"), Target::Board("news".into()));
        assert_eq!(tc2("help"), Target::Board("help".into()), "same name");
        assert_eq!(tc2("Trading"), Target::Unknown);
        assert_eq!(
            map.incoming("Trading", Dialect::Tc2, &local, true),
            Target::Create("trading".into())
        );
        assert_eq!(
            map.incoming("Urgent", Dialect::Meshmush, &local, false),
            Target::Unknown,
            "meshmush peers use board names as they are"
        );
        assert_eq!(map.outgoing_tc2("general").as_deref(), Some("General"));
        assert_eq!(map.outgoing_tc2("news").as_deref(), Some("News"));
        assert_eq!(map.outgoing_tc2("help"), None);
    }
}
