//! Publication dates against the labelled pages of `benches/labelled/dates/`:
//! precision (dates given that are right) and recall (labelled dates
//! found), overall and by source, for one split.
//!
//! `cargo run --release -p logis-bench --example dates [-- dev|heldout|all]`
//!
//! Each page is read by logis's own readers (`corpus::read`), then dated
//! as indexing does: the reader's date, else the text's weekday rule.

use std::collections::BTreeMap;
use std::fs;

use logis::analysis::Analyzer;
use logis::corpus::{self, Item};
use logis::extract::Extractor;

fn main() {
    let split = std::env::args().nth(1).unwrap_or_else(|| "dev".to_string());
    let dir = logis_bench::root().join("benches/labelled/dates");
    let labels = fs::read_to_string(dir.join("labels.tsv")).expect("labels.tsv");
    let extractor = Extractor::new(Analyzer::default());
    let (mut given, mut right, mut labelled, mut found) = (0, 0, 0, 0);
    let mut by_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for line in labels.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [s, file, expected, source, ..] = cols.as_slice() else {
            continue;
        };
        if split != "all" && *s != split {
            continue;
        }
        let mut article = None;
        corpus::read(&[dir.join(file)], &mut |item| {
            if let Item::Article(a) = item {
                article = Some(*a);
            }
            Ok(())
        })
        .expect("read");
        let Some(article) = article else {
            println!("UNREAD  {file}");
            continue;
        };
        let (date, how) = match (&article.date, article.date_source) {
            (Some(d), Some(src)) => (Some(d.clone()), src.as_str().to_string()),
            _ => {
                let words = Analyzer::default().words(&article.text);
                match extractor.inferred_date(&words) {
                    Some(d) => (Some(d), "text".to_string()),
                    None => (None, String::new()),
                }
            }
        };
        let expected = (!expected.is_empty()).then_some(*expected);
        // A date is right when it says what the label says, to the
        // label's precision (a label `2023-06` wants a date in June 2023).
        let correct = match (&date, expected) {
            (Some(d), Some(e)) => d.starts_with(e) && d.len() >= e.len(),
            _ => false,
        };
        if date.is_some() {
            given += 1;
            let entry = by_source.entry(how.clone()).or_default();
            entry.0 += 1;
            if correct {
                right += 1;
                entry.1 += 1;
            }
        }
        if expected.is_some() {
            labelled += 1;
            if correct {
                found += 1;
            }
        }
        let mark = match (correct, &date, expected) {
            (true, _, _) => "ok",
            (false, None, None) => "ok",
            (false, None, Some(_)) => "MISSED",
            (false, Some(_), _) => "WRONG",
        };
        println!(
            "{mark:<7} {file:<45} got {:<12} {how:<9} want {:<10} {source}",
            date.as_deref().unwrap_or("-"),
            expected.unwrap_or("-"),
        );
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    println!();
    println!(
        "split {split}: precision {:.3} ({right}/{given}), recall {:.3} ({found}/{labelled})",
        ratio(right, given),
        ratio(found, labelled)
    );
    for (source, (n, ok)) in by_source {
        println!("  {source:<9} {ok}/{n} right");
    }
}
