//! What decides that an article is unchanged, so that an incremental run
//! skips it: a 128-bit digest (xxh3) of everything indexing reads from the
//! article, and of everything else that shapes its entry: the versions of
//! the schema and the analyzer, every data file of the run's data set (see
//! [`crate::data`]) and the users' gazetteers. Editing any of them changes
//! every digest, so the next run indexes the articles again.

use xxhash_rust::xxh3::Xxh3;

use super::ingest::IndexOptions;
use super::SCHEMA_VERSION;
use crate::analysis::ANALYZER_VERSION;
use crate::corpus::Article;
use crate::data::DataFile;

/// A digest. The index stores it as two 64-bit halves (fast numeric
/// columns cost far less to write than a dictionary of unique byte strings).
pub(crate) type Digest = u128;

/// The low and high 64 bits of a digest.
pub(crate) fn halves(digest: Digest) -> (u64, u64) {
    (digest as u64, (digest >> 64) as u64)
}

/// The digest of its two halves.
pub(crate) fn from_halves(low: u64, high: u64) -> Digest {
    (u128::from(high) << 64) | u128::from(low)
}

/// A hasher of fields: each is followed by a separator, so that
/// ("ab", "c") and ("a", "bc") differ.
struct FieldHasher(Xxh3);

impl FieldHasher {
    fn new() -> FieldHasher {
        FieldHasher(Xxh3::new())
    }

    fn bytes(mut self, bytes: &[u8]) -> FieldHasher {
        self.0.update(bytes);
        self.0.update(&[0xff]);
        self
    }

    fn text(self, text: Option<&str>) -> FieldHasher {
        match text {
            Some(text) => self.bytes(text.as_bytes()),
            None => self.bytes(&[0]),
        }
    }

    fn finish(self) -> Digest {
        self.0.digest128()
    }
}

/// The digest of what every article's entry depends on besides the
/// article, for one run.
pub(crate) fn run_digest(options: &IndexOptions) -> Digest {
    let mut hash =
        FieldHasher::new().bytes(format!("{SCHEMA_VERSION}/{ANALYZER_VERSION}").as_bytes());
    for file in DataFile::ALL {
        hash = hash.bytes(options.data.text(file).as_bytes());
    }
    let g = &options.gazetteers;
    for list in [&g.organisations, &g.programmes, &g.products] {
        for data in list {
            hash = hash.bytes(data.as_bytes());
        }
        hash = hash.bytes(b"|");
    }
    hash.finish()
}

/// The digest of an article's entry in a run of digest `run`.
pub(crate) fn article_digest(article: &Article, run: &Digest) -> Digest {
    FieldHasher::new()
        .bytes(&run.to_le_bytes())
        .bytes(article.id.as_bytes())
        .text(article.title.as_deref())
        .text(article.date.as_deref())
        .text(article.date_source.map(|s| s.as_str()))
        .text(article.url.as_deref())
        .text(article.site.as_deref())
        .text(article.author.as_deref())
        .bytes(article.text.as_bytes())
        .bytes(
            serde_json::to_string(&article.facets)
                .unwrap_or_default()
                .as_bytes(),
        )
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataSet;
    use crate::extract::ExtraGazetteers;

    fn article(text: &str) -> Article {
        Article {
            id: "a".into(),
            title: None,
            date: None,
            date_source: None,
            url: None,
            site: None,
            author: None,
            source: "a.txt".into(),
            file: "a.txt".into(),
            text: text.into(),
            facets: Default::default(),
        }
    }

    #[test]
    fn every_input_of_an_entry_changes_the_digest() {
        let options = IndexOptions::default();
        let run = run_digest(&options);
        let base = article_digest(&article("Un texte."), &run);
        assert_eq!(base, article_digest(&article("Un texte."), &run));
        assert_ne!(base, article_digest(&article("Un texte!"), &run));
        let mut titled = article("Un texte.");
        titled.title = Some(String::new());
        assert_ne!(
            base,
            article_digest(&titled, &run),
            "no title ≠ empty title"
        );
        let mut sited = article("Un texte.");
        sited.site = Some("Le Fil".into());
        assert_ne!(base, article_digest(&sited, &run));
        let with_gazetteer = IndexOptions {
            gazetteers: ExtraGazetteers {
                organisations: vec!["X\tOPH\tX".into()],
                ..ExtraGazetteers::default()
            },
            ..IndexOptions::default()
        };
        assert_ne!(run, run_digest(&with_gazetteer));
    }

    #[test]
    fn halves_make_the_digest_again() {
        let digest = article_digest(&article("x"), &run_digest(&IndexOptions::default()));
        let (low, high) = halves(digest);
        assert_eq!(from_halves(low, high), digest);
        assert_ne!(low, high);
    }

    #[test]
    fn an_edited_data_file_changes_the_run_digest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("passage-words.tsv"), "caption\tphoto\n").unwrap();
        let edited = IndexOptions {
            data: DataSet::with_replacements(dir.path()).unwrap(),
            ..IndexOptions::default()
        };
        assert_ne!(run_digest(&IndexOptions::default()), run_digest(&edited));
    }
}
