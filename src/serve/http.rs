//! The preview's HTTP side: two listeners (pages, and the live-reload
//! streams), a thread per connection, and the request limits.
//!
//! Timeouts live on accepted connections only. The listening sockets have
//! none: a receive timeout on a listening socket also applies to `accept()`,
//! which then fails after every idle period (the bug behind issue #8). An
//! accept error that does not mean the socket itself is broken is retried;
//! one that does is reported as fatal, so the preview never runs on deaf.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{events, preview, Notice, ServeError, Shared, DEFAULT_PORT};
use crate::content::Lang;

/// How long a write to a client may block (a tab that stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long accept() may keep failing with errors that are usually passing
/// (out of file descriptors, a client that gave up) before the listener is
/// given up as broken.
const ACCEPT_GIVE_UP: Duration = Duration::from_secs(60);

/// Which listener a connection came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Door {
    /// Pages, assets, `/_polku/`.
    Pages,
    /// Live-reload streams only. They have a port of their own because
    /// browsers open at most six connections per host and port: streams of
    /// many tabs on the pages' port would leave page loads waiting.
    Events,
}

impl Door {
    pub(super) fn listener_name(self) -> &'static str {
        match self {
            Door::Pages => "preview listener",
            Door::Events => "live-reload listener",
        }
    }

    fn port(self, shared: &Shared) -> u16 {
        match self {
            Door::Pages => shared.pages_port,
            Door::Events => shared.events_port,
        }
    }
}

/// Binds `host:port`, or the first free port from 1111 when no port is
/// given. Returns the listener and whether the default port was taken.
pub(super) fn bind(host: &str, port: Option<u16>) -> Result<(TcpListener, bool), ServeError> {
    let candidates: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + 20).collect(),
    };
    let mut last = String::new();
    for (i, p) in candidates.iter().enumerate() {
        match resolve(host, *p).and_then(listen) {
            Ok(listener) => return Ok((listener, i > 0)),
            Err(e) => last = e.to_string(),
        }
    }
    let port_text = port.map_or_else(
        || format!("{DEFAULT_PORT}–{}", DEFAULT_PORT + 19),
        |p| p.to_string(),
    );
    Err(ServeError::Bind {
        addr: format!("{host}:{port_text}"),
        reason: last,
    })
}

/// Connections the kernel queues until the accept loop takes them. A page
/// load after a save brings a burst (many tabs, each page with its assets);
/// std's 128 lost 4 to 13 of 200 simultaneous connections, each then waiting
/// a second for the client's retry (issue #29). The kernel caps the number at
/// its own limit (`net.core.somaxconn`, 4096 on Linux since 5.4).
const BACKLOG: i32 = 4096;

/// A listening socket on `addr` with a backlog of [`BACKLOG`].
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // As std does on Unix: a restarted preview gets its port back at once
    // (on Windows the option would let two servers share a port).
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

fn resolve(host: &str, port: u16) -> io::Result<SocketAddr> {
    use std::net::ToSocketAddrs;
    (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "the host has no address"))
}

/// Accepts connections until the server stops. Returns why, if the listener
/// broke.
pub(super) fn accept_loop(
    listener: &TcpListener,
    door: Door,
    shared: &Arc<Shared>,
) -> Result<(), String> {
    let mut failing_since: Option<Instant> = None;
    let mut backoff = Duration::from_millis(10);
    loop {
        let accepted = listener.accept();
        if shared.stopping() {
            return Ok(());
        }
        match accepted {
            Ok((stream, _)) => {
                if failing_since.take().is_some() {
                    shared.notify(Notice::Warning(format!(
                        "the {} accepts connections again",
                        door.listener_name()
                    )));
                }
                backoff = Duration::from_millis(10);
                dispatch(stream, door, shared);
            }
            Err(e) if listener_is_broken(&e) => {
                return Err(format!("the {} failed: {e}", door.listener_name()));
            }
            Err(e) => {
                let since = *failing_since.get_or_insert_with(|| {
                    shared.notify(Notice::Warning(format!(
                        "the {} cannot accept a connection ({e}); retrying",
                        door.listener_name()
                    )));
                    Instant::now()
                });
                if since.elapsed() > ACCEPT_GIVE_UP {
                    return Err(format!(
                        "the {} has failed to accept connections for {} s: {e}",
                        door.listener_name(),
                        ACCEPT_GIVE_UP.as_secs()
                    ));
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Errors that mean the listening socket itself is gone or unusable, as
/// opposed to a passing problem with one connection or with resources.
fn listener_is_broken(e: &io::Error) -> bool {
    const EBADF: i32 = 9;
    const EINVAL: i32 = 22;
    #[cfg(target_os = "linux")]
    const ENOTSOCK: i32 = 88;
    #[cfg(not(target_os = "linux"))]
    const ENOTSOCK: i32 = 38;
    matches!(e.raw_os_error(), Some(EBADF | EINVAL | ENOTSOCK))
}

/// Releases a connection's place when its thread ends (or never starts).
struct Slot(Arc<Shared>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::SeqCst);
    }
}

fn dispatch(stream: TcpStream, door: Door, shared: &Arc<Shared>) {
    let limits = shared.limits;
    let open = shared.connections.fetch_add(1, Ordering::SeqCst) + 1;
    let slot = Slot(shared.clone());
    let _ = stream.set_read_timeout(Some(limits.idle_timeout));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    if open > limits.max_connections {
        refuse(
            stream,
            &Response::text(503, "The preview is busy; try again."),
        );
        return;
    }
    let spare = stream.try_clone().ok();
    let worker = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("polku-http".into())
        .spawn(move || {
            let _slot = slot;
            connection(stream, door, &worker);
        });
    if let Err(e) = spawned {
        if let Some(stream) = spare {
            refuse(
                stream,
                &Response::text(503, "The preview is busy; try again."),
            );
        }
        shared.notify(Notice::Warning(format!(
            "cannot start a thread for a connection ({e}); it was answered 503"
        )));
    }
}

fn refuse(mut stream: TcpStream, response: &Response) {
    let _ = write_response(&mut stream, response, false, false);
}

/// One connection: requests one after the other (keep-alive) until the
/// client closes it, sits idle past the idle timeout, or asks for a stream.
fn connection(mut stream: TcpStream, door: Door, shared: &Arc<Shared>) {
    let mut buf = Vec::with_capacity(2048);
    loop {
        let head = match read_head(&mut stream, &mut buf, shared.limits.max_head_bytes) {
            Ok(head) => head,
            Err(HeadError::Closed) => return,
            Err(HeadError::TooLarge) => {
                let message = "The request head is too large.";
                refuse(stream, &Response::text(431, message));
                return;
            }
            Err(HeadError::Malformed) => {
                refuse(stream, &Response::text(400, "The request is malformed."));
                return;
            }
        };
        match route(&head, door, shared) {
            Routed::Respond(response) => {
                let keep = !head.close && !response.close;
                let written = write_response(&mut stream, &response, head.method == "HEAD", keep);
                if written.is_err() || !keep {
                    return;
                }
            }
            Routed::Stream { cors_origin } => {
                events::serve(stream, cors_origin, shared);
                return;
            }
        }
    }
}

/// The parts of a request head the preview uses.
#[derive(Debug)]
struct Head {
    method: String,
    target: String,
    host: Option<String>,
    origin: Option<String>,
    /// The connection ends after the response: `Connection: close`, HTTP/1.0,
    /// or a request body the preview does not read.
    close: bool,
}

#[derive(Debug, PartialEq)]
enum HeadError {
    Closed,
    TooLarge,
    Malformed,
}

/// Reads one request head from `stream` into `buf` (which keeps bytes of a
/// pipelined next request), at most `max` bytes of it.
fn read_head(stream: &mut impl Read, buf: &mut Vec<u8>, max: usize) -> Result<Head, HeadError> {
    loop {
        if !buf.is_empty() {
            if let Some((head, used)) = parse_head(buf)? {
                if used > max {
                    return Err(HeadError::TooLarge);
                }
                buf.drain(..used);
                return Ok(head);
            }
        }
        if buf.len() >= max {
            return Err(HeadError::TooLarge);
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Idle past the timeout, or the client went away.
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    let used = match request.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
        Err(_) => return Err(HeadError::Malformed),
    };
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .map(|v| v.trim().to_string())
    };
    let has_body =
        header("transfer-encoding").is_some() || header("content-length").is_some_and(|n| n != "0");
    let close = request.version != Some(1)
        || has_body
        || header("connection")
            .is_some_and(|c| c.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
    let head = Head {
        method: request.method.unwrap_or_default().to_string(),
        target: request.path.unwrap_or_default().to_string(),
        host: header("host"),
        origin: header("origin"),
        close,
    };
    Ok(Some((head, used)))
}

/// A response with its whole body.
struct Response {
    status: u16,
    content_type: &'static str,
    body: Arc<Vec<u8>>,
    headers: Vec<(&'static str, String)>,
    /// Close the connection after this response.
    close: bool,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: Arc<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body,
            headers: Vec::new(),
            close: false,
        }
    }

    fn html(status: u16, html: String) -> Response {
        Response::new(
            status,
            "text/html; charset=utf-8",
            Arc::new(html.into_bytes()),
        )
    }

    fn text(status: u16, text: &str) -> Response {
        let mut response = Response::new(
            status,
            "text/plain; charset=utf-8",
            Arc::new(format!("{text}\n").into_bytes()),
        );
        response.close = status >= 400 && status != 404;
        response
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn write_response(
    stream: &mut impl Write,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

enum Routed {
    Respond(Response),
    /// Hand the connection to a live-reload stream.
    Stream {
        cors_origin: Option<String>,
    },
}

fn route(head: &Head, door: Door, shared: &Shared) -> Routed {
    let Some(host) = head.host.as_deref() else {
        return Routed::Respond(Response::text(400, "The request has no Host header."));
    };
    if !allowed_host(host, door.port(shared), shared) {
        // Another name pointing here is how DNS rebinding lets a web page
        // read the preview (drafts, /_polku/): only loopback names and the
        // bound address are served.
        return Routed::Respond(Response::text(
            403,
            "This host name is not allowed: open the preview at the address polku printed.",
        ));
    }
    if head.method != "GET" && head.method != "HEAD" {
        let mut response = Response::text(405, "The preview answers only GET and HEAD.")
            .with_header("Allow", "GET, HEAD");
        response.close = true;
        return Routed::Respond(response);
    }
    let path = head.target.split('?').next().unwrap_or("");
    if path == "/_polku/events" {
        return match &head.origin {
            None => Routed::Stream { cors_origin: None },
            Some(origin) if allowed_origin(origin, shared) => Routed::Stream {
                cors_origin: Some(origin.clone()),
            },
            Some(_) => Routed::Respond(Response::text(
                403,
                "Only pages of this preview may listen for reloads.",
            )),
        };
    }
    if door == Door::Events {
        return Routed::Respond(Response::text(404, "Only /_polku/events is served here."));
    }
    Routed::Respond(match path {
        "/_polku/live.js" => Response::new(
            200,
            "text/javascript; charset=utf-8",
            Arc::new(preview::LIVE_JS.as_bytes().to_vec()),
        ),
        "/_polku/live-worker.js" => Response::new(
            200,
            "text/javascript; charset=utf-8",
            Arc::new(preview::LIVE_WORKER_JS.as_bytes().to_vec()),
        ),
        "/_polku" | "/_polku/" => {
            let t = shared
                .translations
                .read()
                .unwrap_or_else(|e| e.into_inner());
            // Counted outside the snapshot's lock: a rebuild need not wait.
            let site = shared
                .snapshot
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .site
                .clone();
            let translations = site
                .map(|site| preview::translation_status(&site, t.as_ref()))
                .unwrap_or_default();
            let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
            Response::html(
                200,
                preview::index_page(&snap, &translations, shared.events_port, t.as_ref()),
            )
        }
        _ => site_file(path, shared),
    })
}

/// Whether a `Host` header names this preview: a loopback name or address,
/// the bound address, or with `--host 0.0.0.0` any address or `.local` name
/// of this machine, always with the listener's port.
fn allowed_host(host: &str, port: u16, shared: &Shared) -> bool {
    let (name, host_port) = split_host(host);
    if host_port.unwrap_or(80) != port {
        return false;
    }
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    if let Ok(ip) = name.parse::<IpAddr>() {
        return ip.is_loopback() || shared.all_interfaces || ip == shared.bound_ip;
    }
    shared.all_interfaces && name.ends_with(".local")
}

/// `name:port`, `[v6]:port` or a bare name.
fn split_host(host: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return (host, None);
        };
        let port = after.strip_prefix(':').and_then(|p| p.parse().ok());
        return (ip, port);
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, port.parse().ok().or(Some(0))),
        None => (host, None),
    }
}

/// Whether a reload stream's `Origin` is a page of this preview.
fn allowed_origin(origin: &str, shared: &Shared) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| allowed_host(host, shared.pages_port, shared))
}

/// A file of the built site, the site's 404 page, or (when no site could be
/// built yet) the error page.
fn site_file(path: &str, shared: &Shared) -> Response {
    let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
    let t = shared
        .translations
        .read()
        .unwrap_or_else(|e| e.into_inner());
    let lang = page_lang(path, snap.default_lang, t.as_ref());
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
    let (status, file, bytes) = match found {
        Some((file, bytes)) => (200, file, bytes),
        None if snap.files.is_empty() && snap.has_errors() && looks_like_page(path) => {
            // Started on broken content: every page shows the errors and
            // reloads itself once they are fixed.
            let html = preview::error_page(&snap, shared.events_port, lang, t.as_ref());
            return Response::html(503, html);
        }
        None => {
            let not_found = format!("{}/404.html", lang.code());
            match snap
                .files
                .get(&not_found)
                .or_else(|| snap.files.get("404.html"))
            {
                Some(b) => (404, not_found, b.clone()),
                None => return Response::text(404, "Not found."),
            }
        }
    };
    if file.ends_with(".html") {
        let html = String::from_utf8_lossy(&bytes);
        let injected = preview::inject(&html, &snap, shared.events_port, &file, lang, t.as_ref());
        Response::html(status, injected)
    } else {
        Response::new(status, mime_type(&file), bytes)
    }
}

fn looks_like_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.ends_with(".html") || !last.contains('.')
}

/// The language of a page by its first folder, when that is one the
/// theme has UI strings for (`/abc/x.html` is not a page in "abc").
fn page_lang(path: &str, default: Lang, t: Option<&crate::render::Translations>) -> Lang {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    t.and_then(|t| t.languages().into_iter().find(|l| l.code() == first))
        .unwrap_or(default)
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

    #[test]
    fn heads_are_parsed_bounded_and_pipelined() {
        let two = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        let mut reader = &two[..];
        let mut buf = Vec::new();
        let first = read_head(&mut reader, &mut buf, 1024).unwrap();
        assert_eq!((first.target.as_str(), first.close), ("/a", false));
        let second = read_head(&mut reader, &mut buf, 1024).unwrap();
        assert_eq!((second.target.as_str(), second.close), ("/b", true));
        assert_eq!(
            read_head(&mut reader, &mut buf, 1024).unwrap_err(),
            HeadError::Closed
        );

        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(5000));
        let mut buf = Vec::new();
        let err = read_head(&mut huge.as_bytes(), &mut buf, 1024).unwrap_err();
        assert_eq!(err, HeadError::TooLarge);
        // A head that never ends is cut off at the limit, not read forever.
        let endless = std::io::repeat(b'a');
        let err = read_head(&mut endless.take(1 << 20), &mut Vec::new(), 1024).unwrap_err();
        assert_eq!(err, HeadError::TooLarge);
        let err = read_head(
            &mut &b"\x00\x01 nonsense\r\n\r\n"[..],
            &mut Vec::new(),
            1024,
        );
        assert_eq!(err.unwrap_err(), HeadError::Malformed);
        // HTTP/1.0 and requests with a body end the connection.
        let old = read_head(&mut &b"GET / HTTP/1.0\r\n\r\n"[..], &mut Vec::new(), 1024).unwrap();
        assert!(old.close);
        let body = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
        assert!(
            read_head(&mut &body[..], &mut Vec::new(), 1024)
                .unwrap()
                .close
        );
    }

    #[test]
    fn host_names_split() {
        assert_eq!(split_host("127.0.0.1:1111"), ("127.0.0.1", Some(1111)));
        assert_eq!(split_host("[::1]:80"), ("::1", Some(80)));
        assert_eq!(split_host("localhost"), ("localhost", None));
        assert_eq!(split_host("evil.example:x"), ("evil.example", Some(0)));
    }

    /// A burst larger than std's backlog of 128 is queued whole by the
    /// kernel before the accept loop takes a single connection. (Linux: it
    /// completes handshakes for queued connections; where the kernel's own
    /// cap is lower, as macOS's 128, the burst waits for the accept loop.)
    #[cfg(target_os = "linux")]
    #[test]
    fn the_listener_queues_a_burst_of_connections() {
        let listener = listen(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
        let addr = listener.local_addr().unwrap();
        let cap: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(4096);
        let burst = 300.min(cap);
        let mut open = Vec::new();
        for i in 0..burst {
            // A dropped connection would wait for the client's SYN retry.
            let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
                .unwrap_or_else(|e| panic!("connection {i} of {burst} not queued: {e}"));
            open.push(stream);
        }
        for _ in 0..burst {
            listener.accept().unwrap();
        }
    }
}
