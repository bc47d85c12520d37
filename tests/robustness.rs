//! Robustness, end to end: dirty inputs, hostile queries, killed and
//! concurrent runs, damaged and read-only indexes. Every case runs the real
//! binary; the kill and lock cases run real concurrent processes.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::binary::{logis, seeds, snapshot, Succeeds};
use serde_json::Value;
use std::process::Command;
use tempfile::TempDir;

fn logis_at(index: &Path) -> Command {
    let mut cmd = logis();
    cmd.arg("--index").arg(index);
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{}",
        run.stderr
    );
    run
}

fn doc_ids(index: &Path) -> Vec<String> {
    let docs = logis_at(index).arg("docs").json()["articles"].clone();
    let mut ids: Vec<String> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["doc"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn seed_index(dir: &Path) -> PathBuf {
    let index = dir.join("index");
    logis_at(&index).arg("index").arg(seeds()).succeeds();
    index
}

/// A JSON Lines corpus of `rounds` copies of the seeds, each with its own
/// ids: a few megabytes, long enough to index that a kill lands mid-run.
fn big_corpus(dir: &Path, rounds: usize) -> PathBuf {
    let mut texts = Vec::new();
    for entry in fs::read_dir(seeds()).unwrap() {
        texts.push(fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let path = dir.join("big.jsonl");
    let mut out = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    for round in 0..rounds {
        for (i, text) in texts.iter().enumerate() {
            let line = serde_json::json!({
                "id": format!("copy-{round}-{i}"),
                "text": format!("{text}\n\nÉdition {round}."),
            });
            writeln!(out, "{line}").unwrap();
        }
    }
    out.flush().unwrap();
    path
}

fn is_root(dir: &Path) -> bool {
    fs::metadata(dir).unwrap().uid() == 0
}

#[test]
fn dirty_files_each_get_a_defined_outcome() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("other")).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(input.join(name), bytes).unwrap();
    let utf16 = |text: &str, little: bool| {
        let mut bytes = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    };
    write(
        "utf16le.txt",
        &utf16(
            "Le quartier Wazemmes à Lille accueille 30 logements.\r\n",
            true,
        ),
    );
    write(
        "utf16be.txt",
        &utf16("La résidence Ondine à Mulhouse ouvre en mars.\r\n", false),
    );
    write(
        "latin1.txt",
        b"Un op\xe9rateur construit \xe0 Besan\xe7on.\n",
    );
    write(
        "bom.md",
        "\u{FEFF}# Réhabilitation à Quimper\r\nLes travaux durent.\r\n".as_bytes(),
    );
    write("empty.txt", b"");
    write("blank.txt", b"  \n\t\n");
    write("scan.txt", &[0u8, 0x50, 0x4B, 0x03].repeat(500));
    write(
        "controls.txt",
        b"Des logements\x07 \x1b[1mneufs\x1b[0m \xc2\x85 pour Tourcoing\x0c.\n",
    );
    // A single 50 MB line: beyond the article limit.
    fs::write(input.join("huge.txt"), "a".repeat(50 * 1024 * 1024)).unwrap();
    // An article with a megabyte-long token keeps its other words.
    let long_token = format!(
        "Un chantier à Vannes. {} Fin du texte.",
        "x".repeat(1024 * 1024)
    );
    write("longtoken.txt", long_token.as_bytes());
    // The same id in two files: the later one wins, counted.
    write("dup.txt", "Première version à Lorient.".as_bytes());
    fs::write(
        input.join("other/dup.txt"),
        "Seconde version à Lorient.".as_bytes(),
    )
    .unwrap();
    // JSON Lines: a good line, a truncated one, a non-object, an array.
    write(
        "feed.jsonl",
        b"{\"id\": \"j1\", \"text\": \"Dans le feed, Saint-Brieuc.\"}\n{\"id\": \"j2\", \"text\": \"tronqu\n42\n[1, 2]\n",
    );
    // Links that go nowhere, and a loop of folders.
    symlink("loop-b.txt", input.join("loop-a.txt")).unwrap();
    symlink("loop-a.txt", input.join("loop-b.txt")).unwrap();
    symlink("nowhere.txt", input.join("dangling.txt")).unwrap();
    symlink("..", input.join("other/up")).unwrap();
    // A FIFO would block a reader forever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(input.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(fifo.success());

    let index = dir.path().join("index");
    let out = run(logis_at(&index).arg("index").arg(&input));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let warned = |needle: &str| {
        assert!(
            out.stderr.lines().any(|l| l.contains(needle)),
            "no warning {needle:?} in\n{}",
            out.stderr
        )
    };
    warned("utf16le.txt: decoded from UTF-16");
    warned("utf16be.txt: decoded from UTF-16");
    warned("latin1.txt: not UTF-8: read as Windows-1252");
    warned("skipped");
    warned("empty.txt: no text");
    warned("blank.txt: no text");
    warned("scan.txt: binary file");
    warned("huge.txt: 52.4 MB, larger than the 8 MB an article may hold");
    warned("id `dup` also in");
    warned("feed.jsonl:2: invalid article");
    warned("feed.jsonl:3: invalid article");
    warned("feed.jsonl:4: invalid article");
    warned("loop-a.txt: cannot read");
    warned("dangling.txt: cannot read");
    warned("pipe.txt: not a regular file");
    // One line per warning, none longer than a screen of text.
    assert!(out.stderr.lines().all(|l| l.len() < 400), "{}", out.stderr);
    // utf16le, utf16be, latin1, bom, controls, longtoken, dup, j1.
    assert!(
        out.stdout.contains("added 8,") && out.stdout.contains("8 article(s)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("11 skipped"), "{}", out.stdout);
    assert!(
        out.stdout.contains("3 converted to UTF-8"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 duplicate id(s) replaced"),
        "{}",
        out.stdout
    );

    let found = |query: &str| -> Vec<Value> {
        logis_at(&index).args(["search", query]).json()["hits"]
            .as_array()
            .unwrap()
            .clone()
    };
    for (query, doc) in [
        ("Wazemmes", "utf16le"),
        ("Mulhouse", "utf16be"),
        ("opérateur Besançon", "latin1"),
        ("Quimper", "bom"),
        ("neufs Tourcoing", "controls"),
        ("Vannes", "longtoken"),
        ("Saint-Brieuc", "j1"),
    ] {
        let hits = found(query);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!(hits[0]["doc"], doc, "{query}");
        let text = hits[0]["text"].as_str().unwrap_or_default();
        assert!(
            !text.contains(['\r', '\u{7}', '\u{1b}', '\u{85}', '\u{c}']),
            "{text:?}"
        );
    }
    // The later duplicate replaced the earlier one.
    let dup = found("Lorient");
    assert_eq!(dup.len(), 1);
    assert!(dup[0]["text"].as_str().unwrap().contains("Seconde"));
    // The long token is not a term; the title of the decoded file is clean.
    let out = run(logis_at(&index).args(["search", &"x".repeat(100)]));
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("empty query"), "{}", out.stderr);
    let docs = logis_at(&index).arg("docs").json()["articles"].clone();
    let bom = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc"] == "bom")
        .unwrap();
    assert_eq!(bom["title"], "Réhabilitation à Quimper");
    assert_eq!(bom["communes"][0]["name"], "Quimper");
}

#[test]
fn unreadable_files_are_skipped_with_a_warning() {
    let dir = TempDir::new().unwrap();
    if is_root(dir.path()) {
        // root reads every file whatever its mode: nothing to observe.
        eprintln!("note: running as root, file modes cannot make a file unreadable");
        return;
    }
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("ok.txt"), "Un article lisible.").unwrap();
    let locked = input.join("locked.txt");
    fs::write(&locked, "Un article illisible.").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(logis_at(&dir.path().join("index")).arg("index").arg(&input));
    assert_eq!(out.code, Some(0));
    assert!(
        out.stderr.contains("locked.txt: cannot read"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("1 skipped"));
}

#[test]
fn noise_lines_give_no_facet_values() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let names = "Nice Lille Orange Y Eu ANRU PSLA OPH Action Cœur de Ville";
    fs::write(
        input.join("noise.txt"),
        format!(
            "Texte extrait d'un PDF\n\n\
             ■■■■■■ {names} ■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■\n\
             |||| ## Nice || Lille ||| ==== Orange |||| ¤¤¤¤ ■■ ||||\n\
             • Y • Eu • Us • Gy • 75 • 59 •\n\
             N I C E   L I L L E   P A R I S\n\
             Fin de l'extraction.\n"
        ),
    )
    .unwrap();
    // The same names in prose do give values: the test can fail.
    fs::write(
        input.join("prose.txt"),
        "Un article sur les communes.\n\nLes villes de Nice et de Lille signent avec l'ANRU ; \
         un PSLA à Orange, au titre d'Action Cœur de Ville.\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    logis_at(&index).arg("index").arg(&input).succeeds();
    let docs = logis_at(&index).arg("docs").json()["articles"].clone();
    let doc = |id: &str| {
        docs.as_array()
            .unwrap()
            .iter()
            .find(|d| d["doc"] == id)
            .unwrap()
            .clone()
    };
    let prose = doc("prose");
    assert!(!prose["communes"].as_array().unwrap().is_empty());
    assert!(!prose["products"].as_array().unwrap().is_empty());
    assert!(!prose["programmes"].as_array().unwrap().is_empty());
    let noise = doc("noise");
    for field in [
        "organisations",
        "communes",
        "departements",
        "regions",
        "programmes",
        "products",
    ] {
        assert_eq!(noise[field], serde_json::json!([]), "{field}: {noise}");
    }
    // Its words are still searchable.
    let hits = logis_at(&index).args(["search", "extraction"]).json();
    assert_eq!(hits["hits"][0]["doc"], "noise");
}

#[test]
fn hostile_queries_get_a_message_or_a_result() {
    let dir = TempDir::new().unwrap();
    let index = seed_index(dir.path());
    let query = |q: &str| run(logis_at(&index).args(["search", "--", q]));
    let usage = |q: &str, needle: &str| {
        let out = query(q);
        assert_eq!(out.code, Some(2), "{q:.60}: {}", out.stderr);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
        assert!(
            out.stderr.contains(needle),
            "{needle} not in {}",
            out.stderr
        );
    };
    let results = |q: &str| {
        let out = query(q);
        assert_eq!(out.code, Some(0), "{q:.60}: {}", out.stderr);
        out.stdout
    };
    usage("", "empty query");
    usage("?!;:,.…«»", "empty query");
    usage(&"PSLA ".repeat(3000), "query too long (15000 bytes)");
    usage(&"a ".repeat(500), "query too long (500 words)");
    usage(&"(".repeat(100_000), "query too long (100000 bytes)");
    usage("bidule:Compiègne", "unknown");
    usage("year:99999999999999999999", "invalid year");
    // Unbalanced quotes and parentheses, nesting within the limits.
    assert!(results("\"Action Cœur de Ville").contains("passage"));
    assert!(results("((PSLA").contains("passage"));
    assert!(results("PSLA))) ((").contains("passage"));
    let nested = format!("{}PSLA{}", "(".repeat(900), ")".repeat(900));
    assert!(results(&nested).contains("PSLA"));
    usage(&"\"".repeat(1000), "empty query");
    // Many long unknown words: each may be corrected, all in bounded time.
    let typos: Vec<String> = (0..60).map(|i| format!("logementsociauxxx{i}")).collect();
    results(&typos.join(" "));
    // Huge and reversed ranges.
    usage("PSLA year:0..999999999", "invalid year");
    assert!(results("PSLA year:1000..9999").contains("PSLA"));
    usage("PSLA year:2030..1990", "invalid year");
    // Facets take the same limits.
    let out = run(logis_at(&index).args(["facets", "commune", &"a ".repeat(100)]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}

/// Starts `logis index` in the background, quietly.
fn spawn_index(index: &Path, args: &[&Path], rebuild: bool) -> Child {
    let mut cmd = std::process::Command::new(crate::support::binary::binary());
    cmd.arg("--index").arg(index).arg("index").arg("-q");
    if rebuild {
        cmd.arg("--rebuild");
    }
    cmd.args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Whether some process holds the writer lock of the index at `index`.
fn lock_is_held(index: &Path) -> bool {
    let name = index.file_name().unwrap().to_string_lossy();
    let lock = index.with_file_name(format!(".{name}.logis-lock"));
    match fs::File::open(lock) {
        Ok(file) => matches!(file.try_lock(), Err(fs::TryLockError::WouldBlock)),
        Err(_) => false,
    }
}

fn wait_for(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn killed_indexing_leaves_the_previous_index_whole() {
    let dir = TempDir::new().unwrap();
    let index = seed_index(dir.path());
    let seed_ids = doc_ids(&index);
    let corpus = big_corpus(dir.path(), 200);
    let mut killed_mid_run = 0;
    for (round, delay_ms) in [30u64, 150, 400, 800, 1500].into_iter().enumerate() {
        let rebuild = round % 2 == 1;
        let mut child = spawn_index(&index, &[&corpus], rebuild);
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever the moment, the index is whole and searchable: the
        // seeds alone, or (if the run had committed) everything.
        let check = run(logis_at(&index).arg("check"));
        assert_eq!(check.code, Some(0), "after {delay_ms} ms: {}", check.stdout);
        let ids = doc_ids(&index);
        assert!(
            ids == seed_ids || ids.len() == seed_ids.len() + 1000 || ids.len() == 1000,
            "after {delay_ms} ms: {} articles",
            ids.len()
        );
        let out = run(logis_at(&index).args(["search", "PSLA Compiègne"]));
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        // The lock went with the process.
        assert!(!lock_is_held(&index));
        if ids.len() != seed_ids.len() {
            // Committed: go back to the seeds for the next round.
            logis_at(&index)
                .args(["index", "--rebuild"])
                .arg(seeds())
                .succeeds();
        }
    }
    assert!(
        killed_mid_run >= 3,
        "only {killed_mid_run} kills landed mid-run"
    );
    // The next run finishes the job.
    logis_at(&index).arg("index").arg(&corpus).succeeds();
    assert_eq!(doc_ids(&index).len(), seed_ids.len() + 1000);
    assert_eq!(run(logis_at(&index).arg("check")).code, Some(0));
}

#[test]
fn a_second_writer_fails_at_once_and_searches_go_on() {
    let dir = TempDir::new().unwrap();
    let index = seed_index(dir.path());
    let seed_ids = doc_ids(&index);
    let corpus = big_corpus(dir.path(), 200);
    for rebuild in [false, true] {
        let mut first = spawn_index(&index, &[&corpus], rebuild);
        wait_for("the first run to take the lock", || lock_is_held(&index));
        let second = run(logis_at(&index).arg("index").arg(seeds()));
        assert_eq!(second.code, Some(1), "{}", second.stderr);
        assert_eq!(second.stderr.trim().lines().count(), 1, "{}", second.stderr);
        assert!(
            second
                .stderr
                .contains("being written by another `logis index`")
                && second.stderr.contains(".index.logis-lock")
                && !second.stderr.contains("delete"),
            "{}",
            second.stderr
        );
        let rebuild_too = run(logis_at(&index).args(["index", "--rebuild"]).arg(seeds()));
        assert_eq!(rebuild_too.code, Some(1), "{}", rebuild_too.stderr);
        // Searches see the last committed state meanwhile.
        if first.try_wait().unwrap().is_none() {
            assert_eq!(doc_ids(&index), seed_ids);
            let out = run(logis_at(&index).args(["search", "PSLA"]));
            assert_eq!(out.code, Some(0), "{}", out.stderr);
        }
        first.kill().unwrap();
        first.wait().unwrap();
        // No manual cleaning: the next run takes the lock at once.
        logis_at(&index)
            .args(["index", "--rebuild"])
            .arg(seeds())
            .succeeds();
        assert_eq!(doc_ids(&index), seed_ids);
    }
}

#[test]
fn searching_needs_no_write_access() {
    let dir = TempDir::new().unwrap();
    let index = seed_index(dir.path());
    let before = snapshot(&index);
    // Write permission taken away from the folders and files, read
    // permission left as logis made it.
    let read_only = |lock: bool| {
        let strip = |path: &Path, folder: bool| {
            let mode = fs::metadata(path).unwrap().permissions().mode();
            let mode = if !lock {
                mode | 0o200
            } else if folder {
                (mode & !0o222) | 0o555
            } else {
                mode & !0o222
            };
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
        };
        for entry in fs::read_dir(&index).unwrap() {
            strip(&entry.unwrap().path(), false);
        }
        strip(&index, true);
        strip(dir.path(), true);
    };
    read_only(true);
    let commands: [&[&str]; 4] = [
        &["search", "PSLA Compiègne"],
        &["docs"],
        &["facets", "commune"],
        &["check"],
    ];
    let as_reader = |args: &[&str]| {
        if !is_root(dir.path()) {
            return run(logis_at(&index).args(args));
        }
        // As root, modes do not bind: run as another user instead.
        run(Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(crate::support::binary::binary())
            .arg("--index")
            .arg(&index)
            .args(args))
    };
    for args in commands {
        let out = as_reader(args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty());
    }
    // Indexing it is refused in one clear line.
    let seeds = seeds();
    for args in [
        &["index", seeds.to_str().unwrap()][..],
        &["index", "--rebuild", seeds.to_str().unwrap()],
    ] {
        let out = as_reader(args);
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("cannot be written"), "{}", out.stderr);
    }
    read_only(false);
    assert_eq!(snapshot(&index), before, "searching wrote to the index");
}

#[test]
fn damaged_indexes_are_reported_never_panic() {
    let dir = TempDir::new().unwrap();
    let fresh = |name: &str| {
        let index = dir.path().join(name);
        logis_at(&index).arg("index").arg(seeds()).succeeds();
        assert_eq!(run(logis_at(&index).arg("check")).code, Some(0));
        index
    };
    let segment_file = |index: &Path, ext: &str| {
        let mut files: Vec<PathBuf> = fs::read_dir(index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort_by_key(|p| std::cmp::Reverse(fs::metadata(p).unwrap().len()));
        files.remove(0)
    };
    let damaged = |out: &Run| {
        assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("damaged"), "{}", out.stderr);
        assert!(out.stderr.contains("--rebuild"), "{}", out.stderr);
    };

    // A flipped byte: tantivy does not notice; `logis check` names the file.
    let index = fresh("flipped");
    let term = segment_file(&index, "term");
    let mut bytes = fs::read(&term).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xFF;
    fs::write(&term, bytes).unwrap();
    let out = run(logis_at(&index).arg("check"));
    damaged(&out);
    let name = term.file_name().unwrap().to_string_lossy();
    assert!(
        out.stdout.contains(&format!("{name}: checksum mismatch")),
        "{}",
        out.stdout
    );
    let out = run(logis_at(&index).args(["check", "--json"]));
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["problems"][0].as_str().unwrap().contains(&*name));
    // Searching it gives results or a clear error, never a panic.
    let search = run(logis_at(&index).args(["search", "logement"]));
    assert!(
        search.code == Some(0) || search.stderr.contains("damaged"),
        "{}",
        search.stderr
    );

    // Truncated files of each kind.
    for ext in ["store", "idx", "term", "fast", "pos", "fieldnorm"] {
        let index = fresh(&format!("truncated-{ext}"));
        let file = segment_file(&index, ext);
        let length = fs::metadata(&file).unwrap().len();
        fs::OpenOptions::new()
            .write(true)
            .open(&file)
            .unwrap()
            .set_len(length / 2)
            .unwrap();
        for args in [
            &["search", "logement social"][..],
            &["docs"],
            &["facets", "commune", "logement"],
            &["check"],
        ] {
            let out = run(logis_at(&index).args(args));
            damaged(&out);
        }
        // Updating it is refused the same way; a rebuild mends it.
        damaged(&run(logis_at(&index).arg("index").arg(seeds())));
        logis_at(&index)
            .args(["index", "--rebuild"])
            .arg(seeds())
            .succeeds();
        assert_eq!(run(logis_at(&index).arg("check")).code, Some(0));
    }

    // meta.json missing, or not JSON.
    let index = fresh("no-meta");
    fs::remove_file(index.join("meta.json")).unwrap();
    let out = run(logis_at(&index).args(["search", "PSLA"]));
    damaged(&out);
    assert!(out.stderr.contains("meta.json is missing"));
    damaged(&run(logis_at(&index).arg("check")));
    let index = fresh("bad-meta");
    fs::write(index.join("meta.json"), "{\"segments\": [").unwrap();
    damaged(&run(logis_at(&index).args(["search", "PSLA"])));
    damaged(&run(logis_at(&index).arg("check")));
}

#[test]
fn a_rebuild_killed_between_its_renames_is_recovered() {
    let dir = TempDir::new().unwrap();
    let index = seed_index(dir.path());
    let ids = doc_ids(&index);
    // What a kill between the two renames of a rebuild leaves: the old
    // index aside, the new one still in staging.
    let old = dir.path().join(".index.logis-old");
    fs::rename(&index, &old).unwrap();
    fs::create_dir(dir.path().join(".index.logis-staging")).unwrap();
    assert_eq!(doc_ids(&index), ids, "searches read the index kept aside");
    logis_at(&index).arg("index").arg(seeds()).succeeds();
    assert!(!old.exists());
    assert_eq!(doc_ids(&index), ids);
    assert_eq!(run(logis_at(&index).arg("check")).code, Some(0));
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_index() {
    let dir = TempDir::new().unwrap();
    let corpus = big_corpus(dir.path(), 100);
    let index = seed_index(dir.path());
    let ids = doc_ids(&index);
    let mount = dir.path().join("small");
    fs::create_dir(&mount).unwrap();
    let small_index = mount.join("index");
    let bin = crate::support::binary::binary();
    // A 1 MB filesystem in a private mount namespace: the seed index fits,
    // the big corpus does not.
    let script = format!(
        r#"set -e
mount -t tmpfs -o size=1m tmpfs '{mount}'
cp -r '{index}' '{small}'
for mode in update rebuild; do
  if [ $mode = rebuild ]; then flag=--rebuild; else flag=; fi
  set +e
  '{bin}' --index '{small}' index -q $flag '{corpus}' 2>'{mount}/../err-'$mode
  echo "exit-$mode $?"
  set -e
  '{bin}' --index '{small}' check >/dev/null && echo "check-$mode ok"
  '{bin}' --index '{small}' docs --json > '{mount}/../docs-'$mode
done
"#,
        mount = mount.display(),
        index = index.display(),
        small = small_index.display(),
        bin = bin.display(),
        corpus = corpus.display(),
    );
    let out = std::process::Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("unshare:") || stderr.contains("mount:") {
        eprintln!("note: no private mount namespace here, disk full not simulated: {stderr}");
        return;
    }
    for mode in ["update", "rebuild"] {
        assert!(
            stdout.contains(&format!("exit-{mode} 1")),
            "{stdout}\n{stderr}"
        );
        let err = fs::read_to_string(dir.path().join(format!("err-{mode}"))).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("no space left"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            stdout.contains(&format!("check-{mode} ok")),
            "{stdout}\n{stderr}"
        );
        let docs: Value =
            serde_json::from_slice(&fs::read(dir.path().join(format!("docs-{mode}"))).unwrap())
                .unwrap();
        let mut found: Vec<String> = docs["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["doc"].as_str().unwrap().to_string())
            .collect();
        found.sort();
        assert_eq!(found, ids, "{mode}");
    }
}
