//! Running the real `logis` binary from end-to-end tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use serde_json::Value;

/// The seed articles shipped with logis.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The path of the binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_logis"))
}

/// The binary, without the user's environment choosing an index, data or
/// colours.
pub fn logis() -> Command {
    let mut cmd = Command::new(binary());
    cmd.env_remove("LOGIS_INDEX")
        .env_remove("LOGIS_DATA")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// Running a command that must succeed.
pub trait Succeeds {
    /// Runs it; fails the test with its standard error if it fails or
    /// shows a panic.
    fn succeeds(&mut self) -> Output;

    /// Runs it with `--json`, and parses what it prints.
    fn json(&mut self) -> Value;
}

impl Succeeds for Command {
    fn succeeds(&mut self) -> Output {
        let out = self.output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !stderr.contains("panicked"),
            "{:?} failed ({}): {stderr}",
            self.get_args().collect::<Vec<_>>(),
            out.status,
        );
        out
    }

    fn json(&mut self) -> Value {
        let out = self.arg("--json").succeeds();
        serde_json::from_slice(&out.stdout).expect("valid JSON")
    }
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
