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
/// character long (`L O G E M E N T`, `■ Y ■ Eu ■`). One pass over the
/// characters counts both.
fn is_noise(line: &str) -> bool {
    let (mut visible, mut alphanumeric) = (0usize, 0usize);
    let (mut tokens, mut single, mut run) = (0usize, 0usize, 0usize);
    let mut end_token = |run: &mut usize| {
        if *run > 0 {
            tokens += 1;
            single += usize::from(*run == 1);
            *run = 0;
        }
    };
    for c in line.chars() {
        if c.is_whitespace() {
            end_token(&mut run);
            continue;
        }
        visible += 1;
        run += 1;
        alphanumeric += usize::from(c.is_alphanumeric());
    }
    end_token(&mut run);
    if visible == 0 {
        return false;
    }
    alphanumeric * 2 < visible || (tokens >= 6 && single * 10 >= tokens * 6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule in two plain passes, as first written: the twin of the
    /// one-pass count.
    fn is_noise_plain(line: &str) -> bool {
        let visible = line.chars().filter(|c| !c.is_whitespace()).count();
        let alphanumeric = line
            .chars()
            .filter(|c| !c.is_whitespace() && c.is_alphanumeric())
            .count();
        if visible == 0 {
            return false;
        }
        if alphanumeric * 2 < visible {
            return true;
        }
        let tokens = line.split_whitespace().count();
        let single = line
            .split_whitespace()
            .filter(|t| t.chars().nth(1).is_none())
            .count();
        tokens >= 6 && single * 10 >= tokens * 6
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(400))]

        #[test]
        fn one_pass_counts_as_two_passes(line in prop_oneof![
            "[a-zA-Zé■•|#_ \t0-9.,-]{0,80}",
            any::<String>(),
        ]) {
            prop_assert_eq!(is_noise(&line), is_noise_plain(&line));
        }
    }

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
