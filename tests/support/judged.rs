//! The judged query set of `tests/fixtures/relevance.jsonl` and the
//! relevance metrics computed over it. Shared by the regression test
//! (`tests/relevance.rs`) and the report (`benches/examples/relevance.rs`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The root of the repository: the crate's folder, or its parent for the
/// crate in `benches/`.
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("seeds").is_dir() {
        manifest.to_path_buf()
    } else {
        manifest.parent().unwrap_or(manifest).to_path_buf()
    }
}

/// The articles the judgments are about: the seeds and the labelled
/// articles of the extraction tests.
pub fn corpus_paths() -> Vec<PathBuf> {
    let root = root();
    vec![
        root.join("seeds"),
        root.join("tests/fixtures/extraction.jsonl"),
        root.join("tests/fixtures/extraction_heldout.jsonl"),
    ]
}

/// A passage that answers a query: the one of article `doc` whose text
/// contains `contains`.
#[derive(Debug, Clone, Deserialize)]
pub struct Answer {
    pub doc: String,
    pub contains: String,
    /// 2: answers the query; 1: relevant but partial.
    pub grade: u8,
}

/// A judged query.
#[derive(Debug, Clone, Deserialize)]
pub struct Judged {
    pub query: String,
    /// What it exercises (acronym, spelled-out form, number, facet filter...).
    pub kind: String,
    /// Whether its best answer (grade 2) must come first.
    pub first: bool,
    pub relevant: Vec<Answer>,
}

/// Reads the judged queries.
pub fn load() -> Vec<Judged> {
    let path = root().join("tests/fixtures/relevance.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect()
}

/// A passage returned by an engine, in rank order.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub doc: String,
    pub text: String,
}

/// Metrics of one ranking.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub p_at_1: f64,
    pub mrr_at_10: f64,
    pub ndcg_at_10: f64,
}

/// The answer a passage is, if any: its index in `judged.relevant`.
fn answer_of(judged: &Judged, passage: &Ranked) -> Option<usize> {
    judged
        .relevant
        .iter()
        .position(|a| a.doc == passage.doc && passage.text.contains(&a.contains))
}

/// Grades of the first ten passages; an answer counts once, at its first
/// passage.
fn grades(judged: &Judged, ranking: &[Ranked]) -> Vec<u8> {
    let mut seen = Vec::new();
    ranking
        .iter()
        .take(10)
        .map(|p| match answer_of(judged, p) {
            Some(i) if !seen.contains(&i) => {
                seen.push(i);
                judged.relevant[i].grade
            }
            _ => 0,
        })
        .collect()
}

/// P@1 (the first passage is relevant), MRR@10 and nDCG@10 (gain
/// 2^grade − 1) of a ranking.
pub fn score(judged: &Judged, ranking: &[Ranked]) -> Scores {
    let grades = grades(judged, ranking);
    let dcg = |grades: &[u8]| -> f64 {
        grades
            .iter()
            .enumerate()
            .map(|(i, &g)| (2f64.powi(i32::from(g)) - 1.0) / (i as f64 + 2.0).log2())
            .sum()
    };
    let mut ideal: Vec<u8> = judged.relevant.iter().map(|a| a.grade).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    ideal.truncate(10);
    let ideal_dcg = dcg(&ideal);
    Scores {
        p_at_1: f64::from(u8::from(grades.first().is_some_and(|&g| g > 0))),
        mrr_at_10: grades
            .iter()
            .position(|&g| g > 0)
            .map_or(0.0, |i| 1.0 / (i as f64 + 1.0)),
        ndcg_at_10: if ideal_dcg > 0.0 {
            dcg(&grades) / ideal_dcg
        } else {
            0.0
        },
    }
}

/// Whether the first passage is a full answer (grade 2).
pub fn answer_first(judged: &Judged, ranking: &[Ranked]) -> bool {
    ranking
        .first()
        .and_then(|p| answer_of(judged, p))
        .is_some_and(|i| judged.relevant[i].grade == 2)
}

/// Mean of scores.
pub fn mean(scores: &[Scores]) -> Scores {
    let n = scores.len().max(1) as f64;
    Scores {
        p_at_1: scores.iter().map(|s| s.p_at_1).sum::<f64>() / n,
        mrr_at_10: scores.iter().map(|s| s.mrr_at_10).sum::<f64>() / n,
        ndcg_at_10: scores.iter().map(|s| s.ndcg_at_10).sum::<f64>() / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(doc: &str, text: &str) -> Ranked {
        Ranked {
            doc: doc.into(),
            text: text.into(),
        }
    }

    #[test]
    fn metrics_of_known_rankings() {
        let judged = Judged {
            query: "q".into(),
            kind: "test".into(),
            first: true,
            relevant: vec![
                Answer {
                    doc: "a".into(),
                    contains: "yes".into(),
                    grade: 2,
                },
                Answer {
                    doc: "b".into(),
                    contains: "part".into(),
                    grade: 1,
                },
            ],
        };
        let perfect = [ranked("a", "yes"), ranked("b", "partly")];
        let s = score(&judged, &perfect);
        assert_eq!((s.p_at_1, s.mrr_at_10), (1.0, 1.0));
        assert!((s.ndcg_at_10 - 1.0).abs() < 1e-9);
        let late = [
            ranked("c", "no"),
            ranked("a", "yes"),
            ranked("a", "yes again"),
        ];
        let s = score(&judged, &late);
        assert_eq!((s.p_at_1, s.mrr_at_10), (0.0, 0.5));
        assert!(s.ndcg_at_10 < 0.7);
        assert!(!answer_first(&judged, &late));
        assert_eq!(score(&judged, &[]).mrr_at_10, 0.0);
    }
}
