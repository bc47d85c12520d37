//! Times each extraction step over a JSON Lines corpus:
//! `cargo run --release -p logis-bench --example extract_profile -- corpus.jsonl`

use std::time::Instant;

use logis::analysis::Analyzer;
use logis::corpus::{self, passages, Item};
use logis::extract::organisations::Organisations;
use logis::extract::places::Places;
use logis::extract::terms::Terms;
use logis::extract::Extractor;
use logis::facets::Facets;
use logis::{DataFile, DataSet};

fn main() -> logis::Result<()> {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let mut texts = Vec::new();
    corpus::read(&paths, &mut |item| {
        if let Item::Article(a) = item {
            texts.push(a.text);
        }
        Ok(())
    })?;
    let analyzer = Analyzer::default();
    let t = Instant::now();
    let places = Places::built_in();
    println!("load places      {:>8.3} s", t.elapsed().as_secs_f64());
    let orgs = Organisations::new(&analyzer, DataSet::built_in(), &[]);
    let products = Terms::parse(&analyzer, DataSet::built_in().text(DataFile::Products));
    let extractor = Extractor::new(Analyzer::default());
    let mut timings = [0.0f64; 7];
    let mut n = 0usize;
    for text in &texts {
        let t = Instant::now();
        let split = passages::split(text);
        timings[0] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let words = analyzer.words(text);
        timings[1] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        n += orgs.find(text, &words, &places).len();
        timings[2] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        n += products.find(text, &words).len();
        timings[3] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        n += places.find(text, &words).len() + split.len();
        timings[4] += t.elapsed().as_secs_f64();
        // All facets as the indexer extracts them, then the operations.
        let t = Instant::now();
        let (facets, mentions) = extractor.extract_mentions(text, &words, &split);
        let about = extractor.article_scope(None, &facets, &Facets::default());
        timings[5] += t.elapsed().as_secs_f64();
        let t = Instant::now();
        n += extractor
            .operations(text, &words, &split, &facets, &about, &mentions)
            .len();
        timings[6] += t.elapsed().as_secs_f64();
    }
    for (name, s) in [
        "passages",
        "words",
        "organisations",
        "products",
        "places",
        "all facets",
        "operations",
    ]
    .iter()
    .zip(timings)
    {
        println!("{name:<16} {s:>8.3} s");
    }
    println!("({n} items, {} articles)", texts.len());
    Ok(())
}
