//! Crisis words and crisis contacts (`[crisis]` in site.toml).
//!
//! A person who types "itsetuhoisuus" or "vill inte leva" into the search
//! field must see a number to call before any list of paths. The county
//! owns the words and the numbers; a site that configures nothing still
//! gets the national ones below, so that a new site is safe before anyone
//! thinks of it (docs/search.md).

use std::collections::BTreeMap;

use super::{EmergencyNumber, Lang, Text};

/// What the search page does for a query in a crisis.
#[derive(Debug, Clone)]
pub struct Crisis {
    /// Per language: the words and phrases that mean a crisis. A phrase
    /// matches when every one of its words is in the query.
    pub terms: BTreeMap<Lang, Vec<String>>,
    /// The numbers shown first, as call buttons, in the order given.
    pub contacts: Vec<EmergencyNumber>,
}

impl Crisis {
    /// The crisis words of `lang`: the site's own, or polku's defaults
    /// for Finnish, Swedish and English (none for other languages).
    pub fn terms(&self, lang: Lang) -> Vec<String> {
        match self.terms.get(&lang) {
            Some(terms) => terms.clone(),
            None => default_terms(lang).iter().map(|t| t.to_string()).collect(),
        }
    }
}

impl Default for Crisis {
    fn default() -> Crisis {
        Crisis {
            terms: BTreeMap::new(),
            contacts: default_contacts(),
        }
    }
}

/// The national crisis words, as people write them (matched with their
/// inflected forms and compounds; docs/search.md).
pub fn default_terms(lang: Lang) -> &'static [&'static str] {
    match lang.code() {
        "fi" => FI,
        "sv" => SV,
        "en" => EN,
        _ => &[],
    }
}

const FI: &[&str] = &[
    "itsemurha",
    "itsetuho",
    "itsetuhoisuus",
    "itsetuhoinen",
    "viiltely",
    "viiltää",
    "viillän",
    "viiltelen",
    "haluan kuolla",
    "haluaisin kuolla",
    "tahdon kuolla",
    "mieli kuolla",
    "tappaa itseni",
    "tapan itseni",
    "satutan itseäni",
    "satuttaa itseään",
    "vahingoittaa itseäni",
    "lopettaa elämäni",
    "itsari",
    "en halua elää",
    "en jaksa elää",
    "elämänhalu",
    "kriisi",
    "kriisiapu",
    "väkivalta",
    "pahoinpitely",
    "lyö",
    "raiskaus",
    "raiskattu",
    "seksuaalinen väkivalta",
    "hyväksikäyttö",
    "uhkailee",
    "uhkailu",
    "vainoaa",
    "pelkään puolisoa",
    "pelkään miestä",
    "pelkään vaimoa",
    "pelkään kumppania",
    "pelkään poikaystävää",
    "pelkään tyttöystävää",
    "pelkään exää",
];

const SV: &[&str] = &[
    "självmord",
    "suicid",
    "ta livet av mig",
    "ta mitt liv",
    "självmordstankar",
    "självskada",
    "skada mig själv",
    "skära mig",
    "skär mig",
    "vill dö",
    "vill inte leva",
    "orkar inte leva",
    "kris",
    "kristelefon",
    "krishjälp",
    "våld",
    "misshandel",
    "slår mig",
    "våldtäkt",
    "våldtagen",
    "övergrepp",
    "hotar mig",
    "förföljer mig",
    "rädd för min man",
    "rädd för min fru",
    "rädd för min partner",
    "rädd för min pojkvän",
    "rädd för min flickvän",
];

const EN: &[&str] = &[
    "suicide",
    "suicidal",
    "self-harm",
    "self harm",
    "selfharm",
    "kill myself",
    "hurt myself",
    "hurting myself",
    "cutting myself",
    "cut myself",
    "overdose",
    "want to die",
    "don't want to live",
    "end my life",
    "crisis",
    "violence",
    "abuse",
    "rape",
    "sexual assault",
    "hits me",
    "threatens me",
    "afraid of my partner",
    "afraid of my husband",
    "afraid of my wife",
    "afraid of my boyfriend",
    "afraid of my girlfriend",
];

/// The emergency number and the national crisis line, named in Finnish,
/// Swedish and English.
fn default_contacts() -> Vec<EmergencyNumber> {
    let text = |fi: &str, sv: &str, en: &str| {
        let mut t = Text::default();
        t.set(Lang::FI, fi.to_string());
        t.set(Lang::SV, sv.to_string());
        t.set(Lang::EN, en.to_string());
        t
    };
    vec![
        EmergencyNumber {
            number: "112".to_string(),
            label: text(
                "Hätänumero, kun henki on vaarassa",
                "Nödnumret, när livet är i fara",
                "Emergency number, when a life is in danger",
            ),
        },
        EmergencyNumber {
            number: "09 2525 0111".to_string(),
            label: text(
                "Kriisipuhelin, päivystää ympäri vuorokauden",
                "Kristelefonen, dygnet runt (på finska)",
                "Crisis Helpline, day and night (in Finnish)",
            ),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_crisis_settings_gets_the_national_words_and_numbers() {
        let crisis = Crisis::default();
        for lang in [Lang::FI, Lang::SV, Lang::EN] {
            assert!(crisis.terms(lang).len() >= 10, "{lang}");
        }
        let numbers: Vec<&str> = crisis.contacts.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["112", "09 2525 0111"]);
        for c in &crisis.contacts {
            for lang in [Lang::FI, Lang::SV, Lang::EN] {
                assert!(c.label.get(lang).is_some(), "{} in {lang}", c.number);
            }
        }
    }

    #[test]
    fn the_site_s_own_words_replace_the_defaults_of_their_language_only() {
        let mut crisis = Crisis::default();
        crisis
            .terms
            .insert(Lang::FI, vec!["hätä".to_string(), "apua heti".to_string()]);
        assert_eq!(crisis.terms(Lang::FI), ["hätä", "apua heti"]);
        assert!(crisis.terms(Lang::SV).contains(&"självmord".to_string()));
    }
}
