//! What static hosting needs to serve the site well: cache rules and
//! security headers, written as `_headers` (Netlify and Cloudflare Pages
//! format). The nginx and Apache equivalents are in examples/publishing/.

/// The Content-Security-Policy under which the whole site works: no inline
/// script or style, data: only for the empty favicon, forms may go to the
/// county's own https search.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self' https:; frame-ancestors 'none'";

/// `_headers`: content-hashed assets are cached for a year, everything else
/// (HTML, the search index, robots.txt, sitemap) is revalidated.
pub fn headers_file() -> String {
    format!(
        "# Written by polku for Netlify and Cloudflare Pages (docs/publishing.md).\n\
/static/*\n  Cache-Control: public, max-age=31536000, immutable\n\
/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n"
    )
}
