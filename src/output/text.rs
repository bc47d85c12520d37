//! Text for people: search results, article lists, facet counts, the check
//! report and the indexing summary. Matches, names and notes are styled
//! with ANSI codes (anstyle); the stream they are written to keeps or strips
//! them (the binary writes through anstream, which follows `--color`,
//! `NO_COLOR` and whether the output is a terminal).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::wire::by_article;
use crate::facets::{Commune, FacetValue, Term};
use crate::index::check::CheckReport;
use crate::index::{ArticleRecord, IndexReport};
use crate::search::{FacetCounts, Hit, SearchResults};

/// Names: article ids.
const NAME: Style = Style::new().bold();
/// Notes: counts, scores, titles, facet values.
const NOTE: Style = Style::new().dimmed();
/// Matched words.
const MATCH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));

fn styled(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Writes search results: one block per passage, or per article with its
/// passages when grouped.
pub fn search(results: &SearchResults, out: &mut dyn Write) -> io::Result<()> {
    if let Some(corrected) = &results.did_you_mean {
        writeln!(out, "did you mean: {corrected}? (its results are marked ~)")?;
    }
    if results.hits.is_empty() {
        for absent in &results.absent {
            writeln!(
                out,
                "no article about {} `{}` in this index",
                absent.field.name(),
                absent.given
            )?;
        }
        if results.absent.is_empty() {
            if results.query.trim().is_empty() {
                writeln!(out, "no passage matches these filters")?;
            } else {
                writeln!(out, "no passage matches {:?}", results.query)?;
            }
        }
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
    writeln!(out, "{}", styled(NOTE, &summary))?;
    if results.grouped {
        for (rank, hits) in by_article(&results.hits).into_iter().enumerate() {
            writeln!(out)?;
            let first = hits[0];
            let mut header = format!("{:>2}. {}", rank + 1, styled(NAME, &first.doc));
            if let Some(when) = first
                .date
                .as_deref()
                .map(str::to_string)
                .or(first.year.map(|y| y.to_string()))
            {
                header.push_str(&format!("  {when}"));
            }
            writeln!(out, "{header}")?;
            source_lines(first, out)?;
            for hit in hits {
                passage(hit, &format!("    §{}", hit.passage), out)?;
            }
        }
        return Ok(());
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        let mut header = format!(
            "{:>2}. {} §{}",
            rank + 1,
            styled(NAME, &hit.doc),
            hit.passage
        );
        if let Some(when) = hit.date.clone().or(hit.year.map(|y| y.to_string())) {
            header.push_str(&format!("  {when}"));
        }
        writeln!(out, "{header}")?;
        source_lines(hit, out)?;
        passage(hit, "", out)?;
    }
    Ok(())
}

/// The title and site of a hit's article, and the other sites that
/// published it.
fn source_lines(hit: &Hit, out: &mut dyn Write) -> io::Result<()> {
    let heading = match (&hit.title, &hit.site) {
        (Some(title), Some(site)) => Some(format!("{title} — {site}")),
        (Some(title), None) => Some(title.clone()),
        (None, Some(site)) => Some(site.clone()),
        (None, None) => None,
    };
    if let Some(heading) = heading {
        writeln!(out, "    {}", styled(NOTE, &heading))?;
    }
    if !hit.duplicates.is_empty() {
        let others: Vec<String> = hit
            .duplicates
            .iter()
            .map(|d| {
                let who = d.site.clone().unwrap_or_else(|| d.doc.clone());
                match &d.date {
                    Some(date) => format!("{who} ({date})"),
                    None => who,
                }
            })
            .collect();
        writeln!(
            out,
            "    {}",
            styled(NOTE, &format!("also published by {}", others.join(", ")))
        )?;
    }
    Ok(())
}

/// The score line (after `label`, when given), snippet and facets of a hit.
fn passage(hit: &Hit, label: &str, out: &mut dyn Write) -> io::Result<()> {
    let marks = format!(
        "{}score {:.2}",
        if hit.fuzzy { "~ " } else { "" },
        hit.score
    );
    if label.is_empty() {
        writeln!(out, "    {}", styled(NOTE, &marks))?;
    } else {
        writeln!(out, "{label}  {}", styled(NOTE, &marks))?;
    }
    writeln!(
        out,
        "    {}",
        highlighted(&hit.snippet.text, &hit.snippet.highlights)
    )?;
    let facets = facet_line(
        &hit.organisations,
        &hit.communes,
        &hit.programmes,
        &hit.products,
    );
    if !facets.is_empty() {
        writeln!(out, "    {}", styled(NOTE, &facets))?;
    }
    Ok(())
}

fn highlighted(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 12);
    let mut at = 0;
    for &(start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&styled(MATCH, &text[start..end]));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// A commune as shown: its name and its département's code, `Saint-Denis
/// (974)`.
fn commune_label(commune: &Commune) -> String {
    if commune.departement.code.is_empty() {
        commune.name.clone()
    } else {
        format!("{} ({})", commune.name, commune.departement.code)
    }
}

fn facet_line(
    organisations: &[Term],
    communes: &[Commune],
    programmes: &[Term],
    products: &[Term],
) -> String {
    let names = |terms: &[Term]| terms.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    [
        ("org", names(organisations)),
        ("communes", communes.iter().map(commune_label).collect()),
        ("programmes", names(programmes)),
        ("products", names(products)),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, values)| format!("{name}: {}", values.join(", ")))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// Writes the report of `logis check`.
pub fn check(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
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

/// Writes the article list: one line per article, its facets under it.
pub fn docs(records: &[ArticleRecord], out: &mut dyn Write) -> io::Result<()> {
    for r in records {
        let date = r.date.as_deref().unwrap_or("----");
        let title = r.title.as_deref().unwrap_or("(untitled)");
        writeln!(
            out,
            "{}  {date:<10} {:>3} passages  {title}",
            styled(NAME, &r.doc),
            r.passages
        )?;
        let f = &r.facets;
        let facets = facet_line(&f.organisations, &f.communes, &f.programmes, &f.products);
        if !facets.is_empty() {
            writeln!(out, "    {}", styled(NOTE, &facets))?;
        }
    }
    writeln!(
        out,
        "{}",
        styled(NOTE, &format!("{} article(s)", records.len()))
    )
}

/// Writes facet counts: one line per value, the first `limit`.
pub fn facets(counts: &FacetCounts, limit: usize, out: &mut dyn Write) -> io::Result<()> {
    let field = counts.field.name();
    writeln!(
        out,
        "{}",
        styled(
            NOTE,
            &format!(
                "{field} over {} passage(s): passages, articles, value",
                counts.passages
            )
        )
    )?;
    if counts.counts.is_empty() {
        writeln!(out, "no {field} values")?;
    }
    if counts.disjunctive {
        let note = format!(
            "counts ignore the {field} filter (* = selected): they show what each value would give"
        );
        writeln!(out, "{}", styled(NOTE, &note))?;
    }
    for c in counts.counts.iter().take(limit) {
        let label = match &c.value {
            FacetValue::Commune(commune) => commune_label(commune),
            value => value.name(),
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
    if report.skipped > 0 {
        out.push_str(&format!(" ({})", report.skipped_by));
    }
    if report.copies > 0 {
        out.push_str(&format!(
            ", {} syndicated cop{} grouped",
            grouped(report.copies),
            if report.copies == 1 { "y" } else { "ies" }
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::Area;

    #[test]
    fn counts_group_digits() {
        assert_eq!(grouped(4981), "4 981");
        assert_eq!(grouped(12), "12");
        assert_eq!(grouped(1_000_000), "1 000 000");
    }

    #[test]
    fn highlights_are_styled_and_strip_to_the_text() {
        let text = "6 PLS 16 PSLA";
        let styled = highlighted(text, &[(2, 5), (9, 13)]);
        assert_eq!(
            styled,
            "6 \x1b[1m\x1b[33mPLS\x1b[0m 16 \x1b[1m\x1b[33mPSLA\x1b[0m"
        );
        assert_eq!(anstream::adapter::strip_str(&styled).to_string(), text);
    }

    #[test]
    fn commune_labels_show_the_departement_code() {
        let commune = |insee: &str, code: &str| Commune {
            name: "Saint-Denis".into(),
            insee: insee.into(),
            departement: Area {
                code: code.into(),
                name: String::new(),
            },
            region: Area::default(),
        };
        assert_eq!(commune_label(&commune("97411", "974")), "Saint-Denis (974)");
        assert_eq!(commune_label(&commune("93066", "93")), "Saint-Denis (93)");
        assert_eq!(commune_label(&commune("", "")), "Saint-Denis");
    }
}
