//! Soak run of `polku serve` as an editor uses it for half a day, compressed:
//! the release binary serves a copy of the sample site on 127.0.0.1 while
//! eight simulated tabs hold reload streams and load pages over keep-alive
//! connections, saves come every 20 to 90 s, and idle gaps of several
//! minutes pass with nothing at all. Ends by itself.
//!
//! ```sh
//! cargo build --release && cargo run --release --example soak_serve [MINUTES] [SPEEDUP]
//! ```
//!
//! SPEEDUP (default 1) divides every pause: 10 makes a 10-minute run as
//! busy as 100 minutes of editing, to see memory over many more saves.
//!
//! Prints requests served, failures, reload events delivered per save and
//! the server's resident memory at the start and end (docs/benchmarks.md).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const TABS: usize = 8;
const PAGES: [&str; 8] = [
    "/fi/",
    "/sv/",
    "/fi/alaselkakipu/",
    "/sv/landryggssmarta/",
    "/fi/raskaudenkeskeytys/",
    "/fi/palvelukanavat/",
    "/sv/servicekanaler/",
    "/_polku/",
];

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64, u32);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A pause of `from` to `to` seconds, divided by the speed-up.
    fn secs(&mut self, from: u64, to: u64) -> Duration {
        Duration::from_secs(from + self.next() % (to - from + 1)) / self.1
    }
}

#[derive(Default)]
struct Tally {
    requests: u64,
    failures: u64,
    /// Keep-alive connections the server had closed after its idle timeout;
    /// the request went on a new connection, as a browser does.
    reconnects: u64,
    saves: u64,
    events: u64,
    missed: u64,
}

struct Tab {
    page: &'static str,
    conn: Option<BufReader<TcpStream>>,
    events: Receiver<u64>,
    seen: u64,
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn open_stream(events: SocketAddr, pages_port: u16) -> Receiver<u64> {
    let mut stream = TcpStream::connect(events).expect("reload stream connects");
    write!(
        stream,
        "GET /_polku/events HTTP/1.1\r\nHost: {events}\r\nOrigin: http://127.0.0.1:{pages_port}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(g) = line.strip_prefix("data: ") {
                if tx.send(g.trim().parse().unwrap_or(0)).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// One GET on the connection; `None` if the connection was closed.
fn get_on(conn: &mut BufReader<TcpStream>, addr: SocketAddr, path: &str) -> Option<u16> {
    write!(
        conn.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .ok()?;
    let mut status_line = String::new();
    if conn.read_line(&mut status_line).ok()? == 0 {
        return None;
    }
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = n.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).ok()?;
    status_line.split(' ').nth(1)?.parse().ok()
}

fn load(tab: &mut Tab, addr: SocketAddr, tally: &mut Tally) {
    tally.requests += 1;
    if let Some(conn) = tab.conn.as_mut() {
        if let Some(status) = get_on(conn, addr, tab.page) {
            if status != 200 {
                tally.failures += 1;
            }
            return;
        }
        tally.reconnects += 1;
    }
    let fresh = TcpStream::connect(addr).ok().map(BufReader::new);
    tab.conn = fresh;
    match tab.conn.as_mut().and_then(|c| get_on(c, addr, tab.page)) {
        Some(200) => {}
        other => {
            eprintln!("failure: {} -> {other:?}", tab.page);
            tally.failures += 1;
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn start_server(dir: &Path) -> (Child, SocketAddr, SocketAddr) {
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/polku");
    assert!(binary.is_file(), "run `cargo build --release` first");
    let mut child = Command::new(binary)
        .args(["serve", "--port", "0"])
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let preview = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("Preview: "))
        .expect("the preview starts");
    // Keep draining the server's terminal output.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.starts_with("error") || line.starts_with("warning") {
                eprintln!("server: {line}");
            }
        }
    });
    let addr: SocketAddr = preview["Preview: http://".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // The reload stream's port is in every page.
    let mut conn = BufReader::new(TcpStream::connect(addr).unwrap());
    write!(
        conn.get_mut(),
        "GET /fi/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    conn.read_to_string(&mut page).unwrap();
    let port: u16 = page
        .split("data-events-port=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|p| p.parse().ok())
        .expect("the live-reload script names its port");
    (child, addr, SocketAddr::new(addr.ip(), port))
}

fn main() {
    let minutes: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let speedup: u32 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1)
        .max(1);
    let total = Duration::from_secs(minutes * 60);
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("content"), &tmp.path().join("content"));
    copy_tree(&root.join("themes"), &tmp.path().join("themes"));
    let (mut child, addr, events) = start_server(tmp.path());
    let pid = child.id();
    let mut rng = Rng(0x5eed_2026, speedup);
    let mut tally = Tally::default();
    let mut tabs: Vec<Tab> = (0..TABS)
        .map(|i| Tab {
            page: PAGES[i % PAGES.len()],
            conn: None,
            events: open_stream(events, addr.port()),
            seen: 0,
        })
        .collect();
    for tab in &mut tabs {
        tab.seen = tab.events.recv_timeout(Duration::from_secs(10)).unwrap();
        load(tab, addr, &mut tally);
    }
    let rss_start = rss_kib(pid);
    let mut rss_max = rss_start;
    let file = tmp.path().join("content/paths/alaselkakipu/fi.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let started = Instant::now();
    let mut idle_total = Duration::ZERO;
    println!(
        "soak: {minutes} min at {speedup}x, {TABS} tabs, server pid {pid}, RSS {rss_start} KiB"
    );

    while started.elapsed() < total {
        // An active stretch of 3 to 6 minutes ...
        let active_until = (started.elapsed() + rng.secs(180, 360)).min(total);
        while started.elapsed() < active_until {
            let save_at = started.elapsed() + rng.secs(20, 90);
            while started.elapsed() < save_at.min(active_until) {
                let i = (rng.next() % TABS as u64) as usize;
                load(&mut tabs[i], addr, &mut tally);
                std::thread::sleep(rng.secs(2, 12));
            }
            if started.elapsed() >= active_until {
                break;
            }
            // A save, as editors save: write aside, rename over.
            tally.saves += 1;
            let text = original.replace(
                "Vuodelepo ei auta selkäkipuun.",
                &format!("Vuodelepo ei auta selkäkipuun. Muokkaus {}.", tally.saves),
            );
            let aside = file.with_extension("md.tmp");
            std::fs::write(&aside, text).unwrap();
            std::fs::rename(&aside, &file).unwrap();
            for tab in &mut tabs {
                let deadline = Instant::now() + Duration::from_secs(10);
                let mut got = false;
                while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                    match tab.events.recv_timeout(left) {
                        Ok(g) if g > tab.seen => {
                            tab.seen = g;
                            got = true;
                            break;
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                if got {
                    tally.events += 1;
                    // The tab reloads.
                    load(tab, addr, &mut tally);
                } else {
                    tally.missed += 1;
                }
            }
            rss_max = rss_max.max(rss_kib(pid));
        }
        // ... then an idle gap of 2 to 5 minutes: nothing at all.
        if started.elapsed() < total {
            let gap = rng.secs(120, 300).min(total - started.elapsed());
            idle_total += gap;
            std::thread::sleep(gap);
            rss_max = rss_max.max(rss_kib(pid));
        }
    }
    // After the last gap, every tab still loads and the next save still arrives.
    for tab in &mut tabs {
        load(tab, addr, &mut tally);
    }
    let rss_end = rss_kib(pid);
    let alive = child.try_wait().unwrap().is_none();
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
    let exit = child.wait().unwrap();
    println!(
        "duration: {:.1} min, of which idle gaps {:.1} min",
        started.elapsed().as_secs_f64() / 60.0,
        idle_total.as_secs_f64() / 60.0
    );
    println!(
        "requests: {} (failures {}, idle keep-alive reconnects {})",
        tally.requests, tally.failures, tally.reconnects
    );
    println!(
        "saves: {}, reload events delivered: {} of {} ({:.2} per save per tab), missed {}",
        tally.saves,
        tally.events,
        tally.saves * TABS as u64,
        tally.events as f64 / (tally.saves.max(1) * TABS as u64) as f64,
        tally.missed
    );
    println!("server RSS: start {rss_start} KiB, end {rss_end} KiB, max {rss_max} KiB");
    println!("server alive at the end: {alive}; exit after Ctrl-C: {exit}");
    if tally.failures > 0 || tally.missed > 0 || !alive {
        std::process::exit(1);
    }
}
