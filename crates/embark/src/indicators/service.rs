//! Reading the indicators of a period: each is counted by the database from an indexed
//! range (survey counts per month, requests by reception, reports by sending), never by
//! reading every row behind it.

use embark_core::requests::{RequestKind, Totals as RequestTotals};
use embark_core::surveys::nps::Summary;
use embark_core::{FieldError, Permission, Role};
use embark_store::accounts::sessions::Principal;
use embark_store::engagements::{self as engagement_store, ProgressTotals};
use embark_store::kickoff::meetings::{self, Totals as KickoffTotals};
use embark_store::requests::{self as request_store, TotalsFilter};

use crate::access::require;
use crate::error::AppError;
use crate::state::AppState;

/// A survey's figure: its summary, or only how many answered when it is anonymous and
/// under the minimum group size.
#[derive(Clone, Debug)]
pub struct SurveyFigure {
    pub summary: Summary,
    pub suppressed: bool,
    /// The survey's results page.
    pub id: String,
}

/// Every indicator of a period.
#[derive(Clone, Debug)]
pub struct Indicators {
    /// `YYYY-MM`, UTC.
    pub from_month: String,
    pub to_month: String,
    pub client_nps: Option<SurveyFigure>,
    pub enps: Option<SurveyFigure>,
    /// Requests and complaints raised by client contacts.
    pub clients: RequestTotals,
    pub complaints: RequestTotals,
    pub kickoffs: KickoffTotals,
    /// Now, not over the period: the engagements running today.
    pub progress: ProgressTotals,
}

/// The indicators over `[from_month, to_month]` (defaults: the last twelve months).
/// A month that does not parse, or a first month after the last, is a field error.
pub async fn indicators(
    state: &AppState,
    actor: &Principal,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Indicators, AppError> {
    require(actor, Permission::ViewSurveyResults)?;
    let now = state.now();
    let ((from_month, to_month), errors) = crate::surveys::service::period(from, to, now);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if from_month > to_month {
        return Err(FieldError::new("from", "error-period-order").into());
    }
    let (start, end) =
        embark_core::surveys::months_span(&from_month, &to_month).ok_or(FieldError::new("from", "error-month"))?;
    let ws = actor.user.workspace_id;
    // One connection for the dashboard's queries (docs/adr/0001).
    let db = &mut state.store.conn().await?;
    let surveys = crate::surveys::service::surveys(db, ws, now).await?;
    let mut figure = async |key: &str| -> Result<Option<SurveyFigure>, AppError> {
        let Some(s) = surveys.iter().find(|s| s.key == key) else { return Ok(None) };
        let (summary, suppressed) = crate::surveys::service::score(db, ws, s, &from_month, &to_month).await?;
        Ok(Some(SurveyFigure { summary, suppressed, id: s.id.to_string() }))
    };
    let client_nps = figure("client-nps").await?;
    let enps = figure("enps").await?;
    let clients = request_store::totals(
        db,
        ws,
        &from_month,
        &to_month,
        TotalsFilter { requester_role: Some(Role::ClientContact), ..TotalsFilter::default() },
    )
    .await?;
    let complaints = request_store::totals(
        db,
        ws,
        &from_month,
        &to_month,
        TotalsFilter { kind: Some(RequestKind::Complaint), ..TotalsFilter::default() },
    )
    .await?;
    let kickoffs = meetings::totals(db, ws, start, end).await?;
    let progress = engagement_store::progress_totals(db, ws, now).await?;
    Ok(Indicators { from_month, to_month, client_nps, enps, clients, complaints, kickoffs, progress })
}

/// A share in whole percent, rounded down; none without a whole.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part * 100 / whole)
}

/// Milliseconds as hours with two decimals, for the API and the CSV.
pub fn hours(ms: Option<i64>) -> Option<f64> {
    ms.map(|ms| (ms as f64 / 36_000.0).round() / 100.0)
}

/// One indicator as the API and the CSV give it: a value in its unit, its 95 %
/// interval when it has one, and what it is computed over.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Stable: `client_nps`, `enps`, `response_rate_to_clients`, …
    pub key: &'static str,
    /// None when there is nothing to compute it from, or when it is withheld.
    pub value: Option<f64>,
    /// points, percent, hours or engagements.
    pub unit: &'static str,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// How many it is computed over (answers, requests, reports, meetings, engagements).
    pub base: i64,
    /// An anonymous survey under the minimum group size: the count only.
    pub suppressed: bool,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn survey_row(key: &'static str, f: &Option<SurveyFigure>) -> Row {
    let (summary, suppressed) = match f {
        Some(f) => (f.summary.clone(), f.suppressed),
        None => (embark_core::surveys::nps::from_counts(0, 0, 0), false),
    };
    let shown = |v: Option<f64>| v.filter(|_| !suppressed).map(round2);
    Row {
        key,
        value: shown(summary.score),
        unit: "points",
        low: shown(summary.ci95.map(|c| c.low)),
        high: shown(summary.ci95.map(|c| c.high)),
        base: i64::from(summary.answers),
        suppressed,
    }
}

fn plain(key: &'static str, value: Option<f64>, unit: &'static str, base: i64) -> Row {
    Row { key, value, unit, low: None, high: None, base, suppressed: false }
}

impl Indicators {
    /// Every indicator, in the order the dashboard shows them.
    pub fn rows(&self) -> Vec<Row> {
        let pct = |part, whole| percent(part, whole).map(|p| p as f64);
        let k = &self.kickoffs;
        let p = &self.progress;
        vec![
            survey_row("client_nps", &self.client_nps),
            plain(
                "response_rate_to_clients",
                self.clients.response_rate().map(|r| r as f64),
                "percent",
                self.clients.received,
            ),
            plain(
                "complaint_first_response",
                hours(self.complaints.mean_first_response_ms),
                "hours",
                self.complaints.answered,
            ),
            plain("request_resolution", hours(self.clients.mean_resolution_ms), "hours", self.clients.resolved),
            plain("report_acknowledgement_delay", hours(k.mean_ack_ms), "hours", k.acknowledged),
            plain("meetings_on_time", pct(k.ended_on_time, k.ended), "percent", k.ended),
            survey_row("enps", &self.enps),
            plain("onboarding_progress", pct(p.items_closed, p.items_total), "percent", p.active),
            plain("engagements_late", Some(p.late as f64), "engagements", p.active),
        ]
    }
}
