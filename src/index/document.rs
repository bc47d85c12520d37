//! An article as a block of tantivy documents: its article document
//! (title, dates, what it is about, its record), then its passages (text
//! and phrase tokens, heading, the values each names, operations). Facet
//! values go to the values column (their facet and stored form) and a key
//! field (their folded name and code, which filters match).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use super::digest::{halves, Digest};
use super::schema::{article_key, facet_value_term};
use super::Fields;
use crate::analysis::{facet_key, PackedText};
use crate::corpus::dates::DateSource;
use crate::corpus::passages::Passage;
use crate::corpus::{parse_day, parse_year, Article};
use crate::extract::operations::Operation;
use crate::facets::{FacetRef, FacetValue, Facets};

/// What indexing adds to an article: its digest, its file's absolute
/// path, and whether it replaces passages.
pub(crate) struct Meta {
    pub digest: Digest,
    pub file: String,
    /// Whether passages of the article may already be in the index (an
    /// earlier version, or the same id earlier in this run): only then are
    /// they deleted first.
    pub replaces: bool,
}

/// The record of an article, stored on its article document: what `logis
/// docs` lists, and what a hit shows of its article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// Article id.
    pub doc: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Publication date, ISO.
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Publication year, from the date.
    pub year: Option<i64>,
    /// Where it was read: a path, with `:line` for JSON Lines.
    pub source: String,
    /// Where it was published, when known.
    pub url: Option<String>,
    /// The site or publisher, when known.
    pub site: Option<String>,
    /// The author, when known.
    pub author: Option<String>,
    /// Number of passages.
    pub passages: u32,
    /// The facet values of all its passages, and those given with it
    /// (not the years mentioned). Not stored: read back from the fast
    /// columns of its passages.
    #[serde(skip)]
    pub facets: Facets,
    /// The values the article is about (see
    /// [`crate::extract::Extractor::article_scope`]). Not stored: read back
    /// from the fast columns of its article document.
    #[serde(skip)]
    pub about: Facets,
}

impl ArticleRecord {
    /// The record as stored: JSON, without the facet values (which the
    /// index holds in fast columns).
    fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a record written by [`ArticleRecord::to_stored`].
    pub(crate) fn from_stored(json: &str) -> Option<ArticleRecord> {
        serde_json::from_str(json).ok()
    }
}

/// The publication date of an article (ISO) and where it came from.
pub(crate) type Dated = Option<(String, DateSource)>;

/// The tokens of an article's text fields, analysed once (see
/// `analysis::tokenizer`): its title's, and each passage's text, phrase
/// and heading tokens.
#[derive(Default)]
pub(crate) struct ArticleTokens {
    pub title: Option<PackedText>,
    pub passages: Vec<PassageTokens>,
}

/// The tokens of one passage's fields.
#[derive(Default)]
pub(crate) struct PassageTokens {
    pub text: PackedText,
    pub exact: PackedText,
    pub phrases: PackedText,
    pub heading: Option<PackedText>,
}

/// What an article is made of, extracted and analysed: the input of
/// [`article_documents`].
pub(crate) struct Extracted<'a> {
    pub passages: &'a [Passage],
    /// The values each passage names.
    pub facets: Vec<Facets>,
    /// The values given with the article, completed: they hold for all
    /// its passages.
    pub given: &'a Facets,
    /// The values the article is about.
    pub about: Facets,
    pub dated: Dated,
    pub operations: &'a [Operation],
    pub tokens: ArticleTokens,
}

/// The tantivy documents of an article, as one block: its article
/// document (title, dates, what it is about, record, digest), then its
/// passages in order (text, heading, the values each names, operations).
/// The caller adds the story and signature to the article document (the
/// first).
pub(crate) fn article_documents(
    fields: &Fields,
    article: &Article,
    meta: &Meta,
    extracted: Extracted,
    keys: &mut KeyCache,
) -> Vec<TantivyDocument> {
    let Extracted {
        passages,
        mut facets,
        given,
        about,
        dated,
        operations,
        tokens,
    } = extracted;
    let (date, date_source) = match dated {
        Some((date, source)) => (Some(date), Some(source)),
        None => (None, None),
    };
    let year = date.as_deref().and_then(parse_year);
    // The article carries the union of its passages' values.
    let mut union = Facets::default();
    for passage_facets in &mut facets {
        passage_facets.merge(given);
        union.merge(passage_facets);
    }
    union.merge(given);
    union.years.clear();
    let day = date.as_deref().and_then(parse_day).unwrap_or(0);
    let mut documents = Vec::with_capacity(passages.len() + 1);

    let mut head = TantivyDocument::default();
    head.add_text(fields.doc, &article.id);
    head.add_u64(fields.offset, 0);
    if let Some(title) = &tokens.title {
        head.add_text(fields.title, title.as_str());
    }
    if let Some(year) = year {
        head.add_i64(fields.year, year);
    }
    head.add_i64(fields.day, day);
    let (low, high) = halves(meta.digest);
    head.add_u64(fields.digest, low);
    head.add_u64(fields.digest_high, high);
    head.add_text(fields.file, &meta.file);
    add_facets(fields, &about, keys, Kind::Article, &mut head);
    let record = ArticleRecord {
        doc: article.id.clone(),
        title: article.title.clone(),
        date,
        date_source,
        year,
        source: article.source.clone(),
        url: article.url.clone(),
        site: article.site.clone(),
        author: article.author.clone(),
        passages: passages.len() as u32,
        facets: union,
        about,
    };
    head.add_text(fields.article, record.to_stored());
    documents.push(head);

    for ((passage, facets), tokens) in passages.iter().zip(&facets).zip(&tokens.passages) {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.doc, &article.id);
        doc.add_u64(fields.offset, u64::from(passage.ordinal) + 1);
        if let (Some(heading), Some(packed)) = (&passage.heading, &tokens.heading) {
            doc.add_text(fields.heading, packed.as_str());
            doc.add_text(fields.heading_text, heading);
        }
        doc.add_text(fields.text, tokens.text.as_str());
        if !tokens.exact.is_empty() {
            doc.add_text(fields.exact, tokens.exact.as_str());
        }
        if !tokens.phrases.is_empty() {
            doc.add_text(fields.phrases, tokens.phrases.as_str());
        }
        doc.add_text(fields.body, passage.text(&article.text));
        for &mentioned in &facets.years {
            doc.add_i64(fields.years, mentioned);
        }
        add_facets(fields, facets, keys, Kind::Passage, &mut doc);
        // Each operation on the passage stating its dwellings.
        let stated: Vec<&Operation> = operations
            .iter()
            .filter(|o| o.passages.first() == Some(&passage.ordinal))
            .collect();
        if !stated.is_empty() {
            if let Ok(json) = serde_json::to_string(&stated) {
                doc.add_text(fields.operations, json);
                doc.add_u64(fields.operation_count, stated.len() as u64);
                for keys in stated.iter().map(|o| o.link_keys()) {
                    for key in keys.all() {
                        doc.add_text(fields.operation_link, key);
                    }
                }
            }
        }
        documents.push(doc);
    }
    documents
}

/// Most facet values a [`KeyCache`] remembers before starting afresh.
const KEY_CACHE_MAX: usize = 20_000;

/// The value terms and folded keys of facet values: the same few thousand
/// values come back on most articles, and each is written and folded once.
#[derive(Default)]
pub(crate) struct KeyCache {
    /// By the value's hash: the values of that hash.
    entries: FxHashMap<u64, Vec<CachedValue>>,
    len: usize,
}

struct CachedValue {
    value: FacetValue,
    /// Its term in the values column.
    term: String,
    keys: Vec<String>,
}

impl KeyCache {
    /// The values-column term of `value` and the keys a filter on it matches: its
    /// folded name and code.
    fn get(&mut self, value: FacetRef) -> (&str, &[String]) {
        let hash = {
            let mut hasher = rustc_hash::FxHasher::default();
            value.hash(&mut hasher);
            hasher.finish()
        };
        let known = self
            .entries
            .get(&hash)
            .and_then(|list| list.iter().position(|c| c.value.borrowed() == Ok(value)));
        let at = match known {
            Some(at) => at,
            None => {
                if self.len >= KEY_CACHE_MAX {
                    self.entries.clear();
                    self.len = 0;
                }
                let keys = value
                    .keys()
                    .map(facet_key)
                    .filter(|k| !k.is_empty())
                    .collect();
                let list = self.entries.entry(hash).or_default();
                list.push(CachedValue {
                    value: value.to_value(),
                    term: facet_value_term(value.field(), &value.to_stored()),
                    keys,
                });
                self.len += 1;
                list.len() - 1
            }
        };
        let cached = &self.entries[&hash][at];
        (&cached.term, &cached.keys)
    }
}

/// Which document values are added to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Passage,
}

/// Adds facet values to `doc`: each value's term to the values column, and
/// the folded keys a filter may use (name, code) to its key field; an
/// article document's keys are prefixed (see [`super::schema::article_key`]).
fn add_facets(
    fields: &Fields,
    facets: &Facets,
    keys: &mut KeyCache,
    kind: Kind,
    doc: &mut TantivyDocument,
) {
    for value in facets.values() {
        if value.name().trim().is_empty() {
            continue;
        }
        let Some(key_field) = fields.facet_key(value.field()) else {
            continue;
        };
        let (term, value_keys) = keys.get(value);
        for key in value_keys {
            match kind {
                Kind::Article => doc.add_text(key_field, article_key(key)),
                Kind::Passage => doc.add_text(key_field, key),
            }
        }
        doc.add_text(fields.facet_values, term);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::{Area, Commune, Term};

    #[test]
    fn records_round_trip_through_their_stored_form_without_values() {
        let record = ArticleRecord {
            doc: "a".into(),
            title: Some("Un titre".into()),
            date: Some("2021-10-19".into()),
            date_source: Some(DateSource::Text),
            year: Some(2021),
            source: "a.txt".into(),
            url: None,
            site: Some("Le Fil".into()),
            author: None,
            passages: 3,
            facets: Facets {
                organisations: vec![Term {
                    name: "CDC Habitat".into(),
                    kind: "groupe".into(),
                }],
                communes: vec![Commune {
                    name: "Senlis".into(),
                    insee: "60612".into(),
                    departement: Area {
                        code: "60".into(),
                        name: "Oise".into(),
                    },
                    region: Area {
                        code: "32".into(),
                        name: "Hauts-de-France".into(),
                    },
                }],
                products: vec![Term::named("PSLA")],
                ..Facets::default()
            },
            about: Facets {
                programmes: vec![Term::named("NPNRU")],
                ..Facets::default()
            },
        };
        let stored = record.to_stored();
        // The values are the fast columns' to keep, not the record's.
        assert!(
            !stored.contains("PSLA") && !stored.contains("NPNRU"),
            "{stored}"
        );
        let read = ArticleRecord::from_stored(&stored).unwrap();
        assert_eq!(
            read,
            ArticleRecord {
                facets: Facets::default(),
                about: Facets::default(),
                ..record
            }
        );
        assert_eq!(ArticleRecord::from_stored("{}"), None);
    }
}
