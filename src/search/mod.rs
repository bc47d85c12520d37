//! Searching passages: ranking, filters, highlights; counting facet values;
//! listing articles. Rendering is [`crate::output`]'s job.

pub mod counts;
pub mod highlight;
pub mod query;

use std::collections::HashSet;
use std::ops::Bound;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis::facet_key;
use crate::error::{Error, Result};
use crate::extract::places::Places;
use crate::facets::{Commune, FacetField};
use crate::index::{ArticleRecord, Fields, LogisIndex};
use query::{parse, AnalysedQuery};

/// An inclusive range of years; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearRange {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl YearRange {
    /// Parses `2020`, `2019..2021`, `2019..` or `..2021`.
    pub fn parse(text: &str) -> Result<YearRange> {
        let bad = || Error::InvalidYear(text.to_string());
        let year = |s: &str| -> Result<Option<i64>> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<i64>() {
                Ok(y) if (1000..=9999).contains(&y) && s.len() == 4 => Ok(Some(y)),
                _ => Err(bad()),
            }
        };
        let range = match text.split_once("..") {
            Some((from, to)) => YearRange {
                from: year(from)?,
                to: year(to)?,
            },
            None => {
                let y = year(text)?.ok_or_else(bad)?;
                YearRange {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        match range {
            YearRange {
                from: None,
                to: None,
            } => Err(bad()),
            YearRange {
                from: Some(a),
                to: Some(b),
            } if a > b => Err(bad()),
            range => Ok(range),
        }
    }
}

/// Facet filters: values of one field are alternatives, fields combine.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub values: Vec<(FacetField, String)>,
    pub years: Option<YearRange>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.years.is_none()
    }

    /// Whether a filter is set on `field`.
    pub fn has(&self, field: FacetField) -> bool {
        match field {
            FacetField::Year => self.years.is_some(),
            _ => self.values.iter().any(|(f, _)| *f == field),
        }
    }

    /// The same filters but those on `field`.
    pub fn without(&self, field: FacetField) -> Filters {
        Filters {
            values: self
                .values
                .iter()
                .filter(|(f, _)| *f != field)
                .cloned()
                .collect(),
            years: if field == FacetField::Year {
                None
            } else {
                self.years
            },
        }
    }

    /// Whether `value` of `field` is one the filters select.
    pub fn selects(&self, field: FacetField, value: &str) -> bool {
        match field {
            FacetField::Year => match (self.years, value.parse::<i64>()) {
                (Some(r), Ok(y)) => r.from.is_none_or(|f| y >= f) && r.to.is_none_or(|t| y <= t),
                _ => false,
            },
            FacetField::Commune => {
                let commune = Commune::from_stored(value);
                self.values.iter().any(|(f, v)| {
                    *f == field && (facet_key(v) == facet_key(&commune.name) || *v == commune.insee)
                })
            }
            FacetField::Departement => {
                let code = Places::get().departement_code(value);
                self.values.iter().any(|(f, v)| {
                    *f == field && (facet_key(v) == facet_key(value) || code == Some(v.as_str()))
                })
            }
            _ => self
                .values
                .iter()
                .any(|(f, v)| *f == field && facet_key(v) == facet_key(value)),
        }
    }

    /// Adds a filter on `field` (a year or range for [`FacetField::Year`]).
    pub fn add(&mut self, field: FacetField, value: &str) -> Result<()> {
        if field == FacetField::Year {
            self.years = Some(YearRange::parse(value)?);
        } else if !value.trim().is_empty() {
            self.values.push((field, value.trim().to_string()));
        }
        Ok(())
    }

    /// The filters as required, non-scoring clauses.
    fn clauses(&self, fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in FacetField::ALL {
            let Some(key_field) = fields.facet_key(field) else {
                continue;
            };
            let alternatives: Vec<(Occur, Box<dyn Query>)> = self
                .values
                .iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, value)| {
                    let term = Term::from_field_text(key_field, &facet_key(value));
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            if !alternatives.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            }
        }
        if let Some(years) = self.years {
            let bound = |y: Option<i64>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(fields.year, y)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(years.from), bound(years.to))),
            ));
        }
        clauses
            .into_iter()
            .map(|(occur, q)| {
                (
                    occur,
                    Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
                )
            })
            .collect()
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
}

/// A passage found by a search.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: String,
    pub passage: u64,
    pub score: f32,
    /// Whether the passage holds every query word.
    pub all_words: bool,
    pub title: Option<String>,
    pub heading: Option<String>,
    pub year: Option<i64>,
    /// Years the passage mentions.
    pub years: Vec<i64>,
    pub organisations: Vec<String>,
    pub communes: Vec<Commune>,
    pub programmes: Vec<String>,
    pub products: Vec<String>,
    /// The whole passage.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
    pub snippet: highlight::Snippet,
}

/// The results of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    /// Passages holding every query word (matching the filters).
    pub total: usize,
    /// Passages holding at least one query word.
    pub total_any: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

/// A reader on the index: searches, counts, lists.
pub struct Engine<'a> {
    index: &'a LogisIndex,
    reader: IndexReader,
}

impl<'a> Engine<'a> {
    /// Opens a reader on the last committed state of the index.
    pub fn new(index: &'a LogisIndex) -> Result<Engine<'a>> {
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index.error(e))?;
        Ok(Engine { index, reader })
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn fields(&self) -> &Fields {
        &self.index.fields
    }

    /// The query matching passages for `query` under `filters`:
    /// passages holding all the words when `all_words`, else any of them;
    /// every passage the filters select when there are no words.
    fn matching_query(
        &self,
        query: &AnalysedQuery,
        filters: &Filters,
        all_words: bool,
    ) -> Box<dyn Query> {
        let fields = self.fields();
        let mut clauses = filters.clauses(fields);
        if query.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        } else {
            clauses.push((Occur::Must, query.text_query(fields, all_words)));
        }
        if let Some(excluded) = query.excluded_query(fields) {
            clauses.push((Occur::MustNot, excluded));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Parses and analyses a query string; errors when it has nothing to
    /// search for and there are no filters either.
    fn analyse(&self, text: &str, filters: &Filters) -> Result<AnalysedQuery> {
        let parsed = parse(text);
        let analysed = AnalysedQuery::new(&self.index.analyzer, &parsed);
        if analysed.is_empty() && filters.is_empty() {
            return Err(if analysed.excluded.is_empty() {
                Error::EmptyQuery
            } else {
                Error::OnlyExclusions
            });
        }
        Ok(analysed)
    }

    /// Runs a search: passages holding all the words first, by BM25, then,
    /// if the limit is not reached, passages holding some of them.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let query = self.analyse(&request.query, &request.filters)?;
        let searcher = self.searcher();
        let limit = request.limit.max(1);
        let run = |q: &dyn Query, n: usize| {
            searcher
                .search(q, &(TopDocs::with_limit(n).order_by_score(), Count))
                .map_err(|e| self.index.error(e))
        };
        let all = self.matching_query(&query, &request.filters, true);
        let (mut top, total) = run(all.as_ref(), limit)?;
        let mut found: Vec<(f32, DocAddress, bool)> =
            top.drain(..).map(|(s, a)| (s, a, true)).collect();
        let mut total_any = total;
        if query.groups.len() > 1 {
            let any = self.matching_query(&query, &request.filters, false);
            let seen: HashSet<DocAddress> = found.iter().map(|f| f.1).collect();
            let (more, count) = run(any.as_ref(), limit + found.len())?;
            total_any = count;
            if found.len() < limit {
                found.extend(
                    more.into_iter()
                        .filter(|(_, a)| !seen.contains(a))
                        .take(limit - found.len())
                        .map(|(s, a)| (s, a, false)),
                );
            }
        }
        let mut hits = Vec::with_capacity(found.len());
        for (score, address, all_words) in found {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
            hits.push(self.hit(&doc, score, all_words, &query));
        }
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            total_any,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
        })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        all_words: bool,
        query: &AnalysedQuery,
    ) -> Hit {
        let fields = self.fields();
        let text = first_text(doc, fields.body).unwrap_or_default();
        let highlights = highlight::highlights(&self.index.analyzer, &text, query.items());
        let snippet = highlight::snippet(&text, &highlights, highlight::SNIPPET_BYTES);
        let values = |field: FacetField| -> Vec<String> {
            fields
                .facet_value(field)
                .map(|f| all_texts(doc, f))
                .unwrap_or_default()
        };
        Hit {
            doc: first_text(doc, fields.doc).unwrap_or_default(),
            passage: doc
                .get_first(fields.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            score,
            all_words,
            title: first_text(doc, fields.title),
            heading: first_text(doc, fields.heading),
            year: doc.get_first(fields.year).and_then(|v| v.as_i64()),
            years: doc
                .get_all(fields.years)
                .filter_map(|v| v.as_i64())
                .collect(),
            organisations: values(FacetField::Organisation),
            communes: values(FacetField::Commune)
                .iter()
                .map(|c| Commune::from_stored(c))
                .collect(),
            programmes: values(FacetField::Programme),
            products: values(FacetField::Product),
            text,
            highlights,
            snippet,
        }
    }

    /// Counts the values of `field` over the passages matching `query`
    /// (all its words; every passage when empty) and `filters`. Counts are
    /// disjunctive: with a filter on `field` itself, they are taken under
    /// the other filters only, so they show what each other value would
    /// give; the selected values are marked.
    pub fn facet_counts(
        &self,
        field: FacetField,
        query: &str,
        filters: &Filters,
    ) -> Result<counts::FacetCounts> {
        let analysed = AnalysedQuery::new(&self.index.analyzer, &parse(query));
        if analysed.is_empty() && !analysed.excluded.is_empty() {
            return Err(Error::OnlyExclusions);
        }
        let disjunctive = filters.has(field);
        let counting = if disjunctive {
            filters.without(field)
        } else {
            filters.clone()
        };
        let searcher = self.searcher();
        let q = self.matching_query(&analysed, &counting, true);
        let collector = counts::FacetCollector::new(field);
        let (mut values, mut passages) = searcher
            .search(q.as_ref(), &(collector, Count))
            .map_err(|e| self.index.error(e))?;
        if disjunctive {
            let all = self.matching_query(&analysed, filters, true);
            passages = searcher
                .search(all.as_ref(), &Count)
                .map_err(|e| self.index.error(e))?;
            for count in &mut values {
                count.selected = filters.selects(field, &count.value);
            }
        }
        Ok(counts::FacetCounts {
            field,
            passages,
            disjunctive,
            counts: values,
        })
    }

    /// Every article in the index, by id.
    pub fn articles(&self) -> Result<Vec<ArticleRecord>> {
        let fields = self.fields();
        let searcher = self.searcher();
        let first_passages = TermQuery::new(
            Term::from_field_u64(fields.passage, 0),
            IndexRecordOption::Basic,
        );
        let count = searcher
            .search(&first_passages, &Count)
            .map_err(|e| self.index.error(e))?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let addresses = searcher
            .search(
                &first_passages,
                &TopDocs::with_limit(count).order_by_score(),
            )
            .map_err(|e| self.index.error(e))?;
        let mut records = Vec::with_capacity(count);
        for (_, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
            let record = first_text(&doc, fields.article)
                .and_then(|json| serde_json::from_str::<ArticleRecord>(&json).ok());
            if let Some(record) = record {
                records.push(record);
            }
        }
        records.sort_by(|a, b| a.doc.cmp(&b.doc));
        Ok(records)
    }
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn all_texts(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_values() {
        let mut filters = Filters::default();
        filters.add(FacetField::Departement, "60").unwrap();
        filters.add(FacetField::Commune, "compiegne").unwrap();
        filters.add(FacetField::Year, "2019..2020").unwrap();
        assert!(filters.selects(FacetField::Departement, "Oise"));
        assert!(!filters.selects(FacetField::Departement, "Aisne"));
        assert!(filters.selects(FacetField::Commune, "Compiègne|60159|Oise|Hauts-de-France"));
        assert!(filters.selects(FacetField::Year, "2020"));
        assert!(!filters.selects(FacetField::Year, "2021"));
        assert!(filters.has(FacetField::Year) && !filters.has(FacetField::Region));
        assert!(!filters
            .without(FacetField::Commune)
            .has(FacetField::Commune));
    }

    #[test]
    fn year_ranges() {
        let r = |from, to| YearRange { from, to };
        assert_eq!(YearRange::parse("2020").unwrap(), r(Some(2020), Some(2020)));
        assert_eq!(
            YearRange::parse("2019..2021").unwrap(),
            r(Some(2019), Some(2021))
        );
        assert_eq!(YearRange::parse("2019..").unwrap(), r(Some(2019), None));
        assert_eq!(YearRange::parse("..2021").unwrap(), r(None, Some(2021)));
        for bad in [
            "",
            "..",
            "20",
            "2021..2019",
            "deux mille",
            "2020-2021",
            "02020",
        ] {
            assert!(YearRange::parse(bad).is_err(), "{bad}");
        }
    }
}
