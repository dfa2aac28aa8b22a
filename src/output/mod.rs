//! Writing a rendered site to disk without ever leaving a half-built site:
//! everything goes to a sibling temporary folder first, which then replaces
//! the output folder in two renames.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::Rendered;

/// Writes every file of `rendered` to `out`, replacing its previous contents.
/// On failure the previous output is left as it was.
pub fn write_atomically(out: &Path, rendered: &Rendered) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.new-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    if let Err(e) = write_tree(&staging, rendered) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &retired)?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous site back before reporting.
        if retired.exists() {
            let _ = fs::rename(&retired, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if retired.exists() {
        fs::remove_dir_all(&retired)?;
    }
    Ok(())
}

fn write_tree(root: &Path, rendered: &Rendered) -> io::Result<()> {
    fs::create_dir_all(root)?;
    for (rel, bytes) in &rendered.files {
        let target = root.join(rel);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&target, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("old/stale.html"), "stale").unwrap();
        let mut rendered = Rendered::default();
        rendered
            .files
            .insert("fi/index.html".into(), b"uusi".to_vec());
        write_atomically(&out, &rendered).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("fi/index.html")).unwrap(),
            "uusi"
        );
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must be cleaned up");
    }
}
