//! `sitemap.xml` and `robots.txt`.

use super::*;

impl Views<'_> {
    /// `sitemap.xml` with `hreflang` alternates for every page.
    pub(crate) fn sitemap(&self, pages: &[PageInfo]) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for page in pages {
            out.push_str("  <url>\n");
            out.push_str(&format!(
                "    <loc>{}</loc>\n",
                xml_escape(&self.abs(&page.url))
            ));
            if let Some(lastmod) = &page.lastmod {
                out.push_str(&format!("    <lastmod>{lastmod}</lastmod>\n"));
            }
            if page.lang.is_some() {
                for (lang, url) in &page.alternates {
                    out.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        lang.code(),
                        xml_escape(&self.abs(url))
                    ));
                }
            }
            out.push_str("  </url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }

    /// `robots.txt` pointing at the sitemap.
    pub(crate) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            self.base_url
        )
    }
}
