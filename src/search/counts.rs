//! Counting facet values over the passages a query matches, from the fast
//! columns: how many passages and how many distinct articles hold each
//! value, in the passage's own values or with its article's (see
//! [`Scope`]).

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_64;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocId, Score, SegmentOrdinal};

use crate::facets::{FacetField, FacetValue, Scope};
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

/// Collects value counts of one facet field.
pub(crate) struct FacetCollector {
    field: FacetField,
    scope: Scope,
    unit: CountUnit,
}

impl FacetCollector {
    pub(crate) fn new(field: FacetField, scope: Scope, unit: CountUnit) -> FacetCollector {
        FacetCollector { field, scope, unit }
    }
}

/// Where a segment reads the values.
enum Values {
    Text(StrColumn),
    Year(Column<i64>),
    Missing,
}

pub(crate) struct FacetSegmentCollector {
    values: Values,
    docs: Option<StrColumn>,
    /// Value ordinal (or year) → passages, and article ordinals seen.
    counts: FxHashMap<i64, ValueCount>,
}

/// The passages of one value in a segment, and its articles.
#[derive(Default)]
struct ValueCount {
    passages: u64,
    articles: FxHashSet<u64>,
    /// The article of the last passage counted: an article's passages
    /// follow each other, so most of them need no look-up in `articles`.
    last: Option<u64>,
}

/// Per segment: value → (passages, articles). An article is known by a
/// 64-bit hash of its id, the same in every segment: reading each id once
/// per segment, in ordinal order, costs far less than turning every
/// (value, article) pair into a string.
type SegmentFruit = FxHashMap<String, (u64, FxHashSet<u64>)>;

impl Collector for FacetCollector {
    type Fruit = Vec<FacetCount>;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = reader.fast_fields();
        let values = match self.field {
            FacetField::Year => Values::Year(fast.i64(name::YEAR)?),
            field => match fast.str(&facet_value_name(field, self.scope))? {
                Some(column) => Values::Text(column),
                None => Values::Missing,
            },
        };
        Ok(FacetSegmentCollector {
            values,
            docs: fast.str(name::DOC)?,
            counts: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<FacetCount>> {
        let mut merged = SegmentFruit::default();
        for fruit in fruits {
            for (value, (passages, articles)) in fruit {
                let entry = merged.entry(value).or_default();
                entry.0 += passages;
                entry.1.extend(articles);
            }
        }
        // Ties are broken by the stored form, whose first part is the name.
        let mut counts: Vec<(String, FacetCount)> = merged
            .into_iter()
            .map(|(stored, (passages, articles))| {
                let count = FacetCount {
                    value: FacetValue::from_stored(self.field, &stored),
                    passages,
                    articles: articles.len() as u64,
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
        Ok(counts.into_iter().map(|(_, count)| count).collect())
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let article = self
            .docs
            .as_ref()
            .and_then(|d| d.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let mut count = |key: i64| {
            let entry = self.counts.entry(key).or_default();
            entry.passages += 1;
            if entry.last != Some(article) {
                entry.last = Some(article);
                entry.articles.insert(article);
            }
        };
        match &self.values {
            Values::Text(column) => column.term_ords(doc).for_each(|o| count(o as i64)),
            Values::Year(column) => column.values_for_doc(doc).for_each(count),
            Values::Missing => {}
        }
    }

    fn harvest(self) -> SegmentFruit {
        let articles = self.docs.as_ref().map(|docs| {
            let mut ords: Vec<u64> = self
                .counts
                .values()
                .flat_map(|count| count.articles.iter().copied())
                .filter(|&ord| ord != u64::MAX)
                .collect();
            ords.sort_unstable();
            ords.dedup();
            article_hashes(docs, ords)
        });
        let mut counts: Vec<(i64, ValueCount)> = self.counts.into_iter().collect();
        counts.sort_unstable_by_key(|(key, _)| *key);
        let names: Vec<String> = match &self.values {
            Values::Text(column) => {
                let ords: Vec<u64> = counts.iter().map(|(key, _)| *key as u64).collect();
                let mut names = Vec::with_capacity(ords.len());
                let read = column.dictionary().sorted_ords_to_term_cb(&ords, |name| {
                    names.push(String::from_utf8_lossy(name).into_owned())
                });
                if read.is_err() || names.len() != ords.len() {
                    names.resize(ords.len(), String::new());
                }
                names
            }
            _ => counts.iter().map(|(key, _)| key.to_string()).collect(),
        };
        let mut fruit = SegmentFruit::default();
        for ((_, count), value) in counts.into_iter().zip(names) {
            let entry = fruit.entry(value).or_default();
            entry.0 += count.passages;
            if let Some(hashes) = &articles {
                entry.1.extend(
                    count
                        .articles
                        .into_iter()
                        .filter_map(|ord| hashes.get(&ord).copied()),
                );
            }
        }
        fruit
    }
}

/// The hash of the article id of each ordinal of `ords` (sorted, distinct),
/// read from the dictionary in one pass.
fn article_hashes(docs: &StrColumn, ords: Vec<u64>) -> FxHashMap<u64, u64> {
    let mut hashes = Vec::with_capacity(ords.len());
    let read = docs
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |id| hashes.push(xxh3_64(id)));
    if read.is_err() || hashes.len() != ords.len() {
        // A damaged dictionary: count what was read rather than fail.
        hashes.resize(ords.len(), u64::MAX);
    }
    ords.into_iter().zip(hashes).collect()
}
