//! Every player in their own words: the message catalogues (one Fluent file per
//! language under `locales/`, embedded at compile time), the languages offered, the
//! command aliases a language adds, and the checks a catalogue must pass (no key
//! missing without being reported, no alias colliding with a command or another
//! alias, no message past its packet budget).
//!
//! Low in the graph on purpose: it knows no command, store or config, so the core
//! and every domain crate render their texts through it (`t!(ctx.lang, "key", ...)`).
//! Why Fluent and not a TOML table, and which commands speak through it, is in
//! ARCHITECTURE.md ("Languages").

mod catalogue;
pub mod checks;
mod lang;
mod syntax;
mod words;

#[cfg(test)]
mod budget;

pub use catalogue::{Arg, Catalogue, catalogue};
pub use lang::{Lang, OFFERED, Offered, codes};
pub use words::Words;

/// Renders the catalogue's message `key` in `lang`, with named arguments:
/// `t!(ctx.lang, "mail-sent", name = &to.name)`. A key the language lacks falls back
/// to English (see [`Catalogue::text`]).
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::catalogue().text(
            $lang,
            $key,
            &[$((stringify!($name), $crate::Arg::from($value))),*],
        )
    };
}

/// The catalogue's message `key` in every offered language, for a reader not known
/// yet: `words!("say-room", name = me, text = &text)` (arguments as [`t!`](crate::t)).
#[macro_export]
macro_rules! words {
    ($key:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Words::each(|lang| $crate::t!(lang, $key $(, $name = $value)*))
    };
}
