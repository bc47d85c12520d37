//! One rule, one home, end to end: a number typed as printed finds what
//! the analyzer indexed; a commune carries its département's code from
//! extraction to the output; an edited word list re-indexes the articles it
//! may change.

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::binary::{logis, Succeeds};

fn index(index: &Path, inputs: &[&Path], data: Option<&Path>) -> String {
    let mut cmd = logis();
    cmd.arg("--index").arg(index);
    if let Some(data) = data {
        cmd.arg("--data").arg(data);
    }
    let out = cmd.arg("index").args(inputs).succeeds();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(index: &Path, args: &[&str]) -> Value {
    logis().arg("--index").arg(index).args(args).json()
}

fn first_text(results: &Value) -> Option<&str> {
    results["hits"][0]["text"].as_str()
}

#[test]
fn every_number_form_the_analyzer_joins_is_found_as_typed() {
    let dir = TempDir::new().unwrap();
    let article = dir.path().join("bilan.txt");
    // Each paragraph holds one number as French prints it.
    let paragraphs = [
        (
            "40 000",
            "Le programme compte 40 000 logements à l'échelle nationale.",
        ),
        (
            "1 841,5",
            "La surface de plancher atteint 1 841,5 m² pour l'ensemble.",
        ),
        (
            "1 000 €/m²",
            "Le foncier se négocie autour de 1 000 €/m² dans ce secteur.",
        ),
        (
            "12\u{a0}500",
            "Le bailleur gère 12\u{a0}500 logements dans le département.",
        ),
        (
            "3\u{202F}200",
            "Une aide de 3\u{202F}200 euros par foyer est prévue.",
        ),
        (
            "2 750 000",
            "Le chantier a coûté 2 750 000 euros hors taxes.",
        ),
    ];
    let text: Vec<&str> = paragraphs.iter().map(|(_, p)| *p).collect();
    fs::write(&article, text.join("\n\n")).unwrap();
    let ix = dir.path().join("index");
    index(&ix, &[&article], None);
    for (number, paragraph) in paragraphs {
        let plain = number.replace(['\u{a0}', '\u{202F}'], " ");
        let compact = number.replace([' ', '\u{a0}', '\u{202F}'], "");
        for query in [
            number.to_string(),
            plain.clone(),
            compact,
            format!("\"{plain}\""),
        ] {
            let results = json(&ix, &["search", &query]);
            assert_eq!(
                first_text(&results),
                Some(paragraph),
                "{query:?} typed as printed"
            );
            assert_eq!(results["total"], 1, "{query:?}: one passage holds it all");
        }
    }
}

#[test]
fn a_commune_keeps_its_departement_code_to_the_output() {
    let dir = TempDir::new().unwrap();
    let article = dir.path().join("reunion.txt");
    fs::write(
        &article,
        "Livraison outre-mer\n\nÀ Saint-Denis (La Réunion), le bailleur social livre 80 \
         logements locatifs sociaux près du front de mer.\n",
    )
    .unwrap();
    let ix = dir.path().join("index");
    index(&ix, &[&article], None);
    let text = logis()
        .arg("--index")
        .arg(&ix)
        .args(["search", "front de mer", "--color", "never"])
        .succeeds();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("communes: Saint-Denis (974)"), "{text}");
    let results = json(&ix, &["search", "front de mer"]);
    let commune = &results["hits"][0]["communes"][0];
    assert_eq!(commune["insee"], "97411");
    assert_eq!(commune["departement_code"], "974");
    assert_eq!(commune["region"], "La Réunion");
    // Filters and counts take the codes from the index, not from names.
    for (field, value) in [("--departement", "974"), ("--region", "04")] {
        let results = json(&ix, &["search", "logements", field, value]);
        assert_eq!(results["total"], 1, "{field} {value}");
    }
    let counts = json(&ix, &["facets", "departement"]);
    assert_eq!(counts["counts"][0]["value"], "La Réunion");
    assert_eq!(counts["counts"][0]["code"], "974");
    let counts = logis()
        .arg("--index")
        .arg(&ix)
        .args(["facets", "commune"])
        .succeeds();
    assert!(String::from_utf8_lossy(&counts.stdout).contains("Saint-Denis (974)"));
}

#[test]
fn an_edited_word_list_re_indexes_the_articles_and_changes_their_facets() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    fs::write(
        corpus.join("ilot.txt"),
        "Renouvellement urbain\n\nLes travaux de la friche Vernon accueilleront 40 logements \
         sociaux et une crèche.\n",
    )
    .unwrap();
    fs::write(
        corpus.join("autre.txt"),
        "Un second article, sur la réhabilitation thermique d'une résidence.\n",
    )
    .unwrap();
    let ix = dir.path().join("index");
    let communes = |ix: &Path| -> Vec<String> {
        json(ix, &["facets", "commune"])["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(index(&ix, &[&corpus], None).starts_with("added 2,"));
    // With the built-in list, `friche` is not a street word: Vernon is read as
    // the commune.
    assert_eq!(communes(&ix), ["Vernon"]);
    assert!(index(&ix, &[&corpus], None).starts_with("added 0, updated 0, unchanged 2;"));
    // A copy of the list that knows `friche`, given with --data: every article
    // is indexed again (the list may change any of them), and Vernon goes.
    let data = dir.path().join("data");
    fs::create_dir(&data).unwrap();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/place-words.tsv");
    let mut words = fs::read_to_string(builtin).unwrap();
    words.push_str("street\tfriche\n");
    fs::write(data.join("place-words.tsv"), words).unwrap();
    let summary = index(&ix, &[&corpus], Some(&data));
    assert!(
        summary.starts_with("added 0, updated 2, unchanged 0;"),
        "{summary}"
    );
    assert!(communes(&ix).is_empty());
    let summary = index(&ix, &[&corpus], Some(&data));
    assert!(
        summary.starts_with("added 0, updated 0, unchanged 2;"),
        "{summary}"
    );
    // A list that cannot be read as one is refused before anything is read.
    fs::write(data.join("place-words.tsv"), "streets\tîlot\n").unwrap();
    let out = logis()
        .arg("--index")
        .arg(&ix)
        .arg("--data")
        .arg(&data)
        .arg("index")
        .arg(&corpus)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("place-words.tsv:1: unknown list `streets`"),
        "{stderr}"
    );
}
