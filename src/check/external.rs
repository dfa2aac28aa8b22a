//! `polku check --external`: is every external address in the content
//! still there? Politely: one request at a time per host with a pause
//! between them, a few hosts at once, HEAD first (GET only when a server
//! refuses HEAD), a timeout, and results cached in a file under the project
//! so that CI does not ask other sites the same thing on every run.

use crate::code::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pulldown_cmark::{Event, Parser, Tag};
use serde::{Deserialize, Serialize};

use crate::content::{read_source, Site};
use crate::diagnostics::{Diagnostic, SourceFile};

/// How to check.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// How long one request may take.
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub politeness: Duration,
    /// Hosts checked at once.
    pub concurrency: usize,
    /// How long a cached result is trusted.
    pub max_age: Duration,
    /// The cache file.
    pub cache: PathBuf,
}

impl ExternalOptions {
    /// Defaults for a project whose content folder is `content`: the cache
    /// in `.polku-cache/external-links.json` beside it, kept for a day.
    pub fn for_content(content: &Path) -> ExternalOptions {
        let project = content
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        ExternalOptions {
            timeout: Duration::from_secs(10),
            politeness: Duration::from_millis(500),
            concurrency: 4,
            max_age: Duration::from_secs(24 * 3600),
            cache: project.join(".polku-cache/external-links.json"),
        }
    }
}

/// What a server said about an address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
enum Outcome {
    Ok,
    Moved { to: String },
    Broken { status: u16 },
    Unreachable { why: String },
}

#[derive(Serialize, Deserialize, Default)]
struct Cache {
    /// Address to (seconds since the epoch when checked, outcome).
    checked: BTreeMap<String, (u64, Outcome)>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Every external address of the content, with the files that use it.
fn addresses(site: &Site) -> BTreeMap<String, BTreeSet<PathBuf>> {
    let mut found: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut add = |url: &str, file: PathBuf| {
        let url = url.trim();
        if url.starts_with("https://") || url.starts_with("http://") {
            found.entry(url.to_string()).or_default().insert(file);
        }
    };
    for c in &site.channels {
        c.url
            .values()
            .for_each(|u| add(u, site.root.join("channels.toml")));
    }
    for l in &site.links {
        l.url
            .values()
            .for_each(|u| add(u, site.root.join("links.toml")));
    }
    for path in &site.paths {
        for text in path.texts.values() {
            let mut markdown = vec![text.intro.as_str()];
            for phase in text.phases.values() {
                markdown.push(&phase.body);
                if let Some((_, md)) = &phase.instructions {
                    markdown.push(md);
                }
                markdown.extend(phase.guidance.values().map(|g| g.as_str()));
            }
            for md in markdown {
                for event in Parser::new(md) {
                    if let Event::Start(Tag::Link { dest_url, .. }) = event {
                        add(&dest_url, text.file.clone());
                    }
                }
            }
        }
    }
    found
}

fn check_one(agent: &ureq::Agent, url: &str) -> Outcome {
    let answer = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match response {
        Ok(r) => Ok((
            r.status().as_u16(),
            r.headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_string),
        )),
        Err(e) => Err(e.to_string()),
    };
    let mut result = answer(agent.head(url).call());
    // Some servers refuse HEAD; ask again with GET before calling it broken.
    if matches!(result, Ok((403 | 405 | 501, _))) {
        result = answer(agent.get(url).call());
    }
    match result {
        Ok((200..=299, _)) => Outcome::Ok,
        Ok((301 | 302 | 303 | 307 | 308, Some(to))) => {
            let to = url::Url::parse(url)
                .and_then(|base| base.join(&to))
                .map(|u| u.to_string())
                .unwrap_or(to);
            Outcome::Moved { to }
        }
        Ok((status, _)) => Outcome::Broken { status },
        Err(why) => Outcome::Unreachable { why },
    }
}

/// Checks every external address; returns a warning for each that is
/// broken, moved or unreachable, at the file and line that name it.
pub fn check_external(site: &Site, options: &ExternalOptions) -> Vec<Diagnostic> {
    let found = addresses(site);
    let mut cache: Cache = std::fs::read_to_string(&options.cache)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let fresh = |checked: u64| now().saturating_sub(checked) < options.max_age.as_secs();
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in found.keys() {
        if cache.checked.get(url).is_some_and(|(at, _)| fresh(*at)) {
            continue;
        }
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(url.clone());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "polku/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let queue = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| loop {
                let Some(urls) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    return;
                };
                for (n, url) in urls.iter().enumerate() {
                    if n > 0 {
                        std::thread::sleep(options.politeness);
                    }
                    let outcome = check_one(&agent, url);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((url.clone(), outcome));
                }
            });
        }
    });
    for (url, outcome) in results.into_inner().unwrap_or_default() {
        cache.checked.insert(url, (now(), outcome));
    }
    if let Some(dir) = options.cache.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_string_pretty(&cache) {
        let _ = std::fs::write(&options.cache, json + "\n");
    }

    let mut diags = Vec::new();
    for (url, files) in &found {
        let Some((_, outcome)) = cache.checked.get(url) else {
            continue;
        };
        let (code, message, hint) = match outcome {
            Outcome::Ok => continue,
            Outcome::Moved { to } => (
                Code::ExternalLinkMoved,
                format!("{url} has moved to {to}"),
                format!("update the address to `{to}`"),
            ),
            Outcome::Broken { status } => (
                Code::ExternalLinkBroken,
                format!("{url} answers {status}"),
                "check the address in a browser; correct it, or remove the link if the page is gone".to_string(),
            ),
            Outcome::Unreachable { why } => (
                Code::ExternalLinkUnreachable,
                format!("{url} could not be reached: {why}"),
                "check the address; if the site is only down for now, it is checked again when the cache expires".to_string(),
            ),
        };
        for file in files {
            let Ok(source) = read_source(file) else {
                continue;
            };
            let span = source.span_of(url).unwrap_or(0..0);
            diags.push(warning(&source, code, span, &message, &hint));
        }
    }
    diags
}

fn warning(
    file: &SourceFile,
    code: Code,
    span: std::ops::Range<usize>,
    message: &str,
    hint: &str,
) -> Diagnostic {
    file.warning(code, span, message.to_string())
        .with_hint(hint.to_string())
}
