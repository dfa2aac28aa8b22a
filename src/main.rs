//! The `polku` command line: parses arguments and hands each command to its
//! module in `cmd/`, which calls the library and maps the outcome to an
//! exit code (0 success, 1 content errors, 2 usage errors).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// jemalloc: a build allocates and frees many small strings on every
/// thread; against glibc's malloc it cut the 1,000-path build by a sixth for
/// 11 MiB more peak memory (docs/benchmarks.md; mimalloc was as fast and
/// took 40 MiB more).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "polku",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("POLKU_COMMIT"), ")"),
    about = "Builds customer service paths into an accessible, multilingual static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the content, then write the whole site.
    Build(cmd::build::Args),
    /// Live preview: serve the site from memory, rebuild and reload on every save.
    Serve(cmd::serve::Args),
    /// Report every content problem at once; writes nothing.
    Check(cmd::check::Args),
    /// The translators' round trip: export texts as XLIFF, import translations.
    Translate {
        #[command(subcommand)]
        action: cmd::translate::TranslateCommand,
    },
    /// Create new content.
    New {
        #[command(subcommand)]
        what: cmd::new::Args,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Translate { action } => cmd::translate::run(action),
        Command::New { what } => cmd::new::run(what),
    }
}
