//! What the output path may be, and which files in it are not polku's.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{OutputError, OutputErrorKind, MANIFEST};

/// Hosting files that `--force` leaves in place when it takes over a folder
/// (later builds keep every file polku did not write, these included).
/// `_headers` is not among them: polku writes its own (docs/publishing.md).
pub const HOSTING_FILES: &[&str] = &[
    ".git",
    "CNAME",
    ".nojekyll",
    "_redirects",
    ".well-known",
    ".htaccess",
    "staticwebapp.config.json",
];

/// Folders the output must never be, contain, or be inside of.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// `(what, folder)`, e.g. `("content folder", "content")`.
    pub folders: Vec<(String, PathBuf)>,
    /// The project folder: the output may be inside it, never it or above it.
    pub project_root: Option<PathBuf>,
}

impl Protected {
    /// The content and theme folders, and the current folder as the project.
    pub fn for_build(content: &Path, theme: &Path) -> Protected {
        let root = std::env::current_dir().ok();
        let mut folders = vec![
            ("content folder".to_string(), content.to_path_buf()),
            ("theme folder".to_string(), theme.to_path_buf()),
        ];
        if let Some(root) = &root {
            folders.push(("project's .git folder".to_string(), root.join(".git")));
        }
        // Folders that override theme files, beside the content folder.
        let project = match content.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        for sub in ["templates", "static"] {
            if project.join(sub).is_dir() {
                folders.push((format!("theme override folder `{sub}`"), project.join(sub)));
            }
        }
        Protected {
            folders,
            project_root: root,
        }
    }

    /// Refuses an output that would replace something protected.
    pub(super) fn check(&self, out: &Path, target: &Path) -> Result<(), OutputError> {
        let shown = out.display();
        let refuse = |relation: String| {
            Err(OutputError::new(
                OutputErrorKind::Protected,
                format!("--out {shown} {relation}: building there would replace it"),
                "write the site to a folder of its own, e.g. `--out public`; this is refused even with --force",
            ))
        };
        if let Some(root) = &self.project_root {
            let root = real_path(root);
            if root == target {
                return refuse("is the project folder".to_string());
            }
            if root.starts_with(target) {
                return refuse(format!("contains the project folder ({})", root.display()));
            }
        }
        for (what, folder) in &self.folders {
            let folder = real_path(folder);
            if folder == target {
                return refuse(format!("is the {what}"));
            }
            if folder.starts_with(target) {
                return refuse(format!("contains the {what} ({})", folder.display()));
            }
            if target.starts_with(&folder) {
                return refuse(format!("is inside the {what} ({})", folder.display()));
            }
        }
        Ok(())
    }
}

/// The folder the site goes to: `out` itself, or the folder a link at `out`
/// points to. A file, a link to a file or a dangling link is refused.
pub(super) fn resolve_out(out: &Path) -> Result<PathBuf, OutputError> {
    let shown = out.display();
    let not_a_folder = |what: String| {
        Err(OutputError::new(
            OutputErrorKind::NotAFolder,
            format!("--out {shown} {what}"),
            "give the folder to write the site to, e.g. `--out public`; nothing was changed",
        ))
    };
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(real_path(out)),
        Err(e) => Err(OutputError::io("inspect", out, e)),
        Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(out) {
            Ok(target) if target.is_dir() => {
                fs::canonicalize(out).map_err(|e| OutputError::io("follow", out, e))
            }
            Ok(_) => not_a_folder("is a link to a file, not to a folder".into()),
            Err(_) => {
                let to = fs::read_link(out).unwrap_or_default();
                not_a_folder(format!(
                    "is a link to {}, which does not exist; create that folder or remove the link",
                    to.display()
                ))
            }
        },
        Ok(meta) if meta.is_dir() => {
            fs::canonicalize(out).map_err(|e| OutputError::io("inspect", out, e))
        }
        Ok(meta) if meta.is_file() => not_a_folder("is a file, not a folder".into()),
        Ok(_) => not_a_folder("is not a folder (a device, socket or FIFO)".into()),
    }
}

/// An absolute path with links resolved as far as the path exists, and `.`
/// and `..` resolved by name beyond that.
pub(super) fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// Entries of polku's old output that polku did not write: files not in
/// its manifest, and folders with none of its files inside.
pub(super) fn not_written(root: &Path, written: &BTreeSet<String>) -> io::Result<Vec<PathBuf>> {
    let folders: BTreeSet<&str> = written
        .iter()
        .flat_map(|f| {
            f.match_indices('/')
                .map(move |(i, _)| &f[..i])
                .collect::<Vec<_>>()
        })
        .collect();
    let mut kept = Vec::new();
    walk(root, "", written, &folders, &mut kept)?;
    Ok(kept)
}

fn walk(
    dir: &Path,
    prefix: &str,
    written: &BTreeSet<String>,
    folders: &BTreeSet<&str>,
    kept: &mut Vec<PathBuf>,
) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        // The marker, and one a killed build was writing aside.
        let manifest_aside = name.starts_with(MANIFEST) && name.ends_with(".tmp");
        if prefix.is_empty()
            && (name == MANIFEST || name == super::swap::STAGING_MARK || manifest_aside)
        {
            if manifest_aside {
                let _ = fs::remove_file(entry.path());
            }
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() && folders.contains(rel.as_str()) {
            walk(&entry.path(), &rel, written, folders, kept)?;
        } else if !written.contains(&rel) {
            kept.push(PathBuf::from(rel));
        }
    }
    Ok(())
}

/// The hosting files at the top of a foreign folder taken over with `--force`.
pub(super) fn hosting_entries(root: &Path) -> Vec<PathBuf> {
    HOSTING_FILES
        .iter()
        .filter(|name| fs::symlink_metadata(root.join(name)).is_ok())
        .map(PathBuf::from)
        .collect()
}
