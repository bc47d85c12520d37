//! End-to-end: facets users can trust, filters that speak the trade and
//! exports scripts can rely on. The real `logis` binary indexes invented
//! pages; each test is one promise of the README (scopes, filter values,
//! export formats).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::binary::{logis, Succeeds};
use serde_json::Value;
use tempfile::TempDir;

/// An article about a town whose demolition paragraph does not repeat its
/// name: the town is in the title and the dateline.
const ABOUT_TOWN: &str = "Vierzon : la cité des Forges tourne la page\n\n\
VIERZON, 12 mars 2024 – L'office départemental engage la transformation de la cité des Forges, \
un ensemble de 220 logements construit en 1962 au nord de la gare.\n\n\
La démolition des deux barres les plus hautes commencera à l'automne. Les locataires concernés \
seront relogés dans le parc existant ou dans les résidences neuves du programme.\n\n\
Le chantier sera suivi d'une réhabilitation thermique des bâtiments conservés, pour un montant \
de 1 450 € par mètre carré, soit 1 450 €/m² hors taxes.";

/// The loan PLUS in capitals beside the everyday word, in another article.
const LOANS: &str = "Trente logements aidés à Bourges\n\n\
Le programme compte 12 logements financés en PLUS et 8 en PLAI, livrés en 2025.\n\n\
Plus loin, un second terrain attend. La pluie a retardé le terrassement, et le bailleur \
espère faire plus vite au printemps.\n\n\
La Caisse de garantie du logement locatif social a validé le plan de redressement de l'organisme.";

/// An article given with its facet values, as JSON Lines do.
const GIVEN: &str = r#"{"id": "calais-1", "title": "Relogement au Beau-Marais", "text": "Le relogement des familles du Beau-Marais avance. Les opérations Cœur de ville complètent le dispositif, avec dix logements en prêt social location-accession.", "date": "2023-05-02", "url": "https://exemple.fr/calais-1", "communes": ["Calais"]}
"#;

/// The index of the pages above, built once for the module.
fn index() -> &'static Path {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let corpus = dir.path().join("corpus");
        fs::create_dir_all(&corpus).unwrap();
        fs::write(corpus.join("vierzon.txt"), ABOUT_TOWN).unwrap();
        fs::write(corpus.join("prets.txt"), LOANS).unwrap();
        fs::write(corpus.join("given.jsonl"), GIVEN).unwrap();
        let index = dir.path().join("index");
        logis()
            .arg("--index")
            .arg(&index)
            .args(["index", "--quiet"])
            .arg(&corpus)
            .succeeds();
        (dir, index)
    });
    path
}

fn run(args: &[&str]) -> Command {
    let mut cmd = logis();
    cmd.arg("--index").arg(index()).args(args);
    cmd
}

fn hits(json: &Value) -> &Vec<Value> {
    json["hits"].as_array().expect("hits")
}

fn texts(json: &Value) -> Vec<String> {
    hits(json)
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_place_of_the_title_and_dateline_carries_to_every_passage() {
    let found = run(&["search", "démolition", "--commune", "Vierzon"]).json();
    assert_eq!(found["total"], 1, "{found}");
    assert!(texts(&found)[0].contains("La démolition"));
    let strict = run(&[
        "search",
        "démolition",
        "--commune",
        "Vierzon",
        "--scope",
        "passage",
    ])
    .json();
    assert_eq!(strict["total"], 0, "the passage does not name the town");
    // A filter alone: the passages naming the town come first.
    let all = run(&["search", "--commune", "vierzon", "--per-doc", "0"]).json();
    assert_eq!(all["total"], 3, "{all}");
    let first = &hits(&all)[0];
    assert!(first["communes"].to_string().contains("18279"), "{first}");
    let docs = run(&["docs"]).json();
    let vierzon = docs["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["doc"] == "vierzon")
        .unwrap();
    assert_eq!(vierzon["about"]["communes"][0]["insee"], "18279");
}

#[test]
fn filters_take_acronyms_spelled_out_forms_abbreviations_and_codes() {
    for (flag, value) in [
        ("--programme", "ACV"),
        ("--programme", "action coeur de ville"),
        ("--product", "prêt social location-accession"),
        ("--product", "psla"),
        ("--commune", "CALAIS"),
        ("--commune", "62193"),
        ("--departement", "pas de calais"),
        ("--region", "32"),
    ] {
        let found = run(&["search", flag, value]).json();
        assert!(
            found["total"].as_u64().unwrap() >= 1,
            "{flag} {value}: {found}"
        );
    }
    let abbreviated = run(&["search", "--commune", "St-Amand-Montrond"])
        .output()
        .unwrap();
    assert!(abbreviated.status.success(), "a known commune, even absent");
    let said = String::from_utf8_lossy(&abbreviated.stdout);
    assert!(
        said.contains("no article about commune `St-Amand-Montrond` in this index"),
        "{said}"
    );
}

#[test]
fn an_unknown_filter_value_is_a_usage_error_with_suggestions() {
    let out = run(&["search", "logement", "--commune", "Vierzonn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no commune named `Vierzonn`"), "{err}");
    assert!(err.contains("did you mean Vierzon"), "{err}");
    let out = run(&["facets", "commune", "--programme", "Plan Zorglub"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn values_given_in_json_lines_are_the_official_ones() {
    let counts = run(&["facets", "commune"]).json();
    let calais: Vec<&Value> = counts["counts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["value"] == "Calais")
        .collect();
    assert_eq!(calais.len(), 1, "{counts}");
    assert_eq!(calais[0]["insee"], "62193");
    assert_eq!(counts["counted"], "articles");
    assert_eq!(counts["scope"], "article");
}

#[test]
fn programmes_are_read_as_the_trade_writes_them() {
    let found = run(&["facets", "programme"]).json();
    assert_eq!(
        found["counts"][0]["value"], "Action Cœur de Ville",
        "{found}"
    );
}

#[test]
fn a_term_inside_an_organisations_name_is_not_a_facet() {
    let products = run(&["facets", "product"]).json();
    let names: Vec<&str> = products["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"LLS"), "{names:?}");
    assert!(
        names.contains(&"PLUS") && names.contains(&"PLAI"),
        "{names:?}"
    );
}

#[test]
fn the_loan_plus_is_only_the_loan() {
    let found = run(&["search", "PLUS"]).json();
    assert_eq!(found["total"], 1, "{found}");
    let hit = &hits(&found)[0];
    let text = hit["text"].as_str().unwrap();
    for range in hit["highlights"].as_array().unwrap() {
        let (s, e) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
        assert_eq!(&text[s as usize..e as usize], "PLUS");
    }
}

#[test]
fn units_and_symbols_match_their_words() {
    let found = run(&["search", "1450 euros m2"]).json();
    assert_eq!(found["total"], 1, "{found}");
    let hit = &hits(&found)[0];
    let text = hit["text"].as_str().unwrap();
    let marked: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert!(
        marked.contains(&"€") && marked.contains(&"m²"),
        "{marked:?}"
    );
}

#[test]
fn corrected_words_are_highlighted_small_words_only_in_phrases() {
    let found = run(&["search", "réhabilitaton"]).json();
    assert!(found["did_you_mean"].is_string(), "{found}");
    assert!(!hits(&found)[0]["highlights"].as_array().unwrap().is_empty());
    // PSLA's synonym `prêt social de location-accession`: its `de` alone
    // is not marked.
    let found = run(&["search", "PSLA"]).json();
    for hit in hits(&found) {
        let text = hit["text"].as_str().unwrap();
        for r in hit["highlights"].as_array().unwrap() {
            let marked = &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize];
            assert!(marked.len() > 3, "{marked:?} marked in {text:?}");
        }
    }
}

#[test]
fn hits_say_what_was_left_out_and_carry_their_article() {
    let found = run(&["search", "logements", "--per-doc", "1", "--no-collapse"]).json();
    let total = found["total"].as_u64().unwrap();
    assert!(total > found["returned"].as_u64().unwrap(), "{found}");
    assert_eq!(found["left_out"], serde_json::json!(["per_doc"]));
    let calais = hits(&found).iter().find(|h| h["doc"] == "calais-1");
    let calais = calais.expect("the JSON Lines article");
    assert_eq!(calais["url"], "https://exemple.fr/calais-1");
    assert_eq!(calais["date"], "2023-05-02");
    assert!(calais["source"]
        .as_str()
        .unwrap()
        .ends_with("given.jsonl:1"));
    assert_eq!(calais["departements"][0]["code"], "62");
    assert_eq!(calais["regions"][0]["name"], "Hauts-de-France");
}

#[test]
fn all_matching_passages_stream_as_json_lines() {
    let total = run(&["search", "logements", "--per-doc", "1"]).json()["total"]
        .as_u64()
        .unwrap();
    let out = run(&["search", "logements", "--all", "--format", "jsonl"]).succeeds();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len() as u64, total);
    assert!(lines
        .iter()
        .all(|h| h["doc"].is_string() && h["text"].is_string()));
}

/// Reads CSV or TSV output back with Python's csv module, as a script
/// would: the rows as lists of cells.
fn read_back(output: &[u8], delimiter: &str) -> Vec<Vec<String>> {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("out.csv");
    fs::write(&file, output).unwrap();
    let script = format!(
        "import csv, json, sys\n\
         with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
         \x20   print(json.dumps(list(csv.reader(f, delimiter={delimiter:?}))))"
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn csv_exports_open_as_tables() {
    let out = run(&["search", "logements", "--format", "csv", "-n", "50"]).succeeds();
    assert!(
        out.stdout.starts_with("\u{feff}".as_bytes()),
        "UTF-8 mark for Excel"
    );
    let rows = read_back(&out.stdout, ",");
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert!(rows.len() > 2);
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len());
    }
    let calais = rows
        .iter()
        .find(|r| r[column("doc")] == "calais-1")
        .expect("calais row");
    assert_eq!(calais[column("communes")], "Calais");
    assert_eq!(calais[column("departement_codes")], "62");
    assert_eq!(calais[column("url")], "https://exemple.fr/calais-1");
    let vierzon = rows.iter().find(|r| r[column("doc")] == "vierzon").unwrap();
    assert!(vierzon[column("text")].contains('\n') || vierzon[column("text")].contains('€'));

    let docs = run(&["docs", "--format", "csv"]).succeeds();
    let rows = read_back(&docs.stdout, ",");
    assert_eq!(rows.len(), 4, "a header and three articles");
    let tsv = run(&["facets", "commune", "--format", "tsv"]).succeeds();
    let rows = read_back(&tsv.stdout, "\t");
    assert_eq!(rows[0][0], "field");
    assert!(rows.iter().any(|r| r[1] == "Vierzon" && r[3] == "18279"));
}
