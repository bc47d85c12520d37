//! Query language: words, `"phrases"` (also `« »` and `“ ”`), `-excluded`
//! words or phrases, and `OR` between alternatives. Parsing is lenient: a
//! stray quote or parenthesis never fails; apostrophes are part of words
//! (`l'accession`, `qu’il`).

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::analysis::{Analyzer, Word};
use crate::index::Fields;

/// Extra weight of a match on the unstemmed form: exact forms rank above
/// mere stem matches.
const EXACT_BOOST: f32 = 0.5;

/// Longest query word taken for an acronym (NPNRU, ORCOD, LLTS).
const MAX_ACRONYM_CHARS: usize = 6;

/// A word or phrase of the query, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Word(String),
    Phrase(String),
}

impl Item {
    fn raw(&self) -> &str {
        match self {
            Item::Word(s) | Item::Phrase(s) => s,
        }
    }
}

/// A parsed query: groups that must all match (each group is one item or
/// alternatives joined by `OR`), and excluded items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Item>>,
    pub excluded: Vec<Item>,
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Item { item: Item, negated: bool },
    Or,
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

/// An item after analysis: the words it stands for.
#[derive(Debug, Clone)]
pub struct AnalysedItem {
    pub words: Vec<Word>,
    /// Stemmed terms, one per word.
    pub stems: Vec<String>,
}

impl AnalysedItem {
    fn new(analyzer: &Analyzer, item: &Item) -> Option<AnalysedItem> {
        let words = analyzer.words(item.raw());
        if words.is_empty() {
            return None;
        }
        let stems = words.iter().map(|w| analyzer.stem(w)).collect();
        Some(AnalysedItem { words, stems })
    }

    /// One short word typed in capitals: an acronym (`PLUS`, `PSLA`). A
    /// long word in capitals (`COMPIÈGNE`) is a word shouted, not an acronym.
    pub fn acronym(&self) -> Option<String> {
        match self.words.as_slice() {
            [word] if word.folded.chars().count() <= MAX_ACRONYM_CHARS => word.acronym_term(),
            _ => None,
        }
    }

    /// The tantivy query matching this item in a passage's text.
    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if self.words.len() == 1 {
            let term = |field, text: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::WithFreqs,
                ))
            };
            should.push((Occur::Should, term(fields.text, &self.stems[0])));
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    term(fields.text_exact, &self.words[0].folded),
                    EXACT_BOOST,
                )),
            ));
            // The acronym's own term is rare where the ordinary word is
            // common (PLUS vs plus): it lifts the acronym above the word.
            if let Some(acronym) = self.acronym() {
                should.push((Occur::Should, term(fields.text, &acronym)));
            }
        } else {
            let terms = |field, texts: &mut dyn Iterator<Item = &str>| {
                texts
                    .map(|t| Term::from_field_text(field, t))
                    .collect::<Vec<_>>()
            };
            let stems = terms(fields.text, &mut self.stems.iter().map(String::as_str));
            let exact = terms(
                fields.text_exact,
                &mut self.words.iter().map(|w| w.folded.as_str()),
            );
            should.push((Occur::Should, Box::new(PhraseQuery::new(stems))));
            should.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(PhraseQuery::new(exact)),
                    EXACT_BOOST,
                )),
            ));
        }
        Box::new(BooleanQuery::new(should))
    }
}

/// A query ready to run: analysed groups and exclusions.
#[derive(Debug, Clone, Default)]
pub struct AnalysedQuery {
    pub groups: Vec<Vec<AnalysedItem>>,
    pub excluded: Vec<AnalysedItem>,
}

impl AnalysedQuery {
    /// Analyses a parsed query; items without words (punctuation) vanish.
    pub fn new(analyzer: &Analyzer, parsed: &ParsedQuery) -> AnalysedQuery {
        let analyse = |items: &[Item]| -> Vec<AnalysedItem> {
            items
                .iter()
                .filter_map(|i| AnalysedItem::new(analyzer, i))
                .collect()
        };
        AnalysedQuery {
            groups: parsed
                .groups
                .iter()
                .map(|g| analyse(g))
                .filter(|g| !g.is_empty())
                .collect(),
            excluded: analyse(&parsed.excluded),
        }
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The text query: every group required (`all_words`) or any group.
    pub fn text_query(&self, fields: &Fields, all_words: bool) -> Box<dyn Query> {
        let group_query = |group: &[AnalysedItem]| -> Box<dyn Query> {
            if group.len() == 1 {
                return group[0].query(fields);
            }
            Box::new(BooleanQuery::new(
                group
                    .iter()
                    .map(|i| (Occur::Should, i.query(fields)))
                    .collect(),
            ))
        };
        let occur = if all_words {
            Occur::Must
        } else {
            Occur::Should
        };
        let clauses: Vec<(Occur, Box<dyn Query>)> = self
            .groups
            .iter()
            .map(|g| (occur, group_query(g)))
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// The query of the excluded items, if any.
    pub fn excluded_query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        if self.excluded.is_empty() {
            return None;
        }
        Some(Box::new(BooleanQuery::new(
            self.excluded
                .iter()
                .map(|i| (Occur::Should, i.query(fields)))
                .collect(),
        )))
    }

    /// The items to highlight (all but the excluded).
    pub fn items(&self) -> impl Iterator<Item = &AnalysedItem> {
        self.groups.iter().flatten()
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
        assert_eq!(q.groups[0][0].stems.len(), 2);
        assert_eq!(q.groups[1][0].acronym().as_deref(), Some("PLUS"));
        assert!(AnalysedQuery::new(&analyzer, &parse("?! …")).is_empty());
    }
}
