//! Inputs that must not hang, crash or silently drop content (issue #9):
//! FIFOs, devices, huge files and links in the content and theme folders,
//! bad command-line values. Everything runs through the binary with a
//! deadline, so a hang fails the test instead of stalling it.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A temporary project with the fixture content and the default theme.
fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let theme = tmp.path().join("theme");
    common::copy_tree(&common::fixture_content(), &content);
    common::copy_tree(&common::theme(), &theme);
    (tmp, content, theme)
}

/// Runs polku with `args`, killing it after 30 s: a hang is a failure.
fn run(args: &[&str], content: &Path, theme: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--theme")
        .arg(theme)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("polku {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn fifos_devices_and_huge_files_are_reported_never_read() {
    for (case, plant) in [
        ("FIFO as a path text", "content/paths/ensimmainen/fi.md"),
        (
            "link to /dev/zero as a path text",
            "content/paths/toinen/sv.md",
        ),
        ("FIFO as a template", "theme/templates/extra.html"),
        (
            "link to /dev/zero in the static files",
            "theme/static/zero.css",
        ),
        (
            "link to /dev/zero as channels.toml",
            "content/channels.toml",
        ),
        ("huge path text", "content/paths/ensimmainen/fi.md"),
    ] {
        let (tmp, content, theme) = project();
        let at = tmp.path().join(plant);
        let _ = fs::remove_file(&at);
        if case.starts_with("FIFO") {
            mkfifo(&at);
        } else if case.starts_with("huge") {
            let line = "Teksti, joka toistuu. ".repeat(50) + "\n";
            fs::write(&at, line.repeat(11 * 1024 * 1024 / line.len() + 1)).unwrap();
        } else {
            symlink("/dev/zero", &at).unwrap();
        }
        for command in ["check", "build"] {
            let mut args = vec![command];
            let out = tmp.path().join("public");
            let out = out.to_string_lossy().into_owned();
            if command == "build" {
                args.extend(["--out", &out]);
            }
            let o = run(&args, &content, &theme);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{case}, {command}: {err}");
            let file = plant.rsplit('/').next().unwrap();
            let expected = if case.starts_with("huge") {
                "polku reads files of at most 10 MB"
            } else {
                "not a regular file"
            };
            assert!(
                err.lines()
                    .any(|l| l.contains(file) && l.contains(expected)),
                "{case}, {command}: {err}"
            );
            assert!(!Path::new(&out).exists(), "{case}: nothing written");
        }
    }
}

#[test]
fn linked_path_folders_are_followed_inside_the_content_and_reported_outside() {
    let (tmp, content, theme) = project();
    // Inside the content folder: followed, and built under the link's name.
    fs::create_dir_all(content.join("shared")).unwrap();
    fs::rename(content.join("paths/toinen"), content.join("shared/toinen")).unwrap();
    symlink(content.join("shared/toinen"), content.join("paths/toinen")).unwrap();
    let out = tmp.path().join("public");
    let o = run(
        &["build", "--out", &out.to_string_lossy()],
        &content,
        &theme,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("fi/toinen-polku/index.html").is_file());

    // Outside the content folder: an error that names the link.
    let elsewhere = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::fixture_content().join("paths/toinen"),
        &elsewhere.path().join("kolmas"),
    );
    symlink(
        elsewhere.path().join("kolmas"),
        content.join("paths/kolmas"),
    )
    .unwrap();
    // And a link that leads nowhere.
    symlink(content.join("paths/poistettu"), content.join("paths/haamu")).unwrap();
    let o = run(&["check"], &content, &theme);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("paths/kolmas") && l.contains("outside the content folder")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("paths/haamu") && l.contains("leads nowhere")),
        "{err}"
    );
}

#[test]
fn bad_base_urls_on_the_command_line_are_usage_errors() {
    let (tmp, content, theme) = project();
    let out = tmp.path().join("public");
    for bad in [
        "javascript:alert(1)//",
        "https://polut.example.org/\nDisallow: /",
    ] {
        let o = run(
            &["build", "--out", &out.to_string_lossy(), "--base-url", bad],
            &content,
            &theme,
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
        assert!(!out.exists());
    }
    let o = run(
        &[
            "build",
            "--out",
            &out.to_string_lossy(),
            "--base-url",
            "https://polut.example.org/alue",
        ],
        &content,
        &theme,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(!robots.contains("Disallow"), "{robots}");
    assert!(
        robots.contains("https://polut.example.org/alue/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn confirming_a_translation_keeps_the_file_as_it_was_and_reports_content_problems() {
    let (_tmp, content, theme) = project();
    let sv = content.join("paths/ensimmainen/sv.md");
    let original = fs::read_to_string(&sv).unwrap();
    // A Windows editor's file: BOM, CRLF, and a multi-line string that
    // contains a line looking like the key.
    let windows = format!(
        "\u{feff}{}",
        original
            .replacen("+++\n", "+++\n# översatt av byrån\n", 1)
            .replacen(
                "summary = \"",
                "summary = \"\"\"\ntranslation_of = \"inte en nyckel\"\n\"\"\" # \"",
                1
            )
            .replace('\n', "\r\n")
    );
    fs::write(&sv, &windows).unwrap();
    let o = run(
        &["check", "--confirm-translation", "ensimmainen"],
        &content,
        &theme,
    );
    let err = stderr(&o);
    assert!(err.contains("Confirmed the translation"), "{err}");
    let after = fs::read_to_string(&sv).unwrap();
    assert!(after.starts_with('\u{feff}'), "the BOM stays");
    assert!(!after.replace("\r\n", "").contains('\n'), "CRLF stays");
    assert!(after.contains("translation_of = \"inte en nyckel\"\r\n\"\"\""));
    assert!(after.contains("# översatt av byrån\r\n"));
    let added = after
        .lines()
        .filter(|l| l.starts_with("translation_of = \""))
        .count();
    assert_eq!(
        added, 2,
        "one key added, the string's line untouched: {after}"
    );
    // The body is byte for byte what it was.
    let body = |t: &str| t.split("\r\n+++\r\n").nth(1).unwrap().to_string();
    assert_eq!(body(&after), body(&windows));
    let leftovers: Vec<_> = fs::read_dir(sv.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("polku-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Unknown path: a usage error. Broken front matter in the translation
    // (the Finnish source still loads): a content error, nothing written.
    let o = run(
        &["check", "--confirm-translation", "ei-ole"],
        &content,
        &theme,
    );
    assert_eq!(o.status.code(), Some(2));
    fs::write(&sv, "+++\ntitle = \"Första\n+++\n").unwrap();
    let o = run(
        &["check", "--confirm-translation", "ensimmainen"],
        &content,
        &theme,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&sv).unwrap(),
        "+++\ntitle = \"Första\n+++\n"
    );
}

#[test]
fn the_preview_survives_a_fifo_in_the_content_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let (_tmp, content, theme) = project();
    let fi = content.join("paths/ensimmainen/fi.md");
    fs::remove_file(&fi).unwrap();
    mkfifo(&fi);
    let mut child = Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(["serve", "--port", "0", "--content"])
        .arg(&content)
        .arg("--theme")
        .arg(&theme)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // A watchdog: if the preview hangs on the FIFO, it is killed and the
    // test fails below for want of the banner. It stands down as soon as
    // the preview has been waited for, so it can never kill a process that
    // later gets the same number.
    let (done, stand_down) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            stand_down.recv_timeout(Duration::from_secs(30))
        {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    });
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let seen: Vec<String> = lines
        .by_ref()
        .map_while(Result::ok)
        .take_while(|l| !l.starts_with("Watching "))
        .collect();
    assert!(
        seen.iter()
            .any(|l| l.contains("fi.md") && l.contains("not a regular file")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|l| l.starts_with("Preview: ")), "{seen:?}");
    let kill = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    let _ = done.send(());
    watchdog.join().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn theme_files_that_link_outside_the_theme_are_refused_never_published() {
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("deploy-token.txt");
    fs::write(&secret, "DEPLOY_TOKEN=hunter2\n").unwrap();
    // In the theme's static folder, and in the project's override folder
    // beside the content (docs/theming.md).
    for (case, link) in [
        ("theme", "theme/static/county.css"),
        ("override", "static/county.css"),
    ] {
        let (tmp, content, theme) = project();
        let at = tmp.path().join(link);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(&secret, &at).unwrap();
        // A link inside the theme is a file of the theme, and is kept.
        symlink("style.css", theme.join("static/alias.css")).unwrap();
        let out = tmp.path().join("public");
        let o = run(
            &["build", "--out", &out.to_string_lossy()],
            &content,
            &theme,
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{case}: {err}");
        assert!(
            err.lines()
                .any(|l| l.contains("county.css") && l.contains("outside") && l.contains("error")),
            "{case}: {err}"
        );
        assert!(
            err.contains("copy the file into the theme"),
            "{case}: {err}"
        );
        assert!(!out.exists(), "{case}: nothing written");
        // Without the outside link the site builds, the inside link with it.
        fs::remove_file(&at).unwrap();
        let o = run(
            &["build", "--out", &out.to_string_lossy()],
            &content,
            &theme,
        );
        assert_eq!(o.status.code(), Some(0), "{case}: {}", stderr(&o));
        let published = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.is_file())
            .any(|p| fs::read_to_string(p).is_ok_and(|t| t.contains("hunter2")));
        assert!(!published, "{case}: the secret was published");
    }
}
