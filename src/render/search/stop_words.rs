//! Words that carry no subject in a search: "en", "inte", "saa",
//! "haluan". They are left out of the index and sent to `search.js` with
//! it, so that "haluan kuolla" is searched as "kuolla" and "mitä jos en
//! saa unta" as "unta", instead of every path with "saa" in it answering.
//!
//! The lists are the function words of everyday queries (pronouns,
//! auxiliaries, negation, question words, conjunctions), not a general
//! stop list: a word that can be a subject ("apu", "aika", "hjälp",
//! "help") is never here.

use crate::content::Lang;

/// The stop words of `lang`, lower-cased, as written (not folded).
pub fn stop_words(lang: Lang) -> &'static [&'static str] {
    match lang.code() {
        "fi" => FI,
        "sv" => SV,
        "en" => EN,
        _ => &[],
    }
}

const FI: &[&str] = &[
    "ja",
    "tai",
    "sekä",
    "että",
    "kun",
    "jos",
    "niin",
    "mutta",
    "vaan",
    "kuin",
    "myös",
    "eli",
    "siis",
    "sitten",
    "koska",
    "vaikka",
    "on",
    "ovat",
    "olen",
    "olet",
    "olemme",
    "olette",
    "olla",
    "oli",
    "olin",
    "ole",
    "olisi",
    "onko",
    "onks",
    "ois",
    "ei",
    "en",
    "et",
    "emme",
    "ette",
    "eivät",
    "eikä",
    "se",
    "ne",
    "sen",
    "sitä",
    "siitä",
    "siihen",
    "tämä",
    "tää",
    "tätä",
    "tämän",
    "nämä",
    "joka",
    "jotka",
    "jonka",
    "mikä",
    "mitä",
    "miten",
    "mistä",
    "missä",
    "mihin",
    "milloin",
    "miksi",
    "kuka",
    "ketä",
    "kenelle",
    "keneltä",
    "minä",
    "mä",
    "mää",
    "mun",
    "mulla",
    "mulle",
    "multa",
    "minun",
    "minulla",
    "minulle",
    "minulta",
    "minua",
    "minut",
    "sinä",
    "sä",
    "sun",
    "sinun",
    "sinulla",
    "hän",
    "me",
    "te",
    "he",
    "meidän",
    "teidän",
    "heidän",
    "saa",
    "saan",
    "saako",
    "saisin",
    "voi",
    "voin",
    "voiko",
    "voisin",
    "voinko",
    "pitää",
    "pitäisi",
    "täytyy",
    "haluan",
    "haluaisin",
    "tahdon",
    "tarvitsen",
    "tarviin",
    "nyt",
    "jo",
    "vielä",
    "vain",
    "tosi",
    "ihan",
    "aina",
    "jotain",
    "jotakin",
    "joku",
    "mitään",
    "mikään",
    "kanssa",
    "kautta",
    "kyllä",
    "no",
    "paljon",
    "vähän",
    "hyvin",
    "esim",
    "siinä",
    "tässä",
    "siellä",
    "täällä",
    "sinne",
    "tänne",
    "näin",
    "noin",
    "niitä",
    "niistä",
    "niille",
    "joita",
    "jossa",
    "josta",
    "jne",
    "mua",
    "mut",
    "ku",
];

const SV: &[&str] = &[
    "och", "eller", "att", "som", "är", "var", "vara", "varit", "har", "hade", "ha", "inte", "ej",
    "jag", "du", "han", "hon", "vi", "ni", "de", "dem", "den", "det", "en", "ett", "min", "mitt",
    "mina", "din", "ditt", "dina", "sin", "sitt", "sina", "mig", "dig", "sig", "oss", "er", "kan",
    "kunna", "ska", "skall", "vill", "ville", "måste", "får", "få", "bör", "om", "på", "i", "av",
    "för", "med", "till", "från", "hur", "vad", "när", "vem", "vilken", "vilket", "vilka",
    "varför", "så", "men", "också", "bara", "mycket", "lite", "nu", "redan", "här", "där", "något",
    "någon", "några", "inget", "ingen", "alla", "hos", "behöver", "finns", "blir", "gör",
];

const EN: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "from", "by", "is",
    "are", "am", "was", "be", "been", "i", "me", "my", "you", "your", "he", "she", "it", "we",
    "they", "them", "this", "that", "these", "those", "what", "how", "where", "when", "who", "why",
    "which", "can", "could", "do", "does", "did", "not", "no", "don", "t", "want", "need", "get",
    "have", "has", "had", "should", "would", "will", "there", "here", "about", "so", "just",
    "very", "some", "any", "im",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_word_that_can_be_a_subject_is_a_stop_word() {
        for (lang, subjects) in [
            (Lang::FI, ["apu", "aika", "kipu", "raha", "uni", "lapsi"]),
            (Lang::SV, ["hjälp", "tid", "pengar", "sömn", "barn", "våld"]),
            (Lang::EN, ["help", "time", "money", "sleep", "child", "die"]),
        ] {
            for word in subjects {
                assert!(!stop_words(lang).contains(&word), "{lang}: {word}");
            }
        }
    }

    #[test]
    fn the_lists_are_lower_case() {
        for lang in [Lang::FI, Lang::SV, Lang::EN] {
            for word in stop_words(lang) {
                assert_eq!(*word, word.to_lowercase());
            }
        }
    }
}
