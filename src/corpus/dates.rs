//! Publication dates as articles give them: a leading ` date YYYY-MM`
//! marker in text files, a `date` field in JSON Lines or feeds, a byline or
//! dateline at the top of the text, the address of the page. Dates are kept
//! as ISO strings (`2022`, `2022-07`, `2020-10-20`); years and sortable day
//! numbers are read from them.
//!
//! Written dates ([`parse_date`]) are read strictly: the whole string must
//! be a date. Bylines ([`byline_date`]) are read cautiously: a wrong year is
//! worse than none, so a date inside a sentence is never taken.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::analysis::fold;
use crate::data::{self, DataFile, DataSet};

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

/// Where an article's publication date came from. Stored (serde) under the
/// names of [`DateSource::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A date field of the source (JSON Lines, feed, PDF metadata).
    Metadata,
    /// A leading ` date YYYY-MM` marker in a text file.
    Marker,
    /// A byline or dateline of the text ([`byline_date`]).
    Byline,
    /// The address of the article ([`url_date`]).
    Url,
    /// A date inferred from the text's own words.
    Text,
    /// A date given by the user.
    Given,
}

impl DateSource {
    const ALL: [DateSource; 6] = [
        DateSource::Metadata,
        DateSource::Marker,
        DateSource::Byline,
        DateSource::Url,
        DateSource::Text,
        DateSource::Given,
    ];

    /// The name stored in the index (`metadata`, `byline`...).
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Marker => "marker",
            DateSource::Byline => "byline",
            DateSource::Url => "url",
            DateSource::Text => "text",
            DateSource::Given => "given",
        }
    }

    /// The source of a name given by [`DateSource::as_str`].
    pub fn parse(s: &str) -> Option<DateSource> {
        DateSource::ALL
            .into_iter()
            .find(|source| source.as_str() == s)
    }
}

/// Years outside this range are not publication dates.
const FIRST_YEAR: u32 = 1900;
/// See [`FIRST_YEAR`].
const LAST_YEAR: u32 = 2100;
/// Addresses hold ids and figures too: their years start later.
const FIRST_URL_YEAR: u32 = 1990;

/// A calendar date; 0 for a month or day not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    /// The date, if it is one: year in range, month 1–12, day in the month.
    fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let valid = (FIRST_YEAR..=LAST_YEAR).contains(&year)
            && month <= 12
            && (day == 0 || (month > 0 && day <= days_in_month(year, month)));
        valid.then_some(Date { year, month, day })
    }

    /// Whether the day is given.
    fn is_full(self) -> bool {
        self.day > 0
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the date is.
    fn iso(self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (month, 0) => format!("{:04}-{month:02}", self.year),
            (month, day) => format!("{:04}-{month:02}-{day:02}", self.year),
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// English month names and abbreviations, as feeds (RFC 2822) write them.
const ENGLISH_MONTHS: [(&str, u32); 24] = [
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

/// English weekday names and abbreviations, as feeds write them.
const ENGLISH_WEEKDAYS: [&str; 14] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sun",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
];

/// Time-zone names that may follow a time (`08:00:00 GMT`).
const ZONES: [&str; 15] = [
    "z", "ut", "utc", "gmt", "cet", "cest", "bst", "est", "edt", "cst", "cdt", "mst", "mdt", "pst",
    "pdt",
];

/// The folded names of one list of `data/calendar.tsv`, in file order.
fn calendar_list(list: &str) -> Vec<String> {
    let text = DataSet::built_in().text(DataFile::Calendar);
    data::word_list(text, list)
        .into_iter()
        .filter_map(|words| words.into_iter().next())
        .collect()
}

/// The folded French month names, January first.
fn month_names() -> &'static [String] {
    static MONTHS: OnceLock<Vec<String>> = OnceLock::new();
    MONTHS.get_or_init(|| calendar_list("month").into_iter().take(12).collect())
}

/// The folded French weekday names.
fn weekday_names() -> &'static [String] {
    static WEEKDAYS: OnceLock<Vec<String>> = OnceLock::new();
    WEEKDAYS.get_or_init(|| calendar_list("weekday").into_iter().take(7).collect())
}

/// The number of a folded month word (`avril` → 4), maybe abbreviated and
/// followed by a dot: French by the prefix rule (at least 3 letters, the
/// start of exactly one month name: `sept.`, `janv`, not `ju.` nor `jui`),
/// English by the fixed abbreviations feeds use (`Mar`, `May`).
fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word);
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut french = month_names()
        .iter()
        .enumerate()
        .filter(|(_, name)| name.starts_with(word));
    if let (Some((i, _)), None) = (french.next(), french.next()) {
        return u32::try_from(i + 1).ok();
    }
    ENGLISH_MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, number)| number)
}

/// Whether a folded word is a weekday name (`mardi`, `tue`).
fn is_weekday(word: &str) -> bool {
    !word.is_empty()
        && (weekday_names().iter().any(|name| name == word) || ENGLISH_WEEKDAYS.contains(&word))
}

/// Splits the leading ASCII digits off `s`.
fn digits(s: &str) -> (&str, &str) {
    s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()))
}

/// Splits the leading letters off `s`.
fn letters(s: &str) -> (&str, &str) {
    s.split_at(s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len()))
}

/// The rest of `s` after `word` (or words) at its start, if a word
/// boundary follows.
fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(word)?;
    (!rest.starts_with(char::is_alphanumeric)).then_some(rest)
}

fn number(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// A date at the start of folded `s`, and the rest: ISO (`2023-09-19`,
/// `2023-06`, `2023`), day first (`19/09/2023`), or in words (`mardi 3 mars
/// 2024`, `1er février 2023`, `avril 2025`, `Tue, 05 Mar 2024`). A year is
/// never followed by another digit.
fn leading_date(s: &str) -> Option<(Date, &str)> {
    let s = s.trim_start();
    iso_date(s)
        .or_else(|| numeric_date(s))
        .or_else(|| words_date(s))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.`).
fn iso_date(s: &str) -> Option<(Date, &str)> {
    let (year, mut rest) = digits(s);
    if year.len() != 4 {
        return None;
    }
    let (mut month, mut day) = (0, 0);
    if let Some(sep) = rest.chars().next().filter(|c| matches!(c, '-' | '/' | '.')) {
        let (m, after_month) = digits(&rest[1..]);
        if m.len() == 2 {
            month = number(m).filter(|&m| m > 0)?;
            rest = after_month;
            if let Some(after_sep) = after_month.strip_prefix(sep) {
                let (d, after_day) = digits(after_sep);
                if d.len() == 2 {
                    day = number(d).filter(|&d| d > 0)?;
                    rest = after_day;
                }
            }
        }
    }
    Some((Date::new(number(year)?, month, day)?, rest))
}

/// `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`: day first.
fn numeric_date(s: &str) -> Option<(Date, &str)> {
    let (day, rest) = digits(s);
    let sep = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '/' | '-' | '.'))?;
    let (month, rest) = digits(&rest[1..]);
    let (year, rest) = digits(rest.strip_prefix(sep)?);
    if !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) || year.len() != 4 {
        return None;
    }
    let (day, month) = (number(day)?, number(month)?);
    if day == 0 || month == 0 {
        return None;
    }
    Some((Date::new(number(year)?, month, day)?, rest))
}

/// `[weekday[,]] [day] month[.] year`: `mardi 3 mars 2024`, `1er juin
/// 2023`, `18 janv. 2022`, `avril 2025`, `tue, 05 mar 2024`.
fn words_date(s: &str) -> Option<(Date, &str)> {
    let mut rest = s;
    let (word, after) = letters(rest);
    let weekday = is_weekday(word);
    if weekday {
        let after = after.strip_prefix([',', '.']).unwrap_or(after);
        rest = after.trim_start();
    }
    let (d, after) = digits(rest);
    let mut day = 0;
    if !d.is_empty() {
        let after = match d {
            "1" => after.strip_prefix("er").unwrap_or(after),
            _ => after,
        };
        if d.len() > 2 || !after.starts_with(char::is_whitespace) {
            return None;
        }
        day = number(d).filter(|d| (1..=31).contains(d))?;
        rest = after.trim_start();
    } else if weekday {
        return None;
    }
    let (word, after) = letters(rest);
    let month = month_number(word)?;
    let after = after.strip_prefix('.').unwrap_or(after);
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let (year, rest) = digits(after.trim_start());
    if year.len() != 4 {
        return None;
    }
    Some((Date::new(number(year)?, month, day)?, rest))
}

/// The rest of folded `s` after a time that follows a date: `à 11h02`,
/// `11:02`, `T10:00:00+02:00`, `08:00:00 +0100`, `- 10h30`.
fn skip_time(s: &str) -> Option<&str> {
    let mut r = s.trim_start();
    match s.strip_prefix('t') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => r = after,
        _ => {
            if let Some(after) = r.strip_prefix([',', '-', '–', '—', '|']) {
                r = after.trim_start();
            }
            if let Some(after) = strip_word(r, "a").or_else(|| strip_word(r, "at")) {
                r = after.trim_start();
            }
        }
    }
    let (hour, after) = digits(r);
    if !(1..=2).contains(&hour.len()) || number(hour)? > 23 {
        return None;
    }
    let minutes = |s: &str| -> Option<bool> {
        let (m, _) = digits(s);
        match m.len() {
            0 => Some(false),
            2 if number(m)? <= 59 => Some(true),
            _ => None,
        }
    };
    // `11h02`, also `9 h 30` as French typography spaces it.
    let spaced = after.trim_start_matches(' ');
    let rest = if let Some(after) = spaced.strip_prefix('h') {
        let after = match after.strip_prefix(' ') {
            Some(minute) if minutes(minute)? => &minute[2..],
            _ if minutes(after)? => &after[2..],
            _ => after,
        };
        if after.starts_with(char::is_alphanumeric) {
            return None;
        }
        after
    } else if let Some(after) = after.strip_prefix(':') {
        if !minutes(after)? {
            return None;
        }
        let mut rest = &after[2..];
        if let Some(after) = rest.strip_prefix(':') {
            let (sec, after) = digits(after);
            if sec.len() != 2 || number(sec)? > 60 {
                return None;
            }
            rest = after;
            if let Some(after) = rest.strip_prefix(['.', ',']) {
                let (fraction, after) = digits(after);
                if !fraction.is_empty() {
                    rest = after;
                }
            }
        }
        rest
    } else {
        return None;
    };
    Some(skip_zone(rest))
}

/// The rest of folded `s` after a time zone, if one starts it (`z`,
/// `+02:00`, ` +0100`, `+01'00'`, ` gmt`); else `s`.
fn skip_zone(s: &str) -> &str {
    let trimmed = s.trim_start();
    let (word, after) = letters(trimmed);
    let mut rest = if ZONES.contains(&word) {
        after
    } else {
        trimmed
    };
    let named = rest.len() < trimmed.len();
    if let Some(after) = rest.strip_prefix(['+', '-']) {
        let (hours, after) = digits(after);
        match hours.len() {
            4 => rest = after,
            1 if named => rest = after,
            2 => {
                rest = after;
                if let Some(after) = after.strip_prefix([':', '\'']) {
                    let (minutes, after) = digits(after);
                    if minutes.len() == 2 {
                        rest = after.strip_prefix('\'').unwrap_or(after);
                    }
                }
            }
            _ => {}
        }
    }
    if rest.len() < trimmed.len() {
        rest
    } else {
        s
    }
}

/// A date of a PDF's metadata (`D:20240315093000+01'00'`, `D:2024`) or
/// compact digits (`20240315`, `20240315093000`).
fn pdf_date(s: &str) -> Option<Date> {
    let (body, prefixed) = match s.strip_prefix("d:") {
        Some(body) => (body, true),
        None => (s, false),
    };
    let (d, rest) = digits(body);
    let lengths: &[usize] = if prefixed {
        &[4, 6, 8, 10, 12, 14]
    } else {
        &[8, 14]
    };
    if !lengths.contains(&d.len()) || !skip_zone(rest).trim().is_empty() {
        return None;
    }
    // Each field: its value, or None when absent; out of range ends it all.
    let field = |from: usize, min: u32, max: u32| -> Option<Option<u32>> {
        match d.get(from..from + 2) {
            None => Some(None),
            Some(f) => number(f).filter(|v| (min..=max).contains(v)).map(Some),
        }
    };
    let month = field(4, 1, 12)?;
    let day = field(6, 1, 31)?;
    field(8, 0, 23)?;
    field(10, 0, 59)?;
    field(12, 0, 60)?;
    Date::new(number(&d[..4])?, month.unwrap_or(0), day.unwrap_or(0))
}

/// A date as people write it, normalised to ISO (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`), or None. The whole string must be the date, maybe with a
/// time after it, which is dropped (the calendar date is kept as written, no
/// time-zone conversion): ISO 8601, day-first `19/09/2023`, French `1er
/// juin 2023` or `avril 2025`, RFC 2822 `Tue, 05 Mar 2024 08:00:00 +0100`,
/// PDF `D:20240315093000+01'00'`.
pub fn parse_date(written: &str) -> Option<String> {
    let folded = fold(written.trim());
    let date = pdf_date(&folded).or_else(|| {
        let (date, rest) = leading_date(&folded)?;
        let rest = if rest.trim().is_empty() {
            rest
        } else {
            skip_time(rest)?
        };
        rest.trim().is_empty().then_some(date)
    })?;
    Some(date.iso())
}

/// Lines at the top of a text where bylines and datelines are looked for:
/// at most this many non-empty lines...
const HEAD_LINES: usize = 8;
/// ... starting in this many first bytes.
const HEAD_BYTES: usize = 800;
/// A line starting with a date (`Le 3 mars 2024, le conseil…`) is a
/// dateline only among this many first lines; deeper it is an event.
const DATELINE_LINES: usize = 3;
/// Lines at the end of a text where `Publié le` markers are looked for.
const FOOT_LINES: usize = 5;

/// Characters that separate the parts of a byline (`Par X — Publié le…`).
const SEPARATORS: [char; 6] = ['—', '–', '|', '·', '•', '/'];

/// Words that publish a text (folded): `Publié le`, `Mis en ligne le`.
const PUBLISHED: [&str; 11] = [
    "article publie",
    "article publiee",
    "date de publication",
    "date de mise en ligne",
    "mis en ligne",
    "mise en ligne",
    "publie",
    "publiee",
    "paru",
    "parue",
    "publication",
];

/// Words that update a text (folded): `Mis à jour le`.
const UPDATED: [&str; 9] = [
    "derniere mise a jour",
    "derniere modification",
    "mis a jour",
    "mise a jour",
    "maj",
    "actualise",
    "actualisee",
    "modifie",
    "modifiee",
];

/// Capitalised words that start sentences, not place names, before a comma
/// (`Enfin, le 5 février 2024 :`).
const NOT_PLACES: [&str; 33] = [
    "a",
    "ainsi",
    "alors",
    "apres",
    "attention",
    "au",
    "aujourd'hui",
    "aussi",
    "avant",
    "ce",
    "cette",
    "dans",
    "date",
    "demain",
    "depuis",
    "des",
    "desormais",
    "donc",
    "echeance",
    "en",
    "enfin",
    "ensuite",
    "et",
    "finalement",
    "hier",
    "important",
    "mais",
    "or",
    "ou",
    "pour",
    "puis",
    "rappel",
    "selon",
];

/// Lower-case words inside a place name (`Boulogne sur Mer`, `Le Blanc
/// Mesnil`), folded.
const PLACE_PARTICLES: [&str; 9] = ["de", "du", "des", "la", "le", "les", "en", "sur", "sous"];

/// What a line of the top or bottom says about the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A publication marker: `Publié le`, `Mis en ligne le`.
    Published,
    /// A dateline or an author's date: `PARIS, 18 janv. 2022 —`.
    Dated,
    /// An update marker: `Mis à jour le`.
    Updated,
}

/// The publication date a byline or dateline near the top of a text gives
/// (or, for explicit `Publié le` markers, its last lines), as ISO. By
/// preference: a publication marker at the top, then at the bottom, then a
/// dateline or an author's date at the top, then an update marker
/// (`Mis à jour le`). Only dates that stand apart from sentences count:
/// `la loi du 6 juillet 1989` or `depuis le 12 mars 2020` never do.
pub fn byline_date(text: &str) -> Option<String> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            lines.push((offset, trimmed));
        }
        offset += line.len();
    }
    let head_len = lines
        .iter()
        .take(HEAD_LINES)
        .take_while(|(start, _)| *start < HEAD_BYTES)
        .count();
    let (mut dated, mut updated) = (None, None);
    // Datelines stand above the body: once a paragraph of prose has begun,
    // a date at the start of a line is an event (an agenda, a chronology).
    let mut above_body = true;
    for (i, &(_, line)) in lines[..head_len].iter().enumerate() {
        let line = clean_line(line);
        let folded = fold_line(line);
        for (mark, date) in marked_dates(&folded) {
            match mark {
                Mark::Published => return Some(date.iso()),
                Mark::Dated => {
                    dated.get_or_insert(date);
                }
                Mark::Updated => {
                    updated.get_or_insert(date);
                }
            }
        }
        if dated.is_none() && above_body {
            dated = dateline(line, &folded, i);
        }
        above_body &= !is_prose(line);
    }
    let foot = lines.len().saturating_sub(FOOT_LINES).max(head_len);
    for &(_, line) in &lines[foot..] {
        let folded = fold_line(clean_line(line));
        if let Some((_, date)) = marked_dates(&folded)
            .into_iter()
            .find(|(mark, _)| *mark == Mark::Published)
        {
            return Some(date.iso());
        }
    }
    dated.or(updated).map(Date::iso)
}

/// Words from which a line ending a sentence is body text, not a title, a
/// byline or a dateline.
const PROSE_WORDS: usize = 12;

/// Whether a line is a sentence of the body: long, and ending as sentences
/// end.
fn is_prose(line: &str) -> bool {
    line.split_whitespace().count() >= PROSE_WORDS
        && line.trim_end().ends_with(['.', '!', '?', '»', '…', ':'])
}

/// A short label before a byline (`Actualités · Publié le …`, `Presse |
/// Publié le …`): at most three words without digits, then a separator.
/// Returns what follows the separator.
fn strip_label(s: &str) -> Option<&str> {
    let at = s.find(SEPARATORS)?;
    let label = &s[..at];
    let words = label.split_whitespace().count();
    if words == 0 || words > 3 || label.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(skip_separators(&s[at..]))
}

/// A line without markdown emphasis, brackets or leading bullets.
fn clean_line(line: &str) -> &str {
    line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—'))
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, '*' | '_' | '#' | '>' | '(' | ')' | '[' | ']' | '•' | '·')
        })
}

/// A line folded, with single spaces.
fn fold_line(line: &str) -> String {
    fold(line).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether folded `s` starts with a byline separator (`—`, `|`, ` - `).
fn starts_with_separator(s: &str) -> bool {
    s.starts_with(SEPARATORS)
        || s.strip_prefix('-')
            .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
}

/// Folded `s` without the separators and punctuation that start it.
fn skip_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| {
        c.is_whitespace()
            || SEPARATORS.contains(&c)
            || matches!(c, '-' | ',' | ';' | '.' | ':' | '(' | ')' | '[' | ']')
    })
}

/// A marker at the start of folded `s` (`publie le`, `mis a jour :`), the
/// rest after it, and whether `le` or `:` introduced the date.
fn strip_marker(s: &str) -> Option<(Mark, bool, &str)> {
    let marks = PUBLISHED
        .iter()
        .map(|m| (Mark::Published, *m))
        .chain(UPDATED.iter().map(|m| (Mark::Updated, *m)));
    for (mark, phrase) in marks {
        let Some(mut rest) = strip_word(s, phrase) else {
            continue;
        };
        rest = rest.trim_start();
        let mut by_author = false;
        // `Publié par Julie Martin le 3 mars 2024`.
        if let Some(after) = strip_word(rest, "par") {
            rest = after_author_le(after)?;
            by_author = true;
        }
        let colon = rest.starts_with(':');
        rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let le = strip_word(rest, "le");
        if let Some(after) = le {
            rest = after.trim_start();
            rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        }
        // `Publication 2024 de la Fondation` is no byline.
        if phrase == "publication" && !colon {
            return None;
        }
        return Some((mark, by_author || colon || le.is_some(), rest));
    }
    None
}

/// The rest of folded `s` (an author's name) after the `le` that ends it:
/// at most 6 words without digits.
fn after_author_le(s: &str) -> Option<&str> {
    let mut rest = s.trim_start();
    for _ in 0..=6 {
        if let Some(after) = strip_word(rest, "le") {
            return Some(after);
        }
        let (word, after) = rest.split_at(rest.find(' ').unwrap_or(rest.len()));
        if word.is_empty() || word.contains(|c: char| c.is_ascii_digit()) {
            return None;
        }
        rest = after.trim_start();
    }
    None
}

/// The rest of folded `s` after an author's name (`par julie martin —`):
/// at most 6 words without digits, ended by a separator, a comma or a
/// marker.
fn strip_author(s: &str) -> Option<&str> {
    let mut rest = strip_word(s, "par")?.trim_start();
    let mut words = 0;
    loop {
        if rest.is_empty() {
            return (words > 0).then_some(rest);
        }
        if starts_with_separator(rest) || strip_marker(rest).is_some() {
            return (words > 0).then(|| skip_separators(rest));
        }
        let end = rest
            .find(|c: char| c == ' ' || c == ',' || c == ';' || SEPARATORS.contains(&c))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        words += 1;
        if words > 6 || word.contains(|c: char| c.is_ascii_digit()) {
            return None;
        }
        rest = &rest[end..];
        if rest.starts_with([',', ';']) {
            return Some(skip_separators(rest));
        }
        rest = rest.trim_start();
    }
}

/// A date at the start of folded `s` and the rest after its time, if any.
fn date_and_time(s: &str) -> Option<(Date, &str)> {
    let (date, rest) = leading_date(s)?;
    Some((date, skip_time(rest).unwrap_or(rest)))
}

/// Like [`date_and_time`], for a date with its day.
fn full_date(s: &str) -> Option<(Date, &str)> {
    date_and_time(s).filter(|(date, _)| date.is_full())
}

/// Whether what follows a marked date in folded text keeps to a byline
/// (`| Mis à jour…`, `, par Julie Martin`, end of line) rather than going
/// on with a sentence (`, le décret fixe…`).
fn continues_byline(s: &str) -> bool {
    let r = s.trim_start();
    if r.is_empty() || starts_with_separator(r) || r.starts_with(['(', ')', '[', ']']) {
        return true;
    }
    let r = match r.strip_prefix([',', ';', '.']) {
        Some(after) => {
            let after = after.trim_start();
            if after.is_empty() || starts_with_separator(after) || skip_time(after).is_some() {
                return true;
            }
            after
        }
        None => r,
    };
    strip_word(r, "par").is_some() || strip_marker(r).is_some()
}

/// The dates a folded line marks as parts of a byline: `Publié le 27 juin
/// 2023 à 11h02 | Mis à jour le 20 septembre 2023`, `Par Julie Martin — Publié
/// le 3 mars 2024`, `Par la rédaction | 3 mars 2024` (an author's date).
/// The markers must start the line or follow an author or another marked
/// date.
fn marked_dates(folded: &str) -> Vec<(Mark, Date)> {
    let mut found = Vec::new();
    let mut rest = folded.trim_start();
    let mut after_author = false;
    let mut after_label = false;
    while !rest.is_empty() {
        if let Some((mark, introduced, after)) = strip_marker(rest) {
            let Some((date, after_date)) = leading_date(after) else {
                break;
            };
            // A time makes a byline whatever follows (`à 11h02 Lecture 3 min`).
            let (timed, after) = match skip_time(after_date) {
                Some(after) => (true, after),
                None => (false, after_date),
            };
            // Without `le` or `:`, only a full date: `Publié 19/09/2023`.
            if !(introduced || date.is_full()) || !(timed || continues_byline(after)) {
                break;
            }
            found.push((mark, date));
            rest = skip_separators(after);
            after_author = false;
        } else if let Some(after) = strip_author(rest) {
            rest = after;
            after_author = true;
        } else if after_author {
            match full_date(rest) {
                Some((date, after)) if continues_byline(after) => {
                    found.push((Mark::Dated, date));
                    rest = skip_separators(after);
                    after_author = false;
                }
                _ => break,
            }
        } else if let Some(after) = strip_label(rest).filter(|_| found.is_empty() && !after_label) {
            // Only a marker may follow a label: `Actualités · 3 mars 2024`
            // alone is not taken.
            match strip_marker(after) {
                Some(_) => {
                    rest = after;
                    after_label = true;
                }
                None => break,
            }
        } else {
            break;
        }
    }
    found
}

/// The date of a dateline: on one of the first lines, `Le 3 mars 2024 —`,
/// `Le 3 mars 2024, le conseil…` or `3 mars 2024 | …`; on any line of the
/// top, a line holding only a date (`Mardi 14 mai 2024`, `14/05/2024`) or a
/// place and a date (`PARIS, 18 janv. 2022 —`, `Amiens, le 5 février
/// 2024`). `line` is the cleaned line, `folded` its folded form, `index`
/// its rank among non-empty lines.
fn dateline(line: &str, folded: &str, index: usize) -> Option<Date> {
    if index < DATELINE_LINES {
        let le_date = strip_word(folded, "le").and_then(leading_date);
        if let Some((date, rest)) = le_date.filter(|(date, _)| date.is_full()) {
            let time = skip_time(rest);
            let r = time.unwrap_or(rest).trim_start();
            // A time before a comma makes an appointment: `Le 14 mai 2024
            // à 18h30, réunion publique`.
            let comma = r.starts_with(',') && time.is_none();
            if r.is_empty() || r == "." || r.starts_with(':') || comma || starts_with_separator(r) {
                return Some(date);
            }
        }
        if let Some((date, rest)) = full_date(folded) {
            if starts_with_separator(rest.trim_start()) {
                return Some(date);
            }
        }
    }
    if let Some((date, rest)) = full_date(folded) {
        if matches!(rest.trim(), "" | ".") {
            return Some(date);
        }
    }
    let (place, after) = line.split_once(',')?;
    if !is_place(place) {
        return None;
    }
    let after = fold_line(after);
    let after = strip_word(&after, "le").unwrap_or(&after);
    let (date, rest) = full_date(after)?;
    let r = rest.trim();
    (matches!(r, "" | ".") || r.starts_with([':', '—', '–', '-'])).then_some(date)
}

/// Whether `text` (as written) looks like a place name opening a dateline:
/// 1 to 4 words, the first capitalised, the others capitalised or
/// particles (`Boulogne-sur-Mer`, `Villeneuve d'Ascq`, `PARIS`), not a word
/// that starts sentences (`Enfin`).
fn is_place(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    let capitalised = |w: &str| w.starts_with(char::is_uppercase);
    let name_chars = |w: &str| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    let first = fold(words[0]);
    if !capitalised(words[0]) || NOT_PLACES.contains(&first.as_str()) {
        return false;
    }
    // `Le, 3 mars` is no place; `Le Havre` is.
    if words.len() == 1 && (words[0].len() < 2 || PLACE_PARTICLES.contains(&first.as_str())) {
        return false;
    }
    words.iter().all(|w| {
        let folded = fold(w);
        let elided = ["d'", "l'"]
            .iter()
            .find_map(|p| folded.strip_prefix(p))
            .is_some_and(|_| w.chars().nth(2).is_some_and(char::is_uppercase));
        name_chars(w) && (capitalised(w) || elided || PLACE_PARTICLES.contains(&folded.as_str()))
    })
}

/// The publication date in an address, as ISO: `/2017/11/08/` →
/// `2017-11-08`, `/2016/07/titre` → `2016-07`, or a date between
/// separators in one part (`2023-10-03-titre`, `_20231003_`). A lone year
/// (`/2019/`) is too ambiguous, the query string and host are ignored.
pub fn url_date(url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let segments: Vec<&str> = path.split('/').collect();
    (0..segments.len())
        .find_map(|i| date_in_path(&segments[i..]).or_else(|| date_in_segment(segments[i])))
        .map(Date::iso)
}

/// A year of an address: 4 digits, from [`FIRST_URL_YEAR`].
fn url_year(s: &str) -> Option<u32> {
    let (d, rest) = digits(s);
    if d.len() != 4 || !rest.is_empty() {
        return None;
    }
    number(d).filter(|y| (FIRST_URL_YEAR..=LAST_YEAR).contains(y))
}

/// A number of 1 or 2 digits from 1 to `max`, alone in `s`.
fn small_number(s: &str, max: u32) -> Option<u32> {
    let (d, rest) = digits(s);
    if !(1..=2).contains(&d.len()) || !rest.is_empty() {
        return None;
    }
    number(d).filter(|v| (1..=max).contains(v))
}

/// `YYYY/MM[/DD]` at the start of path segments.
fn date_in_path(segments: &[&str]) -> Option<Date> {
    let year = url_year(segments.first()?)?;
    let month = small_number(segments.get(1)?, 12)?;
    let day = segments
        .get(2)
        .and_then(|s| small_number(s, 31))
        .unwrap_or(0);
    Date::new(year, month, day).or_else(|| Date::new(year, month, 0))
}

/// `YYYY-MM-DD` or `YYYYMMDD` between separators in one path segment.
fn date_in_segment(segment: &str) -> Option<Date> {
    let tokens: Vec<&str> = segment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .collect();
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    tokens.iter().enumerate().find_map(|(i, token)| {
        let (year, month, day) = if token.len() == 8 && token.bytes().all(|b| b.is_ascii_digit()) {
            (url_year(&token[..4])?, &token[4..6], &token[6..])
        } else {
            let year = url_year(token)?;
            let month = tokens.get(i + 1).copied().filter(|s| two_digits(s))?;
            let day = tokens.get(i + 2).copied().filter(|s| two_digits(s))?;
            (year, month, day)
        };
        let (month, day) = (number(month)?, number(day)?);
        if month == 0 || day == 0 {
            return None;
        }
        Date::new(year, month, day)
    })
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

    #[test]
    fn date_sources_round_trip() {
        for source in DateSource::ALL {
            assert_eq!(DateSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(DateSource::Byline.as_str(), "byline");
        assert_eq!(DateSource::parse("Byline"), None);
        assert_eq!(DateSource::parse(""), None);
    }

    #[test]
    fn abbreviated_months_follow_the_prefix_rule() {
        assert_eq!(month_number("sept."), Some(9));
        assert_eq!(month_number("juil."), Some(7));
        assert_eq!(month_number(&fold("févr.")), Some(2));
        assert_eq!(month_number(&fold("déc")), Some(12));
        assert_eq!(month_number("janv"), Some(1));
        assert_eq!(month_number("mai"), Some(5));
        assert_eq!(month_number("aout"), Some(8));
        // Too short, or the start of two months.
        assert_eq!(month_number("ju."), None);
        assert_eq!(month_number("jui"), None);
        assert_eq!(month_number("ma"), None);
        assert_eq!(month_number("mardi"), None);
        // English, as feeds write it.
        assert_eq!(month_number("mar"), Some(3));
        assert_eq!(month_number("may"), Some(5));
        assert_eq!(month_number("jun"), Some(6));
        assert_eq!(month_number("august"), Some(8));
    }

    #[test]
    fn iso_dates_keep_their_calendar_day() {
        let cases = [
            ("2023-09-19", "2023-09-19"),
            ("2023-09-19T10:00:00", "2023-09-19"),
            ("2023-09-19T10:00:00Z", "2023-09-19"),
            ("2023-09-19T23:30:00+02:00", "2023-09-19"),
            ("2023-09-19T10:00:00.250-05:00", "2023-09-19"),
            ("2023-09-19 10:00", "2023-09-19"),
            ("  2023-06  ", "2023-06"),
            ("2023", "2023"),
            ("2024-02-29", "2024-02-29"),
        ];
        for (written, iso) in cases {
            assert_eq!(parse_date(written).as_deref(), Some(iso), "{written}");
        }
    }

    #[test]
    fn day_first_and_french_dates() {
        let cases = [
            ("19/09/2023", "2023-09-19"),
            ("3/7/2023", "2023-07-03"),
            ("19-09-2023", "2023-09-19"),
            ("19.09.2023", "2023-09-19"),
            ("19/09/2023 à 11h02", "2023-09-19"),
            ("19/09/2023 11:02", "2023-09-19"),
            ("17 mars 2025", "2025-03-17"),
            ("1er février 2023", "2023-02-01"),
            ("1ER FÉVRIER 2023", "2023-02-01"),
            ("mardi 3 mars 2024", "2024-03-03"),
            ("Jeudi 14 novembre 2024", "2024-11-14"),
            ("3 mars 2024 à 10h30", "2024-03-03"),
            ("3 mars 2024 à 10h", "2024-03-03"),
            ("jeudi 1er août 2024 à 9 h 30", "2024-08-01"),
            ("18 janv. 2022", "2022-01-18"),
            ("5 févr. 2021", "2021-02-05"),
            ("avril 2025", "2025-04"),
            ("Août 2019", "2019-08"),
            ("2025", "2025"),
        ];
        for (written, iso) in cases {
            assert_eq!(parse_date(written).as_deref(), Some(iso), "{written}");
        }
    }

    #[test]
    fn feed_and_pdf_dates() {
        let cases = [
            ("Tue, 05 Mar 2024 08:00:00 +0100", "2024-03-05"),
            ("Tue, 05 Mar 2024 08:00:00 GMT", "2024-03-05"),
            ("Sun, 1 Sep 2019 23:59:59 -0700", "2019-09-01"),
            ("5 Mar 2024", "2024-03-05"),
            ("5 March 2024", "2024-03-05"),
            ("D:20240315093000+01'00'", "2024-03-15"),
            ("D:20240315093000Z", "2024-03-15"),
            ("D:202403", "2024-03"),
            ("D:2024", "2024"),
            ("20240315", "2024-03-15"),
        ];
        for (written, iso) in cases {
            assert_eq!(parse_date(written).as_deref(), Some(iso), "{written}");
        }
    }

    #[test]
    fn non_dates_are_refused() {
        for written in [
            "",
            "hier",
            "2023-13-01",
            "2023-00",
            "2023-02-29",
            "31/02/2023",
            "31/04/2024",
            "le 3",
            "Q3 2023",
            "3 mars",
            "3 ju 2024",
            "32 mars 2024",
            "1899",
            "2101-01-01",
            "le 3 mars 2024",
            "3 mars 2024 au soir",
            "3 mars 2024 à 25h00",
            "3 mars 2024 à 9 habitants",
            "2023-09-19T10:61",
            "D:20241301",
            "2024031",
            "12345",
            "40 000 logements",
        ] {
            assert_eq!(parse_date(written), None, "{written}");
        }
    }

    fn byline(text: &str) -> Option<String> {
        byline_date(text)
    }

    #[test]
    fn publication_markers() {
        let cases = [
            ("Publié le 19/09/2023\nLe bailleur lance sa campagne.", "2023-09-19"),
            (
                "Rénovation : la résidence des Tilleuls livrée\nPubliée le 19 septembre 2023 à 11h02\nLes locataires…",
                "2023-09-19",
            ),
            ("Publié : 19/09/2023", "2023-09-19"),
            ("Date de publication : 14 mai 2024", "2024-05-14"),
            ("Mis en ligne le 2 octobre 2023, 16:45", "2023-10-02"),
            ("Article publié le 9 déc. 2022 par Julie Martin", "2022-12-09"),
            ("Par Julie Martin — Publié le 3 mars 2024", "2024-03-03"),
            ("Par Julie Martin, publiée le 3 mars 2024", "2024-03-03"),
            ("Par la rédaction | 3 mars 2024", "2024-03-03"),
            ("**Publié le 3 mars 2024**", "2024-03-03"),
            ("Publié par Paul Durand le 4 avril 2024", "2024-04-04"),
            (
                "Mis à jour le 28/06/2023 | Publié le 19/09/2023 à 09h15",
                "2023-09-19",
            ),
            ("Publié le 19/09/2023 | Mis à jour le 28/06/2023", "2023-09-19"),
        ];
        for (text, iso) in cases {
            assert_eq!(byline(text).as_deref(), Some(iso), "{text}");
        }
    }

    #[test]
    fn updates_count_only_without_publication() {
        let text = "Loyers : ce qui change\nMis à jour le 20 septembre 2023\nLe décret paraît.";
        assert_eq!(byline(text).as_deref(), Some("2023-09-20"));
        let text =
            "Loyers : ce qui change\nMis à jour le 20 septembre 2023\nPublié le 20 juin 2023";
        assert_eq!(byline(text).as_deref(), Some("2023-06-20"));
        // A dateline is a publication date: it beats an update.
        let text = "Mis à jour le 20 septembre 2023\nLILLE, 20 juin 2023 — Le bailleur…";
        assert_eq!(byline(text).as_deref(), Some("2023-06-20"));
    }

    #[test]
    fn datelines() {
        let cases = [
            ("Le 3 mars 2024 — La métropole vote son PLH.", "2024-03-03"),
            ("Le 3 mars 2024 : la métropole vote son PLH.", "2024-03-03"),
            (
                "Logement social\nLe 3 mars 2024, le conseil municipal a voté le budget.",
                "2024-03-03",
            ),
            (
                "PARIS, 18 janv. 2022 — Le gouvernement présente son plan.",
                "2022-01-18",
            ),
            (
                "Amiens, le 5 février 2024 – L'office public livre 40 logements.",
                "2024-02-05",
            ),
            (
                "Communiqué\nVilleneuve d'Ascq, le 5 février 2024\nLe bailleur…",
                "2024-02-05",
            ),
            (
                "Boulogne-sur-Mer, 1er juillet 2023 : inauguration.",
                "2023-07-01",
            ),
            (
                "Une nouvelle résidence\n14 mai 2024\nLa commune accueille…",
                "2024-05-14",
            ),
            (
                "Une nouvelle résidence\nMardi 14 mai 2024\nLa commune…",
                "2024-05-14",
            ),
            (
                "Une nouvelle résidence\n14/05/2024\nLa commune…",
                "2024-05-14",
            ),
            ("3 mars 2024 | Actualités\nLe bailleur…", "2024-03-03"),
        ];
        for (text, iso) in cases {
            assert_eq!(byline(text).as_deref(), Some(iso), "{text}");
        }
    }

    #[test]
    fn event_dates_are_not_bylines() {
        for text in [
            "La loi du 6 juillet 1989 a créé l'aide personnalisée.",
            "L'agence, créée le 14 octobre 2003, il y a vingt ans, change de nom.",
            "Les travaux débuteront le 1er septembre 2025 dans le quartier.",
            "Depuis le 12 mars 2020, les loyers sont gelés.",
            "Le dispositif court jusqu'au 30 juin 2024.",
            "Le rapport publié le 3 mars 2024 par la Fondation montre une hausse.",
            "Publié le 12 mars 2020, le décret fixe les plafonds.",
            "Publié le 12 mars 2020 au Journal officiel, le décret…",
            "Le 1er janvier 2025 à Lyon, une nouvelle règle entre en vigueur.",
            "Le mardi 14 mai 2024 à 18h30, réunion publique en mairie.",
            "Enfin, le 5 février 2024 : date limite des candidatures.",
            "Publication 2024 de la Fondation pour le logement",
            "Publié en 2023, le guide est toujours à jour.",
            "Publié le 3 mars",
        ] {
            assert_eq!(byline(text), None, "{text}");
        }
        // A line starting with a date is an event deeper in the text.
        let text = "Un nouveau quartier\nLa commune construit.\nLes travaux avancent.\n\
                    Le 3 mars 2024, le conseil municipal a voté le budget.";
        assert_eq!(byline(text), None);
        let text = "Un nouveau quartier\nLa commune construit.\nLes travaux avancent.\n\
                    Le 3 mars 2024 : vote du budget.\nLe 5 avril 2024 : premiers travaux.";
        assert_eq!(byline(text), None);
    }

    #[test]
    fn datelines_stand_above_the_body() {
        // An agenda: the dates under a paragraph of prose are events.
        let agenda = "Agenda des locataires\n\
                      Retrouvez ici les rendez-vous proposés aux locataires de nos résidences cet automne.\n\
                      Samedi 12 octobre 2024\nFête de quartier aux Tilleuls.";
        assert_eq!(byline(agenda), None);
        // The same date line above the body dates the article.
        let dated = "Agenda des locataires\nSamedi 12 octobre 2024\n\
                     Retrouvez ici les rendez-vous proposés aux locataires de nos résidences cet automne.";
        assert_eq!(byline(dated).as_deref(), Some("2024-10-12"));
        // A publication marker is taken below the first paragraph too.
        let marked = "Un titre\nUn chapeau assez long pour être un paragraphe de prose du corps.\n\
                      Publié le 3 mars 2024";
        assert_eq!(byline(marked).as_deref(), Some("2024-03-03"));
    }

    #[test]
    fn a_short_label_may_precede_a_byline() {
        assert_eq!(
            byline("Titre\nActualités · Publié le 3 mars 2024").as_deref(),
            Some("2024-03-03")
        );
        assert_eq!(
            byline("Titre\nEspace presse | Mis à jour le 12/01/2024").as_deref(),
            Some("2024-01-12")
        );
        // A label then a bare date is not a byline; nor is a long label.
        assert_eq!(byline("Titre\nActualités · 3 mars 2024 : réunion"), None);
        assert_eq!(
            byline("Titre\nLe conseil de quartier du centre · Publié le 3 mars 2024"),
            None
        );
    }

    #[test]
    fn bylines_are_read_near_the_top_and_publication_at_the_bottom() {
        let mut text = String::from("Un nouveau quartier sort de terre\n");
        for i in 0..10 {
            text.push_str(&format!("Paragraphe {i} sur les logements.\n"));
        }
        let late = format!("{text}Publié le 8 avril 2024\n");
        assert_eq!(byline(&late).as_deref(), Some("2024-04-08"));
        // Datelines and updates count only at the top.
        assert_eq!(byline(&format!("{text}PARIS, 8 avril 2024 —\n")), None);
        assert_eq!(byline(&format!("{text}Mis à jour le 8 avril 2024\n")), None);
        assert_eq!(
            byline(&format!("{text}Publié le 8 avril 2024\nFin.\n")).as_deref(),
            Some("2024-04-08")
        );
        // Past the first lines or bytes, nothing is read at the top.
        let mut long = "Un long chapeau sur le logement social. ".repeat(25);
        long.push_str("\nPARIS, 8 avril 2024 —\nSuite.\nSuite.\nSuite.\nSuite.\nSuite.\nSuite.");
        assert_eq!(byline(&long), None);
    }

    #[test]
    fn dates_in_addresses() {
        let cases = [
            (
                "https://site.fr/2017/11/08/titre-de-l-article",
                "2017-11-08",
            ),
            ("https://site.fr/2016/07/titre", "2016-07"),
            ("https://site.fr/2016/7/5/titre", "2016-07-05"),
            (
                "https://site.fr/actualites/2023-10-03-titre-de-l-article",
                "2023-10-03",
            ),
            (
                "https://site.fr/logement/plan_20231003_quartier.html",
                "2023-10-03",
            ),
            ("https://site.fr/a/20231003", "2023-10-03"),
            ("site.fr/2017/11/08/titre", "2017-11-08"),
            ("https://site.fr/2023/02/30/titre", "2023-02"),
        ];
        for (url, iso) in cases {
            assert_eq!(url_date(url).as_deref(), Some(iso), "{url}");
        }
        for url in [
            "https://site.fr/2019/",
            "https://site.fr/actualites/2019/bilan-annuel",
            "https://site.fr/article?id=20231003",
            "https://site.fr/article#2017/11/08",
            "https://site.fr/1985/07/25/titre",
            "https://site.fr/article20231003",
            "https://site.fr/p/20231340_x",
            "https://site2016.fr/12/titre",
            "https://site.fr/2016/13/titre",
            "https://site.fr/logements-2023-plan",
        ] {
            assert_eq!(url_date(url), None, "{url}");
        }
    }
}
