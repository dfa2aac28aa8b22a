//! Every promised content error has a failing fixture here, and each test
//! asserts the exact code, file and line reported.

mod common;

use std::path::Path;

use common::{site_with_overlay, theme};
use polku::{BuildOptions, Diagnostic};

fn errors_for(content: &Path) -> Vec<Diagnostic> {
    let options = BuildOptions {
        content: content.to_path_buf(),
        theme: theme(),
        base_url: None,
    };
    match polku::render(&options) {
        Ok(_) => panic!("the fixture built without errors"),
        Err(diags) => diags,
    }
}

/// Asserts that `case` reports exactly one error, with this code, in this
/// file (relative to the content folder), on this line.
#[track_caller]
fn assert_single_error(case: &str, code: &str, file: &str, line: usize) {
    let (_tmp, content) = site_with_overlay(case);
    let diags = errors_for(&content);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} [{}]", d, d.code))
        .collect();
    assert_eq!(
        diags.len(),
        1,
        "{case}: expected one error, got:\n{}",
        shown.join("\n")
    );
    let d = &diags[0];
    assert!(d.is_error(), "{case}: {}", shown[0]);
    assert_eq!(d.code, code, "{case}: {}", shown[0]);
    assert!(
        d.file.ends_with(file),
        "{case}: expected file {file}, got {}",
        d.file.display()
    );
    assert_eq!(d.line, line, "{case}: {}", shown[0]);
    assert!(
        d.hint.as_deref().is_some_and(|h| !h.is_empty()),
        "{case}: no hint: {}",
        shown[0]
    );
}

#[test]
fn toml_syntax_error() {
    assert_single_error("toml-syntax", "toml-syntax", "site.toml", 3);
}

#[test]
fn unknown_field_is_a_typo() {
    assert_single_error("unknown-field", "unknown-field", "channels.toml", 6);
}

#[test]
fn missing_required_field() {
    assert_single_error("missing-field", "missing-field", "links.toml", 9);
}

#[test]
fn unknown_channel_kind() {
    assert_single_error("invalid-kind", "invalid-value", "channels.toml", 12);
}

#[test]
fn unknown_channel_reference() {
    assert_single_error(
        "unknown-channel",
        "unknown-reference",
        "paths/ensimmainen/path.toml",
        11,
    );
}

#[test]
fn unknown_link_reference_suggests_the_closest_id() {
    assert_single_error(
        "unknown-link",
        "unknown-reference",
        "paths/ensimmainen/path.toml",
        12,
    );
    let (_tmp, content) = site_with_overlay("unknown-link");
    let hint = errors_for(&content)[0].hint.clone().unwrap();
    assert!(hint.contains("did you mean `vertaistuki`?"), "{hint}");
}

#[test]
fn unknown_segment_in_guidance() {
    assert_single_error(
        "unknown-segment",
        "unknown-reference",
        "paths/ensimmainen/fi.md",
        28,
    );
}

#[test]
fn unknown_related_path() {
    assert_single_error(
        "unknown-related-path",
        "unknown-reference",
        "paths/ensimmainen/path.toml",
        7,
    );
}

#[test]
fn unknown_topic() {
    assert_single_error(
        "unknown-topic",
        "unknown-reference",
        "paths/toinen/path.toml",
        1,
    );
}

#[test]
fn phase_in_text_but_not_in_path_toml() {
    assert_single_error(
        "unknown-phase",
        "unknown-reference",
        "paths/ensimmainen/sv.md",
        40,
    );
}

#[test]
fn unknown_path_in_markdown_link() {
    assert_single_error(
        "unknown-path-link",
        "unknown-reference",
        "paths/ensimmainen/fi.md",
        34,
    );
}

#[test]
fn duplicate_channel_id() {
    let (_tmp, content) = site_with_overlay("duplicate-channel-id");
    let diags = errors_for(&content);
    let dup: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert!(dup[0].file.ends_with("channels.toml"));
    assert_eq!(dup[0].line, 11);
    assert!(
        dup[0].hint.as_ref().unwrap().contains("line 2"),
        "{:?}",
        dup[0].hint
    );
}

#[test]
fn duplicate_phase_id() {
    let (_tmp, content) = site_with_overlay("duplicate-phase-id");
    let diags = errors_for(&content);
    let dup: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-id").collect();
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert!(dup[0].file.ends_with("paths/ensimmainen/path.toml"));
    assert_eq!(dup[0].line, 15);
}

#[test]
fn duplicate_slug() {
    assert_single_error("duplicate-slug", "duplicate-slug", "paths/toinen/fi.md", 3);
}

#[test]
fn phase_missing_in_one_language() {
    assert_single_error(
        "missing-phase",
        "missing-phase",
        "paths/ensimmainen/sv.md",
        35,
    );
}

#[test]
fn javascript_url_is_rejected() {
    assert_single_error("invalid-url", "invalid-url", "links.toml", 14);
}

#[test]
fn a_bad_url_in_any_language_is_rejected() {
    // Addresses of every language are checked, not only Finnish and Swedish.
    assert_single_error("invalid-url-english", "invalid-url", "links.toml", 15);
}

#[test]
fn ftp_url_in_markdown_is_rejected() {
    assert_single_error(
        "invalid-url-markdown",
        "invalid-url",
        "paths/ensimmainen/fi.md",
        10,
    );
}

#[test]
fn impossible_date() {
    assert_single_error(
        "invalid-date",
        "invalid-date",
        "paths/ensimmainen/path.toml",
        5,
    );
}

#[test]
fn empty_title() {
    assert_single_error("empty-title", "empty-title", "paths/toinen/sv.md", 2);
}

#[test]
fn phase_heading_without_id() {
    assert_single_error(
        "phase-without-id",
        "phase-without-id",
        "paths/toinen/fi.md",
        7,
    );
}

#[test]
fn level_one_heading_in_path_text() {
    assert_single_error(
        "heading-level-one",
        "heading-structure",
        "paths/toinen/fi.md",
        7,
    );
}

#[test]
fn invalid_phone_number() {
    assert_single_error("invalid-phone", "invalid-phone", "channels.toml", 6);
}

#[test]
fn invalid_opening_hours() {
    assert_single_error("invalid-hours", "invalid-value", "channels.toml", 7);
}

#[test]
fn missing_front_matter() {
    assert_single_error(
        "missing-front-matter",
        "missing-front-matter",
        "paths/toinen/sv.md",
        1,
    );
}

#[test]
fn invalid_slug() {
    assert_single_error("invalid-slug", "invalid-slug", "paths/toinen/fi.md", 3);
}

#[test]
fn file_that_is_not_utf8() {
    let (_tmp, content) = site_with_overlay("toml-syntax");
    std::fs::copy(
        common::fixture_content().join("site.toml"),
        content.join("site.toml"),
    )
    .unwrap();
    let mut bytes = std::fs::read(content.join("topics.toml")).unwrap();
    bytes.extend_from_slice(b"\n# Latin-1: \xe4\xf6\n");
    std::fs::write(content.join("topics.toml"), bytes).unwrap();
    let diags = errors_for(&content);
    let enc: Vec<_> = diags.iter().filter(|d| d.code == "encoding").collect();
    assert_eq!(enc.len(), 1, "{diags:?}");
    assert!(enc[0].file.ends_with("topics.toml"));
    assert_eq!(enc[0].line, 11);
}

#[test]
fn missing_ui_string_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let theme_copy = tmp.path().join("theme");
    common::copy_tree(&theme(), &theme_copy);
    let sv = theme_copy.join("i18n/sv.toml");
    let text = std::fs::read_to_string(&sv)
        .unwrap()
        .replace("skip = \"Gå till innehållet\"\n", "");
    std::fs::write(&sv, text).unwrap();
    let options = BuildOptions {
        content: common::fixture_content(),
        theme: theme_copy,
        base_url: None,
    };
    let diags = polku::render(&options).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "missing-translation");
    assert!(diags[0].file.ends_with("i18n/sv.toml"));
    assert!(
        diags[0].message.contains("nav.skip"),
        "{}",
        diags[0].message
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    // Three independent problems in three files come back together.
    let (_tmp, content) = site_with_overlay("unknown-channel");
    let extra = site_with_overlay("invalid-phone");
    std::fs::copy(extra.1.join("channels.toml"), content.join("channels.toml")).unwrap();
    let extra = site_with_overlay("empty-title");
    std::fs::copy(
        extra.1.join("paths/toinen/sv.md"),
        content.join("paths/toinen/sv.md"),
    )
    .unwrap();
    let codes: Vec<&str> = errors_for(&content)
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["invalid-phone", "unknown-reference", "empty-title"]);
}

#[test]
fn nfd_text_is_normalised_to_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    let fi = content.join("paths/toinen/fi.md");
    let nfd: String = std::fs::read_to_string(&fi)
        .unwrap()
        .replace("Toinen polku\"", "Äitiyspolku\"")
        .nfd()
        .collect();
    assert!(nfd.contains("A\u{308}"), "the fixture must really be NFD");
    std::fs::write(&fi, nfd).unwrap();
    let built = polku::render(&BuildOptions {
        content,
        theme: theme(),
        base_url: None,
    })
    .unwrap();
    let toinen = built.site.path("toinen").unwrap();
    assert_eq!(
        toinen.texts[&polku::content::Lang::FI].title,
        "\u{c4}itiyspolku"
    );
}

#[test]
fn duplicate_instructions_name_both_lines() {
    assert_single_error(
        "duplicate-instructions",
        "duplicate-section",
        "paths/ensimmainen/fi.md",
        16,
    );
    let (_tmp, content) = site_with_overlay("duplicate-instructions");
    let d = &errors_for(&content)[0];
    assert!(d.message.contains("on line 12 and on line 16"), "{d}");
}

#[test]
fn a_negative_count_is_an_invalid_value_not_toml_syntax() {
    assert_single_error("negative-count", "invalid-value", "channels.toml", 8);
    let (_tmp, content) = site_with_overlay("negative-count");
    let d = &errors_for(&content)[0];
    assert!(d.hint.as_deref().unwrap().contains("whole number"), "{d}");
}

#[test]
fn an_empty_channels_file_is_one_error_at_that_file() {
    assert_single_error("empty-channels", "missing-field", "channels.toml", 1);
}

#[test]
fn a_slug_too_long_for_a_folder_name_is_a_content_error() {
    assert_single_error(
        "slug-too-long",
        "slug-too-long",
        "paths/ensimmainen/fi.md",
        4,
    );
    // Derived from a long title, it is reported at the title.
    assert_single_error(
        "title-too-long",
        "slug-too-long",
        "paths/ensimmainen/fi.md",
        2,
    );
    let (_tmp, content) = site_with_overlay("title-too-long");
    let d = &errors_for(&content)[0];
    assert!(d.hint.as_deref().unwrap().contains("slug = \""), "{d}");
}

#[test]
fn control_characters_are_removed_with_a_warning_and_never_reach_a_page() {
    let (_tmp, content) = common::overlay_from("check", "control-characters");
    let options = BuildOptions {
        content: content.clone(),
        theme: theme(),
        base_url: None,
    };
    let built = polku::render(&options).unwrap_or_else(|d| panic!("{d:?}"));
    let warnings: Vec<_> = built
        .warnings
        .iter()
        .filter(|d| d.code == "control-character")
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", built.warnings);
    let w = warnings[0];
    assert!(!w.is_error());
    assert!(w.file.ends_with("paths/ensimmainen/fi.md"));
    assert_eq!(w.line, 10, "{w}");
    assert!(w.message.contains("2 invisible control characters"), "{w}");
    for (name, bytes) in &built.rendered.files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(|c: char| polku::content::is_stray_control(c)),
            "{name} has a control character"
        );
    }
    let page = String::from_utf8_lossy(&built.rendered.files["fi/ensimmainen-polku/index.html"]);
    assert!(page.contains("Ensimmäisen vaiheen teksti."));
    assert!(
        page.contains("Testipolun tiivistelmä."),
        "the escaped one too"
    );
}

#[test]
fn base_url_from_the_command_line_is_validated_like_site_toml() {
    for bad in [
        "javascript:alert(1)//",
        "https://polut.example.org/\nDisallow: /",
        "https://polut.example.org/\r\nX: y",
        "ftp://polut.example.org/",
        "https://polut.example.org/?q=1",
        "https://",
        "polut.example.org",
        "https://polut example.org/",
    ] {
        let e = polku::content::BaseUrl::parse(bad).expect_err(bad);
        assert!(e.to_string().starts_with('`'), "{bad}: {e}");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_polku"))
            .args(["build", "--out"])
            .arg(std::env::temp_dir().join("polku-never-written"))
            .args(["--base-url", bad, "--content"])
            .arg(common::fixture_content())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.starts_with("error: --base-url: `"),
            "{bad}: {stderr}"
        );
        assert!(
            stderr.contains("= hint: write the address the site is published at"),
            "{stderr}"
        );
    }
    let good = polku::content::BaseUrl::parse("https://polut.example.org/a").unwrap();
    assert_eq!(good.as_str(), "https://polut.example.org/a/");
}

#[test]
fn a_brand_colour_without_enough_contrast_is_an_error() {
    let lines = std::fs::read_to_string(
        common::root().join("tests/fixtures/invalid/low-contrast/site.toml"),
    )
    .unwrap()
    .lines()
    .count();
    assert_single_error("low-contrast", "low-contrast", "site.toml", lines);
    let (_tmp, content) = site_with_overlay("low-contrast");
    let d = &errors_for(&content)[0];
    assert!(
        d.message.contains(":1 with white; WCAG AA needs 4.5:1"),
        "{d}"
    );
    assert!(d.hint.as_deref().unwrap().contains("e.g. #"), "{d}");
}

#[test]
fn a_topic_icon_the_theme_does_not_have_is_an_error() {
    let line = std::fs::read_to_string(
        common::root().join("tests/fixtures/invalid/unknown-icon/topics.toml"),
    )
    .unwrap()
    .lines()
    .position(|l| l.contains("topic-unicorn"))
    .unwrap()
        + 1;
    assert_single_error("unknown-icon", "unknown-reference", "topics.toml", line);
}

#[test]
fn a_link_to_a_phase_that_does_not_exist_is_an_error() {
    assert_single_error(
        "unknown-phase-fragment",
        "unknown-reference",
        "paths/ensimmainen/fi.md",
        34,
    );
    let (_tmp, content) = site_with_overlay("unknown-phase-fragment");
    let d = &errors_for(&content)[0];
    assert!(
        d.message
            .contains("`#ei-ole` is not a phase of path `toinen`"),
        "{d}"
    );
    assert!(
        d.hint.as_deref().unwrap().contains("path:toinen#ainoa"),
        "{d}"
    );
}

#[test]
fn a_link_to_a_phase_of_another_path_points_at_it() {
    let (_tmp, content) = site_with_overlay("unknown-phase-fragment");
    let fi = content.join("paths/ensimmainen/fi.md");
    let text = std::fs::read_to_string(&fi).unwrap();
    std::fs::write(&fi, text.replace("path:toinen#ei-ole", "path:toinen#ainoa")).unwrap();
    let options = BuildOptions {
        content,
        theme: theme(),
        base_url: None,
    };
    let built = polku::render(&options).unwrap_or_else(|d| panic!("{d:?}"));
    let page = String::from_utf8_lossy(&built.rendered.files["fi/ensimmainen-polku/index.html"]);
    assert!(page.contains("href=\"/fi/toinen-polku/#ainoa\""), "{page}");
}

#[test]
fn unknown_urgent_channel() {
    assert_single_error(
        "unknown-urgent-channel",
        "unknown-reference",
        "paths/ensimmainen/path.toml",
        8,
    );
}

#[test]
fn primary_action_without_what_it_names() {
    assert_single_error(
        "primary-without-phone",
        "missing-field",
        "channels.toml",
        18,
    );
}

#[test]
fn empty_crisis_word() {
    assert_single_error("empty-crisis-word", "empty-title", "site.toml", 42);
}

#[test]
fn a_crisis_word_of_one_letter_would_match_everything() {
    assert_single_error("short-crisis-word", "invalid-value", "site.toml", 42);
}

#[test]
fn crisis_words_for_a_language_the_site_does_not_have() {
    assert_single_error(
        "crisis-words-unknown-language",
        "invalid-value",
        "site.toml",
        41,
    );
}

#[test]
fn an_urgent_contact_listed_twice() {
    assert_single_error(
        "duplicate-urgent-channel",
        "duplicate-id",
        "paths/ensimmainen/path.toml",
        8,
    );
}
