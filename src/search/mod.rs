//! Searching passages, counting facet values, listing articles: the
//! [`Engine`]. Rendering the results is [`crate::output`]'s job.
//!
//! - `syntax`: the query language, lexed and parsed;
//! - `query`: what a parsed query means, as tantivy queries;
//! - `vocabulary`: synonyms and the facet values query words name;
//! - `fuzzy`: typo corrections;
//! - `rank`: every weight, tier and sort rule;
//! - `filters`: facet and year filters;
//! - `join`: from article documents to their passages;
//! - `highlight` and `snippet`: what is marked, and the excerpt shown;
//! - `counts`: facet counts, as a tantivy collector.

pub mod counts;
pub mod filters;
mod fuzzy;
mod highlight;
mod join;
pub mod operations;
mod ordinals;
mod phrase;
mod query;
pub mod rank;
pub mod snippet;
pub mod syntax;
pub mod values;
mod vocabulary;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, IndexReader, ReloadPolicy, Searcher, SegmentReader, TantivyDocument, Term,
};

use crate::corpus::dates::DateSource;
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::facets::{self, Commune, FacetField, FacetValue, Facets};
use crate::index::blocks::Blocks;
use crate::index::schema::{
    article_key, fast_str, name, split_facet_value_term, ARTICLE_KEY_PREFIX,
};
use crate::index::{ArticleRecord, Fields, LogisIndex};
pub use counts::{CountUnit, FacetCount, FacetCounts};
pub use filters::{Filters, YearRange};
use ordinals::ValueOrdinals;
use query::AnalysedQuery;
pub use rank::{LeftOut, Sort};
use rank::{Picked, Scoring, Selection, Tier, NAMED_BOOST};
pub use snippet::Snippet;
use syntax::parse;
use vocabulary::Vocabulary;

/// Most copies of one story read for the hits (on average over the stories
/// shown).
const MAX_COPIES_LISTED: usize = 50;

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in the query language (see [`syntax`]).
    pub query: String,
    /// Filters besides those written in the query.
    pub filters: Filters,
    /// Passages to return, or articles with `group`.
    pub limit: usize,
    /// Passages (articles with `group`) of the ranking to skip first: the
    /// pages after the first.
    pub offset: usize,
    /// Most passages of one article; 0 for no limit.
    pub per_doc: usize,
    /// Order of the results.
    pub sort: Sort,
    /// Results are articles, each with its best passages.
    pub group: bool,
    /// Syndicated copies of an article are left out of the results and
    /// listed with it (see [`Hit::duplicates`]).
    pub collapse: bool,
}

impl SearchRequest {
    /// A request with the default options: 10 passages, at most 2 per
    /// article, by relevance.
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            per_doc: 2,
            sort: Sort::Relevance,
            group: false,
            collapse: true,
        }
    }
}

/// A passage found by a search.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The article's id.
    pub doc: String,
    /// The passage's ordinal in the article.
    pub passage: u64,
    /// Its score.
    pub score: f32,
    /// Whether the passage holds every query word.
    pub all_words: bool,
    /// Whether it was found by the corrected query (see
    /// [`SearchResults::did_you_mean`]).
    pub fuzzy: bool,
    /// The article's title.
    pub title: Option<String>,
    /// The passage's heading.
    pub heading: Option<String>,
    /// The article's publication date (ISO).
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Where the article was published, when known.
    pub url: Option<String>,
    /// The site or publisher, when known.
    pub site: Option<String>,
    /// Where the article was read: a path, with `:line` for JSON Lines.
    pub source: String,
    /// The article's publication year.
    pub year: Option<i64>,
    /// Years the passage mentions.
    pub years: Vec<i64>,
    /// Organisations the passage names.
    pub organisations: Vec<facets::Term>,
    /// Communes the passage names.
    pub communes: Vec<Commune>,
    /// Départements the passage names, and those of its communes.
    pub departements: Vec<facets::Area>,
    /// Régions the passage names, and those of its places.
    pub regions: Vec<facets::Area>,
    /// Programmes the passage names.
    pub programmes: Vec<facets::Term>,
    /// Housing products the passage names.
    pub products: Vec<facets::Term>,
    /// The whole passage.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
    /// A short excerpt around the highlights.
    pub snippet: Snippet,
    /// The other articles telling the same story (syndicated copies), when
    /// results are collapsed; by date.
    pub duplicates: Vec<Duplicate>,
}

/// A syndicated copy of a hit's article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The copy's id.
    pub doc: String,
    /// Where it was published.
    pub url: Option<String>,
    /// By whom.
    pub site: Option<String>,
    /// When.
    pub date: Option<String>,
}

/// The results of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages holding every query word (matching the filters).
    pub total: usize,
    /// Passages holding at least one query word.
    pub total_any: usize,
    /// Why fewer passages were returned than matched.
    pub left_out: LeftOut,
    /// Filter values known (a commune, a programme...) that no passage of
    /// the index holds: why a search finds nothing.
    pub absent: Vec<values::Resolved>,
    /// Time taken, in milliseconds.
    pub took_ms: f64,
    /// The query with unknown words corrected, when the query found little
    /// and the correction found more; its hits are marked `fuzzy`.
    pub did_you_mean: Option<String>,
    /// Hits are grouped by article: each article's hits are contiguous, in
    /// the order of its best one.
    pub grouped: bool,
    /// The passages found.
    pub hits: Vec<Hit>,
}

/// An article whole, as a reader shows it.
#[derive(Debug, Clone)]
pub struct ArticleView {
    /// Its metadata and facets.
    pub record: ArticleRecord,
    /// Every passage, in order.
    pub passages: Vec<Hit>,
}

/// A reader on the index: searches, counts, lists.
pub struct Engine<'a> {
    index: IndexHandle<'a>,
    reader: IndexReader,
    vocabulary: OnceLock<Vocabulary>,
    /// The data the vocabulary is built from.
    data: DataSet,
    /// Users' synonym files, added to the built-in vocabulary.
    synonyms: Vec<String>,
    /// The global ids of the facet values of the segments last counted on,
    /// kept while the reader stays on them.
    value_ordinals: Mutex<Option<Arc<ValueOrdinals>>>,
}

/// The index an engine reads: borrowed by a command that opens it for one
/// search, owned (shared) by a server that keeps one engine for every
/// request.
enum IndexHandle<'a> {
    Borrowed(&'a LogisIndex),
    Shared(Arc<LogisIndex>),
}

impl std::ops::Deref for IndexHandle<'_> {
    type Target = LogisIndex;

    fn deref(&self) -> &LogisIndex {
        match self {
            IndexHandle::Borrowed(index) => index,
            IndexHandle::Shared(index) => index,
        }
    }
}

impl Engine<'static> {
    /// An engine owning its share of the index, to keep across requests
    /// (see [`Engine::reload`]).
    pub fn shared(index: Arc<LogisIndex>) -> Result<Engine<'static>> {
        Engine::with_handle(IndexHandle::Shared(index))
    }
}

impl<'a> Engine<'a> {
    /// Opens a reader on the last committed state of the index.
    pub fn new(index: &'a LogisIndex) -> Result<Engine<'a>> {
        Engine::with_handle(IndexHandle::Borrowed(index))
    }

    fn with_handle(index: IndexHandle<'a>) -> Result<Engine<'a>> {
        let reader = index.guard("opening a reader", || {
            index
                .tantivy()
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(|e| index.error(e))
        })?;
        Ok(Engine {
            index,
            reader,
            vocabulary: OnceLock::new(),
            data: DataSet::built_in().clone(),
            synonyms: Vec::new(),
            value_ordinals: Mutex::new(None),
        })
    }

    /// Adds users' synonyms: the contents of files in the format of
    /// `data/glossary.tsv`.
    pub fn with_synonyms(mut self, files: Vec<String>) -> Engine<'a> {
        self.synonyms = files;
        self.vocabulary = OnceLock::new();
        self
    }

    /// Takes the vocabulary (gazetteers, glossary, commune stop words) from
    /// `data` instead of the built-in data.
    pub fn with_data(mut self, data: &DataSet) -> Engine<'a> {
        self.data = data.clone();
        self.vocabulary = OnceLock::new();
        self
    }

    /// Moves the reader to the index's last commit: what a long-lived
    /// engine calls when `logis index` has committed since it opened.
    pub fn reload(&self) -> Result<()> {
        self.index.guard("reloading", || {
            self.reader.reload().map_err(|e| self.index.error(e))
        })
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn fields(&self) -> &Fields {
        self.index.fields()
    }

    /// The global ids of the facet values of `searcher`'s segments: built
    /// on the first count, again when the segments have changed.
    fn value_ordinals(&self, searcher: &Searcher) -> Result<Arc<ValueOrdinals>> {
        let mut kept = self
            .value_ordinals
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(ordinals) = kept.as_ref().filter(|o| o.is_for(searcher)) {
            return Ok(ordinals.clone());
        }
        let ordinals = Arc::new(ValueOrdinals::build(searcher).map_err(|e| self.index.error(e))?);
        *kept = Some(ordinals.clone());
        Ok(ordinals)
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary
            .get_or_init(|| Vocabulary::new(self.index.analyzer(), &self.data, &self.synonyms))
    }

    /// The query matching passages for `query` under `filters`:
    /// passages holding all the words when `all_words`, else any of them;
    /// every passage the filters select when there are no words.
    fn matching_query(&self, query: &AnalysedQuery, filters: &Filters, all_words: bool) -> Scoring {
        let fields = self.fields();
        let mut clauses = filters.clauses(fields);
        let mut bonuses = Vec::new();
        let mut prunable = false;
        if query.is_empty() {
            clauses.push((Occur::Must, all_passages(fields)));
        } else {
            let text = query.text_query(fields, all_words, clauses.is_empty());
            // Alone (no filter, no exclusion), the text's query may be one
            // tantivy prunes.
            prunable = text.prunable && clauses.is_empty() && query.excluded.is_empty();
            clauses.push((Occur::Must, text.matching));
            bonuses = text.bonuses;
        }
        if let Some(excluded) = query.excluded_query(fields) {
            clauses.push((Occur::MustNot, excluded));
        }
        // A single clause alone: tantivy prunes a term query, not a
        // boolean query of one.
        let matching: Box<dyn Query> = match clauses.as_slice() {
            [(Occur::Must, _)] => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        Scoring {
            matching,
            bonuses,
            prunable,
        }
    }

    /// A search by relevance in the article scope with selected values, in
    /// two tiers: the passages that name every value themselves, found by
    /// intersecting their keys' postings with the words (not through the
    /// articles about the values), then the other passages the filters
    /// select. Order and scores are those of the whole query with
    /// [`NAMED_BOOST`], without scoring every passage the filters select;
    /// `None` for any other search (see [`Filters::named`]), and for
    /// grouped results, whose articles gather passages of both tiers.
    fn named_tiers(
        &self,
        query: &AnalysedQuery,
        filters: &Filters,
        sort: Sort,
        group: bool,
    ) -> Option<(Scoring, Scoring)> {
        let fields = self.fields();
        if sort != Sort::Relevance || group || query.is_empty() {
            return None;
        }
        let named = filters.named(fields)?;
        let excluded = query.excluded_query(fields);
        let tier = |text: Scoring, mut clauses: Vec<(Occur, Box<dyn Query>)>| {
            clauses.push((Occur::Must, text.matching));
            if let Some(excluded) = &excluded {
                clauses.push((Occur::MustNot, excluded.box_clone()));
            }
            Scoring {
                matching: Box::new(BooleanQuery::new(clauses)),
                bonuses: text.bonuses,
                prunable: false,
            }
        };
        // The named passages: the words as they are searched alone (the
        // bonuses rescored on the best), and the filters but the values,
        // which naming them implies; scored as the whole query scores
        // them, with the boost of each value they name.
        let text = query.text_query(fields, true, query.excluded.is_empty());
        let mut clauses = filters.required(fields, false);
        let boost = NAMED_BOOST * filters.values.len() as f32;
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(named.box_clone(), boost)),
        ));
        let first = tier(text, clauses);
        // The others: every filter (a passage naming some of the values
        // still boosted), and not naming them all.
        let mut clauses = filters.clauses(fields);
        clauses.push((Occur::MustNot, named));
        let others = tier(query.text_query(fields, true, false), clauses);
        Some((first, others))
    }

    /// Parses and analyses a query string: its facet filters join
    /// `filters`; its words are expanded with the vocabulary. Errors on an
    /// unknown field, or when there is nothing to search for and no filter.
    fn analyse(
        &self,
        text: &str,
        filters: &Filters,
    ) -> Result<(AnalysedQuery, Filters, Vec<values::Resolved>)> {
        syntax::check_limits(text)?;
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
        let (filters, absent) = self.resolve_filters(filters)?;
        let mut analysed = AnalysedQuery::new(self.index.analyzer(), &parsed);
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
            for group in analysed.groups.iter_mut().chain(&mut analysed.excluded) {
                for item in &mut group.items {
                    item.known_phrase =
                        item.words.len() > 1 && self.index.knows_phrase(&item.phrase_token());
                }
            }
        }
        Ok((analysed, filters, absent))
    }

    /// The filters with each value resolved to what the index holds (see
    /// [`values`]), and the values known but held by no passage.
    fn resolve_filters(&self, filters: Filters) -> Result<(Filters, Vec<values::Resolved>)> {
        if filters.values.is_empty() && filters.excluded.is_empty() {
            return Ok((filters, Vec::new()));
        }
        let searcher = self.searcher();
        let fields = self.fields();
        // A value is in the index when a passage names it or an article
        // is about it.
        let indexed = |field: FacetField, key: &str| {
            fields.facet_key(field).is_some_and(|keys| {
                [key, &article_key(key)].iter().any(|key| {
                    searcher
                        .doc_freq(&Term::from_field_text(keys, key))
                        .is_ok_and(|n| n > 0)
                })
            })
        };
        let index_keys = |field: FacetField| -> Vec<String> {
            let Some(keys) = fields.facet_key(field) else {
                return Vec::new();
            };
            let mut found = Vec::new();
            for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(keys) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().stream() else {
                    continue;
                };
                while let Some((key, _)) = stream.next() {
                    if let Ok(key) = std::str::from_utf8(key) {
                        found.push(key.trim_start_matches(ARTICLE_KEY_PREFIX).to_string());
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            found
        };
        let resolver = values::Resolver {
            data: &self.data,
            places: std::cell::OnceCell::new(),
            vocabulary: self.vocabulary(),
            indexed: &indexed,
            index_keys: &index_keys,
        };
        let mut absent = Vec::new();
        let mut resolve = |list: &mut Vec<(FacetField, String)>| -> Result<()> {
            for (field, value) in list.iter_mut() {
                let resolved = resolver.resolve(*field, value)?;
                *value = resolved.value.clone();
                if !resolved.indexed {
                    absent.push(resolved);
                }
            }
            Ok(())
        };
        let mut filters = filters;
        resolve(&mut filters.values)?;
        resolve(&mut filters.excluded)?;
        Ok((filters, absent))
    }

    /// Runs a search: passages holding all the words first, then, if the
    /// limit is not reached, passages holding some of them; at most
    /// `per_doc` passages per article. When it finds little and some query
    /// words are unknown, the corrected query's results follow the literal
    /// ones (see [`rank`]).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.index.guard("searching", || self.run_search(request))
    }

    fn run_search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let (query, filters, absent) = self.analyse(&request.query, &request.filters)?;
        let searcher = self.searcher();
        let mut selection = Selection::new(
            request.limit.saturating_add(request.offset),
            request.per_doc,
            request.group,
            request.collapse,
        );
        let sort = request.sort;
        let all = self.matching_query(&query, &filters, true);
        let total = match self.named_tiers(&query, &filters, sort, request.group) {
            // The passages naming the filtered values first, then those
            // of articles about them; the total counted apart, unscored.
            Some((named, others)) => {
                let total = rank::count(&searcher, all.matching.as_ref())
                    .map_err(|e| self.index.error(e))?;
                if total > 0 {
                    self.select_tier(
                        &searcher,
                        &named,
                        sort,
                        Tier::AllWords,
                        &mut selection,
                        false,
                    )?;
                    if !selection.full() {
                        self.select_tier(
                            &searcher,
                            &others,
                            sort,
                            Tier::AllWords,
                            &mut selection,
                            false,
                        )?;
                    }
                }
                total
            }
            None => {
                self.select_tier(&searcher, &all, sort, Tier::AllWords, &mut selection, true)?
            }
        };
        let mut did_you_mean = None;
        let mut corrected_query = None;
        if total < rank::FEW_RESULTS {
            let corrections = fuzzy::corrections(
                &searcher,
                &[self.fields().exact, self.fields().text],
                &query,
            )
            .map_err(|e| self.index.error(e))?;
            if !corrections.is_empty() {
                let corrected_text = fuzzy::apply(&request.query, &corrections);
                let (corrected, corrected_filters, _) =
                    self.analyse(&corrected_text, &request.filters)?;
                let all = self.matching_query(&corrected, &corrected_filters, true);
                let found =
                    self.select_tier(&searcher, &all, sort, Tier::Corrected, &mut selection, true)?;
                if found > 0 {
                    did_you_mean = Some(corrected_text);
                    corrected_query = Some(corrected);
                }
            }
        }
        let mut total_any = total;
        if query.groups.len() > 1 {
            let any = self.matching_query(&query, &filters, false);
            total_any = if selection.full() {
                // Only the count is wanted: no scoring, no ranking.
                rank::count(&searcher, any.matching.as_ref()).map_err(|e| self.index.error(e))?
            } else {
                self.select_tier(&searcher, &any, sort, Tier::SomeWords, &mut selection, true)?
            };
        }
        let left_out = selection.left_out;
        let picked = skip_entries(selection.into_ordered(), request.offset, request.group);
        let hits = self.hits(
            &searcher,
            picked,
            &query,
            corrected_query.as_ref(),
            request.collapse,
        )?;
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            total_any,
            left_out,
            absent,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            did_you_mean,
            grouped: request.group,
            hits,
        })
    }

    /// The hits of the passages picked, with their articles' records: each
    /// hit's own (its title, date, address, site, source) and, with
    /// `collapse`, its copies', read in one query. Passages found by the
    /// `corrected` query are highlighted with its words.
    fn hits(
        &self,
        searcher: &Searcher,
        picked: Vec<Picked>,
        query: &AnalysedQuery,
        corrected: Option<&AnalysedQuery>,
        collapse: bool,
    ) -> Result<Vec<Hit>> {
        let mut stories: HashMap<u64, Vec<ArticleRecord>> = HashMap::new();
        let mut keys: Vec<u64> = picked.iter().map(|p| p.story).collect();
        keys.sort_unstable();
        keys.dedup();
        for (story, record) in self.story_records(searcher, &keys)? {
            stories.entry(story).or_default().push(record);
        }
        let mut columns = ArticleIds::default();
        let mut hits = Vec::with_capacity(picked.len());
        for picked in picked {
            let doc: TantivyDocument = searcher
                .doc(picked.address)
                .map_err(|e| self.index.error(e))?;
            let query = match corrected {
                Some(corrected) if picked.tier == Tier::Corrected => corrected,
                _ => query,
            };
            let segment = columns.segment(&self.index, searcher, picked.address.segment_ord)?;
            let mut hit = self.hit(&doc, segment, &picked, query);
            let mut own = None;
            for record in stories.get(&picked.story).into_iter().flatten() {
                if record.doc == hit.doc {
                    own = Some(record);
                } else if collapse {
                    hit.duplicates.push(Duplicate {
                        doc: record.doc.clone(),
                        url: record.url.clone(),
                        site: record.site.clone(),
                        date: record.date.clone(),
                    });
                }
            }
            // A story holds more copies than are listed: the hit's own
            // record then comes from its article document.
            let own = match own {
                Some(record) => Some(record.clone()),
                None => self.record_at(searcher, segment.article_address(picked.address))?,
            };
            if let Some(record) = own {
                hit.title = record.title;
                hit.date = record.date;
                hit.date_source = record.date_source;
                hit.year = record.year;
                hit.url = record.url;
                hit.site = record.site;
                hit.source = record.source;
            }
            hit.duplicates
                .sort_by(|a, b| (&a.date, &a.doc).cmp(&(&b.date, &b.doc)));
            hits.push(hit);
        }
        Ok(hits)
    }

    /// The record stored on the article document at `address`, without
    /// its values (see [`Engine::record_with_values`]).
    fn record_at(&self, searcher: &Searcher, address: DocAddress) -> Result<Option<ArticleRecord>> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
        Ok(first_text(&doc, self.fields().article)
            .and_then(|json| ArticleRecord::from_stored(&json)))
    }

    /// The record of the article document at `address` with its values,
    /// read back from the fast columns: what it is about from its own,
    /// all its values from its passages', in order.
    fn record_with_values(
        &self,
        searcher: &Searcher,
        columns: &mut ArticleIds,
        address: DocAddress,
    ) -> Result<Option<ArticleRecord>> {
        let Some(mut record) = self.record_at(searcher, address)? else {
            return Ok(None);
        };
        let segment = columns.segment(&self.index, searcher, address.segment_ord)?;
        record.about = segment.values(address.doc_id);
        for passage in 1..=record.passages {
            let doc = address.doc_id + passage;
            if doc >= segment.blocks.max_doc() || segment.blocks.ordinal(doc) != Some(passage - 1) {
                break;
            }
            record.facets.merge(&segment.values(doc));
        }
        Ok(Some(record))
    }

    /// Every passage holding all the query words under the filters, in the
    /// order of `request.sort`, copies included and no per-article limit:
    /// what an export streams. Hits are read a batch at a time.
    pub fn all_hits(&self, request: &SearchRequest) -> Result<AllHits<'_, 'a>> {
        self.index.guard("searching", || {
            let (query, filters, _) = self.analyse(&request.query, &request.filters)?;
            let searcher = self.searcher();
            let matching = self.matching_query(&query, &filters, true);
            let total = rank::count(&searcher, matching.matching.as_ref())
                .map_err(|e| self.index.error(e))?;
            let ranked = rank::ranked(
                &searcher,
                self.fields().offset,
                &matching,
                request.sort,
                total.max(1),
            )
            .map_err(|e| self.index.error(e))?;
            Ok(AllHits {
                engine: self,
                searcher,
                query,
                ranked: ranked.into_iter(),
                ready: std::collections::VecDeque::new(),
                total,
            })
        })
    }

    /// Offers the best passages of one tier's query to `selection`, reading
    /// more of the ranking until it is full or the ranking is exhausted.
    /// Returns the number of passages the query matches when `counted`
    /// (0 otherwise).
    fn select_tier(
        &self,
        searcher: &Searcher,
        query: &Scoring,
        sort: Sort,
        tier: Tier,
        selection: &mut Selection,
        counted: bool,
    ) -> Result<usize> {
        // A query tantivy prunes is counted apart (a term from its
        // frequency); any other, in the ranking's first pass.
        let mut count = (!counted).then_some(0);
        if counted && query.prunable && sort == Sort::Relevance {
            let counted =
                rank::count(searcher, query.matching.as_ref()).map_err(|e| self.index.error(e))?;
            if counted == 0 {
                return Ok(0);
            }
            count = Some(counted);
        }
        let mut wanted = (selection.limit * selection.per_doc.max(1) * 4).max(50);
        let mut articles = ArticleIds::default();
        let offset = self.fields().offset;
        loop {
            let (ranked, counted) =
                rank::ranked_counted(searcher, offset, query, sort, wanted, count.is_none())
                    .map_err(|e| self.index.error(e))?;
            let total = *count.get_or_insert(counted.unwrap_or(0));
            let mut trial = selection.clone();
            for &(score, address) in &ranked {
                if trial.done() {
                    trial.left_out.limit = true;
                    break;
                }
                let (article, story) = articles.get(&self.index, searcher, address)?.id_story();
                trial.offer(Picked {
                    address,
                    article,
                    story,
                    score,
                    tier,
                });
            }
            if trial.full() || ranked.len() < wanted {
                *selection = trial;
                return Ok(total);
            }
            wanted *= 4;
        }
    }

    /// A passage's hit, from its stored text and its fast columns; what
    /// its article holds (title, date, source) is left for [`Engine::hits`].
    fn hit(
        &self,
        doc: &TantivyDocument,
        segment: &SegmentColumns,
        picked: &Picked,
        query: &AnalysedQuery,
    ) -> Hit {
        let fields = self.fields();
        let text = first_text(doc, fields.body).unwrap_or_default();
        let highlights = highlight::highlights(self.index.analyzer(), &text, query.items());
        let snippet = snippet::snippet(&text, &highlights, snippet::SNIPPET_BYTES);
        let at = picked.address.doc_id;
        let facets = segment.values(at);
        Hit {
            doc: picked.article.clone(),
            passage: u64::from(segment.blocks.ordinal(at).unwrap_or(0)),
            score: picked.score,
            all_words: picked.tier.all_words(),
            fuzzy: picked.tier == Tier::Corrected,
            title: None,
            heading: first_text(doc, fields.heading_text),
            date: None,
            date_source: None,
            url: None,
            site: None,
            source: String::new(),
            year: None,
            years: segment.years.values_for_doc(at).collect(),
            organisations: facets.organisations,
            communes: facets.communes,
            departements: facets.departements,
            regions: facets.regions,
            programmes: facets.programmes,
            products: facets.products,
            text,
            highlights,
            snippet,
            duplicates: Vec::new(),
        }
    }

    /// Counts the values of `field` over the passages matching `query`
    /// (all its words; every passage when empty) and `filters`. Counts are
    /// disjunctive: with a filter on `field` itself, they are taken under
    /// the other filters only, so they show what each other value would
    /// give; the selected values are marked.
    /// Values are those of `filters.scope`; they are ordered by `unit`.
    pub fn facet_counts(
        &self,
        field: FacetField,
        query: &str,
        filters: &Filters,
        unit: CountUnit,
    ) -> Result<FacetCounts> {
        self.index.guard("counting", || {
            self.count_facets(field, query, filters, unit)
        })
    }

    fn count_facets(
        &self,
        field: FacetField,
        query: &str,
        filters: &Filters,
        unit: CountUnit,
    ) -> Result<FacetCounts> {
        let (analysed, filters) = self.analyse_for_counts(query, filters)?;
        let mut counts = self.count_analysed(
            &self.searcher(),
            &[field],
            &analysed,
            &filters,
            unit,
            usize::MAX,
        )?;
        counts.pop().ok_or_else(|| Error::Internal {
            what: "counting facet values".to_string(),
        })
    }

    /// The counts of every facet field over the passages matching `query`
    /// and `filters`, as [`Engine::facet_counts`] gives each, the query
    /// read once and every count taken on the same commit: what a search
    /// page shows beside its results. Each field keeps its first `values`
    /// values (most frequent first; `usize::MAX` for all): only those are
    /// read back and ordered.
    pub fn facet_distributions(
        &self,
        query: &str,
        filters: &Filters,
        unit: CountUnit,
        values: usize,
    ) -> Result<Vec<FacetCounts>> {
        self.index.guard("counting", || {
            let (analysed, filters) = self.analyse_for_counts(query, filters)?;
            self.count_analysed(
                &self.searcher(),
                &FacetField::ALL,
                &analysed,
                &filters,
                unit,
                values,
            )
        })
    }

    /// The query and filters counts are taken under: no words count every
    /// passage the filters select (all of them without filters).
    fn analyse_for_counts(
        &self,
        query: &str,
        filters: &Filters,
    ) -> Result<(AnalysedQuery, Filters)> {
        match self.analyse(query, filters) {
            Err(Error::EmptyQuery) => Ok((AnalysedQuery::default(), filters.clone())),
            other => other.map(|(analysed, filters, _)| (analysed, filters)),
        }
    }

    /// The counts of `fields`, in their order. The fields without a filter
    /// of their own are counted together, in one pass over the passages
    /// matching; a field with one is counted under the other filters only
    /// (disjunctive), in a pass of its own.
    fn count_analysed(
        &self,
        searcher: &Searcher,
        fields: &[FacetField],
        analysed: &AnalysedQuery,
        filters: &Filters,
        unit: CountUnit,
        values: usize,
    ) -> Result<Vec<FacetCounts>> {
        let ordinals = self.value_ordinals(searcher)?;
        let search = |fields: &[FacetField], counting: &Filters| {
            let q = self.matching_query(analysed, counting, true).matching;
            let collector =
                counts::FacetCollector::new(fields, filters.scope, unit, values, ordinals.clone());
            searcher
                .search(q.as_ref(), &(collector, Count))
                .map_err(|e| self.index.error(e))
        };
        let counted = |field: FacetField, counts: Vec<FacetCount>, passages: usize| FacetCounts {
            field,
            scope: filters.scope,
            unit,
            passages,
            disjunctive: filters.has(field),
            counts,
        };
        let (own, plain): (Vec<FacetField>, Vec<FacetField>) =
            fields.iter().partition(|&&field| filters.has(field));
        let mut out = Vec::with_capacity(fields.len());
        // Passages matching the query and every filter: counted by the pass
        // of the fields without a filter, if any.
        let mut matching = None;
        if !plain.is_empty() {
            let (values, passages) = search(&plain, filters)?;
            matching = Some(passages);
            for (&field, counts) in plain.iter().zip(values) {
                out.push(counted(field, counts, passages));
            }
        }
        if !own.is_empty() {
            let passages = match matching {
                Some(passages) => passages,
                None => {
                    let all = self.matching_query(analysed, filters, true).matching;
                    rank::count(searcher, all.as_ref()).map_err(|e| self.index.error(e))?
                }
            };
            for field in own {
                let (values, _) = search(&[field], &filters.without(field))?;
                for mut counts in values {
                    for count in &mut counts {
                        count.selected = filters.selects(&count.value);
                    }
                    out.push(counted(field, counts, passages));
                }
            }
        }
        out.sort_by_key(|c| fields.iter().position(|&f| f == c.field));
        Ok(out)
    }

    /// The article `id` whole: its record and every passage in order, each
    /// as a hit with the words of `query` highlighted (none when it is
    /// empty). `None` when no article has this id.
    pub fn article(&self, id: &str, query: &str) -> Result<Option<ArticleView>> {
        self.index.guard("reading an article", || {
            let analysed = match self.analyse(query, &Filters::default()) {
                Err(Error::EmptyQuery) => AnalysedQuery::default(),
                other => other?.0,
            };
            let fields = self.fields();
            let searcher = self.searcher();
            // Its block: the article document, then its passages in order.
            let block = TermQuery::new(
                Term::from_field_text(fields.doc, id),
                IndexRecordOption::Basic,
            );
            let mut addresses: Vec<DocAddress> = searcher
                .search(&block, &DocSetCollector)
                .map_err(|e| self.index.error(e))?
                .into_iter()
                .collect();
            addresses.sort();
            let Some((&head, passages)) = addresses.split_first() else {
                return Ok(None);
            };
            let mut ids = ArticleIds::default();
            let Some(record) = self.record_with_values(&searcher, &mut ids, head)? else {
                return Ok(None);
            };
            let mut picked = Vec::with_capacity(passages.len());
            for &address in passages {
                let (article, story) = ids.get(&self.index, &searcher, address)?.id_story();
                picked.push(Picked {
                    address,
                    article,
                    story,
                    score: 0.0,
                    tier: Tier::AllWords,
                });
            }
            let passages = self.hits(&searcher, picked, &analysed, None, true)?;
            Ok(Some(ArticleView { record, passages }))
        })
    }

    /// The records of the articles of `stories`, with the story of each; at
    /// most [`MAX_COPIES_LISTED`] per story.
    fn story_records(
        &self,
        searcher: &Searcher,
        stories: &[u64],
    ) -> Result<Vec<(u64, ArticleRecord)>> {
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        let fields = self.fields();
        // The story is on article documents only. A few terms: a union of
        // their postings (a term set would fill a bit set per segment).
        // Every copy weighs the same: the first ones in the index are
        // listed.
        let union = BooleanQuery::new(
            stories
                .iter()
                .map(|&story| {
                    let term = Term::from_field_u64(fields.story, story);
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect(),
        );
        let query = ConstScoreQuery::new(Box::new(union), 1.0);
        let found = searcher
            .search(
                &query,
                &TopDocs::with_limit(MAX_COPIES_LISTED * stories.len()).order_by_score(),
            )
            .map_err(|e| self.index.error(e))?;
        let mut ids = ArticleIds::default();
        let mut records = Vec::with_capacity(found.len());
        for (_, address) in found {
            let (_, story) = ids.get(&self.index, searcher, address)?.id_story();
            if let Some(record) = self.record_at(searcher, address)? {
                records.push((story, record));
            }
        }
        Ok(records)
    }

    /// The article documents of the commit read.
    fn article_documents(&self) -> TermQuery {
        TermQuery::new(
            Term::from_field_u64(self.fields().offset, 0),
            IndexRecordOption::Basic,
        )
    }

    /// Articles and passages in the commit read.
    pub fn size(&self) -> Result<(u64, u64)> {
        self.index.guard("counting", || {
            let searcher = self.searcher();
            let articles = searcher
                .search(&self.article_documents(), &Count)
                .map_err(|e| self.index.error(e))? as u64;
            Ok((articles, searcher.num_docs().saturating_sub(articles)))
        })
    }

    /// Every article in the index, by id.
    pub fn articles(&self) -> Result<Vec<ArticleRecord>> {
        self.index
            .guard("listing articles", || self.list_articles())
    }

    fn list_articles(&self) -> Result<Vec<ArticleRecord>> {
        let searcher = self.searcher();
        let addresses = searcher
            .search(&self.article_documents(), &DocSetCollector)
            .map_err(|e| self.index.error(e))?;
        let mut records = Vec::with_capacity(addresses.len());
        let mut columns = ArticleIds::default();
        for address in addresses {
            if let Some(record) = self.record_with_values(&searcher, &mut columns, address)? {
                records.push(record);
            }
        }
        records.sort_by(|a, b| a.doc.cmp(&b.doc));
        Ok(records)
    }
}

/// `picked` without its first `offset` entries: passages, or articles (runs
/// of passages of one article) when `grouped`.
fn skip_entries(picked: Vec<Picked>, offset: usize, grouped: bool) -> Vec<Picked> {
    if offset == 0 {
        return picked;
    }
    if !grouped {
        return picked.into_iter().skip(offset).collect();
    }
    let mut articles = 0;
    let mut previous: Option<String> = None;
    picked
        .into_iter()
        .filter(|p| {
            if previous.as_deref() != Some(p.article.as_str()) {
                articles += 1;
                previous = Some(p.article.clone());
            }
            articles > offset
        })
        .collect()
}

/// Hits read a batch at a time: see [`Engine::all_hits`].
pub struct AllHits<'e, 'a> {
    engine: &'e Engine<'a>,
    searcher: Searcher,
    query: AnalysedQuery,
    ranked: std::vec::IntoIter<(f32, DocAddress)>,
    ready: std::collections::VecDeque<Hit>,
    /// Passages matching.
    pub total: usize,
}

/// Passages read per batch by [`AllHits`].
const EXPORT_BATCH: usize = 256;

impl Iterator for AllHits<'_, '_> {
    type Item = Result<Hit>;

    fn next(&mut self) -> Option<Result<Hit>> {
        if self.ready.is_empty() {
            let engine = self.engine;
            let batch: Vec<(f32, DocAddress)> = self.ranked.by_ref().take(EXPORT_BATCH).collect();
            if batch.is_empty() {
                return None;
            }
            let read = engine.index.guard("exporting", || {
                let mut ids = ArticleIds::default();
                let mut picked = Vec::with_capacity(batch.len());
                for (score, address) in batch {
                    let (article, story) =
                        ids.get(&engine.index, &self.searcher, address)?.id_story();
                    picked.push(Picked {
                        address,
                        article,
                        story,
                        score,
                        tier: Tier::AllWords,
                    });
                }
                engine.hits(&self.searcher, picked, &self.query, None, false)
            });
            match read {
                Ok(hits) => self.ready.extend(hits),
                Err(e) => {
                    // Stop after an error: the rest cannot be trusted.
                    self.ranked = Vec::new().into_iter();
                    return Some(Err(e));
                }
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

/// The columns a search reads of one segment: its blocks, the article
/// documents' ids and stories, the passages' values and years.
struct SegmentColumns {
    blocks: Blocks,
    ids: Option<StrColumn>,
    stories: Column<u64>,
    values: Option<StrColumn>,
    years: Column<i64>,
    segment_ord: u32,
}

impl SegmentColumns {
    fn open(segment: &SegmentReader, segment_ord: u32) -> tantivy::Result<SegmentColumns> {
        let fast = segment.fast_fields();
        let values = fast.str(name::FACET_VALUES)?;
        Ok(SegmentColumns {
            blocks: Blocks::of(segment)?,
            ids: fast.str(name::DOC)?,
            stories: fast.u64(name::STORY)?,
            values,
            years: fast.i64(name::YEARS)?,
            segment_ord,
        })
    }

    /// The address of the article document of the document at `address`.
    fn article_address(&self, address: DocAddress) -> DocAddress {
        DocAddress::new(self.segment_ord, self.blocks.article_of(address.doc_id))
    }

    /// The values a passage names, read back from their stored forms.
    fn values(&self, doc: DocId) -> Facets {
        let mut facets = Facets::default();
        let Some(column) = &self.values else {
            return facets;
        };
        let mut term = String::new();
        for ord in column.term_ords(doc) {
            term.clear();
            if column.ord_to_str(ord, &mut term).is_ok() {
                if let Some((field, stored)) = split_facet_value_term(&term) {
                    facets.push(FacetValue::from_stored(field, stored));
                }
            }
        }
        facets
    }
}

/// A passage's article: its id and story.
struct ArticleOf {
    id: String,
    story: u64,
}

impl ArticleOf {
    fn id_story(self) -> (String, u64) {
        (self.id, self.story)
    }
}

/// The columns of each segment read, opened once.
#[derive(Default)]
struct ArticleIds {
    columns: HashMap<u32, SegmentColumns>,
}

impl ArticleIds {
    fn segment(
        &mut self,
        index: &LogisIndex,
        searcher: &Searcher,
        segment_ord: u32,
    ) -> Result<&SegmentColumns> {
        match self.columns.entry(segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => {
                let segment = searcher.segment_reader(segment_ord);
                Ok(e.insert(
                    SegmentColumns::open(segment, segment_ord).map_err(|e| index.error(e))?,
                ))
            }
        }
    }

    /// The article of the document at `address` (a passage, or an article
    /// document itself).
    fn get(
        &mut self,
        index: &LogisIndex,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<ArticleOf> {
        let columns = self.segment(index, searcher, address.segment_ord)?;
        let article = columns.blocks.article_of(address.doc_id);
        let mut id = String::new();
        if let Some(column) = &columns.ids {
            fast_str(column, article, &mut id).map_err(|e| index.error(e.into()))?;
        }
        let story = columns.stories.first(article).unwrap_or_default();
        Ok(ArticleOf { id, story })
    }
}

/// Every passage of the index: all documents but the article documents.
fn all_passages(fields: &Fields) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_u64(fields.offset, 0),
                IndexRecordOption::Basic,
            )),
        ),
    ]))
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index_invented;

    /// The twin of the filter tiers: the passages picked in two tiers
    /// (those naming the values, then the others) are those the whole
    /// query, with its boosts, ranks first, in the same order.
    #[test]
    fn filter_tiers_pick_what_the_boosted_query_ranks_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        index_invented(&path, &dir.path().join("a"), "a", 120);
        let index = LogisIndex::open(&path).unwrap();
        let engine = Engine::new(&index).unwrap();
        let searcher = engine.searcher();
        let cases: [(&str, &[(FacetField, &str)]); 4] = [
            ("logements", &[(FacetField::Commune, "Vierzon")]),
            ("chantier PSLA", &[(FacetField::Commune, "Bourges")]),
            (
                "logements",
                &[
                    (FacetField::Commune, "Nevers"),
                    (FacetField::Product, "PLS"),
                ],
            ),
            ("gare", &[(FacetField::Departement, "18")]),
        ];
        let mut both_tiers = 0;
        for (words, values) in cases {
            let mut filters = Filters::default();
            for &(field, value) in values {
                filters.add(field, value).unwrap();
            }
            let (query, filters, _) = engine.analyse(words, &filters).unwrap();
            let (named, others) = engine
                .named_tiers(&query, &filters, Sort::Relevance, false)
                .expect("tiers");
            for (limit, per_doc) in [(10, 2), (60, 0), (400, 0)] {
                let pick = |tiers: &[&Scoring]| {
                    let mut selection = Selection::new(limit, per_doc, false, true);
                    for tier in tiers {
                        if !selection.full() {
                            engine
                                .select_tier(
                                    &searcher,
                                    tier,
                                    Sort::Relevance,
                                    Tier::AllWords,
                                    &mut selection,
                                    false,
                                )
                                .unwrap();
                        }
                    }
                    selection
                        .into_ordered()
                        .into_iter()
                        .map(|p| p.address)
                        .collect::<Vec<_>>()
                };
                let whole = engine.matching_query(&query, &filters, true);
                let expected = pick(&[&whole]);
                assert!(!expected.is_empty(), "{words} {values:?}");
                let named_only = pick(&[&named]);
                if named_only.len() < expected.len() {
                    both_tiers += 1;
                }
                assert_eq!(
                    pick(&[&named, &others]),
                    expected,
                    "{words} {values:?} {limit}"
                );
            }
        }
        assert!(both_tiers > 0, "some page reaches the second tier");
    }
}
