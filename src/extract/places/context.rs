//! How a name stands in the text: the words before it (a place cue such as
//! `à` or `commune de`, a street word), whether it is capitalised as
//! written, glued by a hyphen to a longer name, after another proper noun,
//! on a line shouted in capitals. The words are the lists of
//! `data/place-words.tsv`.

use rustc_hash::FxHashSet as HashSet;

use super::normalise_key;
use crate::analysis::capitals::{is_capitalised, is_shouted};
use crate::analysis::Word;
use crate::data::{self, DataFile, DataSet};

/// The words around a name that decide whether it is a place
/// (`data/place-words.tsv`), as normalised keys.
pub(super) struct PlaceWords {
    /// After them, a name is in a place context (`à`, `commune de`).
    locatives: HashSet<String>,
    /// After them, a name may be a place (`de`, `et`).
    weak_locatives: HashSet<String>,
    /// `X de Name`: a commune rather than an area (`ville de Moulins`).
    commune_nouns: HashSet<String>,
    /// After them, a name is a street or a building (`rue`, `résidence`).
    streets: HashSet<String>,
    /// Small words inside place names (`de`, `sur`, `lès`).
    particles: HashSet<String>,
}

impl PlaceWords {
    pub(super) fn new(data: &DataSet) -> PlaceWords {
        let text = data.text(DataFile::PlaceWords);
        let list = |name: &str| -> HashSet<String> {
            data::word_list(text, name)
                .into_iter()
                .flatten()
                .map(|word| normalise_key(&word).to_string())
                .collect()
        };
        PlaceWords {
            locatives: list("locative"),
            weak_locatives: list("weak-locative"),
            commune_nouns: list("commune-noun"),
            streets: list("street"),
            particles: list("particle"),
        }
    }
}

/// How a match stands in the text.
pub(super) struct Context {
    pub first_key: String,
    /// The word before, normalised.
    pub before: Option<String>,
    /// Joined to the previous or next word by a hyphen or an apostrophe.
    pub glued: bool,
    /// Every significant word starts with a capital as written.
    pub capitalised: bool,
    /// After a street word: `Rue Carnot`, `Quai de Valmy`.
    pub street: bool,
    /// After `à`, `au`, `commune de`...
    pub strong: bool,
    /// After `de`, `et`...
    pub weak: bool,
    /// After what introduces a commune rather than an area: `à`, `au`,
    /// `commune de`, `ville de`, `maire de`.
    pub commune_cue: bool,
    /// `au Mans`, `du Havre`: an article, contracted or not, before.
    pub contracted_article: bool,
    /// Right after a capitalised word: a first name, an organisation.
    pub after_proper_noun: bool,
    /// Not the first word of a sentence or line.
    pub mid_sentence: bool,
    /// On a line written all in capitals.
    pub shouted: bool,
}

impl Context {
    pub(super) fn new(
        lists: &PlaceWords,
        text: &str,
        words: &[Word],
        keys: &[&str],
        i: usize,
        len: usize,
    ) -> Context {
        let (start, end) = (words[i].from, words[i + len - 1].to);
        let before_char = text[..start].chars().next_back();
        let after_char = text[end..].chars().next();
        let glued = matches!(before_char, Some('-')) && i > 0 && words[i - 1].to + 1 == start
            || matches!(after_char, Some('-'))
                && words.get(i + len).is_some_and(|w| w.from == end + 1);
        let written = |w: &Word| is_capitalised(&text[w.from..w.to]);
        let capitalised = written(&words[i])
            && words[i..i + len]
                .iter()
                .zip(&keys[i..i + len])
                .filter(|(_, k)| !lists.particles.contains(**k))
                .all(|(w, _)| written(w));
        let before = i.checked_sub(1).map(|j| keys[j].to_string());
        // Was the previous word right before, in the same sentence?
        let gap = i.checked_sub(1).map(|j| &text[words[j].to..start]);
        // What stands between: spaces, maybe an elided `d'` or `l'`.
        let (adjacent, elided) = match gap {
            Some(g) => {
                let bare = g.trim_end_matches(['\'', '’']);
                let elided = (bare.len() < g.len())
                    .then(|| bare.chars().next_back())
                    .flatten()
                    .map(|c| c.to_ascii_lowercase());
                let rest = if elided.is_some() {
                    &bare[..bare.len() - 1]
                } else {
                    g
                };
                (rest.chars().all(|c| c == ' ' || c == '\u{a0}'), elided)
            }
            None => (false, None),
        };
        // `d'Évry`: the elided `d` is the word before; `à l'Union`: the
        // article belongs to the name, the word before is `à`.
        let before_word = match elided {
            Some('d') => Some("d".to_string()),
            _ if adjacent => before.clone(),
            _ => None,
        };
        // The word before `before_word`: an elided `d'` is not in `keys`.
        let before_before = match elided {
            Some('d') => i.checked_sub(1),
            _ => i.checked_sub(2),
        }
        .map(|j| keys[j]);
        let street = before_word
            .as_deref()
            .is_some_and(|b| lists.streets.contains(b))
            || (matches!(before_word.as_deref(), Some("de" | "du" | "des" | "d"))
                && before_before.is_some_and(|b| lists.streets.contains(b)));
        let strong = before_word
            .as_deref()
            .is_some_and(|b| lists.locatives.contains(b))
            || (matches!(before_word.as_deref(), Some("de" | "d"))
                && before_before.is_some_and(|b| lists.locatives.contains(b)));
        let weak = before_word
            .as_deref()
            .is_some_and(|b| lists.weak_locatives.contains(b));
        let commune_cue = matches!(before_word.as_deref(), Some("a" | "au" | "aux"))
            || (matches!(before_word.as_deref(), Some("de" | "d"))
                && before_before.is_some_and(|b| lists.commune_nouns.contains(b)));
        // `au Mans`, `du Havre`, `la Rochelle` written without its capital.
        let contracted_article = matches!(
            before_word.as_deref(),
            Some("au" | "du" | "aux" | "des" | "le" | "la" | "les")
        );
        let mid_sentence = gap.is_some_and(|g| !g.contains(['.', '!', '?', '\n', ':', '«', '"']));
        // Was the word before a capitalised word inside the sentence (a first
        // name, an organisation), not just the sentence's first word?
        let before_starts_sentence = i < 2
            || text[words[i - 2].to..words[i - 1].from]
                .contains(['.', '!', '?', '\n', ':', '«', '"']);
        let after_proper_noun = adjacent
            && mid_sentence
            && !before_starts_sentence
            && i > 0
            && !lists.particles.contains(keys[i - 1])
            && !lists.locatives.contains(keys[i - 1])
            && is_capitalised(&text[words[i - 1].from..words[i - 1].to]);
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
        let shouted = is_shouted(&text[line_start..line_end]);
        Context {
            first_key: keys[i].to_string(),
            before: before_word,
            glued,
            capitalised,
            street,
            strong,
            weak,
            commune_cue,
            contracted_article,
            after_proper_noun,
            mid_sentence,
            shouted,
        }
    }
}
