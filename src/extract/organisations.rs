//! Organisations: from the gazetteer (`data/organisations.tsv`, extended by
//! users' files), and, for those it lacks, from the way articles introduce
//! them:
//! - names ending in `Habitat`, `Logement`, `Immobilier`, `Habitations`,
//!   `Logis`, `Résidences`, `Métropole` after capitalised words (`Flandre
//!   Opale Habitat`, `Rennes Métropole`);
//! - a name after a role: `le bailleur social X`, `l'office public de
//!   l'habitat X`, `l'OPH X`, `la coopérative X`, `l'aménageur X`,
//!   `l'entreprise X`, `la SEM X`, `la communauté d'agglomération X`;
//! - a name before an apposition: `X, filiale de Y`, `X, Entreprise sociale
//!   pour l'habitat`.

use crate::analysis::{Analyzer, Word};
use crate::extract::places::Places;
use crate::extract::terms::{self, Terms};

pub const ORGANISATIONS: &str = include_str!("../../data/organisations.tsv");

/// Last words that make a capitalised phrase an organisation.
const SUFFIXES: &[&str] = &[
    "habitat",
    "habitats",
    "logement",
    "logements",
    "immobilier",
    "immobiliere",
    "habitations",
    "habitation",
    "logis",
    "residences",
    "metropole",
    "agglo",
];
/// Roles that introduce an organisation's name (analysed words: elided
/// articles are gone, `l'habitat` is `habitat`).
const ROLES: &[&[&str]] = &[
    &["bailleur", "social"],
    &["bailleur"],
    &["office", "public", "de", "habitat"],
    &["oph"],
    &["esh"],
    &["entreprise", "sociale", "pour", "habitat"],
    &["cooperative", "hlm"],
    &["cooperative"],
    &["sem"],
    &["amenageur"],
    &["promoteur"],
    &["entreprise"],
    &["societe"],
    &["filiale"],
    &["groupe"],
    &["operateur"],
    &["association"],
    &["communaute", "agglomeration"],
    &["communaute", "de", "communes"],
    &["communaute", "urbaine"],
    &["agglomeration"],
];
/// Appositions after a name that make it an organisation (`X, filiale de`).
const APPOSITIONS: &[&[&str]] = &[
    &["filiale"],
    &["entreprise", "sociale", "pour", "habitat"],
    &["office", "public", "de", "habitat"],
    &["bailleur"],
    &["societe", "cooperative"],
    &["cooperative"],
    &["amenageur"],
];
/// Small words allowed inside a name between capitalised words.
const INNER: &[&str] = &["de", "du", "des", "d", "l", "la", "le", "en", "sur", "pour"];
/// Capitalised words that do not start a name.
const NOT_NAMES: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "ce", "cette", "ces", "son", "sa", "ses", "leur",
    "leurs", "notre", "nos", "il", "elle", "ils", "elles", "on", "nous", "en", "au", "aux", "a",
    "dans", "pour", "par", "avec", "sur", "de", "du", "et", "mais", "ou", "si", "tout", "tous",
];
/// Words that end the adjectives between a role and a name.
const DETERMINERS: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "ce", "cette", "ces", "son", "sa", "ses", "leur",
    "leurs", "notre", "nos", "il", "elle", "ils", "elles", "on", "nous", "qui", "que", "en", "a",
    "au", "aux", "dans", "sur", "pour", "par", "avec", "de", "du", "d",
];
/// Longest rule-found name, in words.
const MAX_NAME_WORDS: usize = 5;

/// An organisation named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    pub start: usize,
    pub end: usize,
    /// The canonical name, or the name as written when found by a rule.
    pub name: String,
}

/// The organisation finder.
pub struct Organisations {
    terms: Terms,
}

impl Organisations {
    /// The built-in gazetteer plus the given extra files' contents.
    pub fn new(analyzer: &Analyzer, extra: &[String]) -> Organisations {
        let mut terms = Terms::empty(true);
        terms.add(analyzer, ORGANISATIONS);
        for data in extra {
            terms.add(analyzer, data);
        }
        Organisations { terms }
    }

    /// Finds the organisations named in `text`, given its words.
    pub fn find(&self, text: &str, words: &[Word]) -> Vec<OrgMention> {
        self.find_keyed(text, words, &terms::keys(words))
    }

    /// [`Organisations::find`] with the words' [`terms::keys`] computed once.
    pub fn find_keyed(&self, text: &str, words: &[Word], keys: &[&str]) -> Vec<OrgMention> {
        let mut found: Vec<OrgMention> = self
            .terms
            .find_keyed(text, words, keys)
            .into_iter()
            .map(|(start, end, term)| OrgMention {
                start,
                end,
                name: self.terms.name(term).to_string(),
            })
            .collect();
        let known = found.clone();
        let overlaps = |s: usize, e: usize| known.iter().any(|m| s < m.end && m.start < e);
        let places = Places::get();
        for (first, last) in rule_names(text, words) {
            let (start, end) = (words[first].from, words[last].to);
            if overlaps(start, end)
                || found.iter().any(|m| m.start == start && m.end == end)
                || places.is_name(&words[first..=last])
            {
                continue;
            }
            found.push(OrgMention {
                start,
                end,
                name: text[start..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
        found.sort_by_key(|m| m.start);
        found
    }
}

fn capitalised(text: &str, word: &Word) -> bool {
    text[word.from..word.to].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// Whether only spaces, a hyphen, `&` or an elided `l'`/`d'` separate two
/// words.
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let gap = text[a.to..b.from].trim_end_matches(['\'', '’']);
    let gap = match gap.strip_suffix(['l', 'L', 'd', 'D']) {
        Some(rest) if gap.len() < text[a.to..b.from].len() => rest,
        _ => gap,
    };
    gap.chars()
        .all(|c| c.is_whitespace() || c == '&' || c == '-')
}

/// A name starting at `i`: capitalised words, with small words between
/// them, at most [`MAX_NAME_WORDS`]; returns its last word.
fn name_from(text: &str, words: &[Word], i: usize) -> Option<usize> {
    let first = words.get(i)?;
    let letter = text[first.from..].starts_with(char::is_uppercase);
    if !letter || NOT_NAMES.contains(&first.folded.as_str()) {
        return None;
    }
    let mut last = i;
    let mut j = i + 1;
    while j < words.len() && j - i < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j]) {
        if capitalised(text, &words[j]) {
            last = j;
        } else if !INNER.contains(&words[j].folded.as_str()) {
            break;
        }
        j += 1;
    }
    Some(last)
}

/// A name ending at `end`: capitalised words before it; returns its first.
fn name_before(text: &str, words: &[Word], end: usize) -> Option<usize> {
    if !text[words[end].from..].starts_with(char::is_uppercase) {
        return None;
    }
    let mut first = end;
    let mut j = end;
    while j > 0 && end - j + 1 < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j]) {
        j -= 1;
        if capitalised(text, &words[j]) {
            first = j;
        } else if !INNER.contains(&words[j].folded.as_str()) {
            break;
        }
    }
    // A name starts with a letter: `89 Logements` is a count.
    let starts_with_letter = text[words[first].from..].starts_with(char::is_alphabetic);
    (starts_with_letter && !NOT_NAMES.contains(&words[first].folded.as_str())).then_some(first)
}

fn starts_with(words: &[Word], i: usize, phrase: &[&str]) -> bool {
    words.len() >= i + phrase.len()
        && words[i..i + phrase.len()]
            .iter()
            .zip(phrase)
            .all(|(w, p)| w.folded == *p)
}

/// Names found by the rules, as (first word, last word).
fn rule_names(text: &str, words: &[Word]) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    for (i, word) in words.iter().enumerate() {
        // `Flandre Opale Habitat`, `Pas-de-Calais habitat`.
        if SUFFIXES.contains(&word.folded.as_str()) && i > 0 {
            let lowercase_habitat = word.folded == "habitat" && !capitalised(text, word);
            if (capitalised(text, word) || lowercase_habitat) && adjacent(text, &words[i - 1], word)
            {
                if let Some(first) = name_before(text, words, i - 1) {
                    names.push((first, i));
                }
            }
        }
        // `le bailleur social X`, `l'aménageur et développeur francilien X`.
        if let Some(role) = ROLES.iter().find(|r| starts_with(words, i, r)) {
            let mut j = i + role.len();
            let mut skipped = 0;
            // Adjectives may stand between (`social`, `et développeur
            // francilien`), not a verb and a determiner (`partagera son`).
            while j < words.len() && skipped < 3 && !capitalised(text, &words[j]) {
                if !adjacent(text, &words[j - 1], &words[j])
                    || DETERMINERS.contains(&words[j].folded.as_str())
                {
                    break;
                }
                j += 1;
                skipped += 1;
            }
            if j < words.len() && adjacent(text, &words[j - 1], &words[j]) {
                if let Some(last) = name_from(text, words, j) {
                    names.push((j, last));
                }
            }
        }
        // `X, filiale du groupe Y`, `X, Entreprise Sociale pour l'Habitat`.
        if i > 0
            && text[words[i - 1].to..word.from].trim() == ","
            && APPOSITIONS.iter().any(|a| starts_with(words, i, a))
        {
            if let Some(first) = name_before(text, words, i - 1) {
                names.push((first, i - 1));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        Organisations::new(&analyzer, &[])
            .find(text, &analyzer.words(text))
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn gazetteer_names_and_aliases() {
        assert_eq!(
            names("Le groupe Action Logement investit."),
            ["Action Logement"]
        );
        assert_eq!(
            names("L’Union sociale pour l’habitat (USH) alerte."),
            [
                "Union sociale pour l'habitat",
                "Union sociale pour l'habitat"
            ]
        );
        assert_eq!(
            names("Immobilière 3F et I3F"),
            ["Immobilière 3F", "Immobilière 3F"]
        );
        // Lower case is a phrase, not the organisation.
        assert!(names("le logement français se porte mal").is_empty());
    }

    #[test]
    fn names_ending_like_a_landlord() {
        assert_eq!(
            names("avec Roubaix Avenir Habitat et les locataires"),
            ["Roubaix Avenir Habitat"]
        );
        assert_eq!(names("Le Logement est cher."), Vec::<String>::new());
    }

    #[test]
    fn names_after_a_role_or_before_an_apposition() {
        assert_eq!(
            names("l’aménageur et développeur francilien Citéa Aménagement signe"),
            ["Citéa Aménagement"]
        );
        assert_eq!(
            names("le bailleur social Toits Solidaires livre"),
            ["Toits Solidaires"]
        );
        assert_eq!(
            names("Terranova, filiale du groupe Bâtir Ensemble, construit"),
            ["Terranova", "Bâtir Ensemble"]
        );
        assert_eq!(
            names("Logicoop, Entreprise Sociale pour l'Habitat, livre"),
            ["Logicoop"]
        );
    }

    #[test]
    fn rules_do_not_overreach() {
        assert!(names("chaque bailleur partagera son Plan Stratégique de Patrimoine").is_empty());
        assert_eq!(names("avec l'association A.I.A et le CUL."), ["A.I.A"]);
        assert!(names("Livraison de 89 Logements PLAI").is_empty());
        assert!(names("les filiales du groupe en région Hauts-de-France").is_empty());
        assert!(names("le bailleur de Compiègne").is_empty());
        assert_eq!(
            names("la communauté d'agglomération Grand Paris Sud"),
            ["Grand Paris Sud"]
        );
        assert_eq!(names("l'office de Rennes Métropole"), ["Rennes Métropole"]);
    }

    #[test]
    fn extra_files_extend_the_gazetteer() {
        let analyzer = Analyzer::default();
        let extra = vec!["Office Picard\tOPH\tOffice Picard | OPIC".to_string()];
        let orgs = Organisations::new(&analyzer, &extra);
        let text = "L'OPIC rénove.";
        let found: Vec<String> = orgs
            .find(text, &analyzer.words(text))
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(found, ["Office Picard"]);
    }
}
