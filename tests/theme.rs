//! The public site as a citizen meets it (issue #10): every channel kind
//! reached the right way, every word marked with its language, emergency
//! numbers on every page. The browser tests check the same in Chromium.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{overlay_from, theme};

fn build(content: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = polku::BuildOptions {
        content: content.to_path_buf(),
        theme: theme(),
        base_url: None,
    };
    polku::build(&options, &out).unwrap_or_else(|e| panic!("{e:?}"));
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The HTML of the card of channel `id` on a page.
fn card<'a>(html: &'a str, id: &str) -> &'a str {
    let name = format!("href=\"/fi/palvelukanavat/kanava-{id}/\"");
    let at = html
        .find(&name)
        .unwrap_or_else(|| panic!("no card for {id}"));
    let start = html[..at].rfind("<li class=\"channel-card").unwrap();
    let rest = &html[at..];
    let end = at
        + rest
            .find("<li class=\"channel-card")
            .into_iter()
            .chain(rest.find("</section>"))
            .min()
            .unwrap();
    &html[start..end]
}

fn action_href(card: &str) -> Option<&str> {
    let at =
        card.find("class=\"action-button\" href=\"")? + "class=\"action-button\" href=\"".len();
    card[at..].split('"').next()
}

#[test]
fn every_channel_kind_is_reached_its_own_way() {
    let (_tmp, content) = overlay_from("theme", "every-kind");
    let (_out_tmp, out) = build(&content);
    let index = read(&out, "fi/palvelukanavat/index.html");
    let expect = [
        ("phone", "tel:+35810000", "Soita +358 10 000 2"),
        ("callback", "tel:+35810000", "Soita"),
        ("emergency", "tel:+35810000", "Soita"),
        (
            "sms",
            "sms:+35810000",
            "Lähetä tekstiviesti numeroon +358 10 000 2",
        ),
        ("email", "mailto:kanava@example.org", "Lähetä sähköpostia"),
        ("chat", "https://chat.example.org/fi", "Avaa chat"),
        (
            "message",
            "https://message.example.org/fi",
            "Lähetä kiireetön viesti",
        ),
        (
            "form",
            "https://form.example.org/fi",
            "Täytä sähköinen lomake",
        ),
        (
            "platform",
            "https://platform.example.org/fi",
            "Avaa Kanava platform",
        ),
        (
            "video",
            "https://video.example.org/fi",
            "Avaa videovastaanotto",
        ),
        (
            "booking",
            "https://booking.example.org/fi",
            "Varaa aika verkossa",
        ),
        (
            "self-assessment",
            "https://self-assessment.example.org/fi",
            "Tee oirearvio",
        ),
        (
            "self-care",
            "https://self-care.example.org/fi",
            "Aloita omahoito-ohjelma",
        ),
        (
            "peer-support",
            "https://peer-support.example.org/fi",
            "Siirry palveluun",
        ),
        (
            "walk-in",
            "https://walk-in.example.org/fi",
            "Palvelun verkkosivu",
        ),
        (
            "location",
            "https://location.example.org/fi",
            "Palvelun verkkosivu",
        ),
        (
            "mobile",
            "https://mobile.example.org/fi",
            "Palvelun verkkosivu",
        ),
    ];
    assert_eq!(expect.len(), 17, "every kind of ChannelKind::ALL");
    for (kind, href, text) in expect {
        let c = card(&index, kind);
        let action = action_href(c).unwrap_or_else(|| panic!("{kind}: no action in {c}"));
        assert!(action.starts_with(href), "{kind}: {action}");
        assert!(c.contains(text), "{kind}: {text} not in {c}");
        // The name is a heading that links to the channel's own page; the
        // action has its own words, never the name again.
        assert!(c.contains("<h3 class=\"channel-name\">"), "{kind}");
        if href.starts_with("https://") {
            assert!(
                c.contains("Avautuu toisella sivustolla:"),
                "{kind}: says it opens another site"
            );
        }
    }
    // A text-message service is never a voice call.
    let sms = card(&index, "sms");
    assert!(!sms.contains("tel:"), "{sms}");
    assert!(!sms.contains(">Puhelin<"), "{sms}");
    let sms_page = read(&out, "fi/palvelukanavat/kanava-sms/index.html");
    let main = &sms_page[sms_page.find("<main").unwrap()..sms_page.find("</main>").unwrap()];
    assert!(!main.contains("href=\"tel:"), "{main}");
    assert!(main.contains("href=\"sms:+35810000"));
    // Strong identification is said before the action is used.
    let message = card(&index, "message");
    assert!(message.contains("aria-describedby=\"card-kanava-message-note\""));
    assert!(message.contains("mobiilivarmenteen"), "{message}");
    // The emergency card looks like one.
    assert!(card(&index, "emergency").contains("channel-card channel-emergency"));
    // Grouped by kind, in the fixed order.
    let phone = index.find("id=\"kind-phone\"").unwrap();
    let sms_group = index.find("id=\"kind-sms\"").unwrap();
    assert!(phone < sms_group);
}

#[test]
fn emergency_numbers_are_on_every_page_as_tel_links() {
    let (_tmp, out) = build(&common::fixture_content());
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(entry.path()).unwrap();
            let rel = entry
                .path()
                .strip_prefix(&out)
                .unwrap()
                .display()
                .to_string();
            assert!(
                html.contains("<a class=\"phone\" href=\"tel:112\">112</a>"),
                "{rel}"
            );
            assert!(
                html.contains("<a class=\"phone\" href=\"tel:116117\">116 117</a>"),
                "{rel}"
            );
            pages += 1;
        }
    }
    assert!(pages > 10);
    let sv = read(&out, "sv/index.html");
    assert!(sv.contains("Nödnumret"), "labels in the page's language");
    let landing = read(&out, "index.html");
    assert!(landing.contains("Hätänumero") && landing.contains("Nödnumret"));
}

#[test]
fn text_in_another_language_is_marked_and_said_to_be() {
    let (_tmp, content) = overlay_from("check", "control-characters");
    // A path without its Swedish text, listed on the Swedish pages.
    fs::remove_file(content.join("paths/toinen/sv.md")).unwrap();
    let (_out_tmp, out) = build(&content);
    let home = read(&out, "sv/index.html");
    assert!(
        home.contains("<a class=\"path-link\" href=\"/sv/toinen-polku/\" lang=\"fi\">Toinen polku</a> <span class=\"lang-note\">(på finska)</span>"),
        "{home}"
    );
    let page = read(&out, "sv/toinen-polku/index.html");
    assert!(page.contains("<p class=\"only-in\">Den här sidan finns tyvärr bara på finska.</p>"));
    assert!(page.contains("<h1 lang=\"fi\">Toinen polku</h1>"));
    // The related list on a Swedish page.
    let first = read(&out, "sv/forsta-stigen/index.html");
    assert!(
        first.contains("href=\"/sv/toinen-polku/\" lang=\"fi\">Toinen polku</a>"),
        "{first}"
    );
    // A channel page that lists it.
    let channel_pages: Vec<_> = walkdir::WalkDir::new(out.join("sv/servicekanaler"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .filter(|h| h.contains("/sv/toinen-polku/"))
        .collect();
    assert!(!channel_pages.is_empty());
    for html in channel_pages {
        assert!(html.contains("href=\"/sv/toinen-polku/\" lang=\"fi\""));
    }
    // `owner` as one string is in the source language: marked on Swedish pages.
    let (_t, out2) = build(&common::fixture_content());
    let sv = read(&out2, "sv/forsta-stigen/index.html");
    assert!(
        sv.contains("<dd lang=\"fi\">Testiyksikkö</dd>"),
        "owner marked"
    );
    let fi = read(&out2, "fi/ensimmainen-polku/index.html");
    assert!(fi.contains("<dd>Testiyksikkö</dd>"));
}

#[test]
fn the_county_brand_comes_from_site_toml() {
    let (_tmp, content) = overlay_from("theme", "brand");
    let (_out_tmp, out) = build(&content);
    let brand_css = fs::read_dir(out.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("brand.") && n.ends_with(".css"))
        .expect("static/brand.<hash>.css");
    let css = read(&out, &format!("static/{brand_css}"));
    assert!(css.contains("--brand: #6a1b4d;"), "{css}");
    assert!(css.contains("--accent: #b3541e;"));
    assert!(out.join("brand/logo.svg").is_file());
    assert!(out.join("brand/favicon.svg").is_file());
    for page in [
        "fi/index.html",
        "sv/forsta-stigen/index.html",
        "fi/404.html",
    ] {
        let html = read(&out, page);
        assert!(
            html.contains(&format!(
                "<link rel=\"stylesheet\" href=\"/static/{brand_css}\">"
            )),
            "{page}"
        );
        assert!(
            html.contains("<link rel=\"icon\" href=\"/brand/favicon.svg\">"),
            "{page}"
        );
        assert!(
            html.contains("<img class=\"logo\" src=\"/brand/logo.svg\""),
            "{page}"
        );
    }
    let sv = read(&out, "sv/index.html");
    assert!(sv.contains("alt=\"Sjöregionens välfärdsområde\""));
    assert!(
        sv.contains("<a href=\"https://jarvialue.example.org/sv/\">Välfärdsområdets startsida</a>")
    );
    let landing = read(&out, "index.html");
    assert!(landing.contains("alt=\"Järvialueen hyvinvointialue / Sjöregionens välfärdsområde\""));
    // Without [brand] the theme's own colours stay and no brand.css is written.
    let (_t, plain) = build(&common::fixture_content());
    assert!(!fs::read_dir(plain.join("static")).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with("brand.")));
}

#[test]
fn a_local_templates_or_static_folder_overrides_single_theme_files() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    fs::create_dir_all(tmp.path().join("templates/partials")).unwrap();
    let footer = fs::read_to_string(theme().join("templates/partials/footer.html")).unwrap();
    fs::write(
        tmp.path().join("templates/partials/footer.html"),
        footer.replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer county-footer\">",
        ),
    )
    .unwrap();
    fs::create_dir_all(tmp.path().join("static")).unwrap();
    fs::write(tmp.path().join("static/county.css"), "body { }").unwrap();
    fs::write(tmp.path().join("static/county.txt"), "a note").unwrap();
    let out = tmp.path().join("public");
    let options = polku::BuildOptions {
        content: content.clone(),
        theme: theme(),
        base_url: None,
    };
    polku::build(&options, &out).unwrap_or_else(|e| panic!("{e:?}"));
    let page = read(&out, "fi/index.html");
    assert!(page.contains("<footer class=\"site-footer county-footer\">"));
    // Added files are published; CSS, JS and SVG under content-hashed names.
    let county = polku::render::hashed_name("county.css", b"body { }");
    assert_eq!(read(&out, &format!("static/{county}")), "body { }");
    assert_eq!(read(&out, "static/county.txt"), "a note");
    // Everything not overridden comes from the theme.
    let theme_css = fs::read(theme().join("static/style.css")).unwrap();
    let style = polku::render::hashed_name("style.css", &theme_css);
    assert_eq!(fs::read(out.join("static").join(style)).unwrap(), theme_css);
    // The override folders are never an output.
    let refused = polku::output::publish(
        &tmp.path().join("templates"),
        &polku::Rendered::default(),
        &polku::output::PublishOptions {
            force: true,
            protected: polku::output::Protected::for_build(&content, &theme()),
        },
    )
    .unwrap_err();
    assert_eq!(refused.kind, polku::output::OutputErrorKind::Protected);
}

#[test]
fn the_second_brand_of_the_theming_guide_builds() {
    // What examples/second-brand/build.sh does, through the library.
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let example = common::root().join("examples/second-brand");
    common::copy_tree(&common::root().join("content"), &content);
    common::copy_tree(&example.join("content"), &content);
    common::copy_tree(&example.join("templates"), &tmp.path().join("templates"));
    let (_out_tmp, out) = build(&content);
    let home = read(&out, "fi/index.html");
    assert!(home.contains("Järvialueen palvelupolut"));
    assert!(
        home.contains("<p class=\"county-note\">"),
        "the footer override"
    );
    let brand_css = fs::read_dir(out.join("static"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("brand.")
        })
        .expect("the brand stylesheet");
    assert!(fs::read_to_string(brand_css)
        .unwrap()
        .contains("--brand: #6a1b4d;"));
    let sv = read(&out, "sv/index.html");
    assert!(sv.contains("alt=\"Sjöregionens välfärdsområde\""));
}

/// Builds the fixture site with single theme files replaced: `(name, from, to)`
/// edits of the default theme's templates, laid beside the content.
fn build_with_edited_templates(
    edits: &[(&str, &str, &str)],
) -> (tempfile::TempDir, Result<PathBuf, polku::BuildError>) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    for (name, from, to) in edits {
        let target = tmp.path().join("templates").join(name);
        let original = if target.exists() {
            fs::read_to_string(&target).unwrap()
        } else {
            fs::read_to_string(theme().join("templates").join(name)).unwrap()
        };
        assert!(original.contains(from), "{name} has no {from:?}");
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, original.replace(from, to)).unwrap();
    }
    let out = tmp.path().join("public");
    let options = polku::BuildOptions {
        content,
        theme: theme(),
        base_url: None,
    };
    let result = polku::build(&options, &out).map(|_| out);
    (tmp, result)
}

/// Every HTML page below `out`, with the whitespace between tags removed.
fn pages_without_layout(out: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    common::snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| {
            let html = String::from_utf8(bytes).unwrap();
            let mut flat = String::new();
            for piece in html.split('<') {
                if !flat.is_empty() || html.starts_with('<') {
                    flat.push('<');
                }
                let (tag, text) = piece.split_once('>').unwrap_or(("", piece));
                if piece.contains('>') {
                    flat.push_str(tag);
                    flat.push('>');
                }
                flat.push_str(if text.trim().is_empty() { "" } else { text });
            }
            (p, flat)
        })
        .collect()
}

#[test]
fn cards_links_and_shared_includes_made_once_are_the_same_as_made_for_each_page() {
    // The default theme renders each card once per channel, language and
    // heading level (`channel_card`), each link once per language
    // (`link_item`), the footer, emergency numbers and search field once
    // per language and the segment chooser once per language and segments
    // (`shared_include`); including the partials on every page must give
    // the same pages, each card with its own ids.
    let (_a, cached) = build_with_edited_templates(&[]);
    let cached = cached.unwrap_or_else(|e| panic!("{e:?}"));
    let (_b, included) = build_with_edited_templates(&[
        (
            "path.html",
            r#"{{ channel_card(c, level=4, card_id=phase.id ~ "-" ~ c.id) }}"#,
            r#"{% with level = 4, card_id = phase.id ~ "-" ~ c.id %}{% include "partials/channel-card.html" %}{% endwith %}"#,
        ),
        (
            "channels.html",
            r#"{{ channel_card(c, level=3, card_id="card-" ~ c.id) }}"#,
            r#"{% with level = 3, card_id = "card-" ~ c.id %}{% include "partials/channel-card.html" %}{% endwith %}"#,
        ),
        (
            "path.html",
            "{{ link_item(l) }}",
            r#"{% include "partials/link-item.html" %}"#,
        ),
        (
            "path.html",
            r#"{{ shared_include("partials/segments.html", segments=path.segments) }}"#,
            r#"{% with segments = path.segments %}{% include "partials/segments.html" %}{% endwith %}"#,
        ),
        (
            "base.html",
            r#"{{ shared_include("partials/footer.html") }}"#,
            r#"{% include "partials/footer.html" %}"#,
        ),
        (
            "partials/header.html",
            r#"{{ shared_include("partials/emergency.html") }}"#,
            r#"{% include "partials/emergency.html" %}"#,
        ),
        (
            "partials/header.html",
            r#"{{ shared_include("partials/search-form.html") }}"#,
            r#"{% include "partials/search-form.html" %}"#,
        ),
    ]);
    let included = included.unwrap_or_else(|e| panic!("{e:?}"));
    let (cached, included) = (
        pages_without_layout(&cached),
        pages_without_layout(&included),
    );
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        included.keys().collect::<Vec<_>>()
    );
    for (page, html) in &cached {
        assert_eq!(html, &included[page], "{} differs", page.display());
    }
    // The cards with a note point at their own note: the same channel in
    // two phases of a page has two ids.
    let page = &cached[&PathBuf::from("fi/ensimmainen-polku/index.html")];
    let notes: Vec<&str> = page
        .split("aria-describedby=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .filter(|id| id.ends_with("-note"))
        .collect();
    assert!(notes.len() >= 2, "{notes:?}");
    for id in &notes {
        assert_eq!(page.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
}

#[test]
fn a_card_partial_that_changes_its_id_still_gets_each_cards_own() {
    // Reuse depends on `card_id` going into the card as it is; a partial
    // that transforms it is rendered for every card instead.
    let (_t, out) = build_with_edited_templates(&[(
        "partials/channel-card.html",
        r#"<li class="channel-card"#,
        r#"<li data-card="{{ card_id|upper }}" class="channel-card"#,
    )]);
    let out = out.unwrap_or_else(|e| panic!("{e:?}"));
    let page = read(&out, "fi/ensimmainen-polku/index.html");
    let cards: Vec<&str> = page
        .split("data-card=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(cards.len() >= 2, "{cards:?}");
    for id in &cards {
        assert_eq!(id, &id.to_uppercase());
        assert_eq!(
            page.matches(&format!("data-card=\"{id}\"")).count(),
            1,
            "{id}"
        );
    }
}

#[test]
fn a_shared_partial_that_reads_page_values_is_refused_by_name() {
    // A card or a link item is shared by every page that shows the channel
    // or link, so it cannot show anything of one page: such a partial is
    // an error at its line, not a card with another page's title.
    for (partial, line, what) in [
        (
            "partials/channel-card.html",
            6,
            "sees only `c`, `level`, `card_id`, `t`, `site` and `lang`",
        ),
        (
            "partials/link-item.html",
            4,
            "sees only `l`, `t`, `site` and `lang`",
        ),
        (
            "partials/segments.html",
            6,
            "sees only the values given in `shared_include(...)`, `t`, `site` and `lang`",
        ),
        (
            "partials/footer.html",
            4,
            "sees only the values given in `shared_include(...)`, `t`, `site` and `lang`",
        ),
    ] {
        let template = fs::read_to_string(theme().join("templates").join(partial)).unwrap();
        let target = template.lines().nth(line - 1).unwrap();
        let (_t, out) = build_with_edited_templates(&[(
            partial,
            target,
            &format!("<p>{{{{ path.title }}}}</p>{target}"),
        )]);
        let Err(polku::BuildError::Content(diags)) = out else {
            panic!("{partial} reading `path` built, or failed otherwise: {out:?}");
        };
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(d.code, "template");
        assert!(
            d.file.ends_with(format!("templates/{partial}")) && !d.file.starts_with(theme()),
            "{}",
            d.file.display()
        );
        assert_eq!(d.line, line, "{d:#?}");
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.contains(what), "{hint}");
    }
}
