//! Relevance regression: every judged query whose answer must come first
//! (`"first": true` in `tests/fixtures/relevance.jsonl`, the `PSLA
//! Compiègne` family) still gets it first from `logis search`. The metrics
//! themselves are reported by `cargo run --release -p logis-bench
//! --example relevance`.

use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::binary::Succeeds;
use crate::support::judged::{self, Ranked};

fn logis(index: &TempDir) -> Command {
    let mut cmd = crate::support::binary::logis();
    cmd.arg("--index").arg(index.path()).env("NO_COLOR", "1");
    cmd
}

#[test]
fn judged_answers_stay_first() {
    let index = TempDir::new().unwrap();
    logis(&index)
        .arg("index")
        .args(judged::corpus_paths())
        .succeeds();
    let queries = judged::load();
    let must_be_first: Vec<_> = queries.iter().filter(|q| q.first).collect();
    assert!(
        must_be_first.len() >= 40,
        "the set lost its first-answer queries"
    );
    let mut lost = Vec::new();
    for judged in must_be_first {
        let out = logis(&index)
            .args(["search", "--json", &judged.query])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", judged.query);
        let results: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ranking: Vec<Ranked> = results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| Ranked {
                doc: h["doc"].as_str().unwrap().to_string(),
                text: h["text"].as_str().unwrap().to_string(),
            })
            .collect();
        if !judged::answer_first(judged, &ranking) {
            let first = ranking
                .first()
                .map(|r| (&r.doc, &r.text[..r.text.len().min(80)]));
            lost.push(format!(
                "{:?} ({}): first is {first:?}",
                judged.query, judged.kind
            ));
        }
    }
    assert!(
        lost.is_empty(),
        "answers no longer first:\n{}",
        lost.join("\n")
    );
}
