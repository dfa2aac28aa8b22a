//! `polku check`: one fixture per editorial check, asserting the exact code,
//! file and line; the JSON Lines schema; --strict; confirming translations.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture_content, overlay_from, theme};
use polku::{BuildOptions, Severity};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 23);

fn check(content: &Path) -> polku::Checked {
    polku::check(
        &BuildOptions {
            content: content.to_path_buf(),
            theme: theme(),
            base_url: None,
        },
        TODAY,
    )
}

/// The findings of `case` with `code`, as (file relative to content, line).
fn findings(case: &str, code: &str) -> Vec<(String, usize)> {
    let (_tmp, content) = overlay_from("check", case);
    let checked = check(&content);
    assert_eq!(checked.errors(), 0, "{case}: {:#?}", checked.diagnostics);
    let shown = content.display().to_string();
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .inspect(|d| {
            assert_eq!(d.severity, Severity::Warning, "{d}");
            assert!(
                d.hint.as_deref().is_some_and(|h| !h.is_empty()),
                "{d} has no hint"
            );
        })
        .map(|d| {
            let file = d.file.display().to_string();
            let rel = file
                .split_once(&format!("{shown}/"))
                .map_or(file.clone(), |(_, r)| r.to_string());
            (rel, d.line)
        })
        .collect()
}

#[track_caller]
fn assert_finding(case: &str, code: &str, file: &str, line: usize) {
    assert_eq!(findings(case, code), [(file.to_string(), line)], "{case}");
}

#[test]
fn baseline_fixture_has_only_known_findings() {
    let checked = check(&fixture_content());
    let codes: Vec<&str> = checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "missing-guidance",
            "missing-guidance",
            "missing-guidance",
            "missing-guidance",
            "missing-owner"
        ]
    );
}

#[test]
fn missing_translation_file_is_a_warning_and_falls_back() {
    assert_finding(
        "missing-translation-file",
        "missing-translation",
        "paths/toinen/sv.md",
        1,
    );
    let (tmp, content) = overlay_from("check", "missing-translation-file");
    let out = tmp.path().join("public");
    polku::build(
        &BuildOptions {
            content,
            theme: theme(),
            base_url: None,
        },
        &out,
    )
    .unwrap();
    let page = std::fs::read_to_string(out.join("sv/toinen-polku/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
    assert!(
        page.contains("<h1 lang=\"fi\">Toinen polku</h1>"),
        "the Finnish text is marked as Finnish"
    );
    assert!(
        page.contains("Gå till innehållet"),
        "the interface stays Swedish"
    );
}

#[test]
fn guidance_missing_in_one_language() {
    assert_finding(
        "missing-guidance-translation",
        "missing-translation",
        "paths/ensimmainen/sv.md",
        8,
    );
}

#[test]
fn channel_name_missing_in_one_language() {
    assert_finding(
        "missing-channel-name",
        "missing-translation",
        "channels.toml",
        11,
    );
}

#[test]
fn stale_translation() {
    assert_finding(
        "stale-translation",
        "stale-translation",
        "paths/ensimmainen/sv.md",
        4,
    );
}

#[test]
fn review_overdue() {
    assert_finding(
        "review-overdue",
        "review-overdue",
        "paths/ensimmainen/path.toml",
        5,
    );
}

#[test]
fn missing_owner_and_guidance() {
    assert_eq!(
        findings("review-overdue", "missing-owner"),
        [("paths/toinen/path.toml".to_string(), 1)]
    );
    assert_eq!(findings("review-overdue", "missing-guidance").len(), 4);
}

#[test]
fn plain_text_phone_number() {
    // 116 117 in plain text is found; the number inside a link is not.
    assert_finding(
        "plain-phone-number",
        "plain-phone-number",
        "paths/ensimmainen/fi.md",
        10,
    );
}

#[test]
fn long_sentence() {
    assert_finding(
        "long-sentence",
        "plain-language-sentence",
        "paths/ensimmainen/fi.md",
        12,
    );
}

#[test]
fn long_word() {
    assert_finding(
        "long-word",
        "plain-language-word",
        "paths/ensimmainen/fi.md",
        10,
    );
}

#[test]
fn swedish_lix_above_the_limit() {
    assert_finding("lix", "plain-language-lix", "paths/ensimmainen/sv.md", 1);
}

#[test]
fn jargon_from_the_site_list() {
    assert_finding(
        "jargon",
        "plain-language-jargon",
        "paths/ensimmainen/fi.md",
        10,
    );
}

#[test]
fn vague_link_text() {
    assert_finding(
        "vague-link-text",
        "vague-link-text",
        "paths/ensimmainen/fi.md",
        10,
    );
}

#[test]
fn bare_url_as_link_text() {
    assert_finding(
        "bare-url-link",
        "bare-url-link",
        "paths/ensimmainen/sv.md",
        10,
    );
}

#[test]
fn same_link_twice_in_a_phase() {
    assert_finding(
        "duplicate-link",
        "duplicate-link",
        "paths/ensimmainen/path.toml",
        12,
    );
}

#[test]
fn http_where_https_is_expected() {
    assert_finding("insecure-url", "insecure-url", "links.toml", 14);
}

#[test]
fn phase_without_channel() {
    assert_finding(
        "phase-without-channel",
        "phase-without-channel",
        "paths/ensimmainen/path.toml",
        20,
    );
}

#[test]
fn channel_and_link_never_used() {
    assert_finding("unused-channel", "unused-channel", "channels.toml", 20);
    assert_finding("unused-link", "unused-link", "links.toml", 17);
}

#[test]
fn topic_without_paths() {
    assert_finding("empty-topic", "empty-topic", "topics.toml", 7);
}

#[test]
fn image_without_alt_text() {
    assert_finding(
        "image-without-alt",
        "image-without-alt",
        "paths/ensimmainen/fi.md",
        36,
    );
}

#[test]
fn heading_that_skips_a_level() {
    assert_finding(
        "heading-skips-level",
        "heading-skips-level",
        "paths/ensimmainen/fi.md",
        38,
    );
}

fn polku(args: &[&str], content: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(theme())
        .env("POLKU_TODAY", "2026-11-23")
        .output()
        .unwrap()
}

#[test]
fn json_lines_follow_the_documented_schema() {
    let output = polku(&["check", "--format", "json"], &fixture_content());
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert_eq!(findings.len(), 5);
    for f in findings {
        let obj = f.as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["code", "column", "file", "hint", "line", "message", "schema", "severity", "type"]
        );
        assert_eq!(f["schema"], "polku.check/1");
        assert_eq!(f["type"], "finding");
        assert!(f["code"].is_string() && f["message"].is_string() && f["file"].is_string());
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(["error", "warning"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["hint"].is_string() || f["hint"].is_null());
    }
    assert_eq!(summary["schema"], "polku.check/1");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 5);
    assert_eq!(summary["strict"], false);
    assert_eq!(summary["exit_code"], 0);
    let paths = summary["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 4, "two paths in two languages");
    let toinen_fi = paths
        .iter()
        .find(|p| p["path"] == "toinen" && p["lang"] == "fi")
        .unwrap();
    assert_eq!(toinen_fi["warnings"], 5);
    assert_eq!(toinen_fi["translation"], "source");
    assert_eq!(toinen_fi["next_review"], "2027-03-01");
    assert!(toinen_fi["lix"].is_number());
    let first_sv = paths
        .iter()
        .find(|p| p["path"] == "ensimmainen" && p["lang"] == "sv")
        .unwrap();
    assert_eq!(first_sv["translation"], "unconfirmed");
}

#[test]
fn strict_makes_warnings_fail_check_and_build() {
    let content = fixture_content();
    assert_eq!(polku(&["check"], &content).status.code(), Some(0));
    let strict = polku(&["check", "--strict", "--format", "json"], &content);
    assert_eq!(strict.status.code(), Some(1));
    let last = String::from_utf8(strict.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let summary: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(
        (summary["strict"].as_bool(), summary["exit_code"].as_u64()),
        (Some(true), Some(1))
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let build = common::polku_build(&content, &out, &["--strict"]);
    assert_eq!(build.status.code(), Some(1));
    assert!(!out.exists(), "a strict build with warnings writes nothing");
    let plain = common::polku_build(&content, &out, &[]);
    assert_eq!(plain.status.code(), Some(0));
    let stderr = String::from_utf8(plain.stderr).unwrap();
    assert!(
        stderr.contains("paths/toinen/path.toml:1:1: warning: the path has no content owner"),
        "{stderr}"
    );
    assert!(out.join("fi/index.html").exists());
}

#[test]
fn confirming_a_translation_and_noticing_when_it_goes_stale() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&fixture_content(), &content);
    let state = |content: &Path| -> Vec<(String, String)> {
        check(content)
            .rows
            .iter()
            .filter(|r| r.lang == polku::content::Lang::SV)
            .map(|r| (r.path.clone(), r.translation.as_str().to_string()))
            .collect()
    };
    assert_eq!(
        state(&content),
        [
            ("ensimmainen".into(), "unconfirmed".into()),
            ("toinen".into(), "unconfirmed".into())
        ]
    );

    let out = polku(&["check", "--confirm-translation", "ensimmainen"], &content);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(content.join("paths/ensimmainen/sv.md"))
            .unwrap()
            .contains("translation_of = \"")
    );
    assert_eq!(state(&content)[0], ("ensimmainen".into(), "current".into()));

    // The Finnish source changes: the Swedish text is now stale.
    let fi = content.join("paths/ensimmainen/fi.md");
    let text = std::fs::read_to_string(&fi)
        .unwrap()
        .replace("Soita neuvontaan.", "Soita neuvontaan arkisin.");
    std::fs::write(&fi, text).unwrap();
    assert_eq!(state(&content)[0], ("ensimmainen".into(), "stale".into()));
    let checked = check(&content);
    let finding = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "stale-translation")
        .expect("stale finding");
    assert!(finding.file.ends_with("paths/ensimmainen/sv.md"));

    // Re-confirming after updating the translation clears it.
    polku(&["check", "--confirm-translation", "ensimmainen"], &content);
    assert_eq!(state(&content)[0], ("ensimmainen".into(), "current".into()));
    let unknown = polku(&["check", "--confirm-translation", "ei-ole"], &content);
    assert_eq!(unknown.status.code(), Some(2));
}

/// Every finding of a site as (code, file, line), for comparing two runs.
fn placed_findings(content: &Path) -> Vec<(String, String, usize)> {
    let mut found: Vec<(String, String, usize)> = check(content)
        .diagnostics
        .iter()
        .map(|d| {
            let file = d.file.strip_prefix(content).unwrap_or(&d.file);
            (d.code.to_string(), file.display().to_string(), d.line)
        })
        .collect();
    found.sort();
    found
}

/// The same TOML, written another way without moving any line: `key=value`
/// or `key   =   value`, and 'literal strings' for "basic" ones. Lines in
/// multi-line strings and lines with escapes or apostrophes stay as they are.
fn reformat_toml(text: &str, style: usize) -> String {
    let mut in_multiline = false;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let toggles = line.matches("\"\"\"").count() % 2 == 1;
        let untouchable = in_multiline || toggles || line.contains('\\') || line.contains("'");
        in_multiline ^= toggles;
        let changed = match style {
            _ if untouchable || line.trim_start().starts_with('#') => line.to_string(),
            0 => line.replacen(" = ", "=", 1),
            1 => line.replacen(" = ", "   =   ", 1),
            _ => line.replace('"', "'"),
        };
        out.push_str(&changed);
    }
    out
}

/// Rewrites every TOML file of a content folder, and the front matter of
/// every Markdown file, in one of the styles of [`reformat_toml`].
fn reformat_content(content: &Path, style: usize) {
    for entry in walkdir::WalkDir::new(content)
        .into_iter()
        .map(Result::unwrap)
    {
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let rewritten = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => reformat_toml(&text, style),
            Some("md") => match text
                .strip_prefix("+++\n")
                .and_then(|rest| rest.split_once("\n+++\n"))
            {
                Some((front, body)) => {
                    format!("+++\n{}\n+++\n{body}", reformat_toml(front, style))
                }
                None => continue,
            },
            _ => continue,
        };
        std::fs::write(path, rewritten).unwrap();
    }
}

#[test]
fn findings_stay_on_their_line_however_the_toml_is_formatted() {
    // Every fixture of the editorial checks, its TOML and front matter
    // written three other ways: each finding keeps its code, file and line.
    let cases = std::fs::read_dir(common::root().join("tests/fixtures/check")).unwrap();
    let mut compared = 0;
    for case in cases.map(|e| e.unwrap().file_name().into_string().unwrap()) {
        let (_tmp, content) = overlay_from("check", &case);
        let before = placed_findings(&content);
        assert!(!before.is_empty(), "{case}");
        for style in 0..3 {
            let (_tmp, content) = overlay_from("check", &case);
            reformat_content(&content, style);
            assert_eq!(placed_findings(&content), before, "{case}, style {style}");
            compared += before.len();
        }
    }
    assert!(compared > 100, "only {compared} findings compared");
}

/// The codes in the first column of every table under `heading` in a doc.
fn documented_codes(doc: &str, heading: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let section = text
        .split_once(heading)
        .unwrap_or_else(|| panic!("{doc} has no heading {heading:?}"))
        .1;
    let section = section.split("\n#").next().unwrap();
    let mut codes = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split('|').nth(1).unwrap();
        for code in first.split('`').skip(1).step_by(2) {
            codes.push(code.to_string());
        }
    }
    codes
}

#[test]
fn every_code_is_documented() {
    let mut documented: Vec<String> = [
        ("docs/content-format.md", "## Errors polku reports"),
        ("docs/check-json.md", "## Codes of the editorial checks"),
        ("docs/translation.md", "### What an import refuses"),
    ]
    .iter()
    .flat_map(|(doc, heading)| documented_codes(doc, heading))
    .collect();
    documented.sort();
    documented.dedup();
    let mut known: Vec<String> = polku::code::Code::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    known.sort();
    let undocumented: Vec<&String> = known.iter().filter(|c| !documented.contains(c)).collect();
    let unknown: Vec<&String> = documented.iter().filter(|c| !known.contains(c)).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "codes without a row in the docs: {undocumented:?}; documented codes polku does not have: {unknown:?}"
    );
}
