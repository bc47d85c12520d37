//! An article's passages as tantivy documents: text for both text fields,
//! facet values (each value's stored form in the value field, its name and
//! code in the key field filters match), dates, and the article's record on
//! its first passage.

use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::TantivyDocument;

use super::digest::{halves, Digest};
use super::Fields;
use crate::corpus::dates::DateSource;
use crate::corpus::passages::Passage;
use crate::corpus::{parse_day, parse_year, Article};
use crate::extract::operations::Operation;
use crate::facets::{FacetRef, Facets, Scope};

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

/// The record of an article, stored with its first passage: what `logis
/// docs` lists.
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
    /// (not the years mentioned).
    #[serde(rename = "values", with = "stored_values")]
    pub facets: Facets,
    /// The values the article is about (see
    /// [`crate::extract::Extractor::article_scope`]).
    #[serde(with = "stored_values")]
    pub about: Facets,
}

impl ArticleRecord {
    /// The record as stored: JSON.
    fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a record written by [`ArticleRecord::to_stored`].
    pub(crate) fn from_stored(json: &str) -> Option<ArticleRecord> {
        serde_json::from_str(json).ok()
    }
}

/// An article's facet values as stored: their stored forms by field, which
/// is compact (one record per article of the archive).
mod stored_values {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::facets::{FacetField, FacetValue, Facets};

    pub fn serialize<S: Serializer>(facets: &Facets, serializer: S) -> Result<S::Ok, S::Error> {
        let mut values: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for value in facets.values() {
            values
                .entry(value.field().name())
                .or_default()
                .push(value.to_stored());
        }
        values.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Facets, D::Error> {
        let values = BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        let mut facets = Facets::default();
        for (name, values) in &values {
            let field = FacetField::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown field {name}")))?;
            for value in values {
                facets.push(FacetValue::from_stored(field, value));
            }
        }
        Ok(facets)
    }
}

/// The publication date of an article (ISO) and where it came from.
pub(crate) type Dated = Option<(String, DateSource)>;

/// The tantivy documents of an article's passages. `facets` are the
/// extracted values of each passage, `given` the completed values given
/// with the article, which hold for all its passages, `about` the values
/// the article is about: each passage carries them in the article-scope
/// fields, with its own.
#[allow(clippy::too_many_arguments)]
pub(crate) fn passage_documents(
    fields: &Fields,
    article: &Article,
    meta: &Meta,
    passages: &[Passage],
    mut facets: Vec<Facets>,
    given: &Facets,
    about: Facets,
    dated: Dated,
    operations: &[Operation],
) -> Vec<TantivyDocument> {
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
    let mut record = Some(ArticleRecord {
        doc: article.id.clone(),
        title: article.title.clone(),
        date: date.clone(),
        date_source,
        year,
        source: article.source.clone(),
        url: article.url.clone(),
        site: article.site.clone(),
        author: article.author.clone(),
        passages: passages.len() as u32,
        facets: union,
        about: about.clone(),
    });
    let about: Vec<Indexable> = about
        .values()
        .filter_map(|value| Indexable::of(fields, value, Scope::Article))
        .collect();
    passages
        .iter()
        .zip(&facets)
        .map(|(passage, facets)| {
            let text = passage.text(&article.text);
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.doc, &article.id);
            doc.add_u64(fields.passage, u64::from(passage.ordinal));
            if let Some(title) = &article.title {
                doc.add_text(fields.title, title);
            }
            if let Some(heading) = &passage.heading {
                doc.add_text(fields.heading, heading);
            }
            doc.add_text(fields.text, text);
            doc.add_text(fields.text_exact, text);
            doc.add_text(fields.body, text);
            if let Some(year) = year {
                doc.add_i64(fields.year, year);
            }
            for &mentioned in &facets.years {
                doc.add_i64(fields.years, mentioned);
            }
            if let Some(date) = &date {
                doc.add_text(fields.date, date);
            }
            doc.add_i64(fields.day, day);
            add_facets(fields, facets, &about, &mut doc);
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
            // What concerns the article as a whole, once.
            if let Some(record) = record.take() {
                let (low, high) = halves(meta.digest);
                doc.add_u64(fields.digest, low);
                doc.add_u64(fields.digest_high, high);
                doc.add_text(fields.file, &meta.file);
                doc.add_text(fields.article, record.to_stored());
            }
            doc
        })
        .collect()
}

/// A facet value ready to add to a document: its fields, the keys a
/// filter may use (names, codes) and its stored form.
struct Indexable<'a> {
    value: FacetRef<'a>,
    keys: Field,
    values: Field,
    stored: String,
}

impl<'a> Indexable<'a> {
    fn of(fields: &Fields, value: FacetRef<'a>, scope: Scope) -> Option<Indexable<'a>> {
        if value.name().trim().is_empty() {
            return None;
        }
        let (keys, values) = fields.facet_fields(value.field(), scope)?;
        Some(Indexable {
            value,
            keys,
            values,
            stored: value.to_stored(),
        })
    }

    fn add_to(&self, doc: &mut TantivyDocument) {
        for key in self.value.keys() {
            doc.add_text(self.keys, key);
        }
        doc.add_text(self.values, &self.stored);
    }
}

/// Adds facet values: stored forms to the value fields, and the keys a
/// filter may use to the key fields; in the article-scope fields, the
/// values its article is about (`about`, prepared once per article) and
/// the passage's own.
fn add_facets(fields: &Fields, facets: &Facets, about: &[Indexable], doc: &mut TantivyDocument) {
    for value in facets.values() {
        if let Some(value) = Indexable::of(fields, value, Scope::Passage) {
            value.add_to(doc);
        }
    }
    for value in about {
        value.add_to(doc);
    }
    for value in facets.values() {
        if about.iter().any(|a| a.value == value) {
            continue;
        }
        if let Some(value) = Indexable::of(fields, value, Scope::Article) {
            value.add_to(doc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::{Area, Commune, Term};

    #[test]
    fn records_round_trip_through_their_stored_form() {
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
        assert!(stored.contains(r#""product":["PSLA"]"#), "{stored}");
        assert!(
            stored.contains(r#""about":{"programme":["NPNRU"]}"#),
            "{stored}"
        );
        assert_eq!(ArticleRecord::from_stored(&stored), Some(record));
        assert_eq!(ArticleRecord::from_stored("{}"), None);
    }
}
