//! PDF files: the text layer in reading order, cut into paragraphs, without
//! the headers and footers repeated on every page.
//!
//! `pdf-extract` lays out each page's characters as lines, with an empty
//! line where the vertical gap is clearly larger than a line's (more than
//! one and a half times the font size). Lines are then joined into
//! paragraphs:
//!
//! - an empty line ends a paragraph; a line starting with a bullet (`•`,
//!   `–`, `- `) starts a new line in it;
//! - a word cut at a line end is mended (`réhabili-` + `tation` →
//!   `réhabilitation`) when the next line starts with a lower-case letter;
//!   otherwise the hyphen is real and kept (`Saint-` + `Quentin` →
//!   `Saint-Quentin`);
//! - a paragraph runs on to the next page when its last line has no final
//!   punctuation and the next page starts in lower case;
//! - with two pages or more, a line among the first or last three of a page
//!   that recurs, digits aside, in that place on half the pages (two at
//!   least) is a header or footer and is dropped (`Page 1 / 2`, a running
//!   title); so is a lone page number there (`12`, `- 12 -`, `Page 12`).
//!
//! | the file                                       | outcome                      |
//! |------------------------------------------------|------------------------------|
//! | text on some page                              | the text, `/Title`, `/Author` and `/CreationDate` (else `/ModDate`) of `/Info` |
//! | not a PDF, truncated, broken cross-references  | [`Unreadable::Damaged`]      |
//! | no page readable (errors, panics of the library) | [`Unreadable::Damaged`]    |
//! | encrypted with a password                      | [`Unreadable::Encrypted`]    |
//! | encrypted without one, but no readable text    | [`Unreadable::Encrypted`]    |
//! | no text, images (a scan)                       | [`Unreadable::NoTextLayer`]  |
//! | no text, no image                              | [`Unreadable::NoText`]       |
//! | more text than the caller allows               | [`Unreadable::TooLarge`]     |
//! | longer than [`TIME_LIMIT`] to read             | [`Unreadable::TimedOut`]     |
//!
//! PDF libraries panic or loop on odd files, so the reading runs on a
//! thread of its own (named [`THREAD_NAME_PREFIX`]…): a panic is caught
//! and the file called damaged; past the time limit the file is given up
//! and the thread left to finish on its own, since a thread cannot be
//! stopped from outside (it holds its own copy of the bytes; its result is
//! dropped).

use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use pdf_extract::{Document, Error as PdfError, Object, PlainTextOutput};

use super::{Extracted, Unreadable};
use crate::corpus::decode;

/// Longest a PDF may take to read.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// How the names of the threads reading PDFs start, so that the binary can
/// keep quiet about the panics of the PDF library on them.
pub const THREAD_NAME_PREFIX: &str = "logis-pdf";

/// What a panic of the PDF library makes of a file.
const LIBRARY_FAILED: &str = "the PDF library failed on this file";

/// Where the `%PDF-` header must be, in bytes from the start (readers
/// accept some junk before it).
const HEADER_WINDOW: usize = 1024;

/// How many lines at the top and at the bottom of a page may be headers or
/// footers.
const FURNITURE_LINES: usize = 3;

/// Reads a PDF within [`TIME_LIMIT`].
pub fn read(bytes: &[u8], max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    read_with_limit(bytes, max_text_bytes, TIME_LIMIT)
}

/// Reads a PDF within `limit`.
pub fn read_with_limit(
    bytes: &[u8],
    max_text_bytes: u64,
    limit: Duration,
) -> Result<Extracted, Unreadable> {
    let bytes = bytes.to_vec();
    run_limited(limit, move || extract(&bytes, max_text_bytes))
}

/// Runs `work` on a thread of its own, catching its panics, and waits for
/// it at most `limit`. If no thread can be started, `work` runs here,
/// without a time limit.
fn run_limited<F>(limit: Duration, work: F) -> Result<Extracted, Unreadable>
where
    F: Fn() -> Result<Extracted, Unreadable> + Send + Sync + 'static,
{
    let work = Arc::new(work);
    let (sender, receiver) = mpsc::channel();
    let on_thread = Arc::clone(&work);
    let spawned = thread::Builder::new()
        .name(format!("{THREAD_NAME_PREFIX}-read"))
        .spawn(move || {
            // The receiver is gone when the time limit passed: nobody to tell.
            let _ = sender.send(guarded(&*on_thread));
        });
    if spawned.is_err() {
        return guarded(&*work);
    }
    match receiver.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => Err(Unreadable::TimedOut {
            seconds: limit.as_secs() + u64::from(limit.subsec_nanos() > 0),
        }),
        Err(RecvTimeoutError::Disconnected) => Err(Unreadable::Damaged(LIBRARY_FAILED.into())),
    }
}

/// `work`, with a panic as a damaged file.
fn guarded(work: &dyn Fn() -> Result<Extracted, Unreadable>) -> Result<Extracted, Unreadable> {
    panic::catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err(Unreadable::Damaged(LIBRARY_FAILED.into())))
}

/// Reads a PDF, on the current thread.
fn extract(bytes: &[u8], max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if !head.windows(5).any(|window| window == b"%PDF-") {
        return Err(Unreadable::Damaged("not a PDF (no %PDF header)".into()));
    }
    let document = Document::load_mem(bytes).map_err(load_error)?;
    // lopdf decrypts on loading when the user password is empty; the
    // `/Encrypt` entry stays when it is not (and the objects are not loaded).
    if document.trailer.has(b"Encrypt") {
        return Err(Unreadable::Encrypted);
    }
    let numbers: Vec<u32> = document.get_pages().into_keys().collect();
    if numbers.is_empty() {
        return Err(Unreadable::Damaged("the PDF has no pages".into()));
    }
    let mut pages = Vec::with_capacity(numbers.len());
    let mut failed = 0;
    let mut total = 0u64;
    for number in numbers {
        let (text, complete) = page_text(&document, number);
        failed += usize::from(!complete);
        total += text.len() as u64;
        // Headers, line ends and spaces take some room: stop early only when
        // well past the limit, check precisely below.
        if total > max_text_bytes.saturating_mul(2) {
            return Err(Unreadable::TooLarge { bytes: total });
        }
        pages.push(decode::clean(&text).into_owned());
    }
    let text = paragraphs(&pages);
    let readable = text.chars().filter(|c| c.is_alphabetic()).count() * 2
        >= text.chars().filter(|c| !c.is_whitespace()).count();
    if text.is_empty() || (document.was_encrypted() && !readable) {
        return Err(if failed == pages.len() {
            Unreadable::Damaged("no page could be read".into())
        } else if document.was_encrypted() {
            Unreadable::Encrypted
        } else if has_images(&document) {
            Unreadable::NoTextLayer
        } else {
            Unreadable::NoText
        });
    }
    if text.len() as u64 > max_text_bytes {
        return Err(Unreadable::TooLarge {
            bytes: text.len() as u64,
        });
    }
    let info = Info::of(&document);
    Ok(Extracted {
        title: info.text(b"Title").and_then(|title| useful_title(&title)),
        author: info.text(b"Author"),
        date: info.text(b"CreationDate").or_else(|| info.text(b"ModDate")),
        text,
        ..Extracted::default()
    })
}

/// Why lopdf could not load a file, in a few words.
fn load_error(error: PdfError) -> Unreadable {
    use pdf_extract::Error as E;
    let why = match &error {
        E::Decryption(_) | E::InvalidPassword | E::UnsupportedSecurityHandler(_) => {
            return Unreadable::Encrypted
        }
        E::Xref(_) => "no readable cross-reference table (truncated file?)".to_string(),
        other => {
            // lopdf's messages can run on ("please open an issue at…").
            let message = other.to_string();
            let short = message.split(';').next().unwrap_or_default();
            format!("malformed PDF: {short}")
        }
    };
    Unreadable::Damaged(why)
}

/// The text of a page as `pdf-extract` lays it out, and whether the page
/// was read to its end (a failure or panic keeps what came before).
fn page_text(document: &Document, number: u32) -> (String, bool) {
    let mut text = String::new();
    let complete = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut output = PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(document, &mut output, number).is_ok()
    }))
    .unwrap_or(false);
    (text, complete)
}

/// Whether the document holds an image: an image object, or an image
/// written inline in a page.
fn has_images(document: &Document) -> bool {
    let image_object = document.objects.values().any(|object| {
        object
            .as_stream()
            .ok()
            .and_then(|stream| stream.dict.get(b"Subtype").ok())
            .and_then(|subtype| subtype.as_name().ok())
            == Some(b"Image".as_slice())
    });
    image_object
        || document.page_iter().any(|page| {
            document
                .get_page_content(page)
                .is_ok_and(|content| has_inline_image(&content))
        })
}

/// Whether a content stream has the `BI` operator of an inline image.
fn has_inline_image(content: &[u8]) -> bool {
    content
        .split(|b| b.is_ascii_whitespace())
        .any(|token| token == b"BI")
}

/// The document information dictionary (`/Info` in the trailer).
struct Info<'a> {
    document: &'a Document,
    dictionary: Option<&'a pdf_extract::Dictionary>,
}

impl<'a> Info<'a> {
    fn of(document: &'a Document) -> Info<'a> {
        let dictionary = document
            .trailer
            .get_deref(b"Info", document)
            .and_then(Object::as_dict)
            .ok();
        Info {
            document,
            dictionary,
        }
    }

    /// A text entry, decoded, without control characters, on one line;
    /// `None` when absent or blank.
    fn text(&self, key: &[u8]) -> Option<String> {
        let object = self.dictionary?.get_deref(key, self.document).ok()?;
        let text = text_string(object.as_str().ok()?);
        let text = decode::clean(&text);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    }
}

/// A PDF text string: UTF-16BE or UTF-8 behind a byte-order mark, else
/// PDFDocEncoding.
fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = utf16
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
    }
    if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    let literal = Object::String(bytes.to_vec(), pdf_extract::StringFormat::Literal);
    pdf_extract::decode_text_string(&literal)
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// A title worth keeping: not the name of the file the PDF was made from
/// (`Microsoft Word - bilan 2023.docx`), nor a word processor's default.
fn useful_title(title: &str) -> Option<String> {
    let mut title = title;
    for prefix in [
        "Microsoft Word - ",
        "Microsoft PowerPoint - ",
        "Microsoft Excel - ",
    ] {
        title = title.strip_prefix(prefix).unwrap_or(title);
    }
    let title = title.trim();
    let lower = title.to_lowercase();
    let file_name = lower.rsplit_once('.').is_some_and(|(_, extension)| {
        [
            "doc", "docx", "odt", "rtf", "txt", "pdf", "indd", "qxp", "ppt", "pptx", "xls", "xlsx",
            "htm", "html",
        ]
        .contains(&extension)
    });
    let default = ["untitled", "sans titre", "document", "titre", "title"]
        .contains(&lower.as_str())
        || ["document", "doc"].iter().any(|word| {
            lower
                .strip_prefix(word)
                .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        });
    (!title.is_empty() && !file_name && !default).then(|| title.to_string())
}

/// The text of the pages as paragraphs separated by blank lines, headers
/// and footers left out.
fn paragraphs(pages: &[String]) -> String {
    let mut pages: Vec<Vec<String>> = pages
        .iter()
        .map(|page| page.lines().map(normalize_line).collect())
        .collect();
    drop_furniture(&mut pages);

    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for page in &pages {
        // An empty line ends the paragraph when text follows on the page:
        // at the foot of a page, whether the paragraph goes on is for the
        // next page to tell.
        let mut page_start = true;
        let mut gap = false;
        for line in page {
            if line.is_empty() {
                gap = true;
                continue;
            }
            let ends = if page_start {
                !runs_on(&current, line)
            } else {
                gap
            };
            if ends {
                flush(&mut current, &mut paragraphs);
            }
            page_start = false;
            gap = false;
            append(&mut current, line);
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

/// A line trimmed, its runs of spaces as one, ligatures spelt out and soft
/// hyphens gone, but for one at the end, which marks a cut word.
fn normalize_line(line: &str) -> String {
    let line = line.trim();
    let (line, cut) = match line.strip_suffix('\u{AD}') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            ' ' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            '\u{AD}' => {}
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    if cut && !out.is_empty() {
        out.push('\u{AD}');
    }
    out
}

/// Removes the headers, footers and page numbers of the pages (see the
/// module's documentation).
fn drop_furniture(pages: &mut [Vec<String>]) {
    let margins: Vec<Vec<usize>> = pages.iter().map(|page| margin_lines(page)).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    if pages.len() >= 2 {
        for (page, margin) in pages.iter().zip(&margins) {
            let keys: HashSet<String> = margin.iter().map(|&i| furniture_key(&page[i])).collect();
            for key in keys {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let threshold = pages.len().div_ceil(2).max(2);
    for (page, margin) in pages.iter_mut().zip(&margins) {
        let dropped: HashSet<usize> = margin
            .iter()
            .copied()
            .filter(|&i| {
                is_page_number(&page[i])
                    || counts.get(&furniture_key(&page[i])).copied().unwrap_or(0) >= threshold
            })
            .collect();
        let mut index = 0;
        page.retain(|_| {
            index += 1;
            !dropped.contains(&(index - 1))
        });
    }
}

/// The indices of the first and last few non-empty lines of a page.
fn margin_lines(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
    let mut margin: Vec<usize> = filled.iter().take(FURNITURE_LINES).copied().collect();
    for &i in filled.iter().rev().take(FURNITURE_LINES) {
        if !margin.contains(&i) {
            margin.push(i);
        }
    }
    margin
}

/// A line with each run of digits as `#`, in lower case: `Page 3 / 12` and
/// `Page 4 / 12` are the same footer.
fn furniture_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// Whether a line is a page number alone: `12`, `- 12 -`, `Page 12`,
/// `p. 12`, `12 / 40`, `page 12 sur 40`.
fn is_page_number(line: &str) -> bool {
    let lower = line.to_lowercase();
    let mut rest = lower.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c == ' ');
    for prefix in ["page", "p."] {
        if let Some(after) = rest.strip_prefix(prefix) {
            rest = after.trim_start();
        }
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let (number, total) = match rest.split_once('/') {
        Some((number, total)) => (number.trim(), Some(total.trim())),
        None => match rest.split_once(" sur ").or_else(|| rest.split_once(" of ")) {
            Some((number, total)) => (number.trim(), Some(total.trim())),
            None => (rest, None),
        },
    };
    digits(number) && number.len() <= 3 && total.is_none_or(digits)
}

/// Whether the first line of a page continues the paragraph that ended the
/// page before: that one has no final punctuation, this one starts in lower
/// case.
fn runs_on(paragraph: &str, line: &str) -> bool {
    let ended = paragraph
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | ';' | '…' | '»' | '"' | '”'));
    !ended && starts_lower(line)
}

fn starts_lower(line: &str) -> bool {
    line.chars().next().is_some_and(char::is_lowercase)
}

/// Adds a line to a paragraph: after a space; glued to a word cut at the end
/// of the line before (without the hyphen before a lower-case letter, with
/// it otherwise); on a line of its own for a list item.
fn append(paragraph: &mut String, line: &str) {
    if paragraph.is_empty() {
        paragraph.push_str(line);
        return;
    }
    if paragraph.ends_with('\u{AD}') {
        paragraph.pop();
    } else if is_bullet(line) {
        paragraph.push('\n');
    } else if cut_word(paragraph) {
        if starts_lower(line) {
            paragraph.pop();
        }
    } else {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

/// Whether a paragraph ends with a hyphen right after a word
/// (`réhabili-`, `Saint-`, `2023-`).
fn cut_word(paragraph: &str) -> bool {
    let mut chars = paragraph.chars().rev();
    matches!(chars.next(), Some('-' | '\u{2010}'))
        && chars.next().is_some_and(char::is_alphanumeric)
}

/// Whether a line is a list item: a bullet or dash, then a space.
fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next();
    matches!(
        first,
        Some(
            '•' | '◦'
                | '▪'
                | '▫'
                | '●'
                | '○'
                | '■'
                | '□'
                | '‣'
                | '⁃'
                | '–'
                | '—'
                | '-'
                | '*'
                | '\u{F0B7}'
        )
    ) && chars.next().is_some_and(char::is_whitespace)
}

/// Ends a paragraph, if it has text.
fn flush(paragraph: &mut String, paragraphs: &mut Vec<String>) {
    let text = paragraph.trim_end_matches('\u{AD}').trim();
    if !text.is_empty() {
        paragraphs.push(text.to_string());
    }
    paragraph.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{dictionary, Stream, StringFormat};

    /// A line of text on a page: its height from the bottom, its text.
    type Line<'a> = (i64, &'a str);

    /// Builds an A4 PDF in Helvetica (Windows-1252), one content stream a
    /// page, with `/Info` entries.
    fn build(pages: &[Vec<Line>], info: &[(&str, Object)]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut kids: Vec<Object> = Vec::new();
        for lines in pages {
            let mut operations = Vec::new();
            for &(y, text) in lines {
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
                operations.extend([
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 11.into()]),
                    Operation::new("Td", vec![72.into(), y.into()]),
                    Operation::new(
                        "Tj",
                        vec![Object::String(bytes.into_owned(), StringFormat::Literal)],
                    ),
                    Operation::new("ET", vec![]),
                ]);
            }
            let content = Content { operations }.encode().unwrap();
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            kids.push(
                doc.add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "Contents" => content_id,
                })
                .into(),
            );
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
        });
        doc.trailer.set("Root", catalog_id);
        if !info.is_empty() {
            let mut dictionary = pdf_extract::Dictionary::new();
            for (key, value) in info {
                dictionary.set(key.as_bytes().to_vec(), value.clone());
            }
            let info_id = doc.add_object(dictionary);
            doc.trailer.set("Info", info_id);
        }
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    /// Lines from the top of the page down, `None` for a paragraph gap.
    fn flow(lines: &[Option<&'static str>]) -> Vec<Line<'static>> {
        let mut y = 780;
        let mut out = Vec::new();
        for line in lines {
            match line {
                Some(text) => {
                    out.push((y, *text));
                    y -= 14;
                }
                None => y -= 14,
            }
        }
        out
    }

    fn literal(text: &str) -> Object {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    }

    #[test]
    fn paragraphs_hyphens_headers_and_metadata() {
        let page = |number: &'static str, body: &[Option<&'static str>]| {
            let mut lines = vec![Some("Office public de l'habitat de l'Oise"), None];
            lines.extend_from_slice(body);
            lines.extend([None, Some(number)]);
            flow(&lines)
        };
        let pages = [
            page(
                "Page 1 / 2",
                &[
                    Some("Le conseil d'administration a voté la réhabili-"),
                    Some("tation de 120 logements à Saint-"),
                    Some("Quentin et à Compiègne."),
                    None,
                    Some("Les travaux commenceront au printemps et dureront"),
                ],
            ),
            page(
                "Page 2 / 2",
                &[
                    Some("dix-huit mois, sans relogement des locataires."),
                    None,
                    Some("Trois opérations sont prévues :"),
                    Some("• isolation des façades ;"),
                    Some("• remplacement des chaudières."),
                ],
            ),
        ];
        let mut title = vec![0xFE, 0xFF];
        for unit in "Rapport d'activité 2023".encode_utf16() {
            title.extend(unit.to_be_bytes());
        }
        let info = [
            ("Title", Object::String(title, StringFormat::Hexadecimal)),
            ("Author", literal("Direction de la communication")),
            ("CreationDate", literal("D:20240315093000+01'00'")),
        ];
        let bytes = build(&pages, &info);
        let extracted = read(&bytes, 1_000_000).unwrap();
        assert_eq!(
            extracted.text,
            "Le conseil d'administration a voté la réhabilitation de 120 logements à \
             Saint-Quentin et à Compiègne.\n\n\
             Les travaux commenceront au printemps et dureront dix-huit mois, sans \
             relogement des locataires.\n\n\
             Trois opérations sont prévues :\n• isolation des façades ;\n• remplacement \
             des chaudières."
        );
        assert_eq!(extracted.title.as_deref(), Some("Rapport d'activité 2023"));
        assert_eq!(
            extracted.author.as_deref(),
            Some("Direction de la communication")
        );
        assert_eq!(extracted.date.as_deref(), Some("D:20240315093000+01'00'"));
    }

    #[test]
    fn a_single_page_keeps_its_first_line_but_not_its_page_number() {
        let lines = flow(&[
            Some("Résidence des Tilleuls à Beauvais"),
            None,
            Some("La livraison des 32 logements sociaux est prévue en 2025."),
            None,
            Some("- 1 -"),
        ]);
        let info = [("Title", literal("Microsoft Word - tilleuls.docx"))];
        let extracted = read(&build(&[lines], &info), 1_000_000).unwrap();
        assert_eq!(
            extracted.text,
            "Résidence des Tilleuls à Beauvais\n\n\
             La livraison des 32 logements sociaux est prévue en 2025."
        );
        assert_eq!(extracted.title, None);
        assert_eq!(extracted.date, None);
    }

    #[test]
    fn no_text_and_too_much_text() {
        let empty = build(&[vec![]], &[]);
        assert_eq!(read(&empty, 1_000_000), Err(Unreadable::NoText));
        let long = build(
            &[flow(&[Some(
                "Le bailleur social annonce la construction de logements neufs.",
            )])],
            &[],
        );
        assert!(matches!(read(&long, 20), Err(Unreadable::TooLarge { .. })));
    }

    #[test]
    fn a_scan_has_no_text_layer() {
        let mut doc = Document::load_mem(&build(&[vec![]], &[])).unwrap();
        let image = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => 1,
                "Height" => 1,
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 8,
            },
            vec![0x80],
        );
        doc.add_object(image);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        assert_eq!(read(&bytes, 1_000_000), Err(Unreadable::NoTextLayer));
    }

    #[test]
    fn damaged_and_foreign_files() {
        let bytes = build(
            &[flow(&[Some("Logements étudiants livrés à Amiens.")])],
            &[],
        );
        let truncated = &bytes[..bytes.len() / 2];
        assert!(matches!(
            read(truncated, 1_000_000),
            Err(Unreadable::Damaged(_))
        ));
        let text = "Compte rendu du conseil municipal".as_bytes();
        assert_eq!(
            read(text, 1_000_000),
            Err(Unreadable::Damaged("not a PDF (no %PDF header)".into()))
        );
    }

    #[test]
    fn a_page_the_library_fails_on_is_left_out() {
        let bytes = build(
            &[
                flow(&[Some("Première pierre posée pour 40 logements à Noyon.")]),
                flow(&[Some("Une page illisible.")]),
            ],
            &[],
        );
        let mut doc = Document::load_mem(&bytes).unwrap();
        // A media box of two numbers: pdf-extract indexes past its end.
        let second = doc.get_pages()[&2];
        doc.get_dictionary_mut(second)
            .unwrap()
            .set("MediaBox", vec![0.into(), 0.into()]);
        let mut broken = Vec::new();
        doc.save_to(&mut broken).unwrap();
        let extracted = read(&broken, 1_000_000).unwrap();
        assert_eq!(
            extracted.text,
            "Première pierre posée pour 40 logements à Noyon."
        );
    }

    #[test]
    fn a_password_is_needed() {
        let bytes = build(
            &[flow(&[Some("Un document confidentiel sur les loyers.")])],
            &[],
        );
        let mut doc = Document::load_mem(&bytes).unwrap();
        doc.trailer.set(
            "ID",
            vec![
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Literal),
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Literal),
            ],
        );
        let version = pdf_extract::EncryptionVersion::V1 {
            document: &doc,
            owner_password: "proprietaire",
            user_password: "locataire",
            permissions: pdf_extract::Permissions::all(),
        };
        let state = pdf_extract::EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        let mut encrypted = Vec::new();
        doc.save_to(&mut encrypted).unwrap();
        assert_eq!(read(&encrypted, 1_000_000), Err(Unreadable::Encrypted));
    }

    #[test]
    fn panics_and_time_limits() {
        let panicking = run_limited(Duration::from_secs(5), || panic!("bad font"));
        assert_eq!(panicking, Err(Unreadable::Damaged(LIBRARY_FAILED.into())));
        let slow = run_limited(Duration::from_millis(50), || {
            thread::sleep(Duration::from_secs(2));
            Ok(Extracted::default())
        });
        assert_eq!(slow, Err(Unreadable::TimedOut { seconds: 1 }));
    }

    #[test]
    fn page_numbers_and_titles() {
        for number in ["12", "- 12 -", "Page 12", "page 3 sur 40", "p. 7", "3 / 12"] {
            assert!(is_page_number(number), "{number}");
        }
        for line in ["2024", "12 logements", "Page d'accueil", ""] {
            assert!(!is_page_number(line), "{line}");
        }
        assert_eq!(useful_title("Document1"), None);
        assert_eq!(useful_title("bilan_2023.PDF"), None);
        assert_eq!(
            useful_title("Microsoft Word - Bilan du PLH"),
            Some("Bilan du PLH".into())
        );
        assert_eq!(text_string(b"Plan \x8Dclimat\x8E"), "Plan “climat”");
    }
}
