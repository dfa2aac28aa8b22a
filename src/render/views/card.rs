//! Channel cards, rendered once per channel, language and heading level.
//!
//! A channel shows on the pages of every path that uses it, often in
//! several phases: a site of 1,000 paths renders the same dozen cards tens
//! of thousands of times. Templates ask for a card with
//! `{{ channel_card(c, level=4, card_id="...") }}`; the partial
//! `partials/channel-card.html` is rendered the first time a channel, a
//! language and a level meet, and every later card is that text with its
//! own `card_id` put in.
//!
//! The contract that makes this safe (docs/theming.md): the partial sees
//! only `c`, `level`, `card_id`, `t`, `site` and `lang`, so nothing of the
//! page can leak from one page's card into another's (anything else is an
//! undefined value, an error). Whether `card_id` is used as it is, and only
//! there, is verified rather than assumed: each card is rendered with two
//! different stand-ins for it, and unless both renderings split into the
//! same text around their stand-ins (a partial that changes `card_id`, or a
//! channel text that happens to contain a stand-in), that card is rendered
//! anew every time.

use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Kwargs, Object};
use minijinja::{context, Error, State, Value};

/// The partial a card is rendered from.
pub const CARD_PARTIAL: &str = "partials/channel-card.html";

/// The fix for an error in that partial, which is most often a value of the
/// page it cannot see.
pub const CARD_HINT: &str = "a channel card is made once per channel, language and heading level and shared by every page that shows the channel: `partials/channel-card.html` sees only `c`, `level`, `card_id`, `t`, `site` and `lang` (docs/theming.md)";

/// Two stand-ins for `card_id`: characters of Unicode's private use area,
/// which no escaping changes and no county's text uses.
const STAND_INS: [&str; 2] = ["\u{e000}card-id-a\u{e001}", "\u{e000}card-id-b\u{e001}"];

/// A card split around its `card_id`s (joined with the id, it is the card),
/// or `None` when the card cannot be reused.
type Parts = Option<Arc<[String]>>;

/// A channel as templates see it (`c.name`, `c.hours`, ...) for one
/// language, with the cards made of it so far.
#[derive(Debug)]
pub(super) struct ChannelValue {
    fields: Value,
    /// The card at each heading level made so far.
    cards: Mutex<Vec<(i64, Parts)>>,
}

impl ChannelValue {
    pub(super) fn value(fields: Value) -> Value {
        Value::from_object(ChannelValue {
            fields,
            cards: Mutex::new(Vec::new()),
        })
    }
}

impl Object for ChannelValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.fields.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}

/// The template function `channel_card(c, level=N, card_id="...")`.
pub fn channel_card(state: &State, c: Value, kwargs: Kwargs) -> Result<Value, Error> {
    let level: i64 = kwargs.get("level")?;
    let card_id: String = kwargs.get("card_id")?;
    kwargs.assert_all_used()?;
    let parts = match c.downcast_object_ref::<ChannelValue>() {
        Some(channel) => {
            let known = lock(&channel.cards)
                .iter()
                .find(|(l, _)| *l == level)
                .map(|(_, parts)| parts.clone());
            match known {
                Some(parts) => parts,
                None => {
                    let parts = reusable(state, &c, level)?;
                    lock(&channel.cards).push((level, parts.clone()));
                    parts
                }
            }
        }
        None => None,
    };
    let html = match parts {
        Some(parts) => {
            let mut id = String::new();
            super::super::escape_into(&mut id, &card_id)?;
            parts.join(&id)
        }
        None => render(state, &c, level, &card_id)?,
    };
    Ok(Value::from_safe_string(html))
}

/// The card split around `card_id`, if the two stand-ins split it alike.
fn reusable(state: &State, c: &Value, level: i64) -> Result<Parts, Error> {
    let [a, b] = STAND_INS;
    let first = render(state, c, level, a)?;
    let second = render(state, c, level, b)?;
    let parts: Vec<String> = first.split(a).map(str::to_string).collect();
    let same = second.split(b).eq(parts.iter().map(String::as_str));
    Ok(same.then(|| parts.into()))
}

fn render(state: &State, c: &Value, level: i64, card_id: &str) -> Result<String, Error> {
    state.env().get_template(CARD_PARTIAL)?.render(context! {
        c => c,
        level => level,
        card_id => card_id,
        t => state.lookup("t"),
        site => state.lookup("site"),
        lang => state.lookup("lang"),
    })
}

/// The cache stays usable after a panic elsewhere: its entries are whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
