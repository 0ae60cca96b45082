//! Words for someone else to read, made before it is known who reads them: a room
//! notice is heard by everyone in the room, each in their own language, and the
//! command that makes it neither knows who is there nor reads their habits. So a
//! notice from the catalogue is rendered once per offered language (three renders,
//! no I/O), and the delivery, which resolves the room and already reads each
//! listener's habits (for `nospoof`), hands each listener theirs.

use std::fmt;

use crate::lang::Lang;

/// One text everyone reads, or one message in every offered language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words(Vec<String>);

impl Words {
    /// One text, the same for every reader (the world's own words, or a notice
    /// already rendered in its one reader's language).
    pub fn one(text: impl Into<String>) -> Self {
        Self(vec![text.into()])
    }

    /// `render` in each offered language (what `words!` makes).
    pub fn each(render: impl Fn(Lang) -> String) -> Self {
        Self(Lang::all().map(render).collect())
    }

    /// Whether the text depends on the reader's language (then the delivery reads it).
    pub fn varies(&self) -> bool {
        self.0.len() > 1
    }

    /// The text as a reader of `lang` reads it.
    pub fn in_lang(&self, lang: Lang) -> &str {
        self.0
            .get(lang.index())
            .or_else(|| self.0.first())
            .map_or("", String::as_str)
    }

    /// The text in English (or the one text): what a log or a test reads.
    pub fn as_str(&self) -> &str {
        self.in_lang(Lang::EN)
    }
}

impl From<String> for Words {
    fn from(text: String) -> Self {
        Self::one(text)
    }
}

impl From<&str> for Words {
    fn from(text: &str) -> Self {
        Self::one(text)
    }
}

impl PartialEq<&str> for Words {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Words {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Display for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reader_reads_their_language_and_one_text_is_everyones() {
        let de = Lang::parse("de").expect("offered");
        let w = crate::words!("mail-notice", name = "Ann");
        assert!(w.varies());
        assert_eq!(w, "New mail from Ann.");
        assert_eq!(w.in_lang(de), "Neue Mail von Ann.");
        let one = Words::one("Ann waves");
        assert!(!one.varies());
        assert_eq!(one.in_lang(de), "Ann waves");
    }
}
