//! Every JSON document logis writes, as wire types: the one definition of
//! what scripts (and, later, HTTP clients) read. They are built from the
//! library's results but are not its internal records, so an internal
//! change cannot change them by accident. Each document carries
//! `schema_version`: fields may be added within a version; one removed,
//! renamed or changed in meaning makes a new version.

use serde::{Deserialize, Serialize};

use crate::facets::{Area, Commune, FacetValue, Term};
use crate::index::check::CheckReport;
use crate::index::ArticleRecord;
use crate::search::{ArticleView, CountUnit, FacetCounts, Hit, SearchResults};

/// The version of the shapes of this module: every document's
/// `schema_version`.
pub const JSON_SCHEMA_VERSION: u32 = 3;

/// `logis search --json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The query as given.
    pub query: String,
    /// Passages holding every query word (under the filters).
    pub total: usize,
    /// Passages holding at least one.
    pub total_any: usize,
    /// Passages returned (in `hits`, or in all of `articles`).
    pub returned: usize,
    /// Why fewer passages were returned than matched: `limit` (more
    /// matched than `--limit`), `per_doc` (passages beyond `--per-doc` of
    /// their article), `copies` (passages of syndicated copies, folded
    /// under the article shown). Empty when every match was returned.
    pub left_out: Vec<String>,
    /// Filter values known to logis (a commune, a programme...) that no
    /// passage of this index holds: why nothing was found.
    pub absent: Vec<AbsentJson>,
    /// Time taken, in milliseconds.
    pub took_ms: f64,
    /// The corrected query, when typos were corrected.
    pub did_you_mean: Option<String>,
    /// The passages found (without `--group`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hits: Option<Vec<HitJson>>,
    /// The articles found, each with its passages (with `--group`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub articles: Option<Vec<ArticleHitsJson>>,
    /// The counts of every facet field over the passages found, by field
    /// (`GET /api/search` only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub facets: Option<std::collections::BTreeMap<String, FacetsJson>>,
}

/// A filter value that no passage holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AbsentJson {
    /// The field filtered.
    pub field: String,
    /// The value as given.
    pub given: String,
    /// What it was resolved to: an official name or code, a canonical name.
    pub value: String,
}

/// An article of a grouped search.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleHitsJson {
    /// Article id.
    pub doc: String,
    /// Its title.
    pub title: Option<String>,
    /// Its date as given.
    pub date: Option<String>,
    /// Its publication year.
    pub year: Option<i64>,
    /// The score of its best passage.
    pub score: f32,
    /// Its passages found, best first.
    pub hits: Vec<HitJson>,
}

/// A passage found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HitJson {
    /// Article id.
    pub doc: String,
    /// Passage ordinal in the article.
    pub passage: u64,
    /// Score.
    pub score: f32,
    /// Whether it holds every query word.
    pub all_words: bool,
    /// Whether the corrected query found it.
    pub fuzzy: bool,
    /// Article title.
    pub title: Option<String>,
    /// Passage heading.
    pub heading: Option<String>,
    /// Article publication date, ISO (`2024-05-14`, `2024-05`, `2024`).
    pub date: Option<String>,
    /// Where the date came from: `metadata`, `marker`, `byline`, `url`,
    /// `text` or `given`.
    pub date_source: Option<String>,
    /// Article publication year.
    pub year: Option<i64>,
    /// Where the article was published.
    pub url: Option<String>,
    /// The site or publisher.
    pub site: Option<String>,
    /// Where the article was read: a path, with `:line` for JSON Lines and
    /// `#item` for feeds.
    pub source: String,
    /// Years the passage mentions.
    pub years: Vec<i64>,
    /// Organisations, by canonical name.
    pub organisations: Vec<String>,
    /// Communes.
    pub communes: Vec<CommuneJson>,
    /// Départements named, and those of the communes.
    pub departements: Vec<AreaJson>,
    /// Régions named, and those of the places.
    pub regions: Vec<AreaJson>,
    /// Programmes, by canonical name.
    pub programmes: Vec<String>,
    /// Housing products, by canonical name.
    pub products: Vec<String>,
    /// The whole passage.
    pub text: String,
    /// A short excerpt.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched.
    pub snippet_highlights: Vec<(usize, usize)>,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
    /// The article's syndicated copies, folded under it: "also published
    /// by" (empty with `--no-collapse`).
    pub duplicates: Vec<DuplicateJson>,
}

/// A syndicated copy of an article.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DuplicateJson {
    /// Its id.
    pub doc: String,
    /// Where it was published.
    pub url: Option<String>,
    /// By whom.
    pub site: Option<String>,
    /// When.
    pub date: Option<String>,
}

/// A commune, with its codes; parts unknown are `""`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommuneJson {
    /// Official name.
    pub name: String,
    /// INSEE code.
    pub insee: String,
    /// Département name.
    pub departement: String,
    /// Département code (`60`, `974`).
    pub departement_code: String,
    /// Région name.
    pub region: String,
    /// Région code.
    pub region_code: String,
}

/// A département or a région.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AreaJson {
    /// Official code (`60`, `974`; `32` for a région).
    pub code: String,
    /// Official name.
    pub name: String,
}

impl From<&Area> for AreaJson {
    fn from(a: &Area) -> AreaJson {
        AreaJson {
            code: a.code.clone(),
            name: a.name.clone(),
        }
    }
}

impl From<&Commune> for CommuneJson {
    fn from(c: &Commune) -> CommuneJson {
        CommuneJson {
            name: c.name.clone(),
            insee: c.insee.clone(),
            departement: c.departement.name.clone(),
            departement_code: c.departement.code.clone(),
            region: c.region.name.clone(),
            region_code: c.region.code.clone(),
        }
    }
}

fn names(terms: &[Term]) -> Vec<String> {
    terms.iter().map(|t| t.name.clone()).collect()
}

impl From<&Hit> for HitJson {
    fn from(h: &Hit) -> HitJson {
        HitJson {
            doc: h.doc.clone(),
            passage: h.passage,
            score: h.score,
            all_words: h.all_words,
            fuzzy: h.fuzzy,
            title: h.title.clone(),
            heading: h.heading.clone(),
            date: h.date.clone(),
            date_source: h.date_source.map(|s| s.as_str().to_string()),
            year: h.year,
            url: h.url.clone(),
            site: h.site.clone(),
            source: h.source.clone(),
            years: h.years.clone(),
            organisations: names(&h.organisations),
            communes: h.communes.iter().map(CommuneJson::from).collect(),
            departements: h.departements.iter().map(AreaJson::from).collect(),
            regions: h.regions.iter().map(AreaJson::from).collect(),
            programmes: names(&h.programmes),
            products: names(&h.products),
            text: h.text.clone(),
            snippet: h.snippet.text.clone(),
            snippet_highlights: h.snippet.highlights.clone(),
            highlights: h.highlights.clone(),
            duplicates: h
                .duplicates
                .iter()
                .map(|d| DuplicateJson {
                    doc: d.doc.clone(),
                    url: d.url.clone(),
                    site: d.site.clone(),
                    date: d.date.clone(),
                })
                .collect(),
        }
    }
}

/// Contiguous runs of hits of the same article.
pub(crate) fn by_article(hits: &[Hit]) -> Vec<Vec<&Hit>> {
    let mut groups: Vec<Vec<&Hit>> = Vec::new();
    for hit in hits {
        match groups.last_mut() {
            Some(group) if group[0].doc == hit.doc => group.push(hit),
            _ => groups.push(vec![hit]),
        }
    }
    groups
}

impl From<&SearchResults> for SearchJson {
    fn from(results: &SearchResults) -> SearchJson {
        let (hits, articles) = if results.grouped {
            let articles = by_article(&results.hits)
                .into_iter()
                .map(|hits| ArticleHitsJson {
                    doc: hits[0].doc.clone(),
                    title: hits[0].title.clone(),
                    date: hits[0].date.clone(),
                    year: hits[0].year,
                    score: hits[0].score,
                    hits: hits.into_iter().map(HitJson::from).collect(),
                })
                .collect();
            (None, Some(articles))
        } else {
            (Some(results.hits.iter().map(HitJson::from).collect()), None)
        };
        SearchJson {
            schema_version: JSON_SCHEMA_VERSION,
            query: results.query.clone(),
            total: results.total,
            total_any: results.total_any,
            returned: results.hits.len(),
            left_out: results
                .left_out
                .reasons()
                .into_iter()
                .map(str::to_string)
                .collect(),
            absent: results
                .absent
                .iter()
                .map(|a| AbsentJson {
                    field: a.field.name().to_string(),
                    given: a.given.clone(),
                    value: a.value.clone(),
                })
                .collect(),
            took_ms: (results.took_ms * 1000.0).round() / 1000.0,
            did_you_mean: results.did_you_mean.clone(),
            hits,
            articles,
            facets: None,
        }
    }
}

/// `logis docs --json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocsJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The articles, by id.
    pub articles: Vec<ArticleJson>,
}

/// An indexed article.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleJson {
    /// Article id.
    pub doc: String,
    /// Title.
    pub title: Option<String>,
    /// Publication date, ISO.
    pub date: Option<String>,
    /// Where the date came from: `metadata`, `marker`, `byline`, `url`,
    /// `text` or `given`.
    pub date_source: Option<String>,
    /// Publication year.
    pub year: Option<i64>,
    /// Where it was read: a path, with `:line` for JSON Lines and `#item`
    /// for feeds.
    pub source: String,
    /// Where it was published.
    pub url: Option<String>,
    /// The site or publisher.
    pub site: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// Number of passages.
    pub passages: u32,
    /// Organisations of its passages.
    pub organisations: Vec<String>,
    /// Communes of its passages.
    pub communes: Vec<CommuneJson>,
    /// Départements, by name.
    pub departements: Vec<String>,
    /// Régions, by name.
    pub regions: Vec<String>,
    /// Programmes.
    pub programmes: Vec<String>,
    /// Housing products.
    pub products: Vec<String>,
    /// What the article is about: the values named in its title, its
    /// dateline or lede, or repeatedly, and those given with it. Filters
    /// select all its passages by these (the article scope).
    pub about: AboutJson,
}

/// The values an article is about, field by field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AboutJson {
    /// Organisations, by canonical name.
    pub organisations: Vec<String>,
    /// Communes.
    pub communes: Vec<CommuneJson>,
    /// Départements.
    pub departements: Vec<AreaJson>,
    /// Régions.
    pub regions: Vec<AreaJson>,
    /// Programmes.
    pub programmes: Vec<String>,
    /// Housing products.
    pub products: Vec<String>,
}

impl From<&crate::facets::Facets> for AboutJson {
    fn from(f: &crate::facets::Facets) -> AboutJson {
        AboutJson {
            organisations: names(&f.organisations),
            communes: f.communes.iter().map(CommuneJson::from).collect(),
            departements: f.departements.iter().map(AreaJson::from).collect(),
            regions: f.regions.iter().map(AreaJson::from).collect(),
            programmes: names(&f.programmes),
            products: names(&f.products),
        }
    }
}

impl From<&ArticleRecord> for ArticleJson {
    fn from(r: &ArticleRecord) -> ArticleJson {
        let f = &r.facets;
        ArticleJson {
            doc: r.doc.clone(),
            title: r.title.clone(),
            date: r.date.clone(),
            date_source: r.date_source.map(|s| s.as_str().to_string()),
            year: r.year,
            source: r.source.clone(),
            url: r.url.clone(),
            site: r.site.clone(),
            author: r.author.clone(),
            passages: r.passages,
            organisations: names(&f.organisations),
            communes: f.communes.iter().map(CommuneJson::from).collect(),
            departements: f.departements.iter().map(|a| a.name.clone()).collect(),
            regions: f.regions.iter().map(|a| a.name.clone()).collect(),
            programmes: names(&f.programmes),
            products: names(&f.products),
            about: AboutJson::from(&r.about),
        }
    }
}

impl DocsJson {
    /// The document of an article list.
    pub fn new(records: &[ArticleRecord]) -> DocsJson {
        DocsJson {
            schema_version: JSON_SCHEMA_VERSION,
            articles: records.iter().map(ArticleJson::from).collect(),
        }
    }
}

/// `logis facets FIELD --json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FacetsJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The field counted.
    pub field: String,
    /// Whose values were counted: `article` (each passage's own and its
    /// article's, the default) or `passage` (its own only).
    pub scope: String,
    /// What `count` counts and orders by: `articles` (the default) or
    /// `passages`.
    pub counted: String,
    /// Passages matched by the query and all the filters.
    pub passages: usize,
    /// Whether a filter on the field itself was left out of the counts.
    pub disjunctive: bool,
    /// The values, most frequent first.
    pub counts: Vec<CountJson>,
}

/// A facet value and its counts. Codes and kinds are given when known.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountJson {
    /// The value's name.
    pub value: String,
    /// Code of a département or région.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    /// Kind of an organisation (`OPH`, `ESH`...), a programme or a product,
    /// when the data gives one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kind: Option<String>,
    /// INSEE code of a commune.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub insee: Option<String>,
    /// Département of a commune...
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub departement: Option<String>,
    /// ...and its code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub departement_code: Option<String>,
    /// Région of a commune (and of a département in `GET /api/search`)...
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
    /// ...and its code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region_code: Option<String>,
    /// Articles or passages holding the value, as `counted` says.
    pub count: u64,
    /// Distinct articles among the passages holding it.
    pub articles: u64,
    /// Passages holding it.
    pub passages: u64,
    /// Whether the field's own filter selects it.
    pub selected: bool,
}

impl FacetsJson {
    /// The document of facet counts, the first `limit` values.
    pub fn new(counts: &FacetCounts, limit: usize) -> FacetsJson {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        FacetsJson {
            schema_version: JSON_SCHEMA_VERSION,
            field: counts.field.name().to_string(),
            scope: counts.scope.name().to_string(),
            counted: counts.unit.name().to_string(),
            passages: counts.passages,
            disjunctive: counts.disjunctive,
            counts: counts
                .counts
                .iter()
                .take(limit)
                .map(|c| {
                    let mut count = CountJson {
                        value: c.value.name(),
                        code: None,
                        kind: None,
                        insee: None,
                        departement: None,
                        departement_code: None,
                        region: None,
                        region_code: None,
                        count: match counts.unit {
                            CountUnit::Articles => c.articles,
                            CountUnit::Passages => c.passages,
                        },
                        articles: c.articles,
                        passages: c.passages,
                        selected: c.selected,
                    };
                    match &c.value {
                        FacetValue::Commune(m) => {
                            count.insee = some(&m.insee);
                            count.departement = some(&m.departement.name);
                            count.departement_code = some(&m.departement.code);
                            count.region = some(&m.region.name);
                            count.region_code = some(&m.region.code);
                        }
                        FacetValue::Departement(a) | FacetValue::Region(a) => {
                            count.code = some(&a.code)
                        }
                        FacetValue::Organisation(t)
                        | FacetValue::Programme(t)
                        | FacetValue::Product(t) => count.kind = some(&t.kind),
                        FacetValue::Year(_) => {}
                    }
                    count
                })
                .collect(),
        }
    }
}

/// `GET /api/articles/{id}`: an article whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleViewJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Its metadata and facets, as `logis docs --json` lists it.
    pub article: ArticleJson,
    /// Every passage in order, with the words of the query given
    /// highlighted.
    pub passages: Vec<HitJson>,
}

impl From<&ArticleView> for ArticleViewJson {
    fn from(view: &ArticleView) -> ArticleViewJson {
        ArticleViewJson {
            schema_version: JSON_SCHEMA_VERSION,
            article: ArticleJson::from(&view.record),
            passages: view.passages.iter().map(HitJson::from).collect(),
        }
    }
}

/// An HTTP API error: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorJson {
    /// What went wrong.
    pub error: ErrorBodyJson,
}

/// The code and message of an [`ErrorJson`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorBodyJson {
    /// A stable code for programs (`bad_parameter`, `not_found`,
    /// `no_index`...).
    pub code: String,
    /// One line for people.
    pub message: String,
}

/// `GET /api/health`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HealthJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `ok`.
    pub status: String,
    /// The index served.
    pub index: String,
    /// Articles in its last commit.
    pub articles: u64,
    /// Passages in its last commit.
    pub passages: u64,
    /// The logis serving it.
    pub version: String,
}

/// `logis check --json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckJson {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Whether the index is whole and readable by this logis.
    pub ok: bool,
    /// The index checked.
    pub path: String,
    /// The versions recorded by the logis that wrote it.
    pub version: Option<String>,
    /// Segments.
    pub segments: usize,
    /// Segment files checked.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Passages read.
    pub passages: u64,
    /// Articles.
    pub articles: u64,
    /// One line per problem.
    pub problems: Vec<String>,
}

impl From<&CheckReport> for CheckJson {
    fn from(r: &CheckReport) -> CheckJson {
        CheckJson {
            schema_version: JSON_SCHEMA_VERSION,
            ok: r.is_ok(),
            path: r.path.display().to_string(),
            version: r.version.clone(),
            segments: r.segments,
            files: r.files,
            bytes: r.bytes,
            passages: r.passages,
            articles: r.articles,
            problems: r.problems.clone(),
        }
    }
}
