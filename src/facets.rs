//! Facets: who (organisation), where (commune, département, région), which
//! programme, which housing product, when (year). The values are typed and
//! keep what extraction knew: a commune carries its INSEE code and the codes
//! and names of its département and région, an organisation its canonical
//! name and kind. The index stores them in one stored form each
//! ([`FacetValue::to_stored`]), filters match their names and codes
//! ([`FacetRef::keys`]); nothing rebuilds a code from a name.

use serde::{Deserialize, Serialize};

use crate::analysis::facet_key;
use crate::error::{Error, Result};

/// A facet field, as named on the command line (`--org`, `facets commune`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    /// Organisations: landlords, agencies, groups, local authorities.
    Organisation,
    /// Communes, from the official list.
    Commune,
    /// Départements named, and those of the communes.
    Departement,
    /// Régions named, and those of the communes and départements.
    Region,
    /// Public programmes (Action Cœur de Ville, NPNRU...).
    Programme,
    /// Housing products (PSLA, PLAI...).
    Product,
    /// The publication year of the article.
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
                    valid: FacetField::ALL.iter().map(|f| f.name()).collect(),
                })
            }
        };
        Ok(field)
    }
}

/// Which values of a facet a passage carries, for filters and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The values the passage names, and those its article is about
    /// (named in its title, dateline or lede, or repeatedly): `--commune
    /// Saint-Quentin` finds the demolition paragraph of an article about
    /// Saint-Quentin that does not repeat the name. The default.
    #[default]
    Article,
    /// Only the values the passage itself names.
    Passage,
}

impl Scope {
    /// The name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Article => "article",
            Scope::Passage => "passage",
        }
    }
}

/// A département or a région: its official code (`60`, `974`, `32`) and
/// name. The code is empty when a value was given without one that logis
/// could resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Area {
    /// Official code (INSEE): `60`, `2A`, `974` for départements, `32` for
    /// régions.
    pub code: String,
    /// Official name: `Oise`, `Hauts-de-France`.
    pub name: String,
}

impl Area {
    /// Whether nothing is known of it.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty() && self.name.is_empty()
    }
}

/// A commune, with where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Commune {
    /// Official name: `Saint-Denis`.
    pub name: String,
    /// INSEE code: `97411`; empty when unknown.
    pub insee: String,
    /// Its département.
    pub departement: Area,
    /// Its région.
    pub region: Area,
}

/// An organisation, a programme or a housing product: its canonical name
/// and its kind (`OPH`, `ESH`, `coopérative`... for organisations; empty
/// when the data gives none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Term {
    /// Canonical name: `CDC Habitat`, `Action Cœur de Ville`, `PSLA`.
    pub name: String,
    /// Kind, from the data file's kind column; empty when unknown.
    #[serde(default)]
    pub kind: String,
}

impl Term {
    /// A term of no known kind.
    pub fn named(name: &str) -> Term {
        Term {
            name: name.to_string(),
            kind: String::new(),
        }
    }
}

/// One value of one facet field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FacetValue {
    /// An organisation.
    Organisation(Term),
    /// A commune.
    Commune(Commune),
    /// A département.
    Departement(Area),
    /// A région.
    Region(Area),
    /// A programme.
    Programme(Term),
    /// A housing product.
    Product(Term),
    /// A year.
    Year(i64),
}

/// A value of a text facet (all but the year), borrowed: what indexing
/// stores and filters match, without copying the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetRef<'a> {
    /// An organisation.
    Organisation(&'a Term),
    /// A commune.
    Commune(&'a Commune),
    /// A département.
    Departement(&'a Area),
    /// A région.
    Region(&'a Area),
    /// A programme.
    Programme(&'a Term),
    /// A housing product.
    Product(&'a Term),
}

/// Separator of the parts of a value in its stored form.
const SEPARATOR: char = '|';

impl<'a> FacetRef<'a> {
    /// The field of the value.
    pub fn field(self) -> FacetField {
        match self {
            FacetRef::Organisation(_) => FacetField::Organisation,
            FacetRef::Commune(_) => FacetField::Commune,
            FacetRef::Departement(_) => FacetField::Departement,
            FacetRef::Region(_) => FacetField::Region,
            FacetRef::Programme(_) => FacetField::Programme,
            FacetRef::Product(_) => FacetField::Product,
        }
    }

    /// The name shown for the value (`Senlis`, `Oise`, `PSLA`).
    pub fn name(self) -> &'a str {
        match self {
            FacetRef::Organisation(t) | FacetRef::Programme(t) | FacetRef::Product(t) => &t.name,
            FacetRef::Commune(c) => &c.name,
            FacetRef::Departement(a) | FacetRef::Region(a) => &a.name,
        }
    }

    /// The official code of the value: INSEE code of a commune, code of a
    /// département or région; `None` for the others or when unknown.
    pub fn code(self) -> Option<&'a str> {
        let code = match self {
            FacetRef::Commune(c) => &c.insee,
            FacetRef::Departement(a) | FacetRef::Region(a) => &a.code,
            _ => return None,
        };
        (!code.is_empty()).then_some(code.as_str())
    }

    /// What a filter on the value may name: its name, and its code.
    pub fn keys(self) -> impl Iterator<Item = &'a str> {
        std::iter::once(self.name())
            .chain(self.code())
            .filter(|k| !k.trim().is_empty())
    }

    /// Whether a filter value (`compiegne`, `60159`, `oise`, `60`) names
    /// this value: its name whatever the case, accents or hyphens, or its
    /// code.
    pub fn matches(self, filter: &str) -> bool {
        let filter = filter.trim();
        facet_key(filter) == facet_key(self.name())
            || self
                .code()
                .is_some_and(|code| code.eq_ignore_ascii_case(filter))
    }

    /// The value, owned.
    pub fn to_value(self) -> FacetValue {
        match self {
            FacetRef::Organisation(t) => FacetValue::Organisation(t.clone()),
            FacetRef::Commune(c) => FacetValue::Commune(c.clone()),
            FacetRef::Departement(a) => FacetValue::Departement(a.clone()),
            FacetRef::Region(a) => FacetValue::Region(a.clone()),
            FacetRef::Programme(t) => FacetValue::Programme(t.clone()),
            FacetRef::Product(t) => FacetValue::Product(t.clone()),
        }
    }

    /// The value as one stored string, unique even when two values share a
    /// name (Senlis in the Oise and in the Pas-de-Calais): the name first,
    /// so that stored forms sort by name; a term of no known kind is its
    /// name alone.
    pub fn to_stored(self) -> String {
        let parts: &[&str] = match self {
            FacetRef::Organisation(t) | FacetRef::Programme(t) | FacetRef::Product(t) => {
                if t.kind.is_empty() {
                    &[&t.name]
                } else {
                    &[&t.name, &t.kind]
                }
            }
            FacetRef::Commune(c) => &[
                &c.name,
                &c.insee,
                &c.departement.code,
                &c.departement.name,
                &c.region.code,
                &c.region.name,
            ],
            FacetRef::Departement(a) | FacetRef::Region(a) => &[&a.name, &a.code],
        };
        let mut stored = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                stored.push(SEPARATOR);
            }
            // A separator inside a part would shift the others.
            if part.contains(SEPARATOR) {
                stored.push_str(&part.replace(SEPARATOR, " "));
            } else {
                stored.push_str(part);
            }
        }
        stored
    }
}

impl FacetValue {
    /// The value of a text facet, borrowed; or, for a year, the year.
    pub fn borrowed(&self) -> Result<FacetRef<'_>, i64> {
        Ok(match self {
            FacetValue::Organisation(t) => FacetRef::Organisation(t),
            FacetValue::Commune(c) => FacetRef::Commune(c),
            FacetValue::Departement(a) => FacetRef::Departement(a),
            FacetValue::Region(a) => FacetRef::Region(a),
            FacetValue::Programme(t) => FacetRef::Programme(t),
            FacetValue::Product(t) => FacetRef::Product(t),
            FacetValue::Year(year) => return Err(*year),
        })
    }

    /// The field of the value.
    pub fn field(&self) -> FacetField {
        self.borrowed().map_or(FacetField::Year, FacetRef::field)
    }

    /// The name shown for the value (`Senlis`, `Oise`, `PSLA`, `2020`).
    pub fn name(&self) -> String {
        match self.borrowed() {
            Ok(value) => value.name().to_string(),
            Err(year) => year.to_string(),
        }
    }

    /// The official code of the value (see [`FacetRef::code`]).
    pub fn code(&self) -> Option<&str> {
        self.borrowed().ok().and_then(FacetRef::code)
    }

    /// Whether a filter value names this value (see [`FacetRef::matches`]);
    /// a year is matched by year ranges, not by this.
    pub fn matches(&self, filter: &str) -> bool {
        self.borrowed().is_ok_and(|value| value.matches(filter))
    }

    /// The value as one stored string (see [`FacetRef::to_stored`]).
    pub fn to_stored(&self) -> String {
        match self.borrowed() {
            Ok(value) => value.to_stored(),
            Err(year) => year.to_string(),
        }
    }

    /// Reads a value of `field` written by [`FacetValue::to_stored`].
    pub fn from_stored(field: FacetField, stored: &str) -> FacetValue {
        let mut parts = stored.split(SEPARATOR);
        let mut part = || parts.next().unwrap_or_default().to_string();
        match field {
            FacetField::Organisation | FacetField::Programme | FacetField::Product => {
                let term = Term {
                    name: part(),
                    kind: part(),
                };
                match field {
                    FacetField::Organisation => FacetValue::Organisation(term),
                    FacetField::Programme => FacetValue::Programme(term),
                    _ => FacetValue::Product(term),
                }
            }
            FacetField::Departement | FacetField::Region => {
                let name = part();
                let area = Area { code: part(), name };
                if field == FacetField::Departement {
                    FacetValue::Departement(area)
                } else {
                    FacetValue::Region(area)
                }
            }
            FacetField::Commune => FacetValue::Commune(Commune {
                name: part(),
                insee: part(),
                departement: Area {
                    code: part(),
                    name: part(),
                },
                region: Area {
                    code: part(),
                    name: part(),
                },
            }),
            FacetField::Year => FacetValue::Year(stored.trim().parse().unwrap_or(0)),
        }
    }
}

/// The facet values of a passage or an article.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    /// Organisations named.
    #[serde(default)]
    pub organisations: Vec<Term>,
    /// Communes named.
    #[serde(default)]
    pub communes: Vec<Commune>,
    /// Départements named, and those of the communes.
    #[serde(default)]
    pub departements: Vec<Area>,
    /// Régions named, and those of the communes and départements.
    #[serde(default)]
    pub regions: Vec<Area>,
    /// Programmes named.
    #[serde(default)]
    pub programmes: Vec<Term>,
    /// Housing products named.
    #[serde(default)]
    pub products: Vec<Term>,
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
            for (list, area) in [
                (&mut self.departements, &commune.departement),
                (&mut self.regions, &commune.region),
            ] {
                if !area.is_empty() && !list.contains(area) {
                    list.push(area.clone());
                }
            }
        }
    }

    /// Adds a value to its list (a year to the years mentioned).
    pub fn push(&mut self, value: FacetValue) {
        match value {
            FacetValue::Organisation(t) => self.organisations.push(t),
            FacetValue::Commune(c) => self.communes.push(c),
            FacetValue::Departement(a) => self.departements.push(a),
            FacetValue::Region(a) => self.regions.push(a),
            FacetValue::Programme(t) => self.programmes.push(t),
            FacetValue::Product(t) => self.products.push(t),
            FacetValue::Year(y) => self.years.push(y),
        }
    }

    /// Every value but the years mentioned, field by field, borrowed.
    pub fn values(&self) -> impl Iterator<Item = FacetRef<'_>> {
        (self.organisations.iter().map(FacetRef::Organisation))
            .chain(self.communes.iter().map(FacetRef::Commune))
            .chain(self.departements.iter().map(FacetRef::Departement))
            .chain(self.regions.iter().map(FacetRef::Region))
            .chain(self.programmes.iter().map(FacetRef::Programme))
            .chain(self.products.iter().map(FacetRef::Product))
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

    fn saint_denis() -> Commune {
        Commune {
            name: "Saint-Denis".into(),
            insee: "97411".into(),
            departement: Area {
                code: "974".into(),
                name: "La Réunion".into(),
            },
            region: Area {
                code: "04".into(),
                name: "La Réunion".into(),
            },
        }
    }

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
        match FacetField::parse("colour") {
            Err(Error::UnknownField { field, valid }) => {
                assert_eq!(field, "colour");
                assert_eq!(valid.len(), FacetField::ALL.len());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn stored_forms_round_trip_with_their_codes() {
        let values = [
            FacetValue::Commune(saint_denis()),
            FacetValue::Departement(saint_denis().departement),
            FacetValue::Region(saint_denis().region),
            FacetValue::Organisation(Term {
                name: "CDC Habitat".into(),
                kind: "groupe".into(),
            }),
            FacetValue::Product(Term::named("PSLA")),
            FacetValue::Programme(Term::named("A|B")),
            FacetValue::Year(2021),
        ];
        for value in values {
            let back = FacetValue::from_stored(value.field(), &value.to_stored());
            if value.name().contains('|') {
                assert_eq!(back.name(), "A B");
            } else {
                assert_eq!(back, value);
            }
        }
        assert!(FacetValue::Commune(saint_denis())
            .to_stored()
            .starts_with("Saint-Denis|97411|974|"));
    }

    #[test]
    fn filters_name_values_or_give_their_codes() {
        let commune = FacetValue::Commune(saint_denis());
        assert!(commune.matches("saint denis") && commune.matches("97411"));
        assert!(!commune.matches("974") && !commune.matches("Saint-Pierre"));
        let departement = FacetValue::Departement(saint_denis().departement);
        assert!(departement.matches("974") && departement.matches("la reunion"));
        let corse = FacetValue::Departement(Area {
            code: "2A".into(),
            name: "Corse-du-Sud".into(),
        });
        assert!(corse.matches("2a") && corse.matches("2A"));
        let keys = |value: &FacetValue| -> Vec<String> {
            value
                .borrowed()
                .unwrap()
                .keys()
                .map(str::to_string)
                .collect()
        };
        assert_eq!(keys(&departement), ["La Réunion", "974"]);
        assert_eq!(keys(&FacetValue::Product(Term::named("PSLA"))), ["PSLA"]);
    }

    #[test]
    fn hierarchy_from_communes() {
        let oise = Area {
            code: "60".into(),
            name: "Oise".into(),
        };
        let nord = Area {
            code: "59".into(),
            name: "Nord".into(),
        };
        let mut f = Facets {
            communes: vec![Commune {
                name: "Senlis".into(),
                insee: "60612".into(),
                departement: oise.clone(),
                region: Area {
                    code: "32".into(),
                    name: "Hauts-de-France".into(),
                },
            }],
            departements: vec![nord.clone()],
            ..Default::default()
        };
        f.complete_hierarchy();
        assert_eq!(f.departements, [nord, oise]);
        assert_eq!(f.regions[0].code, "32");
        // A commune given by name alone adds no empty area.
        let mut bare = Facets {
            communes: vec![Commune {
                name: "Arras".into(),
                ..Commune::default()
            }],
            ..Default::default()
        };
        bare.complete_hierarchy();
        assert!(bare.departements.is_empty() && bare.regions.is_empty());
    }

    #[test]
    fn merge_keeps_values_unique() {
        let mut a = Facets {
            products: vec![Term::named("PSLA")],
            ..Default::default()
        };
        let b = Facets {
            products: vec![Term::named("PSLA"), Term::named("PLS")],
            ..Default::default()
        };
        a.merge(&b);
        assert_eq!(a.products, [Term::named("PSLA"), Term::named("PLS")]);
        assert_eq!(a.values().count(), 2);
    }
}
