//! Highlights: the byte ranges of a passage that match the query, found
//! with the analysis the search used, so that what is marked is what
//! matched.

use crate::analysis::Analyzer;
use crate::search::query::AnalysedItem;

/// Byte ranges `[start, end)` of `text` that match the query items: every
/// occurrence of a searched word, every full occurrence of a phrase. For a
/// word typed in capitals (`PLUS`), only its occurrences in capitals when
/// the passage has any: the loan, not the everyday word.
pub(crate) fn highlights<'a>(
    analyzer: &Analyzer,
    text: &str,
    items: impl Iterator<Item = &'a AnalysedItem>,
) -> Vec<(usize, usize)> {
    let words = analyzer.words(text);
    let stems: Vec<String> = words.iter().map(|w| analyzer.stem(w)).collect();
    let mut ranges = Vec::new();
    for item in items {
        if let Some(acronym) = item.acronym() {
            let exact: Vec<(usize, usize)> = words
                .iter()
                .filter(|w| w.acronym_term().as_deref() == Some(acronym.as_str()))
                .map(|w| (w.from, w.to))
                .collect();
            if !exact.is_empty() {
                ranges.extend(exact);
                continue;
            }
        }
        if item.capitals_only {
            continue;
        }
        // Loose words are marked wherever they are, but for the small words
        // (`de`, `des`, `la`), which only count inside the whole phrase; a
        // phrase only whole.
        let mut sequences: Vec<&[String]> = vec![&item.stems[..]];
        if item.loose && item.stems.len() > 1 {
            sequences.extend(
                item.stems
                    .chunks(1)
                    .zip(&item.words)
                    .filter(|(_, word)| !is_small(word))
                    .map(|(stem, _)| stem),
            );
        }
        for sequence in sequences {
            let n = sequence.len();
            if n == 0 || n > stems.len() {
                continue;
            }
            for i in 0..=stems.len() - n {
                if stems[i..i + n] == *sequence {
                    ranges.push((words[i].from, words[i + n - 1].to));
                }
            }
        }
    }
    merge(ranges)
}

/// A small word: a few letters, not an acronym nor a number (`de`, `la`,
/// `aux`). Alone it says nothing of what was searched.
fn is_small(word: &crate::analysis::Word) -> bool {
    word.folded.chars().count() <= 3 && !word.acronym && !word.is_number()
}

/// Sorts ranges and merges those that overlap or touch.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::AnalysedQuery;
    use crate::search::syntax::parse;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        let q = AnalysedQuery::new(&analyzer, &parse(query));
        highlights(&analyzer, text, q.items())
            .into_iter()
            .map(|(s, e)| text[s..e].to_string())
            .collect()
    }

    #[test]
    fn highlights_cover_the_matched_words_as_written() {
        assert_eq!(
            marked(
                "SÉLESTAT Quai des Tilleuls : 4 PLS 12 PSLA",
                "PSLA Sélestat"
            ),
            ["SÉLESTAT", "PSLA"]
        );
        assert_eq!(
            marked("les logements étudiants", "logement etudiant"),
            ["logements", "étudiants"]
        );
        assert_eq!(marked("de l’entreprise", "l'entreprise"), ["entreprise"]);
        assert_eq!(marked("plus de 40 000 logements", "40000"), ["40 000"]);
    }

    #[test]
    fn phrases_highlight_only_whole_occurrences() {
        let text = "Le programme Action Cœur de Ville, une action de la ville.";
        assert_eq!(
            marked(text, "\"action coeur de ville\""),
            ["Action Cœur de Ville"]
        );
    }

    #[test]
    fn an_acronym_highlights_the_capitals_when_there_are_some() {
        assert_eq!(marked("11 PLUS, et plus encore", "PLUS"), ["PLUS"]);
        assert_eq!(marked("plus encore", "PLUS"), ["plus"]);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        #[test]
        fn highlights_cover_every_matched_word(
            text in "[a-zA-Zàâçéèêëîïôûùüÿœæ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n\t-]{0,300}",
            picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 1..4),
        ) {
            let analyzer = Analyzer::default();
            let words = analyzer.words(&text);
            proptest::prop_assume!(!words.is_empty());
            // Query words taken from the text, typed in lower case.
            let items: Vec<AnalysedItem> = picks
                .iter()
                .filter_map(|pick| AnalysedItem::new(&analyzer, &words[pick.index(words.len())].folded))
                .filter(|item| item.words.len() == 1)
                .collect();
            let ranges = highlights(&analyzer, &text, items.iter());
            for &(start, end) in &ranges {
                proptest::prop_assert!(start < end && end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            }
            for word in &words {
                let stem = analyzer.stem(word);
                if items.iter().any(|item| item.stems[0] == stem) {
                    proptest::prop_assert!(
                        ranges.iter().any(|&(s, e)| s <= word.from && word.to <= e),
                        "{:?} matched but not highlighted", &text[word.from..word.to]
                    );
                }
            }
            // Snippets keep their highlights on the excerpt's char boundaries.
            let shown = crate::search::snippet::snippet(&text, &ranges, 120);
            for &(start, end) in &shown.highlights {
                proptest::prop_assert!(start < end && end <= shown.text.len());
                proptest::prop_assert!(shown.text.is_char_boundary(start) && shown.text.is_char_boundary(end));
            }
        }
    }
}
