//! `polku check`: every content problem and editorial finding at once, in
//! human or JSON Lines form (docs/check-json.md); writes nothing but a
//! confirmed translation's fingerprint and the external links' cache.

use std::path::PathBuf;
use std::process::ExitCode;

use polku::BuildOptions;

use super::{print_diagnostics, report, summary};

/// Report every content problem at once; writes nothing.
#[derive(clap::Args)]
pub struct Args {
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
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Checks and prints; 1 on errors (or warnings with `--strict`).
pub fn run(args: Args) -> ExitCode {
    let Args {
        content,
        theme,
        format,
        strict,
        confirm_translation,
        external,
        link_timeout,
        link_cache_hours,
    } = args;
    let options = BuildOptions {
        content,
        theme,
        base_url: None,
    };
    if let Some(path) = confirm_translation {
        let loaded = polku::load_site(&options.content);
        let Some(site) = loaded.site else {
            print_diagnostics(&loaded.diagnostics);
            eprintln!(
                "Fix the errors first: a translation can be confirmed only for content that loads."
            );
            return ExitCode::from(1);
        };
        match polku::check::confirm_translation(&site, &path) {
            Ok(files) => {
                for f in files {
                    eprintln!("Confirmed the translation in {}.", f.display());
                }
            }
            Err(e) => {
                report(&e);
                return ExitCode::from(if e.is_usage() { 2 } else { 1 });
            }
        }
    }
    let mut checked = polku::check(&options, polku::today());
    if external && checked.errors() == 0 {
        if let Some(site) = polku::load_site(&options.content).site {
            let mut external_options =
                polku::check::external::ExternalOptions::for_content(&options.content);
            external_options.timeout = std::time::Duration::from_secs_f64(link_timeout.max(0.1));
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
