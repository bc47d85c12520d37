//! One writer at a time. A `logis index` run holds an OS file lock on a
//! file beside the index for its whole length, rebuild aside included, so
//! that two runs never write (or build) the same index at once. The system
//! releases the lock when the process ends, even by a kill: there is never
//! a lock file to delete by hand.

use std::fs;
use std::path::Path;

use super::staging::sibling;
use crate::error::{Error, Result};

/// The writer lock on an index, held until dropped.
pub(crate) struct WriterLock {
    _file: fs::File,
}

impl WriterLock {
    /// Takes the lock on the index at `path`, or fails at once.
    pub(crate) fn acquire(path: &Path) -> Result<WriterLock> {
        let lock = sibling(path, "lock");
        if let Some(parent) = lock.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|source| Error::Io {
                path: lock.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Locked {
                path: path.to_path_buf(),
                lock,
            }),
            Err(fs::TryLockError::Error(source)) => Err(Error::Io { path: lock, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        let first = WriterLock::acquire(&index).unwrap();
        assert!(matches!(
            WriterLock::acquire(&index),
            Err(Error::Locked { .. })
        ));
        drop(first);
        assert!(WriterLock::acquire(&index).is_ok());
    }
}
