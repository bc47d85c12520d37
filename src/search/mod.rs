//! Searching passages: ranking, filters, highlights; counting facet values;
//! listing articles. Rendering is [`crate::output`]'s job.

pub mod counts;
pub mod fuzzy;
pub mod highlight;
pub mod query;
pub mod vocabulary;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::sync::OnceLock;
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, IndexReader, ReloadPolicy, Score, Searcher, SegmentReader, TantivyDocument,
    Term,
};

use crate::analysis::facet_key;
use crate::error::{Error, Result};
use crate::extract::places::Places;
use crate::facets::{Commune, FacetField};
use crate::index::{ArticleRecord, Fields, LogisIndex};
use query::{parse, AnalysedQuery};
use vocabulary::Vocabulary;

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

/// Facet filters: values of one field are alternatives, fields combine;
/// excluded values and years remove passages.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub values: Vec<(FacetField, String)>,
    pub years: Option<YearRange>,
    pub excluded: Vec<(FacetField, String)>,
    pub excluded_years: Vec<YearRange>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.years.is_none()
            && self.excluded.is_empty()
            && self.excluded_years.is_empty()
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
            excluded: self.excluded.clone(),
            excluded_years: self.excluded_years.clone(),
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

    /// Adds an exclusion: passages with this value of `field` (or in this
    /// year range) are left out.
    pub fn exclude(&mut self, field: FacetField, value: &str) -> Result<()> {
        if field == FacetField::Year {
            self.excluded_years.push(YearRange::parse(value)?);
        } else if !value.trim().is_empty() {
            self.excluded.push((field, value.trim().to_string()));
        }
        Ok(())
    }

    /// The filters as required (and excluding), non-scoring clauses.
    fn clauses(&self, fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let value_query = |field: FacetField, value: &str| -> Option<Box<dyn Query>> {
            let term = Term::from_field_text(fields.facet_key(field)?, &facet_key(value));
            Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
        };
        for field in FacetField::ALL {
            let alternatives: Vec<(Occur, Box<dyn Query>)> = self
                .values
                .iter()
                .filter(|(f, _)| *f == field)
                .filter_map(|(_, value)| Some((Occur::Should, value_query(field, value)?)))
                .collect();
            if !alternatives.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            }
        }
        for (field, value) in &self.excluded {
            if let Some(q) = value_query(*field, value) {
                clauses.push((Occur::MustNot, q));
            }
        }
        let year_range = |years: YearRange| -> Box<dyn Query> {
            let bound = |y: Option<i64>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(fields.year, y)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(years.from), bound(years.to)))
        };
        if let Some(years) = self.years {
            clauses.push((Occur::Must, year_range(years)));
        }
        for &years in &self.excluded_years {
            clauses.push((Occur::MustNot, year_range(years)));
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

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best answers first.
    #[default]
    Relevance,
    /// Newest articles first (undated last); relevance among equals.
    Date,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    /// Passages to return, or articles with `group`.
    pub limit: usize,
    /// Most passages of one article; 0 for no limit.
    pub per_doc: usize,
    pub sort: Sort,
    /// Results are articles, each with its best passages.
    pub group: bool,
}

impl SearchRequest {
    /// A request with the default options: 10 passages, at most 2 per
    /// article, by relevance.
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: Filters::default(),
            limit: 10,
            per_doc: 2,
            sort: Sort::Relevance,
            group: false,
        }
    }
}

/// A passage found by a search.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: String,
    pub passage: u64,
    pub score: f32,
    /// Whether the passage holds every query word.
    pub all_words: bool,
    /// Whether it was found by the corrected query (see
    /// [`SearchResults::did_you_mean`]).
    pub fuzzy: bool,
    pub title: Option<String>,
    pub heading: Option<String>,
    pub date: Option<String>,
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
    /// The query with unknown words corrected, when the query found little
    /// and the correction found more; its hits are marked `fuzzy`.
    pub did_you_mean: Option<String>,
    /// Hits are grouped by article: each article's hits are contiguous, in
    /// the order of its best one.
    pub grouped: bool,
    pub hits: Vec<Hit>,
}

/// Below this many passages holding all the words, a query is retried with
/// its unknown words corrected.
const FEW_RESULTS: usize = 3;

/// A reader on the index: searches, counts, lists.
pub struct Engine<'a> {
    index: &'a LogisIndex,
    reader: IndexReader,
    vocabulary: OnceLock<Vocabulary>,
    /// Users' synonym files, added to the built-in vocabulary.
    synonyms: Vec<String>,
}

/// A passage chosen for the results, before its document is read.
#[derive(Debug, Clone)]
struct Picked {
    address: DocAddress,
    article: String,
    score: f32,
    all_words: bool,
    fuzzy: bool,
}

/// The passages chosen so far, under the per-article and limit rules.
#[derive(Debug, Clone, Default)]
struct Selection {
    limit: usize,
    per_doc: usize,
    group: bool,
    picked: Vec<Picked>,
    seen: HashSet<DocAddress>,
    per_article: HashMap<String, usize>,
}

impl Selection {
    fn new(request: &SearchRequest) -> Selection {
        Selection {
            limit: request.limit.max(1),
            per_doc: request.per_doc,
            group: request.group,
            ..Selection::default()
        }
    }

    /// Whether the limit is reached: passages, or articles with `group`.
    fn full(&self) -> bool {
        let count = if self.group {
            self.per_article.len()
        } else {
            self.picked.len()
        };
        count >= self.limit
    }

    /// Takes a passage if the rules allow it.
    fn offer(&mut self, picked: Picked) {
        let taken = self.per_article.get(&picked.article).copied();
        // Once full, only a grouped article already shown takes more.
        if self.full() && (!self.group || taken.is_none()) {
            return;
        }
        if self.per_doc > 0 && taken.unwrap_or(0) >= self.per_doc {
            return;
        }
        if !self.seen.insert(picked.address) {
            return;
        }
        *self.per_article.entry(picked.article.clone()).or_default() += 1;
        self.picked.push(picked);
    }

    /// The chosen passages; with `group`, each article's together, articles
    /// in the order of their best passage.
    fn into_ordered(self) -> Vec<Picked> {
        if !self.group {
            return self.picked;
        }
        let mut order: Vec<&str> = Vec::new();
        for p in &self.picked {
            if !order.contains(&p.article.as_str()) {
                order.push(&p.article);
            }
        }
        let rank: HashMap<String, usize> = order
            .iter()
            .enumerate()
            .map(|(i, a)| (a.to_string(), i))
            .collect();
        let mut picked = self.picked;
        picked.sort_by_key(|p| rank.get(&p.article).copied().unwrap_or(usize::MAX));
        picked
    }
}

impl<'a> Engine<'a> {
    /// Opens a reader on the last committed state of the index.
    pub fn new(index: &'a LogisIndex) -> Result<Engine<'a>> {
        let reader = index.guard("opening a reader", || {
            index
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| index.error(e))
        })?;
        Ok(Engine {
            index,
            reader,
            vocabulary: OnceLock::new(),
            synonyms: Vec::new(),
        })
    }

    /// Adds users' synonyms: the contents of files in the format of
    /// `data/glossary.tsv`.
    pub fn with_synonyms(mut self, files: Vec<String>) -> Engine<'a> {
        self.synonyms = files;
        self.vocabulary = OnceLock::new();
        self
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn fields(&self) -> &Fields {
        &self.index.fields
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary
            .get_or_init(|| Vocabulary::new(&self.index.analyzer, &self.synonyms))
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

    /// Parses and analyses a query string: its facet filters join
    /// `filters`; its words are expanded with the vocabulary. Errors on an
    /// unknown field, or when there is nothing to search for and no filter.
    fn analyse(&self, text: &str, filters: &Filters) -> Result<(AnalysedQuery, Filters)> {
        query::check_limits(text)?;
        let parsed = parse(text);
        let mut filters = filters.clone();
        for filter in &parsed.filters {
            let field = FacetField::parse(&filter.field)?;
            if filter.negated {
                filters.exclude(field, &filter.value)?;
            } else {
                filters.add(field, &filter.value)?;
            }
        }
        let mut analysed = AnalysedQuery::new(&self.index.analyzer, &parsed);
        if analysed.is_empty() && filters.is_empty() {
            return Err(if analysed.excluded.is_empty() {
                Error::EmptyQuery
            } else {
                Error::OnlyExclusions
            });
        }
        if !analysed.is_empty() || !analysed.excluded.is_empty() {
            let searcher = self.searcher();
            let fields = self.fields();
            let indexed = |field: FacetField, key: &str| {
                fields.facet_key(field).is_some_and(|f| {
                    searcher
                        .doc_freq(&Term::from_field_text(f, key))
                        .is_ok_and(|n| n > 0)
                })
            };
            self.vocabulary().expand(&mut analysed, &indexed);
        }
        Ok((analysed, filters))
    }

    /// Runs a search: passages holding all the words first, then, if the
    /// limit is not reached, passages holding some of them; at most
    /// `per_doc` passages per article. When it finds little and some query
    /// words are unknown, the corrected query's results follow.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.index.guard("searching", || self.run_search(request))
    }

    fn run_search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let (query, filters) = self.analyse(&request.query, &request.filters)?;
        let searcher = self.searcher();
        let mut selection = Selection::new(request);
        let sort = request.sort;
        let all = self.matching_query(&query, &filters, true);
        let total = self.select_tier(&searcher, all.as_ref(), sort, true, false, &mut selection)?;
        // Few passages with all the words: try the query with its unknown
        // words corrected; its passages come next.
        let mut did_you_mean = None;
        if total < FEW_RESULTS {
            let corrections = fuzzy::corrections(&searcher, self.fields().text_exact, &query)
                .map_err(|e| self.index.error(e))?;
            if !corrections.is_empty() {
                let corrected_text = fuzzy::apply(&request.query, &corrections);
                let (corrected, corrected_filters) =
                    self.analyse(&corrected_text, &request.filters)?;
                let all = self.matching_query(&corrected, &corrected_filters, true);
                let found =
                    self.select_tier(&searcher, all.as_ref(), sort, true, true, &mut selection)?;
                if found > 0 {
                    did_you_mean = Some(corrected_text);
                }
            }
        }
        let mut total_any = total;
        if query.groups.len() > 1 {
            let any = self.matching_query(&query, &filters, false);
            total_any = if selection.full() {
                // Only the count is wanted: no scoring, no ranking.
                searcher
                    .search(any.as_ref(), &Count)
                    .map_err(|e| self.index.error(e))?
            } else {
                self.select_tier(&searcher, any.as_ref(), sort, false, false, &mut selection)?
            };
        }
        let mut hits = Vec::with_capacity(selection.picked.len());
        for picked in selection.into_ordered() {
            let doc: TantivyDocument = searcher
                .doc(picked.address)
                .map_err(|e| self.index.error(e))?;
            hits.push(self.hit(&doc, &picked, &query));
        }
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            total_any,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            did_you_mean,
            grouped: request.group,
            hits,
        })
    }

    /// Offers the best passages of one query to `selection`, reading more
    /// of the ranking until it is full or the ranking is exhausted. Returns
    /// the number of passages the query matches.
    fn select_tier(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: Sort,
        all_words: bool,
        fuzzy: bool,
        selection: &mut Selection,
    ) -> Result<usize> {
        let mut wanted = (selection.limit * selection.per_doc.max(1) * 4).max(50);
        let mut articles = ArticleIds::default();
        loop {
            let (ranked, count) = self.ranked(searcher, query, sort, wanted)?;
            let mut trial = selection.clone();
            for &(score, address) in &ranked {
                if trial.full() && !trial.group {
                    break;
                }
                trial.offer(Picked {
                    address,
                    article: articles.get(self.index, searcher, address)?,
                    score,
                    all_words,
                    fuzzy,
                });
            }
            if trial.full() || ranked.len() < wanted {
                *selection = trial;
                return Ok(count);
            }
            wanted *= 4;
        }
    }

    /// The `n` best passages of `query` and the count of all it matches.
    fn ranked(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: Sort,
        n: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize)> {
        let error = |e| self.index.error(e);
        match sort {
            Sort::Relevance => searcher
                .search(query, &(TopDocs::with_limit(n).order_by_score(), Count))
                .map_err(error),
            Sort::Date => {
                let by_day = TopDocs::with_limit(n).tweak_score(|segment: &SegmentReader| {
                    let days = segment
                        .fast_fields()
                        .i64("day")
                        .ok()
                        .map(|c| c.first_or_default_col(0));
                    move |doc: DocId, score: Score| {
                        (days.as_ref().map_or(0, |d| d.get_val(doc)), score)
                    }
                });
                let (ranked, count) = searcher.search(query, &(by_day, Count)).map_err(error)?;
                Ok((
                    ranked
                        .into_iter()
                        .map(|((_, score), address)| (score, address))
                        .collect(),
                    count,
                ))
            }
        }
    }

    fn hit(&self, doc: &TantivyDocument, picked: &Picked, query: &AnalysedQuery) -> Hit {
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
            doc: picked.article.clone(),
            passage: doc
                .get_first(fields.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            score: picked.score,
            all_words: picked.all_words,
            fuzzy: picked.fuzzy,
            title: first_text(doc, fields.title),
            heading: first_text(doc, fields.heading),
            date: first_text(doc, fields.date),
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
        self.index
            .guard("counting", || self.count_facets(field, query, filters))
    }

    fn count_facets(
        &self,
        field: FacetField,
        query: &str,
        filters: &Filters,
    ) -> Result<counts::FacetCounts> {
        let (analysed, filters) = match self.analyse(query, filters) {
            Err(Error::EmptyQuery) => (AnalysedQuery::default(), filters.clone()),
            other => other?,
        };
        let filters = &filters;
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
        self.index
            .guard("listing articles", || self.list_articles())
    }

    fn list_articles(&self) -> Result<Vec<ArticleRecord>> {
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

/// Article ids of passages, read from the `doc` fast column of each
/// segment, opened once.
#[derive(Default)]
struct ArticleIds {
    columns: HashMap<u32, Option<StrColumn>>,
}

impl ArticleIds {
    fn get(
        &mut self,
        index: &LogisIndex,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<String> {
        let column = match self.columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .str("doc")
                    .map_err(|e| index.error(e))?,
            ),
        };
        let mut id = String::new();
        if let Some(column) = column {
            crate::index::schema::fast_str(column, address.doc_id, &mut id)
                .map_err(|e| index.error(e.into()))?;
        }
        Ok(id)
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
