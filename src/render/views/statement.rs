//! The accessibility statement page.

use super::*;

impl Views<'_> {
    pub(super) fn accessibility_page(&self, lang: Lang) -> Value {
        let a = &self.site.config.accessibility;
        let items: Vec<Value> = a
            .non_accessible
            .iter()
            .map(|n| context! { content => self.txt(&n.content, lang), reason => self.txt(&n.reason, lang), criteria => n.criteria })
            .collect();
        let title = self.t.get(lang, "statement.title");
        let description = self.t.get(lang, "statement.description");
        self.page(
            PageKey::Accessibility,
            lang,
            &title,
            &description,
            context! {
                statement => context! {
                    compliance => a.compliance.key(),
                    assessed_on => format_date(a.assessed_on),
                    updated_on => format_date(a.updated_on),
                    method => self.txt(&a.method, lang),
                    non_accessible => items,
                    authority => context! {
                        name => self.txt(&a.authority.name, lang),
                        url => a.authority.url.resolve(lang).map(|(u, _)| u),
                        email => a.authority.email,
                        phone => a.authority.phone,
                        tel => a.authority.phone.as_deref().map(tel_href),
                    },
                },
            },
        )
    }
}
