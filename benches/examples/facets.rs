//! Facet extraction against the labelled pages of `benches/labelled/facets/`
//! and the inline sets of `tests/fixtures/extraction*.jsonl`: precision,
//! recall, true and false positives and false negatives per facet.
//!
//! ```text
//! cargo run -p logis-bench --example facets -- [dev|heldout|all] \
//!     [--errors-heldout] [--json FILE] [--text FILE]
//! ```
//!
//! Each page is read by logis's own reader (`corpus::read`), then its facets
//! are found as indexing finds them: the text cut into passages by the
//! indexer's `Splitter`, `Extractor::extract_words` on the analyser's words,
//! the union of the passages' facets. Expected organisations, programmes and
//! products are mapped through `Extractor::complete_given`, so that an alias
//! counts as its canonical entry. Errors are listed for the development sets
//! only (`--errors-heldout` lists those of the held-out sets too); `--text
//! FILE` prints the text logis reads from one page, and nothing else.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use logis::analysis::{facet_key, Analyzer};
use logis::corpus::passages::Splitter;
use logis::corpus::{self, Item};
use logis::extract::Extractor;
use logis::facets::{Facets, Term};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The facets scored, in the order printed.
const FACETS: [&str; 6] = [
    "communes",
    "departements",
    "organisations",
    "programmes",
    "products",
    "years",
];

/// The facets the inline fixture sets label.
const FIXTURE_FACETS: [&str; 4] = ["communes", "organisations", "programmes", "products"];

/// A line of `labels.jsonl`.
#[derive(Deserialize)]
struct Label {
    file: String,
    /// `INSEE Name`.
    communes: Vec<String>,
    /// INSEE codes of the communes the page is about (not scored here).
    #[serde(default)]
    #[allow(dead_code)]
    about: Vec<String>,
    departements: Vec<String>,
    organisations: Vec<String>,
    programmes: Vec<String>,
    products: Vec<String>,
    years: Vec<i64>,
}

/// A line of the inline fixture sets.
#[derive(Deserialize)]
struct Fixture {
    id: String,
    text: String,
    expected: FixtureExpected,
}

#[derive(Deserialize)]
struct FixtureExpected {
    communes: Vec<String>,
    organisations: Vec<String>,
    programmes: Vec<String>,
    products: Vec<String>,
}

/// The counts of one facet.
#[derive(Default, Clone, Serialize)]
struct Score {
    tp: usize,
    fp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
    #[serde(skip)]
    errors: Vec<String>,
}

impl Score {
    fn add(&mut self, id: &str, expected: &BTreeSet<String>, found: &BTreeSet<String>) {
        self.tp += expected.intersection(found).count();
        for extra in found.difference(expected) {
            self.fp += 1;
            self.errors.push(format!("{id}: unexpected {extra}"));
        }
        for missed in expected.difference(found) {
            self.fn_ += 1;
            self.errors.push(format!("{id}: missed {missed}"));
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The scores of one set.
struct SetScore {
    name: String,
    articles: usize,
    facets: Vec<(&'static str, Score)>,
    unread: Vec<String>,
}

impl SetScore {
    fn new(name: &str, facets: &[&'static str]) -> SetScore {
        SetScore {
            name: name.to_string(),
            articles: 0,
            facets: facets.iter().map(|f| (*f, Score::default())).collect(),
            unread: Vec::new(),
        }
    }

    fn score(&mut self, facet: &str) -> &mut Score {
        &mut self
            .facets
            .iter_mut()
            .find(|(name, _)| *name == facet)
            .expect("a scored facet")
            .1
    }

    fn print(&self, errors: bool) {
        println!("{} ({} articles):", self.name, self.articles);
        println!(
            "  {:<14} {:>9} {:>7} {:>4} {:>4} {:>4}",
            "facet", "precision", "recall", "tp", "fp", "fn"
        );
        for (name, s) in &self.facets {
            println!(
                "  {name:<14} {:>9.3} {:>7.3} {:>4} {:>4} {:>4}",
                s.precision(),
                s.recall(),
                s.tp,
                s.fp,
                s.fn_
            );
        }
        for file in &self.unread {
            println!("  UNREAD {file}");
        }
        if errors {
            for (name, s) in &self.facets {
                if s.errors.is_empty() {
                    continue;
                }
                println!("  {name}:");
                for e in &s.errors {
                    println!("    {e}");
                }
            }
        }
        println!();
    }

    fn json(&self) -> serde_json::Value {
        let facets: serde_json::Map<String, serde_json::Value> = self
            .facets
            .iter()
            .map(|(name, s)| {
                (
                    name.to_string(),
                    json!({
                        "precision": s.precision(),
                        "recall": s.recall(),
                        "tp": s.tp,
                        "fp": s.fp,
                        "fn": s.fn_,
                    }),
                )
            })
            .collect();
        json!({ "articles": self.articles, "unread": self.unread, "facets": facets })
    }
}

/// What evaluating needs.
struct Evaluator {
    analyzer: Analyzer,
    extractor: Extractor,
    splitter: &'static Splitter,
}

impl Evaluator {
    /// The facets of `text`, as indexing finds them: per passage, then
    /// their union.
    fn facets(&self, text: &str) -> Facets {
        let passages = self.splitter.split(text);
        let words = self.analyzer.words(text);
        let mut union = Facets::default();
        for facets in self.extractor.extract_words(text, &words, &passages) {
            union.merge(&facets);
        }
        union
    }

    /// Keys of expected terms, each mapped to its canonical entry when
    /// the gazetteer knows it.
    fn expected_terms(
        &self,
        names: &[String],
        pick: fn(&mut Facets) -> &mut Vec<Term>,
    ) -> BTreeSet<String> {
        let mut given = Facets::default();
        *pick(&mut given) = names.iter().map(|n| Term::named(n)).collect();
        let mut completed = self.extractor.complete_given(&given);
        pick(&mut completed)
            .iter()
            .map(|t| facet_key(&t.name))
            .collect()
    }
}

fn term_keys(terms: &[Term]) -> BTreeSet<String> {
    terms.iter().map(|t| facet_key(&t.name)).collect()
}

fn codes(communes: &[String]) -> BTreeSet<String> {
    communes
        .iter()
        .map(|c| c.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

/// Reads one page with logis's reader.
fn read_page(path: &Path) -> Option<corpus::Article> {
    let mut article = None;
    corpus::read(&[path.to_path_buf()], &mut |item| {
        if let Item::Article(a) = item {
            article.get_or_insert(*a);
        }
        Ok(())
    })
    .ok()?;
    article
}

fn evaluate_pages(ev: &Evaluator, dir: &Path, labels: &[Label], split: &str) -> SetScore {
    let mut set = SetScore::new(&format!("pages {split}"), &FACETS);
    for label in labels
        .iter()
        .filter(|l| l.file.starts_with(&format!("{split}/")))
    {
        let Some(article) = read_page(&dir.join(&label.file)) else {
            set.unread.push(label.file.clone());
            continue;
        };
        set.articles += 1;
        let found = ev.facets(&article.text);
        let id = &label.file;
        let found_communes = found.communes.iter().map(|c| c.insee.clone()).collect();
        set.score("communes")
            .add(id, &codes(&label.communes), &found_communes);
        let found_deps = found.departements.iter().map(|d| d.code.clone()).collect();
        let expected_deps = label.departements.iter().cloned().collect();
        set.score("departements")
            .add(id, &expected_deps, &found_deps);
        let expected = ev.expected_terms(&label.organisations, |f| &mut f.organisations);
        set.score("organisations")
            .add(id, &expected, &term_keys(&found.organisations));
        let expected = ev.expected_terms(&label.programmes, |f| &mut f.programmes);
        set.score("programmes")
            .add(id, &expected, &term_keys(&found.programmes));
        let expected = ev.expected_terms(&label.products, |f| &mut f.products);
        set.score("products")
            .add(id, &expected, &term_keys(&found.products));
        let years = |ys: &[i64]| ys.iter().map(|y| y.to_string()).collect::<BTreeSet<_>>();
        set.score("years")
            .add(id, &years(&label.years), &years(&found.years));
    }
    set
}

fn evaluate_fixtures(ev: &Evaluator, path: &Path, name: &str) -> SetScore {
    let mut set = SetScore::new(name, &FIXTURE_FACETS);
    let data = fs::read_to_string(path).expect("fixture file");
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let fixture: Fixture = serde_json::from_str(line).expect("fixture line");
        set.articles += 1;
        let found = ev.facets(&fixture.text);
        let id = &fixture.id;
        let expected = &fixture.expected;
        let found_communes = found.communes.iter().map(|c| c.insee.clone()).collect();
        set.score("communes")
            .add(id, &codes(&expected.communes), &found_communes);
        let keys = ev.expected_terms(&expected.organisations, |f| &mut f.organisations);
        set.score("organisations")
            .add(id, &keys, &term_keys(&found.organisations));
        let keys = ev.expected_terms(&expected.programmes, |f| &mut f.programmes);
        set.score("programmes")
            .add(id, &keys, &term_keys(&found.programmes));
        let keys = ev.expected_terms(&expected.products, |f| &mut f.products);
        set.score("products")
            .add(id, &keys, &term_keys(&found.products));
    }
    set
}

fn main() {
    let mut split = "both".to_string();
    let mut errors_heldout = false;
    let mut json_out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "dev" | "heldout" | "all" => split = arg,
            "--errors-heldout" => errors_heldout = true,
            "--json" => json_out = Some(args.next().expect("--json FILE").into()),
            "--text" => {
                let path = PathBuf::from(args.next().expect("--text FILE"));
                match read_page(&path) {
                    Some(article) => {
                        println!("title: {:?}", article.title);
                        println!("{}", article.text);
                    }
                    None => println!("UNREAD {}", path.display()),
                }
                return;
            }
            other => {
                eprintln!(
                    "usage: facets [dev|heldout|all] [--errors-heldout] [--json FILE] [--text FILE] (not {other:?})"
                );
                std::process::exit(2);
            }
        }
    }
    let root = logis_bench::root();
    let dir = root.join("benches/labelled/facets");
    let labels: Vec<Label> = fs::read_to_string(dir.join("labels.jsonl"))
        .expect("labels.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("label {l}: {e}")))
        .collect();
    let analyzer = Analyzer::default();
    let ev = Evaluator {
        extractor: Extractor::new(analyzer.clone()),
        analyzer,
        splitter: Splitter::built_in(),
    };
    let splits: &[&str] = match split.as_str() {
        "dev" => &["dev"],
        "heldout" => &["heldout"],
        _ => &["dev", "heldout"],
    };
    let mut sets = Vec::new();
    for s in splits {
        sets.push((*s == "dev", evaluate_pages(&ev, &dir, &labels, s)));
    }
    if splits.contains(&"dev") {
        let path = root.join("tests/fixtures/extraction.jsonl");
        sets.push((
            true,
            evaluate_fixtures(&ev, &path, "fixtures extraction.jsonl"),
        ));
    }
    if splits.contains(&"heldout") {
        let path = root.join("tests/fixtures/extraction_heldout.jsonl");
        sets.push((
            false,
            evaluate_fixtures(&ev, &path, "fixtures extraction_heldout.jsonl"),
        ));
    }
    for (development, set) in &sets {
        set.print(*development || errors_heldout);
    }
    if let Some(path) = json_out {
        let all: serde_json::Map<String, serde_json::Value> = sets
            .iter()
            .map(|(_, set)| (set.name.clone(), set.json()))
            .collect();
        let text = serde_json::to_string_pretty(&all).expect("JSON");
        fs::write(&path, text + "\n").expect("writing the JSON file");
    }
}
