//! The per-language texts of the TOML files (`name.fi = "..."`,
//! `label = { fi = "...", sv = "..." }`): found by walking the document, and
//! set with toml_edit so that every other line keeps its form and comments.

use toml_edit::{DocumentMut, Item, TableLike, Value};

use crate::content::Lang;

/// Per-language fields that are addresses or slugs, not words to translate.
const NOT_TEXT: &[&str] = &["url", "slug"];

/// One per-language text of a TOML file.
#[derive(Debug, Clone)]
pub struct TomlText {
    /// Stable key: `name`, `organisation.name`, `channel[chat].name`,
    /// `emergency[0].label` (an element's `id` where it has one).
    pub key: String,
    /// The field's name (`name`, `label`, …).
    pub field: String,
    /// The table it belongs to: `channel`, `organisation`, … or `` at the top.
    pub table: String,
    /// The source-language text.
    pub source: String,
    /// The text in the target language, if given.
    pub target: Option<String>,
}

/// Every text of a document that has a source-language version. A plain
/// string is a source-language text where the content format allows one
/// (`owner` in path.toml).
pub fn texts(doc: &DocumentMut, source: Lang, target: Lang, plain: &[&str]) -> Vec<TomlText> {
    let mut out = Vec::new();
    walk(doc.as_table(), "", "", source, target, plain, &mut out);
    out
}

fn walk(
    table: &dyn TableLike,
    prefix: &str,
    table_name: &str,
    source: Lang,
    target: Lang,
    plain: &[&str],
    out: &mut Vec<TomlText>,
) {
    for (key, item) in table.iter() {
        let path = format!("{prefix}{key}");
        if let Some(inner) = item.as_table_like() {
            let text = inner.get(source.code()).and_then(Item::as_str);
            match text {
                Some(text) if !NOT_TEXT.contains(&key) => {
                    if !text.trim().is_empty() {
                        out.push(TomlText {
                            key: path,
                            field: key.to_string(),
                            table: table_name.to_string(),
                            source: text.to_string(),
                            target: inner
                                .get(target.code())
                                .and_then(Item::as_str)
                                .filter(|t| !t.trim().is_empty())
                                .map(str::to_string),
                        });
                    }
                }
                Some(_) => {}
                None => walk(inner, &format!("{path}."), key, source, target, plain, out),
            }
        } else if let Some(array) = item.as_array_of_tables() {
            for (i, element) in array.iter().enumerate() {
                let name = element_name(element, i);
                walk(
                    element,
                    &format!("{path}[{name}]."),
                    key,
                    source,
                    target,
                    plain,
                    out,
                );
            }
        } else if let Some(text) = item.as_str() {
            if plain.contains(&key) && !text.trim().is_empty() {
                out.push(TomlText {
                    key: path,
                    field: key.to_string(),
                    table: table_name.to_string(),
                    source: text.to_string(),
                    target: None,
                });
            }
        }
    }
}

/// An array element's name in a key: its `id`, or its position.
fn element_name(table: &toml_edit::Table, index: usize) -> String {
    match table.get("id").and_then(Item::as_str) {
        Some(id) if !id.contains(['.', '[', ']']) => id.to_string(),
        _ => index.to_string(),
    }
}

/// Sets the `lang` text at `key`, keeping the comment and spacing of a text
/// that is replaced. A plain source-language string becomes an inline table
/// with both languages. Returns false when the key leads nowhere.
pub fn set(doc: &mut DocumentMut, key: &str, source: Lang, lang: Lang, text: &str) -> bool {
    let mut steps = split_key(key);
    let Some(last) = steps.pop() else {
        return false;
    };
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for (name, element) in steps {
        let Some(item) = table.get_mut(&name) else {
            return false;
        };
        table = match element {
            None => match item.as_table_like_mut() {
                Some(t) => t,
                None => return false,
            },
            Some(element) => {
                let Some(array) = item.as_array_of_tables_mut() else {
                    return false;
                };
                let Some(found) = array
                    .iter_mut()
                    .enumerate()
                    .find(|(i, t)| element_name(t, *i) == element)
                    .map(|(_, t)| t)
                else {
                    return false;
                };
                found
            }
        };
    }
    let (name, _) = last;
    let Some(item) = table.get_mut(&name) else {
        return false;
    };
    if let Some(plain) = item.as_str().map(str::to_string) {
        let mut both = toml_edit::InlineTable::new();
        both.insert(source.code(), Value::from(plain));
        both.insert(lang.code(), Value::from(text));
        let decor = item.as_value().map(|v| v.decor().clone());
        let mut value = Value::InlineTable(both);
        if let Some(decor) = decor {
            *value.decor_mut() = decor;
        }
        *item = Item::Value(value);
        return true;
    }
    if let Some(inline) = item.as_inline_table_mut() {
        if !inline.contains_key(lang.code()) {
            // `{ fi = "…" }` becomes `{ fi = "…", sv = "…" }`: the space
            // before `}` moves from the last text to the new one.
            let mut value = Value::from(text);
            if let Some((_, last)) = inline.iter_mut().last() {
                let suffix = last.decor().suffix().cloned();
                last.decor_mut().set_suffix("");
                value.decor_mut().set_prefix(" ");
                if let Some(suffix) = suffix {
                    value.decor_mut().set_suffix(suffix);
                }
            }
            inline.insert(lang.code(), value);
            return true;
        }
    }
    let Some(texts) = item.as_table_like_mut() else {
        return false;
    };
    match texts.get_mut(lang.code()).and_then(Item::as_value_mut) {
        Some(value) => {
            let decor = value.decor().clone();
            *value = Value::from(text);
            *value.decor_mut() = decor;
        }
        None => {
            texts.insert(lang.code(), Item::Value(Value::from(text)));
        }
    }
    true
}

/// `a[x].b` as `[("a", Some("x")), ("b", None)]`.
fn split_key(key: &str) -> Vec<(String, Option<String>)> {
    key.split('.')
        .map(|step| match step.split_once('[') {
            Some((name, rest)) => (
                name.to_string(),
                Some(rest.trim_end_matches(']').to_string()),
            ),
            None => (step.to_string(), None),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FI: Lang = Lang::FI;
    const SV: Lang = Lang::SV;

    #[test]
    fn finds_texts_in_tables_arrays_and_dotted_keys() {
        let doc: DocumentMut = "name.fi = \"Nimi\"\nname.sv = \"Namn\"\nbase_url = \"https://x/\"\n\n[organisation]\nname = { fi = \"Alue\" }\nurl.fi = \"https://x/fi\"\n\n[[channel]]\nid = \"chat\"\nname.fi = \"Chat\"\n\n[[emergency]]\nnumber = \"112\"\nlabel.fi = \"Hätä\"\n\n[plain_language.jargon.fi]\n\"termi\" = \"sana\"\n"
            .parse()
            .unwrap();
        let found: Vec<(String, Option<String>)> = texts(&doc, FI, SV, &[])
            .into_iter()
            .map(|t| (t.key, t.target))
            .collect();
        assert_eq!(
            found,
            [
                ("name".to_string(), Some("Namn".to_string())),
                ("organisation.name".into(), None),
                ("channel[chat].name".into(), None),
                ("emergency[0].label".into(), None),
            ]
        );
    }

    #[test]
    fn setting_keeps_comments_and_other_lines() {
        let text = "# Kanavat\n[[channel]]\nid = \"chat\"\nname.fi = \"Chat\"  # lyhyt\nname.sv = \"Vanha\"  # kort\nkind = \"chat\"\ndescription.fi = \"Kysy.\"\n\n[[channel]]\nid = \"puhelin\"\nname = { fi = \"Puhelin\" }\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        assert!(set(&mut doc, "channel[chat].name", FI, SV, "Chatt"));
        assert!(set(&mut doc, "channel[puhelin].name", FI, SV, "Telefon"));
        assert!(set(&mut doc, "channel[chat].description", FI, SV, "Fråga."));
        assert!(!set(&mut doc, "channel[nothing].name", FI, SV, "x"));
        assert_eq!(
            doc.to_string(),
            "# Kanavat\n[[channel]]\nid = \"chat\"\nname.fi = \"Chat\"  # lyhyt\nname.sv = \"Chatt\"  # kort\nkind = \"chat\"\ndescription.fi = \"Kysy.\"\ndescription.sv = \"Fråga.\"\n\n[[channel]]\nid = \"puhelin\"\nname = { fi = \"Puhelin\", sv = \"Telefon\" }\n"
        );
    }

    #[test]
    fn a_plain_source_string_becomes_a_table_of_both() {
        let mut doc: DocumentMut = "owner = \"Neuvonta\" # tiimi\ntopic = \"x\"\n"
            .parse()
            .unwrap();
        let found = texts(&doc, FI, SV, &["owner"]);
        assert_eq!(found[0].key, "owner");
        assert!(set(&mut doc, "owner", FI, SV, "Rådgivningen"));
        assert_eq!(
            doc.to_string(),
            "owner = { fi = \"Neuvonta\", sv = \"Rådgivningen\" } # tiimi\ntopic = \"x\"\n"
        );
    }
}
