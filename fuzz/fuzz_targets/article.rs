//! The article reader: any bytes, as a `.txt` file and as a `.jsonl` file,
//! through decoding, passages, analysis and facet extraction.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use logis::analysis::Analyzer;
use logis::corpus::{self, passages, Item};
use logis::extract::Extractor;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Analyzer::default()))
}

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::TempDir::new().expect("temporary folder");
    std::fs::write(dir.path().join("a.txt"), data).expect("write");
    std::fs::write(dir.path().join("b.jsonl"), data).expect("write");
    let extractor = extractor();
    let result = corpus::read(&[dir.path().to_path_buf()], &mut |item| {
        if let Item::Article(article) = item {
            let passages = passages::split(&article.text);
            let facets = extractor.extract(&article.text, &passages);
            assert_eq!(facets.len(), passages.len());
            let _ = passages::title(&article.text);
        }
        Ok(())
    });
    result.expect("reading never fails on file contents");
});
