//! Houses from `houses.toml`: `@house claim`. (Being built.)

use super::super::registry::Registry;

pub fn register(_r: &mut Registry) {}
