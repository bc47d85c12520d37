//! Units and symbols: THE rule that makes `€`, `EUR` and `euros` one word,
//! `m²` and `m2` one word, and `%` the word `pourcent` (the glossary ties
//! it to `pour cent`), for texts and queries alike. A symbol is a word of
//! its own, at its offsets, so highlights mark it.

/// The word a symbol stands for, if it is a unit symbol.
pub(crate) fn symbol_word(c: char) -> Option<&'static str> {
    match c {
        '€' => Some("euros"),
        '%' => Some("pourcent"),
        _ => None,
    }
}

/// The word a whole written word stands for: `EUR` in capitals is euros.
pub(crate) fn unit_word(written: &str) -> Option<&'static str> {
    (written == "EUR").then_some("euros")
}

/// Whether the piece `text[from..to]` is an exponent (`²`, `³`) to join to
/// the unit right before it (`m²`, `km²`, `m³`), which ends at `before`.
pub(crate) fn is_exponent_of(text: &str, before: usize, from: usize, to: usize) -> bool {
    before == from
        && matches!(&text[from..to], "²" | "³")
        && text[..from]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
}

/// The unit symbols in `text[from..to]` (a gap between words), with their
/// byte ranges.
pub(crate) fn symbols(
    text: &str,
    from: usize,
    to: usize,
) -> impl Iterator<Item = (usize, usize, &'static str)> + '_ {
    let gap = &text[from..to];
    // Most gaps are a space or punctuation: no symbol to look for.
    let any = gap.contains(['%', '€']);
    gap.char_indices()
        .filter(move |_| any)
        .filter_map(move |(i, c)| symbol_word(c).map(|w| (from + i, from + i + c.len_utf8(), w)))
}
