//! Facet extraction: the places, programmes and housing products (and,
//! later, organisations and years) an article names, per passage.

pub mod places;
pub mod terms;

use std::sync::OnceLock;

use crate::analysis::Analyzer;
use crate::corpus::passages::Passage;
use crate::facets::Facets;
use places::{Place, Places};
use terms::Terms;

const PRODUCTS: &str = include_str!("../../data/products.tsv");
const PROGRAMMES: &str = include_str!("../../data/programmes.tsv");

/// Extracts facet values from article text.
pub struct Extractor {
    analyzer: Analyzer,
    places: &'static Places,
    products: &'static Terms,
    programmes: &'static Terms,
}

impl Extractor {
    pub fn new(analyzer: Analyzer) -> Extractor {
        static PRODUCT_TERMS: OnceLock<Terms> = OnceLock::new();
        static PROGRAMME_TERMS: OnceLock<Terms> = OnceLock::new();
        let products = PRODUCT_TERMS.get_or_init(|| Terms::parse(&analyzer, PRODUCTS));
        let programmes = PROGRAMME_TERMS.get_or_init(|| Terms::parse(&analyzer, PROGRAMMES));
        Extractor {
            analyzer,
            places: Places::get(),
            products,
            programmes,
        }
    }

    /// The facet values of each passage of `text`. Names are resolved over
    /// the whole article (its other places are evidence), then given to the
    /// passage that holds them.
    pub fn extract(&self, text: &str, passages: &[Passage]) -> Vec<Facets> {
        let mut out = vec![Facets::default(); passages.len()];
        let words = self.analyzer.words(text);
        for (terms, list) in [
            (self.products, ListField::Products),
            (self.programmes, ListField::Programmes),
        ] {
            for (start, _, term) in terms.find(&words) {
                if let Some(i) = passage_at(passages, start) {
                    let values = match list {
                        ListField::Products => &mut out[i].products,
                        ListField::Programmes => &mut out[i].programmes,
                    };
                    push_unique(values, terms.name(term));
                }
            }
        }
        for mention in self.places.find(text, &words) {
            let Some(i) = passage_at(passages, mention.start) else {
                continue;
            };
            let facets = &mut out[i];
            match mention.place {
                Place::Commune(c) => {
                    let commune = self.places.commune_facet(&self.places.communes[c as usize]);
                    if !facets.communes.contains(&commune) {
                        facets.communes.push(commune);
                    }
                }
                Place::Departement(code) => {
                    if let Some(d) = self.places.departement(code) {
                        push_unique(&mut facets.departements, d.name);
                        if let Some(r) = self.places.region(d.region) {
                            push_unique(&mut facets.regions, r.name);
                        }
                    }
                }
                Place::Region(code) => {
                    if let Some(r) = self.places.region(code) {
                        push_unique(&mut facets.regions, r.name);
                    }
                }
            }
        }
        for facets in &mut out {
            facets.complete_hierarchy();
        }
        out
    }
}

#[derive(Clone, Copy)]
enum ListField {
    Products,
    Programmes,
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// The passage whose byte range holds `offset`.
fn passage_at(passages: &[Passage], offset: usize) -> Option<usize> {
    let i = passages.partition_point(|p| p.end <= offset);
    (i < passages.len() && passages[i].start <= offset).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::passages;

    #[test]
    fn places_go_to_their_passage_with_the_hierarchy() {
        let text =
            "Dans l'Oise, un projet.\n\nUn chantier à Senlis (62), près d'Arras.\n\nRien ici.";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(facets.len(), 3);
        assert_eq!(facets[0].departements, ["Oise"]);
        assert_eq!(facets[0].regions, ["Hauts-de-France"]);
        let names: Vec<&str> = facets[1]
            .communes
            .iter()
            .map(|c| c.insee.as_str())
            .collect();
        assert_eq!(names, ["62790", "62041"]);
        assert_eq!(facets[1].departements, ["Pas-de-Calais"]);
        assert_eq!(facets[2], Facets::default());
    }

    #[test]
    fn products_and_programmes_go_to_their_passage() {
        let text = "Le programme Action Cœur de Ville (ACV) avance.\n\nCOMPIÈGNE Quai des Tilleuls\nUne opération neuve.\n\n 6 PLS 16 PSLA";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(facets[0].programmes, ["Action Cœur de Ville"]);
        assert!(facets[0].products.is_empty());
        assert_eq!(facets[1].products, ["PLS", "PSLA"]);
        assert_eq!(facets[1].communes[0].insee, "60159");
    }
}
