//! `logis serve`: the search page and the HTTP API, a thin layer over the
//! same [`Engine`](crate::search::Engine) as the command line, as
//! `main.rs` is. The API speaks the wire types of [`crate::output::wire`],
//! the page is embedded in the binary (`page`), and every answer carries
//! the same security headers.
//!
//! - `state`: the index, kept open and followed as `logis index` commits;
//! - `params`: query-string parameters, checked as the command line checks
//!   its options;
//! - `api`: the handlers, each running its search on the blocking pool,
//!   bounded in number and in time;
//! - `cache`: answers kept for requests asked again on the same commit;
//! - `page`: the page's files and the headers every answer carries.
//!
//! Hostile input is bounded before it reaches the engine: requests with a
//! body or a query string over [`MAX_QUERY_STRING`] get 413, parameters are
//! range-checked (400), at most [`Limits::searches`] searches run at once
//! (the others wait [`Limits::queue_wait`], then get 503), a search over
//! [`Limits::time_limit`] gets 503. No answer to user input is a 500.

mod api;
mod cache;
mod page;
mod params;
mod state;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;
use tower_http::cors::CorsLayer;

use crate::data::{DataFile, DataSet};
use crate::error::{Error, Result};
use crate::facets::Area;
use crate::output::wire;
use cache::Cache;

/// The longest query string accepted, in bytes: far above the query limits
/// of the search box, far below what would cost memory.
pub const MAX_QUERY_STRING: usize = 16 * 1024;

/// What a server may spend on requests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Searches running at once.
    pub searches: usize,
    /// How long a request waits for a search slot before a 503.
    pub queue_wait: Duration,
    /// How long a search may take before a 503.
    pub time_limit: Duration,
    /// Answers of `/api/search` (and as many of `/api/facets`) kept for
    /// requests asked again on the same commit; 0 keeps none.
    pub cached_answers: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            searches: cores * 2,
            queue_wait: Duration::from_secs(2),
            time_limit: Duration::from_secs(10),
            cached_answers: 512,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free one.
    pub bind: SocketAddr,
    /// Origins allowed to call the API from their pages (CORS); none by
    /// default.
    pub cors: Vec<String>,
    /// The data the engine's vocabulary is built from.
    pub data: DataSet,
    /// Request limits.
    pub limits: Limits,
}

/// What every handler shares.
#[derive(Clone)]
struct AppState {
    served: Arc<state::Served>,
    searches: Arc<Semaphore>,
    limits: Limits,
    /// The région of each département, by code: where the page's place
    /// tree puts a département.
    regions: Arc<HashMap<String, Area>>,
    searches_cache: Arc<Cache<wire::SearchJson>>,
    facets_cache: Arc<Cache<wire::FacetsJson>>,
}

/// The région of each département of `data`, by département code.
fn regions_of_departements(data: &DataSet) -> HashMap<String, Area> {
    let regions: HashMap<&str, &str> = crate::data::rows(data.text(DataFile::Regions))
        .filter(|f| f.len() >= 2)
        .map(|f| (f[0], f[1]))
        .collect();
    crate::data::rows(data.text(DataFile::Departements))
        .filter(|f| f.len() >= 3)
        .filter_map(|f| {
            let name = regions.get(f[2])?;
            Some((
                f[0].to_string(),
                Area {
                    code: f[2].to_string(),
                    name: name.to_string(),
                },
            ))
        })
        .collect()
}

/// The API's routes, as the OpenAPI document lists them.
pub const API_ROUTES: [&str; 8] = [
    "/api/search",
    "/api/operations",
    "/api/facets/{field}",
    "/api/docs",
    "/api/articles/{id}",
    "/api/export",
    "/api/health",
    "/api/openapi.json",
];

fn router(index: &Path, options: &ServeOptions) -> Result<Router> {
    let state = AppState {
        served: Arc::new(state::Served::new(index, options.data.clone())),
        searches: Arc::new(Semaphore::new(options.limits.searches.max(1))),
        limits: options.limits.clone(),
        regions: Arc::new(regions_of_departements(&options.data)),
        searches_cache: Arc::new(Cache::new(options.limits.cached_answers)),
        facets_cache: Arc::new(Cache::new(options.limits.cached_answers)),
    };
    let [search, operations, facets, docs, article, export, health, openapi] = API_ROUTES;
    let mut router = Router::new()
        .route(search, get(api::search))
        .route(operations, get(api::operations))
        .route(facets, get(api::facets))
        .route(docs, get(api::docs))
        .route(article, get(api::article))
        .route(export, get(api::export))
        .route(health, get(api::health))
        .route(openapi, get(api::openapi))
        .route("/api", get(api::not_found))
        .route("/api/", get(api::not_found))
        .route("/api/{*rest}", get(api::not_found))
        .merge(page::routes())
        .fallback(page::not_found)
        .with_state(state);
    if !options.cors.is_empty() {
        let origins = options
            .cors
            .iter()
            .map(|o| {
                HeaderValue::from_str(o).map_err(|_| Error::Bind {
                    address: options.bind.to_string(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("`{o}` is not a valid CORS origin"),
                    ),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        router = router.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET]),
        );
    }
    Ok(router
        .layer(axum::middleware::from_fn(page::guard))
        .layer(axum::middleware::from_fn(page::security_headers)))
}

/// Serves the index at `index` until `shutdown` completes (then lets the
/// requests in flight finish). `ready` is called with the address bound,
/// once requests are accepted.
pub fn serve(
    index: &Path,
    options: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let bind_error = |source| Error::Bind {
        address: options.bind.to_string(),
        source,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(bind_error)?;
    let app = router(index, options)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(bind_error)?;
        ready(listener.local_addr().map_err(bind_error)?);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(bind_error)
    })
}

/// Completes on Ctrl-C (and on SIGTERM on Unix).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
