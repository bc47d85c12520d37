//! Query language: words, `"phrases"` (also `« »` and `“ ”`), `-excluded`
//! words or phrases, `OR` between alternatives, and facet filters
//! (`commune:Compiègne`, `programme:"Action Cœur de Ville"`, `-org:X`,
//! `year:2019..2021`). Parsing is lenient: a stray quote or parenthesis never
//! fails; apostrophes are part of words (`l'accession`, `qu’il`).
//!
//! Then the parsed query is analysed into groups that must all match, each
//! with what it stands for: the words as typed, their synonyms, the facet
//! values they name (see [`crate::search::vocabulary`]), and the ranking
//! signals around them (proximity, headings, exact forms).

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{Analyzer, Word};
use crate::facets::FacetField;
use crate::index::Fields;

/// Extra weight of a match on the unstemmed form: exact forms rank above
/// mere stem matches.
const EXACT_BOOST: f32 = 0.5;

/// Longest query word taken for an acronym (NPNRU, ORCOD, LLTS).
const MAX_ACRONYM_CHARS: usize = 6;

/// Weight of a synonym's match (PSLA for `prêt social location-accession`)
/// relative to the words typed.
pub const SYNONYM_WEIGHT: f32 = 0.8;

/// Score of a passage tagged with the facet value a query word names but not
/// containing the word: below any literal match, which also gets it.
const TAG_SCORE: f32 = 0.5;

/// Extra weight when the query words stand close together, in order.
const PROXIMITY_BOOST: f32 = 1.0;

/// How far apart (in words, summed) the query words may stand to count as
/// close.
const PROXIMITY_SLOP: u32 = 4;

/// Extra weight of a match in the passage's heading or article's title.
const HEADING_BOOST: f32 = 0.3;

/// A word or phrase of the query, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Word(String),
    Phrase(String),
}

impl Item {
    /// The text of the item, without quotes.
    pub fn raw(&self) -> &str {
        match self {
            Item::Word(s) | Item::Phrase(s) => s,
        }
    }
}

/// A facet filter written in the query: `commune:Compiègne`, `-org:X`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFilter {
    /// The field name as typed (checked by the caller).
    pub field: String,
    pub value: String,
    pub negated: bool,
}

/// A parsed query: groups that must all match (each group is one item or
/// alternatives joined by `OR`), excluded items, and facet filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Item>>,
    pub excluded: Vec<Item>,
    pub filters: Vec<FieldFilter>,
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Item { item: Item, negated: bool },
    Filter(FieldFilter),
    Or,
}

/// Longest query, in bytes. Parentheses group nothing (they separate
/// words), so there is no nesting to bound, only length.
pub const MAX_QUERY_BYTES: usize = 2048;
/// Most words in a query, filters and operators included.
pub const MAX_QUERY_WORDS: usize = 64;

/// Refuses a query beyond [`MAX_QUERY_BYTES`] or [`MAX_QUERY_WORDS`],
/// before any parsing: search time and memory grow with the query.
pub fn check_limits(input: &str) -> Result<(), crate::Error> {
    let too_long = |what: String, limit: String| crate::Error::QueryTooLong { what, limit };
    if input.len() > MAX_QUERY_BYTES {
        return Err(too_long(
            format!("{} bytes", input.len()),
            format!("{MAX_QUERY_BYTES} bytes"),
        ));
    }
    let words = input
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}'))
        .filter(|w| !w.is_empty())
        .count();
    if words > MAX_QUERY_WORDS {
        return Err(too_long(
            format!("{words} words"),
            format!("{MAX_QUERY_WORDS} words"),
        ));
    }
    Ok(())
}

/// Parses a query string. Never fails: what cannot be understood is read
/// as plain words.
pub fn parse(input: &str) -> ParsedQuery {
    let lexemes = join_digit_groups(lex(input));
    let mut query = ParsedQuery::default();
    let mut join_next = false;
    for lexeme in lexemes {
        match lexeme {
            Lexeme::Or => join_next = !query.groups.is_empty(),
            Lexeme::Filter(filter) => {
                query.filters.push(filter);
                join_next = false;
            }
            Lexeme::Item {
                item,
                negated: true,
            } => {
                query.excluded.push(item);
                join_next = false;
            }
            Lexeme::Item {
                item,
                negated: false,
            } => {
                match query.groups.last_mut() {
                    Some(group) if join_next => group.push(item),
                    _ => query.groups.push(vec![item]),
                }
                join_next = false;
            }
        }
    }
    query
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '“' | '„')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '»' | '”' | '“')
}

/// Whether `name` can be a field name before `:` (letters only, as in
/// `commune`, `année`).
fn is_field_name(name: &str) -> bool {
    name.chars().count() >= 2 && name.chars().all(char::is_alphabetic)
}

fn lex(input: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(_, c)) = chars.peek() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}') {
            chars.next();
            continue;
        }
        // A `-` or `+` at the start of a token is an operator.
        let mut negated = false;
        if c == '-' || c == '+' {
            chars.next();
            match chars.peek() {
                Some(&(_, next)) if !next.is_whitespace() => negated = c == '-',
                _ => continue,
            }
        }
        let Some(&(start, c)) = chars.peek() else {
            break;
        };
        if is_open_quote(c) {
            chars.next();
            let from = start + c.len_utf8();
            // A quote never closed is a stray: the rest is read as words.
            let Some(to) = input[from..].find(is_close_quote).map(|i| from + i) else {
                continue;
            };
            while chars.peek().is_some_and(|&(j, _)| j <= to) {
                chars.next();
            }
            let phrase = input[from..to].trim();
            if !phrase.is_empty() {
                out.push(Lexeme::Item {
                    item: Item::Phrase(phrase.to_string()),
                    negated,
                });
            }
            continue;
        }
        let mut end = input.len();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_whitespace()
                || is_open_quote(d)
                || matches!(d, '(' | ')' | '[' | ']' | '{' | '}')
            {
                end = j;
                break;
            }
            chars.next();
            if d == ':' && is_field_name(&input[start..j]) {
                // `field:value` or `field:"a phrase"`; `Paris:` alone and
                // `http://` are plain words.
                let rest = &input[j + 1..];
                let value = if rest.starts_with(is_open_quote) {
                    let open = rest.chars().next().map_or(1, char::len_utf8);
                    rest[open..]
                        .find(is_close_quote)
                        .map(|close| (j + 1 + open, j + 1 + open + close, true))
                } else {
                    let len = rest
                        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))
                        .unwrap_or(rest.len());
                    (len > 0 && !rest.starts_with('/')).then_some((j + 1, j + 1 + len, false))
                };
                if let Some((from, to, quoted)) = value {
                    out.push(Lexeme::Filter(FieldFilter {
                        field: input[start..j].to_string(),
                        value: input[from..to].trim().to_string(),
                        negated,
                    }));
                    let past = if quoted { to + 1 } else { to };
                    while chars.peek().is_some_and(|&(k, _)| k < past) {
                        chars.next();
                    }
                    end = usize::MAX;
                    break;
                }
            }
        }
        if end == usize::MAX {
            continue;
        }
        let word = &input[start..end];
        if (word == "OR" || word == "|" || word == "||") && !negated {
            out.push(Lexeme::Or);
        } else if !(word == "AND" || word == "&&") || negated {
            out.push(Lexeme::Item {
                item: Item::Word(word.to_string()),
                negated,
            });
        }
    }
    out
}

/// `40 000` typed as two words is one number.
fn join_digit_groups(lexemes: Vec<Lexeme>) -> Vec<Lexeme> {
    let mut out: Vec<Lexeme> = Vec::with_capacity(lexemes.len());
    for lexeme in lexemes {
        if let Lexeme::Item {
            item: Item::Word(next),
            negated: false,
        } = &lexeme
        {
            if next.len() == 3 && next.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(Lexeme::Item {
                    item: Item::Word(previous),
                    ..
                }) = out.last_mut()
                {
                    let groups: Vec<&str> = previous.split(' ').collect();
                    let head_ok = groups[0].len() <= 3
                        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
                        && groups[1..].iter().all(|g| g.len() == 3);
                    if head_ok && !groups[0].is_empty() {
                        previous.push(' ');
                        previous.push_str(next);
                        continue;
                    }
                }
            }
        }
        out.push(lexeme);
    }
    out
}

/// An item after analysis: the words it stands for and how they match.
#[derive(Debug, Clone)]
pub struct AnalysedItem {
    /// The item as typed (or the synonym as written in the data).
    pub raw: String,
    pub words: Vec<Word>,
    /// Stemmed terms, one per word.
    pub stems: Vec<String>,
    /// Words typed apart but read together as one name (`bail réel
    /// solidaire` unquoted): each is required, anywhere; together is better.
    pub loose: bool,
    /// Typed between quotes: never read together with its neighbours.
    pub quoted: bool,
    /// Only the acronym written in capitals counts (`=PLUS` in the data).
    pub capitals_only: bool,
    /// Weight of its matches: 1 for what was typed, less for synonyms.
    pub weight: f32,
}

impl AnalysedItem {
    /// Analyses an item; `None` when it has no words (punctuation).
    pub fn new(analyzer: &Analyzer, raw: &str) -> Option<AnalysedItem> {
        let words = analyzer.words(raw);
        if words.is_empty() {
            return None;
        }
        let stems = words.iter().map(|w| analyzer.stem(w)).collect();
        Some(AnalysedItem {
            raw: raw.to_string(),
            words,
            stems,
            loose: false,
            quoted: false,
            capitals_only: false,
            weight: 1.0,
        })
    }

    /// One short word typed in capitals: an acronym (`PLUS`, `PSLA`). A
    /// long word in capitals (`COMPIÈGNE`) is a word shouted, not an acronym.
    pub fn acronym(&self) -> Option<String> {
        match self.words.as_slice() {
            [word] if word.folded.chars().count() <= MAX_ACRONYM_CHARS => word.acronym_term(),
            _ => None,
        }
    }

    /// Whether this was typed by the user (not a synonym).
    pub fn typed(&self) -> bool {
        self.weight >= 1.0
    }

    /// The query matching this item in a passage's text.
    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let query = self.query_in(fields.text, Some(fields.text_exact));
        if self.weight == 1.0 {
            query
        } else {
            Box::new(BoostQuery::new(query, self.weight))
        }
    }

    /// The query matching this item in `stemmed` (and, for the bonus of
    /// exact forms, in `exact`).
    fn query_in(&self, stemmed: Field, exact: Option<Field>) -> Box<dyn Query> {
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let acronym = self.acronym();
        if self.capitals_only {
            if let Some(acronym) = &acronym {
                return term(stemmed, acronym);
            }
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if self.words.len() == 1 {
            should.push((Occur::Should, term(stemmed, &self.stems[0])));
            if let Some(exact) = exact {
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        term(exact, &self.words[0].folded),
                        EXACT_BOOST,
                    )),
                ));
            }
            // The acronym's own term is rare where the ordinary word is
            // common (PLUS vs plus): it lifts the acronym above the word.
            if let Some(acronym) = acronym {
                should.push((Occur::Should, term(stemmed, &acronym)));
            }
            return Box::new(BooleanQuery::new(should));
        }
        let phrase = |field, texts: &mut dyn Iterator<Item = &str>| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(
                texts.map(|t| Term::from_field_text(field, t)).collect(),
            ))
        };
        // Phrases match on stems (the exact field has no positions).
        should.push((
            Occur::Should,
            phrase(stemmed, &mut self.stems.iter().map(String::as_str)),
        ));
        if !self.loose {
            return Box::new(BooleanQuery::new(should));
        }
        // Loose: every word required; the phrase only adds to the score.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .stems
            .iter()
            .map(|s| (Occur::Must, term(stemmed, s)))
            .collect();
        clauses.extend(should);
        Box::new(BooleanQuery::new(clauses))
    }
}

/// What one part of the query stands for: alternatives typed (joined by
/// `OR`), their synonyms, and facet values they name. A passage matches the
/// group when it matches any of them.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Typed alternatives first, then synonyms (weight below 1).
    pub items: Vec<AnalysedItem>,
    /// Facet values named: passages tagged with them match too.
    pub tags: Vec<(FacetField, String)>,
}

impl Group {
    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = self
            .items
            .iter()
            .map(|i| (Occur::Should, i.query(fields)))
            .collect();
        for (field, key) in &self.tags {
            if let Some(key_field) = fields.facet_key(*field) {
                let term = TermQuery::new(
                    Term::from_field_text(key_field, key),
                    IndexRecordOption::Basic,
                );
                should.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(term), TAG_SCORE)),
                ));
            }
        }
        if should.len() == 1 {
            return should.remove(0).1;
        }
        Box::new(BooleanQuery::new(should))
    }

    /// The items as typed (not synonyms).
    pub fn typed(&self) -> impl Iterator<Item = &AnalysedItem> {
        self.items.iter().filter(|i| i.typed())
    }
}

/// A query ready to run: analysed groups and exclusions.
#[derive(Debug, Clone, Default)]
pub struct AnalysedQuery {
    pub groups: Vec<Group>,
    pub excluded: Vec<Group>,
}

impl AnalysedQuery {
    /// Analyses a parsed query; items without words (punctuation) vanish.
    pub fn new(analyzer: &Analyzer, parsed: &ParsedQuery) -> AnalysedQuery {
        let group = |items: &[Item]| -> Group {
            Group {
                items: items
                    .iter()
                    .filter_map(|i| {
                        let mut item = AnalysedItem::new(analyzer, i.raw())?;
                        item.quoted = matches!(i, Item::Phrase(_));
                        Some(item)
                    })
                    .collect(),
                tags: Vec::new(),
            }
        };
        AnalysedQuery {
            groups: parsed
                .groups
                .iter()
                .map(|g| group(g))
                .filter(|g| !g.items.is_empty())
                .collect(),
            excluded: parsed
                .excluded
                .iter()
                .map(|i| group(std::slice::from_ref(i)))
                .filter(|g| !g.items.is_empty())
                .collect(),
        }
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The text query: every group required (`all_words`) or any group,
    /// plus what ranks a passage higher: the words close together and in
    /// the heading or title.
    pub fn text_query(&self, fields: &Fields, all_words: bool) -> Box<dyn Query> {
        let occur = if all_words {
            Occur::Must
        } else {
            Occur::Should
        };
        let matching: Vec<(Occur, Box<dyn Query>)> = self
            .groups
            .iter()
            .map(|g| (occur, g.query(fields)))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(matching)))];
        if let Some(proximity) = self.proximity_query(fields) {
            clauses.push((Occur::Should, proximity));
        }
        for field in [fields.heading, fields.title] {
            for item in self.groups.iter().flat_map(Group::typed) {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(item.query_in(field, None), HEADING_BOOST)),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The words of all groups as one loose phrase, when every group is a
    /// single typed item and there are several words.
    fn proximity_query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        let mut terms = Vec::new();
        for group in &self.groups {
            let mut typed = group.typed();
            let (Some(item), None) = (typed.next(), typed.next()) else {
                return None;
            };
            terms.extend(
                item.stems
                    .iter()
                    .map(|s| Term::from_field_text(fields.text, s)),
            );
        }
        if self.groups.len() < 2 || terms.len() < 2 {
            return None;
        }
        let mut phrase = PhraseQuery::new(terms);
        phrase.set_slop(PROXIMITY_SLOP);
        Some(Box::new(BoostQuery::new(Box::new(phrase), PROXIMITY_BOOST)))
    }

    /// The query of the excluded items, if any.
    pub fn excluded_query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        if self.excluded.is_empty() {
            return None;
        }
        Some(Box::new(BooleanQuery::new(
            self.excluded
                .iter()
                .map(|g| (Occur::Should, g.query(fields)))
                .collect(),
        )))
    }

    /// The items to highlight (all but the excluded), synonyms included.
    pub fn items(&self) -> impl Iterator<Item = &AnalysedItem> {
        self.groups.iter().flat_map(|g| g.items.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Item {
        Item::Word(s.to_string())
    }

    fn p(s: &str) -> Item {
        Item::Phrase(s.to_string())
    }

    #[test]
    fn words_phrases_exclusions_and_or() {
        let q = parse(r#"PSLA "Action Cœur de Ville" -Paris BRS OR PLAI"#);
        assert_eq!(
            q.groups,
            vec![
                vec![w("PSLA")],
                vec![p("Action Cœur de Ville")],
                vec![w("BRS"), w("PLAI")]
            ]
        );
        assert_eq!(q.excluded, vec![w("Paris")]);
        let q = parse("-\"prêt social\" logement");
        assert_eq!(q.excluded, vec![p("prêt social")]);
        assert_eq!(q.groups, vec![vec![w("logement")]]);
    }

    #[test]
    fn field_filters() {
        let f = |field: &str, value: &str, negated| FieldFilter {
            field: field.into(),
            value: value.into(),
            negated,
        };
        let q = parse(
            r#"PSLA commune:Compiègne programme:"Action Cœur de Ville" -org:X year:2019..2021"#,
        );
        assert_eq!(q.groups, vec![vec![w("PSLA")]]);
        assert_eq!(
            q.filters,
            vec![
                f("commune", "Compiègne", false),
                f("programme", "Action Cœur de Ville", false),
                f("org", "X", true),
                f("year", "2019..2021", false),
            ]
        );
        // Not filters: a colon ending a word, a URL, a time, a stray quote.
        for text in ["Senlis:", "https://example.org", "10:30"] {
            let q = parse(text);
            assert!(q.filters.is_empty(), "{text}");
            assert_eq!(q.groups.len(), 1, "{text}");
        }
        let q = parse(r#"programme:"Action Cœur"#);
        assert!(q.filters.is_empty());
        assert!(!q.groups.is_empty());
    }

    #[test]
    fn french_quotes() {
        let q = parse("« Action Cœur de Ville » Oise");
        assert_eq!(
            q.groups,
            vec![vec![p("Action Cœur de Ville")], vec![w("Oise")]]
        );
    }

    #[test]
    fn apostrophes_are_text_not_quotes() {
        let q = parse("l'accession sociale qu’il");
        assert_eq!(
            q.groups,
            vec![vec![w("l'accession")], vec![w("sociale")], vec![w("qu’il")]]
        );
    }

    #[test]
    fn malformed_input_never_fails() {
        assert_eq!(
            parse(r#""PSLA Compiègne"#).groups,
            vec![vec![w("PSLA")], vec![w("Compiègne")]]
        );
        assert_eq!(
            parse(r#"« Cœur de Ville » "PSLA"#).groups,
            vec![vec![p("Cœur de Ville")], vec![w("PSLA")]]
        );
        assert_eq!(parse("(PSLA").groups, vec![vec![w("PSLA")]]);
        assert_eq!(parse("PSLA)))").groups, vec![vec![w("PSLA")]]);
        assert_eq!(parse("OR OR PSLA OR").groups, vec![vec![w("PSLA")]]);
        assert_eq!(parse("- -- \"\" ()").groups, Vec::<Vec<Item>>::new());
        assert_eq!(parse("logement AND social").groups.len(), 2);
        assert_eq!(parse("a - b").groups, vec![vec![w("a")], vec![w("b")]]);
        assert_eq!(
            parse("Saint-Quentin").groups,
            vec![vec![w("Saint-Quentin")]]
        );
    }

    #[test]
    fn digit_groups_typed_apart_are_one_number() {
        assert_eq!(
            parse("40 000 logements").groups,
            vec![vec![w("40 000")], vec![w("logements")]]
        );
        assert_eq!(parse("1 250 000").groups, vec![vec![w("1 250 000")]]);
        assert_eq!(
            parse("2020 100").groups,
            vec![vec![w("2020")], vec![w("100")]]
        );
    }

    #[test]
    fn analysis_drops_punctuation_items_and_splits_compounds() {
        let analyzer = Analyzer::default();
        let q = AnalysedQuery::new(&analyzer, &parse("… Saint-Quentin ! PLUS"));
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].items[0].stems.len(), 2);
        assert_eq!(q.groups[1].items[0].acronym().as_deref(), Some("PLUS"));
        assert!(AnalysedQuery::new(&analyzer, &parse("?! …")).is_empty());
    }
}
