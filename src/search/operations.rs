//! Housing operations found by a query: the operations stored with the
//! passages matching it ([`crate::extract::operations`]), filtered by
//! their own place, organisation, product, kind and milestone, linked
//! across articles, and summed by group.
//!
//! Filters on places, organisations and products look at the operation
//! itself (an operation in Compiègne, not a passage of an article that also
//! names Compiègne); programme and year filters at its passage and article,
//! as for a search.
//!
//! Reports of one operation (a syndicated copy; an announcement, then the
//! first stone, then the delivery) are linked across the whole index, not
//! only among the reports a query finds: an operation stands at its most
//! advanced report, so kind and milestone filters look at that report (an
//! operation delivered since is no longer at its first stone).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, TantivyDocument, Term};

use super::filters::{Filters, YearRange};
use super::{first_text, ArticleIds, Engine};
use crate::analysis::facet_key;
use crate::error::{Error, Result};
use crate::extract::operations::{Kind, LinkKeys, MilestoneKind, Operation};
use crate::facets::FacetField;

/// What `logis operations` asks for.
#[derive(Debug, Clone, Default)]
pub struct OperationsRequest {
    /// Words the operation's passage must hold (all of them); empty: all.
    pub query: String,
    /// Facet filters (see the module doc for what each looks at).
    pub filters: Filters,
    /// Only these kinds (any of them); empty: all.
    pub kinds: Vec<Kind>,
    /// Only operations at this milestone (any of them); empty: all.
    pub milestones: Vec<MilestoneKind>,
    /// Only operations whose milestone year is in this range.
    pub milestone_years: Option<YearRange>,
    /// Figures only, without the passages' texts: sums by group need none.
    pub without_evidence: bool,
}

/// A passage an operation is read from, with its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The article id.
    pub doc: String,
    /// The passage's ordinal.
    pub passage: u32,
    /// The passage's text.
    pub text: String,
    /// Byte ranges of the figures in `text`.
    pub highlights: Vec<(usize, usize)>,
}

impl OperationsRequest {
    /// A request from the names users type (`--kind demolition`,
    /// `--milestone livraison`, `--milestone-year 2020..`), checked: the
    /// command line and the HTTP API read them by this one rule.
    pub fn new(
        query: String,
        filters: Filters,
        kinds: &[&str],
        milestones: &[&str],
        milestone_years: Option<&str>,
    ) -> Result<OperationsRequest> {
        let kinds = kinds
            .iter()
            .map(|k| choose(k, "kind", &Kind::ALL, Kind::name))
            .collect::<Result<_>>()?;
        let milestones = milestones
            .iter()
            .map(|m| choose(m, "milestone", &MilestoneKind::ALL, MilestoneKind::name))
            .collect::<Result<_>>()?;
        Ok(OperationsRequest {
            query,
            filters,
            kinds,
            milestones,
            milestone_years: milestone_years.map(YearRange::parse).transpose()?,
            without_evidence: false,
        })
    }
}

/// A name read against the closed list `all`, or the error naming the
/// list.
fn choose<T: Copy>(
    given: &str,
    what: &'static str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T> {
    all.iter()
        .copied()
        .find(|&choice| name(choice) == given)
        .ok_or_else(|| Error::InvalidChoice {
            what,
            value: given.to_string(),
            valid: all.iter().map(|&choice| name(choice)).collect(),
        })
}

/// A grouping asked for: by what, summing what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// One row per value of this.
    pub by: GroupBy,
    /// What the rows sum.
    pub sum: Sum,
}

impl Grouping {
    /// The grouping of `--group-by BY --sum SUM` (`None`: counting only).
    pub fn parse(by: &str, sum: Option<&str>) -> Result<Grouping> {
        let by = choose(by, "group_by", &GroupBy::ALL, GroupBy::name)?;
        Ok(Grouping {
            by,
            sum: sum.map_or(Sum::Count, Sum::parse),
        })
    }
}

/// An operation found, with where it comes from.
#[derive(Debug, Clone)]
pub struct FoundOperation {
    /// `ARTICLE:PASSAGE:N`, stable while the article is unchanged.
    pub id: String,
    /// The article id.
    pub doc: String,
    /// What was extracted.
    pub operation: Operation,
    /// Its passages' texts and figures.
    pub evidence: Vec<Evidence>,
    /// The ids of the same operation reported by other articles, most
    /// advanced milestone first.
    pub same_as: Vec<String>,
}

/// What operations are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The operation's commune.
    Commune,
    /// Its commune's département.
    Departement,
    /// Its commune's région.
    Region,
    /// Each of its organisations.
    Organisation,
    /// Each product it states dwellings of.
    Product,
    /// Its kind.
    Kind,
    /// Its milestone's year.
    Year,
}

impl GroupBy {
    /// Every grouping.
    pub const ALL: [GroupBy; 7] = [
        GroupBy::Commune,
        GroupBy::Departement,
        GroupBy::Region,
        GroupBy::Organisation,
        GroupBy::Product,
        GroupBy::Kind,
        GroupBy::Year,
    ];

    /// Its name (`commune`, …, `year`).
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Commune => "commune",
            GroupBy::Departement => "departement",
            GroupBy::Region => "region",
            GroupBy::Organisation => "organisation",
            GroupBy::Product => "product",
            GroupBy::Kind => "kind",
            GroupBy::Year => "year",
        }
    }

    /// The grouping of that name.
    pub fn parse(name: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// What a group sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sum {
    /// Only the count of operations.
    Count,
    /// Dwellings in all.
    Dwellings,
    /// Dwellings of one product (`PSLA`).
    Product(String),
    /// Costs in euros.
    Cost,
}

impl Sum {
    /// `count`, `dwellings`, `cost`, or a product's name.
    pub fn parse(name: &str) -> Sum {
        match name {
            "count" => Sum::Count,
            "dwellings" => Sum::Dwellings,
            "cost" => Sum::Cost,
            product => Sum::Product(product.to_string()),
        }
    }

    /// Its name, as [`Sum::parse`] reads it.
    pub fn name(&self) -> &str {
        match self {
            Sum::Count => "count",
            Sum::Dwellings => "dwellings",
            Sum::Cost => "cost",
            Sum::Product(product) => product,
        }
    }
}

/// One row of a grouping: a group's operations and their sum.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The group's value (`Compiègne`, `PSLA`, `2022`, `(none)`).
    pub group: String,
    /// Its code when it has one (INSEE, département, région).
    pub code: Option<String>,
    /// Operations counted (each linked group once).
    pub operations: usize,
    /// The sum, when not only counting; operations stating nothing to sum
    /// add nothing.
    pub sum: Option<u64>,
    /// The operations behind the figures.
    pub ids: Vec<String>,
}

impl Engine<'_> {
    /// The operations of the passages matching `request`, in index order
    /// (article, then passage), linked across articles.
    pub fn operations(&self, request: &OperationsRequest) -> Result<Vec<FoundOperation>> {
        // Values checked and resolved as a search's are (aliases, codes,
        // `did you mean`), then split between the operation and the engine.
        let (resolved, _) = self.resolve_filters(request.filters.clone())?;
        let (own, engine_filters) = split_filters(&resolved);
        let searcher = self.searcher();
        let fields = self.fields();
        let marked: Box<dyn Query> = Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(fields.operation_count, 1)),
            Bound::Unbounded,
        ));
        let matching: Box<dyn Query> =
            if request.query.trim().is_empty() && engine_filters.is_empty() {
                marked
            } else {
                let (analysed, filters) = if request.query.trim().is_empty() {
                    (Default::default(), engine_filters)
                } else {
                    let (analysed, filters, _) = self.analyse(&request.query, &engine_filters)?;
                    (analysed, filters)
                };
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, marked),
                    (
                        Occur::Must,
                        self.matching_query(&analysed, &filters, true).matching,
                    ),
                ]))
            };
        let mut addresses: Vec<DocAddress> = searcher
            .search(matching.as_ref(), &DocSetCollector)
            .map_err(|e| self.index.error(e))?
            .into_iter()
            .collect();
        addresses.sort();
        let with_text = !request.without_evidence;
        let mut reports = self.reports(&addresses, |op| own.admits(op), with_text)?;
        let matched = reports.len();

        // The other reports of the same operations, anywhere in the index
        // (unless every report was read already).
        let everything = request.query.trim().is_empty() && resolved.is_empty();
        let keys: BTreeSet<String> = if everything {
            BTreeSet::new()
        } else {
            reports.iter().flat_map(|r| r.keys.all().cloned()).collect()
        };
        if !keys.is_empty() {
            let query = TermSetQuery::new(
                keys.iter()
                    .map(|k| Term::from_field_text(fields.operation_link, k)),
            );
            let read: HashSet<DocAddress> = addresses.into_iter().collect();
            let mut more: Vec<DocAddress> = searcher
                .search(&query, &DocSetCollector)
                .map_err(|e| self.index.error(e))?
                .into_iter()
                .filter(|a| !read.contains(a))
                .collect();
            more.sort();
            let others = self.reports(&more, |_| true, false)?;
            reports.extend(others);
        }

        let groups = link(&reports);
        // Whether each report is kept, and its links, before its text and
        // figures move into the answer.
        let kept: Vec<(bool, Vec<String>)> = (0..matched)
            .map(|i| {
                let standing = groups[i].first().map_or(i, |&j| j);
                let same_as = groups[i]
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| reports[j].id.clone())
                    .collect();
                (request.admits(&reports[standing].operation), same_as)
            })
            .collect();
        let mut found = Vec::new();
        for (report, (admitted, same_as)) in reports.into_iter().zip(kept) {
            if admitted {
                found.push(self.found(report, same_as, with_text)?);
            }
        }
        Ok(found)
    }

    /// The operations stored on the passages at `addresses` that `keep`
    /// admits, with the passage's text when `with_text`.
    fn reports(
        &self,
        addresses: &[DocAddress],
        keep: impl Fn(&Operation) -> bool,
        with_text: bool,
    ) -> Result<Vec<Report>> {
        let fields = self.fields();
        let searcher = self.searcher();
        let mut columns = ArticleIds::default();
        let mut out = Vec::new();
        for &address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
            let id = columns.get(&self.index, &searcher, address)?.id_story().0;
            let passage = columns
                .segment(&self.index, &searcher, address.segment_ord)?
                .blocks
                .ordinal(address.doc_id)
                .unwrap_or(0);
            let Some(json) = first_text(&doc, fields.operations) else {
                continue;
            };
            let Ok(operations) = serde_json::from_str::<Vec<Operation>>(&json) else {
                continue;
            };
            let text = if with_text {
                first_text(&doc, fields.body)
            } else {
                None
            };
            // The number counts every operation of the passage, kept or not,
            // so that an id names the same operation in every answer.
            for (n, operation) in operations.into_iter().enumerate() {
                if keep(&operation) {
                    out.push(Report {
                        id: format!("{id}:{passage}:{n}"),
                        doc: id.clone(),
                        passage,
                        text: text.clone(),
                        keys: operation.link_keys(),
                        operation,
                    });
                }
            }
        }
        Ok(out)
    }

    /// A report as found: its passages with the byte ranges of its
    /// figures, when `with_evidence`.
    fn found(
        &self,
        report: Report,
        same_as: Vec<String>,
        with_evidence: bool,
    ) -> Result<FoundOperation> {
        let Report {
            id,
            doc,
            passage,
            mut text,
            operation,
            ..
        } = report;
        let mut evidence = Vec::new();
        let passages = if with_evidence {
            &operation.passages[..]
        } else {
            &[]
        };
        for &ordinal in passages {
            let text = match text.take_if(|_| ordinal == passage) {
                Some(text) => Some(text),
                None => self.passage_text(&doc, ordinal)?,
            };
            let Some(text) = text else { continue };
            let highlights = operation
                .figures
                .iter()
                .filter(|f| f.passage == ordinal && f.end <= text.len())
                .map(|f| (f.start, f.end))
                .collect();
            evidence.push(Evidence {
                doc: doc.clone(),
                passage: ordinal,
                text,
                highlights,
            });
        }
        Ok(FoundOperation {
            id,
            doc,
            operation,
            evidence,
            same_as,
        })
    }

    /// The text of one passage of an article.
    fn passage_text(&self, doc: &str, ordinal: u32) -> Result<Option<String>> {
        let fields = self.fields();
        let searcher = self.searcher();
        // The article document, whose block holds the passage at its
        // ordinal (see `index::blocks`).
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.doc, doc),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(fields.offset, 0),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let found = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.index.error(e))?;
        let Some(&article) = found.iter().next() else {
            return Ok(None);
        };
        let address = DocAddress::new(article.segment_ord, article.doc_id + 1 + ordinal);
        let mut columns = ArticleIds::default();
        let blocks = &columns
            .segment(&self.index, &searcher, address.segment_ord)?
            .blocks;
        if address.doc_id >= blocks.max_doc() || blocks.ordinal(address.doc_id) != Some(ordinal) {
            return Ok(None);
        }
        let stored: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
        Ok(first_text(&stored, fields.body))
    }
}

/// Place, organisation and product filters, read against an operation.
#[derive(Debug, Default)]
struct OwnFilters {
    communes: Vec<String>,
    departements: Vec<String>,
    regions: Vec<String>,
    organisations: Vec<String>,
    products: Vec<String>,
}

impl OwnFilters {
    fn admits(&self, op: &Operation) -> bool {
        let any = |wanted: &[String], values: &[&str]| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| values.iter().any(|v| !v.is_empty() && facet_key(v) == *w))
        };
        let commune = op.commune.as_ref();
        let place = |f: &dyn Fn(&crate::facets::Commune) -> [&str; 2]| {
            commune.map(|c| f(c).to_vec()).unwrap_or_default()
        };
        any(
            &self.communes,
            &place(&|c| [c.name.as_str(), c.insee.as_str()]),
        ) && any(
            &self.departements,
            &place(&|c| [c.departement.name.as_str(), c.departement.code.as_str()]),
        ) && any(
            &self.regions,
            &place(&|c| [c.region.name.as_str(), c.region.code.as_str()]),
        ) && any(
            &self.organisations,
            &op.organisations
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        ) && any(
            &self.products,
            &op.by_product
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>(),
        )
    }
}

impl OperationsRequest {
    fn admits(&self, op: &Operation) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&op.kind))
            && (self.milestones.is_empty()
                || op
                    .milestone
                    .as_ref()
                    .is_some_and(|m| self.milestones.contains(&m.kind)))
            && self.milestone_years.is_none_or(|years| {
                op.milestone
                    .as_ref()
                    .and_then(|m| m.year)
                    .is_some_and(|y| years.contains(i64::from(y)))
            })
    }
}

/// The filters an operation answers itself, and those left to the engine.
fn split_filters(filters: &Filters) -> (OwnFilters, Filters) {
    let mut own = OwnFilters::default();
    let mut engine = filters.clone();
    engine.values.clear();
    for (field, value) in &filters.values {
        let key = facet_key(value);
        match field {
            FacetField::Commune => own.communes.push(key),
            FacetField::Departement => own.departements.push(key),
            FacetField::Region => own.regions.push(key),
            FacetField::Organisation => own.organisations.push(key),
            FacetField::Product => own.products.push(key),
            _ => engine.values.push((*field, value.clone())),
        }
    }
    (own, engine)
}

/// One report of an operation, as stored on the passage stating it.
struct Report {
    /// `ARTICLE:PASSAGE:N`.
    id: String,
    doc: String,
    passage: u32,
    /// The passage's text, when read.
    text: Option<String>,
    /// Its link keys, read once.
    keys: LinkKeys,
    operation: Operation,
}

/// Links the operations reported by several articles: those sharing a
/// site or a split key, or their figures when one of them names no site
/// ([`Operation::link_keys`]). For each report, its group (itself
/// included) most advanced first, the first id on ties; empty when it
/// stands alone.
fn link(reports: &[Report]) -> Vec<Vec<usize>> {
    // Reports sharing a key are one operation: a union-find over them.
    let mut parent: Vec<usize> = (0..reports.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut union = |i: usize, j: usize| {
        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
        parent[a] = b;
    };
    let mut first_with: HashMap<&str, usize> = HashMap::new();
    // By figures: who shares them, and who among them names no site.
    let mut by_figures: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        for key in [&r.keys.site, &r.keys.split].into_iter().flatten() {
            let j = *first_with.entry(key).or_insert(i);
            union(i, j);
        }
        if let Some(key) = &r.keys.figures {
            let entry = by_figures.entry(key).or_default();
            entry.0.push(i);
            if r.operation.site.is_none() {
                entry.1.push(i);
            }
        }
    }
    for (all, siteless) in by_figures.values() {
        for &i in siteless {
            for &j in all {
                union(i, j);
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..reports.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = vec![Vec::new(); reports.len()];
    for mut members in groups.into_values() {
        let first = &reports[members[0]].doc;
        if members.iter().all(|&i| reports[i].doc == *first) {
            continue;
        }
        members.sort_by(|&a, &b| {
            let rank = |i: usize| std::cmp::Reverse(advancement(&reports[i].operation));
            rank(a)
                .cmp(&rank(b))
                .then_with(|| reports[a].id.cmp(&reports[b].id))
        });
        for &i in &members {
            out[i] = members.clone();
        }
    }
    out
}

/// How far an operation has got, to order linked reports.
fn advancement(op: &Operation) -> (Option<MilestoneKind>, Option<i32>) {
    let m = op.milestone.as_ref();
    (m.map(|m| m.kind), m.and_then(|m| m.year))
}

/// Sums `found` by `by`: one row per group, largest sum (or count) first.
/// Linked operations count once: the most advanced report stands for them.
pub fn group(found: &[FoundOperation], by: GroupBy, sum: &Sum) -> Vec<GroupRow> {
    let mut rows: BTreeMap<(String, Option<String>), GroupRow> = BTreeMap::new();
    let by_id: HashMap<&str, &FoundOperation> = found.iter().map(|f| (f.id.as_str(), f)).collect();
    // A linked operation counts through its most advanced report only (the
    // first id on ties).
    let stands_for_its_group = |f: &FoundOperation| {
        let rank =
            |g: &FoundOperation| (advancement(&g.operation), std::cmp::Reverse(g.id.clone()));
        f.same_as
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .all(|g| rank(g) < rank(f))
    };
    for f in found.iter().filter(|f| stands_for_its_group(f)) {
        let op = &f.operation;
        let commune = op.commune.as_ref();
        let keys: Vec<(String, Option<String>, Option<u64>)> = match by {
            GroupBy::Commune => vec![(
                commune.map_or("(none)".into(), |c| c.name.clone()),
                commune.map(|c| c.insee.clone()),
                amount(op, sum),
            )],
            GroupBy::Departement => vec![(
                commune.map_or("(none)".into(), |c| c.departement.name.clone()),
                commune.map(|c| c.departement.code.clone()),
                amount(op, sum),
            )],
            GroupBy::Region => vec![(
                commune.map_or("(none)".into(), |c| c.region.name.clone()),
                commune.map(|c| c.region.code.clone()),
                amount(op, sum),
            )],
            GroupBy::Organisation if op.organisations.is_empty() => {
                vec![("(none)".into(), None, amount(op, sum))]
            }
            GroupBy::Organisation => op
                .organisations
                .iter()
                .map(|o| (o.clone(), None, amount(op, sum)))
                .collect(),
            GroupBy::Product => op
                .by_product
                .iter()
                .map(|(p, n)| {
                    let value = match sum {
                        Sum::Dwellings => Some(*n),
                        Sum::Product(wanted) if facet_key(wanted) == facet_key(p) => Some(*n),
                        Sum::Product(_) => None,
                        _ => amount(op, sum),
                    };
                    (p.clone(), None, value)
                })
                .collect(),
            GroupBy::Kind => vec![(op.kind.name().to_string(), None, amount(op, sum))],
            GroupBy::Year => vec![(
                op.milestone
                    .as_ref()
                    .and_then(|m| m.year)
                    .map_or("(none)".into(), |y| y.to_string()),
                None,
                amount(op, sum),
            )],
        };
        for (group, code, value) in keys {
            let row = rows
                .entry((group.clone(), code.clone()))
                .or_insert(GroupRow {
                    group,
                    code,
                    operations: 0,
                    sum: (*sum != Sum::Count).then_some(0),
                    ids: Vec::new(),
                });
            row.operations += 1;
            if let (Some(total), Some(value)) = (row.sum.as_mut(), value) {
                *total += value;
            }
            row.ids.push(f.id.clone());
        }
    }
    let mut rows: Vec<GroupRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        (b.sum.unwrap_or(0), b.operations)
            .cmp(&(a.sum.unwrap_or(0), a.operations))
            .then_with(|| a.group.cmp(&b.group))
    });
    rows
}

/// What an operation adds to a sum.
fn amount(op: &Operation, sum: &Sum) -> Option<u64> {
    match sum {
        Sum::Count => None,
        Sum::Dwellings => op.dwellings,
        Sum::Cost => op.cost_eur,
        Sum::Product(wanted) => op
            .by_product
            .iter()
            .find(|(p, _)| facet_key(p) == facet_key(wanted))
            .map(|(_, n)| *n),
    }
}
