//! Web pages: the article's text without the page around it, and the
//! metadata pages carry.
//!
//! The main text comes from `dom_smoothie`, a port of Mozilla's Readability
//! (the reader view of Firefox): it scores the blocks of the page and keeps
//! the article, leaving navigation, cookie banners, "à lire aussi" asides,
//! share buttons and footers out. Its formatted text keeps paragraph breaks,
//! which passages depend on. A page too short for Readability to choose (a
//! brief, a feed item's content) falls back to the text of its `<article>`,
//! `<main>` or `<body>`, without the page's furniture.
//!
//! | metadata  | taken from, first found wins                                   |
//! |-----------|----------------------------------------------------------------|
//! | title     | `og:title`, Dublin Core, JSON-LD `headline`, `<title>`; without the site's suffix |
//! | url       | `<link rel=canonical>`, `og:url`                               |
//! | site      | `og:site_name`, JSON-LD publisher, the address's host          |
//! | author    | `author` / Dublin Core creator / JSON-LD author, a byline      |
//! | date      | `article:published_time`, JSON-LD `datePublished`, Dublin Core and `date` metas, `<time>` marked as publication or heading the article; a modification date only when nothing else is given |
//!
//! The bytes are decoded by the page's declared character set (a byte-order
//! mark, `<meta charset>`, or `http-equiv` content type, in the first
//! kilobytes), else as UTF-8, else as Windows-1252.

use dom_query::{Document, Selection};
use dom_smoothie::{Config, Readability, TextMode};

use super::{article_text, Extracted, Unreadable};
use crate::corpus::decode;

/// How many bytes of the page are searched for a declared character set.
const PRESCAN_BYTES: usize = 4096;

/// Pages whose main text Readability finds shorter than this (in
/// characters) are read whole instead: it gives up on short pages.
const MIN_READABLE_CHARS: usize = 200;

/// Reads a web page.
pub fn read(bytes: &[u8], max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    let html = decode_page(bytes);
    if html.len() as u64 > max_text_bytes.saturating_mul(4) {
        return Err(Unreadable::TooLarge {
            bytes: html.len() as u64,
        });
    }
    let document = Document::from(html.as_str());
    let meta = Meta::of(&document);
    remove_furniture(&document);
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    // Readability takes the page (it edits it); a page it gives up on is
    // parsed again for the fallback, rather than every page copied.
    let readable = Readability::with_document(document, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let text = match &readable {
        Some(article) if article.text_content.trim().chars().count() >= MIN_READABLE_CHARS => {
            paragraphs(&article.text_content)
        }
        _ => {
            let document = Document::from(html.as_str());
            remove_furniture(&document);
            whole_text(&document)
        }
    };
    let text = article_text(text, max_text_bytes)?;
    let site = meta
        .site
        .clone()
        .or_else(|| {
            readable
                .as_ref()
                .and_then(|a| clean(a.site_name.as_deref()))
        })
        .or_else(|| meta.url.as_deref().and_then(host));
    let title = meta
        .title
        .clone()
        .or_else(|| readable.as_ref().and_then(|a| clean(Some(&a.title))))
        .map(|t| without_site_suffix(&t, site.as_deref()));
    let byline = readable.as_ref().and_then(|a| clean(a.byline.as_deref()));
    let author = meta
        .author
        .clone()
        .or_else(|| byline.as_deref().and_then(author_of_byline));
    let date = meta.date.clone().or_else(|| {
        readable
            .as_ref()
            .and_then(|a| clean(a.published_time.as_deref()))
    });
    Ok(Extracted {
        title,
        text,
        url: meta.url,
        site,
        author,
        date: date.or(meta.modified),
        byline,
        guid: None,
    })
}

/// The text of an HTML fragment (a feed item's content): its blocks as
/// paragraphs.
pub fn fragment_text(html: &str) -> String {
    let document = Document::fragment(html);
    paragraphs(&document.formatted_text())
}

/// The page as text: its declared character set, else UTF-8, else
/// Windows-1252.
fn decode_page(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    if let Some(encoding) = declared_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        // A page declaring UTF-8 but holding Latin-1 is common: bytes decide.
        if encoding != encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() {
            return encoding.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match decode::decode(bytes.to_vec()) {
        Ok(decoded) => decoded.text,
        Err(decode::Binary) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The character set a page declares in its first bytes: `<meta
/// charset=…>` or `<meta http-equiv=Content-Type content="…; charset=…">`.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        if let Some(encoding) = encoding_rs::Encoding::for_label(&value.as_bytes()[..end]) {
            // A page that says UTF-16 in ASCII bytes is not UTF-16.
            return Some(encoding.output_encoding());
        }
    }
    None
}

/// The metadata of a page, from its `<head>` and markup.
#[derive(Debug, Default)]
struct Meta {
    title: Option<String>,
    url: Option<String>,
    site: Option<String>,
    author: Option<String>,
    date: Option<String>,
    modified: Option<String>,
}

/// Publication dates in `<meta>`, by `property`, `name` or `itemprop`
/// (lower-cased), in order of trust.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
];

/// Modification dates: used only when no publication date is given.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
];

impl Meta {
    fn of(document: &Document) -> Meta {
        let metas = metas(document);
        let meta = |keys: &[&str]| {
            keys.iter()
                .find_map(|key| metas.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
        };
        let json_ld = JsonLd::of(document);
        let canonical = document
            .select("link[rel~=canonical]")
            .attr("href")
            .and_then(|href| clean(Some(&*href)))
            .filter(|href| href.starts_with("http"));
        Meta {
            title: meta(&["og:title", "dc.title", "dcterms.title", "twitter:title"])
                .or(json_ld.headline)
                .or_else(|| clean(Some(&document.select("head title").text()))),
            url: canonical.or_else(|| meta(&["og:url"])).or(json_ld.url),
            site: meta(&["og:site_name", "application-name"]).or(json_ld.publisher),
            author: meta(&["author", "dc.creator", "dcterms.creator", "article:author"])
                .filter(|a| !a.starts_with("http"))
                .or(json_ld.author)
                .map(|a| without_par(&a)),
            date: meta(PUBLISHED_KEYS)
                .or(json_ld.published)
                .or_else(|| publication_time(document)),
            modified: meta(MODIFIED_KEYS).or(json_ld.modified),
        }
    }
}

/// The `<meta>` key/value pairs of a page, keys lower-cased.
fn metas(document: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for node in document.select("meta[content]").nodes() {
        let Some(content) = clean(node.attr("content").as_deref()) else {
            continue;
        };
        for key in ["property", "name", "itemprop"] {
            if let Some(k) = node.attr(key) {
                out.push((k.trim().to_ascii_lowercase(), content.clone()));
            }
        }
    }
    out
}

/// What a page's JSON-LD says of its article.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    url: Option<String>,
    publisher: Option<String>,
    author: Option<String>,
    published: Option<String>,
    modified: Option<String>,
}

impl JsonLd {
    fn of(document: &Document) -> JsonLd {
        let mut out = JsonLd::default();
        for node in document
            .select(r#"script[type="application/ld+json"]"#)
            .nodes()
        {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&node.text()) else {
                continue;
            };
            for item in json_ld_items(&value) {
                let text = |key: &str| clean(item.get(key).and_then(json_name).as_deref());
                out.headline = out.headline.or_else(|| text("headline"));
                out.url = out
                    .url
                    .or_else(|| text("url").filter(|u| u.starts_with("http")));
                out.publisher = out.publisher.or_else(|| text("publisher"));
                out.author = out.author.or_else(|| text("author"));
                out.published = out.published.or_else(|| text("datePublished"));
                out.modified = out.modified.or_else(|| text("dateModified"));
            }
        }
        out
    }
}

/// The objects of a JSON-LD block that describe an article (top-level,
/// in an array or in an `@graph`).
fn json_ld_items(value: &serde_json::Value) -> Vec<&serde_json::Map<String, serde_json::Value>> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            serde_json::Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if map.contains_key("datePublished") || map.contains_key("headline") {
                    out.push(map);
                }
            }
            _ => {}
        }
    }
    out
}

/// A JSON-LD value as a name: a string, an object's `name`, the first of
/// an array.
fn json_name(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(map) => map.get("name").and_then(json_name),
        serde_json::Value::Array(items) => items.first().and_then(json_name),
        _ => None,
    }
}

/// The `datetime` of a `<time>` that dates the article: marked as its
/// publication date, or the first in the article's header.
fn publication_time(document: &Document) -> Option<String> {
    let marked = document.select(
        r#"time[itemprop=datePublished][datetime], time[pubdate][datetime], time.published[datetime], time.entry-date[datetime]"#,
    );
    // An unmarked `<time>` elsewhere in the body dates an event as often
    // as the article (an agenda, a deadline).
    let heading = document.select("article header time[datetime]");
    [marked, heading].iter().find_map(|s: &Selection| {
        s.nodes()
            .first()
            .and_then(|n| clean(n.attr("datetime").as_deref()))
    })
}

/// Parts of the class or id of French pages' furniture that Readability's
/// English patterns miss: subscription calls, newsletters, share bars,
/// "à lire aussi" blocks, breadcrumbs, consent banners.
const FURNITURE_NAMES: &[&str] = &[
    "abonn",
    "newsletter",
    "partage",
    "share",
    "lire-aussi",
    "lireaussi",
    "a-lire",
    "alire",
    "voir-aussi",
    "fil-ariane",
    "breadcrumb",
    "cookie",
    "rgpd",
    "consent",
];

/// Removes the elements whose class or id names them furniture.
fn remove_furniture(document: &Document) {
    let furniture: Vec<_> = document
        .select("[class], [id]")
        .nodes()
        .iter()
        .filter(|node| {
            let names = format!(
                "{} {}",
                node.attr("class").unwrap_or_default(),
                node.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            FURNITURE_NAMES.iter().any(|f| names.contains(f))
        })
        .cloned()
        .collect();
    for node in furniture {
        node.remove_from_parent();
    }
}

/// Elements that are never article text, for the whole-page fallback.
const FURNITURE: &str = "script, style, noscript, template, nav, header, footer, aside, form, button, iframe, svg, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]";

/// The text of a page Readability would not choose from: its `<article>`,
/// `<main>` or `<body>`, without navigation, headers, footers and asides.
fn whole_text(document: &Document) -> String {
    document.select(FURNITURE).remove();
    for selector in ["article", "main", "body"] {
        let selection = document.select(selector);
        if let Some(node) = selection.nodes().first() {
            let text = paragraphs(&node.formatted_text());
            if !text.trim().is_empty() {
                return text;
            }
        }
    }
    // The head (its title) is not text.
    String::new()
}

/// Formatted text as logis wants it: lines trimmed, runs of blank lines
/// made one, so paragraphs are separated by exactly one blank line.
fn paragraphs(text: &str) -> String {
    let text = decode::clean(text);
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// A metadata value trimmed, with its spaces made single; None when empty.
fn clean(value: Option<&str>) -> Option<String> {
    let value = value?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!value.is_empty()).then_some(value)
}

/// A byline without its `Par ` (`Par Julie Martin` → `Julie Martin`).
fn without_par(byline: &str) -> String {
    let trimmed = byline.trim();
    for prefix in ["Par ", "par ", "PAR ", "By ", "by "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    trimmed.to_string()
}

/// The author a byline names: `Par Claire Dubois — 14 mai 2024` → `Claire
/// Dubois`; none when the byline holds only a date or a marker.
fn author_of_byline(byline: &str) -> Option<String> {
    let name = without_par(byline);
    let name = name
        .split(['—', '–', '|', '·', ',', '\n'])
        .next()
        .unwrap_or_default()
        .trim();
    let folded = crate::analysis::fold::fold(name);
    let is_marker = ["publie", "mis a jour", "mise a jour", "le "]
        .iter()
        .any(|m| folded.starts_with(m));
    (!name.is_empty() && !is_marker && !name.contains(|c: char| c.is_ascii_digit()))
        .then(|| name.to_string())
}

/// A title without the site's name the page appends (`Titre | Site`,
/// `Titre - Site`, `Titre – Site`); the title as is when it holds nothing
/// else.
fn without_site_suffix(title: &str, site: Option<&str>) -> String {
    for separator in [" | ", " – ", " — ", " - ", " · ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail_is_site = site.is_some_and(|s| {
                crate::analysis::fold::fold(tail.trim()) == crate::analysis::fold::fold(s.trim())
            });
            // Without a known site name, a short last part after a bar is
            // a site name by convention.
            let short_tail = separator == " | " && tail.split_whitespace().count() <= 4;
            if !head.trim().is_empty() && (tail_is_site || short_tail) {
                return head.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

/// The host of an address (`https://www.site.fr/x` → `www.site.fr`).
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then(|| host.trim_start_matches("www.").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: u64 = 8 * 1024 * 1024;

    fn page(head: &str, body: &str) -> String {
        format!("<!doctype html><html lang=fr><head>{head}</head><body>{body}</body></html>")
    }

    fn article_body() -> String {
        let paragraph = "Le bailleur social a livré une résidence de vingt-quatre logements \
                         en location-accession, financés en PSLA, au cœur du quartier de la gare. \
                         Les ménages accédants paient une redevance pendant la phase locative.";
        format!(
            "<nav><a href=/>Accueil</a> <a href=/emploi>Recrutement</a></nav>\
             <div class=cookie-banner>Nous déposons des cookies. Accepter Refuser</div>\
             <article><h1>Vingt-quatre logements livrés</h1>\
             <p>{paragraph}</p><p>{paragraph} Deuxième paragraphe.</p><p>{paragraph} Troisième.</p>\
             </article>\
             <aside><h2>À lire aussi</h2><a href=/a>Une autre actualité sans rapport</a></aside>\
             <footer>Mentions légales · Plan du site</footer>"
        )
    }

    #[test]
    fn keeps_the_article_and_its_paragraphs_and_drops_the_page() {
        let html = page(
            r#"<title>Vingt-quatre logements livrés | Habitat Exemple</title>
               <link rel="canonical" href="https://www.habitat-exemple.fr/actu/24-logements">
               <meta property="og:site_name" content="Habitat Exemple">
               <meta name="author" content="Par Julie Martin">
               <meta property="article:published_time" content="2024-05-14T09:00:00+02:00">"#,
            &article_body(),
        );
        let page = read(html.as_bytes(), LIMIT).unwrap();
        assert!(page.text.contains("location-accession"), "{}", page.text);
        assert!(page.text.contains("\n\n"), "paragraphs kept: {}", page.text);
        for junk in ["cookies", "Recrutement", "lire aussi", "Mentions légales"] {
            assert!(!page.text.contains(junk), "{junk} in {}", page.text);
        }
        assert_eq!(page.title.as_deref(), Some("Vingt-quatre logements livrés"));
        assert_eq!(
            page.url.as_deref(),
            Some("https://www.habitat-exemple.fr/actu/24-logements")
        );
        assert_eq!(page.site.as_deref(), Some("Habitat Exemple"));
        assert_eq!(page.author.as_deref(), Some("Julie Martin"));
        assert_eq!(page.date.as_deref(), Some("2024-05-14T09:00:00+02:00"));
    }

    #[test]
    fn dates_from_json_ld_dublin_core_and_time_elements() {
        let json_ld = r#"<script type="application/ld+json">{"@context":"https://schema.org",
            "@graph":[{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","headline":"Titre",
            "datePublished":"2023-10-03T07:30:00+02:00","author":{"@type":"Person","name":"Léa Roux"},
            "publisher":{"@type":"Organization","name":"Le Journal de l'Habitat"}}]}</script>"#;
        let page_ld = read(page(json_ld, &article_body()).as_bytes(), LIMIT).unwrap();
        assert_eq!(page_ld.date.as_deref(), Some("2023-10-03T07:30:00+02:00"));
        assert_eq!(page_ld.author.as_deref(), Some("Léa Roux"));
        assert_eq!(page_ld.site.as_deref(), Some("Le Journal de l'Habitat"));

        let dc = r#"<meta name="DC.date" content="2022-11-04">"#;
        let page_dc = read(page(dc, &article_body()).as_bytes(), LIMIT).unwrap();
        assert_eq!(page_dc.date.as_deref(), Some("2022-11-04"));

        let body = article_body().replace(
            "<article><h1>",
            r#"<article><header><time datetime="2021-03-02">2 mars 2021</time></header><h1>"#,
        );
        let aside_time = body.replace(
            "<aside>",
            r#"<aside><time datetime="2019-01-01">1er janvier 2019</time>"#,
        );
        let page_time = read(page("", &aside_time).as_bytes(), LIMIT).unwrap();
        assert_eq!(page_time.date.as_deref(), Some("2021-03-02"));

        let modified_only = r#"<meta property="article:modified_time" content="2020-06-01">"#;
        let page_modified = read(page(modified_only, &article_body()).as_bytes(), LIMIT).unwrap();
        assert_eq!(page_modified.date.as_deref(), Some("2020-06-01"));
        let page_none = read(page("", &article_body()).as_bytes(), LIMIT).unwrap();
        assert_eq!(page_none.date, None);
    }

    #[test]
    fn declared_windows_1252_is_honoured() {
        let html = page(r#"<meta charset="windows-1252">"#, &article_body());
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
        let read_page = read(&bytes, LIMIT).unwrap();
        assert!(
            read_page.text.contains("cœur du quartier"),
            "{}",
            read_page.text
        );
        assert!(read_page.text.contains("accédants"));
        // And with the declaration in a http-equiv content type.
        let html = page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">"#,
            "<p>Réhabilitation énergétique à Saint-Étienne.</p>",
        );
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
        let read_page = read(&bytes, LIMIT).unwrap();
        assert_eq!(
            read_page.text,
            "Réhabilitation énergétique à Saint-Étienne."
        );
    }

    #[test]
    fn short_pages_and_fragments_are_read_whole() {
        let html = page(
            "<title>Brève</title>",
            "<nav>Menu Accueil</nav><main><p>Premier paragraphe court.</p><p>Second.</p></main><footer>Pied</footer>",
        );
        let read_page = read(html.as_bytes(), LIMIT).unwrap();
        assert_eq!(read_page.text, "Premier paragraphe court.\n\nSecond.");
        assert_eq!(
            fragment_text("<p>Un <b>premier</b> paragraphe.</p><p>Un second.</p>"),
            "Un premier paragraphe.\n\nUn second."
        );
        assert_eq!(
            read(page_empty().as_bytes(), LIMIT),
            Err(Unreadable::NoText)
        );
    }

    fn page_empty() -> String {
        page("<title>Rien</title>", "<nav>Menu</nav>")
    }

    #[test]
    fn site_suffixes_leave_titles() {
        assert_eq!(
            without_site_suffix("Démolition à Lens - Habitat Nord", Some("Habitat Nord")),
            "Démolition à Lens"
        );
        assert_eq!(
            without_site_suffix("Démolition à Lens | Le Fil", None),
            "Démolition à Lens"
        );
        // A dash inside a title without a site is part of it.
        assert_eq!(
            without_site_suffix("Lens - la cité des Provinces renaît", None),
            "Lens - la cité des Provinces renaît"
        );
        assert_eq!(host("https://www.site.fr/a/b"), Some("site.fr".to_string()));
    }
}
