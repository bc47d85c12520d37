//! Rendering results as text for people and as JSON for scripts. The JSON
//! shapes are documented in the README and kept stable.

use std::io::{self, Write};

use serde::Serialize;

use crate::facets::{Commune, FacetField};
use crate::index::check::CheckReport;
use crate::index::{ArticleRecord, IndexReport};
use crate::search::counts::FacetCounts;
use crate::search::{Hit, SearchResults};

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn mark(&self, text: &str) -> String {
        self.paint("1;33", text)
    }
}

#[derive(Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    total: usize,
    total_any: usize,
    took_ms: f64,
    did_you_mean: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<Vec<HitJson<'a>>>,
    /// With `--group`, instead of `hits`.
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<Vec<ArticleHitsJson<'a>>>,
}

#[derive(Serialize)]
struct ArticleHitsJson<'a> {
    doc: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    year: Option<i64>,
    /// The score of its best passage.
    score: f32,
    hits: Vec<HitJson<'a>>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    doc: &'a str,
    passage: u64,
    score: f32,
    all_words: bool,
    fuzzy: bool,
    title: Option<&'a str>,
    heading: Option<&'a str>,
    date: Option<&'a str>,
    year: Option<i64>,
    years: &'a [i64],
    organisations: &'a [String],
    communes: &'a [Commune],
    programmes: &'a [String],
    products: &'a [String],
    text: &'a str,
    snippet: &'a str,
    snippet_highlights: &'a [(usize, usize)],
    highlights: &'a [(usize, usize)],
}

/// Writes search results as one JSON object.
pub fn search_json<'a>(results: &'a SearchResults, out: &mut dyn Write) -> io::Result<()> {
    let hit_json = |h: &'a Hit| HitJson {
        doc: &h.doc,
        passage: h.passage,
        score: h.score,
        all_words: h.all_words,
        fuzzy: h.fuzzy,
        title: h.title.as_deref(),
        heading: h.heading.as_deref(),
        date: h.date.as_deref(),
        year: h.year,
        years: &h.years,
        organisations: &h.organisations,
        communes: &h.communes,
        programmes: &h.programmes,
        products: &h.products,
        text: &h.text,
        snippet: &h.snippet.text,
        snippet_highlights: &h.snippet.highlights,
        highlights: &h.highlights,
    };
    let (hits, articles) = if results.grouped {
        let articles = by_article(&results.hits)
            .into_iter()
            .map(|hits| ArticleHitsJson {
                doc: &hits[0].doc,
                title: hits[0].title.as_deref(),
                date: hits[0].date.as_deref(),
                year: hits[0].year,
                score: hits[0].score,
                hits: hits.into_iter().map(hit_json).collect(),
            })
            .collect();
        (None, Some(articles))
    } else {
        (Some(results.hits.iter().map(hit_json).collect()), None)
    };
    let json = SearchJson {
        query: &results.query,
        total: results.total,
        total_any: results.total_any,
        took_ms: (results.took_ms * 1000.0).round() / 1000.0,
        did_you_mean: results.did_you_mean.as_deref(),
        hits,
        articles,
    };
    write_json(&json, out)
}

/// Contiguous runs of hits of the same article.
fn by_article(hits: &[Hit]) -> Vec<Vec<&Hit>> {
    let mut groups: Vec<Vec<&Hit>> = Vec::new();
    for hit in hits {
        match groups.last_mut() {
            Some(group) if group[0].doc == hit.doc => group.push(hit),
            _ => groups.push(vec![hit]),
        }
    }
    groups
}

/// Writes search results for a person: one block per passage, or per
/// article with its passages when grouped.
pub fn search_text(results: &SearchResults, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if let Some(corrected) = &results.did_you_mean {
        writeln!(out, "did you mean: {corrected}? (its results are marked ~)")?;
    }
    if results.hits.is_empty() {
        writeln!(out, "no passage matches {:?}", results.query)?;
        return Ok(());
    }
    let partial = results.hits.iter().filter(|h| !h.all_words).count();
    let mut summary = format!(
        "{} passage(s) hold every word, {} at least one; showing {} ({:.1} ms)",
        results.total,
        results.total_any,
        results.hits.len(),
        results.took_ms
    );
    if partial > 0 {
        summary.push_str(&format!(", {partial} with only some words"));
    }
    writeln!(out, "{}", style.dim(&summary))?;
    if results.grouped {
        for (rank, hits) in by_article(&results.hits).into_iter().enumerate() {
            writeln!(out)?;
            let first = hits[0];
            let mut header = format!("{:>2}. {}", rank + 1, style.bold(&first.doc));
            if let Some(when) = first
                .date
                .as_deref()
                .map(str::to_string)
                .or(first.year.map(|y| y.to_string()))
            {
                header.push_str(&format!("  {when}"));
            }
            writeln!(out, "{header}")?;
            if let Some(title) = &first.title {
                writeln!(out, "    {}", style.dim(title))?;
            }
            for hit in hits {
                write_passage(hit, &format!("    §{}", hit.passage), style, out)?;
            }
        }
        return Ok(());
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        let mut header = format!("{:>2}. {} §{}", rank + 1, style.bold(&hit.doc), hit.passage);
        if let Some(year) = hit.year {
            header.push_str(&format!("  {year}"));
        }
        writeln!(out, "{header}")?;
        if let Some(title) = &hit.title {
            writeln!(out, "    {}", style.dim(title))?;
        }
        write_passage(hit, "", style, out)?;
    }
    Ok(())
}

/// The score line (when `label` is given), snippet and facets of a hit.
fn write_passage(hit: &Hit, label: &str, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let marks = format!(
        "{}score {:.2}",
        if hit.fuzzy { "~ " } else { "" },
        hit.score
    );
    if label.is_empty() {
        writeln!(out, "    {}", style.dim(&marks))?;
    } else {
        writeln!(out, "{label}  {}", style.dim(&marks))?;
    }
    writeln!(
        out,
        "    {}",
        highlighted(&hit.snippet.text, &hit.snippet.highlights, style)
    )?;
    let facets = facet_line(
        &hit.organisations,
        &hit.communes,
        &hit.programmes,
        &hit.products,
    );
    if !facets.is_empty() {
        writeln!(out, "    {}", style.dim(&facets))?;
    }
    Ok(())
}

fn highlighted(text: &str, ranges: &[(usize, usize)], style: Style) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for &(start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&style.mark(&text[start..end]));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn commune_label(commune: &Commune) -> String {
    match commune.insee.get(..2) {
        Some(dep) if !commune.insee.is_empty() => format!("{} ({dep})", commune.name),
        _ => commune.name.clone(),
    }
}

fn facet_line(
    organisations: &[String],
    communes: &[Commune],
    programmes: &[String],
    products: &[String],
) -> String {
    let communes: Vec<String> = communes.iter().map(commune_label).collect();
    [
        ("org", organisations.to_vec()),
        ("communes", communes),
        ("programmes", programmes.to_vec()),
        ("products", products.to_vec()),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, values)| format!("{name}: {}", values.join(", ")))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// Writes the report of `logis check` as JSON.
pub fn check_json(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Shown<'a> {
        ok: bool,
        #[serde(flatten)]
        report: &'a CheckReport,
    }
    write_json(
        &Shown {
            ok: report.is_ok(),
            report,
        },
        out,
    )
}

/// Writes the report of `logis check` for a person.
pub fn check_text(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "index     {}", report.path.display())?;
    if let Some(version) = &report.version {
        writeln!(out, "version   {version}")?;
        writeln!(
            out,
            "files     {} segment file(s) in {} segment(s), {:.1} MB, checksums verified",
            grouped(report.files),
            grouped(report.segments),
            report.bytes as f64 / 1e6
        )?;
    }
    if report.is_ok() {
        writeln!(
            out,
            "content   {} passage(s) of {} article(s), all readable",
            grouped(report.passages as usize),
            grouped(report.articles as usize)
        )?;
        writeln!(out, "ok")?;
    }
    for problem in &report.problems {
        writeln!(out, "problem   {problem}")?;
    }
    Ok(())
}

/// Writes the article list as a JSON array.
pub fn docs_json(records: &[ArticleRecord], out: &mut dyn Write) -> io::Result<()> {
    write_json(&records, out)
}

/// Writes the article list for a person: one line per article.
pub fn docs_text(records: &[ArticleRecord], style: Style, out: &mut dyn Write) -> io::Result<()> {
    for r in records {
        let date = r.date.as_deref().unwrap_or("----");
        let title = r.title.as_deref().unwrap_or("(untitled)");
        writeln!(
            out,
            "{}  {date:<10} {:>3} passages  {title}",
            style.bold(&r.doc),
            r.passages
        )?;
        let facets = facet_line(&r.organisations, &r.communes, &r.programmes, &r.products);
        if !facets.is_empty() {
            writeln!(out, "    {}", style.dim(&facets))?;
        }
    }
    writeln!(
        out,
        "{}",
        style.dim(&format!("{} article(s)", records.len()))
    )
}

#[derive(Serialize)]
struct FacetsJson<'a> {
    field: &'a str,
    passages: usize,
    disjunctive: bool,
    counts: Vec<CountJson<'a>>,
}

#[derive(Serialize)]
struct CountJson<'a> {
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    insee: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    departement: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    count: u64,
    articles: u64,
    selected: bool,
}

/// Writes facet counts as one JSON object.
pub fn facets_json(counts: &FacetCounts, limit: usize, out: &mut dyn Write) -> io::Result<()> {
    let communes: Vec<Option<Commune>> = counts
        .counts
        .iter()
        .map(|c| (counts.field == FacetField::Commune).then(|| Commune::from_stored(&c.value)))
        .collect();
    let json = FacetsJson {
        field: counts.field.name(),
        passages: counts.passages,
        disjunctive: counts.disjunctive,
        counts: counts
            .counts
            .iter()
            .zip(&communes)
            .take(limit)
            .map(|(c, commune)| {
                let part =
                    |f: fn(&Commune) -> &str| commune.as_ref().map(f).filter(|s| !s.is_empty());
                CountJson {
                    value: commune
                        .as_ref()
                        .map_or(c.value.as_str(), |m| m.name.as_str()),
                    insee: part(|m| &m.insee),
                    departement: part(|m| &m.departement),
                    region: part(|m| &m.region),
                    count: c.passages,
                    articles: c.articles,
                    selected: c.selected,
                }
            })
            .collect(),
    };
    write_json(&json, out)
}

/// Writes facet counts for a person: one line per value.
pub fn facets_text(
    counts: &FacetCounts,
    limit: usize,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{} over {} passage(s): passages, articles, value",
            counts.field.name(),
            counts.passages
        ))
    )?;
    if counts.counts.is_empty() {
        writeln!(out, "no {} values", counts.field.name())?;
    }
    if counts.disjunctive {
        let note = format!(
            "counts ignore the {} filter (* = selected): they show what each value would give",
            counts.field.name()
        );
        writeln!(out, "{}", style.dim(&note))?;
    }
    for c in counts.counts.iter().take(limit) {
        let label = if counts.field == FacetField::Commune {
            commune_label(&Commune::from_stored(&c.value))
        } else {
            c.value.clone()
        };
        let mark = if c.selected { "*" } else { " " };
        writeln!(out, "{:>7} {:>5} {mark} {label}", c.passages, c.articles)?;
    }
    Ok(())
}

/// The one-line summary of an indexing run.
pub fn index_summary(report: &IndexReport, index: &std::path::Path) -> String {
    let mut out = format!(
        "added {}, updated {}, unchanged {}",
        grouped(report.added),
        grouped(report.updated),
        grouped(report.unchanged)
    );
    if report.removed > 0 {
        out.push_str(&format!(", removed {}", grouped(report.removed)));
    }
    out.push_str(&format!(
        "; {} article(s), {} passage(s) written, {} skipped",
        grouped(report.articles),
        grouped(report.passages),
        grouped(report.skipped),
    ));
    if report.converted > 0 {
        out.push_str(&format!(
            ", {} converted to UTF-8",
            grouped(report.converted)
        ));
    }
    if report.duplicates > 0 {
        out.push_str(&format!(
            ", {} duplicate id(s) replaced",
            grouped(report.duplicates)
        ));
    }
    out.push_str(&format!(
        ", in {:.2} s (facet extraction {:.2} s of CPU) into {}",
        report.seconds,
        report.extraction_seconds,
        index.display()
    ));
    out
}

/// A count with its digits grouped by three, as French writes them: `4 981`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn write_json<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_digits() {
        assert_eq!(grouped(4981), "4 981");
        assert_eq!(grouped(12), "12");
        assert_eq!(grouped(1_000_000), "1 000 000");
    }

    #[test]
    fn highlighting_wraps_ranges_only_with_colour() {
        let text = "6 PLS 16 PSLA";
        assert_eq!(highlighted(text, &[(9, 13)], Style::new(false)), text);
        assert_eq!(
            highlighted(text, &[(2, 5), (9, 13)], Style::new(true)),
            "6 \x1b[1;33mPLS\x1b[0m 16 \x1b[1;33mPSLA\x1b[0m"
        );
    }

    #[test]
    fn commune_labels_show_the_departement() {
        let c = Commune::from_stored("Senlis|60612|Oise|Hauts-de-France");
        assert_eq!(commune_label(&c), "Senlis (60)");
        assert_eq!(commune_label(&Commune::from_stored("Arras")), "Arras");
    }
}
