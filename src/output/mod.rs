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

use crate::render::{Rendered, Sink, Stop};

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

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OutputError {}

impl crate::error::Advice for OutputError {
    fn hint(&self) -> String {
        self.hint.clone()
    }
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
    /// How many files the new site has that polku wrote.
    pub files: usize,
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
    let publisher = Publisher::open(out, options)?;
    for (name, bytes) in &rendered.files {
        if publisher.put(name.clone(), bytes.clone()).is_err() {
            return Err(publisher.into_error());
        }
    }
    publisher.finish()
}

/// A build on its way to disk: [`Publisher::open`] checks the output path
/// and opens a staging folder, the renderer hands over files one by one
/// ([`Sink::put`], from any thread), and [`Publisher::finish`] puts the
/// new site in place. Dropped unfinished, it removes its staging folder and the
/// output stays as it was.
///
/// Over polku's previous output, only the files whose bytes changed are
/// written (and moved in one by one); the others keep their inode and
/// mtime, so an rsync or S3 sync of an unchanged site uploads nothing, and
/// the folder itself stays (a web server or container mount holding it
/// sees the update).
pub struct Publisher {
    out: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    existing: Existing,
    kept: Vec<PathBuf>,
    /// The kept entries as `/`-separated paths, to refuse a clash.
    kept_names: BTreeSet<String>,
    staging: swap::Staging,
    published: Published,
    state: std::sync::Mutex<Progress>,
    unchanged: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct Progress {
    files: BTreeSet<String>,
    /// Files written to the staging folder (in an update: the changed ones).
    staged: Vec<String>,
    folders: std::collections::HashSet<String>,
    error: Option<OutputError>,
}

impl Publisher {
    /// Checks that `out` may be written (see the module's rules), cleans
    /// up after killed builds and opens a staging folder beside it.
    pub fn open(out: &Path, options: &PublishOptions) -> Result<Publisher, OutputError> {
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
        let published = Published {
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
            Existing::Ours(written) => guard::not_written(&target, written)
                .map_err(|e| OutputError::io("read", &target, e))?,
            Existing::Foreign => guard::hosting_entries(&target),
        };
        let kept_names = kept
            .iter()
            .map(|k| k.to_string_lossy().replace('\\', "/"))
            .collect();
        let staging = swap::Staging::create(&parent, &name)
            .map_err(|e| OutputError::io("create a staging folder in", &parent, e))?;
        Ok(Publisher {
            out: out.to_path_buf(),
            target,
            parent,
            name,
            existing,
            kept,
            kept_names,
            staging,
            published,
            state: std::sync::Mutex::new(Progress::default()),
            unchanged: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Why the build stopped (after a `put` returned `Err`).
    pub fn into_error(self) -> OutputError {
        let error = self.progress().error.take();
        error.unwrap_or_else(|| {
            OutputError::new(
                OutputErrorKind::Io,
                format!("writing {} stopped", self.out.display()),
                "build again",
            )
        })
    }

    fn fail(&self, error: OutputError) -> Stop {
        self.progress().error.get_or_insert(error);
        Stop
    }

    /// Stages one file. Returns whether it was staged: in an update, a file
    /// whose bytes are the previous build's is left where it is.
    fn write(&self, name: &str, bytes: &[u8]) -> io::Result<bool> {
        if self.updates_in_place() && self.same_as_before(name, bytes) {
            self.unchanged
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(false);
        }
        if let Some((folder, _)) = name.rsplit_once('/') {
            if !self.progress().folders.contains(folder) {
                fs::create_dir_all(self.staging.path().join(folder))?;
                self.progress().folders.insert(folder.to_string());
            }
        }
        fs::write(self.staging.path().join(name), bytes)?;
        Ok(true)
    }

    /// Whether this build updates polku's previous output file by file
    /// (rather than putting a whole new folder in place).
    fn updates_in_place(&self) -> bool {
        matches!(&self.existing, Existing::Ours(previous) if !previous.is_empty())
    }

    /// Whether the previous build wrote exactly these bytes at `name`.
    fn same_as_before(&self, name: &str, bytes: &[u8]) -> bool {
        if !matches!(&self.existing, Existing::Ours(previous) if previous.contains(name)) {
            return false;
        }
        let old = self.target.join(name);
        match fs::symlink_metadata(&old) {
            Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
                fs::read(&old).is_ok_and(|before| before == bytes)
            }
            _ => false,
        }
    }

    /// Whether a kept file (one polku did not write) is at `name` or
    /// above it.
    fn clashes(&self, name: &str) -> bool {
        !self.kept_names.is_empty()
            && (self.kept_names.contains(name)
                || name
                    .match_indices('/')
                    .any(|(i, _)| self.kept_names.contains(&name[..i])))
    }

    /// How many files were the previous build's, byte for byte, and so
    /// left untouched.
    pub fn unchanged(&self) -> usize {
        self.unchanged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Puts the new site in place: file by file over polku's previous
    /// output, or as a whole folder where there was none (or `--force`).
    pub fn finish(self) -> Result<Published, OutputError> {
        if let Some(error) = self.progress().error.take() {
            return Err(error);
        }
        if self.updates_in_place() {
            return self.update_in_place();
        }
        self.swap_in()
    }

    /// Moves the changed files over the previous output one by one (each
    /// rename is atomic: a reader sees a whole old file or a whole new one)
    /// and removes the files the site no longer has. A kill in the middle
    /// leaves a mix that the manifest, written first, fully accounts for;
    /// the next build completes it. Unchanged files are not touched at all.
    fn update_in_place(self) -> Result<Published, OutputError> {
        let Existing::Ours(previous) = &self.existing else {
            unreachable!("only polku's own output is updated in place")
        };
        let (files, mut staged) = {
            let mut progress = self.progress();
            (
                std::mem::take(&mut progress.files),
                std::mem::take(&mut progress.staged),
            )
        };
        staged.sort();
        let stale: Vec<&String> = previous.difference(&files).collect();
        let io = |what: &str, path: &Path, e| OutputError::io(what, path, e);
        if !staged.is_empty() || !stale.is_empty() {
            // The manifest lists old and new files while both may be there.
            let both: BTreeSet<String> = previous.union(&files).cloned().collect();
            write_manifest(&self.target, both).map_err(|e| io("write", &self.target, e))?;
        }
        swap::pause_for_tests("POLKU_TEST_PAUSE_BEFORE_SWAP_MS");
        for name in &stale {
            let file = self.target.join(name);
            match fs::remove_file(&file) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(io("remove the old file", &file, e))
                }
                _ => remove_empty_parents(&self.target, name),
            }
        }
        for name in &staged {
            let to = self.target.join(name);
            if let Some(folder) = to.parent() {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
            }
            if to.is_dir() {
                return Err(OutputError::new(
                    OutputErrorKind::Conflict,
                    format!(
                        "{} is a folder, and the site now has a file there",
                        to.display()
                    ),
                    "move the folder out of the output folder, then build again",
                ));
            }
            fs::rename(self.staging.path().join(name), &to)
                .map_err(|e| io("put the new file in place at", &to, e))?;
        }
        let count = files.len();
        // Unchanged: the manifest read at the start already lists the files.
        if !staged.is_empty() || !stale.is_empty() {
            write_manifest(&self.target, files).map_err(|e| io("write", &self.target, e))?;
        }
        let mut published = self.published;
        published.kept = self.kept.iter().map(|k| k.display().to_string()).collect();
        published.files = count;
        Ok(published)
    }

    /// Writes the manifest, carries the kept files over and puts the
    /// staging folder in the output's place in one step.
    fn swap_in(self) -> Result<Published, OutputError> {
        let files = std::mem::take(&mut self.progress().files);
        let count = files.len();
        let written = carry_over(&self.target, self.staging.path(), &self.kept)
            .and_then(|_| write_manifest(self.staging.path(), files));
        if let Err(e) = written {
            return Err(OutputError::io("write the site to", self.staging.path(), e));
        }
        swap::pause_for_tests("POLKU_TEST_PAUSE_BEFORE_SWAP_MS");
        let Publisher {
            target,
            parent,
            name,
            existing,
            kept,
            staging,
            mut published,
            ..
        } = self;
        let retired = staging
            .swap_into(&target)
            .map_err(|e| OutputError::io("put the new site in place at", &target, e))?;
        if let Some(old) = retired {
            match existing {
                Existing::Foreign => {
                    let backup = swap::backup_name(&parent, &name);
                    fs::rename(&old, &backup)
                        .map_err(|e| OutputError::io("move aside", &old, e))?;
                    published.backup = Some(backup);
                }
                // polku's own output is swapped only when it was empty (it
                // is updated in place otherwise): nothing to keep.
                _ => {
                    let _ = fs::remove_dir_all(&old);
                }
            }
        }
        published.kept = kept.iter().map(|k| k.display().to_string()).collect();
        published.files = count;
        Ok(published)
    }
}

impl Sink for Publisher {
    fn put(&self, name: String, bytes: Vec<u8>) -> Result<(), Stop> {
        if self.clashes(&name) {
            return Err(self.fail(OutputError::new(
                OutputErrorKind::Conflict,
                format!(
                    "{} was not written by polku, and the site now has a file there",
                    self.out.join(&name).display()
                ),
                "move it out of the output folder (polku never overwrites files it did not write), then build again",
            )));
        }
        match self.write(&name, &bytes) {
            Err(e) => Err(self.fail(OutputError::io("write the site to", self.staging.path(), e))),
            Ok(staged) => {
                let mut progress = self.progress();
                if staged {
                    progress.staged.push(name.clone());
                }
                progress.files.insert(name);
                Ok(())
            }
        }
    }
}

/// Writes the manifest at `folder`'s root, atomically (aside, then renamed).
fn write_manifest(folder: &Path, files: BTreeSet<String>) -> io::Result<()> {
    let manifest = Manifest {
        generator: "polku".into(),
        format: 1,
        files,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
    let aside = folder.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
    fs::write(&aside, json + "\n")?;
    fs::rename(&aside, folder.join(MANIFEST))
}

/// Removes the folders above `name` that its removal left empty, up to
/// (not including) `root`.
fn remove_empty_parents(root: &Path, name: &str) {
    let mut rest = name;
    while let Some((folder, _)) = rest.rsplit_once('/') {
        if fs::remove_dir(root.join(folder)).is_err() {
            break;
        }
        rest = folder;
    }
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

/// Writes `bytes` beside `file` and renames them over it, keeping its
/// permissions: a reader sees the old file or the new one, never a part.
pub fn write_file_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = file.with_file_name(format!(".{name}.polku-tmp"));
    std::fs::write(&tmp, bytes)?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
