//! Running the real `logis` binary from end-to-end tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

/// The seed articles shipped with logis.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The binary, without the user's environment choosing an index or colours.
pub fn logis() -> Command {
    let mut cmd = Command::cargo_bin("logis").expect("binary");
    cmd.env_remove("LOGIS_INDEX").env_remove("NO_COLOR");
    cmd
}

/// Name, size and modification time of every file of a folder: equal
/// snapshots mean nothing was written.
pub fn snapshot(dir: &Path) -> Vec<(String, u64, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
