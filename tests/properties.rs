//! Property tests: the analyzer, the passage splitter, highlights, snippets,
//! the decoder and the query parser hold their invariants on any input.

use proptest::prelude::*;

use logis::analysis::{field_tokens, Analyzer, StemCache, TermForm, MAX_WORD_BYTES};
use logis::corpus::{decode, passages};
use logis::search::highlight::{highlights, snippet};
use logis::search::query::{check_limits, parse, AnalysedItem};

/// French-looking text: letters with accents and ligatures, both
/// apostrophes, digit groups with (no-break) spaces, punctuation, lines.
fn french() -> impl Strategy<Value = String> {
    "[a-zA-Zàâçéèêëîïôûùüÿœæ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n\t-]{0,300}"
}

/// Any text: French-looking or arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![french(), any::<String>(), "\\PC{0,200}"]
}

proptest! {
    #![proptest_config(ProptestConfig {
        // PROPTEST_CASES raises it for a long run.
        cases: ProptestConfig::default().cases.max(400),
        // Failures are reported with their minimal input; nothing is
        // written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn words_lie_on_char_boundaries_inside_the_text(text in text()) {
        let analyzer = Analyzer::default();
        let words = analyzer.words(&text);
        let mut previous_end = 0;
        for word in &words {
            prop_assert!(word.from < word.to && word.to <= text.len());
            prop_assert!(text.is_char_boundary(word.from) && text.is_char_boundary(word.to));
            prop_assert!(word.from >= previous_end, "words overlap");
            previous_end = word.to;
            prop_assert!(!word.folded.is_empty() && word.folded.len() <= MAX_WORD_BYTES);
            prop_assert!(!word.folded.chars().any(char::is_uppercase), "{:?}", word.folded);
        }
    }

    #[test]
    fn tokens_keep_the_words_offsets(text in text()) {
        let analyzer = Analyzer::default();
        let words = analyzer.words(&text);
        let mut cache = StemCache::default();
        for form in [TermForm::Stemmed, TermForm::Exact] {
            let mut tokens = Vec::new();
            field_tokens(&analyzer, &words, 0, form, &mut cache, &mut tokens);
            prop_assert!(tokens.len() >= words.len());
            let mut position = 0;
            for token in &tokens {
                prop_assert!(token.position >= position);
                position = token.position;
                prop_assert!(token.offset_to <= text.len());
                prop_assert!(text.is_char_boundary(token.offset_from));
                prop_assert!(text.is_char_boundary(token.offset_to));
                prop_assert!(!token.text.is_empty());
            }
        }
    }

    #[test]
    fn passages_are_ordered_trimmed_slices_of_the_text(text in text()) {
        let passages = passages::split(&text);
        let mut previous_end = 0;
        for (i, passage) in passages.iter().enumerate() {
            prop_assert_eq!(passage.ordinal as usize, i);
            prop_assert!(passage.start < passage.end && passage.end <= text.len());
            prop_assert!(text.is_char_boundary(passage.start));
            prop_assert!(text.is_char_boundary(passage.end));
            prop_assert!(passage.start >= previous_end, "passages overlap");
            previous_end = passage.end;
            let slice = passage.text(&text);
            prop_assert_eq!(slice, slice.trim());
        }
    }

    #[test]
    fn every_word_of_the_text_is_in_a_passage(text in french()) {
        let analyzer = Analyzer::default();
        let passages = passages::split(&text);
        for word in analyzer.words(&text) {
            prop_assert!(
                passages.iter().any(|p| p.start <= word.from && word.to <= p.end),
                "{:?} in no passage", &text[word.from..word.to]
            );
        }
    }

    #[test]
    fn highlights_cover_every_matched_word(text in french(), picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4)) {
        let analyzer = Analyzer::default();
        let words = analyzer.words(&text);
        prop_assume!(!words.is_empty());
        // Query words taken from the text, typed in lower case.
        let items: Vec<AnalysedItem> = picks
            .iter()
            .filter_map(|pick| AnalysedItem::new(&analyzer, &words[pick.index(words.len())].folded))
            .filter(|item| item.words.len() == 1)
            .collect();
        let ranges = highlights(&analyzer, &text, items.iter());
        for &(start, end) in &ranges {
            prop_assert!(start < end && end <= text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        for word in &words {
            let stem = analyzer.stem(word);
            if items.iter().any(|item| item.stems[0] == stem) {
                prop_assert!(
                    ranges.iter().any(|&(s, e)| s <= word.from && word.to <= e),
                    "{:?} matched but not highlighted", &text[word.from..word.to]
                );
            }
        }
        // Snippets keep their highlights on the excerpt's char boundaries.
        let shown = snippet(&text, &ranges, 120);
        for &(start, end) in &shown.highlights {
            prop_assert!(start < end && end <= shown.text.len());
            prop_assert!(shown.text.is_char_boundary(start) && shown.text.is_char_boundary(end));
        }
    }

    #[test]
    fn any_bytes_decode_to_clean_text_or_a_reason(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        match decode::decode(bytes) {
            Ok(decoded) => prop_assert!(
                !decoded.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{:?}", decoded.text
            ),
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
    }

    #[test]
    fn any_query_parses(query in text()) {
        let _ = check_limits(&query);
        let parsed = parse(&query);
        prop_assert!(parsed.groups.iter().all(|g| !g.is_empty()));
    }
}
