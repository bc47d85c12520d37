//! The library's error type. Every variant renders as one line that names the
//! problem and says what to do; [`Error::is_usage`] tells usage errors (exit
//! code 2) from runtime failures (exit code 1).

use std::path::PathBuf;

/// Result with the logis [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a logis command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The index directory holds no index.
    #[error("no index at {}: build one with `logis index [PATH ...]`", .path.display())]
    NoIndex { path: PathBuf },

    /// The index was written by another, incompatible version of logis.
    #[error(
        "the index at {} was built by an incompatible version of logis ({found}, this logis needs {expected}): rebuild it with `logis index --rebuild [PATH ...]`",
        .path.display()
    )]
    IncompatibleIndex {
        path: PathBuf,
        found: String,
        expected: String,
    },

    /// The query has no word to search for.
    #[error("empty query: give words to search for, e.g. `logis search \"PSLA Compiègne\"`, or a filter such as --commune")]
    EmptyQuery,

    /// The query is longer than logis accepts.
    #[error(
        "query too long ({what}): the limit is {limit}; search for fewer words, or use filters"
    )]
    QueryTooLong { what: String, limit: String },

    /// The query only excludes words.
    #[error("the query only excludes words: add at least one word to search for")]
    OnlyExclusions,

    /// A facet field name that logis does not know.
    #[error("unknown facet field `{field}`: use one of {valid}")]
    UnknownField { field: String, valid: String },

    /// A `--year` value that is neither a year nor a range.
    #[error("invalid year `{0}`: use a year (2020) or a range (2019..2021, 2019.., ..2021)")]
    InvalidYear(String),

    /// A path given on the command line does not exist.
    #[error("{}: no such file or directory", .path.display())]
    MissingPath { path: PathBuf },

    /// An input path exists but none of its files is an article.
    #[error("no articles found in {paths}: logis reads .txt, .md and .jsonl files")]
    NoArticles { paths: String },

    /// Inputs were found but every one of them was skipped; `last` is the
    /// last input skipped and why.
    #[error("{}", nothing_indexed(.paths, *.skipped, .last))]
    NothingIndexed {
        paths: String,
        skipped: usize,
        last: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Another process holds the index writer lock. The lock is an OS
    /// lock, released when its process ends, however it ends.
    #[error("the index at {} is being written by another `logis index` (it holds the lock {}): wait for it to finish, then try again", .path.display(), .lock.display())]
    Locked { path: PathBuf, lock: PathBuf },

    /// The index cannot be read: a file is missing, truncated or altered.
    #[error("the index at {} is damaged ({reason}): run `logis check` for details, and rebuild it with `logis index --rebuild [PATH ...]`", .path.display())]
    Damaged { path: PathBuf, reason: String },

    /// The index files may not be read by this user.
    #[error("the index at {} cannot be read ({detail}): searching needs read access to its files", .path.display())]
    Unreadable { path: PathBuf, detail: String },

    /// The index, or the folder it is in, cannot be written.
    #[error("the index at {} cannot be written ({detail}): indexing needs write access to it and to its folder; searching does not", .path.display())]
    ReadOnly { path: PathBuf, detail: String },

    /// The disk filled up while writing the index.
    #[error("no space left on the device of {}: the index was left as it was; free some space and run `logis index` again", .path.display())]
    DiskFull { path: PathBuf },

    /// A bug in logis: nothing was written.
    #[error("internal error while {what}; the index was left as it was (please report this)")]
    Internal { what: String },

    /// tantivy failed on the index.
    #[error("index {}: {}", .path.display(), first_line(&.source.to_string()))]
    Index {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
}

/// The message a panic carries (`panic!` with a literal or a format).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".to_string())
}

/// tantivy's messages may span lines; ours never do.
fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or_default()
}

fn nothing_indexed(paths: &str, skipped: usize, last: &str) -> String {
    if skipped == 1 {
        format!("nothing indexed: skipped {last}; the index was left as it was")
    } else {
        format!("nothing indexed from {paths}: {skipped} inputs skipped (see the warnings above); the index was left as it was")
    }
}

impl Error {
    /// Whether the user asked for something that cannot be done as asked
    /// (exit code 2), rather than something failing at run time (exit code 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::EmptyQuery
                | Error::QueryTooLong { .. }
                | Error::OnlyExclusions
                | Error::UnknownField { .. }
                | Error::InvalidYear(_)
                | Error::MissingPath { .. }
        )
    }
}
