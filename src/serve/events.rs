//! Live-reload streams (Server-Sent Events): the current generation at
//! once, then one event per rebuild, and a comment line every heartbeat.
//!
//! Streams are bounded: past the limit the oldest is closed, since an
//! editor's newest tabs are the ones being looked at. A closed stream's
//! browser reconnects on its own (`retry`), and the first event it gets
//! tells it whether it missed a rebuild.

use std::collections::VecDeque;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::Shared;

/// The open reload streams, oldest first.
pub(super) struct Streams {
    open: Mutex<VecDeque<(u64, TcpStream)>>,
    next_id: AtomicU64,
    max: usize,
}

impl Streams {
    pub(super) fn new(max: usize) -> Streams {
        Streams {
            open: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(0),
            max: max.max(1),
        }
    }

    /// Registers a stream, closing the oldest ones past the limit.
    fn register(&self, stream: &TcpStream) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while open.len() >= self.max {
            if let Some((_, oldest)) = open.pop_front() {
                // Its thread notices at its next write and ends.
                let _ = oldest.shutdown(Shutdown::Both);
            }
        }
        open.push_back((id, handle));
        Some(id)
    }

    fn unregister(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|(i, _)| *i != id);
    }

    /// How many streams are open.
    pub(super) fn len(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Closes every stream (the server is stopping).
    pub(super) fn close_all(&self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for (_, stream) in open.drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

struct Registration<'a> {
    streams: &'a Streams,
    id: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.streams.unregister(self.id);
    }
}

/// Serves one stream until the client goes away, the stream is closed as
/// the oldest, or the server stops. `cors_origin` is the page origin allowed
/// to read it (pages are served from another port).
pub(super) fn serve(mut stream: TcpStream, cors_origin: Option<String>, shared: &Shared) {
    let Some(id) = shared.streams.register(&stream) else {
        return;
    };
    let _registration = Registration {
        streams: &shared.streams,
        id,
    };
    let cors = cors_origin
        .map(|o| format!("Access-Control-Allow-Origin: {o}\r\nVary: Origin\r\n"))
        .unwrap_or_default();
    // `retry`: how soon the browser reconnects after the stream closes.
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{cors}Connection: keep-alive\r\n\r\nretry: 1000\n\n"
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let (lock, cvar) = &shared.changed;
    let mut seen = *lock.lock().unwrap_or_else(|e| e.into_inner());
    let send = |stream: &mut TcpStream| {
        let generation = shared
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .generation;
        let event = format!("event: reload\ndata: {generation}\n\n");
        stream
            .write_all(event.as_bytes())
            .and_then(|_| stream.flush())
            .is_ok()
    };
    if !send(&mut stream) {
        return;
    }
    loop {
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, waited) = cvar
            .wait_timeout_while(guard, shared.limits.heartbeat, |g| {
                *g == seen && !shared.stopping()
            })
            .unwrap_or_else(|e| e.into_inner());
        let now = *guard;
        drop(guard);
        if shared.stopping() {
            return;
        }
        let ok = if waited.timed_out() {
            stream
                .write_all(b": keepalive\n\n")
                .and_then(|_| stream.flush())
                .is_ok()
        } else {
            seen = now;
            send(&mut stream)
        };
        if !ok {
            return;
        }
    }
}
