//! The tantivy schema over passages: the names of its fields (the one
//! place they are written), their options, and typed handles to them.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analysis::{EXACT, FACET_KEY, STEMMED};
use crate::facets::{FacetField, Scope};

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
pub const SCHEMA_VERSION: u32 = 9;

/// Names of the fields.
pub(crate) mod name {
    /// Article id.
    pub const DOC: &str = "doc";
    /// Passage ordinal.
    pub const PASSAGE: &str = "passage";
    /// Article title.
    pub const TITLE: &str = "title";
    /// Passage heading.
    pub const HEADING: &str = "heading";
    /// Passage text, stemmed.
    pub const TEXT: &str = "text";
    /// Passage text, folded, unstemmed.
    pub const TEXT_EXACT: &str = "text_exact";
    /// Passage text as in the source.
    pub const BODY: &str = "body";
    /// Publication year.
    pub const YEAR: &str = "year";
    /// Years mentioned.
    pub const YEARS: &str = "years";
    /// Publication date as written.
    pub const DATE: &str = "date";
    /// Publication date as a sortable number.
    pub const DAY: &str = "day";
    /// Article digest, low 64 bits.
    pub const DIGEST: &str = "digest";
    /// Article digest, high 64 bits.
    pub const DIGEST_HIGH: &str = "digest_high";
    /// Article file.
    pub const FILE: &str = "file";
    /// Article record.
    pub const ARTICLE: &str = "article";
    /// The story an article tells (see `copies`).
    pub const STORY: &str = "story";
    /// An article's MinHash signature.
    pub const SIGNATURE: &str = "signature";
    /// The housing operations a passage states, as JSON.
    pub const OPERATIONS: &str = "operations";
    /// How many operations a passage states (indexed: finds them).
    pub const OPERATION_COUNT: &str = "operation_count";
    /// The link keys of a passage's operations (indexed: finds the other
    /// reports of an operation).
    pub const OPERATION_LINK: &str = "operation_link";
}

/// The name of the field of filter keys of a facet in a scope (`commune`,
/// `commune_article`).
pub(crate) fn facet_key_name(field: FacetField, scope: Scope) -> String {
    match scope {
        Scope::Passage => field.name().to_string(),
        Scope::Article => format!("{}_article", field.name()),
    }
}

/// The name of the fast field of stored values of a facet in a scope
/// (`commune_value`, `commune_article_value`); the year is [`name::YEAR`].
pub(crate) fn facet_value_name(field: FacetField, scope: Scope) -> String {
    match field {
        FacetField::Year => name::YEAR.to_string(),
        _ => format!("{}_value", facet_key_name(field, scope)),
    }
}

/// Handles to the fields of a logis index.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    /// Article id (raw, exact match; fast for grouping).
    pub doc: Field,
    /// Passage ordinal within the article.
    pub passage: Field,
    pub title: Field,
    pub heading: Field,
    /// Passage text, stemmed, with positions.
    pub text: Field,
    /// Passage text, folded but unstemmed, with frequencies only: it ranks
    /// exact word forms higher; phrases are matched on `text`.
    pub text_exact: Field,
    /// Passage text as in the source (stored only).
    pub body: Field,
    /// Publication year (indexed and fast: range filters).
    pub year: Field,
    /// Years the passage mentions.
    pub years: Field,
    pub date: Field,
    /// The date as a sortable `YYYYMMDD` number (fast), 0 when unknown.
    pub day: Field,
    /// The article's digest, its low and high 64 bits (fast, first passage
    /// only): unchanged articles are not indexed again.
    pub digest: Field,
    /// See [`Fields::digest`].
    pub digest_high: Field,
    /// The absolute path of the article's file (fast, first passage only),
    /// for `--prune`.
    pub file: Field,
    /// The article's record as JSON (source, URL, facet values...), stored
    /// on its passage 0 only.
    pub article: Field,
    /// The key of the story the article tells: its id's, or that of the
    /// article it is a syndicated copy of (indexed and fast, every passage).
    pub story: Field,
    /// The article's MinHash signature (fast bytes, first passage only).
    pub signature: Field,
    /// The operations a passage states, as a stored JSON array.
    pub operations: Field,
    /// How many operations a passage states (indexed, only when some).
    pub operation_count: Field,
    /// The link keys of a passage's operations (indexed).
    pub operation_link: Field,
    /// Per text facet and scope: the field of filter keys and the field of
    /// values.
    facets: Vec<(FacetField, Scope, Field, Field)>,
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
        self.facet_fields(field, Scope::Passage).map(|f| f.0)
    }

    /// The field holding the stored values of `field`; `None` for the
    /// year, which is [`Fields::year`].
    pub fn facet_value(&self, field: FacetField) -> Option<Field> {
        self.facet_fields(field, Scope::Passage).map(|f| f.1)
    }

    /// The fields of keys and of values of `field` in `scope`; `None` for
    /// the year.
    pub fn facet_fields(&self, field: FacetField, scope: Scope) -> Option<(Field, Field)> {
        self.facets
            .iter()
            .find(|f| f.0 == field && f.1 == scope)
            .map(|f| (f.2, f.3))
    }

    /// Reads the handles from a schema; `None` when a field is missing
    /// (an index of another layout).
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let get = |name: &str| schema.get_field(name).ok();
        let mut facets = Vec::new();
        for field in text_facets() {
            for scope in [Scope::Passage, Scope::Article] {
                facets.push((
                    field,
                    scope,
                    get(&facet_key_name(field, scope))?,
                    get(&facet_value_name(field, scope))?,
                ));
            }
        }
        Some(Fields {
            doc: get(name::DOC)?,
            passage: get(name::PASSAGE)?,
            title: get(name::TITLE)?,
            heading: get(name::HEADING)?,
            text: get(name::TEXT)?,
            text_exact: get(name::TEXT_EXACT)?,
            body: get(name::BODY)?,
            year: get(name::YEAR)?,
            years: get(name::YEARS)?,
            date: get(name::DATE)?,
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

/// Builds the logis schema.
pub(crate) fn build() -> Schema {
    let mut builder = Schema::builder();
    let analysed = |tokenizer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let indexed_stored_fast = NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast();
    builder.add_text_field(name::DOC, STRING | STORED | FAST);
    builder.add_u64_field(name::PASSAGE, indexed_stored_fast.clone());
    builder.add_text_field(name::TITLE, analysed(STEMMED, true));
    builder.add_text_field(name::HEADING, analysed(STEMMED, true));
    // The passage is analysed once by the indexer, which hands the tokens
    // of both fields to their tokenizers; its text is stored apart.
    builder.add_text_field(name::TEXT, analysed(STEMMED, false));
    builder.add_text_field(
        name::TEXT_EXACT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(EXACT)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    builder.add_text_field(name::BODY, STORED);
    builder.add_i64_field(name::YEAR, indexed_stored_fast.clone());
    builder.add_i64_field(name::YEARS, indexed_stored_fast);
    builder.add_text_field(name::DATE, STORED);
    builder.add_i64_field(name::DAY, FAST);
    builder.add_u64_field(name::DIGEST, FAST);
    builder.add_u64_field(name::DIGEST_HIGH, FAST);
    builder.add_text_field(name::FILE, STRING | FAST);
    builder.add_text_field(name::ARTICLE, STORED);
    // The story an article tells: its own id, or that of the article it is
    // a syndicated copy of (see `copies`); on every passage, so results
    // collapse by it. The signature that decided it, on the first passage.
    builder.add_u64_field(
        name::STORY,
        NumericOptions::default().set_indexed().set_fast(),
    );
    builder.add_bytes_field(name::SIGNATURE, FAST);
    builder.add_text_field(name::OPERATIONS, STORED);
    builder.add_u64_field(
        name::OPERATION_COUNT,
        NumericOptions::default().set_indexed(),
    );
    builder.add_text_field(name::OPERATION_LINK, STRING);
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FACET_KEY)
            .set_index_option(IndexRecordOption::Basic),
    );
    let value = TextOptions::default().set_stored().set_fast("raw");
    // The article scope's values are only counted, never read back.
    let counted = TextOptions::default().set_fast("raw");
    for field in text_facets() {
        builder.add_text_field(&facet_key_name(field, Scope::Passage), key.clone());
        builder.add_text_field(&facet_value_name(field, Scope::Passage), value.clone());
        builder.add_text_field(&facet_key_name(field, Scope::Article), key.clone());
        builder.add_text_field(&facet_value_name(field, Scope::Article), counted.clone());
    }
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
            assert_eq!(fields.facet_value(f).is_some(), f != FacetField::Year);
        }
        let mut other = Schema::builder();
        other.add_text_field(name::TEXT, STRING);
        assert!(Fields::from_schema(&other.build()).is_none());
    }
}
