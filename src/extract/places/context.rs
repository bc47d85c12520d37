//! How a name stands in the text: the words before it (a place cue such as
//! `à` or `commune de`, a street or quartier word, a title or a given name),
//! the words after it (more of a longer proper noun), whether it is
//! capitalised as written, glued by a hyphen to a longer name, after another
//! proper noun, on a line shouted in capitals. The words are the lists of
//! `data/place-words.tsv` and the given names of `data/dictionary-words.tsv`.

use rustc_hash::FxHashSet as HashSet;

use super::normalise_key;
use crate::analysis::capitals::{is_capitalised, is_in_capitals, is_shouted};
use crate::analysis::{fold, Word};
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
    /// After them, a name is a street, a building or a quartier (`rue`,
    /// `résidence`, `lieu-dit`): their words joined by a space.
    streets: HashSet<String>,
    /// The street words that name a part of a town (`quartier`, `secteur`,
    /// `hameau`): a name after one is a quartier in the whole article.
    quartiers: HashSet<String>,
    /// `Name, commune de...`: after the name and a comma, they say it is a
    /// commune.
    appositions: HashSet<String>,
    /// Words about a river (`bords`, `vallée`, `rive`): `bords de la
    /// Loire` is the river, not the département.
    rivers: HashSet<String>,
    /// Small words inside place names (`de`, `sur`, `lès`).
    particles: HashSet<String>,
    /// After them, a name is a person (`M.`, `Mme`, `la ministre`).
    titles: HashSet<String>,
    /// Given names, folded: a name right after one is a person.
    given_names: HashSet<String>,
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
        let streets = data::word_list(text, "street")
            .into_iter()
            .map(|words| words.join(" "))
            .collect();
        let given_names = data::rows(data.text(DataFile::DictionaryWords))
            .filter(|f| f.len() >= 2 && f[0] == "given-name")
            .map(|f| fold(f[1].trim()))
            .collect();
        PlaceWords {
            locatives: list("locative"),
            weak_locatives: list("weak-locative"),
            commune_nouns: list("commune-noun"),
            streets,
            quartiers: list("quartier"),
            particles: list("particle"),
            appositions: list("apposition"),
            rivers: list("river"),
            titles: list("title"),
            given_names,
        }
    }

    /// Whether `key` is a particle (`de`, `sur`).
    pub(super) fn is_particle(&self, key: &str) -> bool {
        self.particles.contains(key)
    }
}

/// Ends a sentence or a line: what stands between two words of different
/// sentences.
const SENTENCE_END: [char; 7] = ['.', '!', '?', '\n', ':', '«', '"'];

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
    /// Right after a word naming a part of a town (`quartier Malakoff`,
    /// `secteur Bellevue`): the name is a quartier wherever the article
    /// uses it.
    pub quartier: bool,
    /// After `à`, `au`, `commune de`...
    pub strong: bool,
    /// In capitals opening its line, before a capitalised word of the same
    /// line: the heading of an item in a list of operations by town
    /// (`ELBEUF Cours Carnot`, `SEGRÉ-EN-ANJOU BLEU Ancienne gendarmerie`).
    pub list_heading: bool,
    /// After `de`, `et`...
    pub weak: bool,
    /// After a river word and articles (`vallée de la Moselle`, `rive
    /// du Rhône`) or `sur` and an article (`sur la Loire`): a river.
    pub river: bool,
    /// Followed by a comma and a word that says commune: `Moyen, commune
    /// de 500 habitants`, `Rognes, village provençal`.
    pub apposed: bool,
    /// After what introduces a commune rather than an area: `à`, `au`,
    /// `commune de`, `ville de`, `maire de`.
    pub commune_cue: bool,
    /// `au Mans`, `du Havre`: an article, contracted or not, before.
    pub contracted_article: bool,
    /// Right after a capitalised word: a first name, an organisation.
    pub after_proper_noun: bool,
    /// Right after a title or a given name (`M. Laval`, `le maire, Meaux`,
    /// `Roger Laval`), even at the start of a sentence: a person.
    pub person: bool,
    /// Right before another capitalised word, in the same sentence, that
    /// is not a particle, a street word or a cue (`Vernon Delmas`):
    /// part of a longer proper noun, unless that word starts a place name.
    pub before_proper_noun: bool,
    /// A one-word name followed by `de`/`du`/`des`/`d'` and a capitalised
    /// word (`Parc des Aubiers`, `Plan de Sauvegarde`): for a common
    /// word, the head of a longer name.
    pub head_of_name: bool,
    /// `commune du`, `ville de`, `maire du`: a noun that introduces a
    /// commune, then `de` or a contracted article.
    pub noun_cue: bool,
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
        // `Valence-d'Agen`: an elision inside a hyphenated name glues too.
        let elided_hyphen = {
            let mut back = text[..start].chars().rev();
            matches!(back.next(), Some('\'' | '’'))
                && back
                    .next()
                    .is_some_and(|c| matches!(c, 'd' | 'l' | 'D' | 'L'))
                && back.next() == Some('-')
                && back.next().is_some_and(char::is_alphabetic)
        };
        let glued = matches!(before_char, Some('-')) && i > 0 && words[i - 1].to + 1 == start
            || elided_hyphen
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
        // `lieu-dit X`: a street word may be two words.
        let street_at = |j: Option<usize>, word: Option<&str>| {
            word.is_some_and(|w| {
                lists.streets.contains(w)
                    || j.and_then(|j| j.checked_sub(1))
                        .is_some_and(|k| lists.streets.contains(&format!("{} {w}", keys[k])))
            })
        };
        let before_index = match elided {
            Some('d') => None,
            _ => i.checked_sub(1),
        };
        let before_before_index = match elided {
            Some('d') => i.checked_sub(1),
            _ => i.checked_sub(2),
        };
        let de = |w: Option<&str>| matches!(w, Some("de" | "du" | "des" | "d"));
        // `quartiers de Villejean et de Maurepas`: the street word of the
        // first name, a few words back in the same sentence, covers the
        // second.
        let coordinated = de(before_word.as_deref())
            && before_before == Some("et")
            && before_before_index.is_some_and(|et| {
                (et.saturating_sub(6)..et).rev().any(|j| {
                    !text[words[j].to..words[et].from].contains(SENTENCE_END)
                        && lists.streets.contains(keys[j])
                        && de(keys.get(j + 1).copied())
                })
            });
        // `un quartier de Lyon` is in Lyon; `le quartier de Maurepas` and
        // `rue de Lyon` are names of their own.
        let quartier_of = before_before.is_some_and(|w| lists.quartiers.contains(w))
            && before_before_index
                .and_then(|q| q.checked_sub(1))
                .is_some_and(|a| matches!(keys[a], "un" | "une" | "des" | "chaque" | "plusieurs"));
        let street = street_at(before_index, before_word.as_deref())
            || (de(before_word.as_deref())
                && !quartier_of
                && street_at(before_before_index, before_before))
            || coordinated;
        // Right after the word only: `un quartier de Lyon` is in Lyon.
        let quartier = before_word
            .as_deref()
            .is_some_and(|w| lists.quartiers.contains(w));
        // `aux Sem`, `des Verts`: a plural article, which a one-word name
        // does not take, is no place cue; a postal code is (`62250 Marquise`).
        let plural_article = matches!(before_word.as_deref(), Some("aux" | "des"));
        let postal_code = before_word
            .as_deref()
            .is_some_and(|b| b.len() == 5 && b.bytes().all(|c| c.is_ascii_digit()));
        let strong = postal_code
            || before_word
                .as_deref()
                .is_some_and(|b| lists.locatives.contains(b) && !plural_article)
            || (matches!(before_word.as_deref(), Some("de" | "d"))
                && before_before.is_some_and(|b| lists.locatives.contains(b)));
        let noun_cue = matches!(before_word.as_deref(), Some("de" | "d" | "du" | "des"))
            && before_before.is_some_and(|b| lists.commune_nouns.contains(b));
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
        let mid_sentence = gap.is_some_and(|g| !g.contains(SENTENCE_END));
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
        let shouted = is_shouted(&text[line_start..line_end]);
        let previous = i.checked_sub(1).map(|j| &text[words[j].from..words[j].to]);
        // Was the word before a capitalised word inside the sentence (a first
        // name, an organisation), not just the sentence's first word? At the
        // start of a sentence, a given name or an acronym still is one
        // (`Roger Laval`, `SEM Lyon`); another word is just capitalised.
        let before_starts_sentence =
            i < 2 || text[words[i - 2].to..words[i - 1].from].contains(SENTENCE_END);
        let given_name = adjacent
            && previous.is_some_and(|p| is_capitalised(p) && lists.given_names.contains(&fold(p)));
        let acronym = previous.is_some_and(|p| p.chars().count() >= 2 && is_in_capitals(p));
        let after_proper_noun = adjacent
            && mid_sentence
            && (!before_starts_sentence || given_name || (acronym && !shouted))
            && i > 0
            && !lists.particles.contains(keys[i - 1])
            && !lists.locatives.contains(keys[i - 1])
            && previous.is_some_and(is_capitalised);
        // `M. Laval`, `Mme Meaux`, `le maire, Meaux`, `la ministre Meaux`:
        // a title, then spaces, maybe a comma (or the dot of a short one).
        let after_title = i.checked_sub(1).is_some_and(|j| {
            let between = text[words[j].to..start].trim_matches([' ', '\u{a0}']);
            let short = keys[j].chars().count() <= 3;
            lists.titles.contains(keys[j])
                && (between.is_empty() || between == "," || (between == "." && short))
        });
        let person = after_title || given_name;
        // The word after: another capitalised word of the same sentence?
        let next = words.get(i + len);
        let next_gap = next.map(|w| &text[end..w.from]);
        let next_adjacent =
            next_gap.is_some_and(|g| !g.is_empty() && g.chars().all(|c| c == ' ' || c == '\u{a0}'));
        let next_key = keys.get(i + len).copied();
        let before_proper_noun = next_adjacent
            && !shouted
            && next.is_some_and(|w| is_capitalised(&text[w.from..w.to]))
            && next_key.is_some_and(|k| {
                !lists.particles.contains(k)
                    && !lists.streets.contains(k)
                    && !lists.locatives.contains(k)
                    && !lists.weak_locatives.contains(k)
            });
        // `Parc des Aubiers`, `Jardin d'Eole`: `de` and a capitalised word.
        let capital_at = |j: usize| {
            words
                .get(j)
                .is_some_and(|w| is_capitalised(&text[w.from..w.to]))
        };
        let elided_de = next_gap.is_some_and(|g| {
            matches!(
                g.trim_start_matches([' ', '\u{a0}']),
                "d'" | "d’" | "D'" | "D’"
            )
        });
        let spaced = |from: usize, to: usize| {
            let g = &text[from..to];
            !g.is_empty() && g.chars().all(|c| c == ' ' || c == '\u{a0}')
        };
        let head_of_name = len == 1
            && if elided_de {
                capital_at(i + len)
            } else {
                next_adjacent
                    && matches!(next_key, Some("de" | "du" | "des"))
                    && words
                        .get(i + len + 1)
                        .is_some_and(|w| spaced(words[i + len].to, w.from))
                    && capital_at(i + len + 1)
            };
        // Back over articles and `de` to the word that governs the name.
        let governing = (i.saturating_sub(4)..i)
            .rev()
            .take_while(|&j| !text[words[j].to..start].contains(SENTENCE_END))
            .find(|&j| {
                !matches!(
                    keys[j],
                    "le" | "la" | "les" | "l" | "de" | "du" | "des" | "d"
                )
            });
        let river = governing.is_some_and(|j| {
            let skipped = &keys[j + 1..i];
            lists.rivers.contains(keys[j])
                || keys[j] == "sur" && skipped.iter().any(|k| matches!(*k, "le" | "la"))
        });
        // `Paris – La RIVP…`, `Douai. Les élus…`: a dateline opening its
        // paragraph names where the news is.
        let dateline = text[line_start..start].trim().is_empty() && {
            let after = &text[end..line_end];
            ["–", "—", "-"].iter().any(|d| {
                after
                    .strip_prefix([' ', '\u{a0}'])
                    .is_some_and(|a| a.starts_with(d))
            }) || after
                .strip_prefix(". ")
                .is_some_and(|a| a.starts_with(char::is_uppercase))
        };
        let list_heading = text[line_start..start].trim().is_empty()
            && !shouted
            && is_in_capitals(&text[start..end])
            && next_adjacent
            && next.is_some_and(|w| is_capitalised(&text[w.from..w.to]));
        let apposed = next_gap.is_some_and(|g| g.trim_matches([' ', '\u{a0}']) == ",")
            && next_key.is_some_and(|k| lists.appositions.contains(k));
        Context {
            first_key: keys[i].to_string(),
            before: before_word,
            glued,
            capitalised,
            street,
            quartier,
            strong: strong || apposed || list_heading || dateline,
            list_heading,
            weak,
            apposed,
            river,
            commune_cue: commune_cue || apposed,
            contracted_article,
            after_proper_noun,
            person,
            before_proper_noun,
            head_of_name,
            noun_cue,
            mid_sentence,
            shouted,
        }
    }
}
