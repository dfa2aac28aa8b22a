//! The translators' round trip: `polku translate export` and `import`, on
//! the sample site and the fixture site, read back by translate-toolkit and
//! xmllint, and every refused XLIFF file of tests/fixtures/translate/.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_tree, fixture_content, root, snapshot};

fn polku(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the sample site (fi, sv, en).
fn sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_tree(&root().join("content"), &content);
    (tmp, content)
}

fn export(content: &Path, to: &str, only: &str, out: &Path) {
    let o = polku(&[
        "translate",
        "export",
        "--to",
        to,
        "--only",
        only,
        "--content",
        s(content),
        "--out",
        s(out),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}

fn import(content: &Path, file: &Path) -> Output {
    polku(&["translate", "import", s(file), "--content", s(content)])
}

/// A pseudo-translation of every unit: each run of words of the source
/// marked with `Ⓧ`, every `<ph>` code kept as it is. Existing targets are
/// replaced.
fn pseudo_translate(xliff: &str) -> String {
    let doc = roxmltree::Document::parse(xliff).unwrap();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for unit in doc.descendants().filter(|n| n.has_tag_name("trans-unit")) {
        let source = unit.children().find(|n| n.has_tag_name("source")).unwrap();
        let mut target = String::from("<target state=\"translated\">");
        for child in source.children() {
            if child.is_text() {
                let t = child.text().unwrap();
                let lead = t.len() - t.trim_start().len();
                let words = t.trim();
                let escaped = |s: &str| {
                    s.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                };
                target.push_str(&escaped(&t[..lead]));
                if !words.is_empty() {
                    target.push('Ⓧ');
                    target.push_str(&escaped(words));
                }
                target.push_str(&escaped(&t[lead + words.len()..]));
            } else {
                target.push_str(&xliff[child.range()]);
            }
        }
        target.push_str("</target>");
        match unit.children().find(|n| n.has_tag_name("target")) {
            Some(old) => edits.push((old.range(), target)),
            None => {
                let at = source.range().end;
                edits.push((at..at, format!("\n        {target}")));
            }
        }
    }
    let mut out = xliff.to_string();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    out
}

/// Phase ids, guidance segments and link destinations of a language file:
/// what a translation must keep.
fn structure(md: &str) -> (Vec<String>, Vec<String>) {
    let mut headings = Vec::new();
    let mut links = Vec::new();
    for line in md.lines() {
        if line.starts_with("## ") || line.ends_with("{.guidance}") {
            headings.push(line.rsplit('{').next().unwrap().to_string());
        }
    }
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap();
        links.push(after[..end].to_string());
        rest = &after[end..];
    }
    (headings, links)
}

#[test]
fn an_unchanged_export_imports_without_changing_a_byte() {
    let (tmp, content) = sample();
    // One translation with a byte-order mark and Windows line endings.
    let sv = content.join("paths/alaselkakipu/sv.md");
    let crlf = format!(
        "\u{feff}{}",
        fs::read_to_string(&sv).unwrap().replace('\n', "\r\n")
    );
    fs::write(&sv, crlf).unwrap();
    // And one stale translation: its source changed after confirmation.
    let fi = content.join("paths/nepsy-lapsi/fi.md");
    let changed = fs::read_to_string(&fi)
        .unwrap()
        .replacen("\n\n", "\n\nUusi kappale.\n\n", 1);
    fs::write(&fi, changed).unwrap();
    let before = snapshot(&content);
    for (lang, only) in [("sv", "all"), ("en", "all"), ("sv", "todo")] {
        let file = tmp.path().join(format!("{lang}-{only}.xlf"));
        export(&content, lang, only, &file);
        let o = import(&content, &file);
        assert!(o.status.success(), "{}", text(&o));
        assert!(text(&o).contains("0 files changed."), "{}", text(&o));
        assert!(
            snapshot(&content) == before,
            "{lang} {only}: an unchanged import changed files"
        );
    }
}

#[test]
fn a_pseudo_translation_round_trip_changes_only_the_texts() {
    let (tmp, content) = sample();
    // English lacks one whole path; Swedish lacks one guidance section.
    fs::remove_file(content.join("paths/alaselkakipu/en.md")).unwrap();
    let sv = content.join("paths/raskaudenkeskeytys/sv.md");
    let sv_before = fs::read_to_string(&sv).unwrap();
    let cut_at = sv_before
        .find("### S4 {.guidance}")
        .expect("the sample has S4 guidance");
    let next = sv_before[cut_at + 5..]
        .find("\n## ")
        .map_or(sv_before.len(), |i| cut_at + 5 + i + 1);
    let next = sv_before[cut_at + 5..next]
        .find("\n### ")
        .map_or(next, |i| cut_at + 5 + i + 1);
    let sv_cut = format!("{}{}", &sv_before[..cut_at], &sv_before[next..]);
    fs::write(&sv, &sv_cut).unwrap();
    // And one channel has no English name.
    let channels = content.join("channels.toml");
    let with_en = fs::read_to_string(&channels).unwrap();
    let en_line = "name.en = \"Maternity and child health clinic call back\"\n";
    assert!(with_en.contains(en_line));
    fs::write(&channels, with_en.replacen(en_line, "", 1)).unwrap();
    let before = snapshot(&content);

    // Swedish: only the missing section.
    let missing = tmp.path().join("sv-missing.xlf");
    export(&content, "sv", "missing", &missing);
    let xliff = fs::read_to_string(&missing).unwrap();
    assert_eq!(xliff.matches("<trans-unit ").count(), 1, "{xliff}");
    let translated = tmp.path().join("sv-missing-done.xlf");
    fs::write(&translated, pseudo_translate(&xliff)).unwrap();
    let o = import(&content, &translated);
    assert!(o.status.success(), "{}", text(&o));
    let sv_after = fs::read_to_string(&sv).unwrap();
    assert!(sv_after.contains("### S4 {.guidance}\n\nⓍ"), "{sv_after}");
    assert_eq!(structure(&sv_after).0.len(), structure(&sv_before).0.len());

    // English: everything, from the source.
    let all = tmp.path().join("en-all.xlf");
    export(&content, "en", "all", &all);
    let translated = tmp.path().join("en-done.xlf");
    fs::write(
        &translated,
        pseudo_translate(&fs::read_to_string(&all).unwrap()),
    )
    .unwrap();
    let o = import(&content, &translated);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Confirmed as current"), "{}", text(&o));

    let after = snapshot(&content);
    for (file, bytes) in &before {
        let name = file.to_string_lossy();
        let now = &after[file];
        if name.ends_with("en.md")
            || name.ends_with(".toml")
            || name.ends_with("raskaudenkeskeytys/sv.md")
        {
            continue;
        }
        assert!(now == bytes, "{name} changed");
    }
    for path in [
        "alaselkakipu",
        "mielenterveys-ja-paihdepalvelut",
        "nepsy-lapsi",
        "raskaudenkeskeytys",
        "sosiaalineuvonta-aikuisille",
    ] {
        let fi = fs::read_to_string(content.join(format!("paths/{path}/fi.md"))).unwrap();
        let en = fs::read_to_string(content.join(format!("paths/{path}/en.md"))).unwrap();
        assert_eq!(
            structure(&en),
            structure(&fi),
            "{path}: phases, guidance and links as in the source"
        );
        assert!(en.contains("title = \"Ⓧ"), "{path}: {en}");
        assert!(en.contains("translation_of = \""), "{path}: confirmed");
        // A warning box stays one: its marker is not the translator's.
        assert_eq!(
            en.matches("> [!WARNING]\n> Ⓧ").count(),
            fi.matches("> [!WARNING]\n> ").count(),
            "{path}: {en}"
        );
    }
    // The missing English name is back where it was, translated; every
    // other line of channels.toml is as it was, but for the English texts.
    let channels_after = fs::read_to_string(&channels).unwrap();
    let expected_line = "name.en = \"ⓍEhkäisyneuvolan takaisinsoitto\"\n";
    let at = with_en.find(en_line).unwrap();
    assert_eq!(&channels_after[at..at + expected_line.len()], expected_line);
    for (old, new) in with_en.lines().zip(channels_after.lines()) {
        if !old.contains(".en = ") {
            assert_eq!(old, new);
        }
    }
    // TOML: every English text translated, every other line as it was.
    let site_toml = fs::read_to_string(content.join("site.toml")).unwrap();
    let old_site_toml = String::from_utf8(before[Path::new("site.toml")].clone()).unwrap();
    assert!(
        site_toml.contains("name.en = \"ⓍAsiakkaan palvelupolut\""),
        "{site_toml}"
    );
    for (old, new) in old_site_toml.lines().zip(site_toml.lines()) {
        if !old.contains(".en =") && !old.contains("en =") {
            assert_eq!(old, new);
        }
    }

    // The result checks clean, with every translation current, and builds.
    let o = polku(&["check", "--content", s(&content), "--format", "json"]);
    let report = text(&o);
    assert!(o.status.success(), "{report}");
    assert!(
        !report.contains("\"stale\"")
            && !report.contains("\"missing\"")
            && !report.contains("\"unconfirmed\""),
        "{report}"
    );
    let out = tmp.path().join("public");
    let o = common::polku_build(&content, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(out.join("en/index.html")).unwrap();
    assert!(
        page.contains("ⓍAsiakkaan palvelupolut"),
        "the English home page shows the imported site name"
    );
}

#[test]
fn translate_toolkit_and_xmllint_read_every_unit_note_and_code() {
    let (tmp, content) = sample();
    let file = tmp.path().join("sv.xlf");
    export(&content, "sv", "all", &file);
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg(&file)
        .output()
        .expect("xmllint (libxml2-utils) is installed by scripts/setup");
    assert!(o.status.success(), "{}", text(&o));

    let xliff = fs::read_to_string(&file).unwrap();
    let ours = roxmltree::Document::parse(&xliff).unwrap();
    let script = r#"
import json, sys
from translate.storage import xliff
store = xliff.xlifffile.parsefile(open(sys.argv[1], 'rb'))
units = []
for u in store.units:
    codes = [(p.id, str(p)) for p in u.rich_source[0].sub if type(p).__name__ == 'UnknownXML']
    units.append({'id': u.getid(), 'source': u.source, 'target': u.target, 'notes': u.getnotes(), 'codes': [[c[0], c[1]] for c in codes]})
print(json.dumps(units))
"#;
    let o = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("Debian's python3 with translate-toolkit (scripts/setup)");
    assert!(o.status.success(), "{}", text(&o));
    let theirs: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let units: Vec<roxmltree::Node> = ours
        .descendants()
        .filter(|n| n.has_tag_name("trans-unit"))
        .collect();
    assert_eq!(theirs.len(), units.len());
    assert!(units.len() > 200, "the sample has {} units", units.len());
    let mut codes_seen = 0;
    for (unit, read) in units.iter().zip(&theirs) {
        let original = unit
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .attribute("original")
            .unwrap();
        let id = format!("{original}\u{4}{}", unit.attribute("id").unwrap());
        assert_eq!(read["id"], id.as_str());
        let notes: Vec<&str> = unit
            .children()
            .filter(|n| n.has_tag_name("note"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(read["notes"], notes.join("\n").as_str(), "{id}");
        let source = unit.children().find(|n| n.has_tag_name("source")).unwrap();
        let codes: Vec<serde_json::Value> = source
            .children()
            .filter(|n| n.has_tag_name("ph"))
            .map(|n| serde_json::json!([n.attribute("id").unwrap(), n.text().unwrap_or("")]))
            .collect();
        codes_seen += codes.len();
        assert_eq!(read["codes"], serde_json::Value::Array(codes), "{id}");
        // The source, codes and words together, is the text as written.
        let written = fs::read_to_string(content.join(original)).unwrap();
        let source_text = read["source"].as_str().unwrap();
        if original.ends_with(".md") {
            assert!(
                written.contains(source_text),
                "{id}: {source_text:?} is not in {original}"
            );
        }
        assert!(
            !read["target"].as_str().unwrap_or_default().is_empty(),
            "{id}: the Swedish text is the target"
        );
    }
    assert!(
        codes_seen > 30,
        "links, emphasis and lists are codes ({codes_seen})"
    );

    let po = tmp.path().join("sv.po");
    let o = Command::new("xliff2po")
        .arg(&file)
        .arg(&po)
        .output()
        .expect("xliff2po (translate-toolkit)");
    assert!(o.status.success(), "{}", text(&o));
    let po = fs::read_to_string(&po).unwrap();
    // xliff2po merges units with the same source and translation into one
    // entry; every unit is still there by its id.
    for unit in &units {
        let id = unit.attribute("id").unwrap();
        assert!(
            po.contains(&format!("#: {id}\n")),
            "{id} is not in the PO file"
        );
    }
    assert!(po.matches("\nmsgid ").count() > 200);
}

#[test]
fn every_bad_xliff_file_is_refused_with_its_line_and_nothing_is_written() {
    // The file, the line the error points at, and words of its message.
    let cases = [
        ("not-xml", 10, "not well-formed"),
        ("wrong-language", 3, "is not a translation language"),
        ("unknown-file", 11, "is not a content file"),
        ("unknown-unit", 9, "has no text `phase.poistettu.body`"),
        ("source-changed", 9, "the source text has changed"),
        ("missing-code", 9, "code 2 (`](path:toinen)`) is missing"),
        ("changed-code", 9, "code 2 was changed"),
        ("foreign-code", 11, "`<g>` is not a code polku wrote"),
        ("line-break-in-title", 9, "has a line break"),
        ("heading-in-text", 9, "would change the file's structure"),
        ("new-file-without-title", 5, "`title` has no translation"),
    ];
    for (case, line, words) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        copy_tree(&fixture_content(), &content);
        if case == "new-file-without-title" {
            fs::remove_file(content.join("paths/toinen/sv.md")).unwrap();
        }
        let before = snapshot(&content);
        let file = root().join(format!("tests/fixtures/translate/{case}.xlf"));
        let o = import(&content, &file);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(1), "{case}: {out}");
        assert!(
            out.contains(&format!("{case}.xlf:{line}:")),
            "{case}: want line {line}: {out}"
        );
        assert!(
            out.contains(words) && out.contains("= hint:"),
            "{case}: {out}"
        );
        assert!(out.contains("No file was changed."), "{case}: {out}");
        assert!(
            snapshot(&content) == before,
            "{case}: the good unit beside the bad one was written"
        );
    }
}

#[test]
fn mistyped_commands_are_refused_without_touching_anything() {
    let (tmp, content) = sample();
    let before = snapshot(&content);
    let site = content.join("site.toml");
    for (args, needle) in [
        (vec!["--to", "fi"], "is the source language"),
        (vec!["--to", "de"], "is not a language of this site"),
        (
            vec!["--to", "sv", "--out", s(&site)],
            "is not an XLIFF file exported by polku",
        ),
        (vec!["--to", "sv", "--out", s(&content)], "is a folder"),
        (
            vec!["--to", "sv", "--out", s(&tmp.path().join("nowhere/sv.xlf"))],
            "does not exist",
        ),
    ] {
        let mut all = vec!["translate", "export", "--content", s(&content)];
        all.extend(args);
        let o = polku(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", text(&o));
        assert!(text(&o).contains(needle), "{all:?}: {}", text(&o));
    }
    let o = import(&content, &tmp.path().join("missing.xlf"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = import(&content, &content);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(snapshot(&content) == before);
    // Without --out the XLIFF goes to standard output.
    let o = polku(&[
        "translate",
        "export",
        "--to",
        "en",
        "--only",
        "all",
        "--content",
        s(&content),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.starts_with("<?xml") && stdout.contains("target-language=\"en\""),
        "{stdout}"
    );
    // A second export over the first is allowed: it is polku's own file.
    let file = tmp.path().join("sv.xlf");
    export(&content, "sv", "all", &file);
    export(&content, "sv", "all", &file);
}

#[test]
fn a_translation_marked_for_review_is_written_but_not_confirmed() {
    let (tmp, content) = sample();
    // The source changes: the Swedish translation of the path is stale.
    let fi = content.join("paths/alaselkakipu/fi.md");
    let source = fs::read_to_string(&fi).unwrap();
    fs::write(
        &fi,
        source.replace(
            "Vuodelepo ei auta selkäkipuun.",
            "Vuodelepo ei auta selkäkipuun. Kävely on hyvä tapa liikkua.",
        ),
    )
    .unwrap();
    let file = tmp.path().join("sv.xlf");
    export(&content, "sv", "stale", &file);
    let xliff = fs::read_to_string(&file).unwrap();
    assert!(xliff.contains("state=\"needs-review-translation\""));
    // The translator updates the text, and their tool leaves it for review.
    let edited = xliff.replace(
        "Sängvila hjälper inte mot ryggsmärta.",
        "Sängvila hjälper inte mot ryggsmärta. Att promenera är ett bra sätt att röra på sig.",
    );
    assert_ne!(edited, xliff);
    fs::write(&file, &edited).unwrap();
    let o = import(&content, &file);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "Marked for review in the translator's tool, so not confirmed: alaselkakipu."
        ),
        "{}",
        text(&o)
    );
    let sv = fs::read_to_string(content.join("paths/alaselkakipu/sv.md")).unwrap();
    assert!(sv.contains("Att promenera är ett bra sätt att röra på sig."));
    let sv_stale = |content: &Path| {
        let o = polku(&["check", "--content", s(content), "--format", "json"]);
        text(&o)
            .lines()
            .any(|l| l.contains("\"stale-translation\"") && l.contains("alaselkakipu/sv.md"))
    };
    assert!(sv_stale(&content), "the Swedish translation is still stale");
    // Reviewed: the same file with the units marked translated confirms it.
    fs::write(
        &file,
        edited.replace("needs-review-translation", "translated"),
    )
    .unwrap();
    let o = import(&content, &file);
    assert!(
        text(&o).contains("Confirmed as current: alaselkakipu."),
        "{}",
        text(&o)
    );
    assert!(!sv_stale(&content), "the Swedish translation is current");
}
