//! The API's handlers: read the parameters, run the engine on the blocking
//! pool (bounded in number and time), answer in the wire types of
//! `logis --json`. Errors are JSON `{"error": {"code", "message"}}`:
//! 400 for a bad parameter or query, 404 for what does not exist, 503 when
//! the index cannot be served or the server is busy. A 500 only reports a
//! bug, never user input.

use std::collections::{BTreeMap, HashMap};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::error::Error;
use crate::facets::{Area, FacetField};
use crate::output::{table, wire};

use super::cache::Cache;
use super::params::{Params, OPERATIONS, SEARCH};
use super::state::{Current, Served};
use super::AppState;

/// An error answer.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(crate) fn bad(message: String) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_parameter",
            message,
        }
    }

    pub(crate) fn new(status: StatusCode, code: &'static str, message: String) -> ApiError {
        ApiError {
            status,
            code,
            message,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let message = error.to_string();
        let (status, code) = match &error {
            Error::EmptyQuery => (StatusCode::BAD_REQUEST, "empty_query"),
            Error::QueryTooLong(_) => (StatusCode::BAD_REQUEST, "query_too_long"),
            Error::OnlyExclusions => (StatusCode::BAD_REQUEST, "only_exclusions"),
            Error::UnknownField { .. } => (StatusCode::BAD_REQUEST, "unknown_field"),
            Error::UnknownFilterValue { .. } => (StatusCode::BAD_REQUEST, "unknown_value"),
            Error::InvalidYear(_) | Error::InvalidChoice { .. } => {
                (StatusCode::BAD_REQUEST, "bad_parameter")
            }
            Error::NoIndex { .. } => (StatusCode::SERVICE_UNAVAILABLE, "no_index"),
            Error::IncompatibleIndex { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "incompatible_index")
            }
            e if Served::is_unavailable(e) => (StatusCode::SERVICE_UNAVAILABLE, "damaged_index"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError::new(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = wire::ErrorJson {
            error: wire::ErrorBodyJson {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

type Answer<T> = Result<Json<T>, ApiError>;

/// Waits for a search slot, then runs `work` on the blocking pool with the
/// engine on the index's last commit, within the time limit.
async fn run<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Current) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = acquire(state).await?;
    let served = state.served.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&served.current()?)
    });
    match tokio::time::timeout(state.limits.time_limit, task).await {
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the search took longer than {} s: narrow it with more words or filters",
                state.limits.time_limit.as_secs()
            ),
        )),
        Ok(Err(join)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("internal error ({join}); please report this"),
        )),
        Ok(Ok(answer)) => answer,
    }
}

async fn acquire(state: &AppState) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
    let busy = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many searches at once: try again in a moment".to_string(),
        )
    };
    match tokio::time::timeout(
        state.limits.queue_wait,
        state.searches.clone().acquire_owned(),
    )
    .await
    {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(busy()),
    }
}

/// `GET /api/search`: hits, and the counts of every facet field over them.
pub(crate) async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Answer<wire::SearchJson> {
    let params = Params::parse(raw.as_deref());
    params.only(&SEARCH)?;
    let request = params.search_request()?;
    let facet_limit = params.number("facets", 50, 0..=1000)?;
    let unit = params.unit()?;
    let started = std::time::Instant::now();
    let key = raw.unwrap_or_default();
    let cache = state.searches_cache.clone();
    // A kept answer needs no search slot.
    if let Some(mut kept) = kept(&state, &cache, &key) {
        kept.took_ms = elapsed_ms(started);
        return Ok(Json(kept));
    }
    let regions = state.regions.clone();
    run(&state, move |current| {
        let mut json = cache.get_or_compute(&key, current.generation, || {
            let engine = &current.engine;
            let browsing = request.query.trim().is_empty() && request.filters.is_empty();
            let mut json = if browsing {
                // Nothing asked yet: no hits, and the counts of the whole index.
                empty_results(&request.query)
            } else {
                wire::SearchJson::from(&engine.search(&request)?)
            };
            if facet_limit > 0 {
                let distributions = engine.facet_distributions(
                    &request.query,
                    &request.filters,
                    unit,
                    facet_limit,
                )?;
                json.facets = Some(
                    distributions
                        .iter()
                        .map(|counts| {
                            let mut facets = wire::FacetsJson::new(counts, facet_limit);
                            if counts.field == FacetField::Departement {
                                // Where the page's place tree puts each one.
                                place_departements(&mut facets, &regions);
                            }
                            (facets.field.clone(), facets)
                        })
                        .collect::<BTreeMap<_, _>>(),
                );
            }
            Ok::<_, ApiError>(json)
        })?;
        json.took_ms = elapsed_ms(started);
        Ok(Json(json))
    })
    .await
}

/// The answer kept for `key` on the index's current state, if any. Run on
/// the async threads: finding the state is two file stamps (a reader
/// reload once per commit), far less than a trip to the blocking pool.
fn kept<V: Clone>(state: &AppState, cache: &Cache<V>, key: &str) -> Option<V> {
    let current = state.served.current().ok()?;
    cache.get(key, current.generation)
}

/// Adds to each département of the counts its région.
fn place_departements(facets: &mut wire::FacetsJson, regions: &HashMap<String, Area>) {
    for count in &mut facets.counts {
        if let Some(region) = count.code.as_ref().and_then(|c| regions.get(c)) {
            count.region = Some(region.name.clone());
            count.region_code = Some(region.code.clone());
        }
    }
}

/// Milliseconds since `started`, to the microsecond.
fn elapsed_ms(started: std::time::Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

fn empty_results(query: &str) -> wire::SearchJson {
    wire::SearchJson {
        schema_version: wire::JSON_SCHEMA_VERSION,
        query: query.to_string(),
        total: 0,
        total_any: 0,
        returned: 0,
        left_out: Vec::new(),
        absent: Vec::new(),
        took_ms: 0.0,
        did_you_mean: None,
        hits: Some(Vec::new()),
        articles: None,
        facets: None,
    }
}

/// `GET /api/facets/{field}`.
pub(crate) async fn facets(
    State(state): State<AppState>,
    field: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Answer<wire::FacetsJson> {
    let params = Params::parse(raw.as_deref());
    params.only(&["limit", "count"])?;
    // A field that does not exist is a path that does not exist.
    let field = segment(field)
        .and_then(|f| FacetField::parse(&f).map_err(ApiError::from))
        .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, "unknown_field", e.message))?;
    let query = params.query()?;
    let filters = params.filters()?;
    let limit = params.number("limit", 50, 1..=10_000)?;
    let unit = params.unit()?;
    let cache = state.facets_cache.clone();
    let key = format!("{}?{}", field.name(), raw.unwrap_or_default());
    if let Some(kept) = kept(&state, &cache, &key) {
        return Ok(Json(kept));
    }
    run(&state, move |current| {
        let json = cache.get_or_compute(&key, current.generation, || {
            let counts = current.engine.facet_counts(field, &query, &filters, unit)?;
            Ok::<_, ApiError>(wire::FacetsJson::new(&counts, limit))
        })?;
        Ok(Json(json))
    })
    .await
}

/// `GET /api/operations`: the housing operations of the passages matching
/// `q` and the filters (`logis operations`), or their sums by group with
/// `group_by`; as JSON, or as CSV with `format=csv`.
pub(crate) async fn operations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    use crate::output::operations as ops;
    use crate::search::operations::{group, Grouping, OperationsRequest};
    let params = Params::parse(raw.as_deref());
    params.only(&OPERATIONS)?;
    let mut request = OperationsRequest::new(
        params.query()?,
        params.filters()?,
        &params.all("kind").collect::<Vec<_>>(),
        &params.all("milestone").collect::<Vec<_>>(),
        params
            .one("milestone_year")?
            .filter(|v| !v.trim().is_empty()),
    )?;
    let sum = params.one("sum")?.filter(|v| !v.is_empty());
    let grouping = params
        .one("group_by")?
        .filter(|v| !v.is_empty())
        .map(|by| Grouping::parse(by, sum))
        .transpose()?;
    let csv = params.choice("format", &[("json", false), ("csv", true)], false)?;
    request.without_evidence = grouping.is_some();
    run(&state, move |current| {
        let found = current.engine.operations(&request)?;
        let mut body = Vec::new();
        let written = match (&grouping, csv) {
            (Some(g), true) => {
                ops::groups_table(&group(&found, g.by, &g.sum), table::Table::Csv, &mut body)
            }
            (None, true) => ops::table(&found, table::Table::Csv, &mut body),
            (Some(g), false) => {
                let rows = group(&found, g.by, &g.sum);
                serde_json::to_writer(&mut body, &ops::GroupsJson::new(g, found.len(), &rows))
                    .map_err(std::io::Error::other)
            }
            (None, false) => serde_json::to_writer(&mut body, &ops::OperationsJson::new(&found))
                .map_err(std::io::Error::other),
        };
        written.map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })?;
        Ok(if csv {
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"logis-operations.csv\"",
                    ),
                ],
                body,
            )
                .into_response()
        } else {
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        })
    })
    .await
}

/// `GET /api/docs`.
pub(crate) async fn docs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Answer<wire::DocsJson> {
    Params::parse(raw.as_deref()).none()?;
    run(&state, |current| {
        Ok(Json(wire::DocsJson::new(&current.engine.articles()?)))
    })
    .await
}

/// `GET /api/articles/{id}`: the article whole, the words of `q`
/// highlighted.
pub(crate) async fn article(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Answer<wire::ArticleViewJson> {
    let params = Params::parse(raw.as_deref());
    params.exactly(&["q"])?;
    // An id that is not UTF-8 is no article's.
    let id =
        segment(id).map_err(|e| ApiError::new(StatusCode::NOT_FOUND, "not_found", e.message))?;
    let query = params.query()?;
    run(&state, move |current| {
        match current.engine.article(&id, &query)? {
            Some(view) => Ok(Json(wire::ArticleViewJson::from(&view))),
            None => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no article `{id}` in this index"),
            )),
        }
    })
    .await
}

/// A path segment, or why it cannot be read (percent-escapes that are not
/// UTF-8).
fn segment(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(segment)| segment)
        .map_err(|rejection| ApiError::bad(format!("unreadable path: {}", rejection.body_text())))
}

/// `GET /api/health`.
pub(crate) async fn health(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Answer<wire::HealthJson> {
    Params::parse(raw.as_deref()).none()?;
    let path = state.served.path().display().to_string();
    run(&state, move |current| {
        let (articles, passages) = current.engine.size()?;
        Ok(Json(wire::HealthJson {
            schema_version: wire::JSON_SCHEMA_VERSION,
            status: "ok".to_string(),
            index: path,
            articles,
            passages,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }))
    })
    .await
}

/// The OpenAPI document of this API, written by hand and checked against
/// the routes by the tests.
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /api/openapi.json`.
pub(crate) async fn openapi(RawQuery(raw): RawQuery) -> Response {
    if let Err(error) = Params::parse(raw.as_deref()).none() {
        return error.into_response();
    }
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Any other `/api/...` path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint: see /api/openapi.json".to_string(),
    )
}

/// Bytes buffered before a chunk of an export is sent.
const EXPORT_CHUNK: usize = 64 * 1024;

/// `GET /api/export?format=csv|jsonl`: every passage matching, streamed as
/// it is read (as `logis search --all` writes it).
pub(crate) async fn export(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    match start_export(&state, raw.as_deref()).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

#[derive(Clone, Copy)]
enum ExportFormat {
    Csv,
    Jsonl,
}

async fn start_export(state: &AppState, raw: Option<&str>) -> Result<Response, ApiError> {
    let params = Params::parse(raw);
    params.only(&["format", "sort"])?;
    let format = params.choice(
        "format",
        &[("csv", ExportFormat::Csv), ("jsonl", ExportFormat::Jsonl)],
        ExportFormat::Csv,
    )?;
    let mut request = params.search_request()?;
    request.collapse = false;
    let permit = acquire(state).await?;
    let served = state.served.clone();
    let (started, ready) = oneshot::channel::<Result<(), ApiError>>();
    let (chunks, body) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let engine = match served.current() {
            Ok(current) => current.engine,
            Err(e) => return drop(started.send(Err(e.into()))),
        };
        let all = match engine.all_hits(&request) {
            Ok(all) => all,
            Err(e) => return drop(started.send(Err(e.into()))),
        };
        if started.send(Ok(())).is_err() {
            return;
        }
        let mut out = ChunkWriter {
            buffer: Vec::with_capacity(EXPORT_CHUNK),
            chunks,
        };
        // A failure midway (the client left, the index was damaged) ends
        // the stream; the client sees a truncated body, not a wrong one.
        let _ = write_export(all, format, &mut out).and_then(|()| out.send());
    });
    match ready.await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return Err(error),
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the export stopped before it started; please report this".to_string(),
            ))
        }
    }
    let stream = futures_util::stream::unfold(body, |mut body| async move {
        body.recv().await.map(|chunk| (chunk, body))
    });
    let (content_type, name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "logis-export.csv"),
        ExportFormat::Jsonl => ("application/x-ndjson", "logis-export.jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

fn write_export(
    all: crate::search::AllHits<'_, '_>,
    format: ExportFormat,
    out: &mut ChunkWriter,
) -> std::io::Result<()> {
    let failed = |e: Error| std::io::Error::other(e.to_string());
    match format {
        ExportFormat::Jsonl => {
            for hit in all {
                crate::output::write_json_line(&wire::HitJson::from(&hit.map_err(failed)?), out)?;
            }
        }
        ExportFormat::Csv => {
            let mut rows =
                table::TableWriter::new(table::Table::Csv, &mut *out, &table::HIT_COLUMNS)?;
            for hit in all {
                rows.row(table::hit_row(&wire::HitJson::from(&hit.map_err(failed)?)))?;
            }
            rows.flush()?;
        }
    }
    Ok(())
}

/// A writer sending what it is given as chunks of a response body.
struct ChunkWriter {
    buffer: Vec<u8>,
    chunks: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl ChunkWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(EXPORT_CHUNK),
        ));
        self.chunks
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= EXPORT_CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
