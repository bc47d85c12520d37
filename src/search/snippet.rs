//! Snippets: a short excerpt of a passage, cut around the densest cluster
//! of highlights, at spaces, with whitespace runs folded and `…` where it
//! was cut.

/// Longest snippet, in bytes of the original text.
pub const SNIPPET_BYTES: usize = 280;

/// A snippet: an excerpt of the passage with whitespace runs folded into
/// one space, `…` where it was cut, and the highlights within it as byte
/// ranges of the excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The excerpt.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// Builds the snippet of `text` around its densest cluster of highlights.
pub fn snippet(text: &str, highlights: &[(usize, usize)], max_bytes: usize) -> Snippet {
    let (start, end) = window(text, highlights, max_bytes);
    let mut out = Snippet {
        text: String::with_capacity(end - start + 8),
        highlights: Vec::new(),
    };
    if start > 0 {
        out.text.push_str("… ");
    }
    let mut pending = highlights
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .peekable();
    let mut open: Option<usize> = None;
    let mut in_space = false;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        if let Some(&&(s, _)) = pending.peek() {
            if s == at {
                open = Some(out.text.len());
            }
        }
        if c.is_whitespace() {
            if !in_space {
                out.text.push(' ');
            }
            in_space = true;
        } else {
            out.text.push(c);
            in_space = false;
        }
        if let (Some(from), Some(&&(_, e))) = (open, pending.peek()) {
            if at + c.len_utf8() == e {
                out.highlights.push((from, out.text.len()));
                open = None;
                pending.next();
            }
        }
    }
    if end < text.len() {
        out.text.push_str(" …");
    }
    out
}

/// The byte range of the excerpt: the whole text when short enough, else a
/// window of about `max_bytes` holding the most highlights, cut at spaces.
fn window(text: &str, highlights: &[(usize, usize)], max_bytes: usize) -> (usize, usize) {
    if text.len() <= max_bytes {
        return (0, text.len());
    }
    // Start a little before the highlight that begins the densest window.
    let lead = max_bytes / 6;
    let mut best = (0usize, 0usize);
    for (i, &(s, _)) in highlights.iter().enumerate() {
        let count = highlights[i..]
            .iter()
            .take_while(|&&(_, e)| e <= s + max_bytes - lead)
            .count();
        if count > best.1 {
            best = (s, count);
        }
    }
    let anchor = if best.1 == 0 { 0 } else { best.0 };
    let mut start = floor_boundary(text, anchor.saturating_sub(lead));
    if start > 0 {
        // Begin at a word: after the first space in the lead.
        if let Some((space, c)) = text[start..anchor.max(start)]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            // The space may be wider than a byte (no-break space).
            start += space + c.len_utf8();
        }
    }
    let mut end = floor_boundary(text, (start + max_bytes).min(text.len()));
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(char::is_whitespace) {
            if space > 0 {
                end = start + space;
            }
        }
    }
    (start, end)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_start_after_wide_spaces() {
        // A no-break space (2 bytes) in the lead before the highlight.
        let text = format!(
            "{}\u{a0}{} PSLA {}",
            "a".repeat(150),
            "b".repeat(40),
            "c".repeat(400)
        );
        let at = text.find("PSLA").unwrap();
        let s = snippet(&text, &[(at, at + 4)], 200);
        assert!(s.text.contains("PSLA"), "{}", s.text);
    }

    #[test]
    fn snippet_of_a_short_text_is_the_text_with_spaces_folded() {
        let text = "SÉLESTAT Quai\n\n 6 PLS 16 PSLA";
        let psla = text.find("PSLA").unwrap();
        let s = snippet(text, &[(0, "SÉLESTAT".len()), (psla, psla + 4)], 200);
        assert_eq!(s.text, "SÉLESTAT Quai 6 PLS 16 PSLA");
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert_eq!(marked, ["SÉLESTAT", "PSLA"]);
    }

    #[test]
    fn snippet_of_a_long_text_centres_on_the_highlights() {
        let text = format!(
            "{} PSLA à Compiègne. {}",
            "avant ".repeat(100),
            "après ".repeat(100)
        );
        let s = text.find("PSLA").unwrap();
        let c = text.find("Compiègne").unwrap();
        let snip = snippet(&text, &[(s, s + 4), (c, c + "Compiègne".len())], 120);
        assert!(snip.text.starts_with("… avant"), "{}", snip.text);
        assert!(snip.text.ends_with(" …"), "{}", snip.text);
        assert!(snip.text.len() <= 120 + 10);
        let marked: Vec<&str> = snip
            .highlights
            .iter()
            .map(|&(a, b)| &snip.text[a..b])
            .collect();
        assert_eq!(marked, ["PSLA", "Compiègne"]);
    }
}
