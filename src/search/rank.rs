//! Ranking: every weight, tier and sort rule of a search, each with why it
//! is what it is.
//!
//! A passage's score is BM25 over its text (tantivy's, on the stemmed
//! field), plus the boosts `combine` adds. Results come in tiers: the
//! passages holding every query word first, then those found by the query
//! with its typos corrected, then those holding only some words. Within a
//! tier, passages follow the [`Sort`]; `Selection` then keeps at most
//! `per_doc` passages of one article and stops at the limit.

use std::collections::{HashMap, HashSet};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use crate::index::blocks::{Blocks, KindStatistics};
use crate::index::schema::name;

/// Extra weight of a match on the unstemmed form. Snowball merges
/// `logement`, `loge` and `logis`; someone who typed `logements` most
/// likely wants that word, so the exact form lifts a passage by half a
/// match, enough to order equal BM25 scores, not to outrank a passage
/// matching more words.
pub(crate) const EXACT_BOOST: f32 = 0.5;

/// Weight of a synonym's match (`prêt social location-accession` for
/// `PSLA`) relative to the words typed: a synonym answers the question, but
/// the words the user chose are the surer sign, so a literal match ranks
/// first at equal BM25.
pub(crate) const SYNONYM_WEIGHT: f32 = 0.8;

/// Score of a passage tagged with the facet value a query word names
/// (`Senlis` tagged, the text saying `la ville`) but not holding the word:
/// a constant, below any literal match (which gets it too), so that the
/// tag finds passages without reordering those the words find.
pub(crate) const TAG_SCORE: f32 = 0.5;

/// Extra score of a passage that names a filter's value itself, when the
/// filter also takes the other passages of articles about the value (the
/// article scope): more than any BM25 score of a passage, so that
/// `--commune Saint-Quentin` shows every paragraph naming the town before
/// the paragraphs of its articles that do not; the ranking among each of
/// the two stays that of the words.
pub(crate) const NAMED_BOOST: f32 = 100.0;

/// Extra weight when the query words stand close together, in order
/// ([`PROXIMITY_SLOP`]): `PSLA Compiègne` in one line of an operation beats
/// the two words in distant sentences. A full match's worth, since
/// proximity is the best sign a passage is about both words.
pub(crate) const PROXIMITY_BOOST: f32 = 1.0;

/// How far apart (in words, summed) the query words may stand to count as
/// close: a short clause (`PSLA à Compiègne`, `16 PSLA ... COMPIÈGNE`).
pub(crate) const PROXIMITY_SLOP: u32 = 4;

/// Extra weight of a match in the passage's heading or the article's
/// title: a heading says what the passage is about, but a short one would
/// otherwise dominate BM25, so it only tips the balance.
pub(crate) const HEADING_BOOST: f32 = 0.3;

/// Below this many passages holding all the words, a query is retried with
/// its unknown words corrected (typos). More than that, and the literal
/// results are the answer: corrections would only add noise.
pub(crate) const FEW_RESULTS: usize = 3;

/// How many of the best passages by their words alone are scored again
/// with the bonuses (the heading, the title, the words close together),
/// as Elasticsearch's rescore does: the bonuses are read for these only,
/// and the first pass is one tantivy can prune. A passage below the window
/// would need bonuses worth more than the gap to the window's last: it
/// happens with words so frequent that BM25 barely tells their passages
/// apart (`logements`), where the window's are as good an answer as any.
pub(crate) const RESCORE_WINDOW: usize = 1_000;

/// A search's query in two parts: `matching` selects the passages and
/// scores them by their words (BM25 of the text); each of `bonuses` only
/// adds to the score of a passage `matching` selects.
pub(crate) struct Scoring {
    pub matching: Box<dyn Query>,
    pub bonuses: Vec<Box<dyn Query>>,
    /// `matching` is a term or a union of terms, which tantivy ranks
    /// skipping what cannot reach the top (block-max WAND), and counts from
    /// their frequencies: counting apart from ranking pays. Anything else is
    /// read whole either way, and counted in the ranking's pass.
    pub prunable: bool,
}

impl Scoring {
    /// The scoring of the text's words: BM25 of the passages `matching`
    /// selects, plus the proximity bonus and the bonus of each heading or
    /// title match.
    pub(crate) fn text(
        matching: Box<dyn Query>,
        proximity: Option<Box<dyn Query>>,
        headings: Vec<Box<dyn Query>>,
    ) -> Scoring {
        let mut bonuses: Vec<Box<dyn Query>> = Vec::new();
        if let Some(proximity) = proximity {
            bonuses.push(Box::new(BoostQuery::new(proximity, PROXIMITY_BOOST)));
        }
        for heading in headings {
            bonuses.push(Box::new(BoostQuery::new(heading, HEADING_BOOST)));
        }
        Scoring {
            matching,
            bonuses,
            prunable: false,
        }
    }

    /// The whole query: `matching` required, each bonus optional.
    pub(crate) fn whole(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.matching.box_clone())];
        clauses.extend(self.bonuses_query().map(|b| (Occur::Should, b)));
        Box::new(BooleanQuery::new(clauses))
    }

    /// The bonuses as one query (their sum), if any.
    fn bonuses_query(&self) -> Option<Box<dyn Query>> {
        match self.bonuses.as_slice() {
            [] => None,
            [one] => Some(one.box_clone()),
            many => Some(Box::new(BooleanQuery::new(
                many.iter()
                    .map(|b| (Occur::Should, b.box_clone()))
                    .collect(),
            ))),
        }
    }
}

/// The tiers of a search, in the order their passages come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Passages holding every query word (or group).
    AllWords,
    /// Passages holding every word of the query with its typos corrected,
    /// when the first tier found fewer than [`FEW_RESULTS`].
    Corrected,
    /// Passages holding only some of the words.
    SomeWords,
}

impl Tier {
    /// Whether its passages hold every word.
    pub(crate) fn all_words(self) -> bool {
        self != Tier::SomeWords
    }
}

/// How results are ordered within a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best answers first.
    #[default]
    Relevance,
    /// Newest articles first (undated last); relevance among equals.
    Date,
}

/// The `n` best passages of `scoring` under `sort`, best first (equal
/// scores in index order). Scores are BM25 among the passages (see
/// [`KindStatistics`]); by relevance, the passages' words rank a window
/// of [`RESCORE_WINDOW`] first, in a pass tantivy prunes, then the bonuses
/// are added to those (an export, asking for every match, is exact).
/// Nothing is counted here: a count of every match would keep tantivy from
/// skipping the passages that cannot reach the top (see [`count`]).
pub(crate) fn ranked(
    searcher: &Searcher,
    offset: Field,
    scoring: &Scoring,
    sort: Sort,
    n: usize,
) -> tantivy::Result<Ranked> {
    Ok(ranked_counted(searcher, offset, scoring, sort, n, false)?.0)
}

/// Passages with their scores, best first.
pub(crate) type Ranked = Vec<(f32, DocAddress)>;

/// As [`ranked`], with the number of passages `scoring` matches when
/// `with_count`, counted in the ranking's pass (for a query tantivy cannot
/// prune, which that pass reads whole anyway).
pub(crate) fn ranked_counted(
    searcher: &Searcher,
    offset: Field,
    scoring: &Scoring,
    sort: Sort,
    n: usize,
    with_count: bool,
) -> tantivy::Result<(Ranked, Option<usize>)> {
    let statistics = KindStatistics::passages(searcher, offset);
    match sort {
        Sort::Relevance => {
            let first = |n: usize| -> tantivy::Result<(Ranked, Option<usize>)> {
                let query = scoring.matching.as_ref();
                let top = TopDocs::with_limit(n).order_by_score();
                if with_count {
                    let (ranked, count) = searcher.search_with_statistics_provider(
                        query,
                        &(top, Count),
                        &statistics,
                    )?;
                    Ok((ranked, Some(count)))
                } else {
                    let ranked =
                        searcher.search_with_statistics_provider(query, &top, &statistics)?;
                    Ok((ranked, None))
                }
            };
            if scoring.bonuses.is_empty() {
                return first(n);
            }
            let (mut ranked, count) = first(n.max(RESCORE_WINDOW))?;
            rescore(searcher, &statistics, &scoring.bonuses, &mut ranked)?;
            ranked.sort_by(|(a_score, a), (b_score, b)| {
                b_score.total_cmp(a_score).then_with(|| a.cmp(b))
            });
            ranked.truncate(n);
            Ok((ranked, count))
        }
        Sort::Date => {
            // The article's day (YYYYMMDD, 0 when undated) first, the score
            // second.
            let by_day = TopDocs::with_limit(n).tweak_score(|segment: &SegmentReader| {
                let days = segment
                    .fast_fields()
                    .i64(name::DAY)
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                let blocks = Blocks::of(segment).ok();
                move |doc: DocId, score: Score| {
                    let day = match (&days, &blocks) {
                        (Some(days), Some(blocks)) => days.get_val(blocks.article_of(doc)),
                        _ => 0,
                    };
                    (day, score)
                }
            });
            let whole = scoring.whole();
            let (ranked, count) = if with_count {
                let (ranked, count) = searcher.search_with_statistics_provider(
                    whole.as_ref(),
                    &(by_day, Count),
                    &statistics,
                )?;
                (ranked, Some(count))
            } else {
                let ranked = searcher.search_with_statistics_provider(
                    whole.as_ref(),
                    &by_day,
                    &statistics,
                )?;
                (ranked, None)
            };
            let ranked = ranked
                .into_iter()
                .map(|((_, score), address)| (score, address))
                .collect();
            Ok((ranked, count))
        }
    }
}

/// Adds to each passage's score what `bonuses` give it, each bonus read
/// on its own in the order of the passages (a union of the bonuses would
/// read every passage between two of them), summed in their order as
/// tantivy's union sums them.
fn rescore(
    searcher: &Searcher,
    statistics: &KindStatistics,
    bonuses: &[Box<dyn Query>],
    ranked: &mut [(f32, DocAddress)],
) -> tantivy::Result<()> {
    let scoring = EnableScoring::enabled_from_statistics_provider(statistics, searcher);
    let weights = bonuses
        .iter()
        .map(|b| b.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    ranked.sort_by_key(|(_, address)| *address);
    let mut sums = vec![0.0f32; ranked.len()];
    for run in ranked.chunk_by_mut(|(_, a), (_, b)| a.segment_ord == b.segment_ord) {
        let segment = searcher.segment_reader(run[0].1.segment_ord);
        let sums = &mut sums[..run.len()];
        sums.fill(0.0);
        for weight in &weights {
            let mut scorer = weight.scorer(segment, 1.0)?;
            for ((_, address), sum) in run.iter().zip(sums.iter_mut()) {
                let doc = address.doc_id;
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                if scorer.doc() == doc {
                    *sum += scorer.score();
                }
            }
        }
        for ((score, _), sum) in run.iter_mut().zip(sums.iter()) {
            *score += *sum;
        }
    }
    Ok(())
}

/// The number of passages `query` matches, counted without scoring: what
/// only adds to a score is left out, and a single word's count is its
/// document frequency.
pub(crate) fn count(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<usize> {
    searcher.search(query, &Count)
}

/// A passage chosen for the results, before its document is read.
#[derive(Debug, Clone)]
pub(crate) struct Picked {
    pub address: DocAddress,
    pub article: String,
    /// The story the article tells (its own id unless it is a syndicated
    /// copy).
    pub story: u64,
    pub score: f32,
    pub tier: Tier,
}

/// The passages chosen so far, under the per-article and limit rules: at
/// most `per_doc` passages of one article (0: no limit), so that one long
/// article does not fill the page; `limit` passages, or articles with
/// `group`. With `collapse`, one story is told by one article: the
/// passages of its other copies (syndicated republications) are left out,
/// so the same press release does not fill the page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    pub limit: usize,
    pub per_doc: usize,
    group: bool,
    collapse: bool,
    pub picked: Vec<Picked>,
    seen: HashSet<DocAddress>,
    per_article: HashMap<String, usize>,
    /// With `collapse`: the article that tells each story shown.
    teller: HashMap<u64, String>,
    /// Why passages offered were not taken.
    pub left_out: LeftOut,
}

/// Why passages that match were not returned: what a script needs to know
/// when `returned` is less than `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// The limit was reached.
    pub limit: bool,
    /// Passages beyond `per_doc` of their article.
    pub per_doc: usize,
    /// Passages of syndicated copies, folded under the article shown.
    pub copies: usize,
}

impl LeftOut {
    /// The reasons, as named in JSON: `limit`, `per_doc`, `copies`.
    pub fn reasons(&self) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if self.limit {
            reasons.push("limit");
        }
        if self.per_doc > 0 {
            reasons.push("per_doc");
        }
        if self.copies > 0 {
            reasons.push("copies");
        }
        reasons
    }
}

impl Selection {
    pub(crate) fn new(limit: usize, per_doc: usize, group: bool, collapse: bool) -> Selection {
        Selection {
            limit: limit.max(1),
            per_doc,
            group,
            collapse,
            ..Selection::default()
        }
    }

    /// Whether the limit is reached: passages, or articles with `group`.
    pub(crate) fn full(&self) -> bool {
        let count = if self.group {
            self.per_article.len()
        } else {
            self.picked.len()
        };
        count >= self.limit
    }

    /// Whether taking more passages is pointless: full, and not grouped
    /// (a grouped article already shown may still take more).
    pub(crate) fn done(&self) -> bool {
        self.full() && !self.group
    }

    /// Takes a passage if the rules allow it.
    pub(crate) fn offer(&mut self, picked: Picked) {
        if self.collapse {
            match self.teller.get(&picked.story) {
                Some(teller) if *teller != picked.article => {
                    self.left_out.copies += 1;
                    return;
                }
                _ => {}
            }
        }
        let taken = self.per_article.get(&picked.article).copied();
        // Once full, only a grouped article already shown takes more.
        if self.full() && (!self.group || taken.is_none()) {
            self.left_out.limit = true;
            return;
        }
        if self.per_doc > 0 && taken.unwrap_or(0) >= self.per_doc {
            self.left_out.per_doc += 1;
            return;
        }
        if !self.seen.insert(picked.address) {
            return;
        }
        *self.per_article.entry(picked.article.clone()).or_default() += 1;
        if self.collapse {
            self.teller
                .entry(picked.story)
                .or_insert_with(|| picked.article.clone());
        }
        self.picked.push(picked);
    }

    /// The chosen passages; with `group`, each article's together, articles
    /// in the order of their best passage.
    pub(crate) fn into_ordered(self) -> Vec<Picked> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(doc: u32, article: &str) -> Picked {
        Picked {
            address: DocAddress::new(0, doc),
            article: article.to_string(),
            story: crate::index::copies::story_key(article),
            score: 1.0,
            tier: Tier::AllWords,
        }
    }

    #[test]
    fn at_most_per_doc_passages_of_one_article() {
        let mut selection = Selection::new(10, 2, false, true);
        for (doc, article) in [(0, "a"), (1, "a"), (2, "a"), (3, "b"), (3, "b")] {
            selection.offer(picked(doc, article));
        }
        let docs: Vec<u32> = selection.picked.iter().map(|p| p.address.doc_id).collect();
        assert_eq!(docs, [0, 1, 3], "a third of `a` and a repeat are refused");
        assert_eq!(selection.left_out.reasons(), ["per_doc"]);
        selection.limit = 3;
        selection.offer(picked(4, "c"));
        assert_eq!(selection.left_out.reasons(), ["limit", "per_doc"]);
    }

    #[test]
    fn grouped_articles_come_together_in_the_order_of_their_best() {
        let mut selection = Selection::new(2, 0, true, true);
        for (doc, article) in [(0, "a"), (1, "b"), (2, "a"), (3, "c"), (4, "b")] {
            selection.offer(picked(doc, article));
        }
        assert!(selection.full() && !selection.done());
        let order: Vec<(u32, String)> = selection
            .into_ordered()
            .into_iter()
            .map(|p| (p.address.doc_id, p.article))
            .collect();
        assert_eq!(
            order,
            [
                (0, "a".into()),
                (2, "a".into()),
                (1, "b".into()),
                (4, "b".into())
            ]
        );
    }

    #[test]
    fn copies_of_a_story_are_told_once_unless_not_collapsed() {
        let copy = |doc: u32, article: &str| Picked {
            story: 7,
            ..picked(doc, article)
        };
        for (collapse, expected) in [(true, vec![0, 2, 3]), (false, vec![0, 1, 2, 3])] {
            let mut selection = Selection::new(10, 2, false, collapse);
            for p in [copy(0, "a"), copy(1, "b"), copy(2, "a"), picked(3, "c")] {
                selection.offer(p);
            }
            let docs: Vec<u32> = selection.picked.iter().map(|p| p.address.doc_id).collect();
            assert_eq!(docs, expected, "collapse: {collapse}");
        }
    }

    #[test]
    fn tiers_tell_which_passages_hold_every_word() {
        assert!(Tier::AllWords.all_words() && Tier::Corrected.all_words());
        assert!(!Tier::SomeWords.all_words());
    }
}

#[cfg(test)]
mod rescore_tests {
    use tantivy::collector::TopDocs;

    use super::*;
    use crate::facets::FacetField;
    use crate::index::LogisIndex;
    use crate::search::{Engine, Filters};
    use crate::testing::index_invented;

    /// The twin of the two-pass ranking: when the window holds every
    /// passage matched, the words' pass then the bonuses rank as the whole
    /// query does, in one pass.
    #[test]
    fn within_the_window_the_ranking_is_the_whole_querys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        // 900 passages: fewer than the window.
        index_invented(&path, &dir.path().join("a"), "a", 150);
        let index = LogisIndex::open(&path).unwrap();
        let engine = Engine::new(&index).unwrap();
        let searcher = engine.searcher();
        let offset = engine.fields().offset;
        let mut vierzon = Filters::default();
        vierzon.add(FacetField::Commune, "Vierzon").unwrap();
        for (query, filters) in [
            ("logements", Filters::default()),
            ("chantier quartier", Filters::default()),
            ("PSLA Vierzon", Filters::default()),
            ("logements gare", vierzon.clone()),
            ("office", vierzon),
        ] {
            let (analysed, filters, _) = engine.analyse(query, &filters).unwrap();
            for all_words in [true, false] {
                let scoring = engine.matching_query(&analysed, &filters, all_words);
                let total = count(&searcher, scoring.matching.as_ref()).unwrap();
                assert!(total > 0 && total <= RESCORE_WINDOW, "{query}: {total}");
                let ranked = ranked(&searcher, offset, &scoring, Sort::Relevance, 40).unwrap();
                let whole = searcher
                    .search_with_statistics_provider(
                        scoring.whole().as_ref(),
                        &TopDocs::with_limit(40).order_by_score(),
                        &KindStatistics::passages(&searcher, offset),
                    )
                    .unwrap();
                assert_eq!(ranked.len(), whole.len(), "{query}");
                for ((score, address), (expected, at)) in ranked.iter().zip(&whole) {
                    assert!(
                        (score - expected).abs() < 1e-4,
                        "{query}: {score} ≠ {expected}"
                    );
                    // Equal scores may come in either order.
                    if (score - expected).abs() < 1e-6 {
                        continue;
                    }
                    assert_eq!(address, at, "{query}");
                }
                let scores = |r: &[(f32, DocAddress)]| -> Vec<String> {
                    r.iter().map(|(s, _)| format!("{s:.4}")).collect()
                };
                assert_eq!(scores(&ranked), scores(&whole), "{query}");
            }
        }
    }
}
