//! Capitals: THE rules of what is written in capitals, for the analyzer,
//! the query, the gazetteers' capitals-only aliases (`=PLUS`), highlighting
//! and extraction alike.
//!
//! - A word is *in capitals* when it has at least two letters or digits, at
//!   least one upper-case letter and no lower-case one (`PSLA`, `3F`,
//!   `CO2`, `COMPIÈGNE`). Such a word also gets an acronym term, its folded
//!   form in upper case (`PLUS`), never stemmed: it tells the loan PLUS from
//!   the everyday word *plus*.
//! - Typed in a query, a word in capitals is an *acronym* when it is short
//!   (at most [`MAX_ACRONYM_CHARS`]): `PLUS` asks for the loan, `COMPIÈGNE`
//!   is a word shouted.
//! - A dotted acronym (`A.I.A`, `S.A.R.L`) loses its dots.
//! - A name is *capitalised* when it starts with an upper-case letter (a
//!   word inside a name may also start with a figure, `Immobilière 3F`); a
//!   line is *shouted* when it has no lower-case letter at all (a heading
//!   in capitals is no evidence of a proper noun).

/// Longest query word in capitals taken for an acronym (NPNRU, ORCOD, LLTS).
pub const MAX_ACRONYM_CHARS: usize = 6;

/// Whether `word`, as written, is in capitals: at least two letters or
/// digits, at least one upper-case letter and no lower-case one.
#[inline]
pub fn is_in_capitals(word: &str) -> bool {
    let mut alphanumeric = 0;
    let mut upper = false;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        upper |= c.is_uppercase();
        if c.is_alphanumeric() {
            alphanumeric += 1;
        }
    }
    upper && alphanumeric >= 2
}

/// The acronym term of a word in capitals: its folded form in upper case.
/// It never collides with an ordinary term, which is always lower case.
#[inline]
pub fn acronym_term(folded: &str) -> String {
    folded.to_uppercase()
}

/// Whether a query word, folded, in capitals as typed, is short enough to
/// be an acronym.
pub fn is_acronym_length(folded: &str) -> bool {
    folded.chars().count() <= MAX_ACRONYM_CHARS
}

/// `A.I.A`, `S.A.R.L`: single letters separated by dots.
#[inline]
pub(crate) fn is_dotted_acronym(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// Whether `text` starts with an upper-case letter, as a proper noun does.
#[inline]
pub fn is_capitalised(text: &str) -> bool {
    text.starts_with(char::is_uppercase)
}

/// Whether `text` starts as a word of a name may: capitalised, or a figure
/// (`Immobilière 3F`, `Habitat 62/59`).
#[inline]
pub fn starts_name_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// Whether a line is written all in capitals (no lower-case letter): a
/// heading shouted, where a capital is no evidence of a name.
pub fn is_shouted(line: &str) -> bool {
    !line.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_in_capitals() {
        for word in ["PSLA", "3F", "CO2", "COMPIÈGNE", "L’USH", "A.I.A"] {
            assert!(is_in_capitals(word), "{word}");
        }
        for word in ["Plus", "A", "3", "plus", "PLAi", "—"] {
            assert!(!is_in_capitals(word), "{word}");
        }
    }

    #[test]
    fn acronyms() {
        assert_eq!(acronym_term("plus"), "PLUS");
        assert!(is_acronym_length("npnru") && !is_acronym_length("compiegne"));
        assert!(is_dotted_acronym("A.I.A") && is_dotted_acronym("s.a.r.l"));
        assert!(!is_dotted_acronym("3.5") && !is_dotted_acronym("AB.C"));
    }

    #[test]
    fn capitalised_names_and_shouted_lines() {
        assert!(is_capitalised("Évry") && !is_capitalised("évry") && !is_capitalised("3F"));
        assert!(starts_name_word("3F") && starts_name_word("Évry") && !starts_name_word("de"));
        assert!(is_shouted("UNE REDYNAMISATION EN MARCHÉ !"));
        assert!(!is_shouted("Une redynamisation"));
    }
}
