//! The "tantivy stock French chain" peer of the benchmark report: what
//! someone assembling tantivy's own parts for French would index with,
//! `SimpleTokenizer` → `LowerCaser` → `AsciiFoldingFilter` → French Snowball
//! stemmer.
//!
//! tantivy's own `Stemmer` filter sits behind its `stemmer` feature. Asking
//! for that feature here would change tantivy's features whenever this crate
//! is built with logis (Cargo unifies them), so tantivy and logis would be
//! compiled twice, once for `cargo run` and once for the reports. The stemmer
//! is therefore [`FrenchStemmer`], a filter over `rust_stemmers` (logis's own
//! stemmer crate, same features). tantivy 0.27's filter runs `frostem`, a
//! later port of the same Snowball algorithm: a few stems may differ.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::schema::{IndexRecordOption, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the chain is registered under in an index's tokenizers.
pub const TOKENIZER: &str = "fr_stock";

/// The analyzer: simple tokenizer, lower case, ASCII folding, French stems.
/// Folding comes before stemming, so the Snowball stemmer, written for
/// accented French, sees unaccented words: the plain assembly, not a tuned
/// one.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(FrenchStemmer)
        .build()
}

/// The options of the text field: indexed with [`TOKENIZER`], frequencies
/// and positions (as `TEXT`), stored.
pub fn text_options() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored()
}

/// A token filter replacing each token by its French Snowball stem.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrenchStemmer;

impl TokenFilter for FrenchStemmer {
    type Tokenizer<T: Tokenizer> = FrenchStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchStemmerTokenizer<T> {
        FrenchStemmerTokenizer { inner: tokenizer }
    }
}

/// A tokenizer followed by [`FrenchStemmer`].
#[derive(Clone)]
pub struct FrenchStemmerTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for FrenchStemmerTokenizer<T> {
    type TokenStream<'a> = FrenchStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FrenchStemmerStream {
            inner: self.inner.token_stream(text),
            // A function pointer: nothing to cache.
            stemmer: Stemmer::create(Algorithm::French),
        }
    }
}

/// The tokens of a stream, stemmed.
pub struct FrenchStemmerStream<S> {
    inner: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for FrenchStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let stem = match self.stemmer.stem(&token.text) {
            Cow::Owned(stem) => Some(stem),
            Cow::Borrowed(stem) if stem != token.text => Some(stem.to_string()),
            Cow::Borrowed(_) => None,
        };
        if let Some(stem) = stem {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn folds_then_stems() {
        assert_eq!(tokens("Logements"), tokens("logement"));
        assert_eq!(tokens("réhabilitations"), tokens("rehabilitation"));
        assert_eq!(tokens("Cœur de Ville"), ["coeur", "de", "vill"]);
    }
}
