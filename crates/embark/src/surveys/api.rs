//! `/api/v1/surveys`: the workspace's surveys and their results.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use embark_core::SurveyId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiQuery};
use crate::http::Path;
use crate::state::AppState;
use crate::surveys::service;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys", get(list_surveys))
        .route("/api/v1/surveys/{id}/results", get(survey_results))
        .route("/api/v1/surveys/{id}/answers/import", axum::routing::post(import_answers))
}

/// A survey of the workspace.
#[derive(Serialize, ToSchema)]
pub struct SurveyView {
    pub id: String,
    /// What playbooks name it by (`survey: enps`).
    pub key: String,
    /// nps, enps or csat.
    pub kind: String,
    /// The playbook role of the people who answer it.
    pub audience: String,
    /// No link to the person is stored with an anonymous survey's answers.
    pub anonymous: bool,
    pub title: String,
    pub question: String,
}

#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, body = [SurveyView]), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_surveys(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
) -> Result<Json<Vec<SurveyView>>, ApiError> {
    let locale = p.user.locale;
    let surveys = service::list(&state, &p).await?;
    Ok(Json(
        surveys
            .iter()
            .map(|s| SurveyView {
                id: s.id.to_string(),
                key: s.key.clone(),
                kind: s.kind.as_str().to_string(),
                audience: s.audience.clone(),
                anonymous: s.anonymous,
                title: super::title(s, locale).to_string(),
                question: super::question(s, locale).to_string(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First month, `YYYY-MM` (UTC, 1970 to 2999); default: eleven months before `to`.
    /// Not after `to` (422).
    #[param(pattern = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$")]
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (UTC, 1970 to 2999); default: this month.
    #[param(pattern = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$")]
    pub to: Option<String>,
    /// Only the answers of this segment (a cohort, a site…). For an anonymous survey,
    /// a segment under 5 answers gives counts only.
    pub segment: Option<String>,
}

/// A 95 % confidence interval, in points.
#[derive(Serialize, ToSchema)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// One month of results.
#[derive(Serialize, ToSchema)]
pub struct MonthResults {
    /// `YYYY-MM`.
    pub month: String,
    pub answers: u32,
    pub nps: Option<f64>,
    pub ci95: Option<Interval>,
}

/// A survey's results over a period. For an anonymous survey under the minimum group
/// size, `suppressed` is true and only counts are given.
#[derive(Serialize, ToSchema)]
pub struct SurveyResults {
    pub survey_id: String,
    pub from: String,
    pub to: String,
    /// Respondents who answered the question.
    pub answers: u32,
    /// For a CSAT: 4–5, 3 and 1–2.
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
    /// 100 · (promoters − detractors) / answers, 2 decimals; null without answers or when suppressed.
    pub nps: Option<f64>,
    /// Adjusted Wald 95 % interval of `nps`, clipped to −100..100.
    pub ci95: Option<Interval>,
    /// Fewer than 5 answers: read the score with care.
    pub too_few: bool,
    pub suppressed: bool,
    pub sent: i64,
    pub answered: i64,
    /// The segment these results are of, if one was asked for.
    pub segment: Option<String>,
    pub months: Vec<MonthResults>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn interval(ci: Option<embark_core::surveys::nps::Interval>) -> Option<Interval> {
    ci.map(|c| Interval { low: round2(c.low), high: round2(c.high) })
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", params(("id" = String, Path), PeriodParams),
    responses((status = 200, body = SurveyResults),
              (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn survey_results(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<SurveyId>,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<SurveyResults>, ApiError> {
    let (period, errors) = service::period(q.from.as_deref(), q.to.as_deref(), state.now());
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let r = service::results(&state, &p, id, Some(period), q.segment.as_deref()).await?;
    Ok(Json(SurveyResults {
        survey_id: r.survey.id.to_string(),
        from: r.from_month.clone(),
        to: r.to_month.clone(),
        answers: r.summary.answers,
        promoters: r.summary.promoters,
        passives: r.summary.passives,
        detractors: r.summary.detractors,
        nps: r.summary.score.map(round2),
        ci95: interval(r.summary.ci95),
        too_few: r.summary.too_few(),
        suppressed: r.suppressed,
        sent: r.sent,
        answered: r.answered,
        segment: r.segment.clone(),
        months: r
            .months
            .iter()
            .map(|m| MonthResults {
                month: m.month.clone(),
                answers: m.summary.answers,
                nps: m.summary.score.map(round2),
                ci95: interval(m.summary.ci95),
            })
            .collect(),
    }))
}

/// How many answers an import added.
#[derive(Serialize, ToSchema)]
pub struct ImportedAnswers {
    pub imported: usize,
}

/// Imports past answers so that a workspace keeps its history and trend: the body is
/// CSV (`text/csv`, UTF-8, `,` or `;`) with a header `score,answered_at[,segment][,comment]`;
/// `answered_at` is a date (`2026-03-14`) or an RFC 3339 instant, never in the future.
/// All or nothing: a file with problems gets every one back with its line and column.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/answers/import", tag = "surveys", params(("id" = String, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportedAnswers),
              (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn import_answers(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<SurveyId>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<(axum::http::StatusCode, Json<ImportedAnswers>), ApiError> {
    crate::http::api::require_content_type(
        &headers,
        &["text/csv", "text/plain"],
        "send the CSV as the body, with Content-Type: text/csv",
    )?;
    let imported = service::import_answers(&state, &p, id, &body).await?;
    Ok((axum::http::StatusCode::CREATED, Json(ImportedAnswers { imported })))
}
