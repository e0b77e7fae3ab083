//! `GET /api/v1/indicators`: the dashboard's figures for a period, as rows.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service;
use crate::error::ApiError;
use crate::http::api::{ApiCaller, ApiQuery};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/indicators", get(get_indicators))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorsParams {
    /// First month, `YYYY-MM` (UTC, 1970 to 2999); default: eleven months before `to`.
    /// Not after `to` (422).
    #[param(pattern = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$")]
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (UTC, 1970 to 2999); default: this month.
    #[param(pattern = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$")]
    pub to: Option<String>,
}

/// One indicator.
#[derive(Serialize, ToSchema)]
pub struct IndicatorView {
    /// client_nps, response_rate_to_clients, complaint_first_response, request_resolution,
    /// report_acknowledgement_delay, meetings_on_time, enps, onboarding_progress or engagements_late.
    pub key: String,
    /// In `unit`, 2 decimals; null without data, or when withheld.
    pub value: Option<f64>,
    /// points, percent, hours or engagements.
    pub unit: String,
    /// The 95 % interval of an NPS (adjusted Wald).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// How many it is computed over: answers, requests, reports, meetings or engagements.
    pub base: i64,
    /// An anonymous survey under 5 answers: only `base` is given.
    pub suppressed: bool,
}

/// The indicators of a period. Onboarding progress and late engagements are today's.
#[derive(Serialize, ToSchema)]
pub struct IndicatorsView {
    pub from: String,
    pub to: String,
    pub indicators: Vec<IndicatorView>,
}

#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", params(IndicatorsParams),
    responses((status = 200, body = IndicatorsView),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_indicators(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<IndicatorsParams>,
) -> Result<Json<IndicatorsView>, ApiError> {
    let i = service::indicators(&state, &p, q.from.as_deref(), q.to.as_deref()).await?;
    let indicators = i
        .rows()
        .into_iter()
        .map(|r| IndicatorView {
            key: r.key.to_string(),
            value: r.value,
            unit: r.unit.to_string(),
            low: r.low,
            high: r.high,
            base: r.base,
            suppressed: r.suppressed,
        })
        .collect();
    Ok(Json(IndicatorsView { from: i.from_month, to: i.to_month, indicators }))
}
