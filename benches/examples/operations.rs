//! Housing operations against the labelled articles of
//! `benches/labelled/operations/`: precision and recall of operations, the
//! exactness of their figures, and the answers to aggregate questions, for
//! the development and the held-out split apart.
//!
//! ```text
//! cargo run --release -p logis-bench --example operations -- [all] [--errors-heldout] [--json FILE]
//! ```
//!
//! Without `all`, only the development splits (`dev`, `dev2`) are scored,
//! with the aggregate questions' answers recomputed from their labels; the
//! held-out splits (`heldout`, `heldout2`, `heldout3`) and their stored
//! answers are for the end. Labels are read from `labels.jsonl` and every
//! `labels-*.jsonl`.
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
    group: Option<String>,
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
    // `labels.jsonl`, then the splits added later with files of their own
    // (`labels-dev2.jsonl`…).
    let mut labels: Vec<Label> = read_jsonl(&root.join("labels.jsonl"))?;
    let mut extra: Vec<PathBuf> = fs::read_dir(&root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("labels-") && n.ends_with(".jsonl"))
        })
        .collect();
    extra.sort();
    for path in extra {
        labels.extend(read_jsonl::<Label>(&path)?);
    }
    let communes = Communes::load()?;

    let mut report = serde_json::Map::new();
    // Each scope is indexed alone, as its aggregate questions cover it
    // alone. The development splits' answers are recomputed from their
    // labels; the held-out splits' are the stored, hand-computed ones.
    let scopes: Vec<(&[&str], &str, bool)> = if all {
        vec![
            (&["dev", "heldout"], "aggregates.jsonl", false),
            (&["dev2"], "aggregates.jsonl", true),
            (&["heldout2"], "aggregates-heldout2.jsonl", false),
            (&["heldout3"], "aggregates-heldout3.jsonl", false),
        ]
    } else {
        vec![
            (&["dev"], "aggregates.jsonl", true),
            (&["dev2"], "aggregates.jsonl", true),
        ]
    };
    for (splits, questions, recompute) in scopes {
        if !splits.iter().all(|s| root.join(s).is_dir()) || !root.join(questions).is_file() {
            continue;
        }
        let dir = tempfile::TempDir::new()?;
        let index_dir = dir.path().join("index");
        let inputs: Vec<PathBuf> = splits.iter().map(|s| root.join(s)).collect();
        index_paths(&index_dir, &inputs, &IndexOptions::default(), &mut |_| {})?;
        let index = LogisIndex::open(&index_dir)?;
        let engine = Engine::new(&index)?;
        let found = engine.operations(&OperationsRequest::default())?;
        let development = splits.iter().all(|s| s.starts_with("dev"));
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
            if split.starts_with("dev") || errors_heldout {
                for e in &score.errors {
                    println!("  {e}");
                }
            }
            report.insert(split.to_string(), score.json());
        }

        let mut aggregates: Vec<Aggregate> = read_jsonl(&root.join(questions))?;
        if recompute {
            // The stored answers cover other splits: here they are
            // recomputed from the scope's labels, by the rules of
            // `check_aggregates.py`.
            let scoped: Vec<&Label> = labels
                .iter()
                .filter(|l| splits.iter().any(|s| l.file.starts_with(&format!("{s}/"))))
                .collect();
            for question in &mut aggregates {
                question.answer = expected(question, &scoped, &communes)?;
            }
        }
        let mut exact = 0;
        let mut answers = Vec::new();
        for question in &aggregates {
            let got = answer(&engine, question)?;
            let right = got == question.answer;
            exact += usize::from(right);
            if development || errors_heldout || right {
                println!(
                    "aggregate {}: {}",
                    if right { "exact" } else { "WRONG" },
                    question.question
                );
                if !right {
                    println!("    expected {}\n    got      {}", question.answer, got);
                }
            }
            answers.push(json!({"question": question.question, "expected": question.answer, "got": got, "exact": right}));
        }
        let scope = splits.join("+");
        println!(
            "aggregates over {scope}: {exact} / {} exact",
            aggregates.len()
        );
        report.insert(
            format!("aggregates {scope}"),
            json!({"exact": exact, "of": aggregates.len(), "answers": answers}),
        );
    }
    if let Some(path) = json_out {
        fs::write(path, serde_json::to_string_pretty(&Value::Object(report))?)?;
    }
    Ok(())
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    Ok(fs::read_to_string(path)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?)
}

/// Département and région of each commune, from `data/communes.tsv`.
struct Communes(BTreeMap<String, (String, String)>);

impl Communes {
    fn load() -> Result<Self> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/communes.tsv");
        let map = fs::read_to_string(path)?
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                Some((
                    f.first()?.to_string(),
                    (f.get(2)?.to_string(), f.get(3)?.to_string()),
                ))
            })
            .collect();
        Ok(Communes(map))
    }
}

/// The answer the labels give to a question: each group once, through its
/// label with the most advanced milestone (the first on ties).
fn expected(question: &Aggregate, labels: &[&Label], communes: &Communes) -> Result<Value> {
    let rank = |l: &Label| -> i32 {
        match l.milestone.as_ref().map(|m| m.kind.as_str()) {
            Some("livraison") => 5,
            Some("inauguration") => 4,
            Some("demarrage" | "premiere-pierre") => 3,
            Some("permis") => 2,
            Some("signature") => 1,
            Some(_) => 0,
            None => -1,
        }
    };
    let mut best: BTreeMap<&str, &Label> = BTreeMap::new();
    let mut ops: Vec<&Label> = Vec::new();
    for &l in labels {
        match &l.group {
            None => ops.push(l),
            Some(g) => {
                if best.get(g.as_str()).is_none_or(|b| rank(l) > rank(b)) {
                    best.insert(g, l);
                }
            }
        }
    }
    ops.extend(best.into_values());
    let place = |l: &Label| -> (String, String, String) {
        let code = l.commune.split(' ').next().unwrap_or_default().to_string();
        let (d, r) = communes.0.get(&code).cloned().unwrap_or_default();
        (code, d, r)
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let keep = |l: &Label| {
        let (c, d, r) = place(l);
        question.filters.iter().all(|(k, v)| {
            let v = text(v);
            match k.as_str() {
                "commune" => c == v,
                "departement" => d == v,
                "region" => r == v,
                "kind" => l.kind == v,
                "milestone" => l.milestone.as_ref().is_some_and(|m| m.kind == v),
                "milestone_year_from" => l
                    .milestone
                    .as_ref()
                    .and_then(|m| m.year)
                    .is_some_and(|y| v.parse::<i32>().is_ok_and(|v| y >= v)),
                "product" => l.by_product.contains_key(&v),
                _ => false,
            }
        })
    };
    let value = |l: &Label| -> u64 {
        match question.sum.as_str() {
            "count" => 1,
            "dwellings" => l.dwellings.unwrap_or(0),
            "cost" => l.cost_eur.unwrap_or(0),
            product => l.by_product.get(product).copied().unwrap_or(0),
        }
    };
    let selected: Vec<&Label> = ops.into_iter().filter(|l| keep(l)).collect();
    let Some(by) = question.group_by.as_deref() else {
        return Ok(json!(selected.iter().map(|l| value(l)).sum::<u64>()));
    };
    let mut acc: BTreeMap<String, u64> = BTreeMap::new();
    for l in selected {
        let (c, d, r) = place(l);
        if by == "product" {
            for (p, n) in &l.by_product {
                *acc.entry(p.clone()).or_default() += match question.sum.as_str() {
                    "count" => 1,
                    "dwellings" => *n,
                    _ => value(l),
                };
            }
            continue;
        }
        let key = match by {
            "commune" => Some(c),
            "departement" => Some(d),
            "region" => Some(r),
            "kind" => Some(l.kind.clone()),
            "year" => l
                .milestone
                .as_ref()
                .and_then(|m| m.year)
                .map(|y| y.to_string()),
            other => return Err(format!("unknown group_by {other}").into()),
        };
        if let Some(key) = key {
            *acc.entry(key).or_default() += value(l);
        }
    }
    Ok(Value::Object(
        acc.into_iter()
            .filter(|(_, v)| *v > 0)
            .map(|(k, v)| (k, json!(v)))
            .collect(),
    ))
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
