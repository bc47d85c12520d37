//! RSS and Atom feeds: one article per item, with its link, title, date and
//! content, parsed by `feed-rs`. HTML content goes through the HTML
//! fragment reader; plain text keeps its paragraphs.
//!
//! Dates are kept as the feed writes them, on the feed's calendar: the
//! timestamps are read by logis's own date rules (RFC 2822 and ISO 8601
//! among them) rather than converted to UTC, which would move an item
//! published at 00:30 in Paris to the day before.

use chrono::{DateTime, NaiveDate, Utc};
use feed_rs::model::{Entry, Text};

use super::{article_text, html, Extracted, Unreadable};
use crate::corpus::dates::parse_date;

/// Whether the start of an `.xml` file is a feed (an `<rss>`, Atom
/// `<feed>` or RSS 1.0 `<rdf:RDF>` root).
pub fn looks_like_feed(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    // Skip the XML declaration, comments and processing instructions.
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        return rest.starts_with("rss") || rest.starts_with("feed") || rest.starts_with("rdf:rdf");
    }
    false
}

/// Reads a feed: its items, each an article or the reason it is not one.
pub fn read(
    bytes: &[u8],
    max_text_bytes: u64,
) -> Result<Vec<Result<Extracted, Unreadable>>, Unreadable> {
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(calendar_timestamp)
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| Unreadable::Damaged(format!("not a readable feed: {e}")))?;
    let site = feed.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    Ok(feed
        .entries
        .iter()
        .map(|entry| item(entry, site.as_deref(), max_text_bytes))
        .collect())
}

/// A timestamp as feeds write it, read on its own calendar: the date is
/// kept, at noon UTC, so that taking its date gives the written day back.
fn calendar_timestamp(written: &str) -> Option<DateTime<Utc>> {
    let iso = parse_date(written)?;
    let mut parts = iso.split('-').map(|p| p.parse::<u32>().ok());
    let year = parts.next()??;
    let month = parts.next().flatten().unwrap_or(1);
    let day = parts.next().flatten().unwrap_or(1);
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(date.and_hms_opt(12, 0, 0)?.and_utc())
}

fn item(entry: &Entry, site: Option<&str>, max_text_bytes: u64) -> Result<Extracted, Unreadable> {
    let content = entry
        .content
        .as_ref()
        .and_then(|c| {
            c.body
                .as_deref()
                .map(|body| (body, c.content_type.to_string()))
        })
        .filter(|(body, _)| !body.trim().is_empty())
        .or_else(|| {
            entry
                .summary
                .as_ref()
                .map(|s| (s.content.as_str(), s.content_type.to_string()))
        });
    let text = match content {
        Some((body, kind)) if kind.contains("html") || body.contains("</") => {
            html::fragment_text(body)
        }
        Some((body, _)) => html::fragment_text(&body.replace("\n\n", "<br><br>")),
        None => String::new(),
    };
    let text = article_text(text, max_text_bytes)?;
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|href| !href.is_empty());
    let date = entry
        .published
        .or(entry.updated)
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string());
    Ok(Extracted {
        title: entry.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
        text,
        url: link,
        site: site.map(str::to_string),
        author: entry
            .authors
            .iter()
            .find_map(|p| p.name.as_deref().or(p.email.as_deref()))
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        date,
        byline: None,
        guid: Some(entry.id.clone()).filter(|id| !id.is_empty()),
    })
}

/// The text of a feed's text construct (a title may hold markup).
fn text_of(text: &Text) -> String {
    let content = if text.content_type.to_string().contains("html") {
        html::fragment_text(&text.content)
    } else {
        text.content.clone()
    };
    content.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: u64 = 8 * 1024 * 1024;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Les nouvelles du logement</title><link>https://nouvelles.example/</link>
<item><title>Première pierre à Creil</title><link>https://nouvelles.example/creil</link>
<guid>creil-1</guid><pubDate>Wed, 06 Mar 2024 00:30:00 +0100</pubDate>
<description>&lt;p&gt;Quarante logements sociaux.&lt;/p&gt;&lt;p&gt;Livraison en 2026.&lt;/p&gt;</description></item>
<item><title>Brève</title><guid>breve-2</guid><description>Un texte simple.</description></item>
<item><title>Vide</title><guid>vide-3</guid></item>
</channel></rss>"#;

    #[test]
    fn rss_items_are_articles_with_their_dates_on_the_feed_calendar() {
        let items = read(RSS.as_bytes(), LIMIT).unwrap();
        assert_eq!(items.len(), 3);
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.title.as_deref(), Some("Première pierre à Creil"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://nouvelles.example/creil")
        );
        assert_eq!(first.site.as_deref(), Some("Les nouvelles du logement"));
        // 00:30 in Paris is still the 6th, not the 5th in UTC.
        assert_eq!(first.date.as_deref(), Some("2024-03-06"));
        assert_eq!(
            first.text,
            "Quarante logements sociaux.\n\nLivraison en 2026."
        );
        assert_eq!(first.guid.as_deref(), Some("creil-1"));
        assert_eq!(items[1].as_ref().unwrap().text, "Un texte simple.");
        assert_eq!(items[2], Err(Unreadable::NoText));
    }

    #[test]
    fn atom_entries_and_feed_sniffing() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Fil Habitat</title><id>urn:fil</id>
<updated>2024-01-02T00:00:00Z</updated>
<entry><id>urn:fil:1</id><title>Réhabilitation à Douai</title>
<link rel="alternate" href="https://fil.example/douai"/><published>2024-01-02T08:00:00+01:00</published>
<updated>2024-01-03T08:00:00+01:00</updated><author><name>Marc Petit</name></author>
<content type="html">&lt;p&gt;Cent logements réhabilités.&lt;/p&gt;</content></entry></feed>"#;
        assert!(looks_like_feed(atom.as_bytes()));
        assert!(looks_like_feed(RSS.as_bytes()));
        assert!(!looks_like_feed(b"<?xml version=\"1.0\"?><svg></svg>"));
        let items = read(atom.as_bytes(), LIMIT).unwrap();
        let entry = items[0].as_ref().unwrap();
        assert_eq!(entry.date.as_deref(), Some("2024-01-02"));
        assert_eq!(entry.author.as_deref(), Some("Marc Petit"));
        assert_eq!(entry.url.as_deref(), Some("https://fil.example/douai"));
        assert_eq!(entry.text, "Cent logements réhabilités.");
        assert!(matches!(
            read(b"<rss><channel>", LIMIT),
            Err(Unreadable::Damaged(_))
        ));
    }
}
