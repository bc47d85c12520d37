//! Facet extraction: the organisations, places, programmes and housing
//! products an article names, per passage.

pub mod noise;
pub mod organisations;
pub mod phrases;
pub mod places;
pub mod terms;
pub mod years;

use crate::analysis::{Analyzer, Word};
use crate::corpus::passages::Passage;
use crate::facets::Facets;
use organisations::Organisations;
use places::{Place, Places};
use terms::Terms;

pub const PRODUCTS: &str = include_str!("../../data/products.tsv");
pub const PROGRAMMES: &str = include_str!("../../data/programmes.tsv");

impl Extractor {
    /// The publication year a text supports, given its words, for an
    /// article without a date (see [`years::inferred_publication`]).
    pub fn inferred_year(&self, words: &[Word]) -> Option<i64> {
        years::inferred_publication(words)
    }
}

/// Users' gazetteer files, merged with the built-in ones: the contents of
/// files in the formats of `data/organisations.tsv`, `data/programmes.tsv`
/// and `data/products.tsv`.
#[derive(Debug, Clone, Default)]
pub struct ExtraGazetteers {
    pub organisations: Vec<String>,
    pub programmes: Vec<String>,
    pub products: Vec<String>,
}

/// Extracts facet values from article text.
pub struct Extractor {
    analyzer: Analyzer,
    places: &'static Places,
    organisations: Organisations,
    products: Terms,
    programmes: Terms,
}

impl Extractor {
    /// An extractor with the built-in gazetteers.
    pub fn new(analyzer: Analyzer) -> Extractor {
        Extractor::with_extra(analyzer, &ExtraGazetteers::default())
    }

    /// An extractor with the built-in gazetteers and users' additions.
    pub fn with_extra(analyzer: Analyzer, extra: &ExtraGazetteers) -> Extractor {
        let terms = |builtin: &str, added: &[String]| {
            let mut terms = Terms::parse(&analyzer, builtin);
            for data in added {
                terms.add(&analyzer, data);
            }
            terms
        };
        Extractor {
            places: Places::get(),
            organisations: Organisations::new(&analyzer, &extra.organisations),
            products: terms(PRODUCTS, &extra.products),
            programmes: terms(PROGRAMMES, &extra.programmes),
            analyzer,
        }
    }

    /// The facet values of each passage of `text`. Names are resolved over
    /// the whole article (its other places are evidence), then given to the
    /// passage that holds them.
    pub fn extract(&self, text: &str, passages: &[Passage]) -> Vec<Facets> {
        self.extract_words(text, &self.analyzer.words(text), passages)
    }

    /// [`Extractor::extract`] on the text's words, analysed by the caller.
    /// Noise lines (see [`noise`]) are blanked first: they yield no value.
    pub fn extract_words(&self, text: &str, words: &[Word], passages: &[Passage]) -> Vec<Facets> {
        let noise = noise::noise_lines(text);
        if noise.is_empty() {
            return self.extract_clean(text, words, passages);
        }
        let mut blanked = text.as_bytes().to_vec();
        for line in &noise {
            blanked[line.clone()].fill(b' ');
        }
        // Whole lines blanked with ASCII spaces: still UTF-8.
        let blanked = String::from_utf8_lossy(&blanked);
        // Words and noise lines are both in text order.
        let mut lines = noise.iter().peekable();
        let kept: Vec<Word> = words
            .iter()
            .filter(|w| {
                while lines.next_if(|line| line.end <= w.from).is_some() {}
                !lines.peek().is_some_and(|line| line.contains(&w.from))
            })
            .cloned()
            .collect();
        self.extract_clean(&blanked, &kept, passages)
    }

    fn extract_clean(&self, text: &str, words: &[Word], passages: &[Passage]) -> Vec<Facets> {
        let mut out = vec![Facets::default(); passages.len()];
        let keys = terms::keys(words);
        for (facets, range) in out.iter_mut().zip(word_ranges(words, passages)) {
            facets.years = years::mentioned(&words[range]);
        }
        let organisations = self.organisations.find_keyed(text, words, &keys);
        for org in &organisations {
            if let Some(i) = passage_at(passages, org.start) {
                push_unique(&mut out[i].organisations, &org.name);
            }
        }
        for (terms, list) in [
            (&self.products, ListField::Products),
            (&self.programmes, ListField::Programmes),
        ] {
            for (start, _, term) in terms.find_keyed(text, words, &keys) {
                if let Some(i) = passage_at(passages, start) {
                    let values = match list {
                        ListField::Products => &mut out[i].products,
                        ListField::Programmes => &mut out[i].programmes,
                    };
                    push_unique(values, terms.name(term));
                }
            }
        }
        for mention in self.places.find(text, words) {
            // `Lille Métropole Habitat` names a landlord, not Lille.
            let in_name = organisations
                .iter()
                .any(|o| o.start <= mention.start && mention.end <= o.end);
            let Some(i) = passage_at(passages, mention.start).filter(|_| !in_name) else {
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

/// For each passage, the range of `words` inside it (both in text order).
pub fn word_ranges(words: &[Word], passages: &[Passage]) -> Vec<std::ops::Range<usize>> {
    let mut first = 0;
    passages
        .iter()
        .map(|passage| {
            first += words[first..].partition_point(|w| w.from < passage.start);
            let count = words[first..].partition_point(|w| w.to <= passage.end);
            first..first + count
        })
        .collect()
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

    #[test]
    fn places_inside_organisation_names_do_not_count() {
        let text = "Lille Métropole Habitat et Pas-de-Calais habitat rénovent à Arras.";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(
            facets[0].organisations,
            ["Lille Métropole Habitat", "Pas-de-Calais habitat"]
        );
        let names: Vec<&str> = facets[0].communes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Arras"]);
        assert_eq!(facets[0].departements, ["Pas-de-Calais"]);
    }
}
