//! Indexing throughput on a generated corpus of 10k passages, with the
//! French analyzer and facet extraction: `cargo bench -p logis-bench --bench index`.
//! Larger corpora and the comparison with tantivy's default tokenizer are in
//! `scripts/bench-report`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use logis::index::{index_paths, IndexOptions};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = logis_bench::generated_corpus(dir.path(), 10_000);
    let bytes = std::fs::metadata(&corpus).expect("corpus").len();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    let mut run = 0;
    group.bench_function("generated_10k_passages", |b| {
        b.iter(|| {
            run += 1;
            let target = dir.path().join(format!("index-{run}"));
            let report = index_paths(
                &target,
                std::slice::from_ref(&corpus),
                &IndexOptions::default(),
                &mut |_| {},
            )
            .expect("indexed");
            let _ = std::fs::remove_dir_all(&target);
            report.passages
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
