//! End-to-end: the real `logis` binary indexes invented pages with the
//! traps of commune tagging (common words, people, longer proper nouns,
//! quartiers, homonyms and short forms), and `facets commune` and `search
//! --commune` show only the communes the pages are about.

use std::fs;
use std::path::Path;

use crate::support::binary::{logis, Succeeds};
use serde_json::Value;
use tempfile::TempDir;

/// Indexes `pages` (file name, text) and returns the index folder's parent.
fn indexed(pages: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    for (name, text) in pages {
        fs::write(corpus.join(name), text).unwrap();
    }
    logis()
        .arg("--index")
        .arg(index(dir.path()))
        .arg("index")
        .arg(&corpus)
        .succeeds();
    dir
}

fn index(dir: &Path) -> std::path::PathBuf {
    dir.join("index")
}

/// The `Name (INSEE)` of every commune tagged in the index.
fn communes(dir: &Path) -> Vec<String> {
    let json = logis()
        .arg("--index")
        .arg(index(dir))
        .args(["facets", "commune", "--limit", "100"])
        .json();
    let mut found: Vec<String> = json["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            format!(
                "{} ({})",
                c["value"].as_str().unwrap(),
                c["insee"].as_str().unwrap()
            )
        })
        .collect();
    found.sort();
    found
}

/// The documents a search filtered on `commune` finds.
fn docs_in(dir: &Path, commune: &str) -> Vec<String> {
    let json: Value = logis()
        .arg("--index")
        .arg(index(dir))
        .args(["search", "logements", "--commune", commune])
        .json();
    let mut docs: Vec<String> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect();
    docs.dedup();
    docs
}

#[test]
fn commune_traps_on_invented_pages() {
    let dir = indexed(&[
        (
            "reunion.txt",
            "Quarante logements livrés\n\nSur l'île de La Réunion, la SEM a livré 40 logements \
             au Port. À Saint-Louis, un autre chantier de logements avance. Le promoteur \
             Cholet Varnay est associé à l'opération.\n",
        ),
        (
            "traps.txt",
            "Des logements rénovés\n\nSelon M. Cholet, gérant des ateliers Maçon, le Jardin \
             des Lumières et les quartiers de Villejean et de Maurepas seront rénovés à Rennes. \
             Bulles de savon et Bulles Vertes animeront la fête des logements.\n\
             Robert Lorient, architecte, a présenté le projet.\n",
        ),
        (
            "short.txt",
            "Logements sociaux\n\nDans le Pas-de-Calais, la ville de Boulogne rénove 120 \
             logements sociaux.\n",
        ),
    ]);
    assert_eq!(
        communes(dir.path()),
        [
            "Boulogne-sur-Mer (62160)",
            "Le Port (97407)",
            "Rennes (35238)",
            "Saint-Louis (97414)",
        ]
    );
    assert_eq!(docs_in(dir.path(), "97407"), ["reunion"]);
    assert_eq!(docs_in(dir.path(), "Rennes"), ["traps"]);
    assert!(docs_in(dir.path(), "Cholet").is_empty());
    assert!(docs_in(dir.path(), "Lorient").is_empty());
}
