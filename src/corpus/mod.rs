//! Reading articles from files and folders: `.txt` and `.md` files hold one
//! article each, `.jsonl` files one article per line.

pub mod decode;
pub mod passages;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::facets::{Commune, Facets};
use decode::Conversion;

/// An article to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Stable identifier: the file stem, or the JSON `id`.
    pub id: String,
    /// The first heading-like line, or the JSON `title`.
    pub title: Option<String>,
    /// Publication date as written (`2022-07`, `2022-07-15`).
    pub date: Option<String>,
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
    /// A digest of everything indexing reads from the article: a changed
    /// digest means the article must be indexed again. Stable across
    /// versions and machines (FNV-1a, fields separated).
    pub fn digest(&self) -> u64 {
        let mut hash = Fnv::default();
        hash.str(&self.id);
        hash.str(self.title.as_deref().unwrap_or("\u{0}"));
        hash.str(self.date.as_deref().unwrap_or("\u{0}"));
        hash.str(self.url.as_deref().unwrap_or("\u{0}"));
        hash.str(&self.text);
        hash.str(&serde_json::to_string(&self.facets).unwrap_or_default());
        hash.0
    }

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
    Article(Box<Article>),
    /// The next article's text was converted on the way in (its encoding).
    Converted {
        source: String,
        conversion: Conversion,
    },
    /// An input that could not be read as an article, with the reason.
    Skipped {
        source: String,
        reason: String,
    },
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
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
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

fn read_path(
    path: &Path,
    named: bool,
    visited: &mut HashSet<PathBuf>,
    sink: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<()> {
    let skip = |sink: &mut dyn FnMut(Item) -> Result<()>, reason: String| {
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
        Err(e) => return skip(sink, format!("cannot read: {e}")),
    };
    if metadata.is_dir() {
        // Following links is fine; visiting a folder twice is not (loops).
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !visited.insert(canonical) {
            return Ok(());
        }
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => return skip(sink, format!("cannot read folder: {e}")),
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            let hidden = child
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                read_path(&child, false, visited, sink)?;
            }
        }
        return Ok(());
    }
    let Some(format) = format_of(path) else {
        if named {
            return skip(sink, "not a .txt, .md or .jsonl file".to_string());
        }
        return Ok(());
    };
    if !metadata.is_file() {
        // A FIFO or a device would block the run or never end.
        return skip(sink, "not a regular file".to_string());
    }
    if format == Format::JsonLines {
        // Read line by line: a feed may be larger than memory wants.
        return match fs::File::open(path) {
            Ok(file) => read_json_lines(path, io::BufReader::new(file), sink),
            Err(e) => skip(sink, format!("cannot read: {e}")),
        };
    }
    if metadata.len() > MAX_ARTICLE_BYTES {
        return skip(sink, too_large(metadata.len()));
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(sink, format!("cannot read: {e}")),
    };
    let decoded = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return skip(sink, reason),
    };
    if let Some(conversion) = decoded.conversion {
        sink(Item::Converted {
            source: path.display().to_string(),
            conversion,
        })?;
    }
    sink(Item::Article(Box::new(text_article(path, &decoded.text))))
}

fn too_large(bytes: u64) -> String {
    format!(
        "{:.1} MB, larger than the {} MB an article may hold",
        bytes as f64 / 1e6,
        MAX_ARTICLE_BYTES / (1024 * 1024)
    )
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

/// One line of a JSON Lines file. Unknown fields are ignored.
#[derive(Deserialize)]
struct JsonArticle {
    id: JsonId,
    text: String,
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    communes: Vec<JsonCommune>,
    #[serde(default)]
    departements: Vec<String>,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    programmes: Vec<String>,
    #[serde(default)]
    products: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonId {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonCommune {
    Name(String),
    Full(Commune),
}

fn read_json_lines(
    path: &Path,
    mut reader: impl io::BufRead,
    sink: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<()> {
    // A UTF-16 feed is decoded whole, then read as lines.
    if let Ok(head) = reader.fill_buf() {
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            let mut bytes = Vec::new();
            if let Err(e) = reader.read_to_end(&mut bytes) {
                return sink(Item::Skipped {
                    source: path.display().to_string(),
                    reason: format!("cannot read: {e}"),
                });
            }
            sink(Item::Converted {
                source: path.display().to_string(),
                conversion: Conversion::Utf16,
            })?;
            let text = decode::decode_utf16(&bytes).unwrap_or_default();
            return read_json_lines(path, io::Cursor::new(text.into_bytes()), sink);
        }
    }
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        let source = || format!("{}:{}", path.display(), number);
        let length = match read_line_bounded(&mut reader, &mut buffer, MAX_ARTICLE_BYTES) {
            Ok(0) => return Ok(()),
            Ok(length) => length,
            Err(e) => {
                return sink(Item::Skipped {
                    source: source(),
                    reason: format!("cannot read: {e}"),
                })
            }
        };
        if length > MAX_ARTICLE_BYTES {
            sink(Item::Skipped {
                source: source(),
                reason: too_large(length),
            })?;
            continue;
        }
        let repaired;
        let line = match std::str::from_utf8(&buffer) {
            Ok(line) => line,
            Err(_) => {
                let conversion;
                (repaired, conversion) = decode::repair(&buffer);
                sink(Item::Converted {
                    source: source(),
                    conversion,
                })?;
                &repaired
            }
        };
        let line = if number == 1 {
            line.strip_prefix('\u{FEFF}').unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        match json_article(line, &source()) {
            Ok(mut article) => {
                article.file = path.to_path_buf();
                sink(Item::Article(Box::new(article)))?
            }
            Err(reason) => sink(Item::Skipped {
                source: source(),
                reason,
            })?,
        }
    }
}

/// Reads one line into `buffer`, keeping at most `limit` bytes of it (the
/// rest is read and dropped). Returns the line's full length in bytes, 0 at
/// the end of the input.
fn read_line_bounded(
    reader: &mut impl io::BufRead,
    buffer: &mut Vec<u8>,
    limit: u64,
) -> io::Result<u64> {
    buffer.clear();
    let mut length = 0u64;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(length);
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(end) => (&available[..=end], true),
            None => (available, false),
        };
        let used = chunk.len();
        if length + (used as u64) <= limit {
            buffer.extend_from_slice(chunk);
        }
        length += used as u64;
        reader.consume(used);
        if done {
            return Ok(length);
        }
    }
}

fn json_article(line: &str, source: &str) -> Result<Article, String> {
    let json: JsonArticle =
        serde_json::from_str(line).map_err(|e| format!("invalid article: {e}"))?;
    let id = match json.id {
        JsonId::Text(s) => s.trim().to_string(),
        JsonId::Number(n) => n.to_string(),
    };
    if id.is_empty() {
        return Err("invalid article: empty `id`".to_string());
    }
    let text = decode::clean(&json.text);
    let (marker_date, text) = split_date_marker(&text);
    let date = json
        .date
        .map(|d| d.trim().chars().take(10).collect::<String>())
        .filter(|d| parse_year(d).is_some())
        .or(marker_date);
    let title = json
        .title
        .map(|t| decode::clean(t.trim()).into_owned())
        .filter(|t| !t.is_empty())
        .or_else(|| passages::title(text));
    let communes = json
        .communes
        .into_iter()
        .map(|c| match c {
            JsonCommune::Name(name) => Commune {
                name,
                ..Commune::default()
            },
            JsonCommune::Full(c) => c,
        })
        .collect();
    Ok(Article {
        id,
        title,
        date,
        url: json.url.filter(|u| !u.trim().is_empty()),
        source: source.to_string(),
        file: PathBuf::new(),
        text: text.to_string(),
        facets: Facets {
            organisations: json.organisations,
            communes,
            departements: json.departements,
            regions: json.regions,
            programmes: json.programmes,
            products: json.products,
            years: Vec::new(),
        },
    })
}

/// Splits a leading ` date YYYY-MM` marker (also `YYYY` or `YYYY-MM-DD`)
/// off the text: returns the date and the rest.
pub fn split_date_marker(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start();
    let Some(after) = trimmed.strip_prefix("date ") else {
        return (None, text);
    };
    let date_len = after
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(after.len());
    let date = &after[..date_len];
    if !is_date(date) {
        return (None, text);
    }
    let rest = &after[date_len..];
    // The marker is followed by one space or a line break.
    let rest = rest
        .strip_prefix(' ')
        .or_else(|| rest.strip_prefix("\r\n"))
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    (Some(date.to_string()), rest)
}

fn is_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range = |s: &str, max: u32| s.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && in_range(m, 12) && digits(d, 2) && in_range(d, 31)
        }
        _ => false,
    }
}

/// The year of a date written `YYYY`, `YYYY-MM`, `YYYY-MM-DD`...
pub fn parse_year(date: &str) -> Option<i64> {
    let year = date.get(..4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &date[4..];
    if !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    year.parse().ok()
}

/// FNV-1a, 64 bits: a hash that never changes with the Rust version.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Adds a string and a separator, so that ("ab", "c") ≠ ("a", "bc").
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.bytes(&[0xff]);
    }
}

/// A sortable day number `YYYYMMDD` of a date (`2020-10-20`); a missing
/// day or month counts as 0 (`2022-07` → 20220700), so dates sort by what
/// they say.
pub fn parse_day(date: &str) -> Option<i64> {
    let year = parse_year(date)?;
    let mut parts = date[4..].trim_start_matches('-').split('-');
    let mut part = |max: i64| -> i64 {
        parts
            .next()
            .and_then(|p| p.get(..2))
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|v| (1..=max).contains(v))
            .unwrap_or(0)
    };
    let month = part(12);
    let day = if month > 0 { part(31) } else { 0 };
    Some(year * 10_000 + month * 100 + day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_read_line_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.jsonl");
        let mut bytes = "\u{FEFF}{\"id\": \"a\", \"text\": \"Un.\"}\n"
            .as_bytes()
            .to_vec();
        bytes.extend(b"{\"id\": \"b\", \"text\": \"\xff\"}\n");
        bytes.extend("{\"id\": \"c\", \"text\": \"Trois.\"}".as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let mut ids = Vec::new();
        let mut notes = Vec::new();
        read(&[path], &mut |item| {
            match item {
                Item::Article(a) => ids.push(format!("{} {}", a.id, a.text)),
                Item::Skipped { source, reason } => notes.push(format!("{source} {reason}")),
                Item::Converted { source, conversion } => {
                    notes.push(format!("{source} {}", conversion.describe()))
                }
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(ids, ["a Un.", "b ÿ", "c Trois."]);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("feed.jsonl:2 not UTF-8: read as Windows-1252"),
            "{notes:?}"
        );
    }

    #[test]
    fn long_lines_are_measured_but_not_kept() {
        let mut input = io::Cursor::new(b"short\nmuch longer line\nend".to_vec());
        let mut buffer = Vec::new();
        assert_eq!(read_line_bounded(&mut input, &mut buffer, 8).unwrap(), 6);
        assert_eq!(buffer, b"short\n");
        assert_eq!(read_line_bounded(&mut input, &mut buffer, 8).unwrap(), 17);
        assert!(buffer.len() <= 8);
        assert_eq!(read_line_bounded(&mut input, &mut buffer, 8).unwrap(), 3);
        assert_eq!(buffer, b"end");
        assert_eq!(read_line_bounded(&mut input, &mut buffer, 8).unwrap(), 0);
    }

    #[test]
    fn days_sort_as_dates() {
        assert_eq!(parse_day("2020-10-20"), Some(20201020));
        assert_eq!(parse_day("2022-07"), Some(20220700));
        assert_eq!(parse_day("2021"), Some(20210000));
        assert_eq!(parse_day("2021-13-40"), Some(20210000));
        assert_eq!(parse_day("2020-10-20T08:00:00Z"), Some(20201020));
        assert_eq!(parse_day("hier"), None);
    }

    #[test]
    fn date_marker_is_removed() {
        let (date, text) = split_date_marker(" date 2022-07 Répondre aux objectifs");
        assert_eq!(date.as_deref(), Some("2022-07"));
        assert_eq!(text, "Répondre aux objectifs");
        let (date, text) = split_date_marker("date 2020-12-01\nLe texte");
        assert_eq!(date.as_deref(), Some("2020-12-01"));
        assert_eq!(text, "Le texte");
        // Not a marker: left alone.
        for text in [
            "date limite 2020",
            "La date 2020-07",
            " date 2020-13 x",
            "date 20-07 x",
        ] {
            assert_eq!(split_date_marker(text), (None, text));
        }
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2022-07"), Some(2022));
        assert_eq!(parse_year("2022"), Some(2022));
        assert_eq!(parse_year("2022-07-15T10:00:00Z"), Some(2022));
        assert_eq!(parse_year("20220"), None);
        assert_eq!(parse_year("juillet"), None);
    }

    #[test]
    fn json_lines_articles() {
        let a = json_article(
            r#"{"id": 7, "title": "T", "date": "2021-03-04T00:00:00", "text": "Du texte.", "extra": 1, "communes": ["Arras", {"name": "Senlis", "insee": "60612"}]}"#,
            "f.jsonl:1",
        )
        .unwrap();
        assert_eq!(a.id, "7");
        assert_eq!(a.date.as_deref(), Some("2021-03-04"));
        assert_eq!(a.year(), Some(2021));
        assert_eq!(a.facets.communes[0].name, "Arras");
        assert_eq!(a.facets.communes[1].insee, "60612");
        let e = json_article(r#"{"id": "x"}"#, "f.jsonl:2").unwrap_err();
        assert!(e.contains("missing field `text`"), "{e}");
        assert!(json_article("[1, 2]", "f.jsonl:3").is_err());
        assert!(json_article(r#"{"id": " ", "text": "t"}"#, "f").is_err());
        // Title from the text when the JSON has none; date from the marker.
        let a = json_article(
            r#"{"id": "a", "text": " date 2019-05 Un titre court\n\nUn paragraphe qui suit."}"#,
            "f",
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Un titre court"));
        assert_eq!(a.year(), Some(2019));
        assert!(a.text.starts_with("Un titre"));
    }
}
