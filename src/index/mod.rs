//! The on-disk index: opening it (with a version check), creating it, and
//! writing articles into it as passages.

pub mod check;
pub mod directory;
mod failure;
pub mod schema;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::LogMergePolicy;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Directory, Index, IndexSettings, IndexWriter, TantivyDocument, TantivyError, Term};

use crate::analysis::{
    self, field_tokens, Analyzer, StemCache, TermForm, TokenCache, ANALYZER_VERSION,
};
use crate::corpus::{self, passages, Article, Item};
use crate::error::{Error, Result};
use crate::extract::organisations::ORGANISATIONS;
use crate::extract::places::{embedded_data, Places};
use crate::extract::{word_ranges, ExtraGazetteers, Extractor, PRODUCTS, PROGRAMMES};
use crate::facets::{Commune, FacetField, Facets};
use directory::ReadOnlyDirectory;
use failure::{guard, indexing_error, missing_index, opening_error, tantivy_error};
pub use schema::{Fields, SCHEMA_VERSION};

/// The default writer memory budget, in megabytes.
pub const DEFAULT_MEMORY_MB: usize = 256;

/// Largest segment (in passages) that merges produce.
const MAX_MERGED_PASSAGES: usize = 250_000;

/// zstd level of the doc store: fast to write, a third of the text.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;

/// Bytes per compressed doc store block (tantivy's default is 16 KiB):
/// an article's passages, which repeat its title, land in one block.
const DOCSTORE_BLOCK_BYTES: usize = 128 * 1024;

/// A logis index, opened with its analyzers registered.
pub struct LogisIndex {
    pub path: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub analyzer: Analyzer,
}

/// What a commit records about the code that wrote the index.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    logis_schema: u32,
    logis_analyzer: u32,
}

impl Payload {
    fn current() -> Payload {
        Payload {
            logis_schema: SCHEMA_VERSION,
            logis_analyzer: ANALYZER_VERSION,
        }
    }

    fn describe(&self) -> String {
        format!(
            "schema v{}, analyzer v{}",
            self.logis_schema, self.logis_analyzer
        )
    }
}

/// The article record stored with passage 0: what `logis docs` lists.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleRecord {
    pub doc: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub year: Option<i64>,
    /// The year was inferred from the text, not given by a date.
    #[serde(default)]
    pub year_inferred: bool,
    pub source: String,
    pub url: Option<String>,
    pub passages: u32,
    pub organisations: Vec<String>,
    pub communes: Vec<Commune>,
    #[serde(default)]
    pub departements: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    pub programmes: Vec<String>,
    pub products: Vec<String>,
}

impl LogisIndex {
    /// Whether `path` holds an index (of any version).
    pub fn exists(path: &Path) -> bool {
        path.join("meta.json").is_file()
    }

    /// Opens the index at `path` for searching, read only, refusing one
    /// written by an incompatible version of logis. A damaged index is an
    /// error, never a panic.
    pub fn open(path: &Path) -> Result<LogisIndex> {
        let path = &readable_location(path);
        if !LogisIndex::exists(path) {
            return Err(missing_index(path));
        }
        guard(path, "opening the index", || {
            let directory = ReadOnlyDirectory::open(path).map_err(|e| opening_error(path, e))?;
            LogisIndex::open_directory(path, directory)
        })
    }

    /// Opens the index at `path` for writing (the caller holds the
    /// [`WriterLock`]).
    fn open_writable(path: &Path) -> Result<LogisIndex> {
        guard(path, "opening the index", || {
            let directory = MmapDirectory::open(path).map_err(|e| opening_error(path, e.into()))?;
            LogisIndex::open_directory(path, directory)
        })
    }

    fn open_directory(path: &Path, directory: impl Directory) -> Result<LogisIndex> {
        let index = Index::open(directory).map_err(|e| opening_error(path, e))?;
        let found = index
            .load_metas()
            .map_err(|e| opening_error(path, e))?
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        let incompatible = |found: String| Error::IncompatibleIndex {
            path: path.to_path_buf(),
            found,
            expected: Payload::current().describe(),
        };
        match found {
            Some(payload) if payload == Payload::current() => {}
            Some(payload) => return Err(incompatible(payload.describe())),
            None => return Err(incompatible("no logis version recorded".to_string())),
        }
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| incompatible("unknown schema".to_string()))?;
        Ok(LogisIndex::with_analyzers(path, index, fields))
    }

    /// Runs `f`, turning a panic (tantivy may panic on corrupt data) into
    /// [`Error::Damaged`].
    pub fn guard<T>(&self, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        guard(&self.path, what, f)
    }

    /// Creates an empty index in `path` (created if needed), which must not
    /// hold an index yet.
    pub fn create(path: &Path) -> Result<LogisIndex> {
        let io_error = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        fs::create_dir_all(path).map_err(io_error)?;
        let index_error = |source| tantivy_error(path, source);
        let directory = MmapDirectory::open(path).map_err(|e| index_error(e.into()))?;
        let schema = schema::build();
        let fields = Fields::from_schema(&schema).ok_or_else(|| {
            index_error(TantivyError::SchemaError("logis schema incomplete".into()))
        })?;
        // Stored passages are most of an index: zstd on large blocks keeps
        // it smaller than the text it holds, and decompresses one block per
        // hit shown.
        let settings = IndexSettings {
            docstore_compression: Compressor::Zstd(ZstdCompressor {
                compression_level: Some(DOCSTORE_ZSTD_LEVEL),
            }),
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            ..IndexSettings::default()
        };
        let index = Index::create(directory, schema, settings).map_err(index_error)?;
        Ok(LogisIndex::with_analyzers(path, index, fields))
    }

    fn with_analyzers(path: &Path, index: Index, fields: Fields) -> LogisIndex {
        let analyzer = Analyzer::default();
        analysis::register(index.tokenizers(), &analyzer);
        LogisIndex {
            path: path.to_path_buf(),
            index,
            fields,
            analyzer,
        }
    }

    /// Wraps a tantivy error with the index path; damaged data, missing
    /// files and a full disk say so.
    pub fn error(&self, source: TantivyError) -> Error {
        tantivy_error(&self.path, source)
    }
}

/// Where to read the index at `path`: there, or, if a rebuild was
/// interrupted between its two renames, the previous index kept aside.
fn readable_location(path: &Path) -> PathBuf {
    let old = sibling(path, "old");
    if !LogisIndex::exists(path) && LogisIndex::exists(&old) {
        old
    } else {
        path.to_path_buf()
    }
}

/// The lock a `logis index` run holds on an index for its whole length,
/// so that two runs never write (or build aside) the same index at once.
/// It is an OS file lock on a file beside the index: released when the
/// process ends, even by a kill; the file itself may stay.
pub struct WriterLock {
    _file: fs::File,
}

impl WriterLock {
    /// Takes the lock on the index at `path`, or fails at once.
    pub fn acquire(path: &Path) -> Result<WriterLock> {
        let lock = sibling(path, "lock");
        if let Some(parent) = lock.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|source| Error::Io {
                path: lock.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Locked {
                path: path.to_path_buf(),
                lock,
            }),
            Err(fs::TryLockError::Error(source)) => Err(Error::Io { path: lock, source }),
        }
    }
}

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Build a new index from the inputs alone and swap it in when complete,
    /// instead of updating the existing one.
    pub rebuild: bool,
    /// Writer memory budget in megabytes (shared by the writer threads).
    pub memory_mb: usize,
    /// Users' gazetteer entries, merged with the built-in ones.
    pub gazetteers: ExtraGazetteers,
    /// Remove the indexed articles whose file is gone, or lies under one of
    /// the inputs but no longer holds them.
    pub prune: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            memory_mb: DEFAULT_MEMORY_MB,
            gazetteers: ExtraGazetteers::default(),
            prune: false,
        }
    }
}

/// What an indexing run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexReport {
    /// Articles written: added or updated (an id seen twice in the run
    /// counts once).
    pub articles: usize,
    /// Articles new to the index.
    pub added: usize,
    /// Articles already indexed whose content changed.
    pub updated: usize,
    /// Articles already indexed and unchanged: not written again.
    pub unchanged: usize,
    /// Articles removed by `--prune`.
    pub removed: usize,
    /// Passages written.
    pub passages: usize,
    /// Inputs skipped: unreadable, binary or too large files, bad JSON
    /// lines, empty articles.
    pub skipped: usize,
    /// Inputs read after converting their encoding (UTF-16, Windows-1252,
    /// repaired UTF-8).
    pub converted: usize,
    /// Articles whose id was already read in this run: the later one wins.
    pub duplicates: usize,
    pub seconds: f64,
    /// CPU time spent extracting facet values, summed over the workers.
    pub extraction_seconds: f64,
}

/// Indexes the articles under `inputs` into the index at `path`, creating
/// it if needed. Articles already in the index are replaced by id. Skipped
/// inputs and replaced duplicates are reported to `warn`, one line each.
pub fn index_paths(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    warn: &mut dyn FnMut(&str),
) -> Result<IndexReport> {
    index_paths_with_progress(path, inputs, options, warn, &mut |_| {})
}

/// How far an indexing run is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Bytes of article text read so far.
    pub bytes: u64,
    /// Bytes of the input files (an estimate of the end: file sizes).
    pub total_bytes: u64,
    /// Articles read so far.
    pub articles: usize,
}

/// [`index_paths`], telling `progress` how far it is after each batch.
pub fn index_paths_with_progress(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    warn: &mut dyn FnMut(&str),
    progress: &mut dyn FnMut(&Progress),
) -> Result<IndexReport> {
    index_inputs(path, inputs, options, warn, progress).map_err(|e| indexing_error(path, e))
}

fn index_inputs(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    warn: &mut dyn FnMut(&str),
    progress: &mut dyn FnMut(&Progress),
) -> Result<IndexReport> {
    let started = Instant::now();
    // Check the inputs before touching any index.
    for input in inputs {
        if fs::symlink_metadata(input).is_err() {
            return Err(Error::MissingPath {
                path: input.clone(),
            });
        }
    }
    let _lock = WriterLock::acquire(path)?;
    recover_interrupted_swap(path)?;
    let mut report = if LogisIndex::exists(path) && !options.rebuild {
        write_articles(
            &LogisIndex::open_writable(path)?,
            inputs,
            options,
            warn,
            progress,
        )?
    } else {
        // A new index is built aside and moved in only when complete, so a
        // failed run leaves no half-built index behind.
        let staging = sibling(path, "staging");
        remove_dir_if_exists(&staging)?;
        let report = LogisIndex::create(&staging)
            .and_then(|target| write_articles(&target, inputs, options, warn, progress));
        match report {
            Ok(report) => {
                swap_in(&staging, path)?;
                report
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
        }
    };
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// An article already in the index.
struct Indexed {
    digest: u64,
    file: String,
}

/// The articles of an index, by id: their digest and file, read from the
/// fast columns of their first passage.
fn indexed_articles(target: &LogisIndex) -> Result<HashMap<String, Indexed>> {
    let error = |e| target.error(e);
    let reader = target.index.reader().map_err(error)?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    let (mut id, mut file) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let passage = fast.u64("passage").map_err(error)?;
        let digest = fast.u64("digest").map_err(error)?;
        let (Some(ids), Some(files)) = (
            fast.str("doc").map_err(error)?,
            fast.str("file").map_err(error)?,
        ) else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if passage.first(doc) != Some(0) {
                continue;
            }
            schema::fast_str(&ids, doc, &mut id).map_err(|e| target.error(e.into()))?;
            schema::fast_str(&files, doc, &mut file).map_err(|e| target.error(e.into()))?;
            out.insert(
                id.clone(),
                Indexed {
                    digest: digest.first(doc).unwrap_or(0),
                    file: file.clone(),
                },
            );
        }
    }
    Ok(out)
}

/// What makes every article's index entry, besides the article: the code's
/// versions, the built-in data and the users' gazetteers. A change
/// re-indexes everything.
fn run_digest(options: &IndexOptions) -> u64 {
    let mut hash = corpus::Fnv::default();
    hash.str(&format!("{SCHEMA_VERSION}/{ANALYZER_VERSION}"));
    let built_in = [ORGANISATIONS, PRODUCTS, PROGRAMMES];
    for data in embedded_data().into_iter().chain(built_in) {
        hash.str(data);
    }
    let g = &options.gazetteers;
    for list in [&g.organisations, &g.programmes, &g.products] {
        for data in list {
            hash.str(data);
        }
        hash.str("|");
    }
    hash.0
}

/// The writer, opened on the first change only: a run that changes nothing
/// writes nothing.
struct LazyWriter<'a> {
    target: &'a LogisIndex,
    threads: usize,
    budget: usize,
    writer: Option<IndexWriter>,
}

impl LazyWriter<'_> {
    fn get(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let writer: IndexWriter = self
                .target
                .index
                .writer_with_num_threads(self.threads, self.budget)
                .map_err(|e| self.target.error(e))?;
            // Segments stop growing by merges at this size: merging two
            // huge segments costs memory in proportion to them.
            let mut policy = LogMergePolicy::default();
            policy.set_max_docs_before_merge(MAX_MERGED_PASSAGES);
            writer.set_merge_policy(Box::new(policy));
            self.writer = Some(writer);
        }
        self.writer.as_mut().ok_or_else(|| Error::Internal {
            what: "opening the index writer".to_string(),
        })
    }
}

fn write_articles(
    target: &LogisIndex,
    inputs: &[PathBuf],
    options: &IndexOptions,
    warn: &mut dyn FnMut(&str),
    progress: &mut dyn FnMut(&Progress),
) -> Result<IndexReport> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    // tantivy wants at least 15 MB per thread.
    let budget = options.memory_mb.max(15 * threads) * 1_000_000;
    let mut writer = LazyWriter {
        target,
        threads,
        budget,
        writer: None,
    };
    let indexed = indexed_articles(target)?;
    let run = run_digest(options);
    // The writer's tokenizers take the tokens the workers computed.
    let ready = Arc::new(TokenCache::default());
    analysis::register_with_ready_tokens(target.index.tokenizers(), &target.analyzer, &ready);
    // Built on the first change: an unchanged run does not pay for it.
    let extractor = std::cell::OnceCell::new();
    let mut report = IndexReport::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut last_skipped = String::new();
    let mut files = CanonicalFiles::default();
    let mut state = Progress {
        total_bytes: corpus::total_bytes(inputs),
        ..Progress::default()
    };
    // Articles are prepared (analysed, extracted, tokenized) in batches by
    // one worker per core, then handed to the writer in input order.
    let mut workers: Vec<StemCache> = vec![StemCache::default(); threads];
    let mut batch: Vec<(Article, Meta)> = Vec::with_capacity(BATCH_ARTICLES);
    let mut flush = |batch: &mut Vec<(Article, Meta)>, report: &mut IndexReport| -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let articles: Vec<&Article> = batch.iter().map(|(a, _)| a).collect();
        let metas: Vec<&Meta> = batch.iter().map(|(_, m)| m).collect();
        let extractor = extractor
            .get_or_init(|| Extractor::with_extra(target.analyzer.clone(), &options.gazetteers));
        let prepared = prepare_batch(target, extractor, &ready, &articles, &metas, &mut workers)?;
        let writer = writer.get()?;
        for ((article, _), prepared) in batch.drain(..).zip(prepared) {
            report.passages += prepared.documents.len();
            report.extraction_seconds += prepared.extraction_seconds;
            writer.delete_term(Term::from_field_text(target.fields.doc, &article.id));
            for doc in prepared.documents {
                writer.add_document(doc).map_err(|e| target.error(e))?;
            }
        }
        Ok(())
    };
    corpus::read(inputs, &mut |item| {
        match item {
            Item::Skipped { source, reason } => {
                last_skipped = format!("{source}: {reason}");
                warn(&format!("skipped {last_skipped}"));
                report.skipped += 1;
            }
            Item::Converted { source, conversion } => {
                warn(&format!("{source}: {}", conversion.describe()));
                report.converted += 1;
            }
            Item::Article(article) if article.text.trim().is_empty() => {
                last_skipped = format!("{}: no text", article.source);
                warn(&format!("skipped {last_skipped}"));
                report.skipped += 1;
            }
            Item::Article(article) => {
                state.bytes += article.text.len() as u64;
                state.articles += 1;
                let mut digest = corpus::Fnv::default();
                digest.bytes(&article.digest().to_le_bytes());
                digest.bytes(&run.to_le_bytes());
                let digest = digest.0;
                let duplicate = seen.insert(article.id.clone(), article.source.clone());
                if let Some(earlier) = &duplicate {
                    report.duplicates += 1;
                    warn(&format!(
                        "{}: id `{}` also in {earlier}: this one replaces it",
                        article.source, article.id
                    ));
                }
                match indexed.get(&article.id) {
                    Some(old) if old.digest == digest && duplicate.is_none() => {
                        report.unchanged += 1;
                    }
                    old => {
                        if duplicate.is_none() {
                            if old.is_some() {
                                report.updated += 1;
                            } else {
                                report.added += 1;
                            }
                        }
                        let file = files.get(&article.file);
                        batch.push((*article, Meta { digest, file }));
                        if batch.len() >= BATCH_ARTICLES {
                            flush(&mut batch, &mut report)?;
                            progress(&state);
                        }
                    }
                }
            }
        }
        Ok(())
    })?;
    flush(&mut batch, &mut report)?;
    progress(&state);
    report.articles = report.added + report.updated;
    if report.articles + report.unchanged == 0 {
        // Nothing read: the index stays as it was.
        let paths = inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(if report.skipped == 0 {
            Error::NoArticles { paths }
        } else {
            Error::NothingIndexed {
                paths,
                skipped: report.skipped,
                last: last_skipped,
            }
        });
    }
    if options.prune {
        let roots: Vec<PathBuf> = inputs
            .iter()
            .filter_map(|p| fs::canonicalize(p).ok())
            .collect();
        let mut gone: Vec<&String> = indexed
            .iter()
            .filter(|(id, _)| !seen.contains_key(*id))
            .filter(|(_, old)| {
                let file = Path::new(&old.file);
                old.file.is_empty() || !file.exists() || roots.iter().any(|r| file.starts_with(r))
            })
            .map(|(id, _)| id)
            .collect();
        gone.sort();
        for id in gone {
            writer
                .get()?
                .delete_term(Term::from_field_text(target.fields.doc, id));
            report.removed += 1;
        }
    }
    let Some(mut writer) = writer.writer else {
        return Ok(report);
    };
    let payload = serde_json::to_string(&Payload::current()).unwrap_or_default();
    let mut commit = writer.prepare_commit().map_err(|e| target.error(e))?;
    commit.set_payload(&payload);
    commit.commit().map_err(|e| target.error(e))?;
    writer.wait_merging_threads().map_err(|e| target.error(e))?;
    share_like_segments(&target.path);
    Ok(report)
}

/// What indexing adds to an article: its digest and its file's absolute
/// path.
struct Meta {
    digest: u64,
    file: String,
}

/// Absolute paths of article files, the last one remembered (the articles
/// of a JSON Lines file come together).
#[derive(Default)]
struct CanonicalFiles {
    last: Option<(PathBuf, String)>,
}

impl CanonicalFiles {
    fn get(&mut self, file: &Path) -> String {
        match &self.last {
            Some((path, canonical)) if path == file => canonical.clone(),
            _ => {
                let canonical = fs::canonicalize(file)
                    .unwrap_or_else(|_| file.to_path_buf())
                    .display()
                    .to_string();
                self.last = Some((file.to_path_buf(), canonical.clone()));
                canonical
            }
        }
    }
}

/// Articles prepared per batch.
const BATCH_ARTICLES: usize = 256;

/// An article ready for the writer.
struct Prepared {
    documents: Vec<TantivyDocument>,
    extraction_seconds: f64,
}

/// Prepares a batch of articles, split between the workers.
fn prepare_batch(
    target: &LogisIndex,
    extractor: &Extractor,
    ready: &TokenCache,
    batch: &[&Article],
    metas: &[&Meta],
    workers: &mut [StemCache],
) -> Result<Vec<Prepared>> {
    let chunk = batch.len().div_ceil(workers.len()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .zip(metas.chunks(chunk))
            .zip(workers.iter_mut())
            .map(|((articles, metas), stems)| {
                scope.spawn(move || {
                    let mut words = Vec::new();
                    articles
                        .iter()
                        .zip(metas)
                        .map(|(article, meta)| {
                            prepare(target, extractor, ready, article, meta, &mut words, stems)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut prepared = Vec::with_capacity(batch.len());
        for handle in handles {
            // A worker that panicked must not lose its articles silently.
            prepared.extend(handle.join().map_err(|_| Error::Internal {
                what: "preparing articles for the index".to_string(),
            })?);
        }
        Ok(prepared)
    })
}

/// Analyses an article once, extracts its facets and builds its passages'
/// documents; the tokens of the text fields, from that one analysis, are
/// left in `ready` for the writer.
fn prepare(
    target: &LogisIndex,
    extractor: &Extractor,
    ready: &TokenCache,
    article: &Article,
    meta: &Meta,
    words: &mut Vec<analysis::Word>,
    stems: &mut StemCache,
) -> Prepared {
    let passages = passages::split(&article.text);
    target.analyzer.words_into(&article.text, words);
    let extraction = Instant::now();
    let facets = extractor.extract_words(&article.text, words, &passages);
    let year = match article.year() {
        Some(year) => Some((year, false)),
        None => extractor.inferred_year(words).map(|y| (y, true)),
    };
    let extraction_seconds = extraction.elapsed().as_secs_f64();
    // The tokens of both text fields, from this one analysis, wait for the
    // writer's tokenizer.
    for (range, passage) in word_ranges(words, &passages).into_iter().zip(&passages) {
        let text = passage.text(&article.text);
        for form in [TermForm::Stemmed, TermForm::Exact] {
            let mut tokens = Vec::new();
            field_tokens(
                &target.analyzer,
                &words[range.clone()],
                passage.start,
                form,
                stems,
                &mut tokens,
            );
            ready.put(text, form, tokens);
        }
    }
    Prepared {
        documents: passage_documents(&target.fields, article, meta, &passages, facets, year),
        extraction_seconds,
    }
}

/// The tantivy documents of an article's passages.
fn passage_documents(
    fields: &Fields,
    article: &Article,
    meta: &Meta,
    passages: &[passages::Passage],
    mut facets: Vec<Facets>,
    year: Option<(i64, bool)>,
) -> Vec<TantivyDocument> {
    let (year, year_inferred) = match year {
        Some((y, inferred)) => (Some(y), inferred),
        None => (None, false),
    };
    // Values given with the article hold for all its passages; the
    // article carries the union of its passages' values.
    let mut given = article.facets.clone();
    given.complete_hierarchy();
    let mut union = Facets::default();
    for passage_facets in &mut facets {
        passage_facets.merge(&given);
        union.merge(passage_facets);
    }
    union.merge(&given);
    let day = article
        .date
        .as_deref()
        .and_then(crate::corpus::parse_day)
        .or(year.map(|y| y * 10_000))
        .unwrap_or(0);
    passages
        .iter()
        .zip(&facets)
        .map(|(passage, facets)| {
            let text = passage.text(&article.text);
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.doc, &article.id);
            doc.add_u64(fields.passage, u64::from(passage.ordinal));
            if let Some(title) = &article.title {
                doc.add_text(fields.title, title);
            }
            if let Some(heading) = &passage.heading {
                doc.add_text(fields.heading, heading);
            }
            doc.add_text(fields.text, text);
            doc.add_text(fields.text_exact, text);
            doc.add_text(fields.body, text);
            if let Some(year) = year {
                doc.add_i64(fields.year, year);
            }
            for &mentioned in &facets.years {
                doc.add_i64(fields.years, mentioned);
            }
            if let Some(date) = &article.date {
                doc.add_text(fields.date, date);
            }
            doc.add_i64(fields.day, day);
            doc.add_u64(fields.digest, meta.digest);
            doc.add_text(fields.file, &meta.file);
            add_facets(fields, facets, &mut doc);
            if passage.ordinal == 0 {
                let record = ArticleRecord {
                    doc: article.id.clone(),
                    title: article.title.clone(),
                    date: article.date.clone(),
                    year,
                    year_inferred,
                    source: article.source.clone(),
                    url: article.url.clone(),
                    passages: passages.len() as u32,
                    organisations: union.organisations.clone(),
                    communes: union.communes.clone(),
                    departements: union.departements.clone(),
                    regions: union.regions.clone(),
                    programmes: union.programmes.clone(),
                    products: union.products.clone(),
                };
                doc.add_text(
                    fields.article,
                    serde_json::to_string(&record).unwrap_or_default(),
                );
            }
            doc
        })
        .collect()
}

/// Adds facet values: display values to the value fields, and the keys a
/// filter may use (names, INSEE codes) to the key fields.
fn add_facets(fields: &Fields, facets: &Facets, doc: &mut TantivyDocument) {
    let mut add = |field: FacetField, keys: &[&str], value: &str| {
        if value.trim().is_empty() {
            return;
        }
        if let (Some(key_field), Some(value_field)) =
            (fields.facet_key(field), fields.facet_value(field))
        {
            for key in keys.iter().filter(|k| !k.trim().is_empty()) {
                doc.add_text(key_field, key);
            }
            doc.add_text(value_field, value);
        }
    };
    for org in &facets.organisations {
        add(FacetField::Organisation, &[org], org);
    }
    for commune in &facets.communes {
        add(
            FacetField::Commune,
            &[&commune.name, &commune.insee],
            &commune.to_stored(),
        );
    }
    let places = Places::get();
    for departement in &facets.departements {
        let code = places.departement_code(departement).unwrap_or_default();
        add(FacetField::Departement, &[departement, code], departement);
    }
    for region in &facets.regions {
        add(FacetField::Region, &[region], region);
    }
    for programme in &facets.programmes {
        add(FacetField::Programme, &[programme], programme);
    }
    for product in &facets.products {
        add(FacetField::Product, &[product], product);
    }
}

/// `index` → `.index.logis-staging` beside it.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".to_string());
    path.with_file_name(format!(".{name}.logis-{what}"))
}

fn remove_dir_if_exists(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Whether a file name is one of tantivy's (meta, segment files, locks).
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || name.ends_with(".lock") {
        return true;
    }
    is_segment_file(name)
}

/// A segment's file: `<32 hex digits>.<extension>`.
fn is_segment_file(name: &str) -> bool {
    match name.split_once('.') {
        Some((stem, _)) => stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// tantivy writes `meta.json` and `.managed.json` through temporary files,
/// readable by their owner only, while segment files follow the umask.
/// Giving them the segments' mode lets whoever may read the segments search
/// the index (an index shared by a team, or built by a service account).
fn share_like_segments(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    let segment_mode = entries
        .filter_map(|e| e.ok())
        .filter(|e| is_segment_file(&e.file_name().to_string_lossy()))
        .find_map(|e| e.metadata().ok())
        .map(|m| m.permissions().mode() & 0o666);
    if let Some(mode) = segment_mode {
        for name in ["meta.json", ".managed.json"] {
            // Best effort: a file that cannot be changed stays as it was.
            let _ = fs::set_permissions(path.join(name), fs::Permissions::from_mode(mode));
        }
    }
}

/// Puts back the previous index if a rebuild was killed between moving it
/// aside and moving the new one in.
fn recover_interrupted_swap(path: &Path) -> Result<()> {
    let old = sibling(path, "old");
    if !LogisIndex::exists(path) && LogisIndex::exists(&old) {
        remove_dir_if_exists(path)?;
        fs::rename(&old, path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Moves the complete index at `staging` to `path`, replacing the index
/// there if any and keeping the other files of the folder (a README).
fn swap_in(staging: &Path, path: &Path) -> Result<()> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { path: p, source }
    };
    if !path.exists() {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        return fs::rename(staging, path).map_err(io(path));
    }
    for entry in fs::read_dir(path).map_err(io(path))? {
        let entry = entry.map_err(io(path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_index_file(&name) && entry.path().is_file() {
            fs::copy(entry.path(), staging.join(&name)).map_err(io(&entry.path()))?;
        }
    }
    let old = sibling(path, "old");
    remove_dir_if_exists(&old)?;
    fs::rename(path, &old).map_err(io(path))?;
    fs::rename(staging, path).map_err(io(path))?;
    remove_dir_if_exists(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_file_names() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file(".managed.json"));
        assert!(is_index_file(".tantivy-writer.lock"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.5.del"));
        assert!(!is_index_file("README.md"));
        assert!(!is_index_file(".gitkeep"));
    }

    #[test]
    fn staging_folders_sit_beside_the_index() {
        assert_eq!(
            sibling(Path::new("a/index"), "staging"),
            Path::new("a/.index.logis-staging")
        );
    }
}
