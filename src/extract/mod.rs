//! Facet extraction: the organisations, places, programmes, housing
//! products and years an article names, per passage, as typed values
//! ([`crate::facets`]).
//!
//! - `places`: communes, départements and régions, and where a commune
//!   homonym is chosen;
//! - `organisations`: the gazetteer and the rules for names it lacks;
//! - `terms`: programmes and products (and the gazetteers' matching);
//! - `years`: years mentioned, and the publication year a text supports;
//! - `noise`: lines of debris that give no value;
//! - `phrases`: longest-match lookup of word sequences, for all of them.

pub mod noise;
pub mod operations;
pub mod organisations;
mod phrases;
pub mod places;
pub mod terms;
pub mod years;

use std::sync::Arc;

use crate::analysis::{facet_key, Analyzer, Word};
use crate::corpus::passages::Passage;
use crate::data::{DataFile, DataSet};
use crate::facets::{Facets, Term};
use organisations::Organisations;
use places::{Place, Places};
use terms::Terms;
use years::Calendar;

/// Users' gazetteer files, merged with the built-in ones: the contents of
/// files in the formats of `data/organisations.tsv`, `data/programmes.tsv`
/// and `data/products.tsv`.
#[derive(Debug, Clone, Default)]
pub struct ExtraGazetteers {
    /// Extra organisations.
    pub organisations: Vec<String>,
    /// Extra programmes.
    pub programmes: Vec<String>,
    /// Extra housing products.
    pub products: Vec<String>,
}

/// Extracts facet values from article text.
pub struct Extractor {
    analyzer: Analyzer,
    places: Arc<Places>,
    organisations: Organisations,
    products: Terms,
    programmes: Terms,
    calendar: Calendar,
}

impl Extractor {
    /// An extractor with the built-in data.
    pub fn new(analyzer: Analyzer) -> Extractor {
        Extractor::with_data(analyzer, DataSet::built_in(), &ExtraGazetteers::default())
    }

    /// An extractor with the gazetteers and word lists of `data` and users'
    /// additions.
    pub fn with_data(analyzer: Analyzer, data: &DataSet, extra: &ExtraGazetteers) -> Extractor {
        let terms = |file: DataFile, added: &[String]| {
            let mut terms = Terms::parse(&analyzer, data.text(file));
            for data in added {
                terms.add(&analyzer, data);
            }
            terms
        };
        Extractor {
            places: Places::for_data(data),
            organisations: Organisations::new(&analyzer, data, &extra.organisations),
            products: terms(DataFile::Products, &extra.products),
            programmes: terms(DataFile::Programmes, &extra.programmes),
            calendar: Calendar::new(data),
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
        self.extract_mentions(text, words, passages).0
    }

    /// [`Extractor::extract_words`], with where the places and products
    /// stand, for [`Extractor::operations`] (found once, used twice).
    pub fn extract_mentions(
        &self,
        text: &str,
        words: &[Word],
        passages: &[Passage],
    ) -> (Vec<Facets>, Mentions) {
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

    /// The names of the gazetteers (organisations, programmes, products)
    /// as written, for the index tokens of known phrases (see
    /// [`crate::analysis::phrases`]).
    pub fn phrase_aliases(&self) -> impl Iterator<Item = &str> {
        self.organisations
            .all_aliases()
            .chain(self.programmes.all_aliases())
            .chain(self.products.all_aliases())
    }

    /// The publication date a text supports, given its words, for an
    /// article without a date (see [`years::inferred_publication`]).
    pub fn inferred_date(&self, words: &[Word]) -> Option<String> {
        years::inferred_publication(words, &self.calendar)
    }

    /// The facet values given with an article (JSON Lines), completed: the
    /// places with their official codes and their hierarchy, organisations,
    /// programmes and products the data knows with their canonical names and
    /// kinds (so that they are the same values as those found in the text).
    pub fn complete_given(&self, given: &Facets) -> Facets {
        let mut given = given.clone();
        let canonical = |terms: &mut Vec<Term>, find: &dyn Fn(&str) -> Option<Term>| {
            for term in terms.iter_mut() {
                if let Some(found) = find(&term.name) {
                    *term = found;
                }
            }
        };
        let analyzer = &self.analyzer;
        canonical(&mut given.organisations, &|name| {
            self.organisations.canonical(analyzer, name)
        });
        canonical(&mut given.programmes, &|name| {
            self.programmes.canonical(analyzer, name)
        });
        canonical(&mut given.products, &|name| {
            self.products.canonical(analyzer, name)
        });
        for commune in &mut given.communes {
            // `"communes": ["Calais"]`: the commune of that name, in the
            // département given if any, else the most populous; the same
            // value as `Calais` found in a text.
            if commune.insee.trim().is_empty() {
                let mut departement = commune.departement.clone();
                self.places.complete_departement(&mut departement);
                let found = self
                    .places
                    .communes_named(&commune.name)
                    .into_iter()
                    .map(|c| &self.places.communes[c as usize])
                    .find(|c| departement.code.is_empty() || c.departement == departement.code);
                if let Some(found) = found {
                    commune.insee = found.insee.to_string();
                    commune.name = found.name.to_string();
                }
            }
            self.places.complete_given(commune);
        }
        for departement in &mut given.departements {
            self.places.complete_departement(departement);
        }
        for region in &mut given.regions {
            self.places.complete_region(region);
        }
        given.complete_hierarchy();
        given
    }

    /// What an article is about, for every facet: the values its title
    /// names, those of its first passage (the lede, with its dateline),
    /// those named in at least two passages, a field's only value, and the
    /// values given with it; with the départements and régions of its
    /// communes. `passages` are the values of each passage
    /// ([`Extractor::extract`]). A title's commune takes the article's
    /// reading of the name when the text resolves it (Senlis in the
    /// Pas-de-Calais), since the title alone has no evidence.
    pub fn article_scope(
        &self,
        title: Option<&str>,
        passages: &[Facets],
        given: &Facets,
    ) -> Facets {
        let mut named = Facets::default();
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            let split = [Passage {
                start: 0,
                end: title.len(),
                ordinal: 0,
                heading: None,
            }];
            if let Some(mut facets) = self.extract(title, &split).pop() {
                for commune in &mut facets.communes {
                    let key = facet_key(&commune.name);
                    let read = passages
                        .iter()
                        .flat_map(|p| &p.communes)
                        .find(|c| facet_key(&c.name) == key);
                    if let Some(read) = read {
                        *commune = read.clone();
                    }
                }
                named = facets;
            }
        }
        let mut about = Facets {
            organisations: prominent(passages, &named.organisations, |f| &f.organisations),
            communes: prominent(passages, &named.communes, |f| &f.communes),
            departements: prominent(passages, &named.departements, |f| &f.departements),
            regions: prominent(passages, &named.regions, |f| &f.regions),
            programmes: prominent(passages, &named.programmes, |f| &f.programmes),
            products: prominent(passages, &named.products, |f| &f.products),
            years: Vec::new(),
        };
        about.merge(given);
        about.years.clear();
        about.complete_hierarchy();
        about
    }

    fn extract_clean(
        &self,
        text: &str,
        words: &[Word],
        passages: &[Passage],
    ) -> (Vec<Facets>, Mentions) {
        let mut mentions = Mentions::default();
        let mut out = vec![Facets::default(); passages.len()];
        let keys = terms::keys(words);
        for (facets, range) in out.iter_mut().zip(word_ranges(words, passages)) {
            facets.years = years::mentioned(&words[range]);
        }
        let organisations = self
            .organisations
            .find_keyed(text, words, &keys, &self.places);
        for org in &organisations {
            if let Some(i) = passage_at(passages, org.start) {
                push_unique(&mut out[i].organisations, &org.organisation);
            }
        }
        // `Caisse de garantie du logement locatif social` names a body, not
        // the product: a term inside an organisation's name does not count.
        let in_name = |start: usize, end: usize| {
            organisations
                .iter()
                .any(|o| o.start <= start && end <= o.end)
        };
        for (start, end, term) in self.products.find_keyed(text, words, &keys) {
            if let Some(i) = passage_at(passages, start).filter(|_| !in_name(start, end)) {
                push_unique(&mut out[i].products, &self.products.term(term));
                mentions.products.push((start, end, term));
            }
        }
        // `Action Cœur de Ville` names a programme, not the commune Ville.
        let mut programme_names = Vec::new();
        for (start, end, term) in self.programmes.find_keyed(text, words, &keys) {
            if let Some(i) = passage_at(passages, start).filter(|_| !in_name(start, end)) {
                push_unique(&mut out[i].programmes, &self.programmes.term(term));
                programme_names.push((start, end));
            }
        }
        let in_programme =
            |start: usize, end: usize| programme_names.iter().any(|&(s, e)| s <= start && end <= e);
        for mention in self.places.find(text, words) {
            // `Lille Métropole Habitat` names a landlord, not Lille.
            let Some(i) = passage_at(passages, mention.start).filter(|_| {
                !in_name(mention.start, mention.end) && !in_programme(mention.start, mention.end)
            }) else {
                continue;
            };
            let facets = &mut out[i];
            mentions.places.push(mention.clone());
            match mention.place {
                Place::Commune(c) => {
                    let commune = self.places.commune_facet(&self.places.communes[c as usize]);
                    push_unique(&mut facets.communes, &commune);
                }
                Place::Departement(code) => {
                    if let Some(d) = self.places.departement(code) {
                        push_unique(&mut facets.departements, &d.area());
                        if let Some(r) = self.places.region(d.region) {
                            push_unique(&mut facets.regions, &r.area());
                        }
                    }
                }
                Place::Region(code) => {
                    if let Some(r) = self.places.region_area(code) {
                        push_unique(&mut facets.regions, &r);
                    }
                }
            }
        }
        for facets in &mut out {
            facets.complete_hierarchy();
        }
        (out, mentions)
    }
}

/// Where an article names places and products (byte ranges), those that
/// count: not inside an organisation's or a programme's name.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    /// Places, in text order.
    pub places: Vec<places::PlaceMention>,
    /// Products: start, end, and the product's index in its gazetteer.
    pub products: Vec<(usize, usize, usize)>,
}

/// The values of one field an article is about (see
/// [`Extractor::article_scope`]): in `title`, in the first passage, in two
/// passages or more, or the field's only value.
fn prominent<T: Clone + PartialEq>(
    passages: &[Facets],
    title: &[T],
    field: impl Fn(&Facets) -> &Vec<T>,
) -> Vec<T> {
    let mut about: Vec<T> = title.to_vec();
    let mut seen: Vec<(&T, usize)> = Vec::new();
    for (i, facets) in passages.iter().enumerate() {
        for value in field(facets) {
            if i == 0 {
                push_unique(&mut about, value);
            }
            match seen.iter_mut().find(|(v, _)| *v == value) {
                Some((_, n)) => *n += 1,
                None => seen.push((value, 1)),
            }
        }
    }
    for &(value, n) in &seen {
        if n >= 2 || seen.len() == 1 {
            push_unique(&mut about, value);
        }
    }
    about
}

fn push_unique<T: Clone + PartialEq>(list: &mut Vec<T>, value: &T) {
    if !list.contains(value) {
        list.push(value.clone());
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
    use crate::facets::{Area, Commune};

    fn names(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.name.as_str()).collect()
    }

    fn codes(areas: &[Area]) -> Vec<&str> {
        areas.iter().map(|a| a.code.as_str()).collect()
    }

    #[test]
    fn places_go_to_their_passage_with_the_hierarchy() {
        let text =
            "Dans l'Oise, un projet.\n\nUn chantier à Senlis (62), près d'Arras.\n\nRien ici.";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(facets.len(), 3);
        assert_eq!(codes(&facets[0].departements), ["60"]);
        assert_eq!(facets[0].regions[0].name, "Hauts-de-France");
        let insee: Vec<&str> = facets[1]
            .communes
            .iter()
            .map(|c| c.insee.as_str())
            .collect();
        assert_eq!(insee, ["62790", "62041"]);
        assert_eq!(facets[1].departements[0].name, "Pas-de-Calais");
        assert_eq!(facets[2], Facets::default());
    }

    #[test]
    fn overseas_communes_keep_their_departement_code() {
        let text = "Un chantier à Saint-Denis (La Réunion), près du port.";
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages::split(text));
        let commune = &facets[0].communes[0];
        assert_eq!(commune.insee, "97411");
        assert_eq!(commune.departement.code, "974");
        assert_eq!(commune.region.name, "La Réunion");
    }

    #[test]
    fn products_and_programmes_go_to_their_passage() {
        let text = "Le programme Action Cœur de Ville (ACV) avance.\n\nCOMPIÈGNE Quai des Tilleuls\nUne opération neuve.\n\n 6 PLS 16 PSLA";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(names(&facets[0].programmes), ["Action Cœur de Ville"]);
        assert!(facets[0].products.is_empty());
        assert_eq!(names(&facets[1].products), ["PLS", "PSLA"]);
        assert_eq!(facets[1].communes[0].insee, "60159");
    }

    #[test]
    fn places_inside_organisation_names_do_not_count() {
        let text = "Lille Métropole Habitat et Pas-de-Calais habitat rénovent à Arras.";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(
            names(&facets[0].organisations),
            ["Lille Métropole Habitat", "Pas-de-Calais habitat"]
        );
        let communes: Vec<&str> = facets[0].communes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(communes, ["Arras"]);
        assert_eq!(codes(&facets[0].departements), ["62"]);
    }

    #[test]
    fn places_inside_programme_names_do_not_count() {
        let text = "À Vierzon, la convention Action Cœur de Ville signée avec la \
                    communauté de communes finance la rénovation de la rue de la Gare.";
        let passages = passages::split(text);
        let facets = Extractor::new(Analyzer::default()).extract(text, &passages);
        assert_eq!(names(&facets[0].programmes), ["Action Cœur de Ville"]);
        let communes: Vec<&str> = facets[0].communes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(communes, ["Vierzon"]);
    }

    #[test]
    fn an_article_is_about_its_title_lede_repeated_and_only_values() {
        let extractor = Extractor::new(Analyzer::default());
        let title = "Vierzon : la cité des Forges tourne la page";
        let text = format!(
            "{title}\n\nVIERZON, 12 mars 2024 – L'office départemental engage la \
             transformation de la cité des Forges, un ensemble de 220 logements construit \
             en 1962 au nord de la gare.\n\nLa démolition des deux barres les plus hautes \
             commencera à l'automne, comme celle menée à Bourges l'an passé. Les locataires \
             concernés seront relogés dans le parc existant.\n\nLe chantier sera suivi \
             d'une réhabilitation thermique des bâtiments conservés, pour un montant de \
             1 450 euros par mètre carré hors taxes."
        );
        let split = passages::split(&text);
        assert!(split.len() >= 3, "{split:?}");
        let facets = extractor.extract(&text, &split);
        let about = extractor.article_scope(Some(title), &facets, &Facets::default());
        let insee: Vec<&str> = about.communes.iter().map(|c| c.insee.as_str()).collect();
        // Bourges, named once past the lede beside another commune, is not
        // what the article is about.
        assert_eq!(insee, ["18279"]);
        assert_eq!(codes(&about.departements), ["18"]);
        // An article's only commune is what it is about, wherever named.
        let text = "Un chantier d'hiver\n\nLes travaux de la résidence avancent bien malgré \
                    le froid, et les entreprises tiennent le calendrier fixé au printemps \
                    dernier par le bailleur et ses partenaires.\n\nLa livraison des quarante \
                    logements est prévue à Bourges au mois de juin, avant l'été, pour des \
                    familles déjà inscrites sur la liste d'attente.";
        let split = passages::split(text);
        let facets = extractor.extract(text, &split);
        assert!(facets[0].communes.is_empty(), "{facets:?}");
        let about = extractor.article_scope(None, &facets, &Facets::default());
        assert_eq!(about.communes[0].insee, "18033");
    }

    #[test]
    fn given_values_get_their_codes() {
        let extractor = Extractor::new(Analyzer::default());
        let given = Facets {
            communes: vec![
                Commune {
                    name: "Senlis".into(),
                    insee: "62790".into(),
                    ..Commune::default()
                },
                Commune {
                    name: "Ailleurs".into(),
                    departement: Area {
                        code: String::new(),
                        name: "oise".into(),
                    },
                    ..Commune::default()
                },
            ],
            departements: vec![Area {
                code: "2A".into(),
                name: String::new(),
            }],
            regions: vec![Area {
                code: String::new(),
                name: "Ile de France".into(),
            }],
            organisations: vec![Term::named("cdc habitat"), Term::named("Un Inconnu")],
            products: vec![Term::named("prêt social location-accession")],
            ..Facets::default()
        };
        let complete = extractor.complete_given(&given);
        assert_eq!(complete.communes[0].departement.name, "Pas-de-Calais");
        let by_name = extractor.complete_given(&Facets {
            communes: vec![Commune {
                name: "calais".into(),
                ..Commune::default()
            }],
            ..Facets::default()
        });
        assert_eq!(by_name.communes[0].insee, "62193");
        assert_eq!(by_name.communes[0].name, "Calais");
        assert_eq!(complete.communes[1].departement.code, "60");
        assert_eq!(complete.communes[1].region.code, "32");
        assert_eq!(codes(&complete.departements), ["2A", "62", "60"]);
        assert_eq!(complete.regions[0].name, "Île-de-France");
        assert_eq!(
            complete.organisations,
            [
                Term {
                    name: "CDC Habitat".into(),
                    kind: "groupe".into()
                },
                Term::named("Un Inconnu")
            ]
        );
        assert_eq!(names(&complete.products), ["PSLA"]);
    }
}
