//! Reading the figures of an operation as French writes them, from
//! analysed words ([`Word`]): digits with their groups already joined by
//! the analysis (`1 841` is one word, `1841`), decimals with a comma
//! (`2,5`), thousands with dots (`45.795`), numbers written out (`trente`,
//! `un ensemble de deux cents logements`), and amounts with their scale
//! (`2,5 millions d'euros`, `3,3 M€`, `800 000 €`).
//!
//! A figure is read only when the text states it: `une trentaine`, `près
//! de 40` and `plus de 300` are approximations and read as nothing.

use crate::analysis::Word;

/// The value of a number written out, as a folded word (`trente`);
/// compounds (`vingt-deux`) are read word by word by [`value_at`].
fn written(word: &str) -> Option<u64> {
    Some(match word {
        "un" | "une" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        "onze" => 11,
        "douze" => 12,
        "treize" => 13,
        "quatorze" => 14,
        "quinze" => 15,
        "seize" => 16,
        "vingt" | "vingts" => 20,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        "cent" | "cents" => 100,
        _ => return None,
    })
}

/// Words before a number that make it approximate or a bound.
const APPROXIMATE: &[&str] = &["pres", "environ", "plus", "moins", "quelque", "quelques"];

/// The integer value of a word of digits: `1841`, `45.795` (thousands with
/// dots), `12`; `None` for decimals and anything else.
pub fn integer(word: &Word) -> Option<u64> {
    let f = word.folded.as_str();
    if !f.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) {
        return f.parse().ok();
    }
    // `45.795`: groups of three after the dot are thousands.
    let mut parts = f.split('.');
    let head = parts.next()?;
    if head.is_empty() || head.len() > 3 || !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: u64 = head.parse().ok()?;
    let mut groups = 0;
    for group in parts {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value = value * 1000 + group.parse::<u64>().ok()?;
        groups += 1;
    }
    (groups > 0).then_some(value)
}

/// The value of a word of digits with decimals: `2,5` or `2.5` (a dot
/// followed by three digits is a thousands group, see [`integer`]).
pub fn decimal(word: &Word) -> Option<f64> {
    if let Some(n) = integer(word) {
        return Some(n as f64);
    }
    let f = word.folded.replace(',', ".");
    let (head, tail) = f.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(head) && digits(tail))
        .then(|| f.parse().ok())
        .flatten()
}

/// The count stated at `words[i]`, in digits or written out, and the
/// number of words it spans; `None` when the word is no count or the text
/// makes it approximate (`près de 40`, `une trentaine`).
pub fn count_at(words: &[Word], i: usize) -> Option<(u64, usize)> {
    let found = match integer(&words[i]) {
        Some(n) => Some((n, 1)),
        None => value_at(words, i),
    }?;
    (!approximate_before(words, i)).then_some(found)
}

/// Whether the words just before `i` make the figure approximate.
fn approximate_before(words: &[Word], i: usize) -> bool {
    // `PLUS` in capitals is the product (`12 PLUS 4 PSLA`), not `plus`.
    let before = |k: usize| {
        i.checked_sub(k)
            .map(|j| &words[j])
            .filter(|w| !w.acronym)
            .map(|w| w.folded.as_str())
    };
    matches!(before(1), Some(w) if APPROXIMATE.contains(&w))
        || matches!((before(2), before(1)), (Some(w), Some("de")) if APPROXIMATE.contains(&w))
}

/// A number written out at `i` (`trente`, `vingt deux`, `deux cents`):
/// its value and length in words.
fn value_at(words: &[Word], i: usize) -> Option<(u64, usize)> {
    let value = |w: &Word| written(&w.folded);
    let mut total = value(&words[i])?;
    let mut len = 1;
    // `vingt et un`, `trente-et-une`.
    let and_one = |k: usize| {
        words.get(k).is_some_and(|w| w.folded == "et")
            && words.get(k + 1).and_then(value) == Some(1)
    };
    while let Some(next) = words.get(i + len).and_then(value) {
        if next == 100 {
            total *= 100;
        } else if next < 10 && total >= 20 && total % 10 == 0 {
            total += next;
        } else {
            break;
        }
        len += 1;
    }
    if (20..=60).contains(&total) && total % 10 == 0 && and_one(i + len) {
        total += 1;
        len += 2;
    }
    // `un`, `une` alone are articles, not counts: `une maison de 90 m²
    // sera proposée…` speaks of any one house of an operation. In a
    // compound (`vingt et un`) they do count.
    (len > 1 || total != 1).then_some((total, len))
}

/// An amount in euros starting at `words[i]`: `2,5 millions d'euros`,
/// `3,3 M€`, `800000 €`, `1,4 million d'euros`; its value and length in
/// words. Billions are no operation's cost (a national envelope), and read
/// as nothing.
pub fn euros_at(words: &[Word], i: usize) -> Option<(u64, usize)> {
    if approximate_before(words, i) {
        return None;
    }
    let value = decimal(&words[i])?;
    let word = |k: usize| words.get(i + k).map(|w| w.folded.as_str());
    let euro = |w: Option<&str>| matches!(w, Some("euros" | "euro" | "eur"));
    let (scale, len) = match (word(1), word(2)) {
        (Some("million" | "millions"), next) if euro(next) || next == Some("de") => {
            let len = if next == Some("de") { 4 } else { 3 };
            if next == Some("de") && !euro(word(3)) {
                return None;
            }
            (1e6, len)
        }
        // `€` is analysed as `euros`: `3,3 M€` is `3,3 m euros`.
        (Some("m"), next) if euro(next) => (1e6, 3),
        (Some("meur"), _) => (1e6, 2),
        (Some("k"), next) if euro(next) => (1e3, 3),
        (next, _) if euro(next) => (1.0, 2),
        _ => return None,
    };
    Some(((value * scale).round() as u64, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    fn words(text: &str) -> Vec<Word> {
        Analyzer::default().words(text)
    }

    #[test]
    fn digits_with_their_groups() {
        let w = words("1 841 m² et 45.795 logements, 12 PLAI, 2,5 ha");
        assert_eq!(integer(&w[0]), Some(1841));
        let dotted = w.iter().find(|w| w.folded.starts_with("45")).unwrap();
        assert_eq!(integer(dotted), Some(45795));
        let decimal_word = w.iter().find(|w| w.folded.starts_with("2")).unwrap();
        assert_eq!(integer(decimal_word), None);
        assert_eq!(decimal(decimal_word), Some(2.5));
    }

    #[test]
    fn counts_written_out_and_approximations() {
        let w = words("trente logements, vingt deux maisons, deux cents lits");
        assert_eq!(count_at(&w, 0), Some((30, 1)));
        let i = w.iter().position(|w| w.folded == "vingt").unwrap();
        assert_eq!(count_at(&w, i), Some((22, 2)));
        let i = w.iter().position(|w| w.folded == "lits").unwrap();
        assert_eq!(count_at(&w, i - 2), Some((200, 2)));
        // An article alone is no count; in a compound it is.
        let w = words("une maison de 90 m², trente et une maisons");
        assert_eq!(count_at(&w, 0), None);
        let i = w.iter().position(|w| w.folded == "trente").unwrap();
        assert_eq!(count_at(&w, i), Some((31, 3)));
        let w = words("près de 40 logements, environ 12 maisons, une trentaine");
        let i = w.iter().position(|w| w.folded == "40").unwrap();
        assert_eq!(count_at(&w, i), None);
        let i = w.iter().position(|w| w.folded == "12").unwrap();
        assert_eq!(count_at(&w, i), None);
        let i = w.iter().position(|w| w.folded == "trentaine").unwrap();
        assert_eq!(count_at(&w, i), None);
    }

    #[test]
    fn amounts_in_euros() {
        let at = |text: &str| {
            let w = words(text);
            euros_at(&w, 0).map(|(v, _)| v)
        };
        assert_eq!(at("3,3 millions d'euros"), Some(3_300_000));
        assert_eq!(at("1,4 million d’euros"), Some(1_400_000));
        assert_eq!(at("5,9 M€"), Some(5_900_000));
        assert_eq!(at("800 000 €"), Some(800_000));
        assert_eq!(at("450 000 euros"), Some(450_000));
        assert_eq!(at("5 milliards d'euros"), None);
        assert_eq!(at("12 millions de logements"), None);
    }
}
