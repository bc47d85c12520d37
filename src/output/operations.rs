//! `logis operations` on the terminal, as JSON and as tables: one shape of
//! an operation ([`OperationJson`]) serves JSON, JSON Lines and the CSV
//! columns, and one of a group ([`GroupsJson`]).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::table::{Table, TableWriter};
use super::wire::JSON_SCHEMA_VERSION;
use crate::extract::operations::Milestone;
use crate::facets::Commune;
use crate::search::operations::{Evidence, FoundOperation, GroupRow, Grouping};

/// The JSON of `logis operations`.
#[derive(Serialize)]
pub struct OperationsJson<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Operations found.
    pub total: usize,
    /// The operations, in index order.
    pub operations: Vec<OperationJson<'a>>,
}

/// One operation, as the README documents it.
#[derive(Serialize)]
pub struct OperationJson<'a> {
    id: &'a str,
    doc: &'a str,
    passages: &'a [u32],
    commune: Option<CommuneJson<'a>>,
    site: Option<&'a str>,
    organisations: &'a [String],
    kind: &'static str,
    dwellings: Option<u64>,
    dwellings_derived: bool,
    /// In the order of the text.
    by_product: Map<String, Value>,
    products_differ: bool,
    surface_m2: Option<u64>,
    milestone: Option<&'a Milestone>,
    cost_eur: Option<u64>,
    same_as: &'a [String],
    evidence: &'a [Evidence],
}

#[derive(Serialize)]
struct CommuneJson<'a> {
    name: &'a str,
    insee: &'a str,
    departement: &'a str,
    region: &'a str,
}

impl<'a> OperationJson<'a> {
    /// The JSON shape of a found operation.
    pub fn new(found: &'a FoundOperation) -> OperationJson<'a> {
        let op = &found.operation;
        OperationJson {
            id: &found.id,
            doc: &found.doc,
            passages: &op.passages,
            commune: op.commune.as_ref().map(|c: &Commune| CommuneJson {
                name: &c.name,
                insee: &c.insee,
                departement: &c.departement.code,
                region: &c.region.code,
            }),
            site: op.site.as_deref(),
            organisations: &op.organisations,
            kind: op.kind.name(),
            dwellings: op.dwellings,
            dwellings_derived: op.dwellings_derived,
            by_product: op
                .by_product
                .iter()
                .map(|(p, n)| (p.clone(), Value::from(*n)))
                .collect(),
            products_differ: op.products_differ,
            surface_m2: op.surface_m2,
            milestone: op.milestone.as_ref(),
            cost_eur: op.cost_eur,
            same_as: &found.same_as,
            evidence: &found.evidence,
        }
    }
}

impl<'a> OperationsJson<'a> {
    /// The document of `found`.
    pub fn new(found: &'a [FoundOperation]) -> OperationsJson<'a> {
        OperationsJson {
            schema_version: JSON_SCHEMA_VERSION,
            total: found.len(),
            operations: found.iter().map(OperationJson::new).collect(),
        }
    }
}

/// The JSON of `logis operations --group-by`.
#[derive(Serialize)]
pub struct GroupsJson<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    schema_version: u32,
    /// What the rows are grouped by.
    group_by: &'static str,
    /// What they sum (`count` when only counting).
    sum: &'a str,
    /// Operations found (before linked reports are counted once).
    total: usize,
    /// The rows.
    groups: &'a [GroupRow],
}

impl<'a> GroupsJson<'a> {
    /// The document of the rows of `grouping` over `total` operations.
    pub fn new(grouping: &'a Grouping, total: usize, groups: &'a [GroupRow]) -> GroupsJson<'a> {
        GroupsJson {
            schema_version: JSON_SCHEMA_VERSION,
            group_by: grouping.by.name(),
            sum: grouping.sum.name(),
            total,
            groups,
        }
    }
}

const COLUMNS: &[&str] = &[
    "id",
    "doc",
    "passages",
    "commune",
    "insee",
    "departement",
    "region",
    "site",
    "organisations",
    "kind",
    "dwellings",
    "dwellings_derived",
    "by_product",
    "products_differ",
    "surface_m2",
    "milestone",
    "milestone_year",
    "milestone_month",
    "cost_eur",
    "same_as",
    "evidence",
];

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Operations as CSV or TSV, one row each.
pub fn table(found: &[FoundOperation], table: Table, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = TableWriter::new(table, out, COLUMNS)?;
    for f in found {
        let op = &f.operation;
        let c = op.commune.as_ref();
        let m = op.milestone.as_ref();
        writer.row([
            f.id.clone(),
            f.doc.clone(),
            join(op.passages.iter()),
            opt(c.map(|c| &c.name)),
            opt(c.map(|c| &c.insee)),
            opt(c.map(|c| &c.departement.code)),
            opt(c.map(|c| &c.region.code)),
            opt(op.site.as_ref()),
            op.organisations.join("; "),
            op.kind.name().to_string(),
            opt(op.dwellings),
            op.dwellings_derived.to_string(),
            join(op.by_product.iter().map(|(p, n)| format!("{p} {n}"))),
            op.products_differ.to_string(),
            opt(op.surface_m2),
            opt(m.map(|m| m.kind.name())),
            opt(m.and_then(|m| m.year)),
            opt(m.and_then(|m| m.month)),
            opt(op.cost_eur),
            f.same_as.join("; "),
            f.evidence
                .first()
                .map(|e| e.text.replace('\n', " "))
                .unwrap_or_default(),
        ])?;
    }
    writer.flush()
}

/// Groups as CSV or TSV.
pub fn groups_table(rows: &[GroupRow], table: Table, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = TableWriter::new(table, out, &["group", "code", "operations", "sum", "ids"])?;
    for r in rows {
        writer.row([
            r.group.clone(),
            opt(r.code.as_ref()),
            r.operations.to_string(),
            opt(r.sum),
            r.ids.join("; "),
        ])?;
    }
    writer.flush()
}

fn join<T: ToString>(values: impl Iterator<Item = T>) -> String {
    values.map(|v| v.to_string()).collect::<Vec<_>>().join("; ")
}

/// Operations for people: one block each.
pub fn text(found: &[FoundOperation], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} operation(s)", found.len())?;
    for f in found {
        let op = &f.operation;
        let place = op
            .commune
            .as_ref()
            .map(|c| format!("{} ({})", c.name, c.departement.code))
            .unwrap_or_else(|| "(no commune)".to_string());
        let site = op
            .site
            .as_deref()
            .map(|s| format!(", {s}"))
            .unwrap_or_default();
        writeln!(out, "\n{place}{site} — {}  [{}]", op.kind.name(), f.id)?;
        let mut figures = Vec::new();
        if let Some(d) = op.dwellings {
            let derived = if op.dwellings_derived {
                " (sum of products)"
            } else {
                ""
            };
            figures.push(format!("{d} dwellings{derived}"));
        }
        if !op.by_product.is_empty() {
            let products = join(op.by_product.iter().map(|(p, n)| format!("{n} {p}")));
            let differ = if op.products_differ {
                ", not the total"
            } else {
                ""
            };
            figures.push(format!("{products}{differ}"));
        }
        if let Some(s) = op.surface_m2 {
            figures.push(format!("{s} m²"));
        }
        if let Some(c) = op.cost_eur {
            figures.push(format!("{c} €"));
        }
        if let Some(m) = &op.milestone {
            let when = match (m.month, m.year) {
                (Some(month), Some(year)) => format!(" {month:02}/{year}"),
                (None, Some(year)) => format!(" {year}"),
                _ => String::new(),
            };
            figures.push(format!("{}{when}", m.kind.name()));
        }
        writeln!(out, "  {}", figures.join(" · "))?;
        if !op.organisations.is_empty() {
            writeln!(out, "  by {}", op.organisations.join(", "))?;
        }
        if !f.same_as.is_empty() {
            writeln!(out, "  same as {}", f.same_as.join(", "))?;
        }
    }
    Ok(())
}

/// Groups for people: a line each.
pub fn groups_text(rows: &[GroupRow], out: &mut dyn Write) -> io::Result<()> {
    for r in rows {
        let sum = opt(r.sum);
        let code = r
            .code
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>10}  {:>4} op.  {}{code}",
            sum, r.operations, r.group
        )?;
    }
    Ok(())
}
