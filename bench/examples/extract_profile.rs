//! Times each extraction step over a JSON Lines corpus:
//! `cargo run --release -p logis-bench --example extract_profile -- corpus.jsonl`

use std::time::Instant;

use logis::analysis::Analyzer;
use logis::corpus::{self, passages, Item};
use logis::extract::organisations::Organisations;
use logis::extract::places::Places;
use logis::extract::terms::Terms;
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
    let mut timings = [0.0f64; 5];
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
    }
    for (name, s) in ["passages", "words", "organisations", "products", "places"]
        .iter()
        .zip(timings)
    {
        println!("{name:<16} {s:>8.3} s");
    }
    println!("({n} items, {} articles)", texts.len());
    Ok(())
}
