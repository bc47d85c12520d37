//! The PostgreSQL peer of the benchmark and relevance reports
//! (`--with-postgres`): a throwaway cluster of the machine's PostgreSQL,
//! started for one run and stopped when its guard ([`Cluster`]) is dropped,
//! a `psql` session piped to it ([`Psql`]), and the French full-text table
//! both reports query ([`FrenchFts`]).
//!
//! How the cluster runs:
//! - programs: the newest `/usr/lib/postgresql/<major>/bin/` holding `initdb`,
//!   `pg_ctl` and `psql` (Debian's `postgresql` and `postgresql-contrib`
//!   packages, the latter for `unaccent`), else those three on the `PATH`;
//!   without them the reports skip PostgreSQL with one line;
//! - `initdb` refuses to run as root: as root, `initdb` and `pg_ctl` run as
//!   the `postgres` user (made by Debian's package), else as `nobody`,
//!   through `runuser -u USER --` (util-linux), and the cluster's folder is
//!   given to that user (its parent folders must let that user through:
//!   `/tmp` and the repository's `target/` do). `psql` runs as the caller:
//!   root may use the socket, and another user owns the cluster already;
//! - the cluster lives in a new folder `postgres-XXXXXX` under the report's
//!   folder: `data/`, the server's `log`, and the unix socket, the only way
//!   in (`listen_addresses = ''`: no TCP; the port, taken free on the
//!   loopback, only names the socket). Superuser `postgres`, `trust`
//!   authentication, UTF-8 with the `C.UTF-8` locale (so that the text
//!   search parser sees accented letters as letters);
//! - settings of a throwaway cluster: `fsync`, `synchronous_commit` and
//!   `full_page_writes` off (FTS5 runs with `synchronous = OFF` too), and
//!   `maintenance_work_mem = 256MB`, the tantivy writers' budget, for the
//!   GIN build;
//! - dropping the guard, on success, error or panic, runs `pg_ctl stop -m
//!   fast` (then `-m immediate`) and removes the folder. A killed report
//!   (Ctrl-C) leaves the server running: `pg_ctl stop -D
//!   <folder>/postgres-XXXXXX/data` as the same user stops it.
//!
//! The reports talk to it through `psql` over pipes rather than a Rust
//! client: the `postgres` crate's tokio-postgres asks tokio for `io-util`
//! and futures-util for `sink`, features logis's own build lacks, so with it
//! logis and its HTTP stack would be compiled twice (once for `cargo run`,
//! once for the reports). A query's time thus includes a pipe round trip
//! through `psql` ([`FrenchFts::round_trip`] measures it).

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

fn error(message: impl Into<String>) -> io::Error {
    io::Error::other(message.into())
}

/// The folder of `initdb`, `pg_ctl` and `psql`, if PostgreSQL is installed.
pub fn find_bin() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "psql"]
            .iter()
            .all(|p| dir.join(p).is_file())
    };
    let mut majors: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major = entry.file_name().to_str()?.parse().ok()?;
            Some((major, entry.path().join("bin")))
        })
        .collect();
    majors.sort();
    if let Some((_, dir)) = majors.into_iter().rev().find(|(_, dir)| complete(dir)) {
        return Some(dir);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| complete(dir))
}

/// The user the server runs as when the caller is root.
struct User {
    name: &'static str,
    uid: u32,
    gid: u32,
}

/// The output of `id ARGS`, trimmed.
fn id(args: &[&str]) -> io::Result<String> {
    let out = Command::new("id").args(args).output()?;
    if !out.status.success() {
        return Err(error(format!(
            "id {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// None when the caller is not root (the server runs as the caller).
fn server_user() -> io::Result<Option<User>> {
    if id(&["-u"])? != "0" {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        let ids = id(&["-u", name]).and_then(|uid| Ok((uid, id(&["-g", name])?)));
        if let Ok((uid, gid)) = ids {
            let parse = |n: String| n.parse::<u32>().map_err(|e| error(format!("id {n}: {e}")));
            return Ok(Some(User {
                name,
                uid: parse(uid)?,
                gid: parse(gid)?,
            }));
        }
    }
    Err(error(
        "initdb refuses to run as root, and there is neither a `postgres` nor a `nobody` user to run it as",
    ))
}

/// A free TCP port number on the loopback (it only names the socket here).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(5432)
}

/// A running throwaway cluster; dropping it stops the server and removes
/// its folder.
pub struct Cluster {
    bin: PathBuf,
    user: Option<User>,
    /// The cluster's folder: `data/`, `log`, the socket, programs' outputs.
    home: PathBuf,
    port: u16,
    sessions: usize,
    /// Last field: removed after `drop` has stopped the server.
    folder: tempfile::TempDir,
}

impl Cluster {
    /// Creates a cluster in a new folder under `parent` and starts it.
    pub fn start(bin: &Path, parent: &Path) -> io::Result<Cluster> {
        fs::create_dir_all(parent)?;
        let folder = tempfile::Builder::new()
            .prefix("postgres-")
            .tempdir_in(parent)?;
        let home = fs::canonicalize(folder.path())?;
        let user = server_user()?;
        if let Some(user) = &user {
            std::os::unix::fs::chown(&home, Some(user.uid), Some(user.gid))?;
        }
        let port = free_port();
        // A unix socket's path holds at most 107 bytes.
        let socket = home.join(format!(".s.PGSQL.{port}"));
        if socket.as_os_str().len() > 100 {
            return Err(error(format!(
                "{} is too long a path for PostgreSQL's socket: give a shorter folder",
                socket.display()
            )));
        }
        let cluster = Cluster {
            bin: bin.to_path_buf(),
            user,
            home,
            port,
            sessions: 0,
            folder,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                OsStr::new("-D"),
                data.as_os_str(),
                OsStr::new("--username=postgres"),
                OsStr::new("--auth=trust"),
                OsStr::new("--encoding=UTF8"),
                OsStr::new("--locale=C.UTF-8"),
                OsStr::new("--no-sync"),
            ],
        )?;
        let mut conf = OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))?;
        writeln!(
            conf,
            "\n# logis-bench: a throwaway cluster, reached by its socket only.\n\
             listen_addresses = ''\nport = {port}\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             maintenance_work_mem = '256MB'",
            cluster.home.display().to_string().replace('\'', "''")
        )?;
        drop(conf);
        let log = cluster.home.join("log");
        let started = cluster.run(
            "pg_ctl",
            &[
                OsStr::new("start"),
                OsStr::new("-D"),
                data.as_os_str(),
                OsStr::new("-l"),
                log.as_os_str(),
                OsStr::new("-w"),
                OsStr::new("-t"),
                OsStr::new("120"),
            ],
        );
        if let Err(e) = started {
            let log = fs::read_to_string(&log).unwrap_or_default();
            return Err(error(format!("{e}\nserver log:\n{}", log.trim())));
        }
        Ok(cluster)
    }

    /// The user the server runs as, and its socket's folder and port.
    pub fn describe(&self) -> String {
        format!(
            "as {}, socket {}/.s.PGSQL.{}",
            self.user.as_ref().map_or("the caller", |u| u.name),
            self.home.display(),
            self.port
        )
    }

    fn data(&self) -> PathBuf {
        self.home.join("data")
    }

    /// Runs one of the server's programs (as the server's user), its output
    /// kept in `<program>.out` for the error message.
    fn run(&self, program: &str, args: &[&OsStr]) -> io::Result<()> {
        let mut command = match &self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user.name, "--"]).arg(self.bin.join(program));
                c
            }
            None => Command::new(self.bin.join(program)),
        };
        let output_path = self.home.join(format!("{program}.out"));
        let output = File::create(&output_path)?;
        let status = command
            .args(args)
            .current_dir(&self.home)
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .status()
            .map_err(|e| error(format!("{program}: {e}")))?;
        if !status.success() {
            let output = fs::read_to_string(&output_path).unwrap_or_default();
            return Err(error(format!(
                "{program} {}: {status}\n{}",
                args.iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                output.trim()
            )));
        }
        Ok(())
    }

    /// A new `psql` session, as the `postgres` superuser.
    pub fn psql(&mut self) -> io::Result<Psql> {
        self.sessions += 1;
        let stderr = self.home.join(format!("psql-{}.err", self.sessions));
        let child = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.home)
            .args(["-p", &self.port.to_string()])
            .args(["-U", "postgres", "-d", "postgres"])
            .env_remove("PGOPTIONS")
            .env_remove("PGSERVICE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(File::create(&stderr)?)
            .spawn()
            .map_err(|e| error(format!("psql: {e}")))?;
        let mut psql = Psql::new(child, stderr)?;
        psql.run("SET client_min_messages = warning;")?;
        Ok(psql)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        if !data.join("postmaster.pid").exists() {
            return;
        }
        for mode in ["fast", "immediate"] {
            let stopped = self.run(
                "pg_ctl",
                &[
                    OsStr::new("stop"),
                    OsStr::new("-D"),
                    data.as_os_str(),
                    OsStr::new("-m"),
                    OsStr::new(mode),
                    OsStr::new("-w"),
                    OsStr::new("-t"),
                    OsStr::new("60"),
                ],
            );
            match stopped {
                Ok(()) => return,
                Err(e) => eprintln!("warning: stopping PostgreSQL: {e}"),
            }
        }
        // Its files stay for whoever stops it.
        self.folder.disable_cleanup(true);
        eprintln!(
            "warning: PostgreSQL may still run: pg_ctl stop -D {}",
            data.display()
        );
    }
}

/// The line `psql` echoes after each batch of commands.
const DONE: &str = "@@logis-bench: done@@";

/// A `psql` process reading commands from a pipe: unaligned output, tuples
/// only, stopping at the first error.
pub struct Psql {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
    stderr: PathBuf,
}

impl Psql {
    fn new(mut child: Child, stderr: PathBuf) -> io::Result<Psql> {
        let stdin = child.stdin.take().ok_or_else(|| error("psql: no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| error("psql: no stdout"))?;
        Ok(Psql {
            child,
            stdin: Some(BufWriter::with_capacity(1 << 16, stdin)),
            stdout: BufReader::new(stdout),
            stderr,
        })
    }

    /// Runs SQL (one or more `;`-ended commands): the lines they print.
    pub fn run(&mut self, sql: &str) -> io::Result<Vec<String>> {
        self.send(|w| writeln!(w, "{sql}"))?;
        self.lines()
    }

    /// Runs `copy` (a `COPY ... FROM STDIN` of one column, in text format)
    /// with one row per item.
    pub fn copy_rows<'a>(
        &mut self,
        copy: &str,
        rows: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<()> {
        self.send(|w| {
            writeln!(w, "{copy}")?;
            for row in rows {
                write_copy_text(w, row)?;
                w.write_all(b"\n")?;
            }
            w.write_all(b"\\.\n")
        })?;
        self.lines().map(drop)
    }

    fn send(
        &mut self,
        write: impl FnOnce(&mut BufWriter<ChildStdin>) -> io::Result<()>,
    ) -> io::Result<()> {
        let sent = match self.stdin.as_mut() {
            Some(w) => write(w)
                .and_then(|()| writeln!(w, "\\echo {DONE}"))
                .and_then(|()| w.flush()),
            None => Err(error("psql has ended")),
        };
        sent.map_err(|e| self.failure(&e.to_string()))
    }

    /// The lines printed up to the end of the batch.
    fn lines(&mut self) -> io::Result<Vec<String>> {
        let mut lines = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line)? == 0 {
                return Err(self.failure("ended"));
            }
            let line = line.trim_end_matches(['\n', '\r']);
            if line == DONE {
                return Ok(lines);
            }
            lines.push(line.to_string());
        }
    }

    /// The error of a session that stopped: its exit status and messages.
    fn failure(&mut self, what: &str) -> io::Error {
        self.stdin = None;
        let status = self
            .child
            .wait()
            .map_or_else(|e| e.to_string(), |s| s.to_string());
        let messages = fs::read_to_string(&self.stderr).unwrap_or_default();
        error(format!("psql {what} ({status}): {}", messages.trim()))
    }
}

impl Drop for Psql {
    fn drop(&mut self) {
        // End of input: psql quits.
        self.stdin = None;
        let _ = self.child.wait();
    }
}

/// A value of COPY's text format: backslash, newline, carriage return and
/// tab escaped; NUL, which PostgreSQL's text cannot hold, dropped.
fn write_copy_text(w: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0 => b"",
            _ => continue,
        };
        w.write_all(&bytes[start..i])?;
        w.write_all(escaped)?;
        start = i + 1;
    }
    w.write_all(&bytes[start..])
}

/// A string as an SQL literal (`standard_conforming_strings` is on).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\0', "").replace('\'', "''"))
}

/// The setup of PostgreSQL's documentation for French, accents ignored: a
/// configuration `fr` copied from `french` whose words go through
/// `unaccent` then the French Snowball stemmer, and a table whose tsvector
/// is a stored generated column.
const SCHEMA: &str = "\
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TABLE p (
    id serial,
    text text,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('fr', text)) STORED
);";

/// The top 10 of a query in `websearch_to_tsquery` syntax (words ANDed,
/// `\"phrases\"`, `or`, `-word`), by `ts_rank`.
const TOP_10: &str = "\
PREPARE top10(text) AS
    SELECT id FROM p, websearch_to_tsquery('fr', $1) q
    WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10;";

/// The passages in PostgreSQL's full-text search, French configuration.
pub struct FrenchFts {
    psql: Psql,
}

/// What loading the passages took.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Loaded {
    /// `SHOW server_version`.
    pub version: String,
    /// `COPY` of the texts, their tsvectors computed.
    pub copy_s: f64,
    /// `CREATE INDEX ... USING GIN (tsv)`.
    pub gin_s: f64,
    /// `ANALYZE p`.
    pub analyze_s: f64,
    /// `pg_total_relation_size('p')`: heap, TOAST and GIN index.
    pub total_bytes: u64,
}

impl Loaded {
    /// The indexing time: COPY, CREATE INDEX and ANALYZE.
    pub fn seconds(&self) -> f64 {
        self.copy_s + self.gin_s + self.analyze_s
    }
}

impl FrenchFts {
    /// Creates the table in the cluster and loads `texts` as a user would
    /// bulk-load them: `COPY`, then the GIN index, then `ANALYZE`. Row `i`
    /// of `texts` gets id `i + 1`.
    pub fn load<'a>(
        cluster: &mut Cluster,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<(FrenchFts, Loaded)> {
        let mut psql = cluster.psql()?;
        let version = psql.run("SHOW server_version;")?.join(" ");
        psql.run(SCHEMA)?;
        let timed = |psql: &mut Psql, sql: &str| -> io::Result<f64> {
            let started = Instant::now();
            psql.run(sql)?;
            Ok(started.elapsed().as_secs_f64())
        };
        let started = Instant::now();
        psql.copy_rows("COPY p (text) FROM STDIN;", texts)?;
        let copy_s = started.elapsed().as_secs_f64();
        let gin_s = timed(&mut psql, "CREATE INDEX p_tsv ON p USING GIN (tsv);")?;
        let analyze_s = timed(&mut psql, "ANALYZE p;")?;
        let size = psql.run("SELECT pg_total_relation_size('p');")?;
        let total_bytes = size
            .first()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| error(format!("pg_total_relation_size: {size:?}")))?;
        psql.run(TOP_10)?;
        let loaded = Loaded {
            version,
            copy_s,
            gin_s,
            analyze_s,
            total_bytes,
        };
        Ok((FrenchFts { psql }, loaded))
    }

    /// The number of rows, checked to be numbered 1 to that number.
    pub fn rows(&mut self) -> io::Result<usize> {
        let out = self.psql.run(
            "SELECT count(*) || ' ' || coalesce(min(id), 1) || ' ' || coalesce(max(id), 0) FROM p;",
        )?;
        let numbers: Vec<usize> = out
            .first()
            .map(|l| l.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        match numbers[..] {
            [count, 1, max] if count == max => Ok(count),
            _ => Err(error(format!("rows of p not numbered 1 to n: {out:?}"))),
        }
    }

    /// `SELECT 1`: the round trip through `psql` and the server that every
    /// query's time includes.
    pub fn round_trip(&mut self) -> io::Result<()> {
        self.psql.run("SELECT 1;").map(drop)
    }

    /// The ids of the top 10 rows of a `websearch_to_tsquery` query.
    pub fn top10(&mut self, query: &str) -> io::Result<Vec<i64>> {
        let lines = self
            .psql
            .run(&format!("EXECUTE top10({});", literal(query)))?;
        lines
            .iter()
            .map(|l| {
                l.parse()
                    .map_err(|e| error(format!("id {l:?} from PostgreSQL: {e}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_and_literals() {
        let mut out = Vec::new();
        write_copy_text(&mut out, "a\\b\nc\td\re\0f").unwrap();
        assert_eq!(out, b"a\\\\b\\nc\\td\\ref");
        assert_eq!(literal("l'habitat"), "'l''habitat'");
    }
}
