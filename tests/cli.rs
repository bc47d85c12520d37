//! End-to-end tests: the real `logis` binary on the seed articles and on
//! files written here.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::binary::{logis, seeds, snapshot, Succeeds};
use serde_json::Value;
use std::process::Command;
use tempfile::TempDir;

/// A temporary index built from the given inputs.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new(inputs: &[&Path]) -> Fixture {
        let dir = TempDir::new().unwrap();
        let fixture = Fixture { dir };
        let mut cmd = fixture.cmd();
        cmd.arg("index").args(inputs).succeeds();
        fixture
    }

    fn seeds() -> Fixture {
        Fixture::new(&[&seeds()])
    }

    fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    fn cmd(&self) -> Command {
        let mut cmd = logis();
        cmd.arg("--index").arg(self.index());
        cmd
    }

    fn json(&self, args: &[&str]) -> Value {
        self.cmd().args(args).json()
    }

    fn search(&self, query: &str) -> Value {
        self.json(&["search", query])
    }

    /// The indexed articles, as `docs --json` lists them.
    fn articles(&self) -> Vec<Value> {
        self.json(&["docs"])["articles"]
            .as_array()
            .expect("articles")
            .clone()
    }
}

fn hits(results: &Value) -> &Vec<Value> {
    results["hits"].as_array().expect("hits")
}

/// The highlighted parts of a hit, sliced by byte offsets from its text.
fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap().as_bytes();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let start = r[0].as_u64().unwrap() as usize;
            let end = r[1].as_u64().unwrap() as usize;
            String::from_utf8(text[start..end].to_vec()).expect("ranges on char boundaries")
        })
        .collect()
}

/// The (value, count, selected) triples of a `facets --json` result.
fn facet_triples(json: &Value) -> Vec<(String, u64, bool)> {
    json["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
                c["selected"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The values of a `facets --json` result, in order.
fn facet_values(json: &Value) -> Vec<&str> {
    json["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect()
}

fn top(results: &Value) -> (String, u64) {
    let hit = &hits(results)[0];
    (
        hit["doc"].as_str().unwrap().to_string(),
        hit["passage"].as_u64().unwrap(),
    )
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, content).unwrap();
    path
}

#[test]
fn psla_compiegne_finds_the_quai_des_roses_operation_first() {
    let f = Fixture::seeds();
    let results = f.search("PSLA Compiègne");
    let first = &hits(&results)[0];
    assert!(first["doc"].as_str().unwrap().starts_with("003_"));
    let text = first["text"].as_str().unwrap();
    assert!(text.starts_with("COMPIÈGNE Quai des Roses"), "{text}");
    // The passage holds the whole operation.
    for part in [
        "6 PLS 10 LU 16 PSLA",
        "1 841 m²",
        "Démarrage travaux : 2020",
    ] {
        assert!(text.contains(part), "missing {part:?} in {text:?}");
    }
    assert_eq!(first["all_words"], true);
    let marked = highlighted(first);
    assert!(marked.contains(&"PSLA".to_string()), "{marked:?}");
    assert!(marked.contains(&"COMPIÈGNE".to_string()), "{marked:?}");
    assert_eq!(first["heading"], "COMPIÈGNE Quai des Roses");
    // Next, Compiègne with PSLA spelled out ("location accession").
    assert_eq!(results["total"], 2);
    let second = &hits(&results)[1];
    assert!(second["text"]
        .as_str()
        .unwrap()
        .contains("location accession"));
    assert!(highlighted(second).contains(&"location accession".to_string()));
}

#[test]
fn accents_and_case_do_not_matter() {
    let f = Fixture::seeds();
    let expected = top(&f.search("Compiègne"));
    for query in [
        "Compiegne",
        "compiègne",
        "COMPIÈGNE",
        "COMPIEGNE",
        "compiegne",
    ] {
        assert_eq!(top(&f.search(query)), expected, "{query}");
    }
    assert_eq!(
        hits(&f.search("Compiegne")).len(),
        hits(&f.search("Compiègne")).len()
    );
}

#[test]
fn digit_groups_match_written_together_or_apart() {
    let f = Fixture::seeds();
    for query in ["40000 logements", "40 000 logements"] {
        let results = f.search(query);
        let first = &hits(&results)[0];
        assert!(
            first["doc"].as_str().unwrap().starts_with("000_"),
            "{query}"
        );
        assert!(first["text"].as_str().unwrap().contains("40 000 logements"));
        assert!(highlighted(first).contains(&"40 000".to_string()));
    }
}

#[test]
fn the_plus_loan_is_not_drowned_by_the_word_plus() {
    let f = Fixture::seeds();
    let results = f.search("PLUS Cambrai");
    let text = hits(&results)[0]["text"].as_str().unwrap();
    assert!(text.starts_with("CAMBRAI Rue Neuve des Capucins"), "{text}");
    // Alone, the acronym also ranks its own occurrence first, and only the
    // capitals are highlighted there.
    let results = f.search("PLUS");
    let first = &hits(&results)[0];
    assert!(first["text"].as_str().unwrap().contains("11 PLUS"));
    assert_eq!(highlighted(first), ["PLUS"]);
}

#[test]
fn stems_find_inflected_forms() {
    let f = Fixture::seeds();
    let results = f.search("logement étudiant");
    let text = hits(&results)[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Résidence Nobel") && text.starts_with("ARRAS"),
        "{text}"
    );
    let marked = highlighted(&hits(&results)[0]);
    assert!(marked.contains(&"étudiants".to_string()), "{marked:?}");
}

#[test]
fn elided_words_and_apostrophes_in_queries() {
    let f = Fixture::seeds();
    let results = f.search("l’entreprise");
    assert!(!hits(&results).is_empty());
    assert!(highlighted(&hits(&results)[0]).contains(&"entreprise".to_string()));
    // `'` in a query is text, not a quote.
    assert!(!hits(&f.search("l'accession sociale")).is_empty());
    assert!(!hits(&f.search("qu’il")).is_empty());
}

#[test]
fn phrases_exclusions_and_alternatives() {
    let f = Fixture::seeds();
    let results = f.search("\"Action Cœur de Ville\"");
    for hit in hits(&results) {
        let marked = highlighted(hit);
        assert!(!marked.is_empty());
        for m in marked {
            // The phrase, or its acronym.
            let m = m.to_lowercase().replace('œ', "oe");
            assert!(m == "action coeur de ville" || m == "acv", "{m}");
        }
    }
    let results = f.search("Compiègne -PSLA");
    assert!(!hits(&results).is_empty());
    for hit in hits(&results) {
        assert!(!hit["text"].as_str().unwrap().contains("PSLA"));
    }
    let either = f.search("PLAI OR PSLA");
    let plai = f.search("PLAI")["total"].as_u64().unwrap();
    let psla = f.search("PSLA")["total"].as_u64().unwrap();
    let total = either["total"].as_u64().unwrap();
    assert!(total >= plai.max(psla) && total <= plai + psla);
}

#[test]
fn malformed_queries_still_search() {
    let f = Fixture::seeds();
    for query in [
        "\"PSLA Compiègne",
        "(PSLA",
        "PSLA)",
        "PSLA OR",
        "« PSLA",
        "PSLA ))) (((",
    ] {
        let results = f.search(query);
        assert!(!hits(&results).is_empty(), "{query}");
    }
}

#[test]
fn all_words_first_then_some() {
    let f = Fixture::seeds();
    let results = f.json(&["search", "PSLA Compiègne", "--limit", "5", "--per-doc", "0"]);
    let flags: Vec<bool> = hits(&results)
        .iter()
        .map(|h| h["all_words"] == true)
        .collect();
    assert_eq!(flags.len(), 5);
    assert!(flags[0]);
    // Once a passage with only some words appears, no full match follows.
    let first_partial = flags.iter().position(|f| !f).unwrap();
    assert!(flags[first_partial..].iter().all(|f| !f));
    assert!(results["total_any"].as_u64() >= results["total"].as_u64());
}

#[test]
fn reindexing_replaces_articles_by_id() {
    let f = Fixture::seeds();
    let docs = f.articles();
    let passages: u64 = docs.iter().map(|d| d["passages"].as_u64().unwrap()).sum();
    f.cmd().arg("index").arg(seeds()).succeeds();
    let again = f.articles();
    assert_eq!(again.len(), 5);
    let total = f.json(&["search", "logement", "--limit", "1000"])["total"]
        .as_u64()
        .unwrap();
    assert!(total <= passages);
    assert_eq!(again, docs);
}

#[test]
fn docs_lists_articles_with_dates_and_titles() {
    let f = Fixture::seeds();
    let docs = f.articles();
    assert_eq!(docs.len(), 5);
    for key in [
        "doc",
        "title",
        "date",
        "year",
        "source",
        "passages",
        "organisations",
        "communes",
        "programmes",
        "products",
    ] {
        assert!(docs[0].get(key).is_some(), "missing {key}");
    }
    let first = &docs[0];
    assert!(first["doc"].as_str().unwrap().starts_with("000_"));
    assert_eq!(first["date"], "2022-07");
    assert_eq!(first["date_source"], "marker");
    assert_eq!(first["year"], 2022);
    // Seed 001 has no date, but "Ce mardi 20 octobre" only fits 2020.
    assert_eq!(docs[1]["date"], "2020-10-20");
    assert_eq!(docs[1]["date_source"], "text");
    assert_eq!(docs[1]["year"], 2020);
    // Seed 003 gives no support for a year: none is guessed.
    assert_eq!(docs[3]["year"], Value::Null);
    let seed_004 = docs
        .iter()
        .find(|d| d["doc"].as_str().unwrap().starts_with("004_"))
        .unwrap();
    assert_eq!(
        seed_004["title"],
        "Le groupe Action Logement a tenu sa convention régionale à Saint-Quentin"
    );
    // The date marker is not part of any passage.
    assert!(hits(&f.search("\"date 2022\"")).is_empty());
    let results = f.search("\"Répondre aux objectifs des communes\"");
    let text = hits(&results)[0]["text"].as_str().unwrap();
    assert!(text.starts_with("Répondre aux objectifs"), "{text}");
}

#[test]
fn json_lines_skip_bad_lines_and_index_the_rest() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "feed.jsonl",
        concat!(
            r#"{"id": "a1", "title": "Premier", "date": "2021-05-02", "url": "https://example.org/a1", "text": "Le bailleur livre 20 logements PSLA à Beauvais.", "extra": true}"#,
            "\n{not json}\n",
            r#"{"id": "a2", "text": "Un second article sur le PLAI."}"#,
            "\n\n",
            r#"{"title": "sans id", "text": "x"}"#,
            "\n"
        )
        .as_bytes(),
    );
    let index = dir.path().join("index");
    let out = logis()
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("feed.jsonl:2"), "{stderr}");
    assert!(
        stderr.contains("feed.jsonl:5") && stderr.contains("missing field `id`"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 article(s)") && stdout.contains("2 skipped"),
        "{stdout}"
    );
    let docs: Value = serde_json::from_slice(
        &logis()
            .arg("--index")
            .arg(&index)
            .args(["docs", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(docs["articles"][0]["doc"], "a1");
    assert_eq!(docs["articles"][0]["title"], "Premier");
    assert_eq!(docs["articles"][0]["date"], "2021-05-02");
    assert_eq!(docs["articles"][0]["url"], "https://example.org/a1");
    assert_eq!(
        docs["articles"][0]["source"],
        format!("{}:1", file.display())
    );
    assert_eq!(docs["articles"][1]["doc"], "a2");
}

/// Articles that carry facet values, to exercise filters and counts.
fn faceted_corpus(dir: &Path) -> PathBuf {
    let lines = [
        r#"{"id": "oise-2019", "date": "2019-03", "text": "Opération de 16 logements PSLA en centre-ville.", "organisations": ["Clésence"], "communes": [{"name": "Compiègne", "insee": "60159", "departement": "Oise", "region": "Hauts-de-France"}], "programmes": ["Action Cœur de Ville"], "products": ["PSLA"]}"#,
        r#"{"id": "oise-2021", "date": "2021-09", "text": "Réhabilitation de 50 logements sociaux en centre-ville.", "organisations": ["OPAC de l'Oise"], "communes": [{"name": "Senlis", "insee": "60612", "departement": "Oise", "region": "Hauts-de-France"}], "programmes": ["Action Cœur de Ville"], "products": ["PLAI", "PLUS"]}"#,
        r#"{"id": "nord-2021", "date": "2021-01", "text": "Livraison de 30 logements sociaux en centre-ville.", "organisations": ["Vilogia"], "communes": [{"name": "Lille", "insee": "59350", "departement": "Nord", "region": "Hauts-de-France"}], "products": ["PLAI"]}"#,
        r#"{"id": "vdm-2020", "date": "2020-12", "text": "Construction de 60 logements sociaux en centre-ville.", "organisations": ["Valophis Habitat"], "communes": [{"name": "Choisy-le-Roi", "insee": "94022", "departement": "Val-de-Marne", "region": "Île-de-France"}], "products": ["PLUS"]}"#,
    ];
    write(dir, "faceted.jsonl", lines.join("\n").as_bytes())
}

fn docs_of(results: &Value) -> Vec<String> {
    let mut docs: Vec<String> = hits(results)
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect();
    docs.sort();
    docs
}

#[test]
fn facet_filters_select_passages() {
    let dir = TempDir::new().unwrap();
    let f = Fixture::new(&[&faceted_corpus(dir.path())]);
    let search = |args: &[&str]| {
        let mut all = vec!["search", "centre-ville"];
        all.extend_from_slice(args);
        docs_of(&f.json(&all))
    };
    assert_eq!(search(&[]).len(), 4);
    assert_eq!(
        search(&["--departement", "Oise"]),
        ["oise-2019", "oise-2021"]
    );
    assert_eq!(
        search(&["--departement", "oise"]),
        ["oise-2019", "oise-2021"]
    );
    assert_eq!(search(&["--region", "Ile-de-France"]), ["vdm-2020"]);
    assert_eq!(search(&["--commune", "compiegne"]), ["oise-2019"]);
    assert_eq!(search(&["--commune", "60612"]), ["oise-2021"]);
    assert_eq!(search(&["--product", "PLAI"]), ["nord-2021", "oise-2021"]);
    assert_eq!(search(&["--product", "plai", "--product", "PSLA"]).len(), 3);
    assert_eq!(search(&["--org", "opac de l'oise"]), ["oise-2021"]);
    assert_eq!(
        search(&["--programme", "Action Coeur de Ville"]),
        ["oise-2019", "oise-2021"]
    );
    assert_eq!(search(&["--year", "2021"]), ["nord-2021", "oise-2021"]);
    assert_eq!(search(&["--year", "2020.."]).len(), 3);
    assert_eq!(search(&["--year", "..2020"]), ["oise-2019", "vdm-2020"]);
    assert_eq!(
        search(&["--year", "2019..2020", "--region", "Hauts-de-France"]),
        ["oise-2019"]
    );
    assert!(search(&["--commune", "Paris"]).is_empty());
    // Filters alone list the matching passages.
    let filtered = f.json(&["search", "--product", "PLUS"]);
    assert_eq!(docs_of(&filtered), ["oise-2021", "vdm-2020"]);
    // Hits carry their facets, communes as objects.
    let results = f.search("PSLA");
    let hit = &hits(&results)[0];
    assert_eq!(hit["organisations"][0], "Clésence");
    assert_eq!(hit["programmes"][0], "Action Cœur de Ville");
    assert_eq!(hit["products"][0], "PSLA");
    assert_eq!(hit["year"], 2019);
    let commune = &hit["communes"][0];
    assert_eq!(commune["name"], "Compiègne");
    assert_eq!(commune["insee"], "60159");
    assert_eq!(commune["departement"], "Oise");
    assert_eq!(commune["region"], "Hauts-de-France");
}

#[test]
fn facet_counts() {
    let dir = TempDir::new().unwrap();
    let f = Fixture::new(&[&faceted_corpus(dir.path())]);
    let counts = |args: &[&str]| -> Vec<(String, u64)> {
        let mut all = vec!["facets"];
        all.extend_from_slice(args);
        facet_triples(&f.json(&all))
            .into_iter()
            .map(|(value, count, _)| (value, count))
            .collect()
    };
    assert_eq!(
        counts(&["product"]),
        [
            ("PLAI".to_string(), 2),
            ("PLUS".to_string(), 2),
            ("PSLA".to_string(), 1)
        ]
    );
    assert_eq!(
        counts(&["region"]),
        [
            ("Hauts-de-France".to_string(), 3),
            ("Île-de-France".to_string(), 1)
        ]
    );
    assert_eq!(
        counts(&["departement", "--region", "Hauts-de-France"])[0],
        ("Oise".to_string(), 2)
    );
    assert_eq!(counts(&["year"])[0], ("2021".to_string(), 2));
    assert_eq!(counts(&["product", "PSLA"]), [("PSLA".to_string(), 1)]);
    let communes = f.json(&["facets", "commune", "--departement", "Oise"]);
    assert_eq!(communes["field"], "commune");
    assert_eq!(communes["passages"], 2);
    let names = facet_values(&communes);
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Compiègne") && names.contains(&"Senlis"));
    let senlis = communes["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "Senlis")
        .unwrap();
    assert_eq!(senlis["insee"], "60612");
    // Disjunctive: a filter on the field itself leaves the other values'
    // counts visible, under the other filters, with the selection marked.
    let json = f.json(&[
        "facets",
        "product",
        "--product",
        "PSLA",
        "--region",
        "Hauts-de-France",
    ]);
    assert_eq!(json["disjunctive"], true);
    assert_eq!(json["passages"], 1);
    let products = facet_triples(&json);
    assert_eq!(
        products,
        [
            ("PLAI".to_string(), 2, false),
            ("PLUS".to_string(), 1, false),
            ("PSLA".to_string(), 1, true)
        ]
    );
    assert_eq!(f.json(&["facets", "product"])["disjunctive"], false);
    // Field names are forgiving; unknown ones are a usage error.
    assert_eq!(counts(&["org"]).len(), 4);
    let out = f.cmd().args(["facets", "colour"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("colour") && stderr.contains("commune"),
        "{stderr}"
    );
}

#[test]
fn markdown_and_text_files() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    write(
        &corpus,
        "note.md",
        "# Un titre Markdown\n\nLe bail réel solidaire progresse.\n".as_bytes(),
    );
    write(
        &corpus.join("sub"),
        "crlf.txt",
        b"Un titre\r\n\r\nDes logements sociaux livres.\r\n",
    );
    write(&corpus, "ignored.csv", b"a,b\n");
    let f = Fixture::new(&[&corpus]);
    let docs = f.articles();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["doc"], "crlf");
    assert_eq!(docs[0]["title"], "Un titre");
    assert_eq!(docs[1]["title"], "Un titre Markdown");
    let results = f.search("logements livrés");
    assert!(hits(&results)[0]["text"]
        .as_str()
        .unwrap()
        .ends_with("livres."));
}

#[test]
fn errors_are_one_line_with_the_right_exit_code() {
    let dir = TempDir::new().unwrap();
    let missing_index = dir.path().join("nothing-here");
    let check = |cmd: &mut Command, code: i32, needle: &str| {
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
        assert!(!stderr.contains("panicked"));
    };
    check(
        logis()
            .arg("--index")
            .arg(&missing_index)
            .args(["search", "PSLA"]),
        1,
        "logis index",
    );
    let f = Fixture::seeds();
    check(f.cmd().args(["search", ""]), 2, "empty query");
    check(f.cmd().args(["search", "?! …"]), 2, "empty query");
    check(f.cmd().args(["search", "-PSLA"]), 2, "\"logement -PSLA\"");
    check(f.cmd().args(["search", "--", "-PSLA"]), 2, "only excludes");
    check(f.cmd().args(["search", "--nope", "PSLA"]), 2, "--nope");
    check(
        f.cmd().args(["search", "PSLA", "--year", "vingt"]),
        2,
        "invalid year",
    );
    check(f.cmd().args(["search", "PSLA", "--limit", "0"]), 2, "limit");
    check(f.cmd().args(["index", "/no/such/path"]), 2, "no such file");
    // A binary file, alone: nothing indexed, the index untouched.
    let binary = write(dir.path(), "scan.txt", &[0u8, 1, 2, 3].repeat(300));
    check(f.cmd().arg("index").arg(&binary), 1, "binary");
    assert_eq!(f.articles().len(), 5);
    // Next to good files, it is skipped with a warning and counted.
    let mixed = dir.path().join("mixed");
    fs::create_dir(&mixed).unwrap();
    fs::copy(&binary, mixed.join("scan.txt")).unwrap();
    write(&mixed, "good.txt", "Un article lisible.".as_bytes());
    let out = f.cmd().arg("index").arg(&mixed).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scan.txt: binary file"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 skipped"));
    assert_eq!(f.articles().len(), 6);
}

#[test]
fn an_incompatible_index_asks_for_a_rebuild() {
    let f = Fixture::seeds();
    let meta_path = f.index().join("meta.json");
    let meta = fs::read_to_string(&meta_path).unwrap();
    let mut json: Value = serde_json::from_str(&meta).unwrap();
    json["payload"] = Value::String(r#"{"logis_schema":0,"logis_analyzer":0}"#.into());
    fs::write(&meta_path, json.to_string()).unwrap();
    for args in [&["search", "PSLA"][..], &["docs"], &["index"]] {
        let out = f.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("incompatible") && stderr.contains("--rebuild"),
            "{stderr}"
        );
    }
    f.cmd().args(["index", "--rebuild"]).arg(seeds()).succeeds();
    assert_eq!(f.articles().len(), 5);
}

#[test]
fn rebuild_replaces_the_content_and_keeps_other_files() {
    let dir = TempDir::new().unwrap();
    let f = Fixture::seeds();
    fs::write(f.index().join("README.md"), "notes").unwrap();
    let one = write(
        dir.path(),
        "one.txt",
        "Un seul article sur le PSLA.".as_bytes(),
    );
    f.cmd().args(["index", "--rebuild"]).arg(&one).succeeds();
    assert_eq!(f.articles().len(), 1);
    assert_eq!(
        fs::read_to_string(f.index().join("README.md")).unwrap(),
        "notes"
    );
}

#[test]
fn first_search_builds_the_default_index_from_seeds() {
    let dir = TempDir::new().unwrap();
    let seeds_copy = dir.path().join("seeds");
    fs::create_dir(&seeds_copy).unwrap();
    for entry in fs::read_dir(seeds()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), seeds_copy.join(entry.file_name())).unwrap();
    }
    let out = logis()
        .current_dir(dir.path())
        .args(["search", "PSLA Compiègne"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("building it from seeds/"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("COMPIÈGNE Quai des Roses"), "{stdout}");
    assert!(dir.path().join("index/meta.json").is_file());
    // The second run uses it without rebuilding.
    let out = logis()
        .current_dir(dir.path())
        .args(["search", "PSLA"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("building"));
}

#[test]
fn colour_follows_the_options() {
    let f = Fixture::seeds();
    let run = |cmd: &mut Command| String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    let always = run(f.cmd().args(["search", "PSLA", "--color", "always"]));
    assert!(always.contains("\x1b[33mPSLA\x1b[0m"), "{always}");
    let never = run(f.cmd().args(["search", "PSLA", "--color", "never"]));
    assert!(!never.contains('\x1b') && never.contains("PSLA"));
    // Not a terminal: no colour by default.
    assert!(!run(f.cmd().args(["search", "PSLA"])).contains('\x1b'));
    let text = run(f.cmd().args(["docs"]));
    assert!(text.contains("5 article(s)"));
}

#[test]
fn places_are_extracted_from_the_text() {
    let f = Fixture::seeds();
    let docs = f.articles();
    let seed_003 = docs
        .iter()
        .find(|d| d["doc"].as_str().unwrap().starts_with("003_"))
        .unwrap();
    let insee: Vec<&str> = seed_003["communes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["insee"].as_str().unwrap())
        .collect();
    for code in ["60159", "60612", "62041", "59122", "02691"] {
        assert!(insee.contains(&code), "{code} not in {insee:?}");
    }
    let compiegne = seed_003["communes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["insee"] == "60159")
        .unwrap();
    assert_eq!(compiegne["name"], "Compiègne");
    assert_eq!(compiegne["departement"], "Oise");
    assert_eq!(compiegne["region"], "Hauts-de-France");
    // Passages carry the places they name; filters use them.
    let results = f.json(&["search", "PSLA", "--departement", "Oise"]);
    let first = &hits(&results)[0];
    assert!(first["text"]
        .as_str()
        .unwrap()
        .contains("COMPIÈGNE Quai des Roses"));
    assert_eq!(first["communes"][0]["insee"], "60159");
    let by_code = f.json(&["search", "PSLA", "--departement", "60"]);
    assert_eq!(by_code["total"], results["total"]);
    let communes = f.json(&["facets", "commune", "--region", "Hauts-de-France"]);
    let values = facet_values(&communes);
    assert!(
        values.contains(&"Compiègne") && values.contains(&"Saint-Quentin"),
        "{values:?}"
    );
}

#[test]
fn products_and_programmes_are_extracted_from_the_text() {
    let f = Fixture::seeds();
    // The loan PLUS is a product; the word "plus" is not.
    let results = f.json(&["search", "--product", "PLUS"]);
    let texts: Vec<&str> = hits(&results)
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("11 PLUS"));
    let first = hits(&f.json(&["search", "PSLA Compiègne"]))[0].clone();
    assert_eq!(first["products"], serde_json::json!(["PLS", "PSLA"]));
    // Spelled-out forms count: seed 000 says "prêt social location-accession".
    let psla = f.json(&["search", "--product", "PSLA"]);
    assert!(hits(&psla)
        .iter()
        .any(|h| h["doc"].as_str().unwrap().starts_with("000_")));
    let programmes = f.json(&["facets", "programme"]);
    let values = facet_values(&programmes);
    assert_eq!(values[0], "Action Cœur de Ville");
    assert!(
        values.contains(&"NPNRU") && values.contains(&"ERBM"),
        "{values:?}"
    );
    assert!(!values.contains(&"Logement d'abord"), "{values:?}");
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The seeds plus the labelled articles of the extraction tests.
fn wide_fixture() -> Fixture {
    Fixture::new(&[
        &seeds(),
        &fixtures().join("extraction.jsonl"),
        &fixtures().join("extraction_heldout.jsonl"),
    ])
}

/// The article of each hit, in rank order.
fn ranked_docs(results: &Value) -> Vec<String> {
    hits(results)
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn acronyms_find_spelled_out_forms_and_the_reverse() {
    let f = wide_fixture();
    // fx32 only says "BRS"; fx05 says both.
    let results = f.search("bail réel solidaire");
    let docs = ranked_docs(&results);
    assert!(docs.contains(&"fx32".to_string()), "{docs:?}");
    let fx32 = hits(&results).iter().find(|h| h["doc"] == "fx32").unwrap();
    assert_eq!(highlighted(fx32), ["BRS"]);
    // The literal phrase ranks above the acronym alone.
    assert_eq!(docs[0], "fx05");
    // And the reverse: the acronym finds the spelled-out form.
    let docs = ranked_docs(&f.search("PSLA Bordeaux"));
    assert_eq!(docs.first().map(String::as_str), Some("fx28"));
    let docs = ranked_docs(&f.search("OPH Montreuil"));
    assert_eq!(docs.first().map(String::as_str), Some("ho03"));
    // A multi-word synonym matches as a phrase, not as loose words: "prêt"
    // and "social" apart do not make a PSLA.
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "a.jsonl",
        concat!(
            r#"{"id": "loose", "text": "Un prêt pour la location, un accès social à l'accession."}"#,
            "\n",
            r#"{"id": "phrase", "text": "Un prêt social location-accession est signé."}"#,
            "\n"
        )
        .as_bytes(),
    );
    let g = Fixture::new(&[&file]);
    assert_eq!(ranked_docs(&g.search("PSLA")), ["phrase"]);
}

#[test]
fn a_name_finds_passages_tagged_with_it_below_literal_matches() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "a.jsonl",
        concat!(
            r#"{"id": "tagged", "text": "SENILIS : 50 logements livrés.", "communes": ["Senlis"]}"#,
            "\n",
            r#"{"id": "literal", "text": "À Senlis, 30 logements livrés."}"#,
            "\n",
            r#"{"id": "other", "text": "À Creil, 20 logements livrés."}"#,
            "\n"
        )
        .as_bytes(),
    );
    let f = Fixture::new(&[&file]);
    assert_eq!(ranked_docs(&f.search("Senlis")), ["literal", "tagged"]);
    let both = f.search("senlis logements");
    assert_eq!(ranked_docs(&both)[..2], ["literal", "tagged"]);
    assert_eq!(both["total"], 2);
}

#[test]
fn field_filters_in_the_query() {
    let f = wide_fixture();
    let inline = f.search("commune:Compiègne PSLA");
    let option = f.json(&["search", "PSLA", "--commune", "Compiègne"]);
    assert_eq!(ranked_docs(&inline), ranked_docs(&option));
    assert!(!hits(&inline).is_empty());
    // The passages naming the commune come first; with `--scope passage`,
    // they are the only ones.
    let names = |hit: &Value| {
        hit["communes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "Compiègne")
    };
    assert!(names(&hits(&inline)[0]), "{inline}");
    let strict = f.json(&[
        "search",
        "PSLA",
        "--commune",
        "Compiègne",
        "--scope",
        "passage",
    ]);
    assert!(!hits(&strict).is_empty());
    for hit in hits(&strict) {
        assert!(names(hit), "{hit}");
    }
    // Quoted values, year ranges, exclusions.
    let results = f.search(r#"programme:"Action Cœur de Ville" year:2020.."#);
    assert_eq!(ranked_docs(&results), ["fx03"]);
    let results = f.search("PSLA -commune:Compiègne");
    assert!(!hits(&results).is_empty());
    for hit in hits(&results) {
        let communes = hit["communes"].as_array().unwrap();
        assert!(!communes.iter().any(|c| c["name"] == "Compiègne"), "{hit}");
    }
    // A URL or a colon at the end of a word is text.
    assert!(!hits(&f.search("Senlis:")).is_empty());
    // An unknown field is a usage error naming the valid ones.
    let out = f.cmd().args(["search", "ville:Senlis"]).output().unwrap();
    assert!(out.status.success(), "ville is an alias of commune");
    let out = f.cmd().args(["search", "couleur:rouge"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("couleur") && stderr.contains("commune, departement"));
    let out = f.cmd().args(["search", "year:demain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn phrases_keep_their_small_words() {
    let f = wide_fixture();
    for (phrase, doc) in [
        ("\"Petites Villes de Demain\"", "fx24"),
        ("\"prêt social location-accession\"", "fx28"),
        ("\"Action Cœur de Ville\"", "fx03"),
    ] {
        let docs = ranked_docs(&f.search(phrase));
        assert!(docs.contains(&doc.to_string()), "{phrase}: {docs:?}");
    }
    // The small words count: "villes de demain" is not "villes demain".
    assert!(hits(&f.search("\"Petites Villes Demain\"")).is_empty());
}

#[test]
fn typos_are_corrected_but_not_acronyms_or_numbers() {
    let f = wide_fixture();
    let results = f.search("Compiengne PSLA");
    assert_eq!(results["did_you_mean"], "Compiegne PSLA");
    let first = &hits(&results)[0];
    assert_eq!(first["fuzzy"], true);
    assert!(first["text"]
        .as_str()
        .unwrap()
        .starts_with("COMPIÈGNE Quai des Roses"));
    // Known words are left alone, acronyms and numbers are never fuzzed.
    assert!(f.search("Compiègne PSLA")["did_you_mean"].is_null());
    assert!(f.search("PSLX")["did_you_mean"].is_null());
    assert!(f.search("91 001 demandeurs")["did_you_mean"].is_null());
    // The text output says so.
    let out = f.cmd().args(["search", "Villepitne"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("did you mean: Villepinte?"), "{text}");
}

#[test]
fn per_doc_sort_and_group() {
    let f = wide_fixture();
    let count_per_doc = |results: &Value| -> usize {
        let docs = ranked_docs(results);
        docs.iter()
            .map(|d| docs.iter().filter(|x| *x == d).count())
            .max()
            .unwrap_or(0)
    };
    let default = f.json(&["search", "logements", "-n", "20"]);
    assert_eq!(count_per_doc(&default), 2);
    let one = f.json(&["search", "logements", "-n", "20", "--per-doc", "1"]);
    assert_eq!(count_per_doc(&one), 1);
    assert_eq!(hits(&one).len(), 20);
    let all = f.json(&["search", "Compiègne", "-n", "20", "--per-doc", "0"]);
    assert!(count_per_doc(&all) > 2);

    // Newest first; undated articles last.
    let by_date = f.json(&["search", "logements", "-n", "100", "--sort", "date"]);
    let dates: Vec<String> = hits(&by_date)
        .iter()
        .map(|h| h["date"].as_str().unwrap_or("").to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(dates[0].starts_with("2024"), "{dates:?}");
    assert!(dates.last().unwrap().is_empty(), "undated last: {dates:?}");

    // One entry per article, each with at most --per-doc passages.
    let grouped = f.json(&["search", "Action Cœur de Ville", "--group", "-n", "3"]);
    assert!(grouped.get("hits").is_none());
    let articles = grouped["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 3);
    let mut seen = Vec::new();
    for article in articles {
        let doc = article["doc"].as_str().unwrap();
        assert!(!seen.contains(&doc));
        seen.push(doc);
        let passages = article["hits"].as_array().unwrap();
        assert!(!passages.is_empty() && passages.len() <= 2);
        assert!(passages.iter().all(|h| h["doc"] == doc));
    }
    let out = f
        .cmd()
        .args(["search", "Action Cœur de Ville", "--group", "-n", "2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" 2. ") && !text.contains(" 3. "), "{text}");
}

#[test]
fn users_add_synonyms_without_recompiling() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "a.jsonl",
        br#"{"id": "a", "text": "Un projet d'habitat inclusif pour dix personnes."}"#,
    );
    let f = Fixture::new(&[&file]);
    assert!(hits(&f.search("HI")).is_empty());
    let synonyms = write(
        dir.path(),
        "synonymes.tsv",
        "Habitat inclusif\thabitat inclusif | =HI\n".as_bytes(),
    );
    let synonyms = synonyms.to_str().unwrap();
    let results = f.json(&["search", "HI", "--synonyms", synonyms]);
    assert_eq!(ranked_docs(&results), ["a"]);
    let out = f
        .cmd()
        .args(["search", "HI", "--synonyms", "/nonexistent/synonymes.tsv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read synonyms /nonexistent/synonymes.tsv"),
        "{stderr}"
    );
}

#[test]
fn reindexing_only_processes_what_changed() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for entry in fs::read_dir(seeds()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let feed = write(
        &corpus,
        "feed.jsonl",
        concat!(
            r#"{"id": "j1", "text": "Le bailleur livre 20 logements PSLA à Beauvais."}"#,
            "\n",
            r#"{"id": "j2", "text": "Un second article sur le PLAI à Creil."}"#,
            "\n"
        )
        .as_bytes(),
    );
    let index = dir.path().join("index");
    let run = |extra: &[&str]| -> String {
        let out = logis()
            .arg("--index")
            .arg(&index)
            .arg("index")
            .arg(&corpus)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run(&[]).starts_with("added 7, updated 0, unchanged 0;"));
    // Unchanged input: nothing written, not a byte.
    let before = snapshot(&index);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(run(&[]).starts_with("added 0, updated 0, unchanged 7;"));
    assert_eq!(snapshot(&index), before);
    // One changed, one new, one file and one JSON line gone.
    let changed = corpus.join("001_ed4a974bee98c184.txt");
    let mut text = fs::read_to_string(&changed).unwrap();
    text.push_str("\nUne phrase ajoutée sur Gouvieux.\n");
    fs::write(&changed, text).unwrap();
    write(
        &corpus,
        "new.txt",
        "Un nouvel article sur Chantilly.".as_bytes(),
    );
    fs::remove_file(corpus.join("004_7349046f19491921.txt")).unwrap();
    fs::write(
        &feed,
        r#"{"id": "j1", "text": "Le bailleur livre 20 logements PSLA à Beauvais."}"#,
    )
    .unwrap();
    let summary = run(&[]);
    assert!(
        summary.starts_with("added 1, updated 1, unchanged 4;"),
        "{summary}"
    );
    let search = |q: &str| -> Vec<String> {
        let out = logis()
            .arg("--index")
            .arg(&index)
            .args(["search", "--json", q])
            .output()
            .unwrap();
        let results: Value = serde_json::from_slice(&out.stdout).unwrap();
        ranked_docs(&results)
    };
    assert_eq!(search("Gouvieux"), ["001_ed4a974bee98c184"]);
    // Without --prune, what disappeared stays; with it, it goes.
    assert!(!search("Arcadipane").is_empty());
    let summary = run(&["--prune"]);
    assert!(
        summary.starts_with("added 0, updated 0, unchanged 6, removed 2;"),
        "{summary}"
    );
    assert!(search("Arcadipane").is_empty());
    assert!(search("Creil").is_empty());
    assert_eq!(search("Beauvais PSLA")[0], "j1");
}
