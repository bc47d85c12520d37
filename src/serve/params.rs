//! Query-string parameters of the API, read as the command line reads its
//! options: the same names (`commune`, `org`, `per_doc`), the same ranges,
//! repeated for alternatives. A parameter the endpoint does not know, a
//! value out of range or a single-valued parameter given twice is a 400
//! naming it, so a typo never passes silently as "no filter".

use crate::facets::{FacetField, Scope};
use crate::search::{CountUnit, Filters, SearchRequest, Sort};

use super::api::ApiError;

/// The parameters of one request, in order.
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

/// Filters, as `--commune` and the others.
const FILTERS: [&str; 10] = [
    "commune",
    "departement",
    "region",
    "org",
    "organisation",
    "programme",
    "product",
    "year",
    "scope",
    "q",
];
/// What `/api/search` and `/api/export` read besides the filters.
pub(crate) const SEARCH: [&str; 8] = [
    "sort", "limit", "offset", "per_doc", "group", "collapse", "facets", "count",
];
/// The parameters of `/api/operations` besides the query and filters.
pub(crate) const OPERATIONS: [&str; 6] = [
    "kind",
    "milestone",
    "milestone_year",
    "group_by",
    "sum",
    "format",
];
/// Most results on one page (the command line allows more: it has no page).
pub(crate) const MAX_LIMIT: usize = 100;
/// The deepest page.
pub(crate) const MAX_OFFSET: usize = 1000;

impl Params {
    pub(crate) fn parse(raw: Option<&str>) -> Params {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params { pairs }
    }

    /// Refuses a parameter outside the filters and `extra`.
    pub(crate) fn only(&self, extra: &[&str]) -> Result<(), ApiError> {
        for (name, _) in &self.pairs {
            if !FILTERS.contains(&name.as_str()) && !extra.contains(&name.as_str()) {
                let mut known: Vec<&str> = FILTERS.iter().chain(extra).copied().collect();
                known.sort_unstable();
                return Err(ApiError::bad(format!(
                    "unknown parameter `{name}` (this endpoint reads {})",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// Refuses every parameter.
    pub(crate) fn none(&self) -> Result<(), ApiError> {
        self.exactly(&[])
    }

    /// Refuses a parameter outside `names`.
    pub(crate) fn exactly(&self, names: &[&str]) -> Result<(), ApiError> {
        match self
            .pairs
            .iter()
            .find(|(k, _)| !names.contains(&k.as_str()))
        {
            None => Ok(()),
            Some((name, _)) if names.is_empty() => Err(ApiError::bad(format!(
                "unknown parameter `{name}` (this endpoint reads none)"
            ))),
            Some((name, _)) => Err(ApiError::bad(format!(
                "unknown parameter `{name}` (this endpoint reads {})",
                names.join(", ")
            ))),
        }
    }

    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a parameter given at most once.
    pub(crate) fn one<'a>(&'a self, name: &'a str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.all(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(format!("parameter `{name}` given twice")));
        }
        Ok(first)
    }

    pub(crate) fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(default);
        };
        match text.trim().parse::<usize>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ApiError::bad(format!(
                "`{name}` must be a whole number from {} to {}, not `{text}`",
                range.start(),
                range.end()
            ))),
        }
    }

    pub(crate) fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(name)? {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(other) => Err(ApiError::bad(format!(
                "`{name}` must be true or false, not `{other}`"
            ))),
        }
    }

    /// One of `choices`, by name.
    pub(crate) fn choice<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> Result<T, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(default);
        };
        choices
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                ApiError::bad(format!(
                    "`{name}` must be one of {}, not `{text}`",
                    names.join(", ")
                ))
            })
    }

    /// The query box, `""` when absent.
    pub(crate) fn query(&self) -> Result<String, ApiError> {
        Ok(self.one("q")?.unwrap_or_default().to_string())
    }

    /// The filters, as `--commune` and the others set them.
    pub(crate) fn filters(&self) -> Result<Filters, ApiError> {
        let mut filters = Filters {
            scope: self.choice(
                "scope",
                &[("article", Scope::Article), ("passage", Scope::Passage)],
                Scope::Article,
            )?,
            ..Filters::default()
        };
        let fields = [
            ("commune", FacetField::Commune),
            ("departement", FacetField::Departement),
            ("region", FacetField::Region),
            ("org", FacetField::Organisation),
            ("organisation", FacetField::Organisation),
            ("programme", FacetField::Programme),
            ("product", FacetField::Product),
        ];
        for (name, field) in fields {
            for value in self.all(name).filter(|v| !v.trim().is_empty()) {
                filters.add(field, value)?;
            }
        }
        if let Some(year) = self.one("year")?.filter(|v| !v.trim().is_empty()) {
            filters.add(FacetField::Year, year)?;
        }
        Ok(filters)
    }

    /// What the counts count.
    pub(crate) fn unit(&self) -> Result<CountUnit, ApiError> {
        self.choice(
            "count",
            &[
                ("articles", CountUnit::Articles),
                ("passages", CountUnit::Passages),
            ],
            CountUnit::Articles,
        )
    }

    /// A search request, as `logis search` builds it.
    pub(crate) fn search_request(&self) -> Result<SearchRequest, ApiError> {
        Ok(SearchRequest {
            query: self.query()?,
            filters: self.filters()?,
            limit: self.number("limit", 10, 1..=MAX_LIMIT)?,
            offset: self.number("offset", 0, 0..=MAX_OFFSET)?,
            per_doc: self.number("per_doc", 2, 0..=MAX_LIMIT)?,
            sort: self.choice(
                "sort",
                &[("relevance", Sort::Relevance), ("date", Sort::Date)],
                Sort::Relevance,
            )?,
            group: self.flag("group", false)?,
            collapse: self.flag("collapse", true)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(raw: &str) -> Params {
        Params::parse(Some(raw))
    }

    #[test]
    fn reads_repeated_filters_and_decodes_values() {
        let p = params("q=PSLA+Compi%C3%A8gne&commune=Beauvais&commune=Creil&year=2019..2021");
        let request = p.search_request().unwrap();
        assert_eq!(request.query, "PSLA Compiègne");
        assert_eq!(request.filters.values.len(), 2);
        assert!(request.filters.years.is_some());
        assert_eq!(request.limit, 10);
        assert!(request.collapse);
    }

    #[test]
    fn refuses_what_the_command_line_refuses() {
        for raw in [
            "limit=0",
            "limit=101",
            "limit=ten",
            "offset=-1",
            "sort=popularity",
            "group=maybe",
            "year=l'an dernier",
            "q=a&q=b",
            "scope=everywhere",
        ] {
            assert!(params(raw).search_request().is_err(), "{raw} accepted");
        }
        assert!(params("colour=red").only(&SEARCH).is_err());
        assert!(params("commune=Creil&limit=5").only(&SEARCH).is_ok());
    }
}
