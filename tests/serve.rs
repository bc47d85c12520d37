//! `logis serve` over real HTTP on an ephemeral port: every endpoint with
//! its JSON shape, every error status, the security headers, no path to
//! traverse, a commit picked up without a restart, and the OpenAPI document
//! against the routes and the answers.

use serde_json::Value;
use tempfile::TempDir;

use crate::support::binary::{logis, Succeeds};
use crate::support::server::{seeded_index, Server};

#[test]
fn search_answers_hits_and_every_facet_distribution() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let json = server.json("/api/search?q=PSLA+Compi%C3%A8gne&limit=3");
    assert_eq!(
        json["schema_version"],
        logis::output::wire::JSON_SCHEMA_VERSION
    );
    let hits = json["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    assert!(hits[0]["text"].as_str().unwrap().contains("Quai des Roses"));
    let facets = json["facets"].as_object().unwrap();
    let fields: Vec<&str> = facets.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "commune",
            "departement",
            "organisation",
            "product",
            "programme",
            "region",
            "year"
        ]
    );
    // The same hits as `logis search --json`: one contract.
    let cli = logis()
        .arg("--index")
        .arg(&index)
        .args(["search", "PSLA Compiègne", "--limit", "3"])
        .json();
    assert_eq!(cli["hits"].as_array().unwrap().len(), hits.len());
    for (a, b) in cli["hits"].as_array().unwrap().iter().zip(hits) {
        assert_eq!((&a["doc"], &a["passage"]), (&b["doc"], &b["passage"]));
        assert_eq!(a["highlights"], b["highlights"]);
    }

    // A filter: disjunctive within its field, the selected value marked,
    // and a département placed under its région for the page's tree.
    let filtered = server.json("/api/search?q=logements&commune=Compi%C3%A8gne&facets=100");
    let communes = filtered["facets"]["commune"]["counts"].as_array().unwrap();
    let selected: Vec<&str> = communes
        .iter()
        .filter(|c| c["selected"] == true)
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(selected, ["Compiègne"]);
    assert!(
        communes.len() > 1,
        "other communes stay countable: {communes:?}"
    );
    assert!(filtered["facets"]["commune"]["disjunctive"] == true);
    let oise = filtered["facets"]["departement"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "60")
        .expect("the Oise");
    assert_eq!(oise["region_code"], "32");
    for hit in filtered["hits"].as_array().unwrap() {
        assert!(hit["doc"].as_str().unwrap().starts_with("003"), "{hit}");
    }

    // Pages: the second page starts where the first ends.
    let first = server.json("/api/search?q=logements&limit=4&per_doc=0&facets=0");
    let second = server.json("/api/search?q=logements&limit=2&offset=2&per_doc=0&facets=0");
    assert!(first.get("facets").is_none());
    let key = |h: &Value| format!("{}#{}", h["doc"], h["passage"]);
    let first: Vec<String> = first["hits"].as_array().unwrap().iter().map(key).collect();
    let second: Vec<String> = second["hits"].as_array().unwrap().iter().map(key).collect();
    assert_eq!(first[2..], second[..]);

    // Nothing asked: no hits, the counts of the whole index.
    let browse = server.json("/api/search");
    assert_eq!(browse["hits"].as_array().unwrap().len(), 0);
    assert!(!browse["facets"]["region"]["counts"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn facets_docs_articles_and_health() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let facets = server.json("/api/facets/departement?q=logements&count=passages&limit=3");
    assert_eq!(facets["field"], "departement");
    assert_eq!(facets["counted"], "passages");
    assert!(facets["counts"].as_array().unwrap().len() <= 3);

    let docs = server.json("/api/docs");
    let articles = docs["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 7);

    // An article whole: every passage in order, the query's words marked.
    let id = articles
        .iter()
        .find(|a| a["doc"].as_str().unwrap().starts_with("003"))
        .unwrap()["doc"]
        .as_str()
        .unwrap()
        .to_string();
    let view = server.json(&format!("/api/articles/{id}?q=PSLA"));
    assert_eq!(view["article"]["doc"], id.as_str());
    let passages = view["passages"].as_array().unwrap();
    let ordinals: Vec<u64> = passages
        .iter()
        .map(|p| p["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(ordinals, (0..passages.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        passages.len() as u64,
        view["article"]["passages"].as_u64().unwrap()
    );
    let marked: Vec<&Value> = passages
        .iter()
        .filter(|p| !p["highlights"].as_array().unwrap().is_empty())
        .collect();
    assert!(!marked.is_empty());
    for p in marked {
        let text = p["text"].as_str().unwrap();
        for range in p["highlights"].as_array().unwrap() {
            let (s, e) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            assert!(
                text[s..e].eq_ignore_ascii_case("psla") || text[s..e].contains("ccession"),
                "{}",
                &text[s..e]
            );
        }
    }
    let health = server.json("/api/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], 7);
}

#[test]
fn exports_stream_every_matching_passage() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let total = server.json("/api/search?q=logements&facets=0")["total"]
        .as_u64()
        .unwrap() as usize;
    assert!(total > 20, "enough passages to page: {total}");

    let csv = server.get("/api/export?q=logements&format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    let text = csv.text();
    assert!(text.starts_with('\u{feff}'), "a BOM for spreadsheets");
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(rows.records().count(), total);

    let jsonl = server.get("/api/export?q=logements&format=jsonl&commune=Compi%C3%A8gne");
    assert_eq!(jsonl.status, 200);
    let lines: Vec<Value> = jsonl
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert!(lines
        .iter()
        .all(|h| h["doc"].as_str().unwrap().starts_with("003")));

    // A bad request is an error before anything is streamed.
    let bad = server.get("/api/export?q=logements&format=xlsx");
    assert_eq!(
        (bad.status, bad.error_code().as_str()),
        (400, "bad_parameter")
    );
}

#[test]
fn errors_are_json_with_the_right_status_never_500() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let cases: &[(&str, u16, &str)] = &[
        ("/api/search?q=logement&limit=0", 400, "bad_parameter"),
        ("/api/search?q=logement&limit=abc", 400, "bad_parameter"),
        ("/api/search?q=logement&colour=red", 400, "bad_parameter"),
        ("/api/search?q=a&q=b", 400, "bad_parameter"),
        ("/api/search?q=logement&sort=popular", 400, "bad_parameter"),
        ("/api/search?q=logement&year=demain", 400, "bad_parameter"),
        (
            "/api/search?q=logement&commune=Vierzonn",
            400,
            "unknown_value",
        ),
        ("/api/search?q=-logement", 400, "only_exclusions"),
        ("/api/search?q=logement&offset=100000", 400, "bad_parameter"),
        ("/api/search?q=logement+colour:red", 400, "unknown_field"),
        ("/api/facets/colour", 404, "unknown_field"),
        ("/api/facets/%FF", 404, "unknown_field"),
        ("/api/articles/%FF", 404, "not_found"),
        ("/api/openapi.json?x=1", 400, "bad_parameter"),
        ("/api", 404, "not_found"),
        ("/api/", 404, "not_found"),
        ("/api/articles/nothing-by-this-id", 404, "not_found"),
        ("/api/nothing", 404, "not_found"),
        ("/api/docs?limit=3", 400, "bad_parameter"),
    ];
    for (path, status, code) in cases {
        let response = server.get(path);
        assert_eq!(response.status, *status, "{path}: {}", response.text());
        assert_eq!(response.error_code(), *code, "{path}");
    }
    // An unknown value names the closest known one.
    let message = server.get("/api/search?q=logement&commune=Vierzonn").json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("Vierzon"), "{message}");

    // Too many words for a query; a query string over the limit; a body.
    let words = vec!["logement"; 500].join("+");
    let response = server.get(&format!("/api/search?q={words}"));
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (400, "query_too_long")
    );
    let huge = "x".repeat(20_000);
    let response = server.get(&format!("/api/search?q={huge}"));
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (413, "too_large")
    );
    let response = server.raw(&format!(
        "GET /api/search?q=logement HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        server.address
    ));
    assert_eq!(
        (response.status, response.error_code().as_str()),
        (413, "too_large")
    );
}

#[test]
fn the_page_is_embedded_with_a_strict_policy_and_no_path_to_traverse() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<html lang=\"fr\">"));
    assert!(!page.text().contains("<script>"), "no inline script");
    for path in ["/", "/app.js", "/app.css", "/api/health", "/api/nothing"] {
        let response = server.get(path);
        let policy = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert!(response.header("access-control-allow-origin").is_none());
    }
    assert!(server
        .get("/app.js")
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../Cargo.toml",
        "/src/serve/page/app.js",
        "/index.html",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.text().contains("[package]"), "{path}");
    }
}

#[test]
fn cors_only_for_the_origin_given() {
    let (_dir, index) = seeded_index();
    let server = Server::start_with(&index, &["--cors", "https://intranet.example.fr"]);
    let ask = |origin: &str| {
        server.raw(&format!(
            "GET /api/health HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n",
            server.address
        ))
    };
    assert_eq!(
        ask("https://intranet.example.fr").header("access-control-allow-origin"),
        Some("https://intranet.example.fr")
    );
    assert!(ask("https://elsewhere.example")
        .header("access-control-allow-origin")
        .is_none());
}

#[test]
fn no_index_is_a_503_and_a_page_that_says_so_then_commits_are_picked_up() {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    let server = Server::start(&index);
    for path in ["/api/search?q=logement", "/api/health", "/api/docs"] {
        let response = server.get(path);
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (503, "no_index"),
            "{path}"
        );
    }
    assert_eq!(server.get("/").status, 200);

    // Built while the server runs: served at the next request.
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Livraison de 24 logements à Vierzon.\n",
    )
    .unwrap();
    let index_corpus = || {
        logis()
            .arg("--index")
            .arg(&index)
            .args(["index", "-q"])
            .arg(&corpus)
            .succeeds()
    };
    index_corpus();
    assert_eq!(server.json("/api/search?q=Vierzon&facets=0")["total"], 1);

    // A commit adding an article: seen without a restart.
    std::fs::write(
        corpus.join("b.txt"),
        "Première pierre de 12 logements à Vierzon.\n",
    )
    .unwrap();
    index_corpus();
    assert_eq!(server.json("/api/search?q=Vierzon&facets=0")["total"], 2);
    assert_eq!(server.json("/api/health")["articles"], 2);
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let dir = TempDir::new().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let out = logis()
        .arg("--index")
        .arg(dir.path().join("index"))
        .args(["serve", "--bind", &address])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cannot listen on") && stderr.contains("--bind"),
        "{stderr}"
    );
}

/// Where `value` breaks `schema` (a subset of JSON Schema, as the OpenAPI
/// document uses it: `$ref`, `type`, `nullable`, `enum`, `properties`,
/// `required`, `additionalProperties`, `items`, `oneOf`).
fn schema_errors(spec: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return schema_errors(spec, &spec["components"]["schemas"][name], value, path, out);
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = options.iter().any(|o| {
            let mut errors = Vec::new();
            schema_errors(spec, o, value, path, &mut errors);
            errors.is_empty()
        });
        let null_allowed = value.is_null() && schema["nullable"] == true;
        if !fits && !null_allowed {
            out.push(format!("{path}: fits none of oneOf"));
        }
        return;
    }
    if value.is_null() {
        if schema["nullable"] != true && schema["type"] != "null" {
            out.push(format!("{path}: null, not nullable"));
        }
        return;
    }
    let kind = match value {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    };
    if let Some(expected) = schema["type"].as_str() {
        if expected != kind && !(expected == "number" && kind == "integer") {
            out.push(format!("{path}: {kind}, the spec says {expected}"));
            return;
        }
    }
    if let Some(choices) = schema["enum"].as_array() {
        if !choices.contains(value) {
            out.push(format!("{path}: {value} not in {choices:?}"));
        }
    }
    match value {
        Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    out.push(format!("{path}.{name}: required, missing"));
                }
            }
            let properties = schema["properties"].as_object();
            for (name, field) in fields {
                match properties.and_then(|p| p.get(name)) {
                    Some(s) => schema_errors(spec, s, field, &format!("{path}.{name}"), out),
                    None => match &schema["additionalProperties"] {
                        Value::Bool(false) => out.push(format!("{path}.{name}: not in the spec")),
                        Value::Object(_) => schema_errors(
                            spec,
                            &schema["additionalProperties"],
                            field,
                            &format!("{path}.{name}"),
                            out,
                        ),
                        _ => {}
                    },
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                schema_errors(spec, &schema["items"], item, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_openapi_document_describes_the_routes_and_their_answers() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    let spec = server.json("/api/openapi.json");
    let mut documented: Vec<&str> = spec["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    documented.sort_unstable();
    let mut routes = logis::serve::API_ROUTES.to_vec();
    routes.sort_unstable();
    assert_eq!(documented, routes, "the document's paths are the router's");

    let id = server.json("/api/docs")["articles"][0]["doc"]
        .as_str()
        .unwrap()
        .to_string();
    let requests: Vec<(&str, String, u16)> = vec![
        (
            "/api/search",
            "/api/search?q=PSLA+Compi%C3%A8gne".into(),
            200,
        ),
        (
            "/api/search",
            "/api/search?q=logements&group=true&commune=Compi%C3%A8gne".into(),
            200,
        ),
        ("/api/search", "/api/search?q=logemnts+socaux".into(), 200),
        ("/api/search", "/api/search?q=logement&limit=0".into(), 400),
        (
            "/api/search",
            "/api/search?q=logement&commune=Senlis".into(),
            200,
        ),
        (
            "/api/facets/{field}",
            "/api/facets/commune?q=logements".into(),
            200,
        ),
        ("/api/facets/{field}", "/api/facets/year".into(), 200),
        ("/api/facets/{field}", "/api/facets/colour".into(), 404),
        (
            "/api/operations",
            "/api/operations?q=Quai+des+Roses".into(),
            200,
        ),
        (
            "/api/operations",
            "/api/operations?group_by=departement&sum=PSLA".into(),
            200,
        ),
        ("/api/operations", "/api/operations?kind=castle".into(), 400),
        ("/api/docs", "/api/docs".into(), 200),
        (
            "/api/articles/{id}",
            format!("/api/articles/{id}?q=logement"),
            200,
        ),
        ("/api/articles/{id}", "/api/articles/none".into(), 404),
        ("/api/health", "/api/health".into(), 200),
        ("/api/openapi.json", "/api/openapi.json".into(), 200),
    ];
    let mut errors = Vec::new();
    for (route, path, status) in requests {
        let response = server.get(&path);
        assert_eq!(response.status, status, "{path}: {}", response.text());
        let documented = &spec["paths"][route]["get"]["responses"][status.to_string()];
        assert!(documented.is_object(), "{route} does not document {status}");
        let schema = &documented["content"]["application/json"]["schema"];
        if route != "/api/openapi.json" {
            schema_errors(&spec, schema, &response.json(), &path, &mut errors);
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_schema_check_finds_differences() {
    let spec = serde_json::json!({"components": {"schemas": {"A": {
        "type": "object", "required": ["n"], "additionalProperties": false,
        "properties": {"n": {"type": "integer"}, "s": {"type": "string", "nullable": true}}
    }}}});
    let schema = serde_json::json!({"$ref": "#/components/schemas/A"});
    let mut out = Vec::new();
    schema_errors(
        &spec,
        &schema,
        &serde_json::json!({"n": 1, "s": null}),
        "x",
        &mut out,
    );
    assert!(out.is_empty(), "{out:?}");
    schema_errors(
        &spec,
        &schema,
        &serde_json::json!({"s": 2, "t": 1}),
        "x",
        &mut out,
    );
    assert_eq!(out.len(), 3, "{out:?}");
}

#[test]
fn a_damaged_index_is_a_503_never_a_crash() {
    let (_dir, index) = seeded_index();
    // Every stored-passage file cut in half.
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "store") {
            let length = std::fs::metadata(&path).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(length / 2)
                .unwrap();
        }
    }
    let server = Server::start(&index);
    for path in [
        "/api/search?q=logements",
        "/api/docs",
        "/api/export?q=logements",
    ] {
        let response = server.get(path);
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (503, "damaged_index"),
            "{path}: {}",
            response.text()
        );
        assert!(response.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("damaged"));
    }
    // The server is still up, and the page still loads.
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/api/openapi.json").status, 200);
}

#[test]
fn another_address_than_the_loopback_is_warned_about() {
    let dir = TempDir::new().unwrap();
    let mut child = logis()
        .arg("--index")
        .arg(dir.path().join("index"))
        .args(["serve", "--bind", "0.0.0.0:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(line.contains("http://0.0.0.0:"), "{line}");
    assert!(stderr.contains("readable by the network"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let (_dir, index) = seeded_index();
    let server = Server::start(&index);
    assert_eq!(server.get("/api/health").status, 200);
    let status = server.terminate();
    assert!(status.success(), "{status}");
}
