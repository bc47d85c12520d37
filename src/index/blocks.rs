//! Articles as blocks of documents (Lucene's block-join layout): an
//! article is written as one group, its article document first, then its
//! passages in order, and tantivy keeps a group together in one segment
//! and in order through merges, while deletes (always by article id) take
//! whole blocks. So a passage finds its article by arithmetic: the
//! `offset` fast column holds 0 on an article document and 1 + the
//! ordinal on a passage, and the article of document `d` is `d - offset`.
//!
//! What concerns an article (title, dates, what it is about, record,
//! story) is thus written, indexed and stored once, not once per passage;
//! searches reach it through `search::join`.

use std::sync::Arc;

use tantivy::columnar::{ColumnIndex, ColumnValues};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{DocId, Searcher, SegmentReader, Term};

use super::schema::name;

/// The blocks of one segment.
#[derive(Clone)]
pub(crate) struct Blocks {
    offsets: Arc<dyn ColumnValues<u64>>,
}

impl Blocks {
    /// The blocks of `segment`.
    pub(crate) fn of(segment: &SegmentReader) -> tantivy::Result<Blocks> {
        let column = segment.fast_fields().u64(name::OFFSET)?;
        // Every document has its offset: the values are read directly,
        // without the lookup of a column where some may lack one.
        let offsets = match column.index {
            ColumnIndex::Full => column.values,
            _ => column.first_or_default_col(0),
        };
        Ok(Blocks { offsets })
    }

    /// Whether `doc` is an article document.
    #[inline]
    pub(crate) fn is_article(&self, doc: DocId) -> bool {
        self.offsets.get_val(doc) == 0
    }

    /// The article document of `doc` (itself for an article document).
    #[inline]
    pub(crate) fn article_of(&self, doc: DocId) -> DocId {
        let offset = self.offsets.get_val(doc);
        doc.saturating_sub(u32::try_from(offset).unwrap_or(u32::MAX))
    }

    /// The ordinal of passage `doc` in its article; `None` for an article
    /// document.
    #[inline]
    pub(crate) fn ordinal(&self, doc: DocId) -> Option<u32> {
        let offset = self.offsets.get_val(doc);
        (offset > 0).then(|| u32::try_from(offset - 1).unwrap_or(u32::MAX))
    }

    /// Number of documents of the segment.
    pub(crate) fn max_doc(&self) -> DocId {
        self.offsets.num_vals()
    }
}

/// The article documents of a searcher, counted from their term (deleted
/// ones included, as tantivy's statistics count them).
pub(crate) fn article_documents(searcher: &Searcher, offset: Field) -> u64 {
    searcher
        .doc_freq(&Term::from_field_u64(offset, 0))
        .unwrap_or(0)
}

/// BM25's statistics for the documents of one kind: a field of passages
/// (text, heading) is scored among passages, the title among articles, as
/// if each kind were an index of its own (the other kind holds none of
/// the field's tokens).
pub(crate) struct KindStatistics<'a> {
    searcher: &'a Searcher,
    documents: u64,
}

impl<'a> KindStatistics<'a> {
    /// Statistics among the passages of `searcher`.
    pub(crate) fn passages(searcher: &'a Searcher, offset: Field) -> KindStatistics<'a> {
        // Deleted documents included, as in tantivy's own statistics: a
        // term's document frequency counts them until a merge.
        let documents: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        KindStatistics {
            searcher,
            documents: documents
                .saturating_sub(article_documents(searcher, offset))
                .max(1),
        }
    }

    /// Statistics among the articles of `searcher`.
    pub(crate) fn articles(searcher: &'a Searcher, offset: Field) -> KindStatistics<'a> {
        KindStatistics {
            searcher,
            documents: article_documents(searcher, offset).max(1),
        }
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.documents)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::index::schema::fast_str;
    use crate::index::LogisIndex;
    use crate::testing::index_invented;

    /// The promise: after runs that add and replace articles (several
    /// segments, merged, with deletes), every segment is a sequence of
    /// whole blocks, an article document followed by its passages in
    /// order, and each article is in one block of one segment.
    #[test]
    fn every_article_is_one_block_its_document_first() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        index_invented(&index, &dir.path().join("a"), "a", 600);
        index_invented(&index, &dir.path().join("b"), "b", 300);
        index_invented(&index, &dir.path().join("a"), "a", 150);
        let opened = LogisIndex::open(&index).unwrap();
        let reader = opened.tantivy().reader().unwrap();
        let searcher = reader.searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        let mut articles: HashSet<String> = HashSet::new();
        let mut passages = 0;
        for segment in searcher.segment_readers() {
            let blocks = Blocks::of(segment).unwrap();
            let ids = segment.fast_fields().str(name::DOC).unwrap().unwrap();
            let mut current: Option<DocId> = None;
            let mut next_ordinal = 0;
            for doc in segment.doc_ids_alive() {
                if blocks.is_article(doc) {
                    let mut id = String::new();
                    fast_str(&ids, doc, &mut id).unwrap();
                    assert!(articles.insert(id), "an article in two blocks");
                    assert_eq!(blocks.article_of(doc), doc);
                    current = Some(doc);
                    next_ordinal = 0;
                } else {
                    assert_eq!(
                        Some(blocks.article_of(doc)),
                        current,
                        "a passage out of its block"
                    );
                    assert_eq!(blocks.ordinal(doc), Some(next_ordinal), "passages in order");
                    next_ordinal += 1;
                    passages += 1;
                }
            }
        }
        assert_eq!(articles.len(), 900);
        assert_eq!(passages, 900 * 6);
    }
}
