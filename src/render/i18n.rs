//! UI strings from `themes/<theme>/i18n/<lang>.toml`.

use crate::code::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::content::{parse_toml, read_source_noting, Lang};
use crate::diagnostics::{display_path, Diagnostic, Severity};

/// Every UI string of the theme, per language.
#[derive(Debug, Clone)]
pub struct Translations {
    tables: BTreeMap<Lang, toml::Table>,
}

impl Translations {
    /// Loads `fi.toml` and `sv.toml` and checks that both define the same keys.
    pub fn load(dir: &Path, languages: &[Lang]) -> Result<Translations, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut tables = BTreeMap::new();
        let mut keys: BTreeMap<Lang, (BTreeSet<String>, crate::diagnostics::SourceFile)> =
            BTreeMap::new();
        for &lang in languages {
            let path = dir.join(format!("{}.toml", lang.code()));
            if !path.exists() {
                diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        Code::MissingFile,
                        display_path(&path),
                        format!("the theme has no UI strings for the language `{}` (listed in site.toml's `languages`)", lang.code()),
                    )
                    .with_hint(format!(
                        "create {}: copy en.toml beside it and translate every string, including the addresses under [sections]",
                        display_path(&path).display()
                    )),
                );
                continue;
            }
            let file = match read_source_noting(&path) {
                Ok((f, warning)) => {
                    diags.extend(warning);
                    f
                }
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            match parse_toml::<toml::Table>(&file) {
                Ok(table) => {
                    let mut set = BTreeSet::new();
                    flatten("", &table, &mut set);
                    keys.insert(lang, (set, file));
                    tables.insert(lang, table);
                }
                Err(d) => diags.push(d),
            }
        }
        // A key in one language but not another is an error in the file that lacks it.
        let all: BTreeSet<String> = keys.values().flat_map(|(k, _)| k.iter().cloned()).collect();
        for (lang, (set, file)) in &keys {
            for key in all.difference(set) {
                let other = keys
                    .iter()
                    .find(|(l, (s, _))| *l != lang && s.contains(key))
                    .map(|(_, (_, f))| f.path.display().to_string())
                    .unwrap_or_default();
                diags.push(missing_string(
                    file,
                    key,
                    format!(
                        "add `{key}` in the {} language; it is defined in {other}",
                        lang.code()
                    ),
                ));
            }
        }
        // Every language names its section addresses: `[sections]`.
        for (lang, (_, file)) in &keys {
            for section in super::Section::ALL {
                let key = format!("sections.{}", section.key());
                let value = lookup(&tables[lang], &key).and_then(|v| v.as_str());
                let problem = match value {
                    None => Some(format!("the section address `{key}` is missing")),
                    Some(slug) if !crate::content::slug::is_valid_slug(slug) => Some(format!(
                        "the section address `{key} = \"{slug}\"` is not a valid address"
                    )),
                    Some(_) => None,
                };
                if let Some(message) = problem {
                    let span = file
                        .span_of(&format!("{} =", section.key()))
                        .unwrap_or(0..0);
                    diags.push(
                        file.error(Code::InvalidValue, span, message).with_hint(format!(
                            "under `[sections]`, give `{} = \"...\"` in lower-case a-z, digits and hyphens, the word for it in {} (e.g. `channels = \"palvelukanavat\"` in fi.toml)",
                            section.key(),
                            lang.english_name()
                        )),
                    );
                }
            }
        }
        // Every language names every other: "(in Finnish)", "search the
        // same in Swedish", "this page is only in English".
        for (lang, (set, file)) in &keys {
            for other in languages {
                for key in [
                    format!("fallback.in_{}", other.code()),
                    format!("fallback.page_only_in_{}", other.code()),
                    format!("search.in_{}", other.code()),
                ] {
                    // A key another file has is reported above already.
                    if !set.contains(&key) && !all.contains(&key) {
                        diags.push(missing_string(
                            file,
                            &key,
                            format!(
                                "the site is published in {}: add `{key}`, the {} words for it",
                                other.english_name(),
                                lang.english_name()
                            ),
                        ));
                    }
                }
            }
        }
        if diags.is_empty() {
            Ok(Translations { tables })
        } else {
            Err(diags)
        }
    }

    /// The languages these strings are for, in code order.
    pub fn languages(&self) -> Vec<Lang> {
        self.tables.keys().copied().collect()
    }

    /// The whole table of one language, for templates.
    pub fn table(&self, lang: Lang) -> &toml::Table {
        &self.tables[&lang]
    }

    /// One string by dotted key, e.g. `days.mon`; the key itself if missing.
    pub fn get(&self, lang: Lang, key: &str) -> String {
        lookup(self.table(lang), key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| key.to_string())
    }

    /// The address of a section in a language, e.g. `palvelukanavat`.
    pub fn section(&self, lang: Lang, section: super::Section) -> String {
        self.get(lang, &format!("sections.{}", section.key()))
    }
}

/// A UI string missing from a language's file.
fn missing_string(file: &crate::diagnostics::SourceFile, key: &str, hint: String) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Error,
        Code::MissingTranslation,
        &file.path,
        format!("the UI string `{key}` is missing"),
    )
    .with_hint(hint)
}

/// A value by dotted key.
fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut value: Option<&toml::Value> = None;
    let mut table = Some(table);
    for part in key.split('.') {
        value = table.and_then(|t| t.get(part));
        table = value.and_then(|v| v.as_table());
    }
    value
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            _ => {
                out.insert(key);
            }
        }
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    fn load_with(
        files: &[(&str, &str)],
        languages: &[Lang],
    ) -> Result<Translations, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Translations::load(dir.path(), languages)
    }

    const FI: &str = "[fallback]\nin_fi = \"suomeksi\"\nin_en = \"englanniksi\"\npage_only_in_fi = \"x\"\npage_only_in_en = \"x\"\n[search]\nin_fi = \"x\"\nin_en = \"x\"\n[sections]\nchannels = \"palvelukanavat\"\naccessibility = \"saavutettavuusseloste\"\nsearch = \"haku\"\n";

    #[test]
    fn section_addresses_are_required_and_must_be_addresses() {
        let en = FI
            .replace("palvelukanavat", "Service Channels")
            .replace("search = \"haku\"\n", "");
        let diags = load_with(&[("fi.toml", FI), ("en.toml", &en)], &[Lang::FI, Lang::EN])
            .expect_err("errors");
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m
                    .contains("`sections.channels = \"Service Channels\"` is not a valid address")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`sections.search` is missing")),
            "{messages:?}"
        );
        assert!(
            diags.iter().all(|d| d.file.ends_with("en.toml")),
            "{diags:?}"
        );
    }

    #[test]
    fn every_language_names_every_other() {
        let fi = FI.replace("in_en = \"englanniksi\"\n", "");
        let en = FI.replace("suomeksi", "in Finnish");
        let diags = load_with(&[("fi.toml", &fi), ("en.toml", &en)], &[Lang::FI, Lang::EN])
            .expect_err("errors");
        assert!(
            diags.iter().any(|d| d.file.ends_with("fi.toml")
                && d.message.contains("`fallback.in_en` is missing")),
            "{diags:?}"
        );
        // With only Finnish published, nothing about English is required.
        assert!(load_with(&[("fi.toml", &fi)], &[Lang::FI]).is_ok());
    }
}
