//! Index tokens for phrases. A phrase query reads the positions of each of
//! its words in every passage holding them all; when one word is as
//! frequent as `de`, that is most of the positions of the index. A **known
//! phrase** (an alias of two words or more in the gazetteers: `Action Cœur
//! de Ville`, `prêt social location-accession`, `Caisse des Dépôts`) gets a
//! token of its stems joined by spaces (`action coeur de vill`), in a field
//! of its own, at its first word's position, wherever its stems follow each
//! other, whatever the case: exactly the passages a phrase query of its
//! words matches, in one short posting list.
//!
//! Pairs of a frequent word and its neighbour (Lucene's
//! `CommonGramsFilter`) were measured and left out: with the eleven most
//! frequent French words they made the index 17% larger (11.4 MB of
//! tokens for 48.6 MB of text at 100,000 passages), for phrases no
//! gazetteer names.
//!
//! The stems are those of the `text` field (see `analysis::tokenizer`), so
//! a query finds the tokens by analysing its words as the text's are.

use rustc_hash::{FxHashMap, FxHashSet};

use super::lexicon::{Lexicon, TypeId};
use super::tokenizer::PackedText;
use super::Analyzer;

/// Longest known phrase, in words.
const MAX_WORDS: usize = 31;

/// The known phrases, by their stems.
#[derive(Debug, Clone, Default)]
pub struct PhraseVocabulary {
    /// Stems joined by single spaces.
    phrases: FxHashSet<String>,
    /// By first stem, the lengths (bit n: n words) of the phrases.
    lengths: FxHashMap<String, u32>,
}

impl PhraseVocabulary {
    /// The vocabulary of `aliases` (names as written in the gazetteers);
    /// those of one word are left out: a word is its own token.
    pub fn new<'a>(analyzer: &Analyzer, aliases: impl IntoIterator<Item = &'a str>) -> Self {
        let mut vocabulary = PhraseVocabulary::default();
        for alias in aliases {
            let words = analyzer.words(alias);
            if words.len() < 2 || words.len() > MAX_WORDS {
                continue;
            }
            let stems: Vec<String> = words.iter().map(|w| analyzer.stem(w)).collect();
            *vocabulary.lengths.entry(stems[0].clone()).or_default() |= 1 << words.len();
            vocabulary.phrases.insert(stems.join(" "));
        }
        vocabulary
    }

    /// The lengths of the known phrases starting with `stem` (bit n: n
    /// words).
    pub fn lengths_from(&self, stem: &str) -> u32 {
        self.lengths.get(stem).copied().unwrap_or(0)
    }

    /// Whether `stems` (joined by spaces) is a known phrase.
    pub fn is_known(&self, stems: &str) -> bool {
        self.phrases.contains(stems)
    }

    /// The known phrases, sorted (what an index records of them).
    pub fn phrases(&self) -> Vec<&str> {
        let mut phrases: Vec<&str> = self.phrases.iter().map(String::as_str).collect();
        phrases.sort_unstable();
        phrases
    }
}

/// Writes the phrase tokens of words of types `ids` (positions from 0)
/// into `out`: at each position, the known phrases starting there.
pub(crate) fn phrase_tokens(lexicon: &Lexicon, ids: &[TypeId], out: &mut PackedText) {
    out.clear();
    let mut buffer = String::new();
    for (i, &id) in ids.iter().enumerate() {
        let position = u32::try_from(i).unwrap_or(u32::MAX);
        let lengths = lexicon.phrase_lengths(id);
        if lengths != 0 {
            for len in 2..=MAX_WORDS.min(ids.len() - i) {
                if lengths & (1 << len) == 0 {
                    continue;
                }
                join_stems(lexicon, &ids[i..i + len], &mut buffer);
                if lexicon.phrases().is_known(&buffer) {
                    out.push(&buffer, position);
                }
            }
        }
    }
}

/// The stems of `ids` joined by spaces, into `out`.
fn join_stems(lexicon: &Lexicon, ids: &[TypeId], out: &mut String) {
    out.clear();
    for (n, &id) in ids.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(lexicon.stem(id));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn tokens(vocabulary: PhraseVocabulary, text: &str) -> Vec<(String, u32)> {
        let analyzer = Analyzer::default();
        let mut lexicon = Lexicon::new(Arc::new(vocabulary));
        let mut ids = Vec::new();
        lexicon.ids(&analyzer, &analyzer.words(text), &mut ids);
        let mut packed = PackedText::default();
        phrase_tokens(&lexicon, &ids, &mut packed);
        PackedText::unpack(packed.as_str())
            .map(|(t, p)| (t.to_string(), p))
            .collect()
    }

    #[test]
    fn known_phrases_wherever_their_stems_follow_each_other() {
        let analyzer = Analyzer::default();
        let vocabulary = PhraseVocabulary::new(
            &analyzer,
            ["Action Cœur de Ville", "Cœur de Ville", "PSLA", "ANRU"],
        );
        let found = tokens(
            vocabulary,
            "Le programme action coeur de villes aide Creil.",
        );
        assert_eq!(
            found,
            [
                ("action coeur de vill".to_string(), 2),
                ("coeur de vill".to_string(), 3)
            ],
            "plural and case do not matter; one-word aliases give nothing"
        );
        assert!(tokens(PhraseVocabulary::default(), "Logement social de la ville").is_empty());
    }
}
