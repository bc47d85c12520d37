//! The analysis handed to tantivy. A text field of the index holds, for
//! each word, at the word's position:
//!
//! - its folded Snowball stem (`logements` → `log`), which every query
//!   word matches;
//! - its acronym term when it is written in capitals (`PLUS` besides
//!   `plus`, see [`super::capitals`]), at the same position;
//! - in a field of its own, without positions, its exact folded form when
//!   it differs from the stem (`logements`), which ranks the form typed
//!   higher. Lucene's `KeywordRepeatFilter` would put it in the stems'
//!   field, at the same position; measured at 100,000 passages, its
//!   positions cost 4.9 MB (a tenth of the index) that no query reads,
//!   since phrases match stems.
//!
//! Indexing analyses each article once (for its facets too) and writes the
//! tokens of a field into the field's value, packed ([`PackedText`]): the
//! index writer's [`PACKED`] tokenizer only unpacks them, so no text is
//! analysed twice and no token waits anywhere but in its document.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::lexicon::{Lexicon, TypeId};
use super::Word;

/// Name of the tokenizer of the packed fields in tantivy's tokenizer
/// manager.
pub const PACKED: &str = "logis_packed";

/// Between two tokens of a packed value: the next token stands one
/// position further. Several in a row skip positions.
const NEXT_POSITION: char = '\u{0}';
/// Between two tokens of a packed value: the next token stands at the same
/// position.
const SAME_POSITION: char = '\u{1}';
const _: () = assert!(NEXT_POSITION as u32 == 0 && SAME_POSITION as u32 == 1);

/// A field's tokens written end to end in one string, with one separator
/// byte before each token but the first telling its position (see
/// `NEXT_POSITION`, `SAME_POSITION`). Terms never hold those bytes:
/// analysed words hold no control character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackedText {
    packed: String,
    /// Position of the last token written; `None` before the first.
    position: Option<u32>,
}

impl PackedText {
    /// Empties it, keeping its allocation.
    pub fn clear(&mut self) {
        self.packed.clear();
        self.position = None;
    }

    /// Whether no token was written.
    pub fn is_empty(&self) -> bool {
        self.position.is_none()
    }

    /// The packed value, for the field.
    pub fn as_str(&self) -> &str {
        &self.packed
    }

    /// Starts a token at `position` (one before the last token's stands
    /// at the last's); the caller then writes its term.
    fn start(&mut self, position: u32) {
        match self.position {
            Some(last) if position <= last => self.packed.push(SAME_POSITION),
            last => {
                let from = last.unwrap_or(0);
                for _ in from..position {
                    self.packed.push(NEXT_POSITION);
                }
            }
        }
        self.position = Some(position.max(self.position.unwrap_or(0)));
    }

    fn push_str(&mut self, s: &str) {
        self.packed.push_str(s);
    }

    /// Writes a token of `term` at `position`.
    pub fn push(&mut self, term: &str, position: u32) {
        self.start(position);
        self.push_str(term);
    }

    /// The tokens of a packed value: (term, position).
    pub fn unpack(value: &str) -> Unpack<'_> {
        Unpack {
            rest: value,
            position: 0,
        }
    }
}

/// The tokens of a packed value, in order: (term, position).
pub struct Unpack<'a> {
    rest: &'a str,
    position: u32,
}

impl<'a> Iterator for Unpack<'a> {
    type Item = (&'a str, u32);

    fn next(&mut self) -> Option<(&'a str, u32)> {
        let bytes = self.rest.as_bytes();
        let mut start = 0;
        while let Some(&b) = bytes.get(start) {
            match b {
                0 => self.position += 1,
                1 => {}
                _ => break,
            }
            start += 1;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b <= 1)
            .map_or(bytes.len(), |n| start + n);
        let term = self.rest.get(start..end)?;
        self.rest = self.rest.get(end..).unwrap_or_default();
        (!term.is_empty()).then_some((term, self.position))
    }
}

/// Writes the tokens of `words`, of types `ids` (positions from 0), into
/// `out`: each word's stem and its acronym term; and into `exact`, when
/// given, the exact forms that differ from their stems.
pub(crate) fn text_tokens(
    lexicon: &Lexicon,
    words: &[Word],
    ids: &[TypeId],
    out: &mut PackedText,
    mut exact: Option<&mut PackedText>,
) {
    out.clear();
    if let Some(exact) = exact.as_deref_mut() {
        exact.clear();
    }
    for (position, (word, &id)) in words.iter().zip(ids).enumerate() {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        out.push(lexicon.stem(id), position);
        if let Some(exact) = exact.as_deref_mut() {
            if lexicon.stem_differs(id) {
                exact.push(&word.folded, position);
            }
        }
        if word.acronym {
            out.start(position);
            for c in word.folded.chars() {
                out.packed.extend(c.to_uppercase());
            }
        }
    }
}

/// The tokens logis indexes for `text` (no lexicon kept): its text
/// field's and its exact field's, packed.
pub fn index_tokens(analyzer: &super::Analyzer, text: &str) -> (PackedText, PackedText) {
    let mut lexicon = Lexicon::default();
    let (mut words, mut ids) = (Vec::new(), Vec::new());
    lexicon.words(analyzer, text, &mut words, &mut ids);
    let (mut stems, mut exact) = (PackedText::default(), PackedText::default());
    text_tokens(&lexicon, &words, &ids, &mut stems, Some(&mut exact));
    (stems, exact)
}

/// The tokenizer of packed fields: it unpacks the tokens logis analysed.
#[derive(Clone, Default)]
pub(crate) struct PackedTokenizer {
    token: Token,
}

impl Tokenizer for PackedTokenizer {
    type TokenStream<'a> = PackedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PackedTokenStream<'a> {
        self.token.reset();
        PackedTokenStream {
            tokens: PackedText::unpack(text),
            token: &mut self.token,
        }
    }
}

/// The tokens of one packed value.
pub(crate) struct PackedTokenStream<'a> {
    tokens: Unpack<'a>,
    token: &'a mut Token,
}

impl TokenStream for PackedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((term, position)) = self.tokens.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(term);
        self.token.position = position as usize;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Registers the [`PACKED`] tokenizer; must be called on every index
/// opened.
pub fn register(manager: &TokenizerManager) {
    manager.register(PACKED, TextAnalyzer::from(PackedTokenizer::default()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use proptest::prelude::*;

    /// The tokens as the writer sees them: (term, position).
    fn indexed(value: &str) -> Vec<(String, usize)> {
        let mut tokenizer = PackedTokenizer::default();
        let mut stream = tokenizer.token_stream(value);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    /// Tokens as the writer sees them: (term, position).
    type Tokens = Vec<(String, usize)>;

    /// The tokens of the text field and of the exact field.
    fn both(text: &str) -> (Tokens, Tokens) {
        let (stems, exact) = index_tokens(&Analyzer::default(), text);
        (indexed(stems.as_str()), indexed(exact.as_str()))
    }

    fn tokens(text: &str) -> Vec<(String, usize)> {
        both(text).0
    }

    fn pairs(expected: &[(&str, usize)]) -> Vec<(String, usize)> {
        expected.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    }

    #[test]
    fn stems_and_the_exact_forms_that_differ() {
        assert_eq!(
            both("des logements"),
            (
                pairs(&[("de", 0), ("log", 1)]),
                pairs(&[("des", 0), ("logements", 1)])
            )
        );
        assert_eq!(both("maison"), (pairs(&[("maison", 0)]), pairs(&[])));
    }

    #[test]
    fn acronyms_get_a_term_of_their_own_at_the_same_position() {
        assert_eq!(
            tokens("11 PLUS et plus"),
            pairs(&[("11", 0), ("plus", 1), ("PLUS", 1), ("et", 2), ("plus", 3)])
        );
        let t = tokens("PLAI NPNRU");
        let acronyms: Vec<&str> = t
            .iter()
            .map(|(s, _)| s.as_str())
            .filter(|s| s.chars().any(char::is_uppercase))
            .collect();
        assert_eq!(acronyms, ["PLAI", "NPNRU"]);
        // Capitalised headings are folded too, and still match lower case.
        let t = tokens("COMPIÈGNE");
        assert_eq!(t[0].0, tokens("Compiègne")[0].0);
        assert_eq!(t.last().unwrap().0, "COMPIEGNE");
    }

    #[test]
    fn positions_may_skip_and_repeat() {
        let mut packed = PackedText::default();
        packed.push("a", 2);
        packed.push("b", 2);
        packed.push("c", 5);
        assert_eq!(
            indexed(packed.as_str()),
            pairs(&[("a", 2), ("b", 2), ("c", 5)])
        );
        assert!(indexed("").is_empty());
        packed.clear();
        assert!(packed.is_empty() && packed.as_str().is_empty());
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        /// The twin of the packed path: every word's stem (the plain
        /// stemmer, no lexicon) and its acronym term, at the word's
        /// position, in order; its exact form where it differs, apart.
        #[test]
        fn packed_tokens_are_the_plain_analysis(text in prop_oneof![
            "[a-zA-Zàâçéèêëîïôûùüÿœæ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n\t-]{0,300}",
            any::<String>(),
        ]) {
            let analyzer = Analyzer::default();
            let words = analyzer.words(&text);
            let (mut expected, mut exact) = (Vec::new(), Vec::new());
            for (position, word) in words.iter().enumerate() {
                let stem = analyzer.stem(word);
                if stem != word.folded {
                    exact.push((word.folded.clone(), position));
                }
                expected.push((stem, position));
                if let Some(acronym) = word.acronym_term() {
                    expected.push((acronym, position));
                }
            }
            prop_assert_eq!(both(&text), (expected, exact));
        }
    }
}
