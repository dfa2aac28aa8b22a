//! Whole builds of fixture sites, asserting on the written output.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::{fixture_content, theme};
use polku::BuildOptions;

fn build_fixture(out: &Path) {
    let options = BuildOptions {
        content: fixture_content(),
        theme: theme(),
        base_url: None,
    };
    polku::build(&options, out).unwrap_or_else(|e| panic!("build failed: {e:?}"));
}

/// The fixture site built into a temporary folder (kept alive by the guard).
fn built_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_fixture(&out);
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `href` values of `<link rel="alternate" hreflang=...>` elements.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.lines()
        .filter(|l| l.contains("<link rel=\"alternate\""))
        .map(|l| {
            let attr = |name: &str| {
                let start = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                l[start..].split('"').next().unwrap().to_string()
            };
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

#[test]
fn writes_every_page_in_both_languages() {
    let (_tmp, out) = built_fixture();
    for rel in [
        "index.html",
        "404.html",
        "fi/404.html",
        "sv/404.html",
        "fi/index.html",
        "sv/index.html",
        "fi/ensimmainen-polku/index.html",
        "sv/forsta-stigen/index.html",
        "fi/toinen-polku/index.html",
        "sv/andra-stigen/index.html",
        "fi/palvelukanavat/index.html",
        "sv/servicekanaler/index.html",
        "fi/palvelukanavat/neuvontapuhelin/index.html",
        "sv/servicekanaler/radgivningstelefon/index.html",
        "fi/saavutettavuusseloste/index.html",
        "sv/tillganglighetsutlatande/index.html",
        "sitemap.xml",
        "robots.txt",
        "_headers",
        "search/fi.json",
        "search/sv.json",
    ] {
        assert!(out.join(rel).is_file(), "missing {rel}");
    }
    // Stylesheet, scripts and sprite under content-hashed names, referenced by them.
    let theme_css = fs::read(theme().join("static/style.css")).unwrap();
    let hashed = polku::render::hashed_name("style.css", &theme_css);
    assert!(out.join("static").join(&hashed).is_file(), "{hashed}");
    assert!(!out.join("static/style.css").exists());
    assert!(read(&out, "fi/index.html").contains(&format!("href=\"/static/{hashed}\"")));
    assert!(read(&out, "_headers").contains("Cache-Control: public, max-age=31536000, immutable"));
    assert!(read(&out, "fi/ensimmainen-polku/index.html")
        .starts_with("<!DOCTYPE html>\n<html lang=\"fi\">"));
    assert!(read(&out, "sv/forsta-stigen/index.html")
        .starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
}

#[test]
fn path_page_has_phases_in_order_with_channels_links_and_guidance() {
    let (_tmp, out) = built_fixture();
    let fi = read(&out, "fi/ensimmainen-polku/index.html");
    let pos = |needle: &str| {
        fi.find(needle)
            .unwrap_or_else(|| panic!("missing {needle}"))
    };
    // Phases as a numbered list, in path.toml order.
    assert!(
        pos("<li class=\"step\" id=\"eka\" data-step data-number=\"1\">")
            < pos("<li class=\"step\" id=\"toka\" data-step data-number=\"2\">")
    );
    assert!(
        pos("<li class=\"step\" id=\"toka\" data-step data-number=\"2\">")
            < pos("<li class=\"step\" id=\"kolmas\" data-step data-number=\"3\">")
    );
    assert!(fi.contains("<span class=\"visually-hidden\">Vaihe </span>1"));
    // Channel cards: the call as the action, opening hours, response time, identification.
    assert!(fi.contains(
        "<a class=\"action-button\" href=\"tel:+358100000001\">Soita +358 10 000 0001</a>"
    ));
    assert!(fi.contains("maanantai–perjantai klo 8.00–16.00"));
    assert!(fi.contains("yleensä 1 arkipäivän kuluessa"));
    assert!(fi.contains("Tarvitset verkkopankkitunnukset tai mobiilivarmenteen."));
    assert!(fi.contains("Voit asioida nimettömänä."));
    // Links grouped by kind under translated headings.
    assert!(pos("Luotettavaa tietoa</h4>") < pos("Vertaistuki</h4>"));
    assert!(pos("Vertaistuki</h4>") < pos("Lomakkeet</h4>"));
    // Segment guidance under public labels, never "S1".
    assert!(fi.contains("Haluan apua nopeasti"));
    assert!(fi.contains("Ohje nopeutta arvostavalle."));
    assert!(!fi.contains(">S1<") && !fi.contains("Asiantuntijuus"));
    // Emergency notice, internal link resolved per language, no injected script.
    assert!(fi.contains("href=\"tel:112\""));
    assert!(fi.contains("href=\"/fi/toinen-polku/\""));
    assert!(!fi.contains("<script>alert"));
    assert!(fi.contains("&lt;script&gt;"));

    let sv = read(&out, "sv/forsta-stigen/index.html");
    assert!(sv.contains("måndag–fredag kl. 8.00–16.00"));
    assert!(sv.contains("vanligen inom 1 vardag"));
    assert!(sv.contains("href=\"/sv/andra-stigen/\""));
    assert!(sv.contains("Jag vill ha hjälp snabbt"));
    // A link with only a Finnish address says so with hreflang.
    assert!(
        sv.contains("href=\"https://tuki.example.org/\" hreflang=\"fi\""),
        "{sv}"
    );
}

#[test]
fn alternates_are_reciprocal_and_language_switch_lands_on_same_page() {
    let (_tmp, out) = built_fixture();
    let base = "https://testi.example.org/";
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().map(Result::unwrap) {
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with("index.html") || rel == "index.html" {
            continue;
        }
        let html = read(&out, &rel);
        let alts = alternates(&html);
        let url = format!("{base}{}", rel.trim_end_matches("index.html"));
        let langs: Vec<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["fi", "sv"], "{rel}");
        assert!(
            alts.iter().any(|(_, href)| *href == url),
            "{rel} does not list itself"
        );
        for (lang, href) in &alts {
            let other_rel = format!("{}index.html", href.strip_prefix(base).unwrap());
            let other = read(&out, &other_rel);
            assert!(
                other.contains(&format!("<html lang=\"{lang}\">")),
                "{other_rel}"
            );
            assert!(
                alternates(&other).iter().any(|(_, h)| *h == url),
                "{other_rel} does not point back to {url}"
            );
            // The language switch links to the same page in the other language.
            let switch_href = href.strip_prefix("https://testi.example.org").unwrap();
            assert!(
                html.contains(&format!(
                    "<a href=\"{switch_href}\" lang=\"{lang}\" hreflang=\"{lang}\""
                )),
                "{rel} switch to {lang}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 18, "9 pages per language");
}

#[test]
fn sitemap_lists_every_page_with_hreflang_alternates() {
    let (_tmp, out) = built_fixture();
    let sitemap = read(&out, "sitemap.xml");
    let locs: BTreeSet<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>"))
        .map(|l| l.trim_end_matches("</loc>"))
        .collect();
    let mut pages = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&out).into_iter().map(Result::unwrap) {
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with("index.html") {
            pages.insert(format!(
                "https://testi.example.org/{}",
                rel.trim_end_matches("index.html")
            ));
        }
    }
    let pages: BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    assert_eq!(locs, pages);
    assert_eq!(locs.len(), 19);
    assert!(sitemap.contains(
        "<url>\n    <loc>https://testi.example.org/sv/forsta-stigen/</loc>\n    <lastmod>2026-02-01</lastmod>\n    \
         <xhtml:link rel=\"alternate\" hreflang=\"fi\" href=\"https://testi.example.org/fi/ensimmainen-polku/\"/>\n    \
         <xhtml:link rel=\"alternate\" hreflang=\"sv\" href=\"https://testi.example.org/sv/forsta-stigen/\"/>"
    ));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://testi.example.org/sitemap.xml\n"
    );
}

#[test]
fn channel_page_lists_the_paths_that_use_it() {
    let (_tmp, out) = built_fixture();
    let page = read(&out, "fi/palvelukanavat/kiireeton-viesti/index.html");
    assert!(page.contains("<h1>Kiireetön viesti</h1>"));
    assert!(page.contains("href=\"/fi/ensimmainen-polku/\""));
    assert!(page.contains("href=\"/fi/toinen-polku/\""));
    let chat = read(&out, "sv/servicekanaler/radgivningschatt/index.html");
    assert!(chat.contains("href=\"/sv/forsta-stigen/\""));
    assert!(!chat.contains("href=\"/sv/andra-stigen/\""));
}

#[test]
fn home_lists_paths_by_topic_and_footer_links_the_statement() {
    let (_tmp, out) = built_fixture();
    let home = read(&out, "sv/index.html");
    assert!(home.contains(">Hälsa</h3>"));
    assert!(
        home.find("Andra stigen").unwrap() < home.find("Första stigen").unwrap(),
        "sorted by title"
    );
    assert!(home.contains("href=\"/sv/tillganglighetsutlatande/\""));
    // The bilingual landing page has the footer too, in both languages.
    let landing = read(&out, "index.html");
    assert!(landing.contains("<footer class=\"site-footer\">"));
    assert!(landing.contains("href=\"/fi/saavutettavuusseloste/\">Saavutettavuusseloste</a>"));
    assert!(landing.contains("href=\"/sv/tillganglighetsutlatande/\">Tillgänglighetsutlåtande</a>"));
    assert!(read(&out, "404.html").contains("<footer class=\"site-footer\">"));
    let statement = read(&out, "fi/saavutettavuusseloste/index.html");
    for part in [
        "Sivusto täyttää saavutettavuusvaatimukset.",
        "10.1.2026",
        "Itsearvio.",
        "palaute@testi.example.org",
        "Vastaamme palautteeseen 14 päivän kuluessa.",
        "Valvoja",
        "https://valvoja.example.org/",
    ] {
        assert!(statement.contains(part), "statement lacks {part}");
    }
}

#[test]
fn base_url_override_changes_every_address() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = BuildOptions {
        content: fixture_content(),
        theme: theme(),
        base_url: Some(
            polku::content::BaseUrl::parse("https://staging.example.org/polut").unwrap(),
        ),
    };
    polku::build(&options, &out).unwrap();
    let page = read(&out, "fi/ensimmainen-polku/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://staging.example.org/polut/fi/ensimmainen-polku/\">"
    ));
    assert!(page.contains("href=\"/polut/static/style."));
    assert!(read(&out, "sitemap.xml").contains("<loc>https://staging.example.org/polut/sv/</loc>"));
}

#[test]
fn builds_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_fixture(&a);
    build_fixture(&b);
    for entry in walkdir::WalkDir::new(&a).into_iter().map(Result::unwrap) {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&a).unwrap();
            assert_eq!(
                fs::read(entry.path()).unwrap(),
                fs::read(b.join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
    }
}

#[test]
fn the_sample_site_builds_every_page() {
    let options = BuildOptions {
        content: common::root().join("content"),
        theme: theme(),
        base_url: None,
    };
    let built =
        polku::render(&options).unwrap_or_else(|d| panic!("sample content has errors: {d:#?}"));
    assert!(built.site.paths.len() >= 5);
    for path in &built.site.paths {
        assert!(path.phases.len() >= 3, "{}", path.id);
        let channels: BTreeSet<_> = path.phases.iter().flat_map(|p| &p.channels).collect();
        let links: BTreeSet<_> = path.phases.iter().flat_map(|p| &p.links).collect();
        assert!(channels.len() >= 2 && links.len() >= 3, "{}", path.id);
        for text in path.texts.values() {
            let segments: BTreeSet<_> = text
                .phases
                .values()
                .flat_map(|p| p.guidance.keys())
                .collect();
            assert_eq!(
                segments.len(),
                4,
                "{} lacks guidance for some segment",
                path.id
            );
        }
    }
    let pages = built.rendered.pages.len();
    // Finnish, Swedish and English, every text written in each.
    let langs = &built.site.config.languages;
    assert_eq!(
        langs.iter().map(|l| l.code()).collect::<Vec<_>>(),
        ["fi", "sv", "en"]
    );
    for path in &built.site.paths {
        assert_eq!(path.texts.len(), 3, "{} lacks a language", path.id);
    }
    // Landing; per language: home, paths, channel index, channels, statement, search.
    let per_language = 1 + built.site.paths.len() + 1 + built.site.channels.len() + 1 + 1;
    assert_eq!(pages, 1 + langs.len() * per_language);
}

/// The fixture site with `languages` replaced, in a temporary folder.
fn fixture_with_languages(languages: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::fixture_content(), &content);
    let site = content.join("site.toml");
    let text = fs::read_to_string(&site).unwrap();
    let replaced: String = text
        .lines()
        .map(|l| {
            if l.starts_with("languages") {
                format!("languages = {languages}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(replaced, text, "the fixture lists its languages");
    fs::write(&site, replaced).unwrap();
    (tmp, content)
}

#[test]
fn a_swedish_source_site_falls_back_to_swedish() {
    // Swedish first: English pages show Swedish where a text has no
    // English (the fixture's TOML texts are in Finnish and Swedish).
    let (tmp, content) = fixture_with_languages(r#"["sv", "fi", "en"]"#);
    // The source language needs every address: the fixture's peer-support
    // link has only a Finnish one.
    let links = content.join("links.toml");
    let text = fs::read_to_string(&links).unwrap();
    fs::write(
        &links,
        text.replace(
            "url.fi = \"https://tuki.example.org/\"",
            "url.fi = \"https://tuki.example.org/\"\nurl.sv = \"https://tuki.example.org/sv/\"",
        ),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let o = common::polku_build(&content, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = read(&out, "en/service-channels/index.html");
    assert!(
        page.contains("<a href=\"/en/service-channels/radgivningstelefon/\" lang=\"sv\">Rådgivningstelefon</a>"),
        "{page}"
    );
    assert!(!page.contains("Neuvontapuhelin"), "{page}");
}

#[test]
fn a_missing_translation_shows_the_source_language_not_another_translation() {
    // The sample site: fi, sv and en. Without sv.md, the Swedish page of
    // the path shows the Finnish source, never the English text (English
    // sorts before Finnish, and once came first).
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&common::root().join("content"), &content);
    fs::remove_file(content.join("paths/alaselkakipu/sv.md")).unwrap();
    let out = tmp.path().join("public");
    let o = common::polku_build(&content, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = read(&out, "sv/alaselkakipu/index.html");
    assert!(page.contains("<h1 lang=\"fi\">Alaselkäkipu</h1>"), "{page}");
    assert!(!page.contains("Low back pain"), "{page}");
}

#[test]
fn a_third_language_is_data_english_pages_with_their_own_addresses() {
    let (tmp, content) = fixture_with_languages(r#"["fi", "sv", "en"]"#);
    let out = tmp.path().join("public");
    let o = common::polku_build(&content, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // UI strings and section addresses from themes/default/i18n/en.toml.
    let home = read(&out, "en/index.html");
    assert!(
        home.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{home}"
    );
    assert!(home.contains("Skip to content"));
    assert!(out.join("en/service-channels/index.html").is_file());
    assert!(out.join("en/accessibility-statement/index.html").is_file());
    assert!(out.join("en/search/index.html").is_file());
    assert!(out.join("en/404.html").is_file());
    assert!(out.join("search/en.json").is_file());
    assert!(out.join("api/v1/en/paths").is_dir());
    // Times as each language writes them.
    let hours = |file: &str| {
        let page = read(&out, file);
        assert!(page.contains("<ul class=\"hours\">"), "{page}");
        page
    };
    assert!(hours("en/service-channels/index.html").contains("8:00–16:00"));
    assert!(hours("fi/palvelukanavat/index.html").contains("klo 8.00–16.00"));
    assert!(hours("sv/servicekanaler/index.html").contains("kl. 8.00–16.00"));
    // Texts without English fall back to the source language, marked so.
    let page = read(&out, "en/ensimmainen-polku/index.html");
    assert!(page.contains("lang=\"fi\""), "{page}");
    assert!(page.contains("This content is only available in Finnish."));
    // Every page names all three languages as alternates.
    let alts = alternates(&page);
    let langs: Vec<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, ["fi", "sv", "en"], "{alts:?}");
    // The landing page and the root 404 greet in every language.
    let landing = read(&out, "index.html");
    for lang in ["fi", "sv", "en"] {
        assert!(landing.contains(&format!("lang=\"{lang}\"")), "{landing}");
    }
    assert!(read(&out, "404.html").contains("Page not found"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("hreflang=\"en\""));
    // The Finnish and Swedish pages offer English too.
    assert!(read(&out, "fi/index.html").contains("hreflang=\"en\""));
    // Missing English texts are warnings that name the file and the fix.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("en.md"), "{stderr}");
}

#[test]
fn a_language_without_ui_strings_is_an_error_naming_the_file_to_create() {
    let (tmp, content) = fixture_with_languages(r#"["fi", "sv", "de"]"#);
    let out = tmp.path().join("public");
    let o = common::polku_build(&content, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("i18n/de.toml"), "{stderr}");
    assert!(
        stderr.contains("no UI strings for the language `de`"),
        "{stderr}"
    );
    assert!(stderr.contains("copy en.toml"), "{stderr}");
    assert!(!out.exists());

    let (tmp, content) = fixture_with_languages(r#"["fi", "English"]"#);
    let o = common::polku_build(&content, &tmp.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("`English` is not a language code"),
        "{stderr}"
    );
    assert!(stderr.contains("site.toml:"), "{stderr}");
}

#[test]
fn the_search_index_knows_where_each_word_stands_and_leaves_stop_words_out() {
    let (_tmp, out) = built_fixture();
    let index: serde_json::Value = serde_json::from_str(&read(&out, "search/fi.json")).unwrap();
    assert_eq!(index["v"], 2);
    let terms = index["terms"].as_object().unwrap();
    let docs = index["docs"].as_array().unwrap();
    let doc = |id: &str| docs.iter().position(|d| d["i"] == id).unwrap() as u64;
    // "Ensimmäinen polku": title words carry the title bit (1); the channel
    // "Neuvontapuhelin" of its first phase the channel-name bit (64).
    let posting = |term: &str, d: u64| {
        terms[term]
            .as_array()
            .unwrap_or_else(|| panic!("no term {term}"))
            .iter()
            .find(|p| p[0] == d)
            .cloned()
            .unwrap_or_else(|| panic!("{term} not in doc {d}"))
    };
    let first = doc("ensimmainen");
    assert_eq!(posting("polku", first)[3].as_u64().unwrap() & 1, 1);
    assert_eq!(
        posting("neuvontapuhel", first)[3].as_u64().unwrap() & 64,
        64
    );
    // Stop words are neither terms nor missing from the list sent along.
    for stop in ["ja", "on", "ei", "jos"] {
        assert!(!terms.contains_key(stop), "{stop} is indexed");
        assert!(
            index["stop"].as_array().unwrap().iter().any(|w| w == stop),
            "{stop}"
        );
    }
    // The national crisis words, folded, for a site that sets none.
    let crisis = index["crisis"].as_array().unwrap();
    assert!(crisis.iter().any(|w| w == "itsemurha"));
    assert!(crisis.iter().any(|w| w == "haluan kuolla"));
}

#[test]
fn no_text_can_end_or_hide_the_json_ld_block() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_tree(&fixture_content(), &content);
    // Every text field that reaches the JSON-LD: the page title and
    // description, the site and organisation names.
    let hostile = "A</script><script>alert(1)</script><!--<script>&amp;";
    let fi = content.join("paths/ensimmainen/fi.md");
    let text = fs::read_to_string(&fi).unwrap();
    let text = text.replacen(
        "title = \"Ensimmäinen polku\"",
        &format!("title = \"{hostile}\"\nslug = \"ensimmainen-polku\""),
        1,
    );
    let text = text.replacen("summary = \"", &format!("summary = \"{hostile} "), 1);
    fs::write(&fi, text).unwrap();
    let site = content.join("site.toml");
    let toml = fs::read_to_string(&site).unwrap();
    let toml = toml
        .replacen(
            "name.fi = \"Testipolut\"",
            &format!("name.fi = \"{hostile}\""),
            1,
        )
        .replacen(
            "name.fi = \"Testialue\"",
            &format!("name.fi = \"{hostile}\""),
            1,
        );
    fs::write(&site, toml).unwrap();
    let out = tmp.path().join("public");
    let options = BuildOptions {
        content,
        theme: theme(),
        base_url: None,
    };
    polku::build(&options, &out).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    let page = read(&out, "fi/ensimmainen-polku/index.html");
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("a JSON-LD block") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    let block = &page[start..end];
    for bad in ["<", ">", "&"] {
        assert!(!block.contains(bad), "{bad} in {block}");
    }
    // The escapes mean the same JSON: the title is there as written.
    let data: serde_json::Value = serde_json::from_str(block).unwrap();
    assert!(
        data.to_string()
            .contains("A</script><script>alert(1)</script><!--<script>&amp;"),
        "{data}"
    );
    // And the page after it is still a page.
    assert!(
        page[end..].contains("<main"),
        "the rest of the page is gone"
    );
}
