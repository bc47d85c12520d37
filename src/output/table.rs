//! Exports for spreadsheets: CSV and TSV, one row per passage, article or
//! facet value, built from the [`super::wire`] documents so that the columns carry
//! the same fields as the JSON.
//!
//! - CSV is RFC 4180 in UTF-8 with a byte-order mark, so that Excel reads
//!   accents right and LibreOffice and Python's `csv` module read it as is
//!   (`encoding="utf-8-sig"`).
//! - TSV has no quoting: tabs and line ends inside a cell become spaces.
//! - Multi-valued fields are joined with `; `.
//! - A text cell starting with `=`, `+`, `-` or `@` gets a leading `'`:
//!   article text is untrusted, and a spreadsheet would run it as a
//!   formula.

use std::io::{self, Write};

use super::wire::{ArticleJson, CountJson, FacetsJson, HitJson};

/// A table format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Comma-separated, quoted where needed.
    Csv,
    /// Tab-separated, never quoted.
    Tsv,
}

/// Writes rows of a table, header first.
pub struct TableWriter<W: Write> {
    table: Table,
    writer: csv::Writer<W>,
}

impl<W: Write> TableWriter<W> {
    /// A writer of `header`'s columns to `out`.
    pub fn new(table: Table, mut out: W, header: &[&str]) -> io::Result<TableWriter<W>> {
        let mut builder = csv::WriterBuilder::new();
        match table {
            Table::Csv => {
                out.write_all("\u{feff}".as_bytes())?;
                builder.terminator(csv::Terminator::CRLF);
            }
            Table::Tsv => {
                builder
                    .delimiter(b'\t')
                    .quote_style(csv::QuoteStyle::Never)
                    .terminator(csv::Terminator::Any(b'\n'));
            }
        }
        let mut writer = TableWriter {
            table,
            writer: builder.from_writer(out),
        };
        writer.row(header.iter().map(|h| h.to_string()))?;
        Ok(writer)
    }

    /// Writes one row.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) -> io::Result<()> {
        let table = self.table;
        let cells = cells.into_iter().map(|c| cell(table, c));
        self.writer.write_record(cells).map_err(io::Error::other)
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A cell as written: formulas defused, TSV's separators replaced.
fn cell(table: Table, text: String) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text
    };
    match table {
        Table::Csv => text,
        Table::Tsv if text.contains(['\t', '\n', '\r']) => text.replace(['\t', '\n', '\r'], " "),
        Table::Tsv => text,
    }
}

fn join<T, F: Fn(&T) -> &str>(values: &[T], part: F) -> String {
    values.iter().map(part).collect::<Vec<_>>().join("; ")
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(T::to_string).unwrap_or_default()
}

/// The columns of a passage row.
pub const HIT_COLUMNS: [&str; 24] = [
    "doc",
    "passage",
    "score",
    "all_words",
    "title",
    "heading",
    "date",
    "date_source",
    "year",
    "url",
    "site",
    "source",
    "communes",
    "insee",
    "departements",
    "departement_codes",
    "regions",
    "region_codes",
    "organisations",
    "programmes",
    "products",
    "years",
    "snippet",
    "text",
];

/// A passage as a row of [`HIT_COLUMNS`].
pub fn hit_row(h: &HitJson) -> Vec<String> {
    vec![
        h.doc.clone(),
        h.passage.to_string(),
        format!("{:.3}", h.score),
        h.all_words.to_string(),
        opt(&h.title),
        opt(&h.heading),
        opt(&h.date),
        opt(&h.date_source),
        opt(&h.year),
        opt(&h.url),
        opt(&h.site),
        h.source.clone(),
        join(&h.communes, |c| &c.name),
        join(&h.communes, |c| &c.insee),
        join(&h.departements, |a| &a.name),
        join(&h.departements, |a| &a.code),
        join(&h.regions, |a| &a.name),
        join(&h.regions, |a| &a.code),
        join(&h.organisations, |s| s),
        join(&h.programmes, |s| s),
        join(&h.products, |s| s),
        h.years
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        h.snippet.clone(),
        h.text.clone(),
    ]
}

/// The columns of an article row.
pub const ARTICLE_COLUMNS: [&str; 18] = [
    "doc",
    "title",
    "date",
    "date_source",
    "year",
    "source",
    "url",
    "site",
    "author",
    "passages",
    "communes",
    "insee",
    "departements",
    "regions",
    "organisations",
    "programmes",
    "products",
    "about_communes",
];

/// An article as a row of [`ARTICLE_COLUMNS`].
pub fn article_row(a: &ArticleJson) -> Vec<String> {
    vec![
        a.doc.clone(),
        opt(&a.title),
        opt(&a.date),
        opt(&a.date_source),
        opt(&a.year),
        a.source.clone(),
        opt(&a.url),
        opt(&a.site),
        opt(&a.author),
        a.passages.to_string(),
        join(&a.communes, |c| &c.name),
        join(&a.communes, |c| &c.insee),
        join(&a.departements, |s| s),
        join(&a.regions, |s| s),
        join(&a.organisations, |s| s),
        join(&a.programmes, |s| s),
        join(&a.products, |s| s),
        join(&a.about.communes, |c| &c.name),
    ]
}

/// The columns of a facet value row.
pub const COUNT_COLUMNS: [&str; 12] = [
    "field",
    "value",
    "code",
    "insee",
    "departement",
    "departement_code",
    "region",
    "region_code",
    "kind",
    "articles",
    "passages",
    "selected",
];

/// A facet value as a row of [`COUNT_COLUMNS`].
pub fn count_row(facets: &FacetsJson, c: &CountJson) -> Vec<String> {
    vec![
        facets.field.clone(),
        c.value.clone(),
        opt(&c.code),
        opt(&c.insee),
        opt(&c.departement),
        opt(&c.departement_code),
        opt(&c.region),
        opt(&c.region_code),
        opt(&c.kind),
        c.articles.to_string(),
        c.passages.to_string(),
        c.selected.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(table: Table, rows: &[&[&str]]) -> String {
        let mut out = Vec::new();
        let mut writer = TableWriter::new(table, &mut out, &["a", "b"]).unwrap();
        for row in rows {
            writer.row(row.iter().map(|c| c.to_string())).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_and_marks_utf8() {
        let csv = written(Table::Csv, &[&["Saint-Étienne, Loire", "dit \"oui\"\nnon"]]);
        assert_eq!(
            csv,
            "\u{feff}a,b\r\n\"Saint-Étienne, Loire\",\"dit \"\"oui\"\"\nnon\"\r\n"
        );
    }

    #[test]
    fn tsv_has_no_quotes_and_one_line_per_row() {
        let tsv = written(Table::Tsv, &[&["un\tdeux", "trois\nquatre \"cinq\""]]);
        assert_eq!(tsv, "a\tb\nun deux\ttrois quatre \"cinq\"\n");
    }

    #[test]
    fn formulas_are_defused_numbers_are_not() {
        let csv = written(
            Table::Csv,
            &[&["=HYPERLINK(\"x\")", "-12.5"], &["@SUM", "+33 1"]],
        );
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\",-12.5"), "{csv}");
        assert!(csv.contains("'@SUM,'+33 1"), "{csv}");
    }
}
