//! `polku serve` end to end: a real server on a free port over a temporary
//! copy of the fixture site, spoken to over raw TCP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use polku::serve::{Limits, Notice, ServeOptions, Server};

const WAIT: Duration = Duration::from_secs(10);

struct Preview {
    _tmp: tempfile::TempDir,
    content: std::path::PathBuf,
    server: Server,
}

fn start() -> Preview {
    start_with(Limits::default())
}

/// Timeouts short enough that a test can wait past all of them.
fn short_limits() -> Limits {
    Limits {
        idle_timeout: Duration::from_millis(200),
        heartbeat: Duration::from_millis(300),
        ..Limits::default()
    }
}

fn start_with(limits: Limits) -> Preview {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    start_on(tmp, content, limits)
}

fn start_on(tmp: tempfile::TempDir, content: std::path::PathBuf, limits: Limits) -> Preview {
    let theme = tmp.path().join("theme");
    common::copy_tree(&common::theme(), &theme);
    let server = Server::start(ServeOptions {
        content: content.clone(),
        theme,
        host: "127.0.0.1".into(),
        port: Some(0),
        limits,
    })
    .expect("server starts");
    Preview {
        _tmp: tmp,
        content,
        server,
    }
}

/// A raw GET: status, headers (lower-cased names) and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// Opens the live-reload stream; yields the generation of every event.
fn events(server: &Server) -> Receiver<u64> {
    let addr = server.events_addr();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /_polku/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(g) = line.strip_prefix("data: ") {
                if tx.send(g.trim().parse().unwrap()).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    // Like many editors: write a temporary file, then rename it over the original.
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text.replace(from, to)).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn edit_reloads_break_shows_overlay_fix_recovers() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    let first = reloads
        .recv_timeout(WAIT)
        .expect("the stream starts with the current generation");

    let (status, head, body) = get(addr, "/fi/ensimmainen-polku/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"));
    assert!(body.contains("Ensimmäisen vaiheen teksti."));
    assert!(
        body.contains("<script src=\"/_polku/live.js\""),
        "live reload is injected in serve mode"
    );

    // Edit: the reload event arrives and the new text is served.
    edit(
        &p.content.join("paths/ensimmainen/fi.md"),
        "Ensimmäisen vaiheen teksti.",
        "Päivitetty vaiheen teksti.",
    );
    let second = reloads
        .recv_timeout(WAIT)
        .expect("reload event after a save");
    assert!(second > first);
    let (_, _, body) = get(addr, "/fi/ensimmainen-polku/");
    assert!(
        body.contains("Päivitetty vaiheen teksti."),
        "new text is served"
    );

    // Break: the last good page stays, with an overlay in the page's language.
    edit(
        &p.content.join("paths/ensimmainen/path.toml"),
        "channels = [\"viesti\"]",
        "channels = [\"viestii\"]",
    );
    reloads
        .recv_timeout(WAIT)
        .expect("reload event after the broken save");
    let (status, _, fi) = get(addr, "/fi/ensimmainen-polku/");
    assert_eq!(status, 200);
    assert!(
        fi.contains("Päivitetty vaiheen teksti."),
        "the last good page is still served"
    );
    assert!(fi.contains("id=\"polku-overlay\" lang=\"fi\""));
    assert!(fi.contains("Sisällössä on virheitä"));
    assert!(
        fi.contains("paths/ensimmainen/path.toml:16:13</code>"),
        "{fi}"
    );
    assert!(fi.contains("unknown channel `viestii`"));
    assert!(fi.contains("did you mean `viesti`?"));
    let (_, _, sv) = get(addr, "/sv/andra-stigen/");
    assert!(sv.contains("id=\"polku-overlay\" lang=\"sv\""));
    // A first folder that looks like a language code but is none of the
    // site's: the 404 page with the overlay in the default language (this
    // once panicked the connection's thread).
    let (status, _, other) = get(addr, "/abc/ei-ole.html");
    assert_eq!(status, 404);
    assert!(
        other.contains("id=\"polku-overlay\" lang=\"fi\""),
        "{other}"
    );
    assert!(sv.contains("Innehållet har fel"));
    let (_, _, index) = get(addr, "/_polku/");
    assert!(index.contains("unknown channel `viestii`"));

    // Fix: the overlay goes away.
    edit(
        &p.content.join("paths/ensimmainen/path.toml"),
        "channels = [\"viestii\"]",
        "channels = [\"viesti\"]",
    );
    reloads
        .recv_timeout(WAIT)
        .expect("reload event after the fix");
    let (_, _, fixed) = get(addr, "/fi/ensimmainen-polku/");
    assert!(!fixed.contains("polku-overlay"));
    assert!(fixed.contains("Päivitetty vaiheen teksti."));
    p.server.stop();
}

#[test]
fn search_works_in_the_preview_and_follows_every_save() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    let (status, _, page) = get(addr, "/fi/haku/?q=testi");
    assert_eq!(status, 200);
    assert!(page.contains("data-search"), "the search page");
    let (status, head, index) = get(addr, "/search/fi.json");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"));
    assert!(!index.contains("\"kirahvi\""));
    // A keyword added in a save is searchable at once.
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "title = \"Toinen polku\"",
        "title = \"Toinen polku\"\nkeywords = [\"kirahvi\"]",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let (_, _, index) = get(addr, "/search/fi.json");
    assert!(index.contains("\"kirahvi\""), "{index}");
    // The preview patches its index save by save; after a phase text edit
    // and a second keyword edit it must still equal a fresh build's.
    edit(
        &p.content.join("paths/ensimmainen/fi.md"),
        "Ensimmäisen vaiheen teksti.",
        "Ensimmäisen vaiheen uusi sisältö, jossa on sana seepra.",
    );
    reloads.recv_timeout(WAIT).unwrap();
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "keywords = [\"kirahvi\"]",
        "keywords = [\"norsu\"]",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let out = p._tmp.path().join("fresh-build");
    let built = common::polku_build(&p.content, &out, &[]);
    assert!(built.status.success());
    for lang in ["fi", "sv"] {
        let (_, _, served) = get(addr, &format!("/search/{lang}.json"));
        let fresh = std::fs::read_to_string(out.join(format!("search/{lang}.json"))).unwrap();
        let served: serde_json::Value = serde_json::from_str(&served).unwrap();
        let fresh: serde_json::Value = serde_json::from_str(&fresh).unwrap();
        // Addresses differ (the preview serves from its own origin);
        // terms and postings must not.
        assert_eq!(served["terms"], fresh["terms"], "{lang}");
        assert_eq!(
            served["docs"].as_array().unwrap().len(),
            fresh["docs"].as_array().unwrap().len()
        );
    }
    let (_, _, index) = get(addr, "/search/fi.json");
    assert!(index.contains("\"norsu\"") && !index.contains("\"kirahvi\""));
    p.server.stop();
}

#[test]
fn shared_change_rebuilds_every_page_that_shows_it() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    edit(
        &p.content.join("channels.toml"),
        "name.fi = \"Neuvontapuhelin\"",
        "name.fi = \"Neuvonnan puhelin\"",
    );
    reloads.recv_timeout(WAIT).unwrap();
    for page in [
        "/fi/ensimmainen-polku/",
        "/fi/toinen-polku/",
        "/fi/palvelukanavat/",
    ] {
        let (_, _, body) = get(addr, page);
        assert!(body.contains("Neuvonnan puhelin"), "{page}");
    }
    // Its page moved with its name, and the old address is gone.
    assert_eq!(get(addr, "/fi/palvelukanavat/neuvonnan-puhelin/").0, 200);
    assert_eq!(get(addr, "/fi/palvelukanavat/neuvontapuhelin/").0, 404);
    p.server.stop();
}

#[test]
fn editor_noise_causes_no_rebuild() {
    let p = start();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    let dir = p.content.join("paths/ensimmainen");
    std::fs::write(dir.join(".fi.md.swp"), "swap").unwrap();
    std::fs::write(dir.join("fi.md~"), "backup").unwrap();
    std::fs::write(p.content.join(".DS_Store"), "finder").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    assert!(
        reloads.recv_timeout(Duration::from_millis(800)).is_err(),
        "no reload for editor files"
    );
    // One real save is one rebuild.
    edit(&dir.join("fi.md"), "Johdanto", "Uusi johdanto");
    reloads.recv_timeout(WAIT).unwrap();
    assert!(
        reloads.recv_timeout(Duration::from_millis(500)).is_err(),
        "one save, one reload"
    );
    p.server.stop();
}

#[test]
fn only_site_files_are_served() {
    let p = start();
    let addr = p.server.addr();
    // A symlink in the theme pointing outside is not part of the site.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/etc/passwd",
        p.content.parent().unwrap().join("theme/static/passwd"),
    )
    .unwrap();
    for evil in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/static/..%2f..%2fcontent/site.toml",
        "/fi/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/static/passwd",
        "/..%5c..%5cCargo.toml",
        "/site.toml",
        "/content/site.toml",
    ] {
        let (status, _, body) = get(addr, evil);
        assert_eq!(status, 404, "{evil}");
        assert!(
            !body.contains("root:") && !body.contains("[package]"),
            "{evil}"
        );
    }
    let (status, _, body) = get(addr, "/sv/finns-inte/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Sidan hittades inte"),
        "the site's Swedish 404 page"
    );
    // The theme's files under the content-hashed names the pages use.
    let (_, _, page) = get(addr, "/fi/ensimmainen-polku/");
    let asset = |prefix: &str| {
        let at = page
            .find(prefix)
            .unwrap_or_else(|| panic!("{prefix} in {page}"));
        page[at..]
            .split('"')
            .next()
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .to_string()
    };
    let (status, head, _) = get(addr, &asset("/static/style."));
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));
    let (_, head, _) = get(addr, "/sitemap.xml");
    assert!(head.contains("content-type: application/xml"));
    let (_, head, _) = get(addr, &asset("/static/icons."));
    assert!(head.contains("content-type: image/svg+xml"));
    p.server.stop();
}

#[test]
fn many_tabs_and_page_loads_at_once() {
    let p = start();
    let addr = p.server.addr();
    // Idle keep-alive connections, as browsers keep them, occupy server threads.
    let idle: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            write!(s, "GET /fi/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            s
        })
        .collect();
    let streams: Vec<Receiver<u64>> = (0..24).map(|_| events(&p.server)).collect();
    for s in &streams {
        s.recv_timeout(WAIT).expect("every tab gets its stream");
    }
    let loads: Vec<_> = (0..32)
        .map(|i| {
            std::thread::spawn(move || {
                get(
                    addr,
                    if i % 2 == 0 {
                        "/fi/"
                    } else {
                        "/sv/forsta-stigen/"
                    },
                )
                .0
            })
        })
        .collect();
    for l in loads {
        assert_eq!(l.join().unwrap(), 200);
    }
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "Ainoan vaiheen teksti.",
        "Muutettu teksti.",
    );
    for s in &streams {
        s.recv_timeout(WAIT)
            .expect("every tab hears about the rebuild");
    }
    // The idle connections were open the whole time.
    drop(idle);
    p.server.stop();
}

#[test]
fn every_page_that_lists_a_path_without_its_translation_says_so() {
    // The A–Ö listing is made once per language and shared by the pages
    // that show it: each of them is marked, not only the first made.
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    std::fs::remove_file(content.join("paths/toinen/sv.md")).unwrap();
    let p = start_on(tmp, content, Limits::default());
    let addr = p.server.addr();
    for page in ["/sv/", "/sv/sok/"] {
        let (_, _, body) = get(addr, page);
        assert!(
            body.contains("Översättningar saknas på den här sidan."),
            "missing translation banner on {page}"
        );
    }
    let (_, _, fi) = get(addr, "/fi/");
    assert!(!fi.contains("preview-banner"), "no banner on /fi/");
    p.server.stop();
}

#[test]
fn drafts_are_previewed_with_a_badge_and_never_built() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    // The message channel has only a Finnish address: each Swedish page
    // that shows it says so (its card is made once and shared by both).
    for page in ["/sv/forsta-stigen/", "/sv/andra-stigen/"] {
        let (_, _, sv) = get(addr, page);
        assert!(
            sv.contains("Översättningar saknas på den här sidan."),
            "missing translation banner on {page}"
        );
    }
    edit(
        &p.content.join("paths/toinen/path.toml"),
        "topic = \"terveys\"",
        "topic = \"terveys\"\ndraft = true",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let (status, _, body) = get(addr, "/fi/toinen-polku/");
    assert_eq!(status, 200);
    assert!(
        body.contains("class=\"draft-badge\""),
        "draft badge in preview"
    );

    let (_, _, fi) = get(addr, "/fi/ensimmainen-polku/");
    assert!(
        !fi.contains("preview-banner"),
        "nothing is missing in Finnish"
    );

    let out = p.content.parent().unwrap().join("public");
    let options = polku::BuildOptions {
        content: p.content.clone(),
        theme: common::theme(),
        base_url: None,
    };
    polku::build(&options, &out).unwrap();
    assert!(
        !out.join("fi/toinen-polku/index.html").exists(),
        "drafts are left out of builds"
    );
    let first = std::fs::read_to_string(out.join("fi/ensimmainen-polku/index.html")).unwrap();
    assert!(!first.contains("toinen-polku"), "no link to a draft");
    assert!(!first.contains("_polku") && !first.contains("draft-badge"));
    p.server.stop();
}

#[test]
fn a_taken_port_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let result = Server::start(ServeOptions {
        content: common::fixture_content(),
        theme: common::theme(),
        host: "127.0.0.1".into(),
        port: Some(port),
        limits: Limits::default(),
    });
    match result {
        Err(e) => {
            let wanted = format!("127.0.0.1:{port}");
            assert!(
                matches!(&e, polku::serve::ServeError::Bind { addr, .. } if *addr == wanted),
                "unexpected error {e:?}"
            );
            assert!(
                e.to_string()
                    .starts_with(&format!("cannot listen on {wanted}: ")),
                "{e}"
            );
            use polku::error::Advice;
            assert!(e.hint().contains("--port N"), "{}", e.hint());
        }
        Ok(_) => panic!("bound a taken port"),
    }
}

#[test]
fn the_index_counts_translations_per_language_and_follows_saves() {
    let p = start();
    let addr = p.server.addr();
    let (_, _, index) = get(addr, "/_polku/");
    // The fixture: 19 current texts (the TOML files), 19 stale (the paths'
    // Swedish files were never confirmed), 1 missing (an owner).
    assert!(
        index.contains("<h2>Käännökset</h2>")
            && index.contains("<li><strong>ruotsi (sv)</strong>: ajan tasalla 19, vanhentuneita 19, puuttuu 1. <code>polku translate export --to sv --out sv.xlf</code></li>"),
        "{index}"
    );
    // A translation file removed: its four texts are missing now.
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    std::fs::remove_file(p.content.join("paths/toinen/sv.md")).unwrap();
    reloads
        .recv_timeout(WAIT)
        .expect("reload after the removal");
    let (_, _, index) = get(addr, "/_polku/");
    assert!(
        index.contains("ajan tasalla 19, vanhentuneita 15, puuttuu 5."),
        "{index}"
    );
    p.server.stop();
}

#[test]
fn editorial_findings_show_on_their_page_and_on_the_index() {
    let p = start();
    let addr = p.server.addr();
    // The fixture path `toinen` has no owner: a clock-independent finding.
    let (_, _, fi) = get(addr, "/fi/toinen-polku/");
    assert!(
        fi.contains(
            "<details id=\"polku-findings\" lang=\"fi\"><summary>Huomioita tämän sivun sisällöstä:"
        ),
        "{fi}"
    );
    assert!(fi.contains("paths/toinen/path.toml:1:1</code>"));
    assert!(fi.contains("the path has no content owner"));
    let (_, _, sv) = get(addr, "/sv/andra-stigen/");
    assert!(sv.contains("Anmärkningar om innehållet på den här sidan:"));
    let (_, _, index) = get(addr, "/_polku/");
    assert!(index.contains("the path has no content owner"));
    assert!(
        index.contains("href=\"/sv/andra-stigen/\""),
        "the index lists every page"
    );

    // Adding the owner makes the finding go away after the rebuild.
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    edit(
        &p.content.join("paths/toinen/path.toml"),
        "topic = \"terveys\"",
        "topic = \"terveys\"\nowner = \"Testiyksikkö\"",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let (_, _, fi) = get(addr, "/fi/toinen-polku/");
    assert!(!fi.contains("the path has no content owner"));
    p.server.stop();
}

/// Sends a raw request head on `stream` and reads one response with its
/// `Content-Length` body: status, lower-cased head, body.
fn exchange(stream: &mut TcpStream, request: &str) -> std::io::Result<(u16, String, String)> {
    stream.write_all(request.as_bytes())?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let head = head.to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, head, String::from_utf8_lossy(&body).into_owned()))
}

fn keep_alive_get(path: &str, addr: SocketAddr) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n")
}

#[test]
fn new_connections_are_accepted_after_idling_past_the_default_timeouts() {
    // The bug of issue #8: five idle seconds and the listener was gone.
    let p = start();
    let addr = p.server.addr();
    assert_eq!(get(addr, "/fi/").0, 200);
    std::thread::sleep(Limits::default().idle_timeout + Duration::from_secs(2));
    assert_eq!(get(addr, "/fi/").0, 200, "the preview answers after idling");
    assert_eq!(get(addr, "/sv/").0, 200);
    p.server.stop();
}

#[test]
fn idle_periods_longer_than_every_timeout_stop_nothing() {
    let limits = short_limits();
    let p = start_with(limits);
    let addr = p.server.addr();
    let reloads = events(&p.server);
    let first = reloads.recv_timeout(WAIT).unwrap();
    let longest = limits.idle_timeout.max(limits.heartbeat);
    // Several idle periods, each past every timeout, with use in between.
    for round in 0..3 {
        std::thread::sleep(longest * 4);
        assert_eq!(get(addr, "/fi/").0, 200, "round {round}");
        assert_eq!(get(addr, "/_polku/").0, 200, "round {round}");
    }
    // The reload stream idled through all of that and still delivers.
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "Ainoan vaiheen teksti.",
        "Muutettu teksti.",
    );
    let next = reloads
        .recv_timeout(WAIT)
        .expect("an idle reload stream still delivers the next reload");
    assert!(next > first);
    // A new tab opened after that loads at once, and gets its own stream.
    assert!(get(addr, "/fi/toinen-polku/")
        .2
        .contains("Muutettu teksti."));
    events(&p.server).recv_timeout(WAIT).unwrap();
    p.server.stop();
}

#[test]
fn keep_alive_connections_are_reused_and_idle_ones_closed_cleanly() {
    let limits = Limits {
        idle_timeout: Duration::from_millis(600),
        ..short_limits()
    };
    let p = start_with(limits);
    let addr = p.server.addr();
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(WAIT)).unwrap();
    let (status, head, body) = exchange(&mut conn, &keep_alive_get("/fi/", addr)).unwrap();
    assert_eq!(status, 200);
    assert!(head.contains("connection: keep-alive"), "{head}");
    assert!(body.contains("</html>"));
    // Idle, but within the timeout: the same connection serves again.
    std::thread::sleep(limits.idle_timeout / 3);
    let (status, _, _) = exchange(&mut conn, &keep_alive_get("/sv/", addr)).unwrap();
    assert_eq!(status, 200, "a keep-alive connection is reused");
    // A HEAD on the same connection has the head only.
    let head_req = format!("HEAD /fi/ HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    conn.write_all(head_req.as_bytes()).unwrap();
    let mut first_line = String::new();
    BufReader::new(conn.try_clone().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    assert!(first_line.starts_with("HTTP/1.1 200"), "{first_line}");
    drop(conn);

    // Idle past the timeout: the server closes it cleanly (end of stream),
    // and the next connection is served as usual.
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.set_read_timeout(Some(WAIT)).unwrap();
    exchange(&mut idle, &keep_alive_get("/fi/", addr)).unwrap();
    std::thread::sleep(limits.idle_timeout * 3);
    let mut rest = Vec::new();
    let closed = idle.read_to_end(&mut rest);
    assert!(
        matches!(closed, Ok(0)),
        "an idle connection is closed: {closed:?}"
    );
    assert_eq!(get(addr, "/fi/").0, 200);
    p.server.stop();
}

#[test]
fn requests_are_bounded_and_only_for_this_host() {
    let p = start();
    let addr = p.server.addr();
    let raw = |request: String| {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        exchange(&mut s, &request).unwrap()
    };
    let huge = "a".repeat(20_000);
    let (status, _, _) = raw(format!(
        "GET /fi/ HTTP/1.1\r\nHost: {addr}\r\nX-Big: {huge}\r\n\r\n"
    ));
    assert_eq!(status, 431, "an oversized head");
    let (status, head, _) = raw(format!(
        "POST /fi/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\n\r\nab"
    ));
    assert_eq!(status, 405);
    assert!(head.contains("allow: get, head"), "{head}");
    for method in ["PUT", "DELETE", "OPTIONS"] {
        let (status, _, _) = raw(format!("{method} / HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
        assert_eq!(status, 405, "{method}");
    }
    // DNS rebinding: a page of another site whose name now points here.
    let port = addr.port();
    for foreign in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let (status, _, body) = raw(format!("GET /_polku/ HTTP/1.1\r\nHost: {foreign}\r\n\r\n"));
        assert_eq!(status, 403, "{foreign}");
        assert!(body.contains("not allowed"));
    }
    let (status, _, _) = raw("GET /fi/ HTTP/1.1\r\n\r\n".to_string());
    assert_eq!(status, 400, "HTTP/1.1 without Host");
    for own in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, _, _) = raw(format!("GET /fi/ HTTP/1.1\r\nHost: {own}\r\n\r\n"));
        assert_eq!(status, 200, "{own}");
    }

    // The reload stream answers pages of this preview only.
    let events = p.server.events_addr();
    let stream_head = |origin: &str| {
        let mut s = TcpStream::connect(events).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "GET /_polku/events HTTP/1.1\r\nHost: {events}\r\nOrigin: {origin}\r\n\r\n"
        )
        .unwrap();
        let mut head = String::new();
        let mut reader = BufReader::new(s);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line.to_ascii_lowercase());
        }
        head
    };
    let own = format!("http://127.0.0.1:{port}");
    let head = stream_head(&own);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains(&format!("access-control-allow-origin: {own}")),
        "{head}"
    );
    assert!(!head.contains("access-control-allow-origin: *"));
    let head = stream_head("http://evil.example");
    assert!(head.starts_with("http/1.1 403"), "{head}");
    assert!(!head.contains("access-control-allow-origin"));
    // Pages are not served from the stream's port.
    let (status, _, _) = {
        let mut s = TcpStream::connect(events).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        exchange(
            &mut s,
            &format!("GET /fi/ HTTP/1.1\r\nHost: {events}\r\n\r\n"),
        )
        .unwrap()
    };
    assert_eq!(status, 404);
    p.server.stop();
}

#[test]
fn reload_streams_are_bounded_and_the_oldest_closed_first() {
    let p = start_with(Limits {
        max_streams: 4,
        ..short_limits()
    });
    let streams: Vec<Receiver<u64>> = (0..6)
        .map(|_| {
            let rx = events(&p.server);
            rx.recv_timeout(WAIT).expect("the stream opens");
            rx
        })
        .collect();
    assert_eq!(p.server.open_streams(), 4);
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "Ainoan vaiheen teksti.",
        "Muutettu teksti.",
    );
    for (i, s) in streams.iter().enumerate() {
        let got = s.recv_timeout(Duration::from_secs(3));
        if i < 2 {
            assert!(got.is_err(), "stream {i} was closed as one of the oldest");
        } else {
            got.unwrap_or_else(|_| panic!("stream {i} hears the reload"));
        }
    }
    // Pages are served all along.
    assert_eq!(get(p.server.addr(), "/fi/").0, 200);
    p.server.stop();
}

#[test]
fn started_on_broken_content_every_page_shows_the_errors_and_recovers() {
    let (tmp, content) = common::site_with_overlay("unknown-channel");
    let p = start_on(tmp, content, short_limits());
    let addr = p.server.addr();
    assert_eq!(p.server.initial.pages, 0);
    for page in ["/", "/fi/", "/sv/ensimmainen-polku/", "/fi/ei-ole/"] {
        let (status, _, body) = get(addr, page);
        assert_eq!(status, 503, "{page}");
        assert!(body.contains("id=\"polku-overlay\""), "{page}: {body}");
        assert!(body.contains("unknown channel"), "{page}");
        assert!(
            body.contains("<script src=\"/_polku/live.js\""),
            "{page}: the tab reloads once the content is fixed"
        );
    }
    let (_, _, sv) = get(addr, "/sv/");
    assert!(sv.contains("<html lang=\"sv\""));
    assert!(sv.contains("Innehållet har fel"));
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    // Fix it: put the valid file back the way an editor saves.
    let broken = p.content.join("paths/ensimmainen/path.toml");
    let good =
        std::fs::read_to_string(common::fixture_content().join("paths/ensimmainen/path.toml"))
            .unwrap();
    std::fs::write(broken.with_extension("toml.tmp"), good).unwrap();
    std::fs::rename(broken.with_extension("toml.tmp"), &broken).unwrap();
    reloads.recv_timeout(WAIT).expect("the fix reloads the tab");
    let (status, _, body) = get(addr, "/fi/");
    assert_eq!(status, 200);
    assert!(!body.contains("polku-overlay"));
    p.server.stop();
}

#[test]
fn a_broken_listener_is_reported_as_fatal() {
    let p = start();
    p.server.break_listeners_for_test();
    let deadline = std::time::Instant::now() + WAIT;
    let mut fatal = None;
    while fatal.is_none() && std::time::Instant::now() < deadline {
        if let Ok(Notice::Fatal(why)) = p.server.notices().recv_timeout(Duration::from_millis(100))
        {
            fatal = Some(why);
        }
    }
    let why = fatal.expect("a broken listener is reported, not silently dropped");
    assert!(why.contains("listener"), "{why}");
    p.server.stop();
}

#[test]
fn a_language_added_while_previewing_gets_its_pages_and_a_missing_one_is_an_error() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    assert_eq!(get(addr, "/en/").0, 404);
    let site = p.content.join("site.toml");
    edit(
        &site,
        "languages = [\"fi\", \"sv\"]",
        "languages = [\"fi\", \"sv\", \"en\"]",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let (status, _, body) = get(addr, "/en/");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<html lang=\"en\">"), "{body}");
    assert_eq!(get(addr, "/en/service-channels/").0, 200);
    assert!(get(addr, "/fi/").2.contains("hreflang=\"en\""));

    // A language the theme has no strings for: the preview says which file
    // to create, and keeps running.
    edit(
        &site,
        "languages = [\"fi\", \"sv\", \"en\"]",
        "languages = [\"fi\", \"sv\", \"en\", \"de\"]",
    );
    reloads.recv_timeout(WAIT).unwrap();
    let (_, _, body) = get(addr, "/_polku/");
    assert!(body.contains("de.toml"), "{body}");
    edit(
        &site,
        "languages = [\"fi\", \"sv\", \"en\", \"de\"]",
        "languages = [\"fi\", \"sv\"]",
    );
    reloads.recv_timeout(WAIT).unwrap();
    assert_eq!(get(addr, "/fi/").0, 200);
    assert!(!get(addr, "/_polku/").2.contains("de.toml"));
    assert_eq!(get(addr, "/en/").0, 404);
    p.server.stop();
}

#[test]
fn a_new_title_reaches_every_page_that_lists_the_path() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    for page in ["/fi/", "/fi/haku/", "/fi/404.html"] {
        let (_, _, html) = get(addr, page);
        assert!(html.contains("Toinen polku"), "{page} before");
    }
    edit(
        &p.content.join("paths/toinen/fi.md"),
        "title = \"Toinen polku\"",
        "title = \"Uudelleen nimetty polku\"",
    );
    reloads.recv_timeout(WAIT).unwrap();
    // The home page, the search page and the 404 page list every path A–Ö.
    for page in ["/fi/", "/fi/haku/", "/fi/404.html"] {
        let (_, _, html) = get(addr, page);
        assert!(html.contains("Uudelleen nimetty polku"), "{page}: {html}");
        assert!(
            !html.contains(">Toinen polku<"),
            "{page} still has the old title"
        );
    }
    p.server.stop();
}

/// Issue #29: a save made while another file has an error is applied when
/// that error is fixed, for a cross-file error and for a TOML syntax error.
#[test]
fn a_save_made_during_an_error_elsewhere_is_served_once_the_error_is_fixed() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    let broken_file = p.content.join("paths/toinen/path.toml");
    let saved_file = p.content.join("paths/ensimmainen/fi.md");
    let breakages = [
        (
            "channels = [\"puhelin\", \"viesti\"]",
            "channels = [\"puhelin\", \"viestii\"]",
        ),
        ("topic = \"terveys\"", "topic = \"terveys"),
    ];
    for (round, (good, bad)) in breakages.into_iter().enumerate() {
        edit(&broken_file, good, bad);
        reloads.recv_timeout(WAIT).expect("reload after the break");
        let text = format!("Tallennettu virheen aikana {round}.");
        let before = if round == 0 {
            "Ensimmäisen vaiheen teksti.".to_string()
        } else {
            format!("Tallennettu virheen aikana {}.", round - 1)
        };
        edit(&saved_file, &before, &text);
        reloads.recv_timeout(WAIT).expect("reload after the save");
        let (_, _, page) = get(addr, "/fi/ensimmainen-polku/");
        assert!(page.contains("id=\"polku-overlay\""), "{page}");
        assert!(!page.contains(&text), "not served while the site is broken");
        edit(&broken_file, bad, good);
        reloads.recv_timeout(WAIT).expect("reload after the fix");
        let (_, _, page) = get(addr, "/fi/ensimmainen-polku/");
        assert!(!page.contains("polku-overlay"), "{page}");
        assert!(
            page.contains(&text),
            "round {round}: the save made during the error is lost"
        );
    }
    p.server.stop();
}

/// A page as the preview serves it, without what only the preview adds:
/// the live-reload script, the findings panel and the preview banner (a
/// draft, missing translations).
fn without_injections(html: &str) -> String {
    let mut out = html.to_string();
    for (start, end, ends) in [
        ("<style>#polku-findings", "</details>", 1),
        ("<script src=\"/_polku/live.js\"", "</script>", 1),
        ("<div class=\"preview-banner\">", "</div>\n", 2),
    ] {
        while let Some(at) = out.find(start) {
            let mut to = at;
            for _ in 0..ends {
                match out[to..].find(end) {
                    Some(len) => to += len + end.len(),
                    None => return out,
                }
            }
            out.replace_range(at..to, "");
        }
    }
    out
}

/// Builds the preview's content with `polku build` (same theme, same base
/// URL) and asserts that the preview serves every file of it byte for byte,
/// its own injections aside, and no page the build does not have.
fn assert_preview_equals_a_fresh_build(p: &Preview, theme: &Path, step: &str) {
    let addr = p.server.addr();
    let out = p
        ._tmp
        .path()
        .join(format!("build-{}", step.replace(' ', "-")));
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_polku"))
        .args(["build", "--base-url", &p.server.url()])
        .arg("--content")
        .arg(&p.content)
        .arg("--theme")
        .arg(theme)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success(), "{step}: {built:?}");
    let fresh = common::snapshot(&out);
    let mut stale = Vec::new();
    // The build's record of the files it wrote is not part of the site.
    for (file, bytes) in fresh
        .iter()
        .filter(|(f, _)| !f.starts_with(".polku-manifest.json"))
    {
        let url = format!("/{}", file.to_string_lossy().replace('\\', "/"));
        let (status, _, served) = get(addr, &url);
        let fresh = String::from_utf8_lossy(bytes);
        let served = without_injections(&served);
        if status != 200 || served != fresh {
            let at = served
                .char_indices()
                .zip(fresh.chars())
                .find(|((_, a), b)| a != b)
                .map_or(served.len().min(fresh.len()), |((i, _), _)| i);
            let around = |s: &str| {
                let mut from = at.saturating_sub(60).min(s.len());
                while !s.is_char_boundary(from) {
                    from -= 1;
                }
                s[from..].chars().take(120).collect::<String>()
            };
            stale.push(format!(
                "{url} ({status}): served …{}… built …{}…",
                around(&served),
                around(&fresh)
            ));
        }
    }
    assert!(stale.is_empty(), "after the {step} edit, stale: {stale:?}");
    let (_, _, index) = get(addr, "/_polku/");
    let listed: Vec<&str> = index.split("<li><a href=\"/").skip(1).collect();
    assert!(listed.len() >= fresh.len() / 4, "{step}: {index}");
    for page in listed {
        let page = &page[..page.find('"').unwrap()];
        let file = if page.is_empty() || page.ends_with('/') {
            format!("{page}index.html")
        } else {
            page.to_string()
        };
        assert!(
            fresh.contains_key(Path::new(&file)),
            "after the {step} edit the preview lists {page}, which the build has not"
        );
    }
}

/// Issue #21 point 6: after each kind of edit, every page the preview
/// serves equals a fresh build of the same content.
#[test]
fn after_every_kind_of_edit_the_preview_equals_a_fresh_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    // A draft to publish, and a second topic to move a path to.
    let toinen = content.join("paths/toinen/path.toml");
    edit(
        &toinen,
        "topic = \"terveys\"",
        "topic = \"terveys\"\ndraft = true",
    );
    let topics = content.join("topics.toml");
    let text = std::fs::read_to_string(&topics).unwrap();
    let more = "\n[[topic]]\nid = \"perhe\"\nname.fi = \"Perhe\"\nname.sv = \"Familj\"\n";
    std::fs::write(&topics, text + more).unwrap();
    let p = start_on(tmp, content, Limits::default());
    let theme = p._tmp.path().join("theme");
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    let c = |rel: &str| p.content.join(rel);
    let steps: [(&str, std::path::PathBuf, &str, &str); 10] = [
        (
            "draft flag",
            c("paths/toinen/path.toml"),
            "draft = true\n",
            "",
        ),
        (
            "phase text",
            c("paths/ensimmainen/fi.md"),
            "Ensimmäisen vaiheen teksti.",
            "Muutettu vaiheen teksti.",
        ),
        (
            "title",
            c("paths/toinen/fi.md"),
            "title = \"Toinen polku\"",
            "title = \"Uudelleen nimetty polku\"",
        ),
        (
            "summary",
            c("paths/toinen/sv.md"),
            "summary = \"",
            "summary = \"Ny sammanfattning. ",
        ),
        (
            "topic",
            c("paths/toinen/path.toml"),
            "topic = \"terveys\"",
            "topic = \"perhe\"",
        ),
        (
            "review date",
            c("paths/toinen/path.toml"),
            "last_reviewed = 2026-03-01",
            "last_reviewed = 2026-04-01",
        ),
        (
            "phase channels",
            c("paths/toinen/path.toml"),
            "channels = [\"puhelin\", \"viesti\"]",
            "channels = [\"puhelin\", \"chat\"]",
        ),
        (
            "channels.toml",
            c("channels.toml"),
            "name.fi = \"Neuvontapuhelin\"",
            "name.fi = \"Neuvonnan puhelin\"",
        ),
        (
            "template",
            theme.join("templates/base.html"),
            "{{ shared_include(\"partials/footer.html\") }}",
            "<p>Mallipohjaa muokattu.</p>{{ shared_include(\"partials/footer.html\") }}",
        ),
        (
            "UI string",
            theme.join("i18n/fi.toml"),
            "channels_link = \"Kaikki palvelukanavat\"",
            "channels_link = \"Kaikki kanavat\"",
        ),
    ];
    for (step, file, from, to) in &steps {
        edit(file, from, to);
        reloads.recv_timeout(WAIT).expect("a reload after the edit");
        assert_preview_equals_a_fresh_build(&p, &theme, step);
    }
    p.server.stop();
}

/// The report of the next rebuild.
fn next_rebuild(server: &Server) -> polku::serve::RebuildReport {
    loop {
        match server.notices().recv_timeout(WAIT) {
            Ok(Notice::Rebuilt(report)) => return report,
            Ok(_) => continue,
            Err(e) => panic!("no rebuild: {e}"),
        }
    }
}

/// The README's promise: editing one path re-renders only the pages that
/// show it (that they are then right is the test above).
#[test]
fn editing_one_path_re_renders_only_the_pages_that_show_it() {
    let p = start();
    let addr = p.server.addr();
    let every_page = p.server.initial.pages;
    let fi = p.content.join("paths/toinen/fi.md");
    // A phase text is shown on the path's own pages only.
    edit(&fi, "Ainoan vaiheen teksti.", "Ainoan vaiheen uusi teksti.");
    let report = next_rebuild(&p.server);
    assert!(report.partial);
    assert_eq!(
        report.rendered,
        ["fi/toinen-polku/index.html", "sv/andra-stigen/index.html"]
    );
    // A title is shown wherever the path is listed; every page rendered
    // links to the path, and the others are left alone.
    edit(&fi, "title = \"Toinen polku\"", "title = \"Uusi nimi\"");
    let report = next_rebuild(&p.server);
    assert!(report.partial);
    assert!(report.rendered.len() < every_page, "{:?}", report.rendered);
    let overview = "fi/palvelukanavat/index.html".to_string();
    assert!(!report.rendered.contains(&overview));
    for page in &report.rendered {
        let own = if page.starts_with("sv/") {
            "/sv/andra-stigen/"
        } else {
            "/fi/toinen-polku/"
        };
        let (_, _, html) = get(addr, &format!("/{page}"));
        assert!(
            html.contains(&format!("{own}\"")) || html.contains(&format!("{own}#")),
            "{page} was re-rendered but does not show the path"
        );
    }
    p.server.stop();
}

/// Started while site.toml names a language the theme has no strings for:
/// the theme never loaded, and removing the language must bring the site.
#[test]
fn started_with_a_language_the_theme_lacks_the_site_appears_once_it_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    let site = content.join("site.toml");
    let (two, three) = (
        "languages = [\"fi\", \"sv\"]",
        "languages = [\"fi\", \"sv\", \"de\"]",
    );
    edit(&site, two, three);
    let p = start_on(tmp, content, Limits::default());
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
    assert!(get(addr, "/_polku/").2.contains("de.toml"));
    edit(&site, three, two);
    reloads.recv_timeout(WAIT).unwrap();
    let (status, _, page) = get(addr, "/fi/ensimmainen-polku/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Ensimmäisen vaiheen teksti."), "{page}");
    assert!(!page.contains("polku-overlay"), "{page}");
    p.server.stop();
}
