//! Real-world formats, end to end: a folder of web pages, a PDF, Word and
//! OpenDocument files, RSS and Atom feeds, with an ignore file, hidden and
//! excluded files, is indexed by the real binary; each article's text,
//! title, address, site, author, date and date source are checked against
//! `tests/fixtures/formats-expected.json`, and the page furniture must not
//! be searchable. Dirty files of each format are skipped with their
//! reason; syndicated copies fold under one result.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::binary::{logis, Succeeds};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn expected() -> Value {
    let text = fs::read_to_string(fixtures().join("formats-expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn at(index: &Path) -> Command {
    let mut cmd = logis();
    cmd.arg("--index").arg(index);
    cmd
}

/// The hits of a search, `--per-doc 0` and no collapse, as JSON.
fn hits(index: &Path, query: &str) -> Vec<Value> {
    at(index)
        .args([
            "search",
            "--limit",
            "200",
            "--per-doc",
            "0",
            "--no-collapse",
        ])
        .arg(query)
        .json()["hits"]
        .as_array()
        .unwrap()
        .clone()
}

/// What an indexing run prints: its warnings and its summary.
fn printed(cmd: &mut Command) -> String {
    let out = cmd.succeeds();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    )
}

/// The index of the fixture folder, with `notes-*` excluded, and what the
/// run printed.
fn formats_index(dir: &Path) -> (PathBuf, String) {
    let index = dir.join("index");
    let printed = printed(
        at(&index)
            .arg("index")
            .arg(fixtures().join("formats"))
            .args(["--exclude", "notes-*"]),
    );
    (index, printed)
}

/// The id of the article an expected entry describes, from `docs`.
fn article_of<'a>(docs: &'a [Value], entry: &Value) -> &'a Value {
    let file = entry["file"].as_str().unwrap();
    let source_end = match entry.get("item").and_then(Value::as_u64) {
        Some(item) => format!("{file}#{}", item + 1),
        None => file.to_string(),
    };
    docs.iter()
        .find(|d| d["source"].as_str().unwrap().ends_with(&source_end))
        .unwrap_or_else(|| panic!("no article read from {source_end}"))
}

#[test]
fn every_format_gives_its_text_and_metadata() {
    let dir = TempDir::new().unwrap();
    let (index, stderr) = formats_index(dir.path());
    // The image is counted, not listed; the ignored and hidden files are
    // neither.
    assert!(stderr.contains("1 unsupported type"), "{stderr}");
    assert!(!stderr.contains("image.png"), "{stderr}");
    let docs = at(&index).arg("docs").json()["articles"]
        .as_array()
        .unwrap()
        .clone();
    let expected = expected();
    let articles = expected["articles"].as_array().unwrap();
    let excluded = expected["excluded"]["file"].as_str().unwrap();
    let mut read = 0;
    for entry in articles {
        if entry["file"] == excluded {
            continue;
        }
        read += 1;
        let doc = article_of(&docs, entry);
        let id = doc["doc"].as_str().unwrap();
        for key in ["title", "url", "site", "author", "date", "date_source"] {
            assert_eq!(doc[key], entry[key], "{key} of {}", entry["file"]);
        }
        for phrase in entry["must_contain"].as_array().unwrap() {
            let phrase = phrase.as_str().unwrap();
            let found = hits(&index, &format!("\"{phrase}\""));
            let texts: Vec<&str> = found
                .iter()
                .filter(|h| h["doc"] == id)
                .map(|h| h["text"].as_str().unwrap())
                .collect();
            assert!(
                texts.iter().any(|t| t.contains(phrase)),
                "{phrase:?} not in {id}: {texts:?}"
            );
        }
        for junk in entry["must_not_contain"].as_array().unwrap() {
            let junk = junk.as_str().unwrap();
            let found = hits(&index, &format!("\"{junk}\""));
            assert!(
                !found
                    .iter()
                    .any(|h| h["doc"] == id && h["text"].as_str().unwrap().contains(junk)),
                "{junk:?} is in {id}"
            );
        }
        for repeated in entry
            .get("at_most_once")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let repeated = repeated.as_str().unwrap();
            let count: usize = hits(&index, &format!("\"{repeated}\""))
                .iter()
                .filter(|h| h["doc"] == id)
                .map(|h| h["text"].as_str().unwrap().matches(repeated).count())
                .sum();
            assert!(count <= 1, "{repeated:?} {count} times in {id}");
        }
    }
    assert_eq!(docs.len(), read, "{docs:#?}");
    // Ignored, hidden and excluded files are not searchable.
    let mut left_out: Vec<&str> = expected["ignored"]
        .as_object()
        .unwrap()
        .values()
        .map(|w| w.as_str().unwrap())
        .collect();
    left_out.push(expected["excluded"]["word"].as_str().unwrap());
    for word in left_out {
        assert!(hits(&index, word).is_empty(), "{word} is searchable");
    }
}

#[test]
fn damaged_files_of_each_format_are_skipped_with_their_reason() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    let stderr = printed(
        at(&index)
            .arg("index")
            .arg(fixtures().join("formats-dirty"))
            .arg(fixtures().join("formats/breve.txt")),
    );
    let expected = expected();
    let skips = expected["expected_skips"].as_object().unwrap();
    // What each reason reads like on the warning line.
    let wording = |reason: &str| match reason {
        "damaged" => "damaged file",
        "encrypted" => "encrypted",
        "no text layer" => "without a text layer",
        "no text" => "no text",
        "too large" => "expands to more than",
        other => panic!("unknown reason {other}"),
    };
    for (file, reason) in skips {
        let line = stderr
            .lines()
            .find(|l| l.contains(file.as_str()))
            .unwrap_or_else(|| panic!("{file} not reported: {stderr}"));
        assert!(
            line.contains("warning: skipped") && line.contains(wording(reason.as_str().unwrap())),
            "{file}: {line}"
        );
    }
    // The summary counts them by reason.
    for counted in ["3 damaged", "1 encrypted", "2 no text", "1 too large"] {
        assert!(stderr.contains(counted), "{counted}: {stderr}");
    }
    let docs = at(&index).arg("docs").json()["articles"].clone();
    assert_eq!(docs.as_array().unwrap().len(), 1);
}

/// A press release, as its author wrote it.
const RELEASE: &str = "Le bailleur Habitat des Trois Vallées a posé mercredi la première pierre \
d'une résidence de trente-six logements à Montataire, rue Jean-Jaurès. Le programme compte \
vingt logements financés en PLUS, dix en PLAI et six en prêt social location-accession.

Les travaux, confiés à une entreprise de l'agglomération creilloise, doivent durer dix-huit \
mois. Les logements seront chauffés par une pompe à chaleur collective et les toitures \
accueilleront des panneaux photovoltaïques qui alimenteront les parties communes.

« Cette opération répond à une demande très forte de jeunes ménages qui travaillent dans la \
vallée de l'Oise », a rappelé la directrice générale de l'office, entourée du maire et des \
représentants de la communauté d'agglomération.

Le coût total de l'opération atteint 6,2 millions d'euros, dont une subvention de l'État et \
un prêt de la Banque des Territoires. La livraison est annoncée pour l'automne 2026.";

/// Boilerplate a site puts around every article.
const SITE_TEMPLATE: &str = "À propos du Courrier de l'habitat : chaque semaine, la rédaction \
suit l'actualité des organismes de logement social des Hauts-de-France, des collectivités et \
des associations de locataires. Abonnez-vous à la lettre d'information pour recevoir nos \
articles, nos dossiers et nos entretiens avec les acteurs du secteur.";

#[test]
fn syndicated_copies_fold_under_one_result() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    // The original, and a copy on a site that changes the title, wraps the
    // text in its template and adds a paragraph.
    fs::write(
        corpus.join("original.txt"),
        format!("date 2025-03-12 Première pierre à Montataire\n\n{RELEASE}"),
    )
    .unwrap();
    fs::write(
        corpus.join("copie.html"),
        format!(
            "<html><head><title>Montataire : 36 logements sociaux | Le Courrier de l'habitat</title>\
             <meta property=\"og:site_name\" content=\"Le Courrier de l'habitat\">\
             <meta property=\"article:published_time\" content=\"2025-03-14\"></head><body>\
             <nav>Accueil</nav><article><h1>Montataire : 36 logements sociaux</h1>{}\
             <p>Le maire a précisé que les attributions se feraient en commission.</p>\
             <p>{SITE_TEMPLATE}</p></article></body></html>",
            RELEASE
                .split("\n\n")
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        ),
    )
    .unwrap();
    // A different story of the same site, sharing its template.
    fs::write(
        corpus.join("autre.txt"),
        format!(
            "date 2025-03-20 Nogent-sur-Oise : un foyer de jeunes travailleurs rénové\n\n\
             L'association gestionnaire a rouvert le foyer de quarante chambres après un an de \
             travaux d'isolation et de mise en accessibilité. Les résidents, apprentis et jeunes \
             salariés, disposent désormais de chambres équipées d'une kitchenette.\n\n\
             Le chantier a coûté 2,1 millions d'euros, financés par la région, le département et \
             des fonds propres. Une seconde tranche portera sur la salle commune en 2026.\n\n\
             {SITE_TEMPLATE}"
        ),
    )
    .unwrap();
    let index = dir.path().join("index");
    let stderr = printed(at(&index).arg("index").arg(&corpus));
    assert!(stderr.contains("1 syndicated copy grouped"), "{stderr}");

    let search = |extra: &[&str]| {
        at(&index)
            .arg("search")
            .args(extra)
            .arg("Montataire photovoltaïques")
            .json()["hits"]
            .as_array()
            .unwrap()
            .clone()
    };
    let collapsed = search(&[]);
    let mut docs: Vec<&str> = collapsed
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    docs.dedup();
    assert_eq!(docs.len(), 1, "one article tells the story: {docs:?}");
    let duplicates = collapsed[0]["duplicates"].as_array().unwrap();
    assert_eq!(duplicates.len(), 1, "{collapsed:#?}");
    let other = if docs[0] == "original" {
        "copie"
    } else {
        "original"
    };
    assert_eq!(duplicates[0]["doc"], other);
    if other == "copie" {
        assert_eq!(duplicates[0]["site"], "Le Courrier de l'habitat");
        assert_eq!(duplicates[0]["date"], "2025-03-14");
    }
    let mut all: Vec<String> = search(&["--no-collapse"])
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all, ["copie", "original"]);
    // The other story of the site stays apart, template and all.
    let template = at(&index)
        .args(["search", "--no-collapse", "rédaction lettre d'information"])
        .json()["hits"]
        .as_array()
        .unwrap()
        .clone();
    let autre = template.iter().find(|h| h["doc"] == "autre").unwrap();
    assert!(autre["duplicates"].as_array().unwrap().is_empty());
    let text = at(&index).args(["search", "Montataire"]).succeeds();
    assert!(String::from_utf8_lossy(&text.stdout).contains("also published by"));
}

#[test]
fn a_copy_indexed_in_a_later_run_joins_the_story() {
    let dir = TempDir::new().unwrap();
    let original = dir.path().join("communique.txt");
    fs::write(
        &original,
        format!("Première pierre à Montataire\n\n{RELEASE}"),
    )
    .unwrap();
    let copy = dir.path().join("reprise.md");
    fs::write(
        &copy,
        format!("# Montataire lance son chantier\n\n{RELEASE}\n\n{SITE_TEMPLATE}"),
    )
    .unwrap();
    let index = dir.path().join("index");
    at(&index).arg("index").arg(&original).succeeds();
    let printed = printed(at(&index).arg("index").arg(&copy));
    assert!(printed.contains("1 syndicated copy grouped"), "{printed}");
    let found = at(&index).args(["search", "--group", "Montataire"]).json()["articles"].clone();
    let articles = found.as_array().unwrap();
    assert_eq!(articles.len(), 1, "{found:#}");
    let duplicates = &articles[0]["hits"][0]["duplicates"];
    assert_eq!(duplicates.as_array().unwrap().len(), 1, "{found:#}");
}

#[test]
fn a_feed_read_again_adds_only_its_new_items() {
    let dir = TempDir::new().unwrap();
    let feed = dir.path().join("fil.rss");
    let original = fs::read_to_string(fixtures().join("formats/actualites.rss")).unwrap();
    fs::write(&feed, &original).unwrap();
    let index = dir.path().join("index");
    at(&index).arg("index").arg(&feed).succeeds();
    let item = "<item><title>Chauny : douze pavillons en bail réel solidaire</title>\
                <link>https://fil.example/chauny-brs</link><guid>chauny-brs-2024</guid>\
                <pubDate>Mon, 15 Apr 2024 09:00:00 +0200</pubDate>\
                <description>Douze pavillons en bail réel solidaire seront commercialisés \
                à Chauny par l'organisme foncier solidaire départemental.</description></item>";
    fs::write(
        &feed,
        original.replacen("<item>", &format!("{item}<item>"), 1),
    )
    .unwrap();
    let stderr = printed(at(&index).arg("index").arg(&feed));
    assert!(
        stderr.contains("added 1, updated 0, unchanged 3"),
        "{stderr}"
    );
    let found = hits(&index, "Chauny");
    assert_eq!(found[0]["date"], "2024-04-15");
    assert_eq!(found[0]["date_source"], "metadata");
    assert_eq!(found[0]["url"], "https://fil.example/chauny-brs");
}

#[test]
fn json_lines_dates_in_the_forms_people_write() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("articles.jsonl");
    fs::write(
        &file,
        concat!(
            r#"{"id": "a", "date": "17/03/2025", "text": "Livraison de logements à Laon."}"#,
            "\n",
            r#"{"id": "b", "date": "1er février 2023", "text": "Démolition à Tergnier."}"#,
            "\n",
            r#"{"id": "c", "date": "au printemps", "text": "Réhabilitation à Hirson."}"#,
            "\n",
        ),
    )
    .unwrap();
    let index = dir.path().join("index");
    let stderr = printed(at(&index).arg("index").arg(&file));
    assert!(
        stderr.contains("articles.jsonl:3: date \"au printemps\" not understood"),
        "{stderr}"
    );
    let docs = at(&index).arg("docs").json()["articles"].clone();
    let dates: Vec<(&str, &Value, &Value)> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["doc"].as_str().unwrap(), &d["date"], &d["date_source"]))
        .collect();
    assert_eq!(
        dates,
        [
            ("a", &Value::from("2025-03-17"), &Value::from("given")),
            ("b", &Value::from("2023-02-01"), &Value::from("given")),
            ("c", &Value::Null, &Value::Null),
        ]
    );
    // The year filter and the date sort use these dates.
    let in_2025 = at(&index)
        .args(["search", "--year", "2025", "logements"])
        .json()["hits"]
        .clone();
    assert_eq!(in_2025.as_array().unwrap().len(), 1);
}
