//! Reading articles from files and folders: `.txt` and `.md` files hold one
//! article each (`decode` makes clean text of their bytes), `.jsonl` files
//! one article per line (`jsonl`). `passages` cuts an article into the
//! passages search returns.

pub mod dates;
pub mod decode;
mod jsonl;
pub mod passages;

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::facets::Facets;
use decode::Conversion;

pub use dates::{parse_day, parse_year, split_date_marker};

/// An article to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Stable identifier: the file stem, or the JSON `id`.
    pub id: String,
    /// The first heading-like line, or the JSON `title`.
    pub title: Option<String>,
    /// Publication date as written (`2022-07`, `2022-07-15`).
    pub date: Option<String>,
    /// Where the article was published, when given.
    pub url: Option<String>,
    /// Where the article was read: a path, with `:line` for JSON Lines.
    pub source: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// The body, without the leading date marker.
    pub text: String,
    /// Facet values given with the article (JSON Lines only).
    pub facets: Facets,
}

impl Article {
    /// Publication year, from the date.
    pub fn year(&self) -> Option<i64> {
        self.date.as_deref().and_then(parse_year)
    }
}

/// Largest article logis reads, in bytes of text: a `.txt`/`.md` file or a
/// JSON line. Bigger inputs are skipped with a warning: they are dumps, not
/// news articles, and would make passages of megabytes.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// What reading an input produced.
#[derive(Debug)]
pub enum Item {
    /// An article.
    Article(Box<Article>),
    /// The next article's text was converted on the way in (its encoding).
    Converted {
        /// The file (and line).
        source: String,
        /// How it was converted.
        conversion: Conversion,
    },
    /// An input that could not be read as an article.
    Skipped {
        /// The file (and line).
        source: String,
        /// Why.
        reason: Skip,
    },
}

/// Why an input was skipped.
#[derive(Debug)]
pub enum Skip {
    /// The file could not be read.
    Unreadable(io::Error),
    /// The folder could not be listed.
    UnreadableFolder(io::Error),
    /// A file named on the command line that is not of a format logis reads.
    NotAnArticleFile,
    /// A FIFO, socket or device: reading it would block or never end.
    NotARegularFile,
    /// Larger than [`MAX_ARTICLE_BYTES`].
    TooLarge {
        /// Its size.
        bytes: u64,
    },
    /// Binary data, not text.
    Binary,
    /// A JSON line that is not an article.
    InvalidArticle(String),
    /// An article without text.
    NoText,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Unreadable(e) => write!(f, "cannot read: {e}"),
            Skip::UnreadableFolder(e) => write!(f, "cannot read folder: {e}"),
            Skip::NotAnArticleFile => f.write_str("not a .txt, .md or .jsonl file"),
            Skip::NotARegularFile => f.write_str("not a regular file"),
            Skip::TooLarge { bytes } => write!(
                f,
                "{:.1} MB, larger than the {} MB an article may hold",
                *bytes as f64 / 1e6,
                MAX_ARTICLE_BYTES / (1024 * 1024)
            ),
            Skip::Binary => write!(f, "{}", decode::Binary),
            Skip::InvalidArticle(why) => write!(f, "invalid article: {why}"),
            Skip::NoText => f.write_str("no text"),
        }
    }
}

/// Reads every article under `paths` (files or folders, recursively, in
/// name order) and hands them to `sink` one at a time. Files that cannot be
/// read and bad JSON lines are handed over as [`Item::Skipped`]; text that
/// had to be converted to UTF-8 is announced by an [`Item::Converted`]
/// before its article.
pub fn read(paths: &[PathBuf], sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    for path in paths {
        if fs::metadata(path).is_err() && fs::symlink_metadata(path).is_err() {
            return Err(Error::MissingPath { path: path.clone() });
        }
    }
    let mut visited = HashSet::new();
    for path in paths {
        read_path(path, true, &mut visited, sink)?;
    }
    Ok(())
}

/// The size in bytes of the files [`read`] would read under `paths`: the
/// end of a progress bar.
pub fn total_bytes(paths: &[PathBuf]) -> u64 {
    fn walk(path: &Path, visited: &mut HashSet<PathBuf>) -> u64 {
        let Ok(metadata) = fs::metadata(path) else {
            return 0;
        };
        if !metadata.is_dir() {
            return if format_of(path).is_some() {
                metadata.len()
            } else {
                0
            };
        }
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !visited.insert(canonical) {
            return 0;
        }
        let Ok(entries) = fs::read_dir(path) else {
            return 0;
        };
        entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !is_hidden(p))
            .map(|p| walk(&p, visited))
            .sum()
    }
    let mut visited = HashSet::new();
    paths.iter().map(|p| walk(p, &mut visited)).sum()
}

/// What logis reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    JsonLines,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "markdown" => Some(Format::Text),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        _ => None,
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

fn read_path(
    path: &Path,
    named: bool,
    visited: &mut HashSet<PathBuf>,
    sink: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<()> {
    let skip = |sink: &mut dyn FnMut(Item) -> Result<()>, reason: Skip| {
        sink(Item::Skipped {
            source: path.display().to_string(),
            reason,
        })
    };
    let metadata = match fs::metadata(path) {
        Ok(m) => m,
        // A broken link among other files is only news if it looks like
        // an article.
        Err(_) if !named && format_of(path).is_none() => return Ok(()),
        Err(e) => return skip(sink, Skip::Unreadable(e)),
    };
    if metadata.is_dir() {
        // Following links is fine; visiting a folder twice is not (loops).
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !visited.insert(canonical) {
            return Ok(());
        }
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => return skip(sink, Skip::UnreadableFolder(e)),
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children.iter().filter(|c| !is_hidden(c)) {
            read_path(child, false, visited, sink)?;
        }
        return Ok(());
    }
    let Some(format) = format_of(path) else {
        if named {
            return skip(sink, Skip::NotAnArticleFile);
        }
        return Ok(());
    };
    if !metadata.is_file() {
        return skip(sink, Skip::NotARegularFile);
    }
    if format == Format::JsonLines {
        // Read line by line: a feed may be larger than memory wants.
        return match fs::File::open(path) {
            Ok(file) => jsonl::read(path, io::BufReader::new(file), sink),
            Err(e) => skip(sink, Skip::Unreadable(e)),
        };
    }
    if metadata.len() > MAX_ARTICLE_BYTES {
        return skip(
            sink,
            Skip::TooLarge {
                bytes: metadata.len(),
            },
        );
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(sink, Skip::Unreadable(e)),
    };
    let decoded = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(decode::Binary) => return skip(sink, Skip::Binary),
    };
    if let Some(conversion) = decoded.conversion {
        sink(Item::Converted {
            source: path.display().to_string(),
            conversion,
        })?;
    }
    sink(Item::Article(Box::new(text_article(path, &decoded.text))))
}

/// A `.txt` or `.md` file as an article.
fn text_article(path: &Path, content: &str) -> Article {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (date, text) = split_date_marker(content);
    Article {
        id,
        title: passages::title(text),
        date,
        url: None,
        source: path.display().to_string(),
        file: path.to_path_buf(),
        text: text.to_string(),
        facets: Facets::default(),
    }
}
