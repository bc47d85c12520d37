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

use rustc_hash::FxHashSet as HashSet;

use crate::analysis::capitals::{is_capitalised, starts_name_word};
use crate::analysis::{Analyzer, Word};
use crate::data::{self, DataFile, DataSet};
use crate::extract::places::Places;
use crate::extract::terms::{self, Terms};
use crate::facets::Term;

/// Longest rule-found name, in words.
const MAX_NAME_WORDS: usize = 5;

/// The words that decide whether capitalised words name an organisation
/// (`data/organisation-words.tsv`), as folded words.
struct OrganisationWords {
    /// Last words that make a capitalised phrase an organisation.
    suffixes: HashSet<String>,
    /// Roles that introduce a name, longer ones first.
    roles: Vec<Vec<String>>,
    /// Appositions after a name that make it an organisation.
    appositions: Vec<Vec<String>>,
    /// Small words allowed inside a name between capitalised words.
    inner: HashSet<String>,
    /// Capitalised words that do not start a name.
    not_names: HashSet<String>,
    /// Words that end the adjectives between a role and a name.
    determiners: HashSet<String>,
}

impl OrganisationWords {
    fn new(data: &DataSet) -> OrganisationWords {
        let text = data.text(DataFile::OrganisationWords);
        let phrases = |name: &str| data::word_list(text, name);
        let words =
            |name: &str| -> HashSet<String> { phrases(name).into_iter().flatten().collect() };
        OrganisationWords {
            suffixes: words("suffix"),
            roles: phrases("role"),
            appositions: phrases("apposition"),
            inner: words("inner"),
            not_names: words("not-a-name"),
            determiners: words("determiner"),
        }
    }
}

/// An organisation named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    /// Byte range in the text: start...
    pub start: usize,
    /// ...and end.
    pub end: usize,
    /// The canonical name and kind, or the name as written (of no known
    /// kind) when found by a rule.
    pub organisation: Term,
}

/// The organisation finder.
pub struct Organisations {
    terms: Terms,
    words: OrganisationWords,
}

impl Organisations {
    /// The gazetteer of `data` plus the given extra files' contents.
    pub fn new(analyzer: &Analyzer, data: &DataSet, extra: &[String]) -> Organisations {
        let mut terms = Terms::empty(true);
        terms.add(analyzer, data.text(DataFile::Organisations));
        for extra in extra {
            terms.add(analyzer, extra);
        }
        Organisations {
            terms,
            words: OrganisationWords::new(data),
        }
    }

    /// The organisation `name` names in the gazetteer, with its canonical
    /// name and kind, if any.
    pub fn canonical(&self, analyzer: &Analyzer, name: &str) -> Option<Term> {
        self.terms.canonical(analyzer, name)
    }

    /// Finds the organisations named in `text`, given its words; a name
    /// that is a place's is not an organisation found by a rule.
    pub fn find(&self, text: &str, words: &[Word], places: &Places) -> Vec<OrgMention> {
        self.find_keyed(text, words, &terms::keys(words), places)
    }

    /// [`Organisations::find`] with the words' [`terms::keys`] computed once.
    pub fn find_keyed(
        &self,
        text: &str,
        words: &[Word],
        keys: &[&str],
        places: &Places,
    ) -> Vec<OrgMention> {
        let mut found: Vec<OrgMention> = self
            .terms
            .find_keyed(text, words, keys)
            .into_iter()
            .map(|(start, end, term)| OrgMention {
                start,
                end,
                organisation: self.terms.term(term),
            })
            .collect();
        let known = found.clone();
        let overlaps = |s: usize, e: usize| known.iter().any(|m| s < m.end && m.start < e);
        for (first, last) in self.rule_names(text, words) {
            let (start, end) = (words[first].from, words[last].to);
            if overlaps(start, end)
                || found.iter().any(|m| m.start == start && m.end == end)
                || places.is_name(&words[first..=last])
            {
                continue;
            }
            let name = text[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            found.push(OrgMention {
                start,
                end,
                organisation: Term::named(&name),
            });
        }
        found.sort_by_key(|m| m.start);
        found
    }
}

/// A word that may be part of a name: capitalised, or a figure.
fn capitalised(text: &str, word: &Word) -> bool {
    starts_name_word(&text[word.from..word.to])
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

impl Organisations {
    /// A name starting at `i`: capitalised words, with small words between
    /// them, at most [`MAX_NAME_WORDS`]; returns its last word.
    fn name_from(&self, text: &str, words: &[Word], i: usize) -> Option<usize> {
        let first = words.get(i)?;
        if !is_capitalised(&text[first.from..]) || self.words.not_names.contains(&first.folded) {
            return None;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && j - i < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j])
        {
            if capitalised(text, &words[j]) {
                last = j;
            } else if !self.words.inner.contains(&words[j].folded) {
                break;
            }
            j += 1;
        }
        Some(last)
    }

    /// A name ending at `end`: capitalised words before it; returns its first.
    fn name_before(&self, text: &str, words: &[Word], end: usize) -> Option<usize> {
        if !is_capitalised(&text[words[end].from..]) {
            return None;
        }
        let mut first = end;
        let mut j = end;
        while j > 0 && end - j + 1 < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j]) {
            j -= 1;
            if capitalised(text, &words[j]) {
                first = j;
            } else if !self.words.inner.contains(&words[j].folded) {
                break;
            }
        }
        // A name starts with a letter: `89 Logements` is a count.
        let starts_with_letter = text[words[first].from..].starts_with(char::is_alphabetic);
        (starts_with_letter && !self.words.not_names.contains(&words[first].folded))
            .then_some(first)
    }

    /// Names found by the rules, as (first word, last word).
    fn rule_names(&self, text: &str, words: &[Word]) -> Vec<(usize, usize)> {
        let mut names = Vec::new();
        for (i, word) in words.iter().enumerate() {
            // `Flandre Opale Habitat`, `Pas-de-Calais habitat`.
            if self.words.suffixes.contains(&word.folded) && i > 0 {
                let lowercase_habitat = word.folded == "habitat" && !capitalised(text, word);
                if (capitalised(text, word) || lowercase_habitat)
                    && adjacent(text, &words[i - 1], word)
                {
                    if let Some(first) = self.name_before(text, words, i - 1) {
                        names.push((first, i));
                    }
                }
            }
            // `le bailleur social X`, `l'aménageur et développeur francilien X`.
            if let Some(role) = self.words.roles.iter().find(|r| starts_with(words, i, r)) {
                let mut j = i + role.len();
                let mut skipped = 0;
                // Adjectives may stand between (`social`, `et développeur
                // francilien`), not a verb and a determiner (`partagera son`).
                while j < words.len() && skipped < 3 && !capitalised(text, &words[j]) {
                    if !adjacent(text, &words[j - 1], &words[j])
                        || self.words.determiners.contains(&words[j].folded)
                    {
                        break;
                    }
                    j += 1;
                    skipped += 1;
                }
                if j < words.len() && adjacent(text, &words[j - 1], &words[j]) {
                    if let Some(last) = self.name_from(text, words, j) {
                        names.push((j, last));
                    }
                }
            }
            // `X, filiale du groupe Y`, `X, Entreprise Sociale pour l'Habitat`.
            if i > 0
                && text[words[i - 1].to..word.from].trim() == ","
                && self
                    .words
                    .appositions
                    .iter()
                    .any(|a| starts_with(words, i, a))
            {
                if let Some(first) = self.name_before(text, words, i - 1) {
                    names.push((first, i - 1));
                }
            }
        }
        names
    }
}

fn starts_with(words: &[Word], i: usize, phrase: &[String]) -> bool {
    words.len() >= i + phrase.len()
        && words[i..i + phrase.len()]
            .iter()
            .zip(phrase)
            .all(|(w, p)| w.folded == *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        Organisations::new(&analyzer, DataSet::built_in(), &[])
            .find(text, &analyzer.words(text), &Places::built_in())
            .into_iter()
            .map(|m| m.organisation.name)
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
        let orgs = Organisations::new(&analyzer, DataSet::built_in(), &extra);
        let text = "L'OPIC rénove.";
        let found: Vec<Term> = orgs
            .find(text, &analyzer.words(text), &Places::built_in())
            .into_iter()
            .map(|m| m.organisation)
            .collect();
        assert_eq!(
            found,
            [Term {
                name: "Office Picard".into(),
                kind: "OPH".into()
            }]
        );
    }
}
