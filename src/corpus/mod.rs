//! Reading articles from files and folders. Each file is read by its
//! format:
//!
//! | extension                   | reader          | articles          |
//! |-----------------------------|-----------------|-------------------|
//! | `.txt`, `.md`, `.markdown`  | `decode`        | one               |
//! | `.jsonl`, `.ndjson`         | `jsonl`         | one per line      |
//! | `.html`, `.htm`, `.xhtml`   | `formats::html` | one               |
//! | `.pdf`                      | `formats::pdf`  | one               |
//! | `.docx`, `.odt`             | `formats::office` | one             |
//! | `.rss`, `.atom`, `.xml` holding a feed | `formats::feed` | one per item |
//!
//! Folders are walked in name order, without hidden files and with the
//! gitignore-style rules of a `.logisignore` in the folder or below, and the
//! `--exclude` globs of the [`Selection`]. `dates` gives each article its
//! publication date and where it came from; `passages` cuts an article into
//! the passages search returns.

pub mod dates;
pub mod decode;
pub mod formats;
mod jsonl;
pub mod passages;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::facets::Facets;
use dates::DateSource;
use decode::Conversion;
use formats::{Extracted, Unreadable};

pub use dates::{parse_day, parse_year, split_date_marker};

/// An article to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Stable identifier: the file stem, the JSON `id`, or for a feed item
    /// the feed's stem and the item's own identifier.
    pub id: String,
    /// The document's title, the first heading-like line, or the JSON
    /// `title`.
    pub title: Option<String>,
    /// Publication date, ISO (`2022`, `2022-07`, `2022-07-15`).
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Where the article was published, when known.
    pub url: Option<String>,
    /// The site or publisher, when known.
    pub site: Option<String>,
    /// The author, when the document names one.
    pub author: Option<String>,
    /// Where the article was read: a path, with `:line` for JSON Lines and
    /// `#item` for feeds.
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

    /// An article of `text` read from `path`, with the metadata its reader
    /// found; the publication date is the first of: the metadata's, a
    /// leading date marker, a byline or dateline, a date in the address.
    fn from_extracted(id: String, source: String, path: &Path, extracted: Extracted) -> Article {
        let (marker, text) = split_date_marker(&extracted.text);
        let text = text.to_string();
        let title = extracted.title.or_else(|| passages::title(&text));
        let mut article = Article {
            id,
            title,
            date: None,
            date_source: None,
            url: extracted.url,
            site: extracted.site,
            author: extracted.author,
            source,
            file: path.to_path_buf(),
            text,
            facets: Facets::default(),
        };
        let metadata = extracted.date.as_deref().and_then(dates::parse_date);
        article.set_date(metadata.map(|d| (d, DateSource::Metadata)));
        article.set_date(marker.map(|d| (d, DateSource::Marker)));
        let byline = extracted.byline.as_deref().and_then(dates::byline_date);
        article.set_date(byline.map(|d| (d, DateSource::Byline)));
        article.date_from_text();
        article
    }

    /// Sets the date, unless one is already set.
    fn set_date(&mut self, dated: Option<(String, DateSource)>) {
        if self.date.is_none() {
            if let Some((date, source)) = dated {
                self.date = Some(date);
                self.date_source = Some(source);
            }
        }
    }

    /// Dates an undated article by its byline or dateline, else by its
    /// address.
    fn date_from_text(&mut self) {
        if self.date.is_some() {
            return;
        }
        let byline = dates::byline_date(&self.text).map(|d| (d, DateSource::Byline));
        self.set_date(byline);
        let url = self
            .url
            .as_deref()
            .and_then(dates::url_date)
            .map(|d| (d, DateSource::Url));
        self.set_date(url);
    }
}

/// Largest article logis reads, in bytes of text: a `.txt`/`.md` file, a
/// JSON line, or the text extracted from a document. Bigger inputs are
/// skipped with a warning: they are dumps, not news articles, and would make
/// passages of megabytes.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// Largest document file (web page, PDF, Word file, feed) logis opens:
/// their bytes hold markup, fonts and images besides the text.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

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
    /// The next article is read, but part of it was not understood.
    Warning {
        /// The file (and line).
        source: String,
        /// What.
        warning: Warning,
    },
}

/// Something in an article that was left out, the article being read all
/// the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A given date in a form logis does not read: the article has no date
    /// unless its text gives one.
    UnreadableDate(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnreadableDate(written) => write!(
                f,
                "date {written:?} not understood (write 2025-03-17, 17/03/2025 or 17 mars 2025): left out"
            ),
        }
    }
}

/// Why an input was skipped.
#[derive(Debug)]
pub enum Skip {
    /// The file could not be read.
    Unreadable(io::Error),
    /// The folder could not be listed.
    UnreadableFolder(String),
    /// A file of a format logis does not read. Inside folders these are
    /// counted but not told one by one.
    Unsupported {
        /// Its extension, lower-case, if it has one.
        extension: Option<String>,
        /// Whether it was named as an input (not found in a folder).
        named: bool,
    },
    /// A FIFO, socket or device: reading it would block or never end.
    NotARegularFile,
    /// Larger than [`MAX_ARTICLE_BYTES`] (text) or [`MAX_DOCUMENT_BYTES`].
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
    /// A document its format's reader could not read.
    Document(Unreadable),
}

/// The reasons for skipping an input, as the summary of a run counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipKind {
    /// Not a format logis reads.
    Unsupported,
    /// Nothing to index: empty, or a scan without text.
    NoText,
    /// Over the size limits.
    TooLarge,
    /// Truncated, malformed, binary where text was expected, or a reader
    /// that gave up.
    Damaged,
    /// Password-protected.
    Encrypted,
    /// A JSON line that is not an article.
    Invalid,
    /// The file or folder could not be read at all.
    Unreadable,
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipKind::Unsupported => "unsupported type",
            SkipKind::NoText => "no text",
            SkipKind::TooLarge => "too large",
            SkipKind::Damaged => "damaged",
            SkipKind::Encrypted => "encrypted",
            SkipKind::Invalid => "invalid JSON line",
            SkipKind::Unreadable => "unreadable",
        })
    }
}

/// The formats logis reads, for messages.
const READ_FORMATS: &str = ".txt, .md, .jsonl, .html, .pdf, .docx, .odt, .rss, .atom";

impl Skip {
    /// How the summary counts it.
    pub fn kind(&self) -> SkipKind {
        match self {
            Skip::Unsupported { .. } => SkipKind::Unsupported,
            Skip::NoText
            | Skip::Document(Unreadable::NoText)
            | Skip::Document(Unreadable::NoTextLayer) => SkipKind::NoText,
            Skip::TooLarge { .. } | Skip::Document(Unreadable::TooLarge { .. }) => {
                SkipKind::TooLarge
            }
            Skip::Binary
            | Skip::Document(Unreadable::Damaged(_))
            | Skip::Document(Unreadable::TimedOut { .. }) => SkipKind::Damaged,
            Skip::Document(Unreadable::Encrypted) => SkipKind::Encrypted,
            Skip::InvalidArticle(_) => SkipKind::Invalid,
            Skip::Unreadable(_) | Skip::UnreadableFolder(_) | Skip::NotARegularFile => {
                SkipKind::Unreadable
            }
        }
    }

    /// Whether it is worth a line of its own: not an unsupported file met
    /// in a folder (a folder of pages holds images), which the summary
    /// counts.
    pub fn is_told(&self) -> bool {
        !matches!(self, Skip::Unsupported { named: false, .. })
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Unreadable(e) => write!(f, "cannot read: {e}"),
            Skip::UnreadableFolder(e) => write!(f, "cannot read folder: {e}"),
            Skip::Unsupported { extension, .. } => match extension {
                Some(ext) => write!(f, "unsupported type .{ext} (logis reads {READ_FORMATS})"),
                None => write!(f, "unsupported type (logis reads {READ_FORMATS})"),
            },
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
            Skip::Document(why) => write!(f, "{why}"),
        }
    }
}

/// Which files of the input folders to leave out, besides hidden files and
/// those a `.logisignore` names.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Gitignore-style globs (`notes-*`, `brouillons/`, `*.draft.md`).
    pub exclude: Vec<String>,
}

/// The name of the ignore file logis honours in input folders.
pub const IGNORE_FILE: &str = ".logisignore";

/// The files to read under a list of inputs, in order.
#[derive(Debug, Default)]
pub struct Inputs {
    entries: Vec<Entry>,
}

#[derive(Debug)]
enum Entry {
    /// A file to read, and whether it was named as an input.
    File {
        path: PathBuf,
        named: bool,
        bytes: u64,
    },
    /// Something met on the way that is not read.
    Skipped { source: String, reason: Skip },
}

impl Inputs {
    /// Lists the files under `paths` (files or folders, walked in name
    /// order). Fails when a path does not exist or a glob is malformed.
    pub fn list(paths: &[PathBuf], selection: &Selection) -> Result<Inputs> {
        for path in paths {
            if fs::metadata(path).is_err() && fs::symlink_metadata(path).is_err() {
                return Err(Error::MissingPath { path: path.clone() });
            }
        }
        let mut inputs = Inputs::default();
        let mut seen = HashSet::new();
        for path in paths {
            inputs.add(path, selection, &mut seen)?;
        }
        Ok(inputs)
    }

    fn add(
        &mut self,
        path: &Path,
        selection: &Selection,
        seen: &mut HashSet<PathBuf>,
    ) -> Result<()> {
        let root = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new(""))
        };
        let excluded = excluded_globs(root, &selection.exclude)?;
        if !path.is_dir() {
            if !excluded.matched(path, false).is_ignore() {
                self.file(path, true, seen);
            }
            return Ok(());
        }
        let walk = ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .hidden(true)
            .add_custom_ignore_filename(IGNORE_FILE)
            .follow_links(true)
            .overrides(excluded)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walk {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_dir()) {
                        continue;
                    }
                    self.file(entry.path(), false, seen);
                }
                // A link loop is not news; an unreadable folder is.
                Err(e) if is_loop(&e) => {}
                Err(e) => self.entries.push(Entry::Skipped {
                    source: error_path(&e).unwrap_or_else(|| path.display().to_string()),
                    reason: Skip::UnreadableFolder(e.to_string()),
                }),
            }
        }
        Ok(())
    }

    fn file(&mut self, path: &Path, named: bool, seen: &mut HashSet<PathBuf>) {
        // The same file reached twice (an input inside another, a link) is
        // read once.
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !seen.insert(canonical) {
            return;
        }
        let source = path.display().to_string();
        let metadata = match fs::metadata(path) {
            Ok(m) => m,
            // A broken link among other files is only news if it looks
            // like an article.
            Err(_) if !named && format_of(path).is_none() => return,
            Err(e) => {
                return self.entries.push(Entry::Skipped {
                    source,
                    reason: Skip::Unreadable(e),
                })
            }
        };
        if format_of(path).is_none() {
            return self.entries.push(Entry::Skipped {
                source,
                reason: Skip::Unsupported {
                    extension: extension(path),
                    named,
                },
            });
        }
        if !metadata.is_file() {
            return self.entries.push(Entry::Skipped {
                source,
                reason: Skip::NotARegularFile,
            });
        }
        self.entries.push(Entry::File {
            path: path.to_path_buf(),
            named,
            bytes: metadata.len(),
        });
    }

    /// The size in bytes of the files to read: the end of a progress bar.
    pub fn total_bytes(&self) -> u64 {
        self.entries
            .iter()
            .map(|e| match e {
                Entry::File { bytes, .. } => *bytes,
                Entry::Skipped { .. } => 0,
            })
            .sum()
    }

    /// Reads every article of the inputs and hands them to `sink` one at a
    /// time. Files that cannot be read and bad JSON lines are handed over
    /// as [`Item::Skipped`]; text that had to be converted to UTF-8 is
    /// announced by an [`Item::Converted`] before its article.
    pub fn read(self, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
        for entry in self.entries {
            match entry {
                Entry::File { path, named, .. } => read_file(&path, named, sink)?,
                Entry::Skipped { source, reason } => sink(Item::Skipped { source, reason })?,
            }
        }
        Ok(())
    }
}

/// Reads every article under `paths` with no exclusion but hidden files
/// and `.logisignore` rules (see [`Inputs`]).
pub fn read(paths: &[PathBuf], sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    Inputs::list(paths, &Selection::default())?.read(sink)
}

/// The `--exclude` globs as an `ignore` override matcher rooted at `root`.
fn excluded_globs(root: &Path, globs: &[String]) -> Result<ignore::overrides::Override> {
    let mut builder = ignore::overrides::OverrideBuilder::new(root);
    for glob in globs {
        builder
            .add(&format!("!{glob}"))
            .map_err(|e| Error::BadExclude {
                glob: glob.clone(),
                problem: e.to_string(),
            })?;
    }
    builder.build().map_err(|e| Error::BadExclude {
        glob: globs.join(" "),
        problem: e.to_string(),
    })
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
    }
}

fn error_path(error: &ignore::Error) -> Option<String> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// What logis reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    JsonLines,
    Html,
    Pdf,
    Docx,
    Odt,
    Feed,
    /// An `.xml` file: a feed if its root says so.
    Xml,
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

fn format_of(path: &Path) -> Option<Format> {
    match extension(path)?.as_str() {
        "txt" | "md" | "markdown" => Some(Format::Text),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "pdf" => Some(Format::Pdf),
        "docx" => Some(Format::Docx),
        "odt" => Some(Format::Odt),
        "rss" | "atom" => Some(Format::Feed),
        "xml" => Some(Format::Xml),
        _ => None,
    }
}

/// The id of a single-article file: its stem.
fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_file(path: &Path, named: bool, sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    let source = path.display().to_string();
    let skip = |sink: &mut dyn FnMut(Item) -> Result<()>, reason: Skip| {
        sink(Item::Skipped {
            source: source.clone(),
            reason,
        })
    };
    let Some(format) = format_of(path) else {
        return skip(
            sink,
            Skip::Unsupported {
                extension: extension(path),
                named,
            },
        );
    };
    if format == Format::JsonLines {
        // Read line by line: a feed may be larger than memory wants.
        return match fs::File::open(path) {
            Ok(file) => jsonl::read(path, io::BufReader::new(file), sink),
            Err(e) => skip(sink, Skip::Unreadable(e)),
        };
    }
    let limit = if format == Format::Text {
        MAX_ARTICLE_BYTES
    } else {
        MAX_DOCUMENT_BYTES
    };
    let bytes = match read_bounded(path, limit) {
        Ok(Ok(b)) => b,
        Ok(Err(bytes)) => return skip(sink, Skip::TooLarge { bytes }),
        Err(e) => return skip(sink, Skip::Unreadable(e)),
    };
    let document = |result: std::result::Result<Extracted, Unreadable>| match result {
        Ok(extracted) => Ok(Article::from_extracted(
            file_id(path),
            source.clone(),
            path,
            extracted,
        )),
        Err(why) => Err(Skip::Document(why)),
    };
    let article = match format {
        Format::Text => {
            let decoded = match decode::decode(bytes) {
                Ok(decoded) => decoded,
                Err(decode::Binary) => return skip(sink, Skip::Binary),
            };
            if let Some(conversion) = decoded.conversion {
                sink(Item::Converted {
                    source: source.clone(),
                    conversion,
                })?;
            }
            document(Ok(Extracted {
                text: decoded.text,
                ..Extracted::default()
            }))
        }
        Format::Html => document(formats::html::read(&bytes, MAX_ARTICLE_BYTES)),
        Format::Pdf => document(formats::pdf::read(&bytes, MAX_ARTICLE_BYTES)),
        Format::Docx => document(formats::office::read_docx(&bytes, MAX_ARTICLE_BYTES)),
        Format::Odt => document(formats::office::read_odt(&bytes, MAX_ARTICLE_BYTES)),
        Format::Xml if !formats::feed::looks_like_feed(&bytes) => {
            return skip(
                sink,
                Skip::Unsupported {
                    extension: Some("xml".to_string()),
                    named,
                },
            )
        }
        Format::Feed | Format::Xml => return read_feed(path, &bytes, sink),
        // Read line by line above.
        Format::JsonLines => return Ok(()),
    };
    match article {
        Ok(article) => sink(Item::Article(Box::new(article))),
        Err(reason) => skip(sink, reason),
    }
}

/// Reads a file of at most `limit` bytes: its bytes, or its size when
/// larger.
fn read_bounded(path: &Path, limit: u64) -> io::Result<std::result::Result<Vec<u8>, u64>> {
    use io::Read;
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(limit + 1);
        return Ok(Err(size));
    }
    Ok(Ok(bytes))
}

/// The articles of a feed: one per item, identified by the feed's stem and
/// the item's own id, so that reading the feed again with new items adds
/// only those.
fn read_feed(path: &Path, bytes: &[u8], sink: &mut dyn FnMut(Item) -> Result<()>) -> Result<()> {
    let items = match formats::feed::read(bytes, MAX_ARTICLE_BYTES) {
        Ok(items) => items,
        Err(why) => {
            return sink(Item::Skipped {
                source: path.display().to_string(),
                reason: Skip::Document(why),
            })
        }
    };
    let stem = file_id(path);
    for (number, item) in items.into_iter().enumerate() {
        let source = format!("{}#{}", path.display(), number + 1);
        match item {
            Ok(extracted) => {
                let key = extracted
                    .guid
                    .clone()
                    .or_else(|| extracted.url.clone())
                    .unwrap_or_else(|| (number + 1).to_string());
                let id = format!("{stem}/{}", item_key(&key));
                sink(Item::Article(Box::new(Article::from_extracted(
                    id, source, path, extracted,
                ))))?;
            }
            Err(why) => sink(Item::Skipped {
                source,
                reason: Skip::Document(why),
            })?,
        }
    }
    Ok(())
}

/// A feed item's identifier made short and readable: the last segment of
/// an address or URN when it is a plain slug, else a hash of the whole.
fn item_key(guid: &str) -> String {
    let trimmed = guid.trim().trim_end_matches('/');
    let last = trimmed
        .rsplit(['/', ':', '=', '?'])
        .next()
        .unwrap_or(trimmed);
    let slug = last.trim_end_matches(".html").trim_end_matches(".htm");
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 80
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    };
    if plain(slug) && slug.bytes().any(|b| b.is_ascii_alphabetic()) {
        slug.to_string()
    } else {
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes()))
    }
}

/// How many inputs were skipped, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipCounts(pub BTreeMap<SkipKind, usize>);

impl SkipCounts {
    /// Counts one.
    pub fn add(&mut self, kind: SkipKind) {
        *self.0.entry(kind).or_default() += 1;
    }

    /// All of them.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

impl fmt::Display for SkipCounts {
    /// `2 unsupported type, 1 damaged`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (kind, count)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{count} {kind}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(paths: &[PathBuf], selection: &Selection) -> (Vec<Article>, Vec<(String, Skip)>) {
        let (mut articles, mut skipped) = (Vec::new(), Vec::new());
        Inputs::list(paths, selection)
            .unwrap()
            .read(&mut |item| {
                match item {
                    Item::Article(a) => articles.push(*a),
                    Item::Skipped { source, reason } => skipped.push((source, reason)),
                    _ => {}
                }
                Ok(())
            })
            .unwrap();
        (articles, skipped)
    }

    #[test]
    fn folders_honour_logisignore_hidden_files_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("brouillons")).unwrap();
        fs::write(root.join("brouillons/a.txt"), "Brouillon.").unwrap();
        fs::write(root.join("SOURCES.txt"), "Sources.").unwrap();
        fs::write(root.join("notes-1.txt"), "Notes.").unwrap();
        fs::write(root.join(".cache.txt"), "Caché.").unwrap();
        fs::write(root.join("article.txt"), "Un article.").unwrap();
        fs::write(root.join("photo.png"), [0x89, b'P', b'N', b'G']).unwrap();
        fs::write(root.join(IGNORE_FILE), "brouillons/\nSOURCES.txt\n").unwrap();
        let selection = Selection {
            exclude: vec!["notes-*".to_string()],
        };
        let (articles, skipped) = read_all(&[root.to_path_buf()], &selection);
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["article"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].1.kind(), SkipKind::Unsupported);
        assert!(!skipped[0].1.is_told());
        // Without the exclusion, the notes are read.
        let (articles, _) = read_all(&[root.to_path_buf()], &Selection::default());
        assert_eq!(articles.len(), 2);
        // A malformed glob is an error, not a silent match-nothing.
        let bad = Selection {
            exclude: vec!["a[".to_string()],
        };
        assert!(matches!(
            Inputs::list(&[root.to_path_buf()], &bad),
            Err(Error::BadExclude { .. })
        ));
    }

    #[test]
    fn text_articles_are_dated_by_marker_then_byline() {
        let dir = tempfile::tempdir().unwrap();
        let marked = dir.path().join("a.txt");
        fs::write(
            &marked,
            "date 2022-07 Titre\n\nTexte publié le 3 mars 2020.",
        )
        .unwrap();
        let bylined = dir.path().join("b.txt");
        fs::write(
            &bylined,
            "Titre\n\nPublié le 19/09/2023\n\nLa loi du 6 juillet 1989.",
        )
        .unwrap();
        let undated = dir.path().join("c.txt");
        fs::write(&undated, "Titre\n\nLa loi du 6 juillet 1989 a créé l'APL.").unwrap();
        let (articles, _) = read_all(&[dir.path().to_path_buf()], &Selection::default());
        let dated: Vec<(Option<&str>, Option<DateSource>)> = articles
            .iter()
            .map(|a| (a.date.as_deref(), a.date_source))
            .collect();
        assert_eq!(
            dated,
            [
                (Some("2022-07"), Some(DateSource::Marker)),
                (Some("2023-09-19"), Some(DateSource::Byline)),
                (None, None)
            ]
        );
    }

    #[test]
    fn feed_item_keys_are_short_and_stable() {
        assert_eq!(
            item_key("https://site.fr/actu/creil-40-logements/"),
            "creil-40-logements"
        );
        assert_eq!(item_key("urn:fil:42"), item_key("urn:fil:42"));
        assert_eq!(item_key("urn:fil:42").len(), 16);
        assert_ne!(item_key("urn:fil:42"), item_key("urn:fil:43"));
    }
}
