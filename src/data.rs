//! The data files built into logis: the official lists of places, the
//! gazetteers, and the word lists that decide extraction and passages. This
//! registry is the one list of them: extraction, passages and queries read
//! their data from a [`DataSet`], and the digest that decides what an
//! incremental run re-indexes covers every file of it, so editing any of
//! them re-indexes the articles on the next run without a version bump.
//!
//! A [`DataSet`] is the built-in files, some maybe replaced by edited
//! copies from a folder (`logis --data DIR`), to tune a word list or a
//! gazetteer without recompiling logis.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::analysis::Analyzer;
use crate::error::{Error, Result};

/// A data file of logis, by what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    /// The communes of the official list (derived, see `scripts/`).
    Communes,
    /// The départements of the official list (derived).
    Departements,
    /// The régions of the official list (derived).
    Regions,
    /// Words derived from a French dictionary: communes named like
    /// everyday words, and given names (see `scripts/`).
    DictionaryWords,
    /// Organisations: name, kind, aliases.
    Organisations,
    /// Programmes and their aliases.
    Programmes,
    /// Housing products and their aliases.
    Products,
    /// Trade words and their other forms, for queries.
    Glossary,
    /// Words around a name that decide whether it is a place.
    PlaceWords,
    /// Words around a name that decide whether it is an organisation.
    OrganisationWords,
    /// Words that decide how articles are cut into passages.
    PassageWords,
    /// Months and weekdays, for dates in the text.
    Calendar,
}

impl DataFile {
    /// Every data file, in the order of the digest.
    pub const ALL: [DataFile; 12] = [
        DataFile::Communes,
        DataFile::Departements,
        DataFile::Regions,
        DataFile::DictionaryWords,
        DataFile::Organisations,
        DataFile::Programmes,
        DataFile::Products,
        DataFile::Glossary,
        DataFile::PlaceWords,
        DataFile::OrganisationWords,
        DataFile::PassageWords,
        DataFile::Calendar,
    ];

    /// The file's name in `data/` (and in a `--data` folder).
    pub fn file_name(self) -> &'static str {
        match self {
            DataFile::Communes => "communes.tsv",
            DataFile::Departements => "departements.tsv",
            DataFile::Regions => "regions.tsv",
            DataFile::DictionaryWords => "dictionary-words.tsv",
            DataFile::Organisations => "organisations.tsv",
            DataFile::Programmes => "programmes.tsv",
            DataFile::Products => "products.tsv",
            DataFile::Glossary => "glossary.tsv",
            DataFile::PlaceWords => "place-words.tsv",
            DataFile::OrganisationWords => "organisation-words.tsv",
            DataFile::PassageWords => "passage-words.tsv",
            DataFile::Calendar => "calendar.tsv",
        }
    }

    /// The built-in contents, embedded at build time.
    pub fn built_in(self) -> &'static str {
        match self {
            DataFile::Communes => include_str!("../data/communes.tsv"),
            DataFile::Departements => include_str!("../data/departements.tsv"),
            DataFile::Regions => include_str!("../data/regions.tsv"),
            DataFile::DictionaryWords => include_str!("../data/dictionary-words.tsv"),
            DataFile::Organisations => include_str!("../data/organisations.tsv"),
            DataFile::Programmes => include_str!("../data/programmes.tsv"),
            DataFile::Products => include_str!("../data/products.tsv"),
            DataFile::Glossary => include_str!("../data/glossary.tsv"),
            DataFile::PlaceWords => include_str!("../data/place-words.tsv"),
            DataFile::OrganisationWords => include_str!("../data/organisation-words.tsv"),
            DataFile::PassageWords => include_str!("../data/passage-words.tsv"),
            DataFile::Calendar => include_str!("../data/calendar.tsv"),
        }
    }

    /// The lists a word-list file may hold; `None` for the other files.
    pub(crate) fn lists(self) -> Option<&'static [WordList]> {
        use Entries::{Phrases, Words};
        static PLACE: [WordList; 10] = [
            WordList::new("locative", Words),
            WordList::new("weak-locative", Words),
            WordList::new("commune-noun", Words),
            WordList::new("street", Phrases),
            WordList::new("quartier", Words),
            WordList::new("apposition", Words),
            WordList::new("river", Words),
            WordList::new("particle", Words),
            WordList::new("title", Words),
            WordList::new("common-word", Words),
        ];
        static ORGANISATION: [WordList; 16] = [
            WordList::new("suffix", Words),
            WordList::new("role", Phrases),
            WordList::new("apposition", Phrases),
            WordList::new("inner", Words),
            WordList::new("not-a-name", Words),
            WordList::new("determiner", Words),
            WordList::new("head", Phrases),
            WordList::new("place-head", Phrases),
            WordList::new("body-head", Phrases),
            WordList::new("network", Phrases),
            WordList::new("generic", Words),
            WordList::new("award", Phrases),
            WordList::new("label", Phrases),
            WordList::new("title", Words),
            WordList::new("given-name", Words),
            WordList::new("navigation", Words),
        ];
        static PASSAGE: [WordList; 1] = [WordList::new("caption", Words)];
        static CALENDAR: [WordList; 2] = [
            WordList::new("month", Words).exactly(12),
            WordList::new("weekday", Words).exactly(7),
        ];
        match self {
            DataFile::PlaceWords => Some(&PLACE),
            DataFile::OrganisationWords => Some(&ORGANISATION),
            DataFile::PassageWords => Some(&PASSAGE),
            DataFile::Calendar => Some(&CALENDAR),
            _ => None,
        }
    }
}

/// What the entries of a word list are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entries {
    /// One word each (`rue`, `à`).
    Words,
    /// One or more words each, matched in sequence (`bailleur social`).
    Phrases,
}

/// A list of a word-list file: its name, what its entries are, and how
/// many it must hold, if that is fixed (twelve months).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordList {
    pub name: &'static str,
    pub entries: Entries,
    pub exactly: Option<usize>,
}

impl WordList {
    const fn new(name: &'static str, entries: Entries) -> WordList {
        WordList {
            name,
            entries,
            exactly: None,
        }
    }

    const fn exactly(self, count: usize) -> WordList {
        WordList {
            exactly: Some(count),
            ..self
        }
    }
}

/// The data logis runs with: the built-in files, some maybe replaced.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    replaced: HashMap<DataFile, &'static str>,
    folder: Option<PathBuf>,
}

impl DataSet {
    /// The built-in data.
    pub fn built_in() -> &'static DataSet {
        static BUILT_IN: OnceLock<DataSet> = OnceLock::new();
        BUILT_IN.get_or_init(DataSet::default)
    }

    /// The built-in data, with the files of `folder` named like a data file
    /// (`place-words.tsv`, `communes.tsv`...) in place of the built-in
    /// ones. A file of another name is an error, so that a misspelt name
    /// is not silently ignored; a word list is checked as it is read. The
    /// contents are kept for the life of the process: read a folder once.
    pub fn with_replacements(folder: &Path) -> Result<DataSet> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let mut replaced = HashMap::new();
        let mut names: Vec<PathBuf> = fs::read_dir(folder)
            .map_err(io(folder))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let Some(file) = DataFile::ALL.into_iter().find(|f| f.file_name() == name) else {
                return Err(Error::Data {
                    path,
                    line: 0,
                    problem: format!(
                        "not a logis data file (those are {})",
                        DataFile::ALL.map(DataFile::file_name).join(", ")
                    ),
                });
            };
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            if let Some(lists) = file.lists() {
                if let Err((line, problem)) = check_word_lists(&text, lists) {
                    return Err(Error::Data {
                        path,
                        line,
                        problem,
                    });
                }
            }
            // Kept for the process: the gazetteers borrow from it.
            replaced.insert(file, &*Box::leak(text.into_boxed_str()));
        }
        Ok(DataSet {
            replaced,
            folder: Some(folder.to_path_buf()),
        })
    }

    /// The contents of `file`.
    pub fn text(&self, file: DataFile) -> &'static str {
        self.replaced
            .get(&file)
            .copied()
            .unwrap_or_else(|| file.built_in())
    }

    /// Whether no file is replaced.
    pub fn is_built_in(&self) -> bool {
        self.replaced.is_empty()
    }

    /// Whether `file` is replaced.
    pub fn replaces(&self, file: DataFile) -> bool {
        self.replaced.contains_key(&file)
    }

    /// The folder the replacements come from, if any.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }
}

/// The lines of a data file that are not comments or blank, split at tabs.
pub(crate) fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// The lines of a word-list file (`list<TAB>words`) that are not comments
/// or blank: line number, list name and entry, trimmed (`None` for a line
/// without a tab).
fn word_list_lines(text: &str) -> impl Iterator<Item = (usize, Option<(&str, &str)>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let entry = l
                .split_once('\t')
                .map(|(list, words)| (list.trim(), words.trim()));
            (i + 1, entry)
        })
}

/// The entries of one list of a word-list file, in file order, each as the
/// folded words the analyzer makes of it: entries are written as in
/// articles (`près`, `d'`), and match what the analyzer makes of articles.
pub(crate) fn word_list(text: &str, list: &str) -> Vec<Vec<String>> {
    let analyzer = Analyzer::default();
    word_list_lines(text)
        .filter_map(|(_, entry)| entry)
        .filter(|(name, _)| *name == list)
        .map(|(_, words)| {
            analyzer
                .words(words)
                .into_iter()
                .map(|w| w.folded)
                .collect()
        })
        .filter(|words: &Vec<String>| !words.is_empty())
        .collect()
}

/// Checks a word-list file: every line names a known list and gives an
/// entry that is a word (or words, for a list of phrases) once analysed, no
/// entry is there twice, and a list of fixed length has it. Returns the
/// first problem and its line number (0 for the whole file).
fn check_word_lists(text: &str, lists: &[WordList]) -> std::result::Result<(), (usize, String)> {
    let analyzer = Analyzer::default();
    let mut seen: HashMap<(&str, Vec<String>), usize> = HashMap::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (number, entry) in word_list_lines(text) {
        let Some((name, entry)) = entry else {
            return Err((number, "expected `list<TAB>word(s)`".to_string()));
        };
        let Some(list) = lists.iter().find(|l| l.name == name) else {
            let names: Vec<&str> = lists.iter().map(|l| l.name).collect();
            return Err((
                number,
                format!("unknown list `{name}` (lists: {})", names.join(", ")),
            ));
        };
        let words: Vec<String> = analyzer
            .words(entry)
            .into_iter()
            .map(|w| w.folded)
            .collect();
        match (words.len(), list.entries) {
            (0, _) => return Err((number, format!("`{entry}` holds no word"))),
            (1, _) | (_, Entries::Phrases) => {}
            (_, Entries::Words) => {
                return Err((
                    number,
                    format!("`{entry}` is several words; `{name}` holds one word an entry"),
                ))
            }
        }
        if let Some(first) = seen.insert((list.name, words), number) {
            return Err((
                number,
                format!("`{entry}` is already in `{name}` (line {first})"),
            ));
        }
        *counts.entry(list.name).or_default() += 1;
    }
    for list in lists {
        let count = counts.get(list.name).copied().unwrap_or(0);
        if list.exactly.is_some_and(|n| n != count) {
            return Err((
                0,
                format!(
                    "`{}` holds {count} entries, not {}",
                    list.name,
                    list.exactly.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_data_is_registered() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut on_disk: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tsv") || n.ends_with(".txt"))
            .collect();
        on_disk.sort();
        let mut registered: Vec<String> = DataFile::ALL
            .iter()
            .map(|f| f.file_name().to_string())
            .collect();
        registered.sort();
        assert_eq!(on_disk, registered);
    }

    #[test]
    fn built_in_word_lists_hold_only_entries_that_can_match() {
        for file in DataFile::ALL {
            if let Some(lists) = file.lists() {
                assert_eq!(
                    check_word_lists(file.built_in(), lists),
                    Ok(()),
                    "{}",
                    file.file_name()
                );
                for list in lists {
                    assert!(
                        !word_list(file.built_in(), list.name).is_empty(),
                        "{} has no `{}`",
                        file.file_name(),
                        list.name
                    );
                }
            }
        }
    }

    #[test]
    fn word_list_problems_are_found_with_their_line() {
        let lists = &[
            WordList::new("street", Entries::Words),
            WordList::new("particle", Entries::Words),
            WordList::new("role", Entries::Phrases),
        ];
        assert_eq!(check_word_lists("# c\nstreet\true\n", lists), Ok(()));
        let problem = |text: &str| check_word_lists(text, lists).unwrap_err();
        assert_eq!(problem("street\true\nstreet\tRue\n").0, 2);
        assert_eq!(problem("particle\tl'\nparticle\tl\n").0, 2);
        assert!(problem("rue\n").1.contains("list<TAB>"));
        assert!(problem("streets\true\n").1.contains("unknown list"));
        assert!(problem("street\t—\n").1.contains("no word"));
        assert!(problem("street\tsente du moulin\n")
            .1
            .contains("several words"));
        assert_eq!(check_word_lists("role\tbailleur social\n", lists), Ok(()));
        let calendar = DataFile::Calendar.lists().unwrap();
        let mut months = DataFile::Calendar.built_in().to_string();
        months.push_str("month\tjanv\n");
        assert_eq!(check_word_lists(&months, calendar).unwrap_err().0, 0);
    }

    #[test]
    fn replacements_come_from_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("place-words.tsv"), "street\tsente\n").unwrap();
        let data = DataSet::with_replacements(dir.path()).unwrap();
        assert_eq!(data.text(DataFile::PlaceWords), "street\tsente\n");
        assert_eq!(data.text(DataFile::Products), DataFile::Products.built_in());
        assert!(!data.is_built_in() && DataSet::built_in().is_built_in());
        fs::write(dir.path().join("place-word.tsv"), "").unwrap();
        let error = DataSet::with_replacements(dir.path()).unwrap_err();
        assert!(
            error.to_string().contains("not a logis data file"),
            "{error}"
        );
    }
}
