//! Word (`.docx`) and OpenDocument text (`.odt`) files: zip archives of XML
//! parts, read as a stream of XML events, never whole.
//!
//! Each paragraph of the body (`w:p`; `text:p`, `text:h`) becomes a block of
//! the text, headings included. A table becomes one block, a line per row
//! with its cells separated by ` | ` (`Logements PLUS | Logements PLAI`);
//! a row with a cell of several paragraphs (a table used for layout) gives
//! a line per paragraph instead. Inside a paragraph, tabs stay tabs, line breaks become line
//! ends, a non-breaking hyphen a hyphen, and a soft hyphen nothing; runs of
//! spaces are one space. Left out: deleted text of tracked changes
//! (`w:del`, `w:moveFrom`, `text:tracked-changes`), field instructions
//! (`w:instrText`), the fallback copies of drawings (`mc:Fallback`), notes
//! and comments (`text:note`, `office:annotation`), generated indexes
//! (`text:table-of-content`) and list numbers (`text:number`). Headers,
//! footers, footnotes and comments of Word files are parts of their own,
//! not read. Empty paragraphs are dropped.
//!
//! | the file                                        | outcome                     |
//! |-------------------------------------------------|-----------------------------|
//! | text in the body                                | the text and the metadata below |
//! | an OLE compound file with an `EncryptedPackage` (Office's encryption) | [`Unreadable::Encrypted`] |
//! | an encrypted zip entry, an ODF encrypted package | [`Unreadable::Encrypted`]  |
//! | another OLE file (Word 97–2003), not a zip, no main part | [`Unreadable::Damaged`] |
//! | malformed or cut XML, a broken compressed stream | [`Unreadable::Damaged`]    |
//! | a body part over 8 × the text allowed (declared or read) | [`Unreadable::TooLarge`] |
//! | more text than allowed                          | [`Unreadable::TooLarge`]    |
//! | no text                                         | [`Unreadable::NoText`]      |
//!
//! | metadata | Word (`docProps/core.xml`)           | OpenDocument (`meta.xml`)                      |
//! |----------|--------------------------------------|------------------------------------------------|
//! | title    | `dc:title`                           | `dc:title`                                     |
//! | author   | `dc:creator`                         | `meta:initial-creator`, else `dc:creator`      |
//! | date     | `dcterms:created`, else `dcterms:modified` | `meta:creation-date`, else `dc:date`     |
//!
//! Metadata is optional: a metadata part that is missing, malformed or over
//! [`MAX_METADATA_BYTES`] is ignored. Dates are returned as written.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::result::ZipError;
use zip::ZipArchive;

use super::{Extracted, Unreadable};
use crate::corpus::decode;

/// The XML of a body may be this many times the text allowed: markup
/// (runs, properties, revision marks) outweighs text several times over.
const XML_OVERHEAD: u64 = 8;

/// Largest metadata part read, in bytes.
pub const MAX_METADATA_BYTES: u64 = 64 * 1024;

/// Most entries an archive may list: documents have tens, a few hundred
/// with images.
const MAX_ENTRIES: usize = 10_000;

/// The signature of OLE compound files: Word 97–2003 documents, and the
/// envelope of encrypted Office documents.
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const WORD_NAMESPACE: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const TEXT_NAMESPACE: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE_NAMESPACE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const OFFICE_NAMESPACE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

/// Reads a Word (`.docx`) file.
pub fn read_docx(bytes: &[u8], max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    let mut archive = open(bytes, "Word")?;
    let part = word_main_part(&mut archive)?;
    let text = body_text(&mut archive, &part, Dialect::word(), max_text_bytes)?;
    let meta = metadata(
        &mut archive,
        "docProps/core.xml",
        &["title", "creator", "created", "modified"],
    );
    let field = |name: &str| meta.get(name).cloned();
    Ok(Extracted {
        title: field("title"),
        author: field("creator"),
        date: field("created").or_else(|| field("modified")),
        text,
        ..Extracted::default()
    })
}

/// Reads an OpenDocument text (`.odt`) file.
pub fn read_odt(bytes: &[u8], max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    let mut archive = open(bytes, "OpenDocument")?;
    if odf_encrypted(&mut archive) {
        return Err(Unreadable::Encrypted);
    }
    if archive.index_for_name("content.xml").is_none() {
        return Err(Unreadable::Damaged(
            "not an OpenDocument file (no content.xml)".into(),
        ));
    }
    let text = body_text(&mut archive, "content.xml", Dialect::odf(), max_text_bytes)?;
    let meta = metadata(
        &mut archive,
        "meta.xml",
        &[
            "title",
            "creation-date",
            "date",
            "initial-creator",
            "creator",
        ],
    );
    let field = |name: &str| meta.get(name).cloned();
    Ok(Extracted {
        title: field("title"),
        author: field("initial-creator").or_else(|| field("creator")),
        date: field("creation-date").or_else(|| field("date")),
        text,
        ..Extracted::default()
    })
}

/// Opens the zip archive of an office file (`what`: "Word", "OpenDocument").
fn open<'a>(bytes: &'a [u8], what: &str) -> Result<ZipArchive<Cursor<&'a [u8]>>, Unreadable> {
    let a = if what.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    if bytes.starts_with(&OLE_SIGNATURE) {
        // Encrypted Office documents are an OLE file holding the encrypted
        // zip in a stream named `EncryptedPackage` (in UTF-16).
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(name.len()).any(|window| window == name) {
            return Err(Unreadable::Encrypted);
        }
        return Err(Unreadable::Damaged(format!(
            "not {a} {what} file (an older binary format, such as Word 97-2003)"
        )));
    }
    let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        Unreadable::Damaged(if bytes.starts_with(b"PK\x03\x04") {
            format!("damaged {what} file (broken zip archive, truncated?)")
        } else {
            format!("not {a} {what} file (not a zip archive)")
        })
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(Unreadable::Damaged(format!(
            "not {a} {what} file ({} entries in the archive)",
            archive.len()
        )));
    }
    Ok(archive)
}

/// The name of the main part of a Word file: `word/document.xml`, or the
/// office document the package's relationships point to.
fn word_main_part<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Result<String, Unreadable> {
    const DEFAULT: &str = "word/document.xml";
    if archive.index_for_name(DEFAULT).is_some() {
        return Ok(DEFAULT.into());
    }
    let target: Option<String> = small_part(archive, "_rels/.rels").and_then(|xml| {
        let mut reader = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        while let Ok(event) = reader.read_event_into(&mut buf) {
            match event {
                Event::Start(e) | Event::Empty(e)
                    if e.local_name().into_inner() == "Relationship" =>
                {
                    let attribute = |name: &str| {
                        e.try_get_attribute(name).ok().flatten().and_then(|a| {
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                    };
                    if attribute("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                        return attribute("Target").map(|t| t.trim_start_matches('/').to_string());
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        None
    });
    match target {
        Some(target) if archive.index_for_name(&target).is_some() => Ok(target),
        _ => Err(Unreadable::Damaged(
            "not a Word file (no word/document.xml)".into(),
        )),
    }
}

/// Whether an OpenDocument package is encrypted: its manifest gives
/// encryption data for its parts.
fn odf_encrypted<R: Read + Seek>(archive: &mut ZipArchive<R>) -> bool {
    small_part(archive, "META-INF/manifest.xml").is_some_and(|manifest| {
        manifest
            .windows(b"encryption-data".len())
            .any(|window| window == b"encryption-data")
    })
}

/// A part of at most [`MAX_METADATA_BYTES`], whole; `None` when missing,
/// larger, encrypted or unreadable.
fn small_part<R: Read + Seek>(archive: &mut ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let entry = archive.by_name(name).ok()?;
    if entry.encrypted() || entry.size() > MAX_METADATA_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_METADATA_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= MAX_METADATA_BYTES).then_some(bytes)
}

/// The first text of each of the `wanted` elements (by local name) of a
/// metadata part, cleaned, on one line.
fn metadata<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    part: &str,
    wanted: &[&str],
) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let Some(xml) = small_part(archive, part) else {
        return found;
    };
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut current: Option<(String, String)> = None;
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) if current.is_none() => {
                let name = e.local_name().into_inner();
                if wanted.contains(&name) && !found.contains_key(name) {
                    current = Some((name.to_string(), String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, value)) = &mut current {
                    value.push_str(&resolve_reference(&r));
                }
            }
            Event::End(e) => {
                if let Some((name, value)) =
                    current.take_if(|(name, _)| e.local_name().into_inner() == name.as_str())
                {
                    let value = decode::clean(&value)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !value.is_empty() {
                        found.insert(name, value);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    found
}

/// The text of an entity or character reference.
fn resolve_reference(reference: &str) -> String {
    if let Some(number) = reference.strip_prefix('#') {
        let code = match number.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        return code
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default();
    }
    resolve_predefined_entity(reference)
        .unwrap_or_default()
        .to_string()
}

/// The text of the body part `name`, reading at most [`XML_OVERHEAD`] times
/// the text allowed.
fn body_text<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
    dialect: Dialect,
    max_text_bytes: u64,
) -> Result<String, Unreadable> {
    let cap = max_text_bytes.saturating_mul(XML_OVERHEAD);
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::UnsupportedArchive(_) | ZipError::InvalidPassword) => {
            return Err(Unreadable::Encrypted)
        }
        Err(e) => return Err(Unreadable::Damaged(format!("cannot open {name}: {e}"))),
    };
    if entry.encrypted() {
        return Err(Unreadable::Encrypted);
    }
    if entry.size() > cap {
        return Err(Unreadable::TooLarge {
            bytes: entry.size(),
        });
    }
    // The declared size may lie: zip stops past it (an I/O error), and the
    // reading past the cap anyway.
    let mut reader = Reader::from_reader(BufReader::new(entry.take(cap.saturating_add(1))));
    let mut blocks = Blocks::new(max_text_bytes);
    let outcome = walk(&mut reader, name, dialect, &mut blocks);
    if reader.get_ref().get_ref().limit() == 0 {
        return Err(Unreadable::TooLarge {
            bytes: cap.saturating_add(1),
        });
    }
    outcome?;
    let text = blocks.text;
    if text.is_empty() {
        return Err(Unreadable::NoText);
    }
    Ok(text)
}

/// What an element is to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The document body: paragraphs outside it (styles, master pages)
    /// are not text.
    Body,
    /// A paragraph or heading: one block.
    Paragraph,
    /// A table: one block.
    Table,
    /// A row of a table: a line.
    Row,
    /// A cell of a table row.
    Cell,
    /// A run (`w:r`): where tabs and breaks count.
    Run,
    /// An element whose text is kept (`w:t`, `text:span`).
    Text,
    /// An element left out with all it holds.
    Skip,
    /// Anything else.
    Other,
}

/// The vocabulary of a format: its namespaces' prefixes, as the document
/// declares them on its root element, and what its elements are.
#[derive(Debug, Clone)]
struct Dialect {
    odf: bool,
    /// The prefixes of the namespaces that matter, with their defaults.
    prefixes: Vec<(&'static str, String)>,
}

impl Dialect {
    fn word() -> Dialect {
        Dialect {
            odf: false,
            prefixes: vec![(WORD_NAMESPACE, "w".into())],
        }
    }

    fn odf() -> Dialect {
        Dialect {
            odf: true,
            prefixes: vec![
                (TEXT_NAMESPACE, "text".into()),
                (TABLE_NAMESPACE, "table".into()),
                (OFFICE_NAMESPACE, "office".into()),
            ],
        }
    }

    /// Takes the prefixes the root element declares.
    fn learn(&mut self, root: &BytesStart) {
        for attribute in root.attributes().with_checks(false).flatten() {
            let key = attribute.key.into_inner();
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(prefix) => prefix,
                    None => continue,
                },
                None => continue,
            };
            for (namespace, known) in &mut self.prefixes {
                if attribute.value.as_ref() == *namespace {
                    *known = prefix.to_string();
                }
            }
        }
    }

    /// The element's namespace (by its index in `prefixes`) and local name.
    fn name<'n>(&self, qualified: &'n str) -> (Option<usize>, &'n str) {
        let (prefix, local) = qualified.split_once(':').unwrap_or(("", qualified));
        let namespace = self.prefixes.iter().position(|(_, p)| p == prefix);
        (namespace, local)
    }

    fn role(&self, element: &BytesStart) -> Role {
        let (namespace, local) = self.name(element.name().into_inner());
        if local == "Fallback" {
            return Role::Skip;
        }
        if self.odf {
            match (namespace, local) {
                (Some(2), "body") => Role::Body,
                (Some(2), "annotation") => Role::Skip,
                (Some(0), "p" | "h") => Role::Paragraph,
                (Some(0), "note" | "tracked-changes" | "table-of-content" | "number") => Role::Skip,
                (Some(0), local) if local.ends_with("-index") || local == "bibliography" => {
                    Role::Skip
                }
                (Some(0), _) => Role::Text,
                (Some(1), "table") => Role::Table,
                (Some(1), "table-row") => Role::Row,
                (Some(1), "table-cell") => Role::Cell,
                _ => Role::Other,
            }
        } else {
            match (namespace, local) {
                (Some(0), "body") => Role::Body,
                (Some(0), "p") => Role::Paragraph,
                (Some(0), "tbl") => Role::Table,
                (Some(0), "tr") => Role::Row,
                (Some(0), "tc") => Role::Cell,
                (Some(0), "r") => Role::Run,
                (Some(0), "t") => Role::Text,
                (
                    Some(0),
                    "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "pPr" | "rPr",
                ) => Role::Skip,
                _ => Role::Other,
            }
        }
    }

    /// Whether text right inside an element of this role is kept.
    fn keeps_text(&self, role: Role) -> bool {
        role == Role::Text || (self.odf && role == Role::Paragraph)
    }

    /// What an empty element inside an element of role `inside` writes.
    fn empty(&self, element: &BytesStart, inside: Role) -> Option<&'static str> {
        let (namespace, local) = self.name(element.name().into_inner());
        if self.odf {
            if namespace != Some(0) || !matches!(inside, Role::Paragraph | Role::Text) {
                return None;
            }
            match local {
                "s" => Some(" "),
                "tab" => Some("\t"),
                "line-break" => Some("\n"),
                _ => None,
            }
        } else {
            if namespace != Some(0) || inside != Role::Run {
                return None;
            }
            match local {
                "tab" | "ptab" => Some("\t"),
                "br" | "cr" => Some("\n"),
                "noBreakHyphen" => Some("-"),
                _ => None,
            }
        }
    }
}

/// Walks the events of a body part, putting its text in `blocks`.
fn walk<B: BufRead>(
    reader: &mut Reader<B>,
    part: &str,
    mut dialect: Dialect,
    blocks: &mut Blocks,
) -> Result<(), Unreadable> {
    let mut buf = Vec::new();
    let mut stack: Vec<Role> = Vec::new();
    let mut skipping = 0usize;
    let mut bodies = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            Unreadable::Damaged(match e {
                // A broken compressed stream, a size or checksum that does
                // not match.
                quick_xml::Error::Io(e) => format!("cannot read {part}: {e}"),
                e => format!("malformed {part}: {e}"),
            })
        })?;
        let inside = stack.last().copied().unwrap_or(Role::Other);
        let writing = skipping == 0 && blocks.in_paragraph();
        match event {
            Event::Start(e) => {
                if stack.is_empty() {
                    dialect.learn(&e);
                }
                let role = match dialect.role(&e) {
                    Role::Skip => Role::Skip,
                    _ if skipping > 0 => Role::Other,
                    Role::Paragraph if bodies == 0 => Role::Other,
                    role => role,
                };
                match role {
                    Role::Skip => skipping += 1,
                    Role::Body => bodies += 1,
                    Role::Paragraph => blocks.open_paragraph(),
                    Role::Table => blocks.open_table(),
                    Role::Row => blocks.open_row(),
                    Role::Cell => blocks.open_cell(),
                    _ => {}
                }
                stack.push(role);
            }
            Event::End(_) => match stack.pop() {
                Some(Role::Skip) => skipping -= 1,
                Some(Role::Body) => bodies -= 1,
                Some(Role::Paragraph) => blocks.close_paragraph()?,
                Some(Role::Table) => blocks.close_table()?,
                Some(Role::Row) => blocks.close_row(),
                _ => {}
            },
            Event::Empty(e) if writing => {
                if let Some(text) = dialect.empty(&e, inside) {
                    blocks.push(text);
                }
            }
            Event::Text(t) if writing && dialect.keeps_text(inside) => {
                blocks.push_text(&t.xml10_content());
            }
            Event::CData(t) if writing && dialect.keeps_text(inside) => {
                blocks.push_text(&t.xml10_content());
            }
            Event::GeneralRef(r) if writing && dialect.keeps_text(inside) => {
                blocks.push_text(&resolve_reference(&r));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        return Err(Unreadable::Damaged(format!("{part} is cut short")));
    }
    Ok(())
}

/// The text being built: finished blocks, the paragraphs open (a text box
/// holds paragraphs inside a paragraph), the tables open (a cell can hold a
/// table).
struct Blocks {
    text: String,
    paragraphs: Vec<String>,
    tables: Vec<Table>,
    /// Bytes of text held in the open tables.
    table_bytes: usize,
    max_bytes: u64,
}

/// A table being read: its finished lines, the paragraphs of each cell of
/// the row open.
#[derive(Default)]
struct Table {
    lines: Vec<String>,
    row: Vec<Vec<String>>,
}

impl Table {
    /// Ends the row open: one line of cells, or a line per paragraph when a
    /// cell holds several (or a table).
    fn close_row(&mut self) {
        let mut row = std::mem::take(&mut self.row);
        while row.last().is_some_and(Vec::is_empty) {
            row.pop();
        }
        if row
            .iter()
            .all(|cell| cell.len() <= 1 && !cell.concat().contains('\n'))
        {
            if !row.is_empty() {
                self.lines.push(
                    row.iter()
                        .map(|cell| cell.concat())
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
            }
        } else {
            self.lines.extend(row.into_iter().flatten());
        }
    }
}

impl Blocks {
    fn new(max_bytes: u64) -> Blocks {
        Blocks {
            text: String::new(),
            paragraphs: Vec::new(),
            tables: Vec::new(),
            table_bytes: 0,
            max_bytes,
        }
    }

    fn in_paragraph(&self) -> bool {
        !self.paragraphs.is_empty()
    }

    fn open_paragraph(&mut self) {
        self.paragraphs.push(String::new());
    }

    /// Adds text as is (a tab, a line end).
    fn push(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        }
    }

    /// Adds text of the document, its whitespace as spaces.
    fn push_text(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.extend(text.chars().map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            }));
        }
    }

    fn close_paragraph(&mut self) -> Result<(), Unreadable> {
        let Some(paragraph) = self.paragraphs.pop() else {
            return Ok(());
        };
        self.add(tidy(&paragraph))
    }

    /// Adds a paragraph, or a table, to the cell open, else as a block.
    fn add(&mut self, block: String) -> Result<(), Unreadable> {
        if block.is_empty() {
            return Ok(());
        }
        let Some(table) = self.tables.last_mut() else {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.text.push_str(&block);
            return self.check();
        };
        self.table_bytes += block.len() + 3;
        match table.row.last_mut() {
            Some(cell) => cell.push(block),
            None => table.lines.push(block),
        }
        self.check()
    }

    fn open_table(&mut self) {
        self.tables.push(Table::default());
    }

    fn open_row(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.close_row();
        }
    }

    fn open_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.row.push(Vec::new());
        }
    }

    fn close_row(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.close_row();
        }
    }

    fn close_table(&mut self) -> Result<(), Unreadable> {
        let Some(mut table) = self.tables.pop() else {
            return Ok(());
        };
        table.close_row();
        if self.tables.is_empty() {
            self.table_bytes = 0;
        }
        self.add(table.lines.join("\n"))
    }

    fn check(&self) -> Result<(), Unreadable> {
        let bytes = (self.text.len() + self.table_bytes) as u64;
        if bytes > self.max_bytes {
            return Err(Unreadable::TooLarge { bytes });
        }
        Ok(())
    }
}

/// A paragraph's text clean: control characters out, soft hyphens out,
/// runs of spaces as one, lines trimmed, empty lines dropped.
fn tidy(paragraph: &str) -> String {
    let cleaned = decode::clean(paragraph);
    let mut lines = Vec::new();
    for line in cleaned.split('\n') {
        let mut out = String::with_capacity(line.len());
        for c in line.chars() {
            match c {
                '\u{AD}' => {}
                ' ' if out.ends_with(' ') => {}
                c => out.push(c),
            }
        }
        let line = out.trim_matches(|c| c == ' ' || c == '\t');
        if !line.is_empty() {
            lines.push(line.to_string());
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    /// A zip archive of the given parts, deflated.
    fn archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, content) in parts {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn docx(body: &str, core: Option<&str>) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{WORD_NAMESPACE}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        let mut parts = vec![("word/document.xml", document.as_bytes())];
        if let Some(core) = core {
            parts.push(("docProps/core.xml", core.as_bytes()));
        }
        archive(&parts)
    }

    #[test]
    fn a_word_document() {
        let body = r#"
<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
  <w:r><w:t>Réhabilitation du quartier</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Le bailleur </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Oise Habitat</w:t></w:r>
  <w:del w:id="1"><w:r><w:delText>ne</w:delText></w:r></w:del>
  <w:ins w:id="2"><w:r><w:t xml:space="preserve"> rénove 120 logements</w:t></w:r></w:ins>
  <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
  <w:r><w:fldChar w:fldCharType="end"/></w:r>
  <w:r><w:t xml:space="preserve"> à Creil&#160;; coût : 12 M&amp;€</w:t><w:footnoteReference w:id="1"/></w:r>
  <w:r><w:t>,</w:t><w:br/><w:t>livraison en 2026, quartier Rouher</w:t><w:softHyphen/><w:t>-</w:t><w:noBreakHyphen/><w:t>Gournay.</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Logements</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>120</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p><w:r><w:t>Coût</w:t><w:tab/><w:t>(M€)</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc><w:tc/></w:tr>
  <w:tr><w:tc><w:p><w:r><w:t>Note</w:t></w:r></w:p><w:p><w:r><w:t>Chiffres provisoires.</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2024</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Encadré : calendrier</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Encadré : calendrier</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>
  <w:r><w:t>Fin des travaux prévue en 2027.</w:t></w:r></w:p>"#;
        let core = r#"<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<dc:title>Conseil d'administration du 12 mars</dc:title><dc:creator>Service  communication</dc:creator>
<cp:lastModifiedBy>Secrétariat</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-12T09:30:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2024-03-14T17:00:00Z</dcterms:modified></cp:coreProperties>"#;
        let extracted = read_docx(&docx(body, Some(core)), 1_000_000).unwrap();
        assert_eq!(
            extracted.text,
            "Réhabilitation du quartier\n\n\
             Le bailleur Oise Habitat rénove 120 logements à Creil\u{A0}; coût : 12 M&€,\n\
             livraison en 2026, quartier Rouher--Gournay.\n\n\
             Logements | 120\nCoût\t(M€) |  | 12\nNote\nChiffres provisoires.\n2024\n\n\
             Encadré : calendrier\n\n\
             Fin des travaux prévue en 2027."
        );
        assert_eq!(
            extracted.title.as_deref(),
            Some("Conseil d'administration du 12 mars")
        );
        assert_eq!(extracted.author.as_deref(), Some("Service communication"));
        assert_eq!(extracted.date.as_deref(), Some("2024-03-12T09:30:00Z"));
    }

    #[test]
    fn an_empty_body_has_no_text() {
        let body = r#"<w:p/><w:p><w:pPr><w:pStyle w:val="Titre1"/></w:pPr></w:p>"#;
        assert_eq!(read_docx(&docx(body, None), 1_000), Err(Unreadable::NoText));
    }

    #[test]
    fn zip_bombs_and_long_texts_are_too_large() {
        // 20 MB of one letter compresses to some 20 KB.
        let mut body = String::from("<w:p><w:r><w:t>");
        body.push_str(&"a".repeat(20_000_000));
        body.push_str("</w:t></w:r></w:p>");
        let bomb = docx(&body, None);
        assert!(bomb.len() < 100_000);
        assert!(matches!(
            read_docx(&bomb, 10_000),
            Err(Unreadable::TooLarge { bytes }) if bytes > 20_000_000
        ));
        // The same, declaring 1 000 bytes in its headers: zip stops reading
        // where the declared size ends.
        let size = ZipArchive::new(Cursor::new(bomb.as_slice()))
            .unwrap()
            .by_name("word/document.xml")
            .unwrap()
            .size();
        let declared = (size as u32).to_le_bytes();
        let mut liar = bomb.clone();
        let mut patched = 0;
        for i in 0..liar.len() - 4 {
            if liar[i..i + 4] == declared {
                liar[i..i + 4].copy_from_slice(&1000u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2);
        assert!(matches!(
            read_docx(&liar, 10_000),
            Err(Unreadable::Damaged(why)) if why.contains("declared uncompressed size")
        ));
        let sentence = "<w:p><w:r><w:t>Le programme local de l'habitat prévoit 300 logements par an.</w:t></w:r></w:p>";
        let long = docx(&sentence.repeat(20), None);
        assert!(matches!(
            read_docx(&long, 500),
            Err(Unreadable::TooLarge { .. })
        ));
    }

    #[test]
    fn foreign_and_broken_files() {
        assert_eq!(
            read_docx(b"Compte rendu de la commission d'attribution", 1_000),
            Err(Unreadable::Damaged(
                "not a Word file (not a zip archive)".into()
            ))
        );
        let mut ole = OLE_SIGNATURE.to_vec();
        ole.extend([0; 100]);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_docx(&ole, 1_000), Err(Unreadable::Encrypted));
        let xml =
            format!(r#"<w:document xmlns:w="{WORD_NAMESPACE}"><w:body><w:p><w:r><w:t>Loyers en"#);
        let cut = archive(&[("word/document.xml", xml.as_bytes())]);
        assert_eq!(
            read_docx(&cut, 1_000),
            Err(Unreadable::Damaged("word/document.xml is cut short".into()))
        );
        let mismatched = docx("<w:p><w:r><w:t>Loyers</w:r></w:p>", None);
        assert!(matches!(
            read_docx(&mismatched, 1_000),
            Err(Unreadable::Damaged(_))
        ));
        let other = archive(&[("mimetype", b"application/zip")]);
        assert_eq!(
            read_docx(&other, 1_000),
            Err(Unreadable::Damaged(
                "not a Word file (no word/document.xml)".into()
            ))
        );
    }

    #[test]
    fn an_opendocument_text() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">
<office:automatic-styles><text:p>Pas du texte</text:p></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region><text:deletion><text:p>ancien texte</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1">Programme local de l'habitat</text:h>
<text:p>Le   PLH prévoit<text:s text:c="3"/><text:span text:style-name="T1">1 200 logements</text:span> d'ici
 2030<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Source : DDT.</text:p></text:note-body></text:note>,<text:tab/>dont 30&#160;% de
logements <text:a xlink:href="https://example.org">sociaux</text:a>.<text:line-break/>Adopté en conseil.</text:p>
<text:p><draw:frame><svg:title>Photo</svg:title><draw:text-box><text:p>Légende : la résidence</text:p></draw:text-box></draw:frame></text:p>
<text:list><text:list-item><text:p>Senlis : 150</text:p></text:list-item><text:list-item><text:p>Creil : 400</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Commune</text:p></table:table-cell><table:table-cell><text:p>Logements</text:p></table:table-cell></table:table-row></table:table>
<text:p/>
</office:text></office:body></office:document-content>"#;
        let meta = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>
<meta:initial-creator>Agglomération Creil Sud Oise</meta:initial-creator><dc:creator>Autre</dc:creator>
<dc:date>2024-02-02T10:00:00</dc:date><meta:creation-date>2024-01-15T08:00:00</meta:creation-date>
<dc:title>PLH 2024-2030</dc:title></office:meta></office:document-meta>"#;
        let odt = archive(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("meta.xml", meta.as_bytes()),
        ]);
        let extracted = read_odt(&odt, 1_000_000).unwrap();
        assert_eq!(
            extracted.text,
            "Programme local de l'habitat\n\n\
             Le PLH prévoit 1 200 logements d'ici 2030,\tdont 30\u{A0}% de logements sociaux.\n\
             Adopté en conseil.\n\n\
             Légende : la résidence\n\n\
             Senlis : 150\n\nCreil : 400\n\n\
             Commune | Logements"
        );
        assert_eq!(extracted.title.as_deref(), Some("PLH 2024-2030"));
        assert_eq!(
            extracted.author.as_deref(),
            Some("Agglomération Creil Sud Oise")
        );
        assert_eq!(extracted.date.as_deref(), Some("2024-01-15T08:00:00"));
    }

    #[test]
    fn an_encrypted_opendocument() {
        let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let odt = archive(&[
            ("META-INF/manifest.xml", manifest.as_slice()),
            ("content.xml", b"\x8a\x13 not xml"),
        ]);
        assert_eq!(read_odt(&odt, 1_000), Err(Unreadable::Encrypted));
    }
}
