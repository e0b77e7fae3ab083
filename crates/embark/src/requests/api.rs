//! `/api/v1/requests`: raise or log a request, read one with its thread, reply,
//! resolve, and list what the caller sees — the same use cases as the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use embark_core::requests::Draft;
use embark_core::{FieldError, RequestId};
use embark_store::accounts::sessions::Principal;
use embark_store::requests::{MessageRow, RequestRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service;
use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiJson, ApiQuery};
use crate::http::paging::next_page;
use crate::http::Path;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/requests", get(list_requests).post(create_request))
        .route("/api/v1/requests/{id}", get(get_request))
        .route("/api/v1/requests/{id}/messages", post(add_message))
        .route("/api/v1/requests/{id}/resolve", post(resolve_request))
}

/// A request or a complaint.
#[derive(Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    /// request or complaint.
    pub kind: String,
    /// search, candidates, billing, equipment, access, payroll, training, platform or other.
    pub category: String,
    /// portal (raised by the person), phone or email (logged by staff).
    pub channel: String,
    /// open, late, answered or resolved (the requester reads open for late).
    pub status: String,
    pub subject: String,
    pub body: String,
    pub requester_id: String,
    pub requester_name: String,
    pub owner_id: String,
    pub owner_name: String,
    pub engagement_id: Option<String>,
    /// RFC 3339.
    pub received_at: String,
    /// When the first response is due (RFC 3339).
    pub first_response_due_at: String,
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
}

/// A message of a request's thread.
#[derive(Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: String,
    pub created_at: String,
}

/// A request with its thread, oldest message first.
#[derive(Serialize, ToSchema)]
pub struct RequestThread {
    pub request: RequestView,
    pub messages: Vec<MessageView>,
}

fn view(p: &Principal, r: &RequestRow, now: embark_core::Timestamp) -> RequestView {
    let status = service::status_for(p, r, now);
    RequestView {
        id: r.id.to_string(),
        kind: r.kind.as_str().into(),
        category: r.category.as_str().into(),
        channel: r.channel.as_str().into(),
        status: status.as_str().into(),
        subject: r.subject.clone(),
        body: r.body.clone(),
        requester_id: r.requester_id.to_string(),
        requester_name: r.requester_name.clone(),
        owner_id: r.owner_id.to_string(),
        owner_name: r.owner_name.clone(),
        engagement_id: r.engagement_id.map(|e| e.to_string()),
        received_at: r.received_at.to_string(),
        first_response_due_at: r.due_at.to_string(),
        first_response_at: r.first_response_at.map(|t| t.to_string()),
        resolved_at: r.resolved_at.map(|t| t.to_string()),
        resolution: r.resolution.clone(),
    }
}

fn message_view(m: &MessageRow) -> MessageView {
    MessageView {
        id: m.id.to_string(),
        author_id: m.author_id.to_string(),
        author_name: m.author_name.clone(),
        body: m.body.clone(),
        created_at: m.created_at.to_string(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only the requests not yet resolved.
    pub open: Option<bool>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next` of the page before: a position in the list's order (a reception
    /// instant in milliseconds, then a request's id); the page starts after it.
    #[param(pattern = "^-?[0-9]{1,19}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub after: Option<String>,
}

/// A page of requests, newest first.
#[derive(Serialize, ToSchema)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// What the caller sees, newest first, a page at a time: what she raised (clients and
/// new hires), what they own (staff), the workspace's (admins).
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(ListParams),
    responses((status = 200, body = RequestPage),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<ListParams>,
) -> Result<Json<RequestPage>, ApiError> {
    let limit = q.limit.unwrap_or(service::PAGE);
    if !(1..=200).contains(&limit) {
        return Err(ApiError(FieldError::new("limit", "error-limit-range").into()));
    }
    let after = match q.after.as_deref() {
        None => None,
        Some(s) => Some(
            service::read_cursor(s).ok_or_else(|| ApiError(FieldError::new("after", "error-cursor-invalid").into()))?,
        ),
    };
    let mut rows = service::list(&mut state.store.db(), &p, q.open.unwrap_or(false), after, limit + 1).await?;
    let next = next_page(&mut rows, limit, service::cursor_after);
    let now = state.now();
    Ok(Json(RequestPage { items: rows.iter().map(|r| view(&p, r, now)).collect(), next }))
}

/// A new request. A client or a new hire raises it in her own name; staff log one
/// received by phone or email with `requester_email`, `channel` and `received_at`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequestBody {
    #[schema(pattern = "^(request|complaint)$")]
    pub kind: String,
    /// A client: search, candidates, billing, platform, other; a new hire: equipment,
    /// access, payroll, training, platform, other; staff: any.
    #[schema(pattern = "^(search|candidates|billing|equipment|access|payroll|training|platform|other)$")]
    pub category: String,
    /// 3 to 160 characters once trimmed.
    #[schema(min_length = 3, max_length = 160, pattern = "\\S[\\s\\S]+\\S")]
    pub subject: String,
    /// 1 to 5000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
    /// An engagement the requester takes part in; without it, the request goes to the
    /// owner of her current engagement.
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub engagement_id: Option<String>,
    /// Staff only: the client contact or new hire who made the request.
    #[schema(format = "email")]
    pub requester_email: Option<String>,
    /// Staff only: phone or email.
    #[schema(pattern = "^(phone|email)$")]
    pub channel: Option<String>,
    /// Staff only: when it was received (RFC 3339, or local `2026-12-01T10:00`), not in
    /// the future, at most 90 days ago.
    #[schema(
        pattern = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?\\s*$"
    )]
    pub received_at: Option<String>,
}

/// The request created.
#[derive(Serialize, ToSchema)]
pub struct CreatedRequest {
    pub id: String,
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = NewRequestBody,
    responses((status = 201, body = CreatedRequest),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_request(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiJson(body): ApiJson<NewRequestBody>,
) -> Result<(StatusCode, Json<CreatedRequest>), ApiError> {
    let mut errors = Vec::new();
    let draft = Draft::parse(p.user.role, &body.kind, &body.category, &body.subject, &body.body)
        .map_err(|e| errors.extend(e))
        .ok();
    let engagement = match body.engagement_id.as_deref() {
        None => None,
        Some(id) => {
            id.parse().map_err(|_| errors.push(FieldError::new("engagement_id", "error-request-engagement"))).ok()
        }
    };
    let logged = match (&body.requester_email, service::may_raise(&p)) {
        (None, _) | (Some(_), true) => None,
        (Some(email), false) => {
            let (channel, received_at) = (body.channel.as_deref().unwrap_or(""), body.received_at.as_deref());
            service::read_logged(&state, &p, email, channel, received_at, &mut errors).await?
        }
    };
    let Some(draft) = draft.filter(|_| errors.is_empty()) else {
        return Err(rename(AppError::Invalid(errors), "requester", "requester_email").into());
    };
    let id = service::raise(&state, &p, draft, engagement, logged)
        .await
        .map_err(|e| rename(rename(e, "requester", "requester_email"), "engagement", "engagement_id"))?;
    Ok((StatusCode::CREATED, Json(CreatedRequest { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 200, body = RequestThread),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_request(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<RequestId>,
) -> Result<Json<RequestThread>, ApiError> {
    let (r, messages) = service::get(&state, &p, id).await?;
    Ok(Json(RequestThread {
        request: view(&p, &r, state.now()),
        messages: messages.iter().map(message_view).collect(),
    }))
}

/// A reply in a request's thread.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// 1 to 5000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
}

/// Adds a message; the first one by someone other than the requester is the request's
/// first response. A resolved request takes none (409).
#[utoipa::path(post, path = "/api/v1/requests/{id}/messages", tag = "requests", params(("id" = String, Path)),
    request_body = MessageBody,
    responses((status = 201, body = RequestThread),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_message(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<RequestId>,
    ApiJson(body): ApiJson<MessageBody>,
) -> Result<(StatusCode, Json<RequestThread>), ApiError> {
    service::reply(&state, &p, id, &body.body).await.map_err(|e| rename(e, "message", "body"))?;
    let (r, messages) = service::get(&state, &p, id).await?;
    let thread =
        RequestThread { request: view(&p, &r, state.now()), messages: messages.iter().map(message_view).collect() };
    Ok((StatusCode::CREATED, Json(thread)))
}

/// The API names some fields as its body does (`requester_email`, `body`).
fn rename(e: AppError, from: &str, to: &'static str) -> AppError {
    match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors.into_iter().map(|f| if f.field == from { FieldError::new(to, f.code) } else { f }).collect(),
        ),
        e => e,
    }
}

/// How a request was resolved.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionBody {
    /// 1 to 5000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub resolution: String,
}

/// Resolves a request, by its owner or an admin (the requester: 403). A second
/// resolution is refused (409).
#[utoipa::path(post, path = "/api/v1/requests/{id}/resolve", tag = "requests", params(("id" = String, Path)),
    request_body = ResolutionBody,
    responses((status = 200, body = RequestView),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn resolve_request(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<RequestId>,
    ApiJson(body): ApiJson<ResolutionBody>,
) -> Result<Json<RequestView>, ApiError> {
    service::resolve(&state, &p, id, &body.resolution).await?;
    let (r, _) = service::get(&state, &p, id).await?;
    Ok(Json(view(&p, &r, state.now())))
}
