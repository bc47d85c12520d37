//! Relevance report: P@1, MRR@10 and nDCG@10 of logis on the judged queries
//! of `tests/fixtures/relevance.jsonl`, against baselines run on the same
//! passages: tantivy's default tokenizer (BM25, its query parser), SQLite
//! FTS5 (`unicode61 remove_diacritics 2`, BM25) and, with `--with-postgres`,
//! PostgreSQL's full-text search (a French configuration with `unaccent`,
//! `websearch_to_tsquery`, `ts_rank`; a throwaway cluster, see
//! `logis_bench::postgres`; skipped with one line when PostgreSQL is not
//! installed).
//!
//! `cargo run --release -p logis-bench --example relevance [-- --verbose] [--with-postgres]`
//!
//! The baselines see what a user would give them: the query's words and
//! phrases, with a field filter's value as plain words (`commune:Compiègne`
//! → `Compiègne`), since they know no facets. FTS5 and PostgreSQL AND the
//! words; when that finds nothing, they OR them, as an application would
//! retry (tantivy's query parser ORs them already).

#[path = "../../tests/support/judged.rs"]
mod judged;

use logis_bench::fts5_query;
use logis_bench::postgres::{self, Cluster, FrenchFts};

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

use judged::{Judged, Ranked, Scores};
use logis::corpus::{self, passages, Item};
use logis::search::{Engine, SearchRequest};
use logis::{index_paths, Event, IndexOptions, LogisIndex};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, TantivyDocument};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// A passage of the corpus, as the baselines index it.
struct Passage {
    doc: String,
    text: String,
}

fn main() -> ExitCode {
    logis_bench::report_main(run)
}

fn run() -> Result<()> {
    let mut verbose = false;
    let mut with_postgres = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--verbose" => verbose = true,
            "--with-postgres" => with_postgres = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let queries = judged::load();
    let paths = judged::corpus_paths();

    let dir = tempfile::tempdir()?;
    index_paths(dir.path(), &paths, &IndexOptions::default(), &mut |event| {
        if let Event::Skipped { source, reason } = event {
            eprintln!("warning: skipped {source}: {reason}")
        }
    })?;
    let index = LogisIndex::open(dir.path())?;
    let engine = Engine::new(&index)?;

    let passages = read_passages(&paths)?;
    let tantivy_default = TantivyDefault::new(&passages)?;
    let fts5 = Fts5::new(&passages)?;
    check_judgments(&queries, &passages)?;
    let mut names = vec![
        "logis (default: 2 passages per article)",
        "logis --per-doc 0",
        "tantivy default tokenizer",
        "SQLite FTS5 (unicode61, remove_diacritics 2)",
    ];
    let mut postgres = None;
    if with_postgres {
        match postgres::find_bin() {
            Some(bin) => {
                postgres = Some(Postgres::new(&bin, &passages)?);
                names.push("PostgreSQL (french_stem after unaccent, ts_rank)");
            }
            None => eprintln!(
                "PostgreSQL not found (no /usr/lib/postgresql/*/bin/ nor initdb, pg_ctl and psql on the PATH): skipped"
            ),
        }
    }

    let mut scores: Vec<Vec<Scores>> = vec![Vec::new(); names.len()];
    for judged in &queries {
        let mut rankings = vec![
            logis_ranking(&engine, &judged.query, 2)?,
            logis_ranking(&engine, &judged.query, 0)?,
            tantivy_default.search(&judged.query)?,
            fts5.search(&judged.query)?,
        ];
        if let Some(postgres) = postgres.as_mut() {
            rankings.push(postgres.search(&judged.query, &passages)?);
        }
        for (all, ranking) in scores.iter_mut().zip(&rankings) {
            all.push(judged::score(judged, ranking));
        }
        if verbose {
            let s: Vec<String> = scores
                .iter()
                .map(|all| {
                    let s = all[all.len() - 1];
                    format!("{:.2}/{:.2}", s.mrr_at_10, s.ndcg_at_10)
                })
                .collect();
            println!("{:<55} {:<22} {}", judged.query, judged.kind, s.join("  "));
        }
    }
    println!(
        "{} judged queries, {} passages (MRR@10/nDCG@10 per query with --verbose)\n",
        queries.len(),
        passages.len()
    );
    println!("| engine | P@1 | MRR@10 | nDCG@10 |");
    println!("| --- | --- | --- | --- |");
    for (name, all) in names.iter().zip(&scores) {
        let m = judged::mean(all);
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} |",
            m.p_at_1, m.mrr_at_10, m.ndcg_at_10
        );
    }
    Ok(())
}

/// logis with its default options, as `logis search QUERY` ranks, but at
/// most `per_doc` passages per article (0: no limit).
fn logis_ranking(engine: &Engine, query: &str, per_doc: usize) -> Result<Vec<Ranked>> {
    let mut request = SearchRequest::new(query);
    request.per_doc = per_doc;
    let results = engine.search(&request)?;
    Ok(results
        .hits
        .into_iter()
        .map(|h| Ranked {
            doc: h.doc,
            text: h.text,
        })
        .collect())
}

/// The passages logis cuts, for the baselines.
fn read_passages(paths: &[std::path::PathBuf]) -> Result<Vec<Passage>> {
    let mut out = Vec::new();
    corpus::read(paths, &mut |item| {
        if let Item::Article(article) = item {
            for p in passages::split(&article.text) {
                out.push(Passage {
                    doc: article.id.clone(),
                    text: p.text(&article.text).to_string(),
                });
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// Every judged answer names a passage that exists.
fn check_judgments(queries: &[Judged], passages: &[Passage]) -> Result<()> {
    for judged in queries {
        for answer in &judged.relevant {
            let found = passages
                .iter()
                .any(|p| p.doc == answer.doc && p.text.contains(&answer.contains));
            if !found {
                return Err(format!(
                    "query {:?}: no passage of {} contains {:?}",
                    judged.query, answer.doc, answer.contains
                )
                .into());
            }
        }
    }
    Ok(())
}

/// The query as a baseline gets it: field filters' values become words.
fn plain_query(query: &str) -> String {
    let mut out = String::new();
    for part in query.split_whitespace() {
        let word = match part.split_once(':') {
            Some((field, value)) if field.chars().all(char::is_alphabetic) => value,
            _ => part,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// tantivy with its default tokenizer and query parser.
struct TantivyDefault {
    index: Index,
    parser: QueryParser,
    doc: tantivy::schema::Field,
    text: tantivy::schema::Field,
}

impl TantivyDefault {
    fn new(passages: &[Passage]) -> Result<TantivyDefault> {
        let mut schema = Schema::builder();
        let doc = schema.add_text_field("doc", STRING | STORED);
        let text = schema.add_text_field("text", TEXT | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        for p in passages {
            writer.add_document(doc!(doc => p.doc.as_str(), text => p.text.as_str()))?;
        }
        writer.commit()?;
        let parser = QueryParser::for_index(&index, vec![text]);
        Ok(TantivyDefault {
            index,
            parser,
            doc,
            text,
        })
    }

    fn search(&self, query: &str) -> Result<Vec<Ranked>> {
        let (query, _) = self.parser.parse_query_lenient(&plain_query(query));
        let searcher = self.index.reader()?.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let mut out = Vec::new();
        for (_, address) in top {
            let d: TantivyDocument = searcher.doc(address)?;
            let get = |f| {
                d.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            out.push(Ranked {
                doc: get(self.doc),
                text: get(self.text),
            });
        }
        Ok(out)
    }
}

/// SQLite FTS5, BM25. Words are ANDed (FTS5's default); when that finds
/// nothing, ORed, as an application would retry.
struct Fts5 {
    db: rusqlite::Connection,
}

impl Fts5 {
    fn new(passages: &[Passage]) -> Result<Fts5> {
        let db = rusqlite::Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, text, \
             tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        {
            let mut insert = db.prepare("INSERT INTO p (doc, text) VALUES (?1, ?2)")?;
            for p in passages {
                insert.execute((&p.doc, &p.text))?;
            }
        }
        Ok(Fts5 { db })
    }

    fn search(&self, query: &str) -> Result<Vec<Ranked>> {
        let expressions = fts5_query::fts5_terms(&plain_query(query));
        if expressions.is_empty() {
            return Ok(Vec::new());
        }
        let mut statement = self
            .db
            .prepare("SELECT doc, text FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT 10")?;
        for joiner in [" AND ", " OR "] {
            let rows: Vec<Ranked> = statement
                .query_map([expressions.join(joiner)], |row| {
                    Ok(Ranked {
                        doc: row.get(0)?,
                        text: row.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            if !rows.is_empty() {
                return Ok(rows);
            }
        }
        Ok(Vec::new())
    }
}

/// PostgreSQL's full-text search (`logis_bench::postgres`) in a throwaway
/// cluster: the query as `websearch_to_tsquery` reads it (words ANDed,
/// "phrases"); when that finds nothing, its words and phrases ORed.
struct Postgres {
    /// First: the session ends before its server.
    fts: FrenchFts,
    _cluster: Cluster,
}

impl Postgres {
    fn new(bin: &Path, passages: &[Passage]) -> Result<Postgres> {
        let mut cluster = Cluster::start(bin, &std::env::temp_dir())?;
        eprintln!("PostgreSQL cluster {}", cluster.describe());
        let (mut fts, _) = FrenchFts::load(&mut cluster, passages.iter().map(|p| p.text.as_str()))?;
        let rows = fts.rows()?;
        if rows != passages.len() {
            return Err(format!("PostgreSQL holds {rows} passages of {}", passages.len()).into());
        }
        Ok(Postgres {
            fts,
            _cluster: cluster,
        })
    }

    fn search(&mut self, query: &str, passages: &[Passage]) -> Result<Vec<Ranked>> {
        let plain = plain_query(query);
        let mut ids = self.fts.top10(&plain)?;
        if ids.is_empty() {
            let terms = fts5_query::fts5_terms(&plain);
            if !terms.is_empty() {
                // FTS5's quoted terms are websearch_to_tsquery's phrases.
                ids = self.fts.top10(&terms.join(" or "))?;
            }
        }
        ids.iter()
            .map(|&id| {
                let p = usize::try_from(id - 1)
                    .ok()
                    .and_then(|i| passages.get(i))
                    .ok_or_else(|| format!("PostgreSQL returned id {id}, not a passage"))?;
                Ok(Ranked {
                    doc: p.doc.clone(),
                    text: p.text.clone(),
                })
            })
            .collect()
    }
}
