//! The home page of each language, the bilingual landing page and the 404 pages.

use super::*;

#[derive(Serialize)]
pub(super) struct TopicView {
    pub(super) id: String,
    pub(super) name: Txt,
    pub(super) description: Option<Txt>,
    pub(super) paths: Vec<PathSummary>,
}

impl Views<'_> {
    pub(super) fn home_page(&self, lang: Lang) -> Value {
        let topics: Vec<TopicView> = self
            .site
            .topics
            .iter()
            .map(|t| {
                let mut paths: Vec<PathSummary> = self
                    .site
                    .paths
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.topic == t.id)
                    .map(|(i, _)| self.path_summary(i, lang))
                    .collect();
                paths.sort_by_key(|p| p.title.text.to_lowercase());
                TopicView {
                    id: t.id.clone(),
                    name: self.txt(&t.name, lang),
                    description: self.opt_txt(&t.description, lang),
                    paths,
                }
            })
            .filter(|t| !t.paths.is_empty())
            .collect();
        let name = self.txt(&self.site.config.name, lang).text;
        let description = self.txt(&self.site.config.description, lang).text;
        self.page(
            PageKey::Home,
            lang,
            &name,
            &description,
            context! { topics => topics },
        )
    }

    /// The landing page and the 404 pages.
    pub(super) fn site_wide_jobs(&self, jobs: &mut Vec<Job>, pages: &mut Vec<PageInfo>) {
        let landing_alts: Vec<(Lang, String)> = self
            .langs()
            .iter()
            .map(|&l| (l, self.rel(PageKey::Home, l)))
            .collect();
        pages.push(PageInfo {
            url: String::new(),
            lang: None,
            alternates: landing_alts.clone(),
            lastmod: None,
        });
        let landing_langs: Vec<Value> = self
            .langs()
            .iter()
            .map(|&l| {
                context! {
                    lang => l.code(),
                    href => self.href(PageKey::Home, l),
                    name => self.lang_name(l),
                    site_name => self.txt(&self.site.config.name, l),
                    description => self.txt(&self.site.config.description, l),
                    site => self.site_view(l),
                    t => self.t.table(l),
                }
            })
            .collect();
        let default = self.site.config.default_lang();
        jobs.push(Job {
            template: "landing.html",
            file: "index.html".into(),
            ctx: JobContext::Ready(context! {
                languages => landing_langs,
                alternates => self.alternates(Some(PageKey::Home), default),
                canonical => self.abs(""),
                ..self.base_ctx(None, default, &self.txt(&self.site.config.name, default).text, &self.txt(&self.site.config.description, default).text)
            }),
        });
        jobs.push(Job {
            template: "404-root.html",
            file: "404.html".into(),
            ctx: JobContext::Ready(
                context! { languages => landing_langs, ..self.base_ctx(None, default, "404", "") },
            ),
        });

        for &lang in self.langs() {
            let title = self.t.get(lang, "not_found.title");
            jobs.push(Job {
                template: "404.html",
                file: format!("{}/404.html", lang.code()),
                ctx: JobContext::Ready(self.base_ctx(None, lang, &title, "")),
            });
        }
    }
}
