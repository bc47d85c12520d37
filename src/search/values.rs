//! Filter values as people type them: a value is resolved to what the
//! index holds before it filters anything.
//!
//! | given                                   | resolved to                         |
//! |-----------------------------------------|-------------------------------------|
//! | a name or code the index holds          | itself (any case, accents, hyphens) |
//! | `St-Quentin`, `Ste-Maxime`              | `Saint-`, `Sainte-` (communes)      |
//! | a commune, département or région of the official list, by name or code | its official name or code |
//! | an acronym, spelled-out form or old name of the data files (`ACV`, `prêt social location-accession`, `OPHM`) | the canonical name |
//! | anything else                           | [`Error::UnknownFilterValue`], with the closest known values |
//!
//! A value the data knows but no passage of this index holds is kept: the
//! search finds nothing, and says why ([`Resolved::indexed`]).

use std::cell::OnceCell;
use std::sync::Arc;

use crate::analysis::facet_key;
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::extract::places::Places;
use crate::facets::FacetField;
use crate::search::vocabulary::Vocabulary;

/// Most values suggested for an unknown one.
const SUGGESTIONS: usize = 3;

/// How close (Jaro-Winkler, on folded keys) a known value must be to be
/// suggested: typos and small variants, not any name sharing a prefix.
const SIMILAR: f64 = 0.88;

/// A filter value resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The field.
    pub field: FacetField,
    /// The value as given.
    pub given: String,
    /// What the filter matches: a name or code of the index's keys.
    pub value: String,
    /// Some passage of the index holds it.
    pub indexed: bool,
}

/// Resolves filter values against the data files and the index.
pub(crate) struct Resolver<'a> {
    /// The data the gazetteer of places is loaded from, only when a value
    /// is not in the index as typed (loading it costs more than a search).
    pub data: &'a DataSet,
    pub places: OnceCell<Arc<Places>>,
    pub vocabulary: &'a Vocabulary,
    /// Whether some passage holds this key of a field.
    pub indexed: &'a dyn Fn(FacetField, &str) -> bool,
    /// The keys of a field that the index holds (for suggestions).
    pub index_keys: &'a dyn Fn(FacetField) -> Vec<String>,
}

impl Resolver<'_> {
    fn places(&self) -> &Places {
        self.places.get_or_init(|| Places::for_data(self.data))
    }

    /// Resolves `given`, a value of `field` (not the year).
    pub(crate) fn resolve(&self, field: FacetField, given: &str) -> Result<Resolved> {
        let resolved = |value: String| {
            let indexed = (self.indexed)(field, &facet_key(&value));
            Resolved {
                field,
                given: given.to_string(),
                value,
                indexed,
            }
        };
        if (self.indexed)(field, &facet_key(given)) {
            return Ok(resolved(given.to_string()));
        }
        if let Some(value) = self.in_data(field, given) {
            return Ok(resolved(value));
        }
        Err(Error::UnknownFilterValue {
            field: field.name(),
            value: given.to_string(),
            suggestions: self.suggestions(field, given),
        })
    }

    /// The name or code of the data files `given` stands for.
    fn in_data(&self, field: FacetField, given: &str) -> Option<String> {
        let places = self.places();
        match field {
            FacetField::Commune => {
                let found = places.communes_named(given);
                match found.as_slice() {
                    [] => None,
                    // One commune: its INSEE code says which.
                    [one] => Some(places.communes[*one as usize].insee.to_string()),
                    // Homonyms: the name, which matches them all.
                    [first, ..] => Some(places.communes[*first as usize].name.to_string()),
                }
            }
            FacetField::Departement => places.departement_named(given).map(|d| d.code.to_string()),
            FacetField::Region => {
                let key = facet_key(given);
                places
                    .regions
                    .iter()
                    .find(|r| r.code == given.trim() || facet_key(r.name) == key)
                    .map(|r| r.code.to_string())
            }
            FacetField::Organisation | FacetField::Programme | FacetField::Product => {
                self.vocabulary.canonical(field, given)
            }
            FacetField::Year => None,
        }
    }

    /// The known values closest to `given`: names of the data files and
    /// keys of the index.
    fn suggestions(&self, field: FacetField, given: &str) -> Vec<String> {
        let key = facet_key(given);
        let mut known: Vec<String> = match field {
            FacetField::Commune => self
                .places()
                .communes
                .iter()
                .map(|c| c.name.to_string())
                .collect(),
            FacetField::Departement => self
                .places()
                .departements
                .iter()
                .map(|d| d.name.to_string())
                .collect(),
            FacetField::Region => self
                .places()
                .regions
                .iter()
                .map(|r| r.name.to_string())
                .collect(),
            _ => self
                .vocabulary
                .names(field)
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        known.extend((self.index_keys)(field));
        let mut scored: Vec<(f64, String)> = known
            .into_iter()
            .map(|name| (strsim::jaro_winkler(&key, &facet_key(&name)), name))
            .filter(|(score, _)| *score >= SIMILAR)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut names: Vec<String> = Vec::new();
        for (_, name) in scored {
            if !names.iter().any(|n| facet_key(n) == facet_key(&name)) {
                names.push(name);
            }
            if names.len() == SUGGESTIONS {
                break;
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    fn resolve(field: FacetField, given: &str, indexed: &[&str]) -> Result<Resolved> {
        let vocabulary = Vocabulary::new(&Analyzer::default(), DataSet::built_in(), &[]);
        let keys: Vec<String> = indexed.iter().map(|k| facet_key(k)).collect();
        let is_indexed = |_: FacetField, key: &str| keys.iter().any(|k| k == key);
        let index_keys = |_: FacetField| keys.clone();
        Resolver {
            data: DataSet::built_in(),
            places: OnceCell::new(),
            vocabulary: &vocabulary,
            indexed: &is_indexed,
            index_keys: &index_keys,
        }
        .resolve(field, given)
    }

    #[test]
    fn abbreviations_codes_and_aliases_resolve() {
        let r = resolve(FacetField::Commune, "St-Quentin", &["02691"]).unwrap();
        assert_eq!((r.value.as_str(), r.indexed), ("02691", true));
        let r = resolve(FacetField::Departement, "pas de calais", &[]).unwrap();
        assert_eq!((r.value.as_str(), r.indexed), ("62", false));
        let r = resolve(FacetField::Region, "hauts de france", &[]).unwrap();
        assert_eq!(r.value, "32");
        let r = resolve(FacetField::Programme, "acv", &["action coeur de ville"]).unwrap();
        assert_eq!(
            (r.value.as_str(), r.indexed),
            ("Action Cœur de Ville", true)
        );
        let r = resolve(FacetField::Product, "prêt social location-accession", &[]).unwrap();
        assert_eq!(r.value, "PSLA");
        let r = resolve(FacetField::Product, "plus", &[]).unwrap();
        assert_eq!(r.value, "PLUS");
    }

    #[test]
    fn values_the_index_holds_are_kept_as_given() {
        let r = resolve(
            FacetField::Organisation,
            "Un Bailleur Local",
            &["un bailleur local"],
        );
        assert_eq!(r.unwrap().value, "Un Bailleur Local");
    }

    #[test]
    fn homonyms_keep_their_shared_name() {
        let r = resolve(FacetField::Commune, "senlis", &[]).unwrap();
        assert_eq!(r.value, "Senlis");
    }

    #[test]
    fn unknown_values_suggest_the_closest() {
        match resolve(FacetField::Commune, "Compiegnee", &[]) {
            Err(Error::UnknownFilterValue { suggestions, .. }) => {
                assert_eq!(suggestions.first().map(String::as_str), Some("Compiègne"))
            }
            other => panic!("{other:?}"),
        }
        match resolve(FacetField::Programme, "Zorglub", &[]) {
            Err(Error::UnknownFilterValue { suggestions, .. }) => assert!(suggestions.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
