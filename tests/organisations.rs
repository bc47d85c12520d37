//! Organisations end to end: the real `logis` binary indexes an invented
//! page with the traps of real pages (a heading in capitals, site
//! navigation, an award, a certification label, people, bare generic
//! words) and the ways articles name landlords the gazetteer lacks; the
//! organisation facet must hold the landlords and nothing else.

use std::collections::BTreeSet;
use std::fs;

use crate::support::binary::{logis, Succeeds};
use serde_json::Value;
use tempfile::TempDir;

const PAGE: &str = "\
Accueil Actualités Contact
MARS 2023 Actualités Logement

GRANDS CHANTIERS POUR LE LOGEMENT DE DEMAIN

L'Office Public de l'Habitat de Vierzon rénove 40 logements rue des Tilleuls.

Habitat 18 et Logis 36 livrent une résidence certifiée NF Habitat HQE.

L'OPH du Cher signe avec Habitat Val Berry une convention de gestion.

L'Office Public de l'Habitat Vierzonnais engage son plan ; l'OPHV vise 2030.

Lauréat des Trophées Habitat Durable, Paris Habitat salue le travail du bailleur HLM.

Pour la société Julie Moreau Conseil, la fondation Abbé Lefort alerte sur le mal-logement.
";

/// The organisation facet values of an index.
fn organisations(index: &std::path::Path) -> BTreeSet<String> {
    let json: Value = logis()
        .arg("--index")
        .arg(index)
        .args(["facets", "organisation"])
        .json();
    json["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c["value"].as_str().expect("value").to_string())
        .collect()
}

#[test]
fn landlords_are_found_and_traps_are_not() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("bailleurs-du-berry.txt"), PAGE).unwrap();
    let index = dir.path().join("index");
    logis()
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg(&corpus)
        .succeeds();
    let found = organisations(&index);
    let expected: BTreeSet<String> = [
        "Office Public de l'Habitat de Vierzon",
        "Habitat 18",
        "Logis 36",
        "OPH du Cher",
        "Habitat Val Berry",
        "Office Public de l'Habitat Vierzonnais",
        "Paris Habitat",
        "Fondation Abbé Lefort",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(found, expected);

    // The acronym names the same landlord in its passage: a filter on the
    // landlord finds the passage that only writes `OPHV`.
    let results: Value = logis()
        .arg("--index")
        .arg(&index)
        .args([
            "search",
            "vise",
            "--organisation",
            "Office Public de l'Habitat Vierzonnais",
        ])
        .json();
    let hits = results["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{results}");
    assert!(hits[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("OPHV"));
}
