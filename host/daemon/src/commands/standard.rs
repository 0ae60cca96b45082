//! The standard command set: the core's families and every domain's, in the order
//! players see them in `help`. Kept apart from the registry, which every command file
//! imports, so that the registry itself names no command file.

use meshmush_core::commands::{account, admin, basic, registry::Registry};

/// Every command meshmush knows.
pub fn standard() -> Registry {
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
