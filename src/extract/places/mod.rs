//! Places: communes, départements and régions named in an article, from the
//! official list (`data/communes.tsv`, derived from
//! `@etalab/decoupage-administratif` by `scripts/update-communes.py`).
//!
//! Names are matched on analysed words, so case, accents, hyphens, elisions
//! (`d'Argenteuil`) and `St-`/`Ste-` do not matter. A match must look like a
//! place name where it stands: capitalised as written, not glued by a hyphen
//! to a longer name (`Pas-de-Calais`, `Seine-Saint-Denis`), not a street
//! (`Rue Carnot`) nor after another capitalised word (a person, `Xavier
//! Bertrand`); names that are common words (`Plus`, `Maisons`) and small
//! communes need a place context (`à`, `commune de`). Names shared by several
//! communes are resolved with the article's evidence: a `(60)` or `(Oise)`
//! right after the name, départements and régions named, other communes,
//! postal codes; then population.
//!
//! This file loads the gazetteer and finds the names; `context` tells how
//! a name stands in the text, `homonyms` which commune a shared name is.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::analysis::capitals::is_capitalised;
use crate::analysis::{facet_key, fold, Analyzer, Word};
use crate::data::{self, DataFile, DataSet};
use crate::extract::phrases::PhraseIndex;
use crate::facets::{Area, Commune};
use context::{Context, PlaceWords};
use homonyms::Candidates;

mod context;
mod homonyms;

/// Communes smaller than this need a place context to be recognised from a
/// single word: tiny communes share their names with surnames and words.
const SMALL_COMMUNE: u32 = 2_000;
/// Communes named like a common word are recognised without a place context
/// only from this size on (`Tours`, `Orange`), and mid-sentence.
const LARGE_COMMUNE: u32 = 25_000;

/// A commune of the official list.
#[derive(Debug, Clone)]
pub struct CommuneEntry {
    /// INSEE code.
    pub insee: &'static str,
    /// Official name.
    pub name: &'static str,
    /// Code of its département.
    pub departement: &'static str,
    /// Code of its région.
    pub region: &'static str,
    /// Population (municipal).
    pub population: u32,
}

/// A département or a région of the official list.
#[derive(Debug, Clone)]
pub struct AreaEntry {
    /// Official code.
    pub code: &'static str,
    /// Official name.
    pub name: &'static str,
    /// The région of a département; empty for a région.
    pub region: &'static str,
}

/// How a name refers to a commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alias {
    /// Its name.
    Name,
    /// Its name without the leading article (`Grau du Roi`, `au Mans`).
    NoArticle,
    /// A former commune merged into it (`Évry` → Évry-Courcouronnes).
    Former,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Commune(u32, Alias),
    Departement(u16),
    Region(u16),
}

/// The gazetteer of places, from the official list.
pub struct Places {
    /// The current communes.
    pub communes: Vec<CommuneEntry>,
    /// The départements.
    pub departements: Vec<AreaEntry>,
    /// The régions.
    pub regions: Vec<AreaEntry>,
    names: PhraseIndex<Vec<Target>>,
    /// Current communes by INSEE code.
    by_insee: HashMap<&'static str, u32>,
    /// Département codes by folded name.
    departement_codes: HashMap<String, &'static str>,
    stopwords: HashSet<String>,
    words: PlaceWords,
}

/// The folded words that are also commune names
/// (`data/commune-stopwords.txt`): such a word only names a commune in a
/// place context.
pub fn commune_stopwords(data: &DataSet) -> HashSet<String> {
    data::rows(data.text(DataFile::CommuneStopwords))
        .map(|f| fold(f[0].trim()))
        .collect()
}

/// The normalised words of a place name or of text: folded, `st` → `saint`.
fn place_words(analyzer: &Analyzer, text: &str) -> Vec<String> {
    analyzer
        .words(text)
        .into_iter()
        .map(|w| normalise(&w).to_string())
        .collect()
}

fn normalise(word: &Word) -> &str {
    normalise_key(&word.folded)
}

/// A folded word as a place key: `st` → `saint`, `ste` → `sainte`.
fn normalise_key(folded: &str) -> &str {
    match folded {
        "st" => "saint",
        "ste" => "sainte",
        folded => folded,
    }
}

impl Places {
    /// The gazetteer of the built-in data, loaded once.
    pub fn built_in() -> Arc<Places> {
        static PLACES: OnceLock<Arc<Places>> = OnceLock::new();
        PLACES
            .get_or_init(|| Arc::new(Places::load(DataSet::built_in())))
            .clone()
    }

    /// The gazetteer of `data`: the built-in one, kept, unless `data`
    /// replaces one of the files it is built from.
    pub fn for_data(data: &DataSet) -> Arc<Places> {
        const FILES: [DataFile; 5] = [
            DataFile::Communes,
            DataFile::Departements,
            DataFile::Regions,
            DataFile::CommuneStopwords,
            DataFile::PlaceWords,
        ];
        if FILES.iter().any(|&file| data.replaces(file)) {
            Arc::new(Places::load(data))
        } else {
            Places::built_in()
        }
    }

    /// Builds the gazetteer from `data`.
    pub fn load(data: &DataSet) -> Places {
        let analyzer = Analyzer::default();
        let regions: Vec<AreaEntry> = data::rows(data.text(DataFile::Regions))
            .filter(|f| f.len() >= 2)
            .map(|f| AreaEntry {
                code: f[0],
                name: f[1],
                region: "",
            })
            .collect();
        let departements: Vec<AreaEntry> = data::rows(data.text(DataFile::Departements))
            .filter(|f| f.len() >= 3)
            .map(|f| AreaEntry {
                code: f[0],
                name: f[1],
                region: f[2],
            })
            .collect();
        let departement_codes = departements
            .iter()
            .map(|d| (facet_key(d.name), d.code))
            .collect();
        let mut places = Places {
            communes: Vec::new(),
            departements,
            regions,
            names: PhraseIndex::default(),
            by_insee: HashMap::new(),
            departement_codes,
            stopwords: commune_stopwords(data),
            words: PlaceWords::new(data),
        };
        let mut by_insee: HashMap<&'static str, u32> = HashMap::new();
        let rows: Vec<Vec<&'static str>> = data::rows(data.text(DataFile::Communes))
            .filter(|f| f.len() >= 8)
            .collect();
        for f in rows.iter().filter(|f| f[5] == "A") {
            by_insee.insert(f[0], places.communes.len() as u32);
            places.communes.push(CommuneEntry {
                insee: f[0],
                name: f[1],
                departement: f[2],
                region: f[3],
                population: f[4].parse().unwrap_or(0),
            });
        }
        for (i, area) in places.departements.clone().iter().enumerate() {
            places.add_key(&analyzer, area.name, Target::Departement(i as u16));
        }
        for (i, area) in places.regions.clone().iter().enumerate() {
            places.add_key(&analyzer, area.name, Target::Region(i as u16));
        }
        for f in &rows {
            let target = match f[5] {
                "A" => by_insee.get(f[0]).copied(),
                // Communes déléguées and associées: their current commune.
                "D" | "S" => by_insee.get(f[6]).copied(),
                _ => None,
            };
            let Some(target) = target else { continue };
            let alias = if f[5] == "A" {
                Alias::Name
            } else {
                Alias::Former
            };
            places.add_commune_keys(&analyzer, f[1], target, alias);
            // A merged commune named `A-B` keeps answering to `A` and `B`.
            let parts: Vec<&str> = f[1].split('-').collect();
            let area_name = |p: &str| {
                let words = place_words(&analyzer, p);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                places.names.get(&words).is_some_and(|targets| {
                    targets.iter().any(|t| !matches!(t, Target::Commune(..)))
                })
            };
            if f[7] == "1"
                && parts.len() == 2
                && parts.iter().all(|p| is_proper_word(p) && !area_name(p))
            {
                for part in parts {
                    places.add_key(&analyzer, part, Target::Commune(target, Alias::Former));
                }
            }
        }
        places.by_insee = by_insee;
        places
    }

    fn add_commune_keys(&mut self, analyzer: &Analyzer, name: &str, target: u32, alias: Alias) {
        let words = place_words(analyzer, name);
        // `L'Union` is the word `union` after an elided article: it needs
        // the same context as a name whose article was dropped.
        let elided_article = name.starts_with("L'") || name.starts_with("L’");
        let alias = if elided_article && words.len() == 1 && alias == Alias::Name {
            Alias::NoArticle
        } else {
            alias
        };
        self.add_key(analyzer, name, Target::Commune(target, alias));
        if words.len() >= 2 && matches!(words[0].as_str(), "le" | "la" | "les") {
            self.insert(&words[1..], Target::Commune(target, Alias::NoArticle));
        }
    }

    fn add_key(&mut self, analyzer: &Analyzer, name: &str, target: Target) {
        let words = place_words(analyzer, name);
        self.insert(&words, target);
    }

    fn insert(&mut self, words: &[String], target: Target) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let Some(targets) = self.names.entry(&words) else {
            return;
        };
        let duplicate = targets.iter().any(|t| match (t, &target) {
            (Target::Commune(a, _), Target::Commune(b, _)) => a == b,
            _ => false,
        });
        if !duplicate {
            targets.push(target);
        }
    }

    /// Whether these words are, all together, the name of a place.
    pub fn is_name(&self, words: &[Word]) -> bool {
        let keys: Vec<&str> = words.iter().map(normalise).collect();
        self.names.get(&keys).is_some()
    }

    /// The département of a code (`60` → Oise).
    pub fn departement(&self, code: &str) -> Option<&AreaEntry> {
        self.departements.iter().find(|d| d.code == code)
    }

    /// The région of a code (`32` → Hauts-de-France).
    pub fn region(&self, code: &str) -> Option<&AreaEntry> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The département of a code, as a facet value.
    pub fn departement_area(&self, code: &str) -> Option<Area> {
        self.departement(code).map(AreaEntry::area)
    }

    /// The région of a code, as a facet value.
    pub fn region_area(&self, code: &str) -> Option<Area> {
        self.region(code).map(AreaEntry::area)
    }

    /// The commune as a facet value, with its département and région.
    pub fn commune_facet(&self, entry: &CommuneEntry) -> Commune {
        Commune {
            name: entry.name.to_string(),
            insee: entry.insee.to_string(),
            departement: self.departement_area(entry.departement).unwrap_or_default(),
            region: self.region_area(entry.region).unwrap_or_default(),
        }
    }

    /// The code of a département named `name` (any case or accents).
    pub fn departement_code(&self, name: &str) -> Option<&'static str> {
        self.departement_codes.get(&facet_key(name)).copied()
    }

    /// The département given by its code (`60`, `2a`) or its name (`Oise`,
    /// `val de marne`).
    pub fn departement_named(&self, given: &str) -> Option<&AreaEntry> {
        let given = given.trim();
        self.departement(&given.to_ascii_uppercase())
            .or_else(|| self.departement(self.departement_code(given)?))
    }

    /// Completes the facet values given with an article (JSON Lines), which
    /// name places without their codes: a commune by its INSEE code takes
    /// the official name's département and région; départements and
    /// régions given by name or code take both.
    pub fn complete_given(&self, commune: &mut Commune) {
        let entry = self.by_insee.get(commune.insee.as_str());
        if let Some(entry) = entry.map(|&i| &self.communes[i as usize]) {
            let official = self.commune_facet(entry);
            if commune.name.trim().is_empty() {
                commune.name = official.name;
            }
            commune.departement = official.departement;
            commune.region = official.region;
            return;
        }
        self.complete_departement(&mut commune.departement);
        self.complete_region(&mut commune.region);
        if commune.region.is_empty() {
            if let Some(d) = self.departement(&commune.departement.code) {
                commune.region = self.region_area(d.region).unwrap_or_default();
            }
        }
    }

    /// Completes a département given by name or by code.
    pub fn complete_departement(&self, area: &mut Area) {
        let given = if area.code.is_empty() {
            &area.name
        } else {
            &area.code
        };
        let code = self
            .departement(&given.to_ascii_uppercase())
            .map(|d| d.code)
            .or_else(|| self.departement_code(given));
        if let Some(found) = code.and_then(|c| self.departement_area(c)) {
            *area = found;
        }
    }

    /// Completes a région given by name or by code.
    pub fn complete_region(&self, area: &mut Area) {
        let given = if area.code.is_empty() {
            &area.name
        } else {
            &area.code
        };
        let key = facet_key(given);
        let found = self
            .regions
            .iter()
            .find(|r| r.code == given.as_str() || facet_key(r.name) == key);
        if let Some(found) = found {
            *area = found.area();
        }
    }
}

impl AreaEntry {
    /// The area as a facet value.
    pub fn area(&self) -> Area {
        Area {
            code: self.code.to_string(),
            name: self.name.to_string(),
        }
    }
}

/// `Évry`, `Courcouronnes`: a capitalised word, not `Saint` or an article.
fn is_proper_word(word: &str) -> bool {
    is_capitalised(word)
        && word.chars().count() >= 3
        && !matches!(word, "Saint" | "Sainte" | "Les" | "La" | "Le")
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    /// Byte range in the text: start...
    pub start: usize,
    /// ...and end.
    pub end: usize,
    /// The place named.
    pub place: Place,
}

/// What a mention refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Index into [`Places::communes`].
    Commune(u32),
    /// Département code.
    Departement(&'static str),
    /// Région code.
    Region(&'static str),
}

impl Places {
    /// Finds the places named in `text`, given its analysed words.
    pub fn find(&self, text: &str, words: &[Word]) -> Vec<PlaceMention> {
        let keys: Vec<&str> = words.iter().map(normalise).collect();
        let mut mentions = Vec::new();
        let mut pending: Vec<Candidates> = Vec::new();
        let mut buffer = String::new();
        let mut i = 0;
        while i < words.len() {
            let Some((len, targets)) = self.names.matches_at(&keys, i, &mut buffer).next() else {
                i += 1;
                continue;
            };
            let (start, end) = (words[i].from, words[i + len - 1].to);
            // Most matches are lowercase words (`passage`, `bois`): no
            // name starts there, and the full context is not needed.
            if !is_capitalised(&text[start..]) {
                i += 1;
                continue;
            }
            let context = Context::new(&self.words, text, words, &keys, i, len);
            if !context.capitalised {
                // `le Val-de-Marne`: the name starts at the next word.
                i += 1;
                continue;
            }
            if !context.glued && !context.street {
                let key = keys[i..i + len].join(" ");
                self.classify(
                    &context,
                    targets,
                    &key,
                    start,
                    end,
                    &mut mentions,
                    &mut pending,
                );
            }
            i += len;
        }
        self.resolve(text, pending, &mut mentions);
        mentions.sort_by_key(|m| m.start);
        mentions
    }

    #[allow(clippy::too_many_arguments)]
    fn classify(
        &self,
        context: &Context,
        targets: &[Target],
        key: &str,
        start: usize,
        end: usize,
        mentions: &mut Vec<PlaceMention>,
        pending: &mut Vec<Candidates>,
    ) {
        let len = key.split(' ').count();
        // The département or région reading of the name, if any.
        let area = targets.iter().find_map(|t| match t {
            Target::Departement(d) => Some(Place::Departement(self.departements[*d as usize].code)),
            Target::Region(r) => Some(Place::Region(self.regions[*r as usize].code)),
            Target::Commune(..) => None,
        });
        let communes: Vec<u32> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Commune(c, alias) if self.commune_plausible(context, *c, *alias, len) => {
                    Some(*c)
                }
                _ => None,
            })
            .collect();
        let homonyms = targets
            .iter()
            .filter(|t| matches!(t, Target::Commune(..)))
            .count()
            > 1;
        // `bords de Loire`: a bare `de` before a single word is a river or
        // a quality, not a département (`de la Loire`, `du Var` are).
        let bare_de = len == 1 && matches!(context.before.as_deref(), Some("de" | "d"));
        let area = area.filter(|_| !bare_de);
        // A name that is both an area and a commune is the area, unless the
        // commune lies in it (Paris) or the context says commune (`à`,
        // `commune de`), not area (`dans l'Allier`, `en Vendée`).
        let commune_inside = |place: &Place| {
            communes.iter().any(|&c| match place {
                Place::Departement(code) => self.communes[c as usize].departement == *code,
                _ => false,
            })
        };
        match area {
            Some(place)
                if communes.is_empty() || !(context.commune_cue || commune_inside(&place)) =>
            {
                mentions.push(PlaceMention { start, end, place });
            }
            _ if !communes.is_empty() => pending.push(Candidates {
                start,
                end,
                key: key.to_string(),
                homonyms,
                communes,
                hint: None,
            }),
            _ => {}
        }
    }

    /// Whether a commune reading of a match is believable where it stands.
    fn commune_plausible(&self, context: &Context, commune: u32, alias: Alias, len: usize) -> bool {
        let entry = &self.communes[commune as usize];
        if len > 1 {
            return alias != Alias::NoArticle || context.contracted_article || context.strong;
        }
        // Inside a line written all in capitals, a capital proves nothing
        // (`UNE REDYNAMISATION EN MARCHÉ`); at the start of a line it may
        // (`CAMBRAI Rue Neuve`), and in mixed case it does (`projet de
        // COMPIÈGNE`).
        if context.shouted && context.mid_sentence && !context.strong {
            return false;
        }
        let common_word = self.stopwords.contains(&context.first_key);
        match alias {
            // `au Mans`, `à l'Union`, not `de l'Union régionale`, `en Marche`.
            Alias::NoArticle => {
                context.contracted_article || context.before.as_deref() == Some("a")
            }
            // `d'Évry`, `à Courcouronnes`: a former name, in a place context.
            Alias::Former => {
                !common_word && context.mid_sentence && (context.strong || context.weak)
            }
            Alias::Name if common_word => {
                context.strong
                    || (entry.population >= LARGE_COMMUNE
                        && context.mid_sentence
                        && !context.shouted)
            }
            Alias::Name if context.after_proper_noun => false,
            Alias::Name => entry.population >= SMALL_COMMUNE || context.strong || context.weak,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The communes found in `text`, as `Name (INSEE)`, and the other places.
    fn found(text: &str) -> Vec<String> {
        let places = Places::built_in();
        places
            .find(text, &Analyzer::default().words(text))
            .into_iter()
            .map(|m| match m.place {
                Place::Commune(i) => {
                    let c = &places.communes[i as usize];
                    format!("{} ({})", c.name, c.insee)
                }
                Place::Departement(code) => format!("dep {code}"),
                Place::Region(code) => format!("reg {code}"),
            })
            .collect()
    }

    #[test]
    fn the_official_list_is_loaded() {
        let places = Places::built_in();
        assert!(places.communes.len() > 34_000, "{}", places.communes.len());
        assert_eq!(places.departements.len(), 109);
        assert_eq!(places.departement("60").unwrap().name, "Oise");
        assert_eq!(places.region("32").unwrap().name, "Hauts-de-France");
        assert_eq!(places.departement_code("val de marne"), Some("94"));
    }

    #[test]
    fn any_case_accents_hyphens_and_abbreviations() {
        assert_eq!(
            found("Le projet de COMPIÈGNE avance."),
            ["Compiègne (60159)"]
        );
        assert_eq!(found("Un projet à Compiegne."), ["Compiègne (60159)"]);
        assert_eq!(
            found("Un chantier à Saint Quentin."),
            ["Saint-Quentin (02691)"]
        );
        assert_eq!(
            found("Un chantier à St-Quentin."),
            ["Saint-Quentin (02691)"]
        );
        assert_eq!(
            found("SAINT-QUENTIN Rue du Mail"),
            ["Saint-Quentin (02691)"]
        );
        assert_eq!(
            found("Les habitants d'Argenteuil votent."),
            ["Argenteuil (95018)"]
        );
        assert_eq!(
            found("Une résidence à l'Isle-Adam."),
            ["L'Isle-Adam (95313)"]
        );
    }

    #[test]
    fn articles_in_names() {
        assert_eq!(
            found("Un projet au Grau du Roi."),
            ["Le Grau-du-Roi (30133)"]
        );
        assert_eq!(found("Le port de La Rochelle."), ["La Rochelle (17300)"]);
        assert_eq!(found("Le maire du Mans a signé."), ["Le Mans (72181)"]);
    }

    #[test]
    fn common_words_and_names_do_not_fire() {
        assert!(found("Plus largement, il vise les villes moyennes.").is_empty());
        assert!(found("le plan Action Cœur de Ville et les Petites Villes de Demain").is_empty());
        assert!(found("Président de l’Union Régionale pour l’Habitat").is_empty());
        assert!(found("Président de Maisons & Cités").is_empty());
        assert_eq!(found("Une résidence à l'Union."), ["L'Union (31561)"]);
        assert!(found("UNE REDYNAMISATION EN MARCHÉ !").is_empty());
        assert_eq!(
            found("Après Lille, Amiens."),
            ["Lille (59350)", "Amiens (80021)"]
        );
        assert_eq!(found("Hier, Bruno Lemaire à Lyon."), ["Lyon (69123)"]);
        assert!(found("Maisons & Cités et CDC Habitat signent.").is_empty());
        assert!(found("Y a-t-il un projet ? Eu égard aux besoins.").is_empty());
        assert!(found("Le président, Xavier Bertrand, a parlé.").is_empty());
    }

    #[test]
    fn names_glued_to_longer_names_are_not_communes() {
        assert_eq!(found("Pas-de-Calais habitat signe."), ["dep 62"]);
        assert_eq!(found("Hauts-de-Seine Habitat investit."), ["dep 92"]);
        assert_eq!(found("En Seine-Saint-Denis, la demande croît."), ["dep 93"]);
    }

    #[test]
    fn streets_are_not_communes() {
        assert!(found("Un immeuble Rue Carnot, livré en 2022.").is_empty());
        assert!(found("Un immeuble rue d'Amiens.").is_empty());
        // An elided `d'` is not a word: the street test looks right before it.
        assert_eq!(
            found("Une opération au Passage, près d'Agen."),
            ["Le Passage (47201)", "Agen (47001)"]
        );
        assert_eq!(found("La ville d'Agen rénove."), ["Agen (47001)"]);
        assert!(found("Au 4 rue de Paris, un immeuble.").is_empty());
    }

    #[test]
    fn former_communes_map_to_the_current_one() {
        assert_eq!(
            found("Le centre d'Évry se transforme."),
            ["Évry-Courcouronnes (91228)"]
        );
    }

    #[test]
    fn ambiguous_names_follow_the_evidence() {
        // Senlis: Oise (60612, 15,000 inhabitants) and Pas-de-Calais (62790).
        assert_eq!(found("Un projet à Senlis."), ["Senlis (60612)"]);
        assert_eq!(
            found("Dans le Pas-de-Calais, un projet à Senlis et à Arras."),
            ["dep 62", "Senlis (62790)", "Arras (62041)"]
        );
        assert_eq!(found("Un projet à Senlis (62)."), ["Senlis (62790)"]);
        assert_eq!(
            found("Un projet à Senlis (Pas-de-Calais)."),
            ["Senlis (62790)", "dep 62"]
        );
        // Moulins in the Allier, not the smaller ones, unless the text says.
        assert_eq!(found("La ville de Moulins rénove."), ["Moulins (03190)"]);
        assert_eq!(
            found("À Grigny, 62250 Marquise."),
            ["Grigny (62388)", "Marquise (62560)"]
        );
        assert_eq!(found("À Grigny, la copropriété."), ["Grigny (91286)"]);
    }

    #[test]
    fn areas_and_communes_of_the_same_name() {
        assert_eq!(
            found("Dans l'Allier, la ville de Moulins."),
            ["dep 03", "Moulins (03190)"]
        );
        assert_eq!(
            found("Sur l'île de La Réunion, à Saint-Pierre."),
            ["dep 974", "Saint-Pierre (97416)"]
        );
        assert_eq!(found("Un projet à Paris."), ["Paris (75056)"]);
    }

    #[test]
    fn small_communes_need_the_articles_support() {
        assert_eq!(
            found("À Brest, deux tours démolies à Recouvrance."),
            ["Brest (29019)"]
        );
        assert_eq!(
            found("Dans le Pas-de-Calais, à Senlis."),
            ["dep 62", "Senlis (62790)"]
        );
    }

    #[test]
    fn regions_and_departements() {
        assert_eq!(found("En région Hauts-de-France"), ["reg 32"]);
        assert_eq!(found("le Val-de-Marne et l'Oise"), ["dep 94", "dep 60"]);
    }
}
