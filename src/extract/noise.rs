//! Lines that are debris, not prose: rules and boxes of symbols from PDF
//! extraction, letter-spaced headers, page furniture. Their words stay
//! searchable, but no facet value is taken from them: a `Nice` or a `Y`
//! between box-drawing characters names no place.

use std::ops::Range;

/// Byte ranges of the noise lines of `text`, in order.
pub fn noise_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if is_noise(line) {
            out.push(start..start + line.len());
        }
        start += line.len();
    }
    out
}

/// A line is noise when fewer than half of its visible characters are
/// letters or digits, or when most of its (at least six) tokens are one
/// character long (`L O G E M E N T`, `■ Y ■ Eu ■`).
fn is_noise(line: &str) -> bool {
    let (mut visible, mut alphanumeric) = (0usize, 0usize);
    for c in line.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphanumeric() {
            alphanumeric += 1;
        }
    }
    if visible == 0 {
        return false;
    }
    if alphanumeric * 2 < visible {
        return true;
    }
    let (mut tokens, mut single) = (0usize, 0usize);
    for token in line.split_whitespace() {
        tokens += 1;
        if token.chars().nth(1).is_none() {
            single += 1;
        }
    }
    tokens >= 6 && single * 10 >= tokens * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_not_noise() {
        for line in [
            "Le bailleur livre 40 logements à Compiègne.",
            "2019 | 2020 | 1 228 | 345",
            "— Paris, le 3 mars —",
            "À Y, un projet",
            "",
        ] {
            assert!(!is_noise(line), "{line}");
        }
    }

    #[test]
    fn debris_is_noise() {
        for line in [
            "■■■■ Nice ■■■■■■■ ■■■",
            "|| Orange || ## || Lille ||| ==== |||",
            "L O G E M E N T   S O C I A L",
            "• Y • Eu • Us • Gy • Oô •",
            "______________ Page 3 / 12 ______________",
        ] {
            assert!(is_noise(line), "{line}");
        }
    }

    #[test]
    fn ranges_cover_whole_lines() {
        let text = "Titre\n■■■ ■■■\nSuite";
        let ranges = noise_lines(text);
        assert_eq!(ranges.len(), 1);
        assert_eq!(&text[ranges[0].clone()], "■■■ ■■■\n");
    }
}
