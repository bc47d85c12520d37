//! A user's query in SQLite FTS5 syntax, for the FTS5 baselines of the
//! relevance and benchmark reports.

/// The terms of `query` in FTS5 syntax: `"phrases"` kept, other words quoted
/// one by one (so that `-`, `'` or `:` are never operators). Join them with
/// spaces (AND) or ` OR `.
pub fn fts5_terms(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        let tokens: Vec<&str> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        if i % 2 == 1 && !tokens.is_empty() {
            out.push(format!("\"{}\"", tokens.join(" ")));
        } else {
            out.extend(tokens.iter().map(|t| format!("\"{t}\"")));
        }
    }
    out
}
