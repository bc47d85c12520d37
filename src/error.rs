//! The library's error type: what went wrong, typed, in words that hold for
//! any program using logis. Telling the user what to do next (which command,
//! which flag) and choosing an exit code is the caller's job: the `logis`
//! binary does it in `main.rs`.

use std::path::PathBuf;

/// Result with the logis [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A query over one of the limits logis sets on queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryLimit {
    /// Longer than this many bytes.
    Bytes {
        /// The query's length.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// More than this many words.
    Words {
        /// The query's words.
        found: usize,
        /// The limit.
        limit: usize,
    },
}

impl QueryLimit {
    /// The query's size, with its unit (`3000 words`).
    pub fn found(&self) -> String {
        match self {
            QueryLimit::Bytes { found, .. } => format!("{found} bytes"),
            QueryLimit::Words { found, .. } => format!("{found} words"),
        }
    }

    /// The limit, with its unit (`64 words`).
    pub fn limit(&self) -> String {
        match self {
            QueryLimit::Bytes { limit, .. } => format!("{limit} bytes"),
            QueryLimit::Words { limit, .. } => format!("{limit} words"),
        }
    }
}

/// Everything that can stop a logis operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The index directory holds no index.
    #[error("no index at {}", .path.display())]
    NoIndex {
        /// The directory.
        path: PathBuf,
    },

    /// The index was written by another, incompatible version of logis.
    #[error(
        "the index at {} was built by an incompatible version of logis ({found}, this logis needs {expected})",
        .path.display()
    )]
    IncompatibleIndex {
        /// The index.
        path: PathBuf,
        /// The versions it records.
        found: String,
        /// The versions this logis needs.
        expected: String,
    },

    /// The query has no word to search for, and no filter.
    #[error("empty query: nothing to search for")]
    EmptyQuery,

    /// The query is longer than logis accepts.
    #[error("query too long ({}): the limit is {}", .0.found(), .0.limit())]
    QueryTooLong(QueryLimit),

    /// The query only excludes words.
    #[error("the query only excludes words")]
    OnlyExclusions,

    /// A facet field name that logis does not know.
    #[error("unknown facet field `{field}` (the fields are {})", .valid.join(", "))]
    UnknownField {
        /// The name given.
        field: String,
        /// The names of the fields.
        valid: Vec<&'static str>,
    },

    /// A filter value that names nothing the data files or the index know.
    #[error("no {field} named `{value}` is known{}", did_you_mean(.suggestions))]
    UnknownFilterValue {
        /// The field filtered.
        field: &'static str,
        /// The value given.
        value: String,
        /// The closest known values, best first.
        suggestions: Vec<String>,
    },

    /// A value of a closed list (an operation's kind, a milestone, a
    /// grouping) that is not on it.
    #[error("unknown {what} `{value}`: use one of {}", .valid.join(", "))]
    InvalidChoice {
        /// What was chosen (`kind`, `milestone`, `group_by`).
        what: &'static str,
        /// The value given.
        value: String,
        /// The values known.
        valid: Vec<&'static str>,
    },

    /// A year filter that is neither a year nor a range.
    #[error("invalid year `{0}`: use a year (2020) or a range (2019..2021, 2019.., ..2021)")]
    InvalidYear(String),

    /// An input path does not exist.
    #[error("{}: no such file or directory", .path.display())]
    MissingPath {
        /// The path.
        path: PathBuf,
    },

    /// An `--exclude` glob that is not a glob.
    #[error("invalid exclude pattern `{glob}`: {problem}")]
    BadExclude {
        /// The glob given.
        glob: String,
        /// What is wrong with it.
        problem: String,
    },

    /// The input paths exist but none of their files is an article.
    #[error("no articles found in {}: logis reads .txt, .md, .jsonl, .html, .pdf, .docx, .odt, .rss and .atom files", list(.paths))]
    NoArticles {
        /// The input paths.
        paths: Vec<PathBuf>,
    },

    /// Inputs were found but every one of them was skipped.
    #[error("{}", nothing_indexed(.paths, *.skipped, .last))]
    NothingIndexed {
        /// The input paths.
        paths: Vec<PathBuf>,
        /// How many inputs were skipped.
        skipped: usize,
        /// The last input skipped, and why.
        last: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },

    /// Another process holds the index writer lock, an OS lock released
    /// when its process ends, however it ends.
    #[error("the index at {} is being written by another process (it holds the lock {})", .path.display(), .lock.display())]
    Locked {
        /// The index.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },

    /// The index cannot be read: a file is missing, truncated or altered.
    #[error("the index at {} is damaged ({reason})", .path.display())]
    Damaged {
        /// The index.
        path: PathBuf,
        /// What is wrong, in a few words.
        reason: String,
    },

    /// The index files may not be read by this user.
    #[error("the index at {} cannot be read ({detail})", .path.display())]
    Unreadable {
        /// The index.
        path: PathBuf,
        /// The file refused.
        detail: String,
    },

    /// The index, or the folder it is in, cannot be written.
    #[error("the index at {} cannot be written ({detail})", .path.display())]
    ReadOnly {
        /// The index.
        path: PathBuf,
        /// The write refused.
        detail: String,
    },

    /// The disk filled up while writing the index.
    #[error("no space left on the device of {}: the index was left as it was", .path.display())]
    DiskFull {
        /// The index.
        path: PathBuf,
    },

    /// The server cannot listen on the address asked.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked.
        address: String,
        /// Why.
        source: std::io::Error,
    },

    /// A bug in logis: nothing was written.
    #[error("internal error while {what}; the index was left as it was")]
    Internal {
        /// What logis was doing.
        what: String,
    },

    /// tantivy failed on the index.
    #[error("index {}: {}", .path.display(), one_line(&.source.to_string()))]
    Index {
        /// The index.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },

    /// A data file given to replace a built-in one is not valid.
    #[error("{}{}: {problem}", .path.display(), line_suffix(*.line))]
    Data {
        /// The file.
        path: PathBuf,
        /// The line at fault, from 1; 0 for the whole file.
        line: usize,
        /// What is wrong.
        problem: String,
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

/// The first line of a message, at most 300 characters: tantivy's
/// messages may span lines; ours never do.
pub(crate) fn one_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}

fn line_suffix(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn nothing_indexed(paths: &[PathBuf], skipped: usize, last: &str) -> String {
    if skipped == 1 {
        format!("nothing indexed: skipped {last}; the index was left as it was")
    } else {
        format!(
            "nothing indexed from {}: {skipped} inputs skipped; the index was left as it was",
            list(paths)
        )
    }
}

/// `: did you mean A, B or C?`, or nothing.
fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(": did you mean {one}?"),
        [rest @ .., last] => format!(": did you mean {} or {last}?", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_name_no_command() {
        let errors = [
            Error::NoIndex { path: "ix".into() },
            Error::QueryTooLong(QueryLimit::Words {
                found: 3000,
                limit: 64,
            }),
            Error::Damaged {
                path: "ix".into(),
                reason: "meta.json is missing".into(),
            },
            Error::Data {
                path: "d/place-words.tsv".into(),
                line: 3,
                problem: "unknown list".into(),
            },
        ];
        for error in errors {
            let message = error.to_string();
            assert_eq!(message.lines().count(), 1, "{message}");
            assert!(
                !message.contains("logis index") && !message.contains("--"),
                "{message}"
            );
        }
        assert_eq!(one_line("first\nsecond"), "first");
        assert_eq!(one_line(&"é".repeat(400)).chars().count(), 301);
        assert_eq!(
            Error::QueryTooLong(QueryLimit::Words {
                found: 3000,
                limit: 64
            })
            .to_string(),
            "query too long (3000 words): the limit is 64 words"
        );
    }
}
