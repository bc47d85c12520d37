//! The index a server reads, kept open across requests and followed as it
//! changes underneath: a commit of `logis index` moves the reader to the new
//! commit (tantivy's `meta.json` changed), a rebuild swapped in (a new
//! directory at the same path) opens the new index. Each request compares
//! two file stamps, a few microseconds, so the next request after a commit
//! sees it without a watcher thread or a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::index::LogisIndex;
use crate::search::Engine;

/// The index at a path, opened on first use and kept current.
pub(crate) struct Served {
    path: PathBuf,
    data: DataSet,
    current: Mutex<Option<Opened>>,
    /// The last generation given.
    generations: std::sync::atomic::AtomicU64,
}

struct Opened {
    engine: Arc<Engine<'static>>,
    stamp: Stamp,
    generation: u64,
}

/// The engine on the index's last commit, and which state of the index
/// that is: the generation changes with every commit or rebuild seen.
#[derive(Clone)]
pub(crate) struct Current {
    pub(crate) engine: Arc<Engine<'static>>,
    pub(crate) generation: u64,
}

/// What tells a commit or a swapped-in index from the state last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    /// The directory itself: a rebuild renames a new one into place.
    directory: (u64, u64),
    /// tantivy's `meta.json`, rewritten atomically at each commit.
    meta: (Option<SystemTime>, u64),
}

impl Stamp {
    fn read(path: &Path) -> Option<Stamp> {
        let directory = std::fs::metadata(path).ok()?;
        let meta = std::fs::metadata(path.join("meta.json")).ok()?;
        Some(Stamp {
            directory: identity(&directory),
            meta: (meta.modified().ok(), identity(&meta).1 ^ meta.len()),
        })
    }
}

#[cfg(unix)]
fn identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    let created = metadata
        .created()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    (created, 0)
}

impl Opened {
    fn current(&self) -> Current {
        Current {
            engine: self.engine.clone(),
            generation: self.generation,
        }
    }
}

impl Served {
    pub(crate) fn new(path: &Path, data: DataSet) -> Served {
        Served {
            path: path.to_path_buf(),
            data,
            current: Mutex::new(None),
            generations: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The engine on the index's last commit. While a rebuild is swapping
    /// directories (the path briefly holds no index), the index already
    /// open goes on serving; with none open, the error says why.
    pub(crate) fn current(&self) -> Result<Current> {
        let stamp = Stamp::read(&self.path);
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = || {
            self.generations
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1
        };
        match (current.as_mut(), stamp) {
            (Some(opened), Some(stamp)) if opened.stamp == stamp => Ok(opened.current()),
            (Some(opened), Some(stamp)) if opened.stamp.directory == stamp.directory => {
                opened.engine.reload()?;
                opened.stamp = stamp;
                opened.generation = next();
                Ok(opened.current())
            }
            (Some(opened), None) => Ok(opened.current()),
            (_, stamp) => {
                let index = LogisIndex::open(&self.path)?;
                let opened = Opened {
                    engine: Arc::new(Engine::shared(Arc::new(index))?.with_data(&self.data)),
                    stamp: stamp.unwrap_or(Stamp {
                        directory: (0, 0),
                        meta: (None, 0),
                    }),
                    generation: next(),
                };
                let answer = opened.current();
                // Opened from the copy kept aside by an interrupted rebuild
                // (no stamp): not kept, so the next request looks again.
                *current = stamp.map(|_| opened);
                Ok(answer)
            }
        }
    }

    /// Whether an error means the index cannot be served now (missing,
    /// damaged, of another version), rather than a bad request.
    pub(crate) fn is_unavailable(error: &Error) -> bool {
        matches!(
            error,
            Error::NoIndex { .. }
                | Error::IncompatibleIndex { .. }
                | Error::Damaged { .. }
                | Error::Unreadable { .. }
                | Error::Index { .. }
                | Error::Io { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{index_paths, IndexOptions};
    use crate::search::SearchRequest;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn total(served: &Served, query: &str) -> usize {
        served
            .current()
            .unwrap()
            .engine
            .search(&SearchRequest::new(query))
            .unwrap()
            .total
    }

    #[test]
    fn follows_commits_and_rebuilds_without_reopening_by_hand() {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        let path = root.path().join("index");
        std::fs::create_dir(&corpus).unwrap();
        write(
            &corpus,
            "a.txt",
            "Livraison de logements sociaux à Vierzon.\n",
        );
        let options = IndexOptions::default();
        index_paths(&path, std::slice::from_ref(&corpus), &options, &mut |_| {}).unwrap();
        let served = Served::new(&path, DataSet::built_in().clone());
        assert_eq!(total(&served, "Vierzon"), 1);
        assert_eq!(total(&served, "Bourges"), 0);
        let generation = |served: &Served| served.current().unwrap().generation;
        let first = generation(&served);
        assert_eq!(generation(&served), first, "nothing changed");

        // A commit: the same engine moves to it, in a new generation.
        write(
            &corpus,
            "b.txt",
            "Première pierre à Bourges et à Vierzon.\n",
        );
        index_paths(&path, std::slice::from_ref(&corpus), &options, &mut |_| {}).unwrap();
        assert_eq!(total(&served, "Vierzon"), 2);
        assert!(generation(&served) > first);

        // A rebuild from another folder, swapped in: the new index is read.
        let other = root.path().join("other");
        std::fs::create_dir(&other).unwrap();
        write(&other, "c.txt", "Réhabilitation à Bourges.\n");
        let rebuild = IndexOptions {
            rebuild: true,
            ..IndexOptions::default()
        };
        index_paths(&path, &[other], &rebuild, &mut |_| {}).unwrap();
        assert_eq!(total(&served, "Vierzon"), 0);
        assert_eq!(total(&served, "Bourges"), 1);
    }

    #[test]
    fn no_index_is_an_unavailable_error_and_one_built_later_is_served() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("index");
        let served = Served::new(&path, DataSet::built_in().clone());
        let error = served.current().err().unwrap();
        assert!(Served::is_unavailable(&error), "{error}");
        write(root.path(), "a.txt", "Logements à Vierzon.\n");
        let options = IndexOptions::default();
        index_paths(&path, &[root.path().join("a.txt")], &options, &mut |_| {}).unwrap();
        assert_eq!(total(&served, "Vierzon"), 1);
    }
}
