//! Housing operations as data: what an article says is built, bought,
//! renovated, transformed or demolished, where, by whom, how many
//! dwellings of each product, and how far it has got.
//!
//! An article is read in *units*: a passage that starts with a town
//! written in capitals (`BEAUVAIS Rue des Jacobins`, the lists of operations
//! of a landlord's page) is a unit of its own; elsewhere a unit is a run of
//! sentences, from one stating a new total of dwellings to the next (a
//! total restated, the title's then the text's, is the same operation),
//! and a new heading closes it: an operation's details follow the sentence
//! announcing it, often in the next paragraphs. A unit is an operation when
//! it states dwellings (`30 logements`, `16 PSLA`, `trente maisons`) that
//! are not a trap, and says what is done (a kind or a milestone) or sits
//! under a town heading. Its commune is the heading's, else one named as a
//! place (`à Lens`) rather than as an origin (`une entreprise de Douai`),
//! else the article's.
//!
//! | statement | read as |
//! | --- | --- |
//! | `N logements` (maisons, appartements, studios, pavillons…) | dwellings |
//! | `N PRODUCT`, `N logements PRODUCT`, `N maisons en location-accession` | dwellings of the product (canonical name from `products.tsv`) |
//! | `N LU` (a short word in capitals the product file lacks) next to products | dwellings of that label, as written |
//! | `dont N PLAI`, `(8 PLS et 8 PSLA)`, a product line apart from the total | parts of the stated total |
//! | `31 logements … et 8 maisons …`, no total | a total derived from the parts |
//! | `N m²` | surface |
//! | `N millions d'euros`, `N M€`, `N €` | cost (the first one) |
//! | `Livraison : 2023`, `livrés en juin 2022`, `première pierre`… | milestone, the most advanced one, with the year and month of its clause |
//!
//! Traps, never operations: a landlord's stock (`ses 45.795 logements`,
//! `son parc`), targets (`objectif`, `d'ici 2030`), yearly or national
//! figures (`par an`, `en France`), approximations (`plus de`, `près de`),
//! counts of 2 000 dwellings or more outside a town heading, a figure
//! restated (`sur les 150 logements démolis`), and a unit with no commune
//! nor site.
//!
//! Nothing is invented: a figure the text does not state is `None`; a total
//! computed from the parts says so (`dwellings_derived`); products that do
//! not add up to the stated total are kept with it (`products_differ`).

mod numbers;

use serde::{Deserialize, Serialize};

use super::places::Place;
use super::Extractor;
use crate::analysis::Word;
use crate::corpus::passages::Passage;
use crate::facets::{Commune, Facets};

/// What an operation does to its dwellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Dwellings built (or bought new).
    Construction,
    /// Dwellings renovated.
    Rehabilitation,
    /// Dwellings demolished.
    Demolition,
    /// An existing building bought and renovated as housing.
    AcquisitionAmelioration,
    /// Another use (offices, a school, a barracks) turned into housing.
    Transformation,
    /// A student residence.
    ResidenceEtudiante,
    /// Dwellings the text states without saying what is done.
    Other,
}

impl Kind {
    /// Every kind, in the order the rules try them: the most specific first
    /// (a student residence is also built; a transformation also renovates).
    pub const ALL: [Kind; 7] = [
        Kind::ResidenceEtudiante,
        Kind::Demolition,
        Kind::Transformation,
        Kind::AcquisitionAmelioration,
        Kind::Rehabilitation,
        Kind::Construction,
        Kind::Other,
    ];

    /// Its name in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Construction => "construction",
            Kind::Rehabilitation => "rehabilitation",
            Kind::Demolition => "demolition",
            Kind::AcquisitionAmelioration => "acquisition-amelioration",
            Kind::Transformation => "transformation",
            Kind::ResidenceEtudiante => "residence-etudiante",
            Kind::Other => "other",
        }
    }

    /// The kind of that name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Its bit among a word's cue bits ([`Reader::cues`]): its place in
    /// [`Kind::ALL`].
    fn bit(self) -> u16 {
        1 << Kind::ALL.iter().position(|&k| k == self).unwrap_or(0)
    }

    /// The folded words (or word prefixes, ending in `*`) that say it.
    fn cues(self) -> &'static [&'static str] {
        match self {
            Kind::ResidenceEtudiante => &[
                "etudiant*",
                "universitaire*",
                "fjt",
                "apprentis",
                "alternants",
            ],
            Kind::Demolition => &["demoli*", "deconstruction*"],
            Kind::Transformation => &[
                "transformation*",
                "transforme*",
                "reconversion*",
                "reconverti*",
                "converti*",
                "destination",
            ],
            Kind::AcquisitionAmelioration => &[
                "acquisition",
                "achat",
                "rachat",
                "rachete*",
                "rachetera",
                "acquiert",
                "acquis",
                "acquise",
                "acquises",
            ],
            Kind::Rehabilitation => &[
                "rehabilit*",
                "renovation*",
                "renove*",
                "requalification*",
                "requalifie*",
            ],
            Kind::Construction => &[
                "construction*",
                // A résidence seniors is new, unless said otherwise.
                "senior",
                "seniors",
                "construit*",
                "construire",
                "creation",
                "neuf",
                "neufs",
                "programme",
                "edification",
                "batir",
                "batira",
                "batiront",
                "vefa",
                "livr*",
                "pierre",
                "immobilier",
            ],
            Kind::Other => &[],
        }
    }
}

/// A step of an operation's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneKind {
    /// Announced, planned, approved.
    Annonce,
    /// A deed or an agreement signed.
    Signature,
    /// The building permit.
    Permis,
    /// The first stone laid.
    PremierePierre,
    /// Works started.
    Demarrage,
    /// Inaugurated.
    Inauguration,
    /// Delivered (done, or the delivery planned).
    Livraison,
}

impl MilestoneKind {
    /// Every milestone, least advanced first (the order of the enum).
    pub const ALL: [MilestoneKind; 7] = [
        MilestoneKind::Annonce,
        MilestoneKind::Signature,
        MilestoneKind::Permis,
        MilestoneKind::PremierePierre,
        MilestoneKind::Demarrage,
        MilestoneKind::Inauguration,
        MilestoneKind::Livraison,
    ];

    /// Its name in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            MilestoneKind::Annonce => "annonce",
            MilestoneKind::Signature => "signature",
            MilestoneKind::Permis => "permis",
            MilestoneKind::PremierePierre => "premiere-pierre",
            MilestoneKind::Demarrage => "demarrage",
            MilestoneKind::Inauguration => "inauguration",
            MilestoneKind::Livraison => "livraison",
        }
    }

    /// The milestone of that name.
    pub fn parse(name: &str) -> Option<MilestoneKind> {
        MilestoneKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The milestone a word (and the next) says, if any.
    fn at(words: &[Word], i: usize) -> Option<MilestoneKind> {
        let w = words[i].folded.as_str();
        let next = words.get(i + 1).map(|w| w.folded.as_str());
        let prev = i.checked_sub(1).map(|j| words[j].folded.as_str());
        let before = |k: usize| i.checked_sub(k).map(|j| words[j].folded.as_str());
        Some(match w {
            // Plural nouns speak of many operations: `les inaugurations se
            // poursuivent`, `des livraisons qui cachent un recul`.
            "livraisons" | "inaugurations" => return None,
            _ if w.starts_with("livr") => MilestoneKind::Livraison,
            _ if w.starts_with("inaugur") => MilestoneKind::Inauguration,
            "pierre" if matches!(prev, Some("premiere" | "1ere")) => MilestoneKind::PremierePierre,
            // Not `la commercialisation démarre`: sales, not works.
            _ if w.starts_with("demarr")
                && !(1..=3).any(|k| {
                    before(k).is_some_and(|b| {
                        b.starts_with("commercialisation") || b == "vente" || b == "ventes"
                    })
                }) =>
            {
                MilestoneKind::Demarrage
            }
            "chantier" if prev == Some("en") => MilestoneKind::Demarrage,
            "debut" | "lancement" if next == Some("des") => MilestoneKind::Demarrage,
            "lance" | "lancee" | "lances" | "lancees" | "lancera" | "lanceront" | "engage"
            | "engagee" | "engages" | "engagees" => MilestoneKind::Demarrage,
            "cours" if prev == Some("en") && next == Some("depuis") => MilestoneKind::Demarrage,
            _ if (w.starts_with("commence") || w.starts_with("debute"))
                && prev.is_some_and(|p| p == "ont" || p == "travaux") =>
            {
                MilestoneKind::Demarrage
            }
            // `permis de construire`, `permis obtenu`; not `a permis de
            // financer`.
            "permis"
                if !matches!(prev, Some("a" | "ont" | "aura" | "avait" | "auront"))
                    && (next == Some("de")
                        || next.is_some_and(|n| {
                            ["obten", "accord", "deliv", "depos", "signe"]
                                .iter()
                                .any(|p| n.starts_with(p))
                        })) =>
            {
                MilestoneKind::Permis
            }
            // `ordre de service`: works start; `mise en service`: tenants
            // move in.
            "service" if prev == Some("de") && before(2) == Some("ordre") => {
                MilestoneKind::Demarrage
            }
            "service"
                if prev == Some("en") && matches!(before(2), Some("mise" | "mis" | "mises")) =>
            {
                MilestoneKind::Livraison
            }
            "terre" if prev == Some("de") && before(2).is_some_and(|w| w.starts_with("sorti")) => {
                MilestoneKind::Demarrage
            }
            "pioche" => MilestoneKind::Demarrage,
            _ if w.starts_with("receptionn") || w.starts_with("emmenag") => {
                MilestoneKind::Livraison
            }
            "reception" if matches!(next, Some("des" | "du")) => MilestoneKind::Livraison,
            // `achèvement des travaux`, `achevée en 2025`; not `en l'état
            // futur d'achèvement`, nor `s'achève`, still under way.
            "achevement" | "achevee" | "acheves" | "achevees" | "achevera" | "acheveront"
            | "achever"
                if prev != Some("futur") =>
            {
                MilestoneKind::Livraison
            }
            // `a remis les clés`, `la remise des clés`.
            // `a remis les clés`, `les clés de la résidence X ont été
            // remises`.
            "cles"
                if {
                    let remi =
                        |j: usize| words.get(j).is_some_and(|w| w.folded.starts_with("remi"));
                    (1..=6).any(|k| i.checked_sub(k).is_some_and(remi))
                        || (1..=15).any(|k| remi(i + k))
                } =>
            {
                MilestoneKind::Livraison
            }
            "signature" | "signe" | "signee" | "signes" | "signees" => MilestoneKind::Signature,
            // A purchase done: its deed is signed.
            "acquis" | "acquise" | "acquises" | "achete" | "achetee" | "achetes" | "achetees"
            | "rachete" | "rachetee" | "rachetes" | "rachetees" => MilestoneKind::Signature,
            "annonce" | "annoncee" | "annonces" | "annoncees" | "prevoit" | "projette"
            | "presente" | "autorise" | "approuve" | "valide" | "presentee" | "presentes"
            | "presentees" => MilestoneKind::Annonce,
            _ => return None,
        })
    }
}

/// A milestone and when, as stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// Which step.
    pub kind: MilestoneKind,
    /// Its year, when its clause states one.
    pub year: Option<i32>,
    /// Its month (1–12), when stated before the year.
    pub month: Option<u8>,
}

/// Where a figure of an operation is written: a byte range of a passage's
/// text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// The passage's ordinal.
    pub passage: u32,
    /// Byte range in the passage's text: start...
    pub start: usize,
    /// ...and end.
    pub end: usize,
}

/// One housing operation an article describes. Its serde form is what the
/// index stores: what is unknown or empty is left out of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Where: a town heading's commune, else one the unit names as a place,
    /// else the article's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<Commune>,
    /// The street, résidence or quartier, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The organisations of its passages, else those of the article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
    /// What is done.
    pub kind: Kind,
    /// Dwellings in all, as stated (or derived, see below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwellings: Option<u64>,
    /// The total is the sum of the parts, not a figure of the text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dwellings_derived: bool,
    /// Dwellings per product, in the order of the text: canonical names,
    /// or labels as written when the product file lacks them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_product: Vec<(String, u64)>,
    /// The products do not add up to the stated total (both are kept).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub products_differ: bool,
    /// Floor area in m², the first stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface_m2: Option<u64>,
    /// The most advanced milestone stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<Milestone>,
    /// Cost in euros, the first amount stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_eur: Option<u64>,
    /// The passages it is read from, first the one stating its dwellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<u32>,
    /// Where each figure stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
}

/// The keys under which reports of one operation in several articles
/// meet (a syndicated copy; an announcement, then the first stone, then
/// the delivery). See [`Operation::link_keys`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkKeys {
    /// Commune and site (its street number left out): reports sharing it
    /// are one operation.
    pub site: Option<String>,
    /// Commune, kind, dwellings and split by product: copies name a site
    /// differently (a residence here, its street there), not their figures.
    pub split: Option<String>,
    /// Commune, kind and dwellings: one operation when either report names
    /// no site (two sites named differently are two operations).
    pub figures: Option<String>,
}

impl LinkKeys {
    /// Every key, as the index stores them.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        [&self.site, &self.split, &self.figures]
            .into_iter()
            .flatten()
    }
}

impl Operation {
    /// Its link keys. The indexer stores them, the search links by them:
    /// one rule for both.
    pub fn link_keys(&self) -> LinkKeys {
        let Some(commune) = &self.commune else {
            return LinkKeys::default();
        };
        let insee = &commune.insee;
        let site = self.site.as_deref().map(|site| {
            // `18, avenue Jean-Perrot` is `avenue Jean-Perrot`.
            let street = site.trim_start_matches(|c: char| c.is_ascii_digit() || " ,".contains(c));
            let street = street
                .strip_prefix("bis ")
                .or_else(|| street.strip_prefix("ter "))
                .unwrap_or(street);
            format!("{insee}|{}", crate::analysis::facet_key(street))
        });
        let figures = self
            .dwellings
            .map(|d| format!("{insee}|{}|{d}", self.kind.name()));
        let split = figures
            .as_ref()
            .filter(|_| !self.by_product.is_empty())
            .map(|f| {
                let mut split = self.by_product.clone();
                split.sort();
                let split: Vec<String> = split.iter().map(|(p, n)| format!("{p}:{n}")).collect();
                format!("{f}|{}", split.join(","))
            });
        LinkKeys {
            site,
            split,
            figures,
        }
    }
}

/// Dwelling words: what a count of dwellings counts.
const DWELLINGS: &[&str] = &[
    "logement",
    "logements",
    "maison",
    "maisons",
    "appartement",
    "appartements",
    "studio",
    "studios",
    "pavillon",
    "pavillons",
    "villa",
    "villas",
    "logts",
];

/// Words between a count and its dwelling word (`45 nouveaux logements`).
const BEFORE_DWELLING: &[&str] = &["nouveaux", "nouvelles", "premiers", "premieres", "autres"];

/// From this size on, dwellings someone has (`ses 1 200 logements`) are a
/// stock rather than one building's.
const STOCK_SIZE: u64 = 200;

/// Words that make every count of their sentence a stock, a target, or a
/// yearly, territorial or national figure, not an operation's.
const TRAP_SENTENCE: &[&str] = &[
    "objectif",
    "programmation",
    "objectifs",
    "ambition",
    "chaque",
    "annuel",
    "annuels",
    "france",
    "national",
    "nationale",
    "nationaux",
    "patrimoine",
    "gere",
    "loge",
    "totalise",
    "agrees",
    "agrements",
];

/// Possessives that make a count a landlord's stock (`ses 12 400
/// logements`) when nothing is done to them in the sentence.
const POSSESSIVES: &[&str] = &["ses", "son", "sa", "leurs", "leur"];

/// Words that make a count a reference to one stated before (`sur les 150
/// logements démolis`), when the same figure was.
const REFERENCES: &[&str] = &["les", "des", "ces"];

/// Street and place words that start a site.
const SITE_WORDS: &[&str] = &[
    // Streets first: a street is preferred to a building's or an area's
    // name (`la résidence Le Grand Quai, … quai de la Vicomté`), as copies
    // and follow-ups of an article name the street more often alike.
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "place",
    "quai",
    "allee",
    "chemin",
    "impasse",
    "cours",
    "square",
    "quartier",
    "residence",
    "zac",
    "ilot",
    "cite",
    "domaine",
    "hameau",
    "ecoquartier",
];

/// How many of [`SITE_WORDS`] are streets.
const STREET_WORDS: usize = 11;

/// Words that link the words of a site's name (`rue de la Paix`).
const SITE_LINKS: &[&str] = &["de", "du", "des", "d", "la", "le", "l"];

const MONTHS: &[&str] = &[
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// Words that may stand between a count without dwelling word and its
/// product (`8 en PLAI`, `6 financés en PLS`).
const BEFORE_PRODUCT: &[&str] = &["en", "finances", "financees", "de", "type"];

/// Counts of this size are a programme's or a territory's, not one
/// operation's, unless a town heading says otherwise.
const LARGEST_COUNT: u64 = 2000;

/// A dwelling count read in the text.
#[derive(Debug, Clone)]
struct Count {
    value: u64,
    /// Word range of the statement.
    words: std::ops::Range<usize>,
    /// The product it is of, if any.
    product: Option<String>,
    /// Whether a dwelling word says what is counted (`30 logements`).
    dwelling_word: bool,
    /// Whether it is a part of a total stated before it in its sentence
    /// (`dont`, `soit`, in brackets).
    part: bool,
    /// The sentence it stands in (index into [`Reader::sentences`]).
    sentence: usize,
    /// A stock, a target, an approximation's neighbour, a figure too large
    /// or one restated: no operation's.
    trap: bool,
}

impl Count {
    /// Whether it states an operation's total: dwellings counted by a
    /// dwelling word, not a part; with a product only when it is its
    /// sentence's one count (`30 maisons en location-accession`) or the
    /// counts after it add up to it (`30 logements locatifs sociaux : 18
    /// PLUS, 8 PLAI et 4 PLS`).
    fn total_like(&self, counts: &[Count]) -> bool {
        let others = || {
            counts
                .iter()
                .filter(|c| c.sentence == self.sentence && !c.trap && c.words != self.words)
        };
        let split = || {
            let after = others().filter(|c| c.words.start >= self.words.end && c.product.is_some());
            after.clone().count() >= 2 && after.map(|c| c.value).sum::<u64>() == self.value
        };
        self.dwelling_word
            && !self.part
            && !self.trap
            && (self.product.is_none() || others().next().is_none() || split())
    }
}

impl Extractor {
    /// The operations `text` describes. `words` are its analysed words,
    /// `passages` its passages and `facets` their values, `about` what the
    /// article is about (see [`Extractor::article_scope`]).
    pub fn operations(
        &self,
        text: &str,
        words: &[Word],
        passages: &[Passage],
        facets: &[Facets],
        about: &Facets,
        mentions: &super::Mentions,
    ) -> Vec<Operation> {
        // Most articles state no dwellings: a quick look first.
        let stated = words.windows(2).any(|pair| {
            let dwelling = DWELLINGS.contains(&pair[1].folded.as_str());
            let counted = pair[0].is_number() || numbers::count_at(pair, 0).is_some();
            counted && (dwelling || pair[1].acronym)
        }) || !mentions.products.is_empty();
        if !stated {
            return Vec::new();
        }
        let reader = Reader::new(
            self,
            text,
            words,
            passages,
            &mentions.products,
            &mentions.places,
        );
        let mut operations = Vec::new();
        for unit in reader.units() {
            if let Some(mut op) = reader.read(&unit, about) {
                for &p in &op.passages {
                    for org in facets.get(p as usize).map_or(&[][..], |f| &f.organisations) {
                        if !op.organisations.contains(&org.name) {
                            op.organisations.push(org.name.clone());
                        }
                    }
                }
                if op.organisations.is_empty() {
                    op.organisations = about.organisations.iter().map(|o| o.name.clone()).collect();
                }
                operations.push(op);
            }
        }
        operations
    }
}

/// Part of an article read as one operation: a run of words.
#[derive(Debug, Clone)]
struct Unit {
    words: std::ops::Range<usize>,
    /// Under a town heading (`BEAUVAIS Rue des Jacobins`): the heading
    /// line's byte range.
    heading: Option<std::ops::Range<usize>>,
}

/// Reads an article's operations.
struct Reader<'a> {
    extractor: &'a Extractor,
    text: &'a str,
    words: &'a [Word],
    passages: &'a [Passage],
    products: &'a [(usize, usize, usize)],
    places: &'a [super::places::PlaceMention],
    /// Word ranges of the sentences (and lines), in order.
    sentences: Vec<std::ops::Range<usize>>,
    /// For each passage, its word range.
    ranges: Vec<std::ops::Range<usize>>,
    /// For each word, what it says, as bits: the kinds whose cue it is (in
    /// the order of [`Kind::ALL`]), and the flags below. Read once per
    /// word, then or-ed over sentences.
    cues: Vec<u16>,
}

/// A purchase of new dwellings: off plan (`vefa`, `état futur
/// d'achèvement`) or finished (`logements neufs`).
const VEFA: u16 = 1 << 7;
/// A word of [`TRAP_SENTENCE`].
const TRAP_WORD: u16 = 1 << 8;
/// `ici` (of `d'ici 2030`) or `ensemble` (of `l'ensemble du territoire`):
/// traps in context only.
const TRAP_IN_CONTEXT: u16 = 1 << 9;

/// What a folded word says, as the bits of [`Reader::cues`].
fn cue_bits(word: &str) -> u16 {
    let mut bits = 0;
    for (i, kind) in Kind::ALL.iter().enumerate() {
        if cue_matches(kind.cues(), word) {
            bits |= 1 << i;
        }
    }
    // Not `neuf`, also a number (`neuf logements`).
    if matches!(word, "vefa" | "achevement" | "neufs" | "neuve" | "neuves") {
        bits |= VEFA;
    }
    if TRAP_SENTENCE.contains(&word) {
        bits |= TRAP_WORD;
    }
    if word == "ici" || word == "ensemble" {
        bits |= TRAP_IN_CONTEXT;
    }
    bits
}

/// The cue bits of every word, read in context where a word alone
/// misleads: the demolition of a building that holds no dwellings
/// (`démolition d'un garage désaffecté`) clears the ground for what is
/// built, it is not a demolition of housing.
fn cues(text: &str, words: &[Word]) -> Vec<u16> {
    let mut cues: Vec<u16> = words.iter().map(|w| cue_bits(&w.folded)).collect();
    for (i, w) in words.iter().enumerate() {
        // `une ancienne école devenue un immeuble de 8 logements`.
        if w.folded.starts_with("devenu")
            && words[i + 1..].iter().take(6).any(|n| {
                n.is_number()
                    || cue_matches(
                        &["logement*", "immeuble*", "residence*", "appartement*"],
                        &n.folded,
                    )
            })
        {
            cues[i] |= Kind::Transformation.bit();
        }
        // `rue Nationale`, `avenue de France`: a street's name is no
        // national figure.
        if cues[i] & TRAP_WORD != 0 && in_street_name(text, words, i) {
            cues[i] &= !TRAP_WORD;
        }
        // `jeunes actifs`, `jeunes travailleurs`: a residence for them.
        if w.folded == "jeunes"
            && words
                .get(i + 1)
                .is_some_and(|n| matches!(n.folded.as_str(), "actifs" | "travailleurs"))
        {
            cues[i] |= Kind::ResidenceEtudiante.bit();
        }
        // `l'option d'achat`, `le prix d'achat` of households: no
        // landlord's purchase.
        if w.folded == "achat"
            && i.checked_sub(1).is_some_and(|p| {
                matches!(
                    words[p].folded.as_str(),
                    "option" | "prix" | "pouvoir" | "aide" | "aides"
                )
            })
        {
            cues[i] &= !Kind::AcquisitionAmelioration.bit();
        }
        if cues[i] & Kind::Demolition.bit() != 0
            && (w.folded.starts_with("demolition") || w.folded.starts_with("deconstruction"))
            && demolishes_no_housing(text, w.to, &words[i + 1..])
        {
            cues[i] &= !Kind::Demolition.bit();
        }
    }
    cues
}

/// Whether word `i` is capitalised in a street's name, after its street
/// word and the links of the name (`avenue de France`).
fn in_street_name(text: &str, words: &[Word], i: usize) -> bool {
    let capitalised = text[words[i].from..words[i].to]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let back = |k: usize| i.checked_sub(k).map(|j| words[j].folded.as_str());
    let street = (1..=3)
        .map_while(back)
        .position(|w| SITE_WORDS[..STREET_WORDS].contains(&w));
    capitalised
        && street.is_some_and(|p| (1..=p).all(|k| back(k).is_some_and(|w| SITE_LINKS.contains(&w))))
}

/// Whether the object of a demolition noun ending at byte `end` (`de`, its
/// determiners and adjectives, then the noun) is a common noun that names
/// no housing.
fn demolishes_no_housing(text: &str, end: usize, after: &[Word]) -> bool {
    const SKIPPED: &[&str] = &[
        "d",
        "de",
        "du",
        "des",
        "l",
        "le",
        "la",
        "les",
        "un",
        "une",
        "cet",
        "cette",
        "ce",
        "ces",
        "ancien",
        "ancienne",
        "anciens",
        "anciennes",
        "vieux",
        "vieille",
        "vieil",
        "petit",
        "petite",
        "grand",
        "grande",
    ];
    const HOUSING: &[&str] = &[
        "logement*",
        "tour",
        "tours",
        "barre*",
        "immeuble*",
        "batiment*",
        "residence*",
        "pavillon*",
        "maison*",
        "cite*",
        "ensemble*",
        "foyer*",
        "plot*",
        "habitat*",
        "appartement*",
        "chambre*",
        "studio*",
        "groupe*",
    ];
    let Some(next) = after.first() else {
        return false;
    };
    // Elided (`d'un garage`): the elision is in the text, not in the words.
    let elided = text[end..next.from].trim_start().starts_with(['d', 'D']);
    if !elided && !matches!(next.folded.as_str(), "de" | "du" | "des") {
        return false;
    }
    let Some(noun) = after
        .iter()
        .take(4)
        .find(|w| !SKIPPED.contains(&w.folded.as_str()))
    else {
        return false;
    };
    let written = &text[noun.from..noun.to];
    let common = written.chars().next().is_some_and(char::is_lowercase);
    common
        && !noun.folded.starts_with(|c: char| c.is_ascii_digit())
        && !cue_matches(HOUSING, &noun.folded)
}

impl<'a> Reader<'a> {
    fn new(
        extractor: &'a Extractor,
        text: &'a str,
        words: &'a [Word],
        passages: &'a [Passage],
        products: &'a [(usize, usize, usize)],
        places: &'a [super::places::PlaceMention],
    ) -> Reader<'a> {
        let ranges = super::word_ranges(words, passages);
        let mut sentences = Vec::new();
        for range in &ranges {
            let mut start = range.start;
            for i in range.start + 1..range.end {
                if sentence_break(text, words, i) {
                    sentences.push(start..i);
                    start = i;
                }
            }
            if start < range.end {
                sentences.push(start..range.end);
            }
        }
        Reader {
            extractor,
            text,
            words,
            passages,
            products,
            places,
            sentences,
            ranges,
            cues: cues(text, words),
        }
    }

    /// The units of the article:
    /// - a passage starting with a town in capitals (a list's heading) is
    ///   one unit;
    /// - elsewhere a new unit starts with a new heading, and with a
    ///   sentence stating a new total when the open unit has one already
    ///   (`Sur le même quartier, 26 logements…`), or with that sentence's
    ///   paragraph when the open unit's total was stated in an earlier one
    ///   (`À Tourcoing, l'acte d'achat… Elle sera divisée en quatre
    ///   logements`); every other sentence belongs to the open unit: an
    ///   operation's details (products, surface, cost, milestones) follow
    ///   the sentence announcing it.
    fn units(&self) -> Vec<Unit> {
        /// The unit being read, the totals it states, and the word where
        /// the last of them was stated.
        struct Open {
            unit: Unit,
            stated: Vec<u64>,
            stated_at: usize,
        }
        let mut units: Vec<Unit> = Vec::new();
        let mut open: Option<Open> = None;
        for (p, passage) in self.passages.iter().enumerate() {
            let range = self.ranges[p].clone();
            if range.is_empty() {
                continue;
            }
            if let Some(line) = self.town_heading(passage) {
                units.extend(open.take().map(|o| o.unit));
                units.push(Unit {
                    words: range,
                    heading: Some(line),
                });
                continue;
            }
            let heading_changed = p > 0
                && passage.heading.is_some()
                && passage.heading != self.passages[p - 1].heading;
            if heading_changed {
                units.extend(open.take().map(|o| o.unit));
            }
            let counts = self.counts(range.clone(), false);
            for s in self.sentences_in(range.clone()) {
                let sentence = self.sentences[s].clone();
                let totals: Vec<u64> = counts
                    .iter()
                    .filter(|c| c.sentence == s && c.total_like(&counts))
                    .map(|c| c.value)
                    .collect();
                // A total restated (the title's, then the text's) is no
                // new operation; a heading line inside a passage starts one.
                let new_total = open.as_ref().is_some_and(|o| {
                    !o.stated.is_empty() && totals.iter().any(|t| !o.stated.contains(t))
                        || s > 0 && o.unit.words.start < sentence.start && self.heading_line(s)
                });
                match &mut open {
                    Some(o) if !new_total => {
                        o.unit.words.end = sentence.end;
                        if !totals.is_empty() {
                            o.stated_at = sentence.start;
                        }
                        o.stated.extend(totals);
                    }
                    _ => {
                        let mut start = sentence.start;
                        if let Some(o) = open.take() {
                            let mut unit = o.unit;
                            if o.stated_at < range.start && unit.words.start < range.start {
                                start = range.start;
                                unit.words.end = range.start;
                            }
                            units.push(unit);
                        }
                        open = Some(Open {
                            unit: Unit {
                                words: start..sentence.end,
                                heading: None,
                            },
                            stated: totals,
                            stated_at: sentence.start,
                        });
                    }
                }
            }
        }
        units.extend(open.map(|o| o.unit));
        units
    }

    /// The indexes of the sentences within a word range.
    fn sentences_in(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let first = self.sentences.partition_point(|s| s.end <= range.start);
        let last = self.sentences.partition_point(|s| s.start < range.end);
        first..last
    }

    /// The byte range of the first line of a passage starting with a town
    /// in capitals.
    fn town_heading(&self, passage: &Passage) -> Option<std::ops::Range<usize>> {
        let text = passage.text(self.text);
        let trimmed = text.trim_start();
        if !starts_with_capitals(trimmed) {
            return None;
        }
        let start = passage.start + (text.len() - trimmed.len());
        let end = trimmed.find('\n').map_or(passage.end, |n| start + n);
        self.places
            .iter()
            .any(|m| m.start == start && matches!(m.place, Place::Commune(_)))
            .then_some(start..end)
    }

    /// The operation a unit states, if it states one.
    fn read(&self, unit: &Unit, about: &Facets) -> Option<Operation> {
        let town = unit.heading.is_some();
        let counts: Vec<Count> = self
            .counts(unit.words.clone(), town)
            .into_iter()
            .filter(|c| town || (!c.trap && c.value < LARGEST_COUNT))
            .collect();
        if counts.is_empty() {
            return None;
        }
        // The total: the counts stating one in the first sentence that
        // does; several (`31 logements et 8 maisons`) add up.
        // Under a town heading, a count after the product lines breaks
        // them down (`40 PLAI` then `34 studios / 6 T1 bis`).
        let after_products = |c: &Count| {
            town && counts
                .iter()
                .any(|p| p.product.is_some() && p.words.end <= c.words.start)
        };
        let first = counts
            .iter()
            .find(|c| c.total_like(&counts) && !after_products(c))
            .map(|c| c.sentence);
        let mut top: Vec<&Count> = Vec::new();
        for c in counts
            .iter()
            .filter(|c| Some(c.sentence) == first && c.dwelling_word && !c.part)
        {
            // Counts add up when listed together (`31 logements … et 8
            // maisons`), not when the sentence moves on to other dwellings.
            let joined = top.last().is_none_or(|last| {
                c.words.start - last.words.end <= 8
                    && self.words[last.words.end..c.words.start]
                        .iter()
                        .any(|w| w.folded == "et")
            });
            if !joined {
                break;
            }
            top.push(c);
        }
        let anchor = top.first().map_or(counts[0].sentence, |c| c.sentence);
        // What is done: said where the dwellings are, else where their
        // total is restated (a title, then its sentence), else in the unit.
        let restated = counts
            .iter()
            .filter(|c| c.sentence != anchor && top.len() == 1 && c.value == top[0].value)
            .map(|c| c.sentence);
        let kind = std::iter::once(anchor)
            .chain(restated)
            .find_map(|s| self.kind_in(s..s + 1))
            .or_else(|| self.kind_in(self.sentences_in(unit.words.clone())));
        let mut figures = Vec::new();
        let milestone = self.milestone(unit.words.clone(), &mut figures).map(|m| {
            match (m.kind, m.year, self.title_date()) {
                // A decision stated without a date (`le conseil approuve`)
                // was taken on the meeting's day, which the title gives
                // (`Délibérations du conseil du 27 juin 2023`).
                (MilestoneKind::Annonce, None, Some((year, month))) => Milestone {
                    year: Some(year),
                    month: Some(month),
                    ..m
                },
                _ => m,
            }
        });
        // Dwellings with neither works nor a step stated are no operation
        // (outside a list); with a step but no works said, they are new
        // (`Permis obtenu`, `Remise des clés` under a heading).
        if !town && kind.is_none() && milestone.is_none() {
            return None;
        }
        let kind = kind.unwrap_or(Kind::Construction);
        let (mut dwellings, mut derived) = match top.as_slice() {
            [] => (None, false),
            [one] => (Some(one.value), false),
            many => (Some(many.iter().map(|c| c.value).sum()), true),
        };
        let mut by_product: Vec<(String, u64)> = Vec::new();
        // A total named by a product (`24 logements locatifs sociaux`)
        // that the text then splits (`10 PLUS, 8 PLAI et 6 PLS`) names the
        // whole, not a part.
        let split_later = |total: &Count| {
            counts
                .iter()
                .any(|c| c.product.is_some() && c.words.start >= total.words.end)
        };
        for c in &counts {
            if top.len() == 1 && c.words == top[0].words && split_later(c) {
                continue;
            }
            if let Some(product) = &c.product {
                if !by_product.iter().any(|(p, _)| p == product) {
                    by_product.push((product.clone(), c.value));
                }
                figures.push(self.figure(c.words.clone()));
            }
        }
        for c in &top {
            figures.push(self.figure(c.words.clone()));
        }
        let parts: u64 = by_product.iter().map(|(_, n)| n).sum();
        if dwellings.is_none() {
            if parts > 0 {
                dwellings = Some(parts);
                derived = true;
            } else if let Some(c) = counts.first() {
                dwellings = Some(c.value);
                figures.push(self.figure(c.words.clone()));
            }
        }
        let products_differ = parts > 0 && !derived && dwellings.is_some_and(|d| d != parts);
        let surface_m2 = self.surface(unit.words.clone(), &mut figures);
        let cost_eur = self.cost(unit.words.clone(), &mut figures);
        let (commune, heading_commune) = self.commune(unit, anchor, about);
        let site = match (&unit.heading, heading_commune) {
            (Some(line), Some(end)) => {
                let rest = self.text[end..line.end]
                    .trim_matches(|c: char| c.is_whitespace() || "-–—:,".contains(c));
                (!rest.is_empty()).then(|| rest.to_string())
            }
            _ => self.site(unit.words.clone(), anchor),
        };
        if commune.is_none() && site.is_none() {
            return None;
        }
        figures.sort_by_key(|f| (f.passage, f.start));
        figures.dedup();
        let mut passages: Vec<u32> = Vec::new();
        // The passage stating the dwellings first.
        if let Some(f) = top
            .first()
            .copied()
            .or(counts.first())
            .map(|c| self.figure(c.words.clone()))
        {
            passages.push(f.passage);
        }
        for f in &figures {
            if !passages.contains(&f.passage) {
                passages.push(f.passage);
            }
        }
        Some(Operation {
            commune,
            site,
            organisations: Vec::new(),
            kind,
            dwellings,
            dwellings_derived: derived,
            by_product,
            products_differ,
            surface_m2,
            milestone,
            cost_eur,
            passages,
            figures,
        })
    }

    /// The kind the sentences `range` say, the most specific first;
    /// sentences of targets say nothing. A purchase of dwellings being
    /// built (`en VEFA`, `en état futur d'achèvement`) is a construction,
    /// not an acquisition-amélioration.
    fn kind_in(&self, range: std::ops::Range<usize>) -> Option<Kind> {
        let mut bits = range
            .filter(|&s| !self.trap_sentence(s))
            .flat_map(|s| &self.cues[self.sentences[s].clone()])
            .fold(0, |all, &b| all | b);
        if bits & VEFA != 0 {
            bits &= !Kind::AcquisitionAmelioration.bit();
        }
        Kind::ALL
            .into_iter()
            .enumerate()
            .find(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, k)| k)
    }

    /// Whether a sentence speaks of targets, stocks or national figures
    /// (`objectif`, `d'ici 2030`, `en France`…).
    fn trap_sentence(&self, s: usize) -> bool {
        let range = self.sentences[s].clone();
        let bits = self.cues[range.clone()].iter().fold(0, |all, &b| all | b);
        if bits & TRAP_WORD != 0 {
            return true;
        }
        if bits & TRAP_IN_CONTEXT == 0 {
            return false;
        }
        let words = &self.words[range];
        // `l'ensemble de son territoire`, not `un ensemble de 30 logements`
        // nor `l'ensemble des locataires`.
        let whole = |(k, w): (usize, &Word)| {
            w.folded == "ensemble"
                && (self.text[..w.from].ends_with("l'") || self.text[..w.from].ends_with("l’"))
                && words[k + 1..(k + 4).min(words.len())].iter().any(|n| {
                    matches!(
                        n.folded.as_str(),
                        "territoire" | "parc" | "patrimoine" | "pays" | "france" | "region"
                    )
                })
        };
        // `d'ici 2030`: the elision is in the text, not in the words.
        let by = |w: &Word| {
            w.folded == "ici"
                && (self.text[..w.from].ends_with("d'") || self.text[..w.from].ends_with("d’"))
        };
        words.iter().enumerate().any(whole) || words.iter().any(by)
    }

    /// The commune of a unit: its town heading's, else one named as a place
    /// (`à Lens`) in the sentence stating its dwellings, else in the unit,
    /// else the article's first, else one named otherwise, else the last
    /// named before the unit. With the
    /// byte where a town heading's commune ends.
    fn commune(
        &self,
        unit: &Unit,
        anchor: usize,
        about: &Facets,
    ) -> (Option<crate::facets::Commune>, Option<usize>) {
        let places = &self.extractor.places;
        let facet = |c: u32| places.commune_facet(&places.communes[c as usize]);
        let communes = |from: usize, to: usize| {
            self.places.iter().filter_map(move |m| match m.place {
                Place::Commune(c) if from <= m.start && m.end <= to => Some((c, m)),
                _ => None,
            })
        };
        let bytes = |r: &std::ops::Range<usize>| {
            (
                self.words[r.start].from,
                self.words[r.end.max(r.start + 1) - 1].to,
            )
        };
        if let Some(line) = &unit.heading {
            let found = communes(line.start, line.end).find(|(_, m)| m.start == line.start);
            return (found.map(|(c, _)| facet(c)), found.map(|(_, m)| m.end));
        }
        // Where an operation is, French says `à Lens`, `au Havre`, `sur
        // Lille`, or puts the town first (`Lens :`, a dateline); `une
        // entreprise de Douai` names an origin, a weaker sign.
        let strong = |m: &super::places::PlaceMention| {
            let before = self.text[..m.start].trim_end();
            let last = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            matches!(
                last.as_str(),
                "à" | "a" | "au" | "aux" | "sur" | "dans" | "en"
            ) || before.is_empty()
                || before.ends_with(['.', '\n', '–', '-', ':', '»'])
        };
        let (sf, st) = bytes(&self.sentences[anchor]);
        let (uf, ut) = bytes(&unit.words);
        let found = communes(sf, st)
            .find(|(_, m)| strong(m))
            .or_else(|| communes(uf, ut).find(|(_, m)| strong(m)))
            .map(|(c, _)| facet(c))
            // The article's own town (its title's first).
            .or_else(|| about.communes.first().cloned())
            .or_else(|| {
                communes(sf, st)
                    .next()
                    .or_else(|| communes(uf, ut).next())
                    .or_else(|| communes(0, uf).next_back())
                    .map(|(c, _)| facet(c))
            });
        (found, None)
    }

    /// The dwelling counts of a word range, in order.
    fn counts(&self, range: std::ops::Range<usize>, town: bool) -> Vec<Count> {
        let words = self.words;
        let mut out: Vec<Count> = Vec::new();
        let mut part = false;
        let mut bracketed = false;
        let mut sentence = self.sentences_in(range.clone()).start;
        let mut i = range.start;
        while i < range.end {
            while self.sentences.get(sentence).is_some_and(|s| s.end <= i) {
                sentence += 1;
                part = false;
                bracketed = false;
            }
            let w = words[i].folded.as_str();
            let gap = if i > 0 {
                &self.text[words[i - 1].to..words[i].from]
            } else {
                ""
            };
            // A part opened by a bracket ends with it; one opened by
            // `dont` goes on (`dont 20 en location-accession (PSLA) et 10
            // logements locatifs sociaux`).
            if gap.contains(')') && bracketed {
                part = false;
                bracketed = false;
            }
            let total_before = out.iter().any(|c| c.sentence == sentence && !c.part);
            let marker = matches!(
                w,
                "dont" | "soit" | "comprenant" | "comprend" | "repartis" | "reparties"
            );
            if (marker || gap.contains('(')) && total_before && !part {
                part = true;
                bracketed = !marker;
            }
            let Some((value, len)) = numbers::count_at(words, i) else {
                i += 1;
                continue;
            };
            let mut j = i + len;
            while words
                .get(j)
                .is_some_and(|w| BEFORE_DWELLING.contains(&w.folded.as_str()))
            {
                j += 1;
            }
            let dwelling_word = j < range.end && DWELLINGS.contains(&words[j].folded.as_str());
            let written_out = !words[i]
                .folded
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.');
            if written_out && !dwelling_word {
                i += len;
                continue;
            }
            let after = if dwelling_word { j + 1 } else { i + len };
            // A product whose name holds the dwelling word (`120 logements
            // locatifs intermédiaires`) starts at it.
            let product = dwelling_word
                .then(|| {
                    self.product_at(j, town)
                        .filter(|_| self.is_known_product(j))
                })
                .flatten()
                .or_else(|| self.product_near(after, dwelling_word, town, range.end));
            let end = product.as_ref().map_or(after, |(_, end)| *end);
            if dwelling_word || product.is_some() {
                let mut count = Count {
                    value,
                    words: i..end,
                    product: product.map(|(p, _)| p),
                    dwelling_word,
                    part,
                    sentence,
                    trap: false,
                };
                count.trap = self.trap(&count);
                out.push(count);
            }
            i = end.max(i + 1);
        }
        out
    }

    /// The product named after a count: right after it, or after its
    /// dwelling word and a few qualifiers (`8 logements PLS`, `8 maisons …
    /// en location-accession`), or after `en` (`8 en PLAI`); the product
    /// file's, or a short label in capitals the file lacks (`10 LU`) where
    /// products are listed; with `et` another one (`64 PLAI et LU`, kept as
    /// written). Its name and the word after it.
    fn product_near(
        &self,
        from: usize,
        dwelling_word: bool,
        town: bool,
        end: usize,
    ) -> Option<(String, usize)> {
        let words = self.words;
        let reach = if dwelling_word { 5 } else { 3 };
        for k in from..(from + reach).min(end) {
            if k > from && sentence_break(self.text, words, k) {
                return None;
            }
            if let Some((name, after)) = self.product_at(k, town) {
                // `financés en PLUS et en PLAI`: one count for two
                // products, no split stated.
                if words.get(after).is_some_and(|w| w.folded == "et")
                    && words.get(after + 1).is_some_and(|w| w.folded == "en")
                    && self.product_at(after + 2, town).is_some()
                {
                    return None;
                }
                if words.get(after).is_some_and(|w| w.folded == "et") {
                    if let Some((second, after2)) = self.product_at(after + 1, town) {
                        // `PLUS et PLAI` shared by one count is no split.
                        if !self.is_known_product(k) || !self.is_known_product(after + 1) {
                            return Some((format!("{name} et {second}"), after2));
                        }
                        return None;
                    }
                }
                return Some((name, after));
            }
            let w = words[k].folded.as_str();
            if w == "en"
                && words
                    .get(k + 1)
                    .is_some_and(|next| next.folded == "accession")
            {
                return Some(("accession".to_string(), k + 2));
            }
            let qualifier = if dwelling_word {
                !w.bytes().any(|b| b.is_ascii_digit()) && !DWELLINGS.contains(&w)
            } else {
                BEFORE_PRODUCT.contains(&w)
            };
            if !qualifier {
                return None;
            }
        }
        None
    }

    /// Whether the product file names the product at word `k`.
    fn is_known_product(&self, k: usize) -> bool {
        self.words
            .get(k)
            .is_some_and(|w| self.products.iter().any(|(s, _, _)| *s == w.from))
    }

    /// The product whose name starts at word `k`: its name and the word
    /// after it.
    fn product_at(&self, k: usize, town: bool) -> Option<(String, usize)> {
        let words = self.words;
        let word = words.get(k)?;
        if let Some(&(_, end, term)) = self.products.iter().find(|(s, _, _)| *s == word.from) {
            let next = words[k..]
                .iter()
                .position(|w| w.from >= end)
                .map_or(words.len(), |n| k + n);
            return Some((self.extractor.products.term(term).name, next));
        }
        let raw = &self.text[word.from..word.to];
        let label = word.acronym
            && (2..=5).contains(&raw.chars().count())
            && raw.chars().all(|c| c.is_ascii_uppercase())
            && self
                .extractor
                .programmes
                .lookup(std::slice::from_ref(word))
                .is_empty();
        let listed = town
            || self
                .products
                .iter()
                .any(|(s, _, _)| s.abs_diff(word.from) < 40);
        (label && listed).then(|| (raw.to_string(), k + 1))
    }

    /// Whether a count is a stock, a target, a yearly or national figure,
    /// or a figure stated before.
    fn trap(&self, count: &Count) -> bool {
        let words = self.words;
        let sentence = &self.sentences[count.sentence];
        let raw_lower =
            |k: usize| self.text[words[k].from..words[k].to].starts_with(char::is_lowercase);
        // `son parc` (not the résidence du Parc), `par an`.
        let stock_word = sentence.clone().any(|k| {
            (words[k].folded == "parc" && raw_lower(k))
                || (words[k].folded == "par" && words.get(k + 1).is_some_and(|w| w.folded == "an"))
        });
        let start = count.words.start;
        let before = |n: usize| start.checked_sub(n).filter(|&k| k >= sentence.start);
        let possessive = [1, 2]
            .into_iter()
            .filter_map(before)
            .any(|k| POSSESSIVES.contains(&words[k].folded.as_str()));
        let project = || self.kind_in(count.sentence..count.sentence + 1).is_some();
        let reference = before(1).is_some_and(|k| REFERENCES.contains(&words[k].folded.as_str()))
            && (0..start).any(|k| {
                numbers::integer(&words[k]) == Some(count.value)
                    && words
                        .get(k + 1)
                        .is_some_and(|w| DWELLINGS.contains(&w.folded.as_str()))
            });
        self.trap_sentence(count.sentence)
            || stock_word
            // `ses 12 000 logements`: a landlord's stock; `ses 24
            // appartements`: a building's own.
            || (possessive && !project() && count.value >= STOCK_SIZE)
            || reference
            || (count.product.is_none() && self.key_figure(count.sentence))
    }

    /// Whether sentence `s` is a line of key figures: it starts with a
    /// number, and so does a line next to it (`186 logements neufs livrés`
    /// then `312 logements réhabilités`, a report's yearly output).
    fn key_figure(&self, s: usize) -> bool {
        // Under a town heading, lines of figures are the item's own.
        let word = self.sentences[s].start;
        let p = self.ranges.partition_point(|r| r.end <= word);
        if self
            .passages
            .get(p)
            .is_some_and(|passage| self.town_heading(passage).is_some())
        {
            return false;
        }
        let line = |s: usize| {
            self.sentences.get(s).is_some_and(|r| {
                let first = &self.words[r.start];
                r.start > 0
                    && self.text[self.words[r.start - 1].to..first.from].contains('\n')
                    && first.is_number()
            })
        };
        line(s) && (s.checked_sub(1).is_some_and(line) || line(s + 1))
    }

    /// Whether sentence `s` is a heading line: short, without a figure of
    /// its own (a year aside) nor a colon, closed by the end of its line
    /// rather than by punctuation (`Faits marquants`, `Laval – Saint-Nicolas
    /// entre en rénovation`).
    fn heading_line(&self, s: usize) -> bool {
        let range = self.sentences[s].clone();
        let (first, last) = (&self.words[range.start], &self.words[range.end - 1]);
        let text = &self.text[first.from..last.to];
        let after = &self.text[last.to..];
        let line_ends = after
            .trim_start_matches([' ', '\u{a0}', '\t'])
            .starts_with('\n');
        range.len() <= 12
            && line_ends
            && text.starts_with(char::is_uppercase)
            && !text.contains(':')
            && self.words[range]
                .iter()
                .all(|w| !w.is_number() || w.folded.len() == 4)
    }

    /// The most advanced milestone of a unit, with the year (and month) of
    /// its clause: after the cue (`Livraison : 2023`, `livrés en juin
    /// 2022`), else before it in its sentence (`Mardi 15 mars 2022, le
    /// bailleur a présenté…`). Sentences of targets are skipped.
    fn milestone(
        &self,
        range: std::ops::Range<usize>,
        figures: &mut Vec<Figure>,
    ) -> Option<Milestone> {
        let words = self.words;
        let mut best: Option<(Milestone, usize, usize)> = None;
        for s in self.sentences_in(range.clone()) {
            let sentence = self.sentences[s].clone();
            // A sentence of targets or stocks speaks of other dwellings;
            // without a count of its own, its dates are this operation's
            // (`Les travaux doivent s'achever d'ici fin 2025`).
            if self.trap_sentence(s) && self.states_dwellings(sentence.clone()) {
                continue;
            }
            for i in sentence.clone() {
                let Some(kind) = MilestoneKind::at(words, i) else {
                    continue;
                };
                // `Livrée en 1969, la tour…`: the history of a building.
                let history = words[i + 1..sentence.end].iter().take(2).any(|w| {
                    w.folded.len() == 4
                        && numbers::integer(w).is_some_and(|y| (1800..1990).contains(&y))
                });
                if history {
                    continue;
                }
                let year_at = |k: usize| {
                    let w = &words[k];
                    (w.folded.len() == 4)
                        .then(|| numbers::integer(w))
                        .flatten()
                        .filter(|y| (1990..=2040).contains(y))
                };
                // A list's `Livraison :` line may hold its year on the next.
                let after_end = if self.text[words[i].to..].trim_start().starts_with(':') {
                    (i + 4).min(range.end)
                } else {
                    sentence.end
                };
                let found = (i + 1..after_end)
                    .find(|&k| year_at(k).is_some())
                    .or_else(|| (sentence.start..i).rev().find(|&k| year_at(k).is_some()));
                let (year, month, from, to) = match found {
                    Some(k) => {
                        let month = k
                            .checked_sub(1)
                            .and_then(|m| MONTHS.iter().position(|n| *n == words[m].folded))
                            .map(|m| m as u8 + 1)
                            .or_else(|| self.numeric_month(k));
                        (year_at(k).map(|y| y as i32), month, i.min(k), i.max(k) + 1)
                    }
                    None => (None, None, i, i + 1),
                };
                let better = match &best {
                    None => true,
                    Some((b, _, _)) => {
                        kind > b.kind || (kind == b.kind && b.year.is_none() && year.is_some())
                    }
                };
                if better {
                    best = Some((Milestone { kind, year, month }, from, to));
                }
            }
        }
        let (milestone, from, to) = best?;
        figures.push(self.figure(from..to));
        Some(milestone)
    }

    /// Whether words `range` count dwellings (`250 logements`).
    fn states_dwellings(&self, range: std::ops::Range<usize>) -> bool {
        let words = &self.words[range];
        (0..words.len()).any(|i| {
            numbers::count_at(words, i).is_some_and(|(_, len)| {
                words[i + len..]
                    .iter()
                    .find(|w| !BEFORE_DWELLING.contains(&w.folded.as_str()))
                    .is_some_and(|w| DWELLINGS.contains(&w.folded.as_str()))
            })
        })
    }

    /// The month of a date written in figures (`14/10/2024`) whose year is
    /// word `year`.
    fn numeric_month(&self, year: usize) -> Option<u8> {
        let words = self.words;
        let (day, month) = (words.get(year.checked_sub(2)?)?, &words[year - 1]);
        let slashed = |a: &Word, b: &Word| matches!(self.text[a.to..b.from].trim(), "/" | ".");
        let value = numbers::integer(month).filter(|m| (1..=12).contains(m))?;
        (numbers::integer(day).is_some_and(|d| (1..=31).contains(&d))
            && slashed(day, month)
            && slashed(month, &words[year]))
        .then_some(value as u8)
    }

    /// The first date with its month and year (`27 juin 2023`) in the
    /// article's first passage, its title.
    fn title_date(&self) -> Option<(i32, u8)> {
        let title = self.ranges.first()?.clone();
        let words = &self.words[title];
        words.windows(2).find_map(|pair| {
            let month = MONTHS.iter().position(|m| *m == pair[0].folded)?;
            let year = numbers::integer(&pair[1])
                .filter(|y| pair[1].folded.len() == 4 && (1990..=2040).contains(y))?;
            Some((year as i32, month as u8 + 1))
        })
    }

    /// The first surface a unit states (`1 841 m²`), not one dwelling's
    /// (`maisons de 90 m²`, `par logement`).
    fn surface(&self, range: std::ops::Range<usize>, figures: &mut Vec<Figure>) -> Option<u64> {
        let words = self.words;
        (range.start..range.end.saturating_sub(1)).find_map(|i| {
            let unit = words[i + 1].folded.as_str();
            let square = matches!(unit, "m2" | "m²")
                || unit == "metres" && words.get(i + 2).is_some_and(|w| w.folded == "carres");
            let value = numbers::integer(&words[i]).filter(|_| square)?;
            let per_dwelling = i.checked_sub(1).is_some_and(|k| {
                words[k].folded == "de"
                    && k.checked_sub(1).is_some_and(|d| {
                        let w = words[d].folded.as_bytes();
                        DWELLINGS.contains(&words[d].folded.as_str())
                            || (w.len() == 2 && w[0] == b't' && w[1].is_ascii_digit())
                    })
            }) || words.get(i + 2).is_some_and(|w| {
                w.folded == "par" || w.folded == "chacun" || w.folded == "chacune"
            });
            if per_dwelling {
                return None;
            }
            figures.push(self.figure(i..i + 2));
            Some(value)
        })
    }

    /// The first amount in euros a unit states, not a per-dwelling one nor
    /// one in a sentence of targets or envelopes.
    fn cost(&self, range: std::ops::Range<usize>, figures: &mut Vec<Figure>) -> Option<u64> {
        let words = self.words;
        (range.start..range.end).find_map(|i| {
            let (value, len) = numbers::euros_at(words, i)?;
            // `69 000 euros par logement`, `… le logement`.
            let per_dwelling = words.get(i + len).is_some_and(|w| {
                (w.folded == "par" || w.folded == "le")
                    && !sentence_break(self.text, words, i + len)
            });
            // `4,5 millions d'euros de subventions`, `une enveloppe de…`.
            let grant = |w: &Word| {
                matches!(
                    w.folded.as_str(),
                    "subvention" | "subventions" | "enveloppe" | "convention" | "aide" | "aides"
                )
            };
            let grants = words[i.saturating_sub(5).max(range.start)..i]
                .iter()
                .any(grant)
                || words[i + len..(i + len + 3).min(words.len())]
                    .iter()
                    .any(grant);
            if per_dwelling || grants {
                return None;
            }
            figures.push(self.figure(i..i + len));
            Some(value)
        })
    }

    /// A site named in a unit: a street, quartier or résidence, up to the
    /// end of its name; the one in the sentence stating the dwellings
    /// first.
    fn site(&self, range: std::ops::Range<usize>, anchor: usize) -> Option<String> {
        let words = self.words;
        let capital = |k: usize| {
            self.text[words[k].from..words[k].to]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        let link = |k: usize| SITE_LINKS.contains(&words[k].folded.as_str());
        let is_site = |i: &usize| {
            let i = *i;
            SITE_WORDS.contains(&words[i].folded.as_str())
                && i + 1 < range.end
                && (capital(i + 1) || link(i + 1))
        };
        let street = |i: &usize| {
            SITE_WORDS[..STREET_WORDS].contains(&words[*i].folded.as_str()) && is_site(i)
        };
        let sentence = self.sentences[anchor].clone();
        let in_sentence = sentence.start.max(range.start)..sentence.end.min(range.end);
        let i = in_sentence
            .clone()
            .find(street)
            .or_else(|| range.clone().find(street))
            .or_else(|| in_sentence.clone().find(is_site))
            .or_else(|| range.clone().find(is_site))?;
        let mut end = i + 1;
        while end < range.end && end < i + 7 && !sentence_break(self.text, words, end) {
            let gap = &self.text[words[end - 1].to..words[end].from];
            let digit = words[end].folded.starts_with(|c: char| c.is_ascii_digit());
            if gap.contains([',', '(', ':', ';', '–', '—']) || !(capital(end) || link(end) || digit)
            {
                break;
            }
            end += 1;
        }
        while end > i + 1 && link(end - 1) {
            end -= 1;
        }
        if end == i + 1 {
            return None;
        }
        let text = &self.text[words[i].from..words[end - 1].to];
        Some(
            text.trim_matches(|c: char| "«»\"“” ".contains(c))
                .to_string(),
        )
    }

    /// The figure of a word range: its passage, and its byte range there.
    fn figure(&self, range: std::ops::Range<usize>) -> Figure {
        let start = self.words[range.start].from;
        let end = self.words[range.end.max(range.start + 1) - 1].to;
        let i = self
            .passages
            .partition_point(|p| p.end <= start)
            .min(self.passages.len() - 1);
        let passage = &self.passages[i];
        Figure {
            passage: passage.ordinal,
            start: start.saturating_sub(passage.start),
            end: end.min(passage.end).saturating_sub(passage.start),
        }
    }
}

/// Whether a new sentence or line starts at word `i` (`i` > 0).
fn sentence_break(text: &str, words: &[Word], i: usize) -> bool {
    let gap = &text[words[i - 1].to..words[i].from];
    gap.contains('\n')
        || gap.contains(". ")
        || gap.contains(".\u{a0}")
        || gap.contains("; ")
        || gap.trim_end().ends_with('.')
}

/// Whether a passage starts with a word of three letters or more in
/// capitals (`BEAUVAIS Rue des Jacobins`, `SAINT-OMER Rue de Dunkerque`).
fn starts_with_capitals(text: &str) -> bool {
    let first: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
        .collect();
    first.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && first.chars().all(|c| !c.is_lowercase())
}

/// Whether a folded word matches one of `cues` (`rehabilit*` is a prefix).
fn cue_matches(cues: &[&str], word: &str) -> bool {
    cues.iter().any(|cue| match cue.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == *cue,
    })
}

#[cfg(test)]
mod tests;
