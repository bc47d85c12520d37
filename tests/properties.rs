//! Property tests of the public API: the analyzer, the passage splitter,
//! the decoder and the search engine hold their invariants on any input.
//! (The tokenizer, highlights, snippets and the query parser have theirs
//! next to their code.) `PROPTEST_CASES=50000 cargo test --release --test
//! logis properties` for a longer run.

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;

use logis::analysis::{Analyzer, MAX_WORD_BYTES};
use logis::corpus::{decode, passages};
use logis::{index_paths, Engine, Error, IndexOptions, LogisIndex, SearchRequest};

use crate::support::binary::seeds;

/// French-looking text: letters with accents and ligatures, both
/// apostrophes, digit groups with (no-break) spaces, punctuation, lines.
fn french() -> impl Strategy<Value = String> {
    "[a-zA-Zàâçéèêëîïôûùüÿœæ’'ÀÉÈÇŒ0-9 \u{a0}\u{202f}.,;:!?«»()\n\t-]{0,300}"
}

/// Any text: French-looking or arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![french(), any::<String>(), "\\PC{0,200}"]
}

/// An index of the seeds, built once for the whole test run.
fn seeds_index() -> &'static LogisIndex {
    static INDEX: OnceLock<(tempfile::TempDir, LogisIndex)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path: PathBuf = dir.path().join("index");
        index_paths(&path, &[seeds()], &IndexOptions::default(), &mut |_| {}).unwrap();
        let index = LogisIndex::open(&path).unwrap();
        (dir, index)
    });
    index
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
    fn any_bytes_decode_to_clean_text_or_are_binary(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(decoded) = decode::decode(bytes) {
            prop_assert!(
                !decoded.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{:?}", decoded.text
            );
        }
    }

    #[test]
    fn any_query_finds_results_or_says_why(query in text()) {
        let engine = Engine::new(seeds_index()).unwrap();
        match engine.search(&SearchRequest::new(&query)) {
            Ok(results) => {
                prop_assert!(results.hits.len() <= 10);
                for hit in &results.hits {
                    for &(start, end) in &hit.highlights {
                        prop_assert!(hit.text.is_char_boundary(start) && hit.text.is_char_boundary(end));
                    }
                }
            }
            Err(Error::EmptyQuery | Error::OnlyExclusions | Error::QueryTooLong(_)
                | Error::UnknownField { .. } | Error::InvalidYear(_)) => {}
            Err(other) => prop_assert!(false, "{query:?}: {other}"),
        }
    }
}
