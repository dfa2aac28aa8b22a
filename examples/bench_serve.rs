//! Benchmark (not a test): save-to-reload-event latency of `polku serve`, and
//! full build time, on a generated 1,000-path bilingual site.
//!
//! Run: `cargo run --release --example bench_serve [PATHS] [EDITS]`
//! (defaults: 1000 paths, 20 edits). Prints the median and the spread.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use polku::serve::{ServeOptions, Server};

/// Copies the sample site's shared files and makes `n` paths from its
/// five sample paths, each with its own title and address.
fn generate(root: &Path, n: usize) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let content = root.join("content");
    std::fs::create_dir_all(content.join("paths")).unwrap();
    for f in [
        "site.toml",
        "segments.toml",
        "topics.toml",
        "channels.toml",
        "links.toml",
    ] {
        std::fs::copy(sample.join(f), content.join(f)).unwrap();
    }
    let mut sources: Vec<_> = std::fs::read_dir(sample.join("paths"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    sources.sort();
    for i in 0..n {
        let src = &sources[i % sources.len()];
        let dir = content.join("paths").join(format!("polku-{i:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        let toml = std::fs::read_to_string(src.join("path.toml")).unwrap();
        let toml: String = toml
            .lines()
            .map(|l| {
                if l.starts_with("related") {
                    "related = []"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.join("path.toml"), toml).unwrap();
        for lang in ["fi", "sv"] {
            let md = std::fs::read_to_string(src.join(format!("{lang}.md"))).unwrap();
            let md: String = md
                .lines()
                .map(|l| {
                    if let Some(rest) = l.strip_prefix("title = \"") {
                        format!("title = \"{} {i}\"", rest.trim_end_matches('"'))
                    } else if let Some(rest) = l.strip_prefix("slug = \"") {
                        format!("slug = \"{}-{i}\"", rest.trim_end_matches('"'))
                    } else {
                        l.replace("](path:", "](https://example.org/")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            std::fs::write(dir.join(format!("{lang}.md")), md).unwrap();
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let paths: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let edits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), paths);
    let content = tmp.path().join("content");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");

    let started = Instant::now();
    let options = polku::BuildOptions {
        content: content.clone(),
        theme: theme.clone(),
        base_url: None,
    };
    let built =
        polku::build(&options, &tmp.path().join("public")).unwrap_or_else(|e| panic!("{e:?}"));
    println!(
        "build: {} paths, {} pages in {:.0} ms",
        built.site.paths.len(),
        built.pages,
        started.elapsed().as_secs_f64() * 1000.0
    );

    let server = Server::start(ServeOptions {
        content: content.clone(),
        theme,
        host: "127.0.0.1".into(),
        port: Some(0),
        limits: Default::default(),
    })
    .unwrap();
    println!(
        "serve: first build of {} pages in {} ms",
        server.initial.pages,
        server.initial.elapsed.as_millis()
    );
    let addr = server.events_addr();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /_polku/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("data: ") && tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("initial event");

    // Two kinds of save: a phase text (re-renders the path's own pages) and
    // a title (also the home pages, channel pages and related paths).
    for kind in ["phase text", "title"] {
        let mut latencies = Vec::new();
        for e in 0..edits {
            std::thread::sleep(Duration::from_millis(150));
            let file = content.join(format!("paths/polku-{:04}/fi.md", (e * 37 + 11) % paths));
            let text = std::fs::read_to_string(&file).unwrap();
            let edited = if kind == "title" {
                text.replacen("\"\n", &format!(" muokattu {e}\"\n"), 1)
            } else {
                format!("{text}\nMuokkaus {e}.\n")
            };
            let saved = Instant::now();
            std::fs::write(&file, edited).unwrap();
            let arrived = rx
                .recv_timeout(Duration::from_secs(10))
                .expect("reload event");
            latencies.push(arrived.duration_since(saved).as_secs_f64() * 1000.0);
        }
        let min = latencies.iter().copied().fold(f64::INFINITY, f64::min);
        let max = latencies.iter().copied().fold(0.0, f64::max);
        println!(
            "serve: save-to-reload-event, {kind} edits ({edits}) on {paths} paths: median {:.1} ms (min {min:.1}, max {max:.1})",
            median(&mut latencies)
        );
    }
    server.stop();
}
