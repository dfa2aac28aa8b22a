//! `polku new path SLUG`: a path scaffolded in the site's languages.

use std::path::PathBuf;
use std::process::ExitCode;

use super::report;

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
        Err(e) => {
            report(&e);
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
    }
}
