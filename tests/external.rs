//! `polku check --external` against a local server that answers 200, 301,
//! 404 and 500, refuses HEAD, and hangs.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Serves the test routes; counts the requests it answers.
fn server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or("");
                let path = parts.next().unwrap_or("");
                let reply = match (method, path) {
                    (_, "/ok") => "200 OK\r\n".to_string(),
                    (_, "/moved") => "301 Moved Permanently\r\nLocation: /ok\r\n".to_string(),
                    (_, "/gone") => "404 Not Found\r\n".to_string(),
                    (_, "/error") => "500 Internal Server Error\r\n".to_string(),
                    ("HEAD", "/no-head") => "405 Method Not Allowed\r\n".to_string(),
                    ("GET", "/no-head") => "200 OK\r\n".to_string(),
                    (_, "/hang") => {
                        std::thread::sleep(Duration::from_secs(5));
                        return;
                    }
                    _ => "404 Not Found\r\n".to_string(),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {reply}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    (port, count)
}

fn check(content: &std::path::Path, extra: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(["check", "--external", "--link-timeout", "1", "--content"])
        .arg(content)
        .arg("--theme")
        .arg(common::theme())
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn external_addresses_are_checked_politely_and_cached() {
    let (port, requests) = server();
    let (tmp, content) = common::overlay_from("check", "control-characters");
    let fi = content.join("paths/ensimmainen/fi.md");
    let text = std::fs::read_to_string(&fi).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let links = ["ok", "moved", "gone", "error", "no-head", "hang"]
        .iter()
        .map(|p| format!("[sivu {p}]({base}/{p})"))
        .collect::<Vec<_>>()
        .join(", ");
    std::fs::write(
        &fi,
        text.replace(
            "Johdanto ensimmäiseen polkuun.",
            &format!("Johdanto ensimmäiseen polkuun. Katso {links}."),
        ),
    )
    .unwrap();

    let (code, err) = check(&content, &[]);
    assert_eq!(code, Some(0), "warnings do not fail the check: {err}");
    let finding = |needle: &str| {
        err.lines()
            .any(|l| l.contains(&format!("warning: {needle}")) && l.contains("fi.md:6:"))
    };
    assert!(
        finding(&format!("{base}/moved has moved to {base}/ok")),
        "{err}"
    );
    assert!(
        err.contains(&format!("update the address to `{base}/ok`")),
        "{err}"
    );
    assert!(finding(&format!("{base}/gone answers 404")), "{err}");
    assert!(finding(&format!("{base}/error answers 500")), "{err}");
    assert!(
        finding(&format!("{base}/hang could not be reached")),
        "{err}"
    );
    assert!(
        !err.contains(&format!("{base}/ok answers")) && !err.contains(&format!("{base}/no-head ")),
        "{err}"
    );

    // Cached beside the content folder: a second run asks nothing.
    assert!(tmp
        .path()
        .join(".polku-cache/external-links.json")
        .is_file());
    let asked = requests.load(Ordering::SeqCst);
    let (_, again) = check(&content, &[]);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        asked,
        "served from the cache"
    );
    assert!(again.contains(&format!("{base}/gone answers 404")));
    // The codes, for scripts (JSON Lines).
    let json = Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(["check", "--external", "--format", "json", "--content"])
        .arg(&content)
        .arg("--theme")
        .arg(common::theme())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&json.stdout).into_owned();
    for code in [
        "external-link-moved",
        "external-link-broken",
        "external-link-unreachable",
    ] {
        assert!(
            lines.contains(&format!("\"code\":\"{code}\"")),
            "{code}: {lines}"
        );
    }
    // --strict fails on them; a zero cache age asks again.
    let (code, _) = check(&content, &["--strict", "--link-cache-hours", "0"]);
    assert_eq!(code, Some(1));
    assert!(requests.load(Ordering::SeqCst) > asked);
}
