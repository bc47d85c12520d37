//! Housing operations as data: what an article says is built, bought,
//! renovated, transformed or demolished, where, by whom, how many
//! dwellings of each product, and how far it has got.
//!
//! An article is read in *sections*: a passage that starts with a town
//! written in capitals (`COMPIÈGNE Quai des Roses`, the lists of operations
//! of a landlord's page) is a section of its own; other passages sharing a
//! heading form one section (a résidence presented over two paragraphs).
//! A section is an operation when it states dwellings (`30 logements`, `16
//! PSLA`, `trente maisons`) that are not a trap, and says what is done
//! (a kind or a milestone) or sits under a town heading.
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
//! counts of 2 000 dwellings or more outside a town heading, and a section
//! with no commune nor site.
//!
//! Nothing is invented: a figure the text does not state is `None`; a total
//! computed from the parts says so (`dwellings_derived`); products that do
//! not add up to the stated total are kept with it (`products_differ`).

mod numbers;

use serde::{Deserialize, Serialize};

use super::places::Place;
use super::terms;
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

    /// The folded words (or word prefixes, ending in `*`) that say it.
    fn cues(self) -> &'static [&'static str] {
        match self {
            Kind::ResidenceEtudiante => &["etudiant*", "universitaire*"],
            Kind::Demolition => &["demoli*", "deconstruction*"],
            Kind::Transformation => &[
                "transformation*",
                "transforme*",
                "reconversion*",
                "reconverti*",
                "converti*",
                "destination",
            ],
            Kind::AcquisitionAmelioration => &["acquisition"],
            Kind::Rehabilitation => &[
                "rehabilit*",
                "renovation*",
                "renove*",
                "requalification*",
                "requalifie*",
            ],
            Kind::Construction => &[
                "construction*",
                "construit*",
                "construire",
                "creation",
                "neuf",
                "neufs",
                "programme",
                "edification",
                "batir",
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
        Some(match w {
            _ if w.starts_with("livr") => MilestoneKind::Livraison,
            _ if w.starts_with("inaugur") => MilestoneKind::Inauguration,
            "pierre" if matches!(prev, Some("premiere" | "1ere")) => MilestoneKind::PremierePierre,
            _ if w.starts_with("demarr") || w == "chantier" && prev == Some("en") => {
                MilestoneKind::Demarrage
            }
            "debut" | "lancement" if next == Some("des") => MilestoneKind::Demarrage,
            _ if (w.starts_with("commence") || w.starts_with("debute"))
                && prev.is_some_and(|p| p == "ont" || p == "travaux") =>
            {
                MilestoneKind::Demarrage
            }
            "permis" if next == Some("de") => MilestoneKind::Permis,
            "signature" | "signe" | "signee" | "signes" | "signees" => MilestoneKind::Signature,
            "annonce" | "annoncee" | "annonces" | "prevoit" | "projette" => MilestoneKind::Annonce,
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

/// One housing operation an article describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Where: a town heading's commune, else the first the section names,
    /// else the article's only one.
    pub commune: Option<Commune>,
    /// The street, résidence or quartier, as written.
    pub site: Option<String>,
    /// The organisations of its passages, else those of the article.
    pub organisations: Vec<String>,
    /// What is done.
    pub kind: Kind,
    /// Dwellings in all, as stated (or derived, see below).
    pub dwellings: Option<u64>,
    /// The total is the sum of the parts, not a figure of the text.
    pub dwellings_derived: bool,
    /// Dwellings per product, in the order of the text: canonical names,
    /// or labels as written when the product file lacks them.
    pub by_product: Vec<(String, u64)>,
    /// The products do not add up to the stated total (both are kept).
    pub products_differ: bool,
    /// Floor area in m², the first stated.
    pub surface_m2: Option<u64>,
    /// The most advanced milestone stated.
    pub milestone: Option<Milestone>,
    /// Cost in euros, the first amount stated.
    pub cost_eur: Option<u64>,
    /// The passages it is read from, first the one stating its dwellings.
    pub passages: Vec<u32>,
    /// Where each figure stands.
    pub figures: Vec<Figure>,
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

/// Words before a count that make it a stock, a target or a total.
const TRAPS: &[&str] = &[
    "ses",
    "son",
    "sa",
    "leurs",
    "leur",
    "parc",
    "patrimoine",
    "objectif",
    "objectifs",
    "ici",
    "ambition",
    "gere",
    "compte",
    "loge",
    "totalise",
];

/// Words after a count's dwelling word that make it a yearly, national or
/// financing figure.
const TRAPS_AFTER: &[&str] = &[
    "par",
    "chaque",
    "france",
    "national",
    "nationale",
    "finances",
    "agrees",
];

/// Street and place words that start a site.
const SITE_WORDS: &[&str] = &[
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
    "quartier",
    "residence",
    "zac",
    "ilot",
    "square",
    "cite",
    "domaine",
    "parc",
    "hameau",
    "ecoquartier",
];

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

/// Counts of this size are a programme's or a territory's, not one
/// operation's, unless a town heading says otherwise.
const LARGEST_COUNT: u64 = 2000;

/// A dwelling count read in a section.
#[derive(Debug, Clone)]
struct Count {
    value: u64,
    /// Word range of the statement.
    words: std::ops::Range<usize>,
    /// The product it is of, if any.
    product: Option<String>,
    /// Whether a dwelling word says what is counted (`30 logements`).
    dwelling_word: bool,
    /// Whether it is a part of a total (`dont`, in brackets, after `:`).
    part: bool,
    /// Sentence number within the section.
    sentence: usize,
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
    ) -> Vec<Operation> {
        if !words.iter().enumerate().any(|(i, w)| {
            DWELLINGS.contains(&w.folded.as_str())
                && i > 0
                && numbers::count_at(words, i - 1).is_some()
        }) && !words.iter().any(|w| w.acronym)
        {
            return Vec::new();
        }
        let keys = terms::keys(words);
        let products = self.products.find_keyed(text, words, &keys);
        let places = self.places.find(text, words);
        let ranges = super::word_ranges(words, passages);
        let mut operations = Vec::new();
        for section in sections(text, passages) {
            let first = ranges[section.start].start;
            let last = ranges[section.end - 1].end;
            let reader = SectionReader {
                extractor: self,
                text,
                words: &words[..last],
                from: first,
                products: &products,
                passages,
                section: section.clone(),
            };
            if let Some(mut op) = reader.read(&places, about) {
                let ords: Vec<usize> = section.clone().collect();
                for &p in &ords {
                    for org in &facets[p].organisations {
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

/// The sections of an article, as ranges of passage indexes.
fn sections(text: &str, passages: &[Passage]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, passage) in passages.iter().enumerate() {
        let own = passage.text(text);
        // Under the same heading; or under none, adding no dwellings of its
        // own (`Les travaux ont commencé…` after the résidence's paragraph).
        let same_heading =
            passage.heading.is_some() && passage.heading == passages[i.saturating_sub(1)].heading;
        let follows = passage.heading.is_none() && !own.to_lowercase().contains("logement");
        let continues = i > 0
            && !starts_with_capitals(own)
            && (same_heading || follows)
            && !starts_with_capitals(passages[out.last().map_or(i, |r| r.start)].text(text));
        match out.last_mut() {
            Some(last) if continues => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Whether a passage starts with a word of three letters or more in
/// capitals (`COMPIÈGNE Quai des Roses`, `SAINT-QUENTIN Rue du Mail`).
fn starts_with_capitals(text: &str) -> bool {
    let first: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
        .collect();
    first.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && first.chars().all(|c| !c.is_lowercase())
}

struct SectionReader<'a> {
    extractor: &'a Extractor,
    text: &'a str,
    /// The article's words up to the section's end.
    words: &'a [Word],
    /// The section's first word.
    from: usize,
    products: &'a [(usize, usize, usize)],
    passages: &'a [Passage],
    section: std::ops::Range<usize>,
}

impl SectionReader<'_> {
    fn read(&self, places: &[super::places::PlaceMention], about: &Facets) -> Option<Operation> {
        let words = self.words;
        let start_byte = self.passages[self.section.start].start;
        let end_byte = self.passages[self.section.end - 1].end;
        let heading_line = {
            let t = &self.text[start_byte..end_byte];
            let trimmed = t.trim_start();
            let offset = start_byte + (t.len() - trimmed.len());
            let line_end = trimmed.find('\n').map_or(end_byte, |n| offset + n);
            starts_with_capitals(trimmed).then_some(offset..line_end)
        };
        // The commune of a town heading, else the first named in the section.
        let in_section =
            |m: &&super::places::PlaceMention| start_byte <= m.start && m.end <= end_byte;
        let commune_mention = places
            .iter()
            .filter(in_section)
            .find(|m| matches!(m.place, Place::Commune(_)));
        let heading_commune = heading_line
            .as_ref()
            .and_then(|line| commune_mention.filter(|m| m.start == line.start));
        let heading = heading_commune.is_some();
        let mut figures = Vec::new();
        let counts = self.counts(heading);
        let kept: Vec<&Count> = counts
            .iter()
            .filter(|c| heading || (c.value < LARGEST_COUNT && !self.trap(c)))
            .collect();
        if kept.is_empty() {
            return None;
        }
        let section_words = &words[self.from..];
        let kind = Kind::ALL
            .into_iter()
            .find(|k| {
                section_words
                    .iter()
                    .any(|w| cue_matches(k.cues(), &w.folded))
            })
            .unwrap_or(Kind::Other);
        let milestone = self.milestone(&mut figures);
        if !heading && kind == Kind::Other && milestone.is_none() {
            return None;
        }
        // Totals: the counts without product in the first sentence stating
        // dwellings, unless they are parts.
        let first_sentence = kept.iter().find(|c| c.dwelling_word).map(|c| c.sentence);
        let top: Vec<&&Count> = kept
            .iter()
            .filter(|c| Some(c.sentence) == first_sentence && !c.part && c.dwelling_word)
            .collect();
        let (mut dwellings, mut derived) = match top.as_slice() {
            [] => (None, false),
            [one] => (Some(one.value), false),
            many => (Some(many.iter().map(|c| c.value).sum()), true),
        };
        let mut by_product: Vec<(String, u64)> = Vec::new();
        for c in &kept {
            if let Some(product) = &c.product {
                match by_product.iter_mut().find(|(p, _)| p == product) {
                    Some((_, n)) if !c.dwelling_word || c.part => *n += c.value,
                    Some(_) => {}
                    None => by_product.push((product.clone(), c.value)),
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
            } else if let Some(c) = kept.first() {
                dwellings = Some(c.value);
                figures.push(self.figure(c.words.clone()));
            }
        }
        let products_differ = parts > 0 && dwellings.is_some_and(|d| d != parts) && !derived;
        let surface_m2 = self.surface(&mut figures);
        let cost_eur = self.cost(&mut figures);
        let commune_mention = heading_commune.or(commune_mention);
        let commune = match commune_mention.map(|m| &m.place) {
            Some(Place::Commune(c)) => {
                let entry = &self.extractor.places.communes[*c as usize];
                Some(self.extractor.places.commune_facet(entry))
            }
            _ if about.communes.len() == 1 => about.communes.first().cloned(),
            _ => None,
        };
        let site = match (&heading_line, heading_commune) {
            (Some(line), Some(m)) => {
                let rest = self.text[m.end..line.end]
                    .trim_matches(|c: char| c.is_whitespace() || "-–—:,".contains(c));
                (!rest.is_empty()).then(|| rest.to_string())
            }
            _ => self.site(top.first().map(|c| c.words.start)),
        };
        if commune.is_none() && site.is_none() {
            return None;
        }
        let mut passages: Vec<u32> = Vec::new();
        figures.sort_by_key(|f| (f.passage, f.start));
        figures.dedup();
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

    /// The dwelling counts of the section, in order.
    fn counts(&self, heading: bool) -> Vec<Count> {
        let words = self.words;
        let mut out = Vec::new();
        let mut sentence = 0;
        let mut part = false;
        let mut i = self.from;
        while i < words.len() {
            if i > self.from && self.sentence_break(i) {
                sentence += 1;
                part = false;
            }
            let w = words[i].folded.as_str();
            let gap = if i > 0 {
                &self.text[words[i - 1].to..words[i].from]
            } else {
                ""
            };
            if gap.contains(')') {
                part = false;
            }
            if w == "dont" || w == "soit" || gap.contains('(') {
                part = true;
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
            let dwelling_word = words
                .get(j)
                .is_some_and(|w| DWELLINGS.contains(&w.folded.as_str()));
            let written_out = !words[i]
                .folded
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.');
            if written_out && !dwelling_word {
                i += len;
                continue;
            }
            let after = if dwelling_word { j + 1 } else { i + len };
            // A product right after the count, or after its dwelling word and
            // a few qualifiers (`8 logements PLS`, `8 maisons … en
            // location-accession`).
            let reach = if dwelling_word { 5 } else { 1 };
            let product = self.product_near(after, reach, heading);
            let end = product.as_ref().map_or(after, |(_, end)| *end);
            if dwelling_word || product.is_some() {
                out.push(Count {
                    value,
                    words: i..end,
                    product: product.map(|(p, _)| p),
                    dwelling_word,
                    part,
                    sentence,
                });
            }
            i = end.max(i + 1);
        }
        out
    }

    /// Whether a new sentence or line starts at word `i`.
    fn sentence_break(&self, i: usize) -> bool {
        let gap = &self.text[self.words[i - 1].to..self.words[i].from];
        gap.contains('\n')
            || gap.contains(". ")
            || gap.contains(".\u{a0}")
            || gap.trim_end().ends_with('.')
    }

    /// A product named within `reach` words from `from` in the same
    /// sentence: the product file's, or a short label in capitals the file
    /// lacks (`10 LU`) where products are listed; with `et` another one
    /// (`64 PLAI et LU`, kept as written). Its name and the word after it.
    fn product_near(&self, from: usize, reach: usize, heading: bool) -> Option<(String, usize)> {
        let words = self.words;
        for k in from..(from + reach).min(words.len()) {
            if k > from && self.sentence_break(k) {
                return None;
            }
            let found = self.product_at(k, heading);
            if let Some((name, end)) = found {
                // `PLAI et LU`: two labels for one count, as written.
                if words.get(end).is_some_and(|w| w.folded == "et") {
                    if let Some((second, end2)) = self.product_at(end + 1, heading) {
                        return Some((format!("{name} et {second}"), end2));
                    }
                }
                return Some((name, end));
            }
            if k == from && words[k].folded == "en" {
                if let Some(w) = words.get(k + 1) {
                    if w.folded == "accession" {
                        return Some(("accession".to_string(), k + 2));
                    }
                }
            }
            // Only qualifiers may stand between (`collectifs`, `locatifs`).
            let w = words[k].folded.as_str();
            if w.bytes().any(|b| b.is_ascii_digit()) || DWELLINGS.contains(&w) {
                return None;
            }
        }
        None
    }

    /// The product whose name starts at word `k`: its name and the word
    /// after it.
    fn product_at(&self, k: usize, heading: bool) -> Option<(String, usize)> {
        let words = self.words;
        let word = words.get(k)?;
        if let Some(&(_, end, term)) = self.products.iter().find(|(s, _, _)| *s == word.from) {
            let next = words
                .iter()
                .position(|w| w.from >= end)
                .unwrap_or(words.len());
            return Some((self.extractor.products.term(term).name, next));
        }
        let raw = &self.text[word.from..word.to];
        let label = word.acronym
            && (2..=5).contains(&raw.chars().count())
            && raw.chars().all(|c| c.is_ascii_uppercase());
        let listed = heading
            || self
                .products
                .iter()
                .any(|(s, _, _)| (*s as isize - word.from as isize).abs() < 40);
        (label && listed).then(|| (raw.to_string(), k + 1))
    }

    /// Whether the words around a count make it a stock, a target or a
    /// yearly or national figure.
    fn trap(&self, count: &Count) -> bool {
        let words = self.words;
        let start = count.words.start;
        let before = (start.saturating_sub(6).max(self.from)..start)
            .rev()
            .take_while(|&k| !self.sentence_break(k + 1) || k + 1 == start)
            .any(|k| TRAPS.contains(&words[k].folded.as_str()));
        let after = (count.words.end..(count.words.end + 3).min(words.len()))
            .any(|k| TRAPS_AFTER.contains(&words[k].folded.as_str()));
        before || after
    }

    /// The most advanced milestone of the section, with the year (and
    /// month) of its clause.
    fn milestone(&self, figures: &mut Vec<Figure>) -> Option<Milestone> {
        let words = self.words;
        let mut best: Option<(Milestone, usize, usize)> = None;
        for i in self.from..words.len() {
            let Some(kind) = MilestoneKind::at(words, i) else {
                continue;
            };
            let mut year = None;
            let mut month = None;
            let mut end = i + 1;
            // The year of its clause: up to the sentence's end.
            for k in i + 1..(i + 25).min(words.len()) {
                if self.sentence_break(k)
                    && !self.text[words[k - 1].to..words[k].from].contains(':')
                {
                    // `Livraison : 2023` on one line; `Livraison :\n2023` too.
                    if k > i + 2 {
                        break;
                    }
                }
                let w = &words[k];
                if w.folded.len() == 4 {
                    if let Some(y) = numbers::integer(w).filter(|y| (1990..=2040).contains(y)) {
                        year = Some(y as i32);
                        month = k
                            .checked_sub(1)
                            .filter(|&m| m > i)
                            .and_then(|m| MONTHS.iter().position(|n| *n == words[m].folded))
                            .map(|m| m as u8 + 1);
                        end = k + 1;
                        break;
                    }
                }
            }
            let better = match &best {
                None => true,
                Some((b, _, _)) => {
                    kind > b.kind || (kind == b.kind && b.year.is_none() && year.is_some())
                }
            };
            if better {
                best = Some((Milestone { kind, year, month }, i, end));
            }
        }
        let (milestone, from, to) = best?;
        figures.push(self.figure(from..to));
        Some(milestone)
    }

    /// The first surface stated (`1 841 m²`).
    fn surface(&self, figures: &mut Vec<Figure>) -> Option<u64> {
        let words = self.words;
        (self.from..words.len().saturating_sub(1)).find_map(|i| {
            let unit = words[i + 1].folded.as_str();
            let square = matches!(unit, "m2" | "m²")
                || unit == "metres" && words.get(i + 2).is_some_and(|w| w.folded == "carres");
            let value = numbers::integer(&words[i]).filter(|_| square)?;
            figures.push(self.figure(i..i + 2));
            Some(value)
        })
    }

    /// The first amount in euros stated.
    fn cost(&self, figures: &mut Vec<Figure>) -> Option<u64> {
        let words = self.words;
        (self.from..words.len()).find_map(|i| {
            let (value, len) = numbers::euros_at(words, i)?;
            figures.push(self.figure(i..i + len));
            Some(value)
        })
    }

    /// A site named in the section: a street, quartier or résidence, up
    /// to the end of its clause.
    fn site(&self, near: Option<usize>) -> Option<String> {
        let words = self.words;
        // The sentence stating the dwellings first, then the whole section.
        let mut sentence = near.unwrap_or(self.from);
        while sentence > self.from && !self.sentence_break(sentence) {
            sentence -= 1;
        }
        let is_site = |i: &usize| {
            let i = *i;
            SITE_WORDS.contains(&words[i].folded.as_str())
                && words.get(i + 1).is_some_and(|w| {
                    let raw = &self.text[w.from..w.to];
                    raw.chars().next().is_some_and(|c| c.is_uppercase())
                        || matches!(w.folded.as_str(), "de" | "du" | "des" | "d" | "la" | "le")
                })
        };
        let i = (sentence..words.len())
            .find(is_site)
            .or_else(|| (self.from..words.len()).find(is_site))?;
        let mut end = i + 1;
        while end < words.len() && end < i + 6 && !self.sentence_break(end) {
            let gap = &self.text[words[end - 1].to..words[end].from];
            if gap.contains(',') || gap.contains('(') {
                break;
            }
            let raw = &self.text[words[end].from..words[end].to];
            let capital = raw.chars().next().is_some_and(|c| c.is_uppercase());
            let link = matches!(
                words[end].folded.as_str(),
                "de" | "du" | "des" | "d" | "la" | "le" | "l"
            );
            if !capital && !link {
                break;
            }
            end += 1;
        }
        while end > i + 1
            && matches!(
                words[end - 1].folded.as_str(),
                "de" | "du" | "des" | "d" | "la" | "le" | "l"
            )
        {
            end -= 1;
        }
        let text = &self.text[words[i].from..words[end - 1].to];
        let text = text.trim_matches(|c: char| "«»\"“” ".contains(c));
        (end > i + 1).then(|| text.to_string())
    }

    /// The figure of a word range.
    fn figure(&self, range: std::ops::Range<usize>) -> Figure {
        let start = self.words[range.start].from;
        let end = self.words[range.end.max(range.start + 1) - 1].to;
        let passage = self.passages[self.section.clone()]
            .iter()
            .find(|p| p.start <= start && start < p.end)
            .unwrap_or(&self.passages[self.section.start]);
        Figure {
            passage: passage.ordinal,
            start: start - passage.start,
            end: end.min(passage.end) - passage.start,
        }
    }
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
