//! `/api/v1/engagements/{id}/scorecard` and `/api/v1/engagements/{id}/kickoff`: the
//! scorecard with its per-field versions (and writing one field), and the meeting's
//! readiness and quality, and its next steps as the client answers them (accepted, her
//! homework done) — the same services as the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use embark_core::kickoff::scorecard::{FieldValue, FIELDS};
use embark_core::{EngagementId, NextStepId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::api::{ApiCaller, ApiJson};
use crate::http::Path;
use crate::kickoff::meeting::service as meetings;
use crate::kickoff::scorecard::service::{self as scorecards, EditOutcome};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/engagements/{id}/scorecard", get(get_scorecard))
        .route("/api/v1/engagements/{id}/scorecard/fields/{field}", put(put_field))
        .route("/api/v1/engagements/{id}/kickoff", get(get_kickoff))
        .route("/api/v1/engagements/{id}/kickoff/start", post(start_meeting))
        .route("/api/v1/engagements/{id}/next-steps", get(list_next_steps).post(add_next_step))
        .route("/api/v1/engagements/{id}/next-steps/acceptance", post(accept_all_next_steps))
        .route("/api/v1/engagements/{id}/next-steps/{step}", put(put_next_step).delete(delete_next_step))
        .route("/api/v1/engagements/{id}/next-steps/{step}/acceptance", post(accept_next_step))
        .route("/api/v1/engagements/{id}/next-steps/{step}/completion", post(complete_homework))
}

#[derive(Serialize, ToSchema)]
pub struct FieldState {
    pub name: String,
    /// A string, a list of strings, or (outcomes) a list of `{text, measure}`.
    #[schema(value_type = Object)]
    pub value: FieldValue,
    /// Send it back as `based_on` when writing the field.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ScorecardState {
    /// The version of the scorecard (2 and more: re-scoped, a new search).
    pub number: i64,
    /// draft, sent, returned, in_review or locked.
    pub state: String,
    pub rescoping: bool,
    /// RFC 3339.
    pub due_at: Option<String>,
    pub returned_at: Option<String>,
    pub locked_at: Option<String>,
    /// SHA-256 of the canonical text, once locked.
    pub content_hash: Option<String>,
    pub fields: Vec<FieldState>,
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/scorecard", tag = "kick-off", params(("id" = String, Path)),
    responses((status = 200, body = ScorecardState), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_scorecard(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<Json<ScorecardState>, ApiError> {
    let v = scorecards::view(&state, &p, id).await?;
    let at = |t: Option<embark_core::Timestamp>| t.map(|t| t.to_jiff().to_string());
    Ok(Json(ScorecardState {
        number: v.row.number,
        state: v.row.state.as_str().into(),
        rescoping: v.row.rescoping,
        due_at: at(v.row.due_at),
        returned_at: at(v.row.returned_at),
        locked_at: at(v.row.locked_at),
        content_hash: v.row.content_hash.clone(),
        fields: FIELDS
            .iter()
            .map(|f| FieldState {
                name: f.to_string(),
                value: v.card.get(f).unwrap_or(FieldValue::Text(String::new())),
                version: v.version_of(f),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldWrite {
    #[schema(value_type = Object)]
    pub value: FieldValue,
    /// The version the value was read at.
    pub based_on: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FieldWritten {
    pub version: i64,
}

/// Writes one field. 409 when someone wrote it since `based_on` (nothing written;
/// `detail` says so) or when the scorecard is locked or not sent yet (named in
/// `errors`); 422 when the value does not fit.
#[utoipa::path(put, path = "/api/v1/engagements/{id}/scorecard/fields/{field}", tag = "kick-off",
    params(("id" = String, Path), ("field" = String, Path)), request_body = FieldWrite,
    responses((status = 200, body = FieldWritten), (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn put_field(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, field)): Path<(EngagementId, String)>,
    ApiJson(body): ApiJson<FieldWrite>,
) -> Result<Response, ApiError> {
    match scorecards::edit(&state, &p, id, &field, body.value, body.based_on).await? {
        EditOutcome::Applied { version } => Ok(Json(FieldWritten { version }).into_response()),
        EditOutcome::Conflict { version, .. } => Ok((
            StatusCode::CONFLICT,
            [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
            Json(serde_json::json!({
                "type": "https://embark.dev/problems/edit-conflict",
                "title": "Conflict",
                "status": 409,
                "detail": format!("the field was written by someone else: it is at version {version}; read it again"),
                "version": version,
            })),
        )
            .into_response()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Signal {
    pub name: String,
    /// pending, good, fair or bad.
    pub level: String,
}

#[derive(Serialize, ToSchema)]
pub struct KickoffState {
    /// RFC 3339.
    pub starts_at: String,
    pub place: String,
    pub duration_minutes: i64,
    pub logistics_locked: bool,
    /// The T-24 h review: each check with whether it is met.
    pub readiness: Vec<Signal>,
    pub no_show_risk: bool,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub finished_on_time: Option<bool>,
    /// How long the meeting really took, once ended (minutes, rounded).
    pub held_minutes: Option<i64>,
    pub report_sent_at: Option<String>,
    pub report_acknowledged_at: Option<String>,
    /// nps, clarity, relationship, follow_through.
    pub quality: Vec<Signal>,
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/kickoff", tag = "kick-off", params(("id" = String, Path)),
    responses((status = 200, body = KickoffState), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_kickoff(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<Json<KickoffState>, ApiError> {
    let v = meetings::view(&state, &p, id).await?;
    let at = |t: Option<embark_core::Timestamp>| t.map(|t| t.to_jiff().to_string());
    let q = v.quality();
    let signal = |name: &str, level: &str| Signal { name: name.into(), level: level.into() };
    Ok(Json(KickoffState {
        starts_at: v.starts_at().to_jiff().to_string(),
        place: v.meeting.place.clone(),
        duration_minutes: v.meeting.duration_minutes,
        logistics_locked: v.meeting.logistics_locked_at.is_some(),
        readiness: v.readiness().iter().map(|c| signal(c.key, if c.ok { "good" } else { "bad" })).collect(),
        no_show_risk: v.no_show_risk(),
        started_at: at(v.meeting.started_at),
        ended_at: at(v.meeting.ended_at),
        finished_on_time: v.finished_on_time(),
        held_minutes: match (v.meeting.started_at, v.meeting.ended_at) {
            (Some(s), Some(e)) => Some((e.as_millis() - s.as_millis() + 30_000) / 60_000),
            _ => None,
        },
        report_sent_at: at(v.report.as_ref().and_then(|r| r.sent_at)),
        report_acknowledged_at: at(v.report.as_ref().and_then(|r| r.acknowledged_at)),
        quality: vec![
            signal("nps", q.nps.as_str()),
            signal("clarity", q.clarity.as_str()),
            signal("relationship", q.relationship.as_str()),
            signal("follow_through", q.follow_through.as_str()),
        ],
    }))
}

#[derive(Serialize, ToSchema)]
pub struct NextStepView {
    pub id: String,
    /// sourcing, shortlist, first_checkpoint, weekly_meeting or client_homework.
    pub kind: String,
    pub title: String,
    pub owner_id: String,
    pub owner_name: String,
    /// RFC 3339.
    pub due_at: String,
    /// open, done or missed.
    pub outcome: String,
    pub closed_at: Option<String>,
    /// When a client contact accepted it (RFC 3339).
    pub accepted_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NextStepsAccepted {
    /// How many were accepted by this call (those already accepted keep their acceptance).
    pub accepted: u64,
    pub next_steps: Vec<NextStepView>,
}

fn next_step_views(v: &meetings::MeetingView) -> Vec<NextStepView> {
    let at = |t: Option<embark_core::Timestamp>| t.map(|t| t.to_jiff().to_string());
    // A client reads them once the report that lists them was sent.
    let sent = v.report.as_ref().is_some_and(|r| r.sent_at.is_some());
    if !v.access.can_manage && !sent {
        return Vec::new();
    }
    v.next_steps
        .iter()
        .map(|n| NextStepView {
            id: n.id.to_string(),
            kind: n.kind.as_str().into(),
            title: n.title.clone(),
            owner_id: n.owner_id.to_string(),
            owner_name: n.owner_name.clone(),
            due_at: n.due_at.to_jiff().to_string(),
            outcome: n.outcome.as_str().into(),
            closed_at: at(n.closed_at),
            accepted_at: at(n.accepted_at),
        })
        .collect()
}

/// The kick-off's next steps, by due date (a client sees them once the report is sent).
#[utoipa::path(get, path = "/api/v1/engagements/{id}/next-steps", tag = "kick-off", params(("id" = String, Path)),
    responses((status = 200, body = [NextStepView]), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_next_steps(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<Json<Vec<NextStepView>>, ApiError> {
    Ok(Json(next_step_views(&meetings::view(&state, &p, id).await?)))
}

async fn accepted(
    state: &AppState,
    p: &embark_store::accounts::sessions::Principal,
    id: EngagementId,
    only: Option<NextStepId>,
) -> Result<Json<NextStepsAccepted>, ApiError> {
    let accepted = meetings::accept_next_steps(state, p, id, only).await?;
    let next_steps = next_step_views(&meetings::view(state, p, id).await?);
    Ok(Json(NextStepsAccepted { accepted, next_steps }))
}

/// A client contact accepts every next step not accepted yet (403 for anyone else;
/// 409 before the report is sent).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/next-steps/acceptance", tag = "kick-off", params(("id" = String, Path)),
    responses((status = 200, body = NextStepsAccepted), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn accept_all_next_steps(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
) -> Result<Json<NextStepsAccepted>, ApiError> {
    accepted(&state, &p, id, None).await
}

/// A client contact accepts one next step (again: nothing changes).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/next-steps/{step}/acceptance", tag = "kick-off",
    params(("id" = String, Path), ("step" = String, Path)),
    responses((status = 200, body = NextStepsAccepted), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn accept_next_step(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
) -> Result<Json<NextStepsAccepted>, ApiError> {
    accepted(&state, &p, id, Some(step)).await
}

/// The client marks her own next step (her homework) done: 403 for another person's,
/// 409 when it is already closed.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/next-steps/{step}/completion", tag = "kick-off",
    params(("id" = String, Path), ("step" = String, Path)),
    responses((status = 200, body = [NextStepView]), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn complete_homework(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
) -> Result<Json<Vec<NextStepView>>, ApiError> {
    meetings::complete_homework(&state, &p, id, step).await?;
    Ok(Json(next_step_views(&meetings::view(&state, &p, id).await?)))
}

/// A next step as the firm writes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextStepBody {
    #[schema(pattern = "^(sourcing|shortlist|first_checkpoint|weekly_meeting|client_homework)$")]
    pub kind: String,
    /// 1 to 300 characters, not only spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$"
    )]
    pub title: String,
    /// A person of the search.
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub owner_id: String,
    /// Ahead: RFC 3339, or a local `2026-12-01T10:00` in the workspace's time zone.
    #[schema(
        pattern = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?\\s*$"
    )]
    pub due_at: String,
}

/// Adds a next step until the report is sent: 201 with the next steps, 409 after
/// (nothing written), 422 when a field does not fit (each named in `errors`).
#[utoipa::path(post, path = "/api/v1/engagements/{id}/next-steps", tag = "kick-off",
    params(("id" = String, Path)), request_body = NextStepBody,
    responses((status = 201, body = [NextStepView]), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_next_step(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
    ApiJson(body): ApiJson<NextStepBody>,
) -> Result<(StatusCode, Json<Vec<NextStepView>>), ApiError> {
    meetings::add_next_step(&state, &p, id, &body.kind, &body.title, &body.owner_id, &body.due_at).await?;
    Ok((StatusCode::CREATED, Json(next_step_views(&meetings::view(&state, &p, id).await?))))
}

/// Changes a next step until the report is sent: 409 after (nothing written), 422 when a
/// field does not fit (each named in `errors`).
#[utoipa::path(put, path = "/api/v1/engagements/{id}/next-steps/{step}", tag = "kick-off",
    params(("id" = String, Path), ("step" = String, Path)), request_body = NextStepBody,
    responses((status = 200, body = [NextStepView]), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn put_next_step(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
    ApiJson(body): ApiJson<NextStepBody>,
) -> Result<Json<Vec<NextStepView>>, ApiError> {
    meetings::edit_next_step(&state, &p, id, step, &body.kind, &body.title, &body.owner_id, &body.due_at).await?;
    Ok(Json(next_step_views(&meetings::view(&state, &p, id).await?)))
}

/// Deletes a next step until the report is sent (409 after, nothing written).
#[utoipa::path(delete, path = "/api/v1/engagements/{id}/next-steps/{step}", tag = "kick-off",
    params(("id" = String, Path), ("step" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn delete_next_step(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
) -> Result<StatusCode, ApiError> {
    meetings::delete_next_step(&state, &p, id, step).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MeetingStart {
    /// Start although the meeting is planned more than 30 minutes from now.
    #[serde(default)]
    pub early: bool,
}

/// Starts the meeting's clock: 409 while a prerequisite is open (named in `detail`),
/// when it is planned more than 30 minutes ahead and `early` is not set, or when it
/// already started (named in `errors`). Nothing is written then.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/kickoff/start", tag = "kick-off",
    params(("id" = String, Path)), request_body = MeetingStart,
    responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start_meeting(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<EngagementId>,
    ApiJson(body): ApiJson<MeetingStart>,
) -> Result<StatusCode, ApiError> {
    meetings::start(&state, &p, id, body.early).await?;
    Ok(StatusCode::NO_CONTENT)
}
