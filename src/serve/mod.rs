//! `polku serve`: builds the site into memory, serves it on loopback,
//! rebuilds what a save affects and tells open browser tabs to reload.
//!
//! Only files of the built site, held in memory, are ever served: there is
//! no disk path to traverse. On a content error the last good site stays
//! served with an overlay listing the problems in the page's language.

mod preview;
mod watch;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response, Server as HttpServer, StatusCode};

use crate::content::{Lang, LoadCache, Site};
use crate::diagnostics::Diagnostic;
use crate::render::{self, RenderSettings, Scope, Theme};

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
}

/// The default preview port.
pub const DEFAULT_PORT: u16 = 1111;

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The port is taken (or the address cannot be bound).
    Bind(String, String),
    /// The file watcher could not start.
    Watch(String),
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
    /// Default language, for pages outside `/fi/` and `/sv/`.
    default_lang: Lang,
    /// Findings about the content of each path page, by output file.
    page_findings: HashMap<String, Vec<Diagnostic>>,
}

impl Snapshot {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// State shared by the HTTP workers, the watcher and the reload streams.
struct Shared {
    snapshot: RwLock<Snapshot>,
    /// Generation counter with a condition variable for reload streams.
    changed: (Mutex<u64>, Condvar),
    stop: AtomicBool,
    /// UI strings of the last good theme, for the overlay and `/_polku/`.
    translations: RwLock<Option<render::Translations>>,
    /// Where browsers open the live-reload stream.
    events_url: RwLock<String>,
}

impl Shared {
    fn bump(&self) {
        let (lock, cvar) = &self.changed;
        let mut g = lock.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        cvar.notify_all();
    }
}

/// Rebuilds the in-memory site from the content and theme folders.
struct Builder {
    options: ServeOptions,
    base_url: String,
    cache: LoadCache,
    theme: Option<Theme>,
    site: Option<Site>,
    /// Editorial findings per path id, re-checked only for changed paths.
    path_findings: BTreeMap<String, Vec<Diagnostic>>,
}

/// What one rebuild did, for the terminal.
pub struct RebuildReport {
    /// Pages rendered (0 when the content has errors).
    pub pages: usize,
    /// Whether only some pages were rendered.
    pub partial: bool,
    /// How long it took.
    pub elapsed: Duration,
    /// Errors and warnings of the content now.
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    fn new(options: ServeOptions, base_url: String) -> Builder {
        let cache = LoadCache::load(&options.content);
        Builder {
            options,
            base_url,
            cache,
            theme: None,
            site: None,
            path_findings: BTreeMap::new(),
        }
    }

    fn languages(&self) -> Vec<Lang> {
        self.site
            .as_ref()
            .map(|s| s.config.languages.clone())
            .unwrap_or_else(|| Lang::ALL.to_vec())
    }

    /// Reloads what `changed` touches and re-renders the affected pages,
    /// publishing the result (or the errors) to `shared`.
    fn rebuild(&mut self, changed: &[PathBuf], shared: &Shared) -> RebuildReport {
        let started = Instant::now();
        let theme_dir = &self.options.theme;
        let content_dir = &self.options.content;
        let first = self.theme.is_none() && changed.is_empty();
        let theme_changed = first || changed.iter().any(|p| p.starts_with(theme_dir));
        let mut path_dirs = BTreeSet::new();
        let mut shared_changed = first;
        for p in changed.iter().filter(|p| p.starts_with(content_dir)) {
            match self.cache.path_dir_of(p) {
                Some(dir) => {
                    path_dirs.insert(dir);
                }
                None => shared_changed = true,
            }
        }
        if shared_changed && !first {
            self.cache = LoadCache::load(content_dir);
        } else if !path_dirs.is_empty() {
            self.cache
                .reload_paths(&path_dirs.iter().cloned().collect::<Vec<_>>());
        }
        let mut theme_diags = Vec::new();
        if theme_changed {
            match Theme::load(theme_dir, &self.languages()) {
                Ok(theme) => {
                    *shared
                        .translations
                        .write()
                        .unwrap_or_else(|e| e.into_inner()) = Some(theme.translations.clone());
                    self.theme = Some(theme);
                }
                Err(d) => theme_diags = d,
            }
        }
        let loaded = self.cache.finish();
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(theme_diags);
        crate::diagnostics::sort(&mut diagnostics);
        let report = |pages, partial, diagnostics: Vec<Diagnostic>| RebuildReport {
            pages,
            partial,
            elapsed: started.elapsed(),
            diagnostics,
        };
        let (Some(site), Some(theme)) = (loaded.site, self.theme.as_ref()) else {
            return self.publish_errors(diagnostics, shared, report);
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            return self.publish_errors(diagnostics, shared, report);
        }

        // Re-render one path's pages when only that path changed; anything
        // shared (or a changed address) re-renders everything.
        let changed_ids: BTreeSet<String> = path_dirs
            .iter()
            .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let same_addresses = self.site.as_ref().is_some_and(|old| {
            old.paths.len() == site.paths.len()
                && old.paths.iter().zip(&site.paths).all(|(a, b)| {
                    a.id == b.id
                        && a.texts
                            .iter()
                            .map(|(l, t)| (l, &t.slug))
                            .eq(b.texts.iter().map(|(l, t)| (l, &t.slug)))
                })
        });
        let scope = if theme_changed || shared_changed || !same_addresses || changed_ids.is_empty()
        {
            Scope::All
        } else {
            let channels = [self.site.as_ref(), Some(&site)]
                .into_iter()
                .flatten()
                .flat_map(|s| s.paths.iter().filter(|p| changed_ids.contains(&p.id)))
                .flat_map(|p| p.phases.iter().flat_map(|ph| ph.channels.iter().cloned()))
                .collect();
            // Editing a phase text changes only the path's own pages; other
            // pages show its title, summary, address, topic and channels.
            let listings = changed_ids.iter().any(|id| {
                let old = self.site.as_ref().and_then(|s| s.path(id));
                let new = site.path(id);
                old.map(listing) != new.map(listing)
            });
            Scope::Paths {
                paths: changed_ids,
                channels,
                listings,
            }
        };
        let settings = RenderSettings {
            base_url: self.base_url.clone(),
            preview: true,
            scope: scope.clone(),
        };
        match render::render_with(&site, theme, theme_dir, &settings) {
            Err(d) => {
                diagnostics.extend(d);
                self.publish_errors(diagnostics, shared, report)
            }
            Ok(rendered) => {
                let count = rendered
                    .files
                    .keys()
                    .filter(|f| f.ends_with(".html"))
                    .count();
                // The same editorial findings as `polku check`, for changed paths only.
                let only = match &scope {
                    Scope::All => None,
                    Scope::Paths { paths, .. } => Some(paths),
                };
                let checked = crate::check::check_site(&site, crate::today(), only);
                if only.is_none() {
                    self.path_findings.clear();
                }
                let ids: BTreeSet<&str> = site.paths.iter().map(|p| p.id.as_str()).collect();
                self.path_findings.retain(|id, _| ids.contains(id.as_str()));
                self.path_findings.extend(checked.per_path);
                diagnostics.extend(checked.global);
                diagnostics.extend(self.path_findings.values().flatten().cloned());
                crate::diagnostics::sort(&mut diagnostics);
                let page_findings = page_findings(&site, &diagnostics);
                {
                    let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
                    if scope == Scope::All {
                        snap.files.clear();
                        snap.pages = rendered.pages.iter().map(|p| p.url.clone()).collect();
                    }
                    for (name, bytes) in rendered.files {
                        snap.files.insert(name, Arc::new(bytes));
                    }
                    snap.generation += 1;
                    snap.diagnostics = diagnostics.clone();
                    snap.default_lang = site.config.default_lang();
                    snap.page_findings = page_findings;
                }
                self.site = Some(site);
                shared.bump();
                report(count, scope != Scope::All, diagnostics)
            }
        }
    }

    fn publish_errors(
        &self,
        diagnostics: Vec<Diagnostic>,
        shared: &Shared,
        report: impl Fn(usize, bool, Vec<Diagnostic>) -> RebuildReport,
    ) -> RebuildReport {
        {
            let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
            snap.generation += 1;
            snap.diagnostics = diagnostics.clone();
        }
        shared.bump();
        report(0, false, diagnostics)
    }
}

/// Findings about each path page's own files, keyed by the page's output file.
fn page_findings(site: &Site, diagnostics: &[Diagnostic]) -> HashMap<String, Vec<Diagnostic>> {
    let mut map = HashMap::new();
    let findings = crate::check::FindingsByFile::new(diagnostics);
    for path in &site.paths {
        for &lang in &site.config.languages {
            let mine: Vec<Diagnostic> = findings.about(path, lang).into_iter().cloned().collect();
            if !mine.is_empty() {
                let (text, _) = path.text(lang);
                map.insert(format!("{}/{}/index.html", lang.code(), text.slug), mine);
            }
        }
    }
    map
}

/// What pages other than its own show of a path.
type Listing<'a> = (
    Vec<(Lang, &'a str, &'a str, &'a str)>,
    &'a str,
    bool,
    BTreeSet<&'a str>,
);

fn listing(p: &crate::content::Path) -> Listing<'_> {
    let texts = p
        .texts
        .iter()
        .map(|(l, t)| (*l, t.title.as_str(), t.summary.as_str(), t.slug.as_str()))
        .collect();
    let channels = p
        .phases
        .iter()
        .flat_map(|ph| ph.channels.iter().map(String::as_str))
        .collect();
    (texts, p.topic.as_str(), p.draft, channels)
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    http: Arc<HttpServer>,
    workers: Vec<JoinHandle<()>>,
    events_addr: SocketAddr,
    events_thread: Option<JoinHandle<()>>,
    watcher: Option<watch::Watcher>,
    /// Whether the default port was taken and another one chosen.
    pub moved_from_default: bool,
    /// The first build's report.
    pub initial: RebuildReport,
}

/// How long an idle keep-alive connection may stay open. tiny_http gives
/// every connection a pool thread until the connection ends, and its pool
/// can queue a new connection behind busy threads; closing idle connections
/// frees their threads so that no page load waits for long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

fn listener(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    // Accepted sockets inherit the receive timeout on Linux and macOS.
    socket.set_read_timeout(Some(IDLE_TIMEOUT))?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

fn resolve(host: &str, port: u16) -> std::io::Result<SocketAddr> {
    use std::net::ToSocketAddrs;
    (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "the host has no address"))
}

fn bind(host: &str, port: Option<u16>) -> Result<(HttpServer, bool), ServeError> {
    let candidates: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + 20).collect(),
    };
    let mut last = String::new();
    for (i, p) in candidates.iter().enumerate() {
        let bound = resolve(host, *p).and_then(listener);
        match bound
            .map_err(|e| e.to_string())
            .and_then(|l| HttpServer::from_listener(l, None).map_err(|e| e.to_string()))
        {
            Ok(s) => return Ok((s, i > 0)),
            Err(e) => last = e,
        }
    }
    let port_text = port.map_or_else(
        || format!("{DEFAULT_PORT}–{}", DEFAULT_PORT + 19),
        |p| p.to_string(),
    );
    Err(ServeError::Bind(format!("{host}:{port_text}"), last))
}

/// The live-reload streams' own listener: one thread per open tab, so that
/// long-lived streams never occupy the HTTP server's connection pool.
fn start_events(
    host: &str,
    shared: Arc<Shared>,
) -> Result<(SocketAddr, JoinHandle<()>), ServeError> {
    let bind_err = |e: std::io::Error| ServeError::Bind(format!("{host}:0"), e.to_string());
    let listener = std::net::TcpListener::bind((host, 0)).map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let shared = shared.clone();
            std::thread::spawn(move || event_stream(stream, &shared));
        }
    });
    Ok((addr, handle))
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
        let (http, moved) = bind(&options.host, options.port)?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| ServeError::Bind(options.host.clone(), "not an IP address".into()))?;
        let http = Arc::new(http);
        let base_url = format!("http://{addr}/");
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Snapshot {
                files: HashMap::new(),
                generation: 0,
                diagnostics: Vec::new(),
                pages: Vec::new(),
                default_lang: Lang::Fi,
                page_findings: HashMap::new(),
            }),
            changed: (Mutex::new(0), Condvar::new()),
            stop: AtomicBool::new(false),
            translations: RwLock::new(None),
            events_url: RwLock::new(String::new()),
        });
        let (events_addr, events_thread) = start_events(&options.host, shared.clone())?;
        *shared.events_url.write().unwrap_or_else(|e| e.into_inner()) =
            format!("http://{events_addr}/_polku/events");
        let mut builder = Builder::new(options.clone(), base_url);
        let initial = builder.rebuild(&[], &shared);
        let watcher =
            watch::Watcher::start(&options, builder, shared.clone()).map_err(ServeError::Watch)?;

        let mut workers = Vec::new();
        for _ in 0..4 {
            let http = http.clone();
            let shared = shared.clone();
            workers.push(std::thread::spawn(move || {
                while let Ok(request) = http.recv() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    handle(request, &shared);
                }
            }));
        }
        Ok(Server {
            addr,
            shared,
            http,
            workers,
            events_addr,
            events_thread: Some(events_thread),
            watcher: Some(watcher),
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

    /// The URL to open.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Receives the report of each rebuild after a change, for the terminal.
    pub fn reports(&self) -> Option<&std::sync::mpsc::Receiver<RebuildReport>> {
        self.watcher.as_ref().map(|w| &w.reports)
    }

    /// Stops watching and serving, ends reload streams and joins the workers.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.bump();
        if let Some(w) = self.watcher.take() {
            w.stop();
        }
        for _ in &self.workers {
            self.http.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        // Wake the events listener so that it sees the stop flag.
        let _ = std::net::TcpStream::connect(self.events_addr);
        if let Some(t) = self.events_thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.workers.is_empty() {
            self.shutdown();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

/// Content type by extension.
pub fn mime_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file of the site, or `None` for anything that
/// is not a plain path below the site root (`..`, encoded traversal, NUL).
pub fn resolve_request_path(raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut file = parts.join("/");
    if decoded.ends_with('/') || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle(request: Request, shared: &Arc<Shared>) {
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    match path {
        "/_polku/live.js" => {
            let _ = request.respond(
                Response::from_string(preview::LIVE_JS)
                    .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store")),
            );
        }
        "/_polku" | "/_polku/" => {
            let html = {
                let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
                let t = shared
                    .translations
                    .read()
                    .unwrap_or_else(|e| e.into_inner());
                let events = shared.events_url.read().unwrap_or_else(|e| e.into_inner());
                preview::index_page(&snap, &events, t.as_ref())
            };
            respond_html(request, 200, html);
        }
        _ => serve_file(request, path, shared),
    }
}

fn respond_html(request: Request, status: u16, html: String) {
    let _ = request.respond(
        Response::from_string(html)
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store")),
    );
}

fn serve_file(request: Request, path: &str, shared: &Shared) {
    let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
    let t = shared
        .translations
        .read()
        .unwrap_or_else(|e| e.into_inner());
    let found = resolve_request_path(path).and_then(|file| {
        // A folder requested without its trailing slash is served as the folder.
        snap.files
            .get(&file)
            .map(|b| (file.clone(), b.clone()))
            .or_else(|| {
                let index = format!("{file}/index.html");
                snap.files.get(&index).map(|b| (index, b.clone()))
            })
    });
    let lang = page_lang(path, snap.default_lang);
    let (status, file, bytes) = match found {
        Some((file, bytes)) => (200, file, bytes),
        None => {
            let not_found = format!("{}/404.html", lang.code());
            match snap
                .files
                .get(&not_found)
                .or_else(|| snap.files.get("404.html"))
            {
                Some(b) => (404, not_found, b.clone()),
                None => {
                    drop(snap);
                    respond_html(
                        request,
                        404,
                        String::from("<!DOCTYPE html><title>404</title>"),
                    );
                    return;
                }
            }
        }
    };
    if file.ends_with(".html") {
        let html = String::from_utf8_lossy(&bytes);
        let events = shared.events_url.read().unwrap_or_else(|e| e.into_inner());
        let injected = preview::inject(&html, &snap, &events, &file, lang, t.as_ref());
        drop(snap);
        respond_html(request, status, injected);
    } else {
        let body = bytes.as_ref().clone();
        drop(snap);
        let _ = request.respond(
            Response::from_data(body)
                .with_status_code(StatusCode(status))
                .with_header(header("Content-Type", mime_type(&file)))
                .with_header(header("Cache-Control", "no-store")),
        );
    }
}

fn page_lang(path: &str, default: Lang) -> Lang {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    Lang::from_code(first).unwrap_or(default)
}

/// One Server-Sent Events stream: the current generation at once, then one
/// event per rebuild, and a comment every 15 s to keep proxies from closing it.
fn event_stream(stream: std::net::TcpStream, shared: &Shared) {
    use std::io::{BufRead, BufReader};
    // Read the request head; only `GET /_polku/events` is served here.
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half.take(16 * 1024));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut writer: Box<dyn Write + Send> = Box::new(stream);
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    if !request_line.starts_with("GET ") || path.split('?').next() != Some("/_polku/events") {
        let _ = writer
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    // Pages are served from another port: allow them to listen (CORS).
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nAccess-Control-Allow-Origin: *\r\nConnection: keep-alive\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    let (lock, cvar) = &shared.changed;
    let mut seen = *lock.lock().unwrap_or_else(|e| e.into_inner());
    let send = |writer: &mut Box<dyn Write + Send>| {
        let generation = shared
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .generation;
        let event = format!("event: reload\ndata: {generation}\n\n");
        writer
            .write_all(event.as_bytes())
            .and_then(|_| writer.flush())
            .is_ok()
    };
    if !send(&mut writer) {
        return;
    }
    loop {
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, timeout) = cvar
            .wait_timeout_while(guard, Duration::from_secs(15), |g| {
                *g == seen && !shared.stop.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        let now = *guard;
        drop(guard);
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let ok = if timeout.timed_out() {
            writer
                .write_all(b": keepalive\n\n")
                .and_then(|_| writer.flush())
                .is_ok()
        } else {
            seen = now;
            send(&mut writer)
        };
        if !ok {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(resolve_request_path("/"), Some("index.html".into()));
        assert_eq!(resolve_request_path("/fi/"), Some("fi/index.html".into()));
        assert_eq!(
            resolve_request_path("/static/style.css?v=1"),
            Some("static/style.css".into())
        );
        assert_eq!(
            resolve_request_path("/fi/%C3%A4/"),
            Some("fi/ä/index.html".into())
        );
        for evil in [
            "/../Cargo.toml",
            "/fi/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/a/%00",
            "/..%5c..%5cwin.ini",
            "/%zz",
        ] {
            assert_eq!(resolve_request_path(evil), None, "{evil}");
        }
    }

    #[test]
    fn mime_types_by_extension() {
        assert_eq!(mime_type("fi/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("static/icons.svg"), "image/svg+xml");
        assert_eq!(mime_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(mime_type("x.bin"), "application/octet-stream");
    }
}
