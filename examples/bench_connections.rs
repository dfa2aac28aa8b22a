//! Benchmark (not a test): a burst of simultaneous connections to the
//! preview, as after a save with many tabs open (issue #29).
//!
//! Run: `cargo run --release --example bench_connections [ROUNDS] [SIZES…]`
//! (defaults: 5 rounds of 200 and of 1000 connections). Each round starts
//! every connection at the same instant (a barrier), each asks for `/fi/`
//! and reads the whole answer. A connection counts as dropped when it
//! fails, or when connecting took a second or more: the client's SYN retry,
//! the sign that the listen queue overflowed. On Linux the kernel's own
//! counters of overflowed and dropped connections are read too.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use polku::serve::{ServeOptions, Server};

/// What one connection saw.
struct Outcome {
    status: u16,
    connect: Duration,
    total: Duration,
}

fn one(addr: SocketAddr, start: &Barrier) -> std::io::Result<Outcome> {
    start.wait();
    let begun = Instant::now();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    let connect = begun.elapsed();
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET /fi/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let head = String::from_utf8_lossy(&answer[..answer.len().min(16)]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Outcome {
        status,
        connect,
        total: begun.elapsed(),
    })
}

/// The kernel's `ListenOverflows` and `ListenDrops` (Linux, every socket of
/// the machine), or `None` elsewhere.
fn listen_counters() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/net/netstat").ok()?;
    let mut lines = text.lines().filter(|l| l.starts_with("TcpExt:"));
    let names: Vec<&str> = lines.next()?.split_whitespace().collect();
    let values: Vec<&str> = lines.next()?.split_whitespace().collect();
    let get = |name: &str| -> Option<u64> {
        let i = names.iter().position(|n| *n == name)?;
        values.get(i)?.parse().ok()
    };
    Some((get("ListenOverflows")?, get("ListenDrops")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn round(addr: SocketAddr, n: usize) -> String {
    let start = Arc::new(Barrier::new(n));
    let before = listen_counters();
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let start = start.clone();
            std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || one(addr, &start))
                .expect("a client thread")
        })
        .collect();
    let outcomes: Vec<_> = threads
        .into_iter()
        .map(|t| t.join().expect("a client thread ends"))
        .collect();
    let after = listen_counters();
    let failed = outcomes.iter().filter(|o| o.is_err()).count();
    let ok: Vec<&Outcome> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let retried = ok
        .iter()
        .filter(|o| o.connect >= Duration::from_secs(1))
        .count();
    let busy = ok.iter().filter(|o| o.status == 503).count();
    let other = ok
        .iter()
        .filter(|o| o.status != 200 && o.status != 503)
        .count();
    let mut totals: Vec<Duration> = ok.iter().map(|o| o.total).collect();
    totals.sort();
    let kernel = match (before, after) {
        (Some(b), Some(a)) => format!(
            "listen overflows +{}, drops +{}",
            a.0.saturating_sub(b.0),
            a.1.saturating_sub(b.1)
        ),
        _ => "kernel counters unavailable".into(),
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "{n} at once: dropped {} (failed {failed}, SYN retried {retried}), 503 {busy}, other {other}; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {kernel}",
        failed + retried,
        ms(percentile(&totals, 0.5)),
        ms(percentile(&totals, 0.99)),
        ms(totals.last().copied().unwrap_or_default()),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut sizes: Vec<usize> = args.filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![200, 1000];
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let server = match Server::start(ServeOptions {
        content: root.join("content"),
        theme: root.join("themes/default"),
        host: "127.0.0.1".into(),
        port: Some(0),
        ..ServeOptions::default()
    }) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("the preview did not start: {e:?}");
            std::process::exit(1);
        }
    };
    println!("preview on {}", server.url());
    for &n in &sizes {
        for r in 1..=rounds {
            println!("round {r}: {}", round(server.addr(), n));
            // Let the closed connections' threads end between rounds.
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    server.stop();
}
