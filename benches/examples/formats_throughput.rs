//! Indexing throughput by input format, in one run: the same generated
//! articles written as `.txt`, web pages, Word files, PDFs and RSS feeds,
//! each folder indexed into a fresh index by the library (all of logis's
//! work: reading, passages, French analysis, facets, copies).
//!
//! `cargo run --release -p logis-bench --example formats_throughput -- [PASSAGES] [RUNS]`
//! (default 20000 passages, 3 runs; the median is reported)
//!
//! Throughput is given in MB of input files per second, and in MB of
//! article text per second (what a format costs on top of its text).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use logis::{index_paths, IndexOptions};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    id: String,
    title: Option<String>,
    text: String,
}

type Writer = fn(&Path, &Line) -> std::io::Result<()>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let passages: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let generator = logis_bench::generator::Generator::new(&logis_bench::root())?;
    let mut jsonl = Vec::new();
    generator.write(passages, &mut jsonl)?;
    let articles: Vec<Line> = jsonl
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(serde_json::from_slice)
        .collect::<Result<_, _>>()?;
    let text_bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let dir = tempfile::tempdir()?;
    let formats: [(&str, Writer); 4] = [
        ("txt", write_txt),
        ("html", write_html),
        ("docx", write_docx),
        ("pdf", write_pdf),
    ];
    println!(
        "{} articles, {:.1} MB of text; median of {runs} runs\n",
        articles.len(),
        text_bytes as f64 / 1e6
    );
    println!(
        "{:<6} {:>9} {:>9} {:>12} {:>12} {:>10}",
        "format", "input MB", "seconds", "input MB/s", "text MB/s", "articles"
    );
    let mut folders: Vec<(&str, PathBuf)> = Vec::new();
    for (name, write) in formats {
        let folder = dir.path().join(name);
        fs::create_dir(&folder)?;
        for article in &articles {
            write(&folder, article)?;
        }
        folders.push((name, folder));
    }
    let feeds = dir.path().join("rss");
    fs::create_dir(&feeds)?;
    for (n, chunk) in articles.chunks(100).enumerate() {
        write_rss(&feeds.join(format!("fil-{n:04}.rss")), chunk)?;
    }
    folders.push(("rss", feeds));
    for (name, folder) in folders {
        let input_bytes = logis_bench::dir_bytes(&folder);
        let mut times = Vec::new();
        let mut indexed = 0;
        for run in 0..runs {
            let index = dir.path().join(format!("index-{name}-{run}"));
            let started = Instant::now();
            let report = index_paths(
                &index,
                std::slice::from_ref(&folder),
                &IndexOptions::default(),
                &mut |_| {},
            )?;
            times.push(started.elapsed().as_secs_f64());
            indexed = report.articles;
            fs::remove_dir_all(&index)?;
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!(
            "{name:<6} {:>9.1} {:>9.2} {:>12.2} {:>12.2} {:>10}",
            input_bytes as f64 / 1e6,
            median,
            input_bytes as f64 / 1e6 / median,
            text_bytes as f64 / 1e6 / median,
            indexed
        );
    }
    Ok(())
}

fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_txt(folder: &Path, a: &Line) -> std::io::Result<()> {
    fs::write(folder.join(format!("{}.txt", a.id)), &a.text)
}

/// A page as sites make them: head metadata, navigation, the article,
/// an aside and a footer.
fn write_html(folder: &Path, a: &Line) -> std::io::Result<()> {
    let title = escape(a.title.as_deref().unwrap_or("Actualité"));
    let body: String = paragraphs(&a.text)
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    let page = format!(
        "<!doctype html><html lang=fr><head><meta charset=utf-8><title>{title} | Le Fil</title>\
         <link rel=canonical href=\"https://fil.example/{id}\">\
         <meta property=\"og:site_name\" content=\"Le Fil\">\
         <meta property=\"article:published_time\" content=\"2024-05-14T09:00:00+02:00\"></head>\
         <body><header><nav><a href=/>Accueil</a> <a href=/actu>Actualités</a> \
         <a href=/contact>Contact</a></nav></header>\
         <main><article><h1>{title}</h1>\n{body}</article>\
         <aside><h2>À lire aussi</h2><ul><li><a href=/a>Une autre actualité</a></li></ul></aside></main>\
         <footer>Mentions légales · Plan du site · © 2024</footer></body></html>",
        id = a.id
    );
    fs::write(folder.join(format!("{}.html", a.id)), page)
}

fn write_docx(folder: &Path, a: &Line) -> std::io::Result<()> {
    let mut body = String::new();
    for p in paragraphs(&a.text) {
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(p)
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let file = fs::File::create(folder.join(format!("{}.docx", a.id)))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/document.xml", document),
    ];
    for (name, content) in parts {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types \
xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" \
ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" \
ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships \
xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
Target=\"word/document.xml\"/></Relationships>";

/// A PDF of the article: Helvetica in WinAnsi, lines of about 90
/// characters, 50 lines a page, a blank line between paragraphs.
fn write_pdf(folder: &Path, a: &Line) -> std::io::Result<()> {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs(&a.text) {
        let mut line = String::new();
        for word in p.split_whitespace() {
            if line.chars().count() + word.chars().count() > 90 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        lines.push(String::new());
    }
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for page in lines.chunks(50) {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![50.into(), 800.into()]),
        ];
        for line in page {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(line);
            operations.push(Operation::new(
                "Tj",
                vec![Object::string_literal(bytes.into_owned())],
            ));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }
            .encode()
            .map_err(std::io::Error::other)?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    doc.save(folder.join(format!("{}.pdf", a.id)))
        .map(|_| ())
        .map_err(std::io::Error::other)
}

fn write_rss(path: &Path, articles: &[Line]) -> std::io::Result<()> {
    let mut feed = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Le Fil</title><link>https://fil.example/</link>",
    );
    for a in articles {
        let body: String = paragraphs(&a.text).map(|p| format!("<p>{p}</p>")).collect();
        feed.push_str(&format!(
            "<item><title>{}</title><link>https://fil.example/{id}</link><guid>{id}</guid>\
             <pubDate>Tue, 14 May 2024 09:00:00 +0200</pubDate><description>{}</description></item>",
            escape(a.title.as_deref().unwrap_or("Actualité")),
            escape(&body),
            id = a.id
        ));
    }
    feed.push_str("</channel></rss>");
    fs::write(path, feed)
}
