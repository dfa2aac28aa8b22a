//! Preview-only additions to served pages: the live-reload script, the
//! error overlay and the `/_polku/` page. None of this is ever in `polku build`.

use super::Snapshot;
use crate::content::Lang;
use crate::diagnostics::Diagnostic;
use crate::render::{escape_markup as escape, Translations};

/// Reloads the page when the site is rebuilt, keeping the scroll position.
/// Open phases survive the reload through the theme's own sessionStorage.
///
/// Every tab shares one reload stream through a shared worker: browsers
/// open at most six connections per host and port, so with a stream per
/// tab the seventh tab would never hear of a save. Without shared workers
/// each tab opens its own stream.
pub const LIVE_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : null;
  var port = me ? me.getAttribute("data-events-port") : location.port;
  var events = location.protocol + "//" + location.hostname + ":" + port + "/_polku/events";
  var key = "polku:scroll:" + location.pathname;
  try {
    var y = sessionStorage.getItem(key);
    if (y !== null) {
      sessionStorage.removeItem(key);
      window.addEventListener("load", function () { window.scrollTo(0, Number(y)); });
    }
  } catch (e) {}
  function stale(current) {
    if (String(current) === generation) return false;
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
    return true;
  }
  if (window.SharedWorker) {
    try {
      var worker = new SharedWorker("/_polku/live-worker.js?events=" + encodeURIComponent(events), { name: "polku-live" });
      worker.port.onmessage = function (event) { if (stale(event.data)) worker.port.postMessage("bye"); };
      window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
      worker.port.start();
      return;
    } catch (e) {}
  }
  if (!window.EventSource) return;
  var source = new EventSource(events);
  source.addEventListener("reload", function (event) { if (stale(event.data)) source.close(); });
})();
"#;

/// The shared worker behind [`LIVE_JS`]: one reload stream, every tab told.
pub const LIVE_WORKER_JS: &str = r#""use strict";
var ports = [];
var last = null;
var source = new EventSource(new URL(self.location.href).searchParams.get("events"));
source.addEventListener("reload", function (event) {
  last = event.data;
  ports.forEach(function (port) { port.postMessage(last); });
});
self.onconnect = function (event) {
  var port = event.ports[0];
  ports.push(port);
  port.onmessage = function (message) {
    if (message.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  port.start();
  if (last !== null) port.postMessage(last);
};
"#;

/// The script tag that loads [`LIVE_JS`] for a page of this generation.
fn live_script(generation: u64, events_port: u16) -> String {
    format!(
        "<script src=\"/_polku/live.js\" data-generation=\"{generation}\" data-events-port=\"{events_port}\"></script>"
    )
}

/// A UI string of the preview, from the theme's translation files.
fn ui(t: Option<&Translations>, lang: Lang, key: &str) -> String {
    match t {
        Some(t) => t.get(lang, &format!("preview.{key}")),
        // The theme has never loaded, so it has no strings to offer.
        None => key.replace('_', " "),
    }
}

fn diagnostic_items(diagnostics: &[Diagnostic], t: Option<&Translations>, lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let severity = ui(t, lang, if d.is_error() { "error" } else { "warning" });
        out.push_str(&format!(
            "<li><p><code>{}:{}:{}</code> <strong>{}</strong>: {}</p>",
            escape(&d.file.display().to_string()),
            d.line,
            d.column,
            escape(&severity),
            escape(&d.message)
        ));
        if let Some(hint) = &d.hint {
            out.push_str(&format!(
                "<p>{}: {}</p>",
                escape(&ui(t, lang, "hint")),
                escape(hint)
            ));
        }
        out.push_str("</li>");
    }
    out
}

const OVERLAY_STYLE: &str = "<style>#polku-overlay{font:16px/1.5 system-ui,sans-serif;background:#fff;color:#1b1b1b;border:4px solid #b00020;margin:0;padding:1rem 1.25rem;max-height:60vh;overflow:auto;position:relative;z-index:1000}#polku-overlay h2{margin:0 0 .5rem;font-size:1.25rem;color:#8a0018}#polku-overlay ul{padding-left:1.25rem}#polku-overlay code{background:#f2f2f2;padding:0 .25rem;overflow-wrap:anywhere}#polku-overlay li{margin:.5rem 0}#polku-overlay p{margin:.1rem 0}</style>";

/// The overlay listing the current errors, in the page's language.
pub fn overlay(snap: &Snapshot, t: Option<&Translations>, lang: Lang) -> String {
    let errors: Vec<Diagnostic> = snap
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    format!(
        "{OVERLAY_STYLE}<section id=\"polku-overlay\" lang=\"{}\" aria-labelledby=\"polku-overlay-title\"><h2 id=\"polku-overlay-title\">{}</h2><p>{}</p><ul>{}</ul></section>",
        lang.code(),
        escape(&ui(t, lang, "errors_title")),
        escape(&ui(t, lang, "errors_intro")),
        diagnostic_items(&errors, t, lang)
    )
}

/// Adds the overlay (when there are errors) at the top of the body and the
/// live-reload script at its end.
pub fn inject(
    html: &str,
    snap: &Snapshot,
    events_port: u16,
    file: &str,
    lang: Lang,
    t: Option<&Translations>,
) -> String {
    let script = live_script(snap.generation, events_port);
    let mut out = String::with_capacity(html.len() + 2048);
    let body_open = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    match (snap.has_errors(), body_open) {
        (true, Some(at)) => {
            out.push_str(&html[..at]);
            out.push_str(&overlay(snap, t, lang));
            out.push_str(&html[at..]);
        }
        _ => out.push_str(html),
    }
    let mut tail = String::new();
    if let Some(findings) = snap.page_findings.get(file) {
        tail.push_str(&findings_panel(findings, t, lang));
    }
    tail.push_str(&script);
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &tail),
        None => out.push_str(&tail),
    }
    out
}

const PANEL_STYLE: &str = "<style>#polku-findings{font:15px/1.45 system-ui,sans-serif;position:fixed;right:.5rem;bottom:.5rem;max-width:min(36rem,calc(100vw - 1rem));max-height:50vh;overflow:auto;background:#fff;color:#1b1b1b;border:3px solid #b35c00;padding:.25rem .75rem;z-index:1000}#polku-findings summary{cursor:pointer;font-weight:700;min-height:24px}#polku-findings ul{padding-left:1.25rem}#polku-findings code{overflow-wrap:anywhere}</style>";

/// A small collapsed panel listing the findings about this page's content.
fn findings_panel(findings: &[Diagnostic], t: Option<&Translations>, lang: Lang) -> String {
    format!(
        "{PANEL_STYLE}<details id=\"polku-findings\" lang=\"{}\"><summary>{}</summary><ul>{}</ul></details>",
        lang.code(),
        escape(&ui(t, lang, "findings").replace("{n}", &findings.len().to_string())),
        diagnostic_items(findings, t, lang)
    )
}

/// The translation status of `/_polku/`: per language, how many texts are
/// current, stale and missing, and the command that exports them.
pub fn translation_status(site: &crate::content::Site, t: Option<&Translations>) -> String {
    let lang = site.config.default_lang();
    let targets = &site.config.languages[1..];
    if targets.is_empty() {
        return String::new();
    }
    let mut items = String::new();
    for &to in targets {
        let name = match t {
            Some(t) => t.get(lang, &format!("language_names.{}", to.code())),
            None => to.english_name().to_string(),
        };
        let counts = match crate::translate::counts(site, to) {
            Ok(c) => [
                ("current", c.current),
                ("stale", c.stale),
                ("missing", c.missing),
            ]
            .iter()
            .map(|(key, n)| format!("{} {n}", escape(&ui(t, lang, key))))
            .collect::<Vec<_>>()
            .join(", "),
            Err(d) => escape(&d.message),
        };
        items.push_str(&format!(
            "<li><strong>{} ({})</strong>: {counts}. <code>polku translate export --to {1} --out {1}.xlf</code></li>",
            escape(&name),
            to.code()
        ));
    }
    format!(
        "<h2>{}</h2><p>{}</p><ul>{items}</ul>",
        escape(&ui(t, lang, "translations")),
        escape(&ui(t, lang, "translations_intro"))
    )
}

/// `/_polku/`: every diagnostic, the translation status and every page of
/// the preview.
pub fn index_page(
    snap: &Snapshot,
    translations: &str,
    events_port: u16,
    t: Option<&Translations>,
) -> String {
    let lang = snap.default_lang;
    let diagnostics = if snap.diagnostics.is_empty() {
        format!("<p>{}</p>", escape(&ui(t, lang, "no_diagnostics")))
    } else {
        format!("<ul>{}</ul>", diagnostic_items(&snap.diagnostics, t, lang))
    };
    let mut pages = String::new();
    for url in &snap.pages {
        let shown = if url.is_empty() {
            "/".to_string()
        } else {
            format!("/{url}")
        };
        pages.push_str(&format!("<li><a href=\"{0}\">{0}</a></li>", escape(&shown)));
    }
    let title = escape(&ui(t, lang, "index_title"));
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/{}\"></head><body><main id=\"main\" class=\"container\"><h1>{title}</h1><h2>{}</h2>{diagnostics}{translations}<h2>{} ({})</h2><ul>{pages}</ul></main>{}</body></html>",
        lang.code(),
        // The theme's stylesheet has a content-hashed name.
        snap.files
            .keys()
            .find(|k| k.starts_with("static/style.") && k.ends_with(".css"))
            .map(String::as_str)
            .unwrap_or("static/style.css"),
        escape(&ui(t, lang, "diagnostics")),
        escape(&ui(t, lang, "pages")),
        snap.pages.len(),
        live_script(snap.generation, events_port)
    )
}

/// The page served for every address while no site could be built yet (the
/// preview started on broken content): the errors, and live reload so that
/// the tab shows the site as soon as they are fixed.
pub fn error_page(
    snap: &Snapshot,
    events_port: u16,
    lang: Lang,
    t: Option<&Translations>,
) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><link rel=\"icon\" href=\"data:,\"></head><body><main>{}</main>{}</body></html>",
        lang.code(),
        escape(&ui(t, lang, "errors_title")),
        overlay(snap, t, lang),
        live_script(snap.generation, events_port)
    )
}
