//! Analyzer throughput on the seed articles: `cargo bench -p logis-bench --bench analysis`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use logis::analysis::{self, Analyzer};
use logis::corpus::passages;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

fn seed_text() -> String {
    logis_bench::seed_texts().join("\n\n")
}

fn bench(c: &mut Criterion) {
    let text = seed_text();
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let analyzer = Analyzer::default();
    group.bench_function("words", |b| b.iter(|| analyzer.words(&text).len()));
    // The tokens the index takes: stems and acronyms, and exact forms.
    group.bench_function("index_tokens", |b| {
        b.iter(|| analysis::index_tokens(&analyzer, &text).0.as_str().len())
    });
    // Baseline: tantivy's default tokenizer (simple split, long-token
    // removal, lower case) on the same text.
    let mut default: TextAnalyzer = TokenizerManager::default().get("default").expect("default");
    group.bench_function("tantivy_default_tokens", |b| {
        b.iter(|| {
            let mut stream = default.token_stream(&text);
            let mut n = 0;
            while stream.advance() {
                n += 1;
            }
            n
        })
    });
    group.bench_function("uax29_segments", |b| {
        use unicode_segmentation::UnicodeSegmentation;
        b.iter(|| text.split_word_bound_indices().count())
    });
    group.bench_function("passages", |b| b.iter(|| passages::split(&text).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
