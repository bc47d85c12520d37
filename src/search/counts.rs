//! Counting facet values over the passages a query matches, from the fast
//! columns: how many passages and how many distinct articles hold each
//! value, in the passage's own values or with its article's (see
//! [`Scope`]).

use std::collections::{HashMap, HashSet};

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
    counts: HashMap<i64, (u64, HashSet<u64>)>,
}

/// Per segment: value → (passages, article ids).
type SegmentFruit = HashMap<String, (u64, HashSet<String>)>;

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
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<FacetCount>> {
        let mut merged: SegmentFruit = HashMap::new();
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
            entry.0 += 1;
            entry.1.insert(article);
        };
        match &self.values {
            Values::Text(column) => column.term_ords(doc).for_each(|o| count(o as i64)),
            Values::Year(column) => column.values_for_doc(doc).for_each(count),
            Values::Missing => {}
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut fruit = SegmentFruit::new();
        let mut buffer = String::new();
        for (key, (passages, articles)) in self.counts {
            let value = match &self.values {
                Values::Text(column) => ord_to_string(column, key as u64, &mut buffer),
                _ => key.to_string(),
            };
            let entry = fruit.entry(value).or_default();
            entry.0 += passages;
            if let Some(docs) = &self.docs {
                entry.1.extend(
                    articles
                        .into_iter()
                        .map(|ord| ord_to_string(docs, ord, &mut buffer)),
                );
            }
        }
        fruit
    }
}

/// The text of a term ordinal of a string column (empty if out of range).
fn ord_to_string(column: &StrColumn, ord: u64, buffer: &mut String) -> String {
    buffer.clear();
    match column.ord_to_str(ord, buffer) {
        Ok(true) => buffer.clone(),
        _ => String::new(),
    }
}
