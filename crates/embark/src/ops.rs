//! Health and metrics endpoints for operators.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> impl IntoResponse {
    "ok"
}

/// The database answers and is migrated.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.is_ready().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "database not migrated"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Open unless `EMBARK_METRICS_TOKEN` is set; then only `Authorization: Bearer <token>`,
/// compared in constant time.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !crate::secrets::same_token(given, expected.expose()) {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "metrics need the token\n")
                .into_response();
        }
    }
    let mut extra = String::new();
    if let Ok(c) = embark_store::jobs::counts(&mut state.store.db()).await {
        extra.push_str("# HELP embark_jobs Jobs in the queue, by state.\n# TYPE embark_jobs gauge\n");
        extra.push_str(&format!("embark_jobs{{state=\"pending\"}} {}\n", c.pending));
        extra.push_str(&format!("embark_jobs{{state=\"done\"}} {}\n", c.done));
        extra.push_str(&format!("embark_jobs{{state=\"failed\"}} {}\n", c.failed));
    }
    extra
        .push_str("# HELP embark_db_connections Database connections, by state.\n# TYPE embark_db_connections gauge\n");
    extra.push_str(&format!("embark_db_connections{{state=\"open\"}} {}\n", state.store.open_connections()));
    extra.push_str(&format!("embark_db_connections{{state=\"idle\"}} {}\n", state.store.idle_connections()));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render(&extra)).into_response()
}
