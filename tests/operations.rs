//! `logis operations` end to end: the real binary indexes articles (the
//! seeds and articles written for these tests) and answers with the
//! operations they state, their evidence, and sums by group.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};
use tempfile::TempDir;

use crate::support::binary::{logis, Succeeds};
use crate::support::server::{seeded_index, Server};

/// An index of `articles` (file name, text), in a temporary folder.
fn indexed(articles: &[(&str, &str)]) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().expect("temp dir");
    let inputs = dir.path().join("articles");
    fs::create_dir(&inputs).expect("articles dir");
    for (name, text) in articles {
        fs::write(inputs.join(name), text).expect("article written");
    }
    let index = dir.path().join("index");
    logis()
        .arg("--index")
        .arg(&index)
        .args(["index", "-q"])
        .arg(&inputs)
        .succeeds();
    (dir, index)
}

fn operations(index: &Path, args: &[&str]) -> Value {
    logis()
        .arg("--index")
        .arg(index)
        .arg("operations")
        .args(args)
        .json()
}

#[test]
fn every_figure_of_the_quai_des_roses_comes_out_right() {
    let (_dir, index) = seeded_index();
    let found = operations(&index, &["Quai des Roses"]);
    let ops = found["operations"].as_array().expect("operations");
    let quai = ops
        .iter()
        .find(|o| o["site"] == "Quai des Roses")
        .expect("the Quai des Roses operation");
    assert_eq!(quai["commune"]["insee"], "60159");
    assert_eq!(quai["commune"]["departement"], "60");
    assert_eq!(quai["kind"], "construction");
    assert_eq!(quai["dwellings"], 30);
    assert_eq!(quai["dwellings_derived"], false);
    assert_eq!(quai["by_product"], json!({"PLS": 6, "LU": 10, "PSLA": 16}));
    assert_eq!(quai["products_differ"], true, "6 + 10 + 16 is 32, not 30");
    assert_eq!(quai["surface_m2"], 1841);
    assert_eq!(
        quai["milestone"],
        json!({"kind": "demarrage", "year": 2020, "month": null})
    );
    assert!(quai["organisations"]
        .as_array()
        .unwrap()
        .contains(&json!("Clésence")));
    // The evidence is the passage, and its highlights are the figures.
    let evidence = &quai["evidence"][0];
    let text = evidence["text"].as_str().unwrap();
    let shown: Vec<&str> = evidence["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize])
        .collect();
    for figure in ["30 logements", "6 PLS", "10 LU", "16 PSLA", "1 841 m²"] {
        assert!(shown.contains(&figure), "{figure} in {shown:?}");
    }
}

const LIST: &str = "Nos opérations dans l'Oise\n\n\
    Le bailleur présente ses chantiers de l'année.\n\n\
    NOYON Rue de Paris\nConstruction de 18 logements collectifs.\n\n 6 PLAI 12 PSLA\n1 210 m²\n\n Livraison : 2023\n\n\
    CREIL Quartier Rouher\nDémolition d'une barre de 40 logements dans le cadre du NPNRU.\n\n Démarrage travaux : 2022\n\n\
    CLERMONT Rue de la Gare\nTransformation d'anciens bureaux en 9 logements.\n\n 9 PSLA\n\n Livraison : 2024\n";

const PROSE: &str = "Lens : première pierre pour 24 logements\n\n\
    Le bailleur a posé la première pierre de 24 logements, dont 8 PLAI et 16 PLUS, \
    rue Émile Zola à Lens, en mars 2024. Le coût de l'opération atteint 3,4 millions d'euros.\n\n\
    Le bailleur gère ses 9 800 logements dans le bassin minier et vise 300 logements neufs par an.";

/// The same release, picked up by another site with another title.
const COPY: &str = "Première pierre à Lens\n\n\
    Le bailleur a posé la première pierre de 24 logements, dont 8 PLAI et 16 PLUS, \
    rue Émile Zola à Lens, en mars 2024. Le coût de l'opération atteint 3,4 millions d'euros.";

const TRAPS: &str = "Le logement social en chiffres\n\n\
    En France, 82 000 logements sociaux ont été financés en 2023. \
    L'objectif national reste de 110 000 logements par an d'ici 2027.";

#[test]
fn filters_kinds_milestones_and_sums_by_group() {
    let (_dir, index) = indexed(&[
        ("liste.txt", LIST),
        ("lens.txt", PROSE),
        ("copie.txt", COPY),
        ("chiffres.txt", TRAPS),
    ]);
    let all = operations(&index, &[]);
    let ops = all["operations"].as_array().unwrap();
    // Three in the list, the Lens operation twice (its copy), no trap.
    assert_eq!(all["total"], 5, "{all:#}");
    assert!(ops.iter().all(|o| o["doc"] != "chiffres"));
    let lens: Vec<&Value> = ops
        .iter()
        .filter(|o| o["commune"]["name"] == "Lens")
        .collect();
    assert_eq!(lens.len(), 2);
    assert_eq!(lens[0]["dwellings"], 24);
    assert_eq!(lens[0]["by_product"], json!({"PLAI": 8, "PLUS": 16}));
    assert_eq!(lens[0]["cost_eur"], 3_400_000);
    assert_eq!(
        lens[0]["milestone"],
        json!({"kind": "premiere-pierre", "year": 2024, "month": 3})
    );
    assert_eq!(
        lens[0]["same_as"],
        json!([lens[1]["id"]]),
        "copies are linked"
    );

    let demolitions = operations(&index, &["--kind", "demolition"]);
    assert_eq!(demolitions["total"], 1);
    assert_eq!(demolitions["operations"][0]["commune"]["name"], "Creil");
    let delivered = operations(
        &index,
        &["--milestone", "livraison", "--milestone-year", "2024.."],
    );
    assert_eq!(delivered["total"], 1);
    assert_eq!(delivered["operations"][0]["commune"]["name"], "Clermont");

    // The row of département `code` when summing `what`.
    let departement = |what: &str, code: &str| -> Value {
        let rows = operations(&index, &["--group-by", "departement", "--sum", what]);
        let row = rows["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == code);
        row.cloned()
            .unwrap_or_else(|| panic!("no row {code} in {rows:#}"))
    };
    // PSLA per département: the Oise's list only (12 + 9).
    let oise = departement("PSLA", "60");
    assert_eq!(oise["sum"], 21);
    assert_eq!(oise["operations"], 3);
    // Dwellings in the Pas-de-Calais: the Lens operation once, not twice.
    let pas_de_calais = departement("dwellings", "62");
    assert_eq!(pas_de_calais["sum"], 24);
    assert_eq!(pas_de_calais["operations"], 1);
    // A place filter looks at the operation's own commune.
    let creil = operations(&index, &["--commune", "Creil"]);
    assert_eq!(creil["total"], 1);
}

#[test]
fn csv_has_a_row_per_operation_and_bad_arguments_a_clear_error() {
    let (_dir, index) = indexed(&[("liste.txt", LIST)]);
    let out = logis()
        .arg("--index")
        .arg(&index)
        .args(["operations", "--format", "csv"])
        .succeeds();
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.trim_end().lines().collect();
    assert!(lines[0]
        .trim_start_matches('\u{feff}')
        .starts_with("id,doc,passages,commune,insee"));
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines
        .iter()
        .any(|l| l.contains("Noyon") && l.contains("PLAI 6; PSLA 12")));

    for bad in [
        &["operations", "--group-by", "planet"][..],
        &["operations", "--kind", "castle"],
        &["operations", "--milestone-year", "soon"],
        &["operations", "--commune", "Noyonn"],
    ] {
        let out = logis()
            .arg("--index")
            .arg(&index)
            .args(bad)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{bad:?}");
        assert_eq!(stderr.trim().lines().count(), 1, "{bad:?}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn the_http_api_answers_as_the_command_does() {
    let (_dir, index) = indexed(&[
        ("liste.txt", LIST),
        ("lens.txt", PROSE),
        ("copie.txt", COPY),
    ]);
    let server = Server::start(&index);
    let command = operations(&index, &["--group-by", "departement", "--sum", "dwellings"]);
    let api = server.json("/api/operations?group_by=departement&sum=dwellings");
    assert_eq!(api, command, "one home for both");
    let csv = server.get("/api/operations?commune=Noyon&format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    assert_eq!(text.trim_end().lines().count(), 2, "{text}");
    assert!(text.contains("Noyon") && text.contains("PLAI 6; PSLA 12"));
    let bad = server.get("/api/operations?milestone=someday");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_code(), "bad_parameter");
}

#[test]
fn follow_ups_of_one_operation_are_linked_and_summed_once() {
    let (_dir, index) = indexed(&[
        (
            "annonce.txt",
            "Hazebrouck : 30 logements annoncés rue Pasteur\n\n\
             Le bailleur a présenté en mars 2022 la construction de 30 logements rue Pasteur \
             à Hazebrouck, sur une ancienne friche.",
        ),
        (
            "pierre.txt",
            "Première pierre rue Pasteur\n\n\
             À Hazebrouck, la première pierre des 28 logements de la rue Pasteur a été posée \
             en octobre 2023 : deux logements ont laissé la place à un local associatif.",
        ),
        (
            "livraison.txt",
            "Les clés de la rue Pasteur remises\n\n\
             Le bailleur a livré en juin 2025 les 28 logements de la rue Pasteur à Hazebrouck, \
             dont 10 PLAI et 18 PLUS.",
        ),
    ]);
    let all = operations(&index, &[]);
    let ops = all["operations"].as_array().unwrap();
    assert_eq!(all["total"], 3, "{all:#}");
    let delivery = ops.iter().find(|o| o["doc"] == "livraison").unwrap();
    let announcement = ops.iter().find(|o| o["doc"] == "annonce").unwrap();
    // Each report lists the others, the most advanced first.
    assert_eq!(announcement["same_as"][0], delivery["id"]);
    assert_eq!(delivery["same_as"].as_array().unwrap().len(), 2);
    // The sum counts the operation once, with its latest figures.
    let sums = operations(&index, &["--group-by", "commune", "--sum", "dwellings"]);
    let hazebrouck = &sums["groups"][0];
    assert_eq!(hazebrouck["group"], "Hazebrouck");
    assert_eq!(
        (hazebrouck["operations"].clone(), hazebrouck["sum"].clone()),
        (json!(1), json!(28))
    );
    assert_eq!(hazebrouck["ids"], json!([delivery["id"]]));

    // A query finding one report still links it to the others, anywhere
    // in the index.
    let stone = operations(&index, &["pierre posée"]);
    assert_eq!(stone["total"], 1, "{stone:#}");
    assert_eq!(stone["operations"][0]["same_as"][0], delivery["id"]);
    assert_eq!(
        stone["operations"][0]["same_as"].as_array().unwrap().len(),
        2
    );
    // An operation stands at its most advanced report: delivered since,
    // it is no longer at its first stone.
    let at_stone = operations(&index, &["--milestone", "premiere-pierre"]);
    assert_eq!(at_stone["total"], 0, "{at_stone:#}");
    let delivered = operations(&index, &["--milestone", "livraison"]);
    assert_eq!(delivered["total"], 3, "{delivered:#}");
}
