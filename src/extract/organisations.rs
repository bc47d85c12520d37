//! Organisations: from the gazetteer (`data/organisations.tsv`, extended by
//! users' files), and, for those it lacks, from the way articles name them:
//! - names ending in `Habitat`, `Logement`, `Immobilier`, `Habitations`,
//!   `Logis`, `Résidences`, `Métropole` after capitalised words (`Flandre
//!   Opale Habitat`, `Rennes Métropole`);
//! - names starting with such a word followed by a département number, a
//!   place or capitalised words (`Habitat 25`, `Logis du Berry`, `Office
//!   public de l'habitat de Vierzon`), or with `OPH` followed by a number or
//!   a place (`OPH 18`, `OPH de Vierzon`);
//! - a name after a role: `le bailleur social X`, `l'OPH X`, `la
//!   coopérative X`, `l'aménageur X`, `la SEM X`, `la communauté
//!   d'agglomération X`;
//! - a name before an apposition: `X, filiale de Y`, `X, Entreprise sociale
//!   pour l'habitat`;
//! - the acronym of a landlord named in the text or in the gazetteer
//!   (`OPHV` after `Office Public de l'Habitat Vierzonnais`).
//!
//! Capitals are evidence of a name only in prose: no rule takes a name from
//! a line written all in capitals (a heading) or from site navigation (a
//! short line of menu words, `MARS 2023 Actualités`), nor from an award
//! (`Trophées de l'Habitat`), a certification label (`NF Habitat`) or a
//! person (`Julie Martin`, `l'abbé Dupont`); a bare generic word (`HLM`,
//! `Habitat`) names no one. The word lists are data
//! (`data/organisation-words.tsv`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::capitals::{is_capitalised, is_shouted, starts_name_word};
use crate::analysis::{Analyzer, Word};
use crate::data::{self, DataFile, DataSet};
use crate::extract::places::Places;
use crate::extract::terms::{self, Terms};
use crate::facets::Term;

/// Longest rule-found name, in words.
const MAX_NAME_WORDS: usize = 5;

/// Longest place name after a head word (`de Saint-Rémy-de-Provence`).
const MAX_PLACE_WORDS: usize = 6;

/// Longest line that may be site navigation, in words.
const MAX_NAVIGATION_WORDS: usize = 12;

/// Fewest words with letters for a line in capitals to be a heading (a line
/// `OPH 18` alone is a name, not a shouted heading).
const MIN_SHOUTED_WORDS: usize = 3;

/// Shortest acronym taken from the gazetteer's names wherever it is written
/// (shorter ones, `TMH`, collide with everyday acronyms; they count only in
/// a text that names the landlord in full).
const MIN_GAZETTEER_ACRONYM: usize = 4;

/// Kinds of organisation whose names give acronyms: the landlords.
const LANDLORD_KINDS: [&str; 4] = ["OPH", "ESH", "coopérative", "SEM"];

/// The words that decide whether capitalised words name an organisation
/// (`data/organisation-words.tsv`), as folded words.
struct OrganisationWords {
    /// Last words that make a capitalised phrase an organisation.
    suffixes: HashSet<String>,
    /// Roles that introduce a name, longer ones first.
    roles: PhraseList,
    /// Appositions after a name that make it an organisation.
    appositions: PhraseList,
    /// Small words allowed inside a name between capitalised words.
    inner: HashSet<String>,
    /// Capitalised words that do not start a name.
    not_names: HashSet<String>,
    /// Words that end the adjectives between a role and a name.
    determiners: HashSet<String>,
    /// Words that start a name followed by a number, a place or
    /// capitalised words (`Habitat 25`).
    heads: PhraseList,
    /// Words that start a name followed by a number or a place (`OPH 18`).
    place_heads: PhraseList,
    /// Kinds of body whose name starts with them, in any case, before a
    /// place or capitalised words (`communauté de communes X`).
    body_heads: PhraseList,
    /// Networks whose name, followed by a place or capitalised words,
    /// names a local body (`Soliha Provence`).
    networks: PhraseList,
    /// Words that, alone or only together, name no organisation (`HLM`).
    generic: HashSet<String>,
    /// Words that start the name of an award (`Trophées`).
    awards: PhraseList,
    /// Certification labels (`NF Habitat`, `HQE`).
    labels: PhraseList,
    /// Titles before a person's name (`M.`, `abbé`).
    titles: HashSet<String>,
    /// Given names (`Julie`).
    given_names: HashSet<String>,
    /// Words of site navigation (`Accueil`, `Actualités`).
    navigation: HashSet<String>,
    /// Months and weekdays, from the calendar.
    calendar: HashSet<String>,
    /// The generic words with the suffixes, single-word heads and small
    /// words: words that say nothing of who is named.
    nameless: HashSet<String>,
}

impl OrganisationWords {
    fn new(data: &DataSet) -> OrganisationWords {
        let text = data.text(DataFile::OrganisationWords);
        let phrases = |name: &str| data::word_list(text, name);
        let words =
            |name: &str| -> HashSet<String> { phrases(name).into_iter().flatten().collect() };
        let calendar = data.text(DataFile::Calendar);
        let calendar = ["month", "weekday"]
            .into_iter()
            .flat_map(|list| data::word_list(calendar, list))
            .flatten()
            .collect();
        let mut lists = OrganisationWords {
            suffixes: words("suffix"),
            roles: PhraseList::new(phrases("role")),
            appositions: PhraseList::new(phrases("apposition")),
            inner: words("inner"),
            not_names: words("not-a-name"),
            determiners: words("determiner"),
            heads: PhraseList::new(phrases("head")),
            place_heads: PhraseList::new(phrases("place-head")),
            body_heads: PhraseList::new(phrases("body-head")),
            networks: PhraseList::new(phrases("network")),
            generic: words("generic"),
            awards: PhraseList::new(phrases("award")),
            labels: PhraseList::new(phrases("label")),
            titles: words("title"),
            given_names: words("given-name"),
            navigation: words("navigation"),
            calendar,
            nameless: HashSet::default(),
        };
        let single_heads = lists.heads.phrases.iter().chain(&lists.place_heads.phrases);
        let single_heads = single_heads.filter(|h| h.len() == 1).flatten();
        lists.nameless = (lists.generic.iter())
            .chain(&lists.suffixes)
            .chain(&lists.inner)
            .chain(&lists.determiners)
            .chain(single_heads)
            .cloned()
            .collect();
        lists
    }

    /// Whether a word says nothing of who is named: generic, a suffix or a
    /// head word, or a small word.
    fn is_generic(&self, folded: &str) -> bool {
        self.nameless.contains(folded)
    }
}

/// An organisation named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    /// Byte range in the text: start...
    pub start: usize,
    /// ...and end.
    pub end: usize,
    /// The canonical name and kind, or the name as written (of no known
    /// kind) when found by a rule.
    pub organisation: Term,
}

/// The organisation finder.
pub struct Organisations {
    terms: Terms,
    words: OrganisationWords,
    /// Acronyms of the gazetteer's landlords, in capitals, and their term:
    /// only those at least [`MIN_GAZETTEER_ACRONYM`] long, of one landlord,
    /// and no alias already.
    acronyms: HashMap<String, usize>,
}

impl Organisations {
    /// The gazetteer of `data` plus the given extra files' contents.
    pub fn new(analyzer: &Analyzer, data: &DataSet, extra: &[String]) -> Organisations {
        let mut terms = Terms::empty(true);
        terms.add(analyzer, data.text(DataFile::Organisations));
        for extra in extra {
            terms.add(analyzer, extra);
        }
        let words = OrganisationWords::new(data);
        let acronyms = gazetteer_acronyms(analyzer, &terms, &words);
        Organisations {
            terms,
            words,
            acronyms,
        }
    }

    /// The organisation `name` names in the gazetteer, with its canonical
    /// name and kind, if any.
    pub fn canonical(&self, analyzer: &Analyzer, name: &str) -> Option<Term> {
        self.terms.canonical(analyzer, name)
    }

    /// Every name and alias of the gazetteer, as written.
    pub fn all_aliases(&self) -> impl Iterator<Item = &str> {
        self.terms.all_aliases()
    }

    /// The département code of the seat of the gazetteer's organisation
    /// `name` (canonical name or alias), if the gazetteer knows it.
    pub fn seat(&self, analyzer: &Analyzer, name: &str) -> Option<&str> {
        let first = *self.terms.lookup(&analyzer.words(name)).first()?;
        Some(self.terms.seat(first)).filter(|s| !s.is_empty())
    }

    /// Finds the organisations named in `text`, given its words; a name
    /// that is a place's is not an organisation found by a rule.
    pub fn find(&self, text: &str, words: &[Word], places: &Places) -> Vec<OrgMention> {
        self.find_keyed(text, words, &terms::keys(words), places)
    }

    /// [`Organisations::find`] with the words' [`terms::keys`] computed once.
    pub fn find_keyed(
        &self,
        text: &str,
        words: &[Word],
        keys: &[&str],
        places: &Places,
    ) -> Vec<OrgMention> {
        let lines = self.lines(text, words);
        // In a heading in capitals, capitals are no evidence of an acronym:
        // the gazetteer's capitals-only aliases (`=COL`) do not count, and
        // the words' keys are those of words in prose (`PARIS` keys as
        // `Paris` does, its `s` dropped, not as an acronym keeping it).
        let unshouted: Vec<Word>;
        let unshouted_keys: Vec<&str>;
        let (gazetteer_words, gazetteer_keys) = if lines.shouted.iter().any(|&s| s) {
            unshouted = words
                .iter()
                .zip(&lines.of_word)
                .map(|(w, &line)| Word {
                    acronym: w.acronym && !lines.shouted[line],
                    ..w.clone()
                })
                .collect();
            unshouted_keys = terms::keys(&unshouted);
            (&unshouted[..], &unshouted_keys[..])
        } else {
            (words, keys)
        };
        let mut found: Vec<OrgMention> = self
            .terms
            .find_keyed(text, gazetteer_words, gazetteer_keys)
            .into_iter()
            .map(|(start, end, term)| OrgMention {
                start,
                end,
                organisation: self.terms.term(term),
            })
            .collect();
        let blocked = self.blocked(text, words, &lines);
        self.local_bodies(text, words, &blocked, places, &mut found);
        let known = found.clone();
        let overlaps = |s: usize, e: usize| known.iter().any(|m| s < m.end && m.start < e);
        let mut ruled: Vec<(usize, usize)> = Vec::new();
        for (first, last, kind) in self.rule_names(text, words, places) {
            let (start, end) = (words[first].from, words[last].to);
            if overlaps(start, end)
                || blocked[first..=last].iter().any(|&b| b)
                || words[first..=last]
                    .iter()
                    .all(|w| self.words.is_generic(&w.folded))
                || (kind == RuleKind::Bare && places.is_name(&words[first..=last]))
            {
                continue;
            }
            ruled.push((first, last));
        }
        for (first, last) in merge(ruled) {
            let (start, end) = (words[first].from, words[last].to);
            found.push(OrgMention {
                start,
                end,
                organisation: Term::named(&as_name(&text[start..end])),
            });
        }
        found.extend(self.foundations(text, words, &found));
        found.extend(self.acronym_mentions(text, words, &lines, &found));
        found.sort_by_key(|m| m.start);
        found
    }
}

impl Organisations {
    /// `Soliha Provence`, `ADIL du Nord`: a network's name (the gazetteer's
    /// or not) followed by a place or capitalised words names its local
    /// body, as written.
    fn local_bodies(
        &self,
        text: &str,
        words: &[Word],
        blocked: &[bool],
        places: &Places,
        found: &mut Vec<OrgMention>,
    ) {
        let mut i = 0;
        while i < words.len() {
            let Some(network) = self.words.networks.at(words, i) else {
                i += 1;
                continue;
            };
            let end = i + network.len() - 1;
            let last = (is_capitalised(&text[words[i].from..]) && !blocked[i])
                .then(|| self.after_head(text, words, end, true, places))
                .flatten()
                .filter(|&last| !blocked[end + 1..=last].iter().any(|&b| b));
            let Some(last) = last else {
                i = end + 1;
                continue;
            };
            let (start, stop) = (words[i].from, words[last].to);
            // The network's own mention gives way; any other name stays.
            let inside = |m: &OrgMention| start <= m.start && m.end <= words[end].to;
            if found
                .iter()
                .any(|m| start < m.end && m.start < stop && !inside(m))
            {
                i = last + 1;
                continue;
            }
            found.retain(|m| !inside(m));
            found.push(OrgMention {
                start,
                end: stop,
                organisation: Term::named(&as_name(&text[start..stop])),
            });
            i = last + 1;
        }
    }
}

/// How a rule found a name, which decides whether a place's name may be it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleKind {
    /// Capitalised words only (`Montreuil` after a role): a place's name is
    /// not an organisation's.
    Bare,
    /// With the word that makes it an organisation (`OPH de Montreuil`).
    Whole,
}

/// The lines of a text: the line of each word, and which lines are headings
/// in capitals or site navigation.
struct Lines {
    of_word: Vec<usize>,
    shouted: Vec<bool>,
    navigation: Vec<bool>,
}

impl Organisations {
    fn lines(&self, text: &str, words: &[Word]) -> Lines {
        let mut lines = Lines {
            of_word: Vec::with_capacity(words.len()),
            shouted: Vec::new(),
            navigation: Vec::new(),
        };
        let mut next = 0;
        let mut start = 0;
        for (number, line) in text.split_inclusive('\n').enumerate() {
            let end = start + line.len();
            let first = next;
            while next < words.len() && words[next].from < end {
                lines.of_word.push(number);
                next += 1;
            }
            let in_line = &words[first..next];
            let lettered = in_line
                .iter()
                .filter(|w| w.folded.chars().any(char::is_alphabetic))
                .count();
            lines
                .shouted
                .push(lettered >= MIN_SHOUTED_WORDS && is_shouted(line));
            lines.navigation.push(self.is_navigation(in_line));
            start = end;
        }
        // Words past the last line break (none for well-formed offsets).
        while lines.of_word.len() < words.len() {
            lines.of_word.push(lines.shouted.len().saturating_sub(1));
        }
        if lines.shouted.is_empty() {
            lines.shouted.push(false);
            lines.navigation.push(false);
        }
        lines
    }

    /// A short line of menu words: at least one navigation word, the others
    /// months, numbers or words that name no one (`JUIN 2023 Actualités
    /// Logement`).
    fn is_navigation(&self, line: &[Word]) -> bool {
        let w = &self.words;
        !line.is_empty()
            && line.len() <= MAX_NAVIGATION_WORDS
            && line.iter().any(|x| w.navigation.contains(&x.folded))
            && line.iter().all(|x| {
                w.navigation.contains(&x.folded)
                    || w.calendar.contains(&x.folded)
                    || x.is_number()
                    || w.is_generic(&x.folded)
                    || w.not_names.contains(&x.folded)
            })
    }

    /// For each word, whether no rule may take a name that holds it: in a
    /// heading in capitals, in navigation, in an award's name, a label or a
    /// person's name.
    fn blocked(&self, text: &str, words: &[Word], lines: &Lines) -> Vec<bool> {
        let mut blocked: Vec<bool> = lines
            .of_word
            .iter()
            .map(|&l| lines.shouted[l] || lines.navigation[l])
            .collect();
        let mut block = |from: usize, to: usize| {
            for b in &mut blocked[from..=to] {
                *b = true;
            }
        };
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            // `Trophées de l'Innovation Habitat`: the award and its words.
            if let Some(award) = self.words.awards.at(words, i) {
                if is_capitalised(&text[word.from..]) {
                    let last = self.name_words_after(text, words, i + award.len() - 1);
                    block(i, last);
                    i = last + 1;
                    continue;
                }
            }
            // `NF Habitat`, `BBC Effinergie`.
            if let Some(label) = self.words.labels.at(words, i) {
                block(i, i + label.len() - 1);
                i += label.len();
                continue;
            }
            if let Some(last) = self.person(text, words, i) {
                block(i, last);
                i = last + 1;
                continue;
            }
            i += 1;
        }
        blocked
    }

    /// The last word of the capitalised words (figures, small words inside)
    /// that follow word `i`; `i` if none.
    fn name_words_after(&self, text: &str, words: &[Word], i: usize) -> usize {
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && adjacent(text, &words[j - 1], &words[j]) {
            if capitalised(text, &words[j]) {
                last = j;
            } else if !self.words.inner.contains(&words[j].folded) {
                break;
            }
            j += 1;
        }
        last
    }

    /// A person's name starting at word `i`: a title and a capitalised name
    /// (`Mme Durand`, `l'abbé Dupont`), or a given name and a capitalised
    /// surname that is no word of an organisation (`Julie Martin`, not
    /// `Julie Habitat`); returns its last word.
    fn person(&self, text: &str, words: &[Word], i: usize) -> Option<usize> {
        let w = &self.words;
        let word = &words[i];
        let titled = w.titles.contains(&word.folded);
        let given = w.given_names.contains(&word.folded) && is_capitalised(&text[word.from..]);
        if !(titled || given) {
            return None;
        }
        let mut j = i + 1;
        // `Jean-Marc Durand`: a compound given name.
        while !titled
            && j < words.len()
            && w.given_names.contains(&words[j].folded)
            && &text[words[j - 1].to..words[j].from] == "-"
        {
            j += 1;
        }
        let surname = words.get(j)?;
        let gap = text[words[j - 1].to..surname.from].trim_start_matches('.');
        let joined = gap.chars().all(|c| c.is_whitespace() || c == '-') && !gap.contains('\n');
        if !joined
            || !is_capitalised(&text[surname.from..])
            || w.is_generic(&surname.folded)
            || w.not_names.contains(&surname.folded)
        {
            return None;
        }
        // `Pierre Habitat` is a landlord named after someone.
        let last = self.name_words_after(text, words, j);
        if words[j..=last]
            .iter()
            .any(|x| w.suffixes.contains(&x.folded))
        {
            return None;
        }
        Some(last.min(j + 1))
    }

    /// `la fondation Abbé Dupont`: a person's name after `fondation` names
    /// the foundation, the gazetteer's if it knows it.
    fn foundations(&self, text: &str, words: &[Word], found: &[OrgMention]) -> Vec<OrgMention> {
        let mut out = Vec::new();
        for i in 1..words.len() {
            if words[i - 1].folded != "fondation" || !adjacent(text, &words[i - 1], &words[i]) {
                continue;
            }
            let Some(last) = self.person(text, words, i) else {
                continue;
            };
            let (start, end) = (words[i - 1].from, words[last].to);
            if found.iter().any(|m| start < m.end && m.start < end) {
                continue;
            }
            let organisation = match self.terms.lookup(&words[i - 1..=last]).first() {
                Some(&term) => self.terms.term(term),
                None => Term::named(&as_name(&text[start..end])),
            };
            out.push(OrgMention {
                start,
                end,
                organisation,
            });
        }
        out
    }

    /// Acronyms in capitals of the landlords named in the text (`OPHV`
    /// after `Office Public de l'Habitat Vierzonnais`) or, long enough, of
    /// the gazetteer's landlords, where nothing else is named.
    fn acronym_mentions(
        &self,
        text: &str,
        words: &[Word],
        lines: &Lines,
        found: &[OrgMention],
    ) -> Vec<OrgMention> {
        let mut local: HashMap<String, Term> = HashMap::default();
        for mention in found {
            let first = words.partition_point(|w| w.from < mention.start);
            let last = words.partition_point(|w| w.to <= mention.end);
            if first >= last {
                continue;
            }
            let landlord = mention.organisation.kind.is_empty()
                || LANDLORD_KINDS.contains(&mention.organisation.kind.as_str());
            if let Some(acronym) = acronym(text, &words[first..last], &self.words.not_names) {
                if landlord && acronym.chars().count() >= 3 {
                    local
                        .entry(acronym)
                        .or_insert_with(|| mention.organisation.clone());
                }
            }
        }
        let mut out = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if !word.acronym || lines.shouted[lines.of_word[i]] {
                continue;
            }
            if found.iter().any(|m| word.from < m.end && m.start < word.to) {
                continue;
            }
            let key = word.folded.to_uppercase();
            let organisation = match local.get(&key) {
                Some(term) => term.clone(),
                None => match self.acronyms.get(&key) {
                    Some(&term) => self.terms.term(term),
                    None => continue,
                },
            };
            out.push(OrgMention {
                start: word.from,
                end: word.to,
                organisation,
            });
        }
        out
    }
}

/// The acronym of a name as written: the initials of its capitalised
/// words, a word in capitals whole (`OPH Vierzonnais` → `OPHV`); small
/// words, articles and figures give nothing. `None` when a word in the
/// name is neither.
fn acronym(text: &str, words: &[Word], skipped: &HashSet<String>) -> Option<String> {
    let mut out = String::new();
    for word in words {
        let written = &text[word.from..word.to];
        if word.acronym && written.chars().all(char::is_alphabetic) {
            out.push_str(&word.folded.to_uppercase());
        } else if is_capitalised(written) && !skipped.contains(&word.folded) {
            out.extend(word.folded.chars().next()?.to_uppercase());
        }
    }
    (out.chars().all(|c| c.is_ascii_uppercase()) && !out.is_empty()).then_some(out)
}

/// The acronyms of the gazetteer's landlords that may stand alone: at least
/// [`MIN_GAZETTEER_ACRONYM`] letters, of one landlord only, and not an
/// alias of any organisation.
fn gazetteer_acronyms(
    analyzer: &Analyzer,
    terms: &Terms,
    words: &OrganisationWords,
) -> HashMap<String, usize> {
    let mut seen: HashMap<String, Option<usize>> = HashMap::default();
    for index in 0..terms.len() {
        if !LANDLORD_KINDS.contains(&terms.term(index).kind.as_str()) {
            continue;
        }
        let name = terms.name(index);
        let name_words = analyzer.words(name);
        if name_words.len() < 2 {
            continue;
        }
        let Some(acronym) = acronym(name, &name_words, &words.not_names) else {
            continue;
        };
        if acronym.chars().count() < MIN_GAZETTEER_ACRONYM {
            continue;
        }
        seen.entry(acronym)
            .and_modify(|t| {
                if *t != Some(index) {
                    *t = None;
                }
            })
            .or_insert(Some(index));
    }
    seen.into_iter()
        .filter_map(|(acronym, term)| {
            let term = term?;
            terms
                .lookup(&analyzer.words(&acronym))
                .is_empty()
                .then_some((acronym, term))
        })
        .collect()
}

/// Overlapping names found by several rules are one name: their union.
fn merge(mut names: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    names.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (first, last) in names {
        match out.last_mut() {
            Some(previous) if first <= previous.1 => previous.1 = previous.1.max(last),
            _ => out.push((first, last)),
        }
    }
    out
}

/// A name as written, on one line, starting with a capital (`l'office
/// public de l'habitat de Vierzon` → `Office public de l'habitat de
/// Vierzon`).
fn as_name(written: &str) -> String {
    let name = written.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

/// A word that may be part of a name: capitalised, or a figure.
fn capitalised(text: &str, word: &Word) -> bool {
    starts_name_word(&text[word.from..word.to])
}

/// Whether only spaces (no line break), a hyphen, `&` or an elided
/// `l'`/`d'` separate two words, or a `/` two figures (`Habitat 18/36`).
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    let raw = &text[a.to..b.from];
    if raw == "/" && a.is_number() && b.is_number() {
        return true;
    }
    let gap = raw.trim_end_matches(['\'', '’']);
    let gap = match gap.strip_suffix(['l', 'L', 'd', 'D']) {
        Some(rest) if gap.len() < raw.len() => rest,
        _ => gap,
    };
    // A name does not run on over a line break.
    gap.chars()
        .all(|c| (c.is_whitespace() && c != '\n') || c == '&' || c == '-')
}

impl Organisations {
    /// A name starting at `i`: capitalised words, with small words between
    /// them, at most [`MAX_NAME_WORDS`]; returns its last word.
    fn name_from(&self, text: &str, words: &[Word], i: usize) -> Option<usize> {
        let first = words.get(i)?;
        if !is_capitalised(&text[first.from..]) || self.words.not_names.contains(&first.folded) {
            return None;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && j - i < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j])
        {
            if capitalised(text, &words[j]) {
                last = j;
            } else if !self.words.inner.contains(&words[j].folded) {
                break;
            }
            j += 1;
        }
        Some(last)
    }

    /// A name ending at `end`: capitalised words before it; returns its first.
    fn name_before(&self, text: &str, words: &[Word], end: usize) -> Option<usize> {
        if !is_capitalised(&text[words[end].from..]) {
            return None;
        }
        let mut first = end;
        let mut j = end;
        while j > 0 && end - j + 1 < MAX_NAME_WORDS && adjacent(text, &words[j - 1], &words[j]) {
            j -= 1;
            if capitalised(text, &words[j]) {
                first = j;
            } else if !self.words.inner.contains(&words[j].folded) {
                break;
            }
        }
        // A name starts with a letter: `89 Logements` is a count.
        let starts_with_letter = text[words[first].from..].starts_with(char::is_alphabetic);
        (starts_with_letter && !self.words.not_names.contains(&words[first].folded))
            .then_some(first)
    }

    /// After a head ending at word `end`: the last word of a département
    /// number or a place's name (`OPH 18`, `OPH du Cher`), or, if `names`,
    /// of capitalised words that are not generic (`Habitat Val de Loire`).
    fn after_head(
        &self,
        text: &str,
        words: &[Word],
        end: usize,
        names: bool,
        places: &Places,
    ) -> Option<usize> {
        let mut j = end + 1;
        // `de`, `du`, `des`, `de la`: at most two small words.
        while j < words.len()
            && j - end <= 2
            && self.words.inner.contains(&words[j].folded)
            && adjacent(text, &words[j - 1], &words[j])
        {
            j += 1;
        }
        let next = words.get(j)?;
        if !adjacent(text, &words[j - 1], next) {
            return None;
        }
        if j == end + 1 && is_departement_number(next, places) {
            // `Habitat 18/36 Berry`: more figures and names may follow.
            return Some(if names {
                self.name_words_after(text, words, j)
            } else {
                j
            });
        }
        let place = (j..words.len().min(j + MAX_PLACE_WORDS))
            .take_while(|&k| k == j || adjacent(text, &words[k - 1], &words[k]))
            .filter(|&k| is_capitalised(&text[words[j].from..]) && places.is_name(&words[j..=k]))
            .last();
        if let Some(place) = place {
            // `Habitat Val Berry`: a place's name may start a longer one.
            if names {
                return Some(self.name_words_after(text, words, place));
            }
            // After `OPH`, a place's name that starts longer capitalised
            // words is no place but part of a name (`l'OPH Terres
            // Berrichonnes`, `Terres` a commune): the name after the role.
            let longer = words.get(place + 1).is_some_and(|w| {
                adjacent(text, &words[place], w) && is_capitalised(&text[w.from..])
            });
            return (!longer).then_some(place);
        }
        if !names {
            return None;
        }
        if !is_capitalised(&text[next.from..]) || self.words.not_names.contains(&next.folded) {
            return None;
        }
        // `Habitat Coop Adour`: generic words may start the name, not make
        // all of it (`Habitat Social`).
        let last = self.name_from(text, words, j)?;
        words[j..=last]
            .iter()
            .any(|w| !self.words.is_generic(&w.folded) && !w.is_number())
            .then_some(last)
    }

    /// Names found by the rules, as (first word, last word, kind).
    fn rule_names(
        &self,
        text: &str,
        words: &[Word],
        places: &Places,
    ) -> Vec<(usize, usize, RuleKind)> {
        let mut names = Vec::new();
        for (i, word) in words.iter().enumerate() {
            // `Flandre Opale Habitat`, `Pas-de-Calais habitat`.
            if self.words.suffixes.contains(&word.folded) && i > 0 {
                let lowercase_habitat = word.folded == "habitat" && !capitalised(text, word);
                if (capitalised(text, word) || lowercase_habitat)
                    && adjacent(text, &words[i - 1], word)
                {
                    if let Some(first) = self.name_before(text, words, i - 1) {
                        names.push((first, i, RuleKind::Whole));
                    }
                }
            }
            // `Habitat 25`, `Logis du Berry`, `Office public de l'habitat
            // de Vierzon`, `OPH 18`: the head capitalised, as a name is
            // (`X, l'office public de l'habitat du Cher` describes X).
            for (heads, names_too) in [(&self.words.heads, true), (&self.words.place_heads, false)]
            {
                let Some(head) = heads.at(words, i) else {
                    continue;
                };
                // `l'Habitat` is the common noun inside a longer name
                // (`Union pour l'Habitat des Flandres`), not a head; `l'OPH`
                // is one.
                let elided = text[..word.from].ends_with(['\'', '’']);
                if !is_capitalised(&text[word.from..]) || (head.len() == 1 && elided && names_too) {
                    continue;
                }
                let end = i + head.len() - 1;
                if let Some(last) = self.after_head(text, words, end, names_too, places) {
                    names.push((i, last, RuleKind::Whole));
                }
            }
            // `la communauté d'agglomération du Boulonnais`, `métropole
            // Aix-Marseille-Provence`: the kind of body is part of its name,
            // capitalised or not.
            if let Some(head) = self.words.body_heads.at(words, i) {
                let end = i + head.len() - 1;
                if let Some(last) = self.after_head(text, words, end, true, places) {
                    names.push((i, last, RuleKind::Whole));
                }
            }
            // `le bailleur social X`, `l'aménageur et développeur francilien X`.
            if let Some(role) = self.words.roles.at(words, i) {
                let mut j = i + role.len();
                let mut skipped = 0;
                // Adjectives may stand between (`social`, `et développeur
                // francilien`), not a verb and a determiner (`partagera son`).
                while j < words.len() && skipped < 3 && !capitalised(text, &words[j]) {
                    if !adjacent(text, &words[j - 1], &words[j])
                        || self.words.determiners.contains(&words[j].folded)
                    {
                        break;
                    }
                    j += 1;
                    skipped += 1;
                }
                if j < words.len() && adjacent(text, &words[j - 1], &words[j]) {
                    if let Some(last) = self.name_from(text, words, j) {
                        names.push((j, last, RuleKind::Bare));
                    }
                }
            }
            // `X, filiale du groupe Y`, `X, l'Entreprise Sociale pour
            // l'Habitat`, `X, un bailleur`: after a comma, maybe an article.
            if self.words.appositions.at(words, i).is_some() {
                let comma_before = |k: usize| {
                    let gap = text[words[k - 1].to..words[k].from].trim_end();
                    let gap = gap
                        .strip_suffix(['\'', '’'])
                        .and_then(|g| g.strip_suffix(['l', 'L']))
                        .unwrap_or(gap);
                    gap.trim() == ","
                };
                let end = if i > 0 && comma_before(i) {
                    Some(i - 1)
                } else if i > 1
                    && self.words.not_names.contains(&words[i - 1].folded)
                    && comma_before(i - 1)
                {
                    Some(i - 2)
                } else {
                    None
                };
                if let Some(end) = end {
                    if let Some(first) = self.name_before(text, words, end) {
                        names.push((first, end, RuleKind::Bare));
                    }
                }
            }
        }
        names
    }
}

/// A département's number (`18`, `2A`, `974`), as written alone.
fn is_departement_number(word: &Word, places: &Places) -> bool {
    let code = word.folded.to_ascii_uppercase();
    code.len() <= 3
        && code.starts_with(|c: char| c.is_ascii_digit())
        && places.departement(&code).is_some()
}

/// The phrases of a word list, in the list's order, and their first
/// words: a word that starts none (most words) costs one lookup, not a
/// comparison with each phrase.
struct PhraseList {
    phrases: Vec<Vec<String>>,
    first_words: HashSet<String>,
}

impl PhraseList {
    fn new(phrases: Vec<Vec<String>>) -> PhraseList {
        let first_words = phrases.iter().filter_map(|p| p.first()).cloned().collect();
        PhraseList {
            phrases,
            first_words,
        }
    }

    /// The first phrase of the list that the words from word `i` start with.
    fn at(&self, words: &[Word], i: usize) -> Option<&[String]> {
        let first = &words.get(i)?.folded;
        if !self.first_words.contains(first.as_str()) {
            return None;
        }
        self.phrases
            .iter()
            .find(|p| starts_with(words, i, p))
            .map(Vec::as_slice)
    }
}

fn starts_with(words: &[Word], i: usize, phrase: &[String]) -> bool {
    words.len() >= i + phrase.len()
        && words[i..i + phrase.len()]
            .iter()
            .zip(phrase)
            .all(|(w, p)| w.folded == *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_with(text: &str, extra: &[&str]) -> Vec<String> {
        let analyzer = Analyzer::default();
        let extra: Vec<String> = extra.iter().map(|e| e.to_string()).collect();
        Organisations::new(&analyzer, DataSet::built_in(), &extra)
            .find(text, &analyzer.words(text), &Places::built_in())
            .into_iter()
            .map(|m| m.organisation.name)
            .collect()
    }

    fn names(text: &str) -> Vec<String> {
        names_with(text, &[])
    }

    const NONE: [&str; 0] = [];

    #[test]
    fn gazetteer_names_and_aliases() {
        assert_eq!(
            names("Le groupe Action Logement investit."),
            ["Action Logement"]
        );
        assert_eq!(
            names("L’Union sociale pour l’habitat (USH) alerte."),
            [
                "Union sociale pour l'habitat",
                "Union sociale pour l'habitat"
            ]
        );
        assert_eq!(
            names("Immobilière 3F et I3F"),
            ["Immobilière 3F", "Immobilière 3F"]
        );
        // Lower case is a phrase, not the organisation.
        assert!(names("le logement français se porte mal").is_empty());
    }

    #[test]
    fn names_ending_like_a_landlord() {
        assert_eq!(
            names("avec Roubaix Avenir Habitat et les locataires"),
            ["Roubaix Avenir Habitat"]
        );
        assert_eq!(names("Le Logement est cher."), NONE);
    }

    #[test]
    fn names_after_a_role_or_before_an_apposition() {
        assert_eq!(
            names("l’aménageur et développeur francilien Citéa Aménagement signe"),
            ["Citéa Aménagement"]
        );
        assert_eq!(
            names("le bailleur social Toits Solidaires livre"),
            ["Toits Solidaires"]
        );
        assert_eq!(
            names("Terranova, filiale du groupe Bâtir Ensemble, construit"),
            ["Terranova", "Bâtir Ensemble"]
        );
        assert_eq!(
            names("Logicoop, Entreprise Sociale pour l'Habitat, livre"),
            ["Logicoop"]
        );
        assert_eq!(
            names("Berry Toits, un bailleur du Cher, livre"),
            ["Berry Toits"]
        );
    }

    #[test]
    fn rules_do_not_overreach() {
        assert!(names("chaque bailleur partagera son Plan Stratégique de Patrimoine").is_empty());
        assert_eq!(names("avec l'association A.I.A et le CUL."), ["A.I.A"]);
        assert!(names("Livraison de 89 Logements PLAI").is_empty());
        assert!(names("les filiales du groupe en région Hauts-de-France").is_empty());
        assert!(names("le bailleur de Compiègne").is_empty());
        assert_eq!(
            names("la communauté d'agglomération Grand Paris Sud"),
            ["Grand Paris Sud"]
        );
        assert_eq!(names("la communauté de communes a voté"), NONE);
        assert_eq!(
            names("la métropole lilloise et la métropole de demain"),
            NONE
        );
        assert_eq!(names("l'office de Rennes Métropole"), ["Rennes Métropole"]);
    }

    #[test]
    fn collectivites_named_with_their_kind_in_any_case() {
        assert_eq!(
            names("la communauté d'agglomération du Sancerrois signe"),
            ["Communauté d'agglomération du Sancerrois"]
        );
        assert_eq!(
            names("avec la communauté de communes Berry Val Sud et"),
            ["Communauté de communes Berry Val Sud"]
        );
        assert_eq!(
            names("l'établissement public territorial Terres de Sauldre vote"),
            ["Établissement public territorial Terres de Sauldre"]
        );
        assert_eq!(
            names("la métropole Vallée du Cher finance"),
            ["Métropole Vallée du Cher"]
        );
        // The gazetteer's name is the body's.
        assert_eq!(
            names("l'établissement public territorial Plaine Commune"),
            ["Plaine Commune"]
        );
    }

    #[test]
    fn a_network_and_a_place_name_the_local_body() {
        assert_eq!(names("avec Soliha Berry et"), ["Soliha Berry"]);
        assert_eq!(names("l'ADIL du Cher informe"), ["ADIL du Cher"]);
        assert_eq!(
            names("Habitat et Humanisme Sologne loge"),
            ["Habitat et Humanisme Sologne"]
        );
        // Alone, or before a generic word or a sentence, the network.
        assert_eq!(names("Soliha accompagne"), ["Soliha"]);
        assert_eq!(names("avec Soliha. Le Cher"), ["Soliha"]);
        assert_eq!(names("l'ADIL informe"), NONE);
    }

    #[test]
    fn generic_words_may_start_a_name_after_a_head() {
        assert_eq!(
            names("avec Habitat Coop Sauldre et"),
            ["Habitat Coop Sauldre"]
        );
        assert_eq!(names("Habitat Coop et Logement Social"), NONE);
    }

    #[test]
    fn office_public_de_l_habitat_and_oph_with_a_place_or_a_number() {
        assert_eq!(
            names("L'Office Public de l'Habitat de Vierzon rénove 40 logements."),
            ["Office Public de l'Habitat de Vierzon"]
        );
        // Written without `de`, the place alone would be no organisation.
        assert_eq!(
            names("l'Office public de l'habitat Haute-Vienne recrute"),
            ["Office public de l'habitat Haute-Vienne"]
        );
        // In lower case, it describes the name before it.
        assert_eq!(
            names("Toits Berrichons, l'office public de l'habitat du Cher, livre"),
            ["Toits Berrichons"]
        );
        assert_eq!(
            names("l'Office public de l'habitat Berry Val Solidaire livre"),
            ["Office public de l'habitat Berry Val Solidaire"]
        );
        assert_eq!(names("l'OPH 18 livre"), ["OPH 18"]);
        assert_eq!(names("l'OPH de Vierzon livre"), ["OPH de Vierzon"]);
        assert_eq!(names("l'OPH du Cher livre"), ["OPH du Cher"]);
        // `OPH` and capitalised words: the name after the role.
        assert_eq!(
            names("l'OPH Terres Berrichonnes livre"),
            ["Terres Berrichonnes"]
        );
        // Alone, or before a number that is no département: nobody.
        assert_eq!(names("chaque OPH a voté ; l'OPH 2030 n'existe pas"), NONE);
    }

    #[test]
    fn habitat_logis_logement_before_a_number_a_place_or_names() {
        assert_eq!(names("Habitat 18 livre"), ["Habitat 18"]);
        assert_eq!(names("avec Logis 36 et"), ["Logis 36"]);
        assert_eq!(names("Habitat 18/36 Berry signe"), ["Habitat 18/36 Berry"]);
        assert_eq!(names("avec Habitat du Cher et"), ["Habitat du Cher"]);
        assert_eq!(names("avec Habitat Val Berry et"), ["Habitat Val Berry"]);
        assert_eq!(names("avec Logement Sologne et"), ["Logement Sologne"]);
        assert_eq!(
            names("la Coop d'Accession Berrichonne vend"),
            ["Coop d'Accession Berrichonne"]
        );
        // Generic words after them, lower case or a count: no name.
        assert_eq!(names("Habitat Social et Logement Étudiant"), NONE);
        assert_eq!(names("Habitat indigne : le Logement d'abord"), NONE);
        // Names found by two rules are one.
        assert_eq!(
            names("avec Vierzon Habitat Sud et"),
            ["Vierzon Habitat Sud"]
        );
        // `l'Habitat` inside a longer name is the common noun.
        assert_eq!(names("l'Association pour l'Habitat du Berry"), NONE);
        // A name stops at a line break.
        assert_eq!(
            names("avec Habitat du Cher\nEn 2024, rien."),
            ["Habitat du Cher"]
        );
    }

    #[test]
    fn a_rule_does_not_fire_inside_a_gazetteer_name() {
        assert_eq!(
            names("l'office public de l'habitat Paris Habitat rénove"),
            ["Paris Habitat"]
        );
        let extra = ["Logis du Grand Berry\tESH\t18\tLogis du Grand Berry"];
        assert_eq!(
            names_with("Logis du Grand Berry livre", &extra),
            ["Logis du Grand Berry"]
        );
    }

    #[test]
    fn acronyms_of_landlords_named_in_the_text_or_the_gazetteer() {
        assert_eq!(
            names("l'Office Public de l'Habitat Vierzonnais livre ; l'OPHV rénove"),
            [
                "Office Public de l'Habitat Vierzonnais",
                "Office Public de l'Habitat Vierzonnais"
            ]
        );
        let extra = ["Toits Verts du Grand Berry\tOPH\t18\tToits Verts du Grand Berry"];
        assert_eq!(
            names_with("Le TVGB livre 30 logements.", &extra),
            ["Toits Verts du Grand Berry"]
        );
        // Shorter acronyms only after the name itself.
        let extra = ["Grand Berry Habitat\tOPH\t18\tGrand Berry Habitat"];
        assert_eq!(names_with("Le GBH livre.", &extra), NONE);
    }

    #[test]
    fn no_rule_name_from_a_heading_in_capitals() {
        assert_eq!(
            names("GRANDS CHANTIERS POUR LE LOGEMENT DE DEMAIN\nLe texte suit."),
            NONE
        );
        assert_eq!(
            names("PARIS HABITAT INAUGURE UNE RÉSIDENCE\n"),
            ["Paris Habitat"]
        );
        // A capitals-only alias in a heading is a word shouted.
        assert_eq!(names("LE COL DU LAUTARET RESTE FERMÉ\n"), NONE);
        assert_eq!(names("Le COL livre 12 maisons."), ["Le COL"]);
    }

    #[test]
    fn no_organisation_from_awards_labels_or_navigation() {
        assert_eq!(
            names("Lauréat des Trophées Habitat Durable Berry, Toits Soleil Habitat livre"),
            ["Toits Soleil Habitat"]
        );
        assert_eq!(names("les Victoires du Logement Solidaire"), NONE);
        assert_eq!(names("une résidence certifiée NF Habitat HQE"), NONE);
        assert_eq!(names("le label BBC Effinergie Logement"), NONE);
        assert_eq!(
            names("MARS 2023 Actualités Logement\nHabitat 18 livre 40 logements."),
            ["Habitat 18"]
        );
        assert_eq!(names("Accueil Nos Métiers Contact Habitat"), NONE);
    }

    #[test]
    fn no_organisation_from_a_person_or_a_generic_word() {
        assert_eq!(names("la société Julie Moreau Conseil"), NONE);
        assert_eq!(names("l'entreprise Jean-Marc Lefort"), NONE);
        assert_eq!(names("l'association Mme Lefort"), NONE);
        assert_eq!(names("la coopérative Abbé Lefort"), NONE);
        // A landlord named after someone keeps the name.
        assert_eq!(
            names("avec Marcel Lefort Habitat et"),
            ["Marcel Lefort Habitat"]
        );
        assert_eq!(names("le bailleur HLM et l'OPH"), NONE);
        // After `fondation`, the person names the foundation.
        assert_eq!(
            names("la fondation Abbé Lefort alerte"),
            ["Fondation Abbé Lefort"]
        );
        let extra = ["Fondation Sœur Odile\tassociation\t\tFondation Sœur Odile"];
        assert_eq!(
            names_with("la fondation Sœur Odile alerte", &extra),
            ["Fondation Sœur Odile"]
        );
    }

    #[test]
    fn extra_files_extend_the_gazetteer() {
        let analyzer = Analyzer::default();
        // The older format, without the seat column, still reads.
        let extra = vec!["Office Picard\tOPH\tOffice Picard | OPIC".to_string()];
        let orgs = Organisations::new(&analyzer, DataSet::built_in(), &extra);
        let text = "L'OPIC rénove.";
        let found: Vec<Term> = orgs
            .find(text, &analyzer.words(text), &Places::built_in())
            .into_iter()
            .map(|m| m.organisation)
            .collect();
        assert_eq!(
            found,
            [Term {
                name: "Office Picard".into(),
                kind: "OPH".into()
            }]
        );
        assert_eq!(orgs.seat(&analyzer, "OPIC"), None);
        assert_eq!(orgs.seat(&analyzer, "Paris Habitat"), Some("75"));
    }

    #[test]
    fn the_gazetteer_seats_are_departements_and_its_kinds_known() {
        let places = Places::built_in();
        let kinds = [
            "OPH",
            "ESH",
            "coopérative",
            "SEM",
            "groupe",
            "agence",
            "collectivité",
            "fédération",
            "association",
        ];
        let mut count = 0;
        for row in data::rows(DataFile::Organisations.built_in()) {
            assert_eq!(row.len(), 4, "{row:?}");
            assert!(kinds.contains(&row[1]), "{row:?}");
            assert!(
                row[2].is_empty() || places.departement(row[2]).is_some(),
                "{row:?}"
            );
            count += 1;
        }
        assert!(count >= 350, "{count}");
    }
}
