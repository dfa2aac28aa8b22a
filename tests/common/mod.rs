//! Helpers shared by the integration tests: fixture sites and overlays.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default theme.
pub fn theme() -> PathBuf {
    root().join("themes/default")
}

/// The valid fixture site's content folder.
pub fn fixture_content() -> PathBuf {
    root().join("tests/fixtures/site/content")
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in WalkDir::new(from).into_iter().map(Result::unwrap) {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the valid fixture site with the files of
/// `tests/fixtures/invalid/<case>/` laid over it. A file `X.delete` in the
/// overlay removes `X`. Returns the temp dir and its content folder.
pub fn site_with_overlay(case: &str) -> (tempfile::TempDir, PathBuf) {
    overlay_from("invalid", case)
}

/// Like [`site_with_overlay`], with the overlay from `tests/fixtures/<set>/<case>/`.
pub fn overlay_from(set: &str, case: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_tree(&fixture_content(), &content);
    let overlay = root().join("tests/fixtures").join(set).join(case);
    assert!(overlay.is_dir(), "missing fixture {}", overlay.display());
    for entry in WalkDir::new(&overlay).into_iter().map(Result::unwrap) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&overlay).unwrap();
        let target = content.join(rel);
        let name = rel.to_string_lossy();
        if let Some(victim) = name.strip_suffix(".delete") {
            fs::remove_file(content.join(victim)).unwrap();
        } else {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    (tmp, content)
}

/// Runs `polku build` on `content` with the default theme into `out`.
pub fn polku_build(content: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_polku"))
        .arg("build")
        .args(extra)
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(theme())
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every file below `dir` with its bytes, to compare before and after.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}
