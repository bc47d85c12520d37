//! Readers of the document formats people save news in: web pages, PDFs,
//! Word and OpenDocument files, RSS and Atom feeds. Each reader turns the
//! bytes of a file into [`Extracted`] text (paragraphs separated by blank
//! lines, as passages expect) and the metadata the file carries, or says
//! why it cannot ([`Unreadable`]).

pub mod feed;
pub mod html;
pub mod office;
pub mod pdf;

use std::fmt;

/// The text and metadata a reader found in a file (or a feed item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The document's title, without a site's suffix.
    pub title: Option<String>,
    /// The main text: paragraphs separated by a blank line.
    pub text: String,
    /// The canonical address of the document.
    pub url: Option<String>,
    /// The site or publisher.
    pub site: Option<String>,
    /// The author, when the document names one.
    pub author: Option<String>,
    /// A byline the reader took out of the text (`Par Julie Martin — 14
    /// mai 2024`): it may date the article.
    pub byline: Option<String>,
    /// The publication date from the document's metadata, as written there
    /// (normalised to ISO by the caller).
    pub date: Option<String>,
    /// An identifier the document gives itself (a feed item's guid).
    pub guid: Option<String>,
}

/// Why a file of a known format gives no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The file is truncated or malformed.
    Damaged(String),
    /// The file is encrypted (password-protected).
    Encrypted,
    /// A PDF without a text layer (a scan): logis does no OCR.
    NoTextLayer,
    /// The file decompresses to more than an article may hold.
    TooLarge {
        /// The size reached when reading stopped, in bytes.
        bytes: u64,
    },
    /// The reader took longer than its time limit.
    TimedOut {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// The file holds no text.
    NoText,
}

/// A reader's text, if it is an article's: some text, and no more than
/// `max_text_bytes`.
pub(crate) fn article_text(text: String, max_text_bytes: u64) -> Result<String, Unreadable> {
    if text.trim().is_empty() {
        return Err(Unreadable::NoText);
    }
    if text.len() as u64 > max_text_bytes {
        return Err(Unreadable::TooLarge {
            bytes: text.len() as u64,
        });
    }
    Ok(text)
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Damaged(why) => write!(f, "damaged file: {why}"),
            Unreadable::Encrypted => f.write_str("encrypted (password-protected) file"),
            Unreadable::NoTextLayer => f.write_str("scanned PDF without a text layer (no OCR)"),
            Unreadable::TooLarge { bytes } => write!(
                f,
                "expands to more than {:.1} MB of text",
                *bytes as f64 / 1e6
            ),
            Unreadable::TimedOut { seconds } => {
                write!(f, "reading took longer than {seconds} s: given up")
            }
            Unreadable::NoText => f.write_str("no text"),
        }
    }
}
