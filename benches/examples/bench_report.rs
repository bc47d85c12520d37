//! The benchmark report behind `scripts/bench-report` and BENCHMARKS.md: in
//! one run, for each corpus size, it generates the corpus, indexes it with
//! logis (the real binary) and, on the same passages, with its peers:
//! - tantivy's default tokenizer (one stored text field);
//! - tantivy's stock French chain (simple tokenizer, lower case, ASCII
//!   folding, French Snowball stemmer: `logis_bench::french_chain`), the
//!   same field options;
//! - SQLite FTS5 (`unicode61 remove_diacritics 2`);
//! - with `--with-postgres`, PostgreSQL's full-text search (a throwaway
//!   cluster: `logis_bench::postgres` says how it runs): a French
//!   configuration with `unaccent`, a stored generated tsvector, `COPY` then
//!   a GIN index then `ANALYZE`; its columns are left out when the option is
//!   not given, and skipped with one line when PostgreSQL is not installed.
//!
//! Both tantivy indexes are written by 2 threads with 256 MB.
//! Then it runs the same queries through logis (in process, warm; the
//! search page's request, the search and the counts of every facet field,
//! warm, which no peer has an equivalent of; and the whole `logis search`
//! command), the peers (top 10 by score; tantivy also
//! counts the hits; PostgreSQL answers through a `psql` session) and
//! ripgrep. It prints tables of medians and of
//! throughput ratios to logis from the same run, and writes them as JSON.
//! logis's CPU use is its command's user + system time over its wall time
//! (cores busy on average). With `--incremental`, each logis index then
//! takes 1% of new articles, in a file beside the corpus (the run reads
//! both), and the time of that run is given beside the full build's.
//!
//! `cargo run --release -p logis-bench --example bench_report -- [--sizes 10000,100000]
//! [--dir target/bench-report] [--runs 5] [--with-postgres] [--incremental]`

use logis_bench::postgres::{self, Cluster, FrenchFts, Loaded};
use logis_bench::{french_chain, fts5_query, generator, PAGE_VALUES, REPORT_QUERIES};

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use logis::corpus::{self, passages, Item};
use logis::facets::FacetField;
use logis::index::LogisIndex;
use logis::search::{CountUnit, Engine, Filters, SearchRequest};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, TextOptions, STORED, TEXT};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[derive(Serialize, Default)]
struct SizeReport {
    passages: usize,
    articles: usize,
    text_mb: f64,
    logis_index_s: f64,
    logis_mb_per_s: f64,
    logis_peak_rss_mb: Option<f64>,
    /// CPU seconds (user + system) of the indexing command.
    logis_cpu_s: Option<f64>,
    logis_index_mb: f64,
    /// With `--incremental`: indexing the corpus grown by 1% new articles
    /// into the full index.
    #[serde(skip_serializing_if = "Option::is_none")]
    logis_incremental_s: Option<f64>,
    tantivy_default_index_s: f64,
    tantivy_default_mb_per_s: f64,
    tantivy_default_index_mb: f64,
    tantivy_french_index_s: f64,
    tantivy_french_mb_per_s: f64,
    tantivy_french_index_mb: f64,
    fts5_index_s: f64,
    fts5_index_mb: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    postgres: Option<PostgresReport>,
    queries: Vec<QueryReport>,
}

/// PostgreSQL's indexing, with `--with-postgres`.
#[derive(Serialize, Default)]
struct PostgresReport {
    #[serde(flatten)]
    loaded: Loaded,
    /// COPY + CREATE INDEX + ANALYZE.
    index_s: f64,
    mb_per_s: f64,
    /// `pg_total_relation_size('p')`: the table (texts and tsvectors) and
    /// its GIN index.
    index_mb: f64,
    /// Median `SELECT 1` through the `psql` pipe: part of each query's time.
    round_trip_ms: f64,
    /// What PostgreSQL added to the run: cluster made and started, passages
    /// loaded, queries, cluster stopped.
    added_s: f64,
}

#[derive(Serialize, Default)]
struct QueryReport {
    class: String,
    query: String,
    logis_hits: usize,
    logis_warm_ms: f64,
    /// The search page's request: the search and the counts of every facet
    /// field, warm.
    logis_page_ms: f64,
    logis_command_ms: f64,
    tantivy_default_ms: f64,
    tantivy_french_hits: usize,
    tantivy_french_ms: f64,
    fts5_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    postgres_ms: Option<f64>,
    ripgrep_ms: Option<f64>,
}

fn main() -> ExitCode {
    logis_bench::report_main(run)
}

fn run() -> Result<()> {
    let mut sizes = vec![10_000usize];
    let mut dir = PathBuf::from("target/bench-report");
    let mut runs = 5usize;
    let mut with_postgres = false;
    let mut incremental = false;
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
            "--with-postgres" => with_postgres = true,
            "--incremental" => incremental = true,
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
    let postgres_bin = if with_postgres {
        let bin = postgres::find_bin();
        if bin.is_none() {
            eprintln!(
                "PostgreSQL not found (no /usr/lib/postgresql/*/bin/ nor initdb, pg_ctl and psql on the PATH): skipped"
            );
        }
        bin
    } else {
        None
    };

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
            let (seconds, rss, cpu) = timed_command(
                Command::new(&logis_bin)
                    .arg("--index")
                    .arg(&index_dir)
                    .args(["index", "-q"])
                    .arg(&corpus_path),
            )?;
            times.push(seconds);
            report.logis_peak_rss_mb = rss.or(report.logis_peak_rss_mb);
            report.logis_cpu_s = cpu.or(report.logis_cpu_s);
        }
        report.logis_index_s = median(&mut times);
        if incremental {
            // 1% of new articles beside the corpus, in a file of their own:
            // the run reads both, skips the unchanged articles by their
            // digest and indexes the new ones.
            let grown_path = dir.join(format!("corpus-{size}-new.jsonl"));
            let mut out = std::io::BufWriter::new(fs::File::create(&grown_path)?);
            generator.write_from(size / 100, articles, &mut out)?;
            drop(out);
            let grown_dir = dir.join(format!("logis-{size}-grown"));
            let _ = fs::remove_dir_all(&grown_dir);
            copy_dir(&index_dir, &grown_dir)?;
            let (seconds, _, _) = timed_command(
                Command::new(&logis_bin)
                    .arg("--index")
                    .arg(&grown_dir)
                    .args(["index", "-q"])
                    .arg(&corpus_path)
                    .arg(&grown_path),
            )?;
            report.logis_incremental_s = Some(seconds);
            let _ = fs::remove_dir_all(&grown_dir);
            let _ = fs::remove_file(&grown_path);
        }
        report.logis_mb_per_s = report.text_mb / report.logis_index_s;
        report.logis_index_mb = logis_bench::dir_bytes(&index_dir) as f64 / 1e6;

        // The same passages for the baselines.
        let texts = read_passages(&corpus_path)?;
        let tantivy_dir = dir.join(format!("tantivy-{size}"));
        let _ = fs::remove_dir_all(&tantivy_dir);
        fs::create_dir_all(&tantivy_dir)?;
        let started = Instant::now();
        let (tantivy_index, tantivy_text) =
            build_tantivy(&tantivy_dir, &texts, TEXT | STORED, None)?;
        report.tantivy_default_index_s = started.elapsed().as_secs_f64();
        report.tantivy_default_mb_per_s = report.text_mb / report.tantivy_default_index_s;
        report.tantivy_default_index_mb = logis_bench::dir_bytes(&tantivy_dir) as f64 / 1e6;

        let french_dir = dir.join(format!("tantivy-french-{size}"));
        let _ = fs::remove_dir_all(&french_dir);
        fs::create_dir_all(&french_dir)?;
        let started = Instant::now();
        let (french_index, french_text) = build_tantivy(
            &french_dir,
            &texts,
            french_chain::text_options(),
            Some((french_chain::TOKENIZER, french_chain::analyzer())),
        )?;
        report.tantivy_french_index_s = started.elapsed().as_secs_f64();
        report.tantivy_french_mb_per_s = report.text_mb / report.tantivy_french_index_s;
        report.tantivy_french_index_mb = logis_bench::dir_bytes(&french_dir) as f64 / 1e6;

        let fts_path = dir.join(format!("fts5-{size}.sqlite"));
        let _ = fs::remove_file(&fts_path);
        let started = Instant::now();
        let fts = fts5(&fts_path, &texts)?;
        report.fts5_index_s = started.elapsed().as_secs_f64();
        report.fts5_index_mb = fs::metadata(&fts_path)?.len() as f64 / 1e6;

        // PostgreSQL, in a cluster of its own for this size.
        let pg_started = Instant::now();
        let mut pg = match &postgres_bin {
            Some(bin) => {
                let mut cluster = Cluster::start(bin, &dir)?;
                eprintln!("PostgreSQL cluster {}", cluster.describe());
                let (mut fts, loaded) =
                    FrenchFts::load(&mut cluster, texts.iter().map(String::as_str))?;
                report.postgres = Some(PostgresReport {
                    index_s: loaded.seconds(),
                    mb_per_s: report.text_mb / loaded.seconds(),
                    index_mb: loaded.total_bytes as f64 / 1e6,
                    loaded,
                    round_trip_ms: median_ms(runs, || Ok(fts.round_trip()?))?,
                    added_s: 0.0,
                });
                // The session first: it ends before its server.
                Some((fts, cluster))
            }
            None => None,
        };
        drop(texts);

        let index = LogisIndex::open(&index_dir)?;
        let engine = Engine::new(&index)?;
        let tantivy_reader = tantivy_index.reader()?;
        let parser = QueryParser::for_index(&tantivy_index, vec![tantivy_text]);
        let french_reader = french_index.reader()?;
        let french_parser = QueryParser::for_index(&french_index, vec![french_text]);
        for &(class, query, commune) in REPORT_QUERIES {
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
            q.logis_page_ms = median_ms(runs, || {
                engine.search(&request)?;
                engine.facet_distributions(
                    query,
                    &request.filters,
                    CountUnit::Articles,
                    PAGE_VALUES,
                )?;
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
            let (parsed, _) = french_parser.parse_query_lenient(&plain);
            let searcher = french_reader.searcher();
            q.tantivy_french_hits = searcher.search(&parsed, &Count)?;
            q.tantivy_french_ms = median_ms(runs, || {
                searcher.search(&parsed, &(TopDocs::with_limit(10).order_by_score(), Count))?;
                Ok(())
            })?;
            if let Some((fts, _)) = pg.as_mut() {
                // websearch_to_tsquery: words ANDed, "phrases" kept.
                q.postgres_ms = Some(median_ms(runs, || {
                    fts.top10(&plain)?;
                    Ok(())
                })?);
            }
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
        drop(pg.take());
        if let Some(p) = report.postgres.as_mut() {
            p.added_s = pg_started.elapsed().as_secs_f64();
        }
        reports.push(report);
    }
    print_tables(&reports, ripgrep);
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

/// A folder's files copied into a new folder (an index is flat).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Runs a command under `/usr/bin/time` when there is one: wall seconds,
/// peak resident memory in MB and CPU seconds (user + system).
fn timed_command(command: &mut Command) -> Result<(f64, Option<f64>, Option<f64>)> {
    let time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let out = if time.exists() {
        let program = command.get_program().to_owned();
        let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
        Command::new(time)
            .args(["-f", "%M %U %S"])
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    let fields: Vec<f64> = stderr
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let (rss, cpu) = match fields[..] {
        [kb, user, system] if time.exists() => (Some(kb / 1000.0), Some(user + system)),
        _ => (None, None),
    };
    Ok((seconds, rss, cpu))
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

/// tantivy with one text field of these options (the passages stored), 2
/// threads and logis's default writer budget; `tokenizer`: an analyzer the
/// options name, registered first.
fn build_tantivy(
    dir: &Path,
    texts: &[String],
    options: TextOptions,
    tokenizer: Option<(&str, TextAnalyzer)>,
) -> Result<(Index, Field)> {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", options);
    let index = Index::create_in_dir(dir, schema.build())?;
    if let Some((name, analyzer)) = tokenizer {
        index.tokenizers().register(name, analyzer);
    }
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

/// A markdown table: numbers right-aligned, the `query` column left.
fn print_markdown(header: &[&str], rows: &[Vec<String>]) {
    println!("| {} |", header.join(" | "));
    let align: Vec<&str> = header
        .iter()
        .map(|h| if *h == "query" { "---" } else { "---:" })
        .collect();
    println!("| {} |", align.join(" | "));
    for row in rows {
        println!("| {} |", row.join(" | "));
    }
}

fn print_tables(reports: &[SizeReport], ripgrep: bool) {
    let with_postgres = reports.iter().any(|r| r.postgres.is_some());
    let pg = |r: &SizeReport, f: &dyn Fn(&PostgresReport) -> String| {
        r.postgres.as_ref().map_or("n/a".to_string(), f)
    };

    println!("### Indexing\n");
    let mut header = vec![
        "passages",
        "text MB",
        "logis s",
        "logis MB/s",
        "logis peak RSS MB",
        "logis CPU use",
        "tantivy default s",
        "tantivy default MB/s",
        "tantivy default ÷ logis",
        "French chain s",
        "French chain MB/s",
        "FTS5 s",
    ];
    if with_postgres {
        header.extend(["PostgreSQL s", "PostgreSQL MB/s"]);
    }
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let mut row = vec![
                r.passages.to_string(),
                format!("{:.1}", r.text_mb),
                format!("{:.2}", r.logis_index_s),
                format!("{:.1}", r.logis_mb_per_s),
                r.logis_peak_rss_mb
                    .map_or("n/a".to_string(), |m| format!("{m:.0}")),
                r.logis_cpu_s.map_or("n/a".to_string(), |c| {
                    format!("{:.2} cores", c / r.logis_index_s)
                }),
                format!("{:.2}", r.tantivy_default_index_s),
                format!("{:.1}", r.tantivy_default_mb_per_s),
                format!("{:.2}×", r.tantivy_default_mb_per_s / r.logis_mb_per_s),
                format!("{:.2}", r.tantivy_french_index_s),
                format!("{:.1}", r.tantivy_french_mb_per_s),
                format!("{:.2}", r.fts5_index_s),
            ];
            if with_postgres {
                row.push(pg(r, &|p| format!("{:.2}", p.index_s)));
                row.push(pg(r, &|p| format!("{:.1}", p.mb_per_s)));
            }
            row
        })
        .collect();
    print_markdown(&header, &rows);
    if let [first, .., last] = reports {
        let exponent = (last.logis_index_s / first.logis_index_s).ln()
            / (last.passages as f64 / first.passages as f64).ln();
        println!(
            "\nlogis indexing time scales as passages^{exponent:.3} from {} to {} passages.",
            first.passages, last.passages
        );
    }
    for r in reports {
        if let Some(grown) = r.logis_incremental_s {
            println!(
                "\nlogis at {} passages, 1% new articles indexed into the full index: {:.2} s, {:.1}% of the full build.",
                r.passages,
                grown,
                100.0 * grown / r.logis_index_s
            );
        }
    }
    for r in reports {
        if let Some(p) = &r.postgres {
            println!(
                "\nPostgreSQL {} at {} passages: COPY {:.2} s (tsvectors computed), GIN index {:.2} s, ANALYZE {:.2} s; \
                 its query times include a psql round trip of {:.2} ms (SELECT 1); {:.1} s added to the run.",
                p.loaded.version, r.passages, p.loaded.copy_s, p.loaded.gin_s, p.loaded.analyze_s,
                p.round_trip_ms, p.added_s
            );
        }
    }

    println!("\n### Indexing against logis, and index sizes\n");
    let mut header = vec!["passages", "logis ÷ French chain", "logis ÷ FTS5"];
    if with_postgres {
        header.push("logis ÷ PostgreSQL");
    }
    header.extend([
        "logis index / text",
        "tantivy default index / text",
        "French chain index / text",
        "FTS5 file / text",
    ]);
    if with_postgres {
        header.push("PostgreSQL table + index / text");
    }
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let mut row = vec![
                r.passages.to_string(),
                format!("{:.2}×", r.tantivy_french_index_s / r.logis_index_s),
                format!("{:.2}×", r.fts5_index_s / r.logis_index_s),
            ];
            if with_postgres {
                row.push(pg(r, &|p| format!("{:.2}×", p.index_s / r.logis_index_s)));
            }
            row.extend([
                format!("{:.2}", r.logis_index_mb / r.text_mb),
                format!("{:.2}", r.tantivy_default_index_mb / r.text_mb),
                format!("{:.2}", r.tantivy_french_index_mb / r.text_mb),
                format!("{:.2}", r.fts5_index_mb / r.text_mb),
            ]);
            if with_postgres {
                row.push(pg(r, &|p| format!("{:.2}", p.index_mb / r.text_mb)));
            }
            row
        })
        .collect();
    print_markdown(&header, &rows);
    println!(
        "\n\"logis ÷ peer\": the peer's indexing seconds ÷ logis's on the same passages, \
         that is logis's throughput over the peer's (≥ 1.00: logis is faster). \
         \"tantivy default ÷ logis\" above is the other way round, as issue 5's target states it."
    );

    println!("\n### Queries (median ms)\n");
    let mut header = vec![
        "passages",
        "query",
        "hits (logis)",
        "hits (French chain)",
        "logis warm",
        "logis page",
        "logis command",
        "tantivy default",
        "French chain",
        "FTS5",
    ];
    if with_postgres {
        header.push("PostgreSQL");
    }
    header.push("ripgrep");
    let mut rows = Vec::new();
    for r in reports {
        for q in &r.queries {
            let mut row = vec![
                r.passages.to_string(),
                format!("{} `{}`", q.class, q.query),
                q.logis_hits.to_string(),
                q.tantivy_french_hits.to_string(),
                format!("{:.2}", q.logis_warm_ms),
                format!("{:.1}", q.logis_page_ms),
                format!("{:.1}", q.logis_command_ms),
                format!("{:.2}", q.tantivy_default_ms),
                format!("{:.2}", q.tantivy_french_ms),
                format!("{:.2}", q.fts5_ms),
            ];
            if with_postgres {
                row.push(
                    q.postgres_ms
                        .map_or("n/a".to_string(), |ms| format!("{ms:.2}")),
                );
            }
            row.push(match (ripgrep, q.ripgrep_ms) {
                (true, Some(ms)) => format!("{ms:.1}"),
                _ => "n/a".to_string(),
            });
            rows.push(row);
        }
    }
    print_markdown(&header, &rows);
}
