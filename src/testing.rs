//! What the unit tests share: the configuration of property tests, and an
//! index of many small invented articles in several segments.

use proptest::prelude::ProptestConfig;

/// At least `cases` cases (`PROPTEST_CASES` raises it for a long run);
/// failures are reported with their minimal input, and nothing is written
/// into the source tree.
pub(crate) fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: ProptestConfig::default().cases.max(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Writes `articles` invented articles of six passages each as JSON Lines
/// (ids `{prefix}-{n}`), naming communes, products and years in varied
/// combinations, and indexes them into `index` with a small writer budget
/// (several segments).
pub(crate) fn index_invented(
    index: &std::path::Path,
    folder: &std::path::Path,
    prefix: &str,
    articles: usize,
) {
    use std::fmt::Write as _;
    const COMMUNES: [&str; 5] = ["Vierzon", "Bourges", "Nevers", "Auxerre", "Châteauroux"];
    const PRODUCTS: [&str; 3] = ["PLAI", "PSLA", "PLS"];
    let mut lines = String::new();
    for n in 0..articles {
        let mut text = String::new();
        for p in 0..6 {
            let commune = COMMUNES[(n * 7 + p * 3) % COMMUNES.len()];
            let product = PRODUCTS[(n + p) % PRODUCTS.len()];
            let year = 2015 + (n + p) % 9;
            let _ = write!(
                text,
                "À {commune}, l'office livre {} logements {product} en {year}, \
                 après deux ans de chantier dans le quartier de la gare.\n\n",
                10 + (n * p) % 40
            );
        }
        let line = serde_json::json!({
            "id": format!("{prefix}-{n}"),
            "title": format!("Logements sociaux : chantier numéro {n}"),
            "date": format!("{}-0{}-1{}", 2016 + n % 8, 1 + n % 9, n % 10),
            "text": text,
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::create_dir_all(folder).unwrap();
    let file = folder.join(format!("{prefix}.jsonl"));
    std::fs::write(&file, lines).unwrap();
    let options = crate::index::IndexOptions {
        memory_mb: 16,
        ..crate::index::IndexOptions::default()
    };
    crate::index::index_paths(index, &[file], &options, &mut |_| {}).unwrap();
}
