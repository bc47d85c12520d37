//! Writes a deterministic French housing-news-like corpus as JSON Lines:
//! `cargo run --release -p logis-bench --example gen_corpus -- PASSAGES [FILE]` (standard
//! output without FILE). See `benches/src/generator.rs`.

use logis_bench::generator;

use std::io::{self, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let passages: usize = args
        .next()
        .ok_or("usage: gen_corpus PASSAGES [FILE]")?
        .replace('_', "")
        .parse()
        .map_err(|_| "PASSAGES must be a number, like 10000 or 1_000_000")?;
    let generator = generator::Generator::new(&logis_bench::root())?;
    let articles = match args.next() {
        Some(path) => {
            let mut out = BufWriter::new(std::fs::File::create(&path)?);
            let n = generator.write(passages, &mut out)?;
            out.flush()?;
            n
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let n = generator.write(passages, &mut out)?;
            out.flush()?;
            n
        }
    };
    eprintln!(
        "{articles} articles, about {passages} passages, vocabulary {}",
        generator.vocabulary_size()
    );
    Ok(())
}
