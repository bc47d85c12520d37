//! From articles to their passages: a block join (see `index::blocks`),
//! which tantivy lacks. An [`ArticleJoin`] matches the passages of the
//! articles its inner query matches on their article documents, each with
//! its article's score; with `direct`, also the passages the inner query
//! matches themselves (with their own score). So:
//!
//! - the title's weight is the title query joined (each passage of an
//!   article whose title matches gets the title's score);
//! - an article-scope filter on a value is its key's query joined with
//!   `direct`: the passages of the articles about the value, and the
//!   passages naming it;
//! - a year filter is the range query on the article documents, joined.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

use crate::index::blocks::{Blocks, KindStatistics};

/// The explanation of a weight whose scorer is all it knows: `doc`'s
/// score under `what`, or an error when `doc` does not match.
pub(crate) fn explain_by_seeking(
    mut scorer: Box<dyn Scorer>,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.seek(doc) != doc {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match {what}"
        )));
    }
    Ok(Explanation::new(what, scorer.score()))
}

/// The passages of the articles `inner` matches (and, with `direct`, the
/// passages it matches itself).
pub(crate) struct ArticleJoin {
    inner: Box<dyn Query>,
    direct: bool,
    /// The `offset` field, for the articles' statistics.
    offset: Field,
}

impl ArticleJoin {
    /// The passages of the articles `inner` matches.
    pub(crate) fn articles(inner: Box<dyn Query>, offset: Field) -> ArticleJoin {
        ArticleJoin {
            inner,
            direct: false,
            offset,
        }
    }

    /// The passages of the articles `inner` matches, and those it matches.
    pub(crate) fn articles_or_passages(inner: Box<dyn Query>, offset: Field) -> ArticleJoin {
        ArticleJoin {
            inner,
            direct: true,
            offset,
        }
    }
}

impl Clone for ArticleJoin {
    fn clone(&self) -> Self {
        ArticleJoin {
            inner: self.inner.box_clone(),
            direct: self.direct,
            offset: self.offset,
        }
    }
}

impl fmt::Debug for ArticleJoin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArticleJoin")
            .field("inner", &self.inner)
            .field("direct", &self.direct)
            .finish()
    }
}

impl Query for ArticleJoin {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // An inner query scored on article documents takes the articles'
        // statistics (see `KindStatistics`).
        let inner = match scoring {
            EnableScoring::Enabled { searcher, .. } if !self.direct => {
                let statistics = KindStatistics::articles(searcher, self.offset);
                self.inner
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &statistics,
                        searcher,
                    ))?
            }
            scoring => self.inner.weight(scoring)?,
        };
        Ok(Box::new(JoinWeight {
            inner,
            direct: self.direct,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct JoinWeight {
    inner: Box<dyn Weight>,
    direct: bool,
}

impl Weight for JoinWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(JoinScorer::new(
            inner,
            Blocks::of(reader)?,
            self.direct,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_by_seeking(self.scorer(reader, 1.0)?, doc, "article join")
    }
}

/// The passages of matched articles, in document order.
struct JoinScorer {
    inner: Box<dyn Scorer>,
    blocks: Blocks,
    direct: bool,
    max_doc: DocId,
    doc: DocId,
    /// While in the block of a matched article: the article document and
    /// its score.
    article: Option<(DocId, Score)>,
    /// The score of the current document.
    score: Score,
}

impl JoinScorer {
    fn new(inner: Box<dyn Scorer>, blocks: Blocks, direct: bool) -> JoinScorer {
        let max_doc = blocks.max_doc();
        let mut scorer = JoinScorer {
            inner,
            blocks,
            direct,
            max_doc,
            doc: 0,
            article: None,
            score: 0.0,
        };
        scorer.settle(0);
        scorer
    }

    /// Whether `doc` is a passage of article `article`.
    fn in_block(&self, doc: DocId, article: DocId) -> bool {
        doc < self.max_doc && doc != article && self.blocks.article_of(doc) == article
    }

    /// Moves to the first document at or after `target` that the join
    /// matches, the inner scorer standing at or before it.
    fn settle(&mut self, target: DocId) -> DocId {
        if let Some((article, score)) = self.article {
            if self.in_block(target, article) {
                self.doc = target;
                self.score = score;
                return target;
            }
            self.article = None;
        }
        // The inner scorer first at the article of `target`, whose block
        // may still hold it.
        let start = if target < self.max_doc {
            self.blocks.article_of(target)
        } else {
            target
        };
        let mut inner = self.inner.doc();
        if inner < start {
            inner = self.inner.seek(start);
        }
        loop {
            if inner == TERMINATED || inner >= self.max_doc {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            if self.blocks.is_article(inner) {
                let first = target.max(inner + 1);
                if self.in_block(first, inner) {
                    let score = self.inner.score();
                    self.article = Some((inner, score));
                    self.doc = first;
                    self.score = score;
                    return first;
                }
            } else if self.direct && inner >= target {
                self.doc = inner;
                self.score = self.inner.score();
                return inner;
            }
            inner = self.inner.advance();
        }
    }
}

impl DocSet for JoinScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // An article holds about eight passages.
        self.inner.size_hint().saturating_mul(8).min(self.max_doc)
    }
}

impl Scorer for JoinScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use std::fmt::Write as _;

    use proptest::prelude::*;

    use crate::facets::{FacetField, Facets, Scope};
    use crate::index::{ArticleRecord, IndexOptions, LogisIndex};
    use crate::search::{CountUnit, Engine, Filters, SearchRequest, YearRange};

    const COMMUNES: [&str; 6] = [
        "Vierzon", "Bourges", "Nevers", "Auxerre", "Beauvais", "Creil",
    ];
    const PRODUCTS: [&str; 4] = ["PLAI", "PSLA", "PLS", "BRS"];
    const WORDS: [&str; 6] = [
        "logements",
        "chantier",
        "gare",
        "PSLA",
        "réhabilitation",
        "",
    ];

    /// A small deterministic generator (xorshift), seeded by proptest.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.roll(from.len())]
        }
    }

    /// Invented articles: titles and passages naming communes, products
    /// and years at random, some passages naming nothing.
    fn corpus(dice: &mut Dice, articles: usize) -> String {
        let mut lines = String::new();
        for n in 0..articles {
            let mut text = String::new();
            for _ in 0..1 + dice.roll(6) {
                match dice.roll(4) {
                    0 => text.push_str("Le chantier avance, les logements aussi.\n\n"),
                    1 => {
                        let _ = write!(
                            text,
                            "À {}, l'office livre {} logements {} près de la gare.\n\n",
                            dice.pick(&COMMUNES),
                            10 + dice.roll(40),
                            dice.pick(&PRODUCTS)
                        );
                    }
                    2 => {
                        let _ = write!(
                            text,
                            "La réhabilitation de {} logements à {} et à {} s'achève en {}.\n\n",
                            5 + dice.roll(90),
                            dice.pick(&COMMUNES),
                            dice.pick(&COMMUNES),
                            2015 + dice.roll(9)
                        );
                    }
                    _ => {
                        let _ = write!(text, "Des {} en projet.\n\n", dice.pick(&PRODUCTS));
                    }
                }
            }
            let mut line = serde_json::json!({
                "id": format!("a{n}"),
                "title": format!("Chantier à {}", dice.pick(&COMMUNES)),
                "text": text,
            });
            if dice.roll(4) > 0 {
                line["date"] = format!(
                    "{}-0{}-1{}",
                    2016 + dice.roll(8),
                    1 + dice.roll(9),
                    dice.roll(10)
                )
                .into();
            }
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
        lines
    }

    /// Every passage of the index, with its own values and its article's
    /// record: the reference the engine's joins are checked against.
    struct Passage {
        doc: String,
        ordinal: u64,
        own: Facets,
        record: ArticleRecord,
    }

    fn all_passages(engine: &Engine) -> Vec<Passage> {
        let mut out = Vec::new();
        for record in engine.articles().unwrap() {
            let view = engine.article(&record.doc, "").unwrap().unwrap();
            for hit in view.passages {
                out.push(Passage {
                    doc: hit.doc.clone(),
                    ordinal: hit.passage,
                    own: Facets {
                        organisations: hit.organisations,
                        communes: hit.communes,
                        departements: hit.departements,
                        regions: hit.regions,
                        programmes: hit.programmes,
                        products: hit.products,
                        years: Vec::new(),
                    },
                    record: record.clone(),
                });
            }
        }
        out
    }

    /// The values of `field` a passage carries in `scope`.
    fn values(p: &Passage, field: FacetField, scope: Scope) -> BTreeSet<String> {
        if field == FacetField::Year {
            return p.record.year.map(|y| y.to_string()).into_iter().collect();
        }
        let names = |facets: &Facets| -> Vec<String> {
            facets
                .values()
                .filter(|v| v.field() == field)
                .map(|v| v.name().to_string())
                .collect()
        };
        let mut out: BTreeSet<String> = names(&p.own).into_iter().collect();
        if scope == Scope::Article {
            out.extend(names(&p.record.about));
        }
        out
    }

    /// Whether a passage passes `filters`, as their documentation says.
    fn passes(p: &Passage, filters: &Filters) -> bool {
        let named = |field: FacetField, value: &str| {
            values(p, field, filters.scope)
                .iter()
                .any(|v| crate::analysis::facet_key(v) == crate::analysis::facet_key(value))
        };
        for field in FacetField::ALL {
            let wanted: Vec<&String> = filters
                .values
                .iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, v)| v)
                .collect();
            if !wanted.is_empty() && !wanted.iter().any(|v| named(field, v)) {
                return false;
            }
        }
        if filters.excluded.iter().any(|(f, v)| named(*f, v)) {
            return false;
        }
        let year = p.record.year;
        if let Some(range) = filters.years {
            if !year.is_some_and(|y| range.contains(y)) {
                return false;
            }
        }
        !filters
            .excluded_years
            .iter()
            .any(|range| year.is_some_and(|y| range.contains(y)))
    }

    fn random_filters(dice: &mut Dice, passages: &[Passage]) -> Filters {
        let mut filters = Filters {
            scope: if dice.roll(2) == 0 {
                Scope::Article
            } else {
                Scope::Passage
            },
            ..Filters::default()
        };
        // Values the index holds, from a random passage's article.
        let p = &passages[dice.roll(passages.len())];
        let known: Vec<(FacetField, String)> = p
            .record
            .facets
            .values()
            .map(|v| (v.field(), v.name().to_string()))
            .collect();
        for _ in 0..dice.roll(3) {
            if known.is_empty() {
                break;
            }
            let value = known[dice.roll(known.len())].clone();
            if dice.roll(4) == 0 {
                filters.excluded.push(value);
            } else {
                filters.values.push(value);
            }
        }
        match dice.roll(4) {
            0 => {
                filters.years = Some(YearRange {
                    from: Some(2016 + dice.roll(5) as i64),
                    to: None,
                })
            }
            1 => filters.excluded_years.push(YearRange {
                from: None,
                to: Some(2018),
            }),
            _ => {}
        }
        filters
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

        /// The twin of the joins: on random corpora, every search with
        /// filters in either scope, and every facet count in both scopes
        /// and units, equals what a passage-by-passage reading of the
        /// passages' own values and their articles' records gives.
        #[test]
        fn joins_match_a_passage_by_passage_reference(seed in 1u64..u64::MAX) {
            let mut dice = Dice(seed);
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("corpus.jsonl");
            let articles = 40 + dice.roll(40);
            std::fs::write(&file, corpus(&mut dice, articles)).unwrap();
            let index = dir.path().join("index");
            let options = IndexOptions { memory_mb: 16, ..IndexOptions::default() };
            crate::index::index_paths(&index, &[file], &options, &mut |_| {}).unwrap();
            let opened = LogisIndex::open(&index).unwrap();
            let engine = Engine::new(&opened).unwrap();
            let passages = all_passages(&engine);
            let key = |p: &Passage| (p.doc.clone(), p.ordinal);
            let by_key: HashMap<(String, u64), &Passage> = passages.iter().map(|p| (key(p), p)).collect();
            for _ in 0..12 {
                let words = dice.pick(&WORDS);
                let filters = random_filters(&mut dice, &passages);
                // The passages holding the words, unfiltered.
                let matching: Vec<&Passage> = if words.is_empty() {
                    passages.iter().collect()
                } else {
                    engine
                        .all_hits(&SearchRequest::new(words))
                        .unwrap()
                        .map(|h| { let h = h.unwrap(); by_key[&(h.doc, h.passage)] })
                        .collect()
                };
                let expected: BTreeSet<(String, u64)> = matching
                    .iter()
                    .filter(|p| passes(p, &filters))
                    .map(|p| key(p))
                    .collect();
                if words.is_empty() && filters.is_empty() {
                    continue;
                }
                let mut request = SearchRequest::new(words);
                request.filters = filters.clone();
                let found: BTreeSet<(String, u64)> = engine
                    .all_hits(&request)
                    .unwrap()
                    .map(|h| { let h = h.unwrap(); (h.doc, h.passage) })
                    .collect();
                prop_assert_eq!(&found, &expected, "{:?} {:?}", words, filters);
                for unit in [CountUnit::Articles, CountUnit::Passages] {
                    let counted = engine.facet_distributions(words, &filters, unit, usize::MAX).unwrap();
                    for counts in counted {
                        let field = counts.field;
                        let under = if filters.has(field) { filters.without(field) } else { filters.clone() };
                        let mut reference: BTreeMap<String, (u64, BTreeSet<String>)> = BTreeMap::new();
                        for p in matching.iter().filter(|p| passes(p, &under)) {
                            for value in values(p, field, filters.scope) {
                                let entry = reference.entry(value).or_default();
                                entry.0 += 1;
                                entry.1.insert(p.doc.clone());
                            }
                        }
                        let got: BTreeMap<String, (u64, u64)> = counts
                            .counts
                            .iter()
                            .map(|c| (c.value.name(), (c.passages, c.articles)))
                            .collect();
                        let want: BTreeMap<String, (u64, u64)> = reference
                            .into_iter()
                            .map(|(v, (n, docs))| (v, (n, docs.len() as u64)))
                            .collect();
                        prop_assert_eq!(got, want, "{:?} {:?} {:?}", field, words, filters);
                    }
                }
            }
        }
    }
}
