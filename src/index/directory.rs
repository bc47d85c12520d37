//! How searches open an index: read only. tantivy's `MmapDirectory` would
//! write (a lock, garbage collection) if asked to; wrapped here, every
//! write is refused, so searching works on a read-only mount, on an index
//! owned by another user, and can never alter the index it reads.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::Directory;

/// A memory-mapped index directory that refuses writes.
#[derive(Clone, Debug)]
pub struct ReadOnlyDirectory {
    inner: MmapDirectory,
    path: PathBuf,
}

impl ReadOnlyDirectory {
    /// Opens the directory at `path` for reading.
    pub fn open(path: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        Ok(ReadOnlyDirectory {
            inner: MmapDirectory::open(path)?,
            path: path.to_path_buf(),
        })
    }
}

/// tantivy's list of the files it manages.
const MANAGED_FILE: &str = ".managed.json";

fn refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the index is open read-only for searching",
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    /// `.managed.json` lists files for the writer's garbage collection;
    /// readers do not need it, so one they may not read counts as absent.
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.inner.atomic_read(path) {
            Err(OpenReadError::IoError { io_error, .. })
                if io_error.kind() == io::ErrorKind::PermissionDenied
                    && path == Path::new(MANAGED_FILE) =>
            {
                Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
            }
            other => other,
        }
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(refused())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Readers take tantivy's meta lock while opening segments, so that a
    /// writer's garbage collection does not delete them meanwhile. It is an
    /// OS lock on an existing file, which needs no write access; where the
    /// file does not exist, no writer has collected garbage, and there is
    /// nothing to lock against.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath != META_LOCK.filepath {
            return Err(LockError::IoError(Arc::new(refused())));
        }
        match File::open(self.path.join(&lock.filepath)) {
            Ok(file) => {
                file.lock().map_err(|e| LockError::IoError(Arc::new(e)))?;
                Ok(DirectoryLock::from(Box::new(file)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DirectoryLock::from(Box::new(()))),
            Err(e) => Err(LockError::IoError(Arc::new(e))),
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_refused_reads_pass() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("meta.json"), b"{}").unwrap();
        let directory = ReadOnlyDirectory::open(dir.path()).unwrap();
        assert_eq!(
            directory.atomic_read(Path::new("meta.json")).unwrap(),
            b"{}"
        );
        assert!(directory.open_write(Path::new("new.idx")).is_err());
        assert!(directory
            .atomic_write(Path::new("meta.json"), b"[]")
            .is_err());
        assert!(directory.delete(Path::new("meta.json")).is_err());
        assert_eq!(std::fs::read(dir.path().join("meta.json")).unwrap(), b"{}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
