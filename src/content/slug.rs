//! URL slugs: ASCII-safe, lower case, stable.

use deunicode::deunicode_char;

/// Derives a slug from a title: Finnish and Swedish letters lose their dots
/// and rings (ä→a, ö→o, å→a), anything else is transliterated, and runs of
/// other characters become one hyphen.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars() {
        let ascii: String = if c.is_ascii() {
            c.to_string()
        } else {
            match c {
                'ä' | 'Ä' | 'å' | 'Å' => "a".into(),
                'ö' | 'Ö' => "o".into(),
                _ => deunicode_char(c).unwrap_or("-").to_string(),
            }
        };
        for a in ascii.chars() {
            if a.is_ascii_alphanumeric() {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(a.to_ascii_lowercase());
            } else {
                pending_hyphen = true;
            }
        }
    }
    out
}

/// The longest slug: a slug is a folder name in the built site, and file
/// systems allow at most 255 bytes per name.
pub const MAX_SLUG_BYTES: usize = 255;

/// A shorter slug to suggest for one that is too long: whole words up to
/// about 60 characters.
pub fn shorten(slug: &str) -> String {
    let mut out = String::new();
    for word in slug.split('-') {
        if !out.is_empty() && out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out.truncate(60);
    out.trim_end_matches('-').to_string()
}

/// Whether a given slug or id is already in slug form.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_and_swedish_letters_fold_to_ascii() {
        assert_eq!(
            slugify("Pohditko raskauden keskeyttämistä?"),
            "pohditko-raskauden-keskeyttamista"
        );
        assert_eq!(slugify("Överväger du abort?"), "overvager-du-abort");
        assert_eq!(
            slugify("Hjälp på svenska – Åland"),
            "hjalp-pa-svenska-aland"
        );
    }

    #[test]
    fn punctuation_and_spaces_collapse() {
        assert_eq!(
            slugify("  Mielenterveys- ja päihdepalvelut  "),
            "mielenterveys-ja-paihdepalvelut"
        );
        assert_eq!(slugify("S4: Nopeus!!"), "s4-nopeus");
        assert_eq!(slugify("Ünïcödé façade"), "unicode-facade");
    }

    #[test]
    fn slugs_are_stable_and_valid() {
        let title = "Alaselkäkipu – suoraan fysioterapeutille";
        assert_eq!(slugify(title), slugify(title));
        assert!(is_valid_slug(&slugify(title)));
    }

    #[test]
    fn validity() {
        assert!(is_valid_slug("a-b-1"));
        assert!(!is_valid_slug("A-b"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("ä"));
    }
}
