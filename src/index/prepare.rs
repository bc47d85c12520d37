//! Preparing articles for the writer, in batches split between one worker
//! per core: each article is analysed once, and that one analysis serves
//! its passages, its facet extraction, its copy signature and the tokens of
//! its text fields, written packed into its documents (see
//! `analysis::tokenizer`).

use std::time::Instant;

use tantivy::TantivyDocument;

use super::copies::Signature;
use super::document::{article_documents, ArticleTokens, Extracted, KeyCache, Meta, PassageTokens};
use super::Fields;
use crate::analysis::lexicon::TypeId;
use crate::analysis::phrases::phrase_tokens;
use crate::analysis::tokenizer::text_tokens;
use crate::analysis::{Analyzer, Lexicon, PackedText, Word};
use crate::corpus::dates::DateSource;
use crate::corpus::passages::Splitter;
use crate::corpus::Article;
use crate::error::{Error, Result};
use crate::extract::{word_ranges, Extractor};

/// Articles prepared per batch.
pub(crate) const BATCH_ARTICLES: usize = 256;

/// What preparing needs, shared by the workers.
pub(crate) struct Preparer<'a> {
    pub fields: &'a Fields,
    pub analyzer: &'a Analyzer,
    pub extractor: &'a Extractor,
    pub splitter: &'a Splitter,
}

/// What a worker keeps from one article to the next.
pub(crate) struct Worker {
    lexicon: Lexicon,
    keys: KeyCache,
    words: Vec<Word>,
    ids: Vec<TypeId>,
}

impl Worker {
    /// A worker with an empty `lexicon`.
    pub(crate) fn new(lexicon: Lexicon) -> Worker {
        Worker {
            lexicon,
            keys: KeyCache::default(),
            words: Vec::new(),
            ids: Vec::new(),
        }
    }
}

/// An article ready for the writer.
pub(crate) struct Prepared {
    /// Its block: the article document, then its passages.
    pub documents: Vec<TantivyDocument>,
    /// What tells its syndicated copies (none for a text too short).
    pub signature: Option<Signature>,
    pub extraction_seconds: f64,
}

impl Preparer<'_> {
    /// Prepares a batch of articles, split between the workers, in input
    /// order.
    pub(crate) fn batch(
        &self,
        batch: &[(Article, Meta)],
        workers: &mut [Worker],
    ) -> Result<Vec<Prepared>> {
        let chunk = batch.len().div_ceil(workers.len()).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .zip(workers.iter_mut())
                .map(|(articles, worker)| {
                    scope.spawn(move || {
                        articles
                            .iter()
                            .map(|(article, meta)| self.article(article, meta, worker))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut prepared = Vec::with_capacity(batch.len());
            for handle in handles {
                // A worker that panicked must not lose its articles silently.
                prepared.extend(handle.join().map_err(|_| Error::Internal {
                    what: "preparing articles for the index".to_string(),
                })?);
            }
            Ok(prepared)
        })
    }

    /// Analyses an article once, extracts its facets and builds its block
    /// of documents.
    fn article(&self, article: &Article, meta: &Meta, worker: &mut Worker) -> Prepared {
        let passages = self.splitter.split(&article.text);
        let (lexicon, words, ids) = (&mut worker.lexicon, &mut worker.words, &mut worker.ids);
        // Room for the article's words, its title's and its headings' (ids
        // stay valid within the article).
        lexicon.make_room(article.text.len() / 2 + 64);
        lexicon.words(self.analyzer, &article.text, words, ids);
        let words = &*words;
        let extraction = Instant::now();
        let (facets, mentions) = self
            .extractor
            .extract_mentions(&article.text, words, &passages);
        let given = self.extractor.complete_given(&article.facets);
        // A title the text starts with is in the first passage, whose values
        // the article is about already: it is not extracted twice.
        let title = article
            .title
            .as_deref()
            .filter(|t| !article.text.trim_start().starts_with(t.trim()));
        let about = self.extractor.article_scope(title, &facets, &given);
        let operations =
            self.extractor
                .operations(&article.text, words, &passages, &facets, &about, &mentions);
        let dated = match (&article.date, article.date_source) {
            (Some(date), Some(source)) => Some((date.clone(), source)),
            (Some(date), None) => Some((date.clone(), DateSource::Given)),
            _ => self
                .extractor
                .inferred_date(words)
                .map(|date| (date, DateSource::Text)),
        };
        let signature = Signature::of(words);
        let extraction_seconds = extraction.elapsed().as_secs_f64();

        let mut tokens = ArticleTokens {
            title: article
                .title
                .as_deref()
                .map(|title| self.analysed(lexicon, title)),
            passages: Vec::with_capacity(passages.len()),
        };
        for (range, passage) in word_ranges(words, &passages).into_iter().zip(&passages) {
            let mut passage_tokens = PassageTokens::default();
            text_tokens(
                lexicon,
                &words[range.clone()],
                &ids[range.clone()],
                &mut passage_tokens.text,
                Some(&mut passage_tokens.exact),
            );
            phrase_tokens(lexicon, &ids[range], &mut passage_tokens.phrases);
            passage_tokens.heading = passage
                .heading
                .as_deref()
                .map(|heading| self.analysed(lexicon, heading));
            tokens.passages.push(passage_tokens);
        }
        let extracted = Extracted {
            passages: &passages,
            facets,
            given: &given,
            about,
            dated,
            operations: &operations,
            tokens,
        };
        Prepared {
            documents: article_documents(self.fields, article, meta, extracted, &mut worker.keys),
            signature,
            extraction_seconds,
        }
    }

    /// The text tokens of a short text of its own (a title, a heading).
    fn analysed(&self, lexicon: &mut Lexicon, text: &str) -> PackedText {
        let (mut words, mut ids) = (Vec::new(), Vec::new());
        lexicon.words(self.analyzer, text, &mut words, &mut ids);
        let mut packed = PackedText::default();
        text_tokens(lexicon, &words, &ids, &mut packed, None);
        packed
    }
}
