//! The accessibility statement page.

use super::*;

impl Views<'_> {
    pub(super) fn accessibility_page(&self, lang: Lang) -> Value {
        let a = &self.site.config.accessibility;
        let items = |list: &[crate::content::NonAccessible]| -> Vec<Value> {
            list.iter()
                .map(|n| context! { content => self.txt(&n.content, lang), reason => self.opt_txt(&n.reason, lang), criteria => n.criteria })
                .collect()
        };
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
                    organisation => self.txt(&self.site.config.organisation.name, lang),
                    prepared_on => format_date(a.prepared_on),
                    out_of_scope => items(&a.out_of_scope),
                    disproportionate_burden => items(&a.disproportionate_burden),
                    assessed_on => format_date(a.assessed_on),
                    updated_on => format_date(a.updated_on),
                    method => self.txt(&a.method, lang),
                    non_accessible => items(&a.non_accessible),
                    authority => context! {
                        name => self.txt(&a.authority.name, lang),
                        url => a.authority.url.resolve(lang, self.source()).map(|(u, _)| u),
                        email => a.authority.email,
                        phone => a.authority.phone,
                        tel => a.authority.phone.as_deref().map(tel_href),
                    },
                },
            },
        )
    }
}
