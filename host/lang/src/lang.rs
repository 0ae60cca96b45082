//! The languages a BBS offers: a code players type (`lang de`), the name a speaker
//! calls it by, and its catalogue's text, embedded in the binary.

use std::fmt;

/// One language on offer.
#[derive(Debug)]
pub struct Offered {
    /// What `lang CODE` takes and the config's `[bbs] language` names (BCP 47).
    pub code: &'static str,
    /// The language's name in itself (`Deutsch`).
    pub name: &'static str,
    /// The catalogue, `locales/CODE.ftl`.
    pub(crate) ftl: &'static str,
}

/// Every language, English first: English is complete by definition, and the
/// fallback for any key another language lacks.
pub const OFFERED: &[Offered] = &[
    Offered {
        code: "en",
        name: "English",
        ftl: include_str!("../locales/en.ftl"),
    },
    Offered {
        code: "de",
        name: "Deutsch",
        ftl: include_str!("../locales/de.ftl"),
    },
    Offered {
        code: "es",
        name: "Español",
        ftl: include_str!("../locales/es.ftl"),
    },
];

/// A language on offer (an index into [`OFFERED`], so it is `Copy` and always valid).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Lang(usize);

impl Lang {
    /// English, the fallback.
    pub const EN: Self = Self(0);

    /// The language `code` names (any case; `de-AT` is `de`), if offered.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        OFFERED
            .iter()
            .position(|o| o.code.eq_ignore_ascii_case(primary))
            .map(Self)
    }

    /// Every language on offer, English first.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..OFFERED.len()).map(Self)
    }

    pub fn code(self) -> &'static str {
        self.offered().code
    }

    /// The language's name in itself.
    pub fn name(self) -> &'static str {
        self.offered().name
    }

    pub(crate) fn index(self) -> usize {
        self.0
    }

    fn offered(self) -> &'static Offered {
        // Built only by `parse`, `all` and `EN`, so always in range.
        &OFFERED[self.0]
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The codes on offer, as `help` and `lang` list them: `de en es`.
pub fn codes() -> String {
    OFFERED.iter().map(|o| o.code).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_in_any_case_and_with_a_region() {
        assert_eq!(Lang::parse("de"), Some(Lang(1)));
        assert_eq!(Lang::parse("ES"), Some(Lang(2)));
        assert_eq!(Lang::parse("de-AT"), Some(Lang(1)));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::EN.code(), "en");
        assert_eq!(codes(), "en de es");
    }
}
