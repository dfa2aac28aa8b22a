//! One module per command of the command line, each with its arguments
//! (`Args`) and a small `run` that calls the library and maps the outcome
//! to an exit code (0 success, 1 content errors, 2 usage errors), as
//! mdBook's `cmd/` does. What they print in common is here.

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
pub mod translate;

use std::fmt::Display;
use std::io::Write;

use polku::error::Advice;
use polku::Diagnostic;

/// Every diagnostic, rendered with its source snippet, on standard error.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}", d.render_human().trim_end());
    }
}

/// An error of the command itself (not of the content), and what to do:
/// the one place where `error: …` and `= hint: …` are written.
pub fn report(error: &dyn Advice) {
    report_error(error, error.hint());
}

/// An error of the command line's own making (a bad argument), and what to do.
pub fn report_error(message: impl Display, hint: impl Display) {
    eprintln!("error: {message}");
    eprintln!("  = hint: {hint}");
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}
