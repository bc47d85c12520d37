//! A known phrase read from its index token. A phrase query reads the
//! positions of each of its words in every passage holding them all; for
//! `"Action Cœur de Ville"` that is every position of `de`. The index has a
//! token of its own for each phrase the gazetteers name, wherever its stems
//! follow each other (see `analysis::phrases`): [`KnownPhraseQuery`] reads
//! that one posting list and scores each passage as tantivy's
//! `PhraseQuery` would (BM25 with the phrase's frequency, the sum of its
//! words' IDF and the text field's length), so that matches, counts and
//! ranking stay those of the phrase query.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::search::join::explain_by_seeking;

/// The passages holding a known phrase, scored as its phrase query.
#[derive(Debug, Clone)]
pub(crate) struct KnownPhraseQuery {
    /// The phrase's token (in the `phrases` field).
    token: Term,
    /// Its words' stems, in the text field: what BM25 weighs.
    words: Vec<Term>,
}

impl KnownPhraseQuery {
    /// The query of the phrase of `words` (two or more stem terms of the
    /// text field), read from `token`.
    pub(crate) fn new(token: Term, words: Vec<Term>) -> KnownPhraseQuery {
        KnownPhraseQuery { token, words }
    }
}

impl Query for KnownPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } if !self.words.is_empty() => {
                Some(Bm25Weight::for_terms(statistics_provider, &self.words)?)
            }
            _ => None,
        };
        Ok(Box::new(KnownPhraseWeight {
            token: self.token.clone(),
            text: self.words.first().map(Term::field),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.token, false);
    }
}

struct KnownPhraseWeight {
    token: Term,
    text: Option<tantivy::schema::Field>,
    /// `None` when scoring is off.
    bm25: Option<Bm25Weight>,
}

impl KnownPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<KnownPhraseScorer>> {
        let Some(postings) = reader
            .inverted_index(self.token.field())?
            .read_postings(&self.token, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = match (self.text, &self.bm25) {
            (Some(text), Some(_)) => reader.fieldnorms_readers().get_field(text)?,
            _ => None,
        };
        Ok(Some(KnownPhraseScorer {
            postings,
            fieldnorms: fieldnorms
                .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)),
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for KnownPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_by_seeking(self.scorer(reader, 1.0)?, doc, "known phrase")
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if let Some(alive) = reader.alive_bitset() {
            return Ok(self.scorer(reader, 1.0)?.count(alive));
        }
        Ok(reader
            .inverted_index(self.token.field())?
            .get_term_info(&self.token)?
            .map_or(0, |info| info.doc_freq))
    }
}

/// The phrase token's postings, scored with the phrase's BM25 weight and
/// the text's lengths. Not a tantivy `TermScorer`: tantivy would then
/// prune with the token's block maxima, which its own field's lengths
/// decided.
struct KnownPhraseScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for KnownPhraseScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for KnownPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => {
                let length = self.fieldnorms.fieldnorm_id(self.postings.doc());
                bm25.score(length, self.postings.term_freq())
            }
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::PhraseQuery;

    use super::*;
    use crate::extract::ExtraGazetteers;
    use crate::index::blocks::KindStatistics;
    use crate::index::{index_paths, IndexOptions, LogisIndex};
    use crate::testing::proptest_config;

    /// Words from which passages are drawn: those of known phrases, in
    /// several forms, and words around them.
    const WORDS: [&str; 14] = [
        "action", "Cœur", "coeurs", "de", "Ville", "villes", "Petites", "demain", "la", "caisse",
        "des", "dépôts", "logement", "social",
    ];

    /// Indexes articles of the passages given (one passage per line of
    /// words), with `gazetteers` and a small budget (several segments).
    fn index(
        dir: &std::path::Path,
        name: &str,
        articles: &[Vec<String>],
        gazetteers: ExtraGazetteers,
    ) -> LogisIndex {
        let lines: String = articles
            .iter()
            .enumerate()
            .map(|(n, passages)| {
                let line = serde_json::json!({
                    "id": format!("{name}-{n}"),
                    "text": passages.join(".\n\n"),
                });
                format!("{line}\n")
            })
            .collect();
        let file = dir.join(format!("{name}.jsonl"));
        std::fs::write(&file, lines).unwrap();
        let options = IndexOptions {
            memory_mb: 16,
            gazetteers,
            ..IndexOptions::default()
        };
        let path = dir.join("index");
        index_paths(&path, &[file], &options, &mut |_| {}).unwrap();
        LogisIndex::open(&path).unwrap()
    }

    /// Every passage and score of `query`, with the passages' statistics.
    fn scored(index: &LogisIndex, query: &dyn Query) -> BTreeMap<(u32, u32), u32> {
        let reader = index.tantivy().reader().unwrap();
        let searcher = reader.searcher();
        let statistics = KindStatistics::passages(&searcher, index.fields().offset);
        searcher
            .search_with_statistics_provider(
                query,
                &TopDocs::with_limit(100_000).order_by_score(),
                &statistics,
            )
            .unwrap()
            .into_iter()
            .map(|(score, a)| ((a.segment_ord, a.doc_id), score.to_bits()))
            .collect()
    }

    fn passages() -> impl Strategy<Value = Vec<Vec<String>>> {
        let passage = prop::collection::vec(prop::sample::select(&WORDS[..]), 1..14)
            .prop_map(|words| words.join(" "));
        prop::collection::vec(prop::collection::vec(passage, 1..4), 1..40)
    }

    proptest! {
        #![proptest_config(proptest_config(12))]

        /// The promise: a known phrase's token finds the passages the
        /// phrase query of its stems finds, with the same scores.
        #[test]
        fn a_known_phrase_reads_as_its_phrase_query(articles in passages()) {
            let dir = tempfile::tempdir().unwrap();
            let index = index(dir.path(), "a", &articles, ExtraGazetteers::default());
            let fields = index.fields();
            let analyzer = index.analyzer();
            for phrase in ["Action Cœur de Ville", "Cœur de Ville", "Petites Villes de Demain", "Caisse des Dépôts"] {
                let stems: Vec<String> =
                    analyzer.words(phrase).iter().map(|w| analyzer.stem(w)).collect();
                let token = stems.join(" ");
                prop_assert!(index.knows_phrase(&token), "{token}");
                let words: Vec<Term> =
                    stems.iter().map(|s| Term::from_field_text(fields.text, s)).collect();
                let expected = scored(&index, &PhraseQuery::new(words.clone()));
                let known = KnownPhraseQuery::new(Term::from_field_text(fields.phrases, &token), words);
                prop_assert_eq!(scored(&index, &known), expected, "{}", phrase);
            }
        }
    }

    /// A phrase known to one run only has no token in the passages of the
    /// other: the index records the phrases every run knew.
    #[test]
    fn an_index_knows_the_phrases_every_run_knew() {
        let dir = tempfile::tempdir().unwrap();
        let extra = ExtraGazetteers {
            programmes: vec!["Plan Zéphyr Habitat\tPlan Zéphyr Habitat".into()],
            ..ExtraGazetteers::default()
        };
        let analyzer = crate::analysis::Analyzer::default();
        let token = |phrase: &str| {
            let words = analyzer.words(phrase);
            words
                .iter()
                .map(|w| analyzer.stem(w))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text = |t: &str| vec![vec![t.to_string()]];
        let fresh = index(
            dir.path(),
            "a",
            &text("le plan zéphyr habitat"),
            extra.clone(),
        );
        assert!(fresh.knows_phrase(&token("Plan Zéphyr Habitat")));
        assert!(fresh.knows_phrase(&token("Action Cœur de Ville")));
        drop(fresh);
        let other = tempfile::tempdir().unwrap();
        let before = index(
            other.path(),
            "a",
            &text("un texte"),
            ExtraGazetteers::default(),
        );
        drop(before);
        let after = index(other.path(), "b", &text("le plan zéphyr habitat"), extra);
        assert!(!after.knows_phrase(&token("Plan Zéphyr Habitat")));
        assert!(after.knows_phrase(&token("Action Cœur de Ville")));
    }
}
