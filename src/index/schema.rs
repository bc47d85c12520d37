//! The tantivy schema over passages: the names of its fields (the one
//! place they are written), their options, and typed handles to them.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use crate::analysis::PACKED;
use crate::facets::FacetField;

/// Version of the index layout (fields, their options, stored records) and
/// of what fills them. Bump it whenever the schema, the meaning of a stored
/// value or the extraction of facet values changes.
/// 2: places, programmes and housing products extracted from the text.
/// 3: a `day` fast field to sort by date; `digest` and `file` fast fields
/// for incremental indexing.
/// 4: facet values stored with their codes and kinds; a 128-bit digest (two
/// fields), with the file, on each article's first passage only.
/// 5: web pages, PDFs, Word files and feeds; dates with their source; the
/// story (syndicated copies) of each passage and the article's signature.
/// 6: article-scope facet fields (what the article is about, on each of its
/// passages); stricter extraction of communes, organisations and products.
/// 7: an article's passages written as one group, so they follow each
/// other in one segment (facet counts count articles by that).
/// 8: housing operations (`crate::extract::operations`), stored as JSON on
/// the passage stating each one's dwellings, which is marked.
/// 9: each operation's link keys indexed, so that reports of one operation
/// are linked across the whole index.
/// 10: an article document heads each block of passages and holds what
/// concerns the article once (title, dates, what it is about, record,
/// story); stems and acronyms in one positional text field, exact forms in a
/// field without positions;
/// index tokens for phrases; values kept once, in fast columns.
/// 11: an article document's filter keys carry a prefix of their own, so
/// that a key alone finds passages.
/// 12: the values of every facet in one fast column (see
/// `facet_value_term`): a count reads a document's values at once.
pub const SCHEMA_VERSION: u32 = 12;

/// What starts the filter keys of an article document (a control
/// character, which no folded value holds): the key of a value finds the
/// passages naming it, the prefixed key the articles about it, each a
/// single term (no exclusion of the other kind of document).
pub(crate) const ARTICLE_KEY_PREFIX: char = '\u{1}';

/// The key of `key` on article documents.
pub(crate) fn article_key(key: &str) -> String {
    let mut prefixed = String::with_capacity(key.len() + 1);
    prefixed.push(ARTICLE_KEY_PREFIX);
    prefixed.push_str(key);
    prefixed
}

/// Names of the fields.
pub(crate) mod name {
    /// Article id (every document of the article: deletes find them all).
    pub const DOC: &str = "doc";
    /// Where a document stands in its article's block: 0 for the article
    /// document, 1 + the passage's ordinal for a passage.
    pub const OFFSET: &str = "offset";
    /// Article title (article document).
    pub const TITLE: &str = "title";
    /// Passage heading, analysed.
    pub const HEADING: &str = "heading";
    /// Passage heading as in the source.
    pub const HEADING_TEXT: &str = "heading_text";
    /// Passage text: stems and acronyms, with positions.
    pub const TEXT: &str = "text";
    /// Passage text: the exact forms that differ from their stems.
    pub const EXACT: &str = "exact";
    /// Index tokens of phrases: gazetteer names and pairs of frequent words.
    pub const PHRASES: &str = "phrases";
    /// Passage text as in the source.
    pub const BODY: &str = "body";
    /// Publication year (article document).
    pub const YEAR: &str = "year";
    /// Years a passage mentions.
    pub const YEARS: &str = "years";
    /// Publication date as a sortable number (article document).
    pub const DAY: &str = "day";
    /// Article digest, low 64 bits (article document).
    pub const DIGEST: &str = "digest";
    /// Article digest, high 64 bits (article document).
    pub const DIGEST_HIGH: &str = "digest_high";
    /// Article file (article document).
    pub const FILE: &str = "file";
    /// Article record (article document).
    pub const ARTICLE: &str = "article";
    /// The story an article tells (see `copies`; article document).
    pub const STORY: &str = "story";
    /// An article's MinHash signature (article document).
    pub const SIGNATURE: &str = "signature";
    /// The housing operations a passage states, as JSON.
    pub const OPERATIONS: &str = "operations";
    /// How many operations a passage states (indexed: finds them).
    pub const OPERATION_COUNT: &str = "operation_count";
    /// The link keys of a passage's operations (indexed: finds the other
    /// reports of an operation).
    pub const OPERATION_LINK: &str = "operation_link";
    /// The values of every text facet (fast column of
    /// [`super::facet_value_term`]s).
    pub const FACET_VALUES: &str = "facet_values";
}

/// The name of the field of filter keys of a facet (`commune`): on an
/// article document the keys of the values it is about (prefixed, see
/// [`article_key`]), on a passage those of the values it names.
pub(crate) fn facet_key_name(field: FacetField) -> String {
    field.name().to_string()
}

/// What separates a facet's name from a value's stored form in the terms
/// of [`name::FACET_VALUES`] (a control character no stored form holds).
const FACET_VALUE_SEPARATOR: char = '\u{1f}';

/// The term of [`name::FACET_VALUES`] for the stored form of a value of
/// `field` (`commune␟Senlis|60612|…`): the facet's name first, so that
/// the values of one facet are a run of the column's ordinals, in the
/// order of their stored forms.
pub(crate) fn facet_value_term(field: FacetField, stored: &str) -> String {
    format!("{}{FACET_VALUE_SEPARATOR}{stored}", field.name())
}

/// The terms of [`name::FACET_VALUES`] of the values of `field` are those
/// from the first bound (included) to the second (excluded).
pub(crate) fn facet_value_bounds(field: FacetField) -> (String, String) {
    // The character after the separator.
    const NEXT: char = '\u{20}';
    (
        facet_value_term(field, ""),
        format!("{}{NEXT}", field.name()),
    )
}

/// The facet and stored form of a term of [`name::FACET_VALUES`]; `None`
/// for a term of no text facet.
pub(crate) fn split_facet_value_term(term: &str) -> Option<(FacetField, &str)> {
    let (facet, stored) = term.split_once(FACET_VALUE_SEPARATOR)?;
    let field = text_facets().find(|f| f.name() == facet)?;
    Some((field, stored))
}

/// Handles to the fields of a logis index.
///
/// An article is a block of documents written together (see
/// `index::blocks`): its article document, then its passages, in order.
/// What concerns the article is on its article document only.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// Article id: raw, exact match, on every document of the article
    /// (fast on the article document).
    pub doc: Field,
    /// Where a document stands in its block (indexed and fast).
    pub offset: Field,
    /// Article title, with positions (article document).
    pub title: Field,
    /// Passage heading, with positions.
    pub heading: Field,
    /// Passage heading as in the source (stored only).
    pub heading_text: Field,
    /// Passage text: each word's stem, and at the same position its
    /// acronym term (see `analysis::tokenizer`), with positions.
    pub text: Field,
    /// Passage text: the exact folded forms that differ from their stems,
    /// with frequencies only (they rank, phrases match stems).
    pub exact: Field,
    /// Index tokens of phrases (see `analysis::phrases`), with positions,
    /// no norms.
    pub phrases: Field,
    /// Passage text as in the source (stored only).
    pub body: Field,
    /// Publication year (article document; indexed and fast: ranges).
    pub year: Field,
    /// Years the passage mentions (fast).
    pub years: Field,
    /// The date as a sortable `YYYYMMDD` number (fast), 0 when unknown
    /// (article document).
    pub day: Field,
    /// The article's digest, its low and high 64 bits (fast, article
    /// document): unchanged articles are not indexed again.
    pub digest: Field,
    /// See [`Fields::digest`].
    pub digest_high: Field,
    /// The absolute path of the article's file (fast, article document),
    /// for `--prune`.
    pub file: Field,
    /// The article's record as JSON (source, URL, date, facet values...),
    /// stored on its article document.
    pub article: Field,
    /// The key of the story the article tells: its id's, or that of the
    /// article it is a syndicated copy of (indexed and fast, article
    /// document).
    pub story: Field,
    /// The article's MinHash signature (fast bytes, article document).
    pub signature: Field,
    /// The operations a passage states, as a stored JSON array.
    pub operations: Field,
    /// How many operations a passage states (indexed, only when some).
    pub operation_count: Field,
    /// The link keys of a passage's operations (indexed).
    pub operation_link: Field,
    /// Per text facet: the field of filter keys and the field of values.
    facets: Vec<(FacetField, Field)>,
    /// The stored forms of the values of every text facet, as
    /// [`facet_value_term`]s, on the same documents as their keys.
    pub facet_values: Field,
}

/// The facet fields stored as text: all but the year.
fn text_facets() -> impl Iterator<Item = FacetField> {
    FacetField::ALL
        .into_iter()
        .filter(|&f| f != FacetField::Year)
}

impl Fields {
    /// The field holding the folded keys a filter on `field` matches
    /// (`compiegne`, `60159`); `None` for the year.
    pub fn facet_key(&self, field: FacetField) -> Option<Field> {
        self.facets.iter().find(|f| f.0 == field).map(|f| f.1)
    }

    /// Reads the handles from a schema; `None` when a field is missing
    /// (an index of another layout).
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let get = |name: &str| schema.get_field(name).ok();
        let mut facets = Vec::new();
        for field in text_facets() {
            facets.push((field, get(&facet_key_name(field))?));
        }
        Some(Fields {
            doc: get(name::DOC)?,
            offset: get(name::OFFSET)?,
            title: get(name::TITLE)?,
            heading: get(name::HEADING)?,
            heading_text: get(name::HEADING_TEXT)?,
            text: get(name::TEXT)?,
            exact: get(name::EXACT)?,
            phrases: get(name::PHRASES)?,
            body: get(name::BODY)?,
            year: get(name::YEAR)?,
            years: get(name::YEARS)?,
            day: get(name::DAY)?,
            digest: get(name::DIGEST)?,
            digest_high: get(name::DIGEST_HIGH)?,
            file: get(name::FILE)?,
            article: get(name::ARTICLE)?,
            story: get(name::STORY)?,
            signature: get(name::SIGNATURE)?,
            operations: get(name::OPERATIONS)?,
            operation_count: get(name::OPERATION_COUNT)?,
            operation_link: get(name::OPERATION_LINK)?,
            facets,
            facet_values: get(name::FACET_VALUES)?,
        })
    }
}

/// The value of a single-valued string fast column for `doc`, into `out`
/// (empty when the document has none).
pub(crate) fn fast_str(
    column: &tantivy::columnar::StrColumn,
    doc: tantivy::DocId,
    out: &mut String,
) -> std::io::Result<()> {
    out.clear();
    if let Some(ord) = column.term_ords(doc).next() {
        column.ord_to_str(ord, out)?;
    }
    Ok(())
}

/// Builds the logis schema. Text fields take tokens analysed by logis
/// ([`PACKED`]); filter keys are folded by logis and indexed as they come
/// (`raw`), without norms, as is every field no score reads.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    let analysed = |norms: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PACKED)
                .set_fieldnorms(norms)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let raw_key = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false)
                .set_index_option(record),
        )
    };
    let indexed_fast = NumericOptions::default().set_indexed().set_fast();
    builder.add_text_field(name::DOC, raw_key(IndexRecordOption::Basic).set_fast("raw"));
    builder.add_u64_field(name::OFFSET, indexed_fast.clone());
    builder.add_text_field(name::TITLE, analysed(true));
    builder.add_text_field(name::HEADING, analysed(true));
    builder.add_text_field(name::HEADING_TEXT, STORED);
    builder.add_text_field(name::TEXT, analysed(true));
    builder.add_text_field(
        name::EXACT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PACKED)
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    builder.add_text_field(name::PHRASES, analysed(false));
    builder.add_text_field(name::BODY, STORED);
    builder.add_i64_field(name::YEAR, indexed_fast.clone());
    builder.add_i64_field(name::YEARS, FAST);
    builder.add_i64_field(name::DAY, FAST);
    builder.add_u64_field(name::DIGEST, FAST);
    builder.add_u64_field(name::DIGEST_HIGH, FAST);
    builder.add_text_field(name::FILE, TextOptions::default().set_fast("raw"));
    builder.add_text_field(name::ARTICLE, STORED);
    // The story an article tells: its own id, or that of the article it is
    // a syndicated copy of (see `copies`); results collapse by it. The
    // signature that decided it beside it.
    builder.add_u64_field(name::STORY, indexed_fast);
    builder.add_bytes_field(name::SIGNATURE, FAST);
    builder.add_text_field(name::OPERATIONS, STORED);
    builder.add_u64_field(
        name::OPERATION_COUNT,
        NumericOptions::default().set_indexed(),
    );
    builder.add_text_field(name::OPERATION_LINK, raw_key(IndexRecordOption::Basic));
    for field in text_facets() {
        builder.add_text_field(&facet_key_name(field), raw_key(IndexRecordOption::Basic));
    }
    builder.add_text_field(name::FACET_VALUES, TextOptions::default().set_fast("raw"));
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_resolves() {
        let schema = build();
        let fields = Fields::from_schema(&schema).expect("all fields");
        for f in FacetField::ALL {
            assert_eq!(fields.facet_key(f).is_some(), f != FacetField::Year);
        }
        let mut other = Schema::builder();
        other.add_text_field(name::TEXT, tantivy::schema::STRING);
        assert!(Fields::from_schema(&other.build()).is_none());
    }

    /// The terms of the values column give back their facet and stored
    /// form, and sort by facet first: each facet's values are one run of
    /// ordinals (no facet's name is a prefix of another's).
    #[test]
    fn facet_value_terms_round_trip_and_group_by_facet() {
        let mut terms = Vec::new();
        for field in text_facets() {
            for stored in ["", "Amiens|80021|80|32", "Zeta", "A|b"] {
                let term = facet_value_term(field, stored);
                assert_eq!(split_facet_value_term(&term), Some((field, stored)));
                terms.push((term, field));
            }
        }
        for (term, field) in &terms {
            for facet in text_facets() {
                let (first, after) = facet_value_bounds(facet);
                let inside = first <= *term && term < &after;
                assert_eq!(inside, facet == *field, "{term:?} in {facet:?}");
            }
        }
        assert_eq!(split_facet_value_term("commune"), None);
        assert_eq!(split_facet_value_term("year\u{1f}2020"), None);
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut seen: Vec<FacetField> = Vec::new();
        for (_, field) in terms {
            if seen.last() != Some(&field) {
                assert!(!seen.contains(&field), "{field:?} split in two runs");
                seen.push(field);
            }
        }
    }
}
