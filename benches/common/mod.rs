//! Shared by the benches: the seed articles, and the corpus generator.

#![allow(dead_code)]

pub mod generator;

use std::fs;
use std::path::Path;

/// The texts of the seed articles, in name order.
pub fn seed_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut paths: Vec<_> = fs::read_dir(dir)
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
pub fn generated_corpus(dir: &Path, passages: usize) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = generator::Generator::new(root).expect("seeds and data");
    let path = dir.join(format!("corpus-{passages}.jsonl"));
    let mut out = std::io::BufWriter::new(fs::File::create(&path).expect("corpus file"));
    generator.write(passages, &mut out).expect("corpus written");
    path
}
