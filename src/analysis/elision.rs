//! Step 3 of the analysis: elisions. French glues articles and pronouns to
//! the next word with an apostrophe (`l'entreprise`, `qu’il`); the elided
//! part is not a word of its own and is dropped, so that `l'accession` and
//! `accession` give the same term. An apostrophe that does not follow an
//! elided form stays in the word (`aujourd’hui`).

use super::fold::fold;

/// Elided articles and pronouns, folded, removed before a word.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The apostrophes French text uses, typed or typographic.
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// The length in bytes of an elided form and its apostrophe at the start of
/// `piece` (`l'` in `l'Oise`), or 0 when the piece starts with none.
#[inline]
pub(crate) fn elided_prefix(piece: &str) -> usize {
    let Some((i, c)) = piece.char_indices().find(|&(_, c)| is_apostrophe(c)) else {
        return 0;
    };
    let rest = &piece[i + c.len_utf8()..];
    if ELISIONS.contains(&fold(&piece[..i]).as_str()) && rest.starts_with(char::is_alphanumeric) {
        i + c.len_utf8()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without_elision(piece: &str) -> &str {
        &piece[elided_prefix(piece)..]
    }

    #[test]
    fn elisions_with_every_apostrophe() {
        for elided in [
            "l'entreprise",
            "l’entreprise",
            "d'entreprise",
            "qu’entreprise",
            "jusqu'entreprise",
            "lorsqu’entreprise",
            "puisqu'entreprise",
            "quoiqu’entreprise",
            "Lʼentreprise",
        ] {
            assert_eq!(without_elision(elided), "entreprise", "{elided}");
        }
        assert_eq!(without_elision("L’ENTREPRISE"), "ENTREPRISE");
        for (piece, word) in [
            ("j'habite", "habite"),
            ("m’aide", "aide"),
            ("n'est", "est"),
            ("s’engage", "engage"),
            ("t'as", "as"),
            ("c’est", "est"),
            ("qu’il", "il"),
        ] {
            assert_eq!(without_elision(piece), word, "{piece}");
        }
    }

    #[test]
    fn apostrophes_that_are_not_elisions_stay_in_the_word() {
        assert_eq!(without_elision("aujourd’hui"), "aujourd’hui");
        assert_eq!(without_elision("l'"), "l'");
        assert_eq!(without_elision("entreprise"), "entreprise");
    }
}
