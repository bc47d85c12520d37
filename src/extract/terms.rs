//! Named terms from a data file, each with aliases: housing products
//! (`data/products.tsv`) and programmes (`data/programmes.tsv`).
//!
//! Aliases match on folded words with plurals folded (a final `s` or `x`
//! dropped), so case, accents and plurals do not matter (`prêts locatifs
//! aidés d'intégration` → PLAI). Not on Snowball stems, which confuse
//! `Logement d'abord` with `logement abordable`. An alias written
//! `=PLUS` in the file only matches when written in capitals: the loan PLUS,
//! not the word *plus*. An alias written `^Cœur de Ville` only matches with
//! the capitals it has in the file, each capitalised word capitalised in
//! the text: the programme `Cœur de Ville`, not the town centre of `le
//! cœur de ville de Lens`.

use crate::analysis::capitals::starts_name_word;
use crate::analysis::{Analyzer, Word};
use crate::data;
use crate::extract::phrases::PhraseIndex;
use crate::facets::Term;

/// How an alias must be written to match.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Case {
    /// In any case.
    Any,
    /// In capitals (`=PLUS`).
    Capitals,
    /// With its capitals as in the data (`^Cœur de Ville`): for each word,
    /// whether it must start with a capital.
    AsWritten(Vec<bool>),
}

impl Case {
    /// Whether `words`, written in `text`, are written as the alias asks.
    fn allows(&self, text: &str, words: &[Word]) -> bool {
        match self {
            Case::Any => true,
            Case::Capitals => words.iter().all(|w| w.acronym),
            Case::AsWritten(capitals) => words
                .iter()
                .zip(capitals)
                .all(|(w, &capital)| !capital || starts_name_word(&text[w.from..w.to])),
        }
    }
}

/// A list of terms and their aliases.
pub struct Terms {
    names: Vec<String>,
    /// The kind of each term, when the file has a kind column.
    kinds: Vec<String>,
    /// The département code of each term's seat, when the file has a
    /// column for it (organisations); empty when unknown.
    seats: Vec<String>,
    /// Matches must start with a capital as written (proper nouns).
    proper: bool,
    /// Alias words → (term, how the alias must be written).
    aliases: PhraseIndex<Vec<(usize, Case)>>,
    /// Each term's aliases as written, with their capitals-only flag.
    alias_texts: Vec<Vec<(String, bool)>>,
}

impl Terms {
    /// Parses `name<TAB>alias | alias | =ACRONYM | ^Proper Name` lines; `#`
    /// starts a comment.
    pub fn parse(analyzer: &Analyzer, data: &str) -> Terms {
        let mut terms = Terms::empty(false);
        terms.add(analyzer, data);
        terms
    }

    /// An empty list; `proper` asks matches to start with a capital.
    pub fn empty(proper: bool) -> Terms {
        Terms {
            names: Vec::new(),
            kinds: Vec::new(),
            seats: Vec::new(),
            proper,
            aliases: PhraseIndex::default(),
            alias_texts: Vec::new(),
        }
    }

    /// Adds the terms of a file: `name<TAB>aliases`,
    /// `name<TAB>kind<TAB>aliases` or `name<TAB>kind<TAB>seat<TAB>aliases`
    /// lines (the seat a département code, maybe empty), so that files
    /// written before the seat column still read. A name already there
    /// gains the new aliases, and a seat if it had none.
    pub fn add(&mut self, analyzer: &Analyzer, text: &str) {
        for columns in data::rows(text) {
            let (name, kind, seat, aliases) = match columns.as_slice() {
                [name] => (*name, "", "", *name),
                [name, aliases] => (*name, "", "", *aliases),
                [name, kind, aliases] => (*name, *kind, "", *aliases),
                [name, kind, seat, aliases, ..] => (*name, *kind, *seat, *aliases),
                [] => continue,
            };
            let name = name.trim();
            let index = match self.names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    self.names.push(name.to_string());
                    self.kinds.push(kind.trim().to_string());
                    self.seats.push(String::new());
                    self.alias_texts.push(Vec::new());
                    self.names.len() - 1
                }
            };
            if self.seats[index].is_empty() {
                self.seats[index] = seat.trim().to_string();
            }
            for alias in aliases.split('|') {
                let alias = alias.trim();
                let (alias, capitals) = match alias.strip_prefix('=') {
                    Some(a) => (a, true),
                    None => (alias, false),
                };
                let (alias, as_written) = match alias.strip_prefix('^') {
                    Some(a) => (a, true),
                    None => (alias, false),
                };
                let words = analyzer.words(alias);
                let case = if capitals {
                    Case::Capitals
                } else if as_written {
                    Case::AsWritten(
                        words
                            .iter()
                            .map(|w| starts_name_word(&alias[w.from..w.to]))
                            .collect(),
                    )
                } else {
                    Case::Any
                };
                let Some(entry) = self.aliases.entry(&keys(&words)) else {
                    continue;
                };
                match entry.iter_mut().find(|(i, _)| *i == index) {
                    // Written two ways, the laxer one counts.
                    Some((_, old)) if case == Case::Any => *old = Case::Any,
                    Some(_) => {}
                    None => entry.push((index, case)),
                }
                let texts = &mut self.alias_texts[index];
                if !texts.iter().any(|(t, _)| t == alias) {
                    texts.push((alias.to_string(), capitals));
                }
            }
        }
    }

    /// Term `index` as a facet value: its canonical name and kind (`OPH`,
    /// `ESH`...; empty when the file has no kind column).
    pub fn term(&self, index: usize) -> Term {
        Term {
            name: self.names[index].clone(),
            kind: self.kinds[index].clone(),
        }
    }

    /// The département code of the seat of term `index`; empty when the
    /// data does not give it.
    pub fn seat(&self, index: usize) -> &str {
        &self.seats[index]
    }

    /// The canonical name of term `index`.
    pub fn name(&self, index: usize) -> &str {
        &self.names[index]
    }

    /// The aliases of term `index` as written in the data, each with
    /// whether it only counts in capitals.
    pub fn aliases(&self, index: usize) -> &[(String, bool)] {
        &self.alias_texts[index]
    }

    /// Every alias as written in the data, of every term.
    pub fn all_aliases(&self) -> impl Iterator<Item = &str> {
        self.alias_texts
            .iter()
            .flatten()
            .map(|(alias, _)| alias.as_str())
    }

    /// The terms one of whose aliases is exactly `words` (all of them), in
    /// file order; a capitals-only alias needs `words` in capitals. A name
    /// looked up (a filter value, a query) is typed, not written in prose:
    /// an alias with its capitals as written matches whatever its case.
    pub fn lookup(&self, words: &[Word]) -> Vec<usize> {
        let capitals = words.iter().all(|w| w.acronym);
        self.aliases
            .get(&keys(words))
            .map(|targets| {
                targets
                    .iter()
                    .filter(|(_, case)| *case != Case::Capitals || capitals)
                    .map(|&(term, _)| term)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The term `name` is an alias of, as the data names it (`psla` →
    /// `PSLA`, `CDC Habitat social` → `CDC Habitat`), if any.
    pub fn canonical(&self, analyzer: &Analyzer, name: &str) -> Option<Term> {
        let first = *self.lookup(&analyzer.words(name)).first()?;
        Some(self.term(first))
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The terms named in a text, given its words: byte ranges and term
    /// indexes, longest alias first at each word.
    pub fn find(&self, text: &str, words: &[Word]) -> Vec<(usize, usize, usize)> {
        self.find_keyed(text, words, &keys(words))
    }

    /// [`Terms::find`] with the words' [`keys`] computed once by the caller.
    pub fn find_keyed(
        &self,
        text: &str,
        words: &[Word],
        keys: &[&str],
    ) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut buffer = String::new();
        let mut i = 0;
        while i < keys.len() {
            let proper_ok = !self.proper || starts_name_word(&text[words[i].from..]);
            let hit = proper_ok
                .then(|| {
                    self.aliases
                        .matches_at(keys, i, &mut buffer)
                        .find_map(|(len, targets)| {
                            let written = &words[i..i + len];
                            let term = targets
                                .iter()
                                .find(|(_, case)| case.allows(text, written))?
                                .0;
                            Some((len, term))
                        })
                })
                .flatten();
            match hit {
                Some((len, term)) => {
                    found.push((words[i].from, words[i + len - 1].to, term));
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// Longest word in capitals kept whole by [`keys`]: `PLUS`, `OPHS` are
/// acronyms; `PARIS`, `PRÊTS` in a heading are words shouted.
const SHORT_ACRONYM: usize = 4;

/// Match keys of words: folded, without a plural `s` or `x`, except in an
/// acronym of up to four letters: `PLUS` is an acronym of its
/// own, not the plural of `PLU` (while `PARIS` in a heading is Paris).
pub fn keys(words: &[Word]) -> Vec<&str> {
    words
        .iter()
        .map(|w| {
            let f = w.folded.as_str();
            if w.acronym && f.len() <= SHORT_ACRONYM {
                return f;
            }
            match f.strip_suffix(['s', 'x']) {
                Some(singular) if singular.chars().count() >= 3 => singular,
                _ => f,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(data: &str, text: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        let terms = Terms::parse(&analyzer, data);
        terms
            .find(text, &analyzer.words(text))
            .into_iter()
            .map(|(s, e, t)| format!("{}={}", &text[s..e], terms.name(t)))
            .collect()
    }

    const PRODUCTS: &str = include_str!("../../data/products.tsv");
    const PROGRAMMES: &str = include_str!("../../data/programmes.tsv");

    #[test]
    fn terms_keep_their_kind() {
        let analyzer = Analyzer::default();
        let terms = Terms::parse(
            &analyzer,
            "Office Picard\tOPH\tOffice Picard | OPIC\nPSLA\tPSLA",
        );
        let found = terms.lookup(&analyzer.words("OPIC"));
        assert_eq!(terms.term(found[0]).kind, "OPH");
        assert_eq!(
            terms.term(terms.lookup(&analyzer.words("psla"))[0]).kind,
            ""
        );
    }

    #[test]
    fn seats_in_a_fourth_column_and_files_without_them() {
        let analyzer = Analyzer::default();
        let mut terms = Terms::parse(
            &analyzer,
            "Toits du Berry\tOPH\t18\tToits du Berry | TDB\nLogis Vert\tESH\t\tLogis Vert",
        );
        terms.add(&analyzer, "Office Picard\tOPH\tOffice Picard | OPIC");
        let at = |name: &str| terms.lookup(&analyzer.words(name))[0];
        assert_eq!(terms.seat(at("TDB")), "18");
        assert_eq!(terms.term(at("TDB")).kind, "OPH");
        assert_eq!(terms.seat(at("Logis Vert")), "");
        // The older three columns: kind and aliases, no seat.
        assert_eq!(terms.term(at("OPIC")).name, "Office Picard");
        assert_eq!(terms.seat(at("OPIC")), "");
    }

    #[test]
    fn acronyms_and_spelled_out_forms() {
        assert_eq!(
            names(PRODUCTS, "16 PSLA et 6 PLS"),
            ["PSLA=PSLA", "PLS=PLS"]
        );
        assert_eq!(
            names(PRODUCTS, "un prêt social location-accession"),
            ["prêt social location-accession=PSLA"]
        );
        assert_eq!(
            names(PRODUCTS, "des prêts locatifs aidés d'intégration"),
            ["prêts locatifs aidés d'intégration=PLAI"]
        );
        assert_eq!(
            names(PRODUCTS, "en bail réel solidaire"),
            ["bail réel solidaire=BRS"]
        );
        assert_eq!(names(PRODUCTS, "45 PLAi"), ["PLAi=PLAI"]);
    }

    #[test]
    fn capitals_only_acronyms_ignore_everyday_words() {
        assert_eq!(names(PRODUCTS, "11 PLUS"), ["PLUS=PLUS"]);
        assert!(names(PRODUCTS, "plus de logements, pas de PLUs").is_empty());
    }

    #[test]
    fn plurals_but_not_stems() {
        assert_eq!(
            names(PROGRAMMES, "des quartiers prioritaires"),
            ["quartiers prioritaires=QPV"]
        );
        assert!(names(PROGRAMMES, "un logement abordable").is_empty());
        assert_eq!(
            names(PROGRAMMES, "le plan Logement d’abord"),
            ["plan Logement d’abord=Logement d'abord"]
        );
    }

    #[test]
    fn programmes() {
        assert_eq!(
            names(
                PROGRAMMES,
                "le plan national \"Action Cœur de Ville\" (ACV)"
            ),
            [
                "Action Cœur de Ville=Action Cœur de Ville",
                "ACV=Action Cœur de Ville"
            ]
        );
        assert_eq!(
            names(
                PROGRAMMES,
                "le Nouveau programme national de renouvellement urbain (NPNRU)"
            ),
            [
                "Nouveau programme national de renouvellement urbain=NPNRU",
                "NPNRU=NPNRU"
            ]
        );
        assert_eq!(
            names(
                PROGRAMMES,
                "l’Engagement pour le renouveau du bassin minier"
            ),
            ["Engagement pour le renouveau du bassin minier=ERBM"]
        );
        assert_eq!(names(PROGRAMMES, "une OPAH-RU"), ["OPAH-RU=OPAH"]);
        assert_eq!(
            names(
                PROGRAMMES,
                "le nouveau programme de renouvellement urbain du quartier"
            ),
            ["nouveau programme de renouvellement urbain=NPNRU"]
        );
    }

    #[test]
    fn aliases_with_their_capitals_as_written() {
        // The programme, capitalised or named as an operation or a plan.
        assert_eq!(
            names(PROGRAMMES, "la convention Cœur de Ville signée"),
            ["Cœur de Ville=Action Cœur de Ville"]
        );
        assert_eq!(
            names(PROGRAMMES, "les opérations cœur de ville avancent"),
            ["opérations cœur de ville=Action Cœur de Ville"]
        );
        assert_eq!(
            names(PROGRAMMES, "au titre du plan Cœur de ville"),
            ["plan Cœur de ville=Action Cœur de Ville"]
        );
        // A town centre is no programme, in lower case or at the start
        // of a sentence.
        assert!(names(PROGRAMMES, "le cœur de ville de Berville revit").is_empty());
        assert!(names(PROGRAMMES, "Cœur de ville animé : la place rénovée").is_empty());
        let analyzer = Analyzer::default();
        let terms = Terms::parse(&analyzer, "Cœur de Ville\t^Cœur de Ville | CDV");
        // Typed as a filter or a query, the case does not matter.
        assert_eq!(terms.lookup(&analyzer.words("cœur de ville")), [0]);
        assert_eq!(terms.aliases(0)[0], ("Cœur de Ville".to_string(), false));
        // Written both ways, the laxer alias counts.
        let terms = Terms::parse(&analyzer, "Toit\t^Toit Vert | toit vert");
        let text = "un toit vert";
        assert_eq!(terms.find(text, &analyzer.words(text)).len(), 1);
    }
}
