//! Markdown to HTML for content prose. Content can never inject markup:
//! raw HTML is shown as text, and only safe link schemes reach the page.

use pulldown_cmark::{html, BlockQuoteKind, CowStr, Event, Parser, Tag, TagEnd};

use crate::content::prose::markdown_options;

/// What rendering prose needs from the site: the addresses of the internal
/// link schemes `path:ID` and `channel:ID`, and the words a screen reader
/// says before a warning or a note.
pub trait LinkResolver {
    /// URL of a path page, or `None` when the id is unknown.
    fn path_url(&self, id: &str) -> Option<String>;
    /// URL of a channel page, or `None` when the id is unknown.
    fn channel_url(&self, id: &str) -> Option<String>;
    /// The word said before a box's text: "Varoitus" for a warning,
    /// "Huomaa" for a note, in the language of the page.
    fn box_label(&self, warning: bool) -> String {
        if warning { "Warning" } else { "Note" }.to_string()
    }
}

/// The HTML of GitHub's alert blocks (`> [!WARNING]`), shown like GOV.UK's
/// warning text: warnings and cautions as an icon and bold text, notes,
/// tips and important notices as a plain box; each with its kind said
/// first to screen readers. Other events pass unchanged.
fn alert_markup<'a>(event: Event<'a>, resolver: &dyn LinkResolver) -> Event<'a> {
    let warning =
        |kind: BlockQuoteKind| matches!(kind, BlockQuoteKind::Warning | BlockQuoteKind::Caution);
    match event {
        Event::Start(Tag::BlockQuote(Some(kind))) if warning(kind) => Event::Html(CowStr::from(format!(
            "<div class=\"warning-text\"><span class=\"warning-text-icon\" aria-hidden=\"true\">!</span><div class=\"warning-text-body\"><span class=\"visually-hidden\">{}: </span>\n",
            escape_text(&resolver.box_label(true))
        ))),
        Event::Start(Tag::BlockQuote(Some(_))) => Event::Html(CowStr::from(format!(
            "<div class=\"note-text\"><span class=\"visually-hidden\">{}: </span>\n",
            escape_text(&resolver.box_label(false))
        ))),
        Event::End(TagEnd::BlockQuote(Some(kind))) if warning(kind) => {
            Event::Html(CowStr::from("</div></div>\n"))
        }
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</div>\n")),
        other => other,
    }
}

/// `<`, `>`, `&` and `"` as entities.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    html::push_html(&mut out, std::iter::once(Event::Text(CowStr::from(text))));
    out
}

fn safe_destination(dest: &str, resolver: &dyn LinkResolver) -> Option<String> {
    if let Some(target) = dest.strip_prefix("path:") {
        // `path:ID#phase` points at a phase of another path.
        let (id, fragment) = match target.split_once('#') {
            Some((id, fragment)) => (id, Some(fragment)),
            None => (target, None),
        };
        let url = resolver.path_url(id)?;
        return Some(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        });
    }
    if let Some(id) = dest.strip_prefix("channel:") {
        return resolver.channel_url(id);
    }
    let lower = dest.trim().to_ascii_lowercase();
    let allowed = ["https:", "http:", "tel:", "mailto:", "#"]
        .iter()
        .any(|p| lower.starts_with(p));
    allowed.then(|| dest.trim().to_string())
}

/// Renders editor Markdown to HTML.
pub fn to_html(markdown: &str, resolver: &dyn LinkResolver) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let parser = Parser::new_ext(markdown, markdown_options())
        .map(|e| alert_markup(safe_event(e, resolver), resolver));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// A Markdown text as HTML and as plain text, from one parse: the page, its
/// open data and its search entry all use the same rendering.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    /// As [`to_html`] gives it.
    pub html: String,
    /// As [`to_plain_text`] gives it.
    pub text: String,
}

/// [`to_html`] and [`to_plain_text`] of `markdown` at once.
pub fn to_prose(markdown: &str, resolver: &dyn LinkResolver) -> Prose {
    if markdown.trim().is_empty() {
        return Prose::default();
    }
    let mut text = PlainText::default();
    let parser = Parser::new_ext(markdown, markdown_options()).map(|e| {
        text.add(&e);
        alert_markup(safe_event(e, resolver), resolver)
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, parser);
    Prose {
        html,
        text: text.finish(),
    }
}

/// A path's Markdown in one language, each text rendered once (HTML with
/// page-relative links, and plain text) for its page, its open data and its
/// search entry.
#[derive(Debug, Clone, Default)]
pub struct PathProse {
    /// The introduction.
    pub intro: Prose,
    /// Per phase of the path, in order; `None` where the language's text
    /// lacks the phase.
    pub phases: Vec<Option<PhaseProse>>,
}

impl PathProse {
    /// The prose of `path` in `lang` (or the language it falls back to),
    /// each Markdown text through `render`.
    pub fn of(
        site: &crate::content::Site,
        path: &crate::content::ServicePath,
        lang: crate::content::Lang,
        render: impl Fn(&str) -> Prose,
    ) -> PathProse {
        let (text, _) = path.text(lang);
        PathProse {
            intro: render(&text.intro),
            phases: path
                .phases
                .iter()
                .map(|phase| {
                    let pt = text.phases.get(&phase.id)?;
                    Some(PhaseProse {
                        body: render(&pt.body),
                        instructions: pt
                            .instructions
                            .as_ref()
                            .map(|(h, md)| (h.clone(), render(md))),
                        guidance: site
                            .segments
                            .iter()
                            .map(|s| pt.guidance.get(&s.id).map(|md| render(md)))
                            .collect(),
                    })
                })
                .collect(),
        }
    }
}

/// A phase's Markdown, rendered.
#[derive(Debug, Clone, Default)]
pub struct PhaseProse {
    /// The phase text.
    pub body: Prose,
    /// The instructions' heading and text.
    pub instructions: Option<(String, Prose)>,
    /// Guidance per segment of the site, in the site's segment order.
    pub guidance: Vec<Option<Prose>>,
}

/// Makes a path's links absolute: `href="{prefix}…"` (what the resolver
/// gives pages) becomes `href="{base_url}…"`. Exact, because content cannot
/// write `href="` itself (raw HTML is escaped) and only resolved internal
/// links start with the site's prefix.
pub fn absolutize(html: &str, prefix: &str, base_url: &str) -> String {
    let needle = format!("href=\"{prefix}");
    if !html.contains(&needle) {
        return html.to_string();
    }
    html.replace(&needle, &format!("href=\"{base_url}"))
}

/// Content can never inject markup: raw HTML becomes text, links get safe
/// destinations (internal schemes resolved), images only web addresses, and
/// headings lose their attributes.
fn safe_event<'a>(event: Event<'a>, resolver: &dyn LinkResolver) -> Event<'a> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = safe_destination(&dest_url, resolver).unwrap_or_else(|| "#".into());
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(dest),
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let lower = dest_url.to_ascii_lowercase();
            let dest = if lower.starts_with("https:") || lower.starts_with("http:") {
                dest_url
            } else {
                CowStr::from("")
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url: dest,
                title,
                id,
            })
        }
        // Editor headings inside prose keep their level but not their
        // attributes: ids could clash with the phase anchors.
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        other => other,
    }
}

/// Plain text of a Markdown snippet (for meta descriptions).
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = PlainText::default();
    for event in Parser::new_ext(markdown, markdown_options()) {
        text.add(&event);
    }
    text.finish()
}

/// Plain text gathered from parser events.
#[derive(Default)]
struct PlainText(String);

impl PlainText {
    fn add(&mut self, event: &Event) {
        let out = &mut self.0;
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(_) if !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for word in self.0.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl LinkResolver for Fixed {
        fn path_url(&self, id: &str) -> Option<String> {
            (id == "known").then(|| "/fi/tunnettu/".to_string())
        }
        fn channel_url(&self, id: &str) -> Option<String> {
            (id == "chat").then(|| "/fi/palvelukanavat/chat/".to_string())
        }
    }

    #[test]
    fn warnings_are_warning_text_and_notes_a_box_each_said_first() {
        let html = to_html(
            "> [!WARNING]\n> Hakeudu **heti** päivystykseen.\n\n> [!NOTE]\n> Huomaa tämä.\n\n> Lainaus.",
            &Fixed,
        );
        assert!(
            html.contains("<div class=\"warning-text\"><span class=\"warning-text-icon\" aria-hidden=\"true\">!</span><div class=\"warning-text-body\"><span class=\"visually-hidden\">Warning: </span>\n<p>Hakeudu <strong>heti</strong> päivystykseen.</p>\n</div></div>"),
            "{html}"
        );
        assert!(html.contains("<div class=\"note-text\"><span class=\"visually-hidden\">Note: </span>\n<p>Huomaa tämä.</p>\n</div>"), "{html}");
        // An ordinary quotation stays one, and the marker is never text.
        assert!(
            html.contains("<blockquote>\n<p>Lainaus.</p>\n</blockquote>"),
            "{html}"
        );
        assert!(!html.contains("[!"), "{html}");
    }

    #[test]
    fn a_box_label_cannot_inject_markup() {
        struct Hostile;
        impl LinkResolver for Hostile {
            fn path_url(&self, _: &str) -> Option<String> {
                None
            }
            fn channel_url(&self, _: &str) -> Option<String> {
                None
            }
            fn box_label(&self, _: bool) -> String {
                "<script>x</script>".to_string()
            }
        }
        let html = to_html("> [!CAUTION]\n> Varo.", &Hostile);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("warning-text"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hei <script>alert(1)</script> <b>x</b>", &Fixed);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn javascript_links_are_neutralised() {
        let html = to_html("[klikkaa](javascript:alert(1))", &Fixed);
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
    }

    #[test]
    fn internal_links_resolve_per_language() {
        let html = to_html("[polku](path:known) ja [chat](channel:chat)", &Fixed);
        assert!(html.contains("href=\"/fi/tunnettu/\""), "{html}");
        assert!(html.contains("href=\"/fi/palvelukanavat/chat/\""), "{html}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            to_plain_text("**Hei** [maailma](https://x.fi)\n\nToinen."),
            "Hei maailma Toinen."
        );
    }
}
