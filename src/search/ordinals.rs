//! Global ordinals of the facet values column: each segment's value
//! ordinals mapped to ids shared by every segment of a searcher, in the
//! order of the values' terms. Counts are then merged across segments by
//! integer, and only the values a page shows are read back as text (the
//! terms aggregation of Elasticsearch keeps the same map). Built once per
//! set of segments (see `Engine::value_ordinals`).

use std::ops::Range;

use tantivy::columnar::StrColumn;
use tantivy::index::SegmentId;
use tantivy::Searcher;

use crate::facets::FacetField;
use crate::index::schema::{facet_value_bounds, name};

/// The values of a searcher's segments, with each segment's ordinals
/// mapped to global ids.
#[derive(Debug, Default)]
pub(crate) struct ValueOrdinals {
    /// Each segment, in the searcher's order, with the global id of each of
    /// its ordinals.
    segments: Vec<(SegmentId, Vec<u32>)>,
    /// Every value's term, sorted, each once: a global id is a position.
    terms: Vec<Box<str>>,
}

impl ValueOrdinals {
    /// Reads the values column of every segment of `searcher`.
    pub(crate) fn build(searcher: &Searcher) -> tantivy::Result<ValueOrdinals> {
        let mut per_segment: Vec<(SegmentId, Vec<Box<str>>)> = Vec::new();
        for reader in searcher.segment_readers() {
            let column: Option<StrColumn> = reader.fast_fields().str(name::FACET_VALUES)?;
            let mut terms = Vec::new();
            if let Some(column) = column {
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    terms.push(String::from_utf8_lossy(stream.key()).into());
                }
            }
            per_segment.push((reader.segment_id(), terms));
        }
        // Each segment's terms are sorted: merged one segment at a time.
        let mut global: Vec<Box<str>> = Vec::new();
        for (_, terms) in &per_segment {
            global = merge_sorted(global, terms);
        }
        let segments = per_segment
            .into_iter()
            .map(|(id, terms)| {
                // Both lists are sorted: one walk maps every term.
                let mut at = 0;
                let ids = terms
                    .iter()
                    .map(|term| {
                        while global[at] < *term {
                            at += 1;
                        }
                        at as u32
                    })
                    .collect();
                (id, ids)
            })
            .collect();
        Ok(ValueOrdinals {
            segments,
            terms: global,
        })
    }

    /// Whether the map was built for the segments of `searcher`.
    pub(crate) fn is_for(&self, searcher: &Searcher) -> bool {
        let readers = searcher.segment_readers();
        readers.len() == self.segments.len()
            && readers
                .iter()
                .zip(&self.segments)
                .all(|(reader, (id, _))| reader.segment_id() == *id)
    }

    /// The global ids of the ordinals of segment `id`.
    pub(crate) fn of_segment(&self, id: SegmentId) -> Option<&[u32]> {
        self.segments
            .iter()
            .find(|(segment, _)| *segment == id)
            .map(|(_, ids)| ids.as_slice())
    }

    /// The term of global id `id`.
    pub(crate) fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", |t| t)
    }

    /// The global ids of the values of `field`: one run, the field's name
    /// starting its terms.
    pub(crate) fn of_field(&self, field: FacetField) -> Range<u32> {
        let (first, after) = facet_value_bounds(field);
        let start = self.terms.partition_point(|t| **t < *first);
        let end = self.terms.partition_point(|t| **t < *after);
        start as u32..end as u32
    }
}

/// The union of two sorted lists of distinct terms, sorted.
fn merge_sorted(a: Vec<Box<str>>, b: &[Box<str>]) -> Vec<Box<str>> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let mut b = b.iter().peekable();
    for term in a {
        while let Some(next) = b.next_if(|next| **next < term) {
            out.push(next.clone());
        }
        b.next_if(|next| **next == term);
        out.push(term);
    }
    out.extend(b.cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::split_facet_value_term;
    use crate::index::LogisIndex;
    use crate::testing::index_invented;

    #[test]
    fn sorted_lists_merge_into_their_union() {
        let list = |terms: &[&str]| -> Vec<Box<str>> { terms.iter().map(|&t| t.into()).collect() };
        assert_eq!(
            merge_sorted(list(&["b", "d", "f"]), &list(&["a", "b", "c", "f", "g"])),
            list(&["a", "b", "c", "d", "f", "g"])
        );
        assert_eq!(merge_sorted(Vec::new(), &list(&["a"])), list(&["a"]));
        assert_eq!(merge_sorted(list(&["a"]), &[]), list(&["a"]));
    }

    /// Every segment ordinal's global id names the same term, and the
    /// global terms are sorted, each once, grouped by facet.
    #[test]
    fn every_segment_ordinal_maps_to_its_own_term() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        index_invented(&path, &dir.path().join("a"), "a", 300);
        index_invented(&path, &dir.path().join("b"), "b", 200);
        let index = LogisIndex::open(&path).unwrap();
        let searcher = index.tantivy().reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        let ordinals = ValueOrdinals::build(&searcher).unwrap();
        assert!(ordinals.is_for(&searcher));
        assert!(ordinals.terms.windows(2).all(|w| w[0] < w[1]));
        let mut mapped = 0;
        for reader in searcher.segment_readers() {
            let column = reader
                .fast_fields()
                .str(name::FACET_VALUES)
                .unwrap()
                .unwrap();
            let ids = ordinals.of_segment(reader.segment_id()).unwrap();
            assert_eq!(ids.len(), column.num_terms());
            for (ord, &id) in ids.iter().enumerate() {
                let mut term = String::new();
                column.ord_to_str(ord as u64, &mut term).unwrap();
                assert_eq!(ordinals.term(id), term);
                mapped += 1;
            }
        }
        assert!(mapped > 0);
        for field in FacetField::ALL {
            for id in ordinals.of_field(field) {
                assert_eq!(split_facet_value_term(ordinals.term(id)).unwrap().0, field);
            }
        }
        let named: usize = FacetField::ALL
            .iter()
            .map(|&f| ordinals.of_field(f).len())
            .sum();
        assert_eq!(named, ordinals.terms.len());
    }
}
