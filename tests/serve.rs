//! `polku serve` end to end: a real server on a free port over a temporary
//! copy of the fixture site, spoken to over raw TCP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use polku::serve::{ServeOptions, Server};

const WAIT: Duration = Duration::from_secs(10);

struct Preview {
    _tmp: tempfile::TempDir,
    content: std::path::PathBuf,
    server: Server,
}

fn start() -> Preview {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let theme = tmp.path().join("theme");
    common::copy_tree(&common::fixture_content(), &content);
    common::copy_tree(&common::theme(), &theme);
    let server = Server::start(ServeOptions {
        content: content.clone(),
        theme,
        host: "127.0.0.1".into(),
        port: Some(0),
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
    let (status, head, _) = get(addr, "/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"));
    let (_, head, _) = get(addr, "/sitemap.xml");
    assert!(head.contains("content-type: application/xml"));
    let (_, head, _) = get(addr, "/static/icons.svg");
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
fn drafts_are_previewed_with_a_badge_and_never_built() {
    let p = start();
    let addr = p.server.addr();
    let reloads = events(&p.server);
    reloads.recv_timeout(WAIT).unwrap();
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
    // The message channel has only a Finnish address: the Swedish page says so.
    let (_, _, sv) = get(addr, "/sv/forsta-stigen/");
    assert!(
        sv.contains("Översättningar saknas på den här sidan."),
        "missing translation banner"
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
    });
    match result {
        Err(polku::serve::ServeError::Bind(addr, _)) => {
            assert_eq!(addr, format!("127.0.0.1:{port}"))
        }
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(_) => panic!("bound a taken port"),
    }
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
