//! An indexing run: reads the inputs, skips the articles whose digest is
//! unchanged, prepares the others in batches and hands them to the writer in
//! input order, prunes what is gone when asked, and commits once at the end.
//! What happens on the way (inputs skipped or converted, ids read twice,
//! progress) is told to the caller as typed [`Event`]s.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rustc_hash::FxHashMap;
use tantivy::index::SegmentMeta;
use tantivy::indexer::{
    IndexWriterOptions, LogMergePolicy, MergeCandidate, MergePolicy, UserOperation,
};
use tantivy::{IndexWriter, Term};

use super::copies::{story_key, Signature};
use super::digest::{article_digest, from_halves, run_digest, Digest};
use super::document::Meta;
use super::failure::indexing_error;
use super::lock::WriterLock;
use super::prepare::{Preparer, Worker, BATCH_ARTICLES};
use super::schema::name;
use super::staging::{
    recover_interrupted_swap, remove_dir_if_exists, share_like_segments, sibling, swap_in,
};
use super::stories::Stories;
use super::{LogisIndex, Payload};
use crate::analysis::phrases::PhraseVocabulary;
use crate::analysis::Lexicon;
use crate::corpus::decode::Conversion;
use crate::corpus::passages::Splitter;
use crate::corpus::{Article, Inputs, Item, Selection, Skip, SkipCounts, Warning};
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::extract::{ExtraGazetteers, Extractor};

/// The default writer memory budget, in megabytes.
pub const DEFAULT_MEMORY_MB: usize = 96;

/// Largest segment (in documents) that merges produce.
const MAX_MERGED_DOCUMENTS: u32 = 250_000;

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Build a new index from the inputs alone and swap it in when complete,
    /// instead of updating the existing one.
    pub rebuild: bool,
    /// Writer memory budget in megabytes.
    pub memory_mb: usize,
    /// Users' gazetteer entries, merged with the built-in ones.
    pub gazetteers: ExtraGazetteers,
    /// The data files extraction and passages use.
    pub data: DataSet,
    /// Remove the indexed articles whose file is gone, or lies under one of
    /// the inputs but no longer holds them.
    pub prune: bool,
    /// Which files of the input folders to leave out.
    pub selection: Selection,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            memory_mb: DEFAULT_MEMORY_MB,
            gazetteers: ExtraGazetteers::default(),
            data: DataSet::built_in().clone(),
            prune: false,
            selection: Selection::default(),
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
    /// Articles removed by `prune`.
    pub removed: usize,
    /// Passages written.
    pub passages: usize,
    /// Inputs skipped: unreadable, binary or too large files, bad JSON
    /// lines, empty articles, files of other types in the folders.
    pub skipped: usize,
    /// The same, by reason.
    pub skipped_by: SkipCounts,
    /// Inputs read after converting their encoding (UTF-16, Windows-1252,
    /// repaired UTF-8).
    pub converted: usize,
    /// Articles whose id was already read in this run: the later one wins.
    pub duplicates: usize,
    /// Articles written in this run that are syndicated copies of another
    /// article (see `copies`).
    pub copies: usize,
    /// Wall time of the run.
    pub seconds: f64,
    /// CPU time spent extracting facet values, summed over the workers.
    pub extraction_seconds: f64,
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

/// What happens during an indexing run, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// An input was skipped.
    Skipped {
        /// The file (and line).
        source: &'a str,
        /// Why.
        reason: &'a Skip,
    },
    /// An input's text was converted to UTF-8.
    Converted {
        /// The file (and line).
        source: &'a str,
        /// From what.
        conversion: Conversion,
    },
    /// An article is read, but part of it was left out.
    Warning {
        /// The file (and line).
        source: &'a str,
        /// What.
        warning: &'a Warning,
    },
    /// An article's id was already read in this run: this one replaces the
    /// earlier.
    DuplicateId {
        /// Where this one was read.
        source: &'a str,
        /// The id.
        id: &'a str,
        /// Where the earlier one was read.
        earlier: &'a str,
    },
    /// A batch was handed to the writer.
    Progress(Progress),
}

/// Indexes the articles under `inputs` into the index at `path`, creating
/// it if needed: articles already in the index are replaced by id, those
/// unchanged are skipped. Tells `on_event` what happens on the way.
pub fn index_paths(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    on_event: &mut dyn FnMut(Event),
) -> Result<IndexReport> {
    index_inputs(path, inputs, options, on_event).map_err(|e| indexing_error(path, e))
}

fn index_inputs(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    on_event: &mut dyn FnMut(Event),
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
        let target = LogisIndex::open_writable(path)?;
        Run::new(&target, inputs, options, on_event).write()?
    } else {
        // A new index is built aside and moved in only when complete, so a
        // failed run leaves no half-built index behind.
        let staging = sibling(path, "staging");
        remove_dir_if_exists(&staging)?;
        let report = LogisIndex::create(&staging)
            .and_then(|target| Run::new(&target, inputs, options, on_event).write());
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
    digest: Digest,
    file: String,
}

/// The articles of an index, by id: their digest and file, read from the
/// fast columns of their article documents; and their stories.
fn indexed_articles(target: &LogisIndex) -> Result<(HashMap<String, Indexed>, Stories)> {
    let error = |e| target.error(e);
    let io_error = |e: std::io::Error| target.error(e.into());
    let reader = target.tantivy().reader().map_err(error)?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    let mut stories = Stories::default();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let offset = fast.u64(name::OFFSET).map_err(error)?;
        let low = fast.u64(name::DIGEST).map_err(error)?;
        let high = fast.u64(name::DIGEST_HIGH).map_err(error)?;
        let story_column = fast.u64(name::STORY).map_err(error)?;
        let (Some(ids), Some(files)) = (
            fast.str(name::DOC).map_err(error)?,
            fast.str(name::FILE).map_err(error)?,
        ) else {
            continue;
        };
        let signatures = fast.bytes(name::SIGNATURE).map_err(error)?;
        // Each column's values read once, in dictionary order, rather than
        // looked up document by document.
        let id_terms = all_terms(ids.dictionary()).map_err(io_error)?;
        let file_terms = all_terms(files.dictionary()).map_err(io_error)?;
        let signature_terms = match &signatures {
            Some(column) => all_terms(column.dictionary()).map_err(io_error)?,
            None => Vec::new(),
        };
        let term = |terms: &[Vec<u8>], ord: Option<u64>| -> String {
            ord.and_then(|ord| terms.get(ord as usize))
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default()
        };
        for doc in segment.doc_ids_alive() {
            if offset.first(doc) != Some(0) {
                continue;
            }
            let id = term(&id_terms, ids.term_ords(doc).next());
            let file = term(&file_terms, files.term_ords(doc).next());
            let signature = signatures
                .as_ref()
                .and_then(|column| column.term_ords(doc).next())
                .and_then(|ord| signature_terms.get(ord as usize))
                .and_then(|bytes| Signature::from_bytes(bytes));
            if let Some(signature) = signature {
                let story = story_column.first(doc).unwrap_or_else(|| story_key(&id));
                stories.add(story_key(&id), signature, story);
            }
            out.insert(
                id,
                Indexed {
                    digest: from_halves(low.first(doc).unwrap_or(0), high.first(doc).unwrap_or(0)),
                    file,
                },
            );
        }
    }
    Ok((out, stories))
}

/// The terms of a fast column's dictionary, by ordinal.
fn all_terms(dictionary: &tantivy::columnar::Dictionary) -> std::io::Result<Vec<Vec<u8>>> {
    let mut terms = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary.stream()?;
    while stream.advance() {
        terms.push(stream.key().to_vec());
    }
    Ok(terms)
}

/// The writer, opened on the first change only: a run that changes nothing
/// writes nothing.
struct LazyWriter<'a> {
    target: &'a LogisIndex,
    budget: usize,
    writer: Option<IndexWriter>,
}

impl LazyWriter<'_> {
    fn get(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            // One indexing thread and one merge thread: the articles come
            // analysed (see `prepare`), so the writer only files tokens and
            // keeps up with the workers on the other cores; one segment at
            // a time holds the whole budget, so fewer segments are written
            // and merged.
            let options = IndexWriterOptions::builder()
                .num_worker_threads(1)
                .num_merge_threads(1)
                .memory_budget_per_thread(self.budget)
                .build();
            let writer: IndexWriter = self
                .target
                .tantivy()
                .writer_with_options(options)
                .map_err(|e| self.target.error(e))?;
            writer.set_merge_policy(Box::new(BoundedMerges::default()));
            self.writer = Some(writer);
        }
        self.writer.as_mut().ok_or_else(|| Error::Internal {
            what: "opening the index writer".to_string(),
        })
    }
}

/// tantivy's log merge policy, each merge cut to at most
/// [`MAX_MERGED_DOCUMENTS`] (its smallest segments first): a merge reads
/// its segments through memory maps, which count in the process's
/// resident memory, so bounding what a merge makes bounds the memory of
/// indexing however large the corpus (the log policy alone bounds what a
/// merge takes, and merged eight segments of 250,000 documents into one of
/// two million: 530 MB of mapped files resident at 3 million passages).
#[derive(Debug)]
struct BoundedMerges(LogMergePolicy);

impl Default for BoundedMerges {
    fn default() -> Self {
        let mut policy = LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_MERGED_DOCUMENTS as usize);
        BoundedMerges(policy)
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs = |id: &tantivy::index::SegmentId| {
            segments
                .iter()
                .find(|s| s.id() == *id)
                .map_or(0, SegmentMeta::num_docs)
        };
        self.0
            .compute_merge_candidates(segments)
            .into_iter()
            .filter_map(|MergeCandidate(mut ids)| {
                ids.sort_by_key(|id| docs(id));
                let mut total = 0;
                ids.retain(|id| {
                    total += docs(id);
                    total <= MAX_MERGED_DOCUMENTS
                });
                (ids.len() > 1).then_some(MergeCandidate(ids))
            })
            .collect()
    }
}

/// One indexing run into one index: the reading side decodes the inputs
/// and decides what changed, the writing side ([`Writing`]) prepares the
/// batches it is given and hands them to the index writer, in input
/// order.
struct Run<'a> {
    target: &'a LogisIndex,
    inputs: &'a [PathBuf],
    options: &'a IndexOptions,
    on_event: &'a mut dyn for<'e> FnMut(Event<'e>),
    writing: Writing<'a>,
    report: IndexReport,
}

/// The writing side of a run.
struct Writing<'a> {
    target: &'a LogisIndex,
    options: &'a IndexOptions,
    writer: LazyWriter<'a>,
    /// Built on the first change: an unchanged run does not pay for it.
    extraction: Option<Extraction>,
    /// One per core, made with the extraction.
    workers: Vec<Worker>,
    /// How many workers prepare articles.
    threads: usize,
    /// The stories of the index, filled when the run starts.
    stories: Stories,
    /// Passages written.
    passages: usize,
    /// Articles written that are copies of another.
    copies: usize,
    /// CPU time of facet extraction, summed over the workers.
    extraction_seconds: f64,
}

/// The extraction data of a run, and the phrases known to it.
struct Extraction {
    extractor: Extractor,
    splitter: Splitter,
    phrases: Arc<PhraseVocabulary>,
}

/// The ids read in a run, by the 64-bit hash of each, with the file each
/// came from: what tells an id read twice, and which indexed articles the
/// run did not see, in a few bytes per article.
#[derive(Default)]
struct Seen {
    ids: FxHashMap<u64, u32>,
    files: Vec<String>,
}

impl Seen {
    fn key(id: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(id.as_bytes())
    }

    /// Records `id`, read from `file`; the file it was read from before,
    /// if it was.
    fn insert(&mut self, id: &str, file: &str) -> Option<&str> {
        if self.files.last().map(String::as_str) != Some(file) {
            self.files.push(file.to_string());
        }
        let now = (self.files.len() - 1) as u32;
        let before = self.ids.insert(Seen::key(id), now)?;
        self.files.get(before as usize).map(String::as_str)
    }

    fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(&Seen::key(id))
    }
}

impl<'a> Run<'a> {
    fn new(
        target: &'a LogisIndex,
        inputs: &'a [PathBuf],
        options: &'a IndexOptions,
        on_event: &'a mut dyn for<'e> FnMut(Event<'e>),
    ) -> Run<'a> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        Run {
            target,
            inputs,
            options,
            on_event,
            writing: Writing {
                target,
                options,
                writer: LazyWriter {
                    target,
                    // tantivy wants at least 15 MB.
                    budget: options.memory_mb.max(15) * 1_000_000,
                    writer: None,
                },
                extraction: None,
                workers: Vec::new(),
                threads,
                stories: Stories::default(),
                passages: 0,
                copies: 0,
                extraction_seconds: 0.0,
            },
            report: IndexReport::default(),
        }
    }

    fn write(mut self) -> Result<IndexReport> {
        let (indexed, stories) = indexed_articles(self.target)?;
        self.writing.stories = stories;
        let run = run_digest(self.options);
        let mut seen = Seen::default();
        let mut last_skipped = String::new();
        let mut files = CanonicalFiles::default();
        let inputs = Inputs::list(self.inputs, &self.options.selection)?;
        let mut progress = Progress {
            total_bytes: inputs.total_bytes(),
            ..Progress::default()
        };
        let Run {
            on_event,
            writing,
            report,
            ..
        } = &mut self;
        // Articles are prepared (analysed, extracted, tokenized) in batches
        // by one worker per core, then handed to the writer in input order.
        // (Reading the next batch on this thread while the workers prepare
        // one was measured slower on two cores: 7.10 s against 6.58 s at
        // 100,000 passages, medians of 5, more CPU in contention.)
        let mut batch: Vec<(Article, Meta)> = Vec::with_capacity(BATCH_ARTICLES);
        inputs.read(&mut |item| {
            match item {
                Item::Skipped { source, reason } => {
                    last_skipped = format!("{source}: {reason}");
                    on_event(Event::Skipped {
                        source: &source,
                        reason: &reason,
                    });
                    report.skipped += 1;
                    report.skipped_by.add(reason.kind());
                }
                Item::Warning { source, warning } => {
                    on_event(Event::Warning {
                        source: &source,
                        warning: &warning,
                    });
                }
                Item::Converted { source, conversion } => {
                    on_event(Event::Converted {
                        source: &source,
                        conversion,
                    });
                    report.converted += 1;
                }
                Item::Article(article) if article.text.trim().is_empty() => {
                    last_skipped = format!("{}: {}", article.source, Skip::NoText);
                    on_event(Event::Skipped {
                        source: &article.source,
                        reason: &Skip::NoText,
                    });
                    report.skipped += 1;
                    report.skipped_by.add(Skip::NoText.kind());
                }
                Item::Article(article) => {
                    progress.bytes += article.text.len() as u64;
                    progress.articles += 1;
                    let digest = article_digest(&article, &run);
                    let file = files.get(&article.file);
                    let duplicate = seen.insert(&article.id, &file).map(str::to_string);
                    if let Some(earlier) = &duplicate {
                        report.duplicates += 1;
                        on_event(Event::DuplicateId {
                            source: &article.source,
                            id: &article.id,
                            earlier,
                        });
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
                            let replaces = old.is_some() || duplicate.is_some();
                            batch.push((
                                *article,
                                Meta {
                                    digest,
                                    file,
                                    replaces,
                                },
                            ));
                            if batch.len() >= BATCH_ARTICLES {
                                writing.flush(std::mem::take(&mut batch))?;
                                on_event(Event::Progress(progress));
                            }
                        }
                    }
                }
            }
            Ok(())
        })?;
        writing.flush(batch)?;
        on_event(Event::Progress(progress));
        report.articles = report.added + report.updated;
        report.passages = writing.passages;
        report.copies = writing.copies;
        report.extraction_seconds = writing.extraction_seconds;
        if report.articles + report.unchanged == 0 {
            // Nothing read: the index stays as it was.
            let paths = self.inputs.to_vec();
            return Err(if self.report.skipped == 0 {
                Error::NoArticles { paths }
            } else {
                Error::NothingIndexed {
                    paths,
                    skipped: self.report.skipped,
                    last: last_skipped,
                }
            });
        }
        if self.options.prune {
            self.prune(&indexed, &seen)?;
        }
        self.commit()
    }

    /// Deletes the indexed articles not read in this run whose file is
    /// gone, or lies under one of the inputs.
    fn prune(&mut self, indexed: &HashMap<String, Indexed>, seen: &Seen) -> Result<()> {
        let roots: Vec<PathBuf> = self
            .inputs
            .iter()
            .filter_map(|p| fs::canonicalize(p).ok())
            .collect();
        let mut gone: Vec<&String> = indexed
            .iter()
            .filter(|(id, _)| !seen.contains(id))
            .filter(|(_, old)| {
                let file = Path::new(&old.file);
                old.file.is_empty() || !file.exists() || roots.iter().any(|r| file.starts_with(r))
            })
            .map(|(id, _)| id)
            .collect();
        gone.sort();
        let doc_field = self.target.fields().doc;
        for id in gone {
            self.writing
                .writer
                .get()?
                .delete_term(Term::from_field_text(doc_field, id));
            self.report.removed += 1;
        }
        Ok(())
    }

    /// Commits, with the versions that wrote the index, if anything was
    /// written.
    fn commit(mut self) -> Result<IndexReport> {
        let Some(mut writer) = self.writing.writer.writer.take() else {
            return Ok(self.report);
        };
        let target = self.target;
        let known_phrases = self.writing.known_phrases()?;
        let payload = serde_json::to_string(&Payload::current(known_phrases)).unwrap_or_default();
        let mut commit = writer.prepare_commit().map_err(|e| target.error(e))?;
        commit.set_payload(&payload);
        commit.commit().map_err(|e| target.error(e))?;
        writer.wait_merging_threads().map_err(|e| target.error(e))?;
        share_like_segments(target.path());
        Ok(self.report)
    }
}

impl Writing<'_> {
    /// The known phrases the index will have tokens for in every segment
    /// once this run commits: this run's, and of those only the ones the
    /// index had already, if it held passages (an earlier run may have
    /// known other gazetteers).
    fn known_phrases(&self) -> Result<Vec<String>> {
        let metas = self
            .target
            .tantivy()
            .load_metas()
            .map_err(|e| self.target.error(e))?;
        let before = metas.segments.iter().any(|s| s.num_docs() > 0).then(|| {
            Payload::of(&metas)
                .map(|p| p.known_phrases)
                .unwrap_or_default()
        });
        let Some(extraction) = &self.extraction else {
            return Ok(before.unwrap_or_default());
        };
        let ours = extraction.phrases.phrases();
        Ok(match before {
            None => ours.into_iter().map(str::to_string).collect(),
            Some(before) => before
                .into_iter()
                .filter(|p| extraction.phrases.is_known(p))
                .collect(),
        })
    }

    /// Prepares a batch and hands it to the writer.
    fn flush(&mut self, batch: Vec<(Article, Meta)>) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let (target, options) = (self.target, self.options);
        let extraction = self.extraction.get_or_insert_with(|| {
            let analyzer = target.analyzer();
            let extractor =
                Extractor::with_data(analyzer.clone(), &options.data, &options.gazetteers);
            let phrases = Arc::new(PhraseVocabulary::new(analyzer, extractor.phrase_aliases()));
            Extraction {
                extractor,
                splitter: Splitter::new(&options.data),
                phrases,
            }
        });
        if self.workers.is_empty() {
            self.workers = (0..self.threads)
                .map(|_| Worker::new(Lexicon::new(extraction.phrases.clone())))
                .collect();
        }
        let preparer = Preparer {
            fields: target.fields(),
            analyzer: target.analyzer(),
            extractor: &extraction.extractor,
            splitter: &extraction.splitter,
        };
        let prepared = preparer.batch(&batch, &mut self.workers)?;
        let fields = target.fields();
        let writer = self.writer.get()?;
        for ((article, meta), prepared) in batch.into_iter().zip(prepared) {
            self.passages += prepared.documents.len().saturating_sub(1);
            self.extraction_seconds += prepared.extraction_seconds;
            // The article's old block goes, and its new one is added as
            // one group: tantivy writes a group into one segment, in order,
            // and merges keep it so (see `blocks`). A new article has
            // nothing to delete: tantivy keeps every delete until the
            // commit (about 1 KB each), which grew the memory of a large
            // first indexing with the number of articles.
            let mut operations = Vec::with_capacity(prepared.documents.len() + 1);
            if meta.replaces {
                operations.push(UserOperation::Delete(Term::from_field_text(
                    fields.doc,
                    &article.id,
                )));
            }
            // Stories are told in input order: a copy joins the story of
            // the first article it copies.
            let signature_bytes = prepared.signature.as_ref().map(Signature::to_bytes);
            let story = self.stories.story_of(&article.id, prepared.signature);
            if story != story_key(&article.id) {
                self.copies += 1;
            }
            for (offset, mut doc) in prepared.documents.into_iter().enumerate() {
                // The article document heads the block.
                if offset == 0 {
                    doc.add_u64(fields.story, story);
                    if let Some(bytes) = &signature_bytes {
                        doc.add_bytes(fields.signature, bytes);
                    }
                }
                operations.push(UserOperation::Add(doc));
            }
            writer.run(operations).map_err(|e| target.error(e))?;
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use tantivy::index::SegmentId;
    use tantivy::indexer::MergePolicy;
    use tantivy::schema::Schema;
    use tantivy::Index;

    use super::{BoundedMerges, MAX_MERGED_DOCUMENTS};

    /// The promise of the merge policy: no merge makes a segment of more
    /// than the bound, however many segments of a level there are.
    #[test]
    fn merges_make_no_segment_over_the_bound() {
        let index = Index::create_in_ram(Schema::builder().build());
        let policy = BoundedMerges::default();
        for sizes in [
            vec![200_000u32; 9],
            vec![30_000; 40],
            vec![
                120_000, 90_000, 80_000, 70_000, 60_000, 50_000, 40_000, 30_000, 20_000,
            ],
        ] {
            let metas: Vec<_> = sizes
                .iter()
                .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
                .collect();
            let candidates = policy.compute_merge_candidates(&metas);
            for candidate in &candidates {
                let total: u32 = candidate
                    .0
                    .iter()
                    .map(|id| metas.iter().find(|m| m.id() == *id).unwrap().num_docs())
                    .sum();
                assert!(
                    total <= MAX_MERGED_DOCUMENTS,
                    "{sizes:?}: a merge of {total}"
                );
                assert!(candidate.0.len() > 1);
            }
            if sizes[0] == 30_000 {
                assert!(!candidates.is_empty(), "small segments still merge");
            }
        }
    }
}
