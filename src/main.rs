//! The `polku` command line: parses arguments, calls the library, maps the
//! outcome to exit codes (0 success, 1 content errors, 2 usage errors).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

mod cli_translate;

/// jemalloc: a build allocates and frees many small strings on every
/// thread; against glibc's malloc it cut the 1,000-path build by a sixth for
/// 11 MiB more peak memory (docs/benchmarks.md; mimalloc was as fast and
/// took 40 MiB more).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
use polku::{BuildOptions, Diagnostic};

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
    Build {
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
    },
    /// Live preview: serve the site from memory, rebuild and reload on every save.
    Serve {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The theme folder.
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port; by default 1111, or the next free one.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Report every content problem at once; writes nothing.
    Check {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The theme folder (its templates and UI strings are checked too).
        #[arg(long, default_value = "themes/default")]
        theme: PathBuf,
        /// Output format: human-readable, or JSON Lines (docs/check-json.md).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors (exit 1 if there are any).
        #[arg(long)]
        strict: bool,
        /// Record that the translations of a path (id or folder) match its
        /// current source-language text, then check as usual.
        #[arg(long, value_name = "PATH")]
        confirm_translation: Option<String>,
        /// Also check every external address (politely, results cached in
        /// .polku-cache/ beside the content folder).
        #[arg(long)]
        external: bool,
        /// With --external: seconds one request may take.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        link_timeout: f64,
        /// With --external: hours a checked address is trusted (0: recheck all).
        #[arg(long, value_name = "HOURS", default_value_t = 24.0)]
        link_cache_hours: f64,
    },
    /// The translators' round trip: export texts as XLIFF, import translations.
    Translate {
        #[command(subcommand)]
        action: cli_translate::TranslateCommand,
    },
    /// Create new content.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum NewCommand {
    /// Scaffold a path in both languages.
    Path {
        /// The path id and folder name, e.g. `alaselkakipu`.
        slug: String,
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}", d.render_human().trim_end());
    }
}

/// `1 file`, `2 files`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            content,
            theme,
            out,
            base_url,
            strict,
            force,
            timings,
        } => {
            let started = Instant::now();
            if let Some(given) = &base_url {
                if let Err((message, hint)) = polku::content::normalize_base_url(given) {
                    eprintln!("error: --base-url: {message}");
                    eprintln!("  = hint: {hint}");
                    return ExitCode::from(2);
                }
            }
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
                    eprintln!("error: {}", e.message);
                    eprintln!("  = hint: {}", e.hint);
                    eprintln!("Build stopped: nothing was written.");
                    return ExitCode::from(1);
                }
            };
            // The same editorial findings as `polku check`, drafts included.
            print_diagnostics(&report.checked.diagnostics);
            let published = &report.published;
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
            if timings {
                for stage in &report.timings.0 {
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
        Command::Serve {
            content,
            theme,
            host,
            port,
        } => serve(content, theme, host, port),
        Command::Check {
            content,
            theme,
            format,
            strict,
            confirm_translation,
            external,
            link_timeout,
            link_cache_hours,
        } => {
            let options = BuildOptions {
                content,
                theme,
                base_url: None,
            };
            if let Some(path) = confirm_translation {
                let loaded = polku::load_site(&options.content);
                let Some(site) = loaded.site else {
                    print_diagnostics(&loaded.diagnostics);
                    eprintln!("Fix the errors first: a translation can be confirmed only for content that loads.");
                    return ExitCode::from(1);
                };
                match polku::check::confirm_translation(&site, &path) {
                    Ok(files) => {
                        for f in files {
                            eprintln!("Confirmed the translation in {}.", f.display());
                        }
                    }
                    Err(polku::check::ConfirmError::NoSuchPath(why)) => {
                        eprintln!("error: {why}");
                        eprintln!("  = hint: give a path id (the folder name under content/paths) or its folder");
                        return ExitCode::from(2);
                    }
                    Err(polku::check::ConfirmError::Content(why)) => {
                        eprintln!("error: {why}");
                        eprintln!("  = hint: fix the file's front matter (`+++`, TOML lines, `+++`), then confirm again; no file was changed");
                        return ExitCode::from(1);
                    }
                }
            }
            let mut checked = polku::check(&options, polku::today());
            if external && checked.errors() == 0 {
                if let Some(site) = polku::load_site(&options.content).site {
                    let mut external_options =
                        polku::check::external::ExternalOptions::for_content(&options.content);
                    external_options.timeout =
                        std::time::Duration::from_secs_f64(link_timeout.max(0.1));
                    external_options.max_age =
                        std::time::Duration::from_secs_f64(link_cache_hours.max(0.0) * 3600.0);
                    checked
                        .diagnostics
                        .extend(polku::check::external::check_external(
                            &site,
                            &external_options,
                        ));
                    polku::diagnostics::sort(&mut checked.diagnostics);
                }
            }
            let failed = checked.errors() > 0 || (strict && checked.warnings() > 0);
            let code = if failed { 1 } else { 0 };
            match format {
                Format::Json => print!("{}", check_json(&checked, strict, code)),
                Format::Human => {
                    print_diagnostics(&checked.diagnostics);
                    print!("{}", summary_table(&checked.rows));
                    let verdict = if failed {
                        "Check failed"
                    } else {
                        "Check passed"
                    };
                    let strict_note = if strict {
                        " (--strict: warnings fail)"
                    } else {
                        ""
                    };
                    eprintln!("{verdict}: {}{strict_note}.", summary(&checked.diagnostics));
                }
            }
            ExitCode::from(code)
        }
        Command::Translate { action } => cli_translate::run(action),
        Command::New {
            what: NewCommand::Path { slug, content },
        } => {
            let topic = polku::scaffold::first_topic(&content).unwrap_or_else(|| "muut".into());
            match polku::scaffold::new_path(&content, &slug, &topic) {
                Ok(dir) => {
                    eprintln!("Created {} with path.toml, fi.md and sv.md.", dir.display());
                    eprintln!("Next: write the texts, add channels and links to the phases, then run `polku check`.");
                    ExitCode::SUCCESS
                }
                Err(polku::scaffold::ScaffoldError::InvalidSlug(suggestion)) => {
                    eprintln!("error: `{slug}` is not a valid path id");
                    eprintln!("  = hint: use lower-case a-z, digits and single hyphens, e.g. `{suggestion}`");
                    ExitCode::from(2)
                }
                Err(polku::scaffold::ScaffoldError::Exists(dir)) => {
                    eprintln!("{}: error: the path already exists", dir.display());
                    eprintln!("  = hint: choose another id, or edit the existing files");
                    ExitCode::from(2)
                }
                Err(polku::scaffold::ScaffoldError::Io(path, e)) => {
                    eprintln!("{}: error: cannot write: {e}", path.display());
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn serve(content: PathBuf, theme: PathBuf, host: String, port: Option<u16>) -> ExitCode {
    use polku::serve::{Notice, ServeError, ServeOptions, Server, DEFAULT_PORT};
    // Catch Ctrl-C before anything is printed: a Ctrl-C right after the
    // banner (or during the first build) still stops the preview cleanly.
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("warning: Ctrl-C cannot be caught ({e}); the preview stops abruptly");
    }
    let limits = match serve_limits_from_env() {
        Ok(limits) => limits,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let options = ServeOptions {
        content: content.clone(),
        theme,
        host,
        port,
        limits,
    };
    let server = match Server::start(options) {
        Ok(s) => s,
        Err(ServeError::Bind(addr, why)) => {
            eprintln!("error: cannot listen on {addr}: {why}");
            eprintln!("  = hint: another program (perhaps another `polku serve`) uses the port; stop it or choose another with `--port N`");
            return ExitCode::from(1);
        }
        Err(ServeError::Watch(why)) => {
            eprintln!(
                "{}: error: cannot watch for changes: {why}",
                content.display()
            );
            eprintln!("  = hint: check that the content and theme folders exist");
            return ExitCode::from(1);
        }
    };
    if server.moved_from_default {
        eprintln!(
            "Port {DEFAULT_PORT} is in use, so the preview uses port {} instead.",
            server.addr().port()
        );
    }
    print_diagnostics(&server.initial.diagnostics);
    if server.initial.pages > 0 {
        eprintln!(
            "Built {} pages in {} ms.",
            server.initial.pages,
            server.initial.elapsed.as_millis()
        );
    } else {
        eprintln!(
            "The content has errors: the preview shows them on every page until they are fixed."
        );
    }
    eprintln!(
        "Preview: {}  (problems and all pages: {}_polku/)",
        server.url(),
        server.url()
    );
    if let Some(network) = server.network_url() {
        eprintln!("On other devices of this network: {network}");
        eprintln!("warning: the preview, drafts and /_polku/ included, is visible to everyone on the network; use the default host 127.0.0.1 to keep it on this computer");
    }
    eprintln!(
        "Watching {} for changes. Press Ctrl-C to stop.",
        content.display()
    );

    // Test hook: break the listening sockets after a delay, to prove that a
    // broken listener ends the preview with a message and exit code 1.
    if let Some(ms) = std::env::var("POLKU_TEST_BREAK_LISTENER_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
        server.break_listeners_for_test();
    }
    let mut failure = None;
    while failure.is_none() {
        if stop_rx
            .recv_timeout(std::time::Duration::from_millis(50))
            .is_ok()
        {
            break;
        }
        while let Ok(notice) = server.notices().try_recv() {
            match notice {
                Notice::Rebuilt(report) => print_rebuild(&report),
                Notice::Warning(why) => eprintln!("warning: {why}"),
                Notice::Fatal(why) => {
                    failure = Some(why);
                    break;
                }
            }
        }
    }
    server.stop();
    match failure {
        None => {
            eprintln!("Stopping the preview.");
            ExitCode::SUCCESS
        }
        Some(why) => {
            eprintln!("error: {why}");
            eprintln!("  = hint: the preview can no longer answer; start `polku serve` again, and report this if it happens again");
            ExitCode::from(1)
        }
    }
}

fn print_rebuild(report: &polku::serve::RebuildReport) {
    print_diagnostics(&report.diagnostics);
    if report.pages > 0 {
        let what = if report.partial {
            "changed pages"
        } else {
            "all pages"
        };
        eprintln!(
            "Rebuilt {} ({}) in {} ms.",
            what,
            report.pages,
            report.elapsed.as_millis()
        );
    } else {
        eprintln!(
            "{}: the preview keeps the last good version.",
            summary(&report.diagnostics)
        );
    }
}

/// Test-only: `POLKU_SERVE_IDLE_MS` and `POLKU_SERVE_HEARTBEAT_MS` shorten
/// the preview's timeouts so that tests can wait past them quickly.
fn serve_limits_from_env() -> Result<polku::serve::Limits, String> {
    let mut limits = polku::serve::Limits::default();
    for (name, field) in [
        ("POLKU_SERVE_IDLE_MS", &mut limits.idle_timeout),
        ("POLKU_SERVE_HEARTBEAT_MS", &mut limits.heartbeat),
    ] {
        if let Ok(value) = std::env::var(name) {
            let ms: u64 = value
                .trim()
                .parse()
                .ok()
                .filter(|ms| *ms > 0)
                .ok_or_else(|| {
                    format!("{name}={value} is not a positive number of milliseconds")
                })?;
            *field = std::time::Duration::from_millis(ms);
        }
    }
    Ok(limits)
}

/// The summary table of `polku check`.
fn summary_table(rows: &[polku::check::SummaryRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let width = rows.iter().map(|r| r.path.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "\n{:<width$}  lang  errors  warnings  translation  next review  LIX\n",
        "path"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<width$}  {:<4}  {:>6}  {:>8}  {:<11}  {:<11}  {}\n",
            r.path,
            r.lang.code(),
            r.errors,
            r.warnings,
            r.translation.as_str(),
            r.next_review
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            r.lix
                .map(|l| format!("{l:.0}"))
                .unwrap_or_else(|| "-".into()),
        ));
    }
    out
}

/// JSON Lines: one object per finding, then a summary (docs/check-json.md).
fn check_json(checked: &polku::Checked, strict: bool, exit_code: u8) -> String {
    use serde_json::json;
    const SCHEMA: &str = "polku.check/1";
    let mut out = String::new();
    for d in &checked.diagnostics {
        let line = json!({
            "schema": SCHEMA,
            "type": "finding",
            "code": d.code,
            "severity": d.severity.to_string(),
            "file": d.file.display().to_string().replace('\\', "/"),
            "line": d.line,
            "column": d.column,
            "message": d.message,
            "hint": d.hint,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    let paths: Vec<_> = checked
        .rows
        .iter()
        .map(|r| {
            json!({
                "path": r.path,
                "lang": r.lang.code(),
                "errors": r.errors,
                "warnings": r.warnings,
                "translation": r.translation.as_str(),
                "next_review": r.next_review.map(|d| d.to_string()),
                "lix": r.lix.map(|l| (l * 10.0).round() / 10.0),
            })
        })
        .collect();
    let summary = json!({
        "schema": SCHEMA,
        "type": "summary",
        "errors": checked.errors(),
        "warnings": checked.warnings(),
        "strict": strict,
        "exit_code": exit_code,
        "paths": paths,
    });
    out.push_str(&summary.to_string());
    out.push('\n');
    out
}
