//! Evaluates the near-duplicate detection of `logis::index::copies` on the
//! labelled pairs of `benches/labelled/duplicates/` (`pairs.tsv`: `split a b
//! label kind`, label `copy` or `distinct`, texts under `articles/`):
//!
//! ```text
//! cargo run --release -p logis-bench --example duplicates [-- --split dev|heldout|all]
//! ```
//!
//! Prints each pair's estimated Jaccard and containment, whether LSH
//! banding makes it a candidate and the decision of `same_story`; then the
//! precision, recall and F1 of `same_story` per split and per kind, how
//! the pairs end up when the articles are grouped through `Candidates`
//! (LSH) and `same_story`, and the throughput of signature computation.
//! The thresholds are tuned on `dev` only; `heldout` is for the final
//! figure.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use logis::analysis::{Analyzer, Word};
use logis::index::copies::{self, same_story, Candidates, Signature};

/// One labelled pair.
struct Pair {
    split: String,
    a: String,
    b: String,
    copy: bool,
    kind: String,
}

/// What the detector said of a pair.
struct Outcome {
    jaccard: Option<f64>,
    containment: Option<f64>,
    candidate: bool,
    same: bool,
}

/// Confusion counts of `same_story` against the labels.
#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
    /// Copies that LSH banding makes candidates.
    copies_found: usize,
    /// Distinct pairs that LSH banding makes candidates.
    distinct_found: usize,
}

impl Counts {
    fn add(&mut self, pair: &Pair, outcome: &Outcome) {
        match (pair.copy, outcome.same) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
        if outcome.candidate {
            if pair.copy {
                self.copies_found += 1;
            } else {
                self.distinct_found += 1;
            }
        }
    }

    fn line(&self, name: &str) -> String {
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        let precision = ratio(self.tp, self.tp + self.fp);
        let recall = ratio(self.tp, self.tp + self.fn_);
        let f1 = precision.zip(recall).map(|(p, r)| {
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            }
        });
        let show = |x: Option<f64>| x.map_or("  -  ".to_string(), |x| format!("{x:.3}"));
        let (precision, recall, f1) = (show(precision), show(recall), show(f1));
        let copies = self.tp + self.fn_;
        let distinct = self.fp + self.tn;
        format!(
            "{name:<34} pairs {:>4}  TP {:>3} FP {:>3} FN {:>3} TN {:>3}  P {precision} R {recall} F1 {f1}  \
             LSH candidates: copies {}/{copies}, distinct {}/{distinct}",
            copies + distinct,
            self.tp,
            self.fp,
            self.fn_,
            self.tn,
            self.copies_found,
            self.distinct_found,
        )
    }
}

fn main() {
    if let Err(message) = run() {
        eprintln!("duplicates: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let split = split_argument()?;
    let dir = logis_bench::root().join("benches/labelled/duplicates");
    let pairs = read_pairs(&dir.join("pairs.tsv"))?;
    let pairs: Vec<Pair> = pairs
        .into_iter()
        .filter(|p| split == "all" || p.split == split)
        .collect();
    if pairs.is_empty() {
        return Err(format!("no pair of split {split:?} in {}", dir.display()));
    }

    // Each article once: its text, words and signature.
    let names: BTreeSet<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let analyzer = Analyzer::default();
    let mut texts = BTreeMap::new();
    for name in &names {
        let path = dir.join("articles").join(name);
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        texts.insert(*name, text);
    }
    let words: BTreeMap<&str, Vec<Word>> = texts
        .iter()
        .map(|(name, text)| (*name, analyzer.words(text)))
        .collect();
    let signatures: BTreeMap<&str, Option<Signature>> = words
        .iter()
        .map(|(name, words)| (*name, Signature::of(words)))
        .collect();

    println!(
        "thresholds: shingles >= {}, J >= {} and C >= {}; LSH {} bands x {} rows",
        copies::MIN_SHINGLES,
        copies::MIN_JACCARD,
        copies::COPY_CONTAINMENT,
        copies::BANDS,
        copies::ROWS,
    );
    println!(
        "{:<8} {:<8} {:<22} {:>5} {:>5} {:>5} {:>5} {:<4} {:<4} {:<3} a | b",
        "split", "label", "kind", "sh_a", "sh_b", "J", "C", "lsh", "same", ""
    );
    let mut by_split: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for pair in &pairs {
        let (sa, sb) = (&signatures[pair.a.as_str()], &signatures[pair.b.as_str()]);
        let outcome = match (sa, sb) {
            (Some(a), Some(b)) => {
                let keys: BTreeSet<u64> = a.band_keys().collect();
                Outcome {
                    jaccard: Some(a.jaccard(b)),
                    containment: Some(a.containment(b)),
                    candidate: b.band_keys().any(|k| keys.contains(&k)),
                    same: same_story(a, b),
                }
            }
            _ => Outcome {
                jaccard: None,
                containment: None,
                candidate: false,
                same: false,
            },
        };
        let shingles = |s: &Option<Signature>| s.as_ref().map_or(0, Signature::shingles);
        let number = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.2}"));
        let verdict = match (pair.copy, outcome.same) {
            (true, false) => "FN",
            (false, true) => "FP",
            _ => "",
        };
        println!(
            "{:<8} {:<8} {:<22} {:>5} {:>5} {:>5} {:>5} {:<4} {:<4} {:<3} {} | {}",
            pair.split,
            if pair.copy { "copy" } else { "distinct" },
            pair.kind,
            shingles(sa),
            shingles(sb),
            number(outcome.jaccard),
            number(outcome.containment),
            if outcome.candidate { "yes" } else { "no" },
            if outcome.same { "yes" } else { "no" },
            verdict,
            pair.a,
            pair.b,
        );
        by_split.entry(&pair.split).or_default().add(pair, &outcome);
        let label = if pair.copy { "copy" } else { "distinct" };
        by_kind
            .entry((label, &pair.kind))
            .or_default()
            .add(pair, &outcome);
        total.add(pair, &outcome);
    }

    println!("\nper split:");
    for (split, counts) in &by_split {
        println!("  {}", counts.line(split));
    }
    if by_split.len() > 1 {
        println!("  {}", total.line("all"));
    }
    println!("\nper kind (no P for copies-only kinds, no R for distinct-only ones):");
    for ((label, kind), counts) in &by_kind {
        println!("  {}", counts.line(&format!("{label}/{kind}")));
    }

    // The pipeline an index would run: every article into the LSH table,
    // its candidates confirmed by `same_story`, groups joined (union-find).
    let numbers: BTreeMap<&str, u32> = names.iter().zip(0..).map(|(n, i)| (*n, i)).collect();
    let mut table = Candidates::new();
    for (name, sig) in &signatures {
        if let Some(sig) = sig {
            table.insert(numbers[name], sig);
        }
    }
    let by_number: Vec<Option<&Signature>> = signatures.values().map(Option::as_ref).collect();
    let mut parent: Vec<usize> = (0..by_number.len()).collect();
    for (i, sig) in by_number.iter().enumerate() {
        let Some(sig) = sig else { continue };
        for j in table.candidates(sig) {
            let j = j as usize;
            if j != i && by_number[j].is_some_and(|other| same_story(sig, other)) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let (mut together, mut apart) = ((0, 0), (0, 0));
    for pair in &pairs {
        let a = find(&mut parent, numbers[pair.a.as_str()] as usize);
        let b = find(&mut parent, numbers[pair.b.as_str()] as usize);
        if pair.copy {
            together.0 += usize::from(a == b);
            together.1 += 1;
        } else {
            apart.0 += usize::from(a != b);
            apart.1 += 1;
        }
    }
    println!(
        "\ngrouping through Candidates + same_story: copy pairs in one group {}/{}, \
         distinct pairs apart {}/{}",
        together.0, together.1, apart.0, apart.1
    );

    // Throughput: analysis, then signatures of the analysed words, each
    // repeated until it has run for a while.
    let bytes: usize = texts.values().map(String::len).sum();
    let analysis = repeat(|| {
        for text in texts.values() {
            std::hint::black_box(analyzer.words(text));
        }
    });
    let signing = repeat(|| {
        for words in words.values() {
            std::hint::black_box(Signature::of(words));
        }
    });
    let rate = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    println!(
        "\nthroughput over {} articles, {:.1} kB of text: analysis {:.1} MB/s, signatures {:.1} MB/s \
         ({:.1} µs per article), both {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e3,
        rate(analysis),
        rate(signing),
        signing.as_secs_f64() * 1e6 / texts.len() as f64,
        rate(analysis + signing),
    );
    Ok(())
}

/// The representative of `i`'s group.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The mean time of one run of `f`, repeated for at least half a second.
fn repeat(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut runs = 0;
    while runs < 3 || start.elapsed() < Duration::from_millis(500) {
        f();
        runs += 1;
    }
    start.elapsed() / runs
}

/// The split asked by `--split` (default `dev`).
fn split_argument() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut split = "dev".to_string();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--split" => split = args.next().ok_or("--split needs a value")?,
            other => match other.strip_prefix("--split=") {
                Some(value) => split = value.to_string(),
                None => return Err(format!("unknown argument {other:?}")),
            },
        }
    }
    match split.as_str() {
        "dev" | "heldout" | "all" => Ok(split),
        _ => Err(format!("--split is dev, heldout or all, not {split:?}")),
    }
}

/// The pairs of `pairs.tsv`, whose header names the columns.
fn read_pairs(path: &Path) -> Result<Vec<Pair>, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().ok_or("empty pairs.tsv")?.split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(format!("no column {name:?} in pairs.tsv"))
    };
    let (split, a, b, label, kind) = (
        column("split")?,
        column("a")?,
        column("b")?,
        column("label")?,
        column("kind")?,
    );
    let mut pairs = Vec::new();
    for (n, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let field = |i: usize| {
            fields
                .get(i)
                .map(|s| s.to_string())
                .ok_or(format!("pairs.tsv line {}: too few fields", n + 2))
        };
        let copy = match field(label)?.as_str() {
            "copy" => true,
            "distinct" => false,
            other => return Err(format!("pairs.tsv line {}: label {other:?}", n + 2)),
        };
        pairs.push(Pair {
            split: field(split)?,
            a: field(a)?,
            b: field(b)?,
            copy,
            kind: field(kind)?,
        });
    }
    Ok(pairs)
}
