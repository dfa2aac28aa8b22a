//! The home page of each language, the bilingual landing page and the 404 pages.

use super::*;

#[derive(Serialize)]
pub(super) struct TopicView {
    pub(super) id: String,
    pub(super) name: Txt,
    pub(super) description: Option<Txt>,
    pub(super) icon: Option<String>,
    pub(super) paths: Vec<Value>,
}

/// Sort key in Finnish and Swedish alphabetical order: å, ä and ö come
/// after z (a plain code-point sort would put them there too, but mixed
/// case and accented letters would not sort with their base letters).
pub(super) fn collation_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            'é' | 'è' => 'e' as u32,
            'ü' => 'y' as u32,
            c => c as u32,
        })
        .collect()
}

/// The heading letter of a title in an A–Ö list.
fn initial(title: &str) -> String {
    title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect::<String>())
        .map(|l| {
            if l.chars().all(|c| c.is_ascii_digit()) {
                "0–9".to_string()
            } else {
                l
            }
        })
        .unwrap_or_else(|| "#".into())
}

impl Views<'_> {
    /// Every published path of a language, by index, in A–Ö order of its
    /// title; made once per language.
    fn in_title_order(&self, lang: Lang) -> &[usize] {
        self.per_lang[&lang].title_order.get_or_init(|| {
            let mut all: Vec<usize> = (0..self.site.paths.len()).collect();
            all.sort_by_cached_key(|&i| collation_key(self.path_title(i, lang)));
            all
        })
    }

    /// Every published path of a language in A–Ö order, grouped by initial;
    /// made once per language for the pages that list them all.
    pub(super) fn a_to_o(&self, lang: Lang) -> Value {
        made_once(&self.per_lang[&lang].a_to_o, || {
            let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
            for &i in self.in_title_order(lang) {
                let letter = initial(self.path_title(i, lang));
                let p = self.path_summary_value(i, lang);
                match groups.last_mut() {
                    Some((l, v)) if *l == letter => v.push(p),
                    _ => groups.push((letter, vec![p])),
                }
            }
            let groups: Vec<Value> = groups
                .into_iter()
                .map(|(letter, paths)| context! { letter => letter, paths => paths })
                .collect();
            Value::from(groups)
        })
    }

    pub(super) fn home_page(&self, lang: Lang) -> Value {
        let topics: Vec<TopicView> = self
            .site
            .topics
            .iter()
            .map(|t| {
                let paths = self
                    .in_title_order(lang)
                    .iter()
                    .filter(|&&i| self.site.paths[i].topic == t.id)
                    .map(|&i| self.path_summary_value(i, lang))
                    .collect();
                TopicView {
                    id: t.id.clone(),
                    name: self.txt(&t.name, lang),
                    description: self.opt_txt(&t.description, lang),
                    icon: t.icon.clone(),
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
            context! { topics => topics, a_to_o => self.a_to_o(lang) },
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
        self.not_found_jobs(jobs);
    }

    /// The 404 page of each language, with the A–Ö listing of the paths:
    /// part of every rebuild that changes a listing.
    pub(super) fn not_found_jobs(&self, jobs: &mut Vec<Job>) {
        for &lang in self.langs() {
            let title = self.t.get(lang, "not_found.title");
            jobs.push(Job {
                template: "404.html",
                file: format!("{}/404.html", lang.code()),
                ctx: JobContext::Ready(context! {
                    a_to_o => self.a_to_o(lang),
                    ..self.base_ctx(None, lang, &title, "")
                }),
            });
        }
    }
}
