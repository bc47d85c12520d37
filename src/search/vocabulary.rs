//! The vocabulary of the trade at query time: synonyms (an acronym and its
//! spelled-out forms, from the programme, product and organisation
//! gazetteers and `data/glossary.tsv`), and the facet values query words
//! name (a commune, an organisation, a programme), so that a passage tagged
//! with them matches even when its text spells them otherwise.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::analysis::capitals::is_capitalised;
use crate::analysis::{facet_key, Analyzer};
use crate::data::{DataFile, DataSet};
use crate::extract::places::commune_stopwords;
use crate::extract::terms::{keys, Terms};
use crate::facets::FacetField;
use crate::search::query::{AnalysedItem, AnalysedQuery, Group};
use crate::search::rank::SYNONYM_WEIGHT;

/// Longest run of query words read as one name.
const MAX_NAME_WORDS: usize = 8;

/// The place facets a query word may name, looked up in the index.
const PLACE_FIELDS: [FacetField; 3] = [
    FacetField::Commune,
    FacetField::Departement,
    FacetField::Region,
];

/// Synonyms and named facet values for queries.
pub struct Vocabulary {
    analyzer: Analyzer,
    /// Term lists, with the facet their names are values of.
    lists: Vec<(Option<FacetField>, Terms)>,
    /// Everyday words that are also commune names: typed in lower case,
    /// they are words, not places. Read from `data` when a query word
    /// first names a place.
    stopwords: OnceLock<HashSet<String>>,
    data: DataSet,
}

/// What a name in the query stands for besides itself.
#[derive(Default)]
struct Meaning {
    synonyms: Vec<AnalysedItem>,
    tags: Vec<(FacetField, String)>,
    /// The typed words are a capitals-only alias (`=PLUS`) typed in
    /// capitals: they ask for the acronym, never the everyday word.
    capitals_only: bool,
}

impl Vocabulary {
    /// The built-in vocabulary plus users' synonym files (the contents of
    /// files in the format of `data/glossary.tsv`). Matching is on analysed
    /// words whatever the case (a query is typed in lower case as often as
    /// not), except capitals-only aliases (`=PLUS`).
    pub fn new(analyzer: &Analyzer, data: &DataSet, extra: &[String]) -> Vocabulary {
        let list = |file: DataFile| Terms::parse(analyzer, data.text(file));
        let mut glossary = list(DataFile::Glossary);
        for data in extra {
            glossary.add(analyzer, data);
        }
        Vocabulary {
            analyzer: analyzer.clone(),
            lists: vec![
                (Some(FacetField::Product), list(DataFile::Products)),
                (Some(FacetField::Programme), list(DataFile::Programmes)),
                (
                    Some(FacetField::Organisation),
                    list(DataFile::Organisations),
                ),
                (None, glossary),
            ],
            stopwords: OnceLock::new(),
            data: data.clone(),
        }
    }

    /// The canonical name of the term of `field` (organisation, programme
    /// or product) one of whose aliases `value` is, whatever its case: a
    /// filter value typed `acv` or `psla` names the term.
    pub(crate) fn canonical(&self, field: FacetField, value: &str) -> Option<String> {
        let (_, terms) = self.lists.iter().find(|(f, _)| *f == Some(field))?;
        [value.to_string(), value.to_uppercase()]
            .iter()
            .find_map(|v| terms.lookup(&self.analyzer.words(v)).first().copied())
            .map(|term| terms.name(term).to_string())
    }

    /// The canonical names of the terms of `field`.
    pub(crate) fn names(&self, field: FacetField) -> Vec<&str> {
        self.lists
            .iter()
            .filter(|(f, _)| *f == Some(field))
            .flat_map(|(_, terms)| (0..terms.len()).map(|i| terms.name(i)))
            .collect()
    }

    /// Expands `query` in place. Runs of words typed apart that together
    /// name one thing (`bail réel solidaire`, `Action Cœur de Ville`)
    /// become one group; each group gains the synonyms and facet values of
    /// what it names. `indexed(field, key)` tells whether some passage is
    /// tagged with a place key.
    pub fn expand(&self, query: &mut AnalysedQuery, indexed: &dyn Fn(FacetField, &str) -> bool) {
        let groups = std::mem::take(&mut query.groups);
        let mut i = 0;
        while i < groups.len() {
            let mut end = i;
            let mut words = 0;
            while end < groups.len() {
                match single_word_item(&groups[end]) {
                    Some(item) if words + item.words.len() <= MAX_NAME_WORDS => {
                        words += item.words.len();
                        end += 1;
                    }
                    _ => break,
                }
            }
            if end == i {
                let mut group = groups[i].clone();
                self.enrich(&mut group, indexed);
                query.groups.push(group);
                i += 1;
                continue;
            }
            // The longest run starting here that names something.
            let named = (i..end).rev().find_map(|last| {
                let item = merge(&groups[i..=last]);
                let meaning = self.meaning(&item, indexed)?;
                Some((last, item, meaning))
            });
            match named {
                Some((last, mut item, meaning)) => {
                    item.capitals_only |= meaning.capitals_only;
                    let mut group = Group {
                        items: vec![item],
                        tags: meaning.tags,
                    };
                    group.items.extend(meaning.synonyms);
                    query.groups.push(group);
                    i = last + 1;
                }
                None => {
                    query.groups.push(groups[i].clone());
                    i += 1;
                }
            }
        }
        for group in &mut query.excluded {
            self.enrich(group, indexed);
        }
    }

    /// Adds to a group the synonyms and tags of each of its typed items.
    fn enrich(&self, group: &mut Group, indexed: &dyn Fn(FacetField, &str) -> bool) {
        let typed: Vec<AnalysedItem> = group.typed().cloned().collect();
        for item in &typed {
            if let Some(meaning) = self.meaning(item, indexed) {
                if meaning.capitals_only {
                    for same in group.items.iter_mut().filter(|i| i.raw == item.raw) {
                        same.capitals_only = true;
                    }
                }
                for synonym in meaning.synonyms {
                    if !contains_words(&group.items, &synonym) {
                        group.items.push(synonym);
                    }
                }
                for tag in meaning.tags {
                    if !group.tags.contains(&tag) {
                        group.tags.push(tag);
                    }
                }
            }
        }
    }

    /// The synonyms and facet values `item` names, if any.
    fn meaning(
        &self,
        item: &AnalysedItem,
        indexed: &dyn Fn(FacetField, &str) -> bool,
    ) -> Option<Meaning> {
        let mut meaning = Meaning::default();
        let typed_keys = keys(&item.words);
        for (field, terms) in &self.lists {
            for term in terms.lookup(&item.words) {
                if let Some(field) = field {
                    let tag = (*field, facet_key(terms.name(term)));
                    if !meaning.tags.contains(&tag) {
                        meaning.tags.push(tag);
                    }
                }
                for (alias, capitals_only) in terms.aliases(term) {
                    let Some(mut synonym) = AnalysedItem::new(&self.analyzer, alias) else {
                        continue;
                    };
                    if *capitals_only
                        && item.acronym().is_some()
                        && keys(&synonym.words) == typed_keys
                    {
                        meaning.capitals_only = true;
                    }
                    if keys(&synonym.words) == typed_keys
                        || contains_words(&meaning.synonyms, &synonym)
                    {
                        continue;
                    }
                    synonym.capitals_only = *capitals_only;
                    synonym.weight = SYNONYM_WEIGHT;
                    meaning.synonyms.push(synonym);
                }
            }
        }
        if !item.words.iter().any(|w| w.is_number()) {
            let key = facet_key(&item.raw);
            let places: Vec<FacetField> = PLACE_FIELDS
                .into_iter()
                .filter(|&field| indexed(field, &key))
                .collect();
            let everyday = || {
                item.words.len() == 1
                    && !is_capitalised(&item.raw)
                    && self
                        .stopwords
                        .get_or_init(|| commune_stopwords(&self.data))
                        .contains(&item.words[0].folded)
            };
            if !places.is_empty() && !everyday() {
                meaning
                    .tags
                    .extend(places.into_iter().map(|field| (field, key.clone())));
            }
        }
        (!meaning.synonyms.is_empty() || !meaning.tags.is_empty() || meaning.capitals_only)
            .then_some(meaning)
    }
}

/// The item of a group that is one unquoted word (or compound) and nothing
/// else.
fn single_word_item(group: &Group) -> Option<&AnalysedItem> {
    match group.items.as_slice() {
        [item] if !item.quoted && group.tags.is_empty() => Some(item),
        _ => None,
    }
}

/// Groups of single words read as one name: each word still required,
/// anywhere, with a bonus when they stand together.
fn merge(groups: &[Group]) -> AnalysedItem {
    let mut items = groups.iter().map(|g| &g.items[0]);
    let mut merged = items.next().cloned().unwrap_or_else(|| AnalysedItem {
        raw: String::new(),
        words: Vec::new(),
        stems: Vec::new(),
        loose: false,
        quoted: false,
        capitals_only: false,
        weight: 1.0,
        known_phrase: false,
    });
    for item in items {
        merged.raw.push(' ');
        let shift = merged.raw.len();
        merged.raw.push_str(&item.raw);
        merged.words.extend(item.words.iter().map(|w| {
            let mut w = w.clone();
            w.from += shift;
            w.to += shift;
            w
        }));
        merged.stems.extend(item.stems.iter().cloned());
        merged.loose = true;
    }
    merged
}

/// Whether `items` has one with the same words as `item`.
fn contains_words(items: &[AnalysedItem], item: &AnalysedItem) -> bool {
    let folded =
        |i: &AnalysedItem| -> Vec<String> { i.words.iter().map(|w| w.folded.clone()).collect() };
    let wanted = folded(item);
    items.iter().any(|i| folded(i) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::syntax::parse;

    fn expanded(query: &str, places: &[&str]) -> AnalysedQuery {
        let analyzer = Analyzer::default();
        let vocabulary = Vocabulary::new(
            &analyzer,
            DataSet::built_in(),
            &[
                "HLM\tHLM | logement social".into(),
                "Habitat inclusif\thabitat inclusif | =HI".into(),
            ],
        );
        let mut q = AnalysedQuery::new(&analyzer, &parse(query));
        vocabulary.expand(&mut q, &|field, key| {
            field == FacetField::Commune && places.contains(&key)
        });
        q
    }

    fn raws(group: &Group) -> Vec<&str> {
        group.items.iter().map(|i| i.raw.as_str()).collect()
    }

    #[test]
    fn acronyms_find_spelled_out_forms_and_the_reverse() {
        let q = expanded("PSLA", &[]);
        assert!(raws(&q.groups[0]).contains(&"prêt social location-accession"));
        assert!(q.groups[0]
            .tags
            .contains(&(FacetField::Product, "psla".to_string())));
        let q = expanded("\"bail réel solidaire\"", &[]);
        assert!(raws(&q.groups[0]).contains(&"BRS"));
        let q = expanded("OPH", &[]);
        assert!(raws(&q.groups[0]).contains(&"office public de l'habitat"));
        let q = expanded("acv", &[]);
        assert!(raws(&q.groups[0]).contains(&"Action Cœur de Ville"));
    }

    #[test]
    fn words_typed_apart_that_name_one_thing_become_one_group() {
        let q = expanded("bail réel solidaire Annecy", &["annecy"]);
        assert_eq!(q.groups.len(), 2);
        assert!(q.groups[0].items[0].loose);
        assert!(raws(&q.groups[0]).contains(&"BRS"));
        assert_eq!(
            q.groups[1].tags,
            [(FacetField::Commune, "annecy".to_string())]
        );
        // Words that name nothing together stay apart.
        assert_eq!(expanded("logement bail", &[]).groups.len(), 2);
    }

    #[test]
    fn capitals_only_aliases_and_everyday_words() {
        // `plus` is not the PLUS loan; the PLUS loan finds its long form.
        assert!(expanded("plus", &[]).groups[0].items.len() == 1);
        let q = expanded("PLUS", &[]);
        assert!(raws(&q.groups[0]).contains(&"prêt locatif à usage social"));
        // Typed in capitals, the capitals-only alias asks for the loan only.
        assert!(
            q.groups[0].items[0].capitals_only,
            "{:?}",
            q.groups[0].items[0]
        );
        assert!(!expanded("Plus", &[]).groups[0].items[0].capitals_only);
        // Nor the plural of another acronym (PLU, whose PLUi stems like
        // `pluie`).
        assert!(!raws(&q.groups[0]).contains(&"plan local d'urbanisme"));
        // An everyday word in lower case is not a place, even if indexed.
        assert!(expanded("orange", &["orange"]).groups[0].tags.is_empty());
        assert!(!expanded("Orange", &["orange"]).groups[0].tags.is_empty());
    }

    #[test]
    fn users_add_synonyms() {
        let q = expanded("HI", &[]);
        assert!(raws(&q.groups[0]).contains(&"habitat inclusif"));
        assert!(expanded("hi", &[]).groups[0].items.len() == 1);
        assert!(raws(&expanded("habitat inclusif", &[]).groups[0]).contains(&"HI"));
    }

    #[test]
    fn exclusions_are_expanded_too() {
        let q = expanded("logement -PSLA", &[]);
        assert!(raws(&q.excluded[0]).contains(&"location-accession"));
    }
}
