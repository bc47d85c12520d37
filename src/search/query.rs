//! What a parsed query means, as tantivy queries: groups that must all
//! match, each with what it stands for (the words as typed, their synonyms,
//! the facet values they name, see [`crate::search::vocabulary`]), and
//! exclusions. The weights, and how BM25 and the boosts are combined, are
//! [`crate::search::rank`]'s.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::capitals::is_acronym_length;
use crate::analysis::{Analyzer, Word};
use crate::facets::FacetField;
use crate::index::Fields;
use crate::search::join::ArticleJoin;
use crate::search::phrase::KnownPhraseQuery;
use crate::search::rank;
use crate::search::syntax::{Item, ParsedQuery};

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
    /// Its words are a known phrase with index tokens in every passage
    /// (see [`crate::search::phrase`]).
    pub known_phrase: bool,
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
            known_phrase: false,
        })
    }

    /// One short word typed in capitals: an acronym (`PLUS`, `PSLA`). A
    /// long word in capitals (`COMPIÈGNE`) is a word shouted, not an acronym
    /// (see [`crate::analysis::capitals`]).
    pub fn acronym(&self) -> Option<String> {
        match self.words.as_slice() {
            [word] if is_acronym_length(&word.folded) => word.acronym_term(),
            _ => None,
        }
    }

    /// Whether this was typed by the user (not a synonym).
    pub fn typed(&self) -> bool {
        self.weight >= 1.0
    }

    /// The query matching this item in a passage's text.
    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let query = self.query_in(fields.text, Some((fields.exact, fields.phrases)));
        if self.weight == 1.0 {
            query
        } else {
            Box::new(BoostQuery::new(query, self.weight))
        }
    }

    /// A single word, as its stem's query (what matches) and the bonuses
    /// of its exact form and its acronym (what only adds to the score),
    /// each with the item's weight: the same sum as
    /// [`AnalysedItem::query`], split so that the first part is a term
    /// tantivy prunes (the exact forms have no frequencies, which its
    /// pruning of a union needs). `None` for anything else.
    fn word_parts(&self, fields: &Fields) -> Option<rank::Scoring> {
        if self.words.len() != 1 || self.capitals_only {
            return None;
        }
        let term = |field: Field, text: &str, weight: f32| -> Box<dyn Query> {
            let query = Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ));
            if weight == 1.0 {
                query
            } else {
                Box::new(BoostQuery::new(query, weight))
            }
        };
        let stem = &self.stems[0];
        let mut bonuses = Vec::new();
        let folded = &self.words[0].folded;
        if folded != stem {
            bonuses.push(term(fields.exact, folded, rank::EXACT_BOOST * self.weight));
        }
        if let Some(acronym) = self.acronym() {
            bonuses.push(term(fields.text, &acronym, self.weight));
        }
        Some(rank::Scoring {
            matching: term(fields.text, stem, self.weight),
            bonuses,
            prunable: true,
        })
    }

    /// The stems joined by spaces: the token of a known phrase.
    pub fn phrase_token(&self) -> String {
        self.stems.join(" ")
    }

    /// The query matching this item in `field` (text, heading or title);
    /// in the text, `tokens` are its exact forms (a bonus) and its phrase
    /// tokens.
    fn query_in(&self, field: Field, tokens: Option<(Field, Field)>) -> Box<dyn Query> {
        let term_in = |field: Field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let term = |text: &str| term_in(field, text);
        let acronym = self.acronym();
        if self.capitals_only {
            if let Some(acronym) = &acronym {
                return term(acronym);
            }
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if self.words.len() == 1 {
            // The stem is required and the rest optional: a passage holding
            // the exact form or the acronym holds the stem too (both come
            // from the same word), so this matches what a union of the
            // three would, while the stem's postings drive the search and
            // the others are only looked up at its passages.
            let stem = &self.stems[0];
            should.push((Occur::Must, term(stem)));
            // The exact form is indexed where it differs from the stem (see
            // `analysis::tokenizer`).
            let folded = &self.words[0].folded;
            if let Some((exact, _)) = tokens.filter(|_| folded != stem) {
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(term_in(exact, folded), rank::EXACT_BOOST)),
                ));
            }
            // The acronym's own term is rare where the ordinary word is
            // common (PLUS vs plus): it lifts the acronym above the word.
            if let Some(acronym) = acronym {
                should.push((Occur::Should, term(&acronym)));
            }
            return Box::new(BooleanQuery::new(should));
        }
        // Phrases match on stems; a known phrase reads its own token.
        let words: Vec<Term> = self
            .stems
            .iter()
            .map(|s| Term::from_field_text(field, s))
            .collect();
        let phrase: Box<dyn Query> = match tokens {
            Some((_, phrases)) if self.known_phrase => Box::new(KnownPhraseQuery::new(
                Term::from_field_text(phrases, &self.phrase_token()),
                words,
            )),
            _ => Box::new(PhraseQuery::new(words)),
        };
        should.push((Occur::Should, phrase));
        if !self.loose {
            return Box::new(BooleanQuery::new(should));
        }
        // Loose: every word required; the phrase only adds to the score.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            self.stems.iter().map(|s| (Occur::Must, term(s))).collect();
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
    /// What matches the group, and the bonuses that only add to its
    /// score. Alone in its query, a group of single words (typed, or
    /// synonyms) without tags is the union of their stems, which tantivy
    /// prunes, their other terms bonuses (see
    /// [`AnalysedItem::word_parts`]); beside other groups, each word's stem
    /// leads and its other terms are read where the intersection lands.
    fn parts(&self, fields: &Fields, alone: bool) -> rank::Scoring {
        if alone && self.tags.is_empty() {
            let words: Option<Vec<_>> = self.items.iter().map(|i| i.word_parts(fields)).collect();
            if let Some(mut words) = words {
                if words.len() == 1 {
                    return words.remove(0);
                }
                let mut stems = Vec::with_capacity(words.len());
                let mut bonuses = Vec::new();
                for word in words {
                    stems.push((Occur::Should, word.matching));
                    bonuses.extend(word.bonuses);
                }
                return rank::Scoring {
                    matching: Box::new(BooleanQuery::new(stems)),
                    bonuses,
                    prunable: true,
                };
            }
        }
        rank::Scoring {
            matching: self.query(fields),
            bonuses: Vec::new(),
            prunable: false,
        }
    }

    fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = self
            .items
            .iter()
            .map(|i| (Occur::Should, i.query(fields)))
            .collect();
        for (field, key) in &self.tags {
            if let Some(key_field) = fields.facet_key(*field) {
                // The passages naming the value (an article document's
                // keys are apart, see `index::schema::article_key`).
                let term = TermQuery::new(
                    Term::from_field_text(key_field, key),
                    IndexRecordOption::Basic,
                );
                should.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(term), rank::TAG_SCORE)),
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
    /// with what ranks a passage higher: the words close together, and in
    /// the heading or title (see [`rank::Scoring`]).
    /// `unfiltered`: nothing else selects the passages (no filter, no
    /// exclusion), so a single group leads the search alone.
    pub(crate) fn text_query(
        &self,
        fields: &Fields,
        all_words: bool,
        unfiltered: bool,
    ) -> rank::Scoring {
        let occur = if all_words {
            Occur::Must
        } else {
            Occur::Should
        };
        let alone = unfiltered && self.groups.len() == 1 && self.excluded.is_empty();
        let mut bonuses = Vec::new();
        let mut prunable = alone;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            let parts = group.parts(fields, alone);
            clauses.push((occur, parts.matching));
            bonuses.extend(parts.bonuses);
            prunable &= parts.prunable;
        }
        // A single clause alone: tantivy prunes a term query, not a
        // boolean query of one.
        let matching: Box<dyn Query> = if clauses.len() == 1 && occur == Occur::Must {
            clauses.remove(0).1
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        let typed = || self.groups.iter().flat_map(Group::typed);
        let mut headings: Vec<Box<dyn Query>> = typed()
            .map(|item| item.query_in(fields.heading, None))
            .collect();
        // The title is the article's: its score goes to each passage.
        let titles: Vec<(Occur, Box<dyn Query>)> = typed()
            .map(|item| (Occur::Should, item.query_in(fields.title, None)))
            .collect();
        if !titles.is_empty() {
            headings.push(Box::new(ArticleJoin::articles(
                Box::new(BooleanQuery::new(titles)),
                fields.offset,
            )));
        }
        let mut scoring = rank::Scoring::text(matching, self.proximity_query(fields), headings);
        scoring.bonuses.extend(bonuses);
        scoring.prunable = prunable;
        scoring
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
        phrase.set_slop(rank::PROXIMITY_SLOP);
        Some(Box::new(phrase))
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
    use crate::search::syntax::parse;

    #[test]
    fn analysis_drops_punctuation_items_and_splits_compounds() {
        let analyzer = Analyzer::default();
        let q = AnalysedQuery::new(&analyzer, &parse("… Saint-Quentin ! PLUS"));
        assert_eq!(q.groups.len(), 2);
        assert_eq!(q.groups[0].items[0].stems.len(), 2);
        assert_eq!(q.groups[1].items[0].acronym().as_deref(), Some("PLUS"));
        assert!(AnalysedQuery::new(&analyzer, &parse("?! …")).is_empty());
    }

    #[test]
    fn a_short_word_in_capitals_is_an_acronym_a_long_one_is_shouted() {
        let analyzer = Analyzer::default();
        let item = |text| AnalysedItem::new(&analyzer, text).unwrap();
        assert_eq!(item("NPNRU").acronym().as_deref(), Some("NPNRU"));
        assert_eq!(item("COMPIÈGNE").acronym(), None);
        assert_eq!(item("plus").acronym(), None);
    }

    #[test]
    fn numbers_typed_apart_are_analysed_as_the_text_is() {
        let analyzer = Analyzer::default();
        let q = AnalysedQuery::new(&analyzer, &parse("1 841,5 m²"));
        assert_eq!(q.groups[0].items[0].words[0].folded, "1841,5");
    }
}
