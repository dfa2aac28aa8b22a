//! Writing a rendered site to disk without ever losing a file.
//!
//! The rules (docs/publishing.md states them for users):
//! - polku replaces only what it wrote. Its output folder carries a marker,
//!   `.polku-manifest.json`, listing the files it wrote. A folder that is not
//!   empty and has no marker is refused unless `--force` is given, and then
//!   its contents are moved aside into a backup folder, never deleted.
//! - Files in the output that polku did not write (a gh-pages `.git`,
//!   `CNAME`, `.nojekyll`, `_headers`, ...) are carried into every new build.
//! - The output may never be, contain, or sit inside the content or theme
//!   folder, nor be the project folder or one of its ancestors.
//! - The new site is written to a staging folder beside the output and
//!   swapped in with one atomic exchange (Linux `renameat2`), so the output
//!   path always holds the old site or the new one; staging folders of
//!   killed builds are recognised by name and marker, and cleaned up.

mod guard;
mod swap;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use guard::{Protected, HOSTING_FILES};

use crate::render::Rendered;

/// The marker at the root of every output folder polku wrote.
pub const MANIFEST: &str = ".polku-manifest.json";

/// Why the site was not written. Nothing at the output path was changed.
#[derive(Debug)]
pub struct OutputError {
    /// What kind of refusal or failure, for tests and scripts.
    pub kind: OutputErrorKind,
    /// What is wrong, naming the path.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// The kinds of [`OutputError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputErrorKind {
    /// The output is, contains or is inside a folder polku must not replace.
    Protected,
    /// The output path is a file, a link to a file, or a dangling link.
    NotAFolder,
    /// A non-empty folder without polku's marker, and no `--force`.
    NotOurs,
    /// A file polku did not write is where the site writes one.
    Conflict,
    /// Reading or writing failed.
    Io,
}

impl OutputError {
    fn new(kind: OutputErrorKind, message: String, hint: &str) -> OutputError {
        OutputError {
            kind,
            message,
            hint: hint.to_string(),
        }
    }

    fn io(what: &str, path: &Path, e: io::Error) -> OutputError {
        OutputError::new(
            OutputErrorKind::Io,
            format!("cannot {what} {}: {e}", path.display()),
            "check that the folder is writable and the disk has space; the previous site was left as it was",
        )
    }
}

/// What publishing did besides writing the site.
#[derive(Debug, Default)]
pub struct Published {
    /// The folder the site is in (the link's target when `--out` is a link).
    pub folder: PathBuf,
    /// Files and folders polku did not write, carried over from the old output.
    pub kept: Vec<String>,
    /// Where `--force` moved a foreign folder's previous contents.
    pub backup: Option<PathBuf>,
    /// Leftovers of killed builds that were cleaned up or restored.
    pub recovered: Vec<PathBuf>,
}

/// How to publish.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// Take over a non-empty folder that has no marker, moving its contents
    /// (hosting files excepted) into a backup folder beside it.
    pub force: bool,
    /// Folders the output must stay clear of.
    pub protected: Protected,
}

/// The manifest written at the output's root.
#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    generator: String,
    format: u32,
    files: BTreeSet<String>,
}

impl Manifest {
    fn read(folder: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(folder.join(MANIFEST)).ok()?;
        serde_json::from_str::<Manifest>(&text)
            .ok()
            .filter(|m| m.generator == "polku")
    }
}

/// What is at the output path now.
enum Existing {
    Nothing,
    /// polku's own output (or an empty folder), with the files it wrote.
    Ours(BTreeSet<String>),
    /// Somebody else's folder, taken over with `--force`.
    Foreign,
}

/// Writes every file of `rendered` to `out`, replacing what polku wrote
/// there before and keeping everything else. On any error the output is left
/// exactly as it was.
pub fn publish(
    out: &Path,
    rendered: &Rendered,
    options: &PublishOptions,
) -> Result<Published, OutputError> {
    let target = guard::resolve_out(out)?;
    options.protected.check(out, &target)?;
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    fs::create_dir_all(&parent).map_err(|e| OutputError::io("create", &parent, e))?;
    let mut published = Published {
        folder: target.clone(),
        recovered: swap::recover(&parent, &name, &target),
        ..Published::default()
    };

    let existing = match fs::read_dir(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Existing::Nothing,
        Err(e) => return Err(OutputError::io("read", &target, e)),
        Ok(mut entries) => {
            if entries.next().is_none() {
                Existing::Ours(BTreeSet::new())
            } else if let Some(manifest) = Manifest::read(&target) {
                Existing::Ours(manifest.files)
            } else if options.force {
                Existing::Foreign
            } else {
                return Err(OutputError::new(
                    OutputErrorKind::NotOurs,
                    format!(
                        "{} is not empty and was not written by polku (it has no {MANIFEST})",
                        out.display()
                    ),
                    "write the site to a new or empty folder, e.g. `--out public`; or pass `--force` to move this folder's contents into a backup folder beside it (hosting files such as CNAME, .nojekyll and .git stay); nothing is deleted",
                ));
            }
        }
    };

    let kept = match &existing {
        Existing::Nothing => Vec::new(),
        Existing::Ours(written) => {
            guard::not_written(&target, written).map_err(|e| OutputError::io("read", &target, e))?
        }
        Existing::Foreign => guard::hosting_entries(&target),
    };
    guard::check_conflicts(out, &kept, rendered)?;

    let staging = swap::Staging::create(&parent, &name)
        .map_err(|e| OutputError::io("create a staging folder in", &parent, e))?;
    let files: BTreeSet<String> = rendered.files.keys().cloned().collect();
    let written = write_tree(staging.path(), rendered)
        .and_then(|_| carry_over(&target, staging.path(), &kept))
        .and_then(|_| {
            let manifest = Manifest {
                generator: "polku".into(),
                format: 1,
                files,
            };
            let json = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
            fs::write(staging.path().join(MANIFEST), json + "\n")
        });
    if let Err(e) = written {
        return Err(OutputError::io("write the site to", staging.path(), e));
    }
    swap::pause_for_tests("POLKU_TEST_PAUSE_BEFORE_SWAP_MS");
    let retired = staging
        .swap_into(&target)
        .map_err(|e| OutputError::io("put the new site in place at", &target, e))?;
    if let Some(old) = retired {
        match existing {
            Existing::Foreign => {
                let backup = swap::backup_name(&parent, &name);
                fs::rename(&old, &backup).map_err(|e| OutputError::io("move aside", &old, e))?;
                published.backup = Some(backup);
            }
            // The old tree holds only files polku wrote, and second links
            // to (or copies of) the kept files now in the new site.
            _ => {
                let _ = fs::remove_dir_all(&old);
            }
        }
    }
    published.kept = kept.iter().map(|k| k.display().to_string()).collect();
    Ok(published)
}

fn write_tree(root: &Path, rendered: &Rendered) -> io::Result<()> {
    use rayon::prelude::*;
    // Folders first, once each; then the files in parallel.
    let dirs: BTreeSet<&str> = rendered
        .files
        .keys()
        .filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in dirs {
        fs::create_dir_all(root.join(dir))?;
    }
    rendered
        .files
        .par_iter()
        .try_for_each(|(rel, bytes)| fs::write(root.join(rel), bytes))
}

/// Links (or, where links cannot be made, copies) the kept entries of the
/// old output into the new one. Folders are walked; symbolic links are
/// recreated as links, never followed.
fn carry_over(from: &Path, to: &Path, kept: &[PathBuf]) -> io::Result<()> {
    for rel in kept {
        let source = from.join(rel);
        let target = to.join(rel);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        let meta = fs::symlink_metadata(&source)?;
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(&source).follow_links(false) {
                let entry = entry.map_err(io::Error::other)?;
                let inner = entry.path().strip_prefix(from).map_err(io::Error::other)?;
                copy_entry(entry.path(), &to.join(inner), entry.file_type())?;
            }
        } else {
            copy_entry(&source, &target, meta.file_type())?;
        }
    }
    Ok(())
}

fn copy_entry(source: &Path, target: &Path, kind: fs::FileType) -> io::Result<()> {
    if kind.is_dir() {
        fs::create_dir_all(target)
    } else if kind.is_symlink() {
        let link = fs::read_link(source)?;
        symlink(&link, target)
    } else if fs::hard_link(source, target).is_ok() {
        Ok(())
    } else {
        fs::copy(source, target).map(|_| ())
    }
}

#[cfg(unix)]
fn symlink(link: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(link, at)
}

#[cfg(not(unix))]
fn symlink(_link: &Path, _at: &Path) -> io::Result<()> {
    Err(io::Error::other(
        "symbolic links are not carried over on this system",
    ))
}

#[cfg(test)]
mod tests;
