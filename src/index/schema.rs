//! The tantivy schema over passages, and typed handles to its fields.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analysis::{EXACT, FACET_KEY, STEMMED};
use crate::facets::FacetField;

/// Version of the index layout (fields, their options, stored records) and
/// of what fills them. Bump it whenever the schema, the meaning of a stored
/// value or the extraction of facet values changes.
/// 2: places, programmes and housing products extracted from the text.
/// 3: a `day` fast field to sort by date; `digest` and `file` fast fields
/// for incremental indexing.
pub const SCHEMA_VERSION: u32 = 3;

/// Handles to the fields of a logis index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Article id (raw, exact match; fast for grouping).
    pub doc: Field,
    /// Passage ordinal within the article.
    pub passage: Field,
    pub title: Field,
    pub heading: Field,
    /// Passage text, stemmed, with positions (indexed pre-tokenized).
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
    /// The article's digest (fast): unchanged articles are not indexed again.
    pub digest: Field,
    /// The absolute path of the article's file (fast), for `--prune`.
    pub file: Field,
    /// The article's record as JSON (source, URL, facet values...), stored
    /// on its passage 0 only.
    pub article: Field,
    /// Per text facet: the field of filter keys and the field of values.
    facets: Vec<(FacetField, Field, Field)>,
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

    /// The field holding the values shown and counted for `field`; `None`
    /// for the year, which is [`Fields::year`].
    pub fn facet_value(&self, field: FacetField) -> Option<Field> {
        self.facets.iter().find(|f| f.0 == field).map(|f| f.2)
    }

    /// Name of the fast column of the values of `field`.
    pub fn facet_value_name(field: FacetField) -> String {
        match field {
            FacetField::Year => "year".to_string(),
            _ => format!("{}_value", field.name()),
        }
    }

    /// Reads the handles from a schema; `None` when a field is missing
    /// (an index of another layout).
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let get = |name: &str| schema.get_field(name).ok();
        let mut facets = Vec::new();
        for field in text_facets() {
            facets.push((
                field,
                get(field.name())?,
                get(&Fields::facet_value_name(field))?,
            ));
        }
        Some(Fields {
            doc: get("doc")?,
            passage: get("passage")?,
            title: get("title")?,
            heading: get("heading")?,
            text: get("text")?,
            text_exact: get("text_exact")?,
            body: get("body")?,
            year: get("year")?,
            years: get("years")?,
            date: get("date")?,
            day: get("day")?,
            digest: get("digest")?,
            file: get("file")?,
            article: get("article")?,
            facets,
        })
    }
}

/// The value of a single-valued string fast column for `doc`, into `out`
/// (empty when the document has none).
pub fn fast_str(
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
pub fn build() -> Schema {
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
    builder.add_text_field("doc", STRING | STORED | FAST);
    builder.add_u64_field(
        "passage",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    builder.add_text_field("title", analysed(STEMMED, true));
    builder.add_text_field("heading", analysed(STEMMED, true));
    // The passage is analysed once by the indexer, which hands the tokens
    // of both fields to their tokenizers; its text is stored apart.
    builder.add_text_field("text", analysed(STEMMED, false));
    builder.add_text_field(
        "text_exact",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(EXACT)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    builder.add_text_field("body", STORED);
    builder.add_i64_field(
        "year",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    builder.add_i64_field(
        "years",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    builder.add_text_field("date", STORED);
    builder.add_i64_field("day", FAST);
    builder.add_u64_field("digest", FAST);
    builder.add_text_field("file", STRING | FAST);
    builder.add_text_field("article", STORED);
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FACET_KEY)
            .set_index_option(IndexRecordOption::Basic),
    );
    let value = TextOptions::default().set_stored().set_fast("raw");
    for field in text_facets() {
        builder.add_text_field(field.name(), key.clone());
        builder.add_text_field(&Fields::facet_value_name(field), value.clone());
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
        other.add_text_field("text", STRING);
        assert!(Fields::from_schema(&other.build()).is_none());
    }
}
