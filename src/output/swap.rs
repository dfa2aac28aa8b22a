//! The staging folder beside the output, the swap that puts it in place,
//! and the clean-up of what killed builds left behind.
//!
//! Names: `.{out}.polku-staging-{pid}-{nanos}` while a build writes, and
//! `.{out}.polku-retired-{pid}-{nanos}` for an old site on its way out.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::MANIFEST;

/// Written first into every staging folder: a folder with this file is an
/// unfinished or unswapped build of polku's and may be removed.
pub(super) const STAGING_MARK: &str = ".polku-staging";

fn stamp() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{nanos}", std::process::id())
}

/// A staging folder; removed again if it is dropped before being swapped in.
pub(super) struct Staging {
    path: Option<PathBuf>,
    parent: PathBuf,
    name: String,
}

impl Staging {
    pub(super) fn create(parent: &Path, name: &str) -> io::Result<Staging> {
        let path = parent.join(format!(".{name}.polku-staging-{}", stamp()));
        fs::create_dir(&path)?;
        let staging = Staging {
            path: Some(path.clone()),
            parent: parent.to_path_buf(),
            name: name.to_string(),
        };
        fs::write(path.join(STAGING_MARK), "polku build in progress\n")?;
        Ok(staging)
    }

    pub(super) fn path(&self) -> &Path {
        self.path
            .as_deref()
            .expect("staging folder exists until swapped")
    }

    /// Puts the staging folder at `target`. Returns where the previous
    /// folder at `target` went, if there was one.
    pub(super) fn swap_into(mut self, target: &Path) -> io::Result<Option<PathBuf>> {
        let staging = self.path.take().expect("swapped once");
        let result = self.swap(&staging, target);
        if result.is_err() {
            self.path = Some(staging);
            return result;
        }
        let _ = fs::remove_file(target.join(STAGING_MARK));
        result
    }

    fn swap(&self, staging: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
        if fs::symlink_metadata(target).is_err() {
            fs::rename(staging, target)?;
            return Ok(None);
        }
        if exchange(staging, target)? {
            // The old site now sits under the staging name; give it its name.
            let retired = self.retired_name();
            fs::rename(staging, &retired)?;
            return Ok(Some(retired));
        }
        // No atomic exchange here: two renames, with a moment between them
        // in which the output path is empty. A build killed in that moment
        // is repaired by the next one (see `recover`).
        let retired = self.retired_name();
        fs::rename(target, &retired)?;
        pause_for_tests("POLKU_TEST_PAUSE_BETWEEN_RENAMES_MS");
        if let Err(e) = fs::rename(staging, target) {
            let _ = fs::rename(&retired, target);
            return Err(e);
        }
        Ok(Some(retired))
    }

    fn retired_name(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.polku-retired-{}", self.name, stamp()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Swaps two folders atomically. `Ok(false)`: not supported here.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    if std::env::var_os("POLKU_TEST_NO_EXCHANGE").is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Old kernels and some filesystems lack RENAME_EXCHANGE.
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::OPNOTSUPP =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// A backup folder name beside the output: visible, dated, unique.
pub(super) fn backup_name(parent: &Path, name: &str) -> PathBuf {
    let format = time::macros::format_description!("[year][month][day]-[hour][minute][second]");
    let when = time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_else(|_| "backup".into());
    let mut candidate = parent.join(format!("{name}.polku-backup-{when}"));
    let mut n = 2;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = parent.join(format!("{name}.polku-backup-{when}-{n}"));
        n += 1;
    }
    candidate
}

/// Test hook: sleeps for the milliseconds in the variable `name`, so that a
/// test can kill a build at that point.
pub(super) fn pause_for_tests(name: &str) {
    if let Some(ms) = std::env::var(name).ok().and_then(|v| v.parse().ok()) {
        eprintln!("(test pause: {name})");
        std::thread::sleep(Duration::from_millis(ms));
    }
}

/// Whether the build that left a folder may still be running.
fn still_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        // Without /proc: assume a build is running for at most an hour.
        true
    }
}

fn left_by_dead_build(path: &Path, pid: u32) -> bool {
    if !still_running(pid) {
        return true;
    }
    let age = fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| m.elapsed().ok());
    !cfg!(target_os = "linux") && age.is_some_and(|a| a > Duration::from_secs(3600))
}

/// Cleans up after builds of `parent/name` that were killed: restores the
/// old site if the output path was left empty, removes staging folders and
/// old sites, and moves a foreign folder's old contents to a backup folder.
/// Returns the leftovers handled.
pub(super) fn recover(parent: &Path, name: &str, target: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let staging = format!(".{name}.polku-staging-");
    let retired = format!(".{name}.polku-retired-");
    let mut leftovers: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let (rest, is_retired) = if let Some(r) = file.strip_prefix(&staging) {
                (r.to_string(), false)
            } else if let Some(r) = file.strip_prefix(&retired) {
                (r.to_string(), true)
            } else {
                return None;
            };
            let pid: u32 = rest.split('-').next()?.parse().ok()?;
            let path = e.path();
            (e.file_type().ok()?.is_dir() && left_by_dead_build(&path, pid))
                .then_some((path, is_retired))
        })
        .collect();
    leftovers.sort();
    let mut handled = Vec::new();
    // An empty output path with an old site beside it: put the site back.
    if fs::symlink_metadata(target).is_err() {
        if let Some((old, _)) = leftovers
            .iter()
            .find(|(p, is_retired)| *is_retired && p.join(MANIFEST).is_file())
        {
            if fs::rename(old, target).is_ok() {
                handled.push(target.to_path_buf());
            }
        }
    }
    for (path, _) in leftovers {
        if !path.exists() {
            continue;
        }
        if path.join(STAGING_MARK).is_file() || path.join(MANIFEST).is_file() {
            if fs::remove_dir_all(&path).is_ok() {
                handled.push(path);
            }
        } else {
            // A foreign folder's contents caught between swap and backup.
            let backup = backup_name(parent, name);
            if fs::rename(&path, &backup).is_ok() {
                handled.push(backup);
            }
        }
    }
    handled
}
