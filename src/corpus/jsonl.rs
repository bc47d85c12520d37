//! JSON Lines input: one article per line, `{"id", "text", "title"?,
//! "date"?, "url"?, "site"?, "author"?}` plus facet values given with the article. Read line by
//! line with a bounded buffer: a feed is never loaded whole, and a line
//! over [`MAX_ARTICLE_BYTES`] is skipped without being kept.

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::dates::{self, split_date_marker, DateSource};
use super::decode::{self, Conversion};
use super::{passages, Article, Item, Skip, Warning, MAX_ARTICLE_BYTES};
use crate::error::Result;
use crate::facets::{Area, Commune, Facets, Term};

/// One line of a JSON Lines file. Unknown fields are ignored.
#[derive(Deserialize)]
struct JsonArticle {
    id: JsonId,
    text: String,
    title: Option<String>,
    date: Option<String>,
    url: Option<String>,
    site: Option<String>,
    author: Option<String>,
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

/// A commune given by name, or as `{"name", "insee", "departement",
/// "region"}` (département and région by name or code).
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonCommune {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        insee: String,
        #[serde(default)]
        departement: String,
        #[serde(default)]
        region: String,
    },
}

/// An area given by name or code: which one is for the extractor to say.
fn area(given: String) -> Area {
    Area {
        code: String::new(),
        name: given,
    }
}

/// Reads the articles of a JSON Lines file.
pub(super) fn read(
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
                    reason: Skip::Unreadable(e),
                });
            }
            sink(Item::Converted {
                source: path.display().to_string(),
                conversion: Conversion::Utf16,
            })?;
            let text = decode::decode_utf16(&bytes).unwrap_or_default();
            return read(path, io::Cursor::new(text.into_bytes()), sink);
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
                    reason: Skip::Unreadable(e),
                })
            }
        };
        if length > MAX_ARTICLE_BYTES {
            sink(Item::Skipped {
                source: source(),
                reason: Skip::TooLarge { bytes: length },
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
        match article(line, &source()) {
            Ok((mut article, warning)) => {
                if let Some(warning) = warning {
                    sink(Item::Warning {
                        source: source(),
                        warning,
                    })?;
                }
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

/// One JSON line as an article, and what was left out of it.
fn article(line: &str, source: &str) -> Result<(Article, Option<Warning>), Skip> {
    let json: JsonArticle =
        serde_json::from_str(line).map_err(|e| Skip::InvalidArticle(e.to_string()))?;
    let id = match json.id {
        JsonId::Text(s) => s.trim().to_string(),
        JsonId::Number(n) => n.to_string(),
    };
    if id.is_empty() {
        return Err(Skip::InvalidArticle("empty `id`".to_string()));
    }
    let text = decode::clean(&json.text);
    let (marker_date, text) = split_date_marker(&text);
    let given = json
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let parsed = given.and_then(dates::parse_date);
    let warning = match (given, &parsed) {
        (Some(written), None) => Some(Warning::UnreadableDate(written.to_string())),
        _ => None,
    };
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
            JsonCommune::Full {
                name,
                insee,
                departement,
                region,
            } => Commune {
                name,
                insee,
                departement: area(departement),
                region: area(region),
            },
        })
        .collect();
    let terms = |names: Vec<String>| names.iter().map(|n| Term::named(n)).collect();
    let text_only = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut article = Article {
        id,
        title,
        date: None,
        date_source: None,
        url: text_only(json.url),
        site: text_only(json.site),
        author: text_only(json.author),
        source: source.to_string(),
        file: PathBuf::new(),
        text: text.to_string(),
        facets: Facets {
            organisations: terms(json.organisations),
            communes,
            departements: json.departements.into_iter().map(area).collect(),
            regions: json.regions.into_iter().map(area).collect(),
            programmes: terms(json.programmes),
            products: terms(json.products),
            years: Vec::new(),
        },
    };
    article.set_date(parsed.map(|d| (d, DateSource::Given)));
    article.set_date(marker_date.map(|d| (d, DateSource::Marker)));
    article.date_from_text();
    Ok((article, warning))
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
        crate::corpus::read(&[path], &mut |item| {
            match item {
                Item::Article(a) => ids.push(format!("{} {}", a.id, a.text)),
                Item::Skipped { source, reason } => notes.push(format!("{source} {reason}")),
                Item::Converted { source, conversion } => {
                    notes.push(format!("{source} {conversion}"))
                }
                Item::Warning { source, warning } => notes.push(format!("{source} {warning}")),
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
    fn json_lines_articles() {
        let a = article(
            r#"{"id": 7, "title": "T", "date": "2021-03-04T00:00:00", "text": "Du texte.", "extra": 1, "communes": ["Arras", {"name": "Senlis", "insee": "60612", "departement": "Oise"}], "products": ["PSLA"]}"#,
            "f.jsonl:1",
        )
        .unwrap()
        .0;
        assert_eq!(a.id, "7");
        assert_eq!(a.date.as_deref(), Some("2021-03-04"));
        assert_eq!(a.date_source, Some(DateSource::Given));
        assert_eq!(a.year(), Some(2021));
        assert_eq!(a.facets.communes[0].name, "Arras");
        assert_eq!(a.facets.communes[1].insee, "60612");
        assert_eq!(a.facets.communes[1].departement.name, "Oise");
        assert_eq!(a.facets.products, [Term::named("PSLA")]);
        let e = article(r#"{"id": "x"}"#, "f.jsonl:2").unwrap_err();
        assert!(e.to_string().contains("missing field `text`"), "{e}");
        assert!(article("[1, 2]", "f.jsonl:3").is_err());
        assert!(article(r#"{"id": " ", "text": "t"}"#, "f").is_err());
        // Title from the text when the JSON has none; date from the marker.
        let a = article(
            r#"{"id": "a", "text": " date 2019-05 Un titre court\n\nUn paragraphe qui suit."}"#,
            "f",
        )
        .unwrap()
        .0;
        assert_eq!(a.title.as_deref(), Some("Un titre court"));
        assert_eq!(a.year(), Some(2019));
        assert!(a.text.starts_with("Un titre"));
    }

    #[test]
    fn given_dates_in_the_forms_people_write() {
        let dated = |date: &str| {
            let line = format!(r#"{{"id": "a", "date": "{date}", "text": "Du texte."}}"#);
            let (a, warning) = article(&line, "f").unwrap();
            (a.date, warning.is_some())
        };
        assert_eq!(dated("17/03/2025"), (Some("2025-03-17".to_string()), false));
        assert_eq!(
            dated("1er février 2023"),
            (Some("2023-02-01".to_string()), false)
        );
        assert_eq!(dated("avril 2025"), (Some("2025-04".to_string()), false));
        assert_eq!(dated("2025"), (Some("2025".to_string()), false));
        // Not a date: a warning, and the article all the same.
        assert_eq!(dated("bientôt"), (None, true));
    }
}
