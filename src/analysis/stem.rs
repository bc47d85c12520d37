//! Step 6 of the analysis: French Snowball stems (`rust-stemmers`), for the
//! stemmed text field and queries. The stemmer only ever sees folded words;
//! numbers are left as they are.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};

use super::numbers::is_number;
use super::Word;

/// The French Snowball stemmer. Cheap to clone.
#[derive(Clone)]
pub(crate) struct FrenchStemmer(Arc<Stemmer>);

impl Default for FrenchStemmer {
    fn default() -> Self {
        FrenchStemmer(Arc::new(Stemmer::create(Algorithm::French)))
    }
}

impl FrenchStemmer {
    /// The stemmed term of a word (`logements` → `log`); a number is its
    /// own term.
    pub(crate) fn stem(&self, word: &Word) -> String {
        if is_number(&word.folded) {
            return word.folded.clone();
        }
        self.0.stem(&word.folded).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Analyzer;

    fn stems(text: &str) -> Vec<String> {
        let analyzer = Analyzer::default();
        analyzer
            .words(text)
            .iter()
            .map(|w| analyzer.stem(w))
            .collect()
    }

    #[test]
    fn stemming_merges_inflections() {
        assert_eq!(stems("logements logement"), ["log", "log"]);
        let s = stems("étudiants étudiant étudiantes");
        assert_eq!(s[0], s[1]);
        assert_eq!(s[1], s[2]);
        let s = stems("réhabilitation réhabilitations");
        assert_eq!(s[0], s[1]);
    }

    #[test]
    fn numbers_are_not_stemmed() {
        assert_eq!(stems("1 841,5 40000"), ["1841,5", "40000"]);
    }

    #[test]
    fn accented_and_unaccented_spellings_give_the_same_stems() {
        let pairs = [
            ("réhabilités", "rehabilites"),
            ("créées", "creees"),
            ("étudiants", "etudiants"),
            ("Compiègne", "Compiegne"),
            ("accédant", "accedant"),
            ("maîtrise", "maitrise"),
            ("cœur", "coeur"),
            ("intérêts", "interets"),
            ("Département", "Departement"),
            ("sociétaux", "societaux"),
            ("bénéficier", "beneficier"),
            ("là", "la"),
            ("où", "ou"),
            ("Noël", "Noel"),
            ("aménagé", "amenage"),
            ("logé", "loge"),
            ("privilégiée", "privilegiee"),
            ("garçon", "garcon"),
            ("îlot", "ilot"),
            ("déjà", "deja"),
        ];
        for (accented, plain) in pairs {
            assert_eq!(stems(accented), stems(plain), "{accented}/{plain}");
        }
    }
}
