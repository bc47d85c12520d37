//! Extraction quality on a labelled set of articles written for the purpose
//! (`tests/fixtures/extraction.jsonl`, with traps: shared commune names,
//! communes named like common words, headings in capitals, landlords named
//! after places, surnames that are communes). Prints precision and recall
//! per facet and fails below the targets.

use std::collections::BTreeSet;

use logis::analysis::{facet_key, Analyzer};
use logis::corpus::passages;
use logis::extract::Extractor;
use logis::facets::Facets;
use serde::Deserialize;

#[derive(Deserialize)]
struct Labelled {
    id: String,
    text: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    /// `INSEE Name`.
    communes: Vec<String>,
    organisations: Vec<String>,
    programmes: Vec<String>,
    products: Vec<String>,
}

#[derive(Default)]
struct Score {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    errors: Vec<String>,
}

impl Score {
    fn add(&mut self, id: &str, expected: BTreeSet<String>, found: BTreeSet<String>) {
        self.true_positives += expected.intersection(&found).count();
        for extra in found.difference(&expected) {
            self.false_positives += 1;
            self.errors.push(format!("{id}: unexpected {extra}"));
        }
        for missed in expected.difference(&found) {
            self.false_negatives += 1;
            self.errors.push(format!("{id}: missed {missed}"));
        }
    }

    fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            self.true_positives as f64 / found as f64
        }
    }

    fn recall(&self) -> f64 {
        let expected = self.true_positives + self.false_negatives;
        if expected == 0 {
            1.0
        } else {
            self.true_positives as f64 / expected as f64
        }
    }
}

fn keys(values: &[String]) -> BTreeSet<String> {
    values.iter().map(|v| facet_key(v)).collect()
}

#[test]
fn extraction_precision_and_recall() {
    let data = include_str!("fixtures/extraction.jsonl");
    let articles: Vec<Labelled> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture line"))
        .collect();
    assert!(articles.len() >= 30);
    let extractor = Extractor::new(Analyzer::default());
    let names = ["communes", "organisations", "programmes", "products"];
    let mut scores: Vec<Score> = names.iter().map(|_| Score::default()).collect();
    for article in &articles {
        let split = passages::split(&article.text);
        let mut union = Facets::default();
        for facets in extractor.extract(&article.text, &split) {
            union.merge(&facets);
        }
        let communes =
            |values: &mut dyn Iterator<Item = String>| -> BTreeSet<String> { values.collect() };
        scores[0].add(
            &article.id,
            communes(
                &mut article
                    .expected
                    .communes
                    .iter()
                    .map(|c| c[..c.find(' ').unwrap_or(c.len())].to_string()),
            ),
            communes(&mut union.communes.iter().map(|c| c.insee.clone())),
        );
        scores[1].add(
            &article.id,
            keys(&article.expected.organisations),
            keys(&union.organisations),
        );
        scores[2].add(
            &article.id,
            keys(&article.expected.programmes),
            keys(&union.programmes),
        );
        scores[3].add(
            &article.id,
            keys(&article.expected.products),
            keys(&union.products),
        );
    }
    println!("extraction on {} labelled articles:", articles.len());
    println!(
        "{:<14} {:>9} {:>7} {:>4} {:>4} {:>4}",
        "facet", "precision", "recall", "tp", "fp", "fn"
    );
    for (name, s) in names.iter().zip(&scores) {
        println!(
            "{name:<14} {:>9.3} {:>7.3} {:>4} {:>4} {:>4}",
            s.precision(),
            s.recall(),
            s.true_positives,
            s.false_positives,
            s.false_negatives
        );
    }
    for s in &scores {
        for e in &s.errors {
            println!("  {e}");
        }
    }
    let (communes, organisations) = (&scores[0], &scores[1]);
    assert!(
        communes.precision() >= 0.9,
        "commune precision {:.3}",
        communes.precision()
    );
    assert!(
        communes.recall() >= 0.8,
        "commune recall {:.3}",
        communes.recall()
    );
    assert!(
        organisations.precision() >= 0.85,
        "organisation precision {:.3}",
        organisations.precision()
    );
    assert!(
        organisations.recall() >= 0.7,
        "organisation recall {:.3}",
        organisations.recall()
    );
}
