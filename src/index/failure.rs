//! What went wrong with an index, told in one line: tantivy's errors (and
//! panics) mapped to typed logis errors that name the index and the file.

use std::fs;
use std::path::Path;

use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
use tantivy::TantivyError;

use super::staging::is_segment_file;
use super::Payload;
use crate::error::{one_line, Error, Result};

/// [`LogisIndex::error`] for the index at `path`.
pub(super) fn tantivy_error(path: &Path, source: TantivyError) -> Error {
    let path = path.to_path_buf();
    if let Some(detail) = permission_denied(&source) {
        return Error::Unreadable { path, detail };
    }
    match source {
        TantivyError::LockFailure(..) => Error::Locked {
            lock: path.join(".tantivy-writer.lock"),
            path,
        },
        TantivyError::DataCorruption(_) | TantivyError::OpenReadError(_) => Error::Damaged {
            path,
            reason: damage(&source),
        },
        TantivyError::IoError(ref e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            Error::Damaged {
                path,
                reason: one_line(&e.to_string()),
            }
        }
        source if is_disk_full(&source) => Error::DiskFull { path },
        source => Error::Index { path, source },
    }
}

/// [`tantivy_error`] for an error met while reading an index opened for
/// searching: tantivy reports some altered files as plain I/O errors
/// (`Unsupported dictionary type`), which reading a sound index never
/// gives, so any I/O error there is damage.
pub(super) fn reading_error(path: &Path, source: TantivyError) -> Error {
    match tantivy_error(path, source) {
        Error::Index {
            path,
            source: TantivyError::IoError(e),
        } => Error::Damaged {
            path,
            reason: one_line(&e.to_string()),
        },
        other => other,
    }
}

/// An error of an indexing run, as the user should read it: a full disk or
/// a place that cannot be written names the index, even when it happened
/// while building the new one aside.
pub(super) fn indexing_error(path: &Path, error: Error) -> Error {
    use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
    let io_kind = match &error {
        Error::Io { source, .. } => Some(source.kind()),
        Error::Index {
            source: TantivyError::IoError(e),
            ..
        } => Some(e.kind()),
        _ => None,
    };
    let path = path.to_path_buf();
    match (&error, io_kind) {
        (Error::DiskFull { .. }, _) => Error::DiskFull { path },
        (Error::Io { source, .. }, _) if is_full(source) => Error::DiskFull { path },
        (_, Some(PermissionDenied | ReadOnlyFilesystem)) => Error::ReadOnly {
            detail: one_line(&error.to_string()),
            path,
        },
        _ => error,
    }
}

/// Whether an I/O error is a full disk (or quota), however deeply tantivy
/// wrapped it. Some of tantivy's threads keep only an error's message: the
/// system's own words for a full disk count too.
pub(super) fn is_full(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::{QuotaExceeded, StorageFull};
    const ENOSPC: i32 = 28;
    matches!(error.kind(), StorageFull | QuotaExceeded)
        || error
            .get_ref()
            .is_some_and(|inner| is_disk_full_chain(Some(inner)))
        || (error.raw_os_error().is_none()
            && error
                .to_string()
                .contains(&std::io::Error::from_raw_os_error(ENOSPC).to_string()))
}

pub(super) fn is_disk_full_chain(mut error: Option<&(dyn std::error::Error + 'static)>) -> bool {
    while let Some(e) = error {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if is_full(io) {
                return true;
            }
        }
        error = e.source();
    }
    false
}

/// Whether a tantivy error comes from a full disk. Some (an
/// `InternalError` from a merge or a commit) keep only the system's
/// message, which counts too.
pub(super) fn is_disk_full(error: &TantivyError) -> bool {
    const ENOSPC: i32 = 28;
    match error {
        TantivyError::IoError(e) => is_full(e),
        other => {
            is_disk_full_chain(Some(other))
                || other
                    .to_string()
                    .contains(&std::io::Error::from_raw_os_error(ENOSPC).to_string())
        }
    }
}

/// What could not be read for lack of permission, if that is the error.
pub(super) fn permission_denied(error: &TantivyError) -> Option<String> {
    let denied = |e: &std::io::Error| e.kind() == std::io::ErrorKind::PermissionDenied;
    match error {
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if denied(io_error) =>
        {
            Some(format!("{}: {io_error}", filepath.display()))
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) if denied(io_error) => Some(format!("{}: {io_error}", directory_path.display())),
        TantivyError::IoError(e) if denied(e) => Some(one_line(&e.to_string())),
        _ => None,
    }
}

/// The error for an index that cannot be opened: most often a damaged one.
pub(super) fn opening_error(path: &Path, source: TantivyError) -> Error {
    if let Some(detail) = permission_denied(&source) {
        return Error::Unreadable {
            path: path.to_path_buf(),
            detail,
        };
    }
    match source {
        TantivyError::IncompatibleIndex(_) | TantivyError::SchemaError(_) => {
            Error::IncompatibleIndex {
                path: path.to_path_buf(),
                found: one_line(&source.to_string()),
                expected: Payload::expected(),
            }
        }
        source => Error::Damaged {
            path: path.to_path_buf(),
            reason: damage(&source),
        },
    }
}

/// What is wrong, in a few words: the file and the failure, without
/// tantivy's debug rendering.
pub(super) fn damage(error: &TantivyError) -> String {
    match error {
        TantivyError::OpenReadError(e) => unreadable(e),
        // Only its Debug rendering says what: keep the first sentence.
        TantivyError::DataCorruption(c) => {
            let text = format!("{c:?}");
            one_line(text.split(". ").next().unwrap_or(&text))
        }
        other => one_line(&other.to_string()),
    }
}

/// A file that could not be read, named, with the reason.
pub(super) fn unreadable(error: &OpenReadError) -> String {
    match error {
        OpenReadError::FileDoesNotExist(file) => format!("{}: missing", file.display()),
        OpenReadError::IoError { io_error, filepath } => match io_error.kind() {
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => {
                format!("{}: truncated or altered", filepath.display())
            }
            _ => format!("{}: {io_error}", filepath.display()),
        },
        other => one_line(&other.to_string()),
    }
}

/// No `meta.json`: no index, one that lost it, or one out of reach.
pub(super) fn missing_index(path: &Path) -> Error {
    if let Err(e) = fs::metadata(path.join("meta.json")) {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            return Error::Unreadable {
                path: path.to_path_buf(),
                detail: format!("{}: {e}", path.display()),
            };
        }
    }
    let has_segments = fs::read_dir(path).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| is_segment_file(&e.file_name().to_string_lossy()))
    });
    if has_segments {
        Error::Damaged {
            path: path.to_path_buf(),
            reason: "meta.json is missing".to_string(),
        }
    } else {
        Error::NoIndex {
            path: path.to_path_buf(),
        }
    }
}

/// Runs `f`; a panic inside becomes [`Error::Damaged`] naming `what`.
pub(super) fn guard<T>(path: &Path, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = crate::error::panic_message(payload.as_ref());
        Err(Error::Damaged {
            path: path.to_path_buf(),
            reason: format!("{what} failed: {}", one_line(&message)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_damaged_index() {
        let error = guard(Path::new("ix"), "searching", || -> Result<()> {
            panic!("index out of bounds")
        })
        .unwrap_err();
        assert_eq!(error.to_string().lines().count(), 1, "one line: {error}");
        assert!(matches!(
            &error,
            Error::Damaged { reason, .. } if reason == "searching failed: index out of bounds"
        ));
        assert_eq!(guard(Path::new("ix"), "x", || Ok(7)).unwrap(), 7);
    }

    #[test]
    fn an_io_error_reading_an_index_is_damage() {
        let altered = || TantivyError::from(std::io::Error::other("Unsupported dictionary type"));
        assert!(matches!(
            reading_error(Path::new("ix"), altered()),
            Error::Damaged { reason, .. } if reason.contains("dictionary")
        ));
        assert!(matches!(
            tantivy_error(Path::new("ix"), altered()),
            Error::Index { .. }
        ));
    }

    #[test]
    fn a_full_disk_is_found_however_wrapped() {
        let message =
            TantivyError::InternalError(format!("'{}'", std::io::Error::from_raw_os_error(28)));
        assert!(is_disk_full(&message), "a full disk known by its message");
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(is_full(&full));
        let wrapped = std::io::Error::other(full);
        assert!(is_full(&wrapped));
        let tantivy = TantivyError::from(std::io::Error::other(wrapped));
        assert!(matches!(
            tantivy_error(Path::new("ix"), tantivy),
            Error::DiskFull { .. }
        ));
        let other = std::io::Error::from(std::io::ErrorKind::InvalidInput);
        assert!(!is_full(&other));
        // Only the message kept, as some of tantivy's threads do.
        let flattened = std::io::Error::other(std::io::Error::from_raw_os_error(28).to_string());
        assert!(is_full(&flattened));
    }
}
