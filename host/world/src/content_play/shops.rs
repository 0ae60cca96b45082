//! Shops from `shops.toml`: `list` what the shop in this room has, `buy ITEM`,
//! `sell ITEM`. The player's coins, the shop's till and stock and the thing change
//! hands in one store transaction (see `Store::deal`): a crash never makes or loses a
//! coin. Stock comes back over time, up to each item's `max`.

use super::super::room::{here, pick};
use super::plan::{finish, plan};
use meshmush_core::commands::ctx::Ctx;
use meshmush_core::commands::outcome::Outcome;
use meshmush_core::commands::registry::{Command, Guard, Registry, Reply, Spec, Usage, user};
use meshmush_core::commands::text::{echo, unix_now};
use meshmush_core::content::Content;
use meshmush_core::content::schema::{ShopDef, StockDef};
use meshmush_core::events::Event;
use meshmush_lang::t;
use meshmush_store::seed::split_names;
use meshmush_store::{Level, ShopSide, ShopTerms};

pub fn register(r: &mut Registry) {
    r.add::<List>();
    r.add::<Buy>();
    r.add::<Sell>();
}

/// A shop's terms for the store.
pub fn terms(s: &ShopDef) -> ShopTerms {
    ShopTerms {
        key: s.key.clone(),
        till: s.till,
        stock: s.stock.iter().map(|st| (st.item.clone(), st.max)).collect(),
        restock_secs: s.restock_mins.saturating_mul(60),
    }
}

fn item_name(c: &Content, key: &str) -> String {
    c.item(key)
        .map_or(key.to_string(), |d| split_names(&d.name).0)
}

/// The stock line `word` names: an item key, name or alias, or a name's start.
fn stock_for<'s>(c: &Content, shop: &'s ShopDef, word: &str) -> Option<&'s StockDef> {
    let word = word.trim().to_lowercase();
    let names = |st: &StockDef| -> Vec<String> {
        let mut v = vec![st.item.to_lowercase()];
        if let Some(d) = c.item(&st.item) {
            let (n, a) = split_names(&d.name);
            v.push(n.to_lowercase());
            v.extend(a.into_iter().map(|a| a.to_lowercase()));
        }
        v
    };
    if let Some(st) = shop.stock.iter().find(|st| names(st).contains(&word)) {
        return Some(st);
    }
    let starts: Vec<&StockDef> = shop
        .stock
        .iter()
        .filter(|st| names(st).iter().any(|n| n.starts_with(&word)))
        .collect();
    match starts.as_slice() {
        [one] if !word.is_empty() => Some(one),
        _ => None,
    }
}

async fn shop_here(
    ctx: &Ctx,
) -> Result<(u64, std::sync::Arc<Content>, ShopDef), meshmush_core::commands::registry::CommandError>
{
    let (_, room) = here(ctx).await?;
    let c = ctx.content().current();
    let Some(shop) = c.shop_in(room.id).cloned() else {
        return Err(user(t!(ctx.lang, "shop-none")));
    };
    Ok((room.id, c, shop))
}

/// `list`.
#[derive(Debug, PartialEq)]
pub struct List;

impl Command for List {
    const SPEC: Spec = Spec {
        name: "list",
        aliases: &["wares"],
        usage: "list",
        help: "what the shop here sells, and for how much",
        level: Level::Player,
    };

    fn parse(_args: &str) -> Result<Self, Usage> {
        Ok(Self)
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (_, c, shop) = shop_here(ctx).await?;
        let state = ctx.store().shop_state(terms(&shop), unix_now()).await?;
        let lang = ctx.lang;
        let wares: Vec<String> = shop
            .stock
            .iter()
            .map(|st| {
                let left = state.stock.get(&st.item).copied().unwrap_or(0);
                let (thing, price) = (item_name(&c, &st.item), st.price);
                if st.buys_for > 0 {
                    let n = st.buys_for;
                    t!(
                        lang,
                        "shop-ware-buys",
                        thing = thing,
                        price = price,
                        left = left,
                        n = n
                    )
                } else {
                    t!(lang, "shop-ware", thing = thing, price = price, left = left)
                }
            })
            .collect();
        Ok(t!(
            lang,
            "shop-list",
            shop = &shop.name,
            list = wares.join("; ")
        )
        .into())
    }
}

/// `buy ITEM`.
#[derive(Debug, PartialEq)]
pub struct Buy {
    pub item: String,
}

impl Command for Buy {
    const SPEC: Spec = Spec {
        name: "buy",
        aliases: &[],
        usage: "buy ITEM",
        help: "buy from the shop here",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("buy-what", vec![]));
        }
        Ok(Self {
            item: args.to_string(),
        })
    }

    fn guard(&self) -> Guard {
        Guard::Account
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (room, c, shop) = shop_here(ctx).await?;
        let Some(st) = stock_for(&c, &shop, &self.item) else {
            let word = echo(&self.item);
            return Err(user(t!(
                ctx.lang,
                "shop-has-no",
                shop = &shop.name,
                word = word
            )));
        };
        let mut plan = plan(ctx).await?;
        if plan.purse() < st.price {
            return Err(user(t!(
                ctx.lang,
                "shop-costs",
                thing = item_name(&c, &st.item),
                price = st.price,
                n = plan.purse()
            )));
        }
        plan.deal.coins_out += st.price;
        plan.give(&c, &st.item);
        plan.deal.shop = Some(ShopSide {
            terms: terms(&shop),
            item: st.item.clone(),
            sells: true,
            now: unix_now(),
        });
        let left = plan.purse();
        let line = t!(
            ctx.lang,
            "shop-bought",
            thing = item_name(&c, &st.item),
            price = st.price,
            left = left
        );
        plan.lines.push(line);
        let mut out = Outcome::default().with_event(Event::Bought {
            item: st.item.clone(),
            price: st.price,
        });
        finish(ctx, plan, room, &mut out, 0).await?;
        Ok(out)
    }
}

/// `sell ITEM`.
#[derive(Debug, PartialEq)]
pub struct Sell {
    pub item: String,
}

impl Command for Sell {
    const SPEC: Spec = Spec {
        name: "sell",
        aliases: &[],
        usage: "sell ITEM",
        help: "sell something you carry to the shop here",
        level: Level::Player,
    };

    fn parse(args: &str) -> Result<Self, Usage> {
        if args.is_empty() {
            return Err(Usage::key("sell-what", vec![]));
        }
        Ok(Self {
            item: args.to_string(),
        })
    }

    fn guard(&self) -> Guard {
        Guard::Account
    }

    async fn apply(self, ctx: &mut Ctx) -> Reply {
        let (room, c, shop) = shop_here(ctx).await?;
        let mut plan = plan(ctx).await?;
        let Some(thing) = pick(&plan.held, &self.item).cloned() else {
            return Err(user(t!(ctx.lang, "carry-no", word = echo(&self.item))));
        };
        let st = c
            .item_of(&thing)
            .and_then(|d| shop.stock.iter().find(|st| st.item == d.key))
            .filter(|st| st.buys_for > 0);
        let Some(st) = st else {
            let (shop, thing) = (&shop.name, &thing.name);
            return Err(user(t!(
                ctx.lang,
                "shop-not-buying",
                shop = shop,
                thing = thing
            )));
        };
        plan.take(thing.id);
        plan.deal.coins_in += st.buys_for;
        plan.deal.shop = Some(ShopSide {
            terms: terms(&shop),
            item: st.item.clone(),
            sells: false,
            now: unix_now(),
        });
        let left = plan.purse();
        let line = t!(
            ctx.lang,
            "shop-sold",
            thing = &thing.name,
            n = st.buys_for,
            left = left
        );
        plan.lines.push(line);
        let mut out = Outcome::default().with_event(Event::Sold {
            thing: thing.id,
            item: st.item.clone(),
            price: st.buys_for,
        });
        finish(ctx, plan, room, &mut out, 0).await?;
        Ok(out)
    }
}
