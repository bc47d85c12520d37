//! Publication dates as articles give them: a leading ` date YYYY-MM`
//! marker in text files, a `date` field in JSON Lines. Dates are kept as
//! written (`2022-07`, `2020-10-20`); years and sortable day numbers are read
//! from them.

/// Splits a leading ` date YYYY-MM` marker (also `YYYY` or `YYYY-MM-DD`)
/// off the text: returns the date and the rest.
pub fn split_date_marker(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start();
    let Some(after) = trimmed.strip_prefix("date ") else {
        return (None, text);
    };
    let date_len = after
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(after.len());
    let date = &after[..date_len];
    if !is_date(date) {
        return (None, text);
    }
    let rest = &after[date_len..];
    // The marker is followed by one space or a line break.
    let rest = rest
        .strip_prefix(' ')
        .or_else(|| rest.strip_prefix("\r\n"))
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    (Some(date.to_string()), rest)
}

fn is_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range = |s: &str, max: u32| s.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && in_range(m, 12) && digits(d, 2) && in_range(d, 31)
        }
        _ => false,
    }
}

/// The year of a date written `YYYY`, `YYYY-MM`, `YYYY-MM-DD`...
pub fn parse_year(date: &str) -> Option<i64> {
    let year = date.get(..4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &date[4..];
    if !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    year.parse().ok()
}

/// A sortable day number `YYYYMMDD` of a date (`2020-10-20`); a missing
/// day or month counts as 0 (`2022-07` → 20220700), so dates sort by what
/// they say.
pub fn parse_day(date: &str) -> Option<i64> {
    let year = parse_year(date)?;
    let mut parts = date[4..].trim_start_matches('-').split('-');
    let mut part = |max: i64| -> i64 {
        parts
            .next()
            .and_then(|p| p.get(..2))
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|v| (1..=max).contains(v))
            .unwrap_or(0)
    };
    let month = part(12);
    let day = if month > 0 { part(31) } else { 0 };
    Some(year * 10_000 + month * 100 + day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sort_as_dates() {
        assert_eq!(parse_day("2020-10-20"), Some(20201020));
        assert_eq!(parse_day("2022-07"), Some(20220700));
        assert_eq!(parse_day("2021"), Some(20210000));
        assert_eq!(parse_day("2021-13-40"), Some(20210000));
        assert_eq!(parse_day("2020-10-20T08:00:00Z"), Some(20201020));
        assert_eq!(parse_day("hier"), None);
    }

    #[test]
    fn date_marker_is_removed() {
        let (date, text) = split_date_marker(" date 2022-07 Répondre aux objectifs");
        assert_eq!(date.as_deref(), Some("2022-07"));
        assert_eq!(text, "Répondre aux objectifs");
        let (date, text) = split_date_marker("date 2020-12-01\nLe texte");
        assert_eq!(date.as_deref(), Some("2020-12-01"));
        assert_eq!(text, "Le texte");
        // Not a marker: left alone.
        for text in [
            "date limite 2020",
            "La date 2020-07",
            " date 2020-13 x",
            "date 20-07 x",
        ] {
            assert_eq!(split_date_marker(text), (None, text));
        }
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2022-07"), Some(2022));
        assert_eq!(parse_year("2022"), Some(2022));
        assert_eq!(parse_year("2022-07-15T10:00:00Z"), Some(2022));
        assert_eq!(parse_year("20220"), None);
        assert_eq!(parse_year("juillet"), None);
    }
}
