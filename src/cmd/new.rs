//! `polku new path SLUG`: a path scaffolded in the site's languages.

use std::path::PathBuf;
use std::process::ExitCode;

use super::report_error;

/// Create new content.
#[derive(clap::Subcommand)]
pub enum Args {
    /// Scaffold a path in both languages.
    Path {
        /// The path id and folder name, e.g. `alaselkakipu`.
        slug: String,
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

/// Writes the scaffold; 2 for a bad or taken id, 1 if it cannot be written.
pub fn run(args: Args) -> ExitCode {
    let Args::Path { slug, content } = args;
    let topic = polku::scaffold::first_topic(&content).unwrap_or_else(|| "muut".into());
    match polku::scaffold::new_path(&content, &slug, &topic) {
        Ok(dir) => {
            eprintln!("Created {} with path.toml, fi.md and sv.md.", dir.display());
            eprintln!("Next: write the texts, add channels and links to the phases, then run `polku check`.");
            ExitCode::SUCCESS
        }
        Err(polku::scaffold::ScaffoldError::InvalidSlug(suggestion)) => {
            report_error(
                format_args!("`{slug}` is not a valid path id"),
                format_args!("use lower-case a-z, digits and single hyphens, e.g. `{suggestion}`"),
            );
            ExitCode::from(2)
        }
        Err(polku::scaffold::ScaffoldError::Exists(dir)) => {
            report_error(
                format_args!("{}: error: the path already exists", dir.display()),
                format_args!("choose another id, or edit the existing files"),
            );
            ExitCode::from(2)
        }
        Err(polku::scaffold::ScaffoldError::Io(path, e)) => {
            eprintln!("{}: error: cannot write: {e}", path.display());
            ExitCode::from(1)
        }
    }
}
