//! `polku new path SLUG`: a new path folder in both languages that builds
//! as it is, ready for the editor to fill in.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::slug::{is_valid_slug, slugify};

/// Why scaffolding failed. `InvalidSlug` and `Exists` are usage errors:
/// nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The slug is not a valid path id.
    #[error("`{given}` is not a valid path id")]
    InvalidSlug {
        /// What was given.
        given: String,
        /// A valid id made from it.
        suggestion: String,
    },
    /// The folder exists already.
    #[error("{}: the path already exists", folder.display())]
    Exists {
        /// The path's folder.
        folder: PathBuf,
    },
    /// Writing failed.
    #[error("{}: cannot write: {source}", file.display())]
    Io {
        /// The file or folder being written.
        file: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// True for a bad argument (exit code 2) rather than a failed write.
    pub fn is_usage(&self) -> bool {
        !matches!(self, ScaffoldError::Io { .. })
    }
}

impl crate::error::Advice for ScaffoldError {
    fn hint(&self) -> String {
        match self {
            ScaffoldError::InvalidSlug { suggestion, .. } => {
                format!("use lower-case a-z, digits and single hyphens, e.g. `{suggestion}`")
            }
            ScaffoldError::Exists { .. } => {
                "choose another id, or edit the existing files".to_string()
            }
            ScaffoldError::Io { .. } => {
                "check that the content folder is writable and the disk has space".to_string()
            }
        }
    }
}

/// Creates `content/paths/<slug>/` with `path.toml`, `fi.md` and `sv.md`.
/// `topic` is written into path.toml; the editor changes it as needed.
pub fn new_path(content: &Path, slug: &str, topic: &str) -> Result<PathBuf, ScaffoldError> {
    if !is_valid_slug(slug) {
        return Err(ScaffoldError::InvalidSlug {
            given: slug.to_string(),
            suggestion: slugify(slug),
        });
    }
    let dir = content.join("paths").join(slug);
    if dir.exists() {
        return Err(ScaffoldError::Exists { folder: dir });
    }
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ScaffoldError::Io { file: p, source }
    };
    fs::create_dir_all(&dir).map_err(io(&dir))?;
    let today = time::OffsetDateTime::now_utc().date();
    let next = today.replace_year(today.year() + 1).unwrap_or(today);
    let files = [
        (
            "path.toml",
            format!(
                "# Structure of the path, shared by all languages. See docs/content-format.md.\n\
                 topic = \"{topic}\"\n\
                 audiences = []\n\
                 owner = \"\"\n\
                 last_reviewed = {today}\n\
                 next_review = {next}\n\
                 emergency = false\n\
                 related = []\n\n\
                 [[phase]]\n\
                 id = \"yhteydenotto\"\n\
                 channels = []\n\
                 links = []\n"
            ),
        ),
        (
            "fi.md",
            format!(
                "+++\ntitle = \"{slug}\"\nslug = \"{slug}\"\nsummary = \"\"\n+++\n\n\
                 ## Yhteydenotto {{#yhteydenotto}}\n\n\
                 Kerro selkeällä kielellä, mitä tässä vaiheessa tapahtuu.\n\n\
                 ### Näin toimit {{.instructions}}\n\n\
                 Kerro, mitä asiakas tekee.\n"
            ),
        ),
        (
            "sv.md",
            format!(
                "+++\ntitle = \"{slug}\"\nslug = \"{slug}\"\nsummary = \"\"\n+++\n\n\
                 ## Kontakt {{#yhteydenotto}}\n\n\
                 Berätta på klarspråk vad som händer i det här skedet.\n\n\
                 ### Så här gör du {{.instructions}}\n\n\
                 Berätta vad kunden gör.\n"
            ),
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(dir)
}

/// The first topic id in `topics.toml`, so a new path builds at once.
pub fn first_topic(content: &Path) -> Option<String> {
    let text = fs::read_to_string(content.join("topics.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table
        .get("topic")?
        .as_array()?
        .first()?
        .get("id")?
        .as_str()
        .map(str::to_string)
}
