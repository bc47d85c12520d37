//! Housing operations against the labelled articles of
//! `bench/labelled/operations/`: precision and recall of operations, the
//! exactness of their figures, and the answers to aggregate questions, for
//! the development and the held-out split apart.
//!
//! ```text
//! cargo run --release -p logis-bench --example operations -- [all] [--errors-heldout] [--json FILE]
//! ```
//!
//! Without `all`, only the development split is scored: the held-out split
//! and the aggregate questions (which cover both splits) are for the end.
//!
//! The articles of both splits are indexed together by logis's own
//! indexer, in a temporary folder, and read back through
//! `Engine::operations`, as `logis operations` reads them. An extracted
//! operation matches a labelled one of the same article when their communes
//! are the same and their sites agree loosely (one folded site contains the
//! other, or neither has one), or, failing that, their communes and
//! dwellings are the same; each label matches at most once. The aggregate
//! questions of `aggregates.jsonl` run through `search::operations::group`,
//! which counts linked reports once. Errors are listed for `dev/` only
//! unless `--errors-heldout` is given.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use logis::analysis::facet_key;
use logis::search::filters::{Filters, YearRange};
use logis::search::operations::{group, FoundOperation, GroupBy, OperationsRequest, Sum};
use logis::search::Engine;
use logis::{index_paths, FacetField, IndexOptions, LogisIndex};
use serde::Deserialize;
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A line of `labels.jsonl`.
#[derive(Deserialize, Debug)]
struct Label {
    file: String,
    /// `INSEE Name`.
    commune: String,
    site: Option<String>,
    kind: String,
    dwellings: Option<u64>,
    #[serde(default)]
    dwellings_derived: bool,
    by_product: BTreeMap<String, u64>,
    surface_m2: Option<u64>,
    milestone: Option<LabelMilestone>,
    cost_eur: Option<u64>,
}

#[derive(Deserialize, Debug)]
struct LabelMilestone {
    kind: String,
    year: Option<i32>,
    month: Option<u8>,
}

/// A line of `aggregates.jsonl`.
#[derive(Deserialize)]
struct Aggregate {
    question: String,
    filters: BTreeMap<String, Value>,
    group_by: Option<String>,
    sum: String,
    answer: Value,
}

/// Figures of one split.
#[derive(Default)]
struct Score {
    labelled: usize,
    extracted: usize,
    matched: usize,
    /// Per figure: (right, compared) over matched operations.
    figures: BTreeMap<&'static str, (usize, usize)>,
    errors: Vec<String>,
}

impl Score {
    fn figure(&mut self, name: &'static str, right: bool) {
        let entry = self.figures.entry(name).or_default();
        entry.1 += 1;
        if right {
            entry.0 += 1;
        }
    }

    fn json(&self) -> Value {
        let precision = ratio(self.matched, self.extracted);
        let recall = ratio(self.matched, self.labelled);
        json!({
            "labelled": self.labelled,
            "extracted": self.extracted,
            "matched": self.matched,
            "precision": precision,
            "recall": recall,
            "figures": self.figures.iter().map(|(k, (r, n))| (k.to_string(), json!({"right": r, "of": n, "share": ratio(*r, *n)}))).collect::<serde_json::Map<_, _>>(),
        })
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("operations: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors_heldout = args.iter().any(|a| a == "--errors-heldout");
    let all = args.iter().any(|a| a == "all");
    let json_out = args
        .iter()
        .position(|a| a == "--json")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("labelled/operations");
    let labels: Vec<Label> = fs::read_to_string(root.join("labels.jsonl"))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;
    let aggregates: Vec<Aggregate> = fs::read_to_string(root.join("aggregates.jsonl"))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;

    let dir = tempfile::TempDir::new()?;
    let index_dir = dir.path().join("index");
    let inputs = vec![root.join("dev"), root.join("heldout")];
    index_paths(&index_dir, &inputs, &IndexOptions::default(), &mut |_| {})?;
    let index = LogisIndex::open(&index_dir)?;
    let engine = Engine::new(&index)?;
    let found = engine.operations(&OperationsRequest::default())?;

    let mut report = serde_json::Map::new();
    let splits: &[&str] = if all { &["dev", "heldout"] } else { &["dev"] };
    for &split in splits {
        let score = score_split(split, &labels, &found);
        println!(
            "{split}: {} labelled, {} extracted, {} matched: precision {:.3}, recall {:.3}",
            score.labelled,
            score.extracted,
            score.matched,
            ratio(score.matched, score.extracted),
            ratio(score.matched, score.labelled)
        );
        for (name, (right, of)) in &score.figures {
            println!(
                "  {name:<18} {right:>3} / {of:<3} {:.3}",
                ratio(*right, *of)
            );
        }
        if split == "dev" || errors_heldout {
            for e in &score.errors {
                println!("  {e}");
            }
        }
        report.insert(split.to_string(), score.json());
    }

    if !all {
        if let Some(path) = json_out {
            fs::write(path, serde_json::to_string_pretty(&Value::Object(report))?)?;
        }
        return Ok(());
    }
    let mut exact = 0;
    let mut answers = Vec::new();
    for question in &aggregates {
        let got = answer(&engine, question)?;
        let right = got == question.answer;
        exact += usize::from(right);
        println!(
            "aggregate {}: {}",
            if right { "exact" } else { "WRONG" },
            question.question
        );
        if !right {
            println!("    expected {}\n    got      {}", question.answer, got);
        }
        answers.push(json!({"question": question.question, "expected": question.answer, "got": got, "exact": right}));
    }
    println!("aggregates: {exact} / {} exact", aggregates.len());
    report.insert(
        "aggregates".into(),
        json!({"exact": exact, "of": aggregates.len(), "answers": answers}),
    );
    if let Some(path) = json_out {
        fs::write(path, serde_json::to_string_pretty(&Value::Object(report))?)?;
    }
    Ok(())
}

/// The article id logis gives a labelled file: its name without extension.
fn doc_of(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn score_split(split: &str, labels: &[Label], found: &[FoundOperation]) -> Score {
    let mut score = Score::default();
    let labelled: Vec<&Label> = labels
        .iter()
        .filter(|l| l.file.starts_with(&format!("{split}/")))
        .collect();
    let docs: Vec<String> = fs::read_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("labelled/operations")
            .join(split),
    )
    .map(|d| {
        d.filter_map(|e| e.ok())
            .map(|e| doc_of(&e.file_name().to_string_lossy()))
            .collect()
    })
    .unwrap_or_default();
    let extracted: Vec<&FoundOperation> = found.iter().filter(|f| docs.contains(&f.doc)).collect();
    score.labelled = labelled.len();
    score.extracted = extracted.len();
    let mut used = vec![false; labelled.len()];
    for f in &extracted {
        let op = &f.operation;
        let insee = op
            .commune
            .as_ref()
            .map(|c| c.insee.clone())
            .unwrap_or_default();
        let same_place = |l: &Label| {
            doc_of(&l.file) == f.doc && l.commune.split(' ').next() == Some(insee.as_str())
        };
        let site_agrees = |l: &Label| match (&l.site, &op.site) {
            (Some(a), Some(b)) => {
                let (a, b) = (facet_key(a), facet_key(b));
                a.contains(&b) || b.contains(&a)
            }
            (None, None) => true,
            _ => false,
        };
        let pick = (0..labelled.len())
            .find(|&i| !used[i] && same_place(labelled[i]) && site_agrees(labelled[i]))
            .or_else(|| {
                (0..labelled.len()).find(|&i| {
                    !used[i] && same_place(labelled[i]) && labelled[i].dwellings == op.dwellings
                })
            });
        let Some(i) = pick else {
            score.errors.push(format!(
                "{}: unexpected operation {} {:?} {:?} dwellings {:?}",
                f.doc,
                op.commune.as_ref().map_or("-", |c| c.name.as_str()),
                op.site,
                op.kind.name(),
                op.dwellings
            ));
            continue;
        };
        used[i] = true;
        score.matched += 1;
        let l = labelled[i];
        let mut check = |name: &'static str, right: bool, detail: String| {
            score.figure(name, right);
            if !right {
                score.errors.push(format!(
                    "{}: {} {:?}: {name} {detail}",
                    f.doc, l.commune, l.site
                ));
            }
        };
        let products: BTreeMap<String, u64> = op.by_product.iter().cloned().collect();
        check(
            "by_product",
            products == l.by_product,
            format!("{:?} expected {:?}", products, l.by_product),
        );
        check(
            "dwellings",
            op.dwellings == l.dwellings && op.dwellings_derived == l.dwellings_derived,
            format!(
                "{:?}{} expected {:?}{}",
                op.dwellings,
                if op.dwellings_derived {
                    " (derived)"
                } else {
                    ""
                },
                l.dwellings,
                if l.dwellings_derived {
                    " (derived)"
                } else {
                    ""
                }
            ),
        );
        check(
            "kind",
            op.kind.name() == l.kind,
            format!("{} expected {}", op.kind.name(), l.kind),
        );
        check(
            "surface_m2",
            op.surface_m2 == l.surface_m2,
            format!("{:?} expected {:?}", op.surface_m2, l.surface_m2),
        );
        check(
            "cost_eur",
            op.cost_eur == l.cost_eur,
            format!("{:?} expected {:?}", op.cost_eur, l.cost_eur),
        );
        let milestone = op
            .milestone
            .as_ref()
            .map(|m| (m.kind.name().to_string(), m.year, m.month));
        let expected = l
            .milestone
            .as_ref()
            .map(|m| (m.kind.clone(), m.year, m.month));
        check(
            "milestone",
            milestone == expected,
            format!("{milestone:?} expected {expected:?}"),
        );
    }
    for (i, l) in labelled.iter().enumerate() {
        if !used[i] {
            score.errors.push(format!(
                "{}: missed {} {:?} {} dwellings {:?}",
                doc_of(&l.file),
                l.commune,
                l.site,
                l.kind,
                l.dwellings
            ));
        }
    }
    score
}

/// What logis answers to an aggregate question, in the shape of its
/// answer: a number, or an object by group.
fn answer(engine: &Engine, question: &Aggregate) -> Result<Value> {
    let mut request = OperationsRequest::default();
    let mut filters = Filters::default();
    for (key, value) in &question.filters {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match key.as_str() {
            "commune" => filters.add(FacetField::Commune, &text)?,
            "departement" => filters.add(FacetField::Departement, &text)?,
            "region" => filters.add(FacetField::Region, &text)?,
            "product" => filters.add(FacetField::Product, &text)?,
            "kind" => request
                .kinds
                .extend(logis::extract::operations::Kind::parse(&text)),
            "milestone" => request
                .milestones
                .extend(logis::extract::operations::MilestoneKind::parse(&text)),
            "milestone_year_from" => {
                request.milestone_years = Some(YearRange::parse(&format!("{text}.."))?)
            }
            other => return Err(format!("unknown filter {other}").into()),
        }
    }
    request.filters = filters;
    let found = engine.operations(&request)?;
    let sum = Sum::parse(&question.sum);
    let by = question
        .group_by
        .as_deref()
        .map(|g| GroupBy::parse(g).ok_or(format!("unknown group_by {g}")))
        .transpose()?;
    // Without a grouping, one group holding everything: by kind, summed.
    let rows = group(&found, by.unwrap_or(GroupBy::Kind), &sum);
    let value = |row: &logis::search::operations::GroupRow| match sum {
        Sum::Count => json!(row.operations),
        _ => json!(row.sum.unwrap_or(0)),
    };
    Ok(match by {
        None => {
            let total: u64 = rows
                .iter()
                .map(|r| match sum {
                    Sum::Count => r.operations as u64,
                    _ => r.sum.unwrap_or(0),
                })
                .sum();
            json!(total)
        }
        Some(_) => Value::Object(
            rows.iter()
                // Groups summing nothing are left out, as the answers do.
                .filter(|r| matches!(sum, Sum::Count) || r.sum.unwrap_or(0) > 0)
                .map(|r| (r.code.clone().unwrap_or_else(|| r.group.clone()), value(r)))
                .collect(),
        ),
    })
}
