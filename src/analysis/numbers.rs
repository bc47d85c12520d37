//! Step 2 of the analysis: French numbers. THE digit-group rule, used for
//! texts and for queries alike (the query lexer asks
//! [`crate::analysis::joined_across`], which runs this rule).
//!
//! French prints thousands with a space: `40 000`, `1 228`, `1 841,5`. A
//! number is a group of 1–3 digits followed by groups of exactly three
//! digits, each after exactly one plain, no-break or narrow no-break space;
//! the last group may carry decimals (`1 841,5`, `6 298.5`). Anything else
//! stays apart: `en 2020 100 logements` is a year and a count, `6 PLS 10 LU`
//! two counts, `40  000` (two spaces) two numbers.
//!
//! A joined number's term has no spaces (`40000`), so `40 000` and `40000`
//! find each other.

use super::segment::Ranges;

/// Joins the pieces that form one French number into one piece.
pub(crate) fn join_groups(text: &str, pieces: Ranges) -> Ranges {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let (from, mut to) = pieces[i];
        let mut j = i + 1;
        if is_head(&text[from..to]) {
            while let Some(&(next_from, next_to)) = pieces.get(j) {
                let group = &text[next_from..next_to];
                let Some(decimals) = thousands_group(group) else {
                    break;
                };
                if !is_group_separator(&text[to..next_from]) {
                    break;
                }
                to = next_to;
                j += 1;
                if decimals {
                    break; // decimals end the number
                }
            }
        }
        out.push((from, to));
        i = j;
    }
    out
}

/// The first group of a number: one to three digits.
#[inline]
fn is_head(piece: &str) -> bool {
    (1..=3).contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_digit())
}

/// What may stand between two groups: exactly one plain, no-break or
/// narrow no-break space.
fn is_group_separator(gap: &str) -> bool {
    matches!(gap, " " | "\u{00A0}" | "\u{202F}")
}

/// A following group: three digits, maybe with decimals (`841,5`).
/// `Some(true)` when it has decimals (the number ends there).
fn thousands_group(group: &str) -> Option<bool> {
    let bytes = group.as_bytes();
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    match &bytes[3..] {
        [] => Some(false),
        [b',' | b'.', rest @ ..] if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => {
            Some(true)
        }
        _ => None,
    }
}

/// Whether a folded word is a number (digits, possibly with `,` or `.`).
pub fn is_number(folded: &str) -> bool {
    folded.starts_with(|c: char| c.is_ascii_digit())
        && folded
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// A folded piece starting with a digit loses the group spaces of a
/// joined number (`40 000` → `40000`); returns whether it is such a piece.
#[inline]
pub(crate) fn compact(folded: &mut String) -> bool {
    let number = folded.starts_with(|c: char| c.is_ascii_digit());
    if number && folded.contains(char::is_whitespace) {
        folded.retain(|c| !c.is_whitespace());
    }
    number
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::segment::pieces;

    fn joined(text: &str) -> Vec<&str> {
        join_groups(text, pieces(text))
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn digit_groups_join_with_all_three_spaces() {
        for space in [" ", "\u{00A0}", "\u{202F}"] {
            let text = format!("40{space}000 logements");
            assert_eq!(
                joined(&text),
                [format!("40{space}000").as_str(), "logements"]
            );
        }
        assert_eq!(joined("1 250 000 euros"), ["1 250 000", "euros"]);
        assert_eq!(joined("1 841,5 m²"), ["1 841,5", "m", "²"]);
        assert_eq!(joined("6 298.5"), ["6 298.5"]);
    }

    #[test]
    fn decimals_end_a_number() {
        assert_eq!(joined("1 841,5 000"), ["1 841,5", "000"]);
    }

    #[test]
    fn numbers_that_are_not_digit_groups_stay_apart() {
        assert_eq!(
            joined("en 2020 100 logements"),
            ["en", "2020", "100", "logements"]
        );
        assert_eq!(
            joined("6 PLS 10 LU 16 PSLA"),
            ["6", "PLS", "10", "LU", "16", "PSLA"]
        );
        assert_eq!(joined("les 34 1234"), ["les", "34", "1234"]);
        assert_eq!(joined("40  000"), ["40", "000"]);
        assert_eq!(joined("144,7 millions"), ["144,7", "millions"]);
        assert_eq!(joined("12 000a"), ["12", "000a"]);
    }

    #[test]
    fn numbers_and_compact_forms() {
        assert!(is_number("40000") && is_number("1841,5") && is_number("3.5"));
        assert!(!is_number("3f") && !is_number(",5") && !is_number("co2"));
        let mut folded = "1\u{202F}841,5".to_string();
        assert!(compact(&mut folded));
        assert_eq!(folded, "1841,5");
        let mut word = "a b".to_string();
        assert!(!compact(&mut word));
        assert_eq!(word, "a b");
    }
}
