//! Preparing articles for the writer, in batches split between one worker
//! per core: each article is analysed once, and that one analysis serves
//! its passages, its facet extraction and both text fields (the tokens are
//! left in a [`TokenCache`] for the writer's tokenizers).

use std::time::Instant;

use tantivy::TantivyDocument;

use super::copies::Signature;
use super::document::{passage_documents, Meta};
use super::Fields;
use crate::analysis::tokenizer::{field_tokens, PackedTokens, TermForm, TokenCache};
use crate::analysis::{Analyzer, StemCache, Word};
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
    pub ready: &'a TokenCache,
}

/// An article ready for the writer.
pub(crate) struct Prepared {
    pub documents: Vec<TantivyDocument>,
    /// What tells its syndicated copies (none for a text too short).
    pub signature: Option<Signature>,
    pub extraction_seconds: f64,
}

impl Preparer<'_> {
    /// Prepares a batch of articles, split between the workers (one stem
    /// cache each), in input order.
    pub(crate) fn batch(
        &self,
        batch: &[(Article, Meta)],
        workers: &mut [StemCache],
    ) -> Result<Vec<Prepared>> {
        let chunk = batch.len().div_ceil(workers.len()).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .zip(workers.iter_mut())
                .map(|(articles, stems)| {
                    scope.spawn(move || {
                        let mut words = Vec::new();
                        articles
                            .iter()
                            .map(|(article, meta)| self.article(article, meta, &mut words, stems))
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

    /// Analyses an article once, extracts its facets and builds its
    /// passages' documents; the tokens of the text fields, from that one
    /// analysis, are left for the writer.
    fn article(
        &self,
        article: &Article,
        meta: &Meta,
        words: &mut Vec<Word>,
        stems: &mut StemCache,
    ) -> Prepared {
        let passages = self.splitter.split(&article.text);
        self.analyzer.words_into(&article.text, words);
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
        for (range, passage) in word_ranges(words, &passages).into_iter().zip(&passages) {
            let text = passage.text(&article.text);
            for form in [TermForm::Stemmed, TermForm::Exact] {
                let mut tokens = PackedTokens::default();
                field_tokens(
                    self.analyzer,
                    &words[range.clone()],
                    passage.start,
                    form,
                    stems,
                    &mut tokens,
                );
                self.ready.put(text, form, tokens);
            }
        }
        Prepared {
            documents: passage_documents(
                self.fields,
                article,
                meta,
                &passages,
                facets,
                &given,
                about,
                dated,
                &operations,
            ),
            signature,
            extraction_seconds,
        }
    }
}
