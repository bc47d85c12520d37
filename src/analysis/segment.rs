//! Step 1 of the analysis: cutting text into word pieces.
//!
//! A piece is a UAX #29 word (`unicode-segmentation`) holding at least one
//! letter or digit, cut again at the connectors UAX #29 keeps inside words
//! but French uses as separators (narrow no-break space, underscore).
//!
//! ASCII whitespace always separates words, so the text is cut there first;
//! a run of pure ASCII (most French words are) takes a fast path applying
//! the UAX #29 rules for ASCII, the others go through `unicode-segmentation`.
//! A property test pins the fast path to the reference.

use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of words in a text.
pub(crate) type Ranges = Vec<(usize, usize)>;

/// The word pieces of `text`, as byte ranges, in order.
pub(crate) fn pieces(text: &str) -> Ranges {
    pieces_of(text, word_segments)
}

/// A word segmentation: hands each segment of a text, with its offset, to
/// the callback.
type Segmentation = fn(&str, &mut dyn FnMut(usize, &str));

/// The pieces of `text`, given a word segmentation.
fn pieces_of(text: &str, segmentation: Segmentation) -> Ranges {
    let mut pieces = Vec::new();
    segmentation(text, &mut |start, segment| {
        if !segment.chars().any(char::is_alphanumeric) {
            return;
        }
        let mut piece_start = start;
        for (i, c) in segment.char_indices() {
            if c.is_whitespace() || c == '_' || c == '\u{203F}' || c == '\u{2040}' {
                push_piece(text, piece_start, start + i, &mut pieces);
                piece_start = start + i + c.len_utf8();
            }
        }
        push_piece(text, piece_start, start + segment.len(), &mut pieces);
    });
    pieces
}

fn push_piece(text: &str, from: usize, to: usize, pieces: &mut Ranges) {
    if from < to && text[from..to].chars().any(char::is_alphanumeric) {
        pieces.push((from, to));
    }
}

/// The UAX #29 word segments of `text`, with their offsets: ASCII runs
/// between ASCII spaces by the fast path, the others by
/// `unicode-segmentation`.
fn word_segments(text: &str, segment: &mut dyn FnMut(usize, &str)) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for end in (0..=bytes.len()).filter(|&i| i == bytes.len() || bytes[i].is_ascii_whitespace()) {
        if run_start < end {
            let run = &text[run_start..end];
            if run.is_ascii() {
                ascii_segments(run, run_start, segment);
            } else {
                for (start, word) in run.split_word_bound_indices() {
                    segment(run_start + start, word);
                }
            }
        }
        run_start = end + 1;
    }
}

/// UAX #29 word break classes of the ASCII characters that are not spaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiBreak {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `,` `;`
    MidNum,
    /// `.` and the apostrophe (MidNumLet and Single_Quote behave alike).
    MidNumLet,
    /// `_`
    ExtendNumLet,
    Other,
}

fn ascii_break(byte: u8) -> AsciiBreak {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => AsciiBreak::Letter,
        b'0'..=b'9' => AsciiBreak::Numeric,
        b':' => AsciiBreak::MidLetter,
        b',' | b';' => AsciiBreak::MidNum,
        b'.' | b'\'' => AsciiBreak::MidNumLet,
        b'_' => AsciiBreak::ExtendNumLet,
        _ => AsciiBreak::Other,
    }
}

/// Hands over the segments of an ASCII run without spaces that hold a
/// letter or digit: UAX #29 rules WB5 to WB13b, the only ones that apply.
fn ascii_segments(run: &str, offset: usize, segment: &mut dyn FnMut(usize, &str)) {
    use AsciiBreak::*;
    // Classes read from the bytes as needed: no allocation per word.
    let bytes = run.as_bytes();
    let at = |i: usize| bytes.get(i).copied().map(ascii_break);
    let joined = |i: usize| -> bool {
        // Whether there is no break between bytes i - 1 and i.
        let (before, prev, next, after) = (
            i.checked_sub(2).and_then(at),
            ascii_break(bytes[i - 1]),
            ascii_break(bytes[i]),
            at(i + 1),
        );
        match (prev, next) {
            (Letter | Numeric, Letter | Numeric) => true,
            (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,
            (ExtendNumLet, Letter | Numeric) => true,
            (Letter, MidLetter | MidNumLet) => after == Some(Letter),
            (MidLetter | MidNumLet, Letter) => before == Some(Letter),
            (Numeric, MidNum | MidNumLet) => after == Some(Numeric),
            (MidNum | MidNumLet, Numeric) => before == Some(Numeric),
            _ => false,
        }
    };
    let mut start = 0;
    for i in 1..=bytes.len() {
        if i < bytes.len() && joined(i) {
            continue;
        }
        if bytes[start..i].iter().any(u8::is_ascii_alphanumeric) {
            segment(offset + start, &run[start..i]);
        }
        start = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The pieces with the fast path, and with `unicode-segmentation` on
    /// the whole text.
    fn both_segmentations(text: &str) -> (Ranges, Ranges) {
        let whole: Segmentation = |text, segment| {
            for (start, word) in text.split_word_bound_indices() {
                segment(start, word);
            }
        };
        (pieces(text), pieces_of(text, whole))
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(2000))]

        #[test]
        fn the_ascii_fast_path_segments_as_uax29(
            text in prop_oneof![
                "[a-zA-Z0-9:;,.'_\\-/\"()@ \t\n\r]{0,60}",
                "[a-cA-C0-2:;,.'_ \n\u{a0}\u{202f}éœ’\u{301}\u{ad}\u{200d}]{0,40}",
                any::<String>(),
            ]
        ) {
            let (fast, reference) = both_segmentations(&text);
            prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn the_ascii_fast_path_on_french() {
        for text in [
            "l'Oise, 3.5 A.I.A a:b 10:30 1,5 a,b CO2 3F x_y _a a_ 1.a a.1 'a a' ..",
            "Cœur de Ville: 1 228 logements à Compiègne (Oise) - PSLA/PLAI l’OPH",
        ] {
            let (fast, reference) = both_segmentations(text);
            assert_eq!(fast, reference, "{text}");
        }
    }

    #[test]
    fn narrow_spaces_and_underscores_separate() {
        let text = "40\u{202F}000 a_b";
        let cut: Vec<&str> = pieces(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(cut, ["40", "000", "a", "b"]);
    }
}
