//! `logis check`: is the index whole? tantivy trusts its files; a flipped
//! byte or a truncated file shows only when a search reaches it, sometimes
//! as a panic. The check reads everything once: `meta.json`, the versions
//! logis recorded, every segment file against the CRC32 in its footer, and
//! every stored passage.

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::index::SegmentComponent;
use tantivy::Index;

use super::blocks::Blocks;
use super::directory::ReadOnlyDirectory;
use super::failure::{guard, missing_index, opening_error, unreadable};
use super::staging::{is_segment_file, readable_location};
use super::{LogisIndex, Payload};
use crate::error::{one_line, Error, Result};

/// What `logis check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// The index checked.
    pub path: PathBuf,
    /// The versions recorded by the logis that wrote the index.
    pub version: Option<String>,
    /// Segments in `meta.json`.
    pub segments: usize,
    /// Segment files checked...
    pub files: usize,
    /// ...and their total size.
    pub bytes: u64,
    /// Passages (alive) in the index...
    pub passages: u64,
    /// ...and articles.
    pub articles: u64,
    /// One line per problem; empty when the index is whole.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether the index is whole and readable by this logis.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the index at `path`. Errors only when there is no index at all;
/// anything wrong with an index is a problem in the report.
pub fn check(path: &Path) -> Result<CheckReport> {
    let path = readable_location(path);
    let mut report = CheckReport {
        path: path.clone(),
        version: None,
        segments: 0,
        files: 0,
        bytes: 0,
        passages: 0,
        articles: 0,
        problems: Vec::new(),
    };
    if !LogisIndex::exists(&path) {
        match missing_index(&path) {
            Error::Damaged { reason, .. } => {
                report.problems.push(reason);
                return Ok(report);
            }
            other => return Err(other),
        }
    }
    let opened = guard(&path, "opening the index", || {
        let directory = ReadOnlyDirectory::open(&path).map_err(|e| opening_error(&path, e))?;
        Index::open(directory).map_err(|e| opening_error(&path, e))
    });
    let index = match opened {
        Ok(index) => index,
        Err(e) => {
            report.problems.push(reason_of(e));
            return Ok(report);
        }
    };
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => {
            report
                .problems
                .push(format!("meta.json: {}", one_line(&e.to_string())));
            return Ok(report);
        }
    };
    match Payload::of(&metas) {
        Some(payload) => {
            if !payload.compatible() {
                report.problems.push(format!(
                    "built by an incompatible version ({}, this logis needs {})",
                    payload.describe(),
                    Payload::expected()
                ));
            }
            report.version = Some(payload.describe());
        }
        None => report
            .problems
            .push("no logis version recorded in meta.json".to_string()),
    }
    report.segments = metas.segments.len();
    let present: Vec<String> = fs::read_dir(&path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| is_segment_file(name))
                .collect()
        })
        .unwrap_or_default();
    for segment in &metas.segments {
        let id = segment.id().uuid_string();
        let mut expected: Vec<PathBuf> = REQUIRED_COMPONENTS
            .iter()
            .map(|component| segment.relative_path(component.clone()))
            .collect();
        if segment.has_deletes() {
            expected.push(segment.relative_path(SegmentComponent::Delete));
        }
        for file in &expected {
            if !path.join(file).is_file() {
                report.problems.push(format!("{}: missing", file.display()));
            }
        }
        let mut own: Vec<&String> = present.iter().filter(|n| n.starts_with(&id)).collect();
        own.sort();
        for name in own {
            let file = PathBuf::from(name);
            if file.extension().is_some_and(|e| e == "del") && !expected.contains(&file) {
                continue; // an older delete file, not read
            }
            report.files += 1;
            report.bytes += fs::metadata(path.join(&file)).map(|m| m.len()).unwrap_or(0);
            let valid = guard(&path, "checksum", || {
                index
                    .directory()
                    .validate_checksum(&file)
                    .map_err(|e| Error::Damaged {
                        path: path.clone(),
                        reason: unreadable(&e),
                    })
            });
            match valid {
                Ok(true) => {}
                Ok(false) => report
                    .problems
                    .push(format!("{name}: checksum mismatch (altered or truncated)")),
                Err(e) => report.problems.push(reason_of(e)),
            }
        }
    }
    if report.is_ok() {
        if let Err(e) = read_everything(&path, &mut report) {
            report.problems.push(reason_of(e));
        }
    }
    Ok(report)
}

/// Segment files every logis segment has.
const REQUIRED_COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::Terms,
    SegmentComponent::Store,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
];

/// Opens the index as a search does and reads every stored document, and
/// the column that tells articles from passages.
fn read_everything(path: &Path, report: &mut CheckReport) -> Result<()> {
    let index = LogisIndex::open(path)?;
    index.guard("reading every passage", || {
        let reader = index.tantivy().reader().map_err(|e| index.error(e))?;
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|e| index.error(e.into()))?;
            for doc in store.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
                doc.map_err(|e| index.error(e))?;
            }
            let blocks = Blocks::of(segment).map_err(|e| index.error(e))?;
            for doc in segment.doc_ids_alive() {
                if blocks.is_article(doc) {
                    report.articles += 1;
                } else {
                    report.passages += 1;
                }
            }
        }
        Ok(())
    })
}

fn reason_of(error: Error) -> String {
    match error {
        Error::Damaged { reason, .. } => reason,
        other => one_line(&other.to_string()),
    }
}
