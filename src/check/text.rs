//! Plain-language measures of Finnish and Swedish text.

use crate::code::Code;
use std::collections::BTreeSet;

use crate::content::{is_alphabetic, is_alphanumeric, Lang, PlainLanguage};
use crate::diagnostics::{Diagnostic, Severity, SourceFile};

/// Counts for the LIX readability index of a whole text.
#[derive(Debug, Default)]
pub struct TextStats {
    words: usize,
    sentences: usize,
    long_words: usize,
    /// Long words already reported in this file (one hint per word).
    reported_words: BTreeSet<String>,
}

impl TextStats {
    /// LIX = words per sentence + percentage of words over six letters.
    pub fn lix(&self) -> Option<f64> {
        lix(self.words, self.sentences, self.long_words)
    }
}

/// The LIX readability index, or `None` for an empty text.
pub fn lix(words: usize, sentences: usize, long_words: usize) -> Option<f64> {
    if words == 0 {
        return None;
    }
    let sentences = sentences.max(1) as f64;
    Some(words as f64 / sentences + 100.0 * long_words as f64 / words as f64)
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "esim.", "mm.", "ym.", "jne.", "ns.", "ks.", "vrt.", "n.", "noin.", "puh.", "klo.", "os.",
    "t.ex.", "bl.a.", "m.m.", "kl.", "s.k.", "ca.", "o.s.v.", "tel.", "nr.", "e.g.", "i.e.",
];

/// Link texts that say nothing out of context (WCAG 2.4.4).
const VAGUE: &[&str] = &[
    "lue lisää",
    "lisää",
    "lisätietoa",
    "tästä",
    "klikkaa tästä",
    "klikkaa",
    "tässä",
    "täältä",
    "linkki",
    "linkistä",
    "läs mer",
    "mer",
    "mer information",
    "här",
    "klicka här",
    "klicka",
    "länk",
    "click here",
    "here",
    "read more",
    "more",
    "link",
];

/// Whether a link text means nothing out of context.
pub fn is_vague_link_text(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(['.', ':', '!', '…'])
        .trim()
        .to_lowercase();
    VAGUE.contains(&t.as_str())
}

/// Whether a link text is an address rather than words.
pub fn looks_like_url(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

fn letters(word: &str) -> usize {
    word.chars().filter(|&c| is_alphabetic(c)).count()
}

/// Whether a word ending in a full stop is an abbreviation ("esim.", "t.ex.").
fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// `str::to_lowercase`, a character at a time, with the letters of Finnish
/// and Swedish text (ASCII, ä, ö, å) done without a table search. A capital
/// sigma depends on its neighbours (σ or a final ς): that text goes to the
/// standard library.
fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => out.push(c),
            'Ä' => out.push('ä'),
            'Ö' => out.push('ö'),
            'Å' => out.push('å'),
            'ä' | 'ö' | 'å' => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_checkable_word(word: &str) -> bool {
    !word.contains(['@', '/', ':'])
        && !word.chars().any(|c| c.is_ascii_digit())
        && letters(word) > 0
}

/// Checks one block of plain text that sits at `offset` in the file.
pub fn check_block(
    file: &SourceFile,
    block: &str,
    offset: usize,
    lang: Lang,
    settings: &PlainLanguage,
    stats: &mut TextStats,
    out: &mut Vec<Diagnostic>,
) {
    check_mapped_block(file, block, &[(0, offset)], lang, settings, stats, out);
}

fn to_file(map: &[(usize, usize)], at: usize) -> usize {
    let entry = map
        .iter()
        .rev()
        .find(|(b, _)| *b <= at)
        .copied()
        .unwrap_or((0, 0));
    entry.1 + (at - entry.0)
}

/// Checks a block assembled from pieces of the file; `map` gives, for each
/// piece, its offset in the block and in the file.
pub fn check_mapped_block(
    file: &SourceFile,
    block: &str,
    map: &[(usize, usize)],
    lang: Lang,
    settings: &PlainLanguage,
    stats: &mut TextStats,
    out: &mut Vec<Diagnostic>,
) {
    let span_at = |at: usize, len: usize| {
        let start = to_file(map, at);
        start..start + len
    };
    // Sentences: split after . ! ? followed by a space, unless an abbreviation.
    let mut sentence_start = 0;
    let mut words_in_sentence = 0;
    // The word being read: where it starts and how many letters it has.
    let mut word: Option<(usize, usize)> = None;
    let end_sentence =
        |from: usize, words: usize, stats: &mut TextStats, out: &mut Vec<Diagnostic>| {
            if words == 0 {
                return;
            }
            stats.sentences += 1;
            if words > settings.max_sentence_words {
                out.push(
                    file.diag(
                        Severity::Warning,
                        Code::PlainLanguageSentence,
                        span_at(from, 1),
                        format!(
                            "a sentence of {words} words (the limit is {})",
                            settings.max_sentence_words
                        ),
                    )
                    .with_hint(
                        "split it into shorter sentences: one thing per sentence is easier to read",
                    ),
                );
            }
        };
    let mut chars = block.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let is_word_char = is_alphanumeric(c)
            || matches!(c, '-' | '\'' | '@' | '/' | ':')
            || (c == '.' && word.is_some() && next.is_some_and(is_alphanumeric));
        if is_word_char {
            let (_, letters) = word.get_or_insert((i, 0));
            *letters += usize::from(is_alphabetic(c));
        }
        let at_end = next.is_none();
        if !is_word_char || at_end {
            if let Some((start, n)) = word.take() {
                let end = if is_word_char { i + c.len_utf8() } else { i };
                let word = &block[start..end];
                if n > 0 {
                    stats.words += 1;
                    words_in_sentence += 1;
                    if n > 6 {
                        stats.long_words += 1;
                    }
                    if n > settings.max_word_letters
                        && is_checkable_word(word)
                        && stats.reported_words.insert(word.to_lowercase())
                    {
                        out.push(
                            file.diag(Severity::Warning, Code::PlainLanguageWord, span_at(start, word.len()), format!("\"{word}\" is {n} letters long (the limit is {})", settings.max_word_letters))
                                .with_hint("consider a shorter word or split the compound, e.g. \"palvelu, jota tarvitset\""),
                        );
                    }
                }
            }
        }
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) {
            let before = &block[sentence_start..i + 1];
            let last_word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            if !is_abbreviation(last_word) {
                end_sentence(sentence_start, words_in_sentence, stats, out);
                sentence_start = i + 1;
                words_in_sentence = 0;
            }
        }
    }
    // A heading or list item without a full stop is still one unit of text.
    end_sentence(sentence_start, words_in_sentence, stats, out);

    if let Some(jargon) = settings.jargon.get(&lang) {
        let lower = lowercase(block);
        // Terms are lower-cased when site.toml is loaded.
        for (needle, plain) in jargon {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(needle.as_str()) {
                let at = from + pos;
                // Lower-casing keeps Finnish and Swedish letters the same length.
                if block.is_char_boundary(at) {
                    out.push(
                        file.diag(
                            Severity::Warning,
                            Code::PlainLanguageJargon,
                            span_at(at, needle.len()),
                            format!(
                                "\"{}\" is jargon",
                                &block[at..(at + needle.len()).min(block.len())]
                            ),
                        )
                        .with_hint(format!("write in plain words, e.g. \"{plain}\"")),
                    );
                }
                from = at + needle.len().max(1);
            }
        }
    }
}

#[cfg(test)]
mod phone_tests {
    use super::phone_numbers;

    fn numbers(s: &str) -> Vec<&str> {
        phone_numbers(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn plain_phone_numbers_are_found() {
        assert_eq!(numbers("Soita ensin Päivystysapuun 116 117."), ["116 117"]);
        assert_eq!(numbers("Hätätilanteessa soita 112."), ["112"]);
        assert_eq!(
            numbers("Neuvonta 010 000 3030 tai +358 40 123 4567"),
            ["010 000 3030", "+358 40 123 4567"]
        );
        assert!(
            numbers("Vuonna 2026 klo 8.00–16.00, 1.1.2027, 14 päivää, 00100 Helsinki").is_empty()
        );
        assert!(numbers("versio 1121 ja 112a").is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, settings: &PlainLanguage) -> (TextStats, Vec<Diagnostic>) {
        let file = SourceFile::new("t.md", text);
        let mut stats = TextStats::default();
        let mut out = Vec::new();
        check_block(&file, text, 0, Lang::FI, settings, &mut stats, &mut out);
        (stats, out)
    }

    #[test]
    fn lower_casing_agrees_with_the_standard_library() {
        for text in [
            "Palvelutarpeen ARVIOINTI, Åland, ÄIDIT ja ÖISIN",
            "Bedömning av SERVICEBEHOVET – İstanbul ǅ ẞ",
            "ΟΔΟΣ ΣΟΦΙΑΣ",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn counts_sentences_and_words_with_abbreviations() {
        let (stats, out) = run(
            "Soita esim. neuvontaan klo 8.00. Tule paikalle! Kysy lisää?",
            &PlainLanguage::default(),
        );
        assert_eq!(stats.sentences, 3);
        // "8.00" has no letters and is not a word.
        assert_eq!(stats.words, 8);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn lix_matches_the_formula() {
        // 10 words, 2 sentences, 3 words over six letters: 10/2 + 100*3/10 = 35.
        let (stats, _) = run(
            "Jag vill ha hjälp snabbt. Fysioterapeuten undersöker ryggen ordentligt nu.",
            &PlainLanguage::default(),
        );
        assert_eq!((stats.words, stats.sentences, stats.long_words), (10, 2, 3));
        assert_eq!(stats.lix(), Some(35.0));
        assert_eq!(lix(0, 0, 0), None);
    }

    #[test]
    fn long_sentences_words_and_jargon_are_found() {
        let mut settings = PlainLanguage {
            max_sentence_words: 5,
            max_word_letters: 20,
            ..PlainLanguage::default()
        };
        settings.jargon.insert(
            Lang::FI,
            [(
                "palvelutarpeen arviointi".to_string(),
                "selvitämme, mitä apua tarvitset".to_string(),
            )]
            .into(),
        );
        let text = "Teemme palvelutarpeen arvioinnin ja raskaudenkeskeytyspäätöksen yhdessä kanssasi pian.";
        let (_, out) = run(text, &settings);
        let codes: Vec<Code> = out.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [Code::PlainLanguageWord, Code::PlainLanguageSentence],
            "{out:?}"
        );
        let (_, out) = run("Palvelutarpeen arviointi tehdään kotona.", &settings);
        assert_eq!(out[0].code, Code::PlainLanguageJargon);
        assert_eq!(out[0].column, 1);
    }

    #[test]
    fn vague_and_bare_link_texts() {
        for t in [
            "Lue lisää",
            "tästä",
            "Klikkaa tästä.",
            "läs mer",
            "Här",
            "click here",
        ] {
            assert!(is_vague_link_text(t), "{t}");
        }
        assert!(!is_vague_link_text("Ehkäisyneuvolan yhteystiedot"));
        assert!(looks_like_url("https://www.terveyskyla.fi/"));
        assert!(looks_like_url("www.kela.fi"));
        assert!(!looks_like_url("Kelan sivut"));
    }
}

/// Phone numbers written as plain text: the emergency numbers 112 and
/// 116 117, and any run of at least seven digits with spaces or hyphens
/// between them (`010 000 3030`, `+358 40 123 4567`). Byte ranges in `s`.
pub fn phone_numbers(s: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (bytes[i] == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let after_word = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'.'
                || bytes[i - 1] == b',');
        if !starts || after_word {
            i += 1;
            continue;
        }
        // Extend over digits, single spaces and hyphens between digits.
        let mut end = i + 1;
        let mut last_digit = if bytes[i].is_ascii_digit() { i + 1 } else { i };
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_digit() {
                end += 1;
                last_digit = end;
            } else if (b == b' ' || b == b'-') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            {
                end += 1;
            } else {
                break;
            }
        }
        let run = &s[i..last_digit];
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        let followed_by_word = bytes
            .get(last_digit)
            .is_some_and(|b| b.is_ascii_alphanumeric());
        let is_number = digits == "112" || digits == "116117" || digits.len() >= 7;
        // "1.1.2027" and "8.00" are dates and times, "112a" is not a number.
        let in_date_or_time = bytes.get(last_digit) == Some(&b'.')
            && bytes.get(last_digit + 1).is_some_and(u8::is_ascii_digit);
        if is_number && !followed_by_word && !in_date_or_time {
            found.push(i..last_digit);
        }
        i = last_digit.max(i + 1);
    }
    found
}
