//! Facets: who (organisation), where (commune, département, région), which
//! programme, which housing product, when (year). This module holds their
//! names and values; the index stores them per passage and filters and
//! counts them.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A facet field, as named on the command line (`--org`, `facets commune`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    Organisation,
    Commune,
    Departement,
    Region,
    Programme,
    Product,
    Year,
}

impl FacetField {
    /// Every facet field, in display order.
    pub const ALL: [FacetField; 7] = [
        FacetField::Organisation,
        FacetField::Commune,
        FacetField::Departement,
        FacetField::Region,
        FacetField::Programme,
        FacetField::Product,
        FacetField::Year,
    ];

    /// The canonical name, used in JSON and in the index schema.
    pub fn name(self) -> &'static str {
        match self {
            FacetField::Organisation => "organisation",
            FacetField::Commune => "commune",
            FacetField::Departement => "departement",
            FacetField::Region => "region",
            FacetField::Programme => "programme",
            FacetField::Product => "product",
            FacetField::Year => "year",
        }
    }

    /// Parses a field name; accepts common variants (`org`, `département`,
    /// `programmes`, `produit`).
    pub fn parse(name: &str) -> Result<FacetField> {
        let key = crate::analysis::fold(name.trim());
        let key = key.strip_suffix('s').unwrap_or(&key);
        let field = match key {
            "org" | "organisation" | "organization" | "bailleur" => FacetField::Organisation,
            "commune" | "ville" => FacetField::Commune,
            "departement" | "dep" | "dept" => FacetField::Departement,
            "region" => FacetField::Region,
            "programme" | "program" => FacetField::Programme,
            "product" | "produit" => FacetField::Product,
            "year" | "annee" => FacetField::Year,
            _ => {
                return Err(Error::UnknownField {
                    field: name.to_string(),
                    valid: FacetField::ALL
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        };
        Ok(field)
    }
}

/// A commune, with where it sits. Only the name is required: the other
/// parts are empty when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Commune {
    pub name: String,
    #[serde(default)]
    pub insee: String,
    #[serde(default)]
    pub departement: String,
    #[serde(default)]
    pub region: String,
}

/// Separator of the parts of a commune in its stored form.
const COMMUNE_SEPARATOR: char = '|';

impl Commune {
    /// The commune as one stored value, `Name|insee|département|région`:
    /// unique even when two communes share a name (Senlis in the Oise and
    /// in the Pas-de-Calais).
    pub fn to_stored(&self) -> String {
        [&self.name, &self.insee, &self.departement, &self.region]
            .map(|s| s.replace(COMMUNE_SEPARATOR, " "))
            .join("|")
    }

    /// Reads a value written by [`Commune::to_stored`].
    pub fn from_stored(value: &str) -> Commune {
        let mut parts = value.split(COMMUNE_SEPARATOR).map(str::to_string);
        Commune {
            name: parts.next().unwrap_or_default(),
            insee: parts.next().unwrap_or_default(),
            departement: parts.next().unwrap_or_default(),
            region: parts.next().unwrap_or_default(),
        }
    }
}

/// The facet values of a passage or an article.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    #[serde(default)]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub communes: Vec<Commune>,
    /// Départements named, and those of the communes.
    #[serde(default)]
    pub departements: Vec<String>,
    /// Régions named, and those of the communes and départements.
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub programmes: Vec<String>,
    #[serde(default)]
    pub products: Vec<String>,
    /// Years mentioned (not the publication year).
    #[serde(default)]
    pub years: Vec<i64>,
}

impl Facets {
    /// Adds the values of `other` that are not there yet, keeping order.
    pub fn merge(&mut self, other: &Facets) {
        merge_unique(&mut self.organisations, &other.organisations);
        merge_unique(&mut self.communes, &other.communes);
        merge_unique(&mut self.departements, &other.departements);
        merge_unique(&mut self.regions, &other.regions);
        merge_unique(&mut self.programmes, &other.programmes);
        merge_unique(&mut self.products, &other.products);
        merge_unique(&mut self.years, &other.years);
    }

    /// Adds the départements and régions of the communes to the lists:
    /// a passage about Senlis is about the Oise and the Hauts-de-France.
    pub fn complete_hierarchy(&mut self) {
        for commune in &self.communes {
            for (list, value) in [
                (&mut self.departements, &commune.departement),
                (&mut self.regions, &commune.region),
            ] {
                if !value.is_empty() && !list.contains(value) {
                    list.push(value.clone());
                }
            }
        }
    }
}

fn merge_unique<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
    for value in from {
        if !into.contains(value) {
            into.push(value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_and_variants() {
        assert_eq!(FacetField::parse("org").unwrap(), FacetField::Organisation);
        assert_eq!(
            FacetField::parse("Département").unwrap(),
            FacetField::Departement
        );
        assert_eq!(
            FacetField::parse("programmes").unwrap(),
            FacetField::Programme
        );
        assert_eq!(FacetField::parse("produit").unwrap(), FacetField::Product);
        for f in FacetField::ALL {
            assert_eq!(FacetField::parse(f.name()).unwrap(), f);
        }
        let err = FacetField::parse("colour").unwrap_err().to_string();
        assert!(
            err.contains("colour") && err.contains("commune, departement"),
            "{err}"
        );
    }

    #[test]
    fn commune_stored_form_round_trips() {
        let c = Commune {
            name: "Senlis".into(),
            insee: "60612".into(),
            departement: "Oise".into(),
            region: "Hauts-de-France".into(),
        };
        assert_eq!(c.to_stored(), "Senlis|60612|Oise|Hauts-de-France");
        assert_eq!(Commune::from_stored(&c.to_stored()), c);
        let bare = Commune::from_stored("Arras");
        assert_eq!(bare.name, "Arras");
        assert!(bare.insee.is_empty());
    }

    #[test]
    fn hierarchy_from_communes() {
        let mut f = Facets {
            communes: vec![Commune::from_stored("Senlis|60612|Oise|Hauts-de-France")],
            departements: vec!["Nord".into()],
            ..Default::default()
        };
        f.complete_hierarchy();
        assert_eq!(f.departements, ["Nord", "Oise"]);
        assert_eq!(f.regions, ["Hauts-de-France"]);
    }

    #[test]
    fn merge_keeps_values_unique() {
        let mut a = Facets {
            products: vec!["PSLA".into()],
            ..Default::default()
        };
        let b = Facets {
            products: vec!["PSLA".into(), "PLS".into()],
            ..Default::default()
        };
        a.merge(&b);
        assert_eq!(a.products, ["PSLA", "PLS"]);
    }
}
