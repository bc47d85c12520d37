//! Query classes on a generated corpus of 100k passages, warm, in process
//! (ranking, stored passages, highlights and snippets included):
//! `cargo bench -p logis-bench --bench search`.

use criterion::{criterion_group, criterion_main, Criterion};
use logis::facets::FacetField;
use logis::index::{index_paths, IndexOptions, LogisIndex};
use logis::search::{Engine, SearchRequest};
use logis_bench::REPORT_QUERIES;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = logis_bench::generated_corpus(dir.path(), 100_000);
    let path = dir.path().join("index");
    index_paths(&path, &[corpus], &IndexOptions::default(), &mut |_| {}).expect("indexed");
    let index = LogisIndex::open(&path).expect("index");
    let engine = Engine::new(&index).expect("engine");
    let mut group = c.benchmark_group("search_100k");
    // The report's queries, and a typo (its correction is a search of its
    // own).
    let typo = ("typo", "réhabilitatoin", None);
    for &(name, query, commune) in REPORT_QUERIES.iter().chain([&typo]) {
        let mut request = SearchRequest::new(query);
        if let Some(commune) = commune {
            request
                .filters
                .add(FacetField::Commune, commune)
                .expect("filter");
        }
        group.bench_function(name, |b| {
            b.iter(|| engine.search(&request).expect("search").hits.len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
