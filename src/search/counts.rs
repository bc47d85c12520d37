//! Counting facet values over the passages a query matches, from the fast
//! columns: how many passages and how many distinct articles hold each
//! value, in the passage's own values or with its article's (see
//! [`Scope`]).

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, Dictionary, StrColumn, TermOrdHit};
use tantivy::index::{SegmentId, SegmentReader};
use tantivy::{DocId, Score, SegmentOrdinal};

use crate::facets::{FacetField, FacetValue, Scope};
use crate::index::blocks::Blocks;
use crate::index::schema::{facet_value_bounds, name, split_facet_value_term};
use crate::search::ordinals::ValueOrdinals;

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
    /// How many values of each field are kept, the most frequent.
    values: usize,
    /// The global ids of the segments' values.
    ordinals: Arc<ValueOrdinals>,
}

impl FacetCollector {
    pub(crate) fn new(
        fields: &[FacetField],
        scope: Scope,
        unit: CountUnit,
        values: usize,
        ordinals: Arc<ValueOrdinals>,
    ) -> FacetCollector {
        FacetCollector {
            fields: fields.to_vec(),
            scope,
            unit,
            values,
            ordinals,
        }
    }
}

pub(crate) struct FacetSegmentCollector {
    /// The global ids of the segment's value ordinals.
    ordinals: Arc<ValueOrdinals>,
    segment: SegmentId,
    /// Which article each passage is of.
    blocks: Blocks,
    /// The values of the article document count for its passages.
    article_scope: bool,
    /// The values of every text facet (see `schema::facet_value_term`), when
    /// a text facet is asked and the segment has values.
    values: Option<StrColumn>,
    /// By value ordinal, whatever its facet.
    by_ordinal: Vec<ValueCount>,
    /// The ordinals of the text facets asked (each facet's values are one
    /// run of ordinals); `None` when all are.
    asked: Option<Vec<Range<u64>>>,
    /// The publication years, when the year is asked.
    years: Option<Column<i64>>,
    by_year: FxHashMap<i64, ValueCount>,
    /// The value ordinals of the article of the passages being counted,
    /// and its years, read once per article.
    article_values: Vec<u64>,
    article_years: Vec<i64>,
    /// The ordinals of one passage's values.
    ords: Vec<u64>,
    /// For a block of passages: the passage of each value, its row in the
    /// column and its ordinal.
    block: (Vec<DocId>, Vec<u32>, Vec<u64>),
    /// The article whose values are held, if any yet, and how many of its
    /// passages matched so far.
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
    last: DocId,
    /// The article document, plus one, whose values (read for its
    /// passages) hold this one: its passages are counted by the article's
    /// run, not one by one.
    held_by: DocId,
}

impl ValueCount {
    /// Counts `passages` passages of `article` at once.
    fn add_run(&mut self, article: DocId, passages: u64) {
        self.passages += passages;
        let article = article + 1;
        if self.last != article {
            self.last = article;
            self.articles += 1;
        }
    }
}

/// One segment's counts, as (value, passages, articles): values by global
/// id (see [`ValueOrdinals`]), in order, and years.
#[derive(Default)]
pub(crate) struct SegmentFruit {
    values: Vec<(u32, u64, u64)>,
    years: Vec<(i64, u64, u64)>,
}

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
        let values = if self.fields.iter().any(|&f| f != FacetField::Year) {
            fast.str(name::FACET_VALUES)?
        } else {
            None
        };
        let years = if self.fields.contains(&FacetField::Year) {
            Some(fast.i64(name::YEAR)?)
        } else {
            None
        };
        let text_asked = self.fields.iter().filter(|&&f| f != FacetField::Year);
        let asked = match &values {
            Some(column) if text_asked.clone().count() < FacetField::ALL.len() - 1 => Some(
                text_asked
                    .map(|&f| facet_ordinals(column.dictionary(), f))
                    .collect::<std::io::Result<Vec<_>>>()?,
            ),
            _ => None,
        };
        Ok(FacetSegmentCollector {
            ordinals: self.ordinals.clone(),
            segment: reader.segment_id(),
            blocks: Blocks::of(reader)?,
            article_scope: self.scope == Scope::Article,
            by_ordinal: values
                .as_ref()
                .map_or_else(Vec::new, |c| vec![ValueCount::default(); c.num_terms()]),
            asked,
            values,
            years,
            by_year: FxHashMap::default(),
            article_values: Vec::new(),
            article_years: Vec::new(),
            ords: Vec::new(),
            block: Default::default(),
            article: None,
            run: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<Vec<FacetCount>>> {
        // By global id, the counts of every segment added up.
        let merge = |mut all: Vec<(u32, u64, u64)>| {
            all.sort_unstable_by_key(|c| c.0);
            let mut merged: Vec<(u32, (u64, u64))> = Vec::with_capacity(all.len());
            for (id, passages, articles) in all {
                match merged.last_mut() {
                    Some((last, count)) if *last == id => {
                        count.0 += passages;
                        count.1 += articles;
                    }
                    _ => merged.push((id, (passages, articles))),
                }
            }
            merged
        };
        let (values, years): (Vec<_>, Vec<_>) =
            fruits.into_iter().map(|f| (f.values, f.years)).unzip();
        let values = merge(values.into_iter().flatten().collect());
        let mut by_year: FxHashMap<i64, (u64, u64)> = FxHashMap::default();
        for (year, passages, articles) in years.into_iter().flatten() {
            let count = by_year.entry(year).or_default();
            count.0 += passages;
            count.1 += articles;
        }
        Ok(self
            .fields
            .iter()
            .map(|&field| match field {
                FacetField::Year => self.ordered(
                    field,
                    by_year
                        .iter()
                        .map(|(year, &count)| (year.to_string(), count))
                        .collect(),
                ),
                field => {
                    let ids = self.ordinals.of_field(field);
                    let start = values.partition_point(|v| v.0 < ids.start);
                    let end = values.partition_point(|v| v.0 < ids.end);
                    let stored = |id: u32| {
                        split_facet_value_term(self.ordinals.term(id)).map_or("", |(_, s)| s)
                    };
                    self.ordered(
                        field,
                        values[start..end]
                            .iter()
                            .map(|&(id, count)| (stored(id), count))
                            .collect(),
                    )
                }
            })
            .collect())
    }
}

impl FacetCollector {
    /// The first counts of a field (as many as the collector keeps), most
    /// frequent first as `unit` says; ties are broken by the stored form,
    /// whose first part is the name. Only the values kept are read back.
    fn ordered<S: AsRef<str>>(
        &self,
        field: FacetField,
        mut counts: Vec<(S, (u64, u64))>,
    ) -> Vec<FacetCount> {
        let key = |(passages, articles): (u64, u64)| match self.unit {
            CountUnit::Articles => (articles, passages),
            CountUnit::Passages => (passages, articles),
        };
        let order = |(a_stored, a): &(S, (u64, u64)), (b_stored, b): &(S, (u64, u64))| {
            key(*b).cmp(&key(*a)).then_with(|| {
                a_stored
                    .as_ref()
                    .split('|')
                    .cmp(b_stored.as_ref().split('|'))
            })
        };
        if counts.len() > self.values {
            counts.select_nth_unstable_by(self.values, order);
            counts.truncate(self.values);
        }
        counts.sort_unstable_by(order);
        counts
            .into_iter()
            .map(|(stored, (passages, articles))| FacetCount {
                value: FacetValue::from_stored(field, stored.as_ref()),
                passages,
                articles,
                selected: false,
            })
            .collect()
    }
}

impl FacetSegmentCollector {
    /// Reads the values of `article` that count for its passages: its
    /// values in the article scope, its publication years always.
    fn read_article(&mut self, article: DocId) {
        self.article_values.clear();
        if let (Some(column), true) = (&self.values, self.article_scope) {
            for ord in column.term_ords(article) {
                if !self.is_asked(ord) {
                    continue;
                }
                if let Some(count) = self.by_ordinal.get_mut(ord as usize) {
                    if count.held_by != article + 1 {
                        count.held_by = article + 1;
                        self.article_values.push(ord);
                    }
                }
            }
        }
        self.article_years.clear();
        if let Some(years) = &self.years {
            self.article_years.extend(years.values_for_doc(article));
        }
    }

    /// Counts the passage `doc` in its article's run, reading the
    /// article's values when it is the first passage of its article met;
    /// returns the article. Passages come in order, an article's together:
    /// its values are read once, and counted once with the number of its
    /// passages.
    fn enter(&mut self, doc: DocId) -> DocId {
        let article = self.blocks.article_of(doc);
        if self.article != Some(article) {
            self.flush();
            self.article = Some(article);
            self.read_article(article);
        }
        self.run += 1;
        article
    }

    /// Counts a value a passage of `article` names, unless its article's
    /// values hold it (one column holds both, so a value of both has one
    /// ordinal): the article's run counts it.
    fn count_own(&mut self, article: DocId, ord: u64) {
        if !self.is_asked(ord) {
            return;
        }
        let held = if self.article_scope { article + 1 } else { 0 };
        if let Some(count) = self.by_ordinal.get_mut(ord as usize) {
            if held == 0 || count.held_by != held {
                count.add_run(article, 1);
            }
        }
    }

    /// Whether the value of ordinal `ord` is of a facet asked.
    fn is_asked(&self, ord: u64) -> bool {
        self.asked
            .as_ref()
            .is_none_or(|asked| asked.iter().any(|r| r.contains(&ord)))
    }

    /// Counts the values of the current article for its passages matched.
    fn flush(&mut self) {
        let (Some(article), run) = (self.article, self.run) else {
            return;
        };
        if run == 0 {
            return;
        }
        for &ord in &self.article_values {
            if let Some(count) = self.by_ordinal.get_mut(ord as usize) {
                count.add_run(article, run);
            }
        }
        for &year in &self.article_years {
            self.by_year.entry(year).or_default().add_run(article, run);
        }
        self.run = 0;
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let article = self.enter(doc);
        let Some(column) = &self.values else {
            return;
        };
        let mut ords = std::mem::take(&mut self.ords);
        ords.clear();
        ords.extend(column.term_ords(doc));
        for &ord in &ords {
            self.count_own(article, ord);
        }
        self.ords = ords;
    }

    /// The passages of a block with their values read together: one call
    /// into the column per block, not one per passage.
    fn collect_block(&mut self, docs: &[DocId]) {
        let Some(column) = self.values.as_ref().map(|c| c.ords().clone()) else {
            for &doc in docs {
                self.enter(doc);
            }
            return;
        };
        let (mut of, mut rows, mut ords) = std::mem::take(&mut self.block);
        of.clear();
        rows.clear();
        column.index.docids_to_rowids(docs, &mut of, &mut rows);
        ords.resize(rows.len(), 0);
        column.values.get_vals(&rows, &mut ords);
        let mut at = 0;
        for &doc in docs {
            let article = self.enter(doc);
            while at < of.len() && of[at] == doc {
                self.count_own(article, ords[at]);
                at += 1;
            }
        }
        self.block = (of, rows, ords);
    }

    fn harvest(mut self) -> SegmentFruit {
        self.flush();
        let ids = self.ordinals.of_segment(self.segment).unwrap_or_default();
        SegmentFruit {
            // Segment ordinals and global ids are both in the order of the
            // values' terms: the values stay in order.
            values: self
                .by_ordinal
                .iter()
                .zip(ids)
                .filter(|(count, _)| count.passages > 0)
                .map(|(count, &id)| (id, count.passages, count.articles))
                .collect(),
            years: self
                .by_year
                .iter()
                .map(|(&year, count)| (year, count.passages, count.articles))
                .collect(),
        }
    }
}

/// The ordinals of the values of `field` in a values column's dictionary.
fn facet_ordinals(dictionary: &Dictionary, field: FacetField) -> std::io::Result<Range<u64>> {
    let terms = dictionary.num_terms() as u64;
    let ord = |key: String| -> std::io::Result<u64> {
        Ok(match dictionary.term_ord_or_next(key)? {
            TermOrdHit::Exact(ord) | TermOrdHit::Next(ord) => ord.min(terms),
        })
    };
    let (first, after) = facet_value_bounds(field);
    Ok(ord(first)?..ord(after)?)
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
