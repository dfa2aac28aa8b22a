//! A text's Markdown split into words for the translator and codes they
//! must keep: everything between the text runs (link brackets and
//! addresses, emphasis marks, list markers, paragraph breaks) is a code,
//! written to XLIFF as `<ph>` with the Markdown inside. Joining the pieces
//! gives the Markdown back byte for byte.

use pulldown_cmark::{Event, Parser};

use crate::content::prose::markdown_options;

/// A run of a text: words, or a code with the Markdown it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words to translate, as written (escapes included).
    Text(String),
    /// Markdown to keep; `id` is its number in the source text, from 1.
    Code { id: usize, native: String },
}

/// Splits Markdown into text and codes, numbering the codes from 1.
pub fn split(md: &str) -> Vec<Piece> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(md, markdown_options()).into_offset_iter() {
        if !matches!(event, Event::Text(_) | Event::SoftBreak) || range.is_empty() {
            continue;
        }
        match runs.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => runs.push(range),
        }
    }
    let mut pieces = Vec::new();
    let mut cursor = 0;
    let code = |native: &str, pieces: &mut Vec<Piece>| {
        if !native.is_empty() {
            let id = pieces
                .iter()
                .filter(|p| matches!(p, Piece::Code { .. }))
                .count()
                + 1;
            pieces.push(Piece::Code {
                id,
                native: native.to_string(),
            });
        }
    };
    for run in runs {
        code(&md[cursor..run.start], &mut pieces);
        pieces.push(Piece::Text(md[run.clone()].to_string()));
        cursor = run.end;
    }
    code(&md[cursor..], &mut pieces);
    pieces
}

/// Plain text as one piece (texts that are not Markdown).
pub fn plain(text: &str) -> Vec<Piece> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Piece::Text(text.to_string())]
    }
}

/// The text the pieces stand for.
pub fn join(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.as_str(),
            Piece::Code { native, .. } => native.as_str(),
        })
        .collect()
}

/// The codes of a text, in order.
pub fn codes(pieces: &[Piece]) -> impl Iterator<Item = (usize, &str)> {
    pieces.iter().filter_map(|p| match p {
        Piece::Code { id, native } => Some((*id, native.as_str())),
        Piece::Text(_) => None,
    })
}

/// A translation's pieces with its codes numbered after the source's: a
/// code takes the id of a source code with the same Markdown (a link to the
/// same address), the others the remaining ids in order. `None` when the
/// two have a different number of codes (the translation's markup no longer
/// lines up with the source's).
pub fn align(source: &[Piece], target: &[Piece]) -> Option<Vec<Piece>> {
    let source: Vec<(usize, &str)> = codes(source).collect();
    let target_codes: Vec<&str> = codes(target).map(|(_, native)| native).collect();
    if target_codes.len() != source.len() {
        return None;
    }
    let mut taken = vec![false; source.len()];
    let mut ids: Vec<Option<usize>> = target_codes
        .iter()
        .map(|native| {
            let i = (0..source.len()).find(|&i| !taken[i] && source[i].1 == *native)?;
            taken[i] = true;
            Some(source[i].0)
        })
        .collect();
    let mut free = (0..source.len())
        .filter(|&i| !taken[i])
        .map(|i| source[i].0);
    for id in ids.iter_mut().filter(|id| id.is_none()) {
        *id = free.next();
    }
    let mut ids = ids.into_iter().map(|id| id.expect("as many ids as codes"));
    Some(
        target
            .iter()
            .map(|p| match p {
                Piece::Code { native, .. } => Piece::Code {
                    id: ids.next().expect("counted above"),
                    native: native.clone(),
                },
                text => text.clone(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Code { id, native } => format!("<{id}:{native}>"),
            })
            .collect()
    }

    #[test]
    fn links_emphasis_and_blocks_become_codes() {
        let md = "Soita **[Päivystysapu 116 117](tel:116117)** heti.\n\n1. Kirjaudu *Lunnaan*.\n2. Valitse oire.";
        let pieces = split(md);
        assert_eq!(
            shown(&pieces),
            "Soita <1:**[>Päivystysapu 116 117<2:](tel:116117)**> heti.<3:\n\n1. >Kirjaudu <4:*>Lunnaan<5:*>.<6:\n2. >Valitse oire."
        );
        assert_eq!(join(&pieces), md);
    }

    #[test]
    fn soft_line_breaks_stay_in_the_text() {
        let md = "Ensimmäinen rivi\njatkuu tässä.";
        assert_eq!(split(md), vec![Piece::Text(md.into())]);
    }

    #[test]
    fn joining_gives_back_every_byte() {
        for md in [
            "",
            "Teksti",
            "> lainaus\n\n- a\n- b [x](path:y)\n\n| a | b |\n| - | - |\n| c | d |",
            "Tähti \\* ja &amp; ja `koodi` ja <https://example.org/>",
            "![Kuva](https://example.org/a.png) ja loppu  \nrivinvaihto",
        ] {
            assert_eq!(join(&split(md)), md, "{md:?}");
        }
    }

    #[test]
    fn translations_take_the_ids_of_the_same_source_codes() {
        let source = split("Soita [numeroon](tel:116117) *heti*.");
        let target = split("Ring *genast* [numret](tel:116117).");
        let aligned = align(&source, &target).unwrap();
        let ids: Vec<usize> = codes(&aligned).map(|(id, _)| id).collect();
        // `*`, `*`, `[`, `](tel:116117)`: the same Markdown keeps its id.
        assert_eq!(ids, [3, 4, 1, 2]);
        let reordered = split("Ring [numret](tel:116117) nu.");
        let partly = align(
            &split("Soita [x](tel:1) [y](tel:2)."),
            &split("Ring [a](tel:9) [b](tel:2)."),
        )
        .unwrap();
        assert_eq!(
            codes(&partly).map(|(id, _)| id).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert!(align(&source, &reordered).is_none());
        assert!(align(&source, &split("Ring genast.")).is_none());
    }
}
