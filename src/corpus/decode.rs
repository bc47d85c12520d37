//! Turning the bytes of an article file into clean text: scraped pages and
//! PDF extractions come in several encodings and carry control characters.
//!
//! - UTF-8, with or without a byte-order mark, is read as is;
//! - UTF-16 (little or big endian) with a byte-order mark is decoded;
//! - other bytes that are not UTF-8 are read as Windows-1252 (the Latin-1
//!   superset old French sites and exports use), unless they are mostly
//!   UTF-8 with a few broken sequences, which become U+FFFD;
//! - files with NUL bytes or many control bytes are binary and refused.
//!
//! Every decoded text is then [`clean`]ed: line ends become `\n`, control
//! characters become spaces.

use std::borrow::Cow;

/// How a file's bytes were decoded, when it was not plain UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// UTF-16 behind a byte-order mark.
    Utf16,
    /// Not UTF-8: read as Windows-1252.
    Windows1252,
    /// UTF-8 with invalid sequences replaced by U+FFFD.
    RepairedUtf8,
}

impl std::fmt::Display for Conversion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conversion::Utf16 => "decoded from UTF-16",
            Conversion::Windows1252 => "not UTF-8: read as Windows-1252 (Latin-1)",
            Conversion::RepairedUtf8 => "invalid UTF-8 sequences replaced",
        })
    }
}

/// Decoded text, and how it was decoded when not plain UTF-8.
#[derive(Debug)]
pub struct Decoded {
    /// The text, clean.
    pub text: String,
    /// How it was converted, if it was.
    pub conversion: Option<Conversion>,
}

/// Bytes that are not text: NUL bytes or control bytes beyond a few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("binary file, not text")]
pub struct Binary;

/// Decodes the bytes of a text file, or says they are not text.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Binary> {
    if let Some(text) = decode_utf16(&bytes) {
        return Ok(Decoded {
            text: clean(&text).into_owned(),
            conversion: Some(Conversion::Utf16),
        });
    }
    if looks_binary(&bytes) {
        return Err(Binary);
    }
    let (text, conversion) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let (text, conversion) = repair(e.as_bytes());
            (text, Some(conversion))
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    Ok(Decoded {
        text: clean(text).into_owned(),
        conversion,
    })
}

/// Bytes that are not valid UTF-8 as text: UTF-8 with U+FFFD for the
/// broken sequences when they are the exception, else Windows-1252.
pub fn repair(bytes: &[u8]) -> (String, Conversion) {
    if mostly_utf8(bytes) {
        let text = String::from_utf8_lossy(bytes).into_owned();
        (text, Conversion::RepairedUtf8)
    } else {
        (windows_1252(bytes), Conversion::Windows1252)
    }
}

/// UTF-16 text behind a byte-order mark; unpaired surrogates become U+FFFD.
pub fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// More than one NUL byte in a hundred (and 8 at least), or one control
/// byte in ten, in the first 8 KiB: a stray NUL in a PDF extraction is
/// cleaned, not refused.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let count = |f: fn(u8) -> bool| head.iter().filter(|&&b| f(b)).count();
    let nuls = count(|b| b == 0);
    let controls = count(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C));
    nuls * 100 > head.len().max(800) || controls * 10 > head.len()
}

/// Whether invalid bytes are the exception among non-ASCII text: more
/// well-formed multi-byte sequences than broken ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid > invalid
}

/// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Line ends as `\n` (CRLF and lone CR); control characters other than
/// line and tab, terminal escape sequences, U+FFFD and stray byte-order
/// marks as spaces: what the analyzer, the passage splitter and the
/// snippets can rely on.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !any_needs_cleaning(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            // A terminal colour sequence (`ESC[31m`) goes whole.
            '\u{1B}' if chars.peek() == Some(&'[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
                out.push(' ');
            }
            c if needs_cleaning(c) => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a character of `text` needs cleaning, read from its UTF-8
/// bytes: the characters [`needs_cleaning`] names all start with a byte
/// below 0x20, 0x7F, or 0xC2 (C1 controls), 0xE2 (line and paragraph
/// separators) or 0xEF (replacement character, byte-order mark), which most
/// text never holds.
fn any_needs_cleaning(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Controls first (a loop the compiler vectorises), then each byte that
    // may start a wider character to clean (found by `memchr`).
    if bytes
        .iter()
        .any(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F)
    {
        return true;
    }
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, bytes).any(|i| match bytes[i] {
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        0xE2 => bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)),
        _ => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0xBF), Some(0xBD)) | (Some(0xBB), Some(0xBF))
        ),
    })
}

fn needs_cleaning(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{FFFD}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::testing::proptest_config(500))]

        /// The twin of the byte scan: it finds a character to clean exactly
        /// when one of the characters does.
        #[test]
        fn the_byte_scan_agrees_with_the_characters(text in prop_oneof![
            any::<String>(),
            "[a-zé\u{0}-\u{1f}\u{7f}-\u{a0}\u{2028}\u{2029}\u{fffd}\u{feff}\u{2019} ]{0,40}",
        ]) {
            prop_assert_eq!(any_needs_cleaning(&text), text.chars().any(needs_cleaning));
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Logements à Compiègne".as_bytes().to_vec()).unwrap();
        assert_eq!(plain.text, "Logements à Compiègne");
        assert_eq!(plain.conversion, None);
        let bom = decode(b"\xEF\xBB\xBFCoeur".to_vec()).unwrap();
        assert_eq!(bom.text, "Coeur");
    }

    #[test]
    fn utf16_both_endians() {
        let text = "Cœur de Ville\r\nà Senlis";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        for bytes in [le, be] {
            let decoded = decode(bytes).unwrap();
            assert_eq!(decoded.text, "Cœur de Ville\nà Senlis");
            assert_eq!(decoded.conversion, Some(Conversion::Utf16));
        }
    }

    #[test]
    fn latin1_is_read_as_windows_1252() {
        let decoded = decode(b"Compi\xE8gne \x80 \x9Cuvre \x92".to_vec()).unwrap();
        assert_eq!(decoded.text, "Compiègne € œuvre ’");
        assert_eq!(decoded.conversion, Some(Conversion::Windows1252));
    }

    #[test]
    fn a_few_broken_sequences_in_utf8_are_replaced() {
        let mut bytes = "Compiègne, Cœur, écoles, théâtre ".as_bytes().to_vec();
        bytes.push(0xC3); // truncated sequence
        let decoded = decode(bytes).unwrap();
        assert_eq!(decoded.conversion, Some(Conversion::RepairedUtf8));
        assert_eq!(decoded.text, "Compiègne, Cœur, écoles, théâtre  ");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"PK\x03\x04\x00\x00binary".to_vec()).is_err());
        assert!(decode(vec![0x01; 100]).is_err());
        assert!(decode(Vec::new()).is_ok());
        let stray = decode(b"un logement\x00 social parmi d'autres mots".to_vec()).unwrap();
        assert_eq!(stray.text, "un logement  social parmi d'autres mots");
    }

    #[test]
    fn line_ends_and_control_characters() {
        assert_eq!(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(clean("tab\there\u{7}\u{85}x"), "tab\there  x");
        assert_eq!(clean("\u{1B}[31mrouge\u{1B}[0m vif"), " rouge  vif");
        assert!(matches!(clean("déjà propre\n"), Cow::Borrowed(_)));
    }
}
