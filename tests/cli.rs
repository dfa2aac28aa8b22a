//! The command-line contract: exit codes, output folder safety, messages.

mod common;

use std::fs;
use std::process::Command;

use common::{fixture_content, site_with_overlay, theme};

fn polku() -> Command {
    Command::new(env!("CARGO_BIN_EXE_polku"))
}

#[test]
fn build_succeeds_with_exit_0() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let status = common::polku_build(&fixture_content(), &out, &[]).status;
    assert_eq!(status.code(), Some(0));
    assert!(out.join("fi/index.html").is_file());
}

#[test]
fn content_errors_exit_1_and_leave_previous_output_untouched() {
    let (tmp, content) = site_with_overlay("unknown-channel");
    let out = tmp.path().join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "previous site").unwrap();
    let output = common::polku_build(&content, &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("paths/ensimmainen/path.toml:11:24: error: unknown channel `chta`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: define it in channels.toml or correct the id; did you mean `chat`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Build failed: 1 error, 0 warnings."),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "previous site"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        2,
        "no staging folders left behind"
    );
}

#[test]
fn check_reports_and_writes_nothing() {
    let (tmp, content) = site_with_overlay("missing-phase");
    let output = polku()
        .current_dir(tmp.path())
        .args(["check", "--content", "content", "--theme"])
        .arg(theme())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "content/paths/ensimmainen/sv.md:35:1: error: phase `toka` has no Swedish text"
        ),
        "{stderr}"
    );
    assert!(!tmp.path().join("public").exists());
    drop(content);

    let ok = polku()
        .args(["check", "--content"])
        .arg(fixture_content())
        .arg("--theme")
        .arg(theme())
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["build", "--no-such-flag"],
        vec!["frobnicate"],
        vec![],
        vec!["new", "path", "Ei Kelpaa"],
    ] {
        let status = polku().args(&args).output().unwrap().status;
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn missing_content_folder_is_a_content_error() {
    let tmp = tempfile::tempdir().unwrap();
    let output = polku()
        .current_dir(tmp.path())
        .args(["check", "--theme"])
        .arg(theme())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("content:1:1: error: the content folder does not exist"),
        "{stderr}"
    );
}

#[test]
fn new_path_scaffolds_a_path_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&fixture_content(), &content);
    let status = polku()
        .args(["new", "path", "uusi-polku", "--content"])
        .arg(&content)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    for f in ["path.toml", "fi.md", "sv.md"] {
        assert!(content.join("paths/uusi-polku").join(f).is_file(), "{f}");
    }
    let again = polku()
        .args(["new", "path", "uusi-polku", "--content"])
        .arg(&content)
        .status()
        .unwrap();
    assert_eq!(
        again.code(),
        Some(2),
        "an existing path is never overwritten"
    );
    let out = tmp.path().join("public");
    let build = common::polku_build(&content, &out, &[]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(out.join("fi/uusi-polku/index.html").is_file());
    assert!(out.join("sv/uusi-polku/index.html").is_file());
}

#[test]
fn serve_prints_its_address_and_stops_cleanly_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let mut child = polku()
        .args(["serve", "--port", "0", "--content"])
        .arg(fixture_content())
        .arg("--theme")
        .arg(theme())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let preview = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Preview: http://127.0.0.1:"))
        .expect("the preview address is printed");
    assert!(preview.contains("/_polku/"), "{preview}");
    // Ctrl-C is SIGINT.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{rest:?}");
    assert!(
        rest.iter().any(|l| l == "Stopping the preview."),
        "{rest:?}"
    );
}
