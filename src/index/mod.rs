//! The on-disk index: opening it, with the versions that wrote it checked
//! (this file), and writing articles into it as passages. One job per file:
//!
//! - `schema`: the fields, their names and options;
//! - `blocks`: an article as a block of documents, its article's first;
//! - `lock`: one writer at a time;
//! - `ingest`: an indexing run, its options, events and report;
//! - `digest`: what decides that an article is unchanged;
//! - `prepare`: analysis and facet extraction, one worker per core;
//! - `document`: an article as tantivy documents;
//! - `staging`: a rebuild built aside and swapped in;
//! - `stories`: which story a new article joins, in bounded memory;
//! - `directory`: read-only opening for searches;
//! - `failure`: tantivy's errors and panics told in one line;
//! - `check`: `logis check`.

pub(crate) mod blocks;
pub mod check;
pub mod copies;
mod digest;
mod directory;
mod document;
mod failure;
pub mod ingest;
mod lock;
mod prepare;
pub(crate) mod schema;
mod staging;
mod stories;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Directory, Index, IndexSettings, TantivyError};

use crate::analysis::{self, Analyzer, ANALYZER_VERSION};
use crate::error::{Error, Result};
use directory::ReadOnlyDirectory;
pub use document::ArticleRecord;
use failure::{guard, missing_index, opening_error, reading_error, tantivy_error};
pub use ingest::{index_paths, Event, IndexOptions, IndexReport, Progress, DEFAULT_MEMORY_MB};
pub(crate) use schema::Fields;
pub use schema::SCHEMA_VERSION;

/// Most threads a search reads segments with.
const SEARCH_THREADS: usize = 4;

/// zstd level of the doc store: fast to write, a third of the text.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;

/// Bytes per compressed doc store block (tantivy's default is 16 KiB):
/// an article's documents land in one block, and zstd packs large blocks
/// tighter (16 KiB blocks make the store a fifth larger, 64 KiB a
/// twentieth), at the price of a block decompressed per hit shown.
const DOCSTORE_BLOCK_BYTES: usize = 128 * 1024;

/// A logis index, opened with its analyzers registered.
pub struct LogisIndex {
    path: PathBuf,
    index: Index,
    fields: Fields,
    analyzer: Analyzer,
    /// Opened for searching: every I/O error reading it is damage.
    read_only: bool,
    /// The known phrases with index tokens in every segment.
    known_phrases: HashSet<String>,
}

/// What a commit records about the code that wrote the index, and the
/// known phrases every passage of it has index tokens for (see
/// `analysis::phrases`): a query reads a phrase's token only when every
/// segment was written knowing it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    logis_schema: u32,
    logis_analyzer: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    known_phrases: Vec<String>,
}

impl Payload {
    fn current(known_phrases: Vec<String>) -> Payload {
        Payload {
            logis_schema: SCHEMA_VERSION,
            logis_analyzer: ANALYZER_VERSION,
            known_phrases,
        }
    }

    /// What this version of logis reads, described.
    fn expected() -> String {
        Payload::current(Vec::new()).describe()
    }

    /// Whether this version of logis reads the index.
    fn compatible(&self) -> bool {
        self.logis_schema == SCHEMA_VERSION && self.logis_analyzer == ANALYZER_VERSION
    }

    /// The payload of the last commit of `metas`, if it is one of logis.
    fn of(metas: &tantivy::IndexMeta) -> Option<Payload> {
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    fn describe(&self) -> String {
        format!(
            "schema v{}, analyzer v{}",
            self.logis_schema, self.logis_analyzer
        )
    }
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
        let path = &staging::readable_location(path);
        if !LogisIndex::exists(path) {
            return Err(missing_index(path));
        }
        guard(path, "opening the index", || {
            let directory = ReadOnlyDirectory::open(path).map_err(|e| opening_error(path, e))?;
            let mut index = LogisIndex::open_directory(path, directory)?;
            index.read_only = true;
            // A search reads its segments on every core: a page's counts
            // cover every matching passage.
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            if cores > 1 {
                index
                    .index
                    .set_multithread_executor(cores.min(SEARCH_THREADS))
                    .map_err(|e| opening_error(path, e))?;
            }
            Ok(index)
        })
    }

    /// Opens the index at `path` for writing (the caller holds the
    /// [`lock::WriterLock`]).
    fn open_writable(path: &Path) -> Result<LogisIndex> {
        guard(path, "opening the index", || {
            let directory = MmapDirectory::open(path).map_err(|e| opening_error(path, e.into()))?;
            LogisIndex::open_directory(path, directory)
        })
    }

    fn open_directory(path: &Path, directory: impl Directory) -> Result<LogisIndex> {
        let index = Index::open(directory).map_err(|e| opening_error(path, e))?;
        let found = Payload::of(&index.load_metas().map_err(|e| opening_error(path, e))?);
        let incompatible = |found: String| Error::IncompatibleIndex {
            path: path.to_path_buf(),
            found,
            expected: Payload::expected(),
        };
        let known_phrases = match found {
            Some(payload) if payload.compatible() => payload.known_phrases,
            Some(payload) => return Err(incompatible(payload.describe())),
            None => return Err(incompatible("no logis version recorded".to_string())),
        };
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| incompatible("unknown schema".to_string()))?;
        let mut opened = LogisIndex::with_analyzers(path, index, fields);
        opened.known_phrases = known_phrases.into_iter().collect();
        Ok(opened)
    }

    /// Creates an empty index in `path` (created if needed), which must not
    /// hold an index yet.
    fn create(path: &Path) -> Result<LogisIndex> {
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
        analysis::register(index.tokenizers());
        LogisIndex {
            path: path.to_path_buf(),
            index,
            fields,
            analyzer,
            read_only: false,
            known_phrases: HashSet::new(),
        }
    }

    /// Where the index is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tantivy index.
    pub(crate) fn tantivy(&self) -> &Index {
        &self.index
    }

    /// Handles to its fields.
    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The analyzer registered on it.
    pub(crate) fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Whether every passage has index tokens for the known phrase of
    /// `stems` (joined by spaces), in the `phrases` field.
    pub(crate) fn knows_phrase(&self, stems: &str) -> bool {
        self.known_phrases.contains(stems)
    }

    /// Runs `f`, turning a panic (tantivy may panic on corrupt data) into
    /// [`Error::Damaged`].
    pub(crate) fn guard<T>(&self, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        guard(&self.path, what, f)
    }

    /// Wraps a tantivy error with the index path; damaged data, missing
    /// files and a full disk say so.
    pub(crate) fn error(&self, source: TantivyError) -> Error {
        if self.read_only {
            reading_error(&self.path, source)
        } else {
            tantivy_error(&self.path, source)
        }
    }
}
