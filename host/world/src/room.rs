//! The room a player stands in, as the world's command families (look, talk, things,
//! build, admin) share it: finding the room, finding an object by the words a player
//! typed, locks, the one-line room view, and arriving somewhere (with the notices the
//! rooms hear).

use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::matching::{Match, find};
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{CommandError, Reply, user};
use meshmush_core::commands::text::echo;
use meshmush_core::events::Event;
use meshmush_lang::{Lang, t, words};
use meshmush_store::{
    ClaimRefusal, DealRefusal, Level, Lock, Object, ObjectKind, Place, PlayerState, StoreError,
    WorldRefusal,
};

/// Longest object name, in characters.
pub(super) const MAX_OBJECT_NAME: usize = 32;

/// A store error in words for the player, in `lang`, when it is a refusal of the
/// world's (a move, a deal, a house claim).
pub(super) fn refusal(lang: Lang, e: StoreError) -> CommandError {
    let key = match e {
        StoreError::World(WorldRefusal::NoSuchObject(n)) => {
            return user(t!(lang, "refused-no-object", n = n));
        }
        StoreError::World(WorldRefusal::NotARoom(n)) => {
            return user(t!(lang, "refused-not-a-room", n = n));
        }
        StoreError::World(WorldRefusal::NotEnoughCoins)
        | StoreError::Deal(DealRefusal::NotEnoughCoins)
        | StoreError::House(ClaimRefusal::NotEnoughCoins) => "refused-coins",
        StoreError::World(WorldRefusal::Moved) => "refused-moved",
        StoreError::World(WorldRefusal::NotEmpty) => "refused-not-empty",
        StoreError::World(WorldRefusal::StartRoom) => "refused-start-room",
        StoreError::World(WorldRefusal::NoWorld) => "refused-no-world",
        StoreError::Deal(DealRefusal::NotHeld) => "refused-not-held",
        StoreError::Deal(DealRefusal::SoldOut) => "refused-sold-out",
        StoreError::Deal(DealRefusal::TillEmpty) => "refused-till-empty",
        StoreError::House(ClaimRefusal::Taken) => "refused-house-taken",
        StoreError::House(ClaimRefusal::Cap) => "refused-house-cap",
        other => return other.into(),
    };
    user(t!(lang, key))
}

/// The player's state and the room they are in. A player whose room has gone (it was
/// destroyed) is put back in the start room.
pub(super) async fn here(ctx: &Ctx) -> Result<(PlayerState, Object), CommandError> {
    let state = ctx.store().player_state(ctx.node).await?;
    if let Some(room) = ctx.store().object(state.location).await? {
        return Ok((state, room));
    }
    let start = ctx
        .store()
        .start_room()
        .await?
        .ok_or_else(|| user(t!(ctx.lang, "world-empty")))?;
    let state = ctx
        .store()
        .move_player(ctx.node, start)
        .await
        .map_err(|e| refusal(ctx.lang, e))?;
    let room = ctx
        .store()
        .object(start)
        .await?
        .ok_or_else(|| user(t!(ctx.lang, "world-empty")))?;
    Ok((state, room))
}

/// `#12` as an id.
pub(super) fn parse_id(word: &str) -> Option<u64> {
    word.strip_prefix('#')?.parse().ok()
}

/// Picks the object `word` names among `candidates`: an exact name or alias first, then
/// the only name that starts with it, or `#id`.
pub(super) fn pick<'o>(candidates: &'o [Object], word: &str) -> Option<&'o Object> {
    let word = word.trim();
    if let Some(id) = parse_id(word) {
        return candidates.iter().find(|o| o.id == id);
    }
    match find(candidates, word, |o, w| o.answers_to(w), |o| &o.name) {
        Match::One(o) => Some(o),
        _ => None,
    }
}

/// The object a player means: `here`, something carried, something in the room (things
/// and exits), or, for builders, any `#id`.
pub(super) async fn find_near(
    ctx: &Ctx,
    room: &Object,
    word: &str,
) -> Result<Object, CommandError> {
    if word.eq_ignore_ascii_case("here") {
        return Ok(room.clone());
    }
    let mut near = ctx.store().contents(Place::Player(ctx.node)).await?;
    near.extend(ctx.store().contents(Place::Object(room.id)).await?);
    if let Some(o) = pick(&near, word) {
        return Ok(o.clone());
    }
    if let Some(id) = parse_id(word)
        && ctx.level() >= Level::Builder
        && let Some(o) = ctx.store().object(id).await?
    {
        return Ok(o);
    }
    Err(user(t!(ctx.lang, "see-no", word = echo(word))))
}

/// "No player called ..." for the name `who` the player typed.
pub(super) fn no_player(ctx: &Ctx, who: &str) -> CommandError {
    user(t!(ctx.lang, "no-player", word = echo(who)))
}

/// Whether the player may pass `lock` (an exit) or take the thing it is on.
pub(super) async fn passes(ctx: &Ctx, object: &Object) -> Result<bool, CommandError> {
    Ok(match object.lock {
        None => true,
        _ if ctx.level() >= Level::Wizard => true,
        // A house's guests pass its owner's lock (see `world/housing.rs`).
        Some(Lock::Owner) => {
            object.owner == ctx.node || object.has_flag(&format!("guest:{}", ctx.node))
        }
        Some(Lock::Player(node)) => node == ctx.node || object.owner == ctx.node,
        Some(Lock::Key(key)) => {
            object.owner == ctx.node
                || ctx
                    .store()
                    .contents(Place::Player(ctx.node))
                    .await?
                    .iter()
                    .any(|o| o.id == key)
        }
    })
}

/// Whether the player may change `object`: its owner, or a wizard.
pub(super) fn controls(ctx: &Ctx, object: &Object) -> bool {
    ctx.level() >= Level::Wizard || (object.owner != 0 && object.owner == ctx.node)
}

/// Players a room's description names before it just counts the rest: a crowded
/// square should not cost a dozen packets of names.
const HERE_NAMES: usize = 6;

/// A room as one short text: name, description, exits, things, people.
pub(super) async fn room_view(
    ctx: &Ctx,
    room: &Object,
    long: bool,
) -> Result<String, CommandError> {
    let contents = ctx.store().contents(Place::Object(room.id)).await?;
    let builder = ctx.level() >= Level::Builder;
    let visible = |o: &&Object| builder || !o.has_flag("dark");
    let exits: Vec<&str> = contents
        .iter()
        .filter(|o| o.kind == ObjectKind::Exit)
        .filter(visible)
        .map(|o| o.name.as_str())
        .collect();
    let things: Vec<&str> = contents
        .iter()
        .filter(|o| o.kind == ObjectKind::Thing)
        .filter(visible)
        .map(|o| o.name.as_str())
        .collect();
    let (people, present) = ctx.roster().sample_room(room.id, ctx.node, HERE_NAMES);
    let desc = if long && !room.long_desc.is_empty() {
        &room.long_desc
    } else {
        &room.short_desc
    };
    let mut out = room.name.clone();
    if builder {
        out.push_str(&format!(" #{}", room.id));
    }
    if !desc.is_empty() {
        out.push_str(": ");
        out.push_str(desc);
    }
    let lang = ctx.lang;
    if !exits.is_empty() {
        out.push('\n');
        out.push_str(&t!(lang, "room-exits", list = exits.join(", ")));
    }
    if !things.is_empty() {
        out.push('\n');
        out.push_str(&t!(lang, "room-things", list = things.join(", ")));
    }
    out.push_str(&crate::content_play::presence::npcs_line(ctx, room.id));
    let list = people.join(", ");
    match present - people.len() {
        _ if people.is_empty() => {}
        0 => out.push_str(&format!("\n{}", t!(lang, "room-here", list = list))),
        more => out.push_str(&format!(
            "\n{}",
            t!(
                lang,
                "room-here-more",
                list = list,
                more = more,
                total = present
            )
        )),
    }
    Ok(out)
}

/// How a player left a room, as those still in it hear it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Leaving<'a> {
    /// By this exit.
    By(&'a str),
    Home,
    /// A wizard moved them.
    Vanishes,
    /// The world's content moved them.
    MovedAway,
}

/// Moves the player into `to`: the new room's view, notices for the rooms left and
/// entered (each listener reads them in their language), and the [`Event::Moved`]
/// that says so (if the player changed rooms).
pub(super) async fn arrive(ctx: &Ctx, from: u64, to: u64, leaving: Leaving<'_>) -> Reply {
    let name = ctx.player.name.clone();
    match ctx.store().move_player(ctx.node, to).await {
        Ok(_) => {}
        Err(StoreError::World(WorldRefusal::NoSuchObject(_) | WorldRefusal::NotARoom(_))) => {
            return Err(user(t!(ctx.lang, "leads-nowhere-now")));
        }
        Err(e) => return Err(e.into()),
    }
    ctx.roster().place(ctx.node, &name, to);
    let room = ctx
        .store()
        .object(to)
        .await?
        .ok_or_else(|| refusal(ctx.lang, StoreError::World(WorldRefusal::NoSuchObject(to))))?;
    let out = Outcome::reply(room_view(ctx, &room, false).await?);
    if from == to {
        return Ok(out);
    }
    let left = match leaving {
        Leaving::By(exit) => words!("room-leaves", name = &name, exit = exit),
        Leaving::Home => words!("room-goes-home", name = &name),
        Leaving::Vanishes => words!("room-vanishes", name = &name),
        Leaving::MovedAway => words!("room-moved-away", name = &name),
    };
    Ok(out
        .to_room(from, ctx.node, left)
        .to_room(to, ctx.node, words!("room-arrives", name = &name))
        .with_event(Event::Moved { from, to }))
}

/// Checks a new object name.
pub(super) fn check_name(lang: Lang, name: &str) -> Result<(), CommandError> {
    if name.is_empty()
        || name.chars().count() > MAX_OBJECT_NAME
        || name.chars().any(char::is_control)
    {
        return Err(user(t!(lang, "name-plain", max = MAX_OBJECT_NAME)));
    }
    if name.starts_with('#') || name.eq_ignore_ascii_case("here") || name.eq_ignore_ascii_case("me")
    {
        return Err(user(t!(lang, "build-name-reserved", word = echo(name))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thing(id: u64, name: &str, aliases: &[&str]) -> Object {
        let mut o = Object::new(ObjectKind::Thing, name, 0);
        o.id = id;
        o.aliases = aliases.iter().map(|a| a.to_string()).collect();
        o
    }

    #[test]
    fn pick_prefers_exact_names_then_unique_prefixes() {
        let all = [
            thing(1, "lamp", &["lantern"]),
            thing(2, "lampshade", &[]),
            thing(3, "apple", &[]),
        ];
        let id = |w: &str| pick(&all, w).map(|o| o.id);
        assert_eq!(id("LAMP"), Some(1));
        assert_eq!(id("lantern"), Some(1));
        assert_eq!(id("lamps"), Some(2));
        assert_eq!(id("ap"), Some(3));
        assert_eq!(id("#2"), Some(2));
        assert_eq!(id("la"), None, "ambiguous");
        assert_eq!(id(""), None);
        assert_eq!(id("#9"), None);
    }

    #[test]
    fn names_are_checked() {
        let check = |name: &str| check_name(Lang::EN, name);
        assert!(check("Workshop").is_ok());
        assert!(check(&"x".repeat(MAX_OBJECT_NAME + 1)).is_err());
        assert!(check("#3").is_err());
        assert!(check("here").is_err());
        assert!(check("").is_err());
    }
}
