//! Player names: what a node asks to be called, cleaned up into something every other
//! player can read and type on a phone, and never ambiguous with a command word.
//!
//! Names are unique case-insensitively; the `player_names` tree is keyed by
//! [`index_key`] (the lowercased name).

use super::error::StoreError;

/// The longest name, in characters, suffix included.
pub const MAX_NAME_CHARS: usize = 24;

/// Words no player may be called (compared case-insensitively), after TinyMUX's
/// bad-name list: they mean something else in commands.
pub const RESERVED_NAMES: [&str; 8] = [
    "here", "me", "home", "all", "everyone", "wizard", "admin", "you",
];

/// Cleans up a wanted name: drops control characters, trims, collapses runs of
/// whitespace to one space, and cuts to [`MAX_NAME_CHARS`] characters. May be empty.
pub fn sanitise_name(wanted: &str) -> String {
    let words: Vec<String> = wanted
        .split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect();
    truncate(&words.join(" "), MAX_NAME_CHARS)
}

/// Whether `name` is one of [`RESERVED_NAMES`], ignoring case.
pub fn is_reserved_name(name: &str) -> bool {
    RESERVED_NAMES
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
}

/// The name a node gets when it asked for nothing usable: `Node` and the last four hex
/// digits of its node number, as the Meshtastic apps show short names.
pub fn fallback_name(node: u32) -> String {
    format!("Node{:04x}", node & 0xffff)
}

/// Whether `name` only stands in for a name `node` has not announced yet: its node id
/// (`!4d4d1002`, what a player is called who spoke before the BBS heard their
/// NodeInfo) or its [`fallback_name`].
pub(super) fn is_stand_in(name: &str, node: u32) -> bool {
    let fallback = fallback_name(node);
    let suffixed = name
        .get(..fallback.len())
        .filter(|head| head.eq_ignore_ascii_case(&fallback))
        .and_then(|_| name[fallback.len()..].strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    name.eq_ignore_ascii_case(&format!("!{node:08x}"))
        || name.eq_ignore_ascii_case(&fallback)
        || suffixed
}

/// The sanitised wanted name, or the node's fallback name if that is empty or reserved.
pub(super) fn base_name(wanted: &str, node: u32) -> String {
    let name = sanitise_name(wanted);
    if name.is_empty() || is_reserved_name(&name) {
        fallback_name(node)
    } else {
        name
    }
}

/// `base` with `-n` appended, the base cut so the whole stays within the limit.
pub(super) fn with_suffix(base: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    format!("{}{suffix}", truncate(base, room))
}

/// Accepts a name for a rename only if it is already in its sanitised form.
pub(super) fn validate(name: &str) -> Result<(), StoreError> {
    if name.is_empty() || is_reserved_name(name) || sanitise_name(name) != name {
        return Err(StoreError::InvalidName(name.to_owned()));
    }
    Ok(())
}

/// The `player_names` key for a name.
pub(super) fn index_key(name: &str) -> Vec<u8> {
    name.to_lowercase().into_bytes()
}

fn truncate(name: &str, max_chars: usize) -> String {
    let cut: String = name.chars().take(max_chars).collect();
    cut.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises() {
        assert_eq!(sanitise_name("  Ada \t\n Lovelace  "), "Ada Lovelace");
        assert_eq!(sanitise_name("Bo\u{7}b\u{0}"), "Bob");
        assert_eq!(sanitise_name("a \u{1b} b"), "a b");
        assert_eq!(sanitise_name("\u{7}\t "), "");
        assert_eq!(
            sanitise_name(&"x".repeat(40)).chars().count(),
            MAX_NAME_CHARS
        );
        // A cut that lands on a space does not leave it dangling.
        assert_eq!(
            sanitise_name(&format!("{} b", "a".repeat(23))),
            "a".repeat(23)
        );
        assert_eq!(sanitise_name("Zoë 🦜"), "Zoë 🦜");
    }

    #[test]
    fn falls_back_for_empty_or_reserved() {
        assert_eq!(base_name("", 0x1a2b), "Node1a2b");
        assert_eq!(base_name("HeRe", 0xdead1a2b), "Node1a2b");
        assert_eq!(base_name(" everyone ", 0x5), "Node0005");
        assert_eq!(base_name("Homer", 0x5), "Homer");
    }

    #[test]
    fn suffixes_fit() {
        assert_eq!(with_suffix("alice", 2), "alice-2");
        let long = "y".repeat(MAX_NAME_CHARS);
        let named = with_suffix(&long, 12);
        assert_eq!(named.chars().count(), MAX_NAME_CHARS);
        assert!(named.ends_with("y-12"));
    }

    #[test]
    fn validates_renames() {
        assert!(validate("Alice B").is_ok());
        for bad in ["", " Alice", "Alice  B", "me", "ADMIN", "a\u{7}"] {
            assert!(
                matches!(validate(bad), Err(StoreError::InvalidName(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn index_is_case_insensitive() {
        assert_eq!(index_key("ALICE"), index_key("alice"));
    }
}
