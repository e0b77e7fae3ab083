//! The JSON API under `/api/v1`, documented by the OpenAPI document it serves.
//! Authenticated with personal API tokens (`Authorization: Bearer …`), never cookies.

mod engagements;
mod kickoffs;
mod playbooks;
mod users;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use embark_store::sessions::Principal;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

use crate::error::{ApiError, AppError};
use crate::services::accounts;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .merge(users::router())
        .merge(playbooks::router())
        .merge(engagements::router())
        .merge(kickoffs::router())
        .route("/api/v1", get(|| async { ApiError(AppError::NotFound) }))
        .route("/api/v1/{*rest}", axum::routing::any(|| async { ApiError(AppError::NotFound) }))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Embark API", version = "1", description = "Onboarding for clients and new employees. Authenticate with a personal API token: `Authorization: Bearer emb_…` (create one on your account page)."),
    paths(
        users::me, users::list_users, users::invite_user,
        playbooks::list_playbooks, playbooks::get_playbook, playbooks::export_playbook, playbooks::import_playbook,
        engagements::list_engagements, engagements::create_engagement, engagements::get_engagement, engagements::update_item,
        kickoffs::get_scorecard, kickoffs::put_field, kickoffs::get_kickoff,
    ),
    components(schemas(
        users::UserView, users::UserPage, users::NewUserBody,
        playbooks::PlaybookView, playbooks::PlaybookDetail, playbooks::VersionView, playbooks::ImportResult,
        engagements::EngagementView, engagements::BoardPage, engagements::NewEngagementBody, engagements::ParticipantBody,
        engagements::EngagementDetail, engagements::ItemView, engagements::ItemUpdate,
        kickoffs::ScorecardState, kickoffs::FieldState, kickoffs::FieldWrite, kickoffs::FieldWritten,
        kickoffs::KickoffState, kickoffs::Signal,
        crate::error::Problem, crate::error::ProblemField,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// The caller of an API endpoint, from their bearer token.
pub struct ApiCaller(pub Principal);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(ApiError(AppError::Unauthenticated))?;
        match accounts::authenticate_token(state, secret).await? {
            Some(p) => Ok(ApiCaller(p)),
            None => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}

/// A JSON body whose errors name the field at fault, as problem+json.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(ApiError(AppError::BadRequest("expected a JSON body (Content-Type: application/json)".into())));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError(AppError::BadRequest("unreadable request body".into())))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError(json_error(&e))),
        }
    }
}

/// Turns a deserialisation error into a validation problem naming the field,
/// or a bad request when the body is not JSON at all.
pub(crate) fn json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let inner = e.inner();
    if inner.is_syntax() || inner.is_eof() {
        return AppError::BadRequest(format!("malformed JSON: {inner}"));
    }
    let msg = inner.to_string();
    let path = e.path().to_string();
    let between_backticks = |s: &str| s.split('`').nth(1).map(str::to_string);
    let (field, code) = if msg.starts_with("missing field") {
        let name = between_backticks(&msg).unwrap_or_default();
        (if path == "." { name } else { format!("{path}.{name}") }, "error-field-missing")
    } else if msg.starts_with("unknown field") {
        // The path already ends with the unknown field's name.
        (if path == "." { between_backticks(&msg).unwrap_or_default() } else { path }, "error-field-unknown")
    } else {
        (path, "error-field-type")
    };
    AppError::BadField { field, code }
}
