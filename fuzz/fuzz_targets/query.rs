//! The query path: any string, as typed after `logis search`, through the
//! limits, the parser, the vocabulary, the fuzzy corrections, the search
//! and the snippets, on an index of the seed articles.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use logis::index::{self, IndexOptions, LogisIndex};
use logis::search::{Engine, Filters, SearchRequest, Sort};

/// One engine for the whole run, on an index of the seeds built once.
fn engine() -> &'static Engine<'static> {
    static ENGINE: OnceLock<Engine<'static>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Box::leak(Box::new(
            tempfile::TempDir::new().expect("temporary folder"),
        ));
        let path: PathBuf = dir.path().join("index");
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
        index::index_paths(&path, &[seeds], &IndexOptions::default(), &mut |_| {})
            .expect("index of the seeds");
        let index = Box::leak(Box::new(LogisIndex::open(&path).expect("index")));
        Engine::new(index).expect("reader")
    })
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let query = String::from_utf8_lossy(data);
    for sort in [Sort::Relevance, Sort::Date] {
        let request = SearchRequest {
            query: query.to_string(),
            filters: Filters::default(),
            limit: 10,
            per_doc: 2,
            sort,
            group: data.first().is_some_and(|b| b % 2 == 0),
        };
        // Errors are fine (empty, too long, unknown field); panics are not.
        let _ = engine.search(&request);
    }
    let _ = engine.facet_counts(
        logis::facets::FacetField::Commune,
        &query,
        &Filters::default(),
    );
});
