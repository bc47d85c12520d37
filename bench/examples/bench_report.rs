//! The benchmark report behind `scripts/bench-report` and BENCHMARKS.md: in
//! one run, for each corpus size, it generates the corpus, indexes it with
//! logis (the real binary) and with tantivy's default tokenizer, builds a
//! SQLite FTS5 table on the same passages, then runs the same queries
//! through logis (in process, warm; and the whole `logis search` command),
//! FTS5 and ripgrep. It prints one table of medians and ratios, and writes
//! them as JSON.
//!
//! `cargo run --release -p logis-bench --example bench_report -- [--sizes 10000,100000]
//! [--dir target/bench-report] [--runs 5]`

use logis_bench::{fts5_query, generator};

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use logis::corpus::{self, passages, Item};
use logis::facets::FacetField;
use logis::index::LogisIndex;
use logis::search::{Engine, Filters, SearchRequest};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, STORED, TEXT};
use tantivy::{doc, Index};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The query classes measured: (name, query, commune filter).
const QUERIES: &[(&str, &str, Option<&str>)] = &[
    ("term", "réhabilitation", None),
    ("rare term", "PSLA", None),
    ("two terms", "logements Lyon", None),
    ("term + facet filter", "logements", Some("Paris")),
    ("phrase", "\"Action Cœur de Ville\"", None),
];

#[derive(Serialize, Default)]
struct SizeReport {
    passages: usize,
    articles: usize,
    text_mb: f64,
    logis_index_s: f64,
    logis_mb_per_s: f64,
    logis_peak_rss_mb: Option<f64>,
    logis_index_mb: f64,
    tantivy_default_index_s: f64,
    tantivy_default_mb_per_s: f64,
    tantivy_default_index_mb: f64,
    fts5_index_s: f64,
    queries: Vec<QueryReport>,
}

#[derive(Serialize, Default)]
struct QueryReport {
    class: String,
    query: String,
    logis_hits: usize,
    logis_warm_ms: f64,
    logis_command_ms: f64,
    tantivy_default_ms: f64,
    fts5_ms: f64,
    ripgrep_ms: Option<f64>,
}

fn main() -> Result<()> {
    let mut sizes = vec![10_000usize];
    let mut dir = PathBuf::from("target/bench-report");
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => {
                sizes = args
                    .next()
                    .ok_or("--sizes needs a list")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse())
                    .collect::<std::result::Result<_, _>>()?;
            }
            "--dir" => dir = PathBuf::from(args.next().ok_or("--dir needs a path")?),
            "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    fs::create_dir_all(&dir)?;
    let root = &logis_bench::root();
    let logis_bin = root.join("target/release/logis");
    if !logis_bin.exists() {
        return Err("build the binary first: cargo build --release".into());
    }
    let generator = generator::Generator::new(root)?;
    let ripgrep = Command::new("rg").arg("--version").output().is_ok();

    let mut reports = Vec::new();
    for &size in &sizes {
        eprintln!("== {size} passages");
        let corpus_path = dir.join(format!("corpus-{size}.jsonl"));
        let mut out = std::io::BufWriter::new(fs::File::create(&corpus_path)?);
        let articles = generator.write(size, &mut out)?;
        drop(out);
        let text_bytes = fs::metadata(&corpus_path)?.len();
        let mut report = SizeReport {
            passages: size,
            articles,
            text_mb: text_bytes as f64 / 1e6,
            ..SizeReport::default()
        };

        // logis, the real command; fewer runs as the corpus grows.
        let index_dir = dir.join(format!("logis-{size}"));
        let index_runs = if size <= 10_000 { 3 } else { 1 };
        let mut times = Vec::new();
        for _ in 0..index_runs {
            let _ = fs::remove_dir_all(&index_dir);
            let (seconds, rss) = timed_command(
                Command::new(&logis_bin)
                    .arg("--index")
                    .arg(&index_dir)
                    .args(["index", "-q"])
                    .arg(&corpus_path),
            )?;
            times.push(seconds);
            report.logis_peak_rss_mb = rss.or(report.logis_peak_rss_mb);
        }
        report.logis_index_s = median(&mut times);
        report.logis_mb_per_s = report.text_mb / report.logis_index_s;
        report.logis_index_mb = logis_bench::dir_bytes(&index_dir) as f64 / 1e6;

        // The same passages for the baselines.
        let texts = read_passages(&corpus_path)?;
        let tantivy_dir = dir.join(format!("tantivy-{size}"));
        let _ = fs::remove_dir_all(&tantivy_dir);
        fs::create_dir_all(&tantivy_dir)?;
        let started = Instant::now();
        let (tantivy_index, tantivy_text) = tantivy_default(&tantivy_dir, &texts)?;
        report.tantivy_default_index_s = started.elapsed().as_secs_f64();
        report.tantivy_default_mb_per_s = report.text_mb / report.tantivy_default_index_s;
        report.tantivy_default_index_mb = logis_bench::dir_bytes(&tantivy_dir) as f64 / 1e6;

        let fts_path = dir.join(format!("fts5-{size}.sqlite"));
        let _ = fs::remove_file(&fts_path);
        let started = Instant::now();
        let fts = fts5(&fts_path, &texts)?;
        report.fts5_index_s = started.elapsed().as_secs_f64();
        drop(texts);

        let index = LogisIndex::open(&index_dir)?;
        let engine = Engine::new(&index)?;
        let tantivy_reader = tantivy_index.reader()?;
        let parser = QueryParser::for_index(&tantivy_index, vec![tantivy_text]);
        for &(class, query, commune) in QUERIES {
            let mut request = SearchRequest::new(query);
            let mut filters = Filters::default();
            if let Some(commune) = commune {
                filters.add(FacetField::Commune, commune)?;
            }
            request.filters = filters;
            let mut q = QueryReport {
                class: class.to_string(),
                query: match commune {
                    Some(c) => format!("{query} --commune {c}"),
                    None => query.to_string(),
                },
                logis_hits: engine.search(&request)?.total,
                ..QueryReport::default()
            };
            q.logis_warm_ms = median_ms(runs, || {
                engine.search(&request)?;
                Ok(())
            })?;
            let mut command = vec!["--index".to_string(), index_dir.display().to_string()];
            command.extend(["search".to_string(), query.to_string()]);
            if let Some(c) = commune {
                command.extend(["--commune".to_string(), c.to_string()]);
            }
            q.logis_command_ms = median_ms(runs, || {
                let out = Command::new(&logis_bin).args(&command).output()?;
                if !out.status.success() {
                    return Err(String::from_utf8_lossy(&out.stderr).to_string().into());
                }
                Ok(())
            })?;
            // Baselines have no facets: the filter value becomes a word.
            let plain = match commune {
                Some(c) => format!("{query} {c}"),
                None => query.to_string(),
            };
            let (parsed, _) = parser.parse_query_lenient(&plain);
            let searcher = tantivy_reader.searcher();
            q.tantivy_default_ms = median_ms(runs, || {
                searcher.search(&parsed, &(TopDocs::with_limit(10).order_by_score(), Count))?;
                Ok(())
            })?;
            let expression = fts5_query::fts5_terms(&plain).join(" ");
            q.fts5_ms = median_ms(runs, || {
                let mut statement = fts.prepare_cached(
                    "SELECT rowid FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT 10",
                )?;
                let rows = statement.query_map([&expression], |r| r.get::<_, i64>(0))?;
                for row in rows {
                    row?;
                }
                Ok(())
            })?;
            if ripgrep {
                let words: Vec<&str> = plain.split_whitespace().collect();
                let pattern = words[0].trim_matches('"');
                q.ripgrep_ms = Some(median_ms(runs, || {
                    Command::new("rg")
                        .args(["-c", "-i", "-F", pattern])
                        .arg(&corpus_path)
                        .output()?;
                    Ok(())
                })?);
            }
            report.queries.push(q);
        }
        reports.push(report);
    }
    print_table(&reports, ripgrep);
    let json_path = dir.join("report.json");
    fs::write(&json_path, serde_json::to_string_pretty(&reports)?)?;
    eprintln!("JSON: {}", json_path.display());
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Median wall time of `runs` calls, in ms, after one warm-up call.
fn median_ms(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(&mut times))
}

/// Runs a command under `/usr/bin/time` when there is one: wall seconds and
/// peak resident memory in MB.
fn timed_command(command: &mut Command) -> Result<(f64, Option<f64>)> {
    let time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let out = if time.exists() {
        let program = command.get_program().to_owned();
        let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
        Command::new(time)
            .args(["-f", "%M"])
            .arg(program)
            .args(args)
            .output()?
    } else {
        command.output()?
    };
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).to_string().into());
    }
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok())
        .map(|kb| kb / 1000.0);
    Ok((seconds, rss.filter(|_| time.exists())))
}

/// The passages logis cuts from the corpus.
fn read_passages(path: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    corpus::read(&[path.to_path_buf()], &mut |item| {
        if let Item::Article(article) = item {
            for p in passages::split(&article.text) {
                out.push(p.text(&article.text).to_string());
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// tantivy with its default tokenizer, the passages stored, 2 threads and
/// logis's default writer budget.
fn tantivy_default(dir: &Path, texts: &[String]) -> Result<(Index, tantivy::schema::Field)> {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", TEXT | STORED);
    let index = Index::create_in_dir(dir, schema.build())?;
    let mut writer = index.writer_with_num_threads(2, 256_000_000)?;
    for t in texts {
        writer.add_document(doc!(text => t.as_str()))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((index, text))
}

fn fts5(path: &Path, texts: &[String]) -> Result<rusqlite::Connection> {
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE p USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let tx = db.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO p (text) VALUES (?1)")?;
        for t in texts {
            insert.execute([t])?;
        }
    }
    tx.commit()?;
    Ok(db)
}

fn print_table(reports: &[SizeReport], ripgrep: bool) {
    println!("### Indexing\n");
    println!("| passages | text MB | logis s | logis MB/s | tantivy default s | tantivy MB/s | ratio | logis peak RSS MB | logis index / text | tantivy index / text | FTS5 s |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in reports {
        println!(
            "| {} | {:.1} | {:.2} | {:.1} | {:.2} | {:.1} | {:.2}× | {} | {:.2} | {:.2} | {:.2} |",
            r.passages,
            r.text_mb,
            r.logis_index_s,
            r.logis_mb_per_s,
            r.tantivy_default_index_s,
            r.tantivy_default_mb_per_s,
            r.tantivy_default_mb_per_s / r.logis_mb_per_s,
            r.logis_peak_rss_mb
                .map_or("n/a".to_string(), |m| format!("{m:.0}")),
            r.logis_index_mb / r.text_mb,
            r.tantivy_default_index_mb / r.text_mb,
            r.fts5_index_s
        );
    }
    if let [first, .., last] = reports {
        let exponent = (last.logis_index_s / first.logis_index_s).ln()
            / (last.passages as f64 / first.passages as f64).ln();
        println!(
            "\nlogis indexing time scales as passages^{exponent:.3} from {} to {} passages.",
            first.passages, last.passages
        );
    }
    println!("\n### Queries (median ms)\n");
    println!("| passages | query | hits (logis) | logis warm | logis command | tantivy default | FTS5 | ripgrep |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in reports {
        for q in &r.queries {
            println!(
                "| {} | {} `{}` | {} | {:.2} | {:.1} | {:.2} | {:.2} | {} |",
                r.passages,
                q.class,
                q.query,
                q.logis_hits,
                q.logis_warm_ms,
                q.logis_command_ms,
                q.tantivy_default_ms,
                q.fts5_ms,
                match (ripgrep, q.ripgrep_ms) {
                    (true, Some(ms)) => format!("{ms:.1}"),
                    _ => "n/a".to_string(),
                }
            );
        }
    }
}
