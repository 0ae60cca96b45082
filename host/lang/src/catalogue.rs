//! The catalogues, parsed once: one Fluent bundle per language, a message rendered
//! in the player's language or, when that language lacks it, in English. Problems
//! found while parsing (a syntax error, a key twice) are kept for the checks, never
//! a panic: the texts are the binary's own, and the tests hold them to no problems.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::lang::{Lang, OFFERED};

/// The prefix of the messages that are a language's command aliases, not texts:
/// `alias-help = hilfe` makes `hilfe` run `help`.
pub(crate) const ALIAS_PREFIX: &str = "alias-";

/// A value for a message's placeable: text, or a number (which picks plural forms).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Self::Text(s.clone())
    }
}

impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Self {
        Self::Text(s.into_owned())
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Self::Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(u8, u16, u32, u64, usize, i32, i64);

/// One language's parsed catalogue.
struct Book {
    bundle: FluentBundle<FluentResource>,
    /// The catalogue's text, for the checks that read its entries.
    source: &'static str,
}

/// Every language's messages.
pub struct Catalogue {
    books: Vec<Book>,
    /// What parsing found wrong, as `code: problem` (see [`Catalogue::problems`]).
    problems: Vec<String>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::load);

/// The catalogues embedded in this binary.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

impl Catalogue {
    /// Parses every offered language's embedded catalogue.
    fn load() -> Self {
        let sources: Vec<(&str, &'static str)> = OFFERED.iter().map(|o| (o.code, o.ftl)).collect();
        Self::from_sources(&sources)
    }

    /// A catalogue of `(code, ftl)` texts, in [`Lang`] order (English first): the
    /// shipped one, or a test's.
    pub fn from_sources(sources: &[(&str, &'static str)]) -> Self {
        let mut problems = Vec::new();
        let books = sources
            .iter()
            .map(|&(code, source)| {
                let (bundle, found) = bundle(code, source);
                problems.extend(found.into_iter().map(|p| format!("{code}: {p}")));
                Book { bundle, source }
            })
            .collect();
        Self { books, problems }
    }

    /// Syntax errors and duplicate keys found while parsing, one a line; the tests
    /// require none.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    fn book(&self, lang: Lang) -> Option<&Book> {
        self.books.get(lang.index())
    }

    /// Whether `lang`'s own catalogue has `key` (no fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.book(lang).is_some_and(|b| b.bundle.has_message(key))
    }

    /// Message `key` in `lang`, or in English when `lang` lacks it; `None` when
    /// neither has it.
    pub fn try_text(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> Option<String> {
        [lang, Lang::EN]
            .into_iter()
            .find_map(|l| self.render(l, key, None, args))
    }

    /// Message `key` in `lang` (English when `lang` lacks it). A key no catalogue has
    /// is a bug in the caller: it is logged and the key itself is returned, so the
    /// player reads something and the BBS goes on.
    pub fn text(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        self.try_text(lang, key, args).unwrap_or_else(|| {
            tracing::warn!(key, "no catalogue has this message");
            key.to_string()
        })
    }

    /// Attribute `attr` of message `key` in `lang`'s own catalogue (`.longer`).
    pub fn attribute(&self, lang: Lang, key: &str, attr: &str) -> Option<String> {
        self.render(lang, key, Some(attr), &[])
    }

    /// Renders `key` (or its attribute) from `lang`'s own catalogue.
    fn render(
        &self,
        lang: Lang,
        key: &str,
        attr: Option<&str>,
        args: &[(&str, Arg)],
    ) -> Option<String> {
        let bundle = &self.book(lang)?.bundle;
        let message = bundle.get_message(key)?;
        let pattern = match attr {
            Some(a) => message.get_attribute(a)?.value(),
            None => message.value()?,
        };
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(s) => fluent.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => fluent.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent), &mut errors);
        if !errors.is_empty() {
            // A placeable the caller did not give: the text still reads, with the
            // argument's name in braces; the budget test gives every one.
            tracing::debug!(key, ?errors, "message rendered with errors");
        }
        Some(text.into_owned())
    }

    /// The keys of `lang`'s own catalogue that are texts (not aliases), in file order.
    pub fn keys(&self, lang: Lang) -> Vec<&str> {
        self.entries(lang)
            .filter(|id| !id.starts_with(ALIAS_PREFIX))
            .collect()
    }

    /// `(command, alias)` for every alias `lang` adds (`alias-help = hilfe` gives
    /// `("help", "hilfe")`; several aliases are separated by spaces).
    pub fn aliases(&self, lang: Lang) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for id in self.entries(lang) {
            let Some(command) = id.strip_prefix(ALIAS_PREFIX) else {
                continue;
            };
            let words = self.render(lang, id, None, &[]).unwrap_or_default();
            for alias in words.split_whitespace() {
                out.push((command.to_string(), alias.to_string()));
            }
        }
        out
    }

    /// The message ids of `lang`'s catalogue, in file order.
    fn entries(&self, lang: Lang) -> impl Iterator<Item = &str> {
        let source = self.book(lang).map(|b| b.source).unwrap_or_default();
        crate::syntax::message_ids(source).into_iter()
    }

    /// The variables (`$name`) message `key` uses in `lang`, its attributes' aside.
    pub fn variables(&self, lang: Lang, key: &str) -> Vec<String> {
        self.book(lang)
            .and_then(|b| b.bundle.get_message(key))
            .and_then(|m| m.value())
            .map(crate::syntax::variables)
            .unwrap_or_default()
    }
}

/// A bundle for `code` from the catalogue text `ftl`, and what was wrong with it.
fn bundle(code: &str, ftl: &str) -> (FluentBundle<FluentResource>, Vec<String>) {
    let mut problems = Vec::new();
    let langid = code.parse().unwrap_or_else(|e| {
        problems.push(format!("language tag {code:?}: {e}"));
        unic_langid::LanguageIdentifier::default()
    });
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Fluent wraps each placeable in Unicode isolation marks (FSI/PDI, 3 bytes each)
    // for right-to-left text; none of ours is, and every byte is airtime.
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(ftl.to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            problems.extend(errors.iter().map(|e| format!("syntax: {e:?}")));
            r
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        problems.extend(errors.iter().map(|e| format!("{e}")));
    }
    (bundle, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::t;

    #[test]
    fn the_shipped_catalogues_parse_without_problems() {
        assert_eq!(catalogue().problems(), &[] as &[String]);
    }

    #[test]
    fn a_key_a_language_lacks_falls_back_to_english_and_an_unknown_key_is_itself() {
        let two = Catalogue::from_sources(&[
            ("en", "hi = Hello, { $name }.\nbye = Bye.\n"),
            ("de", "hi = Hallo, { $name }.\n"),
        ]);
        let de = Lang::parse("de").expect("offered");
        let name = [("name", Arg::from("Ann"))];
        assert_eq!(two.text(de, "hi", &name), "Hallo, Ann.");
        assert_eq!(two.text(de, "bye", &[]), "Bye.");
        assert!(!two.has(de, "bye"));
        assert_eq!(two.text(de, "no-such-key", &[]), "no-such-key");
        assert_eq!(two.try_text(de, "no-such-key", &[]), None);
    }

    #[test]
    fn numbers_pick_plural_forms_and_no_isolation_marks_are_added() {
        let text = t!(Lang::EN, "mail-new-count", n = 1, from = "Bob");
        assert_eq!(text, "1 new mail from Bob.");
        assert!(!text.contains('\u{2068}'), "no FSI: {text:?}");
        let de = Lang::parse("de").expect("offered");
        assert_eq!(
            t!(de, "mail-new-count", n = 2, from = "Bob, Cy"),
            "2 neue Mails von Bob, Cy."
        );
    }
}
