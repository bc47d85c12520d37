//! The analysis as tantivy tokenizers, used for indexing and for queries:
//!
//! - [`STEMMED`] emits the folded stem of every word (`logements` → `log`),
//! - [`EXACT`] emits the folded, unstemmed form (`logements`),
//!
//! and both also emit, at the same position, the acronym term of a word in
//! capitals (`PLUS` besides `plus`). [`FACET_KEY`] makes a whole facet value
//! one folded term.
//!
//! Indexing analyses each article once (for its facets too) and leaves the
//! tokens of each passage in a [`TokenCache`]: the index writer's
//! tokenizers take them instead of analysing the text again.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::fold::facet_key;
use super::stem::StemCache;
use super::{Analyzer, Word};

/// Name of the stemmed French tokenizer in tantivy's tokenizer manager.
pub const STEMMED: &str = "logis_fr_stem";
/// Name of the folded, unstemmed French tokenizer.
pub const EXACT: &str = "logis_fr_exact";
/// Name of the tokenizer for facet keys: the whole value, folded, as one term.
pub const FACET_KEY: &str = "logis_facet_key";

/// Which term a tokenizer emits for each word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TermForm {
    /// The folded Snowball stem (`logements` → `log`).
    Stemmed,
    /// The folded form, unstemmed (`logements`).
    Exact,
}

/// The tokens a field indexes for `words`: one term per word in `form`,
/// plus the acronym term at the same position; offsets are made relative
/// to `base` (the start of the field's text in the analysed text).
pub(crate) fn field_tokens(
    analyzer: &Analyzer,
    words: &[Word],
    base: usize,
    form: TermForm,
    cache: &mut StemCache,
    out: &mut PackedTokens,
) {
    out.clear();
    for (position, word) in words.iter().enumerate() {
        let (from, to) = (word.from - base, word.to - base);
        let text = match form {
            TermForm::Stemmed => cache.stem(&analyzer.stemmer, word),
            TermForm::Exact => &word.folded,
        };
        out.push(text, from, to, position);
        if let Some(acronym) = word.acronym_term() {
            out.push(&acronym, from, to, position);
        }
    }
}

/// A text's tokens for one field, packed: the terms end to end in one
/// string, and for each token where its term ends there, its offsets and
/// its position. Indexing hands millions of tokens from the workers to the
/// writer: packed, they cost two allocations per passage instead of one per
/// token, and the writer's tokenizer unpacks them into strings it reuses.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PackedTokens {
    terms: String,
    tokens: Vec<PackedToken>,
}

/// A token of [`PackedTokens`]; offsets are those of a passage or a query,
/// well under 4 GiB.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PackedToken {
    term_end: u32,
    from: u32,
    to: u32,
    position: u32,
}

impl PackedTokens {
    fn clear(&mut self) {
        self.terms.clear();
        self.tokens.clear();
    }

    fn push(&mut self, term: &str, from: usize, to: usize, position: usize) {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.terms.push_str(term);
        self.tokens.push(PackedToken {
            term_end: narrow(self.terms.len()),
            from: narrow(from),
            to: narrow(to),
            position: narrow(position),
        });
    }

    /// Number of tokens.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The tokens as tantivy's, written over the first ones of `out` (whose
    /// strings are reused) and appended past them; returns how many.
    fn unpack_into(&self, out: &mut Vec<Token>) -> usize {
        let mut start = 0;
        for (i, packed) in self.tokens.iter().enumerate() {
            let end = packed.term_end as usize;
            let term = self.terms.get(start..end).unwrap_or_default();
            start = end;
            if i == out.len() {
                out.push(Token::default());
            }
            let token = &mut out[i];
            token.text.clear();
            token.text.push_str(term);
            token.offset_from = packed.from as usize;
            token.offset_to = packed.to as usize;
            token.position = packed.position as usize;
            token.position_length = 1;
        }
        self.tokens.len()
    }
}

/// Tokens computed ahead of indexing, waiting for the index writer's
/// tokenizer. Keyed by the text's hash and length and the term form;
/// identical texts have identical tokens, so a collision of equal texts is
/// harmless.
#[derive(Default)]
pub(crate) struct TokenCache {
    entries: Mutex<FxHashMap<TextKey, Vec<PackedTokens>>>,
}

/// A text's hash and length, and a term form.
type TextKey = (u64, usize, TermForm);

impl TokenCache {
    fn key(text: &str, form: TermForm) -> TextKey {
        let mut hasher = rustc_hash::FxHasher::default();
        text.hash(&mut hasher);
        (hasher.finish(), text.len(), form)
    }

    /// Leaves the tokens of `text` in `form`.
    pub(crate) fn put(&self, text: &str, form: TermForm, tokens: PackedTokens) {
        if let Ok(mut entries) = self.entries.lock() {
            entries
                .entry(TokenCache::key(text, form))
                .or_default()
                .push(tokens);
        }
    }

    /// Takes the tokens left for `text` in `form`, if any.
    fn take(&self, text: &str, form: TermForm) -> Option<PackedTokens> {
        let mut entries = self.entries.lock().ok()?;
        let key = TokenCache::key(text, form);
        let waiting = entries.get_mut(&key)?;
        let tokens = waiting.pop();
        if waiting.is_empty() {
            entries.remove(&key);
        }
        tokens
    }

    /// Number of texts waiting.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .lock()
            .map_or(0, |e| e.values().map(Vec::len).sum())
    }
}

/// The French analyzer as a tantivy [`Tokenizer`].
#[derive(Clone)]
pub(crate) struct FrenchTokenizer {
    analyzer: Analyzer,
    form: TermForm,
    words: Vec<Word>,
    packed: PackedTokens,
    /// The tokens handed to tantivy: the first ones are the text's, the
    /// others' strings wait to be reused.
    tokens: Vec<Token>,
    stems: StemCache,
    /// Tokens computed ahead, taken instead of analysing (index writers).
    ready: Option<Arc<TokenCache>>,
}

impl FrenchTokenizer {
    /// A tokenizer emitting `form` terms, plus acronym terms.
    pub(crate) fn new(analyzer: Analyzer, form: TermForm) -> Self {
        FrenchTokenizer {
            analyzer,
            form,
            words: Vec::new(),
            packed: PackedTokens::default(),
            tokens: Vec::new(),
            stems: StemCache::default(),
            ready: None,
        }
    }

    /// The same, taking the tokens left in `ready` when there are some.
    fn with_ready_tokens(analyzer: Analyzer, form: TermForm, ready: Arc<TokenCache>) -> Self {
        FrenchTokenizer {
            ready: Some(ready),
            ..FrenchTokenizer::new(analyzer, form)
        }
    }
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        let count = match self.ready.as_ref().and_then(|r| r.take(text, self.form)) {
            Some(ready) => ready.unpack_into(&mut self.tokens),
            None => {
                self.analyzer.words_into(text, &mut self.words);
                field_tokens(
                    &self.analyzer,
                    &self.words,
                    0,
                    self.form,
                    &mut self.stems,
                    &mut self.packed,
                );
                self.packed.unpack_into(&mut self.tokens)
            }
        };
        VecTokenStream {
            tokens: &mut self.tokens[..count],
            next: 0,
        }
    }
}

/// Token stream over tokens computed up front.
pub(crate) struct VecTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Most keys a [`FacetKeyTokenizer`] remembers before starting afresh.
const FACET_KEY_CACHE_MAX: usize = 50_000;

/// Facet keys: the whole value folded into a single term (see
/// [`facet_key`]). The same few thousand values come back on every
/// passage (an article's values are on each of its passages): each is
/// folded once.
#[derive(Clone, Default)]
struct FacetKeyTokenizer {
    token: Token,
    keys: FxHashMap<String, String>,
}

impl Tokenizer for FacetKeyTokenizer {
    type TokenStream<'a> = SingleTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SingleTokenStream<'a> {
        self.token.reset();
        match self.keys.get(text) {
            Some(key) => self.token.text.push_str(key),
            None => {
                let key = facet_key(text);
                self.token.text.push_str(&key);
                if self.keys.len() >= FACET_KEY_CACHE_MAX {
                    self.keys.clear();
                }
                self.keys.insert(text.to_string(), key);
            }
        }
        self.token.offset_to = text.len();
        self.token.position = 0;
        SingleTokenStream {
            token: &mut self.token,
            done: false,
        }
    }
}

/// Token stream of exactly one token.
struct SingleTokenStream<'a> {
    token: &'a mut Token,
    done: bool,
}

impl TokenStream for SingleTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let first = !self.done;
        self.done = true;
        first && !self.token.text.is_empty()
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Registers the logis tokenizers ([`STEMMED`], [`EXACT`], [`FACET_KEY`]);
/// must be called on every index opened.
pub fn register(manager: &TokenizerManager, analyzer: &Analyzer) {
    manager.register(
        STEMMED,
        TextAnalyzer::from(FrenchTokenizer::new(analyzer.clone(), TermForm::Stemmed)),
    );
    manager.register(
        EXACT,
        TextAnalyzer::from(FrenchTokenizer::new(analyzer.clone(), TermForm::Exact)),
    );
    manager.register(FACET_KEY, TextAnalyzer::from(FacetKeyTokenizer::default()));
}

/// Registers the logis tokenizers, the text ones taking tokens computed
/// ahead from `ready` (see [`TokenCache`]).
pub(crate) fn register_with_ready_tokens(
    manager: &TokenizerManager,
    analyzer: &Analyzer,
    ready: &Arc<TokenCache>,
) {
    register(manager, analyzer);
    for (name, form) in [(STEMMED, TermForm::Stemmed), (EXACT, TermForm::Exact)] {
        manager.register(
            name,
            TextAnalyzer::from(FrenchTokenizer::with_ready_tokens(
                analyzer.clone(),
                form,
                ready.clone(),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tokens(form: TermForm, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = FrenchTokenizer::new(Analyzer::default(), form);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn exact_field_keeps_unstemmed_form() {
        assert_eq!(
            tokens(TermForm::Exact, "logements"),
            [("logements".to_string(), 0, 0, 9)]
        );
        assert_eq!(
            tokens(TermForm::Stemmed, "logements"),
            [("log".to_string(), 0, 0, 9)]
        );
    }

    #[test]
    fn acronyms_get_a_term_of_their_own_at_the_same_position() {
        let t = tokens(TermForm::Stemmed, "11 PLUS et plus");
        let terms: Vec<(&str, usize)> = t.iter().map(|(s, p, ..)| (s.as_str(), *p)).collect();
        assert_eq!(
            terms,
            [("11", 0), ("plus", 1), ("PLUS", 1), ("et", 2), ("plus", 3)]
        );
        // The acronym term is never stemmed.
        let t = tokens(TermForm::Stemmed, "PLAI NPNRU ANRU");
        let acronyms: Vec<&str> = t
            .iter()
            .map(|(s, ..)| s.as_str())
            .filter(|s| s.chars().any(char::is_uppercase))
            .collect();
        assert_eq!(acronyms, ["PLAI", "NPNRU", "ANRU"]);
        // Capitalised headings are folded too, and still match lower case.
        let t = tokens(TermForm::Stemmed, "COMPIÈGNE");
        assert_eq!(t[0].0, tokens(TermForm::Stemmed, "Compiègne")[0].0);
        assert_eq!(t[1].0, "COMPIEGNE");
    }

    #[test]
    fn facet_keys_are_folded_values_whether_seen_before_or_not() {
        let mut tokenizer = FacetKeyTokenizer::default();
        let mut key = |value: &str| {
            let mut stream = tokenizer.token_stream(value);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        for _ in 0..2 {
            assert_eq!(key("Saint-Quentin"), ["saint quentin"]);
            assert_eq!(key("Hauts-de-France"), ["hauts de france"]);
            assert_eq!(key(" - "), Vec::<String>::new());
        }
    }

    #[test]
    fn unpacking_over_used_tokens_gives_the_packed_ones() {
        let mut packed = PackedTokens::default();
        packed.push("logements", 4, 13, 1);
        packed.push("PLUS", 14, 18, 2);
        packed.push("", 19, 19, 3);
        // A pool left by a longer text, with longer strings.
        let mut pool = vec![
            Token {
                text: "réhabilitations".into(),
                position_length: 7,
                ..Token::default()
            };
            5
        ];
        assert_eq!(packed.unpack_into(&mut pool), 3);
        let got: Vec<_> = pool[..3]
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.offset_from,
                    t.offset_to,
                    t.position,
                    t.position_length,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("logements", 4, 13, 1, 1),
                ("PLUS", 14, 18, 2, 1),
                ("", 19, 19, 3, 1)
            ]
        );
        let mut empty = Vec::new();
        assert_eq!(PackedTokens::default().unpack_into(&mut empty), 0);
    }

    #[test]
    fn ready_tokens_are_taken_once_then_text_is_analysed() {
        let ready = Arc::new(TokenCache::default());
        let mut tokenizer =
            FrenchTokenizer::with_ready_tokens(Analyzer::default(), TermForm::Exact, ready.clone());
        let mut given = PackedTokens::default();
        given.push("given", 0, 3, 0);
        ready.put("des logements", TermForm::Exact, given);
        ready.put("des logements", TermForm::Stemmed, PackedTokens::default());
        let texts = |t: &mut FrenchTokenizer| -> Vec<String> {
            let mut stream = t.token_stream("des logements");
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(texts(&mut tokenizer), ["given"]);
        assert_eq!(texts(&mut tokenizer), ["des", "logements"]);
        assert_eq!(ready.len(), 1, "the other form is still waiting");
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        #[test]
        fn tokens_keep_the_words_offsets(text in prop_oneof![
            "[a-zA-Zàâçéèêëîïôûùüÿœæ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n\t-]{0,300}",
            any::<String>(),
        ]) {
            let analyzer = Analyzer::default();
            let words = analyzer.words(&text);
            let mut cache = StemCache::default();
            for form in [TermForm::Stemmed, TermForm::Exact] {
                let mut packed = PackedTokens::default();
                field_tokens(&analyzer, &words, 0, form, &mut cache, &mut packed);
                let mut tokens = Vec::new();
                let count = packed.unpack_into(&mut tokens);
                prop_assert_eq!(count, packed.len());
                prop_assert!(tokens.len() >= words.len());
                let mut position = 0;
                for token in &tokens {
                    prop_assert!(token.position >= position);
                    position = token.position;
                    prop_assert!(token.offset_to <= text.len());
                    prop_assert!(text.is_char_boundary(token.offset_from));
                    prop_assert!(text.is_char_boundary(token.offset_to));
                    prop_assert!(!token.text.is_empty());
                }
            }
        }
    }
}
