//! The README's JSON reference against real output: every `json` block of
//! the README is marked with the command it shows (`<!-- json: docs -->`),
//! and has the fields that command writes, no more and no fewer, with the
//! same kinds of values, down to the elements of lists (the first element
//! of the README's list against an element of the output with the same
//! fields, when fields are there only for some values).

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::binary::{logis, seeds, Succeeds};
use crate::support::server::{seeded_index, Server};

/// The commands the README shows, by the mark of their block.
const COMMANDS: &[(&str, &[&str])] = &[
    ("operations", &["operations", "Quai des Roses"]),
    ("search", &["search", "PSLA Compiègne"]),
    ("search --group", &["search", "PSLA Compiègne", "--group"]),
    ("docs", &["docs"]),
    ("facets commune", &["facets", "commune"]),
    ("facets departement", &["facets", "departement"]),
    ("facets organisation", &["facets", "organisation"]),
    ("check", &["check"]),
];

/// The README's JSON blocks, by mark.
fn readme_blocks() -> Vec<(String, Value)> {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut blocks = Vec::new();
    let mut mark: Option<String> = None;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.trim().strip_prefix("<!-- json:") {
            mark = Some(rest.trim_end_matches("-->").trim().to_string());
        } else if line.trim() == "```json" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            let name = mark
                .take()
                .expect("every json block of the README is marked");
            let value = serde_json::from_str(&body.join("\n"))
                .unwrap_or_else(|e| panic!("README block `{name}` is not JSON: {e}"));
            blocks.push((name, value));
        } else if !line.trim().is_empty() {
            mark = None;
        }
    }
    blocks
}

/// Where `documented` and `real` differ in shape: fields on one side only,
/// or values of different kinds (`null` stands for any value).
fn shape_differences(documented: &Value, real: &Value, path: &str, out: &mut Vec<String>) {
    match (documented, real) {
        (Value::Object(d), Value::Object(r)) => {
            for key in d.keys().filter(|k| !r.contains_key(*k)) {
                out.push(format!("{path}.{key}: in the README, not in the output"));
            }
            for key in r.keys().filter(|k| !d.contains_key(*k)) {
                out.push(format!("{path}.{key}: in the output, not in the README"));
            }
            for (key, value) in d {
                if let Some(other) = r.get(key) {
                    shape_differences(value, other, &format!("{path}.{key}"), out);
                }
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            let Some(d) = d.first() else { return };
            let same_fields = |r: &&Value| match (d, r) {
                (Value::Object(d), Value::Object(r)) => {
                    d.len() == r.len() && d.keys().all(|k| r.contains_key(k))
                }
                _ => true,
            };
            if let Some(r) = r.iter().find(same_fields).or(r.first()) {
                shape_differences(d, r, &format!("{path}[0]"), out);
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (d, r) if std::mem::discriminant(d) != std::mem::discriminant(r) => {
            out.push(format!("{path}: README has {d}, the output {r}"));
        }
        _ => {}
    }
}

#[test]
fn the_json_reference_matches_real_output() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    logis()
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg(seeds())
        .succeeds();
    let blocks: Vec<(String, Value)> = readme_blocks()
        .into_iter()
        .filter(|(mark, _)| !mark.starts_with("GET "))
        .collect();
    let marks: Vec<&str> = blocks.iter().map(|(mark, _)| mark.as_str()).collect();
    let expected: Vec<&str> = COMMANDS.iter().map(|(mark, _)| *mark).collect();
    assert_eq!(marks, expected, "the README's JSON blocks");
    let mut differences = Vec::new();
    for ((mark, documented), (_, args)) in blocks.iter().zip(COMMANDS) {
        let real = logis().arg("--index").arg(&index).args(*args).json();
        assert_eq!(
            real["schema_version"],
            logis::output::wire::JSON_SCHEMA_VERSION,
            "{mark}"
        );
        shape_differences(documented, &real, mark, &mut differences);
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_api_examples_match_real_answers() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let id = server.json("/api/docs")["articles"][0]["doc"]
        .as_str()
        .unwrap()
        .to_string();
    let blocks: Vec<(String, Value)> = readme_blocks()
        .into_iter()
        .filter(|(mark, _)| mark.starts_with("GET "))
        .collect();
    assert!(blocks.len() >= 3, "the README shows the API");
    let mut differences = Vec::new();
    for (mark, documented) in &blocks {
        let path = mark
            .trim_start_matches("GET ")
            .replace("{id}", &id)
            .replace('è', "%C3%A8");
        let real = server.get(&path).json();
        shape_differences(documented, &real, mark, &mut differences);
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn shape_differences_are_found() {
    let documented: Value = serde_json::json!({"a": 1, "b": [{"c": "x"}], "d": null});
    let same: Value = serde_json::json!({"a": 2, "b": [{"c": "y"}, {}], "d": [1]});
    let mut out = Vec::new();
    shape_differences(&documented, &same, "doc", &mut out);
    assert!(out.is_empty(), "{out:?}");
    let other: Value = serde_json::json!({"a": "1", "b": [{"e": 1}]});
    shape_differences(&documented, &other, "doc", &mut out);
    assert_eq!(out.len(), 4, "{out:?}");
    // A list element with the documented fields is found among others.
    let optional: Value = serde_json::json!({"a": 3, "b": [{}, {"c": "z"}], "d": null});
    out.clear();
    shape_differences(&documented, &optional, "doc", &mut out);
    assert!(out.is_empty(), "{out:?}");
}
