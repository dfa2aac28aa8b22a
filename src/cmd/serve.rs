//! `polku serve`: the live preview, until Ctrl-C (the work is in
//! `polku::serve`).

use std::path::PathBuf;
use std::process::ExitCode;

use super::{print_diagnostics, report, report_error, summary};

/// Live preview: serve the site from memory, rebuild and reload on every save.
#[derive(clap::Args)]
pub struct Args {
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
}

/// Runs the preview; 0 on Ctrl-C, 1 if it cannot start or stops answering.
pub fn run(args: Args) -> ExitCode {
    let Args {
        content,
        theme,
        host,
        port,
    } = args;
    use polku::serve::{ServeOptions, Server, DEFAULT_PORT};
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
        Err(e) => {
            report(&e);
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
    let failure = wait_for_stop(&server, &stop_rx);
    server.stop();
    match failure {
        None => {
            eprintln!("Stopping the preview.");
            ExitCode::SUCCESS
        }
        Some(why) => {
            report_error(format_args!("{why}"), format_args!("the preview can no longer answer; start `polku serve` again, and report this if it happens again"));
            ExitCode::from(1)
        }
    }
}

/// Prints the preview's notices until Ctrl-C (`None`) or a fatal one.
fn wait_for_stop(
    server: &polku::serve::Server,
    stop: &std::sync::mpsc::Receiver<()>,
) -> Option<String> {
    use polku::serve::Notice;
    loop {
        if stop
            .recv_timeout(std::time::Duration::from_millis(50))
            .is_ok()
        {
            return None;
        }
        while let Ok(notice) = server.notices().try_recv() {
            match notice {
                Notice::Rebuilt(report) => print_rebuild(&report),
                Notice::Warning(why) => eprintln!("warning: {why}"),
                Notice::Fatal(why) => return Some(why),
            }
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
