//! French text analysis, done once per text by [`Analyzer::words`] and used
//! for indexing, queries, highlights and facet extraction alike. The steps,
//! in order, each in its own file:
//!
//! 1. `segment`: UAX #29 word pieces, cut at narrow no-break spaces and
//!    underscores (an ASCII fast path, pinned to `unicode-segmentation`);
//! 2. `numbers`: French digit groups joined into one number (`40 000`);
//!    `units`: unit symbols made words (`€` → `euros`, `m²` → `m2`, `%` →
//!    `pourcent`);
//! 3. `elision`: elided articles and pronouns dropped (`l'`, `qu’`);
//! 4. `fold`: lower case, accents and ligatures folded (`Cœur` → `coeur`),
//!    group spaces removed from numbers, dots from dotted acronyms;
//! 5. `capitals`: a word written in capitals gets an acronym term
//!    (`PLUS`), never stemmed;
//! 6. `stem`: French Snowball stems, for the stemmed field and queries.
//!
//! Words over [`MAX_WORD_BYTES`] once folded are dropped. Every word keeps
//! the byte offsets of its text in the original. For the index, `lexicon`
//! keeps each word type's analysis once per run, `tokenizer` writes the
//! tokens of the text fields and `phrases` the index tokens of phrases.

pub mod capitals;
mod elision;
pub mod fold;
pub(crate) mod lexicon;
pub mod numbers;
pub mod phrases;
mod segment;
mod stem;
pub(crate) mod tokenizer;
mod units;

pub use fold::{facet_key, fold};
pub(crate) use lexicon::Lexicon;
pub use tokenizer::{index_tokens, register, PackedText, PACKED};

/// Version of the analysis rules. Bump it whenever a change alters the terms
/// produced for some text: indexes built with another version are refused.
pub const ANALYZER_VERSION: u32 = 3;

/// Words longer than this many bytes once folded are dropped: they are noise
/// (URLs, PDF extraction debris, base64) and tantivy refuses huge terms.
pub const MAX_WORD_BYTES: usize = 80;

/// A word of the original text after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character of the word in the original text.
    pub from: usize,
    /// Byte offset just past the word in the original text.
    pub to: usize,
    /// Lower-case, accent- and ligature-folded form, unstemmed.
    pub folded: String,
    /// Whether the word was written in capitals (`PSLA`, `COMPIÈGNE`, `3F`):
    /// see [`capitals::is_in_capitals`].
    pub acronym: bool,
}

impl Word {
    /// The acronym term of a word written in capitals (`PLUS`), if it is one.
    pub fn acronym_term(&self) -> Option<String> {
        self.acronym.then(|| capitals::acronym_term(&self.folded))
    }

    /// Whether the word is a number (digits, possibly with `,` or `.`).
    pub fn is_number(&self) -> bool {
        numbers::is_number(&self.folded)
    }
}

/// The French analyzer. Cheap to clone; holds the Snowball stemmer.
#[derive(Clone, Default)]
pub struct Analyzer {
    stemmer: stem::FrenchStemmer,
}

impl Analyzer {
    /// Splits `text` into analysed words, in order, with offsets into `text`.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut words = Vec::new();
        self.words_into(text, &mut words);
        words
    }

    /// Like [`Analyzer::words`], reusing `out`'s allocations: its vector
    /// and the strings of the words it held.
    pub fn words_into(&self, text: &str, out: &mut Vec<Word>) {
        words_with(text, out, &mut PlainPieces);
    }

    /// The stemmed term of a word (`logements` → `log`); a number is its
    /// own term.
    pub fn stem(&self, word: &Word) -> String {
        self.stemmer.stem(word)
    }
}

/// How the words of pieces are made: analysed each time
/// ([`PlainPieces`]), or recalled by a lexicon that analysed each written
/// form once (see `lexicon`), which also learns each word's type.
pub(crate) trait Pieces {
    /// Steps 3 to 5 on the piece `text[from..to]`, into `into`, the word
    /// numbered `index`: whether it makes a word.
    fn word(&mut self, index: usize, text: &str, from: usize, to: usize, into: &mut Word) -> bool;

    /// Word `index` was made otherwise (a unit symbol), or changed.
    fn made(&mut self, index: usize, word: &Word);
}

/// Every piece analysed from its text.
pub(crate) struct PlainPieces;

impl Pieces for PlainPieces {
    fn word(&mut self, _: usize, text: &str, from: usize, to: usize, into: &mut Word) -> bool {
        word(text, from, to, into)
    }

    fn made(&mut self, _: usize, _: &Word) {}
}

/// The analysis of `text` into `out` (see [`Analyzer::words_into`]), its
/// pieces made into words by `pieces`; returns the number of words.
pub(crate) fn words_with(text: &str, out: &mut Vec<Word>, pieces: &mut dyn Pieces) -> usize {
    let mut count = 0;
    let mut last = 0;
    for (from, to) in numbers::join_groups(text, segment::pieces(text)) {
        for (from, to, folded) in units::symbols(text, last, from) {
            slot(out, &mut count).set(from, to, folded, false);
            pieces.made(count - 1, &out[count - 1]);
        }
        last = to;
        // `m²`: the exponent belongs to the unit.
        if let Some(unit) = count.checked_sub(1).map(|i| &mut out[i]) {
            if units::is_exponent_of(text, unit.to, from, to) {
                unit.to = to;
                unit.folded.push_str(&fold(&text[from..to]));
                pieces.made(count - 1, &out[count - 1]);
                continue;
            }
        }
        let index = count;
        if pieces.word(index, text, from, to, slot(out, &mut count)) {
            continue;
        }
        count -= 1;
    }
    for (from, to, folded) in units::symbols(text, last, text.len()) {
        slot(out, &mut count).set(from, to, folded, false);
        pieces.made(count - 1, &out[count - 1]);
    }
    out.truncate(count);
    count
}

/// The next word of `out`: one it held (its string reused) or a new one.
fn slot<'a>(out: &'a mut Vec<Word>, count: &mut usize) -> &'a mut Word {
    if *count == out.len() {
        out.push(Word {
            from: 0,
            to: 0,
            folded: String::new(),
            acronym: false,
        });
    }
    *count += 1;
    &mut out[*count - 1]
}

impl Word {
    fn set(&mut self, from: usize, to: usize, folded: &str, acronym: bool) {
        self.from = from;
        self.to = to;
        self.folded.clear();
        self.folded.push_str(folded);
        self.acronym = acronym;
    }
}

/// Steps 3 to 5 on one piece, into `into`: whether it makes a word.
pub(crate) fn word(text: &str, from: usize, to: usize, into: &mut Word) -> bool {
    // A piece this long is debris whatever it folds to: dropped without
    // the cost of folding megabytes.
    if to - from > 4 * MAX_WORD_BYTES {
        return false;
    }
    let from = from + elision::elided_prefix(&text[from..to]);
    let written = &text[from..to];
    if let Some(unit) = units::unit_word(written) {
        into.set(from, to, unit, false);
        return true;
    }
    into.from = from;
    into.to = to;
    let folded = &mut into.folded;
    fold::fold_into(written, folded);
    if !numbers::compact(folded) && capitals::is_dotted_acronym(written) {
        folded.retain(|c| c != '.');
    }
    if folded.is_empty() || folded.len() > MAX_WORD_BYTES {
        return false;
    }
    into.acronym = capitals::is_in_capitals(written);
    true
}

/// Whether the analyzer reads `text` as one word across byte offset `at`:
/// the query lexer asks it for words typed apart (`1 841,5` typed as two
/// words is one number), so that queries follow the rules texts follow.
pub fn joined_across(text: &str, at: usize) -> bool {
    numbers::join_groups(text, segment::pieces(text))
        .iter()
        .any(|&(from, to)| from < at && at < to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        Analyzer::default()
            .words(text)
            .into_iter()
            .map(|w| w.folded)
            .collect()
    }

    /// Every word's offsets slice the original text to the word as written.
    fn assert_offsets(text: &str, expected: &[&str]) {
        let words = Analyzer::default().words(text);
        let slices: Vec<&str> = words.iter().map(|w| &text[w.from..w.to]).collect();
        assert_eq!(slices, expected, "offsets into {text:?}");
    }

    #[test]
    fn the_steps_in_order() {
        assert_eq!(
            folded("L’Office des Hauts-de-Seine : 40 000 logements, « CŒUR »"),
            [
                "office",
                "des",
                "hauts",
                "de",
                "seine",
                "40000",
                "logements",
                "coeur"
            ]
        );
        assert_eq!(folded("qu’il"), ["il"]);
        assert_eq!(folded("aujourd’hui"), ["aujourd'hui"]);
        assert_eq!(folded("l' "), ["l"]);
        assert_eq!(folded("1 000 €/m²"), ["1000", "euros", "m2"]);
        assert_eq!(folded("1000 euros m2"), ["1000", "euros", "m2"]);
        assert_eq!(
            folded("12 000 EUR, 5 % ou 3 m³"),
            ["12000", "euros", "5", "pourcent", "ou", "3", "m3"]
        );
        assert_eq!(folded("6 298,5 m"), ["6298,5", "m"]);
        assert_eq!(folded("A.I.A"), ["aia"]);
    }

    #[test]
    fn what_counts_as_an_acronym() {
        let words = Analyzer::default().words("PSLA 3F CO2 Plus A l'USH A.I.A");
        let flags: Vec<(&str, bool)> = words
            .iter()
            .map(|w| (w.folded.as_str(), w.acronym))
            .collect();
        assert_eq!(
            flags,
            [
                ("psla", true),
                ("3f", true),
                ("co2", true),
                ("plus", false),
                ("a", false),
                ("ush", true),
                ("aia", true)
            ]
        );
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "L’Office HLM des Hauts-de-Seine : 40 000 logements, « COMPIÈGNE » !";
        let words = Analyzer::default().words(text);
        for w in &words {
            assert!(text.is_char_boundary(w.from) && text.is_char_boundary(w.to));
            assert_eq!(fold(&text[w.from..w.to]).replace(' ', ""), w.folded);
        }
        assert_offsets(
            text,
            &[
                "Office",
                "HLM",
                "des",
                "Hauts",
                "de",
                "Seine",
                "40 000",
                "logements",
                "COMPIÈGNE",
            ],
        );
        assert_offsets("de l’entreprise", &["de", "entreprise"]);
        assert_offsets("40\u{202F}000 logements", &["40\u{202F}000", "logements"]);
        assert_offsets("soit 1 000 €/m²", &["soit", "1 000", "€", "m²"]);
    }

    #[test]
    fn punctuation_and_symbols_are_not_words() {
        assert!(folded("— … « » ! ? : ; / ---").is_empty());
        // Unit symbols are words (see `units`).
        assert_eq!(folded("% €"), ["pourcent", "euros"]);
        assert_eq!(folded("6/10"), ["6", "10"]);
    }

    #[test]
    fn overlong_words_are_dropped() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(folded(&format!("avant {long} après")), ["avant", "apres"]);
    }

    #[test]
    fn words_joined_across_a_space() {
        assert!(joined_across("1 841,5", 1));
        assert!(joined_across("40\u{a0}000", 2));
        assert!(!joined_across("2020 100", 4));
        assert!(!joined_across("6 PLS", 1));
    }
}
