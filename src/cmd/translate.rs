//! `polku translate export` and `polku translate import`: the command-line
//! side of the translators' round trip (the work is in `polku::translate`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use polku::content::Lang;
use polku::translate::{self, Only};

use super::{plural, print_diagnostics, report_error};

#[derive(Subcommand)]
pub enum TranslateCommand {
    /// Write the texts to translate into LANG as XLIFF 1.2 for a
    /// translator's tool (Trados, memoQ, Phrase, Weblate, …).
    Export {
        /// The language to translate into, e.g. `sv` or `en`.
        #[arg(long, value_name = "LANG")]
        to: String,
        /// Which texts: missing, stale, todo (missing and stale) or all.
        #[arg(long, value_enum, default_value = "todo")]
        only: OnlyArg,
        /// The XLIFF file to write (standard output if not given).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Put the translations of an XLIFF file into the content: the
    /// language files and the TOML texts. Nothing is written if any unit
    /// is wrong.
    Import {
        /// The XLIFF file, as the translator's tool saved it.
        file: PathBuf,
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnlyArg {
    Missing,
    Stale,
    Todo,
    All,
}

impl From<OnlyArg> for Only {
    fn from(o: OnlyArg) -> Only {
        match o {
            OnlyArg::Missing => Only::Missing,
            OnlyArg::Stale => Only::Stale,
            OnlyArg::Todo => Only::Todo,
            OnlyArg::All => Only::All,
        }
    }
}

pub fn run(command: TranslateCommand) -> ExitCode {
    match command {
        TranslateCommand::Export {
            to,
            only,
            out,
            content,
        } => export(&to, only.into(), out.as_deref(), &content),
        TranslateCommand::Import { file, content } => import(&file, &content),
    }
}

fn usage(message: &str, hint: &str) -> ExitCode {
    report_error(format_args!("{message}"), format_args!("{hint}"));
    ExitCode::from(2)
}

fn load(content: &Path) -> Result<polku::content::Site, ExitCode> {
    let loaded = polku::load_site(content);
    match loaded.site {
        Some(site) if !loaded.diagnostics.iter().any(|d| d.is_error()) => Ok(site),
        _ => {
            print_diagnostics(&loaded.diagnostics);
            eprintln!("Fix the errors first: texts can be exported and imported only for content that loads.");
            Err(ExitCode::from(1))
        }
    }
}

fn export(to: &str, only: Only, out: Option<&Path>, content: &Path) -> ExitCode {
    let site = match load(content) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let source = site.config.default_lang();
    let targets: Vec<String> = site.config.languages[1..]
        .iter()
        .map(|l| l.code().to_string())
        .collect();
    let lang = match Lang::new(to) {
        Some(l) if site.config.languages[1..].contains(&l) => l,
        Some(l) if l == source => {
            return usage(
                &format!("`{to}` is the source language: its texts are what is translated"),
                &format!("give a language to translate into: {}", targets.join(", ")),
            )
        }
        _ => {
            return usage(
                &format!("`{to}` is not a language of this site"),
                &format!(
                    "give one of {} (add a language to `languages` in site.toml first, docs/translation.md)",
                    targets.join(", ")
                ),
            )
        }
    };
    if let Some(out) = out {
        if let Err((message, hint)) = writable(out) {
            return usage(&message, &hint);
        }
    }
    let export = match translate::export(&site, lang, only) {
        Ok(export) => export,
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::from(1);
        }
    };
    let c = &export.counts;
    let total = c.current + c.stale + c.missing;
    let Some(xliff) = export.xliff else {
        eprintln!(
            "Nothing to export: no text into `{lang}` is {}.",
            match only {
                Only::Missing => "missing",
                Only::Stale => "stale",
                _ => "missing or stale",
            }
        );
        return ExitCode::SUCCESS;
    };
    match out {
        Some(file) => {
            if let Err(e) = polku::output::write_file_atomically(file, xliff.as_bytes()) {
                eprintln!("{}: error: cannot write: {e}", file.display());
                return ExitCode::from(1);
            }
            eprintln!(
                "Exported {} from {} into {} ({} missing, {} stale, {} current).",
                plural(total, "text", "texts"),
                plural(export.files, "file", "files"),
                file.display(),
                c.missing,
                c.stale,
                c.current
            );
            eprintln!("Next: send it to the translator; bring the translated file back with `polku translate import {}`.", file.display());
        }
        None => print!("{xliff}"),
    }
    ExitCode::SUCCESS
}

/// Whether `--out` may be written: a new file, or an XLIFF file polku
/// exported before. Anything else (a folder, a content file) is refused.
fn writable(out: &Path) -> Result<(), (String, String)> {
    let hint = "give a new file name, e.g. `--out sv.xlf`".to_string();
    match std::fs::metadata(out) {
        Err(_) => match out.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) if !parent.is_dir() => Err((
                format!(
                    "{}: the folder {} does not exist",
                    out.display(),
                    parent.display()
                ),
                hint,
            )),
            _ => Ok(()),
        },
        Ok(meta) if meta.is_dir() => Err((format!("{} is a folder", out.display()), hint)),
        Ok(_) => {
            // The start of the file says whether polku wrote it.
            let mut head = Vec::new();
            let _ = std::fs::File::open(out).and_then(|f| f.take(4096).read_to_end(&mut head));
            let head = String::from_utf8_lossy(&head);
            if head.contains("<xliff") && head.contains("tool-id=\"polku\"") {
                Ok(())
            } else {
                Err((
                    format!(
                        "{} exists and is not an XLIFF file exported by polku; it is left as it is",
                        out.display()
                    ),
                    hint,
                ))
            }
        }
    }
}

fn import(file: &Path, content: &Path) -> ExitCode {
    let meta = match std::fs::metadata(file) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => {
            return usage(
                &format!("{} is not a file", file.display()),
                "give the XLIFF file the translator sent back",
            )
        }
        Err(e) => {
            return usage(
                &format!("{}: {e}", file.display()),
                "give the XLIFF file the translator sent back",
            )
        }
    };
    if meta.len() > 256 * 1024 * 1024 {
        return usage(
            &format!("{} is over 256 MB", file.display()),
            "give the XLIFF file the translator sent back",
        );
    }
    let text = match std::fs::read(file).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            report_error(
                format_args!("{}: error: the file is not UTF-8 text", file.display()),
                format_args!("save it from the translation tool as XLIFF 1.2 in UTF-8"),
            );
            return ExitCode::from(1);
        }
        Err(e) => {
            return usage(
                &format!("{}: {e}", file.display()),
                "give the XLIFF file the translator sent back",
            )
        }
    };
    let site = match load(content) {
        Ok(site) => site,
        Err(code) => return code,
    };
    match translate::import(&site, file, &text) {
        Ok(done) => {
            for f in &done.written {
                eprintln!("Updated {}.", f.display());
            }
            if !done.confirmed.is_empty() {
                eprintln!("Confirmed as current: {}.", done.confirmed.join(", "));
            }
            if !done.awaiting_review.is_empty() {
                eprintln!(
                    "Marked for review in the translator's tool, so not confirmed: {}. When they are reviewed, import again or run `polku check --confirm-translation ID`.",
                    done.awaiting_review.join(", ")
                );
            }
            eprintln!(
                "Imported {}; {} changed.",
                plural(done.translated, "translation", "translations"),
                plural(done.written.len(), "file", "files")
            );
            eprintln!("Next: run `polku check`, then look at the pages with `polku serve`.");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "Import failed: {} in {}. No file was changed.",
                plural(diagnostics.len(), "problem", "problems"),
                file.display()
            );
            ExitCode::from(1)
        }
    }
}
