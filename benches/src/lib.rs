//! Benchmarks and reports of logis, apart from the product so that its
//! tests never build them: the corpus generator, the seed articles, and the
//! peers shared by the reports (the FTS5 query builder, tantivy's stock
//! French chain, the PostgreSQL cluster).

pub mod french_chain;
pub mod fts5_query;
pub mod generator;
pub mod postgres;

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The query classes of the benchmark report, measured on every engine:
/// (name, query, commune filter). The last is a phrase of frequent words
/// that no gazetteer names.
pub const REPORT_QUERIES: &[(&str, &str, Option<&str>)] = &[
    ("term", "réhabilitation", None),
    ("rare term", "PSLA", None),
    ("two terms", "logements Lyon", None),
    ("term + facet filter", "logements", Some("Paris")),
    ("phrase", "\"Action Cœur de Ville\"", None),
    ("phrase of frequent words", "\"logement social\"", None),
];

/// How many values of each facet the page asks for (`/api/search`'s
/// default `facets=50`).
pub const PAGE_VALUES: usize = 50;

/// Runs a report's `run`, printing its error whole (several lines for
/// PostgreSQL's), not debugged as `main` returning it would.
pub fn report_main(run: impl FnOnce() -> Result<(), Box<dyn Error>>) -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The root of the logis repository (its `seeds/`, `data/`, `tests/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The size in bytes of the files of a folder (not of its subfolders).
pub fn dir_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The texts of the seed articles, in name order.
pub fn seed_texts() -> Vec<String> {
    let mut paths: Vec<_> = fs::read_dir(root().join("seeds"))
        .expect("seeds/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| fs::read_to_string(p).expect("seed text"))
        .collect()
}

/// A generated corpus of about `passages` passages, written in `dir`.
pub fn generated_corpus(dir: &Path, passages: usize) -> PathBuf {
    let generator = generator::Generator::new(&root()).expect("seeds and data");
    let path = dir.join(format!("corpus-{passages}.jsonl"));
    let mut out = std::io::BufWriter::new(fs::File::create(&path).expect("corpus file"));
    generator.write(passages, &mut out).expect("corpus written");
    path
}
