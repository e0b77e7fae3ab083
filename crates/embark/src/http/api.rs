//! The JSON API's edge: the caller from their personal API token (`Authorization:
//! Bearer …`, never cookies), JSON bodies whose rejections are our problem answers,
//! and the answer to paths under `/api/v1` that do not exist.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use axum::routing::get;
use axum::Router;
use embark_core::Permission;
use embark_store::accounts::sessions::Principal;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, AppError};
use crate::secrets::token_hash;
use crate::state::AppState;
use embark_store::accounts::api_tokens;

/// Paths under `/api/v1` that no capability answers: our 404 problem.
/// Refuses a body sent with another `Content-Type` than one of `types` (a 400 that
/// says how to send it).
pub fn require_content_type(headers: &axum::http::HeaderMap, types: &[&str], how: &str) -> Result<(), AppError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if types.iter().any(|t| ct.starts_with(t)) {
        Ok(())
    } else {
        Err(AppError::BadRequest(how.to_string()))
    }
}

pub fn fallback() -> Router<AppState> {
    Router::new()
        .route("/api/v1", get(|| async { ApiError(AppError::NotFound) }))
        .route("/api/v1/{*rest}", axum::routing::any(|| async { ApiError(AppError::NotFound) }))
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
        match authenticate_token(state, secret).await? {
            Some(p) => Ok(ApiCaller(p)),
            None => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}

/// A query string for the API: one that cannot be read (a repeated parameter, a value
/// of the wrong type) is a problem+json 400, like every other API error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError(AppError::BadRequest(e.body_text()))),
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
        let mut value: serde_json::Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return Err(ApiError(AppError::BadRequest(format!("malformed JSON: {e}")))),
        };
        whole_numbers(&mut value);
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError(json_error(&e))),
        }
    }
}

/// JSON does not tell `3` from `3.0` (and JSON Schema's `integer` admits both): a whole
/// number written with a fraction is read as the integer it is.
fn whole_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0) {
                *v = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
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

/// The principal behind an API token; records its use at most once a minute.
async fn authenticate_token(state: &AppState, secret: &str) -> Result<Option<Principal>, AppError> {
    let Some((principal, id, last_used)) = api_tokens::principal(&mut state.store.db(), &token_hash(secret)).await?
    else {
        return Ok(None);
    };
    // A token outlives nothing its owner's role may not do.
    if !principal.user.role.can(Permission::UseApi) {
        return Ok(None);
    }
    let now = state.now();
    if last_used.is_none_or(|t| now.as_millis() - t.as_millis() > 60_000) {
        api_tokens::touch(&mut state.store.db(), id, now).await?;
    }
    Ok(Some(principal))
}
