//! The search page: the form and results (built by `static/search.js` from
//! `search/<lang>.json`), and without JavaScript the A–Ö lists of every
//! path and channel, plus the county's own search where site.toml names one.

use super::home::collation_key;
use super::*;

impl Views<'_> {
    pub(super) fn search_page(&self, lang: Lang) -> Value {
        let mut channels: Vec<(Vec<u32>, Value)> = self
            .site
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let name = self.txt(&c.name, lang);
                let key = collation_key(&name.text);
                (
                    key,
                    context! { name => name, href => self.href(PageKey::Channel(i), lang) },
                )
            })
            .collect();
        channels.sort_by(|a, b| a.0.cmp(&b.0));
        let channels: Vec<Value> = channels.into_iter().map(|(_, c)| c).collect();
        let other_langs: Vec<Value> = self
            .langs()
            .iter()
            .filter(|&&l| l != lang)
            .map(|&l| {
                context! {
                    lang => l.code(),
                    href => self.href(PageKey::Search, l),
                    label => self.t.get(lang, &format!("search.in_{}", l.code())),
                }
            })
            .collect();
        let crisis: Vec<EmergencyView> = self
            .site
            .config
            .crisis
            .contacts
            .iter()
            .map(|e| self.emergency_view(e, lang))
            .collect();
        let external = &self.site.config.search;
        let title = self.t.get(lang, "search.title");
        let description = self.t.get(lang, "search.intro");
        self.page(
            PageKey::Search,
            lang,
            &title,
            &description,
            context! {
                search_page => true,
                a_to_o => self.a_to_o(lang),
                channels => channels,
                other_langs => other_langs,
                crisis => crisis,
                index_href => format!("{}search/{}.json", self.prefix, lang.code()),
                external => external.url.resolve(lang, self.source()).map(|(u, _)| context! {
                    url => u,
                    param => external.param.clone(),
                    label => self.txt(&external.label, lang),
                }),
            },
        )
    }
}
