//! `polku build`: validate, then write the whole site (docs/publishing.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use polku::BuildOptions;

use polku::error::Advice;

use super::{print_diagnostics, report, report_error, summary};

/// Validate the content, then write the whole site.
#[derive(clap::Args)]
pub struct Args {
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// The theme folder.
    #[arg(long, default_value = "themes/default")]
    theme: PathBuf,
    /// Where to write the site.
    #[arg(long, default_value = "public")]
    out: PathBuf,
    /// Overrides base_url from site.toml (e.g. for a staging address).
    #[arg(long)]
    base_url: Option<String>,
    /// Treat warnings as errors: write nothing and exit 1 if there are any.
    #[arg(long)]
    strict: bool,
    /// Take over an output folder polku did not write: its contents are
    /// moved into a backup folder beside it (hosting files stay).
    #[arg(long)]
    force: bool,
    /// Print how long each stage took.
    #[arg(long)]
    timings: bool,
}

/// Builds, prints the findings and what was written; 1 on content errors.
pub fn run(args: Args) -> ExitCode {
    let Args {
        content,
        theme,
        out,
        base_url,
        strict,
        force,
        timings,
    } = args;
    let started = Instant::now();
    let base_url = match base_url.as_deref().map(polku::content::BaseUrl::parse) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(e)) => {
            report_error(format_args!("--base-url: {e}"), e.hint());
            return ExitCode::from(2);
        }
    };
    let settings = polku::BuildSettings {
        publish: polku::output::PublishOptions {
            force,
            protected: polku::output::Protected::for_build(&content, &theme),
        },
        strict,
        today: Some(polku::today()),
    };
    let options = BuildOptions {
        content,
        theme,
        base_url,
    };
    let report = match polku::build_with(&options, &out, &settings) {
        Ok(report) => report,
        Err(polku::BuildError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "Build failed: {}. Nothing was written to {}.",
                summary(&diagnostics),
                out.display()
            );
            return ExitCode::from(1);
        }
        Err(polku::BuildError::Strict(checked)) => {
            print_diagnostics(&checked.diagnostics);
            eprintln!(
                "Build failed with --strict: {}. Nothing was written to {}.",
                summary(&checked.diagnostics),
                out.display()
            );
            return ExitCode::from(1);
        }
        Err(polku::BuildError::Output(e)) => {
            report(&e);
            eprintln!("Build stopped: nothing was written.");
            return ExitCode::from(1);
        }
    };
    // The same editorial findings as `polku check`, drafts included.
    print_diagnostics(&report.checked.diagnostics);
    print_published(&report.published, &out);
    if timings {
        print_timings(&report.timings);
    }
    let unchanged = match report.unchanged {
        0 => String::new(),
        n if n == report.files => ", all unchanged".to_string(),
        n => format!(", {n} unchanged"),
    };
    eprintln!(
        "Built {} paths into {} ({} pages, {} files{unchanged}) in {} ms; {}.",
        report.site.paths.iter().filter(|p| !p.draft).count(),
        out.display(),
        report.pages,
        report.files,
        started.elapsed().as_millis(),
        summary(&report.checked.diagnostics)
    );
    // The process ends here: the operating system takes the whole
    // site back at once, faster than freeing it piece by piece.
    std::mem::forget(report);
    ExitCode::SUCCESS
}

/// What the publishing did besides writing: leftovers cleaned up, the
/// backup `--force` made, hosting files kept.
fn print_published(published: &polku::output::Published, out: &Path) {
    for leftover in &published.recovered {
        eprintln!(
            "Cleaned up after an interrupted build: {}",
            leftover.display()
        );
    }
    if let Some(backup) = &published.backup {
        eprintln!(
            "--force: the previous contents of {} are in {}.",
            out.display(),
            backup.display()
        );
    }
    if !published.kept.is_empty() {
        eprintln!(
            "Kept files polku did not write: {}.",
            published.kept.join(", ")
        );
    }
}

/// `--timings`: each stage's time and the peak memory so far.
fn print_timings(timings: &polku::Timings) {
    for stage in &timings.0 {
        let peak = stage
            .peak_kib
            .map(|k| format!("  (peak memory so far {} MiB)", k / 1024))
            .unwrap_or_default();
        eprintln!(
            "  {:>7.1} ms  {}{peak}",
            stage.took.as_secs_f64() * 1000.0,
            stage.name
        );
    }
}
