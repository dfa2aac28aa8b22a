//! `polku serve`: builds the site into memory, serves it on loopback,
//! rebuilds what a save affects and tells open browser tabs to reload.
//!
//! Only files of the built site, held in memory, are ever served: there is
//! no disk path to traverse. On a content error the last good site stays
//! served with an overlay listing the problems in the page's language.
//!
//! The parts: [`http`] accepts connections and answers requests, [`events`]
//! keeps the live-reload streams, [`rebuild`] turns saves into a new
//! in-memory site, [`watch`] turns file events into rebuilds, and
//! [`preview`] adds the preview-only overlay, panel and `/_polku/` page.

mod events;
mod http;
mod preview;
mod rebuild;
mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

pub use http::{mime_type, resolve_request_path};
pub use rebuild::RebuildReport;

use crate::content::Lang;
use crate::diagnostics::Diagnostic;
use crate::render;

/// Where and what to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The theme folder.
    pub theme: PathBuf,
    /// Host to bind, `127.0.0.1` by default.
    pub host: String,
    /// Port; `None` means 1111, or the next free port after it.
    pub port: Option<u16>,
    /// Timeouts and bounds of the HTTP side.
    pub limits: Limits,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            content: PathBuf::from("content"),
            theme: PathBuf::from("themes/default"),
            host: "127.0.0.1".into(),
            port: None,
            limits: Limits::default(),
        }
    }
}

/// Timeouts and bounds of the preview's HTTP side. None of them can stop a
/// listener: they apply to single connections only.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a keep-alive connection may sit idle between requests
    /// before it is closed (browsers reopen one when they need it).
    pub idle_timeout: Duration,
    /// How often an idle reload stream gets a comment line, which both keeps
    /// proxies from closing it and finds tabs that went away.
    pub heartbeat: Duration,
    /// Live-reload streams open at once; the oldest is closed past this.
    pub max_streams: usize,
    /// Connections handled at once (streams included); past this a new
    /// connection is answered 503 and closed.
    pub max_connections: usize,
    /// The largest request head (request line and headers) read; 431 past it.
    pub max_head_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle_timeout: Duration::from_secs(5),
            heartbeat: Duration::from_secs(15),
            max_streams: 64,
            max_connections: 512,
            max_head_bytes: 16 * 1024,
        }
    }
}

/// The default preview port.
pub const DEFAULT_PORT: u16 = 1111;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port is taken (or the address cannot be bound).
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The host and port (or range of ports) tried.
        addr: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The file watcher could not start.
    #[error("{}: cannot watch for changes: {reason}", folder.display())]
    Watch {
        /// The content folder.
        folder: std::path::PathBuf,
        /// The watcher's reason.
        reason: String,
    },
}

impl crate::error::Advice for ServeError {
    fn hint(&self) -> String {
        match self {
            ServeError::Bind { .. } => "another program (perhaps another `polku serve`) uses the port; stop it or choose another with `--port N`",
            ServeError::Watch { .. } => "check that the content and theme folders exist",
        }
        .to_string()
    }
}

/// What the running server has to tell the terminal.
pub enum Notice {
    /// A rebuild after a save finished.
    Rebuilt(RebuildReport),
    /// Something went wrong that the preview survives.
    Warning(String),
    /// A part of the preview stopped working: the server cannot go on.
    Fatal(String),
}

/// What is being served right now.
struct Snapshot {
    /// The last good site's files.
    files: HashMap<String, Arc<Vec<u8>>>,
    /// Counts rebuilds; sent to browsers so stale tabs reload.
    generation: u64,
    /// Problems of the current content (errors keep the last good files).
    diagnostics: Vec<Diagnostic>,
    /// Every page URL of the last good site, for `/_polku/`.
    pages: Vec<String>,
    /// Default language, for pages outside the language folders.
    default_lang: Lang,
    /// Findings about the content of each path page, by output file.
    page_findings: HashMap<String, Vec<Diagnostic>>,
    /// The last good site, for the translation counts of `/_polku/`
    /// (counted when the page is asked for, not on every save).
    site: Option<Arc<crate::content::Site>>,
}

impl Snapshot {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// State shared by the connections, the watcher and the reload streams.
struct Shared {
    snapshot: RwLock<Snapshot>,
    /// Generation counter with a condition variable for reload streams.
    changed: (Mutex<u64>, Condvar),
    stop: AtomicBool,
    /// UI strings of the last good theme, for the overlay and `/_polku/`.
    translations: RwLock<Option<render::Translations>>,
    /// The port of the reload streams' listener, for the live-reload script.
    events_port: u16,
    /// The port pages are served on, for the reload stream's CORS check.
    pages_port: u16,
    /// Whether the server listens on every interface (`--host 0.0.0.0`).
    all_interfaces: bool,
    /// The address bound, for the `Host` check.
    bound_ip: IpAddr,
    limits: Limits,
    streams: events::Streams,
    /// Connections being handled right now.
    connections: std::sync::atomic::AtomicUsize,
    notices: Mutex<Sender<Notice>>,
}

impl Shared {
    fn bump(&self) {
        let (lock, cvar) = &self.changed;
        let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        cvar.notify_all();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn notify(&self, notice: Notice) {
        let tx = self.notices.lock().unwrap_or_else(|e| e.into_inner());
        let _ = tx.send(notice);
    }
}

/// Reports a part of the server that ends while the server is meant to be
/// running, including by a panic, as a fatal notice: no part of the preview
/// may stop silently.
struct Lifeline<'a> {
    shared: &'a Shared,
    what: &'static str,
}

impl Drop for Lifeline<'_> {
    fn drop(&mut self) {
        if !self.shared.stopping() {
            let why = if std::thread::panicking() {
                "it panicked (a bug in polku; please report it)"
            } else {
                "it ended unexpectedly"
            };
            self.shared
                .notify(Notice::Fatal(format!("the {} stopped: {why}", self.what)));
        }
    }
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    events_addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    /// Handles of the listening sockets (the accept loops own the originals).
    listeners: Vec<TcpListener>,
    watcher: Option<watch::Watcher>,
    notices: Receiver<Notice>,
    /// Whether the default port was taken and another one chosen.
    pub moved_from_default: bool,
    /// The first build's report.
    pub initial: RebuildReport,
}

impl Server {
    /// Builds the site, binds the address and starts serving and watching.
    pub fn start(mut options: ServeOptions) -> Result<Server, ServeError> {
        // Watch events carry absolute paths; compare them with absolute folders.
        for dir in [&mut options.content, &mut options.theme] {
            if let Ok(abs) = dir.canonicalize() {
                *dir = abs;
            }
        }
        let (pages, moved) = http::bind(&options.host, options.port)?;
        let addr = pages.local_addr().map_err(|e| ServeError::Bind {
            addr: options.host.clone(),
            reason: e.to_string(),
        })?;
        let (events, _) = http::bind(&options.host, Some(0))?;
        let events_addr = events.local_addr().map_err(|e| ServeError::Bind {
            addr: options.host.clone(),
            reason: e.to_string(),
        })?;
        let (notices_tx, notices) = mpsc::channel();
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Snapshot {
                files: HashMap::new(),
                generation: 0,
                diagnostics: Vec::new(),
                pages: Vec::new(),
                site: None,
                default_lang: Lang::FI,
                page_findings: HashMap::new(),
            }),
            changed: (Mutex::new(0), Condvar::new()),
            stop: AtomicBool::new(false),
            translations: RwLock::new(None),
            events_port: events_addr.port(),
            pages_port: addr.port(),
            all_interfaces: addr.ip().is_unspecified(),
            bound_ip: addr.ip(),
            limits: options.limits,
            streams: events::Streams::new(options.limits.max_streams),
            connections: Default::default(),
            notices: Mutex::new(notices_tx),
        });
        let base_url = format!("http://{}/", public_addr(addr));
        let mut builder = rebuild::Builder::new(options.clone(), base_url);
        let initial = builder.rebuild(&[], &shared);
        let watcher =
            watch::Watcher::start(&options, builder, shared.clone()).map_err(|reason| {
                ServeError::Watch {
                    folder: options.content.clone(),
                    reason,
                }
            })?;
        let listeners = [&pages, &events]
            .into_iter()
            .filter_map(|l| l.try_clone().ok())
            .collect();
        let threads = [(pages, http::Door::Pages), (events, http::Door::Events)]
            .into_iter()
            .map(|(listener, door)| spawn_accept(listener, door, shared.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ServeError::Bind {
                addr: options.host.clone(),
                reason: e.to_string(),
            })?;
        Ok(Server {
            addr,
            events_addr,
            shared,
            threads,
            listeners,
            watcher: Some(watcher),
            notices,
            moved_from_default: moved,
            initial,
        })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address of the live-reload stream (`/_polku/events`).
    pub fn events_addr(&self) -> SocketAddr {
        self.events_addr
    }

    /// The URL to open on this machine.
    pub fn url(&self) -> String {
        let local = if self.addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), self.addr.port())
        } else {
            self.addr
        };
        format!("http://{local}/")
    }

    /// With `--host 0.0.0.0`: the URL other devices on the network open.
    pub fn network_url(&self) -> Option<String> {
        self.addr
            .ip()
            .is_unspecified()
            .then(|| format!("http://{}/", public_addr(self.addr)))
    }

    /// Rebuild reports, warnings and fatal failures, for the terminal.
    pub fn notices(&self) -> &Receiver<Notice> {
        &self.notices
    }

    /// How many live-reload streams are open.
    pub fn open_streams(&self) -> usize {
        self.shared.streams.len()
    }

    /// Test hook: breaks both listening sockets the way a failing network
    /// stack would, so that tests can see the failure reported as fatal.
    #[doc(hidden)]
    pub fn break_listeners_for_test(&self) {
        for listener in &self.listeners {
            let _ = socket2::SockRef::from(listener).shutdown(std::net::Shutdown::Both);
        }
    }

    /// Stops watching and serving, ends reload streams and joins the listeners.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.bump();
        if let Some(w) = self.watcher.take() {
            w.stop();
        }
        // Wake each accept loop so that it sees the stop flag.
        for addr in [self.addr, self.events_addr] {
            let local = if addr.ip().is_unspecified() {
                SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port())
            } else {
                addr
            };
            let _ = std::net::TcpStream::connect_timeout(&local, Duration::from_secs(1));
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        self.shared.streams.close_all();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.shutdown();
        }
    }
}

fn spawn_accept(
    listener: TcpListener,
    door: http::Door,
    shared: Arc<Shared>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("polku-accept-{door:?}"))
        .spawn(move || {
            let lifeline = Lifeline {
                shared: &shared,
                what: door.listener_name(),
            };
            if let Err(why) = http::accept_loop(&listener, door, &shared) {
                shared.notify(Notice::Fatal(why));
                // Already reported, with the reason.
                std::mem::forget(lifeline);
            }
        })
}

/// The address other devices reach this one at: the bound address, or for
/// an unspecified one (`0.0.0.0`) the address of the interface that routes
/// outwards. No packet is sent: connecting a UDP socket only picks a route.
fn public_addr(addr: SocketAddr) -> SocketAddr {
    if !addr.ip().is_unspecified() {
        return addr;
    }
    let probe = || -> std::io::Result<IpAddr> {
        let socket = std::net::UdpSocket::bind("0.0.0.0:0")?;
        // TEST-NET-1 (RFC 5737): routable in form, never answered.
        socket.connect("192.0.2.1:9")?;
        Ok(socket.local_addr()?.ip())
    };
    let ip = probe()
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    SocketAddr::new(ip, addr.port())
}
