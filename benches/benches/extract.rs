//! Facet extraction cost: `cargo bench -p logis-bench --bench extract`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use logis::analysis::Analyzer;
use logis::corpus::{passages, split_date_marker};
use logis::extract::places::Places;
use logis::extract::Extractor;
use logis::DataSet;

fn seed_texts() -> Vec<String> {
    logis_bench::seed_texts()
        .iter()
        .map(|text| split_date_marker(text).1.to_string())
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = seed_texts();
    let split: Vec<_> = texts.iter().map(|t| passages::split(t)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("extract");
    group.sample_size(10);
    group.bench_function("load_gazetteer", |b| {
        b.iter(|| Places::load(DataSet::built_in()).communes.len())
    });
    let extractor = Extractor::new(Analyzer::default());
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("places_seeds", |b| {
        b.iter(|| {
            texts
                .iter()
                .zip(&split)
                .map(|(t, p)| extractor.extract(t, p).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
