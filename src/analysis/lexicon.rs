//! The word types of an indexing run: each distinct folded word is looked
//! up once per occurrence and analysed once per run (its stem, whether the
//! stem differs from it, whether a known phrase starts with it), and its occurrences are then handled by an
//! integer id. One lexicon per indexing worker; it starts afresh past
//! [`LEXICON_MAX`] types, so its memory does not grow with the corpus.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::phrases::PhraseVocabulary;
use super::{words_with, Analyzer, Pieces, Word};

/// Most word types a [`Lexicon`] remembers before starting afresh.
const LEXICON_MAX: usize = 100_000;

/// A word type's id in its lexicon, valid until the lexicon starts afresh
/// (see [`Lexicon::make_room`]).
pub(crate) type TypeId = u32;

/// What a lexicon knows of a word type.
#[derive(Debug, Clone)]
struct WordType {
    folded: Box<str>,
    stem: Box<str>,
    /// The stem differs from the folded form (which is then indexed too).
    stem_differs: bool,
    /// The lengths (bit n: n words) of the known phrases starting with its
    /// stem.
    phrase_lengths: u32,
}

/// What a written form makes: where its word starts (after an elided
/// article), its type and whether it is in capitals; `None` when it makes
/// no word.
type Written = Option<(u8, TypeId, bool)>;

/// The word types met so far, by folded form, and the written forms, by
/// their text.
#[derive(Clone, Default)]
pub(crate) struct Lexicon {
    by_folded: FxHashMap<Box<str>, TypeId>,
    types: Vec<WordType>,
    by_written: FxHashMap<Box<str>, Written>,
    phrases: Arc<PhraseVocabulary>,
}

impl Lexicon {
    /// An empty lexicon knowing the phrases of `phrases`.
    pub(crate) fn new(phrases: Arc<PhraseVocabulary>) -> Lexicon {
        Lexicon {
            phrases,
            ..Lexicon::default()
        }
    }

    /// The known phrases.
    pub(crate) fn phrases(&self) -> &PhraseVocabulary {
        &self.phrases
    }

    /// Starts afresh if fewer than `words` new types would fit: ids from
    /// one call to the next are valid together. Indexing calls it once
    /// per article.
    pub(crate) fn make_room(&mut self, words: usize) {
        if self.types.len() + words > LEXICON_MAX || self.by_written.len() > 2 * LEXICON_MAX {
            self.by_folded.clear();
            self.types.clear();
            self.by_written.clear();
        }
    }

    /// The ids of `words`, into `out`; see [`Lexicon::make_room`].
    #[cfg(test)]
    pub(crate) fn ids(&mut self, analyzer: &Analyzer, words: &[Word], out: &mut Vec<TypeId>) {
        out.clear();
        out.extend(words.iter().map(|word| self.id(analyzer, word)));
    }

    /// The words of `text` into `words` (as [`Analyzer::words_into`] makes
    /// them) and their ids into `ids`, each written form analysed once;
    /// see [`Lexicon::make_room`].
    pub(crate) fn words(
        &mut self,
        analyzer: &Analyzer,
        text: &str,
        words: &mut Vec<Word>,
        ids: &mut Vec<TypeId>,
    ) {
        ids.clear();
        let count = words_with(
            text,
            words,
            &mut Recall {
                lexicon: self,
                analyzer,
                ids,
            },
        );
        ids.truncate(count);
    }

    fn id(&mut self, analyzer: &Analyzer, word: &Word) -> TypeId {
        if let Some(&id) = self.by_folded.get(word.folded.as_str()) {
            return id;
        }
        let stem = analyzer.stem(word);
        let id = self.types.len() as TypeId;
        self.types.push(WordType {
            folded: word.folded.as_str().into(),
            stem_differs: stem != word.folded,
            phrase_lengths: self.phrases.lengths_from(&stem),
            stem: stem.into_boxed_str(),
        });
        self.by_folded.insert(word.folded.as_str().into(), id);
        id
    }

    /// The stem of type `id`.
    pub(crate) fn stem(&self, id: TypeId) -> &str {
        &self.types[id as usize].stem
    }

    /// Whether the stem of type `id` differs from its folded form.
    pub(crate) fn stem_differs(&self, id: TypeId) -> bool {
        self.types[id as usize].stem_differs
    }

    /// The lengths of the known phrases starting with type `id`.
    pub(crate) fn phrase_lengths(&self, id: TypeId) -> u32 {
        self.types[id as usize].phrase_lengths
    }
}

/// Pieces made into words from the lexicon's written forms.
struct Recall<'a> {
    lexicon: &'a mut Lexicon,
    analyzer: &'a Analyzer,
    ids: &'a mut Vec<TypeId>,
}

impl Recall<'_> {
    fn set_id(&mut self, index: usize, id: TypeId) {
        if index < self.ids.len() {
            self.ids[index] = id;
        } else {
            self.ids.resize(index, 0);
            self.ids.push(id);
        }
    }
}

impl Pieces for Recall<'_> {
    fn word(&mut self, index: usize, text: &str, from: usize, to: usize, into: &mut Word) -> bool {
        let written = &text[from..to];
        let known = match self.lexicon.by_written.get(written) {
            Some(&known) => known,
            None => {
                let known = if super::word(text, from, to, into) {
                    let id = self.lexicon.id(self.analyzer, into);
                    u8::try_from(into.from - from)
                        .ok()
                        .map(|elided| (elided, id, into.acronym))
                } else {
                    None
                };
                self.lexicon.by_written.insert(written.into(), known);
                known
            }
        };
        let Some((elided, id, acronym)) = known else {
            return false;
        };
        into.set(
            from + usize::from(elided),
            to,
            &self.lexicon.types[id as usize].folded,
            acronym,
        );
        self.set_id(index, id);
        true
    }

    fn made(&mut self, index: usize, word: &Word) {
        let id = self.lexicon.id(self.analyzer, word);
        self.set_id(index, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::testing::proptest_config(300))]

        /// The twin of the lexicon's recall: the words of a text, and their
        /// types, are those of the plain analysis, for texts repeating
        /// their words in varied cases, elisions and numbers.
        #[test]
        fn recalled_words_are_the_plain_analysis(texts in proptest::collection::vec(prop_oneof![
            "[a-zA-Zàâçéèêëîïôûùüÿœ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n²€%-]{0,120}",
            any::<String>(),
        ], 1..4)) {
            let analyzer = Analyzer::default();
            let mut lexicon = Lexicon::default();
            for text in texts.iter().chain(texts.iter()) {
                let (mut words, mut ids) = (Vec::new(), Vec::new());
                lexicon.words(&analyzer, text, &mut words, &mut ids);
                prop_assert_eq!(&words, &analyzer.words(text));
                prop_assert_eq!(ids.len(), words.len());
                let mut plain = Vec::new();
                lexicon.ids(&analyzer, &words, &mut plain);
                prop_assert_eq!(ids, plain);
            }
        }
    }

    #[test]
    fn one_id_per_folded_word_with_its_stem() {
        let analyzer = Analyzer::default();
        let mut lexicon = Lexicon::default();
        let words = analyzer.words("Logements, logements et LOGEMENTS maison");
        let mut ids = Vec::new();
        lexicon.ids(&analyzer, &words, &mut ids);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[0], ids[3], "case is folded before the lookup");
        assert_eq!(lexicon.stem(ids[0]), "log");
        assert!(lexicon.stem_differs(ids[0]));
        assert!(!lexicon.stem_differs(ids[4]), "maison is its own stem");
    }

    #[test]
    fn starting_afresh_keeps_ids_valid_until_the_next_room_made() {
        let analyzer = Analyzer::default();
        let mut lexicon = Lexicon::default();
        let mut ids = Vec::new();
        for round in 0..3 {
            let text: String = (0..LEXICON_MAX / 2)
                .map(|n| format!("tour{round}x{n} "))
                .collect();
            let words = analyzer.words(&text);
            lexicon.make_room(words.len());
            lexicon.ids(&analyzer, &words, &mut ids);
            assert!(lexicon.types.len() <= LEXICON_MAX);
            for (word, &id) in words.iter().zip(&ids).step_by(997) {
                assert_eq!(lexicon.stem(id), analyzer.stem(word));
            }
        }
    }
}
