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
    out: &mut Vec<Token>,
) {
    out.clear();
    for (position, word) in words.iter().enumerate() {
        let text = match form {
            TermForm::Stemmed => cache.stem(&analyzer.stemmer, word),
            TermForm::Exact => word.folded.clone(),
        };
        let token = |text| Token {
            offset_from: word.from - base,
            offset_to: word.to - base,
            position,
            text,
            position_length: 1,
        };
        out.push(token(text));
        if let Some(acronym) = word.acronym_term() {
            out.push(token(acronym));
        }
    }
}

/// Tokens computed ahead of indexing, waiting for the index writer's
/// tokenizer. Keyed by the text's hash and length and the term form;
/// identical texts have identical tokens, so a collision of equal texts is
/// harmless.
#[derive(Default)]
pub(crate) struct TokenCache {
    entries: Mutex<FxHashMap<TextKey, Vec<Vec<Token>>>>,
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
    pub(crate) fn put(&self, text: &str, form: TermForm, tokens: Vec<Token>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries
                .entry(TokenCache::key(text, form))
                .or_default()
                .push(tokens);
        }
    }

    /// Takes the tokens left for `text` in `form`, if any.
    fn take(&self, text: &str, form: TermForm) -> Option<Vec<Token>> {
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
        if let Some(tokens) = self.ready.as_ref().and_then(|r| r.take(text, self.form)) {
            self.tokens = tokens;
        } else {
            self.analyzer.words_into(text, &mut self.words);
            field_tokens(
                &self.analyzer,
                &self.words,
                0,
                self.form,
                &mut self.stems,
                &mut self.tokens,
            );
        }
        VecTokenStream {
            tokens: &mut self.tokens,
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

/// Facet keys: the whole value folded into a single term (see
/// [`facet_key`]).
#[derive(Clone, Default)]
struct FacetKeyTokenizer {
    token: Token,
}

impl Tokenizer for FacetKeyTokenizer {
    type TokenStream<'a> = SingleTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SingleTokenStream<'a> {
        self.token.reset();
        self.token.text = facet_key(text);
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
    fn ready_tokens_are_taken_once_then_text_is_analysed() {
        let ready = Arc::new(TokenCache::default());
        let mut tokenizer =
            FrenchTokenizer::with_ready_tokens(Analyzer::default(), TermForm::Exact, ready.clone());
        let given = vec![Token {
            text: "given".into(),
            ..Token::default()
        }];
        ready.put("des logements", TermForm::Exact, given);
        ready.put("des logements", TermForm::Stemmed, Vec::new());
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
                let mut tokens = Vec::new();
                field_tokens(&analyzer, &words, 0, form, &mut cache, &mut tokens);
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
