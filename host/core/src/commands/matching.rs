//! Finding what a player means by a word: an exact name first (any case), then the
//! only name that starts with it. Commands, exits, things, boards and players online
//! are all matched this one way.

/// What a word matched.
#[derive(Debug, PartialEq, Eq)]
pub enum Match<'a, T> {
    One(&'a T),
    /// Several names start with the word.
    Many(Vec<&'a T>),
    None,
}

/// Matches `word` against `items`: `exact(item, lowercased word)` decides an exact
/// match (a name or an alias); otherwise `name(item)` is matched by prefix, ignoring
/// case. An empty word matches nothing by prefix.
pub fn find<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    word: &str,
    exact: impl Fn(&T, &str) -> bool,
    name: impl Fn(&T) -> &str,
) -> Match<'a, T> {
    let lower = word.trim().to_lowercase();
    let mut prefixed = Vec::new();
    for item in items {
        if exact(item, &lower) {
            return Match::One(item);
        }
        if !lower.is_empty() && name(item).to_lowercase().starts_with(&lower) {
            prefixed.push(item);
        }
    }
    match prefixed.len() {
        0 => Match::None,
        1 => Match::One(prefixed[0]),
        _ => Match::Many(prefixed),
    }
}

/// The item called `word`, or the only one whose name starts with it.
pub fn exact_or_unique_prefix<'a, T>(
    items: &'a [T],
    word: &str,
    name: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    match find(items, word, |t, w| name(t).to_lowercase() == w, &name) {
        Match::One(t) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beats_prefix_and_two_prefixes_are_many() {
        let names = ["lamp", "lampshade", "apple"];
        let m = |w: &str| find(&names, w, |n, w| *n == w, |n| n);
        assert_eq!(m("LAMP"), Match::One(&"lamp"));
        assert_eq!(m("lamps"), Match::One(&"lampshade"));
        assert_eq!(m("la"), Match::Many(vec![&"lamp", &"lampshade"]));
        assert_eq!(m(""), Match::None);
        assert_eq!(m("pear"), Match::None);
        assert_eq!(exact_or_unique_prefix(&names, "ap", |n| n), Some(&"apple"));
    }
}
