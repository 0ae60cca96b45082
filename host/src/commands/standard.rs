//! The standard command set: the core's families and every domain's `register`, in the
//! order players see them in `help`. Kept apart from the registry, which every command
//! file imports, so that the registry itself names no command file.

use meshmush_core::commands::registry::Registry;

/// Every command meshmush knows.
pub fn standard() -> Registry {
    let mut r = Registry::default();
    meshmush_core::commands::basic::register(&mut r);
    meshmush_core::commands::account::register(&mut r);
    super::boards::register(&mut r);
    super::compose::register(&mut r);
    super::board_admin::register(&mut r);
    super::mail::register(&mut r);
    super::survey::register(&mut r);
    super::look::register(&mut r);
    super::talk::register(&mut r);
    super::things::register(&mut r);
    super::build::register(&mut r);
    super::wizard_moves::register(&mut r);
    meshmush_core::commands::admin::register(&mut r);
    super::channel::register(&mut r);
    super::peers::register(&mut r);
    super::world::register(&mut r);
    r
}
