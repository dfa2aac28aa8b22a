//! Watches the content and theme folders and rebuilds on every save.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::rebuild::Builder;
use super::{Lifeline, Notice, ServeOptions, Shared};

/// How long the folders must be quiet before a change is rebuilt. Short
/// enough for a save to reach the browser well under 100 ms; long enough
/// that the write-then-rename of one save arrives as one rebuild.
const QUIET: Duration = Duration::from_millis(15);

enum Message {
    Changed(Vec<PathBuf>),
    Stop,
}

/// The running watcher and its rebuild thread.
pub(super) struct Watcher {
    _watcher: RecommendedWatcher,
    tx: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

/// Files editors write around a save that are not content: swap, backup and
/// lock files, temporary files of an atomic save, Finder's `.DS_Store`.
pub fn is_editor_noise(path: &Path) -> bool {
    if path.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') && s != "." && s != ".."
    }) {
        return true;
    }
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return true;
    };
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

impl Watcher {
    pub(super) fn start(
        options: &ServeOptions,
        mut builder: Builder,
        shared: Arc<Shared>,
    ) -> Result<Watcher, String> {
        let (tx, rx) = mpsc::channel::<Message>();
        let events = tx.clone();
        let project = options.content.parent().map(Path::to_path_buf);
        let roots: Vec<PathBuf> = [options.content.clone(), options.theme.clone()]
            .into_iter()
            .chain(
                project
                    .iter()
                    .flat_map(|p| [p.join("templates"), p.join("static")]),
            )
            .collect();
        let warn_to = shared.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let event = match res {
                Ok(event) => event,
                Err(e) => {
                    // Say so, and rebuild everything: events may have been lost.
                    warn_to.notify(Notice::Warning(format!(
                        "watching for changes: {e}; rebuilding everything"
                    )));
                    let _ = events.send(Message::Changed(roots.to_vec()));
                    return;
                }
            };
            if event.need_rescan() {
                // The kernel's event queue overflowed: changes were lost.
                let _ = events.send(Message::Changed(roots.to_vec()));
                return;
            }
            // Reading files (our own rebuild included) is not a change.
            if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
                return;
            }
            let paths: Vec<PathBuf> = event
                .paths
                .into_iter()
                // Judge the path below the watched folder: the project itself
                // may live under a hidden folder.
                .filter(|p| {
                    !is_editor_noise(
                        roots
                            .iter()
                            .find_map(|r| p.strip_prefix(r).ok())
                            .unwrap_or(p),
                    )
                })
                .collect();
            if !paths.is_empty() {
                let _ = events.send(Message::Changed(paths));
            }
        })
        .map_err(|e| e.to_string())?;
        for dir in [&options.content, &options.theme] {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
        // Theme overrides beside the content folder, where they exist.
        if let Some(project) = options.content.parent() {
            for sub in ["templates", "static"] {
                let dir = project.join(sub);
                if dir.is_dir() {
                    watcher
                        .watch(&dir, RecursiveMode::Recursive)
                        .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
                }
            }
        }
        let thread = std::thread::Builder::new()
            .name("polku-rebuild".into())
            .spawn(move || {
                let _lifeline = Lifeline {
                    shared: &shared,
                    what: "rebuild loop",
                };
                while let Ok(message) = rx.recv() {
                    let Message::Changed(mut paths) = message else {
                        return;
                    };
                    // Debounce: everything until the folders are quiet belongs to
                    // the same save.
                    loop {
                        match rx.recv_timeout(QUIET) {
                            Ok(Message::Changed(more)) => paths.extend(more),
                            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                            Err(RecvTimeoutError::Timeout) => break,
                        }
                    }
                    paths.sort();
                    paths.dedup();
                    let report = builder.rebuild(&paths, &shared);
                    shared.notify(Notice::Rebuilt(report));
                }
            })
            .map_err(|e| format!("cannot start the rebuild thread: {e}"))?;
        Ok(Watcher {
            _watcher: watcher,
            tx,
            thread: Some(thread),
        })
    }

    pub(super) fn stop(mut self) {
        let _ = self.tx.send(Message::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_save_patterns_are_noise() {
        for noise in [
            "content/.DS_Store",
            "content/paths/a/.fi.md.swp",
            "content/paths/a/fi.md~",
            "content/paths/a/#fi.md#",
            "content/paths/a/.#fi.md",
            "content/paths/a/4913",
            "content/paths/a/fi.md.tmp",
            "content/.git/index",
            "content/paths/a/.goutputstream-XYZ",
        ] {
            assert!(is_editor_noise(Path::new(noise)), "{noise}");
        }
        for real in [
            "content/paths/a/fi.md",
            "content/channels.toml",
            "themes/default/static/style.css",
        ] {
            assert!(!is_editor_noise(Path::new(real)), "{real}");
        }
    }
}
