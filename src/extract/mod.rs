//! Facet extraction: the places (and, later, organisations, programmes,
//! housing products and years) an article names, per passage.

pub mod places;

use crate::analysis::Analyzer;
use crate::corpus::passages::Passage;
use crate::facets::Facets;
use places::{Place, Places};

/// Extracts facet values from article text.
pub struct Extractor {
    analyzer: Analyzer,
    places: &'static Places,
}

impl Extractor {
    pub fn new(analyzer: Analyzer) -> Extractor {
        Extractor {
            analyzer,
            places: Places::get(),
        }
    }

    /// The facet values of each passage of `text`. Names are resolved over
    /// the whole article (its other places are evidence), then given to the
    /// passage that holds them.
    pub fn extract(&self, text: &str, passages: &[Passage]) -> Vec<Facets> {
        let mut out = vec![Facets::default(); passages.len()];
        for mention in self.places.find(&self.analyzer, text) {
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
}
