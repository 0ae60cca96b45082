//! The standard command set: the core's families and every domain's, in the order
//! players see them in `help`. Kept apart from the registry, which every command file
//! imports, so that the registry itself names no command file.

use meshmush_core::commands::{DIRECTIONS, account, admin, basic, registry::Registry};

/// Every command meshmush knows, with the aliases the languages add (`hilfe`,
/// `ayuda`). A catalogue whose aliases collide with anything is refused whole, and
/// said so in the log: its commands still work by their own names. (The shipped
/// catalogues are held to no collisions by a test.)
pub fn standard() -> Registry {
    let mut r = commands();
    if let Err(clashes) = r.add_language_aliases(meshmush_lang::catalogue(), DIRECTIONS) {
        for clash in clashes {
            tracing::error!(%clash, "language alias refused; no language aliases are in use");
        }
    }
    r
}

/// The commands alone, before any language's aliases.
pub fn commands() -> Registry {
    let mut r = Registry::default();
    basic::register(&mut r);
    account::register(&mut r);
    meshmush_bbs::register(&mut r);
    meshmush_world::register(&mut r);
    meshmush_world::register_wizard(&mut r);
    admin::register(&mut r);
    meshmush_bbs::register_operator(&mut r);
    meshmush_world::register_content(&mut r);
    r
}
