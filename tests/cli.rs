//! The command-line contract: exit codes, output folder safety, messages.

mod common;

use std::fs;
use std::process::Command;

use common::{fixture_content, site_with_overlay, theme};

fn polku() -> Command {
    Command::new(env!("CARGO_BIN_EXE_polku"))
}

#[test]
fn version_names_the_release_and_the_commit() {
    let output = polku().arg("--version").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let expected = format!("polku {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .trim()
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
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

/// A running `polku serve` child with its stderr lines.
struct ServeProcess {
    child: std::process::Child,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStderr>>,
}

impl ServeProcess {
    fn start(extra: &[&str], env: &[(&str, &str)]) -> ServeProcess {
        use std::io::BufRead;
        let mut child = polku()
            .args(["serve", "--port", "0", "--content"])
            .arg(fixture_content())
            .arg("--theme")
            .arg(theme())
            .args(extra)
            .envs(env.iter().copied())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        ServeProcess { child, lines }
    }

    /// Reads stderr up to the line `Watching …`; returns the lines read.
    fn banner(&mut self) -> Vec<String> {
        let mut seen = Vec::new();
        for line in self.lines.by_ref().map_while(Result::ok) {
            let done = line.starts_with("Watching ");
            seen.push(line);
            if done {
                break;
            }
        }
        seen
    }

    /// Ctrl-C (SIGINT); returns the exit code and the rest of stderr.
    fn interrupt(mut self) -> (Option<i32>, Vec<String>) {
        let killed = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let rest: Vec<String> = self.lines.map_while(Result::ok).collect();
        (self.child.wait().unwrap().code(), rest)
    }
}

/// The status code of a GET to `url` (`http://host:port/path`), sent with `host`.
fn http_status(url: &str, host: Option<&str>) -> u16 {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let host = host.unwrap_or(addr);
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    raw.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn preview_url(banner: &[String]) -> String {
    let line = banner
        .iter()
        .find(|l| l.starts_with("Preview: http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("the preview address is printed: {banner:?}"));
    line["Preview: ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn serve_prints_its_address_and_stops_cleanly_on_ctrl_c() {
    let mut serve = ServeProcess::start(&[], &[]);
    let banner = serve.banner();
    assert!(preview_url(&banner).ends_with('/'));
    assert!(banner.iter().any(|l| l.contains("/_polku/")), "{banner:?}");
    let (code, rest) = serve.interrupt();
    assert_eq!(code, Some(0), "{rest:?}");
    assert!(
        rest.iter().any(|l| l == "Stopping the preview."),
        "{rest:?}"
    );
}

#[test]
fn serve_answers_after_idling_past_its_timeouts() {
    // The timeouts shortened (test-only variables) so the wait stays short.
    let mut serve = ServeProcess::start(
        &[],
        &[
            ("POLKU_SERVE_IDLE_MS", "200"),
            ("POLKU_SERVE_HEARTBEAT_MS", "300"),
        ],
    );
    let url = preview_url(&serve.banner());
    assert_eq!(http_status(&url, None), 200);
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(1200));
        assert_eq!(http_status(&url, None), 200, "the preview still answers");
    }
    let (code, rest) = serve.interrupt();
    assert_eq!(code, Some(0), "{rest:?}");
    assert!(!rest.iter().any(|l| l.starts_with("error")), "{rest:?}");
}

#[test]
fn serve_exits_1_with_a_message_when_its_listener_breaks() {
    let mut serve = ServeProcess::start(&[], &[("POLKU_TEST_BREAK_LISTENER_MS", "300")]);
    let banner = serve.banner();
    assert!(
        banner.iter().any(|l| l.starts_with("Preview: ")),
        "{banner:?}"
    );
    let rest: Vec<String> = serve.lines.by_ref().map_while(Result::ok).collect();
    let status = serve.child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{rest:?}");
    assert!(
        rest.iter()
            .any(|l| l.starts_with("error: the preview listener failed")
                || l.starts_with("error: the live-reload listener failed")),
        "{rest:?}"
    );
    assert!(
        rest.iter().any(|l| l.contains("start `polku serve` again")),
        "{rest:?}"
    );
}

#[test]
fn serve_refuses_malformed_timeout_settings_as_usage_errors() {
    let output = polku()
        .args(["serve", "--port", "0", "--content"])
        .arg(fixture_content())
        .env("POLKU_SERVE_IDLE_MS", "soon")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("POLKU_SERVE_IDLE_MS=soon"));
}

#[test]
fn serve_on_all_interfaces_warns_and_points_pages_at_the_network_address() {
    let mut serve = ServeProcess::start(&["--host", "0.0.0.0"], &[]);
    let banner = serve.banner();
    let url = preview_url(&banner);
    let network = banner
        .iter()
        .find_map(|l| l.strip_prefix("On other devices of this network: "))
        .unwrap_or_else(|| panic!("the network address is printed: {banner:?}"))
        .to_string();
    assert!(
        banner
            .iter()
            .any(|l| l.starts_with("warning:") && l.contains("visible to everyone on the network")),
        "{banner:?}"
    );
    assert!(!network.contains("0.0.0.0"), "{network}");
    assert_eq!(http_status(&url, None), 200);
    // A phone opens the network address; its Host header is that address.
    let network_host = network
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert_eq!(http_status(&url, Some(&network_host)), 200);
    let port = network_host.rsplit(':').next().unwrap();
    assert_eq!(
        http_status(&url, Some(&format!("evil.example:{port}"))),
        403
    );
    let (code, _) = serve.interrupt();
    assert_eq!(code, Some(0));
}
