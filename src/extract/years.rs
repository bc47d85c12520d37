//! Years: the years a text mentions, and the publication year a text
//! supports when an article comes without a date.

use std::sync::OnceLock;

use crate::analysis::Word;
use crate::data::{self, DataFile, DataSet};

/// Years outside this range are figures, not years.
const FIRST_YEAR: i64 = 1950;
/// See [`FIRST_YEAR`].
const LAST_YEAR: i64 = 2100;

/// The names of months and weekdays (`data/calendar.tsv`), folded, in
/// calendar order: January first, Sunday first.
#[derive(Debug, Clone)]
pub struct Calendar {
    months: Vec<String>,
    weekdays: Vec<String>,
}

impl Calendar {
    /// The calendar of the built-in data.
    pub fn built_in() -> &'static Calendar {
        static BUILT_IN: OnceLock<Calendar> = OnceLock::new();
        BUILT_IN.get_or_init(|| Calendar::new(DataSet::built_in()))
    }

    /// The calendar of `data`.
    pub fn new(data: &DataSet) -> Calendar {
        let text = data.text(DataFile::Calendar);
        let list = |name| data::word_list(text, name).into_iter().flatten().collect();
        Calendar {
            months: list("month"),
            weekdays: list("weekday"),
        }
    }

    /// The number of a month (1 for January).
    fn month(&self, word: &Word) -> Option<u32> {
        self.months
            .iter()
            .take(12)
            .position(|m| *m == word.folded)
            .map(|i| i as u32 + 1)
    }

    /// The number of a weekday (0 for Sunday).
    fn weekday(&self, word: &Word) -> Option<usize> {
        self.weekdays.iter().take(7).position(|w| *w == word.folded)
    }
}

fn as_year(word: &Word) -> Option<i64> {
    let f = &word.folded;
    // `2 000 logements`: a number written with a thousands space is a
    // quantity; its span in the text is longer than its four digits.
    if f.len() != 4 || word.to - word.from != 4 || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = f.parse().ok()?;
    (FIRST_YEAR..=LAST_YEAR).contains(&year).then_some(year)
}

/// The years mentioned in `words` (`2020`, `entre 2016 et 2020`), in order,
/// without repeats.
pub fn mentioned(words: &[Word]) -> Vec<i64> {
    let mut years = Vec::new();
    for (i, word) in words.iter().enumerate() {
        // `RE2020`, `2030s`: digits glued to letters name a norm or a
        // product, not a year.
        let glued_before = i > 0 && words[i - 1].to == word.from && ends_in_letter(&words[i - 1]);
        let glued_after = words
            .get(i + 1)
            .is_some_and(|next| next.from == word.to && starts_with_letter(next));
        if glued_before || glued_after {
            continue;
        }
        if let Some(year) = as_year(word) {
            if !years.contains(&year) {
                years.push(year);
            }
        }
    }
    years
}

fn ends_in_letter(word: &Word) -> bool {
    word.folded
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
}

fn starts_with_letter(word: &Word) -> bool {
    word.folded.chars().next().is_some_and(char::is_alphabetic)
}

fn day(word: &Word) -> Option<u32> {
    let f = word.folded.strip_suffix("er").unwrap_or(&word.folded);
    let d: u32 = f.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// Day of the week, 0 = Sunday (Sakamoto's method).
fn weekday(year: i64, month: u32, day: u32) -> usize {
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    ((y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + i64::from(day)).rem_euclid(7))
        as usize
}

/// The publication date the text supports, if any: a weekday with a day
/// and a month but no year (`ce mardi 20 octobre`) speaks of the week the
/// article was written in; when exactly one year around those the text
/// mentions puts that day on that weekday, that is the date (ISO).
///
/// A date written out with its year (`le 29 juin 2022`, `la loi du 3
/// janvier 1977`) is never taken: it is as often the date of an event
/// (a law, a founding, a deadline) as that of the article, and a wrong
/// year is worse than none.
pub fn inferred_publication(words: &[Word], calendar: &Calendar) -> Option<String> {
    let years = mentioned(words);
    let (&lo, &hi) = (years.iter().min()?, years.iter().max()?);
    for i in 0..words.len().saturating_sub(2) {
        let Some(wd) = calendar.weekday(&words[i]) else {
            continue;
        };
        let (Some(d), Some(m)) = (day(&words[i + 1]), calendar.month(&words[i + 2])) else {
            continue;
        };
        if words.get(i + 3).and_then(as_year).is_some() {
            continue;
        }
        let fits: Vec<i64> = (lo - 1..=hi + 1)
            .filter(|&y| weekday(y, m, d) == wd)
            .collect();
        if let [year] = fits.as_slice() {
            return Some(format!("{year:04}-{m:02}-{d:02}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    fn words(text: &str) -> Vec<Word> {
        Analyzer::default().words(text)
    }

    fn inferred_publication_of(words: &[Word]) -> Option<String> {
        inferred_publication(words, Calendar::built_in())
    }

    #[test]
    fn years_mentioned() {
        assert_eq!(
            mentioned(&words(
                "Entre 2016 et 2020, puis en 2020 ; 1 841 m², 12 000 €"
            )),
            [2016, 2020]
        );
        assert!(mentioned(&words("40 000 logements, 3 395 m²")).is_empty());
    }

    #[test]
    fn quantities_with_a_thousands_space_are_not_years() {
        assert!(mentioned(&words("Plus de 2 000 logements et 1 980 rénovations.")).is_empty());
        assert!(mentioned(&words("2\u{a0}010 places")).is_empty());
        assert_eq!(mentioned(&words("En 2010, 1 990 places.")), [2010]);
    }

    #[test]
    fn digits_glued_to_letters_are_not_years() {
        assert!(mentioned(&words("La norme RE2020 et la RT2012 s'appliquent.")).is_empty());
        assert_eq!(
            mentioned(&words("La RE2020 entre en vigueur en 2022.")),
            [2022]
        );
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(2020, 10, 20), 2); // a Tuesday
        assert_eq!(weekday(2024, 2, 29), 4); // a Thursday
    }

    #[test]
    fn publication_date_from_a_weekday_and_a_date() {
        // 20 October was a Tuesday in 2020, not in 2019, 2021 or 2022.
        let w = words("Ce mardi 20 octobre, les bailleurs ont signé. Concours lancé en 2021.");
        assert_eq!(
            inferred_publication(&w, Calendar::built_in()).as_deref(),
            Some("2020-10-20")
        );
    }

    #[test]
    fn no_date_without_support() {
        for text in [
            "Le projet avance. En 2021, 1 228 logements.",
            "Ce mardi 20 octobre, signature.",
            // Dates written with their year are events as often as not.
            "signé le 29 juin 2022 au salon",
            "la loi du 6 juillet 1989 sur l'architecture",
            "Le mardi 20 octobre 2020, signature.",
        ] {
            assert_eq!(inferred_publication_of(&words(text)), None, "{text}");
        }
    }
}
