//! Query syntax: words, `"phrases"` (also `« »` and `“ ”`), `-excluded`
//! words or phrases, `OR` between alternatives, and facet filters
//! (`commune:Compiègne`, `programme:"Action Cœur de Ville"`, `-org:X`,
//! `year:2019..2021`). Parsing is lenient: a stray quote or parenthesis never
//! fails; apostrophes are part of words (`l'accession`, `qu’il`). Words
//! typed apart that the analyzer reads as one (`1 841,5`, `40 000`) are one
//! word: the lexer asks the analyzer's own rule.
//!
//! What the parsed query means is `query.rs`'s job.

use std::ops::Range;

use crate::analysis::joined_across;
use crate::error::{Error, QueryLimit};

/// A word or phrase of the query, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A word (or compound, `Saint-Quentin`).
    Word(String),
    /// Words between quotes.
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
    /// The value, without quotes.
    pub value: String,
    /// Written `-field:value`: an exclusion.
    pub negated: bool,
}

/// A parsed query: groups that must all match (each group is one item or
/// alternatives joined by `OR`), excluded items, and facet filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Groups that must all match; the items of one are alternatives.
    pub groups: Vec<Vec<Item>>,
    /// Items a passage must not hold.
    pub excluded: Vec<Item>,
    /// Facet filters.
    pub filters: Vec<FieldFilter>,
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Item {
        item: Item,
        negated: bool,
        /// Where a word stands in the query (empty for a phrase).
        span: Range<usize>,
    },
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
pub fn check_limits(input: &str) -> Result<(), Error> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(Error::QueryTooLong(QueryLimit::Bytes {
            found: input.len(),
            limit: MAX_QUERY_BYTES,
        }));
    }
    let words = input
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '{' | '}'))
        .filter(|w| !w.is_empty())
        .count();
    if words > MAX_QUERY_WORDS {
        return Err(Error::QueryTooLong(QueryLimit::Words {
            found: words,
            limit: MAX_QUERY_WORDS,
        }));
    }
    Ok(())
}

/// Parses a query string. Never fails: what cannot be understood is read
/// as plain words.
pub fn parse(input: &str) -> ParsedQuery {
    let lexemes = join_numbers(input, lex(input));
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
                ..
            } => {
                query.excluded.push(item);
                join_next = false;
            }
            Lexeme::Item {
                item,
                negated: false,
                ..
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
                    span: 0..0,
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
                span: start..end,
            });
        }
    }
    out
}

/// Words typed apart that the analyzer reads as one word are one word:
/// `40 000`, `1 841,5`, with the spaces typed (plain or no-break).
fn join_numbers(input: &str, lexemes: Vec<Lexeme>) -> Vec<Lexeme> {
    let mut out: Vec<Lexeme> = Vec::with_capacity(lexemes.len());
    for lexeme in lexemes {
        if let (
            Some(Lexeme::Item {
                item: Item::Word(previous),
                span: before,
                ..
            }),
            Lexeme::Item {
                item: Item::Word(_),
                negated: false,
                span: next,
            },
        ) = (out.last_mut(), &lexeme)
        {
            let joined = before.start..next.end;
            if before.start < before.end
                && next.start < next.end
                && joined_across(&input[joined.clone()], before.len())
            {
                *previous = input[joined.clone()].to_string();
                *before = joined;
                continue;
            }
        }
        out.push(lexeme);
    }
    out
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
    fn numbers_typed_apart_are_one_word() {
        assert_eq!(
            parse("40 000 logements").groups,
            vec![vec![w("40 000")], vec![w("logements")]]
        );
        assert_eq!(parse("1 250 000").groups, vec![vec![w("1 250 000")]]);
        assert_eq!(
            parse("1 841,5 m²").groups,
            vec![vec![w("1 841,5")], vec![w("m²")]]
        );
        assert_eq!(
            parse("40\u{202F}000").groups,
            vec![vec![w("40\u{202F}000")]]
        );
        assert_eq!(
            parse("2020 100").groups,
            vec![vec![w("2020")], vec![w("100")]]
        );
        assert_eq!(parse("40  000").groups.len(), 2);
        assert_eq!(parse("-40 000 x").excluded, vec![w("40 000")]);
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        #[test]
        fn any_query_parses(query in "\\PC{0,200}") {
            let _ = check_limits(&query);
            let parsed = parse(&query);
            proptest::prop_assert!(parsed.groups.iter().all(|g| !g.is_empty()));
        }
    }
}
