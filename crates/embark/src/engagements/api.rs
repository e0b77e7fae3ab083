//! `/api/v1/engagements`: the board, starting an engagement, its items.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use embark_core::engagements::NOTHING_DUE;
use embark_core::{EngagementId, Timestamp};
use embark_store::engagements::{BoardFilter, EngagementRow, ItemRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::engagements::service::{self as service, ItemAction, NewEngagementInput};
use crate::engagements::summary::item_title;
use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiJson, ApiQuery};
use crate::http::paging::{next_page, read_position};
use crate::http::Path;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/engagements", get(list_engagements).post(create_engagement))
        .route("/api/v1/engagements/{id}", get(get_engagement))
        .route("/api/v1/engagements/{id}/items/{key}", post(update_item))
        .route("/api/v1/engagements/{id}/cancel", post(cancel_engagement))
        .route("/api/v1/engagements/{id}/offer-signed", post(record_offer_signed))
}

#[derive(Serialize, ToSchema)]
pub struct EngagementView {
    pub id: String,
    pub title: String,
    pub subject: String,
    pub playbook_id: String,
    pub playbook_title: String,
    /// The playbook version it runs (pinned at start).
    pub version: i64,
    /// RFC 3339.
    pub anchor_at: String,
    /// active, completed or cancelled.
    pub state: String,
    pub owner_id: String,
    pub items_closed: i64,
    pub items_total: i64,
    /// The earliest due date of an open gate or step, if any (RFC 3339).
    pub next_due_at: Option<String>,
}

fn instant(ms: i64) -> String {
    Timestamp::from_millis(ms).to_jiff().to_string()
}

impl From<&EngagementRow> for EngagementView {
    fn from(r: &EngagementRow) -> Self {
        EngagementView {
            id: r.id.to_string(),
            title: r.title.clone(),
            subject: r.subject.clone(),
            playbook_id: r.playbook_id.to_string(),
            playbook_title: r.playbook_title.clone(),
            version: r.version_number,
            anchor_at: instant(r.anchor_at.as_millis()),
            state: r.state.as_str().into(),
            owner_id: r.owner_id.to_string(),
            items_closed: r.items_closed,
            items_total: r.items_total,
            next_due_at: (r.next_due_at != NOTHING_DUE).then(|| instant(r.next_due_at)),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardPage {
    pub items: Vec<EngagementView>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Only the engagements of this playbook (its id).
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub playbook: Option<String>,
    /// Only the engagements this person owns (her id).
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub owner: Option<String>,
    #[param(pattern = "^(active|completed|cancelled)$")]
    pub state: Option<String>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next` of the previous page: a position in the board's order (a due instant
    /// in milliseconds, then an engagement's id); the page starts after it.
    #[param(pattern = "^-?[0-9]{1,19}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub after: Option<String>,
}

fn bad(field: &'static str, code: &'static str) -> ApiError {
    ApiError(AppError::from(embark_core::FieldError::new(field, code)))
}

#[utoipa::path(get, path = "/api/v1/engagements", tag = "engagements", params(BoardParams),
    responses((status = 200, body = BoardPage), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_engagements(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<BoardParams>,
) -> Result<Json<BoardPage>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(bad("limit", "error-limit-range"));
    }
    let filter = BoardFilter {
        playbook: q
            .playbook
            .as_deref()
            .map(|s| s.parse().map_err(|_| bad("playbook", "error-playbook-unknown")))
            .transpose()?,
        owner: q.owner.as_deref().map(|s| s.parse().map_err(|_| bad("owner", "error-owner-invalid"))).transpose()?,
        state: q
            .state
            .as_deref()
            .map(|s| s.parse().map_err(|_: String| bad("state", "error-field-type")))
            .transpose()?,
        participant: None,
    };
    let after = match q.after.as_deref() {
        None => None,
        Some(s) => Some(read_position(s).ok_or_else(|| bad("after", "error-cursor-invalid"))?),
    };
    let db = &mut state.store.conn().await?;
    let mut rows = service::board(db, &p, filter, after, limit + 1).await?;
    service::as_seen_by(&state, db, &p, &mut rows).await?;
    let next = next_page(&mut rows, limit, |r| format!("{}_{}", r.next_due_at, r.id));
    Ok(Json(BoardPage { items: rows.iter().map(EngagementView::from).collect(), next }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantBody {
    /// One of the playbook's roles.
    pub role: String,
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub user_id: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEngagementBody {
    /// A playbook of the workspace's library.
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub playbook_id: String,
    /// 1 to 200 characters, not only spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$"
    )]
    pub title: String,
    /// Who or what it is for: the client, the new hire. 1 to 200 characters, not only
    /// spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$"
    )]
    pub subject: String,
    /// The anchor: RFC 3339 (`2026-12-01T09:00:00Z`), or local time in the workspace's time zone (`2026-12-01T10:00`, `2026-12-01`).
    #[schema(
        pattern = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?\\s*$"
    )]
    pub anchor: String,
    /// An active staff member of the workspace (default: the caller).
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantBody>,
    /// Records an engagement that already started: the anchor may then be in the past,
    /// and no reminder or survey is sent for it. Otherwise an anchor in the past is refused.
    #[serde(default)]
    pub record_past: bool,
}

#[utoipa::path(post, path = "/api/v1/engagements", tag = "engagements", request_body = NewEngagementBody,
    responses((status = 201, body = EngagementView), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create_engagement(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiJson(body): ApiJson<NewEngagementBody>,
) -> Result<impl IntoResponse, ApiError> {
    let id = service::create(
        &state,
        &p,
        NewEngagementInput {
            playbook_id: body.playbook_id,
            title: body.title,
            subject: body.subject,
            anchor: body.anchor,
            owner_id: body.owner_id,
            participants: body.participants.into_iter().map(|x| (x.role, x.user_id)).collect(),
            record_past: body.record_past,
        },
    )
    .await?;
    let (view, _) = service::view(&state, &p, id).await?;
    Ok((StatusCode::CREATED, Json(EngagementView::from(&view.row))))
}

#[derive(Serialize, ToSchema)]
pub struct ItemView {
    pub key: String,
    /// gate, step or checkpoint.
    pub kind: String,
    pub title: String,
    /// todo, done or skipped.
    pub state: String,
    pub owner_role: Option<String>,
    pub due_at: Option<String>,
    pub reason: Option<String>,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct EngagementDetail {
    #[serde(flatten)]
    pub engagement: EngagementView,
    /// The items the caller may see, in document order. For a client contact's token,
    /// only those the playbook shares (`visibility: shared`), with no note; the counts
    /// (`items_closed`, `items_total`) and `next_due_at` are then counted on them, and an
    /// internal item's key answers 404.
    pub items: Vec<ItemView>,
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementDetail), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_engagement(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<Json<EngagementDetail>, ApiError> {
    let (view, _) = service::view(&state, &p, id).await?;
    let item = |i: &ItemRow| ItemView {
        key: i.key.clone(),
        kind: i.kind.as_str().into(),
        title: item_title(&view.playbook, &i.key).unwrap_or_default(),
        state: i.state.as_str().into(),
        owner_role: i.owner_role.clone(),
        due_at: i.due_at.map(|d| d.to_jiff().to_string()),
        reason: i.reason.clone(),
        note: i.note.clone(),
    };
    Ok(Json(EngagementDetail {
        engagement: EngagementView::from(&view.row),
        items: view.items.iter().map(item).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    /// Omit to only change the note (one of `state` and `note` is required).
    #[schema(pattern = "^(todo|done|skipped)$")]
    pub state: Option<String>,
    /// Required when skipping.
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// Changes an item's state or note. A step (or checkpoint) whose prerequisites are
/// open answers 409 with the open gates in `detail`.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/items/{key}", tag = "engagements",
    params(("id" = String, Path), ("key" = String, Path)), request_body = ItemUpdate,
    responses((status = 204), (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn update_item(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, key)): Path<(EngagementId, String)>,
    ApiJson(body): ApiJson<ItemUpdate>,
) -> Result<StatusCode, ApiError> {
    if body.state.is_none() && body.note.is_none() {
        return Err(bad("state", "error-field-missing"));
    }
    if let Some(note) = body.note {
        service::act(&state, &p, id, &key, ItemAction::Note(note)).await?;
    }
    if let Some(s) = body.state.as_deref() {
        let action = match s {
            "done" => ItemAction::Done,
            "todo" => ItemAction::Reopen,
            "skipped" => ItemAction::Skip(body.reason.unwrap_or_default()),
            _ => return Err(bad("state", "error-item-state")),
        };
        service::act(&state, &p, id, &key, action).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Why an engagement is cancelled.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cancellation {
    /// 3 to 500 characters once trimmed, kept in the timeline.
    #[schema(min_length = 3, max_length = 500, pattern = "\\S[\\s\\S]+\\S")]
    pub reason: String,
}

/// Cancels an active engagement: nothing can be done on it afterwards and its reminders stop.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/cancel", tag = "engagements",
    params(("id" = String, Path)), request_body = Cancellation,
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn cancel_engagement(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
    ApiJson(body): ApiJson<Cancellation>,
) -> Result<StatusCode, ApiError> {
    service::cancel(&state, &p, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that the new hire's offer is signed: the gates waiting for it close.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/offer-signed", tag = "engagements",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn record_offer_signed(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<StatusCode, ApiError> {
    service::record_offer_signed(&state, &p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
