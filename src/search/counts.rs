//! Counting facet values over the passages a query matches, from the fast
//! columns: how many passages and how many distinct articles hold each
//! value, in the passage's own values or with its article's (see
//! [`Scope`]).

use rustc_hash::FxHashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocId, Score, SegmentOrdinal};

use crate::facets::{FacetField, FacetValue, Scope};
use crate::index::blocks::Blocks;
use crate::index::schema::{facet_value_name, name};

/// One value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The value.
    pub value: FacetValue,
    /// Matching passages holding the value.
    pub passages: u64,
    /// Distinct articles among them.
    pub articles: u64,
    /// The value is one the field's own filter selects.
    pub selected: bool,
}

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountUnit {
    /// Distinct articles: what people mean by "how many". The default.
    #[default]
    Articles,
    /// Passages.
    Passages,
}

impl CountUnit {
    /// The name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            CountUnit::Articles => "articles",
            CountUnit::Passages => "passages",
        }
    }
}

/// The counts of one field, most frequent first.
#[derive(Debug, Clone)]
pub struct FacetCounts {
    /// The field counted.
    pub field: FacetField,
    /// Whose values were counted: the passages' own, or with their
    /// articles'.
    pub scope: Scope,
    /// What orders the values: articles or passages.
    pub unit: CountUnit,
    /// Passages matched by the query and all the filters.
    pub passages: usize,
    /// A filter on the field itself was left out of the counts.
    pub disjunctive: bool,
    /// The values, most frequent first.
    pub counts: Vec<FacetCount>,
}

/// Collects the value counts of facet fields, all of them in one pass over
/// the matching passages.
pub(crate) struct FacetCollector {
    fields: Vec<FacetField>,
    scope: Scope,
    unit: CountUnit,
}

impl FacetCollector {
    pub(crate) fn new(fields: &[FacetField], scope: Scope, unit: CountUnit) -> FacetCollector {
        FacetCollector {
            fields: fields.to_vec(),
            scope,
            unit,
        }
    }
}

/// Where a segment reads the values.
enum Values {
    Text(StrColumn),
    Year(Column<i64>),
    Missing,
}

/// The counts of one field in one segment.
struct Tally {
    values: Values,
    /// The values of the article of the passages being counted (its
    /// value ordinals, or its years), read once per article.
    article_values: Vec<u64>,
    /// By value ordinal, for text values.
    by_ordinal: Vec<ValueCount>,
    /// By year.
    by_year: FxHashMap<i64, ValueCount>,
}

pub(crate) struct FacetSegmentCollector {
    /// Which article each passage is of.
    blocks: Blocks,
    /// The values of the article document count for its passages.
    article_scope: bool,
    /// One per field, in the collector's order.
    tallies: Vec<Tally>,
    /// The ordinals of one passage's values.
    ords: Vec<u64>,
    /// The article whose values the tallies hold, if any yet, and how
    /// many of its passages matched so far.
    article: Option<DocId>,
    run: u64,
}

/// The passages of one value in a segment, and its articles.
///
/// An article's passages follow each other in a single segment (an article
/// is a block, see `index::blocks`), so its passages holding a value are a
/// run of the collected documents: counting the runs counts the articles,
/// with no set of articles and no article read twice.
#[derive(Default, Clone, Copy)]
struct ValueCount {
    passages: u64,
    articles: u64,
    /// The article document of the last passage counted, plus one (0:
    /// none yet).
    last: u64,
}

impl ValueCount {
    /// Counts `passages` passages of `article` at once.
    fn add_run(&mut self, article: DocId, passages: u64) {
        self.passages += passages;
        let article = u64::from(article) + 1;
        if self.last != article {
            self.last = article;
            self.articles += 1;
        }
    }

    fn add(&mut self, article: DocId) {
        self.passages += 1;
        let article = u64::from(article) + 1;
        if self.last != article {
            self.last = article;
            self.articles += 1;
        }
    }
}

/// Per segment and field: value → (passages, articles).
type SegmentFruit = FxHashMap<String, (u64, u64)>;

impl Collector for FacetCollector {
    /// The counts of each field, in the order of the fields asked.
    type Fruit = Vec<Vec<FacetCount>>;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = reader.fast_fields();
        let mut tallies = Vec::with_capacity(self.fields.len());
        for &field in &self.fields {
            let values = match field {
                FacetField::Year => Values::Year(fast.i64(name::YEAR)?),
                field => match fast.str(&facet_value_name(field))? {
                    Some(column) => Values::Text(column),
                    None => Values::Missing,
                },
            };
            let by_ordinal = match &values {
                Values::Text(column) => vec![ValueCount::default(); column.num_terms()],
                _ => Vec::new(),
            };
            tallies.push(Tally {
                values,
                article_values: Vec::new(),
                by_ordinal,
                by_year: FxHashMap::default(),
            });
        }
        Ok(FacetSegmentCollector {
            blocks: Blocks::of(reader)?,
            article_scope: self.scope == Scope::Article,
            tallies,
            ords: Vec::new(),
            article: None,
            run: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<SegmentFruit>>,
    ) -> tantivy::Result<Vec<Vec<FacetCount>>> {
        let mut merged = vec![SegmentFruit::default(); self.fields.len()];
        for segment in fruits {
            for (field, fruit) in merged.iter_mut().zip(segment) {
                for (value, (passages, articles)) in fruit {
                    let entry = field.entry(value).or_default();
                    entry.0 += passages;
                    entry.1 += articles;
                }
            }
        }
        Ok(self
            .fields
            .iter()
            .zip(merged)
            .map(|(&field, fruit)| self.ordered(field, fruit))
            .collect())
    }
}

impl FacetCollector {
    /// The counts of a field, most frequent first as `unit` says; ties are
    /// broken by the stored form, whose first part is the name.
    fn ordered(&self, field: FacetField, fruit: SegmentFruit) -> Vec<FacetCount> {
        let mut counts: Vec<(String, FacetCount)> = fruit
            .into_iter()
            .map(|(stored, (passages, articles))| {
                let count = FacetCount {
                    value: FacetValue::from_stored(field, &stored),
                    passages,
                    articles,
                    selected: false,
                };
                (stored, count)
            })
            .collect();
        let key = |c: &FacetCount| match self.unit {
            CountUnit::Articles => (c.articles, c.passages),
            CountUnit::Passages => (c.passages, c.articles),
        };
        counts.sort_by(|(a_stored, a), (b_stored, b)| {
            key(b)
                .cmp(&key(a))
                .then_with(|| a_stored.split('|').cmp(b_stored.split('|')))
        });
        counts.into_iter().map(|(_, count)| count).collect()
    }
}

impl FacetSegmentCollector {
    /// Counts the values of the current article for its passages matched.
    fn flush(&mut self) {
        let (Some(article), run) = (self.article, self.run) else {
            return;
        };
        for tally in &mut self.tallies {
            tally.count_article(article, run);
        }
        self.run = 0;
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = Vec<SegmentFruit>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let article = self.blocks.article_of(doc);
        // Passages come in order, an article's together: its values are
        // read once, and counted once with the number of its passages.
        if self.article != Some(article) {
            self.flush();
            self.article = Some(article);
            for tally in &mut self.tallies {
                tally.read_article(article, self.article_scope);
            }
        }
        self.run += 1;
        for tally in &mut self.tallies {
            if let Values::Text(column) = &tally.values {
                // The passage's own values, but those of its article (one
                // column holds both, so a value of both has one ordinal).
                self.ords.clear();
                self.ords.extend(column.term_ords(doc));
                for &ord in &self.ords {
                    if tally.article_values.binary_search(&ord).is_err() {
                        if let Some(count) = tally.by_ordinal.get_mut(ord as usize) {
                            count.add(article);
                        }
                    }
                }
            }
        }
    }

    fn harvest(mut self) -> Vec<SegmentFruit> {
        self.flush();
        self.tallies.into_iter().map(Tally::harvest).collect()
    }
}

impl Tally {
    /// Reads the values of `article` that count for its passages: its
    /// values in the article scope, its publication years always.
    fn read_article(&mut self, article: DocId, article_scope: bool) {
        self.article_values.clear();
        match &self.values {
            Values::Text(column) if article_scope => {
                self.article_values.extend(column.term_ords(article));
                self.article_values.sort_unstable();
                self.article_values.dedup();
            }
            Values::Year(column) => {
                // Stored as the bits of the year (an i64).
                self.article_values
                    .extend(column.values_for_doc(article).map(|y| y as u64));
            }
            _ => {}
        }
    }

    /// Counts the article's values (read by [`Tally::read_article`]) for
    /// `passages` of its passages.
    fn count_article(&mut self, article: DocId, passages: u64) {
        if passages == 0 {
            return;
        }
        match &self.values {
            Values::Text(_) => {
                for &ord in &self.article_values {
                    if let Some(count) = self.by_ordinal.get_mut(ord as usize) {
                        count.add_run(article, passages);
                    }
                }
            }
            Values::Year(_) => {
                for &year in &self.article_values {
                    self.by_year
                        .entry(year as i64)
                        .or_default()
                        .add_run(article, passages);
                }
            }
            Values::Missing => {}
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut fruit = SegmentFruit::default();
        match &self.values {
            Values::Text(column) => {
                let (ords, counts): (Vec<u64>, Vec<ValueCount>) = self
                    .by_ordinal
                    .iter()
                    .enumerate()
                    .filter(|(_, count)| count.passages > 0)
                    .map(|(ord, count)| (ord as u64, *count))
                    .unzip();
                let mut names = Vec::with_capacity(ords.len());
                let read = column.dictionary().sorted_ords_to_term_cb(&ords, |name| {
                    names.push(String::from_utf8_lossy(name).into_owned())
                });
                if read.is_err() || names.len() != ords.len() {
                    // A damaged dictionary: counts without names are useless.
                    return fruit;
                }
                for (name, count) in names.into_iter().zip(counts) {
                    let entry = fruit.entry(name).or_default();
                    entry.0 += count.passages;
                    entry.1 += count.articles;
                }
            }
            Values::Year(_) => {
                for (year, count) in self.by_year {
                    fruit.insert(year.to_string(), (count.passages, count.articles));
                }
            }
            Values::Missing => {}
        }
        fruit
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use crate::facets::{FacetField, Scope};
    use crate::index::LogisIndex;
    use crate::search::{CountUnit, Engine, Filters, SearchRequest};
    use crate::testing::index_invented;

    /// The twin of the collector: passages and distinct articles of each
    /// value, counted from every hit, one by one.
    #[test]
    fn counts_match_a_count_of_every_hit() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        index_invented(&index, &dir.path().join("a"), "a", 500);
        index_invented(&index, &dir.path().join("b"), "b", 200);
        let opened = LogisIndex::open(&index).unwrap();
        let engine = Engine::new(&opened).unwrap();
        let filters = Filters {
            scope: Scope::Passage,
            ..Filters::default()
        };
        for query in ["logements", "PSLA Vierzon", "chantier 2019"] {
            let mut request = SearchRequest::new(query);
            request.filters = filters.clone();
            let mut expected: HashMap<(FacetField, String), (u64, HashSet<String>)> =
                HashMap::new();
            for hit in engine.all_hits(&request).unwrap() {
                let hit = hit.unwrap();
                let values = hit
                    .communes
                    .iter()
                    .map(|c| (FacetField::Commune, c.name.clone()))
                    .chain(
                        hit.products
                            .iter()
                            .map(|p| (FacetField::Product, p.name.clone())),
                    )
                    .chain(hit.year.map(|y| (FacetField::Year, y.to_string())));
                for key in values {
                    let entry = expected.entry(key).or_default();
                    entry.0 += 1;
                    entry.1.insert(hit.doc.clone());
                }
            }
            assert!(!expected.is_empty(), "{query}");
            for field in [FacetField::Commune, FacetField::Product, FacetField::Year] {
                let counts = engine
                    .facet_counts(field, query, &filters, CountUnit::Articles)
                    .unwrap();
                let wanted = expected.keys().filter(|(f, _)| *f == field).count();
                assert_eq!(counts.counts.len(), wanted, "{query} {field:?}");
                for count in &counts.counts {
                    let (passages, articles) = &expected[&(field, count.value.name())];
                    assert_eq!(count.passages, *passages, "{query} {}", count.value.name());
                    assert_eq!(
                        count.articles,
                        articles.len() as u64,
                        "{query} {}",
                        count.value.name()
                    );
                }
            }
        }
    }
}
