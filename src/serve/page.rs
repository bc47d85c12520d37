//! The search page, embedded in the binary at build time (no Node.js to
//! build or run logis), and what every answer carries: a
//! Content-Security-Policy allowing only the page's own script and style
//! files (article text can never run as code), no sniffing, no referrer,
//! no framing. Only the files listed here are served: there is no path to
//! traverse.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::api::ApiError;
use super::{AppState, MAX_QUERY_STRING};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");
const FAVICON: &str = include_str!("page/favicon.svg");

/// The page's policy: its own files only; `fetch` to its own API only.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub(crate) fn routes() -> Router<AppState> {
    fn file(content_type: &'static str, body: &'static str) -> Response {
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            body,
        )
            .into_response()
    }
    Router::new()
        .route("/", get(|| async { Html(INDEX_HTML) }))
        .route(
            "/app.js",
            get(|| async { file("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/app.css",
            get(|| async { file("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/favicon.svg",
            get(|| async { file("image/svg+xml", FAVICON) }),
        )
}

/// Any path that is not the page's nor the API's.
pub(crate) async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(
            "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Page introuvable</title>\
             <p>Cette page n’existe pas. <a href=\"/\">Retour à la recherche</a></p></html>",
        ),
    )
        .into_response()
}

/// Refuses, before any work, what no page of logis sends: a request body,
/// or a query string over [`MAX_QUERY_STRING`] (413).
pub(crate) async fn guard(request: Request, next: Next) -> Response {
    let too_long = request
        .uri()
        .query()
        .is_some_and(|q| q.len() > MAX_QUERY_STRING);
    let has_body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() != "0")
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    if too_long || has_body {
        let message = if too_long {
            format!("the query string is over {MAX_QUERY_STRING} bytes")
        } else {
            "this API takes no request body".to_string()
        };
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message).into_response();
    }
    next.run(request).await
}

/// Adds the security headers to every answer.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
