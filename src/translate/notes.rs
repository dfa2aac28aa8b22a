//! Notes for the translator: what a text is, where it is shown, and the
//! plain-language rules it follows.

use std::fmt::Write;

use crate::content::{Lang, ServicePath, Site};

/// The plain-language rules, as a note for the translator.
pub(super) fn rules_note(site: &Site, to: Lang) -> String {
    let pl = &site.config.plain_language;
    let mut note = format!(
        "Plain language: address the reader as \"you\"; sentences of at most {} words; words of at most {} letters",
        pl.max_sentence_words, pl.max_word_letters
    );
    if to == Lang::SV {
        let _ = write!(note, "; LIX readability at most {}", pl.max_lix);
    }
    note.push('.');
    if let Some(jargon) = pl.jargon.get(&to).filter(|j| !j.is_empty()) {
        note.push_str(" Avoid these terms (write instead):");
        for (term, plain) in jargon {
            let _ = write!(note, " \"{term}\" (\"{plain}\");");
        }
        note.pop();
        note.push('.');
    }
    note
}

/// What a path text is and where it is shown.
pub(super) fn path_note(site: &Site, path: &ServicePath, id: &str, phases: usize) -> String {
    let from = site.config.default_lang();
    let parts: Vec<&str> = id.split('.').collect();
    match parts.as_slice() {
        ["title"] => "The path's title: the page's main heading, and its name in lists, search results and the browser tab.".into(),
        ["summary"] => "The path's summary: one or two sentences under its title in lists and search results, and the page description for search engines.".into(),
        ["intro"] => "The path's introduction, above its phases. Markdown.".into(),
        ["phase", phase, rest @ ..] => {
            let n = path.phases.iter().position(|p| p.id == *phase).map_or(0, |i| i + 1);
            let which = format!("phase \"{phase}\" (step {n} of {phases})");
            match rest {
                ["title"] => format!("The heading of {which}, also a step in the path's outline."),
                ["body"] => format!("The text of {which}. Markdown."),
                ["instructions", "title"] => format!("The heading of the instructions in {which}, e.g. \"What to do\"."),
                ["instructions"] => format!("What the customer does in {which}: shown in a box under the heading. Markdown."),
                ["guidance", segment] => {
                    let label = site
                        .segments
                        .iter()
                        .find(|s| s.id == *segment)
                        .and_then(|s| s.label.get(from).map(|l| format!(" (\"{l}\")")))
                        .unwrap_or_default();
                    format!("Guidance in {which} for customers of segment {segment}{label}, shown under that label. Markdown.")
                }
                _ => format!("A text of {which}."),
            }
        }
        _ => format!("The text `{id}`."),
    }
}

/// What a TOML text is and where it is shown.
pub(super) fn toml_note(file: &str, table: &str, field: &str, key: &str) -> String {
    let what = match (file.rsplit('/').next().unwrap_or(file), table, field) {
        ("site.toml", "", "name") => "The site's name: in the header of every page and in the browser tab.",
        ("site.toml", "", "description") => "The site's description: on the home page and for search engines.",
        ("site.toml", "organisation", "name") => "The county's name: in the footer of every page.",
        ("site.toml", "emergency", "label") => "The name of an emergency number, in the red strip on every page.",
        ("site.toml", "accessibility", "method") => "How accessibility was assessed: in the accessibility statement.",
        ("site.toml", "non_accessible" | "out_of_scope" | "disproportionate_burden", "content") => "Content that is not accessible: in the accessibility statement.",
        ("site.toml", "non_accessible" | "out_of_scope" | "disproportionate_burden", "reason") => "Why the content is not accessible, and what is being done: in the accessibility statement.",
        ("site.toml", "authority", "name") => "The supervising authority's name: in the accessibility statement.",
        ("site.toml", "search", "label") => "The text of the link to the county's own site search, on the search page.",
        ("site.toml", "brand", "logo_alt") => "The logo's text alternative: the county's name as the logo shows it.",
        ("site.toml", "contact", "address") => "The county's postal address, in the footer of every page.",
        ("site.toml", "footer_link", "text") => "The text of a link in the footer of every page.",
        (_, _, "address") => "A street address.",
        ("segments.toml", _, "label") => "A customer segment's public name: the heading over guidance written for it.",
        ("segments.toml", _, "description") => "Who the customer segment is, shown with its name.",
        ("topics.toml", "topic", "name") => "A topic's name: a heading on the home page.",
        ("topics.toml", "topic", "description") => "A topic's description, under its heading on the home page.",
        ("topics.toml", "audience", "name") => "A target group, written inside a sentence (\"for ...\"): lower case.",
        ("channels.toml", _, "name") => "A service channel's name: the heading of its card on path pages and in the list of channels.",
        ("channels.toml", _, "description") => "What a service channel is for: on its card.",
        ("channels.toml", _, "hours_note") => "A note under a service channel's opening hours.",
        ("channels.toml", _, "accessibility") => "How accessible a service channel is: on its card.",
        ("links.toml", _, "title") => "A link's text: name the page it leads to.",
        ("links.toml", _, "publisher") => "Who publishes the linked page, shown beside the link.",
        ("path.toml", _, "owner") => "Who keeps the path up to date: a unit and a role.",
        _ => "",
    };
    if what.is_empty() {
        format!("The text `{key}` of {file}.")
    } else {
        what.to_string()
    }
}
