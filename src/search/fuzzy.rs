//! Typo tolerance: when a query finds little, each query word the index does
//! not know is replaced by the closest word it does know (edit distance 1 or
//! 2 by length), preferring the closer, then the more frequent. Acronyms and
//! numbers are never corrected.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::analysis::capitals::is_capitalised;
use crate::search::query::AnalysedQuery;

/// Words shorter than this are never corrected: too many neighbours.
const MIN_CHARS: usize = 4;

/// From this length on, two edits are allowed; below, one.
const TWO_EDITS_FROM: usize = 8;

/// Most terms looked at per word (a bound on work for very common shapes).
const MAX_CANDIDATES: usize = 10_000;

/// A word of the query and its correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Correction {
    /// The word as typed.
    pub typed: String,
    /// The indexed word (folded) to use instead.
    pub known: String,
}

/// The edits allowed for a word of `chars` characters; 0 for none.
pub(crate) fn allowed_edits(chars: usize) -> u8 {
    match chars {
        n if n < MIN_CHARS => 0,
        n if n < TWO_EDITS_FROM => 1,
        _ => 2,
    }
}

/// Corrections for the typed words of `query` absent from `fields` (the
/// folded forms of the text: the exact forms, and the stems that are their
/// own words), with the closest known word for each.
pub(crate) fn corrections(
    searcher: &Searcher,
    fields: &[Field],
    query: &AnalysedQuery,
) -> tantivy::Result<Vec<Correction>> {
    let mut out: Vec<Correction> = Vec::new();
    for item in query.groups.iter().flat_map(|g| g.typed()) {
        for word in &item.words {
            let typed = &item.raw[word.from..word.to];
            let edits = allowed_edits(word.folded.chars().count());
            if word.acronym || word.is_number() || edits == 0 {
                continue;
            }
            if out.iter().any(|c| c.typed == typed) {
                continue;
            }
            let mut known_already = false;
            for &field in fields {
                known_already |=
                    searcher.doc_freq(&Term::from_field_text(field, &word.folded))? > 0;
            }
            if known_already {
                continue;
            }
            if let Some(mut known) = closest(searcher, fields, &word.folded, edits)? {
                // Keep a capital the user typed: `Compiengne` → `Compiegne`.
                if is_capitalised(typed) {
                    let mut chars = known.chars();
                    known = chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                }
                out.push(Correction {
                    typed: typed.to_string(),
                    known,
                });
            }
        }
    }
    Ok(out)
}

/// The known word closest to `word` within `edits`: fewest edits, then
/// most passages, then alphabetical.
fn closest(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
    edits: u8,
) -> tantivy::Result<Option<String>> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for &field in fields {
        let query = FuzzyTermQuery::new(Term::from_field_text(field, word), edits, true);
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(query.automaton()?).into_stream()?;
            while stream.advance() && found.len() < MAX_CANDIDATES {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|(term, freq)| (distance(word, &term), std::cmp::Reverse(freq), term))
        .min()
        .map(|(_, _, term)| term))
}

/// Edit distance with transpositions (optimal string alignment), on chars.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// `text` with each corrected word replaced, where it stands alone (not
/// inside a longer word).
pub(crate) fn apply(text: &str, corrections: &[Correction]) -> String {
    let mut out = text.to_string();
    for correction in corrections {
        let mut from = 0;
        while let Some(at) = out[from..].find(&correction.typed).map(|i| i + from) {
            let end = at + correction.typed.len();
            let alone = !out[..at].ends_with(char::is_alphanumeric)
                && !out[end..].starts_with(char::is_alphanumeric);
            if alone {
                out.replace_range(at..end, &correction.known);
                break;
            }
            from = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("senlis", "senlis"), 0);
        assert_eq!(distance("senlsi", "senlis"), 1);
        assert_eq!(distance("bonneuil", "bonneuils"), 1);
        assert_eq!(distance("compiengne", "compiegne"), 1);
        assert_eq!(distance("abc", ""), 3);
    }

    #[test]
    fn short_words_are_not_corrected() {
        assert_eq!(allowed_edits(3), 0);
        assert_eq!(allowed_edits(5), 1);
        assert_eq!(allowed_edits(9), 2);
    }

    #[test]
    fn corrections_replace_whole_words_only() {
        let c = [Correction {
            typed: "Bonneuil".into(),
            known: "bonneuils".into(),
        }];
        assert_eq!(
            apply("Bonneuils Bonneuil-sur-Marne", &c),
            "Bonneuils bonneuils-sur-Marne"
        );
    }
}
