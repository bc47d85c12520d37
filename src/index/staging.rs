//! A new index is built aside (`.index.logis-staging` beside it) and moved
//! in only when complete, so that a failed or killed run leaves the previous
//! index whole. A rebuild killed between moving the old index aside and
//! moving the new one in is noticed: searches read the old one
//! ([`readable_location`]), and the next run puts it back
//! ([`recover_interrupted_swap`]).

use std::fs;
use std::path::{Path, PathBuf};

use super::LogisIndex;
use crate::error::{Error, Result};

/// `index` → `.index.logis-staging` beside it.
pub(crate) fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".to_string());
    path.with_file_name(format!(".{name}.logis-{what}"))
}

/// Where to read the index at `path`: there, or, if a rebuild was
/// interrupted between its two renames, the previous index kept aside.
pub(crate) fn readable_location(path: &Path) -> PathBuf {
    let old = sibling(path, "old");
    if !LogisIndex::exists(path) && LogisIndex::exists(&old) {
        old
    } else {
        path.to_path_buf()
    }
}

pub(crate) fn remove_dir_if_exists(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Whether a file name is one of tantivy's (meta, segment files, locks).
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || name.ends_with(".lock") {
        return true;
    }
    is_segment_file(name)
}

/// A segment's file: `<32 hex digits>.<extension>`.
pub(crate) fn is_segment_file(name: &str) -> bool {
    match name.split_once('.') {
        Some((stem, _)) => stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// tantivy writes `meta.json` and `.managed.json` through temporary files,
/// readable by their owner only, while segment files follow the umask.
/// Giving them the segments' mode lets whoever may read the segments search
/// the index (an index shared by a team, or built by a service account).
pub(crate) fn share_like_segments(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = fs::read_dir(path) else {
        return;
    };
    let segment_mode = entries
        .filter_map(|e| e.ok())
        .filter(|e| is_segment_file(&e.file_name().to_string_lossy()))
        .find_map(|e| e.metadata().ok())
        .map(|m| m.permissions().mode() & 0o666);
    if let Some(mode) = segment_mode {
        for name in ["meta.json", ".managed.json"] {
            // Best effort: a file that cannot be changed stays as it was.
            let _ = fs::set_permissions(path.join(name), fs::Permissions::from_mode(mode));
        }
    }
}

/// Puts back the previous index if a rebuild was killed between moving it
/// aside and moving the new one in.
pub(crate) fn recover_interrupted_swap(path: &Path) -> Result<()> {
    let old = sibling(path, "old");
    if !LogisIndex::exists(path) && LogisIndex::exists(&old) {
        remove_dir_if_exists(path)?;
        fs::rename(&old, path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Moves the complete index at `staging` to `path`, replacing the index
/// there if any and keeping the other files of the folder (a README).
pub(crate) fn swap_in(staging: &Path, path: &Path) -> Result<()> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { path: p, source }
    };
    if !path.exists() {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        return fs::rename(staging, path).map_err(io(path));
    }
    for entry in fs::read_dir(path).map_err(io(path))? {
        let entry = entry.map_err(io(path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_index_file(&name) && entry.path().is_file() {
            fs::copy(entry.path(), staging.join(&name)).map_err(io(&entry.path()))?;
        }
    }
    let old = sibling(path, "old");
    remove_dir_if_exists(&old)?;
    fs::rename(path, &old).map_err(io(path))?;
    fs::rename(staging, path).map_err(io(path))?;
    remove_dir_if_exists(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_file_names() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file(".managed.json"));
        assert!(is_index_file(".tantivy-writer.lock"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.5.del"));
        assert!(!is_index_file("README.md"));
        assert!(!is_index_file(".gitkeep"));
    }

    #[test]
    fn staging_folders_sit_beside_the_index() {
        assert_eq!(
            sibling(Path::new("a/index"), "staging"),
            Path::new("a/.index.logis-staging")
        );
    }

    #[test]
    fn a_swap_keeps_the_other_files_and_an_interrupted_one_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let (index, staging) = (dir.path().join("index"), dir.path().join("staging"));
        for folder in [&index, &staging] {
            fs::create_dir_all(folder).unwrap();
            fs::write(folder.join("meta.json"), folder.display().to_string()).unwrap();
        }
        fs::write(index.join("README.md"), "kept").unwrap();
        swap_in(&staging, &index).unwrap();
        assert_eq!(
            fs::read_to_string(index.join("meta.json")).unwrap(),
            staging.display().to_string()
        );
        assert_eq!(fs::read_to_string(index.join("README.md")).unwrap(), "kept");
        // Killed between the two renames: the old index is read, then put back.
        let old = sibling(&index, "old");
        fs::rename(&index, &old).unwrap();
        assert_eq!(readable_location(&index), old);
        recover_interrupted_swap(&index).unwrap();
        assert!(LogisIndex::exists(&index) && !old.exists());
    }
}
