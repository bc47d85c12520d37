//! French text analysis: word segmentation, elision removal, case and accent
//! folding, Snowball stemming, acronyms and digit groups.
//!
//! The analysis is done once per text by [`Analyzer::words`], which yields
//! [`Word`]s carrying byte offsets into the original text. Two tantivy
//! tokenizers are views of that analysis:
//! - [`STEMMED`] emits the folded stem of every word (`logements` → `log`),
//! - [`EXACT`] emits the folded, unstemmed form (`logements`),
//!
//! and both also emit, at the same position, an upper-case acronym term for
//! words written in capitals (`PLUS` → `PLUS` besides `plus`), so that the
//! housing loan PLUS can be told apart from the everyday word *plus*.
//!
//! Folding happens *before* stemming: the stemmer only ever sees folded text,
//! so a word and its unaccented spelling always give the same term.

use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};
use unicode_normalization::char::decompose_compatible;
use unicode_segmentation::UnicodeSegmentation;

/// Version of the analysis rules. Bump it whenever a change alters the terms
/// produced for some text: indexes built with another version are refused.
pub const ANALYZER_VERSION: u32 = 2;

/// Name of the stemmed French tokenizer in tantivy's tokenizer manager.
pub const STEMMED: &str = "logis_fr_stem";
/// Name of the folded, unstemmed French tokenizer.
pub const EXACT: &str = "logis_fr_exact";
/// Name of the tokenizer for facet keys: the whole value, folded, as one term.
pub const FACET_KEY: &str = "logis_facet_key";

/// Words longer than this many bytes once folded are dropped: they are noise
/// (URLs, PDF extraction debris, base64) and tantivy refuses huge terms.
pub const MAX_WORD_BYTES: usize = 80;

/// Elided articles and pronouns removed before a word (`l'`, `qu’` ...).
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// A word of the original text after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character of the word in the original text.
    pub from: usize,
    /// Byte offset just past the word in the original text.
    pub to: usize,
    /// Lower-case, accent- and ligature-folded form, unstemmed.
    pub folded: String,
    /// Whether the word was written in capitals (`PSLA`, `COMPIÈGNE`, `3F`).
    pub acronym: bool,
}

impl Word {
    /// The term indexed for an acronym: the folded form in capitals. It never
    /// collides with an ordinary term, which is always lower case.
    pub fn acronym_term(&self) -> Option<String> {
        self.acronym.then(|| self.folded.to_uppercase())
    }

    /// Whether the word is a number (digits, possibly with `,` or `.`).
    pub fn is_number(&self) -> bool {
        self.folded.starts_with(|c: char| c.is_ascii_digit())
            && self
                .folded
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    }
}

/// The French analyzer. Cheap to clone; holds the Snowball stemmer.
#[derive(Clone)]
pub struct Analyzer {
    stemmer: Arc<Stemmer>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Arc::new(Stemmer::create(Algorithm::French)),
        }
    }
}

impl Analyzer {
    /// Splits `text` into analysed words, in order, with offsets into `text`.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut words = Vec::new();
        self.words_into(text, &mut words);
        words
    }

    /// Like [`Analyzer::words`], reusing `out`'s allocation.
    pub fn words_into(&self, text: &str, out: &mut Vec<Word>) {
        out.clear();
        let pieces = join_digit_groups(text, raw_pieces(text));
        for (from, to) in pieces {
            if let Some(word) = analyse_piece(text, from, to) {
                out.push(word);
            }
        }
    }

    /// The stemmed term of a word: numbers and acronyms' ordinary forms go
    /// through the stemmer too, which leaves numbers unchanged.
    pub fn stem(&self, word: &Word) -> String {
        if word.is_number() {
            return word.folded.clone();
        }
        self.stemmer.stem(&word.folded).into_owned()
    }
}

/// Lower-cases and folds accents and ligatures: `Cœur` → `coeur`,
/// `COMPIÈGNE` → `compiegne`, `’` → `'`. Used for terms and facet keys.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            fold_char(lower, &mut out);
        }
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
        'ç' => out.push('c'),
        'é' | 'è' | 'ê' | 'ë' => out.push('e'),
        'î' | 'ï' | 'í' | 'ì' => out.push('i'),
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
        'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
        'ÿ' | 'ý' => out.push('y'),
        'ñ' => out.push('n'),
        'œ' => out.push_str("oe"),
        'æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        'ø' => out.push('o'),
        '’' | 'ʼ' | '‘' => out.push('\''),
        _ => {
            // Anything else: compatibility decomposition without the
            // combining marks (`ł` stays, `ő` → `o`, `ﬁ` → `fi`, `²` → `2`).
            let mut pushed = false;
            // Symbols that stay upper case (`🅐`) are dropped: ordinary
            // terms are lower case, acronym terms alone are not.
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase().filter(|l| !l.is_uppercase()));
                }
                pushed = true;
            });
            if !pushed {
                out.push(c);
            }
        }
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Word pieces as byte ranges: UAX #29 words holding at least one letter or
/// digit, further cut at the connectors UAX #29 keeps inside words (narrow
/// no-break space, underscore), which French text uses as separators.
fn raw_pieces(text: &str) -> Ranges {
    pieces_of(text, word_segments)
}

/// A word segmentation: hands each segment of a text, with its offset, to
/// the callback.
type Segmentation = fn(&str, &mut dyn FnMut(usize, &str));

/// Byte ranges of words in a text.
type Ranges = Vec<(usize, usize)>;

/// The pieces of `text`, given a word segmentation.
fn pieces_of(text: &str, segmentation: Segmentation) -> Ranges {
    let mut pieces = Vec::new();
    segmentation(text, &mut |start, segment| {
        if !segment.chars().any(char::is_alphanumeric) {
            return;
        }
        let mut piece_start = start;
        for (i, c) in segment.char_indices() {
            if c.is_whitespace() || c == '_' || c == '\u{203F}' || c == '\u{2040}' {
                push_piece(text, piece_start, start + i, &mut pieces);
                piece_start = start + i + c.len_utf8();
            }
        }
        push_piece(text, piece_start, start + segment.len(), &mut pieces);
    });
    pieces
}

/// The UAX #29 word segments of `text` that hold a letter or a digit, with
/// their offsets. ASCII whitespace always separates words, so the text is
/// cut there first; a run of pure ASCII (most French words are) takes a
/// fast path that applies the UAX #29 rules for ASCII, the others go
/// through `unicode-segmentation`. Both give the same segments (tested).
fn word_segments(text: &str, segment: &mut dyn FnMut(usize, &str)) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for end in (0..=bytes.len()).filter(|&i| i == bytes.len() || bytes[i].is_ascii_whitespace()) {
        if run_start < end {
            let run = &text[run_start..end];
            if run.is_ascii() {
                ascii_segments(run, run_start, segment);
            } else {
                for (start, word) in run.split_word_bound_indices() {
                    segment(run_start + start, word);
                }
            }
        }
        run_start = end + 1;
    }
}

/// UAX #29 word break classes of the ASCII characters that are not spaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiBreak {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `,` `;`
    MidNum,
    /// `.` and the apostrophe (MidNumLet and Single_Quote behave alike).
    MidNumLet,
    /// `_`
    ExtendNumLet,
    Other,
}

fn ascii_break(byte: u8) -> AsciiBreak {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => AsciiBreak::Letter,
        b'0'..=b'9' => AsciiBreak::Numeric,
        b':' => AsciiBreak::MidLetter,
        b',' | b';' => AsciiBreak::MidNum,
        b'.' | b'\'' => AsciiBreak::MidNumLet,
        b'_' => AsciiBreak::ExtendNumLet,
        _ => AsciiBreak::Other,
    }
}

/// Hands over the segments of an ASCII run without spaces that hold a
/// letter or digit: UAX #29 rules WB5 to WB13b, the only ones that apply.
fn ascii_segments(run: &str, offset: usize, segment: &mut dyn FnMut(usize, &str)) {
    use AsciiBreak::*;
    let classes: Vec<AsciiBreak> = run.bytes().map(ascii_break).collect();
    let at = |i: usize| classes.get(i).copied();
    let joined = |i: usize| -> bool {
        // Whether there is no break between bytes i - 1 and i.
        let (before, prev, next, after) = (
            i.checked_sub(2).and_then(at),
            classes[i - 1],
            classes[i],
            at(i + 1),
        );
        match (prev, next) {
            (Letter | Numeric, Letter | Numeric) => true,
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,
            (ExtendNumLet, Letter | Numeric) => true,
            (Letter, MidLetter | MidNumLet) => after == Some(Letter),
            (MidLetter | MidNumLet, Letter) => before == Some(Letter),
            (Numeric, MidNum | MidNumLet) => after == Some(Numeric),
            (MidNum | MidNumLet, Numeric) => before == Some(Numeric),
            _ => false,
        }
    };
    let mut start = 0;
    for i in 1..=classes.len() {
        if i < classes.len() && joined(i) {
            continue;
        }
        if classes[start..i]
            .iter()
            .any(|&c| c == Letter || c == Numeric)
        {
            segment(offset + start, &run[start..i]);
        }
        start = i;
    }
}

fn push_piece(text: &str, from: usize, to: usize, pieces: &mut Vec<(usize, usize)>) {
    if from < to && text[from..to].chars().any(char::is_alphanumeric) {
        pieces.push((from, to));
    }
}

/// Joins French digit groups (`40 000`, `1 228`, with a plain, no-break or
/// narrow no-break space) into one piece: a group of 1–3 digits followed by
/// groups of exactly three digits, each after exactly one space. The last
/// group may carry decimals (`1 841,5`).
fn join_digit_groups(text: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let (from, mut to) = pieces[i];
        let head = &text[from..to];
        if head.len() <= 3 && head.bytes().all(|b| b.is_ascii_digit()) {
            let mut j = i + 1;
            while j < pieces.len() {
                let (next_from, next_to) = pieces[j];
                let gap = &text[to..next_from];
                let group = &text[next_from..next_to];
                if is_group_separator(gap) && is_thousands_group(group) {
                    to = next_to;
                    j += 1;
                    if group.len() > 3 {
                        break; // decimals end the number
                    }
                } else {
                    break;
                }
            }
            out.push((from, to));
            i = j;
        } else {
            out.push((from, to));
            i += 1;
        }
    }
    out
}

fn is_group_separator(gap: &str) -> bool {
    matches!(gap, " " | "\u{00A0}" | "\u{202F}")
}

fn is_thousands_group(group: &str) -> bool {
    let bytes = group.as_bytes();
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
        return false;
    }
    match &bytes[3..] {
        [] => true,
        [b',' | b'.', rest @ ..] => !rest.is_empty() && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// Turns one piece into a word: strips an elision, folds, removes group
/// spaces in numbers and dots in dotted acronyms (`A.I.A` → `aia`).
fn analyse_piece(text: &str, mut from: usize, to: usize) -> Option<Word> {
    // A piece this long is debris whatever it folds to: dropped without
    // the cost of folding megabytes.
    if to - from > 4 * MAX_WORD_BYTES {
        return None;
    }
    let piece = &text[from..to];
    if let Some((i, c)) = piece.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let prefix = fold(&piece[..i]);
        let rest = &piece[i + c.len_utf8()..];
        if ELISIONS.contains(&prefix.as_str()) && rest.starts_with(char::is_alphanumeric) {
            from += i + c.len_utf8();
        }
    }
    let original = &text[from..to];
    let mut folded = fold(original);
    if folded.starts_with(|c: char| c.is_ascii_digit()) {
        folded.retain(|c| !c.is_whitespace());
    } else if is_dotted_acronym(original) {
        folded.retain(|c| c != '.');
    }
    if folded.is_empty() || folded.len() > MAX_WORD_BYTES {
        return None;
    }
    let acronym = is_capitalised(original);
    Some(Word {
        from,
        to,
        folded,
        acronym,
    })
}

/// `A.I.A`, `S.A.R.L`: single letters separated by dots.
fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// Written in capitals: at least two letters or digits, at least one
/// upper-case letter and no lower-case one (`PSLA`, `3F`, `CO2`).
fn is_capitalised(word: &str) -> bool {
    let mut alnum = 0;
    let mut upper = false;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_uppercase() {
            upper = true;
        }
        if c.is_alphanumeric() {
            alnum += 1;
        }
    }
    upper && alnum >= 2
}

/// Which term a [`FrenchTokenizer`] emits for each word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermForm {
    /// The folded Snowball stem (`logements` → `log`).
    Stemmed,
    /// The folded form, unstemmed (`logements`).
    Exact,
}

/// Most stems a [`FrenchTokenizer`] remembers before starting afresh.
const STEM_CACHE_MAX: usize = 100_000;

/// Stems already computed, by folded word: news repeats its words, and a
/// lookup costs far less than Snowball.
#[derive(Clone, Default)]
pub struct StemCache {
    stems: FxHashMap<String, String>,
}

impl StemCache {
    /// The stem of `word`, computed once.
    pub fn stem(&mut self, analyzer: &Analyzer, word: &Word) -> String {
        if let Some(stem) = self.stems.get(&word.folded) {
            return stem.clone();
        }
        let stem = analyzer.stem(word);
        if self.stems.len() >= STEM_CACHE_MAX {
            self.stems.clear();
        }
        self.stems.insert(word.folded.clone(), stem.clone());
        stem
    }
}

/// The tokens a field indexes for `words`: one term per word in `form`,
/// plus the acronym term at the same position; offsets are made relative
/// to `base` (the start of the field's text in the analysed text).
pub fn field_tokens(
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
            TermForm::Stemmed => cache.stem(analyzer, word),
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

/// Tokens computed ahead of indexing, waiting for the tokenizer: the
/// indexer analyses each article once (for its facets too) and leaves here
/// the tokens of each passage's text fields, which the [`FrenchTokenizer`]
/// of the index writer then takes instead of analysing the text again.
/// Keyed by the text's hash and length and the term form; identical texts
/// have identical tokens, so a collision of equal texts is harmless.
#[derive(Default)]
pub struct TokenCache {
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
    pub fn put(&self, text: &str, form: TermForm, tokens: Vec<Token>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries
                .entry(TokenCache::key(text, form))
                .or_default()
                .push(tokens);
        }
    }

    /// Takes the tokens left for `text` in `form`, if any.
    pub fn take(&self, text: &str, form: TermForm) -> Option<Vec<Token>> {
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
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .map_or(0, |e| e.values().map(Vec::len).sum())
    }

    /// Whether no text is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The French analyzer as a tantivy [`Tokenizer`].
#[derive(Clone)]
pub struct FrenchTokenizer {
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
    pub fn new(analyzer: Analyzer, form: TermForm) -> Self {
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
    pub fn with_ready_tokens(analyzer: Analyzer, form: TermForm, ready: Arc<TokenCache>) -> Self {
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
            return VecTokenStream {
                tokens: &mut self.tokens,
                next: 0,
            };
        }
        self.analyzer.words_into(text, &mut self.words);
        field_tokens(
            &self.analyzer,
            &self.words,
            0,
            self.form,
            &mut self.stems,
            &mut self.tokens,
        );
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// Token stream over tokens computed up front.
pub struct VecTokenStream<'a> {
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

/// Facet keys: the whole value folded into a single term, so that
/// `--commune compiegne` finds `Compiègne` and `--org "cdc habitat"` finds
/// `CDC Habitat`. Inner whitespace and hyphens are normalised to one space.
#[derive(Clone, Default)]
pub struct FacetKeyTokenizer {
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

/// The folded key of a facet value (`Saint-Quentin` → `saint quentin`).
pub fn facet_key(value: &str) -> String {
    let folded = fold(value);
    folded
        .split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Token stream of exactly one token.
pub struct SingleTokenStream<'a> {
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

/// Registers the logis tokenizers; must be called on every index opened.
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
pub fn register_with_ready_tokens(
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

    /// The pieces with the fast path, and with `unicode-segmentation` on
    /// the whole text.
    fn both_segmentations(text: &str) -> (Ranges, Ranges) {
        let whole: Segmentation = |text, segment| {
            for (start, word) in text.split_word_bound_indices() {
                segment(start, word);
            }
        };
        (raw_pieces(text), pieces_of(text, whole))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: ProptestConfig::default().cases.max(2000),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn the_ascii_fast_path_segments_as_uax29(
            text in prop_oneof![
                "[a-zA-Z0-9:;,.'_\\-/\"()@ \t\n\r]{0,60}",
                "[a-cA-C0-2:;,.'_ \n\u{a0}\u{202f}éœ’\u{301}\u{ad}\u{200d}]{0,40}",
                any::<String>(),
            ]
        ) {
            let (fast, reference) = both_segmentations(&text);
            prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn the_ascii_fast_path_on_french() {
        for text in [
            "l'Oise, 3.5 A.I.A a:b 10:30 1,5 a,b CO2 3F x_y _a a_ 1.a a.1 'a a' ..",
            "Cœur de Ville: 1 228 logements à Compiègne (Oise) - PSLA/PLAI l’OPH",
        ] {
            let (fast, reference) = both_segmentations(text);
            assert_eq!(fast, reference, "{text}");
        }
    }

    #[test]
    fn ready_tokens_are_taken_once_then_text_is_analysed() {
        let ready = Arc::new(TokenCache::default());
        let analyzer = Analyzer::default();
        let mut tokenizer =
            FrenchTokenizer::with_ready_tokens(analyzer, TermForm::Exact, ready.clone());
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

    fn folded(text: &str) -> Vec<String> {
        Analyzer::default()
            .words(text)
            .into_iter()
            .map(|w| w.folded)
            .collect()
    }

    fn stems(text: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        analyzer
            .words(text)
            .iter()
            .map(|w| analyzer.stem(w))
            .collect()
    }

    fn tokens(form: TermForm, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = FrenchTokenizer::new(Analyzer::default(), form);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    /// Every word's offsets slice the original text to the word as written.
    fn assert_offsets(text: &str, expected: &[&str]) {
        let words = Analyzer::default().words(text);
        let slices: Vec<&str> = words.iter().map(|w| &text[w.from..w.to]).collect();
        assert_eq!(slices, expected, "offsets into {text:?}");
    }

    #[test]
    fn elisions_with_both_apostrophes() {
        for elided in [
            "l'entreprise",
            "l’entreprise",
            "d'entreprise",
            "qu’entreprise",
            "jusqu'entreprise",
            "lorsqu’entreprise",
            "puisqu'entreprise",
            "quoiqu’entreprise",
            "L’ENTREPRISE",
        ] {
            assert_eq!(folded(elided), ["entreprise"], "{elided}");
        }
        for (text, word) in [
            ("j'habite", "habite"),
            ("m’aide", "aide"),
            ("n'est", "est"),
            ("s’engage", "engage"),
            ("t'as", "as"),
            ("c’est", "est"),
            ("qu’il", "il"),
        ] {
            assert_eq!(folded(text), [word], "{text}");
        }
        assert_offsets("de l’entreprise", &["de", "entreprise"]);
    }

    #[test]
    fn apostrophes_that_are_not_elisions_stay_in_the_word() {
        assert_eq!(folded("aujourd’hui"), ["aujourd'hui"]);
        assert_eq!(folded("aujourd'hui"), ["aujourd'hui"]);
        // A lone letter before an apostrophe at the end is not an elision.
        assert_eq!(folded("l' "), ["l"]);
    }

    #[test]
    fn case_accent_and_ligature_folding() {
        assert_eq!(folded("COMPIÈGNE Compiègne compiegne"), ["compiegne"; 3]);
        assert_eq!(folded("Cœur coeur CŒUR"), ["coeur"; 3]);
        assert_eq!(folded("Île-de-France"), ["ile", "de", "france"]);
        assert_eq!(folded("Ça"), ["ca"]);
        assert_eq!(fold("ÆSOPE straße"), "aesope strasse");
    }

    #[test]
    fn accented_and_unaccented_spellings_give_the_same_terms() {
        let analyzer = Analyzer::default();
        let pairs = [
            ("réhabilités", "rehabilites"),
            ("créées", "creees"),
            ("étudiants", "etudiants"),
            ("Compiègne", "Compiegne"),
            ("accédant", "accedant"),
            ("maîtrise", "maitrise"),
            ("cœur", "coeur"),
            ("intérêts", "interets"),
            ("Département", "Departement"),
            ("sociétaux", "societaux"),
            ("bénéficier", "beneficier"),
            ("là", "la"),
            ("où", "ou"),
            ("Noël", "Noel"),
            ("aménagé", "amenage"),
            ("logé", "loge"),
            ("privilégiée", "privilegiee"),
            ("garçon", "garcon"),
            ("îlot", "ilot"),
            ("déjà", "deja"),
        ];
        for (accented, plain) in pairs {
            let a = &analyzer.words(accented)[0];
            let p = &analyzer.words(plain)[0];
            assert_eq!(a.folded, p.folded, "{accented}/{plain} exact");
            assert_eq!(
                analyzer.stem(a),
                analyzer.stem(p),
                "{accented}/{plain} stem"
            );
        }
    }

    #[test]
    fn stemming_merges_inflections() {
        assert_eq!(stems("logements logement"), ["log", "log"]);
        let s = stems("étudiants étudiant étudiantes");
        assert_eq!(s[0], s[1]);
        assert_eq!(s[1], s[2]);
        let s = stems("réhabilitation réhabilitations");
        assert_eq!(s[0], s[1]);
    }

    #[test]
    fn exact_field_keeps_unstemmed_form() {
        let t = tokens(TermForm::Exact, "logements");
        assert_eq!(t, [("logements".to_string(), 0, 0, 9)]);
        let t = tokens(TermForm::Stemmed, "logements");
        assert_eq!(t, [("log".to_string(), 0, 0, 9)]);
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
        assert_eq!(t[0].0, stems("Compiègne")[0]);
        assert_eq!(t[1].0, "COMPIEGNE");
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
    fn digit_groups_join_with_all_three_spaces() {
        for text in [
            "40 000 logements",
            "40\u{00A0}000 logements",
            "40\u{202F}000 logements",
        ] {
            assert_eq!(folded(text), ["40000", "logements"], "{text:?}");
        }
        assert_offsets("40\u{202F}000 logements", &["40\u{202F}000", "logements"]);
        assert_eq!(
            folded("1 228 logements neufs"),
            ["1228", "logements", "neufs"]
        );
        assert_eq!(folded("1 000 €/m²"), ["1000", "m", "2"]);
        assert_eq!(folded("1 250 000 euros"), ["1250000", "euros"]);
        assert_eq!(folded("6 298,5 m"), ["6298,5", "m"]);
        assert_offsets("soit 1 000 €/m²", &["soit", "1 000", "m", "²"]);
    }

    #[test]
    fn numbers_that_are_not_digit_groups_stay_apart() {
        // A year followed by a count, two counts, a four-digit head.
        assert_eq!(
            folded("en 2020 100 logements"),
            ["en", "2020", "100", "logements"]
        );
        assert_eq!(
            folded("6 PLS 10 LU 16 PSLA"),
            ["6", "pls", "10", "lu", "16", "psla"]
        );
        assert_eq!(folded("entre 12 et 15"), ["entre", "12", "et", "15"]);
        assert_eq!(folded("les 34 1234"), ["les", "34", "1234"]);
        // Two spaces are not a group separator.
        assert_eq!(folded("40  000"), ["40", "000"]);
        assert_eq!(folded("144,7 millions"), ["144,7", "millions"]);
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
    }

    #[test]
    fn punctuation_and_symbols_are_not_words() {
        assert!(folded("— … « » ! ? : ; / % € ---").is_empty());
        assert_eq!(folded("6/10"), ["6", "10"]);
    }

    #[test]
    fn overlong_words_are_dropped() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(folded(&format!("avant {long} après")), ["avant", "apres"]);
    }

    #[test]
    fn facet_keys_fold_the_whole_value() {
        assert_eq!(facet_key("Saint-Quentin"), "saint quentin");
        assert_eq!(facet_key(" SAINT  QUENTIN "), "saint quentin");
        assert_eq!(facet_key("Action Cœur de Ville"), "action coeur de ville");
        assert_eq!(
            facet_key("Office public de l’habitat"),
            "office public de l habitat"
        );
    }
}
