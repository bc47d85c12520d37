//! Places: communes, départements and régions named in an article, from the
//! official list (`data/communes.tsv`, derived from
//! `@etalab/decoupage-administratif` by `scripts/update-communes.py`).
//!
//! Names are matched on analysed words, so case, accents, hyphens, elisions
//! (`d'Argenteuil`) and `St-`/`Ste-` do not matter. A match must look like a
//! place name where it stands: capitalised as written, not glued by a hyphen
//! to a longer name (`Pas-de-Calais`, `Seine-Saint-Denis`), not a street
//! (`Rue Carnot`, `quartier de Bellevue`), not a person (`Xavier Bertrand`,
//! `M. Laval`, `Roger Laval`) nor part of a longer proper noun (`Vernon
//! Delmas`, `SEM Lyon Confluence`, `Parc des Aubiers`). Names that are common
//! words (`Orange`, `Plan`: derived from a dictionary,
//! `data/dictionary-words.tsv`) need a place context (`à`, `commune de`), or
//! for a large commune the capital mid-sentence or the article's support;
//! small communes need a place context. Names shared by several communes
//! are resolved with the article's evidence: a `(60)` or `(Oise)` right
//! after the name, départements and régions named, other communes, postal
//! codes; then population. A name that only answers through a part of a
//! longer name (`Clichy` for Clichy-sous-Bois) needs that evidence.
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
use homonyms::{Candidates, Verdict};

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
    /// The first part of its name, before a particle (`Clichy` →
    /// Clichy-sous-Bois, `Fontenay` → Fontenay-sous-Bois).
    ShortForm,
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

/// The folded words that are also commune names: the list derived from a
/// dictionary (`common-word` in `data/dictionary-words.tsv`) and the hand
/// additions (`common-word` in `data/place-words.tsv`). Such a word only
/// names a commune in a place context.
pub fn commune_stopwords(data: &DataSet) -> HashSet<String> {
    let derived = data::rows(data.text(DataFile::DictionaryWords))
        .filter(|f| f.len() >= 2 && f[0] == "common-word")
        .map(|f| fold(f[1].trim()));
    let added = data::word_list(data.text(DataFile::PlaceWords), "common-word")
        .into_iter()
        .flatten();
    derived.chain(added).collect()
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
            DataFile::DictionaryWords,
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
            let area_name = |places: &Places, p: &str| {
                let words = place_words(&analyzer, p);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                places.names.get(&words).is_some_and(|targets| {
                    targets.iter().any(|t| !matches!(t, Target::Commune(..)))
                })
            };
            if f[7] == "1"
                && parts.len() == 2
                && parts
                    .iter()
                    .all(|p| is_proper_word(p) && !area_name(&places, p))
            {
                for part in &parts {
                    places.add_key(&analyzer, part, Target::Commune(target, Alias::Former));
                }
            }
            // `X-sous-Y` may be written `X` in an article that names its
            // département: the part before the first particle.
            let particle = parts
                .iter()
                .skip(1)
                .position(|p| places.words.is_particle(&fold(p)) || p.contains(['\'', '’']));
            if let Some(k) = particle.filter(|_| f[5] == "A") {
                let short = parts[..=k].join("-");
                if is_proper_word(parts[k]) && !area_name(&places, &short) {
                    places.add_key(&analyzer, &short, Target::Commune(target, Alias::ShortForm));
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

    /// The communes a name or INSEE code given by someone stands for
    /// (a filter value, a commune given in JSON Lines): the communes of that
    /// name, `St-`/`Ste-` and case aside, or else those it is a former or
    /// shortened name of; by population, largest first.
    pub fn communes_named(&self, given: &str) -> Vec<u32> {
        let given = given.trim();
        if let Some(&i) = self.by_insee.get(given) {
            return vec![i];
        }
        let words = place_words(&Analyzer::default(), given);
        let keys: Vec<&str> = words.iter().map(String::as_str).collect();
        let Some(targets) = self.names.get(&keys) else {
            return Vec::new();
        };
        let communes = |named: bool| -> Vec<u32> {
            let mut found: Vec<u32> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Commune(c, alias) if (*alias == Alias::Name) == named => Some(*c),
                    _ => None,
                })
                .collect();
            found.sort_by_key(|&c| std::cmp::Reverse(self.communes[c as usize].population));
            found.dedup();
            found
        };
        let named = communes(true);
        if named.is_empty() {
            communes(false)
        } else {
            named
        }
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
        // Names used as quartiers somewhere in the article.
        let mut quartiers: HashSet<String> = HashSet::new();
        let mut i = 0;
        while i < words.len() {
            // Most words, and most names matched (`passage`, `bois`), are
            // in lowercase: no name starts there, and neither the lookup
            // nor the full context is needed.
            if !is_capitalised(&text[words[i].from..]) {
                i += 1;
                continue;
            }
            let Some((len, targets)) = self.names.matches_at(&keys, i, &mut buffer).next() else {
                i += 1;
                continue;
            };
            let (start, end) = (words[i].from, words[i + len - 1].to);
            let mut context = Context::new(&self.words, text, words, &keys, i, len);
            if !context.capitalised {
                // `le Val-de-Marne`: the name starts at the next word.
                i += 1;
                continue;
            }
            // `Lille Roubaix`: a place name next to another is a list (not
            // a common word: `Cholet Bocage` is one name).
            let previous_place = i > 0
                && (mentions.last().map(|m: &PlaceMention| m.end) == Some(words[i - 1].to)
                    || pending.last().map(|c: &Candidates| c.end) == Some(words[i - 1].to));
            if context.after_proper_noun && previous_place {
                context.after_proper_noun = false;
            }
            if context.before_proper_noun
                && keys
                    .get(i + len)
                    .is_some_and(|k| !self.stopwords.contains(*k))
                && self
                    .names
                    .matches_at(&keys, i + len, &mut buffer)
                    .next()
                    .is_some()
            {
                context.before_proper_noun = false;
            }
            if context.quartier && !context.glued {
                quartiers.insert(keys[i..i + len].join(" "));
            }
            if !context.glued && !context.street {
                let key = keys[i..i + len].join(" ");
                self.classify(
                    &context,
                    targets,
                    &key,
                    &text[start..end],
                    (start, end),
                    &mut mentions,
                    &mut pending,
                );
            }
            i += len;
        }
        // One name, one sense per article: `le quartier Malakoff` makes
        // `à Malakoff` the quartier too.
        pending.retain(|c| !quartiers.contains(&c.key));
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
        written: &str,
        (start, end): (usize, usize),
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
        let communes: Vec<(u32, Verdict)> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Commune(c, alias) => {
                    let verdict = self.commune_plausible(context, *c, *alias, len, written);
                    (verdict != Verdict::No).then_some((*c, verdict))
                }
                _ => None,
            })
            .collect();
        // Short forms do not make a name shared: `Agen` is Agen.
        let homonyms = targets
            .iter()
            .filter(|t| matches!(t, Target::Commune(_, alias) if *alias != Alias::ShortForm))
            .count()
            > 1;
        // `bords de Loire`: a bare `de` before a single word is a river or
        // a quality, not a département (`de la Loire`, `du Var` are).
        let bare_de = len == 1 && matches!(context.before.as_deref(), Some("de" | "d"));
        // `vallée de la Moselle`, `sur la Loire`: the river.
        let area = area.filter(|_| !bare_de && !context.river);
        // A name that is both an area and a commune is the area, unless the
        // commune lies in it (Paris) or the context says commune (`à`,
        // `commune de`), not area (`dans l'Allier`, `en Vendée`).
        let commune_inside = |place: &Place| {
            communes.iter().any(|&(c, _)| match place {
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
                // A name of several words, or `du Hohwald`, one commune's
                // only: specific enough to stand without the article's
                // support.
                specific: !homonyms
                    && (len > 1
                        || context.apposed
                        || (context.contracted_article
                            && !self.stopwords.contains(&context.first_key))),
                homonyms,
                communes,
                hint: None,
            }),
            _ => {}
        }
    }

    /// Whether a commune reading of a match is believable where it stands:
    /// yes, no, or only with the article's support (see [`Verdict`]).
    fn commune_plausible(
        &self,
        context: &Context,
        commune: u32,
        alias: Alias,
        len: usize,
        written: &str,
    ) -> Verdict {
        use Verdict::{Consistent, No, Supported, Yes};
        let entry = &self.communes[commune as usize];
        // `M. Laval`, `Roger Laval`: a person; `Vernon Delmas`, `SEM
        // Lyon`: part of a longer name.
        let before_proper_noun = context.before_proper_noun && !context.list_heading;
        if context.person || before_proper_noun || context.after_proper_noun && len == 1 {
            return No;
        }
        // `Maçon` is not Mâcon: an accent the official name lacks.
        let official_end = !matches!(alias, Alias::ShortForm);
        if alias != Alias::Former && !accents_agree(written, entry.name, official_end) {
            return No;
        }
        let common_word = len == 1 && self.stopwords.contains(&context.first_key);
        if alias == Alias::ShortForm {
            // Only where the article's evidence points to it, and never a
            // common word or a name of one letter.
            let plausible = !common_word
                && !context.head_of_name
                && (!context.shouted || !context.mid_sentence)
                && written.chars().filter(|c| c.is_alphabetic()).count() >= 3;
            return if plausible { Supported } else { No };
        }
        if len > 1 {
            let yes = alias != Alias::NoArticle || context.contracted_article || context.strong;
            return if yes { Yes } else { No };
        }
        // Inside a line written all in capitals, a capital proves nothing
        // (`UNE REDYNAMISATION EN MARCHÉ`); at the start of a line it may
        // (`CAMBRAI Rue Neuve`), and in mixed case it does (`projet de
        // COMPIÈGNE`).
        if context.shouted && context.mid_sentence && !context.strong {
            return No;
        }
        // `Parc des Aubiers`, `Plan de Sauvegarde`: a common noun heading
        // a longer name.
        if common_word && context.head_of_name {
            return No;
        }
        let large = entry.population >= LARGE_COMMUNE;
        match alias {
            // `au Mans`, `à l'Union`, not `de l'Union régionale`, `en Marche`;
            // for a common word, `à l'Union`, `commune du Plan`, or `au
            // Passage` in an article that names its département.
            Alias::NoArticle => {
                let at = context.before.as_deref() == Some("a");
                // `au Havre`: a large commune after `au` is the place, as
                // after `à`.
                let au_large = large && context.before.as_deref() == Some("au");
                match (context.contracted_article || at, common_word) {
                    (false, _) => No,
                    (true, false) => Yes,
                    (true, true) if at || au_large || context.noun_cue => Yes,
                    (true, true) => Supported,
                }
            }
            // `à Courcouronnes`, `centre d'Évry`: a former name, after a
            // strong place cue (a weak one for a large commune), and not
            // against the article's other places.
            Alias::Former
                if !common_word
                    && context.mid_sentence
                    && (context.strong || context.weak && large) =>
            {
                Consistent
            }
            Alias::Former => No,
            // A common word: a place cue, or a large commune capitalised in
            // running text (`Orange`); a smaller one capitalised in running
            // text (`Rivesaltes`), or any at the start of a sentence or in a
            // heading, only with the article's support.
            // `la Monnaie`, `le Plan`: a common word after a definite
            // article is the word (a name with its article is `NoArticle`).
            Alias::Name
                if common_word
                    && !context.apposed
                    && matches!(context.before.as_deref(), Some("le" | "la" | "les")) =>
            {
                No
            }
            Alias::Name if common_word => {
                let running = context.mid_sentence && !context.shouted;
                // `EN COURS`, `EN MARCHE` on a line in capitals: a phrase,
                // whose `en` proves nothing.
                let shouted_phrase = context.shouted && context.before.as_deref() == Some("en");
                if context.strong && !shouted_phrase || context.noun_cue || large && running {
                    Yes
                } else if running || large {
                    Supported
                } else {
                    No
                }
            }
            Alias::Name if entry.population >= SMALL_COMMUNE || context.strong || context.weak => {
                Yes
            }
            Alias::Name | Alias::ShortForm => No,
        }
    }
}

/// Whether the accents written agree with the official name: every
/// accented letter written stands, accented the same, at the same place of
/// the name (aligned at its end, or at its start for a short form). A
/// missing accent is fine (`Compiegne`, capitals written bare); an added
/// or different one is another word (`Maçon` is not Mâcon).
fn accents_agree(written: &str, official: &str, at_end: bool) -> bool {
    // Most names are written without accents: nothing to disagree.
    if written.is_ascii() {
        return true;
    }
    let letters = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (written, official) = (letters(written), letters(official));
    let accented = |c: char| {
        if c.is_ascii() {
            return false;
        }
        let folded = fold(c.encode_utf8(&mut [0; 4]));
        folded.chars().count() == 1 && !folded.starts_with(c)
    };
    let agree = |(w, o): (&char, &char)| !accented(*w) || w == o;
    if at_end {
        written.iter().rev().zip(official.iter().rev()).all(agree)
    } else {
        written.iter().zip(official.iter()).all(agree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        /// The twin of the ASCII fast path of `accents_agree`: a name
        /// written without accents agrees with any official name, as the
        /// letter-by-letter comparison says.
        #[test]
        fn unaccented_writing_always_agrees(
            written in "[A-Za-z' -]{1,20}",
            official in "[A-Za-zÀ-ÿ' -]{1,20}",
            at_end in any::<bool>(),
        ) {
            let letters = |s: &str| -> Vec<char> {
                s.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
            };
            let (w, o) = (letters(&written), letters(&official));
            let accented = |c: char| {
                let folded = fold(c.encode_utf8(&mut [0; 4]));
                folded.chars().count() == 1 && !folded.starts_with(c)
            };
            let agree = |(a, b): (&char, &char)| !accented(*a) || a == b;
            let plain = if at_end {
                w.iter().rev().zip(o.iter().rev()).all(agree)
            } else {
                w.iter().zip(o.iter()).all(agree)
            };
            prop_assert_eq!(accents_agree(&written, &official, at_end), plain);
        }
    }

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
    fn a_town_heading_a_list_item_even_named_like_a_word() {
        // A commune named like a dictionary word (an `elbeuf` is a cloth)
        // heads a list item in capitals before a street word.
        assert_eq!(found("ELBEUF Cours Carnot\n16 BRS"), ["Elbeuf (76231)"]);
        assert_eq!(found("VERNON Rue Neuve"), ["Vernon (27681)"]);
        assert_eq!(
            found("SEGRÉ-EN-ANJOU BLEU Ancienne gendarmerie\n10 logements"),
            ["Segré-en-Anjou Bleu (49331)"]
        );
        // Not on a line all in capitals, nor in running text.
        assert!(found("ELBEUF BRADÉ\nUn manteau en elbeuf Carnot.").is_empty());
        assert!(found("OPÉRATIONS EN COURS ET LIVRÉES").is_empty());
    }

    #[test]
    fn a_dateline_names_the_place() {
        // `paris` and `tours` are words too: a dateline opening a paragraph
        // makes them places.
        assert_eq!(
            found("Le point\n\nParis – Le bailleur transformera un immeuble."),
            ["Paris (75056)"]
        );
        assert_eq!(
            found("Le point\n\nTours. Les élus ont inauguré la résidence."),
            ["Tours (37261)"]
        );
        assert!(found("Le point\n\nParis et enjeux du logement.").is_empty());
    }

    #[test]
    fn articles_in_names() {
        assert_eq!(
            found("Un projet au Grau du Roi."),
            ["Le Grau-du-Roi (30133)"]
        );
        assert_eq!(found("Le port de La Rochelle."), ["La Rochelle (17300)"]);
        assert_eq!(found("Le maire du Mans a signé."), ["Le Mans (72181)"]);
        // A large commune named like a word, after `au`.
        assert_eq!(
            found("Une résidence livrée au Havre."),
            ["Le Havre (76351)"]
        );
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

    #[test]
    fn common_word_communes_need_a_cue_or_the_articles_support() {
        // Bulles (Oise, 830 inhabitants): `bulles` is a word.
        assert!(found("Bulles de savon et Bulles Vertes.").is_empty());
        assert!(found("Un festival de Bulles, en juin.").is_empty());
        assert_eq!(found("Un chantier à Bulles."), ["Bulles (60115)"]);
        assert_eq!(
            found("Dans l'Oise, un festival de Bulles."),
            ["dep 60", "Bulles (60115)"]
        );
        // Mâcon (35,000): capitalised in running text it is the town; at
        // the start of a sentence, only with the article's support.
        assert_eq!(found("Le projet de Mâcon avance."), ["Mâcon (71270)"]);
        assert!(found("Mâcon et plâtrier sont des métiers.").is_empty());
        assert_eq!(
            found("En Saône-et-Loire, deux projets.\nMâcon livre 40 logements."),
            ["dep 71", "Mâcon (71270)"]
        );
    }

    #[test]
    fn an_accent_the_name_lacks_is_another_word() {
        // `Maçon` is not Mâcon; `Macon`, accents dropped, still is.
        assert!(found("Les ateliers Maçon ouvrent un site.").is_empty());
        assert_eq!(found("Un projet à Macon."), ["Mâcon (71270)"]);
    }

    #[test]
    fn common_words_heading_longer_names_are_not_communes() {
        // Jardin (Isère): `Jardin des Lumières`, `Jardin d'Hiver`.
        assert!(found("Une fête au Jardin des Lumières.").is_empty());
        assert!(found("Une fête au Jardin d'Hiver.").is_empty());
        assert_eq!(
            found("Une fête à Jardin, en Isère."),
            ["Jardin (38199)", "dep 38"]
        );
    }

    #[test]
    fn names_after_a_title_or_a_given_name_are_people() {
        assert!(found("Pauline Cholet, adjointe, a signé.").is_empty());
        assert!(found("Selon M. Cholet, le chantier avance.").is_empty());
        assert!(found("Selon Mme Cholet, le chantier avance.").is_empty());
        assert!(found("Pour la ministre Cholet, le logement prime.").is_empty());
        assert!(found("Le maire, Cholet, a parlé.").is_empty());
        assert!(found("Le député Cholet a parlé.").is_empty());
        assert_eq!(found("Le maire de Cholet a parlé."), ["Cholet (49099)"]);
        assert_eq!(found("Cholet rénove ses quartiers."), ["Cholet (49099)"]);
    }

    #[test]
    fn names_inside_longer_proper_nouns_are_not_communes() {
        assert!(found("Le collectif Cholet Varnay a signé.").is_empty());
        assert!(found("Un projet de Cholet Varnay à Lyon.") == ["Lyon (69123)"]);
        assert!(found("SEM Cholet Bocage a signé.").is_empty());
        assert!(found("Le territoire EPT Cholet Bocage signe.").is_empty());
        // A list of places, a dateline with an address, an address after a
        // comma still are places.
        assert_eq!(
            found("Entre Lille Roubaix et Tourcoing."),
            ["Lille (59350)", "Roubaix (59512)", "Tourcoing (59599)"]
        );
        assert_eq!(
            found("LORIENT Quai des Indes\nUn immeuble livré."),
            ["Lorient (56121)"]
        );
    }

    #[test]
    fn quartiers_and_lieux_dits_are_not_communes() {
        assert!(found("Le quartier de Maurepas se transforme.").is_empty());
        assert!(found("La ZAC des Saules et le lieu-dit Cholet.").is_empty());
        assert_eq!(
            found("À Rennes, les quartiers de Villejean et de Maurepas changent."),
            ["Rennes (35238)"]
        );
        assert!(found("Le hameau de Cholet compte 40 maisons.").is_empty());
        // A part of a merged name needs a strong cue: Milizac-Guipronvel.
        assert!(found("Les habitants et de Guipronvel, demain.").is_empty());
        assert_eq!(
            found("Un chantier à Guipronvel."),
            ["Milizac-Guipronvel (29076)"]
        );
        assert!(found("Un accord avec les HLM et aux Guipronvel.").is_empty());
    }

    #[test]
    fn homonyms_and_short_forms_follow_the_article() {
        assert_eq!(
            found("Sur l'île de La Réunion, un chantier à Saint-Louis."),
            ["dep 974", "Saint-Louis (97414)"]
        );
        // The first part of `X-sous-Y` names it where the article points to
        // its département, and only there.
        assert_eq!(
            found("Dans le Val-de-Marne, un chantier à Fontenay."),
            ["dep 94", "Fontenay-sous-Bois (94033)"]
        );
        assert!(
            !found("Un chantier à Fontenay.").contains(&"Fontenay-sous-Bois (94033)".to_string())
        );
        assert_eq!(
            found("Dans le Pas-de-Calais, la ville de Boulogne rénove."),
            ["dep 62", "Boulogne-sur-Mer (62160)"]
        );
        assert!(!found("La ville de Boulogne rénove.")
            .contains(&"Boulogne-sur-Mer (62160)".to_string()));
        // `au Hohwald`: the article written with a one-commune name is
        // enough, however small the commune and wherever the article is.
        assert_eq!(
            found("À Brest et au Hohwald, des projets."),
            ["Brest (29019)", "Le Hohwald (67210)"]
        );
    }
    #[test]
    fn rivers_named_like_departements_are_rivers() {
        assert!(found("Une promenade sur les bords de la Loire.").is_empty());
        assert!(found("La vallée de la Moselle attire.").is_empty());
        assert!(found("Un pont sur la Marne, rive droite.").is_empty());
        assert!(found("Les crues du Rhône inquiètent.").is_empty());
        assert_eq!(found("Dans la Loire, un chantier."), ["dep 42"]);
        assert_eq!(found("En Moselle, un chantier."), ["dep 57"]);
        assert_eq!(found("Le département de la Loire investit."), ["dep 42"]);
    }

    #[test]
    fn a_quartier_name_is_a_quartier_in_the_whole_article() {
        assert!(found("Le quartier Malakoff change. À Malakoff, 300 logements.").is_empty());
        assert_eq!(
            found("Un quartier de Rennes change. À Rennes, 300 logements."),
            ["Rennes (35238)", "Rennes (35238)"]
        );
    }

    #[test]
    fn a_common_word_after_a_definite_article_is_the_word() {
        assert!(found("Les pièces de la Monnaie, en Touraine.").is_empty());
        assert_eq!(found("Un chantier à Monnaie."), ["Monnaie (37153)"]);
    }

    #[test]
    fn a_name_followed_by_commune_de_is_a_commune() {
        assert_eq!(
            found("À Nancy et Moyen, commune de 500 habitants, on rénove."),
            ["Nancy (54395)", "Moyen (54393)"]
        );
        assert!(found("Le salaire moyen, comme ailleurs.").is_empty());
    }

    #[test]
    fn an_elision_inside_a_hyphenated_name_glues() {
        assert!(!found("Un chantier à Valence-d'Agen.").contains(&"Agen (47001)".to_string()));
        assert!(!found("Un chantier à Beaumont-d’Agen.").contains(&"Agen (47001)".to_string()));
        assert_eq!(found("Un chantier près d'Agen."), ["Agen (47001)"]);
    }

    #[test]
    fn hyphenated_saint_names_after_a_given_name_are_people() {
        assert!(found("Selon Sophie Saint-Lô, architecte, le projet avance.").is_empty());
        assert!(found("Gérard Sainte-Rose a signé.").is_empty());
        assert_eq!(found("Un chantier à Saint-Lô."), ["Saint-Lô (50502)"]);
    }
}
