//! Property tests over everything that reads untrusted text: the loaders of
//! each content file (the fixture files, mutated), the Markdown splitter and
//! its front matter, slugs, addresses and preview request paths. Bounded
//! (`POLKU_FUZZ_SCALE=100` for a longer run); any input that ever panicked
//! becomes a fixture in `tests/fixtures/fuzz/` and is replayed below.

mod common;

use std::fs;
use std::path::Path;

use polku::content::prose;
use polku::content::slug::{is_valid_slug, slugify};
use polku::diagnostics::SourceFile;
use proptest::prelude::*;

/// Characters that matter to the formats: TOML and Markdown syntax, line
/// ends, quotes, Finnish and Swedish letters, combining marks, controls.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '+', '=', '"', '\'', '[', ']', '{', '}', '#', '.', ',', '\n', '\r', '\t', ' ', '\\',
            '-', ':', '/', '*', '_', '`', '<', '>', '(', ')', 'ä', 'ö', 'å', 'Ä', '\u{308}',
            '\u{feff}', '\0', '\u{1b}', '1', '0', 'a', 'S', 'x',
        ]),
        any::<char>(),
    ]
}

fn tricky_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Edits applied to a valid file: insert, delete or replace text at a place.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Replace(usize, usize, String),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), tricky_string(12)).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 1usize..8, tricky_string(8))
            .prop_map(|(at, n, s)| Edit::Replace(at, n, s)),
    ];
    prop::collection::vec(edit, 1..6)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let at = |i: usize| {
            if chars.is_empty() {
                0
            } else {
                i % (chars.len() + 1)
            }
        };
        match edit {
            Edit::Insert(i, s) => {
                let i = at(*i);
                chars.splice(i..i, s.chars());
            }
            Edit::Delete(i, n) => {
                let i = at(*i);
                let end = (i + n).min(chars.len());
                chars.drain(i..end);
            }
            Edit::Replace(i, n, s) => {
                let i = at(*i);
                let end = (i + n).min(chars.len());
                chars.splice(i..end, s.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// Loads and renders content whose `file` holds `text`; must not panic.
fn load_with(file: &str, text: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    fs::write(content.join(file), text).unwrap();
    let options = polku::BuildOptions {
        content,
        theme: common::theme(),
        base_url: None,
    };
    // Errors are fine; every error must name a file and a real line.
    if let Err(diags) = polku::render(&options) {
        for d in diags {
            assert!(d.line >= 1, "{d}");
            assert!(!d.message.is_empty());
        }
    }
}

/// Cases per property: a few hundred in the test suite, more with
/// `POLKU_FUZZ_SCALE=N` (N times as many) for a long run.
fn cases(base: u32) -> u32 {
    let scale: u32 = std::env::var("POLKU_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    base.saturating_mul(scale.max(1))
}

const CONTENT_FILES: [&str; 8] = [
    "site.toml",
    "segments.toml",
    "topics.toml",
    "channels.toml",
    "links.toml",
    "paths/ensimmainen/path.toml",
    "paths/ensimmainen/fi.md",
    "paths/toinen/sv.md",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_content_file_survives_mutation(which in 0..CONTENT_FILES.len(), edits in edits()) {
        let file = CONTENT_FILES[which];
        let original = fs::read_to_string(common::fixture_content().join(file)).unwrap();
        load_with(file, &apply(&original, &edits));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_markdown_splitter_and_front_matter_never_panic(
        front in tricky_string(60),
        body in prop::collection::vec(
            prop_oneof![
                Just("## Otsikko {#eka}\n".to_string()),
                Just("### Näin toimit {.instructions}\n".to_string()),
                Just("### S1 {.guidance}\n".to_string()),
                Just("# Yksi\n".to_string()),
                Just("+++\n".to_string()),
                Just("[linkki](path:toinen)\n".to_string()),
                tricky_string(30),
            ],
            0..12,
        ),
    ) {
        let text = format!("+++\ntitle = \"T\"\n{front}\n+++\n{}", body.concat());
        let file = SourceFile::new("fi.md", text.as_str());
        let (parsed, diags) = prose::parse(&file);
        for d in &diags {
            prop_assert!(d.line >= 1);
        }
        if let Some(parsed) = parsed {
            for (id, span, _) in &parsed.phases {
                prop_assert!(!id.is_empty());
                prop_assert!(span.end <= text.len());
            }
        }
        // Any text at all, not only Markdown-like.
        let raw = SourceFile::new("sv.md", front.as_str());
        let _ = prose::parse(&raw);
    }

    #[test]
    fn slugs_are_valid_or_empty(title in tricky_string(80)) {
        let slug = slugify(&title);
        prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{slug:?}");
        prop_assert!(slug.is_ascii());
    }

    #[test]
    fn base_urls_are_clean_when_accepted(raw in tricky_string(40), host in "[a-z]{1,10}") {
        for candidate in [raw.clone(), format!("https://{host}.fi/{raw}"), format!("https://{raw}")] {
            if let Ok(url) = polku::content::normalize_base_url(&candidate) {
                prop_assert!(url.ends_with('/'));
                prop_assert!(url.starts_with("http://") || url.starts_with("https://"));
                prop_assert!(!url.chars().any(|c| c.is_control() || c.is_whitespace()), "{url:?}");
            }
        }
    }

    #[test]
    fn preview_request_paths_stay_inside_the_site(raw in tricky_string(40)) {
        let path = format!("/{raw}");
        if let Some(file) = polku::serve::resolve_request_path(&path) {
            prop_assert!(!file.split('/').any(|part| part == ".." || part == "."));
            prop_assert!(!file.starts_with('/'));
            prop_assert!(!file.contains('\0') && !file.contains('\\'));
        }
    }
}

/// Inputs that once failed are replayed on every run.
#[test]
fn recorded_crashes_stay_fixed() {
    let dir = common::root().join("tests/fixtures/fuzz");
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // `<content file with / as __>.<anything>`: the text for that file.
        let Some((target, _)) = name.rsplit_once('.') else {
            continue;
        };
        let target = target.replace("__", "/");
        let text = fs::read_to_string(&path).unwrap();
        let ext = Path::new(&target).extension();
        assert!(ext.is_some(), "{name}: name the content file it replaces");
        load_with(&target, &text);
    }
}
