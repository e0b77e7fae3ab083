//! Stylesheet, script and icon, compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");
const SCORECARD_JS: &str = include_str!("../../assets/scorecard.js");
const RUNNER_JS: &str = include_str!("../../assets/runner.js");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }))
        .route("/assets/scorecard.js", get(|| async { asset("text/javascript; charset=utf-8", SCORECARD_JS) }))
        .route("/assets/runner.js", get(|| async { asset("text/javascript; charset=utf-8", RUNNER_JS) }))
        .route("/assets/favicon.svg", get(|| async { asset("image/svg+xml", FAVICON) }))
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}
