//! Channel cards, link items and shared includes, rendered once per
//! channel (or link), language and heading level, or once per language and
//! values for an include.
//!
//! A channel shows on the pages of every path that uses it, often in
//! several phases, and a curated link on many paths: a site of 1,000 paths
//! renders the same dozen cards and the same few hundred links tens of
//! thousands of times. Templates ask for them with
//! `{{ channel_card(c, level=4, card_id="...") }}` and `{{ link_item(l) }}`;
//! the partial (`partials/channel-card.html`, `partials/link-item.html`) is
//! rendered the first time a channel or link, a language and a level meet,
//! and every later one is that text (a card with its own `card_id` put in).
//!
//! The contract that makes this safe (docs/theming.md): the partial sees
//! only its item (`c` or `l`), `t`, `site` and `lang`, and a card also
//! `level` and `card_id`, so nothing of one page can leak into another's
//! (anything else is an undefined value, an error). Whether `card_id` is
//! used as it is, and only there, is verified rather than assumed: each
//! card is rendered with two different stand-ins for it, and unless both
//! renderings split into the same text around their stand-ins (a partial
//! that changes `card_id`, or a channel text that happens to contain a
//! stand-in), that card is rendered anew every time.
//!
//! `{{ shared_include("partials/footer.html") }}` does the same for a part
//! of the page that is the same on every page of a language (the footer,
//! the emergency numbers, the search field) or the same for the same values
//! (`shared_include("partials/segments.html", segments=path.segments)`):
//! it is rendered once per language and values, with only those values,
//! `t`, `site` and `lang`, and kept on the language's `site` value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use minijinja::value::ValueKind;
use minijinja::value::{Enumerator, Kwargs, Object};
use minijinja::{context, Error, State, Value};

/// The partial a channel card is rendered from.
pub const CARD_PARTIAL: &str = "partials/channel-card.html";

/// The partial a curated link's list item is rendered from.
pub const LINK_PARTIAL: &str = "partials/link-item.html";

/// The fix for an error in one of those partials, which is most often a
/// value of the page it cannot see.
pub fn shared_partial_hint(name: &str, includes: &BTreeSet<String>) -> Option<&'static str> {
    match name {
        _ if includes.contains(name) => Some("this partial is a shared include, made once per language (and values given to it) and shared by every page: it sees only the values given in `shared_include(...)`, `t`, `site` and `lang`; pass what it needs, e.g. `shared_include(\"partials/segments.html\", segments=path.segments)` (docs/theming.md)"),
        CARD_PARTIAL => Some("a channel card is made once per channel, language and heading level and shared by every page that shows the channel: `partials/channel-card.html` sees only `c`, `level`, `card_id`, `t`, `site` and `lang` (docs/theming.md)"),
        LINK_PARTIAL => Some("a link's list item is made once per link and language and shared by every page that shows the link: `partials/link-item.html` sees only `l`, `t`, `site` and `lang` (docs/theming.md)"),
        _ => None,
    }
}

/// Two stand-ins for `card_id`: characters of Unicode's private use area,
/// which no escaping changes and no county's text uses.
const STAND_INS: [&str; 2] = ["\u{e000}card-id-a\u{e001}", "\u{e000}card-id-b\u{e001}"];

/// A rendering split around its `card_id`s (joined with the id, it is the
/// rendering), or `None` when it cannot be reused.
type Parts = Option<Arc<[String]>>;

/// What a rendering is kept by.
#[derive(Debug)]
enum Key {
    /// A channel card or link item: the partial and the heading level (0
    /// for a link item).
    Item(&'static str, i64),
    /// A shared include: the partial's name and the values given to it
    /// (see [`key_of`]), and the values themselves, kept alive with the
    /// rendering so that no address in the key can be another value's.
    Include { key: String, _values: Value },
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Item(a, x), Key::Item(b, y)) => a == b && x == y,
            (Key::Include { key: a, .. }, Key::Include { key: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// A channel or link as templates see it (`c.name`, `l.href`, ...) for one
/// language, with what was rendered of it so far; also a language's `site`,
/// with the shared includes rendered for that language.
#[derive(Debug)]
pub(super) struct SharedValue {
    fields: Value,
    /// The renderings made so far.
    rendered: Mutex<Vec<(Key, Parts)>>,
}

impl SharedValue {
    pub(super) fn value(fields: Value) -> Value {
        Value::from_object(SharedValue {
            fields,
            rendered: Mutex::new(Vec::new()),
        })
    }
}

impl Object for SharedValue {
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
    let render = |id: &str| {
        render(
            state,
            CARD_PARTIAL,
            context! { c => &c, level => level, card_id => id },
        )
    };
    let parts = once(&c, Key::Item(CARD_PARTIAL, level), || {
        let [a, b] = STAND_INS;
        let (first, second) = (render(a)?, render(b)?);
        let parts: Vec<String> = first.split(a).map(str::to_string).collect();
        let same = second.split(b).eq(parts.iter().map(String::as_str));
        Ok(same.then(|| parts.into()))
    })?;
    let html = match parts {
        Some(parts) => {
            let mut id = String::new();
            super::super::escape_into(&mut id, &card_id)?;
            parts.join(&id)
        }
        None => render(&card_id)?,
    };
    Ok(Value::from_safe_string(html))
}

/// The template function `link_item(l)`: a curated link as a list item.
pub fn link_item(state: &State, l: Value) -> Result<Value, Error> {
    whole(&l, Key::Item(LINK_PARTIAL, 0), || {
        render(state, LINK_PARTIAL, context! { l => &l })
    })
}

/// The template function `shared_include(name, **values)`: the partial
/// `name` rendered with `values`, `t`, `site` and `lang` only, once per
/// language and values.
pub fn shared_include(state: &State, name: &str, values: Kwargs) -> Result<Value, Error> {
    let mut own = BTreeMap::new();
    let mut key = name.to_string();
    for arg in values.args() {
        let value: Value = values.get(arg)?;
        let _ = write!(key, "\u{0}{arg}=");
        key_of(&value, &mut key);
        own.insert(arg, value);
    }
    let own = Value::from(own);
    let site = state.lookup("site").unwrap_or_default();
    let key = Key::Include {
        key,
        _values: own.clone(),
    };
    whole(&site, key, || render(state, name, own))
}

/// The partials a template's text names in `shared_include("...")` (or
/// with single quotes), for error hints.
pub fn shared_include_names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices("shared_include(")
        .filter_map(|(at, call)| {
            let rest = text[at + call.len()..].trim_start();
            let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let name = &rest[1..];
            Some(name[..name.find(quote)?].to_string())
        })
}

/// Writes `value` into `key` so that two values a template could tell
/// apart never write the same key: every string, number and flag, and
/// whether a string is marked safe. A shared value (a segment, a channel)
/// is written as itself, by address: it is made once per language and
/// item, and the rendering keeps it alive with its key.
fn key_of(value: &Value, key: &mut String) {
    if let Some(shared) = value.downcast_object_ref::<SharedValue>() {
        let _ = write!(key, "@{:p}", shared as *const SharedValue);
        return;
    }
    match value.kind() {
        ValueKind::Map => {
            key.push('{');
            for k in value.try_iter().into_iter().flatten() {
                key_of(&k, key);
                key.push(':');
                key_of(&value.get_item(&k).unwrap_or_default(), key);
                key.push(',');
            }
            key.push('}');
        }
        ValueKind::Seq | ValueKind::Iterable => {
            key.push('[');
            for item in value.try_iter().into_iter().flatten() {
                key_of(&item, key);
                key.push(',');
            }
            key.push(']');
        }
        _ => {
            if value.is_safe() {
                key.push('!');
            }
            let _ = write!(key, "{value:?}");
        }
    }
}

/// A rendering with nothing put in per page (a link item, a shared
/// include), made once under `key` on `item` (see [`once`]).
fn whole(
    item: &Value,
    key: Key,
    make: impl FnOnce() -> Result<String, Error>,
) -> Result<Value, Error> {
    let parts = once(item, key, || Ok(Some(Arc::from([make()?]))))?;
    Ok(Value::from_safe_string(
        parts.map(|p| p.concat()).unwrap_or_default(),
    ))
}

/// What `make` renders of `item` under `key`, made the first time it is
/// asked for when `item` is a [`SharedValue`], every time otherwise.
fn once(
    item: &Value,
    key: Key,
    make: impl FnOnce() -> Result<Parts, Error>,
) -> Result<Parts, Error> {
    let Some(shared) = item.downcast_object_ref::<SharedValue>() else {
        return make();
    };
    let known = lock(&shared.rendered)
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, parts)| parts.clone());
    if let Some(parts) = known {
        return Ok(parts);
    }
    let parts = make()?;
    lock(&shared.rendered).push((key, parts.clone()));
    Ok(parts)
}

/// Renders a shared partial with its own values and the page language's
/// `t`, `site` and `lang`, and nothing else of the page.
fn render(state: &State, partial: &str, own: Value) -> Result<String, Error> {
    let language = context! {
        t => state.lookup("t"),
        site => state.lookup("site"),
        lang => state.lookup("lang"),
    };
    state
        .env()
        .get_template(partial)?
        .render(context! { ..own, ..language })
}

/// The cache stays usable after a panic elsewhere: its entries are whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(value: Value) -> String {
        let mut key = String::new();
        key_of(&value, &mut key);
        key
    }

    #[test]
    fn values_a_template_can_tell_apart_have_different_keys() {
        let values = [
            Value::from("1"),
            Value::from(1),
            Value::from(true),
            Value::from(()),
            Value::UNDEFINED,
            Value::from("<b>"),
            Value::from_safe_string("<b>".into()),
            Value::from(vec!["a,b"]),
            Value::from(vec!["a", "b"]),
            Value::from(vec![vec!["a"], vec!["b"]]),
            Value::from_iter([("a", "b")]),
            Value::from_iter([("a", "c")]),
            Value::from_iter([("a,b", "c")]),
            SharedValue::value(Value::from_iter([("label", "S1")])),
            SharedValue::value(Value::from_iter([("label", "S2")])),
        ];
        let keys: BTreeSet<String> = values.iter().cloned().map(key).collect();
        assert_eq!(keys.len(), values.len(), "{keys:#?}");
        // The same values give the same key; a shared value is itself.
        let shared = SharedValue::value(Value::from_iter([("label", "S1")]));
        assert_eq!(
            key(Value::from(vec![shared.clone()])),
            key(Value::from(vec![shared]))
        );
        assert_eq!(
            key(Value::from_iter([("label", "S1")])),
            key(Value::from_iter([("label", "S1")]))
        );
    }

    #[test]
    fn the_names_of_shared_includes_are_found_in_a_templates_text() {
        let text = r#"{{ shared_include("partials/footer.html") }}
            {{ shared_include( 'partials/a.html', x=1) }} {{ shared_include(name) }}"#;
        let names: Vec<String> = shared_include_names(text).collect();
        assert_eq!(names, ["partials/footer.html", "partials/a.html"]);
    }
}
