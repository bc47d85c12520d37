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

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::analysis::{Analyzer, Word};
use crate::extract::phrases::PhraseIndex;
use crate::facets::Commune;

const COMMUNES: &str = include_str!("../../data/communes.tsv");
const DEPARTEMENTS: &str = include_str!("../../data/departements.tsv");
const REGIONS: &str = include_str!("../../data/regions.tsv");
const STOPWORDS: &str = include_str!("../../data/commune-stopwords.txt");

/// Communes smaller than this need a place context to be recognised from a
/// single word: tiny communes share their names with surnames and words.
const SMALL_COMMUNE: u32 = 2_000;
/// Communes named like a common word are recognised without a place context
/// only from this size on (`Tours`, `Orange`), and mid-sentence.
const LARGE_COMMUNE: u32 = 25_000;

/// A commune of the official list.
#[derive(Debug, Clone)]
pub struct CommuneEntry {
    pub insee: &'static str,
    pub name: &'static str,
    pub departement: &'static str,
    pub region: &'static str,
    pub population: u32,
}

/// A département or a région.
#[derive(Debug, Clone)]
pub struct Area {
    pub code: &'static str,
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

/// The gazetteer of places, loaded once from the embedded data.
pub struct Places {
    pub communes: Vec<CommuneEntry>,
    pub departements: Vec<Area>,
    pub regions: Vec<Area>,
    names: PhraseIndex<Vec<Target>>,
    /// Département codes by folded name (called for every passage indexed).
    departement_codes: HashMap<String, &'static str>,
    stopwords: HashSet<String>,
}

/// Words that put the next word in a place context: strongly...
const STRONG_LOCATIVES: &[&str] = &[
    "a",
    "au",
    "aux",
    "en",
    "dans",
    "vers",
    "pres",
    "apres",
    "depuis",
    "commune",
    "ville",
    "villes",
    "mairie",
    "maire",
    "communes",
    "habitants",
    "agglomeration",
];
/// ...or weakly (`de` introduces places, but also organisations and people).
const WEAK_LOCATIVES: &[&str] = &["de", "du", "des", "d", "sur", "entre", "et"];
/// Words after which a capitalised name is a street, not a commune.
const STREETS: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "quai",
    "place",
    "chemin",
    "allee",
    "impasse",
    "route",
    "cours",
    "square",
    "residence",
    "quartier",
    "parc",
    "cite",
    "ecole",
    "college",
    "lycee",
    "gare",
    "pont",
    "porte",
    "faubourg",
    "passage",
    "hotel",
];
/// Small words inside place names (`Saint-Rémy-de-Provence`, `Choisy-le-Roi`).
const PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "les", "lez", "aux", "au",
    "d", "l", "a", "l'", "ès", "es",
];

fn data_lines(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// The embedded data files the place gazetteer is built from: a change in
/// them changes what indexing extracts.
pub fn embedded_data() -> [&'static str; 4] {
    [COMMUNES, DEPARTEMENTS, REGIONS, STOPWORDS]
}

/// The folded words that are also commune names (`data/commune-stopwords.txt`):
/// such a word only names a commune in a place context.
pub fn commune_stopwords() -> HashSet<String> {
    data_lines(STOPWORDS)
        .map(|f| crate::analysis::fold(f[0].trim()))
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
    match word.folded.as_str() {
        "st" => "saint",
        "ste" => "sainte",
        folded => folded,
    }
}

impl Places {
    /// The gazetteer built from the embedded official list.
    pub fn get() -> &'static Places {
        static PLACES: OnceLock<Places> = OnceLock::new();
        PLACES.get_or_init(Places::load)
    }

    /// Builds the gazetteer from the embedded data; [`Places::get`] keeps one.
    pub fn load() -> Places {
        let analyzer = Analyzer::default();
        let regions: Vec<Area> = data_lines(REGIONS)
            .filter(|f| f.len() >= 2)
            .map(|f| Area {
                code: f[0],
                name: f[1],
                region: "",
            })
            .collect();
        let departements: Vec<Area> = data_lines(DEPARTEMENTS)
            .filter(|f| f.len() >= 3)
            .map(|f| Area {
                code: f[0],
                name: f[1],
                region: f[2],
            })
            .collect();
        let departement_codes = departements
            .iter()
            .map(|d| (crate::analysis::facet_key(d.name), d.code))
            .collect();
        let mut places = Places {
            communes: Vec::new(),
            departements,
            regions,
            names: PhraseIndex::default(),
            departement_codes,
            stopwords: commune_stopwords(),
        };
        let mut by_insee: HashMap<&str, u32> = HashMap::new();
        let rows: Vec<Vec<&'static str>> = data_lines(COMMUNES).filter(|f| f.len() >= 8).collect();
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
    pub fn departement(&self, code: &str) -> Option<&Area> {
        self.departements.iter().find(|d| d.code == code)
    }

    /// The région of a code (`32` → Hauts-de-France).
    pub fn region(&self, code: &str) -> Option<&Area> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The commune as a facet value, with its département and région names.
    pub fn commune_facet(&self, entry: &CommuneEntry) -> Commune {
        Commune {
            name: entry.name.to_string(),
            insee: entry.insee.to_string(),
            departement: self
                .departement(entry.departement)
                .map_or("", |d| d.name)
                .to_string(),
            region: self.region(entry.region).map_or("", |r| r.name).to_string(),
        }
    }

    /// The code of a département named `name` (any case or accents).
    pub fn departement_code(&self, name: &str) -> Option<&'static str> {
        self.departement_codes
            .get(&crate::analysis::facet_key(name))
            .copied()
    }
}

/// `Évry`, `Courcouronnes`: a capitalised word, not `Saint` or an article.
fn is_proper_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 3
        && !matches!(word, "Saint" | "Sainte" | "Les" | "La" | "Le")
}

/// A place named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceMention {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
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

/// A commune mention before disambiguation.
struct Candidates {
    start: usize,
    end: usize,
    /// The matched name's key: one name, one commune per article.
    key: String,
    /// The name has homonyms in the gazetteer.
    homonyms: bool,
    /// Current communes the name may refer to, here.
    communes: Vec<u32>,
    /// Départements hinted right after the name (`(60)`, `(Oise)`).
    hint: Option<&'static str>,
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
            if !text[start..].starts_with(char::is_uppercase) {
                i += 1;
                continue;
            }
            let context = Context::new(text, words, &keys, i, len);
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

    /// Chooses one commune per ambiguous mention from the evidence in the
    /// text, then by population.
    fn resolve(&self, text: &str, mut pending: Vec<Candidates>, mentions: &mut Vec<PlaceMention>) {
        let mut departements: HashSet<&str> = HashSet::new();
        let mut regions: HashSet<&str> = HashSet::new();
        for m in mentions.iter() {
            match &m.place {
                Place::Departement(code) => {
                    departements.insert(code);
                    if let Some(d) = self.departement(code) {
                        regions.insert(d.region);
                    }
                }
                Place::Region(code) => {
                    regions.insert(code);
                }
                Place::Commune(_) => {}
            }
        }
        for code in postal_departements(text) {
            departements.insert(code);
        }
        for c in pending.iter_mut() {
            c.hint = self.hint_after(text, c.end);
        }
        // Names without homonyms are evidence for the others, not for
        // themselves.
        let unambiguous: Vec<(&str, &CommuneEntry)> = pending
            .iter()
            .filter(|c| !c.homonyms)
            .filter_map(|c| {
                c.communes
                    .first()
                    .map(|&i| (c.key.as_str(), &self.communes[i as usize]))
            })
            .collect();
        // One commune per name and article: the candidates of all its
        // mentions compete together.
        let mut choice: HashMap<&str, Option<u32>> = HashMap::new();
        for c in &pending {
            if choice.contains_key(c.key.as_str()) {
                continue;
            }
            let mut deps = departements.clone();
            let mut regs = regions.clone();
            for (key, e) in &unambiguous {
                if *key != c.key {
                    deps.insert(e.departement);
                    regs.insert(e.region);
                }
            }
            let same: Vec<&Candidates> = pending.iter().filter(|o| o.key == c.key).collect();
            let hinted = |e: &CommuneEntry| same.iter().any(|o| o.hint == Some(e.departement));
            let mut all: Vec<u32> = same
                .iter()
                .flat_map(|o| o.communes.iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            let best = all.into_iter().max_by_key(|&i| {
                let e = &self.communes[i as usize];
                let score = 100 * u32::from(hinted(e))
                    + 10 * u32::from(deps.contains(e.departement))
                    + u32::from(regs.contains(e.region));
                (score, e.population)
            });
            // A small commune outside the départements of the article's
            // other places is a word or a neighbourhood (`à Recouvrance`
            // in Brest, `bords de Loire` near Nantes).
            let evidence = !deps.is_empty() || !regs.is_empty();
            let best = best.filter(|&i| {
                let e = &self.communes[i as usize];
                e.population >= SMALL_COMMUNE
                    || !evidence
                    || hinted(e)
                    || deps.contains(e.departement)
            });
            choice.insert(c.key.as_str(), best);
        }
        for c in &pending {
            if let Some(Some(best)) = choice.get(c.key.as_str()) {
                mentions.push(PlaceMention {
                    start: c.start,
                    end: c.end,
                    place: Place::Commune(*best),
                });
            }
        }
    }

    /// A département given in brackets right after a name: `(60)`,
    /// `(Oise)`, `(2A)`.
    fn hint_after(&self, text: &str, end: usize) -> Option<&'static str> {
        let rest = text[end..].trim_start();
        let inner = rest.strip_prefix('(')?;
        let close = inner.find(')')?;
        let inner = inner[..close].trim();
        if inner.len() > 40 {
            return None;
        }
        let code = inner.to_ascii_uppercase();
        self.departements
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.code)
            .or_else(|| self.departement_code(inner))
    }
}

/// Départements of the postal codes in the text (5 digits, not a year).
fn postal_departements(text: &str) -> Vec<&'static str> {
    let places = Places::get();
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 5 <= bytes.len() {
        let digits = bytes[i..i + 5].iter().all(u8::is_ascii_digit);
        let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && (i + 5 == bytes.len() || !bytes[i + 5].is_ascii_alphanumeric());
        if digits && bounded {
            let code = &text[i..i + 5];
            let dep = if code.starts_with("97") {
                &code[..3]
            } else {
                &code[..2]
            };
            if let Some(d) = places.departements.iter().find(|d| d.code == dep) {
                out.push(d.code);
            }
            i += 5;
        } else {
            i += 1;
        }
    }
    out
}

/// How a match stands in the text.
struct Context {
    first_key: String,
    /// The word before, normalised.
    before: Option<String>,
    /// Joined to the previous or next word by a hyphen or an apostrophe.
    glued: bool,
    /// Every significant word starts with a capital as written.
    capitalised: bool,
    /// After a street word: `Rue Carnot`, `Quai de Valmy`.
    street: bool,
    /// After `à`, `au`, `commune de`...
    strong: bool,
    /// After `de`, `et`...
    weak: bool,
    /// After what introduces a commune rather than an area: `à`, `au`,
    /// `commune de`, `ville de`, `maire de`.
    commune_cue: bool,
    /// `au Mans`, `du Havre`: an article, contracted or not, before.
    contracted_article: bool,
    /// Right after a capitalised word: a first name, an organisation.
    after_proper_noun: bool,
    /// Not the first word of a sentence or line.
    mid_sentence: bool,
    /// On a line written all in capitals.
    shouted: bool,
}

impl Context {
    fn new(text: &str, words: &[Word], keys: &[&str], i: usize, len: usize) -> Context {
        let (start, end) = (words[i].from, words[i + len - 1].to);
        let before_char = text[..start].chars().next_back();
        let after_char = text[end..].chars().next();
        let glued = matches!(before_char, Some('-')) && i > 0 && words[i - 1].to + 1 == start
            || matches!(after_char, Some('-'))
                && words.get(i + len).is_some_and(|w| w.from == end + 1);
        let written = |w: &Word| text[w.from..w.to].starts_with(char::is_uppercase);
        let capitalised = written(&words[i])
            && words[i..i + len]
                .iter()
                .zip(&keys[i..i + len])
                .filter(|(_, k)| !PARTICLES.contains(k))
                .all(|(w, _)| written(w));
        let before = i.checked_sub(1).map(|j| keys[j].to_string());
        // Was the previous word right before, in the same sentence?
        let gap = i.checked_sub(1).map(|j| &text[words[j].to..start]);
        // What stands between: spaces, maybe an elided `d'` or `l'`.
        let (adjacent, elided) = match gap {
            Some(g) => {
                let bare = g.trim_end_matches(['\'', '’']);
                let elided = (bare.len() < g.len())
                    .then(|| bare.chars().next_back())
                    .flatten()
                    .map(|c| c.to_ascii_lowercase());
                let rest = if elided.is_some() {
                    &bare[..bare.len() - 1]
                } else {
                    g
                };
                (rest.chars().all(|c| c == ' ' || c == '\u{a0}'), elided)
            }
            None => (false, None),
        };
        // `d'Évry`: the elided `d` is the word before; `à l'Union`: the
        // article belongs to the name, the word before is `à`.
        let before_word = match elided {
            Some('d') => Some("d".to_string()),
            _ if adjacent => before.clone(),
            _ => None,
        };
        // The word before `before_word`: an elided `d'` is not in `keys`.
        let before_before = match elided {
            Some('d') => i.checked_sub(1),
            _ => i.checked_sub(2),
        }
        .map(|j| keys[j]);
        let street = before_word.as_deref().is_some_and(|b| STREETS.contains(&b))
            || (matches!(before_word.as_deref(), Some("de" | "du" | "des" | "d"))
                && before_before.is_some_and(|b| STREETS.contains(&b)));
        let strong = before_word
            .as_deref()
            .is_some_and(|b| STRONG_LOCATIVES.contains(&b))
            || (matches!(before_word.as_deref(), Some("de" | "d"))
                && before_before.is_some_and(|b| STRONG_LOCATIVES.contains(&b)));
        let weak = before_word
            .as_deref()
            .is_some_and(|b| WEAK_LOCATIVES.contains(&b));
        let commune_cue = matches!(before_word.as_deref(), Some("a" | "au" | "aux"))
            || (matches!(before_word.as_deref(), Some("de" | "d"))
                && matches!(
                    before_before,
                    Some("commune" | "ville" | "mairie" | "maire" | "habitants")
                ));
        // `au Mans`, `du Havre`, `la Rochelle` written without its capital.
        let contracted_article = matches!(
            before_word.as_deref(),
            Some("au" | "du" | "aux" | "des" | "le" | "la" | "les")
        );
        let mid_sentence = gap.is_some_and(|g| !g.contains(['.', '!', '?', '\n', ':', '«', '"']));
        // Was the word before a capitalised word inside the sentence (a first
        // name, an organisation), not just the sentence's first word?
        let before_starts_sentence = i < 2
            || text[words[i - 2].to..words[i - 1].from]
                .contains(['.', '!', '?', '\n', ':', '«', '"']);
        let after_proper_noun = adjacent
            && mid_sentence
            && !before_starts_sentence
            && i > 0
            && !PARTICLES.contains(&keys[i - 1])
            && !STRONG_LOCATIVES.contains(&keys[i - 1])
            && text[words[i - 1].from..words[i - 1].to].starts_with(char::is_uppercase);
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
        let shouted = !text[line_start..line_end].chars().any(char::is_lowercase);
        Context {
            first_key: keys[i].to_string(),
            before: before_word,
            glued,
            capitalised,
            street,
            strong,
            weak,
            commune_cue,
            contracted_article,
            after_proper_noun,
            mid_sentence,
            shouted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The communes found in `text`, as `Name (INSEE)`, and the other places.
    fn found(text: &str) -> Vec<String> {
        let places = Places::get();
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
        let places = Places::get();
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
