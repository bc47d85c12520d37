//! Facet filters: `--commune Compiègne`, `year:2019..2021`, `-org:X`. Values
//! of one field are alternatives, fields combine, exclusions remove. A
//! filter matches a value's name whatever the case, accents or hyphens, or
//! its official code (`--commune 60159`, `--departement 974`).

use std::ops::Bound;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::analysis::facet_key;
use crate::error::{Error, Result};
use crate::facets::{FacetField, FacetValue, Scope};
use crate::index::schema::article_key;
use crate::index::Fields;
use crate::search::join::ArticleJoin;
use crate::search::rank::NAMED_BOOST;

/// An inclusive range of years; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearRange {
    /// First year, if bounded.
    pub from: Option<i64>,
    /// Last year, if bounded.
    pub to: Option<i64>,
}

impl YearRange {
    /// Parses `2020`, `2019..2021`, `2019..` or `..2021`.
    pub fn parse(text: &str) -> Result<YearRange> {
        let bad = || Error::InvalidYear(text.to_string());
        let year = |s: &str| -> Result<Option<i64>> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<i64>() {
                Ok(y) if (1000..=9999).contains(&y) && s.len() == 4 => Ok(Some(y)),
                _ => Err(bad()),
            }
        };
        let range = match text.split_once("..") {
            Some((from, to)) => YearRange {
                from: year(from)?,
                to: year(to)?,
            },
            None => {
                let y = year(text)?.ok_or_else(bad)?;
                YearRange {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        match range {
            YearRange {
                from: None,
                to: None,
            } => Err(bad()),
            YearRange {
                from: Some(a),
                to: Some(b),
            } if a > b => Err(bad()),
            range => Ok(range),
        }
    }

    /// Whether `year` lies in the range.
    pub fn contains(&self, year: i64) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

/// Facet filters: values of one field are alternatives, fields combine;
/// excluded values and years remove passages.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Selected values, by field.
    pub values: Vec<(FacetField, String)>,
    /// Selected publication years.
    pub years: Option<YearRange>,
    /// Excluded values.
    pub excluded: Vec<(FacetField, String)>,
    /// Excluded publication years.
    pub excluded_years: Vec<YearRange>,
    /// Whose values the filters match: the passage's own, or with those
    /// of its article (the default).
    pub scope: Scope,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.years.is_none()
            && self.excluded.is_empty()
            && self.excluded_years.is_empty()
    }

    /// Whether a filter is set on `field`.
    pub fn has(&self, field: FacetField) -> bool {
        match field {
            FacetField::Year => self.years.is_some(),
            _ => self.values.iter().any(|(f, _)| *f == field),
        }
    }

    /// The same filters but those on `field`.
    pub fn without(&self, field: FacetField) -> Filters {
        Filters {
            values: self
                .values
                .iter()
                .filter(|(f, _)| *f != field)
                .cloned()
                .collect(),
            years: if field == FacetField::Year {
                None
            } else {
                self.years
            },
            excluded: self.excluded.clone(),
            excluded_years: self.excluded_years.clone(),
            scope: self.scope,
        }
    }

    /// Whether `value` is one the filters select.
    pub fn selects(&self, value: &FacetValue) -> bool {
        match value {
            FacetValue::Year(year) => self.years.is_some_and(|r| r.contains(*year)),
            _ => self
                .values
                .iter()
                .any(|(f, v)| *f == value.field() && value.matches(v)),
        }
    }

    /// Adds a filter on `field` (a year or range for [`FacetField::Year`]).
    pub fn add(&mut self, field: FacetField, value: &str) -> Result<()> {
        if field == FacetField::Year {
            self.years = Some(YearRange::parse(value)?);
        } else if !value.trim().is_empty() {
            self.values.push((field, value.trim().to_string()));
        }
        Ok(())
    }

    /// Adds an exclusion: passages with this value of `field` (or in this
    /// year range) are left out.
    pub fn exclude(&mut self, field: FacetField, value: &str) -> Result<()> {
        if field == FacetField::Year {
            self.excluded_years.push(YearRange::parse(value)?);
        } else if !value.trim().is_empty() {
            self.excluded.push((field, value.trim().to_string()));
        }
        Ok(())
    }

    /// The filters as required (and excluding), non-scoring clauses; in
    /// the article scope, a passage that names a selected value itself
    /// gets [`NAMED_BOOST`], so that it comes before those only its article
    /// names. Values of the article scope and years are the article
    /// document's, joined to its passages (see [`ArticleJoin`]).
    pub(crate) fn clauses(&self, fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses = self.required(fields, true);
        if self.scope == Scope::Article {
            for (field, value) in &self.values {
                if let Some(named) = value_query(fields, *field, Scope::Passage, value) {
                    clauses.push((
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(named, NAMED_BOOST)),
                    ));
                }
            }
        }
        clauses
    }

    /// The required and excluding clauses, non-scoring; with `values`
    /// false, without those of the selected values (a query that requires
    /// them otherwise, see [`Filters::named`]).
    pub(crate) fn required(&self, fields: &Fields, values: bool) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in FacetField::ALL {
            let alternatives: Vec<(Occur, Box<dyn Query>)> = self
                .values
                .iter()
                .filter(|(f, _)| values && *f == field)
                .filter_map(|(_, value)| {
                    Some((
                        Occur::Should,
                        value_query(fields, field, self.scope, value)?,
                    ))
                })
                .collect();
            if !alternatives.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            }
        }
        for (field, value) in &self.excluded {
            if let Some(q) = value_query(fields, *field, self.scope, value) {
                clauses.push((Occur::MustNot, q));
            }
        }
        let year_range = |years: YearRange| -> Box<dyn Query> {
            let bound = |y: Option<i64>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(fields.year, y)),
                None => Bound::Unbounded,
            };
            Box::new(ArticleJoin::articles(
                Box::new(RangeQuery::new(bound(years.from), bound(years.to))),
                fields.offset,
            ))
        };
        if let Some(years) = self.years {
            clauses.push((Occur::Must, year_range(years)));
        }
        for &years in &self.excluded_years {
            clauses.push((Occur::MustNot, year_range(years)));
        }
        clauses
            .into_iter()
            .map(|(occur, q)| {
                (
                    occur,
                    Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// In the article scope, with one value selected per field, the
    /// passages that name every selected value themselves: those
    /// [`NAMED_BOOST`] puts first, the first tier of a search by relevance.
    /// Read from their keys' postings, intersected with the words', not
    /// through the articles about the values. `None` otherwise (a field
    /// with several values boosts a passage once per value it names).
    pub(crate) fn named(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        if self.scope != Scope::Article || self.values.is_empty() {
            return None;
        }
        let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, (field, value)) in self.values.iter().enumerate() {
            if self.values[..i].iter().any(|(f, _)| f == field) {
                return None;
            }
            required.push((
                Occur::Must,
                value_query(fields, *field, Scope::Passage, value)?,
            ));
        }
        Some(match required.len() {
            1 => required.remove(0).1,
            _ => Box::new(BooleanQuery::new(required)),
        })
    }
}

/// The passages naming `value` of `field`, and in the article scope those
/// of the articles about it.
fn value_query(
    fields: &Fields,
    field: FacetField,
    scope: Scope,
    value: &str,
) -> Option<Box<dyn Query>> {
    let keys = fields.facet_key(field)?;
    let key = facet_key(value);
    let term = |key: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(keys, key),
            IndexRecordOption::Basic,
        ))
    };
    Some(match scope {
        Scope::Passage => term(&key),
        Scope::Article => {
            let named_or_about = BooleanQuery::new(vec![
                (Occur::Should, term(&key)),
                (Occur::Should, term(&article_key(&key))),
            ]);
            Box::new(ArticleJoin::articles_or_passages(
                Box::new(named_or_about),
                fields.offset,
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::{Area, Commune};

    #[test]
    fn selected_values_by_name_or_code() {
        let oise = Area {
            code: "60".into(),
            name: "Oise".into(),
        };
        let mut filters = Filters::default();
        filters.add(FacetField::Departement, "60").unwrap();
        filters.add(FacetField::Commune, "compiegne").unwrap();
        filters.add(FacetField::Year, "2019..2020").unwrap();
        assert!(filters.selects(&FacetValue::Departement(oise.clone())));
        assert!(!filters.selects(&FacetValue::Departement(Area {
            code: "02".into(),
            name: "Aisne".into()
        })));
        assert!(filters.selects(&FacetValue::Commune(Commune {
            name: "Compiègne".into(),
            insee: "60159".into(),
            departement: oise,
            region: Area::default(),
        })));
        assert!(filters.selects(&FacetValue::Year(2020)));
        assert!(!filters.selects(&FacetValue::Year(2021)));
        assert!(filters.has(FacetField::Year) && !filters.has(FacetField::Region));
        assert!(!filters
            .without(FacetField::Commune)
            .has(FacetField::Commune));
    }

    #[test]
    fn year_ranges() {
        let r = |from, to| YearRange { from, to };
        assert_eq!(YearRange::parse("2020").unwrap(), r(Some(2020), Some(2020)));
        assert_eq!(
            YearRange::parse("2019..2021").unwrap(),
            r(Some(2019), Some(2021))
        );
        assert_eq!(YearRange::parse("2019..").unwrap(), r(Some(2019), None));
        assert_eq!(YearRange::parse("..2021").unwrap(), r(None, Some(2021)));
        for bad in [
            "",
            "..",
            "20",
            "2021..2019",
            "deux mille",
            "2020-2021",
            "02020",
        ] {
            assert!(YearRange::parse(bad).is_err(), "{bad}");
        }
    }
}
