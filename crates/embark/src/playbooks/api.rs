//! `/api/v1/playbooks`: the library, import, versions, export.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use embark_core::{Permission, PlaybookId};
use embark_store::playbooks::{self, PlaybookRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::require;
use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiQuery};
use crate::http::Path;
use crate::playbooks::service::{self as service, ImportError};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/playbooks", get(list_playbooks).post(import_playbook))
        .route("/api/v1/playbooks/{id}", get(get_playbook))
        .route("/api/v1/playbooks/{id}/export", get(export_playbook))
}

/// A playbook of the library.
#[derive(Serialize, ToSchema)]
pub struct PlaybookView {
    pub id: String,
    /// Pairs the languages of one playbook.
    pub key: String,
    pub language: String,
    pub title: String,
    /// meeting or journey.
    pub kind: String,
    pub builtin: bool,
    pub latest_version: i64,
}

impl From<&PlaybookRow> for PlaybookView {
    fn from(r: &PlaybookRow) -> Self {
        PlaybookView {
            id: r.id.to_string(),
            key: r.key.clone(),
            language: r.language.code().into(),
            title: r.title.clone(),
            kind: r.kind.clone(),
            builtin: r.builtin,
            latest_version: r.latest_version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VersionView {
    pub number: i64,
    /// SHA-256 of the document.
    pub content_hash: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlaybookDetail {
    #[serde(flatten)]
    pub playbook: PlaybookView,
    /// Newest first.
    pub versions: Vec<VersionView>,
}

#[utoipa::path(get, path = "/api/v1/playbooks", tag = "playbooks",
    responses((status = 200, body = [PlaybookView]), (status = 401, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_playbooks(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
) -> Result<Json<Vec<PlaybookView>>, ApiError> {
    require(&p, Permission::ReadPlaybooks)?;
    let rows = playbooks::list(&mut state.store.db(), p.user.workspace_id).await?;
    Ok(Json(rows.iter().map(PlaybookView::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/playbooks/{id}", tag = "playbooks", params(("id" = String, Path)),
    responses((status = 200, body = PlaybookDetail), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_playbook(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<PlaybookId>,
) -> Result<Json<PlaybookDetail>, ApiError> {
    require(&p, Permission::ReadPlaybooks)?;
    let ws = p.user.workspace_id;
    let row = playbooks::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let versions = playbooks::versions(&mut state.store.db(), ws, id).await?;
    Ok(Json(PlaybookDetail {
        playbook: PlaybookView::from(&row),
        versions: versions
            .into_iter()
            .map(|v| VersionView {
                number: v.number,
                content_hash: v.content_hash,
                created_at: v.created_at.to_jiff().to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// A version number (default: the latest).
    pub version: Option<i64>,
}

/// The document exactly as imported.
#[utoipa::path(get, path = "/api/v1/playbooks/{id}/export", tag = "playbooks", params(("id" = String, Path), ExportParams),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_playbook(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<PlaybookId>,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let loaded = service::load(&state, &p, id, q.version).await?;
    Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], loaded.version.source).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The key that pairs languages: 2 to 64 of `a-z`, `0-9` and `-` (defaults to the
    /// title turned into an id).
    #[param(pattern = "^[a-z0-9-]{2,64}$")]
    pub key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub playbook: PlaybookView,
    pub version: i64,
    /// created, new_version or unchanged.
    pub outcome: String,
}

/// Imports a playbook document (the request body, `text/markdown`). All or nothing:
/// a document with problems gets them all back with their line and column.
#[utoipa::path(post, path = "/api/v1/playbooks", tag = "playbooks", params(ImportParams),
    request_body(content = String, content_type = "text/markdown"),
    responses((status = 201, body = ImportResult), (status = 200, body = ImportResult, description = "unchanged"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn import_playbook(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<ImportParams>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<impl IntoResponse, ApiError> {
    crate::http::api::require_content_type(
        &headers,
        &["text/markdown", "text/plain"],
        "send the document as the body, with Content-Type: text/markdown",
    )?;
    // The pages read an empty key as "from the title"; the API reads the key as given.
    let key_ok =
        |k: &str| (2..=64).contains(&k.len()) && k.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'));
    if q.key.as_deref().is_some_and(|k| !key_ok(k)) {
        return Err(AppError::from(embark_core::FieldError::new("key", "error-playbook-key")).into());
    }
    let text = body.replace("\r\n", "\n");
    match service::import_as(&state, &p, q.key.as_deref(), &text).await {
        Ok(out) => {
            let row = playbooks::get(&mut state.store.db(), p.user.workspace_id, out.playbook)
                .await?
                .ok_or(AppError::NotFound)?;
            let status = if out.what == service::Imported::Unchanged { StatusCode::OK } else { StatusCode::CREATED };
            Ok((
                status,
                Json(ImportResult {
                    playbook: PlaybookView::from(&row),
                    version: out.version.number,
                    outcome: out.what.as_str().into(),
                }),
            ))
        }
        Err(ImportError::Invalid(d)) => Err(AppError::InvalidDocument(d).into()),
        Err(ImportError::BadKey) => {
            Err(AppError::from(embark_core::FieldError::new("key", "error-playbook-key")).into())
        }
        Err(ImportError::Other(e)) => Err(e.into()),
    }
}
